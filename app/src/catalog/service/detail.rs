//! The product page: the product with its category, its gallery and related products.

use super::{CatalogError, STATUS_ACTIVE, category_link, localized, product_card};
use crate::catalog::model::{NetUnit, ProductDetail, ProductImage, ProductKind, ReviewSummary};
use crate::catalog::rules;
use crate::db::entities::{category, product, product_image};
use crate::i18n::Locale;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// How many related products the page shows.
pub const RELATED_LIMIT: u64 = 4;

/// Reviews shown on a product page.
pub const REVIEWS_SHOWN: i64 = 20;

/// The published reviews of product `product_id`: count, average, the newest
/// [`REVIEWS_SHOWN`], in one query (the totals ride along each row as window aggregates). The
/// page is kept with them: a trigger on `reviews` moves the storefront's content version.
async fn published_reviews(
    db: &impl ConnectionTrait,
    product_id: i32,
) -> Result<ReviewSummary, sea_orm::DbErr> {
    use crate::catalog::model::PublishedReview;
    use crate::db::sql::Sql;
    use sea_orm::FromQueryResult;
    #[derive(FromQueryResult)]
    struct Row {
        rating: i32,
        body: String,
        author_name: String,
        created_at: chrono::DateTime<chrono::Utc>,
        total: i64,
        rating_sum: i64,
    }
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT rating, body, author_name, created_at, COUNT(*) OVER () AS total, \
         SUM(rating) OVER () AS rating_sum FROM reviews WHERE status = 'published' \
         AND product_id = ",
    )
    .bind(product_id)
    .push(" ORDER BY created_at DESC, id DESC LIMIT ")
    .bind(REVIEWS_SHOWN);
    let rows = Row::find_by_statement(sql.build()).all(db).await?;
    let (count, sum) = rows.first().map_or((0, 0), |r| {
        (
            u64::try_from(r.total).unwrap_or(0),
            u64::try_from(r.rating_sum).unwrap_or(0),
        )
    });
    Ok(ReviewSummary {
        count,
        average_tenths: crate::catalog::rules::average_tenths(sum, count),
        reviews: rows
            .into_iter()
            .map(|r| PublishedReview {
                rating: r.rating,
                body: r.body,
                author: r.author_name,
                created_at: r.created_at,
            })
            .collect(),
    })
}

/// The product page for `slug` in `locale` (four queries, five on sale).
///
/// # Errors
/// [`CatalogError::NotFound`] for an unknown slug, [`CatalogError::Archived`] for a product no
/// longer sold, [`CatalogError::Database`] when a query fails.
pub async fn product_detail(
    db: &impl ConnectionTrait,
    locale: Locale,
    slug: &str,
) -> Result<ProductDetail, CatalogError> {
    let (p, category) = product::Entity::find()
        .filter(product::Column::Slug.eq(slug))
        .find_also_related(category::Entity)
        .one(db)
        .await?
        .ok_or(CatalogError::NotFound)?;
    if p.status != STATUS_ACTIVE {
        return Err(CatalogError::Archived);
    }
    let category = category.ok_or(CatalogError::NotFound)?;
    let extra_images = product_image::Entity::find()
        .filter(product_image::Column::ProductId.eq(p.id))
        .order_by_asc(product_image::Column::Position)
        .all(db)
        .await?;
    let related = product::Entity::find()
        .filter(product::Column::CategoryId.eq(p.category_id))
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .filter(product::Column::Id.ne(p.id))
        .order_by_desc(product::Column::Featured)
        .order_by_asc(product::Column::Id)
        .limit(RELATED_LIMIT)
        .all(db)
        .await?;
    let reviews = published_reviews(db, p.id).await?;
    let sale_ends = match p.sale_id {
        Some(id) => crate::db::entities::sale::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| s.ends_at),
        None => None,
    };

    let name = localized(locale, p.name_fr.clone(), p.name_en.clone());
    let net_unit = NetUnit::from_code(&p.net_unit)
        .ok_or_else(|| stored_value_error("net_unit", &p.net_unit))?;
    let kind =
        ProductKind::from_code(&p.kind).ok_or_else(|| stored_value_error("kind", &p.kind))?;
    let price = crate::money::from_cents(p.price_cents);
    let reduction = super::reduction(&p, sale_ends);
    let cart = crate::cart::service::cart_product(locale, &p);
    let mut images = vec![ProductImage {
        src: p.image.clone(),
        alt: name.clone(),
    }];
    images.extend(extra_images.into_iter().map(|i| ProductImage {
        src: i.path,
        alt: localized(locale, i.alt_fr, i.alt_en),
    }));
    Ok(ProductDetail {
        reviews,
        sku: p.sku,
        kind,
        summary: localized(locale, p.summary_fr, p.summary_en),
        description: localized(locale, p.description_fr, p.description_en),
        composition: localized(locale, p.composition_fr, p.composition_en),
        usage: localized(locale, p.usage_fr, p.usage_en),
        category: category_link(locale, category),
        reduction,
        price,
        vat_rate: crate::money::from_basis_points(p.vat_rate_bp),
        net_quantity: p.net_quantity,
        net_unit,
        unit_price: rules::unit_price(price, p.net_quantity, net_unit),
        stock: rules::stock_level(p.stock),
        lead_time_days: p.lead_time_days,
        subscription_months: crate::cart::rules::subscription_months(&p.subscription_months),
        images,
        cart,
        related: related
            .into_iter()
            .map(|r| product_card(locale, r))
            .collect(),
        name,
        slug: p.slug,
    })
}

fn stored_value_error(column: &str, value: &str) -> CatalogError {
    CatalogError::BadStoredValue(format!("products.{column} = {value:?}"))
}
