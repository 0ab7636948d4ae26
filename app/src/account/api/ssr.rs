//! The session, the signed-in caller and the role checks every server function starts with (the
//! account's and other domains'), and the drafts a refused form keeps for its page.

use super::*;
use crate::account::model::Role;
use crate::account::rules::InputError;
use crate::account::service::{self, AccountError, Caller, FACTS, SessionFacts, store::USER_ID};
use crate::db::entities::user;
use crate::i18n::{Locale, Msg};
use crate::state::{AppState, app_state};
use chrono::Utc;
use tower_sessions::Session;

/// This request's session.
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(AppError::internal)
}

/// Who is asking, for the account use cases.
pub async fn caller(state: &AppState) -> Caller<'_> {
    Caller {
        site: &state.site.public_url,
        locale: crate::i18n::request_locale(),
        ip: crate::security::client_ip().await,
        now: state.clock.now(),
    }
}

/// The signed-in account of this request, if any. A session whose account is gone, was
/// signed out everywhere or passed the absolute timeout is ended here.
pub async fn signed_in(state: &AppState) -> Result<Option<(Session, user::Model)>, AppError> {
    let session = session().await?;
    Ok(account_of(state, &session)
        .await?
        .map(|account| (session, account)))
}

/// The account signed in with `session`, if any (for plain axum handlers, which have the
/// session as an extractor). An ended session is flushed.
pub async fn account_of(
    state: &AppState,
    session: &Session,
) -> Result<Option<user::Model>, AppError> {
    let user_id = session
        .get::<i32>(USER_ID)
        .await
        .map_err(AppError::internal)?;
    let facts = session
        .get::<SessionFacts>(FACTS)
        .await
        .map_err(AppError::internal)?;
    let (Some(user_id), Some(facts)) = (user_id, facts) else {
        return Ok(None);
    };
    let account = service::current_user(
        &state.db,
        user_id,
        facts.signed_in_at,
        state.clock.now(),
        state.site.session_absolute,
    )
    .await?;
    if account.is_none() {
        session.flush().await.map_err(AppError::internal)?;
    }
    Ok(account)
}

/// The signed-in staff member: 401 for a visitor, 403 for any other role.
pub async fn require_staff(state: &AppState) -> Result<user::Model, AppError> {
    let (_, account) = require_account(state).await?;
    if Role::from_code(&account.role) != Some(Role::Staff) {
        return Err(AppError::Forbidden.answered());
    }
    Ok(account)
}

/// The app's state and the signed-in staff member (one session lookup), for the actions
/// that record who did them: 401 for a visitor, 403 for any other role.
pub async fn staff_member() -> Result<(AppState, user::Model), AppError> {
    let state = state()?;
    let staff = require_staff(&state).await?;
    Ok((state, staff))
}

/// The app's state, once the signed-in member is staff: 401 for a visitor, 403 for any
/// other role.
pub async fn require_staff_state() -> Result<AppState, AppError> {
    Ok(staff_member().await?.0)
}

/// The signed-in editor or staff member (articles): 401 for a visitor, 403 for a customer.
pub async fn require_editor(state: &AppState) -> Result<user::Model, AppError> {
    let (_, account) = require_account(state).await?;
    if !Role::from_code(&account.role).is_some_and(Role::is_back_office) {
        return Err(AppError::Forbidden.answered());
    }
    Ok(account)
}

/// The signed-in account, or 401.
pub async fn require_account(state: &AppState) -> Result<(Session, user::Model), AppError> {
    signed_in(state).await?.ok_or_else(|| {
        let error = AppError::Unauthorized;
        error.set_status();
        error
    })
}

/// Starts the session of `account` under a new id (no fixation: an id known before sign-in
/// is worthless after it).
pub async fn start_session(
    session: &Session,
    account: &user::Model,
    at: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let device = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(service::device_name)
        })
        .unwrap_or_default();
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(USER_ID, account.id)
        .await
        .map_err(AppError::internal)?;
    session
        .insert(
            FACTS,
            SessionFacts {
                signed_in_at: at,
                device,
            },
        )
        .await
        .map_err(AppError::internal)
}

pub fn current_user(account: &user::Model) -> CurrentUser {
    CurrentUser {
        id: account.id,
        email: account.email.clone(),
        first_name: account.first_name.clone(),
        last_name: account.last_name.clone(),
        role: Role::from_code(&account.role).unwrap_or(Role::Customer),
    }
}

