//! A customer's personal data: where it lives, the export, the erasure.
//!
//! [`TABLES`] names every table of the schema and what it holds. A table with personal data
//! says how a customer's rows are reached; the export takes every column of those rows but the
//! secrets listed (password hash, token hashes, session ids), so a column added later is
//! exported without anyone remembering to. A test lists the database's tables and fails for any
//! table missing here.
//!
//! **The erasure rule.** When an account is erased, its personal data is deleted or
//! anonymised everywhere except in the invoice archive: invoices and credit notes are kept as
//! issued for ten years, buyer's name and address included, because French tax law requires an
//! invoice to name its buyer (CGI, art. 242 nonies A) and forbids altering it. Orders are kept
//! for accounting, anonymised (the amounts, lines, destination country and dates remain). The
//! one other row that names the customer is the confirmation of the erasure itself, kept in the
//! outbox until it is sent and then emptied by the mailer.

use crate::db::entities::{
    account_token, address, auth_throttle, email_outbox, newsletter_subscription, order,
    saved_cart, session, subscription, user,
};
use crate::db::sql::Sql;
use crate::orders::model::OrderStatus;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, FromQueryResult,
    JsonValue, QueryFilter,
};
use serde_json::{Map, json};

mod erase;
mod export;
pub use erase::*;
pub use export::*;

/// The export format's name and version.
pub const EXPORT_FORMAT: &str = "comptoir-personal-data/1";
/// The email kind of the erasure confirmation (emptied once sent).
pub const ERASED_EMAIL_KIND: &str = "account_deleted";

