//! Typed settings, read once at start-up: defaults, then the environment.
//!
//! - `DATABASE_URL`: `sqlite://…` (default `sqlite://data/comptoir.db`) or `postgres://…`.
//! - `APP__PUBLIC_URL`, `APP__SECURE_COOKIES`, `APP__MAX_BODY_BYTES`, `APP__DB_MAX_CONNECTIONS`,
//!   `APP__LOG_FORMAT` (`pretty` or `json`), `APP__SMTP_URL`, `APP__MAIL_FROM`, and the others
//!   of [`AppSettings`].
//! - Leptos' own `LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT`, … keep their meaning.
//!
//! A bad value stops the process with one line that names the setting.

use anyhow::{Context, Result, bail};
use leptos::config::LeptosOptions;
use serde::Deserialize;

mod load;
pub use load::*;

/// The default database: a SQLite file under `data/`, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/comptoir.db";

/// Everything the process needs to run.
#[derive(Clone, Debug)]
pub struct Settings {
    pub database_url: String,
    pub app: AppSettings,
    pub leptos: LeptosOptions,
}

/// The `APP__…` settings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSettings {
    /// The public origin of the store (links in emails and feeds).
    pub public_url: String,
    /// Whether cookies carry `Secure` and responses HSTS even though the public URL is not
    /// `https://` (both are always on when it is): see [`AppSettings::secure`].
    pub secure_cookies: bool,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The size of the database connection pool.
    pub db_max_connections: u32,
    /// `pretty` (default) or `json` log lines.
    pub log_format: String,
    /// How long a ranked catalogue search is reused, in seconds (0: never).
    pub search_cache_seconds: u64,
    /// The storefront's pages reuse what they read while the shop's content version stands
    /// still; each instance asks the database for that version at most once per this many
    /// milliseconds (0: on every request), so another instance's edit shows within it.
    pub content_check_ms: u64,
    /// Seconds between SIGTERM and closing the listener, with `/healthz` answering 503
    /// meanwhile so a load balancer stops sending requests first (0: close at once).
    pub shutdown_drain_seconds: u64,
    /// How many storefront pages' data (products, listings, home) each instance keeps
    /// (0: none, every page reads the database).
    pub page_cache_entries: u64,
    /// A signed-in session ends after this many minutes without a request (idle timeout).
    pub session_idle_minutes: u64,
    /// A signed-in session ends this many hours after sign-in, active or not (absolute timeout).
    pub session_absolute_hours: u64,
    /// The SMTP relay that sends the outbox (`smtps://user:pass@host`, or
    /// `smtp://host:port?tls=required`); empty: emails stay readable in the outbox only.
    pub smtp_url: String,
    /// The `From` of every email.
    pub mail_from: String,
    /// An online payment not completed within this many minutes cancels its order.
    pub payment_minutes: u32,
    /// A bank transfer or cheque not received within this many days cancels its order.
    pub offline_payment_days: u32,
    /// Mollie's API key (`test_…` or `live_…`); empty: the offline demo provider takes payments.
    pub mollie_api_key: Secret,
    /// Mollie's API (a local fake in tests).
    pub mollie_base_url: String,
    /// A payment provider's call is given up after this many seconds (the order stays pending).
    pub payment_timeout_seconds: u64,
    /// Stripe's secret key (`sk_test_…`, `sk_live_…` or a restricted `rk_…`); empty: the
    /// offline demo provider takes subscriptions.
    pub stripe_secret_key: Secret,
    /// The signing secret of the Stripe webhook endpoint `/webhooks/stripe` (`whsec_…`).
    pub stripe_webhook_secret: Secret,
    /// Stripe's API (a local fake in tests).
    pub stripe_base_url: String,
    /// La Poste's tracking key (Suivi v2, `X-Okapi-Key`); empty: shipped Colissimo and
    /// Chronopost parcels are not followed, staff mark deliveries by hand.
    pub laposte_api_key: Secret,
    /// La Poste's tracking API (a local fake in tests).
    pub laposte_base_url: String,
    /// The subscription reminder goes out this many days before each delivery.
    pub subscription_reminder_days: u32,
    /// Days between the inactivity warning (three years without a sign-in) and the deletion.
    pub inactivity_grace_days: u32,
    /// Months after an address's last order before its guest orders are anonymised (the
    /// privacy page says the same, from the retention table).
    pub guest_retention_months: u32,
    /// Where uploaded images (article covers) are kept and served from under `/media/`. With
    /// several instances, a directory they all share (a mounted volume).
    pub media_dir: String,
    /// Whether the offline demo provider takes payments (its hosted page marks a payment paid
    /// without any money moving): for the demo store and tests only, never in production.
    pub demo_payments: bool,
    /// The proxies in front of the server (load balancer, CDN), as IP addresses or networks
    /// separated by commas (`10.0.0.0/8, 192.0.2.10`). A request from one of them is counted
    /// against the client named in its `X-Forwarded-For`; a request from anywhere else is
    /// counted against its own address, whatever headers it sends. Empty: no proxy.
    pub trusted_proxies: String,
}

