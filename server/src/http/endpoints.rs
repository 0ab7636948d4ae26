//! Plain HTTP endpoints outside the Leptos pages.

use app::i18n::{LANG_COOKIE, Locale};
use app::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::{self, HeaderValue};
use serde::Deserialize;
use std::time::Duration;

/// 200 when the server and its database answer, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    if DRAINING.load(std::sync::atomic::Ordering::Relaxed) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CACHE_CONTROL, "no-store")],
            "shutting down\n",
        )
            .into_response();
    }
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            "ok\n",
        )
            .into_response(),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "health check: database unavailable");
            unavailable()
        }
        Err(_) => {
            tracing::warn!("health check: database did not answer within 2 s");
            unavailable()
        }
    }
}

/// Set once the process is asked to stop: `/healthz` then answers 503 while the requests a
/// load balancer still sends are served, until the listener closes (`APP__SHUTDOWN_DRAIN_SECONDS`).
/// One server per process: the flag is the process's.
pub static DRAINING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CACHE_CONTROL, "no-store")],
        "database unavailable\n",
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct UnsubscribeKey {
    key: String,
}

/// The one-click unsubscribe of a newsletter's `List-Unsubscribe-Post` header (RFC 8058): a
/// mail client POSTs `List-Unsubscribe=One-Click` here, without cookies or sign-in.
pub async fn one_click_unsubscribe(
    State(state): State<AppState>,
    axum::extract::Query(query): axum::extract::Query<UnsubscribeKey>,
) -> Response {
    match app::newsletter::service::unsubscribe(&state.db, &query.key, state.clock.now()).await {
        Ok(true) => (StatusCode::OK, "Unsubscribed.").into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, "Unknown unsubscribe link.").into_response(),
        Err(error) => {
            tracing::error!(%error, "one-click unsubscribe failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Please try again later.").into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// Remembers the chosen language in a cookie and goes back to the page the shopper was on.
pub async fn set_language(
    State(state): State<AppState>,
    Form(form): Form<LanguageForm>,
) -> Response {
    let Some(locale) = Locale::from_code(&form.lang).filter(|l| l.code() == form.lang.trim())
    else {
        return (StatusCode::BAD_REQUEST, "Unsupported language.").into_response();
    };
    let next = app::account::rules::local_path_or(form.next.as_deref(), "/");
    let secure = if state.site.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        locale.code()
    );
    let (Ok(cookie), Ok(location)) = (HeaderValue::from_str(&cookie), HeaderValue::from_str(next))
    else {
        return (StatusCode::BAD_REQUEST, "Invalid return address.").into_response();
    };
    (
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, location)],
    )
        .into_response()
}

/// A payment provider's notification: `id=…` only (Mollie, the demo provider), or a signed
/// Stripe event. The status always comes from the provider itself; an unknown id is answered
/// like a known one (nothing learnt, nothing done), and a provider that cannot be asked gets a
/// 503 so it notifies again. A Stripe event without a valid signature is refused with a 400.
#[derive(Deserialize)]
pub struct Notification {
    id: String,
}

