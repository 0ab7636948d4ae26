//! Recently ranked searches, kept for a short while.
//!
//! Ranking a broad search means reading every one of its newest matches (up to
//! [`RANK_WINDOW`](super::listing::RANK_WINDOW)), which grows with the catalogue; showing a page
//! of it means reading 24 products. The cache keeps only the ranking (product ids in order and
//! the count), never what a card shows: prices, stock and status are read fresh on every
//! request, and a ranking naming a product no longer on sale is ranked again. A ranking is at most
//! the time given to [`SearchCache::new`] old (each server instance keeps its own); catalogue
//! edits (the back office, when it comes) should call [`SearchCache::clear`].

use std::sync::Arc;
use std::time::Duration;

/// What a ranking is cached under: the folded words and the category filter.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub(super) struct SearchKey {
    pub(super) words: String,
    pub(super) category: Option<i32>,
}

/// A search's matches in rank order (at most the ranking window) and how many were counted.
#[derive(Debug)]
pub(super) struct Ranking {
    pub(super) ids: Vec<i32>,
    pub(super) counted: u64,
}

/// The rankings of recent searches, shared by the requests of one server instance.
#[derive(Clone)]
pub struct SearchCache {
    rankings: Option<moka::future::Cache<SearchKey, Arc<Ranking>>>,
}

/// At most this many searches are kept (each a few kilobytes at most).
const CAPACITY: u64 = 2_000;

impl SearchCache {
    /// A cache keeping each ranking for `ttl`; a zero `ttl` keeps nothing.
    pub fn new(ttl: Duration) -> SearchCache {
        let rankings = (!ttl.is_zero()).then(|| {
            moka::future::Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(ttl)
                .build()
        });
        SearchCache { rankings }
    }

    /// Forgets every ranking (after a change to the catalogue).
    pub fn clear(&self) {
        if let Some(rankings) = &self.rankings {
            rankings.invalidate_all();
        }
    }

    /// Forgets the ranking under `key` (one of its products is no longer on sale).
    pub(super) async fn forget(&self, key: &SearchKey) {
        if let Some(rankings) = &self.rankings {
            rankings.invalidate(key).await;
        }
    }

    /// The ranking under `key`, computed by `rank` when missing. Concurrent requests for the
    /// same missing key wait for one computation; a failed one is not kept.
    pub(super) async fn ranking<E>(
        &self,
        key: SearchKey,
        rank: impl Future<Output = Result<Ranking, E>>,
    ) -> Result<Arc<Ranking>, Arc<E>>
    where
        E: Send + Sync + 'static,
    {
        match &self.rankings {
            Some(rankings) => {
                rankings
                    .try_get_with(key, async move { rank.await.map(Arc::new) })
                    .await
            }
            None => rank.await.map(Arc::new).map_err(Arc::new),
        }
    }
}

impl std::fmt::Debug for SearchCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchCache")
            .field("enabled", &self.rankings.is_some())
            .finish_non_exhaustive()
    }
}
