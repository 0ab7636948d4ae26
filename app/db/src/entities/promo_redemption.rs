use sea_orm::entity::prelude::*;

/// A promo code used by an order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "promo_redemptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub promo_id: i32,
    #[sea_orm(unique)]
    pub order_id: i32,
    /// The customer's email, lower-cased.
    pub customer: String,
    pub amount_cents: i64,
    /// The order was cancelled unpaid: the use was given back.
    pub released: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
