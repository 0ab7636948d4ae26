//! What a subscription looks like to its customer and to staff.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::codes::coded! {
    /// Where a subscription stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum SubscriptionStatus {
        /// Delivered and charged each period.
        Active = "active",
        /// The charges of a renewal failed: nothing more is delivered until it is taken up again.
        Suspended = "suspended",
        /// Cancelled by the customer, ended by the shop, or after its last delivery.
        Ended = "ended",
    }
}

/// An address of the account's book a subscription can be sent to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressChoice {
    pub id: i32,
    pub summary: String,
}

/// A subscription as its customer (or staff) sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionView {
    pub id: i32,
    pub product_name: String,
    pub product_slug: String,
    pub image: String,
    pub quantity: u32,
    pub every_months: u8,
    /// The frequencies the product offers now.
    pub offered_months: Vec<u8>,
    pub status: SubscriptionStatus,
    pub started_on: NaiveDate,
    /// The next delivery (none once ended or suspended).
    pub next_delivery: Option<NaiveDate>,
    /// The last instant a cancellation still stops the next delivery.
    pub cancellation_deadline: Option<DateTime<Utc>>,
    /// The deadline has passed: a cancellation now ends the subscription after the next
    /// delivery (decided by the server's clock, not the browser's).
    pub late: bool,
    /// A late cancellation: the subscription ends after this delivery.
    pub ends_after: Option<NaiveDate>,
    /// What a delivery costs at today's price (products, VAT included; shipping on top).
    pub price: Decimal,
    /// Where it is delivered, as label lines.
    pub delivery: Vec<String>,
    /// The latest order made for it (its number).
    pub last_order: Option<String>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The customer's email (shown to staff).
    pub customer_email: String,
}
