//! `/admin`, the back office: staff only. A customer (or an editor, whose tools are the
//! articles) gets 403; a visitor is sent to sign in. For now it shows the shop at a glance
//! (products on sale, customer accounts, what is low on stock) and the email outbox.

pub mod audit;
pub mod catalog;
pub mod customers;
pub mod orders;
pub mod seller;
pub mod shipping;
pub mod vat;

use crate::error::AppError;
use crate::i18n::{Msg, t};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, ForbiddenPage, Loading};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

/// Stock at or under this is "low".
pub const LOW_STOCK: i32 = 5;

/// Orders placed and money taken over a period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Takings {
    /// Orders placed in the period (any status).
    pub orders: u64,
    /// Orders paid in the period, and what they came to (VAT included).
    pub paid_orders: u64,
    pub revenue: rust_decimal::Decimal,
    /// Refunds made in the period.
    pub refunded: rust_decimal::Decimal,
}

/// What waits for staff.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    /// Bank transfers and cheques not received yet.
    pub offline_payments: u64,
    /// Payments of another amount than the order's total, to accept or refund.
    pub held: u64,
    /// Paid, to prepare.
    pub to_prepare: u64,
    /// Prepared, to ship.
    pub to_ship: u64,
    /// Withdrawals and missing-item claims not refunded yet.
    pub withdrawals: u64,
    /// Of those, past their 14-day refund date.
    pub overdue_refunds: u64,
    /// Paid orders not delivered within 30 days of payment.
    pub late_deliveries: u64,
}

/// The shop at a glance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// Today and this month, Paris days.
    pub today: Takings,
    pub month: Takings,
    pub waiting: Waiting,
    pub products_on_sale: u64,
    pub customers: u64,
    /// Id, name and stock of the active products at or under [`LOW_STOCK`], lowest first.
    pub low_stock: Vec<(i32, String, i32)>,
    /// The most viewed pages of the last [`AUDIENCE_DAYS`] days, by visitors who accepted
    /// audience measurement: path, views, first visits.
    pub audience: Vec<(String, i64, i64)>,
}

/// Days of audience shown on the dashboard.
pub const AUDIENCE_DAYS: i64 = 30;

#[cfg(feature = "ssr")]
pub(crate) use crate::account::api::ssr::{require_staff_state as require_staff, staff_member};
pub(crate) use crate::ui::gate;

/// The shop at a glance, for staff.
#[server(prefix = "/api", endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<Overview, AppError> {
    use crate::account::model::Role;
    use crate::catalog::service::{STATUS_ACTIVE, localized};
    use crate::db::entities::{product, user};
    use chrono::Datelike;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
    let state = require_staff().await?;
    let locale = crate::i18n::request_locale();
    let products_on_sale = product::Entity::find()
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .count(&state.db)
        .await?;
    let customers = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Customer.code()))
        .count(&state.db)
        .await?;
    let low_stock = product::Entity::find()
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .filter(product::Column::Stock.lte(LOW_STOCK))
        .order_by_asc(product::Column::Stock)
        .order_by_asc(product::Column::Id)
        .limit(50)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, localized(locale, p.name_fr, p.name_en), p.stock))
        .collect();
    let today = crate::clock::paris_today(state.clock.now());
    let since = today - chrono::Duration::days(AUDIENCE_DAYS - 1);
    let audience = audience(&state.db, since).await?;
    let month_start = today.with_day(1).unwrap_or(today);
    Ok(Overview {
        today: takings(&state.db, today).await?,
        month: takings(&state.db, month_start).await?,
        waiting: waiting(&state.db, state.clock.now()).await?,
        products_on_sale,
        customers,
        low_stock,
        audience,
    })
}

