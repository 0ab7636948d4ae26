use sea_orm::entity::prelude::*;

/// The offline demo provider's own record of a payment (what a real provider keeps on its side).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "demo_payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The shop's key for this attempt: the same key gives the same payment.
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub amount_cents: i64,
    pub description: String,
    pub method: String,
    pub redirect_url: String,
    pub webhook_url: String,
    /// `open`, `paid`, `failed`, `canceled`, `expired`.
    pub status: String,
    /// Asked to keep the card for later charges: `requested`, then the card kept once paid
    /// (`ok`, or `declines`: a demo card refused at renewals).
    pub saved_card: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
