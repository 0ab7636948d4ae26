//! The process edge of Comptoir: settings, the HTTP router and its middleware, the CLI commands.

pub mod cart;
pub mod http;
pub mod invoice_pdf;
pub mod mailer;
pub mod orders;
pub mod privacy;
pub mod sales;
pub mod seed;
pub mod settings;
pub mod telemetry;
pub mod wishlist;

use anyhow::{Context, Result};
use app::catalog::service::SearchCache;
use app::state::{AppState, SiteSettings};
use sea_orm::DatabaseConnection;
use settings::Settings;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// Connects to the configured database and applies pending migrations.
///
/// # Errors
/// One message naming the database (password hidden) and the cause.
pub async fn connect_and_migrate(settings: &Settings) -> Result<DatabaseConnection> {
    if let Some(path) = sqlite_file(&settings.database_url)
        && let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the database folder {}", dir.display()))?;
    }
    let db = app::db::connect(&settings.database_url, settings.app.db_max_connections)
        .await
        .with_context(|| {
            format!(
                "cannot open the database {}",
                settings.database_url_redacted()
            )
        })?;
    app::db::migrate(&db)
        .await
        .context("database migration failed")?;
    Ok(db)
}

/// The path of a SQLite database file, if the URL names one.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// The shared application state for these settings and this database.
pub fn app_state(settings: &Settings, db: DatabaseConnection) -> AppState {
    let demo = settings
        .app
        .demo_payments
        .then(|| app::payments::demo::DemoProvider::new(db.clone(), &settings.app.public_url));
    let content = Arc::new(app::cache::ContentVersion::new(
        db.clone(),
        Duration::from_millis(settings.app.content_check_ms),
    ));
    let entries = settings.app.page_cache_entries;
    AppState {
        catalogue_pages: Arc::new(app::catalog::service::CataloguePages::new(
            content.clone(),
            entries,
        )),
        latest_articles: Arc::new(app::cache::PageCache::new(entries.min(1))),
        content,
        db,
        leptos_options: settings.leptos.clone(),
        site: Arc::new(SiteSettings {
            public_url: settings.app.public_url.trim_end_matches('/').to_owned(),
            secure_cookies: settings.app.secure(),
            session_absolute: chrono::Duration::hours(
                i64::try_from(settings.app.session_absolute_hours).unwrap_or(24),
            ),
            media_dir: std::path::PathBuf::from(&settings.app.media_dir),
        }),
        search_cache: SearchCache::new(Duration::from_secs(settings.app.search_cache_seconds)),
        sitemaps: app::catalog::service::SitemapCache::new(Duration::from_secs(
            http::SITEMAP_SECONDS,
        )),
        payments: providers(settings, demo.as_ref()),
        // A paid order starts its subscriptions (orders never import the later domains).
        order_hooks: Arc::new(app::subscriptions::service::StartSubscriptions),
        demo,
        orders: app::state::OrderSettings {
            payment_minutes: settings.app.payment_minutes,
            offline_payment_days: settings.app.offline_payment_days,
        },
        subscriptions: app::state::SubscriptionSettings {
            reminder_days: settings.app.subscription_reminder_days,
        },
        privacy: app::state::PrivacySettings {
            inactivity_grace_days: settings.app.inactivity_grace_days,
            guest_retention_months: settings.app.guest_retention_months,
        },
        clock: Arc::new(app::clock::SystemClock),
        tracking: (!settings.app.laposte_api_key.expose().is_empty()).then(|| {
            Arc::new(app::orders::tracking::LaPosteTracking::new(
                &settings.app.laposte_base_url,
                settings.app.laposte_api_key.expose(),
                Duration::from_secs(settings.app.payment_timeout_seconds),
            ))
        }),
    }
}

/// The providers these settings configure: Mollie for one-off payments when its key is set,
/// Stripe for subscriptions when its key is set, and the offline demo provider only where
/// `APP__DEMO_PAYMENTS` enabled it and no key took its place. No provider is ever chosen by
/// default: a missing key leaves its role empty, and [`check_payments`] refuses such a start.
fn providers(
    settings: &Settings,
    demo: Option<&app::payments::demo::DemoProvider>,
) -> app::payments::Providers {
    use app::payments::PaymentProvider;
    let timeout = Duration::from_secs(settings.app.payment_timeout_seconds);
    let demo = || demo.map(|d| Arc::new(d.clone()) as Arc<dyn PaymentProvider>);
    let mollie_key = settings.app.mollie_api_key.expose();
    let one_off = if mollie_key.is_empty() {
        demo()
    } else {
        Some(Arc::new(app::payments::mollie::MollieProvider::new(
            &settings.app.mollie_base_url,
            mollie_key,
            timeout,
        )) as Arc<dyn PaymentProvider>)
    };
    let stripe_key = settings.app.stripe_secret_key.expose();
    let stripe = (!stripe_key.is_empty()).then(|| {
        app::payments::stripe::StripeClient::new(
            &settings.app.stripe_base_url,
            stripe_key,
            settings.app.stripe_webhook_secret.expose(),
            timeout,
        )
    });
    let recurring = match &stripe {
        Some(client) => Some(Arc::new(app::payments::stripe::StripeProvider {
            client: client.clone(),
        }) as Arc<dyn PaymentProvider>),
        None => demo(),
    };
    app::payments::Providers {
        one_off,
        recurring,
        stripe,
    }
}

