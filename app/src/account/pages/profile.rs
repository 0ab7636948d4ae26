//! `/account/profile`: title, names and phone.

use crate::account::api::{UpdateProfile, account_profile, take_profile_draft};
use crate::account::model::Profile;
use crate::account::rules::TITLES;
use crate::error::AppError;
use crate::i18n::{Msg, t};
use crate::ui::forms::{Field, FormError, error_of, query};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let profile = OnceResource::new(account_profile());
    let draft = OnceResource::new(take_profile_draft());
    view! {
        <PageMeta title=t(Msg::ProfileTitle) description=t(Msg::ProfileText) path="/account/profile" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let draft = draft.await.ok().flatten();
                match profile.await {
                    // A refused submission comes back as it was typed.
                    Ok(profile) => view! { <ProfileForm profile=draft.unwrap_or(profile)/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/account/profile"/> }.into_any()
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProfileForm(profile: Profile) -> impl IntoView {
    let action = ServerAction::<UpdateProfile>::new();
    let error = error_of(action);
    let saved = query("saved").is_some();
    let title = profile.title.clone().unwrap_or_default();
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/account">{t(Msg::AccountTitle)}</a></p>
            <h1>{t(Msg::ProfileTitle)}</h1>
            {saved.then(|| view! { <p class="form-notice" role="status">{t(Msg::ProfileSaved)}</p> })}
            <article class="account__panel account__panel--form">
                <p class="account__email-line">
                    {t(Msg::EmailLabelReadOnly)}{crate::i18n::use_locale().colon()}<strong>{profile.email.clone()}</strong>
                </p>
                <ActionForm action attr:class="auth__form">
                    <FormError error/>
                    <div class="field">
                        <label for="field-title">{t(Msg::TitleLabel)}</label>
                        <select id="field-title" name="title" autocomplete="honorific-prefix">
                            <option value="" selected=title.is_empty()>{t(Msg::TitleNone)}</option>
                            {TITLES
                                .iter()
                                .map(|(code, shown)| view! {
                                    <option value=*code selected=title == *code>{*shown}</option>
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <Field label=t(Msg::FirstNameLabel) name="first_name" autocomplete="given-name" value=profile.first_name.clone()/>
                    <Field label=t(Msg::LastNameLabel) name="last_name" autocomplete="family-name" value=profile.last_name.clone()/>
                    <Field label=t(Msg::PhoneLabel) name="phone" kind="tel" autocomplete="tel" required=false
                        hint=t(Msg::OptionalHint) value=profile.phone.clone().unwrap_or_default()/>
                    <button class="button button--primary" type="submit">{t(Msg::ProfileSave)}</button>
                </ActionForm>
            </article>
        </section>
    }
}
