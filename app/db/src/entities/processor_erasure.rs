use sea_orm::entity::prelude::*;

/// A deletion asked of a payment processor for an erased customer (see
/// `app::privacy::service::processors`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "processor_erasures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `stripe`.
    pub provider: String,
    /// The provider's record: a customer (`cus_…`) or the Checkout Session that made one
    /// (`cs_…`).
    pub reference: String,
    pub attempts: i32,
    /// When it is tried next (also the lease of the instance trying it).
    pub next_attempt_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    /// When the provider confirmed the deletion (or said the record no longer exists).
    pub done_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
