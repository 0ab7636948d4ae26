//! The cart page's island: lines, destination, totals by the shared pricing engine, and the
//! server's quote adopted when it differs.

use super::QuoteTotals;
use super::phrases;
use crate::cart::api::{CartPageData, quote_cart};
use crate::cart::model::{Cart, CartItem, CartQuote, LineIssue};
use crate::cart::store::{agrees_with_cookie, shared_cart, update_cart};
use crate::i18n::{Locale, Msg};
use crate::pricing::{Destination, Quote, Shipping, VatMode, quote};
use crate::ui::format::money;
use leptos::prelude::*;

/// The cart, first as the server rendered it from the cart cookie, then the browser's own.
#[island]
pub fn CartView(data: CartPageData, locale: Locale) -> impl IntoView {
    let CartPageData {
        config,
        cart: initial,
        quote: server_quote,
    } = data;
    let cart = RwSignal::new(initial);
    let issues = RwSignal::new(server_quote.issues.clone());
    let prices_changed = RwSignal::new(false);
    let config = StoredValue::new(config);
    let local = Memo::new(move |_| {
        let cart = cart.read();
        config.with_value(|c| quote(c, cart.destination, &cart.basket(), &[]).ok())
    });
    // Each request is numbered; an answer to an older one is dropped.
    let asked = StoredValue::new(0u32);
    let refresh = move || {
        let (lines, destination) = cart.with_untracked(|c| (c.requests(), c.destination));
        asked.update_value(|n| *n += 1);
        let number = asked.get_value();
        leptos::task::spawn_local(async move {
            let Ok(server) = quote_cart(lines, destination.code().to_owned(), locale).await else {
                return; // The local totals stay; the server re-prices at checkout anyway.
            };
            if asked.get_value() == number {
                adopt(server, cart, issues, prices_changed);
            }
        });
    };

    // After hydration: take the browser's cart; re-price when it is not the one rendered.
    let store = shared_cart();
    Effect::new(move |_| {
        let mut stored = store.get_untracked();
        let rendered = cart.get_untracked();
        if stored.requests() == rendered.requests() && stored.destination == rendered.destination {
            prices_changed.set(stored.adopt(&server_quote));
            update_cart(|c| *c = stored.clone());
            cart.set(stored);
        } else if agrees_with_cookie(&stored) {
            // Another tab changed the cart since this page was rendered.
            cart.set(stored);
            refresh();
        } else {
            // The cookie (what the server rendered) is newer: the carts merged at sign-in, or
            // storage lost the cart.
            update_cart(|c| *c = rendered);
        }
    });

    // A change from another tab (or another island) that this view has not seen yet.
    let followed = shared_cart();
    Effect::new(move |seen: Option<()>| {
        let latest = followed.get();
        if seen.is_some() && cart.with_untracked(|c| *c != latest) {
            cart.set(latest);
            refresh();
        }
    });

    let change = move |edit: Box<dyn FnOnce(&mut Cart)>| {
        update_cart(edit);
        cart.set(shared_cart().get_untracked());
        refresh();
    };

    view! {
        <div class="cart" data-hydrated=move || local.get().map(|_| "true")>
            {move || prices_changed.get().then(|| view! {
                <p class="notice notice--info" role="status">{locale.t(Msg::PricesChanged)}</p>
            })}
            <Show
                when=move || !cart.read().is_empty()
                fallback=move || view! {
                    <div class="cart__empty">
                        <h2>{locale.t(Msg::CartEmptyTitle)}</h2>
                        <p>{locale.t(Msg::CartEmptyText)}</p>
                        <a class="button button--primary" href="/products">{locale.t(Msg::ShowAllProducts)}</a>
                    </div>
                }
            >
                <section class="cart__lines" aria-label=locale.t(Msg::CartLines)>
                    <ul class="cart-lines">
                        <For
                            each=move || cart.get().items
                            key=|item| (item.product.id, item.quantity, item.product.price, item.product.max_quantity, item.every_months)
                            let:item
                        >
                            <CartLine item issues locale change/>
                        </For>
                    </ul>
                    // A plain form until the script runs.
                    <form id="cart-clear" method="post" action="/api/cart/clear" hidden></form>
                    <button type="submit" form="cart-clear" class="button button--ghost cart__clear"
                        on:click=move |ev| {
                            ev.prevent_default();
                            change(Box::new(|c: &mut Cart| c.clear()));
                        }>
                        {locale.t(Msg::ClearCart)}
                    </button>
                </section>
                <Summary cart local locale change config/>
            </Show>
        </div>
    }
}

