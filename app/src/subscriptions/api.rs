//! Server functions of subscriptions: the account's own (list, cancel, change) and staff's
//! (list, end). Someone else's subscription is a 404, like one that does not exist.

use super::model::{AddressChoice, SubscriptionView};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The account's subscriptions and the addresses they may be sent to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionsOverview {
    pub subscriptions: Vec<SubscriptionView>,
    pub addresses: Vec<AddressChoice>,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::super::service::SubscriptionError;
    use crate::error::AppError;
    use crate::i18n::Msg;

    /// The answer for `error`, with its status set.
    pub fn answer(error: SubscriptionError) -> AppError {
        let locale = crate::i18n::request_locale();
        let text = |msg: Msg| locale.t(msg).to_owned();
        match error {
            SubscriptionError::NotFound => AppError::NotFound,
            SubscriptionError::NotActive => AppError::Conflict(text(Msg::ErrSubscriptionNotActive)),
            SubscriptionError::FrequencyNotOffered => {
                AppError::BadRequest(text(Msg::ErrSubscriptionFrequency))
            }
            SubscriptionError::BadAddress => {
                AppError::BadRequest(text(Msg::ErrSubscriptionAddress))
            }
            SubscriptionError::Database(e) => AppError::internal(e),
        }
        .answered()
    }

    impl From<SubscriptionError> for AppError {
        fn from(error: SubscriptionError) -> Self {
            answer(error)
        }
    }
}

/// The signed-in account's subscriptions.
#[server(prefix = "/api", endpoint = "account/subscriptions")]
pub async fn account_subscriptions() -> Result<SubscriptionsOverview, AppError> {
    use super::service;
    let state = crate::state::app_state()?;
    let (_, user) = crate::account::api::ssr::require_account(&state).await?;
    let locale = crate::i18n::request_locale();
    crate::security::no_store();
    Ok(SubscriptionsOverview {
        subscriptions: service::of_user(&state.db, user.id, locale, state.clock.now())
            .await
            .map_err(AppError::internal)?,
        addresses: service::address_choices(&state.db, user.id, locale)
            .await
            .map_err(AppError::internal)?,
    })
}

/// Cancels subscription `id` of the signed-in account: at once up to 3 days before the next
/// delivery, else after it.
#[server(prefix = "/api", endpoint = "account/subscriptions/cancel")]
pub async fn cancel_subscription(id: i32) -> Result<(), AppError> {
    use super::service::{self, Cancelled};
    let state = crate::state::app_state()?;
    let (_, user) = crate::account::api::ssr::require_account(&state).await?;
    let outcome = service::cancel(
        &state.db,
        &state.site.public_url,
        user.id,
        id,
        state.clock.now(),
    )
    .await?;
    let when = match outcome {
        Cancelled::Now => "now",
        Cancelled::AfterDelivery(_) => "later",
    };
    leptos_axum::redirect(&format!("/account/subscriptions?cancelled={when}"));
    Ok(())
}

/// Changes the frequency and the address (`address_id` from the book; empty: unchanged) of
/// subscription `id` for its deliveries not yet ordered.
#[server(prefix = "/api", endpoint = "account/subscriptions/change")]
pub async fn change_subscription(
    id: i32,
    every_months: u8,
    address_id: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let (_, user) = crate::account::api::ssr::require_account(&state).await?;
    let address_id = match address_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<i32>()
                .map_err(|_| ssr::answer(super::service::SubscriptionError::BadAddress))?,
        ),
    };
    super::service::change(
        &state.db,
        user.id,
        id,
        every_months,
        address_id,
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect("/account/subscriptions?changed=1");
    Ok(())
}

/// Staff: every subscription.
#[server(prefix = "/api", endpoint = "admin/subscriptions")]
pub async fn staff_subscriptions() -> Result<Vec<SubscriptionView>, AppError> {
    let state = crate::state::app_state()?;
    crate::account::api::ssr::require_staff(&state).await?;
    crate::security::no_store();
    super::service::all(&state.db, crate::i18n::request_locale(), state.clock.now())
        .await
        .map_err(AppError::internal)
}

/// Staff: ends subscription `id` at once; the customer is emailed `reason`.
#[server(prefix = "/api", endpoint = "admin/subscriptions/end")]
pub async fn end_subscription(id: i32, reason: String) -> Result<(), AppError> {
    use crate::i18n::Msg;
    let state = crate::state::app_state()?;
    let staff = crate::account::api::ssr::require_staff(&state).await?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        let locale = crate::i18n::request_locale();
        return Err(AppError::BadRequest(locale.t(Msg::ErrEndReason).to_owned()).answered());
    }
    super::service::end_by_staff(
        &state.db,
        &state.site.public_url,
        id,
        staff.id,
        reason,
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect("/admin/subscriptions?ended=1");
    Ok(())
}
