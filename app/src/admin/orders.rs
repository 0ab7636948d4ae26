//! `/admin/orders` (filters in the query: status, dates, payment method, destination, number or
//! email) and `/admin/orders/{number}`: the order with its whole history (who moved it, why),
//! the moves its status allows, its refunds and its audit log.

use super::audit::{AuditEntry, AuditTable};
use crate::cart::components::phrases;
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::orders::model::{OrderStatus, OrderView};
use crate::orders::pages::status_label;
use crate::orders::rules::{Carrier, StaffMove};
use crate::pricing::{Destination, PaymentMethod, Region};
use crate::ui::Loading;
use crate::ui::format::{money, paris_time};
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Orders per page of the list.
pub const ORDERS_PAGE: u64 = 50;

/// The list's filters, as the query string carries them (empty: any).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderFilter {
    /// A status code (`paid`), or `action` for the orders waiting for staff.
    pub status: String,
    /// `YYYY-MM-DD`, Paris days, both included.
    pub from: String,
    pub to: String,
    /// A payment method code.
    pub method: String,
    /// `metropolitan`, `overseas`, `eu`, `world`, or one destination code.
    pub destination: String,
    /// An order number or (part of) an email address.
    pub q: String,
    pub page: u64,
}

impl OrderFilter {
    /// The query string of this filter on page `page`.
    pub fn query(&self, page: u64) -> String {
        let encode = crate::catalog::rules::encode_query_value;
        let mut parts = Vec::new();
        for (name, value) in [
            ("status", &self.status),
            ("from", &self.from),
            ("to", &self.to),
            ("method", &self.method),
            ("destination", &self.destination),
            ("q", &self.q),
        ] {
            if !value.is_empty() {
                parts.push(format!("{name}={}", encode(value)));
            }
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            "/admin/orders".to_owned()
        } else {
            format!("/admin/orders?{}", parts.join("&"))
        }
    }
}

/// The statuses waiting for staff: a payment to check, a parcel to prepare or ship, goods
/// withdrawn to refund once back.
pub const AWAITING_STAFF: [OrderStatus; 4] = [
    OrderStatus::OnHold,
    OrderStatus::Paid,
    OrderStatus::Preparing,
    OrderStatus::Withdrawn,
];

/// A row of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrderRow {
    pub number: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub name: String,
    pub email: String,
    pub destination: String,
    pub method: PaymentMethod,
    pub status: OrderStatus,
    pub total: Decimal,
}

/// A page of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrderList {
    pub rows: Vec<AdminOrderRow>,
    pub filter: OrderFilter,
    pub has_more: bool,
}

/// A move of the order, as staff read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminEvent {
    pub at: chrono::DateTime<chrono::Utc>,
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    /// `system`, the shopper, or a staff member's email.
    pub actor: String,
    pub note: Option<String>,
}

