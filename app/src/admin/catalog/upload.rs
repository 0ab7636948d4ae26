//! `POST /admin/products/{id}/image`: a product's picture, as a plain multipart form. Checked
//! and kept like article covers (type read from the bytes, size, dimensions; stored under
//! `APP__MEDIA_DIR` by content hash). Success and refusal both go back to the product's page.

use crate::account::model::Role;
use crate::articles::media::{self, MediaError};
use crate::articles::upload::read_file;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

pub async fn upload_product_image(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i32>,
    multipart: Multipart,
) -> Response {
    let back = format!("/admin/products/{id}");
    // Read whatever the answer (a connection closed on unread bytes is reset).
    let file = read_file(multipart, super::IMAGE_FIELD).await;
    let staff = match crate::account::api::ssr::account_of(&state, &session).await {
        Ok(Some(account)) => account,
        Ok(None) => {
            return Redirect::to(&format!("/account/sign-in?next={back}")).into_response();
        }
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response(),
    };
    if Role::from_code(&staff.role) != Some(Role::Staff) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Réservé à l'équipe de la boutique.\n",
        )
            .into_response();
    }
    let refused = |message: String| async move {
        if let Err(error) = session.insert(super::IMAGE_ERROR, message).await {
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
            tracing::error!(%error, dir = %state.site.media_dir.display(), "picture not written");
            return refused("L'image n'a pas pu être enregistrée : réessayez.".to_owned()).await;
        }
        Err(error) => return refused(error.to_string()).await,
    };
    match super::service::set_image(&state.db, id, &stored.path, staff.id, state.clock.now()).await
    {
        Ok(()) => {
            state.search_cache.clear();
            Redirect::to(&format!("/admin/products/{id}")).into_response()
        }
        Err(super::service::CatalogAdminError::NotFound) => {
            (StatusCode::NOT_FOUND, "no such product\n").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "picture not saved");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
        }
    }
}