/// What the shopper reads for `error`: its message, with the territory a French postal
/// code belongs to when it is not the country chosen.
pub fn input_text(locale: Locale, error: InputError) -> String {
    match error {
        InputError::PostalCodeOf(territory) => match locale {
            Locale::Fr => format!(
                "Ce code postal est celui de : {}. Choisissez ce territoire comme pays (tarif de livraison et TVA en dépendent).",
                territory.name(locale)
            ),
            Locale::En => format!(
                "This postal code belongs to {}. Choose that territory as the country (the delivery rate and VAT depend on it).",
                territory.name(locale)
            ),
        },
        other => locale.t(input_message(other)).to_owned(),
    }
}

pub fn input_message(error: InputError) -> Msg {
    match error {
        InputError::Email => Msg::ErrEmailInvalid,
        InputError::PasswordTooShort => Msg::ErrPasswordTooShort,
        InputError::PasswordTooLong => Msg::ErrPasswordTooLong,
        InputError::PasswordTooCommon => Msg::ErrPasswordTooCommon,
        InputError::FirstName => Msg::ErrFirstName,
        InputError::LastName => Msg::ErrLastName,
        InputError::ReferralCode => Msg::ErrReferralCode,
        InputError::Title => Msg::ErrTitle,
        InputError::Phone => Msg::ErrPhone,
        InputError::AddressLine => Msg::ErrAddressLine,
        InputError::PostalCode | InputError::PostalCodeOf(_) => Msg::ErrPostalCode,
        InputError::City => Msg::ErrCity,
        InputError::Country => Msg::ErrCountry,
        InputError::TooManyAddresses => Msg::ErrTooManyAddresses,
        InputError::SameEmail => Msg::ErrSameEmail,
    }
}

/// The answer to an account error, in the request's language.
pub fn answer(error: AccountError) -> AppError {
    let locale: Locale = crate::i18n::request_locale();
    let error = match error {
        AccountError::Input(e) => AppError::BadRequest(input_text(locale, e)),
        AccountError::InvalidCredentials => {
            AppError::BadRequest(locale.t(Msg::ErrWrongCredentials).into())
        }
        AccountError::EmailNotVerified => {
            AppError::BadRequest(locale.t(Msg::ErrEmailNotVerified).into())
        }
        AccountError::Throttled => {
            AppError::TooManyRequests(locale.t(Msg::ErrTooManyAttempts).into())
        }
        AccountError::InvalidLink => AppError::BadRequest(locale.t(Msg::ErrInvalidLink).into()),
        AccountError::WrongCurrentPassword => {
            AppError::BadRequest(locale.t(Msg::ErrWrongCurrentPassword).into())
        }
        AccountError::EmailTaken => AppError::Conflict("email taken".into()),
        AccountError::NotFound => AppError::NotFound,
        AccountError::Database(e) => AppError::internal(e),
        AccountError::Internal(e) => AppError::internal(e),
    };
    error.set_status();
    error
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> Self {
        answer(error)
    }
}

pub fn state() -> Result<AppState, AppError> {
    app_state()
}

/// Keeps what a signed-in form sent when it was refused, for the page the form returns to
/// (a form posted without JavaScript reloads that page: nothing typed is lost). Kept in the
/// session, never in the URL.
pub async fn keep_draft<T: serde::Serialize>(session: &Session, key: &str, value: &T) {
    // A script keeps its own fields; only a reloaded page needs them back.
    if !crate::error::is_plain_form_post() {
        return;
    }
    if let Err(error) = session.insert(key, value).await {
        tracing::warn!(%error, "could not keep the form draft");
    }
}

/// Takes back (and forgets) a draft kept by [`keep_draft`]. Reading first: a visitor
/// without a draft gets no session (and no cookie) from it.
pub async fn take_draft<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let session = session().await.ok()?;
    session.get::<serde_json::Value>(key).await.ok().flatten()?;
    session.remove::<T>(key).await.ok().flatten()
}

/// Sets the browser's cart cookie (the mirror its script reads at load) to `value`, or
/// removes it when `value` is `None`.
pub fn set_cart_cookie(state: &AppState, value: Option<&str>) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let cookie = crate::cart::rules::cart_cookie(value, state.site.secure_cookies);
    if let Ok(cookie) = http::HeaderValue::from_str(&cookie) {
        response.append_header(http::header::SET_COOKIE, cookie);
    }
}

/// At sign-in: merges this browser's cart with the account's and hands the result back.
pub async fn merge_cart(state: &AppState, account: &user::Model) -> Result<(), AppError> {
    let merged = service::saved_cart::merge_at_sign_in(
        &state.db,
        account.id,
        crate::cart::api::cookie_cart(),
        state.clock.now(),
    )
    .await?;
    set_cart_cookie(state, Some(&merged));
    Ok(())
}
