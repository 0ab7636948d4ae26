//! Catalogue queries (server only). Every page costs a fixed number of queries, whatever the
//! size of the catalogue: no query per card.

mod cache;
mod detail;
mod listing;
mod pages;
pub mod prices;
mod ranking;
mod sitemap;

pub use cache::SearchCache;
pub use detail::product_detail;
pub use listing::list_products;
pub use pages::CataloguePages;
pub use sitemap::{
    SitemapCache, SitemapProduct, active_product_count, sitemap_categories, sitemap_products,
};

use super::model::{CategoryLink, HomeShowcase, NetUnit, ProductCard};
use super::rules;
use crate::db::entities::{category, product};
use crate::error::AppError;
use crate::i18n::Locale;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// Product status of a product on sale.
pub use crate::db::entities::product::STATUS_ACTIVE;

/// What can go wrong in the catalogue.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("no such product")]
    NotFound,
    #[error("product archived")]
    Archived,
    #[error("no such category")]
    UnknownCategory,
    #[error("page past the last one")]
    PageOutOfRange,
    /// A stored value the code does not know (a data error, reported as internal).
    #[error("unknown stored value {0}")]
    BadStoredValue(String),
    #[error("database: {0}")]
    Database(#[from] DbErr),
    /// A database error met by a computation several requests were waiting for.
    #[error("database: {0}")]
    SharedDatabase(std::sync::Arc<DbErr>),
}

impl From<CatalogError> for AppError {
    fn from(err: CatalogError) -> Self {
        let error = match err {
            CatalogError::NotFound
            | CatalogError::UnknownCategory
            | CatalogError::PageOutOfRange => AppError::NotFound,
            CatalogError::Archived => AppError::Gone,
            CatalogError::BadStoredValue(_) | CatalogError::SharedDatabase(_) => {
                AppError::internal(err)
            }
            CatalogError::Database(db) => AppError::from(db),
        };
        error.set_status();
        error
    }
}

/// Picks the text of `locale` from a French/English pair.
pub fn localized(locale: Locale, fr: String, en: String) -> String {
    locale.pick(fr, en)
}

/// The card of a product in `locale`.
pub fn product_card(locale: Locale, p: product::Model) -> ProductCard {
    let cart = crate::cart::service::cart_product(locale, &p);
    let price = crate::money::from_cents(p.price_cents);
    let unit_price = NetUnit::from_code(&p.net_unit)
        .and_then(|unit| rules::unit_price(price, p.net_quantity, unit));
    ProductCard {
        reduction: reduction(&p, None),
        stock: rules::stock_level(p.stock),
        name: localized(locale, p.name_fr, p.name_en),
        summary: localized(locale, p.summary_fr, p.summary_en),
        slug: p.slug,
        image: p.image,
        price,
        unit_price,
        cart,
    }
}

/// The reduction announced on product `p` while a sale is in force on it, ending at `until`.
pub fn reduction(
    p: &product::Model,
    until: Option<chrono::DateTime<chrono::Utc>>,
) -> Option<crate::catalog::model::Reduction> {
    p.sale_id?;
    let percent = rules::announced_percent(p.price_cents, p.reference_price_cents)?;
    Some(crate::catalog::model::Reduction {
        reference: crate::money::from_cents(p.reference_price_cents?),
        percent,
        until,
    })
}

/// The active featured products (at most `limit`, oldest first) and every category by position.
///
/// # Errors
/// [`CatalogError::Database`] when a query fails.
pub async fn home_showcase(
    db: &impl ConnectionTrait,
    locale: Locale,
    limit: u64,
) -> Result<HomeShowcase, CatalogError> {
    let featured = product::Entity::find()
        .filter(product::Column::Featured.eq(true))
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .filter(product::Column::VariantOf.is_null())
        .order_by_asc(product::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let categories = all_categories(db).await?;
    Ok(HomeShowcase {
        featured: featured
            .into_iter()
            .map(|p| product_card(locale, p))
            .collect(),
        categories: categories
            .into_iter()
            .map(|c| category_link(locale, c))
            .collect(),
    })
}

/// The navigation link of a category in `locale`.
pub fn category_link(locale: Locale, c: category::Model) -> CategoryLink {
    CategoryLink {
        name: localized(locale, c.name_fr, c.name_en),
        description: localized(locale, c.description_fr, c.description_en),
        slug: c.slug,
    }
}

/// Every category, in shop order.
///
/// # Errors
/// [`CatalogError::Database`] when the query fails.
pub async fn all_categories(
    db: &impl ConnectionTrait,
) -> Result<Vec<category::Model>, CatalogError> {
    Ok(category::Entity::find()
        .filter(category::Column::Archived.eq(false))
        .order_by_asc(category::Column::Position)
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?)
}
