//! What `/sitemap.xml` lists: every category and every active product.

use super::{CatalogError, STATUS_ACTIVE};
use crate::db::entities::{category, product};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

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
