//! What the storefront's public pages read, kept between requests while the shop's content is
//! unchanged (server only).
//!
//! Correctness comes from one counter in the database, `content_versions.storefront`, that
//! triggers move forward on every change to products, their images, categories and articles,
//! whoever makes it (the back office, a checkout taking stock, a job, another instance). Every
//! cached value is kept under the version it was read at, and a request reads the version:
//! - from the database when this instance has not asked for its bound (one small query per
//!   bound, whatever the traffic), so another instance's change shows within that bound;
//! - at once after any change made through this instance ([`ContentVersion::changed`], called
//!   by the server after every request that is not a read), so an editor sees their own edit on
//!   the next page.
//!
//! A value that depends on time as well (a scheduled article) is kept only until the moment it
//! would change.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, FromQueryResult, Statement};
use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The counter's name in `content_versions`.
const STOREFRONT: &str = "storefront";

/// The storefront's content version as this instance last read it.
pub struct ContentVersion {
    db: DatabaseConnection,
    bound: Duration,
    seen: std::sync::Mutex<Seen>,
    /// Moves on every [`ContentVersion::changed`]: a read that began before it is not trusted.
    changes: AtomicU64,
    /// One request at a time reads the counter; the others wait for its answer.
    reading: tokio::sync::Mutex<()>,
}

#[derive(Clone, Copy)]
struct Seen {
    version: i64,
    /// When the read that gave `version` began; `None`: ask the database next time.
    read_at: Option<Instant>,
}

#[derive(FromQueryResult)]
struct Row {
    version: i64,
}

impl ContentVersion {
    /// Reads the counter of `db` at most once per `bound` (zero: on every request).
    pub fn new(db: DatabaseConnection, bound: Duration) -> ContentVersion {
        ContentVersion {
            db,
            bound,
            seen: std::sync::Mutex::new(Seen {
                version: 0,
                read_at: None,
            }),
            changes: AtomicU64::new(0),
            reading: tokio::sync::Mutex::new(()),
        }
    }

    /// Something may have changed through this instance: the next request asks the database.
    pub fn changed(&self) {
        self.changes.fetch_add(1, Ordering::AcqRel);
        self.seen_mut().read_at = None;
    }

    /// The current version: the one read within the bound, or a fresh one.
    ///
    /// # Errors
    /// The database error when the counter cannot be read.
    pub async fn current(&self) -> Result<i64, DbErr> {
        if let Some(version) = self.fresh() {
            return Ok(version);
        }
        let _reading = self.reading.lock().await;
        if let Some(version) = self.fresh() {
            return Ok(version);
        }
        let changes = self.changes.load(Ordering::Acquire);
        let started = Instant::now();
        let version = read(&self.db).await?;
        let mut seen = self.seen_mut();
        seen.version = version;
        // A change made while reading may not be in what was read: ask again next time.
        seen.read_at = (self.changes.load(Ordering::Acquire) == changes && !self.bound.is_zero())
            .then_some(started);
        Ok(version)
    }

    fn fresh(&self) -> Option<i64> {
        let seen = *self.seen_mut();
        seen.read_at
            .filter(|at| at.elapsed() < self.bound)
            .map(|_| seen.version)
    }

    fn seen_mut(&self) -> std::sync::MutexGuard<'_, Seen> {
        // The guarded value is two plain fields, never left half-written.
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The storefront's content version in `db`.
async fn read(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    let row = Row::find_by_statement(Statement::from_sql_and_values(
        backend,
        match backend {
            sea_orm::DbBackend::Postgres => "SELECT version FROM content_versions WHERE name = $1",
            _ => "SELECT version FROM content_versions WHERE name = ?",
        },
        [STOREFRONT.into()],
    ))
    .one(db)
    .await?;
    // A database without the row (never migrated this far) has nothing to keep apart.
    Ok(row.map_or(0, |r| r.version))
}

/// A loaded value and, when it depends on time, the moment it stops being right.
pub struct Timed<V> {
    pub value: V,
    pub until: Option<DateTime<Utc>>,
}

impl<V> From<V> for Timed<V> {
    fn from(value: V) -> Self {
        Timed { value, until: None }
    }
}

/// Values of one kind (a page's data), each kept under its key and the content version it was
/// read at. Old versions are never read again and leave as the capacity needs room.
pub struct PageCache<K, V> {
    entries: Option<Entries<K, V>>,
}

/// Values under their key and content version.
type Entries<K, V> = moka::future::Cache<(K, i64), Arc<Timed<V>>>;

impl<K, V> PageCache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// Keeps at most `capacity` values; zero keeps none (every request loads).
    pub fn new(capacity: u64) -> PageCache<K, V> {
        PageCache {
            entries: (capacity > 0).then(|| {
                moka::future::Cache::builder()
                    .max_capacity(capacity)
                    .build()
            }),
        }
    }

