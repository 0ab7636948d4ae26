use sea_orm::entity::prelude::*;

/// An order: who, where, what it cost, which terms were accepted, and its status. Amounts are
/// integer cents in the order's VAT mode; addresses and VAT lines are JSON snapshots.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub number: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub user_id: Option<i32>,
    pub email: String,
    pub locale: String,
    /// An `app::orders::model::OrderStatus` code.
    pub status: String,
    pub payment_method: String,
    pub destination: String,
    /// `included` or `excluded`.
    pub vat_mode: String,
    pub terms_version: String,
    pub title: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub delivery_address: String,
    pub billing_address: String,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub shipping_cents: i64,
    pub total_cents: i64,
    pub vat_lines: String,
    /// JSON: the discounts as applied (`pricing::AppliedAdjustment`), split by VAT rate.
    #[sea_orm(column_type = "Text")]
    pub adjustments: String,
    /// The secret of the order's link for guests (`/orders/{number}?key=…`).
    pub access_key: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub paid_at: Option<DateTimeUtc>,
    pub payment_due_at: DateTimeUtc,
    /// A renewal order: its subscription and the delivery it is for (unique together).
    pub subscription_id: Option<i32>,
    pub period_on: Option<Date>,
    /// Off-session charges tried for a renewal order, and when the next one is due.
    pub charge_attempts: i32,
    pub next_charge_at: Option<DateTimeUtc>,
    /// The carrier's code (`colissimo`, `chronopost`…) once shipped.
    pub tracking_carrier: Option<String>,
    /// The parcel's tracking number once shipped.
    pub tracking_number: Option<String>,
    /// When the carrier was last asked about the parcel (see `orders::service::delivery`).
    pub tracking_checked_at: Option<DateTimeUtc>,
    /// Sold under OSS: the EU country whose VAT rates it was charged (none: French VAT, or
    /// none at all outside the EU).
    pub vat_country: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
