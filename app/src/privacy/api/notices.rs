//! Service notices: the banner's notice for the signed-in customer and its acknowledgement;
//! the back office's list and sending (`privacy::service::notices`).

// The sending form's server function takes one argument per field (plain form names); the
// macro's browser-side twin does not carry an `allow` written on the function.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::privacy::rules::NoticeView;
use leptos::prelude::*;

/// The oldest notice the signed-in account has not acknowledged (none for a visitor).
#[server(prefix = "/api", endpoint = "notices/pending")]
pub async fn pending_notice() -> Result<Option<NoticeView>, AppError> {
    let state = crate::state::app_state()?;
    let Some((_, account)) = crate::account::api::ssr::signed_in(&state).await? else {
        return Ok(None);
    };
    Ok(crate::privacy::service::notices::pending(&state.db, account.id).await?)
}

/// The signed-in customer has read notice `id`: the banner goes, the time is kept as proof.
/// A form posted without JavaScript returns to `next`.
#[server(prefix = "/api", endpoint = "notices/acknowledge")]
pub async fn acknowledge_notice(id: i32, next: Option<String>) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    if !crate::privacy::service::notices::acknowledge(&state.db, account.id, id, state.clock.now())
        .await?
    {
        return Err(AppError::NotFound.answered());
    }
    leptos_axum::redirect(crate::account::rules::local_path_or(next.as_deref(), "/"));
    Ok(())
}

/// The notices sent, newest first (staff).
#[server(prefix = "/api", endpoint = "admin/notices")]
pub async fn admin_notices() -> Result<Vec<NoticeView>, AppError> {
    let state = crate::account::api::ssr::require_staff_state().await?;
    Ok(crate::privacy::service::notices::list(&state.db).await?)
}

/// Sends a service notice to every customer (staff), once `confirm` is ticked: `kind` (a
/// [`crate::privacy::rules::NoticeKind`] code), both languages' subject and body, `legal`
/// ticked to announce the legal page's latest version, guest addresses that ordered in the
/// last `years` years.
#[server(prefix = "/api", endpoint = "admin/notices/send")]
pub async fn send_notice(
    kind: String,
    subject_fr: String,
    subject_en: String,
    body_fr: String,
    body_en: String,
    legal: Option<String>,
    years: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    use crate::i18n::Msg;
    use crate::privacy::rules::NoticeKind;
    use crate::privacy::service::notices::{NewNotice, NoticeError, send};
    let (state, staff) = crate::account::api::ssr::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let bad = |msg: Msg| AppError::BadRequest(locale.t(msg).to_owned()).answered();
    let kind = NoticeKind::from_code(kind.trim()).ok_or_else(|| bad(Msg::ErrNoticeKind))?;
    let years: i32 = years.trim().parse().map_err(|_| bad(Msg::ErrNoticeYears))?;
    if confirm.is_none() {
        return Err(bad(Msg::ErrNoticeConfirm));
    }
    let new = NewNotice {
        kind,
        subject_fr,
        subject_en,
        body_fr,
        body_en,
        with_legal_version: legal.is_some(),
        years,
    };
    match send(
        &state.db,
        new,
        staff.id,
        &state.site.public_url,
        state.clock.now(),
    )
    .await
    {
        Ok(sent) => {
            leptos_axum::redirect(&format!("/admin/notices?sent={}", sent.recipients));
            Ok(())
        }
        Err(NoticeError::Invalid(field)) => Err(bad(match field {
            "subject" => Msg::ErrNoticeSubject,
            "body" => Msg::ErrNoticeBody,
            "years" => Msg::ErrNoticeYears,
            _ => Msg::ErrNoticeLegal,
        })),
        Err(NoticeError::Database(error)) => Err(error.into()),
    }
}
