use sea_orm::entity::prelude::*;

/// A promo code staff manage (see `app::promotions`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "promo_codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    /// `percent` (value in basis points) or `amount` (value in cents).
    pub kind: String,
    pub value: i64,
    pub min_basket_cents: Option<i64>,
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    pub max_uses: Option<i32>,
    pub max_uses_per_customer: Option<i32>,
    /// `all`, `products` or `categories`.
    pub scope: String,
    /// JSON array of product or category ids.
    #[sea_orm(column_type = "Text")]
    pub scope_ids: String,
    pub uses: i32,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
