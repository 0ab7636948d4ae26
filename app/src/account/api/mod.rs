//! Account server functions. Each is a public endpoint: it reads the session itself and never
//! trusts the page that called it. Forms post to them directly (they work before the WASM
//! loads); on success they redirect, on error the form shows the message.

use super::model::{AddressView, CurrentUser, Profile, SessionView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr;

/// Session keys of the refused forms kept for their page.
#[cfg(feature = "ssr")]
const ADDRESS_DRAFT: &str = "draft.address";
#[cfg(feature = "ssr")]
const PROFILE_DRAFT: &str = "draft.profile";
#[cfg(feature = "ssr")]
const SIGN_UP_DRAFT: &str = "draft.sign_up";
#[cfg(feature = "ssr")]
const SIGN_IN_DRAFT: &str = "draft.sign_in";

/// The sign-up form as last refused (without its password).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignUpDraft {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub referral_code: String,
    pub newsletter: bool,
}

/// The sign-up form as last refused in this browser, to show again (once).
#[server(prefix = "/api", endpoint = "account/sign-up-draft")]
pub async fn take_sign_up_draft() -> Result<Option<SignUpDraft>, AppError> {
    Ok(ssr::take_draft(SIGN_UP_DRAFT).await)
}

/// The address of the last refused sign-in in this browser, to show again (once).
#[server(prefix = "/api", endpoint = "account/sign-in-draft")]
pub async fn take_sign_in_draft() -> Result<Option<String>, AppError> {
    Ok(ssr::take_draft(SIGN_IN_DRAFT).await)
}

/// An address form as it was sent: the address edited (none for a new one) and its fields.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AddressDraft {
    pub id: Option<i32>,
    pub input: crate::account::rules::AddressInput,
}

/// The signed-in shopper, if any.
#[server(prefix = "/api", endpoint = "account/me")]
pub async fn current_account() -> Result<Option<CurrentUser>, AppError> {
    let state = ssr::state()?;
    Ok(ssr::signed_in(&state)
        .await?
        .map(|(_, account)| ssr::current_user(&account)))
}

/// Creates an account (see `service::sign_up`: the answer never tells whether the address was
/// taken), then shows "check your inbox".
#[server(prefix = "/api", endpoint = "account/sign-up")]
pub async fn sign_up(
    email: String,
    password: String,
    first_name: String,
    last_name: String,
    newsletter: Option<String>,
    referral_code: Option<String>,
) -> Result<(), AppError> {
    use crate::account::service::{self, NewAccount};
    let state = ssr::state()?;
    let form = NewAccount {
        email,
        password,
        first_name,
        last_name,
        newsletter: newsletter.is_some(),
        referral_code: referral_code.unwrap_or_default(),
    };
    let draft = SignUpDraft {
        email: form.email.clone(),
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        referral_code: form.referral_code.clone(),
        newsletter: form.newsletter,
    };
    let caller = ssr::caller(&state).await;
    if let Err(error) = service::sign_up(&state.db, caller, form).await {
        // What was typed comes back with the message (never the password).
        ssr::keep_draft(&ssr::session().await?, SIGN_UP_DRAFT, &draft).await;
        return Err(ssr::answer(error));
    }
    // The ticked box asks for the newsletter: its own confirmation email follows (double
    // opt-in), whether or not the address already had an account (no enumeration).
    if draft.newsletter
        && let Ok(email) = crate::account::rules::normalize_email(&draft.email)
    {
        crate::newsletter::service::request(
            &state.db,
            &email,
            caller.locale,
            "sign_up",
            &state.site.public_url,
            caller.now,
        )
        .await?;
    }
    leptos_axum::redirect("/account/check-email");
    Ok(())
}

/// Signs in, under a new session id, then goes to `next` (a path of this site) or the account.
#[server(prefix = "/api", endpoint = "account/sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let state = ssr::state()?;
    let caller = ssr::caller(&state).await;
    let session = ssr::session().await?;
    let account = match crate::account::service::sign_in(&state.db, caller, &email, password).await
    {
        Ok(account) => account,
        Err(error) => {
            ssr::keep_draft(&session, SIGN_IN_DRAFT, &email).await;
            return Err(ssr::answer(error));
        }
    };
    ssr::start_session(&session, &account, caller.now).await?;
    ssr::merge_cart(&state, &account).await?;
    leptos_axum::redirect(crate::account::rules::safe_next(next.as_deref()));
    Ok(())
}

