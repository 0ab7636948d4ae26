//! The checkout steps, the order page, its invoice, and the demo provider's hosted page.

mod account;
mod checkout;
mod demo_pay;
mod invoice;
pub(crate) mod order;
mod pay;

pub use account::{AccountInvoicesPage, AccountOrdersPage};
pub use checkout::CheckoutPage;
pub use demo_pay::DemoPayPage;
pub use invoice::InvoicePage;
pub use order::OrderPage;
pub use pay::PaymentHandOffPage;

use crate::i18n::{Locale, Msg};
use crate::orders::model::OrderStatus;

/// The name of a status for the shopper.
pub fn status_label(status: OrderStatus) -> Msg {
    match status {
        OrderStatus::PendingPayment => Msg::StatusPendingPayment,
        OrderStatus::OnHold => Msg::StatusOnHold,
        OrderStatus::Paid => Msg::StatusPaid,
        OrderStatus::Preparing => Msg::StatusPreparing,
        OrderStatus::Shipped => Msg::StatusShipped,
        OrderStatus::Delivered => Msg::StatusDelivered,
        OrderStatus::Cancelled => Msg::StatusCancelled,
        OrderStatus::Refunded => Msg::StatusRefunded,
        OrderStatus::Withdrawn => Msg::StatusWithdrawn,
    }
}

/// A date-time from RFC 3339 as `22/11/2026 14:05` (Paris time is not assumed: UTC shown as is).
pub fn short_date(rfc3339: &str, locale: Locale) -> String {
    let date = rfc3339.get(..10).unwrap_or(rfc3339);
    let time = rfc3339.get(11..16).unwrap_or("");
    let mut parts = date.split('-');
    let (y, m, d) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    match locale {
        Locale::Fr => format!("{d}/{m}/{y} {time} UTC"),
        Locale::En => format!("{y}-{m}-{d} {time} UTC"),
    }
}
