//! `/admin/orders` (filters in the query: status, dates, payment method, destination, number or
//! email) and `/admin/orders/{number}`: the order with its whole history (who moved it, why),
//! the moves its status allows, its refunds and its audit log.

use super::audit::{AuditEntry, AuditTable};
use crate::cart::components::phrases;
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::orders::model::{OrderStatus, OrderView};
use crate::orders::pages::status_label;
use crate::orders::rules::{Carrier, StaffMove};
use crate::pricing::{Destination, PaymentMethod, Region};
use crate::ui::Loading;
use crate::ui::format::{money, paris_time};
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod slips;
pub use api::*;
pub use pages::*;

/// Orders per page of the list.
pub const ORDERS_PAGE: u64 = 50;

/// The list's filters, as the query string carries them (empty: any).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderFilter {
    /// A status code (`paid`), or `action` for the orders waiting for staff.
    pub status: String,
    /// `YYYY-MM-DD`, Paris days, both included.
    pub from: String,
    pub to: String,
    /// A payment method code.
    pub method: String,
    /// `metropolitan`, `overseas`, `eu`, `world`, or one destination code.
    pub destination: String,
    /// An order number or (part of) an email address.
    pub q: String,
    pub page: u64,
}

impl OrderFilter {
    /// The query string of this filter on page `page`.
    pub fn query(&self, page: u64) -> String {
        let encode = crate::ui::format::query_value;
        let mut parts = Vec::new();
        for (name, value) in [
            ("status", &self.status),
            ("from", &self.from),
            ("to", &self.to),
            ("method", &self.method),
            ("destination", &self.destination),
            ("q", &self.q),
        ] {
            if !value.is_empty() {
                parts.push(format!("{name}={}", encode(value)));
            }
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            "/admin/orders".to_owned()
        } else {
            format!("/admin/orders?{}", parts.join("&"))
        }
    }
}

/// The statuses waiting for staff: a payment to check, a parcel to prepare or ship, goods
/// withdrawn to refund once back.
pub const AWAITING_STAFF: [OrderStatus; 4] = [
    OrderStatus::OnHold,
    OrderStatus::Paid,
    OrderStatus::Preparing,
    OrderStatus::Withdrawn,
];

/// A row of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrderRow {
    pub number: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub name: String,
    pub email: String,
    pub destination: String,
    pub method: PaymentMethod,
    pub status: OrderStatus,
    pub total: Decimal,
}

/// A page of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrderList {
    pub rows: Vec<AdminOrderRow>,
    pub filter: OrderFilter,
    pub has_more: bool,
}

/// A move of the order, as staff read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminEvent {
    pub at: chrono::DateTime<chrono::Utc>,
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    /// `system`, the shopper, or a staff member's email.
    pub actor: String,
    pub note: Option<String>,
}

/// The order as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOrderView {
    pub order: OrderView,
    /// The customer's account: id and name.
    pub customer: Option<(i32, String)>,
    pub events: Vec<AdminEvent>,
    pub moves: Vec<StaffMove>,
    /// The key of this page's forms: a repeated submission is one move, one refund.
    pub move_key: String,
    pub audit: Vec<AuditEntry>,
}