pub async fn payment_webhook(
    State(state): State<AppState>,
    axum::extract::Path(provider): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let now = state.clock.now();
    let id = if provider == app::payments::stripe::NAME {
        let Some(stripe) = &state.payments.stripe else {
            return (StatusCode::NOT_FOUND, "not found\n").into_response();
        };
        let signature = headers
            .get("stripe-signature")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let event = match stripe.verify_webhook(signature, &body, now.timestamp()) {
            Ok(event) => event,
            Err(error) => {
                tracing::warn!(%error, "Stripe webhook refused");
                return (StatusCode::BAD_REQUEST, "bad signature\n").into_response();
            }
        };
        // Only the object's id is used: its status is asked of Stripe.
        match (
            event["type"].as_str(),
            event["data"]["object"]["id"].as_str(),
        ) {
            (Some(kind), Some(id))
                if kind.starts_with("checkout.session.") || kind.starts_with("payment_intent.") =>
            {
                id.to_owned()
            }
            _ => return (StatusCode::OK, "ignored\n").into_response(),
        }
    } else {
        // Only the providers in use are listened to.
        if state.payments.named(&provider).is_none() {
            return (StatusCode::NOT_FOUND, "not found\n").into_response();
        }
        match serde_urlencoded::from_bytes::<Notification>(&body) {
            Ok(notification) => notification.id,
            Err(_) => return (StatusCode::BAD_REQUEST, "no id\n").into_response(),
        }
    };
    if id.len() > 255 {
        return (StatusCode::BAD_REQUEST, "bad id\n").into_response();
    }
    match app::orders::service::pay::sync_payment(
        &state.db,
        &state.payments,
        state.order_hooks.as_ref(),
        &state.site.public_url,
        &provider,
        &id,
        now,
    )
    .await
    {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(error) => {
            tracing::warn!(%error, "payment notification not applied yet");
            (StatusCode::SERVICE_UNAVAILABLE, "try again\n").into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct OrderKey {
    key: Option<String>,
}

/// The invoice of an order as a PDF, for the holder of the order's link (its page and emails
/// carry the key); a 404 for anyone else, or before the invoice exists.
pub async fn invoice_pdf(
    State(state): State<AppState>,
    axum::extract::Path(number): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<OrderKey>,
) -> Response {
    use app::orders::service::{invoice, view};
    let not_found = || (StatusCode::NOT_FOUND, "not found\n").into_response();
    let viewer = view::Viewer {
        key: query.key.as_deref(),
        ..view::Viewer::default()
    };
    let order = match view::find_for(&state.db, &number, &viewer).await {
        Ok(order) => order,
        Err(app::orders::service::OrderError::NotFound) => return not_found(),
        Err(error) => {
            tracing::error!(%error, "invoice lookup");
            return (StatusCode::INTERNAL_SERVER_ERROR, "try again later\n").into_response();
        }
    };
    let document = match invoice::of_order(&state.db, order.id).await {
        Ok(Some((_, document))) => document,
        Ok(None) => return not_found(),
        Err(error) => {
            tracing::error!(%error, "invoice lookup");
            return (StatusCode::INTERNAL_SERVER_ERROR, "try again later\n").into_response();
        }
    };
    match crate::invoice_pdf::render_file(document).await {
        Ok((filename, pdf)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            pdf,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "invoice PDF");
            (StatusCode::INTERNAL_SERVER_ERROR, "try again later\n").into_response()
        }
    }
}

/// `/media/{name}`: an uploaded image. Names are content hashes, so a file never changes and
/// is cached for a year; only names of that form are looked up (no path leaves the media
/// directory), and the type is the one checked at upload.
pub async fn media(
    State(state): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Response {
    use app::articles::media::{content_type, is_stored_name};
    let not_found = || (StatusCode::NOT_FOUND, "not found\n").into_response();
    if !is_stored_name(&name) {
        return not_found();
    }
    let Some(kind) = name.rsplit('.').next().and_then(content_type) else {
        return not_found();
    };
    match tokio::fs::read(state.site.media_dir.join(&name)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => not_found(),
        Err(error) => {
            tracing::error!(%error, %name, "media read");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
        }
    }
}

/// The PDF answer of packing slips, named `name`.
async fn slips_pdf(name: String, slips: Vec<app::admin::orders::slips::PackingSlip>) -> Response {
    match tokio::task::spawn_blocking(move || crate::invoice_pdf::render_slips(&slips)).await {
        Ok(Ok(pdf)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            pdf,
        )
            .into_response(),
        Ok(Err(error)) => {
            tracing::error!(%error, "packing slips");
            (StatusCode::INTERNAL_SERVER_ERROR, "try again later\n").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "packing slips");
            (StatusCode::INTERNAL_SERVER_ERROR, "try again later\n").into_response()
        }
    }
}

/// `GET /admin/orders/{number}/slip.pdf`: the packing slip of one order, to print. Staff only.
pub async fn order_slip(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    axum::extract::Path(number): axum::extract::Path<String>,
) -> Response {
    if let Err(refused) = app::admin::customers::staff_for_download(&state, &session).await {
        return refused;
    }
    match app::admin::orders::slips::of_order(&state.db, &number).await {
        Ok(Some(slip)) => slips_pdf(format!("bon-{}.pdf", slip.number), vec![slip]).await,
        Ok(None) => (StatusCode::NOT_FOUND, "no such order\n").into_response(),
        Err(error) => {
            tracing::error!(%error, "packing slip");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
        }
    }
}

/// `GET /admin/orders/slips.pdf?{the list's filter}`: the slips of the orders the list shows
/// (oldest first, at most 200), e.g. every order being prepared. Staff only.
pub async fn list_slips(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    axum::extract::Query(filter): axum::extract::Query<app::admin::orders::OrderFilter>,
) -> Response {
    if let Err(refused) = app::admin::customers::staff_for_download(&state, &session).await {
        return refused;
    }
    match app::admin::orders::slips::of_list(&state.db, filter).await {
        Ok(slips) if slips.is_empty() => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Aucune commande ne correspond à ce filtre.\n",
        )
            .into_response(),
        Ok(slips) => {
            let today = app::clock::paris_today(state.clock.now());
            slips_pdf(format!("bons-{}.pdf", today.format("%Y-%m-%d")), slips).await
        }
        Err(error) => {
            tracing::error!(%error, "packing slips");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
        }
    }
}
