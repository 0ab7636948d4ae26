use sea_orm::entity::prelude::*;

/// A line of an order, as it was sold: name, SKU, prices and VAT rate at the time.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    pub product_id: i32,
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    /// The catalogue price then, VAT included.
    pub catalogue_price_cents: i64,
    /// What one unit was charged, in the order's VAT mode.
    pub unit_price_cents: i64,
    pub vat_rate_bp: i32,
    pub total_cents: i64,
    /// What the line cost once the order's discounts took their share (see
    /// `app::orders::after_sales`).
    pub paid_cents: i64,
    /// The store credit spent on the line (part of the discounts above): given back as credit.
    pub credit_cents: i64,
    /// A subscription line: delivered again every this many months.
    pub every_months: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
