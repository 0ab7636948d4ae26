//! Server functions of the wishlist and the back-in-stock alerts. Each works as a plain form
//! posted before the WASM arrives (it answers with a redirect back to the page).

use super::model::SavedProduct;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
impl From<super::service::WishlistError> for AppError {
    fn from(error: super::service::WishlistError) -> Self {
        use super::service::WishlistError;
        use crate::i18n::Msg;
        let locale = crate::i18n::request_locale();
        let message = |msg: Msg| locale.t(msg).to_owned();
        match error {
            WishlistError::NotFound => AppError::NotFound,
            WishlistError::InStock => AppError::Conflict(message(Msg::ErrAlertInStock)),
            WishlistError::Full => AppError::Conflict(message(Msg::ErrWishlistFull)),
            WishlistError::Database(error) => error.into(),
        }
        .answered()
    }
}

/// What this request's page knows of the signed-in customer's wishlist and alerts (empty for a
/// visitor, or when it cannot be read: a heart shown empty is better than no page).
#[cfg(feature = "ssr")]
pub async fn watching_now() -> super::model::Watching {
    let read = async {
        let state = crate::state::app_state()?;
        let Some((_, account)) = crate::account::api::ssr::signed_in(&state).await? else {
            return Ok::<_, AppError>(super::model::Watching::default());
        };
        Ok(super::service::watching(&state.db, account.id, &account.email).await?)
    };
    read.await.unwrap_or_else(|error| {
        tracing::warn!(?error, "could not read the wishlist of this request");
        super::model::Watching::default()
    })
}

/// Keeps product `product_id` in the signed-in customer's wishlist (`saved`) or takes it out;
/// returns the new state. A visitor's plain form is sent to sign in first, then back.
#[server(prefix = "/api", endpoint = "wishlist/set")]
pub async fn set_wishlist(
    product_id: i32,
    saved: bool,
    back: Option<String>,
) -> Result<bool, AppError> {
    let state = crate::state::app_state()?;
    let back = crate::account::rules::local_path_or(back.as_deref(), "/account/wishlist");
    let Some((_, account)) = crate::account::api::ssr::signed_in(&state).await? else {
        if crate::error::is_plain_form_post() {
            leptos_axum::redirect(&crate::ui::forms::sign_in_then(back));
            return Ok(false);
        }
        return Err(AppError::Unauthorized.answered());
    };
    super::service::set_saved(&state.db, account.id, product_id, saved, state.clock.now()).await?;
    if crate::error::is_plain_form_post() {
        leptos_axum::redirect(back);
    }
    Ok(saved)
}

/// The signed-in customer's wishlist, newest first.
#[server(prefix = "/api", endpoint = "account/wishlist")]
pub async fn my_wishlist() -> Result<Vec<SavedProduct>, AppError> {
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    Ok(super::service::list(
        &state.db,
        account.id,
        &account.email,
        crate::i18n::request_locale(),
    )
    .await?)
}

/// Asks to be emailed when product `product_id` is back in stock: at once for a signed-in
/// customer; for a visitor at `email`, once they confirm by the emailed link (the answer is the
/// same whatever the address asked before).
#[server(prefix = "/api", endpoint = "stock-alerts/ask")]
pub async fn ask_stock_alert(
    product_id: i32,
    email: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    use super::service::Asker;
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let signed_in = crate::account::api::ssr::signed_in(&state).await?;
    let visitor_email;
    let asker = match &signed_in {
        Some((_, account)) => Asker::Account {
            id: account.id,
            email: &account.email,
        },
        None => {
            let Ok(email) = crate::account::rules::normalize_email(email.as_deref().unwrap_or(""))
            else {
                return Err(AppError::BadRequest(
                    locale.t(crate::i18n::Msg::ErrEmailInvalid).into(),
                )
                .answered());
            };
            // Each request emails the address.
            crate::throttle::take_email(&state.db, "stock_alert", &email, state.clock.now())
                .await?;
            visitor_email = email;
            Asker::Visitor {
                email: &visitor_email,
            }
        }
    };
    super::service::ask(
        &state.db,
        product_id,
        asker,
        locale,
        &state.site.public_url,
        state.clock.now(),
    )
    .await?;
    if crate::error::is_plain_form_post() {
        let back = crate::account::rules::local_path_or(back.as_deref(), "/products");
        let path = back.split(['?', '#']).next().unwrap_or(back);
        leptos_axum::redirect(&format!("{path}?alert=asked#stock-alert"));
    }
    Ok(())
}

/// Confirms a visitor's alert from its emailed link (the page's button: a GET changes nothing).
#[server(prefix = "/api", endpoint = "stock-alerts/confirm")]
pub async fn confirm_stock_alert(token: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    if !super::service::confirm(&state.db, &token, state.clock.now()).await? {
        let locale = crate::i18n::request_locale();
        return Err(
            AppError::BadRequest(locale.t(crate::i18n::Msg::ErrInvalidLink).into()).answered(),
        );
    }
    leptos_axum::redirect("/stock-alerts/confirm?done=1");
    Ok(())
}
