//! What an order page shows after payment: items unavailable, a late delivery, the withdrawal form and the refunds.

use super::*;

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
pub(crate) fn Unavailable(
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
pub(crate) fn Late(number: String, key: String, locale: Locale) -> impl IntoView {
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
pub(crate) fn Withdraw(
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
