//! What editors see: the list of articles and one article's form with its history.

use super::*;

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
