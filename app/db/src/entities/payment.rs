use sea_orm::entity::prelude::*;

/// A payment asked of a provider for an order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    /// `demo` (later `mollie`, `stripe`).
    pub provider: String,
    /// The provider's id of the payment.
    pub provider_ref: String,
    pub method: String,
    pub amount_cents: i64,
    /// `open`, `paid`, `failed`, `canceled`, `expired`.
    pub status: String,
    /// Where the shopper pays (the provider's hosted page).
    pub checkout_url: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