/// Orders placed, paid and refunded since the Paris day `since` began.
#[cfg(feature = "ssr")]
async fn takings(
    db: &sea_orm::DatabaseConnection,
    since: chrono::NaiveDate,
) -> Result<Takings, sea_orm::DbErr> {
    use crate::db::entities::{order, refund};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
    let start = crate::clock::paris_midnight(since);
    let orders = order::Entity::find()
        .filter(order::Column::CreatedAt.gte(start))
        .count(db)
        .await?;
    // One row: how many, and their sum (cast: PostgreSQL sums BIGINT as NUMERIC).
    let (paid_orders, revenue): (i64, Option<i64>) = order::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(Expr::cust("CAST(SUM(total_cents) AS BIGINT)"), "total")
        .filter(order::Column::PaidAt.gte(start))
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, None));
    let refunded: Option<i64> = refund::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(SUM(amount_cents) AS BIGINT)"), "total")
        .filter(refund::Column::Status.eq(crate::orders::service::refund::REFUNDED))
        .filter(refund::Column::UpdatedAt.gte(start))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    Ok(Takings {
        orders,
        paid_orders: u64::try_from(paid_orders).unwrap_or(0),
        revenue: crate::money::from_cents(revenue.unwrap_or(0)),
        refunded: crate::money::from_cents(refunded.unwrap_or(0)),
    })
}

