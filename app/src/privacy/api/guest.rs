//! Server functions of `/privacy/request`: a buyer without an account asks for their data by
//! email, opens the emailed link, then downloads or erases it (see
//! `privacy::service::guest`).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an opened link lets this browser do, while it lasts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestGrant {
    pub email: String,
    pub until: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::GuestGrant;
    use crate::error::AppError;
    use serde::{Deserialize, Serialize};

    /// The session key of an opened link.
    pub const GRANT: &str = "privacy.guest";

    /// The grant kept in the session (with the request it came from).
    #[derive(Clone, Debug, Serialize, Deserialize)]
    pub struct Kept {
        pub request: i32,
        pub email: String,
        pub until: chrono::DateTime<chrono::Utc>,
    }

    /// This browser's grant, if one stands.
    pub async fn grant(
        state: &crate::state::AppState,
    ) -> Result<Option<(tower_sessions::Session, Kept)>, AppError> {
        let session = crate::account::api::ssr::session().await?;
        let kept: Option<Kept> = session.get(GRANT).await.ok().flatten();
        Ok(kept
            .filter(|k| k.until > state.clock.now())
            .map(|k| (session, k)))
    }

    /// This browser's grant, or a 400 that says the link has lapsed.
    pub async fn require_grant(
        state: &crate::state::AppState,
    ) -> Result<(tower_sessions::Session, Kept), AppError> {
        grant(state).await?.ok_or_else(|| {
            let locale = crate::i18n::request_locale();
            AppError::BadRequest(locale.t(crate::i18n::Msg::ErrInvalidLink).into()).answered()
        })
    }

    impl From<&Kept> for GuestGrant {
        fn from(kept: &Kept) -> Self {
            GuestGrant {
                email: kept.email.clone(),
                until: kept.until,
            }
        }
    }
}

/// Asks for the link to one's data at `email`. The answer is the same whether or not the shop
/// knows the address; limited per client and per address (each request may send an email).
#[server(prefix = "/api", endpoint = "privacy/request")]
pub async fn request_data_link(email: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let Ok(email) = crate::account::rules::normalize_email(&email) else {
        return Err(
            AppError::BadRequest(locale.t(crate::i18n::Msg::ErrEmailInvalid).into()).answered(),
        );
    };
    let now = state.clock.now();
    crate::throttle::take_email(&state.db, "privacy", &email, now).await?;
    let outcome = crate::privacy::service::guest::request(
        &state.db,
        &email,
        locale,
        &state.site.public_url,
        now,
    )
    .await?;
    tracing::info!(?outcome, "privacy request by email");
    leptos_axum::redirect("/privacy/request?sent=1");
    Ok(())
}

/// Opens the emailed link of `token` (once, within 24 hours): this browser may then download
/// or erase the address's data for an hour.
#[server(prefix = "/api", endpoint = "privacy/request/open")]
pub async fn open_data_link(token: String) -> Result<(), AppError> {
    use crate::privacy::service::guest::{GRANT_MINUTES, open};
    let state = crate::state::app_state()?;
    let now = state.clock.now();
    let Some((request, email)) = open(&state.db, &token, now).await? else {
        let locale = crate::i18n::request_locale();
        return Err(
            AppError::BadRequest(locale.t(crate::i18n::Msg::ErrInvalidLink).into()).answered(),
        );
    };
    let session = crate::account::api::ssr::session().await?;
    // A new session id: the grant is not carried by an id set before the link was opened.
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(
            ssr::GRANT,
            ssr::Kept {
                request,
                email,
                until: now + chrono::Duration::minutes(GRANT_MINUTES),
            },
        )
        .await
        .map_err(AppError::internal)?;
    leptos_axum::redirect("/privacy/request");
    Ok(())
}

/// The address this browser may act for, if an opened link stands.
#[server(prefix = "/api", endpoint = "privacy/request/grant")]
pub async fn data_grant() -> Result<Option<GuestGrant>, AppError> {
    let state = crate::state::app_state()?;
    Ok(ssr::grant(&state).await?.map(|(_, kept)| (&kept).into()))
}

/// Everything the shop holds under the opened link's address, as one JSON document,
/// downloaded (`GET /api/privacy/request/export`).
#[server(prefix = "/api", endpoint = "privacy/request/export", input = leptos::server_fn::codec::GetUrl)]
pub async fn export_data_by_link() -> Result<serde_json::Value, AppError> {
    let state = crate::state::app_state()?;
    let (_, kept) = ssr::require_grant(&state).await?;
    let now = state.clock.now();
    let document = crate::privacy::service::guest::export(
        &state.db,
        crate::privacy::service::guest::By::Link(kept.request),
        &kept.email,
        now,
    )
    .await?;
    super::ssr::download_as_export(now);
    Ok(document)
}

/// Erases what the shop holds under the opened link's address, once `confirm` is ticked;
/// refused while an order is on its way.
#[server(prefix = "/api", endpoint = "privacy/request/erase")]
pub async fn erase_data_by_link(confirm: Option<String>) -> Result<(), AppError> {
    use crate::i18n::Msg;
    use crate::privacy::service::data::EraseError;
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let (session, kept) = ssr::require_grant(&state).await?;
    if confirm.as_deref() != Some("yes") {
        return Err(AppError::BadRequest(locale.t(Msg::DeleteConfirmMissing).into()).answered());
    }
    match crate::privacy::service::guest::erase(
        &state.db,
        crate::privacy::service::guest::By::Link(kept.request),
        &kept.email,
        locale,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => {}
        Err(EraseError::OrderInProgress) => {
            return Err(AppError::Conflict(locale.t(Msg::DeleteOrderInProgress).into()).answered());
        }
        Err(EraseError::Database(error)) => return Err(error.into()),
    }
    let _ = session.remove::<ssr::Kept>(ssr::GRANT).await;
    leptos_axum::redirect("/privacy/request?erased=1");
    Ok(())
}
