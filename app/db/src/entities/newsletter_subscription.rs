use sea_orm::entity::prelude::*;

/// An address that asked for the newsletter: `pending` until its emailed link is opened,
/// `confirmed` (with the time, the proof of consent), or `unsubscribed`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "newsletter_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub email: String,
    pub status: String,
    pub locale: String,
    /// `footer`, `sign_up` or `account`.
    pub source: String,
    /// The SHA-256 of the pending confirmation link's token.
    pub confirm_token_hash: Option<String>,
    /// The secret of the unsubscribe links (no sign-in needed).
    pub unsubscribe_key: String,
    pub requested_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub unsubscribed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
