//! The dashboard's charts: orders and paid revenue put on their Paris day (an order placed at
//! 23:30 in Paris is that day's, whatever UTC says), the 30 days before for comparison, the
//! best sellers and the consented audience; drawn as SVG with a title, a description and the
//! data as a table.

use crate::support;

use app::admin::charts::service::charts;
use app::clock::{Clock as _, paris_midnight, paris_today};
use app::db::entities::{audience_daily, order};
use chrono::Duration;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use support::forms::{page, staff_session};
use support::shop::{basket, key, place};
use support::{Backend, TestApp, spawn};

both_backends!(the_charts_count_by_paris_day_against_the_thirty_before,);

/// An order placed by `email`, then dated `created_at` and, when given, paid at `paid_at`.
async fn dated_order(
    app: &TestApp,
    n: usize,
    email: &str,
    created_at: chrono::DateTime<chrono::Utc>,
    paid_at: Option<chrono::DateTime<chrono::Utc>>,
) -> order::Model {
    let cookies = basket(app, "", email, "1 rue Neuve", "card").await;
    assert!(place(app, &cookies, &key(n)).await.status().is_success());
    let placed = order::Entity::find()
        .filter(order::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut dated: order::ActiveModel = placed.into();
    dated.created_at = Set(created_at);
    dated.paid_at = Set(paid_at);
    dated.update(&app.db).await.unwrap()
}

async fn the_charts_count_by_paris_day_against_the_thirty_before(backend: Backend) {
    let app = spawn(backend).await;
    let today = paris_today(app.clock.now());
    let midnight = paris_midnight(today);
    // Placed at 23:30 yesterday in Paris, paid ten minutes after midnight.
    let late = dated_order(
        &app,
        800,
        "minuit@exemple.fr",
        midnight - Duration::minutes(30),
        Some(midnight + Duration::minutes(10)),
    )
    .await;
    // Thirty-five days ago, never paid: the period before.
    dated_order(
        &app,
        801,
        "avant@exemple.fr",
        paris_midnight(today - Duration::days(35)) + Duration::hours(1),
        None,
    )
    .await;
    audience_daily::ActiveModel {
        day: Set(today),
        path: Set("/".into()),
        views: Set(7),
        visitors: Set(3),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();

    let seen = charts(&app.db, today).await.unwrap();
    assert_eq!((seen.days.len(), seen.before.len()), (30, 30));
    assert_eq!(seen.days[29].day, today);
    assert_eq!(seen.days[28].orders, 1, "yesterday's, by Paris time");
    assert_eq!(seen.days[29].orders, 0);
    assert_eq!(seen.days[29].revenue_cents, late.total_cents, "paid today");
    assert_eq!(
        seen.days.iter().map(|d| d.revenue_cents).sum::<i64>(),
        late.total_cents
    );
    assert_eq!(seen.before[24].day, today - Duration::days(35));
    assert_eq!(seen.before[24].orders, 1);
    assert_eq!((seen.days[29].views, seen.days[29].visitors), (7, 3));
    // The best seller is the line that brought the most.
    assert_eq!(seen.top.len(), 2);
    assert!(seen.top[0].revenue_cents >= seen.top[1].revenue_cents);
    assert_eq!(
        seen.top.iter().map(|p| p.revenue_cents).sum::<i64>(),
        late.total_cents - late.shipping_cents,
        "{:?}",
        seen.top
    );

    // Drawn for staff, each chart named and described, its data in a table.
    let staff = staff_session(&app).await;
    let (status, html) = page(&app, "/admin", &staff).await;
    assert_eq!(status, StatusCode::OK);
    for id in [
        "chart-orders",
        "chart-revenue",
        "chart-audience",
        "chart-top",
    ] {
        assert!(html.contains(&format!("data-testid=\"{id}\"")), "{id}");
        assert!(
            html.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")),
            "{id}"
        );
    }
    assert!(html.contains("<title id=\"chart-orders-title\">Commandes par jour</title>"));
    assert!(html.contains("1 sur les 30 derniers jours, contre 1 les 30 jours précédents."));
}
