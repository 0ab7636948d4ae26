//! `/account`: the signed-in shopper's home; visitors are sent to sign in.

use crate::account::api::{SignOut, current_account};
use crate::account::model::Role;
use crate::i18n::{Msg, t};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn AccountPage() -> impl IntoView {
    let account = OnceResource::new(current_account());
    view! {
        <PageMeta title=t(Msg::AccountTitle) description=t(Msg::AccountTitle) path="/account" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(Some(user)) => view! {
                        <section class="account container">
                            <h1>{t(Msg::AccountTitle)}</h1>
                            <p class="account__hello">
                                {t(Msg::AccountHello)} " " {user.first_name.clone()} " "
                                <span class="account__email">"(" {user.email.clone()} ")"</span>
                            </p>
                            <div class="account__grid">
                                <a class="account__panel account__panel--link" href="/account/orders">
                                    <h2>{t(Msg::AccountOrders)}</h2>
                                    <p>{t(Msg::AccountOrdersText)}</p>
                                </a>
                                <a class="account__panel account__panel--link" href="/account/subscriptions">
                                    <h2>{t(Msg::AccountSubscriptions)}</h2>
                                    <p>{t(Msg::AccountSubscriptionsText)}</p>
                                </a>
                                <a class="account__panel account__panel--link" href="/account/rewards">
                                    <h2>{t(Msg::AccountRewards)}</h2>
                                    <p>{t(Msg::AccountRewardsText)}</p>
                                </a>
                                <a class="account__panel account__panel--link" href="/account/profile">
                                    <h2>{t(Msg::ProfileTitle)}</h2>
                                    <p>{t(Msg::ProfileText)}</p>
                                </a>
                                <a class="account__panel account__panel--link" href="/account/addresses">
                                    <h2>{t(Msg::AddressesTitle)}</h2>
                                    <p>{t(Msg::AddressesText)}</p>
                                </a>
                                <a class="account__panel account__panel--link" href="/account/security">
                                    <h2>{t(Msg::AccountSecurity)}</h2>
                                    <p>{t(Msg::AccountSecurityText)}</p>
                                </a>
                                <a class="account__panel account__panel--link" href="/account/wishlist">
                                    <h2>{t(Msg::WishlistTitle)}</h2>
                                    <p>{t(Msg::WishlistOverview)}</p>
                                </a>
                                <a class="account__panel account__panel--link" href="/account/reviews">
                                    <h2>{t(Msg::ReviewsTitle)}</h2>
                                    <p>{t(Msg::ReviewsOverview)}</p>
                                </a>
                                <a class="account__panel account__panel--link" href="/account/privacy">
                                    <h2>{t(Msg::AccountPrivacy)}</h2>
                                    <p>{t(Msg::AccountPrivacyText)}</p>
                                </a>
                                {(user.role == Role::Staff).then(|| view! {
                                    <a class="account__panel account__panel--link" href="/admin">
                                        <h2>{t(Msg::AdminTitle)}</h2>
                                        <p>{t(Msg::AdminLead)}</p>
                                    </a>
                                })}
                            </div>
                            <SignOutForm/>
                        </section>
                    }
                    .into_any(),
                    Ok(None) => view! { <Redirect path="/account/sign-in?next=/account"/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Sign out" as a form (a state change is never a link).
#[component]
pub fn SignOutForm() -> impl IntoView {
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action attr:class="account__sign-out">
            <button class="button" type="submit">{t(Msg::SignOut)}</button>
        </ActionForm>
    }
}
