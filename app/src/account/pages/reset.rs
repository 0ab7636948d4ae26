//! `/account/reset` (ask for a link) and `/account/reset/new` (where the link lands).

use crate::account::api::{RequestPasswordReset, ResetPassword};
use crate::i18n::{Msg, t};
use crate::ui::forms::{Field, FormError, error_of, query};
use crate::ui::seo::PageMeta;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn ResetPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = error_of(action);
    let sent = query("sent").is_some();
    view! {
        <PageMeta title=t(Msg::ResetTitle) description=t(Msg::ResetLead) path="/account/reset" noindex=true/>
        <section class="auth container">
            <div class="auth__card">
                <h1>{t(Msg::ResetTitle)}</h1>
                {sent.then(|| view! { <p class="form-notice" role="status">{t(Msg::ResetSent)}</p> })}
                <p class="auth__lead">{t(Msg::ResetLead)}</p>
                <ActionForm action attr:class="auth__form">
                    <FormError error/>
                    <Field label=t(Msg::EmailLabel) name="email" kind="email" autocomplete="email"/>
                    <button class="button button--primary" type="submit">{t(Msg::ResetButton)}</button>
                </ActionForm>
                <p class="auth__switch"><a href="/account/sign-in">{t(Msg::SignInButton)}</a></p>
            </div>
        </section>
    }
}

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = error_of(action);
    let token = query("token").unwrap_or_default();
    view! {
        <PageMeta title=t(Msg::NewPasswordTitle) description=t(Msg::NewPasswordTitle) path="/account/reset/new" noindex=true/>
        <section class="auth container">
            <div class="auth__card">
                <h1>{t(Msg::NewPasswordTitle)}</h1>
                <ActionForm action attr:class="auth__form">
                    <FormError error/>
                    <input type="hidden" name="token" value=token/>
                    <Field label=t(Msg::NewPasswordLabel) name="password" kind="password" autocomplete="new-password" hint=t(Msg::PasswordHint)/>
                    <button class="button button--primary" type="submit">{t(Msg::NewPasswordButton)}</button>
                </ActionForm>
            </div>
        </section>
    }
}
