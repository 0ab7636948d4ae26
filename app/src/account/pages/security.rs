//! `/account/security`: password change, open sessions, sign out everywhere.

use super::forms::{Field, FormError, error_of, query};
use super::overview::SignOutForm;
use crate::account::api::{ChangePassword, SignOutEverywhere, account_sessions};
use crate::account::model::SessionView;
use crate::error::AppError;
use crate::i18n::{Locale, Msg, t, use_locale};
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
    let changed = query("changed").is_some();
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/account">{t(Msg::AccountTitle)}</a></p>
            <h1>{t(Msg::AccountSecurity)}</h1>
            {changed.then(|| view! { <p class="form-notice" role="status">{t(Msg::PasswordChanged)}</p> })}
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
                    <h2>{t(Msg::SessionsTitle)}</h2>
                    <ul class="sessions">
                        {sessions
                            .into_iter()
                            .map(|s| view! {
                                <li class="sessions__item">
                                    <strong>{if s.current { t(Msg::ThisDevice).to_owned() } else { s.device.clone() }}</strong>
                                    {s.current.then(|| view! { <span class="sessions__device">{s.device.clone()}</span> })}
                                    <span>{t(Msg::SignedInOn)} " " {when(s.signed_in_at, locale)}</span>
                                    <span>{t(Msg::LastSeen)} " : " {when(s.last_seen_at, locale)}</span>
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
