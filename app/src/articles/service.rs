//! Reading and writing articles.
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

#[derive(FromQueryResult)]
struct TagCount {
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
async fn related_products(
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

/// "First Last" of each account in `ids` (one query).
async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, DbErr> {
    let ids: Vec<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} {}", u.first_name, u.last_name)))
        .collect())
}

/// Every article for the editors' list, last changed first, with who changed it. Three
/// queries.
///
/// # Errors
/// The database error.
pub async fn editor_rows(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<ArticleAdminRow>, DbErr> {
    let models = article::Entity::find()
        .order_by_desc(article::Column::UpdatedAt)
        .order_by_desc(article::Column::Id)
        .all(db)
        .await?;
    let last = article_revision::Entity::find()
        .filter(
            article_revision::Column::Id.in_subquery(
                Query::select()
                    .expr(article_revision::Column::Id.max())
                    .from(article_revision::Entity)
                    .group_by_col(article_revision::Column::ArticleId)
                    .to_owned(),
            ),
        )
        .all(db)
        .await?;
    let who = names(db, last.iter().filter_map(|r| r.user_id)).await?;
    let by_article: HashMap<i32, String> = last
        .into_iter()
        .map(|r| {
            let name = r
                .user_id
                .and_then(|id| who.get(&id).cloned())
                .unwrap_or_else(|| "—".to_owned());
            (r.article_id, name)
        })
        .collect();
    Ok(models
        .into_iter()
        .map(|m| ArticleAdminRow {
            id: m.id,
            state: state_of(&m, now),
            updated_by: by_article
                .get(&m.id)
                .cloned()
                .unwrap_or_else(|| "—".to_owned()),
            slug: m.slug,
            title: m.title,
            published_at: m.published_at,
            updated_at: m.updated_at,
        })
        .collect())
}

/// The editor's page for article `id` as stored.
///
/// # Errors
/// [`ArticleError::NotFound`], or the database error.
pub async fn editor_view(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    id: i32,
) -> Result<ArticleEditorPage, ArticleError> {
    let model = article::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ArticleError::NotFound)?;
    let tags = tags_of(db, &[id]).await?.remove(&id).unwrap_or_default();
    let products = related_products(db, id).await?;
    let revisions = article_revision::Entity::find()
        .filter(article_revision::Column::ArticleId.eq(id))
        .order_by_desc(article_revision::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let who = names(db, revisions.iter().filter_map(|r| r.user_id)).await?;
    let history = revisions
        .into_iter()
        .map(|r| Revision {
            // No account: the demo seed.
            who: r
                .user_id
                .and_then(|id| who.get(&id).cloned())
                .unwrap_or_default(),
            action: r.action,
            fields: r.fields,
            at: r.at,
        })
        .collect();
    Ok(ArticleEditorPage {
        form: ArticleForm {
            id: Some(model.id),
            title: model.title.clone(),
            slug: model.slug.clone(),
            lang: model.lang.clone(),
            summary: model.summary.clone(),
            body: model.body.clone(),
            author: model.author.clone(),
            cover_alt: model.cover_alt.clone(),
            tags: tags
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            products: products
                .iter()
                .map(|p| p.slug.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            publish_at: model
                .published_at
                .map(rules::publish_at_value)
                .unwrap_or_default(),
        },
        error: None,
        state: Some(state_of(&model, now)),
        cover: cover_of(&model),
        preview: crate::ui::markdown::render(&model.body),
        related: products
            .into_iter()
            .map(|p| {
                (
                    crate::catalog::service::localized(Locale::Fr, p.name_fr, p.name_en),
                    p.slug,
                )
            })
            .collect(),
        history,
    })
}

/// What an editor asks for with the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Keep the article as it stands (draft, scheduled or published), with the changes.
    Save,
    /// Publish: now, or at the date given.
    Publish,
    /// Back to draft: readers no longer see it.
    Unpublish,
}

impl Intent {
    pub fn from_code(code: &str) -> Option<Intent> {
        match code {
            "save" => Some(Intent::Save),
            "publish" => Some(Intent::Publish),
            "unpublish" => Some(Intent::Unpublish),
            _ => None,
        }
    }
}

/// An article as checked, ready to store.
struct Checked {
    title: String,
    slug: String,
    lang: String,
    summary: String,
    body: String,
    author: String,
    cover_alt: String,
    tags: Vec<Tag>,
    products: Vec<i32>,
    publish_at: Option<DateTime<Utc>>,
}

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// Checks the form; product slugs are looked up (one query).
async fn check(
    db: &impl ConnectionTrait,
    form: &ArticleForm,
    editor: &user::Model,
) -> Result<Checked, ArticleError> {
    use crate::catalog::search::fold;
    let title = form.title.trim().to_owned();
    if title.is_empty() {
        return Err(invalid("Donnez un titre à l'article."));
    }
    if too_long(&title, rules::MAX_TITLE) {
        return Err(invalid("Le titre dépasse 160 caractères."));
    }
    let slug = match form.slug.trim() {
        "" => rules::slugify_folded(&fold(&title)),
        typed => typed.to_owned(),
    };
    if !rules::is_slug(&slug) {
        return Err(invalid(
            "Adresse invalide : lettres minuscules sans accents, chiffres et tirets (80 au plus).",
        ));
    }
    let lang = match form.lang.trim() {
        "" | "fr" => "fr",
        "en" => "en",
        _ => return Err(invalid("Langue inconnue : fr ou en.")),
    }
    .to_owned();
    let summary = form.summary.trim().to_owned();
    if too_long(&summary, rules::MAX_SUMMARY) {
        return Err(invalid("Le résumé dépasse 400 caractères."));
    }
    let body = form.body.replace("\r\n", "\n");
    if body.len() > rules::MAX_BODY {
        return Err(invalid(
            "Le texte est trop long (200 000 caractères au plus).",
        ));
    }
    let author = match form.author.trim() {
        "" => format!("{} {}", editor.first_name, editor.last_name),
        typed => typed.to_owned(),
    };
    if too_long(&author, rules::MAX_TITLE) {
        return Err(invalid("La signature dépasse 160 caractères."));
    }
    let cover_alt = form.cover_alt.trim().to_owned();
    if too_long(&cover_alt, rules::MAX_SUMMARY) {
        return Err(invalid("Le texte de l'image dépasse 400 caractères."));
    }
    let mut tags: Vec<Tag> = Vec::new();
    for label in rules::tag_labels(&form.tags) {
        if too_long(&label, rules::MAX_TAG_CHARS) {
            return Err(invalid(format!(
                "Le mot-clé « {label} » dépasse 40 caractères."
            )));
        }
        let slug = rules::slugify_folded(&fold(&label));
        if slug.is_empty() {
            return Err(invalid(format!(
                "Le mot-clé « {label} » doit contenir des lettres ou des chiffres."
            )));
        }
        if !tags.iter().any(|t| t.slug == slug) {
            tags.push(Tag { slug, label });
        }
    }
    if tags.len() > rules::MAX_TAGS {
        return Err(invalid("Huit mots-clés au plus."));
    }
    let refs = rules::product_refs(&form.products);
    if refs.len() > rules::MAX_PRODUCTS {
        return Err(invalid("Huit produits associés au plus."));
    }
    let found = if refs.is_empty() {
        Vec::new()
    } else {
        product::Entity::find()
            .filter(product::Column::Slug.is_in(refs.clone()))
            .filter(product::Column::Status.eq(STATUS_ACTIVE))
            .all(db)
            .await?
    };
    let unknown: Vec<&str> = refs
        .iter()
        .filter(|r| !found.iter().any(|p| &p.slug == *r))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(invalid(format!(
            "Produits introuvables ou retirés de la vente : {}.",
            unknown.join(", ")
        )));
    }
    let products = refs
        .iter()
        .filter_map(|r| found.iter().find(|p| &p.slug == r).map(|p| p.id))
        .collect();
    let publish_at = rules::parse_publish_at(&form.publish_at).map_err(|_| {
        invalid(
            "Date de publication invalide (jour et heure de Paris, par exemple 2027-01-20T09:30).",
        )
    })?;
    Ok(Checked {
        title,
        slug,
        lang,
        summary,
        body,
        author,
        cover_alt,
        tags,
        products,
        publish_at,
    })
}

