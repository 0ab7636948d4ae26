//! `POST /admin/products/{id}/image`: a product's picture, as a plain multipart form. Checked
//! and kept like article covers (`articles::upload::receive_image`: type read from the bytes,
//! size, dimensions; stored under `APP__MEDIA_DIR` by content hash). Success and refusal both go
//! back to the product's page.

use crate::account::model::Role;
use crate::articles::upload::{Upload, receive_image};
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

pub async fn upload_product_image(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i32>,
    multipart: Multipart,
) -> Response {
    let upload = Upload {
        field: super::IMAGE_FIELD,
        error_key: super::IMAGE_ERROR,
        back: format!("/admin/products/{id}"),
        allowed: |role| role == Role::Staff,
        refusal: "Réservé à l'équipe de la boutique.\n",
    };
    let (staff, stored) = match receive_image(&state, session, multipart, upload).await {
        Ok(received) => received,
        Err(answer) => return answer,
    };
    match super::service::set_image(&state.db, id, &stored.path, staff.id, state.clock.now()).await
    {
        Ok(()) => {
            state.catalogue_changed();
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
