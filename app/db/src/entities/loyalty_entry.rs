use sea_orm::entity::prelude::*;

/// One move of an account's loyalty points (see `app::rewards`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "loyalty_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub order_id: Option<i32>,
    /// `earned`, `spent`, `returned` or `taken_back`.
    pub kind: String,
    /// Signed: what it did to the balance.
    pub points: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