/// Saves the form as article `form.id` (a new one when `None`) for `editor`, as `intent`
/// asks, in one transaction, and logs the change. Publishing needs a summary and a text; a
/// publication without a date is now. Nothing is written when nothing changed.
///
/// # Errors
/// [`ArticleError::Invalid`] with the message for the editor (a slug taken included),
/// [`ArticleError::NotFound`] for an unknown id, or the database error.
pub async fn save(
    db: &sea_orm::DatabaseConnection,
    form: &ArticleForm,
    intent: Intent,
    editor: &user::Model,
    now: DateTime<Utc>,
) -> Result<article::Model, ArticleError> {
    let checked = check(db, form, editor).await?;
    let txn = crate::db::begin_write(db).await?;
    let existing = match form.id {
        Some(id) => Some(
            article::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(ArticleError::NotFound)?,
        ),
        None => None,
    };
    let taken = article::Entity::find()
        .filter(article::Column::Slug.eq(&checked.slug))
        .filter(article::Column::Id.ne(form.id.unwrap_or(0)))
        .count(&txn)
        .await?;
    if taken > 0 {
        return Err(slug_taken(&checked.slug));
    }
    let was_published = existing
        .as_ref()
        .is_some_and(|m| m.status == STATUS_PUBLISHED);
    let (status, published_at) = match intent {
        Intent::Publish => (STATUS_PUBLISHED, Some(checked.publish_at.unwrap_or(now))),
        Intent::Unpublish => (STATUS_DRAFT, checked.publish_at),
        // A published article keeps its date when the field is emptied.
        Intent::Save if was_published => (
            STATUS_PUBLISHED,
            Some(
                checked
                    .publish_at
                    .or(existing.as_ref().and_then(|m| m.published_at))
                    .unwrap_or(now),
            ),
        ),
        Intent::Save => (STATUS_DRAFT, checked.publish_at),
    };
    if status == STATUS_PUBLISHED && (checked.summary.is_empty() || checked.body.trim().is_empty())
    {
        return Err(invalid(
            "Pour publier, écrivez un résumé et le texte de l'article.",
        ));
    }
    let old_tags = match &existing {
        Some(m) => tags_of(&txn, &[m.id])
            .await?
            .remove(&m.id)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let old_products: Vec<i32> = match &existing {
        Some(m) => article_product::Entity::find()
            .filter(article_product::Column::ArticleId.eq(m.id))
            .order_by_asc(article_product::Column::Position)
            .all(&txn)
            .await?
            .into_iter()
            .map(|l| l.product_id)
            .collect(),
        None => Vec::new(),
    };
    let mut fields: Vec<&str> = Vec::new();
    if let Some(m) = &existing {
        let pairs = [
            ("title", m.title != checked.title),
            ("slug", m.slug != checked.slug),
            ("lang", m.lang != checked.lang),
            ("summary", m.summary != checked.summary),
            ("body", m.body != checked.body),
            ("author", m.author != checked.author),
            ("cover_alt", m.cover_alt != checked.cover_alt),
            ("publish_at", m.published_at != published_at),
        ];
        fields.extend(
            pairs
                .iter()
                .filter(|(_, changed)| *changed)
                .map(|(f, _)| *f),
        );
        if old_tags != checked.tags {
            fields.push("tags");
        }
        if old_products != checked.products {
            fields.push("products");
        }
    }
    let status_changed = existing.as_ref().is_none_or(|m| m.status != status);
    if existing.is_some() && fields.is_empty() && !status_changed {
        txn.rollback().await?;
        return existing.ok_or(ArticleError::NotFound);
    }
    let written = match existing {
        Some(m) => {
            let mut active = m.into_active_model();
            active.title = Set(checked.title);
            active.slug = Set(checked.slug.clone());
            active.lang = Set(checked.lang);
            active.summary = Set(checked.summary);
            active.body = Set(checked.body);
            active.author = Set(checked.author);
            active.cover_alt = Set(checked.cover_alt);
            active.status = Set(status.to_owned());
            active.published_at = Set(published_at);
            active.updated_at = Set(now);
            active.update(&txn).await
        }
        None => {
            article::ActiveModel {
                slug: Set(checked.slug.clone()),
                lang: Set(checked.lang),
                title: Set(checked.title),
                summary: Set(checked.summary),
                body: Set(checked.body),
                cover_image: Set(None),
                cover_alt: Set(checked.cover_alt),
                cover_width: Set(None),
                cover_height: Set(None),
                author: Set(checked.author),
                status: Set(status.to_owned()),
                published_at: Set(published_at),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
        }
    };
    let written = match written {
        Ok(model) => model,
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(slug_taken(&checked.slug));
        }
        Err(error) => return Err(error.into()),
    };
    if old_tags != checked.tags || form.id.is_none() {
        article_tag::Entity::delete_many()
            .filter(article_tag::Column::ArticleId.eq(written.id))
            .exec(&txn)
            .await?;
        if !checked.tags.is_empty() {
            article_tag::Entity::insert_many(checked.tags.iter().map(|t| {
                article_tag::ActiveModel {
                    article_id: Set(written.id),
                    slug: Set(t.slug.clone()),
                    label: Set(t.label.clone()),
                    ..Default::default()
                }
            }))
            .exec(&txn)
            .await?;
        }
    }
    if old_products != checked.products || form.id.is_none() {
        article_product::Entity::delete_many()
            .filter(article_product::Column::ArticleId.eq(written.id))
            .exec(&txn)
            .await?;
        if !checked.products.is_empty() {
            article_product::Entity::insert_many(checked.products.iter().enumerate().map(
                |(position, product_id)| article_product::ActiveModel {
                    article_id: Set(written.id),
                    product_id: Set(*product_id),
                    position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                    ..Default::default()
                },
            ))
            .exec(&txn)
            .await?;
        }
    }
    let action = match (form.id, status_changed, status) {
        (None, _, _) => "created",
        (Some(_), true, STATUS_PUBLISHED) => "published",
        (Some(_), true, _) => "unpublished",
        _ => "edited",
    };
    log(
        &txn,
        written.id,
        Some(editor.id),
        action,
        &fields.join(","),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(written)
}

fn slug_taken(slug: &str) -> ArticleError {
    invalid(format!(
        "L'adresse « {slug} » est déjà celle d'un autre article : choisissez-en une autre."
    ))
}

/// Records a change of article `id`.
async fn log(
    db: &impl ConnectionTrait,
    id: i32,
    user: Option<i32>,
    action: &str,
    fields: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    article_revision::ActiveModel {
        article_id: Set(id),
        user_id: Set(user),
        action: Set(action.to_owned()),
        fields: Set(fields.to_owned()),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Sets (or with `None` removes) the cover of article `id`, and logs it.
///
/// # Errors
/// [`ArticleError::NotFound`], or the database error.
pub async fn set_cover(
    db: &sea_orm::DatabaseConnection,
    id: i32,
    cover: Option<super::media::Stored>,
    editor: &user::Model,
    now: DateTime<Utc>,
) -> Result<(), ArticleError> {
    let txn = crate::db::begin_write(db).await?;
    let model = article::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ArticleError::NotFound)?;
    let mut active = model.into_active_model();
    let to_i32 = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    active.cover_image = Set(cover.as_ref().map(|c| c.path.clone()));
    active.cover_width = Set(cover.as_ref().map(|c| to_i32(c.width)));
    active.cover_height = Set(cover.as_ref().map(|c| to_i32(c.height)));
    active.updated_at = Set(now);
    active.update(&txn).await?;
    let fields = if cover.is_some() {
        "cover"
    } else {
        "cover removed"
    };
    log(&txn, id, Some(editor.id), "cover", fields, now).await?;
    txn.commit().await?;
    Ok(())
}

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
