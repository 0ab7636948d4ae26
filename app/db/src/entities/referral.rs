use sea_orm::entity::prelude::*;

/// A referred person's first order, and the credit it earns their sponsor (see
/// `app::rewards`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referrals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub sponsor_id: i32,
    /// Lower-cased; a person is referred once.
    #[sea_orm(unique)]
    pub referee_email: String,
    pub referee_user_id: Option<i32>,
    /// The referred person's first order.
    #[sea_orm(unique)]
    pub order_id: i32,
    /// `pending`, `earned` or `reversed`.
    pub status: String,
    /// The sponsor's credit, fixed when the first order was placed.
    pub credit_cents: i64,
    /// The sponsor's order that spent the credit.
    #[sea_orm(unique)]
    pub credit_order_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
