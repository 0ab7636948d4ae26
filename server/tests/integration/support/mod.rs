//! A real server on port 0 over a real database: a temporary SQLite file, or a fresh
//! PostgreSQL database created on the server named by `TEST_POSTGRES_URL`.

pub mod catalogue;
pub mod forms;
pub mod laposte;
pub mod memory;
pub mod mollie;
pub mod shop;
pub mod smtp;
pub mod stripe;

use sea_orm::{ConnectionTrait, DatabaseConnection};
use server::settings::Settings;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use tokio::sync::oneshot;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    /// The database's URL (for a connection of a test's own).
    pub database_url: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    /// Statements the server has run so far (reset it with `store(0)` before measuring).
    pub queries: Arc<AtomicUsize>,
    /// The server's clock: the system's, moved by what a test adds.
    pub clock: Arc<app::clock::OffsetClock>,
    _dir: Option<tempfile::TempDir>,
    /// Uploaded images (deleted with the app).
    pub media: tempfile::TempDir,
    /// Dropped (or sent) when the test ends: the server stops as on SIGTERM.
    stop: Option<oneshot::Sender<()>>,
}

impl TestApp {
    /// Asks the server to stop, as SIGTERM does; the test keeps its database and client.
    pub fn request_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.get_with(path, &[]).await
    }

    /// GETs `path` with extra request headers, failing the test if no answer comes in 15 s.
    pub async fn get_with(
        &self,
        path: &str,
        headers: &[(reqwest::header::HeaderName, &str)],
    ) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        within(&format!("GET {path}"), request.send())
            .await
            .expect("request failed")
    }
}

/// Awaits `future`, failing the test with the name of the phase if it takes over 15 s, so a hang
/// says where it happened instead of stalling the run.
pub async fn within<T>(phase: &str, future: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(std::time::Duration::from_secs(15), future).await {
        Ok(value) => value,
        Err(_) => panic!("{phase} did not finish within 15 s"),
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

async fn database_url(backend: Backend) -> (String, Option<tempfile::TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/test.db", dir.path().display());
            (url, Some(dir))
        }
        Backend::Postgres => {
            let admin_url = std::env::var("TEST_POSTGRES_URL")
                .expect("TEST_POSTGRES_URL must name a PostgreSQL server for the postgres tests");
            // Process ids come back across runs on the same server: the clock keeps names apart.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() % 1_000_000_000_000)
                .unwrap_or_default();
            let name = format!(
                "comptoir_test_{}_{nanos}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            let admin = sea_orm::Database::connect(&admin_url)
                .await
                .expect("connect to TEST_POSTGRES_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("TEST_POSTGRES_URL ends with /database");
            (format!("{base}/{name}"), None)
        }
    }
}

/// Starts the whole application with the demo data on a fresh database.
pub async fn spawn(backend: Backend) -> TestApp {
    spawn_with(backend, |_| {}).await
}

/// Like [`spawn`], after letting the test adjust the settings.
pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let (url, dir) = database_url(backend).await;
    start(url, dir, adjust).await
}

/// A second server instance on `app`'s database (its own pool, caches and clock), as a
/// deployment runs several; `app` keeps the database.
pub async fn another_instance(app: &TestApp, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    start(app.database_url.clone(), None, adjust).await
}

async fn start(
    url: String,
    dir: Option<tempfile::TempDir>,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut settings = Settings::with_database(url.clone());
    settings.app.db_max_connections = 4;
    // Links in emails and the payment provider's webhook point to this very server.
    settings.app.public_url = format!("http://{addr}");
    let media = tempfile::tempdir().expect("media dir");
    settings.app.media_dir = media.path().to_string_lossy().into_owned();
    // The tests pay through the offline demo provider unless they configure a real one.
    settings.app.demo_payments = true;
    // The test client stands for a proxy: a request naming its client in `X-Forwarded-For` is
    // counted as that client's (the shop's limits are per client); one without is the
    // proxy's own, 127.0.0.1, as before.
    settings.app.trusted_proxies = "127.0.0.1".into();
    // Tests change the database behind the server's back and read the page at once: the
    // content version is read on every request (pages are still kept while it stands still).
    settings.app.content_check_ms = 0;
    adjust(&mut settings);
    let db = within(
        "connect and migrate",
        server::connect_and_migrate(&settings),
    )
    .await
    .expect("migrate");
    within("seed", server::seed::seed_demo(&db))
        .await
        .expect("seed");
    let queries = Arc::new(AtomicUsize::new(0));
    let mut db = db;
    {
        let queries = queries.clone();
        db.set_metric_callback(move |_| {
            queries.fetch_add(1, Ordering::SeqCst);
        });
    }
    let clock = Arc::new(app::clock::OffsetClock::default());
    let mut state = server::app_state(&settings, db.clone());
    state.clock = clock.clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let serve_settings = settings;
    tokio::spawn(async move {
        server::serve(listener, state, &serve_settings, async {
            let _ = stopped.await;
        })
        .await
        .expect("serve");
    });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        base: format!("http://{addr}"),
        database_url: url,
        client,
        db,
        queries,
        clock,
        _dir: dir,
        media,
        stop: Some(stop),
    }
}

/// Declares one test per backend for an `async fn(Backend)`; the PostgreSQL one runs when
/// `TEST_POSTGRES_URL` is set (scripts/test.sh starts a server and runs the ignored tests).
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Sqlite).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[ignore = "needs TEST_POSTGRES_URL; scripts/test.sh runs it"]
                async fn $name() {
                    super::$name($crate::support::Backend::Postgres).await;
                }
            )+
        }
    };
}