/// Takes the server's quote: its products (prices, names, stock) and issues. The local totals
/// then follow from the same engine on the same inputs.
fn adopt(
    server: CartQuote,
    cart: RwSignal<Cart>,
    issues: RwSignal<Vec<LineIssue>>,
    prices_changed: RwSignal<bool>,
) {
    let mut changed = false;
    update_cart(|c| changed = c.adopt(&server));
    cart.set(shared_cart().get_untracked());
    issues.set(server.issues);
    if changed {
        prices_changed.set(true);
    }
}

#[component]
fn CartLine(
    item: CartItem,
    issues: RwSignal<Vec<LineIssue>>,
    locale: Locale,
    change: impl Fn(Box<dyn FnOnce(&mut Cart)>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = item.product.id;
    let quantity = item.quantity;
    let max = item.product.max_quantity.max(1);
    let href = format!("/products/{}", item.product.slug);
    let input_id = format!("cart-quantity-{id}");
    let issue = move || issues.read().iter().copied().find(|i| i.product_id() == id);
    let set = move |n: u32| change(Box::new(move |c: &mut Cart| c.set_quantity(id, n)));
    let total = item.product.price * rust_decimal::Decimal::from(quantity.min(max));
    // The line's controls post this form (`/api/cart/set`) until the script runs; then each
    // click changes the browser's cart instead.
    let form = format!("cart-line-{id}");
    view! {
        <li class="cart-line">
            <form id=form.clone() method="post" action="/api/cart/set" hidden>
                <input type="hidden" name="product_id" value=id.to_string()/>
            </form>
            <img class="cart-line__image" src=item.product.image.clone() alt="" width="96" height="96"/>
            <div class="cart-line__main">
                <a class="cart-line__name" href=href>{item.product.name.clone()}</a>
                <p class="cart-line__unit">{money(locale, item.product.price)}</p>
                {item.every_months.map(|m| view! {
                    <p class="cart-line__subscription">
                        {format!("{} · {}", locale.t(Msg::SubscriptionLine), crate::ui::phrases::every_months_lower(locale, m))}
                    </p>
                })}
                {move || issue().map(|issue| match issue {
                    LineIssue::Reduced { available, .. } => view! {
                        <p class="cart-line__issue" role="alert">
                            {phrases::reduced(locale, available)} " "
                            <button type="submit" form=format!("cart-line-{id}") name="set" value=available.to_string()
                                class="link-button" on:click=move |ev| { ev.prevent_default(); set(available) }>
                                {phrases::keep(locale, available)}
                            </button>
                        </p>
                    }.into_any(),
                    LineIssue::FrequencyUnavailable { .. } => view! {
                        <p class="cart-line__issue" role="alert">{locale.t(Msg::ErrSubscriptionFrequency)}</p>
                    }.into_any(),
                    LineIssue::OutOfStock { .. } | LineIssue::NotOnSale { .. } => view! {
                        <p class="cart-line__issue" role="alert">{locale.t(Msg::NoLongerAvailable)}</p>
                    }.into_any(),
                })}
            </div>
            <div class="cart-line__quantity">
                <label class="visually-hidden" for=input_id.clone()>
                    {format!("{} – {}", locale.t(Msg::Quantity), item.product.name)}
                </label>
                <button type="submit" form=form.clone() name="set" value=quantity.saturating_sub(1).max(1).to_string()
                    class="stepper" aria-label=locale.t(Msg::DecreaseQuantity)
                    disabled={quantity <= 1} on:click=move |ev| { ev.prevent_default(); set(quantity - 1) }>"−"</button>
                <input id=input_id form=form.clone() name="quantity" class="cart-line__input" type="number" inputmode="numeric"
                    min="1" max=max.to_string() value=quantity.to_string()
                    on:change=move |ev| {
                        let n = event_target_value(&ev).trim().parse::<u32>().unwrap_or(quantity);
                        set(n.clamp(1, max));
                    }/>
                <button type="submit" form=form.clone() name="set" value=(quantity + 1).to_string()
                    class="stepper" aria-label=locale.t(Msg::IncreaseQuantity)
                    disabled={quantity >= max} on:click=move |ev| { ev.prevent_default(); set(quantity + 1) }>"+"</button>
            </div>
            <p class="cart-line__total">{money(locale, total)}</p>
            <button type="submit" form=form name="set" value="0" class="link-button cart-line__remove"
                on:click=move |ev| {
                    ev.prevent_default();
                    change(Box::new(move |c: &mut Cart| c.remove(id)));
                }>
                {locale.t(Msg::RemoveLine)}
            </button>
        </li>
    }
}

#[component]
fn Summary(
    cart: RwSignal<Cart>,
    local: Memo<Option<Quote>>,
    locale: Locale,
    change: impl Fn(Box<dyn FnOnce(&mut Cart)>) + Copy + Send + Sync + 'static,
    config: StoredValue<crate::pricing::PricingConfig>,
) -> impl IntoView {
    let on_destination = move |ev: leptos::ev::Event| {
        if let Some(destination) = Destination::parse(&event_target_value(&ev)) {
            change(Box::new(move |c: &mut Cart| c.destination = destination));
        }
    };
    // Effects run in the browser only: false as rendered, true once hydrated.
    let scripted = RwSignal::new(false);
    Effect::new(move |_| scripted.set(true));
    let free_from = move || {
        let destination = cart.read().destination;
        config
            .with_value(|c| c.zone(destination).and_then(|z| z.free_from))
            .map(|amount| phrases::free_from(locale, amount))
    };
    view! {
        <aside class="cart-summary" aria-labelledby="cart-summary-title">
            <h2 id="cart-summary-title">{locale.t(Msg::CartSummary)}</h2>
            <form class="cart-summary__destination" method="post" action="/api/cart/destination">
                <label class="cart-summary__label" for="cart-destination">{locale.t(Msg::DeliverTo)}</label>
                <select id="cart-destination" name="destination" class="cart-summary__select" on:change=on_destination>
                    {Destination::all().map(|d| view! {
                        <option value=d.code() selected=move || cart.read().destination == d>{d.name(locale)}</option>
                    }).collect_view()}
                </select>
                // Until the script runs the choice is sent with this button; then a choice
                // changes the cart at once and the button goes.
                {move || (!scripted.get()).then(|| view! {
                    <button type="submit" class="button button--small cart-summary__apply">{locale.t(Msg::UpdateDestination)}</button>
                })}
            </form>
            {move || local.get().map(|q| view! { <Totals quote=q locale/> })}
            <p class="cart-summary__hint">{free_from}</p>
            {move || cart.read().has_subscription().then(|| view! {
                <p class="cart-summary__note" data-testid="subscription-note">{locale.t(Msg::SubscriptionCartNote)}</p>
            })}
            {move || local.get().filter(|q| q.shipping != Shipping::Unavailable).map(|_| view! {
                <a class="button button--primary cart-summary__checkout" href="/checkout">{locale.t(Msg::GoToCheckout)}</a>
            })}
        </aside>
    }
}

#[component]
fn Totals(quote: Quote, locale: Locale) -> impl IntoView {
    let excluded = quote.vat_mode == VatMode::Excluded;
    view! {
        <QuoteTotals quote=quote.clone() locale testid="cart-total"/>
        {(quote.shipping == Shipping::Unavailable).then(|| view! {
            <p class="notice notice--warning" role="alert">{locale.t(Msg::ShippingUnavailable)}</p>
        })}
        {excluded.then(|| view! { <p class="cart-summary__note">{locale.t(Msg::VatExcludedNote)}</p> })}
        {(!quote.payment_methods.is_empty()).then(|| view! {
            <p class="cart-summary__label">{locale.t(Msg::PaymentMethodsLabel)}</p>
            <ul class="payment-methods">
                {quote.payment_methods.iter().map(|m| view! {
                    <li>{phrases::payment_method(locale, *m)}</li>
                }).collect_view()}
            </ul>
        })}
    }
}
