//! Server functions of the articles: public reading, and the editors' tools (editor or staff
//! accounts only; customers get 403, visitors 401).
// The form's server function takes one argument per field (plain form names); the macro's
// browser-side twin does not carry an `allow` written on the function.
#![allow(clippy::too_many_arguments)]

use super::model::{ArticleAdminRow, ArticleCard, ArticleEditorPage, ArticleListing, ArticleView};
use crate::error::AppError;
use leptos::prelude::*;

/// The session key of a refused form, kept for the page it returns to.
#[cfg(feature = "ssr")]
const ARTICLE_DRAFT: &str = "draft.article";
/// The session key of a refused cover upload's message.
#[cfg(feature = "ssr")]
pub const COVER_ERROR: &str = "draft.article.cover";

/// Homes on the home page.
pub const HOME_ARTICLES: u64 = 3;

#[cfg(feature = "ssr")]
fn answer(error: super::service::ArticleError) -> AppError {
    use super::service::ArticleError;
    match error {
        ArticleError::NotFound => AppError::NotFound.answered(),
        ArticleError::Invalid(message) => AppError::BadRequest(message).answered(),
        ArticleError::Database(error) => error.into(),
    }
}

#[cfg(feature = "ssr")]
impl From<super::service::ArticleError> for AppError {
    fn from(error: super::service::ArticleError) -> Self {
        answer(error)
    }
}

/// A page of `/articles` (`tag` and `page` as the URL gives them); 404 for an unknown tag or
/// a page past the last.
#[server(prefix = "/api", endpoint = "articles")]
pub async fn articles_page(
    tag: Option<String>,
    page: Option<String>,
) -> Result<ArticleListing, AppError> {
    let state = crate::state::app_state()?;
    let page = match page.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => 1,
        Some(page) => page
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| AppError::NotFound.answered())?,
    };
    let tag = tag.as_deref().map(str::trim).filter(|t| !t.is_empty());
    super::service::listing(&state.db, state.clock.now(), tag, page)
        .await
        .map_err(AppError::from)
}

/// The published article `slug`; 404 for anything else (drafts included).
#[server(prefix = "/api", endpoint = "article")]
pub async fn article_page(slug: String) -> Result<ArticleView, AppError> {
    let state = crate::state::app_state()?;
    super::service::published(
        &state.db,
        state.clock.now(),
        crate::i18n::request_locale(),
        &slug,
    )
    .await
    .map_err(AppError::from)
}

/// The latest articles, for the home page.
#[server(prefix = "/api", endpoint = "articles/latest")]
pub async fn latest_articles() -> Result<Vec<ArticleCard>, AppError> {
    use crate::cache::Timed;
    let state = crate::state::app_state()?;
    let (db, now) = (&state.db, state.clock.now());
    // Kept while nothing changes, and never past the next scheduled article's time.
    let load = async move {
        let value = super::service::latest(db, now, HOME_ARTICLES).await?;
        let until = super::service::next_publication(db, now).await?;
        Ok::<_, sea_orm::DbErr>(Timed { value, until })
    };
    state
        .latest_articles
        .get(&state.content, (), now, load)
        .await
        .map_err(|err| AppError::internal(err).answered())
}

/// Every article, for editors.
#[server(prefix = "/api", endpoint = "admin/articles")]
pub async fn editor_articles() -> Result<Vec<ArticleAdminRow>, AppError> {
    let state = crate::account::api::ssr::state()?;
    crate::account::api::ssr::require_editor(&state).await?;
    Ok(super::service::editor_rows(&state.db, state.clock.now()).await?)
}

