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

/// A date-time from RFC 3339 in Paris time, as the shop keeps it: `22/11/2026 14:05` (French),
/// `2026-11-22 14:05` (English). The same on the server and in the browser (the time zone comes
/// from the tz database, not the machine).
pub fn short_date(rfc3339: &str, locale: Locale) -> String {
    let Ok(at) = chrono::DateTime::parse_from_rfc3339(rfc3339) else {
        return rfc3339.to_owned();
    };
    let paris = at.with_timezone(&chrono_tz::Europe::Paris);
    match locale {
        Locale::Fr => paris.format("%d/%m/%Y %H:%M").to_string(),
        Locale::En => paris.format("%Y-%m-%d %H:%M").to_string(),
    }
}
