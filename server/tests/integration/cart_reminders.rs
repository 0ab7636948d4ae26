//! Cart reminders, with consent: off by default; once asked for, a cart left 24 hours brings one
//! email with its products and a link back, once per cart (a changed cart is a new one); never
//! to an account that objected or unsubscribed from marketing, never for an empty cart; several
//! instances remind each cart once.

use crate::support;

use app::cart::reminders::run_reminders;
use app::clock::Clock as _;
use app::db::entities::{email_outbox, newsletter_subscription, product, saved_cart, user};
use chrono::Duration;
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use support::forms::{call, confirmed_account, location, page, post_form};
use support::{Backend, TestApp, spawn};

both_backends!(a_cart_left_a_day_is_reminded_once_with_consent);

const PASSWORD: &str = "Sentiers-de-lavande-27";

async fn reminders_to(app: &TestApp, email: &str) -> Vec<email_outbox::Model> {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq("cart_reminder"))
        .filter(email_outbox::Column::ToAddress.eq(email))
        .all(&app.db)
        .await
        .unwrap()
}

async fn customer(app: &TestApp, email: &str) -> String {
    format!(
        "comptoir_session={}",
        confirmed_account(app, email, PASSWORD).await
    )
}

async fn a_cart_left_a_day_is_reminded_once_with_consent(backend: Backend) {
    let app = spawn(backend).await;
    let products = product::Entity::find().all(&app.db).await.unwrap();
    let (a, b) = (&products[0], &products[1]);
    let site = app.base.clone();
    let remind = |at: chrono::DateTime<chrono::Utc>| {
        let app = &app;
        let site = site.clone();
        async move { run_reminders(&app.db, &site, at).await.unwrap() }
    };

    let willing = customer(&app, "rappel@exemple.fr").await;
    let unwilling = customer(&app, "silence@exemple.fr").await;
    let objecting = customer(&app, "opposee@exemple.fr").await;
    let unsubscribed = customer(&app, "desinscrite@exemple.fr").await;

    // Off by default; a bad value is a 400; on in the page's language.
    let (_, html) = page(&app, "/account/privacy", &willing).await;
    assert!(html.contains("data-reminders=\"off\""));
    let bad = call(
        &app,
        "/api/account/cart-reminders/set",
        &[("on", "maybe")],
        &willing,
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    for cookies in [&willing, &objecting, &unsubscribed] {
        let answer = post_form(
            &app,
            "/api/account/cart-reminders/set",
            &[("on", "yes")],
            cookies,
        )
        .await;
        assert_eq!(
            location(&answer),
            "/account/privacy?reminders=1#cart-reminders"
        );
    }
    let (_, html) = page(&app, "/account/privacy", &willing).await;
    assert!(html.contains("data-reminders=\"on\""));
    user::Entity::update_many()
        .col_expr(user::Column::ObjectedAt, Expr::value(Some(app.clock.now())))
        .filter(user::Column::Email.eq("opposee@exemple.fr"))
        .exec(&app.db)
        .await
        .unwrap();
    newsletter_subscription::ActiveModel {
        email: Set("desinscrite@exemple.fr".into()),
        status: Set("unsubscribed".into()),
        locale: Set("fr".into()),
        source: Set("footer".into()),
        confirm_token_hash: Set(None),
        unsubscribe_key: Set("cle-de-desinscription-de-test".into()),
        requested_at: Set(app.clock.now()),
        confirmed_at: Set(Some(app.clock.now())),
        unsubscribed_at: Set(Some(app.clock.now())),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();

    // Each leaves a cart.
    let cart = format!("FR~{}x2~{}x1", a.id, b.id);
    for cookies in [&willing, &unwilling, &objecting, &unsubscribed] {
        let answer = call(&app, "/api/cart/sync", &[("content", &cart)], cookies).await;
        assert_eq!(answer.status(), StatusCode::OK);
    }
    let start = app.clock.now();

    // Not before 24 hours.
    assert_eq!(remind(start + Duration::hours(23)).await, 0);
    // Then once, to the one who asked and may be written to, two instances racing.
    let at = start + Duration::hours(24) + Duration::minutes(1);
    let (one, two) = tokio::join!(remind(at), remind(at));
    assert_eq!(one + two, 1);
    let sent = reminders_to(&app, "rappel@exemple.fr").await;
    assert_eq!(sent.len(), 1);
    let body = &sent[0].body_text;
    assert!(body.contains(&format!("2 × {}", a.name_fr)), "{body}");
    assert!(body.contains(&format!("1 × {}", b.name_fr)));
    assert!(body.contains(&format!("{}/cart", app.base)));
    assert!(
        body.contains("/account/privacy#cart-reminders"),
        "how to stop them"
    );
    for other in [
        "silence@exemple.fr",
        "opposee@exemple.fr",
        "desinscrite@exemple.fr",
    ] {
        assert!(reminders_to(&app, other).await.is_empty(), "{other}");
    }
    // Never twice for the same cart, even saved again unchanged.
    assert_eq!(remind(at + Duration::days(3)).await, 0);
    call(&app, "/api/cart/sync", &[("content", &cart)], &willing).await;
    assert_eq!(remind(at + Duration::days(5)).await, 0);
    assert_eq!(reminders_to(&app, "rappel@exemple.fr").await.len(), 1);

    // A changed cart is a new one: reminded a day after the change.
    app.clock.advance(Duration::days(6));
    let changed = format!("FR~{}x1", a.id);
    call(&app, "/api/cart/sync", &[("content", &changed)], &willing).await;
    let owner = user::Entity::find()
        .filter(user::Column::Email.eq("rappel@exemple.fr"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let row = saved_cart::Entity::find_by_id(owner.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.reminded_at, None);
    let later = app.clock.now() + Duration::hours(25);
    assert_eq!(remind(later).await, 1);
    let queued = reminders_to(&app, "rappel@exemple.fr").await;
    assert_eq!(queued.len(), 2);
    // Queued at the job's moment (the shop's clock, moved here by days), not the machine's.
    assert!(
        queued
            .iter()
            .any(|m| (m.created_at - later).num_milliseconds().abs() < 1_000),
        "{:?}",
        queued.iter().map(|m| m.created_at).collect::<Vec<_>>()
    );

    // Turned off, or the cart emptied: nothing more.
    app.clock.advance(Duration::days(2));
    call(&app, "/api/cart/sync", &[("content", &cart)], &willing).await;
    let answer = post_form(
        &app,
        "/api/account/cart-reminders/set",
        &[("on", "no")],
        &willing,
    )
    .await;
    assert_eq!(
        location(&answer),
        "/account/privacy?reminders=1#cart-reminders"
    );
    assert_eq!(remind(app.clock.now() + Duration::days(2)).await, 0);
    post_form(
        &app,
        "/api/account/cart-reminders/set",
        &[("on", "yes")],
        &willing,
    )
    .await;
    call(&app, "/api/cart/sync", &[("content", "FR")], &willing).await;
    assert_eq!(remind(app.clock.now() + Duration::days(2)).await, 0);
    assert_eq!(reminders_to(&app, "rappel@exemple.fr").await.len(), 2);
}
