use sea_orm::entity::prelude::*;

/// One move of an account's store credit (see `app::rewards::credit`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "store_credits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub order_id: Option<i32>,
    /// The refund made as this credit (unique).
    pub refund_id: Option<i32>,
    /// `refund`, `spent`, `returned` or `restored`.
    pub kind: String,
    /// Signed: what it did to the balance.
    pub amount_cents: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