/// Ends this browser's session.
#[server(prefix = "/api", endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = ssr::state()?;
    // The cart as this browser has it now goes with the account (a change whose sync was cut
    // short by leaving the page is not lost).
    if let Some((_, account)) = ssr::signed_in(&state).await? {
        let (destination, lines) = crate::cart::api::cookie_cart();
        crate::account::service::saved_cart::save_cart(
            &state.db,
            account.id,
            &crate::cart::rules::cookie_value(destination, &lines),
            state.clock.now(),
        )
        .await?;
    }
    let session = ssr::session().await?;
    session.flush().await.map_err(AppError::internal)?;
    // The cart stays with the account, not on this (maybe shared) browser.
    ssr::set_cart_cookie(&state, None);
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends every session of the account, on every device and instance.
#[server(prefix = "/api", endpoint = "account/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    let state = ssr::state()?;
    let (session, account) = ssr::require_account(&state).await?;
    crate::account::service::sign_out_everywhere(&state.db, account.id, state.clock.now()).await?;
    session.flush().await.map_err(AppError::internal)?;
    leptos_axum::redirect("/account/sign-in?signed_out=everywhere");
    Ok(())
}

/// Confirms the address of a new account from its emailed link, and signs it in.
#[server(prefix = "/api", endpoint = "account/confirm-email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    let state = ssr::state()?;
    let now = state.clock.now();
    let verified = crate::account::service::verify_email(&state.db, now, &token).await?;
    if !verified.signs_in {
        leptos_axum::redirect("/account/sign-in?verified=1");
        return Ok(());
    }
    let session = ssr::session().await?;
    ssr::start_session(&session, &verified.account, now).await?;
    ssr::merge_cart(&state, &verified.account).await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// Emails a password-reset link when the address has an account (the answer is the same).
#[server(prefix = "/api", endpoint = "account/request-reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let state = ssr::state()?;
    crate::account::service::request_password_reset(&state.db, ssr::caller(&state).await, &email)
        .await?;
    leptos_axum::redirect("/account/reset?sent=1");
    Ok(())
}

/// Sets a new password from a reset link; every session of the account ends.
#[server(prefix = "/api", endpoint = "account/reset-password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let state = ssr::state()?;
    crate::account::service::reset_password(&state.db, state.clock.now(), &token, password).await?;
    leptos_axum::redirect("/account/sign-in?reset=1");
    Ok(())
}

/// Changes the password of the signed-in account after checking the current one; the other
/// sessions end and this one continues under a new id.
#[server(prefix = "/api", endpoint = "account/change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let state = ssr::state()?;
    let (session, account) = ssr::require_account(&state).await?;
    let caller = ssr::caller(&state).await;
    let keep = session.id().map(|id| id.to_string()).unwrap_or_default();
    crate::account::service::change_password(
        &state.db,
        caller,
        &account,
        current_password,
        new_password,
        &keep,
    )
    .await?;
    // This session continues under a new id, signed in from now on.
    ssr::start_session(&session, &account, caller.now).await?;
    leptos_axum::redirect("/account/security?changed=1");
    Ok(())
}

/// The open sessions of the signed-in account.
#[server(prefix = "/api", endpoint = "account/sessions")]
pub async fn account_sessions() -> Result<Vec<SessionView>, AppError> {
    let state = ssr::state()?;
    let (session, account) = ssr::require_account(&state).await?;
    let current = session.id().map(|id| id.to_string());
    Ok(crate::account::service::session_views(
        &state.db,
        account.id,
        current.as_deref(),
        state.clock.now(),
    )
    .await?)
}

/// The profile of the signed-in account.
#[server(prefix = "/api", endpoint = "account/profile")]
pub async fn account_profile() -> Result<Profile, AppError> {
    let state = ssr::state()?;
    let (_, account) = ssr::require_account(&state).await?;
    Ok(crate::account::service::profile::profile(&account))
}

/// Saves the title, names and phone of the signed-in account.
#[server(prefix = "/api", endpoint = "account/update-profile")]
pub async fn update_profile(
    title: String,
    first_name: String,
    last_name: String,
    phone: String,
) -> Result<(), AppError> {
    use crate::account::service::profile::{self, ProfileInput};
    let state = ssr::state()?;
    let (session, account) = ssr::require_account(&state).await?;
    let draft = Profile {
        email: account.email.clone(),
        title: Some(title.clone()).filter(|t| !t.is_empty()),
        first_name: first_name.clone(),
        last_name: last_name.clone(),
        phone: Some(phone.clone()).filter(|p| !p.is_empty()),
    };
    let input = ProfileInput {
        title,
        first_name,
        last_name,
        phone,
    };
    if let Err(error) = profile::update_profile(&state.db, &account, input, state.clock.now()).await
    {
        ssr::keep_draft(&session, PROFILE_DRAFT, &draft).await;
        return Err(ssr::answer(error));
    }
    leptos_axum::redirect("/account/profile?saved=1");
    Ok(())
}

