//! The cart count in the header.

use crate::cart::store::shared_cart;
use crate::i18n::Locale;
use leptos::prelude::*;

/// The number of items in the cart: `count` as the server read it from the cart cookie, then
/// the browser's cart, updated as soon as any island changes it.
#[island]
pub fn CartBadge(count: u32, locale: Locale) -> impl IntoView {
    let count = RwSignal::new(count);
    let cart = shared_cart();
    Effect::new(move |_| count.set(cart.read().count()));
    view! {
        <span class="cart-badge" class:cart-badge--empty=move || count.get() == 0 aria-hidden="true">
            {move || count.get().to_string()}
        </span>
        <span class="visually-hidden" data-testid="cart-count">
            {move || super::phrases::in_cart(locale, count.get())}
        </span>
    }
}
