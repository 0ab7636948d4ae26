//! `/account/security`: password change, open sessions, sign out everywhere.

use super::overview::SignOutForm;
use crate::account::api::{
    ChangeEmail, ChangePassword, ConfirmEmailChange, SignOutEverywhere, account_sessions,
};
use crate::account::model::SessionView;
use crate::error::AppError;
use crate::i18n::{Locale, Msg, t, use_locale};
use crate::ui::forms::{Field, FormError, error_of, query};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn SecurityPage() -> impl IntoView {
    let sessions = OnceResource::new(account_sessions());
    let locale = use_locale();
    view! {
        <PageMeta title=t(Msg::AccountSecurity) description=t(Msg::AccountSecurityText) path="/account/security" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match sessions.await {
                    Ok(sessions) => view! { <Security sessions locale/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/account/security"/> }.into_any()
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn when(at: chrono::DateTime<chrono::Utc>, locale: Locale) -> String {
    match locale {
        Locale::Fr => at.format("%d/%m/%Y %H:%M UTC").to_string(),
        Locale::En => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

#[component]
fn Security(sessions: Vec<SessionView>, locale: Locale) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let change_error = error_of(change);
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let email_change = ServerAction::<ChangeEmail>::new();
    let email_error = error_of(email_change);
    let notice = if query("changed").is_some() {
        Some(t(Msg::PasswordChanged))
    } else if query("email_sent").is_some() {
        Some(t(Msg::EmailChangeSent))
    } else if query("email_changed").is_some() {
        Some(t(Msg::EmailChanged))
    } else {
        None
    };
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/account">{t(Msg::AccountTitle)}</a></p>
            <h1>{t(Msg::AccountSecurity)}</h1>
            {notice.map(|notice| view! { <p class="form-notice" role="status">{notice}</p> })}
            <div class="account__grid">
                <article class="account__panel">
                    <h2>{t(Msg::ChangePasswordTitle)}</h2>
                    <p>{t(Msg::ChangePasswordText)}</p>
                    <ActionForm action=change attr:class="auth__form">
                        <FormError error=change_error/>
                        <Field label=t(Msg::CurrentPasswordLabel) name="current_password" kind="password" autocomplete="current-password"/>
                        <Field label=t(Msg::NewPasswordLabel) name="new_password" kind="password" autocomplete="new-password" hint=t(Msg::PasswordHint)/>
                        <button class="button button--primary" type="submit">{t(Msg::ChangePasswordButton)}</button>
                    </ActionForm>
                </article>
                <article class="account__panel">
                    <h2>{t(Msg::ChangeEmailTitle)}</h2>
                    <p>{t(Msg::ChangeEmailText)}</p>
                    <ActionForm action=email_change attr:class="auth__form">
                        <FormError error=email_error/>
                        <Field label=t(Msg::NewEmailLabel) name="new_email" kind="email" autocomplete="email"/>
                        <Field label=t(Msg::CurrentPasswordLabel) name="current_password" kind="password" autocomplete="current-password"/>
                        <button class="button button--primary" type="submit">{t(Msg::ChangeEmailButton)}</button>
                    </ActionForm>
                </article>
                <article class="account__panel">
                    <h2>{t(Msg::SessionsTitle)}</h2>
                    <ul class="sessions">
                        {sessions
                            .into_iter()
                            .map(|s| view! {
                                <li class="sessions__item">
                                    <strong>{if s.current { t(Msg::ThisDevice).to_owned() } else { s.device.clone() }}</strong>
                                    {s.current.then(|| view! { <span class="sessions__device">{s.device.clone()}</span> })}
                                    <span>{t(Msg::SignedInOn)} " " {when(s.signed_in_at, locale)}</span>
                                    <span>{t(Msg::LastSeen)}{locale.colon()}{when(s.last_seen_at, locale)}</span>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                    <p>{t(Msg::SignOutEverywhereText)}</p>
                    <ActionForm action=everywhere>
                        <button class="button" type="submit">{t(Msg::SignOutEverywhere)}</button>
                    </ActionForm>
                </article>
            </div>
            <SignOutForm/>
        </section>
    }
}

/// `/account/email/confirm?token=…`: the link sent to a new address lands here; the change
/// happens on the button (a GET changes nothing).
#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmailChange>::new();
    let error = error_of(action);
    let token = query("token").unwrap_or_default();
    view! {
        <PageMeta title=t(Msg::ConfirmEmailChangeTitle) description=t(Msg::ConfirmEmailChangeText) path="/account/email/confirm" noindex=true/>
        <section class="auth container">
            <div class="auth__card">
                <h1>{t(Msg::ConfirmEmailChangeTitle)}</h1>
                <p class="auth__lead">{t(Msg::ConfirmEmailChangeText)}</p>
                <ActionForm action attr:class="auth__form">
                    <FormError error/>
                    <input type="hidden" name="token" value=token/>
                    <button class="button button--primary" type="submit">{t(Msg::ConfirmEmailChangeButton)}</button>
                </ActionForm>
            </div>
        </section>
    }
}
