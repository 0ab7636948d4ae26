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

/// A line marked unavailable as a sentence: the item, its expected date, the choice made.
pub(crate) fn unavailable_text(
    u: &crate::orders::model::UnavailableView,
    locale: Locale,
) -> String {
    let when = chrono::NaiveDate::parse_from_str(&u.expected_on, "%Y-%m-%d")
        .map(|d| crate::ui::format::long_date(locale, d))
        .unwrap_or_else(|_| u.expected_on.clone());
    let choice = match u.choice.as_deref() {
        Some("wait") => Some(Msg::UnavailableChoseWait),
        Some("credit") => Some(Msg::UnavailableChoseCredit),
        Some("refund") => Some(Msg::UnavailableChoseRefund),
        _ => None,
    };
    let base = match locale {
        Locale::Fr => format!("« {} » est indisponible, attendu le {when}.", u.name),
        Locale::En => format!("\"{}\" is unavailable, expected on {when}.", u.name),
    };
    match choice {
        Some(msg) => format!("{base} {}", locale.t(msg)),
        None => base,
    }
}

/// Lines the shop cannot send in time: the expected date, and the customer's choice of waiting,
/// a store credit (orders of an account) or a refund, each a plain form.
#[component]
fn Unavailable(
    lines: Vec<crate::orders::model::UnavailableView>,
    open: bool,
    credit: bool,
    number: String,
    key: String,
    locale: Locale,
) -> impl IntoView {
    let choose = ServerAction::<crate::orders::api::ChooseUnavailable>::new();
    let error = crate::ui::forms::error_of(choose);
    view! {
        <section class="order__late notice notice--warning" id="unavailable" aria-labelledby="unavailable-title" data-testid="unavailable">
            <h2 id="unavailable-title">{locale.t(Msg::UnavailableTitle)}</h2>
            <crate::ui::forms::FormError error/>
            {lines.into_iter().map(|u| {
                let pending = open && u.choice.as_deref().is_none_or(|c| c == "wait");
                let settled_or_waiting = u.choice.is_some();
                let (number, key) = (number.clone(), key.clone());
                let form = move |choice: &'static str, label: Msg, primary: bool| {
                    let number = number.clone();
                    let key = key.clone();
                    view! {
                        <ActionForm action=choose attr:class="order__pay">
                            <input type="hidden" name="number" value=number/>
                            {(!key.is_empty()).then(|| view! { <input type="hidden" name="key" value=key.clone()/> })}
                            <input type="hidden" name="line_id" value=u.line_id.to_string()/>
                            <input type="hidden" name="choice" value=choice/>
                            <button class=if primary { "button button--primary" } else { "button" } type="submit" data-testid=format!("unavailable-{choice}")>{locale.t(label)}</button>
                        </ActionForm>
                    }
                };
                view! {
                    <div class="order__unavailable">
                        <p>{unavailable_text(&u, locale)}</p>
                        {pending.then(|| view! {
                            {(!settled_or_waiting).then(|| view! { <p>{locale.t(Msg::UnavailableChoose)}</p> })}
                            <div class="order__choices">
                                {(u.choice.is_none()).then(|| form("wait", Msg::UnavailableWait, false))}
                                {credit.then(|| form("credit", Msg::UnavailableCredit, false))}
                                {form("refund", Msg::UnavailableRefund, false)}
                            </div>
                        })}
                    </div>
                }
            }).collect_view()}
        </section>
    }
}

/// Past the delivery date: the customer may end the contract and be refunded in full.
#[component]
fn Late(number: String, key: String, locale: Locale) -> impl IntoView {
    let cancel = ServerAction::<CancelLateOrder>::new();
    let error = crate::ui::forms::error_of(cancel);
    view! {
        <section class="order__late notice notice--warning" aria-labelledby="late-title">
            <h2 id="late-title">{locale.t(Msg::LateTitle)}</h2>
            <p>{locale.t(Msg::LateText)}</p>
            <ActionForm action=cancel attr:class="order__pay">
                <crate::ui::forms::FormError error/>
                <input type="hidden" name="number" value=number/>
                {(!key.is_empty()).then(|| view! { <input type="hidden" name="key" value=key.clone()/> })}
                <button class="button" type="submit">{locale.t(Msg::LateAction)}</button>
            </ActionForm>
        </section>
    }
}

