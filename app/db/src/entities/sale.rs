use sea_orm::entity::prelude::*;

/// A sale staff scheduled (see `app::promotions::sales`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sales")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    /// `percent` (amount in basis points) or `price` (amount in cents, VAT included).
    pub kind: String,
    pub amount: i64,
    /// `all`, `products` or `categories`.
    pub scope: String,
    /// JSON array of product or category ids.
    #[sea_orm(column_type = "Text")]
    pub scope_ids: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
