//! Server functions for the cookie choice and the audience measurement.

pub mod guest;
pub mod notices;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::privacy::consent::Consent;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::privacy::consent::{self, CONSENT_COOKIE, Consent};
    use crate::security::cookie_values;
    use crate::state::AppState;
    use leptos::prelude::use_context;

    /// The values of cookie `name` sent with this request.
    pub fn request_cookies(name: &str) -> Vec<String> {
        use_context::<http::request::Parts>()
            .map(|parts| {
                parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|header| {
                        cookie_values(header, name)
                            .map(str::to_owned)
                            .collect::<Vec<_>>()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The cookie choice standing for this request, if any.
    pub fn standing_consent(state: &AppState) -> Option<Consent> {
        let values = request_cookies(CONSENT_COOKIE);
        consent::standing(values.iter().map(String::as_str), state.clock.now())
    }

    /// Makes this response a download of a personal-data export made at `now`, never stored
    /// by a cache.
    pub fn download_as_export(now: chrono::DateTime<chrono::Utc>) {
        let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
            return;
        };
        let name = format!(
            "attachment; filename=\"comptoir-donnees-{}.json\"",
            now.format("%Y-%m-%d")
        );
        if let Ok(value) = http::HeaderValue::from_str(&name) {
            response.insert_header(http::header::CONTENT_DISPOSITION, value);
        }
        response.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }

    /// Adds a `Set-Cookie` line to this response.
    pub fn set_cookie(line: &str) {
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(line),
        ) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
}

/// The cookie choice standing for this request (server render), if any. (No state: the
/// route list being generated at start-up, with no request.)
#[cfg(feature = "ssr")]
pub fn standing_consent() -> Option<Consent> {
    use_context::<crate::state::AppState>().and_then(|state| ssr::standing_consent(&state))
}

/// Records a cookie choice: `choice` is `accept` (everything), `refuse` (nothing beyond the
/// strictly necessary) or `custom` (the categories ticked). Keeps it in the consent cookie and
/// in the proof log; withdrawing audience measurement removes its cookie at once. A form posted
/// without JavaScript returns to `next`.
#[server(prefix = "/api", endpoint = "privacy/consent")]
pub async fn save_consent(
    choice: String,
    audience: Option<String>,
    preferences: Option<String>,
    advertising: Option<String>,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::privacy::consent::{AUDIENCE_COOKIE, Choices};
    use crate::privacy::service::consent as service;
    let state = crate::state::app_state()?;
    let ticked = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty() && v != "false");
    let choices = match choice.as_str() {
        "accept" => Choices::ALL,
        "refuse" => Choices::NONE,
        "custom" => Choices {
            audience: ticked(&audience),
            preferences: ticked(&preferences),
            advertising: ticked(&advertising),
        },
        _ => {
            return Err(
                AppError::BadRequest("Choix inconnu : accept, refuse ou custom.".into()).answered(),
            );
        }
    };
    let now = state.clock.now();
    // Each choice is a proof row kept for years: a bound per client.
    let client = crate::throttle::client_key("consent", crate::security::client_ip().await);
    if !crate::throttle::take(&state.db, &client, crate::throttle::CONSENTS_PER_IP, now).await? {
        return Err(crate::throttle::refusal());
    }
    let previous = ssr::standing_consent(&state).or_else(|| {
        // A lapsed choice's visitor id still ties this browser's history together.
        ssr::request_cookies(crate::privacy::consent::CONSENT_COOKIE)
            .iter()
            .find_map(|v| Consent::parse(v))
    });
    let consent = service::record(&state.db, previous.as_ref(), choices, now).await?;
    let secure = state.site.secure_cookies;
    ssr::set_cookie(&service::consent_cookie(&consent, now, secure));
    if !choices.audience && !ssr::request_cookies(AUDIENCE_COOKIE).is_empty() {
        ssr::set_cookie(&service::audience_cookie(None, &consent, now, secure));
    }
    if crate::error::is_plain_form_post() {
        leptos_axum::redirect(crate::account::rules::local_path_or(next.as_deref(), "/"));
    }
    Ok(())
}

/// Counts a view of the page at `path`, only for a visitor whose standing choice accepts
/// audience measurement (anyone else: nothing stored, nothing set, `false`). The first view
/// of a browser sets the audience cookie and counts a visitor.
#[server(prefix = "/api", endpoint = "privacy/visit")]
pub async fn count_visit(path: String) -> Result<bool, AppError> {
    use crate::privacy::consent::{AUDIENCE_COOKIE, is_visitor_id};
    use crate::privacy::service::consent as service;
    let state = crate::state::app_state()?;
    let Some(consent) = ssr::standing_consent(&state).filter(|c| c.choices.audience) else {
        return Ok(false);
    };
    // A signed-in customer who objected is not counted, whatever this browser's choice.
    if let Some((_, account)) = crate::account::api::ssr::signed_in(&state).await?
        && account.objected_at.is_some()
    {
        return Ok(false);
    }
    let Some(path) = service::counted_path(&path) else {
        return Err(AppError::BadRequest("Chemin de page invalide.".into()).answered());
    };
    let now = state.clock.now();
    let client = crate::throttle::client_key("view", crate::security::client_ip().await);
    if !crate::throttle::take(&state.db, &client, crate::throttle::VIEWS_PER_IP, now).await? {
        return Ok(false);
    }
    let known = ssr::request_cookies(AUDIENCE_COOKIE)
        .iter()
        .any(|id| is_visitor_id(id));
    service::count_view(&state.db, crate::clock::paris_today(now), &path, !known).await?;
    if !known {
        let id = service::new_visitor_id();
        ssr::set_cookie(&service::audience_cookie(
            Some(&id),
            &consent,
            now,
            state.site.secure_cookies,
        ));
    }
    Ok(true)
}

/// Everything the shop holds about the signed-in customer, as one JSON document, downloaded
/// (`GET /api/account/export`). The consent proofs of this browser come with it.
#[server(prefix = "/api", endpoint = "account/export", input = leptos::server_fn::codec::GetUrl)]
pub async fn export_my_data() -> Result<serde_json::Value, AppError> {
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    let visitor = ssr::request_cookies(crate::privacy::consent::CONSENT_COOKIE)
        .iter()
        .find_map(|v| Consent::parse(v))
        .map(|c| c.visitor);
    let document = crate::privacy::service::data::export(
        &state.db,
        &account,
        visitor.as_deref(),
        state.clock.now(),
    )
    .await?;
    ssr::download_as_export(state.clock.now());
    Ok(document)
}

/// Deletes the signed-in customer's account once the password is confirmed and the box ticked:
/// personal data erased or anonymised, sessions ended, subscriptions cancelled, a confirmation
/// emailed (see `privacy::service::data` for what is kept). Refused while an order is on its way.
#[server(prefix = "/api", endpoint = "account/delete")]
pub async fn delete_account(password: String, confirm: Option<String>) -> Result<(), AppError> {
    use crate::i18n::Msg;
    use crate::privacy::service::erasure::{DeletionError, delete_own_account};
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let (session, account) = crate::account::api::ssr::require_account(&state).await?;
    if confirm.as_deref() != Some("yes") {
        return Err(AppError::BadRequest(locale.t(Msg::DeleteConfirmMissing).into()).answered());
    }
    let mut caller = crate::account::api::ssr::caller(&state).await;
    caller.now = state.clock.now();
    match delete_own_account(&state.db, caller, &account, password).await {
        Ok(()) => {}
        Err(DeletionError::OrderInProgress) => {
            return Err(AppError::Conflict(locale.t(Msg::DeleteOrderInProgress).into()).answered());
        }
        Err(DeletionError::Account(error)) => {
            return Err(crate::account::api::ssr::answer(error));
        }
    }
    session.flush().await.map_err(AppError::internal)?;
    crate::account::api::ssr::set_cart_cookie(&state, None);
    leptos_axum::redirect("/account/deleted");
    Ok(())
}

/// Since when the signed-in customer objects to marketing and audience measurement (none: no
/// objection).
#[server(prefix = "/api", endpoint = "account/objection/standing")]
pub async fn objection_standing() -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    Ok(account.objected_at)
}