/// Refuses to serve a store that could not take its payments, or would take them through the
/// demo provider by accident: without a one-off provider, or with products on sale by
/// subscription and no recurring provider. Also warns when the public URL is not where the
/// server listens (links in emails and the providers' return pages go to the public URL).
///
/// # Errors
/// One line naming the setting to give.
pub async fn check_payments(state: &AppState, settings: &Settings) -> Result<()> {
    use app::db::entities::product;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    if state.payments.one_off.is_none() {
        anyhow::bail!(
            "no payment provider: set APP__MOLLIE_API_KEY (and APP__STRIPE_SECRET_KEY for \
             subscriptions), or APP__DEMO_PAYMENTS=true for the offline demo provider, which \
             marks payments paid without any money moving"
        );
    }
    if state.payments.recurring.is_none() {
        let subscribable = product::Entity::find()
            .filter(product::Column::Status.eq("active"))
            .filter(product::Column::SubscriptionMonths.ne(""))
            .count(&state.db)
            .await
            .context("cannot count the products sold by subscription")?;
        if subscribable > 0 {
            anyhow::bail!(
                "{subscribable} products on sale can be subscribed to, but no recurring payment \
                 provider is configured: set APP__STRIPE_SECRET_KEY and APP__STRIPE_WEBHOOK_SECRET"
            );
        }
    }
    if state.demo.is_some() {
        tracing::warn!(
            "APP__DEMO_PAYMENTS is on: the offline demo provider marks payments paid without any \
             money moving (demo and tests only)"
        );
    }
    let listening = format!("http://{}", settings.leptos.site_addr);
    if !state.site.public_url.eq_ignore_ascii_case(&listening) {
        tracing::info!(
            public_url = %state.site.public_url,
            %listening,
            "APP__PUBLIC_URL is not the address this server listens on: links in emails and the \
             payment providers' return pages and notifications go to the public URL, so it must \
             reach this server (through a proxy)"
        );
    }
    Ok(())
}

/// Serves the store on `listener` until `shutdown` resolves, then drains open requests.
///
/// # Errors
/// I/O errors of the listener.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    settings: &Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    app::account::service::passwords::warm_up();
    let sessions = app::account::service::store::DbSessionStore::new(state.db.clone());
    tokio::spawn(delete_expired_sessions(sessions.clone()));
    start_mailer(&state, settings);
    tokio::spawn(orders::expire_unpaid_orders(state.clone()));
    tokio::spawn(privacy::housekeeping(state.clone()));
    tokio::spawn(privacy::processors(state.clone()));
    tokio::spawn(cart::reminders(state.clone()));
    tokio::spawn(wishlist::stock_alerts(state.clone()));
    tokio::spawn(sales::sales(state.clone()));
    if state.tracking.is_some() {
        tokio::spawn(orders::follow_parcels(state.clone()));
    }
    let router = http::router(state, settings, sessions);
    // Asked to stop: first fail the health check while still serving, so a load balancer
    // takes this instance out before its listener closes (a connection still waiting in the
    // listener's queue then would be reset); then drain the open requests.
    let drain = std::time::Duration::from_secs(settings.app.shutdown_drain_seconds);
    let shutdown = async move {
        shutdown.await;
        http::DRAINING.store(true, std::sync::atomic::Ordering::Relaxed);
        if !drain.is_zero() {
            tracing::info!(
                seconds = drain.as_secs(),
                "health check down, serving until the listener closes"
            );
            tokio::time::sleep(drain).await;
        }
    };
    // Nagle's algorithm stalls streamed responses ~40 ms per keep-alive request.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Starts the outbox sender when an SMTP relay is configured.
fn start_mailer(state: &AppState, settings: &Settings) {
    if settings.app.smtp_url.is_empty() {
        tracing::info!("no APP__SMTP_URL: emails stay in the outbox");
        return;
    }
    let (Ok(transport), Ok(from)) = (
        mailer::transport(&settings.app.smtp_url),
        settings.app.mail_from.parse(),
    ) else {
        // Settings::validate refused both at start-up already.
        tracing::error!("the SMTP settings are unusable; emails stay in the outbox");
        return;
    };
    tokio::spawn(mailer::run(
        state.db.clone(),
        state.clock.clone(),
        transport,
        mailer::Sender {
            from,
            site: state.site.public_url.clone(),
        },
    ));
}

/// Deletes expired sessions every hour from an hour after start (any instance may; the work is
/// idempotent, and an expired session is refused when loaded anyway).
async fn delete_expired_sessions(store: app::account::service::store::DbSessionStore) {
    let hour = Duration::from_secs(3600);
    let mut every_hour = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
    loop {
        every_hour.tick().await;
        match store.delete_expired().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "expired sessions deleted"),
            Err(error) => tracing::warn!(%error, "could not delete expired sessions"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn sqlite_paths_are_found_in_urls() {
        assert_eq!(
            sqlite_file("sqlite://data/comptoir.db?mode=rwc"),
            Some("data/comptoir.db")
        );
        assert_eq!(sqlite_file("sqlite:/tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }
}