/// What waits for staff, counted by status.
#[cfg(feature = "ssr")]
async fn waiting(
    db: &sea_orm::DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Waiting, sea_orm::DbErr> {
    use crate::db::entities::{order, withdrawal_request};
    use crate::orders::model::OrderStatus;
    use crate::pricing::PaymentMethod;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
    let counts: Vec<(String, String, i64)> = order::Entity::find()
        .select_only()
        .column(order::Column::Status)
        .column(order::Column::PaymentMethod)
        .column_as(order::Column::Id.count(), "n")
        .filter(order::Column::Status.is_in([
            OrderStatus::PendingPayment.code(),
            OrderStatus::OnHold.code(),
            OrderStatus::Paid.code(),
            OrderStatus::Preparing.code(),
        ]))
        .group_by(order::Column::Status)
        .group_by(order::Column::PaymentMethod)
        .into_tuple()
        .all(db)
        .await?;
    let count = |pick: &dyn Fn(&str, &str) -> bool| -> u64 {
        counts
            .iter()
            .filter(|(status, method, _)| pick(status, method))
            .map(|(_, _, n)| u64::try_from(*n).unwrap_or(0))
            .sum()
    };
    let offline = [
        PaymentMethod::BankTransfer.code(),
        PaymentMethod::Cheque.code(),
    ];
    Ok(Waiting {
        offline_payments: count(&|status, method| {
            status == OrderStatus::PendingPayment.code() && offline.contains(&method)
        }),
        held: count(&|status, _| status == OrderStatus::OnHold.code()),
        to_prepare: count(&|status, _| status == OrderStatus::Paid.code()),
        to_ship: count(&|status, _| status == OrderStatus::Preparing.code()),
        withdrawals: withdrawal_request::Entity::find()
            .filter(withdrawal_request::Column::Status.eq(crate::withdrawal::service::RECEIVED))
            .count(db)
            .await?,
        // Past their refund due date (7 or 14 days; older rows without one: 14).
        overdue_refunds: withdrawal_request::Entity::find()
            .filter(withdrawal_request::Column::Status.eq(crate::withdrawal::service::RECEIVED))
            .filter(
                withdrawal_request::Column::CreatedAt.lt(now
                    - chrono::Duration::days(crate::withdrawal::rules::SUBSCRIPTION_REFUND_DAYS)),
            )
            .all(db)
            .await?
            .iter()
            .filter(|r| {
                let due = r
                    .refund_due_at
                    .unwrap_or_else(|| crate::withdrawal::rules::refund_due(r.created_at, false));
                now > due
            })
            .count() as u64,
        late_deliveries: order::Entity::find()
            .filter(order::Column::Status.is_in([
                OrderStatus::Paid.code(),
                OrderStatus::Preparing.code(),
                OrderStatus::Shipped.code(),
            ]))
            .filter(
                order::Column::PaidAt
                    .lt(now - chrono::Duration::days(crate::orders::rules::DELIVERY_DAYS)),
            )
            .all(db)
            .await?
            .iter()
            .filter(|o| {
                OrderStatus::from_code(&o.status)
                    .is_some_and(|s| crate::orders::rules::delivery_late(s, o.paid_at, now))
            })
            .count() as u64,
    })
}

/// Views and first visits per path since `since`, most viewed first (20 at most).
#[cfg(feature = "ssr")]
async fn audience(
    db: &sea_orm::DatabaseConnection,
    since: chrono::NaiveDate,
) -> Result<Vec<(String, i64, i64)>, sea_orm::DbErr> {
    use sea_orm::FromQueryResult;
    #[derive(FromQueryResult)]
    struct Row {
        path: String,
        views: i64,
        visitors: i64,
    }
    let mut sql = crate::db::sql::Sql::new(db.get_database_backend());
    sql.push(
        "SELECT path, CAST(SUM(views) AS BIGINT) AS views, CAST(SUM(visitors) AS BIGINT) AS visitors \
         FROM audience_daily WHERE day >= ",
    )
    .bind(since)
    .push(" GROUP BY path ORDER BY views DESC, path LIMIT 20");
    Ok(Row::find_by_statement(sql.build())
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.path, r.views, r.visitors))
        .collect())
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let overview = OnceResource::new(admin_overview());
    view! {
        <PageMeta title=t(Msg::AdminTitle) description=t(Msg::AdminLead) path="/admin" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Dashboard overview/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/admin"/> }.into_any()
                    }
                    Err(AppError::Forbidden) => {
                        // Editors' part of the back office is the articles.
                        let role = crate::account::api::current_account()
                            .await
                            .ok()
                            .flatten()
                            .map(|account| account.role);
                        if role == Some(crate::account::model::Role::Editor) {
                            view! { <Redirect path="/admin/articles"/> }.into_any()
                        } else {
                            view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any()
                        }
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The back office's sections, at the top of the dashboard.
const SECTIONS: [(&str, Msg); 15] = [
    ("/admin/orders", Msg::AdminOrders),
    ("/admin/products", Msg::AdminCatalogue),
    ("/admin/customers", Msg::AdminCustomers),
    ("/admin/withdrawals", Msg::AdminWithdrawals),
    ("/admin/subscriptions", Msg::AdminSubscriptions),
    ("/admin/articles", Msg::AdminArticles),
    ("/admin/outbox", Msg::OutboxTitle),
    ("/admin/newsletter", Msg::NewsletterTitle),
    ("/admin/legal", Msg::AdminLegal),
    ("/admin/promotions", Msg::AdminPromotions),
    ("/admin/rewards", Msg::AdminRewards),
    ("/admin/shipping", Msg::AdminShipping),
    ("/admin/vat", Msg::AdminVat),
    ("/admin/seller", Msg::AdminSeller),
    ("/admin/audit", Msg::AuditTitle),
];

#[component]
fn TakingsPanel(title: Msg, takings: Takings, testid: &'static str) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    view! {
        <article class="account__panel" data-testid=testid>
            <h2>{t(title)}</h2>
            <p class="admin__figure">{crate::ui::format::money(locale, takings.revenue)}</p>
            <p>
                {format!("{} {} · {} {}", takings.paid_orders, t(Msg::AdminPaidOrders), takings.orders, t(Msg::AdminPlacedOrders))}
                {(!takings.refunded.is_zero()).then(|| format!(" · {} {}", t(Msg::AdminRefundedAmount), crate::ui::format::money(locale, takings.refunded)))}
            </p>
        </article>
    }
}

