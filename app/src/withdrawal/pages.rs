//! `/withdrawal`: the "withdraw from the contract" function (and the missing-item claim),
//! usable without signing in, in three steps; `/admin/withdrawals` for staff.

use super::api::{
    ConfirmWithdrawal, RefundWithdrawal, ReviewWithdrawal, StaffWithdrawal, StartWithdrawal,
    WithdrawalView, staff_withdrawals, withdrawal_in_progress,
};
use super::rules::RequestKind;
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::ui::format::{money, paris_time};
use crate::ui::forms::{FormError, error_of, query};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, ForbiddenPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use rust_decimal::Decimal;

fn euros(locale: Locale, cents: i64) -> String {
    money(locale, Decimal::new(cents, 2))
}

#[component]
pub fn WithdrawalPage() -> impl IntoView {
    let locale = use_locale();
    let step = query("step").unwrap_or_default();
    let done = query("done");
    view! {
        <PageMeta title=locale.t(Msg::WithdrawalTitle) description=locale.t(Msg::WithdrawalLead) path="/withdrawal" noindex=true/>
        <section class="account container withdrawal">
            <p class="breadcrumb"><a href="/legal/withdrawal">{locale.t(Msg::LegalWithdrawal)}</a></p>
            <h1>{locale.t(Msg::WithdrawalTitle)}</h1>
            {match (done, step.as_str()) {
                (Some(reference), _) => view! {
                    <p class="form-notice" role="status">
                        {locale.t(Msg::WithdrawalDone)} " " <strong>{reference}</strong>
                    </p>
                }.into_any(),
                (None, "lines" | "confirm") => view! { <InProgress confirm=step == "confirm"/> }.into_any(),
                _ => view! { <Start/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Start() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<StartWithdrawal>::new();
    let error = error_of(action);
    view! {
        <p>{locale.t(Msg::WithdrawalLead)}</p>
        <article class="account__panel account__panel--form">
            <ActionForm action attr:class="auth__form">
                <FormError error/>
                <fieldset class="withdrawal__kind">
                    <legend>{locale.t(Msg::WithdrawalKind)}</legend>
                    <label class="checkbox">
                        <input type="radio" name="kind" value="withdrawal" checked/>
                        <span>{locale.t(Msg::WithdrawalKindWithdraw)}</span>
                    </label>
                    <label class="checkbox">
                        <input type="radio" name="kind" value="missing_item"/>
                        <span>{locale.t(Msg::WithdrawalKindMissing)}</span>
                    </label>
                </fieldset>
                <div class="field">
                    <label for="withdrawal-number">{locale.t(Msg::WithdrawalNumber)}</label>
                    <input id="withdrawal-number" name="number" required autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="withdrawal-email">{locale.t(Msg::EmailLabel)}</label>
                    <input id="withdrawal-email" name="email" type="email" required autocomplete="email"/>
                </div>
                <button class="button button--primary" type="submit">{locale.t(Msg::WithdrawalFind)}</button>
            </ActionForm>
        </article>
    }
}

#[component]
fn InProgress(confirm: bool) -> impl IntoView {
    let view_data = OnceResource::new(withdrawal_in_progress());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(data) if confirm && data.picked.is_some() => view! { <Confirm data/> }.into_any(),
                    Ok(data) => view! { <Lines data/> }.into_any(),
                    Err(AppError::BadRequest(message)) => view! {
                        <p class="form-error" role="alert">{message}</p>
                        <p><a href="/withdrawal">{use_locale().t(Msg::WithdrawalRestart)}</a></p>
                    }.into_any(),
                    Err(AppError::NotFound) => view! { <Redirect path="/withdrawal"/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn until_phrase(locale: Locale, data: &WithdrawalView) -> String {
    let number = &data.number;
    let Some(until) = data.until.map(|at| paris_time(locale, at)) else {
        return match locale {
            Locale::Fr => format!(
                "Commande {number} — rétractation possible dès maintenant et jusqu'au 14e jour après la réception du colis."
            ),
            Locale::En => format!(
                "Order {number} — you may withdraw now and until the 14th day after the parcel reaches you."
            ),
        };
    };
    match (locale, data.kind) {
        (Locale::Fr, RequestKind::Withdrawal) => {
            format!("Commande {number} — rétractation possible jusqu'au {until}.")
        }
        (Locale::En, RequestKind::Withdrawal) => {
            format!("Order {number} — you may withdraw until {until}.")
        }
        (Locale::Fr, RequestKind::MissingItem) => {
            format!("Commande {number} — réclamation possible jusqu'au {until}.")
        }
        (Locale::En, RequestKind::MissingItem) => {
            format!("Order {number} — you may claim until {until}.")
        }
    }
}

#[component]
fn Lines(data: WithdrawalView) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<ReviewWithdrawal>::new();
    let error = error_of(action);
    let withdrawal = data.kind == RequestKind::Withdrawal;
    view! {
        <p>{until_phrase(locale, &data)}</p>
        <p>{locale.t(if withdrawal { Msg::WithdrawalLinesHelp } else { Msg::WithdrawalMissingHelp })}</p>
        <ActionForm action attr:class="auth__form withdrawal__lines">
            <FormError error/>
            {data.lines.into_iter().enumerate().map(|(i, line)| {
                let qty = format!("withdrawal-qty-{i}");
                let sealed = format!("withdrawal-sealed-{i}");
                view! {
                    <fieldset class="withdrawal__line account__panel">
                        <legend>{line.name.clone()} " — " {euros(locale, line.unit_price_cents)}</legend>
                        <input type="hidden" name=format!("lines[{i}][line_id]") value=line.line_id.to_string()/>
                        <div class="field">
                            <label for=qty.clone()>{locale.t(Msg::WithdrawalQuantity)} " (0 – " {line.quantity} ")"</label>
                            <input id=qty type="number" inputmode="numeric" min="0" max=line.quantity.to_string()
                                name=format!("lines[{i}][quantity]") value="0"/>
                        </div>
                        {withdrawal.then(|| view! {
                            <label class="checkbox">
                                <input id=sealed type="checkbox" name=format!("lines[{i}][sealed]") value="yes"/>
                                <span>{locale.t(Msg::WithdrawalSealed)}</span>
                            </label>
                        })}
                    </fieldset>
                }
            }).collect_view()}
            <button class="button button--primary" type="submit">{locale.t(Msg::WithdrawalReview)}</button>
        </ActionForm>
    }
}

#[component]
fn Confirm(data: WithdrawalView) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<ConfirmWithdrawal>::new();
    let error = error_of(action);
    let picked = data.picked.clone().unwrap_or_default();
    view! {
        <p>{until_phrase(locale, &data)}</p>
        <article class="account__panel">
            <h2>{locale.t(Msg::WithdrawalSummary)}</h2>
            <ul>
                {picked.into_iter().map(|l| view! { <li>{l.quantity} " × " {l.name}</li> }).collect_view()}
            </ul>
            <p>{locale.t(Msg::WithdrawalRefund)} " " <strong data-testid="refund">{euros(locale, data.refund_cents)}</strong></p>
            {(data.kind == RequestKind::Withdrawal).then(|| view! { <p>{locale.t(Msg::WithdrawalReturnNote)}</p> })}
            <ActionForm action attr:class="auth__form">
                <FormError error/>
                <button class="button button--primary" type="submit">{locale.t(
                    if data.kind == RequestKind::Withdrawal { Msg::WithdrawalConfirm } else { Msg::WithdrawalClaim }
                )}</button>
            </ActionForm>
            <p><a href="/withdrawal?step=lines">{locale.t(Msg::WithdrawalChange)}</a></p>
        </article>
    }
}

#[component]
pub fn AdminWithdrawalsPage() -> impl IntoView {
    let locale = use_locale();
    let rows = OnceResource::new(staff_withdrawals());
    view! {
        <PageMeta title=locale.t(Msg::AdminWithdrawals) description=locale.t(Msg::AdminWithdrawals) path="/admin/withdrawals" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! { <StaffList rows/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in?next=/admin/withdrawals"/> }.into_any(),
                    Err(AppError::Forbidden) => view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffList(rows: Vec<StaffWithdrawal>) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<RefundWithdrawal>::new();
    let error = error_of(action);
    let empty = rows.is_empty();
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
            <h1>{locale.t(Msg::AdminWithdrawals)}</h1>
            <FormError error/>
            {empty.then(|| view! { <p>{locale.t(Msg::AdminWithdrawalsNone)}</p> })}
            <div class="table-scroll">
                <table class="admin-table">
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let kind = locale.t(match r.kind {
                                RequestKind::Withdrawal => Msg::WithdrawalKindWithdraw,
                                RequestKind::MissingItem => Msg::WithdrawalKindMissing,
                            });
                            let lines: String = r.lines.iter().map(|l| format!("{} × {}", l.quantity, l.name)).collect::<Vec<_>>().join(", ");
                            let open = r.status == "received";
                            let due = format!("{}{}{}", locale.t(Msg::RefundDue), locale.colon(), paris_time(locale, r.refund_due));
                            view! {
                                <tr class:admin-table__overdue=r.overdue data-overdue=r.overdue.to_string()>
                                    <td>
                                        <strong>{r.reference.clone()}</strong><br/>{paris_time(locale, r.created_at)}
                                        {open.then(|| view! { <br/><span class="admin-table__due">{due}</span> })}
                                        {r.overdue.then(|| view! { <br/><strong class="badge badge--alert">{locale.t(Msg::Overdue)}</strong> })}
                                    </td>
                                    <td><a href=format!("/orders/{}", r.number)>{r.number.clone()}</a><br/>{kind}</td>
                                    <td>{lines}</td>
                                    <td>{euros(locale, r.refund_cents)}</td>
                                    <td>{if open {
                                        view! {
                                            <ActionForm action>
                                                <input type="hidden" name="id" value=r.id.to_string()/>
                                                <button class="button button--small" type="submit">
                                                    {locale.t(Msg::AdminWithdrawalRefund)} " " {euros(locale, r.refund_cents)}
                                                </button>
                                            </ActionForm>
                                        }.into_any()
                                    } else {
                                        view! { <span>{locale.t(Msg::AdminWithdrawalRefunded)}</span> }.into_any()
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
