//! What the wishlist and the stock alerts are, on both sides.

use serde::{Deserialize, Serialize};

crate::codes::coded! {
    /// Where a back-in-stock alert is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum AlertStatus {
        /// A visitor's request, until they open the emailed link.
        Pending = "pending",
        /// Confirmed: emailed when the product is back.
        Waiting = "waiting",
        /// The product came back and the email went out.
        Sent = "sent",
    }
}

/// Days a visitor's confirmation link stays valid (then the request is deleted).
pub const CONFIRM_DAYS: i64 = 7;
/// Days an alert is kept after its email went out.
pub const SENT_KEPT_DAYS: i64 = 30;
/// Days an alert waits for the product to come back before it is dropped.
pub const WAIT_DAYS: i64 = 365;
/// The most products a wishlist holds.
pub const MAX_ITEMS: u64 = 200;

/// What a page knows of the signed-in customer's wishlist and alerts (nothing for a visitor).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watching {
    /// The signed-in customer's address; none for a visitor.
    pub email: Option<String>,
    /// The products in their wishlist.
    pub saved: Vec<i32>,
    /// The products whose return they wait for (alerts confirmed, not sent yet).
    pub alerts: Vec<i32>,
}

/// A product of `/account/wishlist`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedProduct {
    /// What the cart needs to add it (no quantity when it cannot be ordered now).
    pub product: crate::cart::model::CartProduct,
    /// Whether an alert waits for its return.
    pub alert: bool,
    pub added_at: chrono::DateTime<chrono::Utc>,
}
