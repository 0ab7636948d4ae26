//! The cart shared by the islands of a page.
//!
//! In the browser it is one signal per tab, loaded from local storage and saved there (and in
//! the cookie mirror) on every change. On the server each call makes a fresh, empty one: a
//! process-wide signal would leak one shopper's cart into another's page. A change made in
//! another tab reaches this one through the `storage` event.

use super::model::Cart;
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "comptoir.cart.v1";

#[cfg(feature = "hydrate")]
thread_local! {
    static CART: ArcRwSignal<Cart> = {
        let cart = ArcRwSignal::new(browser::load());
        browser::follow_other_tabs(cart.clone());
        cart
    };
}

/// The page's cart.
pub fn shared_cart() -> ArcRwSignal<Cart> {
    #[cfg(feature = "hydrate")]
    {
        CART.with(Clone::clone)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        ArcRwSignal::new(Cart::default())
    }
}

/// Whether `cart` is the one the cart cookie holds now (always, on the server).
pub fn agrees_with_cookie(cart: &Cart) -> bool {
    #[cfg(feature = "hydrate")]
    {
        browser::agrees(cart)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = cart;
        true
    }
}

/// Changes the cart and saves it.
pub fn update_cart(change: impl FnOnce(&mut Cart)) {
    let cart = shared_cart();
    cart.update(change);
    #[cfg(feature = "hydrate")]
    browser::save(&cart.get_untracked());
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::api::quote_cart;
    use super::super::model::{Cart, CartItem};
    use super::super::rules::{CART_COOKIE, cart_cookie, cart_from, parse_cookie};
    use super::STORAGE_KEY;
    use crate::i18n::Locale;
    use gloo_storage::{LocalStorage, Storage};
    use leptos::wasm_bindgen::JsCast;

    /// The cart cookie as the browser holds it now.
    fn cookie() -> Option<String> {
        let document = leptos::prelude::document()
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()?;
        let all = document.cookie().ok()?;
        crate::security::cookie_values(&all, CART_COOKIE)
            .next()
            .map(str::to_owned)
    }

    /// The stored cart, unless the cookie says otherwise: the browser writes both together, so
    /// they differ only when the server changed the cookie (the carts merged at sign-in, the
    /// cart left behind at sign-out). Then the cookie wins: the lines already known are kept at
    /// once, and the whole cart is rebuilt from the server's quote.
    pub fn load() -> Cart {
        let stored = LocalStorage::get::<Cart>(STORAGE_KEY).unwrap_or_default();
        if agrees(&stored) {
            return stored;
        }
        let cookie = cookie();
        let (destination, lines) = parse_cookie(cookie.as_deref().unwrap_or_default());
        let known = Cart {
            destination,
            items: lines
                .iter()
                .filter_map(|line| {
                    let item = stored
                        .items
                        .iter()
                        .find(|i| i.product.id == line.product_id)?;
                    Some(CartItem {
                        product: item.product.clone(),
                        quantity: line.quantity,
                        every_months: line.every_months,
                    })
                })
                .collect(),
        };
        let _ = LocalStorage::set(STORAGE_KEY, &known);
        if known.items.len() < lines.len() {
            let asked = known.requests();
            leptos::task::spawn_local(async move {
                let Ok(quote) =
                    quote_cart(lines.clone(), destination.code().to_owned(), page_locale()).await
                else {
                    return;
                };
                super::update_cart(|cart| {
                    // Unless the shopper changed it meanwhile.
                    if cart.requests() == asked {
                        *cart = cart_from(destination, &lines, &quote);
                    }
                });
            });
        }
        known
    }

    /// Whether `cart` is the one the cookie holds.
    pub fn agrees(cart: &Cart) -> bool {
        match cookie() {
            Some(value) => value == cart.cookie_value(),
            None => cart.is_empty(),
        }
    }

    /// The page's language, as the server wrote it on `<html lang>`.
    fn page_locale() -> Locale {
        leptos::prelude::document()
            .document_element()
            .and_then(|root| root.dyn_into::<web_sys::HtmlElement>().ok())
            .and_then(|root| Locale::from_code(&root.lang()))
            .unwrap_or_default()
    }

    /// Another tab changed the cart: take its version (the listener lives as long as the page).
    pub fn follow_other_tabs(cart: leptos::prelude::ArcRwSignal<Cart>) {
        use leptos::prelude::Set;
        let _listener = leptos::prelude::window_event_listener(
            leptos::ev::storage,
            move |ev: web_sys::StorageEvent| {
                if ev.key().as_deref() == Some(STORAGE_KEY) {
                    cart.set(load());
                }
            },
        );
    }

    pub fn save(cart: &Cart) {
        // Storage can be full or refused (private browsing); the cart still works in the tab.
        let _ = LocalStorage::set(STORAGE_KEY, cart);
        let value = cart.cookie_value();
        let changed = match cookie() {
            Some(old) => old != value,
            None => !cart.is_empty(),
        };
        if changed {
            // Kept with the account when signed in (the server ignores it otherwise).
            let content = value.clone();
            leptos::task::spawn_local(async move {
                let _ = crate::account::api::sync_cart(content).await;
            });
        }
        let Some(document) = leptos::prelude::document()
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()
        else {
            return;
        };
        let secure = leptos::prelude::window()
            .location()
            .protocol()
            .is_ok_and(|p| p == "https:");
        let cookie = cart_cookie((!cart.is_empty()).then_some(value.as_str()), secure);
        let _ = document.set_cookie(&cookie);
    }
}
