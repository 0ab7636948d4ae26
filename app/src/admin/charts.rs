//! The dashboard's pictures: orders and paid revenue per Paris day over the last 30 days
//! against the 30 before, the best sellers, and the consented audience per day. Server-rendered
//! SVG (no chart script), each with a title, a description and its data as a table.

use crate::i18n::{Locale, Msg, t};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Days a chart covers (and the period it is compared with).
pub const CHART_DAYS: usize = 30;
/// Best sellers shown.
pub const TOP_PRODUCTS: u64 = 5;

/// What happened on one Paris day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigures {
    pub day: NaiveDate,
    /// Orders placed (any status).
    pub orders: u64,
    /// What the orders paid that day came to, VAT included.
    pub revenue_cents: i64,
    /// Page views and first visits of visitors who accepted audience measurement.
    pub views: i64,
    pub visitors: i64,
}

/// A best seller of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopProduct {
    pub name: String,
    pub quantity: i64,
    pub revenue_cents: i64,
}

/// The dashboard's series.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charts {
    /// The last [`CHART_DAYS`] Paris days, today last.
    pub days: Vec<DayFigures>,
    /// The [`CHART_DAYS`] before them, oldest first.
    pub before: Vec<DayFigures>,
    /// Paid in the last [`CHART_DAYS`] days, by revenue.
    pub top: Vec<TopProduct>,
}

/// One count or sum per day from `first` for `days` days, of the `(day, value)` pairs given
/// (days outside are left out).
pub fn per_day(
    first: NaiveDate,
    days: usize,
    values: impl IntoIterator<Item = (NaiveDate, i64)>,
) -> Vec<i64> {
    let mut sums = vec![0; days];
    for (day, value) in values {
        if let Ok(i) = usize::try_from((day - first).num_days())
            && let Some(sum) = sums.get_mut(i)
        {
            *sum += value;
        }
    }
    sums
}

/// A round upper bound for an axis at or above `max` (1, 2 or 5 times a power of ten).
pub fn axis_max(max: i64) -> i64 {
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            if let Some(bound) = step.checked_mul(m)
                && bound >= max
            {
                return bound;
            }
        }
        match step.checked_mul(10) {
            Some(next) => step = next,
            None => return i64::MAX,
        }
    }
}

#[cfg(feature = "ssr")]
pub mod service {
    //! The series read from the database (server only).

    use super::{CHART_DAYS, Charts, DayFigures, TOP_PRODUCTS, TopProduct, per_day};
    use crate::clock::{paris_midnight, paris_today};
    use crate::db::entities::{audience_daily, order};
    use chrono::{DateTime, Duration, NaiveDate, Utc};
    use sea_orm::{
        ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    };