impl AppSettings {
    /// Whether cookies carry `Secure` and responses `Strict-Transport-Security`: always behind
    /// an `https://` public URL (a store reached over HTTPS must never send its session over
    /// plain HTTP), or when `APP__SECURE_COOKIES` asks for it.
    pub fn secure(&self) -> bool {
        self.secure_cookies || self.public_url.starts_with("https://")
    }

    /// The networks of `APP__TRUSTED_PROXIES` (a lone address is a network of one).
    ///
    /// # Errors
    /// The first entry that is neither an IP address nor a network.
    pub fn trusted_proxies(&self) -> Result<Vec<ipnet::IpNet>> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<ipnet::IpNet>()
                    .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        anyhow::anyhow!(
                            "APP__TRUSTED_PROXIES must list IP addresses or networks such as 10.0.0.0/8 (got {entry})"
                        )
                    })
            })
            .collect()
    }
}

/// A secret setting: readable by the code, `[redacted]` in every `Debug` output.
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "\"\""
        } else {
            "[redacted]"
        })
    }
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            public_url: "http://127.0.0.1:3000".into(),
            secure_cookies: false,
            max_body_bytes: 2 * 1024 * 1024,
            db_max_connections: 16,
            log_format: "pretty".into(),
            search_cache_seconds: 60,
            content_check_ms: 1_000,
            shutdown_drain_seconds: 0,
            page_cache_entries: 2_000,
            // Two days idle, thirty days at most: a shopper stays signed in between visits
            // of the same week, and re-enters the password at least once a month.
            session_idle_minutes: 2 * 24 * 60,
            session_absolute_hours: 30 * 24,
            smtp_url: String::new(),
            mail_from: "Comptoir Botanique <boutique@comptoir-botanique.example>".into(),
            payment_minutes: app::orders::rules::DEFAULT_PAYMENT_MINUTES,
            offline_payment_days: app::orders::rules::DEFAULT_OFFLINE_PAYMENT_DAYS,
            mollie_api_key: Secret::default(),
            mollie_base_url: app::payments::mollie::DEFAULT_BASE_URL.into(),
            payment_timeout_seconds: 10,
            stripe_secret_key: Secret::default(),
            stripe_webhook_secret: Secret::default(),
            stripe_base_url: app::payments::stripe::DEFAULT_BASE_URL.into(),
            laposte_api_key: Secret::default(),
            laposte_base_url: app::orders::tracking::DEFAULT_BASE_URL.into(),
            subscription_reminder_days: app::subscriptions::rules::DEFAULT_REMINDER_DAYS,
            inactivity_grace_days: app::privacy::service::erasure::DEFAULT_GRACE_DAYS,
            guest_retention_months: app::privacy::service::retention::DEFAULT_GUEST_MONTHS,
            media_dir: "data/media".into(),
            demo_payments: false,
            trusted_proxies: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_appear_in_redacted_urls() {
        assert_eq!(
            redact_url("postgres://shop:s3cret@db:5432/shop"),
            "postgres://shop:***@db:5432/shop"
        );
        assert_eq!(
            redact_url("postgres://shop@db/shop"),
            "postgres://shop@db/shop"
        );
        assert_eq!(
            redact_url("sqlite://data/comptoir.db"),
            "sqlite://data/comptoir.db"
        );
        assert_eq!(
            redact_url("postgres://a:b:c@h/d?x=@"),
            "postgres://a:***@h/d?x=@"
        );
    }
}
