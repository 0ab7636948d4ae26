//! The product page: the product with its category, its gallery and related products.

use super::{CatalogError, STATUS_ACTIVE, category_link, localized, product_card};
use crate::catalog::model::{
    NetUnit, ProductDetail, ProductImage, ProductKind, ReviewSummary, VariantOption,
};
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

/// The product page for `slug` in `locale` (four queries, five on sale): the first query
/// reads the product's every variant with its category, whichever variant `slug` names.
///
/// # Errors
/// [`CatalogError::NotFound`] for an unknown slug, [`CatalogError::Archived`] for a product no
/// longer sold, [`CatalogError::Database`] when a query fails.
pub async fn product_detail(
    db: &impl ConnectionTrait,
    locale: Locale,
    slug: &str,
) -> Result<ProductDetail, CatalogError> {
    use sea_orm::sea_query::{Expr, Query};
    let family_of_slug = Query::select()
        .expr(Expr::cust("COALESCE(variant_of, id)"))
        .from(product::Entity)
        .and_where(product::Column::Slug.eq(slug))
        .to_owned();
    let mut rows = product::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(product::Column::Id.in_subquery(family_of_slug.clone()))
                .add(product::Column::VariantOf.in_subquery(family_of_slug)),
        )
        .find_also_related(category::Entity)
        .order_by_asc(product::Column::VariantPosition)
        .order_by_asc(product::Column::Id)
        .all(db)
        .await?;
    let first_at = rows
        .iter()
        .position(|(p, _)| p.variant_of.is_none())
        .ok_or(CatalogError::NotFound)?;
    let (p, category) = rows.remove(first_at);
    if p.status != STATUS_ACTIVE {
        return Err(CatalogError::Archived);
    }
    let asked_variant = rows
        .iter()
        .find(|(v, _)| v.slug == slug)
        .map(|(v, _)| v.variant_code.clone());
    let others: Vec<product::Model> = rows
        .into_iter()
        .map(|(v, _)| v)
        .filter(|v| v.status == STATUS_ACTIVE)
        .collect();
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
        .filter(product::Column::VariantOf.is_null())
        .order_by_desc(product::Column::Featured)
        .order_by_asc(product::Column::Id)
        .limit(RELATED_LIMIT)
        .all(db)
        .await?;
    let reviews = published_reviews(db, p.id).await?;
    let sale_ids: Vec<i32> = std::iter::once(&p)
        .chain(&others)
        .filter_map(|v| v.sale_id)
        .collect();
    let sale_ends: Vec<(i32, chrono::DateTime<chrono::Utc>)> = if sale_ids.is_empty() {
        Vec::new()
    } else {
        crate::db::entities::sale::Entity::find()
            .filter(crate::db::entities::sale::Column::Id.is_in(sale_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.ends_at))
            .collect()
    };
    let ends = |v: &product::Model| {
        v.sale_id
            .and_then(|id| sale_ends.iter().find(|(s, _)| *s == id).map(|(_, e)| *e))
    };

    let name = localized(locale, p.name_fr.clone(), p.name_en.clone());
    let net_unit = NetUnit::from_code(&p.net_unit)
        .ok_or_else(|| stored_value_error("net_unit", &p.net_unit))?;
    let kind =
        ProductKind::from_code(&p.kind).ok_or_else(|| stored_value_error("kind", &p.kind))?;
    let variants: Vec<VariantOption> = std::iter::once(&p)
        .chain(&others)
        .map(|v| variant_option(locale, v, net_unit, ends(v)))
        .collect();
    let VariantOption {
        sku,
        price,
        reduction,
        net_quantity,
        unit_price,
        stock,
        subscription_months,
        cart,
        ..
    } = variants[0].clone();
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
        sku,
        kind,
        summary: localized(locale, p.summary_fr, p.summary_en),
        description: localized(locale, p.description_fr, p.description_en),
        composition: localized(locale, p.composition_fr, p.composition_en),
        usage: localized(locale, p.usage_fr, p.usage_en),
        category: category_link(locale, category),
        reduction,
        price,
        vat_rate: crate::money::from_basis_points(p.vat_rate_bp),
        net_quantity,
        net_unit,
        unit_price,
        stock,
        lead_time_days: p.lead_time_days,
        subscription_months,
        images,
        cart,
        related: related
            .into_iter()
            .map(|r| product_card(locale, r))
            .collect(),
        name,
        slug: p.slug,
        variants,
        asked_variant,
    })
}

/// What the page shows of variant `v` (its unit as the product's).
fn variant_option(
    locale: Locale,
    v: &product::Model,
    net_unit: NetUnit,
    sale_ends: Option<chrono::DateTime<chrono::Utc>>,
) -> VariantOption {
    let price = crate::money::from_cents(v.price_cents);
    VariantOption {
        code: v.variant_code.clone(),
        label: localized(
            locale,
            v.variant_label_fr.clone(),
            v.variant_label_en.clone(),
        ),
        sku: v.sku.clone(),
        price,
        reduction: super::reduction(v, sale_ends),
        net_quantity: v.net_quantity,
        unit_price: rules::unit_price(price, v.net_quantity, net_unit),
        stock: rules::stock_level(v.stock),
        subscription_months: crate::cart::rules::subscription_months(&v.subscription_months),
        cart: crate::cart::service::cart_product(locale, v),
    }
}

fn stored_value_error(column: &str, value: &str) -> CatalogError {
    CatalogError::BadStoredValue(format!("products.{column} = {value:?}"))
}
