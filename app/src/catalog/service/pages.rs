//! The catalogue's pages as kept between requests (see [`crate::cache`]): the home showcase,
//! product pages and listings, per language, under the shop's content version. A page that
//! does not exist (an unknown slug, a page past the last) is kept too, so a crawler asking for
//! it again costs nothing; a database error is never kept.

use super::{CatalogError, SearchCache};
use crate::cache::{ContentVersion, PageCache, Timed};
use crate::catalog::model::{HomeShowcase, ListingQuery, ProductDetail, ProductListing};
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};
use std::sync::Arc;

/// Why a page is not there, kept like a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Absent {
    NotFound,
    Archived,
    UnknownCategory,
    PageOutOfRange,
}

impl Absent {
    fn of(err: CatalogError) -> Result<Absent, CatalogError> {
        match err {
            CatalogError::NotFound => Ok(Absent::NotFound),
            CatalogError::Archived => Ok(Absent::Archived),
            CatalogError::UnknownCategory => Ok(Absent::UnknownCategory),
            CatalogError::PageOutOfRange => Ok(Absent::PageOutOfRange),
            other => Err(other),
        }
    }

    fn error(self) -> CatalogError {
        match self {
            Absent::NotFound => CatalogError::NotFound,
            Absent::Archived => CatalogError::Archived,
            Absent::UnknownCategory => CatalogError::UnknownCategory,
            Absent::PageOutOfRange => CatalogError::PageOutOfRange,
        }
    }
}

/// A page's data, or why it is not there.
type Outcome<T> = Result<T, Absent>;

/// The catalogue pages one server instance keeps.
pub struct CataloguePages {
    content: Arc<ContentVersion>,
    home: PageCache<Locale, HomeShowcase>,
    products: PageCache<(String, Locale), Outcome<ProductDetail>>,
    listings: PageCache<(ListingQuery, Locale), Outcome<ProductListing>>,
}

impl CataloguePages {
    /// Keeps up to `entries` product pages and half as many listings (0: nothing).
    pub fn new(content: Arc<ContentVersion>, entries: u64) -> CataloguePages {
        CataloguePages {
            content,
            home: PageCache::new(entries.min(4)),
            products: PageCache::new(entries),
            listings: PageCache::new(entries / 2),
        }
    }

    /// The home page's products and categories.
    ///
    /// # Errors
    /// [`CatalogError::Database`] (or `SharedDatabase`) when the database cannot answer.
    pub async fn home(
        &self,
        db: &DatabaseConnection,
        locale: Locale,
        limit: u64,
    ) -> Result<HomeShowcase, CatalogError> {
        self.home
            .get(&self.content, locale, now(), async move {
                super::home_showcase(db, locale, limit)
                    .await
                    .map(Timed::from)
                    .map_err(Failed::of)
            })
            .await
            .map_err(Failed::shared)
    }

    /// The page of the product `slug`.
    ///
    /// # Errors
    /// As [`super::product_detail`].
    pub async fn product(
        &self,
        db: &DatabaseConnection,
        locale: Locale,
        slug: &str,
    ) -> Result<ProductDetail, CatalogError> {
        let key = (slug.to_owned(), locale);
        let outcome = self
            .products
            .get(&self.content, key, now(), async move {
                kept(super::product_detail(db, locale, slug).await)
            })
            .await
            .map_err(Failed::shared)?;
        outcome.map_err(Absent::error)
    }

    /// One page of the catalogue.
    ///
    /// # Errors
    /// As [`super::list_products`].
    pub async fn listing(
        &self,
        db: &DatabaseConnection,
        search: &SearchCache,
        locale: Locale,
        query: ListingQuery,
    ) -> Result<ProductListing, CatalogError> {
        let key = (query.clone(), locale);
        let outcome = self
            .listings
            .get(&self.content, key, now(), async move {
                kept(super::list_products(db, search, locale, query).await)
            })
            .await
            .map_err(Failed::shared)?;
        outcome.map_err(Absent::error)
    }
}

/// Nothing kept here depends on the time of day (no value is timed), so "now" is any moment.
fn now() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

/// What a load gives the cache: the page or its absence; anything else is a failure.
fn kept<T>(loaded: Result<T, CatalogError>) -> Result<Timed<Outcome<T>>, Failed> {
    match loaded {
        Ok(page) => Ok(Timed::from(Ok(page))),
        Err(err) => match Absent::of(err) {
            Ok(absent) => Ok(Timed::from(Err(absent))),
            Err(other) => Err(Failed::of(other)),
        },
    }
}

/// A load that failed: the database's error.
#[derive(Debug)]
struct Failed(DbErr);

impl From<DbErr> for Failed {
    fn from(err: DbErr) -> Self {
        Failed(err)
    }
}

impl Failed {
    fn of(err: CatalogError) -> Failed {
        match err {
            CatalogError::Database(db) => Failed(db),
            other => Failed(DbErr::Custom(other.to_string())),
        }
    }

    fn shared(err: Arc<Failed>) -> CatalogError {
        match Arc::try_unwrap(err) {
            Ok(Failed(db)) => CatalogError::Database(db),
            Err(shared) => {
                CatalogError::SharedDatabase(Arc::new(DbErr::Custom(shared.0.to_string())))
            }
        }
    }
}
