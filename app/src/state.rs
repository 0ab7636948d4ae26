//! The state every request handler and server function reads (server only).

use crate::error::AppError;
use axum::extract::FromRef;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Settings the application itself needs (the process settings live in `server`).
#[derive(Clone, Debug)]
pub struct SiteSettings {
    /// The public origin of the store, e.g. `https://shop.example` (links in emails and feeds).
    pub public_url: String,
    /// Whether cookies carry `Secure` (on behind HTTPS, in production).
    pub secure_cookies: bool,
    /// A signed-in session ends this long after sign-in (the idle timeout is the session
    /// cookie's own, set by the server's session layer).
    pub session_absolute: chrono::Duration,
    /// Where uploaded images are kept (served under `/media/`).
    pub media_dir: std::path::PathBuf,
}

/// Database, settings and payment provider, shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    pub site: Arc<SiteSettings>,
    /// Recently ranked catalogue searches (per instance, short-lived).
    pub search_cache: crate::catalog::service::SearchCache,
    /// The sitemap files made lately (per instance, cleared by this instance's edits).
    pub sitemaps: crate::catalog::service::SitemapCache,
    /// The shop's content version, which every page kept in memory is kept under.
    pub content: Arc<crate::cache::ContentVersion>,
    /// The catalogue's pages kept in memory (home, product pages, listings).
    pub catalogue_pages: Arc<crate::catalog::service::CataloguePages>,
    /// The home page's latest articles kept in memory.
    pub latest_articles: Arc<crate::cache::PageCache<(), Vec<crate::articles::model::ArticleCard>>>,
    /// The payment providers: one-off and recurring.
    pub payments: crate::payments::Providers,
    /// The offline demo provider, whose hosted page this server serves, when
    /// `APP__DEMO_PAYMENTS` enabled it (demo store and tests only).
    pub demo: Option<crate::payments::demo::DemoProvider>,
    pub orders: OrderSettings,
    pub subscriptions: SubscriptionSettings,
    pub privacy: PrivacySettings,
    /// Where "now" comes from.
    pub clock: Arc<dyn crate::clock::Clock>,
    /// La Poste's tracking, when its key is set: shipped parcels' deliveries come from it.
    #[cfg(feature = "ssr")]
    pub tracking: Option<Arc<crate::orders::tracking::LaPosteTracking>>,
    /// What later domains do when an order is paid (a subscription starts), wired by the shell.
    pub order_hooks: Arc<dyn crate::orders::service::hooks::OrderHooks>,
}

/// How personal data is looked after.
#[derive(Clone, Copy, Debug)]
pub struct PrivacySettings {
    /// Days between the inactivity warning and the deletion of the account.
    pub inactivity_grace_days: u32,
    /// Months after an address's last order before its guest orders are anonymised.
    pub guest_retention_months: u32,
}

/// How subscriptions are run.
#[derive(Clone, Copy, Debug)]
pub struct SubscriptionSettings {
    /// The reminder goes out this many days before each delivery.
    pub reminder_days: u32,
}

/// How long orders wait for their payment.
#[derive(Clone, Copy, Debug)]
pub struct OrderSettings {
    /// An online payment not completed in this many minutes cancels the order.
    pub payment_minutes: u32,
    /// A bank transfer or cheque not received in this many days cancels the order.
    pub offline_payment_days: u32,
}

impl AppState {
    /// Forgets what this instance keeps of the shop's pages (search rankings, sitemap files)
    /// after an edit of the catalogue or the articles.
    pub fn catalogue_changed(&self) {
        self.search_cache.clear();
        self.sitemaps.clear();
        self.content.changed();
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state of the current request, as provided by the server's routes.
///
/// # Errors
/// [`AppError::Internal`] when called outside a request, logged as a warning: a wiring mistake
/// would fail every request (and every test); what is seen in practice is a handful of these
/// when wrk closes 64 connections at the end of a run while every response it got was a 200,
/// presumably renders whose request was abandoned before a resource resumed.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::warn!("application state missing from the reactive context");
        AppError::Internal
    })
}
