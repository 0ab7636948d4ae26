//! `/account/privacy`: download one's data, cookie choices, delete the account; and
//! `/account/deleted`, where a deleted account lands.

use crate::account::api::current_account;
use crate::error::AppError;
use crate::i18n::{Msg, use_locale};
use crate::privacy::api::{DeleteAccount, SetObjection, objection_standing};
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
            <Objection/>
            <crate::newsletter::pages::AccountNewsletter/>
            <crate::cart::pages::AccountCartReminders/>
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

/// The objection to marketing and audience measurement: a plain form (works before the WASM),
/// its standing re-read after each change.
#[component]
fn Objection() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SetObjection>::new();
    let error = error_of(action);
    let standing = Resource::new(move || action.version().get(), |_| objection_standing());
    view! {
        <article class="account__panel" id="objection">
            <h2>{locale.t(Msg::ObjectionTitle)}</h2>
            <p>{locale.t(Msg::ObjectionText)}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let since = standing.await.ok().flatten();
                    view! {
                        <ActionForm action attr:class="auth__form">
                            <FormError error/>
                            {since.map(|at| view! {
                                <p data-objection="on">
                                    <strong>{format!("{} {}.", locale.t(Msg::ObjectionSince), crate::ui::format::long_day(locale, at))}</strong>
                                </p>
                            })}
                            <input type="hidden" name="object" value=if since.is_some() { "no" } else { "yes" }/>
                            <button class="button" type="submit">
                                {locale.t(if since.is_some() { Msg::WithdrawObjectionButton } else { Msg::ObjectButton })}
                            </button>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </article>
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

/// `/privacy/request`: the rights of a buyer without an account, by an emailed link. Plain
/// forms throughout: it works before (and without) the WASM.
#[component]
pub fn PrivacyRequestPage() -> impl IntoView {
    use crate::privacy::api::guest::{EraseDataByLink, OpenDataLink, RequestDataLink, data_grant};
    use crate::ui::forms::query;
    let locale = use_locale();
    let ask = ServerAction::<RequestDataLink>::new();
    let ask_error = error_of(ask);
    let open = ServerAction::<OpenDataLink>::new();
    let open_error = error_of(open);
    let erase = ServerAction::<EraseDataByLink>::new();
    let erase_error = error_of(erase);
    let token = query("token").filter(|t| !t.is_empty());
    let sent = query("sent").is_some();
    let erased = query("erased").is_some();
    let grant = OnceResource::new(data_grant());
    view! {
        <PageMeta title=locale.t(Msg::PrivacyRequestTitle) description=locale.t(Msg::PrivacyRequestText) path="/privacy/request" noindex=true/>
        <section class="account container">
            <h1>{locale.t(Msg::PrivacyRequestTitle)}</h1>
            <Suspense fallback=Loading>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                    let grant = grant.await.ok().flatten();
                    if erased {
                        return view! { <p role="status">{locale.t(Msg::PrivacyRequestErased)}</p> }.into_any();
                    }
                    if let Some(token) = token {
                        return view! {
                            <p>{locale.t(Msg::PrivacyRequestOpenText)}</p>
                            <ActionForm action=open attr:class="auth__form">
                                <FormError error=open_error/>
                                <input type="hidden" name="token" value=token/>
                                <button class="button button--primary" type="submit">{locale.t(Msg::PrivacyRequestOpenButton)}</button>
                            </ActionForm>
                        }.into_any();
                    }
                    if let Some(grant) = grant {
                        return view! {
                            <p>{locale.t(Msg::PrivacyRequestFor)}" "<strong data-testid="granted">{grant.email.clone()}</strong></p>
                            <article class="account__panel">
                                <h2>{locale.t(Msg::ExportTitle)}</h2>
                                <a class="button" href="/api/privacy/request/export" download>{locale.t(Msg::ExportButton)}</a>
                            </article>
                            <article class="account__panel account__panel--danger">
                                <h2>{locale.t(Msg::PrivacyRequestEraseButton)}</h2>
                                <p>{locale.t(Msg::PrivacyRequestEraseText)}</p>
                                <ActionForm action=erase attr:class="auth__form">
                                    <FormError error=erase_error/>
                                    <label class="checkbox">
                                        <input type="checkbox" name="confirm" value="yes" required/>
                                        <span>{locale.t(Msg::DeleteConfirmLabel)}</span>
                                    </label>
                                    <button class="button button--danger" type="submit">{locale.t(Msg::PrivacyRequestEraseButton)}</button>
                                </ActionForm>
                            </article>
                        }.into_any();
                    }
                    view! {
                        {sent.then(|| view! { <p role="status">{locale.t(Msg::PrivacyRequestSent)}</p> })}
                        <p>{locale.t(Msg::PrivacyRequestText)}</p>
                        <ActionForm action=ask attr:class="auth__form">
                            <FormError error=ask_error/>
                            <div class="field">
                                <label for="privacy-email">{locale.t(Msg::EmailLabel)}</label>
                                <input id="privacy-email" type="email" name="email" autocomplete="email" required/>
                            </div>
                            <button class="button button--primary" type="submit">{locale.t(Msg::PrivacyRequestButton)}</button>
                        </ActionForm>
                        <p><a href="/account/privacy">{locale.t(Msg::PrivacyRequestHaveAccount)}</a></p>
                    }.into_any()
                })}}
            </Suspense>
        </section>
    }
}