/// The right of withdrawal while it lasts: until when, and the button that starts it (the
/// order's number and address are known here: no need to type them).
#[component]
fn Withdraw(
    window: crate::orders::model::WithdrawalWindow,
    number: String,
    email: String,
    locale: Locale,
) -> impl IntoView {
    let start = ServerAction::<crate::withdrawal::api::StartWithdrawal>::new();
    let error = crate::ui::forms::error_of(start);
    let until = window
        .until
        .as_deref()
        .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
        .map(|at| crate::ui::format::paris_time(locale, at.with_timezone(&chrono::Utc)));
    let period = match (locale, until) {
        (Locale::Fr, Some(until)) => format!("Vous pouvez vous rétracter de cette commande jusqu'au {until}."),
        (Locale::En, Some(until)) => format!("You may withdraw from this order until {until}."),
        (Locale::Fr, None) => "Vous pouvez vous rétracter de cette commande dès maintenant et jusqu'au 14e jour après la réception du colis.".to_owned(),
        (Locale::En, None) => "You may withdraw from this order now and until the 14th day after the parcel reaches you.".to_owned(),
    };
    view! {
        <section class="order__withdraw" id="withdraw" aria-labelledby="withdraw-title">
            <h2 id="withdraw-title">{locale.t(Msg::WithdrawTitle)}</h2>
            <p data-testid="withdraw-until">{period}</p>
            <ActionForm action=start attr:class="order__pay">
                <crate::ui::forms::FormError error/>
                <input type="hidden" name="number" value=number/>
                <input type="hidden" name="email" value=email/>
                <input type="hidden" name="kind" value="withdrawal"/>
                <button class="button" type="submit">{locale.t(Msg::WithdrawAction)}</button>
            </ActionForm>
        </section>
    }
}

/// The order's refunds with their credit notes; for staff, the refund form.
#[component]
pub(crate) fn Refunds(
    refunds: Vec<RefundView>,
    refundable: Option<rust_decimal::Decimal>,
    /// The order's lines, for a refund of some of their units.
    lines: Vec<crate::orders::model::OrderLineView>,
    number: String,
    key: String,
    locale: Locale,
) -> impl IntoView {
    let lines: Vec<_> = lines
        .into_iter()
        .filter(|l| l.quantity > l.returned)
        .collect();
    let refund = ServerAction::<RefundOrder>::new();
    let error = crate::ui::forms::error_of(refund);
    view! {
        <section class="order__block order__refunds" aria-labelledby="refunds-title">
            <h2 id="refunds-title">{locale.t(Msg::RefundsTitle)}</h2>
            {(!refunds.is_empty()).then(|| view! { <ul class="order__history">
                {refunds.into_iter().map(|r| {
                    let status = match r.status.as_str() {
                        "refunded" => Msg::RefundStatusRefunded,
                        "failed" => Msg::RefundStatusFailed,
                        _ => Msg::RefundStatusPending,
                    };
                    view! {
                        <li data-testid="refund">
                            {format!("{} — {} — {}", short_date(&r.created_at, locale), money(locale, r.amount), locale.t(status))}
                            {r.credit_note.map(|n| format!(" — {} {n}", locale.t(Msg::CreditNoteWord)))}
                            {format!(" ({})", r.reason)}
                        </li>
                    }
                }).collect_view()}
            </ul> })}
            {refundable.map(|left| view! {
                <ActionForm action=refund attr:class="checkout-form order__refund-form">
                    <crate::ui::forms::FormError error/>
                    <p>{locale.t(Msg::RefundLeft)}" "<strong>{money(locale, left)}</strong></p>
                    <input type="hidden" name="number" value=number.clone()/>
                    <input type="hidden" name="idempotency_key" value=key.clone()/>
                    {(!lines.is_empty()).then(|| view! {
                        <fieldset class="order__refund-lines">
                            <legend>{locale.t(Msg::RefundLinesLegend)}</legend>
                            {lines.iter().enumerate().map(|(i, line)| {
                                let id = format!("refund-line-{i}");
                                let open = line.quantity - line.returned;
                                view! {
                                    <div class="field field--inline">
                                        <input type="hidden" name=format!("lines[{i}][line_id]") value=line.line_id.to_string()/>
                                        <label for=id.clone()>{format!("{} (0 – {open})", line.name)}</label>
                                        <input id=id type="number" inputmode="numeric" min="0" max=open.to_string()
                                            name=format!("lines[{i}][quantity]") value="0"/>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    })}
                    <div class="field">
                        <label for="refund-amount">{locale.t(Msg::RefundAmountLabel)}</label>
                        <input id="refund-amount" name="amount" type="text" inputmode="decimal" autocomplete="off"/>
                    </div>
                    <div class="field">
                        <label for="refund-method">{locale.t(Msg::RefundMethodLabel)}</label>
                        <select id="refund-method" name="method">
                            <option value="original" selected=true>{locale.t(Msg::RefundMethodOriginal)}</option>
                            <option value="credit">{locale.t(Msg::RefundMethodCredit)}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="refund-reason">{locale.t(Msg::RefundReasonLabel)}</label>
                        <input id="refund-reason" name="reason" type="text" required=true maxlength="500" autocomplete="off"/>
                    </div>
                    <button class="button" type="submit">{locale.t(Msg::RefundAction)}</button>
                </ActionForm>
            })}
        </section>
    }
}