/// The order as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOrderView {
    pub order: OrderView,
    /// The customer's account: id and name.
    pub customer: Option<(i32, String)>,
    pub events: Vec<AdminEvent>,
    pub moves: Vec<StaffMove>,
    /// The key of this page's forms: a repeated submission is one move, one refund.
    pub move_key: String,
    pub audit: Vec<AuditEntry>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::OrderFilter;
    use crate::clock::paris_midnight;
    use crate::db::entities::order;
    use crate::orders::model::OrderStatus;
    use crate::pricing::{Destination, PaymentMethod, Region};
    use sea_orm::{ColumnTrait, Condition, QueryFilter, Select};

    fn region(code: &str) -> Option<Region> {
        match code {
            "metropolitan" => Some(Region::MetropolitanFrance),
            "overseas" => Some(Region::Overseas),
            "eu" => Some(Region::Eu),
            "world" => Some(Region::World),
            _ => None,
        }
    }

    fn day(text: &str) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
    }

    /// `filter` cleaned (unknown values dropped, so the page shows what applies) and as a
    /// query on the orders.
    pub fn apply(
        mut filter: OrderFilter,
        mut find: Select<order::Entity>,
    ) -> (OrderFilter, Select<order::Entity>) {
        if filter.status == "action" {
            find = find.filter(
                order::Column::Status.is_in(super::AWAITING_STAFF.iter().map(|s| s.code())),
            );
        } else if let Some(status) = OrderStatus::from_code(&filter.status) {
            find = find.filter(order::Column::Status.eq(status.code()));
        } else {
            filter.status.clear();
        }
        match day(&filter.from) {
            Some(from) => find = find.filter(order::Column::CreatedAt.gte(paris_midnight(from))),
            None => filter.from.clear(),
        }
        match day(&filter.to).and_then(|d| d.succ_opt()) {
            Some(after) => find = find.filter(order::Column::CreatedAt.lt(paris_midnight(after))),
            None => filter.to.clear(),
        }
        match PaymentMethod::from_code(&filter.method) {
            Some(method) => find = find.filter(order::Column::PaymentMethod.eq(method.code())),
            None => filter.method.clear(),
        }
        if let Some(region) = region(&filter.destination) {
            let codes: Vec<&str> = Destination::all()
                .filter(|d| d.region() == region)
                .map(Destination::code)
                .collect();
            find = find.filter(order::Column::Destination.is_in(codes));
        } else if let Some(destination) = Destination::parse(&filter.destination) {
            filter.destination = destination.code().to_owned();
            find = find.filter(order::Column::Destination.eq(destination.code()));
        } else {
            filter.destination.clear();
        }
        filter.q = filter.q.trim().chars().take(100).collect();
        if !filter.q.is_empty() {
            let q = filter.q.clone();
            find = find.filter(
                Condition::any()
                    .add(order::Column::Number.eq(q.to_uppercase()))
                    .add(order::Column::Email.contains(q.to_lowercase())),
            );
        }
        (filter, find)
    }
}

/// The orders, newest first, for staff.
#[server(prefix = "/api", endpoint = "admin/orders")]
pub async fn admin_orders(filter: OrderFilter) -> Result<AdminOrderList, AppError> {
    use crate::db::entities::order;
    use crate::money::from_cents;
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    let state = super::require_staff().await?;
    let page = filter.page.max(1);
    let (mut filter, find) = ssr::apply(filter, order::Entity::find());
    filter.page = page;
    let mut rows = find
        .order_by_desc(order::Column::Id)
        .offset((page - 1).saturating_mul(ORDERS_PAGE))
        .limit(ORDERS_PAGE + 1)
        .all(&state.db)
        .await?;
    let has_more = rows.len() as u64 > ORDERS_PAGE;
    rows.truncate(ORDERS_PAGE as usize);
    Ok(AdminOrderList {
        rows: rows
            .into_iter()
            .map(|o| AdminOrderRow {
                name: format!("{} {}", o.first_name, o.last_name),
                status: OrderStatus::from_code(&o.status).unwrap_or(OrderStatus::PendingPayment),
                method: PaymentMethod::from_code(&o.payment_method).unwrap_or(PaymentMethod::Card),
                total: from_cents(o.total_cents),
                number: o.number,
                created_at: o.created_at,
                email: o.email,
                destination: o.destination,
            })
            .collect(),
        filter,
        has_more,
    })
}

