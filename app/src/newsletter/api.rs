//! Server functions of the newsletter.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in customer's newsletter state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewsletterState {
    None,
    Pending,
    Confirmed {
        since: chrono::DateTime<chrono::Utc>,
    },
}

/// Asks for the newsletter (double opt-in): the answer is always "check your inbox".
#[server(prefix = "/api", endpoint = "newsletter/subscribe")]
pub async fn subscribe_newsletter(email: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let Ok(email) = crate::account::rules::normalize_email(&email) else {
        return Err(
            AppError::BadRequest(locale.t(crate::i18n::Msg::ErrEmailInvalid).into()).answered(),
        );
    };
    // Each request emails the address.
    crate::throttle::take_email(&state.db, "newsletter", &email, state.clock.now()).await?;
    super::service::request(
        &state.db,
        &email,
        locale,
        "footer",
        &state.site.public_url,
        state.clock.now(),
    )
    .await?;
    if crate::error::is_plain_form_post() {
        leptos_axum::redirect("/newsletter/check-email");
    }
    Ok(())
}

/// Confirms a subscription from its emailed link (the page's button: a GET changes nothing).
#[server(prefix = "/api", endpoint = "newsletter/confirm")]
pub async fn confirm_newsletter(token: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    if !super::service::confirm(&state.db, &token, state.clock.now()).await? {
        let locale = crate::i18n::request_locale();
        return Err(
            AppError::BadRequest(locale.t(crate::i18n::Msg::ErrInvalidLink).into()).answered(),
        );
    }
    leptos_axum::redirect("/newsletter/confirm?done=1");
    Ok(())
}

/// Unsubscribes the holder of `key` (the link in each newsletter), without signing in.
#[server(prefix = "/api", endpoint = "newsletter/unsubscribe")]
pub async fn unsubscribe_newsletter(key: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    if !super::service::unsubscribe(&state.db, &key, state.clock.now()).await? {
        let locale = crate::i18n::request_locale();
        return Err(
            AppError::BadRequest(locale.t(crate::i18n::Msg::ErrInvalidLink).into()).answered(),
        );
    }
    leptos_axum::redirect("/newsletter/unsubscribe?done=1");
    Ok(())
}

/// The signed-in customer's newsletter state.
#[server(prefix = "/api", endpoint = "account/newsletter")]
pub async fn my_newsletter() -> Result<NewsletterState, AppError> {
    use super::service::Standing;
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    Ok(
        match super::service::standing(&state.db, &account.email).await? {
            Standing::None => NewsletterState::None,
            Standing::Pending => NewsletterState::Pending,
            Standing::Confirmed { since } => NewsletterState::Confirmed { since },
        },
    )
}

/// Subscribes (a confirmation link is emailed) or unsubscribes the signed-in customer.
#[server(prefix = "/api", endpoint = "account/newsletter/set")]
pub async fn set_my_newsletter(subscribe: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    let now = state.clock.now();
    match subscribe.as_str() {
        "yes" => {
            // Each request emails a confirmation link: a few an hour.
            let key = crate::throttle::address_key("newsletter", &account.email);
            if !crate::throttle::take(&state.db, &key, crate::throttle::EMAILS_PER_ADDRESS, now)
                .await?
            {
                return Err(crate::throttle::refusal());
            }
            super::service::request(
                &state.db,
                &account.email,
                crate::i18n::request_locale(),
                "account",
                &state.site.public_url,
                now,
            )
            .await?;
        }
        "no" => super::service::unsubscribe_email(&state.db, &account.email, now).await?,
        _ => return Err(AppError::BadRequest("yes or no".into()).answered()),
    }
    leptos_axum::redirect("/account/privacy?newsletter=1");
    Ok(())
}

/// How many confirmed subscribers there are (staff).
#[server(prefix = "/api", endpoint = "admin/newsletter")]
pub async fn newsletter_audience() -> Result<u64, AppError> {
    use crate::db::entities::newsletter_subscription as subscription;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let state = crate::state::app_state()?;
    crate::account::api::ssr::require_staff(&state).await?;
    Ok(subscription::Entity::find()
        .filter(subscription::Column::Status.eq(super::service::CONFIRMED))
        .count(&state.db)
        .await?)
}

/// Sends a newsletter to every confirmed subscriber (staff).
#[server(prefix = "/api", endpoint = "admin/newsletter/send")]
pub async fn send_newsletter(subject: String, body: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    crate::account::api::ssr::require_staff(&state).await?;
    let (subject, body) = (subject.trim(), body.trim());
    if subject.is_empty() || body.is_empty() || subject.chars().count() > 200 || body.len() > 50_000
    {
        return Err(AppError::BadRequest(
            "Objet (200 caractères au plus) et texte (50 000 au plus) sont obligatoires.".into(),
        )
        .answered());
    }
    let sent = super::service::send_campaign(
        &state.db,
        &state.site.public_url,
        subject,
        body,
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect(&format!("/admin/newsletter?sent={sent}"));
    Ok(())
}
