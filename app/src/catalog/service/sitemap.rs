//! What `/sitemap.xml` lists: every category and every active product.

use super::{CatalogError, STATUS_ACTIVE};
use crate::db::entities::{category, product};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// The sitemap files an instance made lately, by address. A file reads up to 50,000 rows: it
/// is made once per [`SitemapCache::new`]'s time to live, by one request while the others
/// wait for it (a burst of crawler requests costs one read), and forgotten at once after an
/// edit on this instance (another instance's edit shows within the time to live).
#[derive(Clone)]
pub struct SitemapCache {
    files: moka::future::Cache<String, std::sync::Arc<String>>,
}

impl SitemapCache {
    pub fn new(ttl: std::time::Duration) -> SitemapCache {
        SitemapCache {
            files: moka::future::Cache::builder()
                .max_capacity(64)
                .time_to_live(ttl)
                .build(),
        }
    }

    /// The file at `address`, made by `make` unless a recent one is kept (a `None` from
    /// `make`, no such file, is not kept).
    ///
    /// # Errors
    /// `make`'s error, shared with the requests that waited for it.
    pub async fn file(
        &self,
        address: String,
        make: impl std::future::Future<Output = Result<Option<String>, CatalogError>>,
    ) -> Result<Option<std::sync::Arc<String>>, CatalogError> {
        let made = self
            .files
            .try_get_with(address, async {
                match make.await {
                    Ok(Some(file)) => Ok(std::sync::Arc::new(file)),
                    Ok(None) => Err(None),
                    Err(error) => Err(Some(error.to_string())),
                }
            })
            .await;
        match made {
            Ok(file) => Ok(Some(file)),
            Err(error) => match error.as_ref() {
                None => Ok(None),
                // Shared with the requests that waited: its text stands for it.
                Some(text) => Err(CatalogError::SharedDatabase(std::sync::Arc::new(
                    DbErr::Custom(text.clone()),
                ))),
            },
        }
    }

    /// Forgets every file (after an edit of the catalogue or the articles).
    pub fn clear(&self) {
        self.files.invalidate_all();
    }
}

/// A product's address and last change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SitemapProduct {
    pub slug: String,
    pub updated_at: DateTime<Utc>,
}

/// The slugs of every category, in shop order.
///
/// # Errors
/// [`CatalogError::Database`] when the query fails.
pub async fn sitemap_categories(db: &impl ConnectionTrait) -> Result<Vec<String>, CatalogError> {
    Ok(category::Entity::find()
        .select_only()
        .column(category::Column::Slug)
        .filter(category::Column::Archived.eq(false))
        .order_by_asc(category::Column::Position)
        .order_by_asc(category::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

/// How many products are on sale.
///
/// # Errors
/// [`CatalogError::Database`] when the query fails.
pub async fn active_product_count(db: &impl ConnectionTrait) -> Result<u64, CatalogError> {
    Ok(product::Entity::find()
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .filter(product::Column::VariantOf.is_null())
        .count(db)
        .await?)
}

/// Active products `offset..offset + limit` by id.
///
/// # Errors
/// [`CatalogError::Database`] when the query fails.
pub async fn sitemap_products(
    db: &impl ConnectionTrait,
    offset: u64,
    limit: u64,
) -> Result<Vec<SitemapProduct>, CatalogError> {
    let rows: Vec<(String, DateTime<Utc>)> = product::Entity::find()
        .select_only()
        .column(product::Column::Slug)
        .column(product::Column::UpdatedAt)
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .filter(product::Column::VariantOf.is_null())
        .order_by_asc(product::Column::Id)
        .offset(offset)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, updated_at)| SitemapProduct { slug, updated_at })
        .collect())
}