    /// The value under `key` for the current content version (see [`ContentVersion`]) at
    /// `now`, loaded by `load` when missing or past its time. Concurrent requests for the same
    /// missing value wait for one load; a failed load is not kept. Without capacity, `load`
    /// runs every time and the version is not read.
    ///
    /// # Errors
    /// The load's error, shared with every request that waited for it, or the version's.
    pub async fn get<E>(
        &self,
        content: &ContentVersion,
        key: K,
        now: DateTime<Utc>,
        load: impl Future<Output = Result<Timed<V>, E>>,
    ) -> Result<V, Arc<E>>
    where
        E: From<DbErr> + Send + Sync + 'static,
    {
        let Some(entries) = &self.entries else {
            return load.await.map(|t| t.value).map_err(Arc::new);
        };
        let version = content.current().await.map_err(|e| Arc::new(E::from(e)))?;
        Self::kept(entries, key, version, now, load).await
    }

    /// [`PageCache::get`] at a known `version`.
    async fn kept<E>(
        entries: &Entries<K, V>,
        key: K,
        version: i64,
        now: DateTime<Utc>,
        load: impl Future<Output = Result<Timed<V>, E>>,
    ) -> Result<V, Arc<E>>
    where
        E: Send + Sync + 'static,
    {
        let key = (key, version);
        if let Some(kept) = entries.get(&key).await {
            if kept.until.is_none_or(|until| now < until) {
                return Ok(kept.value.clone());
            }
            entries.invalidate(&key).await;
        }
        let kept = entries
            .try_get_with(key, async move { load.await.map(Arc::new) })
            .await?;
        Ok(kept.value.clone())
    }

    /// [`PageCache::kept`] on this cache's entries (tests).
    #[cfg(test)]
    async fn at_version<E: Send + Sync + 'static>(
        &self,
        key: K,
        version: i64,
        now: DateTime<Utc>,
        load: impl Future<Output = Result<Timed<V>, E>>,
    ) -> Result<V, Arc<E>> {
        let entries = self.entries.as_ref().expect("a cache with capacity");
        Self::kept(entries, key, version, now, load).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_value_is_kept_per_version_and_until_its_time() {
        let cache: PageCache<&str, u32> = PageCache::new(10);
        let now = Utc::now();
        let loads = AtomicU64::new(0);
        let load = |value: u32, until: Option<DateTime<Utc>>| {
            let loads = &loads;
            async move {
                loads.fetch_add(1, Ordering::SeqCst);
                Ok::<_, DbErr>(Timed { value, until })
            }
        };
        assert_eq!(
            cache
                .at_version("home", 1, now, load(1, None))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            cache
                .at_version("home", 1, now, load(2, None))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            loads.load(Ordering::SeqCst),
            1,
            "the second request was served from memory"
        );
        // A new version reads again.
        assert_eq!(
            cache
                .at_version("home", 2, now, load(3, None))
                .await
                .unwrap(),
            3
        );
        // A timed value is read again once its time has come.
        let soon = now + chrono::Duration::seconds(5);
        let articles = |value, until| cache.at_version("articles", 2, now, load(value, until));
        assert_eq!(articles(4, Some(soon)).await.unwrap(), 4);
        assert_eq!(articles(5, None).await.unwrap(), 4);
        let later = cache.at_version("articles", 2, soon, load(6, None)).await;
        assert_eq!(later.unwrap(), 6);
        assert_eq!(loads.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn a_failed_load_is_not_kept() {
        let cache: PageCache<&str, u32> = PageCache::new(10);
        let now = Utc::now();
        let failed = cache
            .at_version("home", 1, now, async {
                Err::<Timed<u32>, _>(DbErr::Custom("down".into()))
            })
            .await;
        assert!(failed.is_err());
        let value = cache
            .at_version("home", 1, now, async { Ok::<_, DbErr>(Timed::from(7)) })
            .await
            .unwrap();
        assert_eq!(value, 7);
    }

    #[tokio::test]
    async fn the_version_is_read_once_per_bound_and_at_once_after_a_change() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        db.execute_unprepared(
            "CREATE TABLE content_versions (name TEXT PRIMARY KEY, version BIGINT NOT NULL); \
             INSERT INTO content_versions VALUES ('storefront', 1)",
        )
        .await
        .unwrap();
        let bump = || db.execute_unprepared("UPDATE content_versions SET version = version + 1");
        let held = ContentVersion::new(db.clone(), Duration::from_secs(60));
        assert_eq!(held.current().await.unwrap(), 1);
        bump().await.unwrap();
        assert_eq!(held.current().await.unwrap(), 1, "within the bound");
        held.changed();
        assert_eq!(
            held.current().await.unwrap(),
            2,
            "a change here is seen at once"
        );
        let always = ContentVersion::new(db.clone(), Duration::ZERO);
        assert_eq!(always.current().await.unwrap(), 2);
        bump().await.unwrap();
        assert_eq!(
            always.current().await.unwrap(),
            3,
            "no bound: read every time"
        );
        // Without capacity, nothing is kept and the version is not needed.
        let none: PageCache<&str, u32> = PageCache::new(0);
        for value in [1, 2] {
            let load = async move { Ok::<_, DbErr>(Timed::from(value)) };
            assert_eq!(
                none.get(&held, "home", Utc::now(), load).await.unwrap(),
                value
            );
        }
    }
}
