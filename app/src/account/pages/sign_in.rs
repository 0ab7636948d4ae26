//! `/account/sign-in`.

use crate::account::api::{SignIn, take_sign_in_draft};
use crate::i18n::{Msg, t};
use crate::ui::Loading;
use crate::ui::forms::{Field, FormError, error_of, query};
use crate::ui::seo::PageMeta;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn SignInPage() -> impl IntoView {
    let draft = OnceResource::new(take_sign_in_draft());
    view! {
        <PageMeta title=t(Msg::SignInTitle) description=t(Msg::SignInLead) path="/account/sign-in" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let email = draft.await.ok().flatten();
                view! { <SignInForm email/> }
            })}
        </Suspense>
    }
}

#[component]
fn SignInForm(email: Option<String>) -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = error_of(action);
    let notice = if query("reset").is_some() {
        Some(t(Msg::PasswordResetDone))
    } else if query("signed_out").is_some() {
        Some(t(Msg::SignedOutEverywhere))
    } else if query("verified").is_some() {
        Some(t(Msg::EmailVerifiedSignIn))
    } else {
        None
    };
    let next = query("next");
    view! {
        <section class="auth container">
            <div class="auth__card">
                <h1>{t(Msg::SignInTitle)}</h1>
                <p class="auth__lead">{t(Msg::SignInLead)}</p>
                {notice.map(|notice| view! { <p class="form-notice" role="status">{notice}</p> })}
                <ActionForm action attr:class="auth__form">
                    <FormError error/>
                    <Field label=t(Msg::EmailLabel) name="email" kind="email" autocomplete="email" value=email.unwrap_or_default()/>
                    <Field label=t(Msg::PasswordLabel) name="password" kind="password" autocomplete="current-password"/>
                    {next.map(|next| view! { <input type="hidden" name="next" value=next/> })}
                    <button class="button button--primary" type="submit">{t(Msg::SignInButton)}</button>
                </ActionForm>
                <p class="auth__links">
                    <a href="/account/reset">{t(Msg::ForgotPassword)}</a>
                </p>
                <p class="auth__switch">
                    {t(Msg::NoAccountYet)} " " <a href="/account/sign-up">{t(Msg::SignUpTitle)}</a>
                </p>
            </div>
        </section>
    }
}
