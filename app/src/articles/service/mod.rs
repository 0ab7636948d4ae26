//! Reading and writing articles: the readers' pages (`read`), the editors' (`editor`), the
//! form checked (`check`) and stored (`save`), the demo articles (`seed`).
//!
//! Readers see an article once it is `published` and its publication date has come; anything
//! else (a draft, a scheduled or unpublished article, an unknown slug) is the same 404. Every
//! public page costs a fixed number of queries whatever the number of articles.

use super::model::{
    ArticleAdminRow, ArticleCard, ArticleEditorPage, ArticleForm, ArticleListing, ArticleState,
    ArticleView, Cover, Revision, Tag,
};
use super::rules::{self, PAGE_SIZE};
use crate::catalog::service::{STATUS_ACTIVE, product_card};
use crate::db::entities::{article, article_product, article_revision, article_tag, product, user};
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, FromQueryResult, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, SqlErr,
};
use std::collections::HashMap;

pub const STATUS_DRAFT: &str = "draft";
pub const STATUS_PUBLISHED: &str = "published";

/// Why a page or a change was refused.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("no such article")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Database(#[from] DbErr),
}

fn invalid(message: impl Into<String>) -> ArticleError {
    ArticleError::Invalid(message.into())
}

/// Published, and its date has come.
fn visible(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(article::Column::Status.eq(STATUS_PUBLISHED))
        .add(article::Column::PublishedAt.lte(now))
}

fn visible_ids(now: DateTime<Utc>) -> SelectStatement {
    Query::select()
        .column(article::Column::Id)
        .from(article::Entity)
        .cond_where(visible(now))
        .to_owned()
}

/// Where `model` stands at `now`.
pub fn state_of(model: &article::Model, now: DateTime<Utc>) -> ArticleState {
    match model.published_at {
        Some(at) if model.status == STATUS_PUBLISHED && at <= now => ArticleState::Published,
        Some(_) if model.status == STATUS_PUBLISHED => ArticleState::Scheduled,
        _ => ArticleState::Draft,
    }
}

fn cover_of(model: &article::Model) -> Option<Cover> {
    model.cover_image.as_ref().map(|src| Cover {
        src: src.clone(),
        alt: model.cover_alt.clone(),
        width: model.cover_width.and_then(|w| u32::try_from(w).ok()),
        height: model.cover_height.and_then(|h| u32::try_from(h).ok()),
    })
}

fn card(model: &article::Model, tags: Vec<Tag>) -> ArticleCard {
    ArticleCard {
        slug: model.slug.clone(),
        lang: model.lang.clone(),
        title: model.title.clone(),
        summary: model.summary.clone(),
        cover: cover_of(model),
        author: model.author.clone(),
        published_at: model.published_at.unwrap_or(model.updated_at),
        reading_minutes: rules::reading_minutes(&model.body),
        tags,
    }
}

/// The tags of `articles`, by article id, in label order.
async fn tags_of(
    db: &impl ConnectionTrait,
    articles: &[i32],
) -> Result<HashMap<i32, Vec<Tag>>, DbErr> {
    let mut tags: HashMap<i32, Vec<Tag>> = HashMap::new();
    if articles.is_empty() {
        return Ok(tags);
    }
    let rows = article_tag::Entity::find()
        .filter(article_tag::Column::ArticleId.is_in(articles.iter().copied()))
        .order_by_asc(article_tag::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        tags.entry(row.article_id).or_default().push(Tag {
            slug: row.slug,
            label: row.label,
        });
    }
    Ok(tags)
}

/// Cards of `models`, with their tags (one query).
async fn cards(
    db: &impl ConnectionTrait,
    models: &[article::Model],
) -> Result<Vec<ArticleCard>, DbErr> {
    let ids: Vec<i32> = models.iter().map(|m| m.id).collect();
    let mut tags = tags_of(db, &ids).await?;
    Ok(models
        .iter()
        .map(|m| card(m, tags.remove(&m.id).unwrap_or_default()))
        .collect())
}

mod check;
mod editor;
mod read;
mod save;
mod seed;

pub use check::Intent;
pub use editor::*;
pub use read::*;
pub use save::*;
pub use seed::*;

use crate::account::service::full_names as names;
use check::check;
use read::related_products;
use save::log;
