//! `/orders/{number}/pay`: between "Order with obligation to pay" and the provider's hosted page. The
//! order is placed; this page sends the shopper on to the provider at once (a refresh, which
//! replaces it in the history) and says where they are going, with a link for browsers that
//! do not follow refreshes. A form's answer cannot redirect to the provider itself: the CSP's
//! `form-action 'self'` applies to every redirect that follows a form post, and the provider's
//! page may redirect further, to a bank.

use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::orders::api::get_payment_handoff;
use crate::orders::model::PaymentHandOff;
use crate::ui::format::money;
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading, NotFoundPage};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn PaymentHandOffPage() -> impl IntoView {
    let locale = use_locale();
    let number = use_params_map().with_untracked(|p| p.get("number").unwrap_or_default());
    let key = use_query_map().with_untracked(|q| q.get("key"));
    let handoff = OnceResource::new(get_payment_handoff(number.clone(), key));
    view! {
        <PageMeta title=locale.t(Msg::PayHandOffTitle) description=locale.t(Msg::PayHandOffTitle) path=format!("/orders/{number}/pay") noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match handoff.await {
                    Ok(handoff) => view! { <HandOff handoff locale/> }.into_any(),
                    Err(AppError::NotFound | AppError::BadRequest(_)) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HandOff(handoff: PaymentHandOff, locale: Locale) -> impl IntoView {
    let amount = money(locale, handoff.amount);
    let Some(url) = handoff.checkout_url else {
        return view! {
            <Meta http_equiv="refresh" content=format!("0;url={}", handoff.order_path)/>
            <section class="handoff container">
                <h1>{locale.t(Msg::PayHandOffTitle)}</h1>
                <p>{locale.t(Msg::PayHandOffNothing)}</p>
                <a class="button button--primary" href=handoff.order_path>{locale.t(Msg::PayHandOffToOrder)}</a>
            </section>
        }
        .into_any();
    };
    let lead = match locale {
        Locale::Fr => format!(
            "Votre commande {} est enregistrée. Vous êtes dirigé vers la page de paiement sécurisée de {} pour régler {amount}.",
            handoff.number, handoff.provider
        ),
        Locale::En => format!(
            "Your order {} is placed. You are being taken to {}'s secure payment page to pay {amount}.",
            handoff.number, handoff.provider
        ),
    };
    view! {
        <Meta http_equiv="refresh" content=format!("0;url={url}")/>
        <section class="handoff container">
            <h1>{locale.t(Msg::PayHandOffTitle)}</h1>
            <p>{lead}</p>
            <a class="button button--primary" href=url rel="noreferrer">{locale.t(Msg::PayHandOffContinue)}</a>
        </section>
    }
    .into_any()
}
