//! The newsletter's pages: "check your inbox", the confirmation and unsubscribe pages (a
//! button each: opening a link changes nothing), the footer's sign-up form, the account's
//! panel and the staff's campaign page.

use super::api::{
    ConfirmNewsletter, NewsletterState, SendNewsletter, SetMyNewsletter, UnsubscribeNewsletter,
    my_newsletter, newsletter_audience,
};
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::ui::forms::{FormError, error_of, query};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, ForbiddenPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// The footer's sign-up form (a plain form: works before the WASM arrives).
#[component]
pub fn NewsletterSignUp() -> impl IntoView {
    let locale = use_locale();
    view! {
        <form class="newsletter-form" method="post" action="/api/newsletter/subscribe">
            <label for="newsletter-email">{locale.t(Msg::NewsletterFooterLabel)}</label>
            <div class="newsletter-form__row">
                <input id="newsletter-email" type="email" name="email" autocomplete="email" required/>
                <button class="button button--small" type="submit">{locale.t(Msg::NewsletterSubscribe)}</button>
            </div>
            <p class="newsletter-form__note">{locale.t(Msg::NewsletterFooterNote)}</p>
        </form>
    }
}

#[component]
pub fn NewsletterCheckEmailPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <PageMeta title=locale.t(Msg::NewsletterCheckTitle) description=locale.t(Msg::NewsletterCheckText) path="/newsletter/check-email" noindex=true/>
        <section class="account container">
            <h1>{locale.t(Msg::NewsletterCheckTitle)}</h1>
            <p>{locale.t(Msg::NewsletterCheckText)}</p>
        </section>
    }
}

#[component]
pub fn NewsletterConfirmPage() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<ConfirmNewsletter>::new();
    let error = error_of(action);
    let done = query("done").is_some();
    let token = query("token").unwrap_or_default();
    view! {
        <PageMeta title=locale.t(Msg::NewsletterConfirmTitle) description=locale.t(Msg::NewsletterConfirmText) path="/newsletter/confirm" noindex=true/>
        <section class="account container">
            {if done {
                view! {
                    <h1>{locale.t(Msg::NewsletterConfirmedTitle)}</h1>
                    <p role="status">{locale.t(Msg::NewsletterConfirmedText)}</p>
                }.into_any()
            } else {
                view! {
                    <h1>{locale.t(Msg::NewsletterConfirmTitle)}</h1>
                    <p>{locale.t(Msg::NewsletterConfirmText)}</p>
                    <ActionForm action attr:class="auth__form">
                        <FormError error/>
                        <input type="hidden" name="token" value=token/>
                        <button class="button button--primary" type="submit">{locale.t(Msg::NewsletterConfirmButton)}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn NewsletterUnsubscribePage() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<UnsubscribeNewsletter>::new();
    let error = error_of(action);
    let done = query("done").is_some();
    let key = query("key").unwrap_or_default();
    view! {
        <PageMeta title=locale.t(Msg::NewsletterUnsubscribeTitle) description=locale.t(Msg::NewsletterUnsubscribeText) path="/newsletter/unsubscribe" noindex=true/>
        <section class="account container">
            <h1>{locale.t(Msg::NewsletterUnsubscribeTitle)}</h1>
            {if done {
                view! { <p role="status">{locale.t(Msg::NewsletterUnsubscribed)}</p> }.into_any()
            } else {
                view! {
                    <p>{locale.t(Msg::NewsletterUnsubscribeText)}</p>
                    <ActionForm action attr:class="auth__form">
                        <FormError error/>
                        <input type="hidden" name="key" value=key/>
                        <button class="button button--primary" type="submit">{locale.t(Msg::NewsletterUnsubscribeButton)}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// The newsletter panel of `/account/privacy`.
#[component]
pub fn AccountNewsletter() -> impl IntoView {
    let locale = use_locale();
    let state = OnceResource::new(my_newsletter());
    let action = ServerAction::<SetMyNewsletter>::new();
    let changed = query("newsletter").is_some();
    view! {
        <article class="account__panel" id="newsletter">
            <h2>{locale.t(Msg::NewsletterTitle)}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let (said, subscribe) = match state.await {
                        Ok(NewsletterState::Confirmed { since }) => (subscribed_since(locale, since), false),
                        Ok(NewsletterState::Pending) => (locale.t(Msg::NewsletterPending).to_owned(), true),
                        Ok(NewsletterState::None) => (locale.t(Msg::NewsletterNone).to_owned(), true),
                        Err(_) => return view! { <ErrorPage/> }.into_any(),
                    };
                    view! {
                        {changed.then(|| view! { <p class="form-notice" role="status">{locale.t(Msg::NewsletterChanged)}</p> })}
                        <p>{said}</p>
                        <ActionForm action>
                            <input type="hidden" name="subscribe" value=if subscribe { "yes" } else { "no" }/>
                            <button class="button" type="submit">
                                {locale.t(if subscribe { Msg::NewsletterSubscribe } else { Msg::NewsletterUnsubscribeButton })}
                            </button>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </article>
    }
}

fn subscribed_since(locale: Locale, since: chrono::DateTime<chrono::Utc>) -> String {
    let day = crate::ui::format::day(since.date_naive());
    match locale {
        Locale::Fr => format!(
            "Vous êtes inscrit à la lettre depuis le {day} (consentement confirmé par e-mail)."
        ),
        Locale::En => format!("You have been subscribed since {day} (consent confirmed by email)."),
    }
}

#[component]
pub fn AdminNewsletterPage() -> impl IntoView {
    let locale = use_locale();
    let audience = OnceResource::new(newsletter_audience());
    view! {
        <PageMeta title=locale.t(Msg::NewsletterTitle) description=locale.t(Msg::AdminNewsletterLead) path="/admin/newsletter" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match audience.await {
                    Ok(count) => view! { <Compose count/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in?next=/admin/newsletter"/> }.into_any(),
                    Err(AppError::Forbidden) => view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Compose(count: u64) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SendNewsletter>::new();
    let error = error_of(action);
    let sent = query("sent");
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
            <h1>{locale.t(Msg::NewsletterTitle)}</h1>
            <p>{locale.t(Msg::AdminNewsletterLead)} " " <strong data-testid="subscribers">{count}</strong></p>
            {sent.map(|n| view! { <p class="form-notice" role="status">{locale.t(Msg::AdminNewsletterSent)} " " {n}</p> })}
            <ActionForm action attr:class="auth__form legal-form">
                <FormError error/>
                <div class="field">
                    <label for="newsletter-subject">{locale.t(Msg::AdminNewsletterSubject)}</label>
                    <input id="newsletter-subject" name="subject" required maxlength="200"/>
                </div>
                <div class="field">
                    <label for="newsletter-body">{locale.t(Msg::AdminNewsletterBody)}</label>
                    <textarea id="newsletter-body" name="body" rows="14" required></textarea>
                </div>
                <button class="button button--primary" type="submit">{locale.t(Msg::AdminNewsletterSend)}</button>
            </ActionForm>
        </section>
    }
}
