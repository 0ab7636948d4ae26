use sea_orm::entity::prelude::*;

/// A request to be emailed when a product is back in stock (see `app::wishlist`): one per
/// product and address, sent once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_alerts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub product_id: i32,
    pub email: String,
    /// The signed-in customer who asked, if any (a visitor confirms by email instead).
    pub user_id: Option<i32>,
    /// The language of the email.
    pub locale: String,
    /// `pending` (a visitor's, not confirmed yet), `waiting`, `sent`.
    pub status: String,
    /// The hash of the emailed confirmation token, while pending.
    pub confirm_token_hash: Option<String>,
    pub requested_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
