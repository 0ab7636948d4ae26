//! `/account/subscriptions` (the customer's own: next delivery, deadline, change, cancel) and
//! `/admin/subscriptions` (staff: every subscription, end one).

use super::api::{
    CancelSubscription, ChangeSubscription, EndSubscription, SubscriptionsOverview,
    account_subscriptions, staff_subscriptions,
};
use super::model::{SubscriptionStatus, SubscriptionView};
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::ui::format::{day, money, paris_time};
use crate::ui::forms::{FormError, error_of, query};
use crate::ui::phrases::every_months;
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, ForbiddenPage, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Redirect;

pub(crate) fn status_label(status: SubscriptionStatus) -> Msg {
    match status {
        SubscriptionStatus::Active => Msg::SubscriptionStatusActive,
        SubscriptionStatus::Suspended => Msg::SubscriptionStatusSuspended,
        SubscriptionStatus::Ended => Msg::SubscriptionStatusEnded,
    }
}

#[component]
pub fn AccountSubscriptionsPage() -> impl IntoView {
    let locale = use_locale();
    let data = OnceResource::new(account_subscriptions());
    view! {
        <PageMeta title=locale.t(Msg::AccountSubscriptions) description=locale.t(Msg::AccountSubscriptionsText) path="/account/subscriptions" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <Subscriptions data locale/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in?next=/account/subscriptions"/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Subscriptions(data: SubscriptionsOverview, locale: Locale) -> impl IntoView {
    let notice = match query("cancelled").as_deref() {
        Some("now") => Some(Msg::SubscriptionCancelledNow),
        Some(_) => Some(Msg::SubscriptionCancelledLater),
        None => query("changed").map(|_| Msg::SubscriptionChanged),
    };
    let empty = data.subscriptions.is_empty();
    let addresses = data.addresses;
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/account">{locale.t(Msg::AccountTitle)}</a></p>
            <h1>{locale.t(Msg::AccountSubscriptions)}</h1>
            {notice.map(|msg| view! { <p class="form-notice" role="status">{locale.t(msg)}</p> })}
            {empty.then(|| view! { <p class="account__empty">{locale.t(Msg::SubscriptionsEmpty)}</p> })}
            <ul class="subscription-list">
                {data.subscriptions.into_iter().map(|s| {
                    let addresses = addresses.clone();
                    view! { <SubscriptionCard subscription=s addresses locale/> }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// What every view of a subscription shows: product, frequency, status, dates, address.
#[component]
fn SubscriptionFacts(subscription: SubscriptionView, locale: Locale) -> impl IntoView {
    let s = subscription;
    view! {
        <div class="subscription-card__head">
            <img class="subscription-card__image" src=s.image.clone() alt="" width="64" height="64" loading="lazy"/>
            <div>
                <h2 class="subscription-card__title">
                    <a href=format!("/products/{}", s.product_slug)>{format!("{} × {}", s.quantity, s.product_name)}</a>
                </h2>
                <p class="subscription-card__meta">
                    {every_months(locale, s.every_months)}" · "
                    <span class=format!("subscription-card__status subscription-card__status--{}", s.status.code())>{locale.t(status_label(s.status))}</span>
                </p>
            </div>
        </div>
        <dl class="subscription-card__facts">
            {s.next_delivery.map(|next| view! {
                <dt>{locale.t(Msg::SubscriptionNext)}</dt>
                <dd data-testid="next-delivery">{day(next)}</dd>
            })}
            {match (s.ends_after, s.cancellation_deadline) {
                (Some(last), _) => view! {
                    <dt>{locale.t(Msg::SubscriptionEndsAfter)}</dt>
                    <dd>{day(last)}</dd>
                }.into_any(),
                (None, Some(deadline)) => view! {
                    <dt>{locale.t(Msg::SubscriptionDeadline)}</dt>
                    <dd data-testid="deadline">{paris_time(locale, deadline)}</dd>
                }.into_any(),
                _ => ().into_any(),
            }}
            <dt>{locale.t(Msg::SubscriptionPrice)}</dt>
            <dd>{money(locale, s.price)}</dd>
            <dt>{locale.t(Msg::SubscriptionStarted)}</dt>
            <dd>{day(s.started_on)}</dd>
            {s.last_order.clone().map(|number| view! {
                <dt>{locale.t(Msg::SubscriptionLastOrder)}</dt>
                <dd><a href=format!("/orders/{number}")>{number.clone()}</a></dd>
            })}
            <dt>{locale.t(Msg::SubscriptionDeliverTo)}</dt>
            <dd>{s.delivery.join(", ")}</dd>
        </dl>
    }
}

#[component]
fn SubscriptionCard(
    subscription: SubscriptionView,
    addresses: Vec<super::model::AddressChoice>,
    locale: Locale,
) -> impl IntoView {
    let cancel = ServerAction::<CancelSubscription>::new();
    let change = ServerAction::<ChangeSubscription>::new();
    let cancel_error = error_of(cancel);
    let change_error = error_of(change);
    let s = subscription.clone();
    let id = s.id.to_string();
    let changeable = s.status == SubscriptionStatus::Active && s.ends_after.is_none();
    let cancellable = s.status != SubscriptionStatus::Ended && s.ends_after.is_none();
    let late = s.late;
    let offered = if s.offered_months.contains(&s.every_months) {
        s.offered_months.clone()
    } else {
        let mut all = s.offered_months.clone();
        all.push(s.every_months);
        all.sort_unstable();
        all
    };
    view! {
        <li class="subscription-card" data-testid="subscription">
            <SubscriptionFacts subscription=subscription locale/>
            {changeable.then(|| {
                let id = id.clone();
                let field = format!("every-{}", s.id);
                let address_field = format!("address-{}", s.id);
                view! {
                    <details class="subscription-card__change">
                        <summary>{locale.t(Msg::SubscriptionChange)}</summary>
                        <ActionForm action=change attr:class="subscription-card__form">
                            <FormError error=change_error/>
                            <input type="hidden" name="id" value=id/>
                            <div class="field">
                                <label for=field.clone()>{locale.t(Msg::SubscribeEvery)}</label>
                                <select id=field name="every_months">
                                    {offered.iter().map(|m| view! {
                                        <option value=m.to_string() selected=*m == s.every_months>{every_months(locale, *m)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            {(!addresses.is_empty()).then(|| view! {
                                <div class="field">
                                    <label for=address_field.clone()>{locale.t(Msg::SubscriptionDeliverTo)}</label>
                                    <select id=address_field name="address_id">
                                        <option value="">{locale.t(Msg::SubscriptionKeepAddress)}</option>
                                        {addresses.iter().map(|a| view! {
                                            <option value=a.id.to_string()>{a.summary.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                            })}
                            <button class="button button--small" type="submit">{locale.t(Msg::SubscriptionSave)}</button>
                        </ActionForm>
                    </details>
                }
            })}
            {cancellable.then(|| view! {
                <ActionForm action=cancel attr:class="subscription-card__cancel">
                    <FormError error=cancel_error/>
                    <input type="hidden" name="id" value=id.clone()/>
                    {late.then(|| view! { <p class="subscription-card__warning">{locale.t(Msg::SubscriptionCancelLate)}</p> })}
                    <button class="button button--small button--ghost button--danger" type="submit">{locale.t(Msg::SubscriptionCancel)}</button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
pub fn AdminSubscriptionsPage() -> impl IntoView {
    let locale = use_locale();
    let data = OnceResource::new(staff_subscriptions());
    view! {
        <PageMeta title=locale.t(Msg::AdminSubscriptions) description=locale.t(Msg::AdminSubscriptionsText) path="/admin/subscriptions" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! { <StaffSubscriptions list locale/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in?next=/admin/subscriptions"/> }.into_any(),
                    Err(AppError::Forbidden) => view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffSubscriptions(list: Vec<SubscriptionView>, locale: Locale) -> impl IntoView {
    let notice = query("ended").map(|_| locale.t(Msg::AdminSubscriptionEnded));
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/admin">"Administration"</a></p>
            <h1>{locale.t(Msg::AdminSubscriptions)}</h1>
            <p>{locale.t(Msg::AdminSubscriptionsText)}</p>
            {notice.map(|notice| view! { <p class="form-notice" role="status">{notice}</p> })}
            <ul class="subscription-list">
                {list.into_iter().map(|s| {
                    let end = ServerAction::<EndSubscription>::new();
                    let error = error_of(end);
                    let running = s.status != SubscriptionStatus::Ended;
                    let id = s.id;
                    let email = s.customer_email.clone();
                    view! {
                        <li class="subscription-card" data-testid="staff-subscription">
                            <p class="subscription-card__customer">{format!("#{id} · {email}")}</p>
                            <SubscriptionFacts subscription=s locale/>
                            {running.then(|| view! {
                                <ActionForm action=end attr:class="subscription-card__form">
                                    <FormError error/>
                                    <input type="hidden" name="id" value=id.to_string()/>
                                    <div class="field">
                                        <label for=format!("reason-{id}")>{locale.t(Msg::AdminEndReason)}</label>
                                        <input id=format!("reason-{id}") name="reason" type="text" required maxlength="500"/>
                                    </div>
                                    <button class="button button--small button--ghost button--danger" type="submit">{locale.t(Msg::AdminEndSubscription)}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
