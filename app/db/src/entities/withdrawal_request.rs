use sea_orm::entity::prelude::*;

/// A withdrawal from the contract or a missing-item claim, declared online.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "withdrawal_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Quoted to the customer (`R-…`).
    #[sea_orm(unique)]
    pub reference: String,
    pub order_id: i32,
    /// `withdrawal` or `missing_item`.
    pub kind: String,
    /// `received`, `refunded`.
    pub status: String,
    /// JSON list of the lines declared.
    #[sea_orm(column_type = "Text")]
    pub lines: String,
    pub refund_cents: i64,
    /// The store credit the lines were paid with, given back as credit with the refund.
    pub credit_cents: i64,
    /// JSON: how the refund falls on the VAT rates (`pricing::RateShare`), for the credit note.
    #[sea_orm(column_type = "Text", nullable)]
    pub vat_split: Option<String>,
    pub created_at: DateTimeUtc,
    /// When the refund is due at the latest (`None`: made before it was kept, 14 days).
    pub refund_due_at: Option<DateTimeUtc>,
    pub handled_at: Option<DateTimeUtc>,
    pub handled_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