/// The editor's page of article `id` (empty: a new one). A refused submission comes back as
/// it was sent, with its message.
#[server(prefix = "/api", endpoint = "admin/articles/editor")]
pub async fn article_editor(id: String) -> Result<ArticleEditorPage, AppError> {
    use super::model::ArticleForm;
    use crate::account::api::ssr::{require_editor, state, take_draft};
    let state = state()?;
    let editor = require_editor(&state).await?;
    let id = parse_id(&id)?;
    let kept: Option<(ArticleForm, String)> = take_draft(ARTICLE_DRAFT).await;
    let kept = kept.filter(|(form, _)| form.id == id);
    let cover_error: Option<String> = take_draft(COVER_ERROR).await;
    let mut page = match id {
        Some(id) => super::service::editor_view(&state.db, state.clock.now(), id).await?,
        None => ArticleEditorPage {
            form: ArticleForm {
                lang: "fr".to_owned(),
                author: format!("{} {}", editor.first_name, editor.last_name),
                ..ArticleForm::default()
            },
            error: None,
            state: None,
            cover: None,
            preview: String::new(),
            related: Vec::new(),
            history: Vec::new(),
        },
    };
    // The refused form's message comes back through the form's own error; the upload's
    // (a plain handler) through the page.
    if let Some((form, _message)) = kept {
        page.preview = crate::ui::markdown::render(&form.body);
        page.form = form;
    }
    page.error = cover_error;
    Ok(page)
}

#[cfg(feature = "ssr")]
fn parse_id(id: &str) -> Result<Option<i32>, AppError> {
    match id.trim() {
        "" | "new" => Ok(None),
        id => id
            .parse::<i32>()
            .map(Some)
            .map_err(|_| AppError::NotFound.answered()),
    }
}

/// Saves an article (editors): `intent` is `save`, `publish` or `unpublish`. Then shows its
/// editor page again; a refused form keeps what was typed.
#[server(prefix = "/api", endpoint = "admin/articles/save")]
pub async fn save_article(
    id: String,
    title: String,
    slug: String,
    lang: String,
    summary: String,
    body: String,
    author: String,
    cover_alt: String,
    tags: String,
    products: String,
    publish_at: String,
    intent: String,
) -> Result<i32, AppError> {
    use super::model::ArticleForm;
    use super::service::{ArticleError, Intent, save};
    use crate::account::api::ssr::{keep_draft, require_account, require_editor, state};
    let state = state()?;
    let (session, _) = require_account(&state).await?;
    let editor = require_editor(&state).await?;
    let form = ArticleForm {
        id: parse_id(&id)?,
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
    };
    let intent = Intent::from_code(intent.trim()).unwrap_or(Intent::Save);
    match save(&state.db, &form, intent, &editor, state.clock.now()).await {
        Ok(model) => {
            state.catalogue_changed();
            leptos_axum::redirect(&format!("/admin/articles/{}", model.id));
            Ok(model.id)
        }
        Err(ArticleError::Invalid(message)) => {
            keep_draft(&session, ARTICLE_DRAFT, &(form, message.clone())).await;
            Err(AppError::BadRequest(message).answered())
        }
        Err(error) => Err(answer(error)),
    }
}

/// The HTML readers would see for `body`: rendered and sanitised by the server, so the
/// editor's live preview is exactly what gets published (editors).
#[server(prefix = "/api", endpoint = "admin/articles/preview")]
pub async fn preview_article(body: String) -> Result<String, AppError> {
    let state = crate::account::api::ssr::state()?;
    crate::account::api::ssr::require_editor(&state).await?;
    if body.len() > super::rules::MAX_BODY {
        return Err(AppError::BadRequest("Le texte est trop long.".to_owned()).answered());
    }
    Ok(crate::ui::markdown::render(&body))
}

/// Removes the cover of article `id` (editors).
#[server(prefix = "/api", endpoint = "admin/articles/cover/remove")]
pub async fn remove_cover(id: String) -> Result<(), AppError> {
    let state = crate::account::api::ssr::state()?;
    let editor = crate::account::api::ssr::require_editor(&state).await?;
    let id = parse_id(&id)?.ok_or_else(|| AppError::NotFound.answered())?;
    super::service::set_cover(&state.db, id, None, &editor, state.clock.now()).await?;
    leptos_axum::redirect(&format!("/admin/articles/{id}"));
    Ok(())
}
