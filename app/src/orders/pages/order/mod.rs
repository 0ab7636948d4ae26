//! `/orders/{number}`: the confirmation and tracking page, for its owner or the holder of its
//! link; a 404 for anyone else.

use super::{short_date, status_label};
use crate::cart::components::phrases;
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::orders::api::{CancelLateOrder, PayOrder, RecordPayment, RefundOrder, get_order};
use crate::orders::model::{OrderStatus, OrderView, PaymentInstructions, RefundView, Tracking};
use crate::pricing::{Destination, PaymentMethod, VatMode};
use crate::ui::format::money;
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading, NotFoundPage};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

mod after_sales;
pub use after_sales::*;

#[component]
pub fn OrderPage() -> impl IntoView {
    let locale = use_locale();
    let number = use_params_map().with_untracked(|p| p.get("number").unwrap_or_default());
    let key = use_query_map().with_untracked(|q| q.get("key"));
    let order = OnceResource::new(get_order(number.clone(), key.clone()));
    view! {
        <PageMeta title=format!("{} {number}", locale.t(Msg::OrderWord)) description=locale.t(Msg::OrderWord) path=format!("/orders/{number}") noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(order) => view! { <Order order locale/> }.into_any(),
                    Err(AppError::NotFound | AppError::BadRequest(_)) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn country(code: &str, locale: Locale) -> String {
    Destination::parse(code).map_or_else(|| code.to_owned(), |d| d.name(locale).to_owned())
}

#[component]
fn Order(order: OrderView, locale: Locale) -> impl IntoView {
    let (title, lead) = match order.status {
        OrderStatus::PendingPayment if order.instructions.is_some() => {
            (Msg::OrderAwaitingTitle, Msg::OrderAwaitingLead)
        }
        OrderStatus::PendingPayment => (Msg::OrderUnpaidTitle, Msg::OrderUnpaidLead),
        OrderStatus::OnHold => (Msg::OrderOnHoldTitle, Msg::OrderOnHoldLead),
        OrderStatus::Cancelled if order.shop_cancelled => {
            (Msg::OrderCancelledTitle, Msg::OrderShopCancelledLead)
        }
        OrderStatus::Cancelled => (Msg::OrderCancelledTitle, Msg::OrderCancelledLead),
        _ => (Msg::OrderThanksTitle, Msg::OrderThanksLead),
    };
    let pay = ServerAction::<PayOrder>::new();
    let record = ServerAction::<RecordPayment>::new();
    let key = order
        .link_query
        .strip_prefix("?key=")
        .unwrap_or_default()
        .to_owned();
    let excluded = order.vat_mode == VatMode::Excluded;
    let delivery = order
        .delivery
        .lines(&country(&order.delivery.country, locale));
    let billing = order
        .billing
        .lines(&country(&order.billing.country, locale));
    let invoice_links = order.invoice_number.clone().map(|number| {
        let base = format!("/orders/{}/invoice", order.number);
        view! {
            <p class="order__invoice">
                {format!("{} {number}{}", locale.t(Msg::InvoiceWord), locale.colon())}
                <a href=format!("{base}{}", order.link_query)>{locale.t(Msg::InvoiceView)}</a>
                " · "
                <a href=format!("{base}.pdf{}", order.link_query) download=true>{locale.t(Msg::InvoicePdf)}</a>
            </p>
        }
    });
    view! {
        <section class="order container" data-status=order.status.code()>
            <p class="eyebrow">{format!("{} {}", locale.t(Msg::OrderWord), order.number)}</p>
            <h1>{locale.t(title)}</h1>
            <p class="order__lead">{locale.t(lead)}" "<strong>{order.email.clone()}</strong></p>
            <p class="order__status">
                {locale.t(Msg::StatusWord)}{locale.colon()}
                <strong data-testid="order-status">{locale.t(status_label(order.status))}</strong>
            </p>
            {order.tracking.clone().map(|parcel| view! { <Parcel parcel locale/> })}
            {deliver_by(&order, locale).map(|text| view! { <p class="order__due" data-testid="delivery-due">{text}</p> })}
            {order.late.then(|| view! { <Late number=order.number.clone() key=key.clone() locale/> })}
            {(!order.unavailable.is_empty()).then(|| view! {
                <Unavailable
                    lines=order.unavailable.clone()
                    open=matches!(order.status, OrderStatus::Paid | OrderStatus::Preparing)
                    credit=order.has_account
                    number=order.number.clone()
                    key=key.clone()
                    locale
                />
            })}
            {order.withdrawal.clone().map(|window| view! {
                <Withdraw window number=order.number.clone() email=order.email.clone() locale/>
            })}
            {order.instructions.clone().map(|i| view! { <Instructions instructions=i locale/> })}
            {order.can_pay.then(|| {
                let number = order.number.clone();
                let key = key.clone();
                view! {
                    <ActionForm action=pay attr:class="order__pay">
                        <input type="hidden" name="number" value=number/>
                        <input type="hidden" name="key" value=key/>
                        <button class="button button--primary" type="submit">{locale.t(Msg::PayNow)}</button>
                    </ActionForm>
                }
            })}
            {order.can_record_payment.then(|| {
                let number = order.number.clone();
                view! {
                    <ActionForm action=record attr:class="order__pay">
                        <input type="hidden" name="number" value=number/>
                        <button class="button" type="submit">{locale.t(Msg::RecordPayment)}</button>
                    </ActionForm>
                }
            })}
            {invoice_links}
            {(!order.refunds.is_empty() || order.refundable.is_some()).then(|| view! {
                <Refunds refunds=order.refunds.clone() refundable=order.refundable lines=order.lines.clone() number=order.number.clone() key=order.refund_key.clone() locale/>
            })}
            <div class="order__layout">
                <section class="order__block">
                    <h2>{locale.t(Msg::OrderLines)}</h2>
                    <ul class="summary-lines">
                        {order.lines.iter().map(|l| view! {
                            <li class="summary-line summary-line--plain">
                                <span class="summary-line__name">
                                    {l.name.clone()}
                                    <span class="summary-line__quantity">{format!("{} × {}", l.quantity, money(locale, l.unit_price))}</span>
                                </span>
                                <span class="summary-line__total">{money(locale, l.total)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    <dl class="totals">
                        <div class="totals__row"><dt>{locale.t(Msg::Subtotal)}</dt><dd>{money(locale, order.subtotal)}</dd></div>
                        {order.adjustments.iter().map(|a| view! {
                            <div class="totals__row"><dt>{a.label.clone()}</dt><dd>{money(locale, -a.amount)}</dd></div>
                        }).collect_view()}
                        <div class="totals__row"><dt>{locale.t(Msg::ShippingLabel)}</dt><dd>{if order.shipping.is_zero() { locale.t(Msg::ShippingFree).to_owned() } else { money(locale, order.shipping) }}</dd></div>
                        <div class="totals__row totals__row--total">
                            <dt>{locale.t(if excluded { Msg::TotalExclVat } else { Msg::TotalInclVat })}</dt>
                            <dd data-testid="order-total">{money(locale, order.total)}</dd>
                        </div>
                        {order.vat.iter().map(|v| view! {
                            <div class="totals__row totals__row--vat"><dt>{phrases::vat_line(locale, v.rate, v.vat)}</dt></div>
                        }).collect_view()}
                    </dl>
                    {excluded.then(|| view! { <p class="cart-summary__note">{locale.t(Msg::VatExcludedNote)}</p> })}
                    <p>{locale.t(Msg::PaymentMethodLegend)}{locale.colon()}{phrases::payment_method(locale, order.payment_method)}</p>
                </section>
                <section class="order__block">
                    <h2>{locale.t(Msg::DeliveryAddress)}</h2>
                    <address>{delivery.into_iter().map(|l| view! { {l}<br/> }).collect_view()}</address>
                    <h2>{locale.t(Msg::BillingAddress)}</h2>
                    <address>{billing.into_iter().map(|l| view! { {l}<br/> }).collect_view()}</address>
                    <h2>{locale.t(Msg::OrderHistory)}</h2>
                    <ol class="order__history">
                        {order.history.iter().map(|(at, status)| view! {
                            <li><time datetime=at.clone()>{short_date(at, locale)}</time>" — "{locale.t(status_label(*status))}</li>
                        }).collect_view()}
                    </ol>
                </section>
            </div>
            <p class="order__contact">{locale.t(Msg::OrderQuestions)}" "{order.seller_contact.0.clone()}" · "{order.seller_contact.1.clone()}</p>
        </section>
    }
}

/// The shipped parcel: carrier, number and the carrier's tracking page.
#[component]
pub(crate) fn Parcel(parcel: Tracking, locale: Locale) -> impl IntoView {
    let carrier = parcel.carrier.name().map_or_else(
        || locale.t(Msg::ParcelOtherCarrier).to_owned(),
        str::to_owned,
    );
    view! {
        <p class="order__parcel notice notice--info" data-testid="parcel">
            {locale.t(Msg::ParcelWith)}" "<strong>{carrier}</strong>" — "
            {locale.t(Msg::ParcelNumber)}" "<strong data-testid="tracking-number">{parcel.number.clone()}</strong>
            {parcel.url.map(|url| view! {
                " — "<a href=url rel="noopener noreferrer external" target="_blank">{locale.t(Msg::ParcelFollow)}</a>
            })}
        </p>
    }
}

#[component]
fn Instructions(instructions: PaymentInstructions, locale: Locale) -> impl IntoView {
    let amount = money(locale, instructions.amount);
    let body = match instructions.method {
        PaymentMethod::Cheque => view! {
            <p>{locale.t(Msg::ChequeInstructions)}</p>
            <dl class="facts">
                <div><dt>{locale.t(Msg::AmountWord)}</dt><dd>{amount}</dd></div>
                <div><dt>{locale.t(Msg::PayableTo)}</dt><dd>{instructions.payee.clone()}</dd></div>
                <div><dt>{locale.t(Msg::SendTo)}</dt><dd>{instructions.postal_address.clone()}</dd></div>
                <div><dt>{locale.t(Msg::ReferenceWord)}</dt><dd>{instructions.reference.clone()}</dd></div>
            </dl>
        }
        .into_any(),
        _ => view! {
            <p>{locale.t(Msg::TransferInstructions)}</p>
            <dl class="facts">
                <div><dt>{locale.t(Msg::AmountWord)}</dt><dd>{amount}</dd></div>
                <div><dt>{locale.t(Msg::PayableTo)}</dt><dd>{instructions.payee.clone()}</dd></div>
                <div><dt>"IBAN"</dt><dd>{instructions.iban.clone()}</dd></div>
                <div><dt>"BIC"</dt><dd>{instructions.bic.clone()}</dd></div>
                <div><dt>{locale.t(Msg::ReferenceWord)}</dt><dd>{instructions.reference.clone()}</dd></div>
            </dl>
        }
        .into_any(),
    };
    view! { <section class="order__instructions notice" aria-labelledby="instructions-title"><h2 id="instructions-title">{locale.t(Msg::HowToPay)}</h2>{body}</section> }
}

/// "To be delivered by …" while the order is on its way to the customer.
pub(crate) fn deliver_by(order: &OrderView, locale: Locale) -> Option<String> {
    let open = matches!(
        order.status,
        OrderStatus::Paid | OrderStatus::Preparing | OrderStatus::Shipped
    );
    let due = order
        .delivery_due
        .as_deref()
        .filter(|_| open)
        .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())?;
    let day = crate::ui::format::day(due.with_timezone(&chrono_tz::Europe::Paris).date_naive());
    Some(format!(
        "{}{}{day}",
        locale.t(Msg::DeliveryDue),
        locale.colon()
    ))
}
