use sea_orm::entity::prelude::*;

/// A refund asked of the provider that took an order's payment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refunds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    /// The shop's payment it refunds (`payments.id`).
    pub payment_id: i32,
    pub provider: String,
    /// The provider's id of the refund, once it answered.
    pub provider_ref: Option<String>,
    pub amount_cents: i64,
    pub reason: String,
    /// `pending`, `refunded`, `failed`.
    pub status: String,
    /// `staff:42`.
    pub actor: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub last_error: Option<String>,
    /// JSON list of the lines it takes back (`after_sales::Taken`); none for an amount.
    #[sea_orm(column_type = "Text", nullable)]
    pub lines: Option<String>,
    /// JSON: how the amount falls on the VAT rates (`pricing::RateShare`), for the credit note;
    /// none: in proportion to the invoice's rates.
    #[sea_orm(column_type = "Text", nullable)]
    pub vat_split: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
