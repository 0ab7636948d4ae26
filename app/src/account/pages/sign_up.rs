//! `/account/sign-up`, the "check your inbox" page after it, and `/account/verify` where the
//! emailed link lands (a button confirms: nothing changes on a GET).

use crate::account::api::{ConfirmEmail, SignUp, SignUpDraft, take_sign_up_draft};
use crate::i18n::{Msg, t};
use crate::ui::Loading;
use crate::ui::forms::{Field, FormError, error_of, query};
use crate::ui::seo::PageMeta;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let draft = OnceResource::new(take_sign_up_draft());
    view! {
        <PageMeta title=t(Msg::SignUpTitle) description=t(Msg::SignUpLead) path="/account/sign-up" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten().unwrap_or_default();
                view! { <SignUpForm draft/> }
            })}
        </Suspense>
    }
}

#[component]
fn SignUpForm(draft: SignUpDraft) -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = error_of(action);
    // A friend's share link (`?ref=CODE`) fills the referral code in.
    let referral = if draft.referral_code.is_empty() {
        query("ref").unwrap_or_default()
    } else {
        draft.referral_code
    };
    view! {
        <section class="auth container">
            <div class="auth__card">
                <h1>{t(Msg::SignUpTitle)}</h1>
                <p class="auth__lead">{t(Msg::SignUpLead)}</p>
                <ActionForm action attr:class="auth__form">
                    <FormError error/>
                    <div class="auth__names">
                        <Field label=t(Msg::FirstNameLabel) name="first_name" autocomplete="given-name" value=draft.first_name/>
                        <Field label=t(Msg::LastNameLabel) name="last_name" autocomplete="family-name" value=draft.last_name/>
                    </div>
                    <Field label=t(Msg::EmailLabel) name="email" kind="email" autocomplete="email" value=draft.email/>
                    <Field label=t(Msg::PasswordLabel) name="password" kind="password" autocomplete="new-password" hint=t(Msg::PasswordHint)/>
                    <Field label=t(Msg::ReferralLabel) name="referral_code" autocomplete="off" required=false value=referral/>
                    <label class="checkbox">
                        <input type="checkbox" name="newsletter" value="on" checked=draft.newsletter/>
                        <span>{t(Msg::NewsletterLabel)}</span>
                    </label>
                    <p class="auth__privacy">{t(Msg::PrivacyNotice)}</p>
                    <button class="button button--primary" type="submit">{t(Msg::SignUpButton)}</button>
                </ActionForm>
                <p class="auth__switch">
                    {t(Msg::AlreadyHaveAccount)} " " <a href="/account/sign-in">{t(Msg::SignInButton)}</a>
                </p>
            </div>
        </section>
    }
}

#[component]
pub fn CheckEmailPage() -> impl IntoView {
    view! {
        <PageMeta title=t(Msg::CheckEmailTitle) description=t(Msg::CheckEmailText) path="/account/check-email" noindex=true/>
        <section class="auth container">
            <div class="auth__card">
                <h1>{t(Msg::CheckEmailTitle)}</h1>
                <p role="status">{t(Msg::CheckEmailText)}</p>
                <p class="auth__switch"><a href="/account/sign-in">{t(Msg::SignInButton)}</a></p>
            </div>
        </section>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmail>::new();
    let error = error_of(action);
    let token = query("token").unwrap_or_default();
    view! {
        <PageMeta title=t(Msg::VerifyTitle) description=t(Msg::VerifyText) path="/account/verify" noindex=true/>
        <section class="auth container">
            <div class="auth__card">
                <h1>{t(Msg::VerifyTitle)}</h1>
                <p class="auth__lead">{t(Msg::VerifyText)}</p>
                <ActionForm action attr:class="auth__form">
                    <FormError error/>
                    <input type="hidden" name="token" value=token/>
                    <button class="button button--primary" type="submit">{t(Msg::VerifyButton)}</button>
                </ActionForm>
            </div>
        </section>
    }
}
