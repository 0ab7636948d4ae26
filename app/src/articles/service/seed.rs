//! Articles of the demo data.

use super::*;

/// A demo article as the seed gives it.
pub struct SeedArticle<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub author: &'a str,
    pub cover: &'a str,
    pub cover_alt: &'a str,
    pub tags: &'a [&'a str],
    pub products: &'a [&'a str],
    pub published_at: DateTime<Utc>,
}

/// Inserts `seed` unless an article has its slug (an editor's changes are never overwritten);
/// returns whether it was inserted. Products that do not exist are skipped.
///
/// # Errors
/// The database error.
pub async fn seed(db: &sea_orm::DatabaseConnection, seed: &SeedArticle<'_>) -> Result<bool, DbErr> {
    use crate::catalog::search::fold;
    let txn = crate::db::begin_write(db).await?;
    let exists = article::Entity::find()
        .filter(article::Column::Slug.eq(seed.slug))
        .count(&txn)
        .await?;
    if exists > 0 {
        return Ok(false);
    }
    let model = article::ActiveModel {
        slug: Set(seed.slug.to_owned()),
        lang: Set("fr".to_owned()),
        title: Set(seed.title.to_owned()),
        summary: Set(seed.summary.to_owned()),
        body: Set(seed.body.to_owned()),
        cover_image: Set(Some(seed.cover.to_owned())),
        cover_alt: Set(seed.cover_alt.to_owned()),
        cover_width: Set(Some(1200)),
        cover_height: Set(Some(675)),
        author: Set(seed.author.to_owned()),
        status: Set(STATUS_PUBLISHED.to_owned()),
        published_at: Set(Some(seed.published_at)),
        created_at: Set(seed.published_at),
        updated_at: Set(seed.published_at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for label in seed.tags {
        article_tag::ActiveModel {
            article_id: Set(model.id),
            slug: Set(rules::slugify_folded(&fold(label))),
            label: Set((*label).to_owned()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let products = product::Entity::find()
        .filter(product::Column::Slug.is_in(seed.products.iter().copied()))
        .all(&txn)
        .await?;
    for (position, slug) in seed.products.iter().enumerate() {
        if let Some(p) = products.iter().find(|p| p.slug == *slug) {
            article_product::ActiveModel {
                article_id: Set(model.id),
                product_id: Set(p.id),
                position: Set(i32::try_from(position).unwrap_or(0)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    log(&txn, model.id, None, "created", "", seed.published_at).await?;
    txn.commit().await?;
    Ok(true)
}