/// Order `number` with everything staff need to handle it.
#[server(prefix = "/api", endpoint = "admin/order")]
pub async fn admin_order(number: String) -> Result<StaffOrderView, AppError> {
    use crate::db::entities::{audit_log, order_event, user};
    use crate::orders::service::{refund, view};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let state = super::require_staff().await?;
    let found = view::find_for(
        &state.db,
        &number,
        &view::Viewer {
            staff: true,
            ..Default::default()
        },
    )
    .await?;
    let mut order = view::order_view(&state.db, &found, state.clock.now()).await?;
    let (refunds, left) = refund::refunds_of(&state.db, &found).await?;
    let move_key = crate::orders::api::ssr::new_key();
    order.refunds = refunds;
    order.refundable = (left > 0 && refund::refundable_status(&found.status))
        .then(|| crate::money::from_cents(left));
    order.refund_key = move_key.clone();
    order.can_record_payment = order.instructions.is_some();
    let events = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(found.id))
        .order_by_asc(order_event::Column::Id)
        .all(&state.db)
        .await?;
    let people_ids: Vec<i32> = events
        .iter()
        .filter_map(|e| e.actor.strip_prefix("staff:")?.parse().ok())
        .chain(found.user_id)
        .collect();
    let people = if people_ids.is_empty() {
        Vec::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(people_ids))
            .all(&state.db)
            .await?
    };
    let events = events
        .into_iter()
        .filter_map(|e| {
            let actor = e
                .actor
                .strip_prefix("staff:")
                .and_then(|id| id.parse::<i32>().ok())
                .and_then(|id| people.iter().find(|u| u.id == id))
                .map_or_else(|| e.actor.clone(), |u| u.email.clone());
            Some(AdminEvent {
                at: e.created_at,
                from: e.from_status.as_deref().and_then(OrderStatus::from_code),
                to: OrderStatus::from_code(&e.to_status)?,
                actor,
                note: e.note,
            })
        })
        .collect();
    let customer = found.user_id.and_then(|id| {
        people
            .iter()
            .find(|u| u.id == id)
            .map(|u| (u.id, format!("{} {}", u.first_name, u.last_name)))
    });
    let audit_rows = audit_log::Entity::find()
        .filter(audit_log::Column::Subject.eq(format!("order:{}", found.number)))
        .order_by_desc(audit_log::Column::Id)
        .limit(100)
        .all(&state.db)
        .await?;
    Ok(StaffOrderView {
        moves: StaffMove::open_from(order.status),
        order,
        customer,
        events,
        move_key,
        audit: super::audit::entries(&state.db, audit_rows).await?,
    })
}

/// Staff move order `number` (`action`: prepare, ship, deliver, cancel, refuse). Shipping needs
/// a carrier and a tracking number; a cancellation or refusal a reason, told to the customer.
#[server(prefix = "/api", endpoint = "admin/orders/move")]
pub async fn move_order(
    number: String,
    action: String,
    #[server(default)] carrier: String,
    #[server(default)] tracking_number: String,
    #[server(default)] reason: String,
    idempotency_key: String,
) -> Result<(), AppError> {
    use crate::orders::rules::clean_tracking_number;
    use crate::orders::service::staff::{MoveRequest, apply};
    let (state, staff) = super::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let bad = |msg: Msg| AppError::BadRequest(locale.t(msg).to_owned()).answered();
    let action = StaffMove::from_code(&action).ok_or_else(|| bad(Msg::ErrInvalidRequest))?;
    let parcel = if action == StaffMove::Ship {
        let carrier = Carrier::from_code(&carrier).ok_or_else(|| bad(Msg::ErrCarrier))?;
        let number =
            clean_tracking_number(&tracking_number).ok_or_else(|| bad(Msg::ErrTrackingNumber))?;
        Some((carrier, number))
    } else {
        None
    };
    let reason = reason.trim();
    if matches!(action, StaffMove::Cancel | StaffMove::Refuse)
        && (reason.chars().count() < 5 || reason.chars().count() > 500)
    {
        return Err(bad(Msg::ErrCancelReason));
    }
    let key = crate::orders::api::ssr::idempotency_key(&idempotency_key)?;
    apply(
        &state.db,
        &state.payments,
        &state.site.public_url,
        &MoveRequest {
            number: &number,
            action,
            parcel,
            reason,
            staff_id: staff.id,
            idempotency_key: key,
            now: state.clock.now(),
        },
    )
    .await?;
    leptos_axum::redirect(&format!("/admin/orders/{number}"));
    Ok(())
}

/// Staff mark line `line_id` of order `number` unavailable until `expected_on`
/// (`YYYY-MM-DD`, today to a year ahead): the customer is emailed and chooses on the order's
/// page.
#[server(prefix = "/api", endpoint = "admin/orders/unavailable")]
pub async fn mark_unavailable(
    number: String,
    line_id: i32,
    expected_on: String,
) -> Result<(), AppError> {
    use crate::orders::service::view;
    let (state, staff) = super::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let now = state.clock.now();
    let today = crate::clock::paris_today(now);
    let expected_on = chrono::NaiveDate::parse_from_str(expected_on.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d >= today && *d <= today + chrono::Duration::days(365))
        .ok_or_else(|| AppError::BadRequest(locale.t(Msg::ErrExpectedOn).to_owned()).answered())?;
    let found = view::find_for(
        &state.db,
        &number,
        &view::Viewer {
            staff: true,
            ..Default::default()
        },
    )
    .await?;
    let actor = format!("staff:{}", staff.id);
    crate::orders::service::unavailable::mark(
        &state.db,
        &state.site.public_url,
        &found,
        line_id,
        expected_on,
        &actor,
        now,
    )
    .await?;
    super::audit::record(
        &state.db,
        staff.id,
        "order.unavailable",
        &format!("order:{number}"),
        &format!("line {line_id} — {expected_on}"),
        now,
    )
    .await?;
    leptos_axum::redirect(&format!("/admin/orders/{number}"));
    Ok(())
}