/// How a customer's rows of a table are found.
#[derive(Clone, Copy, Debug)]
pub enum Reach {
    /// `column` holds the account's id.
    Account(&'static str),
    /// The customer's orders: theirs, and guest orders under their verified address.
    OwnOrders,
    /// `column` holds one of the customer's orders.
    Orders(&'static str),
    /// `column` holds the customer's email address.
    Email(&'static str),
    /// Sign-in counters keyed by the customer's address.
    ThrottleKeys,
    /// The consent log, anonymous: only the rows of this browser's visitor id.
    Visitor(&'static str),
}

/// What a table holds.
#[derive(Clone, Copy, Debug)]
pub enum Holds {
    /// Personal data, exported under `export_as` without the `withheld` secrets.
    Personal {
        export_as: &'static str,
        reach: Reach,
        withheld: &'static [&'static str],
    },
    /// Nothing about a person, and why.
    Nothing(&'static str),
}

/// Every table of the schema.
pub const TABLES: &[(&str, Holds)] = &[
    (
        "users",
        Holds::Personal {
            export_as: "profile",
            reach: Reach::Account("id"),
            withheld: &["password_hash"],
        },
    ),
    (
        "addresses",
        Holds::Personal {
            export_as: "addresses",
            reach: Reach::Account("user_id"),
            withheld: &[],
        },
    ),
    (
        "saved_carts",
        Holds::Personal {
            export_as: "saved_cart",
            reach: Reach::Account("user_id"),
            withheld: &[],
        },
    ),
    (
        "sessions",
        Holds::Personal {
            export_as: "sessions",
            reach: Reach::Account("user_id"),
            // The id signs a browser in; the data holds the same drafts the pages show.
            withheld: &["id", "data"],
        },
    ),
    (
        "account_tokens",
        Holds::Personal {
            export_as: "email_links",
            reach: Reach::Account("user_id"),
            withheld: &["token_hash"],
        },
    ),
    (
        "auth_throttle",
        Holds::Personal {
            export_as: "sign_in_attempts",
            reach: Reach::ThrottleKeys,
            withheld: &[],
        },
    ),
    (
        "subscriptions",
        Holds::Personal {
            export_as: "subscriptions",
            reach: Reach::Account("user_id"),
            withheld: &["mandate"],
        },
    ),
    (
        "orders",
        Holds::Personal {
            export_as: "orders",
            reach: Reach::OwnOrders,
            // The secret of the order's link and the browser's retry key.
            withheld: &["access_key", "idempotency_key"],
        },
    ),
    (
        "order_lines",
        Holds::Personal {
            export_as: "order_lines",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "order_events",
        Holds::Personal {
            export_as: "order_history",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "payments",
        Holds::Personal {
            export_as: "payments",
            reach: Reach::Orders("order_id"),
            withheld: &["checkout_url"],
        },
    ),
    (
        "refunds",
        Holds::Personal {
            export_as: "refunds",
            reach: Reach::Orders("order_id"),
            withheld: &["idempotency_key"],
        },
    ),
    (
        "invoices",
        Holds::Personal {
            export_as: "invoices",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "credit_notes",
        Holds::Personal {
            export_as: "credit_notes",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "withdrawal_requests",
        Holds::Personal {
            export_as: "withdrawals",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "unavailable_lines",
        Holds::Personal {
            export_as: "unavailable_items",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "email_outbox",
        Holds::Personal {
            export_as: "emails",
            reach: Reach::Email("to_address"),
            withheld: &[],
        },
    ),
    (
        "newsletter_subscriptions",
        Holds::Personal {
            export_as: "newsletter",
            reach: Reach::Email("email"),
            withheld: &["confirm_token_hash", "unsubscribe_key"],
        },
    ),
    (
        "privacy_requests",
        Holds::Personal {
            export_as: "privacy_requests",
            reach: Reach::Email("email"),
            withheld: &["token_hash"],
        },
    ),
    (
        "consent_records",
        Holds::Personal {
            export_as: "cookie_consents",
            reach: Reach::Visitor("visitor"),
            withheld: &[],
        },
    ),
    (
        "audience_daily",
        Holds::Nothing("page views counted per path and day, no visitor id"),
    ),
    (
        "legal_documents",
        Holds::Nothing("the shop's legal texts (the author is a staff account)"),
    ),
    (
        "articles",
        Holds::Nothing("research articles; the byline is one the editor chose to publish"),
    ),
    ("article_tags", Holds::Nothing("research articles")),
    ("article_products", Holds::Nothing("research articles")),
    (
        "article_revisions",
        Holds::Nothing("the editorial log (editor and staff accounts, never customers)"),
    ),
    (
        "audit_log",
        Holds::Nothing(
            "the back-office log: staff accounts acting on order numbers and record ids, never a customer's details",
        ),
    ),
    (
        "promo_codes",
        Holds::Nothing("the shop's promo codes and their use counts"),
    ),
    (
        "promo_redemptions",
        Holds::Personal {
            export_as: "promo_codes_used",
            reach: Reach::Orders("order_id"),
            withheld: &[],
        },
    ),
    (
        "referrals",
        Holds::Personal {
            export_as: "referrals",
            reach: Reach::Account("sponsor_id"),
            // The referred friend's address is theirs, not the sponsor's.
            withheld: &["referee_email"],
        },
    ),
    (
        "referrals",
        Holds::Personal {
            export_as: "referred_by",
            reach: Reach::Email("referee_email"),
            // The sponsor's side: who they are and what they earned.
            withheld: &["sponsor_id", "credit_cents", "credit_order_id"],
        },
    ),
    (
        "loyalty_entries",
        Holds::Personal {
            export_as: "loyalty_points",
            reach: Reach::Account("user_id"),
            withheld: &[],
        },
    ),
    (
        "store_credits",
        Holds::Personal {
            export_as: "store_credit",
            reach: Reach::Account("user_id"),
            withheld: &[],
        },
    ),
    (
        "content_versions",
        Holds::Nothing("a counter of changes to the shop's public pages"),
    ),
    (
        "shop_settings",
        Holds::Nothing(
            "the shop's own settings: the seller's identity and bank details, the reward rates",
        ),
    ),
    (
        "stock_movements",
        Holds::Nothing("stock adjustments by staff accounts"),
    ),
    ("categories", Holds::Nothing("the catalogue")),
    ("products", Holds::Nothing("the catalogue")),
    ("product_images", Holds::Nothing("the catalogue")),
    (
        "price_history",
        Holds::Nothing("the catalogue's prices over time (reference prices of reductions)"),
    ),
    (
        "sales",
        Holds::Nothing("the shop's price reductions (who scheduled one is in the audit log)"),
    ),
    ("shipping_zones", Holds::Nothing("shipping rates")),
    ("shipping_rates", Holds::Nothing("shipping rates")),
    ("payment_methods", Holds::Nothing("payment settings")),
    (
        "demo_payments",
        Holds::Nothing("the demo provider's side: amounts and order numbers, no identity"),
    ),
    (
        "demo_refunds",
        Holds::Nothing("the demo provider's side: amounts, no identity"),
    ),
    (
        "counters",
        Holds::Nothing("the last invoice and credit-note numbers"),
    ),
    (
        "reviews",
        Holds::Personal {
            export_as: "reviews",
            reach: Reach::Account("user_id"),
            withheld: &[],
        },
    ),
    (
        "wishlist_items",
        Holds::Personal {
            export_as: "wishlist",
            reach: Reach::Account("user_id"),
            withheld: &[],
        },
    ),
    (
        "stock_alerts",
        Holds::Personal {
            export_as: "stock_alerts",
            reach: Reach::Email("email"),
            withheld: &["confirm_token_hash"],
        },
    ),
    (
        "notice_recipients",
        Holds::Personal {
            export_as: "service_notices",
            reach: Reach::Email("email"),
            withheld: &[],
        },
    ),
    (
        "service_notices",
        Holds::Nothing("the text of a notice staff sent to every customer"),
    ),
    (
        "processor_erasures",
        Holds::Nothing(
            "deletions asked of Stripe for erased customers: its ids (cus_/cs_), no name or address; kept as the proof they were asked and confirmed",
        ),
    ),
    ("seaql_migrations", Holds::Nothing("schema versions")),
];

/// Whether `table` is an internal table of an engine or one engine's search index, derived
/// from `products` (SQLite's own, its FTS5 index, PostgreSQL's `product_search`): no person's
/// data, and not on both engines.
pub fn is_engine_table(table: &str) -> bool {
    table.starts_with("sqlite_") || table.starts_with("products_fts") || table == "product_search"
}
