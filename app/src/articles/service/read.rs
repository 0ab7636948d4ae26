//! What readers see: listings, the latest articles, the feed, the sitemap and one article.

use super::*;

#[derive(FromQueryResult)]
pub(super) struct TagCount {
    slug: String,
    label: String,
    n: i64,
}

/// Page `page` of the published articles, newest first, of `tag` when given. An unknown tag
/// or a page past the last is [`ArticleError::NotFound`]. Four queries.
///
/// # Errors
/// [`ArticleError::NotFound`], or the database error.
pub async fn listing(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    tag: Option<&str>,
    page: u32,
) -> Result<ArticleListing, ArticleError> {
    let counts = article_tag::Entity::find()
        .select_only()
        .column(article_tag::Column::Slug)
        .column_as(article_tag::Column::Label.max(), "label")
        .column_as(article_tag::Column::Id.count(), "n")
        .filter(article_tag::Column::ArticleId.in_subquery(visible_ids(now)))
        .group_by(article_tag::Column::Slug)
        .order_by_asc(article_tag::Column::Slug)
        .into_model::<TagCount>()
        .all(db)
        .await?;
    let tags: Vec<(Tag, u32)> = counts
        .into_iter()
        .map(|c| {
            let tag = Tag {
                slug: c.slug,
                label: c.label,
            };
            (tag, u32::try_from(c.n).unwrap_or(0))
        })
        .collect();
    let chosen = match tag {
        None => None,
        Some(slug) => Some(
            tags.iter()
                .find(|(t, _)| t.slug == slug)
                .map(|(t, _)| t.clone())
                .ok_or(ArticleError::NotFound)?,
        ),
    };
    let mut condition = visible(now);
    if let Some(chosen) = &chosen {
        condition = condition.add(
            article::Column::Id.in_subquery(
                Query::select()
                    .column(article_tag::Column::ArticleId)
                    .from(article_tag::Entity)
                    .cond_where(article_tag::Column::Slug.eq(chosen.slug.clone()))
                    .to_owned(),
            ),
        );
    }
    let total = article::Entity::find()
        .filter(condition.clone())
        .count(db)
        .await?;
    let last_page = u32::try_from(total.div_ceil(u64::from(PAGE_SIZE)))
        .unwrap_or(u32::MAX)
        .max(1);
    let page = page.max(1);
    if page > last_page {
        return Err(ArticleError::NotFound);
    }
    let models = article::Entity::find()
        .filter(condition)
        .order_by_desc(article::Column::PublishedAt)
        .order_by_desc(article::Column::Id)
        .limit(u64::from(PAGE_SIZE))
        .offset(u64::from(page - 1) * u64::from(PAGE_SIZE))
        .all(db)
        .await?;
    Ok(ArticleListing {
        articles: cards(db, &models).await?,
        tags,
        tag: chosen,
        page,
        last_page,
    })
}

/// The `n` latest published articles, without their tags (the home page shows none): one
/// query.
///
/// # Errors
/// The database error.
pub async fn latest(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    n: u64,
) -> Result<Vec<ArticleCard>, DbErr> {
    let models = latest_models(db, now, n).await?;
    Ok(models.iter().map(|m| card(m, Vec::new())).collect())
}

/// When the next scheduled article goes out after `now`, if one is waiting (what the latest
/// articles kept in memory must not outlive).
///
/// # Errors
/// The database error.
pub async fn next_publication(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(article::Entity::find()
        .filter(article::Column::Status.eq(STATUS_PUBLISHED))
        .filter(article::Column::PublishedAt.gt(now))
        .order_by_asc(article::Column::PublishedAt)
        .one(db)
        .await?
        .and_then(|a| a.published_at))
}

/// The `n` latest published articles as stored (the feed renders their bodies).
///
/// # Errors
/// The database error.
pub async fn latest_models(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    n: u64,
) -> Result<Vec<article::Model>, DbErr> {
    article::Entity::find()
        .filter(visible(now))
        .order_by_desc(article::Column::PublishedAt)
        .order_by_desc(article::Column::Id)
        .limit(n)
        .all(db)
        .await
}

/// The `n` latest published articles with their tags, for the feed (two queries).
///
/// # Errors
/// The database error.
pub async fn feed(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    n: u64,
) -> Result<Vec<(article::Model, Vec<Tag>)>, DbErr> {
    let models = latest_models(db, now, n).await?;
    let ids: Vec<i32> = models.iter().map(|m| m.id).collect();
    let mut tags = tags_of(db, &ids).await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let t = tags.remove(&m.id).unwrap_or_default();
            (m, t)
        })
        .collect())
}

/// Slug and last change of every published article, for the sitemap.
///
/// # Errors
/// The database error.
pub async fn sitemap_entries(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<(String, DateTime<Utc>)>, DbErr> {
    #[derive(FromQueryResult)]
    struct Entry {
        slug: String,
        updated_at: DateTime<Utc>,
    }
    Ok(article::Entity::find()
        .select_only()
        .column(article::Column::Slug)
        .column(article::Column::UpdatedAt)
        .filter(visible(now))
        .order_by_desc(article::Column::PublishedAt)
        .into_model::<Entry>()
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.slug, e.updated_at))
        .collect())
}

/// The published article `slug`, rendered, with its related products on sale. Four queries.
///
/// # Errors
/// [`ArticleError::NotFound`] for anything a reader may not see, or the database error.
pub async fn published(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    locale: Locale,
    slug: &str,
) -> Result<ArticleView, ArticleError> {
    let model = article::Entity::find()
        .filter(article::Column::Slug.eq(slug))
        .filter(visible(now))
        .one(db)
        .await?
        .ok_or(ArticleError::NotFound)?;
    let tags = tags_of(db, &[model.id])
        .await?
        .remove(&model.id)
        .unwrap_or_default();
    let products = related_products(db, model.id)
        .await?
        .into_iter()
        .filter(|p| p.status == STATUS_ACTIVE)
        .map(|p| product_card(locale, p))
        .collect();
    Ok(ArticleView {
        html: crate::ui::markdown::render(&model.body),
        updated_at: model.updated_at,
        card: card(&model, tags),
        products,
    })
}

/// The related products of article `id` (any status), in the editor's order.
pub(super) async fn related_products(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Vec<product::Model>, DbErr> {
    let links = article_product::Entity::find()
        .filter(article_product::Column::ArticleId.eq(id))
        .order_by_asc(article_product::Column::Position)
        .all(db)
        .await?;
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let mut products = product::Entity::find()
        .filter(product::Column::Id.is_in(links.iter().map(|l| l.product_id)))
        .all(db)
        .await?;
    products.sort_by_key(|p| links.iter().position(|l| l.product_id == p.id));
    Ok(products)
}
