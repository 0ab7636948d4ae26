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

/// The largest CSV file an import takes (the export of 100,000 products is about 75 MB).
pub const IMPORT_MAX_BYTES: usize = 200 * 1024 * 1024;

/// `POST /admin/products/import/upload`: a CSV file tried (`mode=check`) or imported
/// (`mode=apply`, with `checked` the SHA-256 of the file tried). The file goes to a temporary
/// file while its hash is taken, is imported from there, and the report waits in the session
/// for `/admin/products/import`, where the browser is sent back.
pub async fn upload_product_import(
    State(state): State<AppState>,
    session: Session,
    headers: axum::http::HeaderMap,
    multipart: Multipart,
) -> Response {
    use super::{ImportReport, service::ImportRun};
    use crate::i18n::{Locale, Msg};
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let locale = Locale::negotiate(
        header(axum::http::header::COOKIE),
        header(axum::http::header::ACCEPT_LANGUAGE),
    );
    // The whole request is read before answering (an unread body resets the connection).
    let received = receive_csv(multipart).await;
    let staff = match crate::admin::customers::staff_for_download(&state, &session).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let back = |report: ImportReport| async move {
        if let Err(error) = session.insert(super::IMPORT_REPORT, report).await {
            tracing::error!(%error, "the import's report could not be kept");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response();
        }
        Redirect::to("/admin/products/import").into_response()
    };
    let file = match received {
        Ok(file) => file,
        Err(msg) => {
            return back(ImportReport {
                file_error: Some(locale.t(msg).to_owned()),
                ..ImportReport::default()
            })
            .await;
        }
    };
    let apply = file.mode == "apply";
    if apply && file.checked != file.sha256 {
        return back(ImportReport {
            file_name: file.name,
            sha256: file.sha256,
            file_error: Some(locale.t(Msg::ImportNotChecked).to_owned()),
            ..ImportReport::default()
        })
        .await;
    }
    let run = ImportRun {
        path: file.temp.path().to_owned(),
        file_name: file.name,
        sha256: file.sha256,
        apply,
        staff_id: staff.id,
        now: state.clock.now(),
        locale,
    };
    let report = match super::service::import_products(&state.db, run).await {
        Ok(report) => report,
        Err(error) => {
            tracing::error!(%error, "CSV import");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response();
        }
    };
    drop(file.temp);
    if report.applied {
        state.catalogue_changed();
        if let Err(error) =
            crate::wishlist::service::dispatch(&state.db, &state.site.public_url, state.clock.now())
                .await
        {
            tracing::warn!(%error, "could not send the back-in-stock alerts now");
        }
    }
    back(report).await
}

/// A CSV file received: where it waits, its name, hash and the form's other fields.
struct ReceivedCsv {
    temp: tempfile::NamedTempFile,
    name: String,
    sha256: String,
    mode: String,
    checked: String,
}

/// Reads the multipart form: the file into a temporary file (hashing it on the way), `mode`
/// and `checked` as text. Every field is read to its end.
/// What a request body that broke off tells staff: too large (past the route's limit), or
/// unreadable.
fn broken(error: axum::extract::multipart::MultipartError) -> crate::i18n::Msg {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        crate::i18n::Msg::ImportTooLarge
    } else {
        crate::i18n::Msg::ImportUnreadable
    }
}

async fn receive_csv(mut multipart: Multipart) -> Result<ReceivedCsv, crate::i18n::Msg> {
    use crate::i18n::Msg;
    use sha2::Digest;
    use tokio::io::AsyncWriteExt;
    let temp = tempfile::NamedTempFile::new().map_err(|error| {
        tracing::error!(%error, "no temporary file for a CSV import");
        Msg::ImportUnreadable
    })?;
    let mut out = tokio::fs::File::from_std(temp.reopen().map_err(|_| Msg::ImportUnreadable)?);
    let (mut name, mut mode, mut checked) = (None, String::new(), String::new());
    let mut hash = sha2::Sha256::new();
    let mut size = 0_usize;
    let mut failed = None;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let field_name = field.name().unwrap_or_default().to_owned();
        if field_name == super::IMPORT_FIELD && name.is_none() {
            name = Some(field.file_name().unwrap_or("import.csv").to_owned());
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                size += chunk.len();
                hash.update(&chunk);
                if failed.is_none() && out.write_all(&chunk).await.is_err() {
                    failed = Some(Msg::ImportUnreadable);
                }
            }
        } else {
            let text = field.text().await.map_err(broken)?;
            match field_name.as_str() {
                "mode" => mode = text,
                "checked" => checked = text,
                _ => {}
            }
        }
    }
    if let Some(msg) = failed {
        return Err(msg);
    }
    if out.flush().await.is_err() {
        return Err(Msg::ImportUnreadable);
    }
    let name = match name {
        Some(name) if size > 0 => name,
        _ => return Err(Msg::ImportNoFile),
    };
    Ok(ReceivedCsv {
        temp,
        name,
        sha256: hex::encode(hash.finalize()),
        mode,
        checked,
    })
}