#[component]
fn Dashboard(overview: Overview) -> impl IntoView {
    let empty = overview.low_stock.is_empty();
    let w = overview.waiting.clone();
    let waiting = [
        (
            w.held,
            Msg::AdminWaitingHeld,
            "/admin/orders?status=on_hold",
        ),
        (
            w.offline_payments,
            Msg::AdminWaitingPayments,
            "/admin/orders?status=pending_payment",
        ),
        (
            w.to_prepare,
            Msg::AdminWaitingPrepare,
            "/admin/orders?status=paid",
        ),
        (
            w.to_ship,
            Msg::AdminWaitingShip,
            "/admin/orders?status=preparing",
        ),
        (
            w.withdrawals,
            Msg::AdminWaitingWithdrawals,
            "/admin/withdrawals",
        ),
        (
            w.overdue_refunds,
            Msg::AdminWaitingOverdueRefunds,
            "/admin/withdrawals",
        ),
        (
            w.late_deliveries,
            Msg::AdminWaitingLateDeliveries,
            "/admin/orders?status=shipped",
        ),
    ];
    view! {
        <section class="account container admin">
            <h1>{t(Msg::AdminTitle)}</h1>
            <p>{t(Msg::AdminLead)}</p>
            <nav class="admin-nav" aria-label=t(Msg::AdminTitle)>
                {SECTIONS.iter().map(|(href, label)| view! {
                    <a class="button button--small" href=*href>{t(*label)}</a>
                }).collect_view()}
            </nav>
            <div class="account__grid">
                <TakingsPanel title=Msg::AdminToday takings=overview.today.clone() testid="today"/>
                <TakingsPanel title=Msg::AdminThisMonth takings=overview.month.clone() testid="month"/>
            </div>
            <article class="account__panel" data-testid="waiting">
                <h2>{t(Msg::AdminAwaitingAction)}</h2>
                <ul class="admin__waiting">
                    {waiting.into_iter().map(|(n, label, href)| view! {
                        <li class:admin__waiting--some={n > 0}>
                            <a href=href><strong>{n}</strong>" "{t(label)}</a>
                        </li>
                    }).collect_view()}
                </ul>
            </article>
            <div class="account__grid">
                <article class="account__panel">
                    <h2>{t(Msg::AdminProducts)}</h2>
                    <p class="admin__figure" data-testid="products-on-sale">{overview.products_on_sale}</p>
                </article>
                <article class="account__panel">
                    <h2>{t(Msg::AdminCustomers)}</h2>
                    <p class="admin__figure">{overview.customers}</p>
                </article>
            </div>
            <article class="account__panel">
                <h2>{t(Msg::AdminAudience)}</h2>
                {overview.audience.is_empty().then(|| view! { <p>{t(Msg::AdminAudienceNone)}</p> })}
                {(!overview.audience.is_empty()).then(|| view! {
                    <div class="table-scroll">
                        <table class="admin-table" data-testid="audience">
                            <thead><tr>
                                <th scope="col">{t(Msg::AdminAudiencePage)}</th>
                                <th scope="col">{t(Msg::AdminAudienceViews)}</th>
                                <th scope="col">{t(Msg::AdminAudienceVisitors)}</th>
                            </tr></thead>
                            <tbody>
                                {overview.audience.clone().into_iter().map(|(path, views, visitors)| view! {
                                    <tr><td>{path}</td><td>{views}</td><td>{visitors}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })}
            </article>
            <article class="account__panel">
                <h2>{t(Msg::AdminLowStock)}</h2>
                {empty.then(|| view! { <p>{t(Msg::AdminNoLowStock)}</p> })}
                <ul class="admin__list">
                    {overview
                        .low_stock
                        .into_iter()
                        .map(|(id, name, stock)| view! {
                            <li><a href=format!("/admin/products/{id}")>{name}</a> " — " {stock}</li>
                        })
                        .collect_view()}
                </ul>
            </article>
        </section>
    }
}

/// Emails per page of the outbox.
pub const OUTBOX_PAGE: u64 = 50;

/// An email of the outbox, as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEmail {
    pub id: i32,
    pub to: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// Carries the PDF of an invoice.
    pub with_invoice: bool,
}

/// A page of the outbox, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub emails: Vec<OutboxEmail>,
    pub page: u64,
    pub has_more: bool,
}

/// Every email sent or waiting, newest first, for staff.
#[server(prefix = "/api", endpoint = "admin/outbox")]
pub async fn admin_outbox(page: u64) -> Result<OutboxPage, AppError> {
    use crate::db::entities::email_outbox;
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    let state = require_staff().await?;
    let page = page.max(1);
    let mut rows = email_outbox::Entity::find()
        .order_by_desc(email_outbox::Column::Id)
        .offset((page - 1).saturating_mul(OUTBOX_PAGE))
        .limit(OUTBOX_PAGE + 1)
        .all(&state.db)
        .await?;
    let has_more = rows.len() as u64 > OUTBOX_PAGE;
    rows.truncate(OUTBOX_PAGE as usize);
    let emails = rows
        .into_iter()
        .map(|m| OutboxEmail {
            id: m.id,
            to: m.to_address,
            kind: m.kind,
            subject: m.subject,
            // Links that sign in, reset a password or open an order are for their recipient
            // only: staff see that they were sent, never the secret they carry.
            body: crate::email::mask_secrets(&m.body_text),
            created_at: m.created_at,
            sent_at: m.sent_at,
            attempts: m.attempts,
            last_error: m.last_error,
            with_invoice: m.invoice_id.is_some(),
        })
        .collect();
    Ok(OutboxPage {
        emails,
        page,
        has_more,
    })
}

/// `/admin/outbox?page=N`: the emails, each with its state and whole text.
#[component]
pub fn OutboxAdminPage() -> impl IntoView {
    let page = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("page").and_then(|p| p.parse::<u64>().ok()))
        .unwrap_or(1);
    let outbox = OnceResource::new(admin_outbox(page));
    view! {
        <PageMeta title=t(Msg::OutboxTitle) description=t(Msg::OutboxLead) path="/admin/outbox" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match outbox.await {
                    Ok(outbox) => view! { <Outbox outbox/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/admin/outbox"/> }.into_any()
                    }
                    Err(AppError::Forbidden) => {
                        view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any()
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%d/%m/%Y %H:%M UTC").to_string()
}

#[component]
fn Outbox(outbox: OutboxPage) -> impl IntoView {
    let OutboxPage {
        emails,
        page,
        has_more,
    } = outbox;
    let empty = emails.is_empty();
    view! {
        <section class="account container">
            <p class="breadcrumb"><a href="/admin">{t(Msg::AdminTitle)}</a></p>
            <h1>{t(Msg::OutboxTitle)}</h1>
            <p>{t(Msg::OutboxLead)}</p>
            {empty.then(|| view! { <p class="account__empty">{t(Msg::OutboxEmpty)}</p> })}
            <ul class="outbox">
                {emails
                    .into_iter()
                    .map(|email| {
                        let state = match (&email.sent_at, &email.last_error) {
                            (Some(at), _) => format!("{} {}", t(Msg::OutboxSent), when(*at)),
                            (None, Some(error)) => format!("{} ({}) : {error}", t(Msg::OutboxFailed), email.attempts),
                            (None, None) => t(Msg::OutboxWaiting).to_owned(),
                        };
                        view! {
                            <li class="outbox__email" data-testid="outbox-email">
                                <details>
                                    <summary>
                                        <strong>{email.subject.clone()}</strong>
                                        <span class="outbox__meta">
                                            {email.to.clone()} " · " {email.kind.clone()} " · " {when(email.created_at)}
                                        </span>
                                        <span class="outbox__state" class:outbox__state--failed=email.sent_at.is_none() && email.last_error.is_some()>
                                            {state}
                                        </span>
                                    </summary>
                                    <pre class="outbox__body">{email.body.clone()}</pre>
                                    {email.with_invoice.then(|| view! { <p class="outbox__meta">{t(Msg::OutboxInvoiceAttached)}</p> })}
                                </details>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <nav class="pagination" aria-label=t(Msg::OutboxTitle)>
                {(page > 1).then(|| view! { <a class="button button--small" href=format!("/admin/outbox?page={}", page - 1)>"←"</a> })}
                {has_more.then(|| view! { <a class="button button--small" href=format!("/admin/outbox?page={}", page + 1)>"→"</a> })}
            </nav>
        </section>
    }
}
