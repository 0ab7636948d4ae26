//! `/account/orders` and `/account/invoices`: the signed-in shopper's orders (with those placed
//! as a guest under the same verified address) and their invoices.

use super::{short_date, status_label};
use crate::error::AppError;
use crate::i18n::{Msg, use_locale};
use crate::orders::api::account_orders;
use crate::orders::model::OrderSummary;
use crate::ui::format::money;
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Which list a page shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Orders,
    Invoices,
}

#[component]
pub fn AccountOrdersPage() -> impl IntoView {
    view! { <OrdersList list=List::Orders/> }
}

#[component]
pub fn AccountInvoicesPage() -> impl IntoView {
    view! { <OrdersList list=List::Invoices/> }
}

#[component]
fn OrdersList(list: List) -> impl IntoView {
    let locale = use_locale();
    let orders = OnceResource::new(account_orders());
    let (title, path) = match list {
        List::Orders => (Msg::AccountOrders, "/account/orders"),
        List::Invoices => (Msg::AccountInvoices, "/account/invoices"),
    };
    view! {
        <PageMeta title=locale.t(title) description=locale.t(title) path=path noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(orders) => {
                        let shown: Vec<OrderSummary> = orders
                            .into_iter()
                            .filter(|o| list == List::Orders || o.invoice_number.is_some())
                            .collect();
                        view! {
                            <section class="account container">
                                <p class="breadcrumb"><a href="/account">{locale.t(Msg::AccountTitle)}</a></p>
                                <h1>{locale.t(title)}</h1>
                                {match list {
                                    List::Orders => view! { <p><a href="/account/invoices">{locale.t(Msg::AccountInvoices)}</a></p> }.into_any(),
                                    List::Invoices => view! { <p><a href="/account/orders">{locale.t(Msg::AccountOrders)}</a></p> }.into_any(),
                                }}
                                {shown.is_empty().then(|| view! {
                                    <p class="account__empty">{locale.t(match list {
                                        List::Orders => Msg::AccountOrdersEmpty,
                                        List::Invoices => Msg::AccountInvoicesEmpty,
                                    })}</p>
                                })}
                                <ul class="order-list">
                                    {shown.into_iter().map(|o| {
                                        let page = format!("/orders/{}", o.number);
                                        let invoice = o.invoice_number.clone().map(|number| {
                                            let base = format!("/orders/{}/invoice", o.number);
                                            view! {
                                                <span class="order-list__invoice">
                                                    {format!("{} {number} — ", locale.t(Msg::InvoiceWord))}
                                                    <a href=format!("{base}{}", o.link_query)>{locale.t(Msg::InvoiceView)}</a>
                                                    " · "
                                                    <a href=format!("{base}.pdf{}", o.link_query) download=true>{locale.t(Msg::InvoicePdf)}</a>
                                                </span>
                                            }
                                        });
                                        view! {
                                            <li class="order-list__item" data-testid="account-order">
                                                <a class="order-list__number" href=page>{format!("{} {}", locale.t(Msg::OrderWord), o.number)}</a>
                                                <span class="order-list__meta">
                                                    {short_date(&o.created_at, locale)}" · "
                                                    {locale.t(status_label(o.status))}" · "
                                                    {money(locale, o.total)}
                                                </span>
                                                {invoice}
                                                {o.withdrawal.is_some().then(|| view! {
                                                    <a class="order-list__withdraw" href=format!("/orders/{}#withdraw", o.number)>{locale.t(Msg::WithdrawAction)}</a>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                        }
                        .into_any()
                    }
                    Err(AppError::Unauthorized) => view! { <Redirect path=format!("/account/sign-in?next={path}")/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
