//! The process edge of Comptoir: settings, the HTTP router and its middleware, the CLI commands.

pub mod http;
pub mod invoice_pdf;
pub mod mailer;
pub mod orders;
pub mod privacy;
pub mod seed;
pub mod settings;
pub mod telemetry;

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
    let demo = app::payments::demo::DemoProvider::new(db.clone(), &settings.app.public_url);
    AppState {
        db,
        leptos_options: settings.leptos.clone(),
        site: Arc::new(SiteSettings {
            public_url: settings.app.public_url.trim_end_matches('/').to_owned(),
            secure_cookies: settings.app.secure_cookies,
            session_absolute: chrono::Duration::hours(
                i64::try_from(settings.app.session_absolute_hours).unwrap_or(24),
            ),
            media_dir: std::path::PathBuf::from(&settings.app.media_dir),
        }),
        search_cache: SearchCache::new(Duration::from_secs(settings.app.search_cache_seconds)),
        payments: {
            let stripe = stripe_client(settings);
            app::payments::Providers {
                one_off: payment_provider(settings, &demo),
                recurring: match &stripe {
                    Some(client) => Arc::new(app::payments::stripe::StripeProvider {
                        client: client.clone(),
                    }),
                    None => Arc::new(demo.clone()),
                },
                stripe,
            }
        },
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
        },
        clock: Arc::new(app::clock::SystemClock),
    }
}

/// The client of Stripe, the recurring provider (subscriptions), when its key is set (else the
/// demo provider takes subscriptions).
fn stripe_client(settings: &Settings) -> Option<app::payments::stripe::StripeClient> {
    let key = settings.app.stripe_secret_key.expose();
    (!key.is_empty()).then(|| {
        app::payments::stripe::StripeClient::new(
            &settings.app.stripe_base_url,
            key,
            settings.app.stripe_webhook_secret.expose(),
            Duration::from_secs(settings.app.payment_timeout_seconds),
        )
    })
}

/// The one-off payment provider: Mollie when its key is set, else the offline demo provider.
fn payment_provider(
    settings: &Settings,
    demo: &app::payments::demo::DemoProvider,
) -> Arc<dyn app::payments::PaymentProvider> {
    let key = settings.app.mollie_api_key.expose();
    if key.is_empty() {
        Arc::new(demo.clone())
    } else {
        Arc::new(app::payments::mollie::MollieProvider::new(
            &settings.app.mollie_base_url,
            key,
            Duration::from_secs(settings.app.payment_timeout_seconds),
        ))
    }
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
    let router = http::router(state, settings, sessions);
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
    tokio::spawn(mailer::run(state.db.clone(), transport, from));
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
