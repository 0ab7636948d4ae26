//! "Add to cart" on product cards and pages.

use crate::cart::model::CartProduct;
use crate::cart::rules::Added;
use crate::cart::store::update_cart;
use crate::i18n::{Locale, Msg};
use leptos::prelude::*;

/// What adding did, for the shopper: `done` when the line holds what was asked.
///
/// Each branch names its message: a message chosen at run time would link the whole
/// catalogue into the browser's WASM (see [`Msg::text`]).
fn said(locale: Locale, added: Added, done: &'static str) -> &'static str {
    match added {
        Added::Holds(_) => done,
        Added::Capped(_) => locale.t(Msg::AddedCapped),
        Added::Refused => locale.t(Msg::CannotAdd),
    }
}

/// An outcome as `/api/cart/add` puts it in the query (`?cart=added&p=12`).
fn outcome_of(code: Option<&str>) -> Option<Added> {
    match code? {
        "added" | "subscribed" => Some(Added::Holds(0)),
        "capped" => Some(Added::Capped(0)),
        "refused" => Some(Added::Refused),
        _ => None,
    }
}

/// The page a plain cart form of `product_id` comes back to (this one, its query kept), and
/// the outcome it brought back for that product, if any. Server side, where the page's
/// location is known.
pub fn form_context(product_id: i32) -> (String, Option<String>) {
    let query = leptos_router::hooks::use_location().query.get_untracked();
    let outcome = (query.get("p").as_deref() == Some(product_id.to_string().as_str()))
        .then(|| query.get("cart"))
        .flatten();
    (crate::ui::forms::here(), outcome)
}

/// Adds `product` to the cart; with `with_quantity`, the shopper picks how many (up to what
/// can be ordered). Rendered only for products that can be ordered. A plain form until the
/// page's script runs (it posts to `/api/cart/add` and comes back to `back` with `outcome`),
/// then the browser's own cart.
#[island]
pub fn AddToCart(
    product: CartProduct,
    locale: Locale,
    with_quantity: bool,
    back: String,
    outcome: Option<String>,
) -> impl IntoView {
    let max = product.max_quantity.max(1);
    let product_id = product.id.to_string();
    let form_id = format!("add-{}", product.id);
    let quantity = RwSignal::new(1u32);
    let outcome = RwSignal::new(outcome_of(outcome.as_deref()));
    let input_id = format!("quantity-{}", product.id);
    // On a card, the button names its product (a list of identical "Add to cart" is useless
    // to a screen reader).
    let button_label =
        (!with_quantity).then(|| format!("{} – {}", locale.t(Msg::AddToCart), product.name));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut added = Added::Refused;
        let product = product.clone();
        update_cart(|cart| added = cart.add(product, quantity.get_untracked()));
        outcome.set(Some(added));
    };
    let message = move || {
        outcome
            .get()
            .map(|added| said(locale, added, locale.t(Msg::AddedToCart)))
    };
    view! {
        <form id=form_id class="add-to-cart" method="post" action="/api/cart/add" on:submit=on_submit>
            <input type="hidden" name="product_id" value=product_id/>
            <input type="hidden" name="back" value=back/>
            {with_quantity.then(|| view! {
                <label class="add-to-cart__quantity" for=input_id.clone()>
                    {locale.t(Msg::Quantity)}
                </label>
                <input
                    id=input_id.clone()
                    class="add-to-cart__input"
                    type="number"
                    inputmode="numeric"
                    name="quantity"
                    min="1"
                    max=max.to_string()
                    value="1"
                    prop:value=move || quantity.get().to_string()
                    on:change=move |ev| {
                        let wanted = event_target_value(&ev).trim().parse::<u32>().unwrap_or(1);
                        quantity.set(wanted.clamp(1, max));
                    }
                />
            })}
            <button type="submit" class="button button--primary add-to-cart__button" aria-label=button_label>
                {locale.t(Msg::AddToCart)}
            </button>
            <p class="add-to-cart__status" aria-live="polite">
                {move || message().map(|text| view! {
                    {text} " " <a href="/cart">{locale.t(Msg::ViewCart)}</a>
                })}
            </p>
        </form>
    }
}

/// Subscribes to `product`: the shopper picks a frequency among those offered and a quantity.
/// Rendered only for products offered by subscription that can be ordered; a plain form to
/// `/api/cart/add` until the page's script runs, like [`AddToCart`].
#[island]
pub fn Subscribe(
    product: CartProduct,
    locale: Locale,
    back: String,
    outcome: Option<String>,
) -> impl IntoView {
    let max = product.max_quantity.max(1);
    let product_id = product.id.to_string();
    let form_id = format!("subscribe-{}", product.id);
    let offered = product.subscription_months.clone();
    let every = RwSignal::new(offered.first().copied().unwrap_or(1));
    let quantity = RwSignal::new(1u32);
    // The query's outcome is a subscription's only when it says so.
    let outcome = RwSignal::new(
        outcome
            .as_deref()
            .filter(|o| *o == "subscribed")
            .and_then(|o| outcome_of(Some(o))),
    );
    let every_id = format!("subscribe-every-{}", product.id);
    let quantity_id = format!("subscribe-quantity-{}", product.id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut added = Added::Refused;
        let product = product.clone();
        update_cart(|cart| {
            added = cart.subscribe(product, quantity.get_untracked(), every.get_untracked());
        });
        outcome.set(Some(added));
    };
    let message = move || {
        outcome
            .get()
            .map(|added| said(locale, added, locale.t(Msg::SubscribeAdded)))
    };
    view! {
        <form id=form_id class="subscribe" method="post" action="/api/cart/add" on:submit=on_submit>
            <input type="hidden" name="product_id" value=product_id/>
            <input type="hidden" name="back" value=back/>
            <div class="subscribe__fields">
                <label for=every_id.clone()>{locale.t(Msg::SubscribeEvery)}</label>
                <select id=every_id name="every_months" on:change=move |ev| {
                    if let Ok(m) = event_target_value(&ev).parse::<u8>() {
                        every.set(m);
                    }
                }>
                    {offered.iter().map(|m| view! {
                        <option value=m.to_string()>{crate::ui::phrases::every_months(locale, *m)}</option>
                    }).collect_view()}
                </select>
                <label for=quantity_id.clone()>{locale.t(Msg::SubscribeQuantity)}</label>
                <input id=quantity_id class="add-to-cart__input" type="number" inputmode="numeric"
                    name="quantity" min="1" max=max.to_string() value="1"
                    prop:value=move || quantity.get().to_string()
                    on:change=move |ev| {
                        let wanted = event_target_value(&ev).trim().parse::<u32>().unwrap_or(1);
                        quantity.set(wanted.clamp(1, max));
                    }/>
            </div>
            <button type="submit" class="button subscribe__button">{locale.t(Msg::SubscribeButton)}</button>
            <p class="subscribe__status" aria-live="polite">
                {move || message().map(|text| view! {
                    {text} " " <a href="/cart">{locale.t(Msg::ViewCart)}</a>
                })}
            </p>
        </form>
    }
}