    /// The charts of the [`CHART_DAYS`] Paris days up to `today` and the ones before. Orders
    /// are put on their Paris day here (SQLite knows no time zones): the 60 days' timestamps
    /// are read, not the orders.
    ///
    /// # Errors
    /// The database error.
    pub async fn charts(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Charts, DbErr> {
        let days = i64::try_from(CHART_DAYS).unwrap_or(30);
        let first = today - Duration::days(days - 1);
        let earliest = first - Duration::days(days);
        let since = paris_midnight(earliest);
        let placed: Vec<DateTime<Utc>> = order::Entity::find()
            .select_only()
            .column(order::Column::CreatedAt)
            .filter(order::Column::CreatedAt.gte(since))
            .into_tuple()
            .all(db)
            .await?;
        let paid: Vec<(Option<DateTime<Utc>>, i64)> = order::Entity::find()
            .select_only()
            .column(order::Column::PaidAt)
            .column(order::Column::TotalCents)
            .filter(order::Column::PaidAt.gte(since))
            .into_tuple()
            .all(db)
            .await?;
        let audience: Vec<(NaiveDate, i64, i64)> = audience_daily::Entity::find()
            .select_only()
            .column(audience_daily::Column::Day)
            .column_as(
                sea_orm::sea_query::Expr::cust("CAST(SUM(views) AS BIGINT)"),
                "views",
            )
            .column_as(
                sea_orm::sea_query::Expr::cust("CAST(SUM(visitors) AS BIGINT)"),
                "visitors",
            )
            .filter(audience_daily::Column::Day.gte(earliest))
            .group_by(audience_daily::Column::Day)
            .into_tuple()
            .all(db)
            .await?;
        let span = CHART_DAYS * 2;
        let orders = per_day(
            earliest,
            span,
            placed.iter().map(|at| (paris_today(*at), 1)),
        );
        let revenue = per_day(
            earliest,
            span,
            paid.iter()
                .filter_map(|(at, cents)| at.map(|at| (paris_today(at), *cents))),
        );
        let views = per_day(earliest, span, audience.iter().map(|(d, v, _)| (*d, *v)));
        let visitors = per_day(earliest, span, audience.iter().map(|(d, _, v)| (*d, *v)));
        let all: Vec<DayFigures> = (0..span)
            .map(|i| DayFigures {
                day: earliest + Duration::days(i64::try_from(i).unwrap_or(0)),
                orders: u64::try_from(orders[i]).unwrap_or(0),
                revenue_cents: revenue[i],
                views: views[i],
                visitors: visitors[i],
            })
            .collect();
        let (before, days) = all.split_at(CHART_DAYS);
        Ok(Charts {
            days: days.to_vec(),
            before: before.to_vec(),
            top: top(db, paris_midnight(first)).await?,
        })
    }

    /// The products paid since `since` that brought the most, with how many were sold.
    async fn top(
        db: &impl ConnectionTrait,
        since: DateTime<Utc>,
    ) -> Result<Vec<TopProduct>, DbErr> {
        #[derive(FromQueryResult)]
        struct Row {
            name: String,
            quantity: i64,
            revenue: i64,
        }
        let mut sql = crate::db::sql::Sql::new(db.get_database_backend());
        sql.push(
            "SELECT MAX(l.name) AS name, CAST(SUM(l.quantity) AS BIGINT) AS quantity, \
             CAST(SUM(l.paid_cents) AS BIGINT) AS revenue \
             FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.paid_at >= ",
        )
        .bind(since)
        .push(" GROUP BY l.product_id ORDER BY revenue DESC, name LIMIT ")
        .push(&TOP_PRODUCTS.to_string());
        Ok(Row::find_by_statement(sql.build())
            .all(db)
            .await?
            .into_iter()
            .map(|r| TopProduct {
                name: r.name,
                quantity: r.quantity,
                revenue_cents: r.revenue,
            })
            .collect())
    }
}

// The drawing: a 600 × 220 box, scaled to the panel's width.
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 26.0;

/// A chart of one value per day: bars for the last 30 days, a dashed line for the 30 before;
/// `format` writes a value for the axis and the table.
#[component]
pub fn DailyChart(
    id: &'static str,
    title: Msg,
    description: String,
    days: Vec<(NaiveDate, i64)>,
    before: Vec<i64>,
    format: fn(Locale, i64) -> String,
    /// The least the axis reaches (an empty month shows 0 to 100 €, not to a cent).
    #[prop(default = 1)]
    floor: i64,
) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let max = axis_max(
        days.iter()
            .map(|(_, v)| *v)
            .chain(before.iter().copied())
            .max()
            .unwrap_or(0)
            .max(floor.max(1)),
    );
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = days.len().max(1) as f64;
    let slot = plot_w / n;
    let y = move |v: i64| TOP + plot_h - (v as f64 / max as f64) * plot_h;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let x = LEFT + i as f64 * slot + slot * 0.15;
            let top = y(*v);
            view! {
                <rect class="chart__bar" x=format!("{x:.1}") y=format!("{top:.1}")
                    width=format!("{:.1}", slot * 0.7) height=format!("{:.1}", TOP + plot_h - top)/>
            }
        })
        .collect_view();
    let line = before
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", LEFT + (i as f64 + 0.5) * slot, y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let grid = [0, max / 2, max]
        .into_iter()
        .map(|v| {
            let at = y(v);
            view! {
                <line class="chart__grid" x1=format!("{LEFT}") x2=format!("{}", WIDTH - RIGHT) y1=format!("{at:.1}") y2=format!("{at:.1}")/>
                <text class="chart__axis" x=format!("{}", LEFT - 6.0) y=format!("{:.1}", at + 4.0) text-anchor="end">{format(locale, v)}</text>
            }
        })
        .collect_view();
    let ticks = [0, days.len() / 2, days.len().saturating_sub(1)]
        .into_iter()
        .filter_map(|i| days.get(i).map(|(day, _)| (i, *day)))
        .map(|(i, day)| {
            // The last day's label ends at the edge instead of running past it.
            let (x, anchor) = if i + 1 == days.len() && i > 0 {
                (WIDTH - RIGHT, "end")
            } else {
                (LEFT + (i as f64 + 0.5) * slot, "middle")
            };
            view! {
                <text class="chart__axis" x=format!("{x:.1}") y=format!("{}", HEIGHT - 6.0) text-anchor=anchor>
                    {day.format("%d/%m").to_string()}
                </text>
            }
        })
        .collect_view();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let rows = days
        .iter()
        .zip(before.iter().copied().map(Some).chain(std::iter::repeat(None)))
        .map(|((day, v), b)| {
            view! {
                <tr>
                    <th scope="row">{crate::ui::format::long_day(locale, crate::clock::paris_midnight(*day))}</th>
                    <td>{format(locale, *v)}</td>
                    <td>{b.map(|b| format(locale, b))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid=id>
            <svg class="chart__svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
                aria-labelledby=labelled_by>
                <title id=title_id>{t(title)}</title>
                <desc id=desc_id>{description}</desc>
                {grid}
                {bars}
                <polyline class="chart__before" points=line/>
                {ticks}
            </svg>
            <figcaption>
                <span class="chart__key chart__key--now">{t(Msg::AdminChartCurrent)}</span>
                <span class="chart__key chart__key--before">{t(Msg::AdminChartPrevious)}</span>
                <details class="chart__data">
                    <summary>{t(Msg::AdminChartData)}</summary>
                    <div class="table-scroll">
                        <table class="admin-table">
                            <caption>{t(title)}</caption>
                            <thead><tr>
                                <th scope="col">{t(Msg::AdminChartDay)}</th>
                                <th scope="col">{t(Msg::AdminChartCurrent)}</th>
                                <th scope="col">{t(Msg::AdminChartPrevious)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                </details>
            </figcaption>
        </figure>
    }
}

/// The best sellers as horizontal bars, their names and figures written beside them.
#[component]
pub fn TopChart(top: Vec<TopProduct>) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let max = top
        .iter()
        .map(|p| p.revenue_cents)
        .max()
        .unwrap_or(1)
        .max(1);
    let row_h = 34.0;
    let height = (top.len().max(1) as f64) * row_h + 4.0;
    let rows = top
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let y = i as f64 * row_h;
            let width = (p.revenue_cents as f64 / max as f64) * (WIDTH - 8.0);
            view! {
                <text class="chart__label" x="0" y=format!("{:.1}", y + 12.0)>
                    {format!("{} — {} × · {}", p.name, p.quantity, crate::ui::format::money(locale, crate::money::from_cents(p.revenue_cents)))}
                </text>
                <rect class="chart__bar" x="0" y=format!("{:.1}", y + 17.0) width=format!("{width:.1}") height="10" rx="3"/>
            }
        })
        .collect_view();
    let description = top
        .iter()
        .map(|p| {
            format!(
                "{} : {}",
                p.name,
                crate::ui::format::money(locale, crate::money::from_cents(p.revenue_cents))
            )
        })
        .collect::<Vec<_>>()
        .join(" ; ");
    view! {
        <figure class="chart" data-testid="chart-top">
            <svg class="chart__svg" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby="chart-top-title chart-top-desc">
                <title id="chart-top-title">{t(Msg::AdminChartTop)}</title>
                <desc id="chart-top-desc">{description}</desc>
                {rows}
            </svg>
        </figure>
    }
}

/// Cents in the shop's money format; whole euros without cents (the axis' round figures fit
/// its margin).
pub fn euros(locale: Locale, cents: i64) -> String {
    if cents % 100 == 0 {
        format!("{} €", cents / 100)
    } else {
        crate::ui::format::money(locale, crate::money::from_cents(cents))
    }
}

/// A count as it is.
pub fn count(_: Locale, n: i64) -> String {
    n.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fall_on_their_day_and_outside_days_are_left_out() {
        let first = NaiveDate::from_ymd_opt(2026, 3, 28).unwrap();
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let sums = per_day(
            first,
            3,
            [
                (day(28), 2),
                (day(30), 5),
                (day(30), 1),
                (day(27), 9),
                (day(31), 9),
            ],
        );
        assert_eq!(sums, [2, 0, 6]);
    }

    #[test]
    fn axes_end_on_a_round_figure() {
        assert_eq!(
            [1, 3, 7, 10, 11, 180, 2_001].map(axis_max),
            [1, 5, 10, 10, 20, 200, 5_000]
        );
    }
}
