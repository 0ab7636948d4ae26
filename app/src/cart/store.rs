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

/// Changes the cart and saves it.
pub fn update_cart(change: impl FnOnce(&mut Cart)) {
    let cart = shared_cart();
    cart.update(change);
    #[cfg(feature = "hydrate")]
    browser::save(&cart.get_untracked());
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::model::Cart;
    use super::super::rules::CART_COOKIE;
    use super::STORAGE_KEY;
    use gloo_storage::{LocalStorage, Storage};
    use leptos::wasm_bindgen::JsCast;

    pub fn load() -> Cart {
        LocalStorage::get::<Cart>(STORAGE_KEY).unwrap_or_default()
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
        let cookie = if cart.is_empty() {
            format!("{CART_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax")
        } else {
            format!(
                "{CART_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
                cart.cookie_value(),
                if secure { "; Secure" } else { "" }
            )
        };
        let _ = document.set_cookie(&cookie);
    }
}
