//! The back office's home: takings, what waits for staff, stock running low and the consented audience.

use super::*;

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
    /// Orders, revenue and audience per Paris day, and the best sellers.
    pub charts: super::charts::Charts,
}

/// The shop at a glance, for staff.
#[server(prefix = "/api", endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<Overview, AppError> {
    use crate::account::model::Role;
    use crate::catalog::service::STATUS_ACTIVE;
    use crate::db::entities::{product, user};
    use chrono::Datelike;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
    let state = require_staff().await?;
    let locale = crate::i18n::request_locale();
    let products_on_sale = product::Entity::find()
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .filter(product::Column::VariantOf.is_null())
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
        .map(|p| {
            (
                p.id,
                p.sold_name(locale == crate::i18n::Locale::En),
                p.stock,
            )
        })
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
        charts: super::charts::service::charts(&state.db, today).await?,
    })
}

/// Orders placed, paid and refunded since the Paris day `since` began.
#[cfg(feature = "ssr")]
pub(super) async fn takings(
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
pub(super) async fn waiting(
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
pub(super) async fn audience(
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
pub(super) fn TakingsPanel(title: Msg, takings: Takings, testid: &'static str) -> impl IntoView {
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
pub(super) fn Dashboard(overview: Overview) -> impl IntoView {
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
            <Charts charts=overview.charts.clone()/>
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

/// The last 30 days in pictures, each against the 30 before.
#[component]
fn Charts(charts: super::charts::Charts) -> impl IntoView {
    use super::charts::{DailyChart, DayFigures, TopChart, count, euros};
    let locale = crate::i18n::use_locale();
    let series = |pick: fn(&DayFigures) -> i64| {
        (
            charts
                .days
                .iter()
                .map(|d| (d.day, pick(d)))
                .collect::<Vec<_>>(),
            charts.before.iter().map(pick).collect::<Vec<_>>(),
        )
    };
    let total = |values: &[i64]| values.iter().sum::<i64>();
    let compared = |now: i64, before: i64, format: fn(crate::i18n::Locale, i64) -> String| {
        locale
            .t(Msg::AdminChartCompared)
            .replace("{now}", &format(locale, now))
            .replace("{before}", &format(locale, before))
    };
    let orders = series(|d| i64::try_from(d.orders).unwrap_or(i64::MAX));
    let revenue = series(|d| d.revenue_cents);
    let views = series(|d| d.views);
    let orders_said = compared(
        total(&orders.0.iter().map(|(_, v)| *v).collect::<Vec<_>>()),
        total(&orders.1),
        count,
    );
    let revenue_said = compared(
        total(&revenue.0.iter().map(|(_, v)| *v).collect::<Vec<_>>()),
        total(&revenue.1),
        euros,
    );
    let views_said = compared(
        total(&views.0.iter().map(|(_, v)| *v).collect::<Vec<_>>()),
        total(&views.1),
        count,
    );
    view! {
        <section class="admin-charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{t(Msg::AdminChartsTitle)}</h2>
            <div class="admin-charts__grid">
                <article class="account__panel">
                    <h3>{t(Msg::AdminChartOrders)}</h3>
                    <DailyChart id="chart-orders" title=Msg::AdminChartOrders description=orders_said days=orders.0 before=orders.1 format=count/>
                </article>
                <article class="account__panel">
                    <h3>{t(Msg::AdminChartRevenue)}</h3>
                    <DailyChart id="chart-revenue" title=Msg::AdminChartRevenue description=revenue_said days=revenue.0 before=revenue.1 format=euros floor=10_000/>
                </article>
                <article class="account__panel">
                    <h3>{t(Msg::AdminChartTop)}</h3>
                    {if charts.top.is_empty() {
                        view! { <p>{t(Msg::AdminChartTopNone)}</p> }.into_any()
                    } else {
                        view! { <TopChart top=charts.top.clone()/> }.into_any()
                    }}
                </article>
                <article class="account__panel">
                    <h3>{t(Msg::AdminChartAudience)}</h3>
                    <DailyChart id="chart-audience" title=Msg::AdminChartAudience description=views_said days=views.0 before=views.1 format=count/>
                </article>
            </div>
        </section>
    }
}
