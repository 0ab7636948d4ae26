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
    let upload = Upload {
        field: FIELD,
        error_key: COVER_ERROR,
        back: format!("/admin/articles/{id}"),
        allowed: Role::is_back_office,
        refusal: "Réservé aux rédacteurs et à l'équipe de la boutique.\n",
    };
    let (editor, stored) = match receive_image(&state, session, multipart, upload).await {
        Ok(received) => received,
        Err(answer) => return answer,
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

/// An image upload from a back-office page: which field holds the file, where a refusal's
/// message waits in the session, the page to go back to, and who may send one.
pub(crate) struct Upload {
    pub field: &'static str,
    pub error_key: &'static str,
    pub back: String,
    pub allowed: fn(Role) -> bool,
    /// The 403's text.
    pub refusal: &'static str,
}

/// Reads the whole request (a connection closed on unread bytes is reset, and the browser
/// would show a network error instead of the page it is sent to), checks the sender, then
/// checks and stores the image. The sender and the stored image; or the answer to give: a
/// sign-in redirect, a 403, or a refusal kept in the session and a redirect back.
pub(crate) async fn receive_image(
    state: &AppState,
    session: Session,
    multipart: Multipart,
    upload: Upload,
) -> Result<(crate::db::entities::user::Model, media::Stored), Response> {
    let Upload {
        field,
        error_key,
        back,
        allowed,
        refusal,
    } = upload;
    let file = read_file(multipart, field).await;
    let sender = match crate::account::api::ssr::account_of(state, &session).await {
        Ok(Some(account)) => account,
        Ok(None) => {
            return Err(Redirect::to(&format!("/account/sign-in?next={back}")).into_response());
        }
        Err(_) => {
            return Err((StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response());
        }
    };
    if !Role::from_code(&sender.role).is_some_and(allowed) {
        return Err((
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            refusal,
        )
            .into_response());
    }
    let refused = |message: String| async move {
        if let Err(error) = session.insert(error_key, message).await {
            tracing::warn!(%error, "could not keep the upload's message");
        }
        Redirect::to(&back).into_response()
    };
    let bytes = match file {
        Ok(bytes) => bytes,
        Err(message) => return Err(refused(message).await),
    };
    match media::store(&state.site.media_dir, &bytes).await {
        Ok(stored) => Ok((sender, stored)),
        Err(MediaError::Io(error)) => {
            tracing::error!(%error, dir = %state.site.media_dir.display(), "image not written");
            Err(refused("L'image n'a pas pu être enregistrée : réessayez.".to_owned()).await)
        }
        Err(error) => Err(refused(error.to_string()).await),
    }
}

/// The bytes of the file in field `name`, if within the limit. The whole body is read (the
/// request limit bounds it).
async fn read_file(mut multipart: Multipart, name: &str) -> Result<Vec<u8>, String> {
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
