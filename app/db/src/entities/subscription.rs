use sea_orm::entity::prelude::*;

/// A product delivered every `every_months` months until ended, each period a renewal order
/// charged to the card saved at the first order (`mandate`, the provider's reference).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub product_id: i32,
    pub quantity: i32,
    pub every_months: i32,
    /// The first delivery; every delivery falls on its day of the month (clamped).
    pub anchor_on: Date,
    /// The delivery of the latest order made for it.
    pub last_period_on: Date,
    pub next_delivery_on: Date,
    /// A `app::subscriptions::model::SubscriptionStatus` code.
    pub status: String,
    /// Cancelled too late for a delivery: ends after it.
    pub ends_after: Option<Date>,
    pub provider: String,
    pub mandate: String,
    pub origin_order_id: i32,
    pub locale: String,
    pub destination: String,
    pub title: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    /// JSON `app::orders::model::AddressSnapshot`.
    pub delivery_address: String,
    /// JSON `app::orders::model::AddressSnapshot`.
    pub billing_address: String,
    pub reminded_for: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub end_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
