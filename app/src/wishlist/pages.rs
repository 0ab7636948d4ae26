//! `/account/wishlist` (the products kept, to add to the cart or take out) and
//! `/stock-alerts/confirm` (a visitor's alert, confirmed by a button: opening a link changes
//! nothing). Plain forms: they work before the WASM arrives.

use super::api::{ConfirmStockAlert, my_wishlist};
use super::model::SavedProduct;
use crate::cart::components::AddToCart;
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::ui::format::money;
use crate::ui::forms::{FormError, error_of, query};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// `/account/wishlist`.
#[component]
pub fn AccountWishlistPage() -> impl IntoView {
    let locale = use_locale();
    let items = OnceResource::new(my_wishlist());
    view! {
        <PageMeta title=locale.t(Msg::WishlistTitle) description=locale.t(Msg::WishlistLead) path="/account/wishlist" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(items) => view! { <Wishlist items locale/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/account/wishlist"/> }.into_any()
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Wishlist(items: Vec<SavedProduct>, locale: Locale) -> impl IntoView {
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/account">{locale.t(Msg::AccountTitle)}</a></p>
            <h1>{locale.t(Msg::WishlistTitle)}</h1>
            <p>{locale.t(Msg::WishlistLead)}</p>
            {items.is_empty().then(|| view! {
                <p class="account__empty">{locale.t(Msg::WishlistEmpty)}</p>
                <p><a class="button" href="/products">{locale.t(Msg::BackToShop)}</a></p>
            })}
            <ul class="wishlist" data-testid="wishlist">
                {items.into_iter().map(|item| view! { <WishlistLine item locale/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn WishlistLine(item: SavedProduct, locale: Locale) -> impl IntoView {
    let SavedProduct { product, alert, .. } = item;
    let href = format!("/products/{}", product.slug);
    let available = product.max_quantity > 0;
    let id = product.id;
    let name = product.name.clone();
    let (back, outcome) = crate::cart::components::form_context(id);
    view! {
        <li class="wishlist__item">
            <img class="wishlist__image" src=product.image.clone() alt="" width="96" height="96" loading="lazy"/>
            <div class="wishlist__text">
                <h2 class="wishlist__name"><a href=href.clone()>{name.clone()}</a></h2>
                <p class="wishlist__price"><strong>{money(locale, product.price)}</strong></p>
                <p class=if available { "stock stock--in" } else { "stock stock--out" }>
                    {locale.t(if available { Msg::InStock } else { Msg::OutOfStock })}
                    {alert.then(|| format!(" · {}", locale.t(Msg::WishlistAlertOn)))}
                </p>
            </div>
            <div class="wishlist__actions">
                {if available {
                    view! { <AddToCart product locale with_quantity=false back outcome/> }.into_any()
                } else if !alert {
                    view! { <a class="button button--small" href=format!("{href}#stock-alert")>{locale.t(Msg::AlertAsk)}</a> }.into_any()
                } else {
                    ().into_any()
                }}
                <form method="post" action="/api/wishlist/set">
                    <input type="hidden" name="product_id" value=id.to_string()/>
                    <input type="hidden" name="saved" value="false"/>
                    <input type="hidden" name="back" value="/account/wishlist"/>
                    <button class="button button--small button--ghost" type="submit"
                        aria-label=format!("{} – {name}", locale.t(Msg::WishlistRemove))>
                        {locale.t(Msg::WishlistRemove)}
                    </button>
                </form>
            </div>
        </li>
    }
}

/// `/stock-alerts/confirm?token=…`: the visitor's alert, confirmed by the button.
#[component]
pub fn StockAlertConfirmPage() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<ConfirmStockAlert>::new();
    let error = error_of(action);
    let done = query("done").is_some();
    let token = query("token").unwrap_or_default();
    view! {
        <PageMeta title=locale.t(Msg::AlertConfirmTitle) description=locale.t(Msg::AlertConfirmText) path="/stock-alerts/confirm" noindex=true/>
        <section class="account container">
            {if done {
                view! {
                    <h1>{locale.t(Msg::AlertConfirmedTitle)}</h1>
                    <p role="status">{locale.t(Msg::AlertConfirmedText)}</p>
                    <p><a class="button" href="/products">{locale.t(Msg::BackToShop)}</a></p>
                }.into_any()
            } else {
                view! {
                    <h1>{locale.t(Msg::AlertConfirmTitle)}</h1>
                    <p>{locale.t(Msg::AlertConfirmText)}</p>
                    <ActionForm action attr:class="auth__form">
                        <FormError error/>
                        <input type="hidden" name="token" value=token/>
                        <button class="button button--primary" type="submit">{locale.t(Msg::AlertConfirmButton)}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}
