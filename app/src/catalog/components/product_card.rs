//! A product in a grid.

use super::phrases;
use crate::cart::components::AddToCart;
use crate::catalog::model::{ProductCard, StockLevel};
use crate::i18n::{Msg, t, use_locale};
use crate::ui::format::money;
use crate::wishlist::components::WishlistHeart;
use leptos::prelude::*;

/// A product's card. A `leading` card is among the first a visitor sees: its picture is
/// fetched at once and first (it is usually the page's largest paint), the others only when
/// scrolled near.
#[component]
pub fn ProductCardView(product: ProductCard, #[prop(optional)] leading: bool) -> impl IntoView {
    let locale = use_locale();
    let href = format!("/products/{}", product.slug);
    let link = href.clone();
    let stock_text = phrases::stock(locale, product.stock);
    let stock_class = stock_class(product.stock);
    let unit_price = product.unit_price.map(|u| phrases::unit_price(locale, u));
    let (id, name) = (product.cart.id, product.name.clone());
    view! {
        <article class="product-card">
            <div class="product-card__heart"><WishlistHeart product_id=id name/></div>
            <a class="product-card__link" href=link>
                <img class="product-card__image" src=product.image alt="" width="320" height="320"
                    loading=if leading { "eager" } else { "lazy" }
                    fetchpriority=leading.then_some("high")/>
                <h3 class="product-card__name">{product.name}</h3>
            </a>
            <p class="product-card__summary">{product.summary}</p>
            <p class="product-card__price">
                <strong>{money(locale, product.price)}</strong>
                " "
                <span class="product-card__vat">{t(Msg::PriceInclVat)}</span>
                {product.reduction.map(|r| view! {
                    " "
                    <span class="product-card__was">
                        <span class="visually-hidden">{format!("{}{}", locale.t(Msg::ReductionReference), locale.colon())}</span>
                        <s>{money(locale, r.reference)}</s>
                    </span>
                    " "
                    <span class="sale-badge">{format!("−{} %", r.percent)}</span>
                })}
            </p>
            {unit_price.map(|u| view! { <p class="product-card__unit">{u}</p> })}
            <p class=stock_class>{stock_text}</p>
            {if product.stock.available() {
                let (back, outcome) = crate::cart::components::form_context(product.cart.id);
                view! { <AddToCart product=product.cart locale with_quantity=false back outcome/> }.into_any()
            } else {
                view! {
                    <a class="button product-card__alert" href=format!("{href}#stock-alert")
                        aria-label=format!("{} – {}", locale.t(Msg::AlertAsk), product.cart.name)>
                        {locale.t(Msg::AlertAsk)}
                    </a>
                }.into_any()
            }}
        </article>
    }
}

/// Products as a grid of cards.
///
/// With `leading`, the grid opens the page: the first cards (a phone's first screen, a
/// desktop's first row) have [`ProductCardView`]'s `leading` pictures.
#[component]
pub fn ProductGrid(products: Vec<ProductCard>, #[prop(optional)] leading: bool) -> impl IntoView {
    view! {
        <div class="product-grid">
            {products
                .into_iter()
                .enumerate()
                .map(|(i, product)| view! { <ProductCardView product leading=leading && i < LEADING_CARDS/> })
                .collect_view()}
        </div>
    }
}

/// How many cards of a leading grid are fetched first: the first row at the widest layout.
const LEADING_CARDS: usize = 4;

/// The badge class of a stock level.
pub fn stock_class(level: StockLevel) -> &'static str {
    match level {
        StockLevel::InStock => "stock stock--in",
        StockLevel::Low { .. } => "stock stock--low",
        StockLevel::Out => "stock stock--out",
    }
}
