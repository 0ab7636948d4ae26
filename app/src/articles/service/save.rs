//! Saving an article (with its tags, products and a revision), and its cover.

use super::*;

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

pub(super) fn slug_taken(slug: &str) -> ArticleError {
    invalid(format!(
        "L'adresse « {slug} » est déjà celle d'un autre article : choisissez-en une autre."
    ))
}

/// Records a change of article `id`.
pub(super) async fn log(
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
    cover: Option<super::super::media::Stored>,
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