/// The form that marks a line unavailable, with the date it is expected.
#[component]
fn MarkUnavailable(
    lines: Vec<crate::orders::model::OrderLineView>,
    number: String,
    locale: Locale,
) -> impl IntoView {
    let mark = ServerAction::<MarkUnavailable>::new();
    let error = error_of(mark);
    view! {
        <details class="admin-move" data-testid="unavailable-form">
            <summary>{locale.t(Msg::UnavailableMark)}</summary>
            <ActionForm action=mark>
                <FormError error/>
                <p>{locale.t(Msg::UnavailableMarkLead)}</p>
                <input type="hidden" name="number" value=number/>
                <div class="field">
                    <label for="unavailable-line">{locale.t(Msg::UnavailableLine)}</label>
                    <select id="unavailable-line" name="line_id" required=true>
                        {lines.into_iter().filter(|l| l.quantity > l.returned).map(|l| view! {
                            <option value=l.line_id.to_string()>{l.name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="unavailable-date">{locale.t(Msg::UnavailableExpected)}</label>
                    <input id="unavailable-date" name="expected_on" type="date" required=true/>
                </div>
                <button class="button" type="submit">{locale.t(Msg::UnavailableMark)}</button>
            </ActionForm>
        </details>
    }
}

fn status_class(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::OnHold
        | OrderStatus::Paid
        | OrderStatus::Preparing
        | OrderStatus::Withdrawn => "badge badge--warn",
        OrderStatus::Shipped | OrderStatus::Delivered => "badge badge--ok",
        _ => "badge",
    }
}

/// `/admin/orders`.
#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    let locale = use_locale();
    let filter = use_query_map().with_untracked(|q| OrderFilter {
        status: q.get("status").unwrap_or_default(),
        from: q.get("from").unwrap_or_default(),
        to: q.get("to").unwrap_or_default(),
        method: q.get("method").unwrap_or_default(),
        destination: q.get("destination").unwrap_or_default(),
        q: q.get("q").unwrap_or_default(),
        page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
    });
    let list = OnceResource::new(admin_orders(filter));
    view! {
        <PageMeta title=locale.t(Msg::AdminOrders) description=locale.t(Msg::AdminOrdersLead) path="/admin/orders" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <OrderList list locale/> }.into_any(),
                    Err(error) => super::gate(error, "/admin/orders"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderList(list: AdminOrderList, locale: Locale) -> impl IntoView {
    let AdminOrderList {
        rows,
        filter,
        has_more,
    } = list;
    let previous = (filter.page > 1).then(|| filter.query(filter.page - 1));
    let next = has_more.then(|| filter.query(filter.page + 1));
    let selected = |current: &str, value: &str| current == value;
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
            <h1>{locale.t(Msg::AdminOrders)}</h1>
            <form class="admin-filters" method="get" action="/admin/orders">
                <div class="field">
                    <label for="f-q">{locale.t(Msg::AdminOrderSearch)}</label>
                    <input id="f-q" name="q" type="search" value=filter.q.clone() autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="f-status">{locale.t(Msg::StatusWord)}</label>
                    <select id="f-status" name="status">
                        <option value="">{locale.t(Msg::AdminAny)}</option>
                        <option value="action" selected=selected(&filter.status, "action")>{locale.t(Msg::AdminAwaitingAction)}</option>
                        {OrderStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=selected(&filter.status, s.code())>{locale.t(status_label(s))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-from">{locale.t(Msg::AdminFrom)}</label>
                    <input id="f-from" name="from" type="date" value=filter.from.clone()/>
                </div>
                <div class="field">
                    <label for="f-to">{locale.t(Msg::AdminTo)}</label>
                    <input id="f-to" name="to" type="date" value=filter.to.clone()/>
                </div>
                <div class="field">
                    <label for="f-method">{locale.t(Msg::PaymentMethodLegend)}</label>
                    <select id="f-method" name="method">
                        <option value="">{locale.t(Msg::AdminAny)}</option>
                        {PaymentMethod::ALL.into_iter().map(|m| view! {
                            <option value=m.code() selected=selected(&filter.method, m.code())>{phrases::payment_method(locale, m)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-destination">{locale.t(Msg::AdminDestination)}</label>
                    <select id="f-destination" name="destination">
                        <option value="">{locale.t(Msg::AdminAny)}</option>
                        {[
                            ("metropolitan", Msg::RegionMetropolitan),
                            ("overseas", Msg::RegionOverseas),
                            ("eu", Msg::RegionEu),
                            ("world", Msg::RegionWorld),
                        ].into_iter().map(|(code, label)| view! {
                            <option value=code selected=selected(&filter.destination, code)>{locale.t(label)}</option>
                        }).collect_view()}
                        {Destination::all().filter(|d| d.region() != Region::MetropolitanFrance).map(|d| view! {
                            <option value=d.code() selected=selected(&filter.destination, d.code())>{d.name(locale)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button class="button button--small" type="submit">{locale.t(Msg::AdminFilter)}</button>
                <a class="button button--small button--ghost" href="/admin/orders">{locale.t(Msg::AdminFilterClear)}</a>
            </form>
            {rows.is_empty().then(|| view! { <p class="account__empty">{locale.t(Msg::AdminOrdersNone)}</p> })}
            <div class="table-scroll">
                <table class="admin-table" data-testid="admin-orders">
                    <thead><tr>
                        <th scope="col">{locale.t(Msg::OrderWord)}</th>
                        <th scope="col">{locale.t(Msg::AdminDate)}</th>
                        <th scope="col">{locale.t(Msg::AdminCustomer)}</th>
                        <th scope="col">{locale.t(Msg::AdminDestination)}</th>
                        <th scope="col">{locale.t(Msg::PaymentMethodLegend)}</th>
                        <th scope="col">{locale.t(Msg::StatusWord)}</th>
                        <th scope="col" class="admin-table__number">{locale.t(Msg::TotalWord)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let destination = Destination::parse(&r.destination).map_or_else(|| r.destination.clone(), |d| d.name(locale).to_owned());
                            view! {
                                <tr>
                                    <td><a href=format!("/admin/orders/{}", r.number)><strong>{r.number.clone()}</strong></a></td>
                                    <td>{paris_time(locale, r.created_at)}</td>
                                    <td>{r.name}<br/><small>{r.email}</small></td>
                                    <td>{destination}</td>
                                    <td>{phrases::payment_method(locale, r.method)}</td>
                                    <td><span class=status_class(r.status)>{locale.t(status_label(r.status))}</span></td>
                                    <td class="admin-table__number">{money(locale, r.total)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <nav class="pagination" aria-label=locale.t(Msg::AdminOrders)>
                {previous.map(|href| view! { <a class="button button--small" href=href>"←"</a> })}
                {next.map(|href| view! { <a class="button button--small" href=href>"→"</a> })}
            </nav>
        </section>
    }
}

/// `/admin/orders/{number}`.
#[component]
pub fn AdminOrderPage() -> impl IntoView {
    let locale = use_locale();
    let number = use_params_map().with_untracked(|p| p.get("number").unwrap_or_default());
    let order = OnceResource::new(admin_order(number.clone()));
    let back = format!("/admin/orders/{number}");
    view! {
        <PageMeta title=format!("{} {number}", locale.t(Msg::OrderWord)) description=locale.t(Msg::AdminOrders) path=back.clone() noindex=true/>
        <Suspense fallback=Loading>
            {move || {
                let back = back.clone();
                Suspend::new(async move {
                    match order.await {
                        Ok(order) => view! { <OrderDetail order locale/> }.into_any(),
                        Err(error) => super::gate(error, &back),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn OrderDetail(order: StaffOrderView, locale: Locale) -> impl IntoView {
    let StaffOrderView {
        order,
        customer,
        events,
        moves,
        move_key,
        audit,
    } = order;
    let action = ServerAction::<MoveOrder>::new();
    let error = error_of(action);
    let number = order.number.clone();
    let delivery_country = Destination::parse(&order.delivery.country).map_or_else(
        || order.delivery.country.clone(),
        |d| d.name(locale).to_owned(),
    );
    let delivery = order.delivery.lines(&delivery_country);
    let move_form = |m: StaffMove| {
        let number = number.clone();
        let key = move_key.clone();
        match m {
            StaffMove::Ship => view! {
                <ActionForm action attr:class="admin-move admin-move--ship" attr:data-testid="ship-form">
                    <input type="hidden" name="number" value=number/>
                    <input type="hidden" name="action" value="ship"/>
                    <input type="hidden" name="idempotency_key" value=key/>
                    <div class="field">
                        <label for="ship-carrier">{locale.t(Msg::AdminCarrier)}</label>
                        <select id="ship-carrier" name="carrier" required=true>
                            {Carrier::ALL.into_iter().map(|c| view! {
                                <option value=c.code()>{c.name().unwrap_or(locale.t(Msg::AdminCarrierOther))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="ship-number">{locale.t(Msg::AdminTrackingNumber)}</label>
                        <input id="ship-number" name="tracking_number" type="text" required=true minlength="6" maxlength="60" autocomplete="off"/>
                    </div>
                    <button class="button button--primary" type="submit">{locale.t(Msg::AdminMoveShip)}</button>
                </ActionForm>
            }.into_any(),
            StaffMove::Cancel | StaffMove::Refuse => {
                let (id, label, lead) = if m == StaffMove::Cancel {
                    ("cancel-reason", Msg::AdminMoveCancel, Msg::AdminCancelLead)
                } else {
                    ("refuse-reason", Msg::AdminMoveRefuse, Msg::AdminRefuseLead)
                };
                view! {
                    <details class="admin-move">
                        <summary>{locale.t(label)}</summary>
                        <ActionForm action>
                            <p>{locale.t(lead)}</p>
                            <input type="hidden" name="number" value=number/>
                            <input type="hidden" name="action" value=m.code()/>
                            <input type="hidden" name="idempotency_key" value=key/>
                            <div class="field">
                                <label for=id>{locale.t(Msg::AdminCancelReason)}</label>
                                <input id=id name="reason" type="text" required=true minlength="5" maxlength="500" autocomplete="off"/>
                            </div>
                            <button class="button button--danger" type="submit">{locale.t(label)}</button>
                        </ActionForm>
                    </details>
                }.into_any()
            }
            StaffMove::AcceptPayment => view! {
                <ActionForm action attr:class="admin-move">
                    <p>{locale.t(Msg::AdminHeldLead)}</p>
                    <input type="hidden" name="number" value=number/>
                    <input type="hidden" name="action" value=m.code()/>
                    <input type="hidden" name="idempotency_key" value=key/>
                    <button class="button button--primary" type="submit">{locale.t(Msg::AdminMoveAcceptPayment)}</button>
                </ActionForm>
            }.into_any(),
            StaffMove::Prepare | StaffMove::Deliver => {
                let label = if m == StaffMove::Prepare { Msg::AdminMovePrepare } else { Msg::AdminMoveDeliver };
                view! {
                    <ActionForm action attr:class="admin-move">
                        <input type="hidden" name="number" value=number/>
                        <input type="hidden" name="action" value=m.code()/>
                        <input type="hidden" name="idempotency_key" value=key/>
                        <button class="button button--primary" type="submit">{locale.t(label)}</button>
                    </ActionForm>
                }.into_any()
            }
        }
    };
    view! {
        <section class="account container admin" data-status=order.status.code()>
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a>" › "<a href="/admin/orders">{locale.t(Msg::AdminOrders)}</a></p>
            <h1>{format!("{} {}", locale.t(Msg::OrderWord), order.number)}</h1>
            <p>
                <span class=status_class(order.status) data-testid="admin-order-status">{locale.t(status_label(order.status))}</span>
                " · "{crate::orders::pages::short_date(&order.created_at, locale)}
                " · "{phrases::payment_method(locale, order.payment_method)}
                " · "<strong>{money(locale, order.total)}</strong>
            </p>
            <FormError error/>
            {(!moves.is_empty()).then(|| view! {
                <div class="admin-moves" data-testid="moves">
                    {moves.into_iter().map(move_form).collect_view()}
                </div>
            })}
            {order.can_record_payment.then(|| {
                let record = ServerAction::<crate::orders::api::RecordPayment>::new();
                let number = order.number.clone();
                view! {
                    <ActionForm action=record attr:class="admin-move">
                        <input type="hidden" name="number" value=number/>
                        <button class="button" type="submit">{locale.t(Msg::RecordPayment)}</button>
                    </ActionForm>
                }
            })}
            {order.tracking.clone().map(|parcel| view! { <crate::orders::pages::order::Parcel parcel locale/> })}
            <div class="account__grid">
                <article class="account__panel">
                    <h2>{locale.t(Msg::AdminCustomer)}</h2>
                    <p>
                        {customer.map(|(id, name)| view! { <a href=format!("/admin/customers/{id}")>{name}</a><br/> })}
                        {order.email.clone()}
                    </p>
                    <h3>{locale.t(Msg::DeliveryAddress)}</h3>
                    <address>{delivery.into_iter().map(|l| view! { {l}<br/> }).collect_view()}</address>
                    <p>
                        <a href=format!("/orders/{}{}", order.number, order.link_query)>{locale.t(Msg::AdminCustomerView)}</a>
                        {order.invoice_number.clone().map(|n| view! {
                            " · "<a href=format!("/orders/{}/invoice.pdf{}", order.number, order.link_query)>{format!("{} {n}", locale.t(Msg::InvoiceWord))}</a>
                        })}
                    </p>
                </article>
                <article class="account__panel">
                    <h2>{locale.t(Msg::OrderLines)}</h2>
                    <ul class="summary-lines">
                        {order.lines.iter().map(|l| view! {
                            <li class="summary-line summary-line--plain">
                                <span class="summary-line__name">
                                    {l.name.clone()}" "<small>{l.sku.clone()}</small>
                                    <span class="summary-line__quantity">{format!("{} × {}", l.quantity, money(locale, l.unit_price))}</span>
                                    {(l.returned > 0).then(|| view! { <span class="summary-line__quantity">{format!("{}{}{}", locale.t(Msg::ReturnedWord), locale.colon(), l.returned)}</span> })}
                                </span>
                                <span class="summary-line__total">{money(locale, l.total)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    {(!order.unavailable.is_empty()).then(|| view! {
                        <ul class="order__history" data-testid="admin-unavailable">
                            {order.unavailable.iter().map(|u| view! {
                                <li>{crate::orders::pages::order::unavailable_text(u, locale)}</li>
                            }).collect_view()}
                        </ul>
                    })}
                    {matches!(order.status, OrderStatus::Paid | OrderStatus::Preparing).then(|| view! {
                        <MarkUnavailable lines=order.lines.clone() number=order.number.clone() locale/>
                    })}
                    <p>{locale.t(Msg::ShippingLabel)}{locale.colon()}{money(locale, order.shipping)}</p>
                    {crate::orders::pages::order::deliver_by(&order, locale).map(|text| view! { <p data-testid="delivery-due">{text}</p> })}
                    {order.late.then(|| view! { <p><strong class="badge badge--alert" data-testid="late">{locale.t(Msg::LateTitle)}</strong></p> })}
                </article>
            </div>
            <article class="account__panel">
                <h2>{locale.t(Msg::OrderHistory)}</h2>
                <ol class="order__history" data-testid="admin-history">
                    {events.into_iter().map(|e| view! {
                        <li>
                            {paris_time(locale, e.at)}" — "
                            <strong>{locale.t(status_label(e.to))}</strong>
                            " — "{e.actor}
                            {e.note.map(|n| format!(" — {n}"))}
                        </li>
                    }).collect_view()}
                </ol>
            </article>
            {(!order.refunds.is_empty() || order.refundable.is_some()).then(|| view! {
                <crate::orders::pages::order::Refunds refunds=order.refunds.clone() refundable=order.refundable lines=order.lines.clone() number=order.number.clone() key=order.refund_key.clone() locale/>
            })}
            <article class="account__panel">
                <h2>{locale.t(Msg::AuditTitle)}</h2>
                <AuditTable entries=audit/>
            </article>
        </section>
    }
}
