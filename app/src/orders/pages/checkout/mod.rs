//! `/checkout`: the legal steps, in order — contact and addresses; destination, shipping and
//! payment method; then the full review with the terms and "Order with obligation to pay". Plain forms:
//! every step works before the WASM loads, and the server keeps what was typed.

use crate::account::rules::{AddressInput, MAX_LINE_CHARS, TITLES};
use crate::cart::components::{QuoteTotals, phrases};
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::orders::api::{CheckoutDelivery, CheckoutDetails, PlaceOrder, get_checkout};
use crate::orders::model::{CheckoutStep, CheckoutView, FieldError, SummaryLine};
use crate::pricing::{Destination, PaymentMethod, Quote, Shipping, VatMode};
use crate::ui::format::{money, percent};
use crate::ui::forms::FormError;
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;

mod steps;
pub use steps::*;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let locale = use_locale();
    let step = use_query_map().with_untracked(|q| q.get("step").unwrap_or_default());
    let view = OnceResource::new(get_checkout(step));
    view! {
        <PageMeta title=locale.t(Msg::CheckoutTitle) description=locale.t(Msg::CheckoutTitle) path="/checkout" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(view) if view.lines.is_empty() => view! { <EmptyCheckout locale/> }.into_any(),
                    Ok(view) => view! { <Checkout view locale/> }.into_any(),
                    Err(AppError::BadRequest(_)) => view! { <EmptyCheckout locale/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EmptyCheckout(locale: Locale) -> impl IntoView {
    view! {
        <section class="checkout container">
            <h1>{locale.t(Msg::CheckoutTitle)}</h1>
            <div class="empty-state">
                <p>{locale.t(Msg::ErrCartEmpty)}</p>
                <a class="button button--primary" href="/products">{locale.t(Msg::HeroCta)}</a>
            </div>
        </section>
    }
}

/// The refusal of field `name`, if any.
fn error_for(errors: &[FieldError], name: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == name)
        .map(|e| e.message.clone())
}

#[component]
fn Checkout(view: CheckoutView, locale: Locale) -> impl IntoView {
    let step = view.step;
    let steps = [
        (CheckoutStep::Details, Msg::StepDetails),
        (CheckoutStep::Delivery, Msg::StepDelivery),
        (CheckoutStep::Review, Msg::StepReview),
    ];
    let position = steps.iter().position(|(s, _)| *s == step).unwrap_or(0);
    let quote = view.quote.clone();
    let lines = view.lines.clone();
    let changed = view.cart_changed;
    let body = match step {
        CheckoutStep::Details => view! { <DetailsStep view locale/> }.into_any(),
        CheckoutStep::Delivery => view! { <DeliveryStep view locale/> }.into_any(),
        CheckoutStep::Review => view! { <ReviewStep view locale/> }.into_any(),
    };
    view! {
        <section class="checkout container">
            <h1>{locale.t(Msg::CheckoutTitle)}</h1>
            <ol class="steps" aria-label=locale.t(Msg::CheckoutSteps)>
                {steps.iter().enumerate().map(|(i, (s, label))| {
                    let label = locale.t(*label);
                    let current = i == position;
                    let inner = if i < position {
                        view! { <a href=format!("/checkout?step={}", s.code())>{label}</a> }.into_any()
                    } else {
                        view! { <span>{label}</span> }.into_any()
                    };
                    view! {
                        <li class="steps__item" class:steps__item--done=i < position class:steps__item--current=current
                            aria-current=current.then_some("step")>
                            <span class="steps__number">{i + 1}</span>{inner}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {changed.then(|| view! { <p class="notice notice--warning" role="status">{locale.t(Msg::CheckoutCartChanged)}</p> })}
            <div class="checkout__layout">
                <div class="checkout__main">{body}</div>
                <aside class="checkout__summary" aria-labelledby="checkout-summary-title">
                    <h2 id="checkout-summary-title">{locale.t(Msg::CartSummary)}</h2>
                    <ul class="summary-lines">
                        {lines.into_iter().map(|line| view! { <SummaryRow line locale/> }).collect_view()}
                    </ul>
                    {quote.map(|q| view! { <Breakdown quote=q locale/> })}
                    <a class="checkout__back" href="/cart">{locale.t(Msg::BackToCart)}</a>
                </aside>
            </div>
        </section>
    }
}

#[component]
fn SummaryRow(line: SummaryLine, locale: Locale) -> impl IntoView {
    view! {
        <li class="summary-line">
            <img class="summary-line__image" src=line.image.clone() alt="" width="56" height="56"/>
            <span class="summary-line__name">
                <a href=format!("/products/{}", line.slug)>{line.name.clone()}</a>
                <span class="summary-line__quantity">{format!("{} × {}", line.quantity, money(locale, line.unit_price))}</span>
                {line.every_months.map(|m| view! {
                    <span class="summary-line__subscription">{format!("{} · {}", locale.t(Msg::SubscriptionLine), crate::ui::phrases::every_months_lower(locale, m))}</span>
                })}
            </span>
            <span class="summary-line__total">{money(locale, line.total)}</span>
        </li>
    }
}

/// Subtotal, shipping, VAT per rate and total, as the order will record them.
#[component]
pub fn Breakdown(quote: Quote, locale: Locale) -> impl IntoView {
    let excluded = quote.vat_mode == VatMode::Excluded;
    view! {
        <QuoteTotals quote locale testid="checkout-total"/>
        {excluded.then(|| view! { <p class="cart-summary__note">{locale.t(Msg::VatExcludedNote)}</p> })}
    }
}
