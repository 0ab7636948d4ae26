//! `POST /admin/articles/{id}/cover`: a cover image from the editor's page, as a plain
//! multipart form (no script needed). Success and refusal both go back to the editor page
//! (303); a refusal's message waits there in the session.

use super::api::COVER_ERROR;
use super::media::{self, MediaError};
use crate::account::model::Role;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The form field holding the file.
pub const FIELD: &str = "cover";

pub async fn upload_cover(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i32>,
    multipart: Multipart,
) -> Response {
    let back = format!("/admin/articles/{id}");
    // The body is read whatever the answer: a connection closed on unread bytes is reset, and
    // the browser would show a network error instead of the page it is sent to.
    let file = read_file(multipart, FIELD).await;
    let editor = match crate::account::api::ssr::account_of(&state, &session).await {
        Ok(Some(account)) => account,
        Ok(None) => {
            return Redirect::to(&format!("/account/sign-in?next={back}")).into_response();
        }
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response(),
    };
    if !Role::from_code(&editor.role).is_some_and(Role::is_back_office) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Réservé aux rédacteurs et à l'équipe de la boutique.\n",
        )
            .into_response();
    }
    let refused = |message: String| async move {
        if let Err(error) = session.insert(COVER_ERROR, message).await {
            tracing::warn!(%error, "could not keep the upload's message");
        }
        Redirect::to(&back).into_response()
    };
    let bytes = match file {
        Ok(bytes) => bytes,
        Err(message) => return refused(message).await,
    };
    let stored = match media::store(&state.site.media_dir, &bytes).await {
        Ok(stored) => stored,
        Err(MediaError::Io(error)) => {
            tracing::error!(%error, dir = %state.site.media_dir.display(), "cover not written");
            return refused("L'image n'a pas pu être enregistrée : réessayez.".to_owned()).await;
        }
        Err(error) => return refused(error.to_string()).await,
    };
    let saved =
        super::service::set_cover(&state.db, id, Some(stored), &editor, state.clock.now()).await;
    match saved {
        Ok(()) => Redirect::to(&format!("/admin/articles/{id}")).into_response(),
        Err(super::service::ArticleError::NotFound) => {
            (StatusCode::NOT_FOUND, "no such article\n").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "cover not saved");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
        }
    }
}

/// The bytes of the file in field `name`, if within the limit. The whole body is read (the
/// request limit bounds it).
pub(crate) async fn read_file(mut multipart: Multipart, name: &str) -> Result<Vec<u8>, String> {
    let unreadable = || "Envoi illisible : choisissez l'image à nouveau.".to_owned();
    let mut file: Option<Vec<u8>> = None;
    let mut too_large = false;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let wanted = field.name() == Some(name) && file.is_none();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
            if wanted && !too_large {
                too_large = bytes.len() + chunk.len() > media::MAX_BYTES;
                if !too_large {
                    bytes.extend_from_slice(&chunk);
                }
            }
        }
        if wanted {
            file = Some(bytes);
        }
    }
    if too_large {
        return Err(MediaError::TooLarge.to_string());
    }
    file.ok_or_else(|| MediaError::Empty.to_string())
}