/// The address book of the signed-in account.
#[server(prefix = "/api", endpoint = "account/addresses")]
pub async fn account_addresses() -> Result<Vec<AddressView>, AppError> {
    let state = ssr::state()?;
    let (_, account) = ssr::require_account(&state).await?;
    crate::account::service::profile::addresses(&state.db, account.id)
        .await
        .map_err(AppError::from)
}

/// One address of the signed-in account's book (404 for anyone else's).
#[server(prefix = "/api", endpoint = "account/address")]
pub async fn account_address(id: i32) -> Result<AddressView, AppError> {
    let state = ssr::state()?;
    let (_, account) = ssr::require_account(&state).await?;
    crate::account::service::profile::address_of(&state.db, account.id, id)
        .await
        .map_err(AppError::from)
}

/// Adds an address (no `id`) or changes one of the signed-in account's.
#[server(prefix = "/api", endpoint = "account/save-address")]
pub async fn save_address(
    id: Option<i32>,
    address: crate::account::rules::AddressInput,
    make_default: Option<String>,
) -> Result<(), AppError> {
    let state = ssr::state()?;
    let (session, account) = ssr::require_account(&state).await?;
    let saved = crate::account::service::profile::save_address(
        &state.db,
        account.id,
        id,
        &address,
        make_default.is_some(),
        state.clock.now(),
    )
    .await;
    if let Err(error) = saved {
        let draft = AddressDraft { id, input: address };
        ssr::keep_draft(&session, ADDRESS_DRAFT, &draft).await;
        return Err(ssr::answer(error));
    }
    leptos_axum::redirect("/account/addresses?saved=1");
    Ok(())
}

/// The address form as last refused, to show again (once).
#[server(prefix = "/api", endpoint = "account/address-draft")]
pub async fn take_address_draft() -> Result<Option<AddressDraft>, AppError> {
    let state = ssr::state()?;
    ssr::require_account(&state).await?;
    Ok(ssr::take_draft(ADDRESS_DRAFT).await)
}

/// The profile form as last refused, to show again (once).
#[server(prefix = "/api", endpoint = "account/profile-draft")]
pub async fn take_profile_draft() -> Result<Option<Profile>, AppError> {
    let state = ssr::state()?;
    ssr::require_account(&state).await?;
    Ok(ssr::take_draft(PROFILE_DRAFT).await)
}

/// Deletes one of the signed-in account's addresses.
#[server(prefix = "/api", endpoint = "account/delete-address")]
pub async fn delete_address(id: i32) -> Result<(), AppError> {
    let state = ssr::state()?;
    let (_, account) = ssr::require_account(&state).await?;
    crate::account::service::profile::delete_address(&state.db, account.id, id, state.clock.now())
        .await?;
    leptos_axum::redirect("/account/addresses?deleted=1");
    Ok(())
}

/// Makes one of the signed-in account's addresses the default.
#[server(prefix = "/api", endpoint = "account/default-address")]
pub async fn set_default_address(id: i32) -> Result<(), AppError> {
    let state = ssr::state()?;
    let (_, account) = ssr::require_account(&state).await?;
    crate::account::service::profile::set_default_address(
        &state.db,
        account.id,
        id,
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect("/account/addresses");
    Ok(())
}

/// Keeps the browser's cart (its cookie value) with the signed-in account; a visitor's cart
/// stays in their browser only, and the answer is the same.
#[server(prefix = "/api", endpoint = "cart/sync")]
pub async fn sync_cart(content: String) -> Result<(), AppError> {
    let state = ssr::state()?;
    if content.len() > 4096 {
        let error = AppError::BadRequest("cart too large".into());
        error.set_status();
        return Err(error);
    }
    if let Some((_, account)) = ssr::signed_in(&state).await? {
        crate::account::service::saved_cart::save_cart(
            &state.db,
            account.id,
            &content,
            state.clock.now(),
        )
        .await?;
    }
    Ok(())
}

/// Sends a link to `new_email` that moves the account there, after checking the password.
#[server(prefix = "/api", endpoint = "account/change-email")]
pub async fn change_email(new_email: String, current_password: String) -> Result<(), AppError> {
    let state = ssr::state()?;
    let (_, account) = ssr::require_account(&state).await?;
    crate::account::service::request_email_change(
        &state.db,
        ssr::caller(&state).await,
        &account,
        current_password,
        &new_email,
    )
    .await?;
    leptos_axum::redirect("/account/security?email_sent=1");
    Ok(())
}

/// Moves the account to its new address, from the link sent there.
#[server(prefix = "/api", endpoint = "account/confirm-email-change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    let state = ssr::state()?;
    crate::account::service::confirm_email_change(&state.db, ssr::caller(&state).await, &token)
        .await?;
    leptos_axum::redirect("/account/security?email_changed=1");
    Ok(())
}