/// Objects (`object` = `yes`) to marketing and audience measurement, or withdraws the
/// objection (`no`), for the signed-in customer. Objecting also unsubscribes the newsletter
/// and turns audience measurement off in this browser's cookie choice (a new proof row). A form
/// posted without JavaScript returns to `/account/privacy`.
#[server(prefix = "/api", endpoint = "account/objection")]
pub async fn set_objection(object: String) -> Result<(), AppError> {
    use crate::privacy::consent::{AUDIENCE_COOKIE, Choices};
    use crate::privacy::service::consent as consent_service;
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    let object = match object.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(AppError::BadRequest("Réponse attendue : yes ou no.".into()).answered());
        }
    };
    let now = state.clock.now();
    let changed =
        crate::privacy::service::objection::set_objection(&state.db, &account, object, now).await?;
    if changed {
        tracing::info!(
            account = account.id,
            object,
            "objection to marketing changed"
        );
    }
    if object && let Some(standing) = ssr::standing_consent(&state).filter(|c| c.choices.audience) {
        let choices = Choices {
            audience: false,
            ..standing.choices
        };
        let consent = consent_service::record(&state.db, Some(&standing), choices, now).await?;
        let secure = state.site.secure_cookies;
        ssr::set_cookie(&consent_service::consent_cookie(&consent, now, secure));
        if !ssr::request_cookies(AUDIENCE_COOKIE).is_empty() {
            ssr::set_cookie(&consent_service::audience_cookie(
                None, &consent, now, secure,
            ));
        }
    }
    if crate::error::is_plain_form_post() {
        leptos_axum::redirect("/account/privacy");
    }
    Ok(())
}
