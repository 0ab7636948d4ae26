//! `/account/privacy`: download one's data, cookie choices, delete the account; and
//! `/account/deleted`, where a deleted account lands.

use crate::account::api::current_account;
use crate::error::AppError;
use crate::i18n::{Msg, use_locale};
use crate::privacy::api::DeleteAccount;
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn AccountPrivacyPage() -> impl IntoView {
    let locale = use_locale();
    let account = OnceResource::new(current_account());
    view! {
        <PageMeta title=locale.t(Msg::AccountPrivacy) description=locale.t(Msg::AccountPrivacyText) path="/account/privacy" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(Some(_)) => view! { <Privacy/> }.into_any(),
                    Ok(None) | Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/account/privacy"/> }.into_any()
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Privacy() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<DeleteAccount>::new();
    let error = error_of(action);
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/account">{locale.t(Msg::AccountTitle)}</a></p>
            <h1>{locale.t(Msg::AccountPrivacy)}</h1>
            <article class="account__panel">
                <h2>{locale.t(Msg::ExportTitle)}</h2>
                <p>{locale.t(Msg::ExportText)}</p>
                <a class="button" href="/api/account/export" download>{locale.t(Msg::ExportButton)}</a>
            </article>
            <crate::newsletter::pages::AccountNewsletter/>
            <article class="account__panel">
                <h2>{locale.t(Msg::CookiePreferences)}</h2>
                <p><a href="/legal/cookies#cookie-choices">{locale.t(Msg::LegalCookies)}</a></p>
            </article>
            <article class="account__panel account__panel--danger">
                <h2>{locale.t(Msg::DeleteTitle)}</h2>
                <p>{locale.t(Msg::DeleteText)}</p>
                <ActionForm action attr:class="auth__form">
                    <FormError error/>
                    <div class="field">
                        <label for="delete-password">{locale.t(Msg::CurrentPasswordLabel)}</label>
                        <input id="delete-password" type="password" name="password" autocomplete="current-password" required/>
                    </div>
                    <label class="checkbox">
                        <input type="checkbox" name="confirm" value="yes" required/>
                        <span>{locale.t(Msg::DeleteConfirmLabel)}</span>
                    </label>
                    <button class="button button--danger" type="submit">{locale.t(Msg::DeleteButton)}</button>
                </ActionForm>
            </article>
        </section>
    }
}

#[component]
pub fn AccountDeletedPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <PageMeta title=locale.t(Msg::DeletedTitle) description=locale.t(Msg::DeletedText) path="/account/deleted" noindex=true/>
        <section class="account container">
            <h1>{locale.t(Msg::DeletedTitle)}</h1>
            <p>{locale.t(Msg::DeletedText)}</p>
            <p><a class="button button--primary" href="/">{locale.t(Msg::NavHome)}</a></p>
        </section>
    }
}
