//! Store credit and unavailable items, through HTTP on both engines: staff refund lines as
//! store credit (a credit note, no provider asked), the account shows it, a checkout spends it
//! once even from two sessions at once, and what it paid comes back as credit — never as money —
//! when that order is refunded; an order it covers entirely is paid at once. A line staff mark
//! unavailable emails the customer the expected date; from the order's page the customer waits,
//! or takes a credit or a refund of that line, once. A subscription's return is due in 7 days.

use crate::support;

use app::db::entities::{
    order_line, refund, shipping_zone, store_credit, user, withdrawal_request,
};
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use support::forms::{call, confirmed_account, location, page, post_form};
use support::shop::*;
use support::{Backend, TestApp, spawn};

both_backends!(
    a_refund_as_store_credit_is_spent_once_and_comes_back_as_credit,
    an_unavailable_item_is_told_and_the_customer_chooses,
    a_subscriptions_return_is_refunded_within_seven_days,
);

const PASSWORD: &str = "plume-encre-papier-42";

async fn balance(app: &TestApp, email: &str) -> i64 {
    support::forms::account(app, email).await.store_credit_cents
}

async fn ledger(app: &TestApp, email: &str) -> Vec<(String, i64)> {
    let id = support::forms::account(app, email).await.id;
    store_credit::Entity::find()
        .filter(store_credit::Column::UserId.eq(id))
        .order_by_asc(store_credit::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.amount_cents))
        .collect()
}

async fn lines(app: &TestApp, order_id: i32) -> Vec<order_line::Model> {
    order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .order_by_asc(order_line::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn staff_refund(
    app: &TestApp,
    staff: &str,
    number: &str,
    fields: &[(&str, &str)],
    n: usize,
) -> reqwest::Response {
    let key = format!("refund-{n}-0123456789abcdef");
    let mut all = vec![
        ("number", number),
        ("reason", "Geste commercial"),
        ("idempotency_key", key.as_str()),
    ];
    all.extend_from_slice(fields);
    call(app, "/api/orders/refund", &all, staff).await
}

async fn a_refund_as_store_credit_is_spent_once_and_comes_back_as_credit(backend: Backend) {
    let app = spawn(backend).await;
    let staff = support::forms::staff_session(&app).await;
    let email = "avoir@exemple.fr";
    let me = format!(
        "{SESSION}={}",
        confirmed_account(&app, email, PASSWORD).await
    );

    // A first order, paid by card; staff refund one magnesium as store credit.
    let cookies = basket(&app, &me, email, "12 rue Mercière", "card").await;
    let first = place_and_pay(&app, &cookies, 1).await;
    let magnesium = lines(&app, first.id).await[1].clone();
    let line_id = magnesium.id.to_string();
    let answer = staff_refund(
        &app,
        &staff,
        &first.number,
        &[
            ("lines[0][line_id]", line_id.as_str()),
            ("lines[0][quantity]", "1"),
            ("method", "credit"),
        ],
        1,
    )
    .await;
    assert!(answer.status().is_success(), "{}", answer.status());
    let one = magnesium.paid_cents / 2;
    assert_eq!(balance(&app, email).await, one);
    assert_eq!(ledger(&app, email).await, [("refund".to_owned(), one)]);
    let done = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(first.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            done.provider.as_str(),
            done.status.as_str(),
            done.amount_cents
        ),
        ("store_credit", "refunded", one),
        "no provider asked"
    );
    let told = mails(&app, "order_refunded").await;
    assert!(
        told.last().unwrap().body_text.contains("en avoir boutique"),
        "{}",
        told.last().unwrap().body_text
    );
    // Asked again with the same key: the same refund, nothing credited twice.
    let again = staff_refund(
        &app,
        &staff,
        &first.number,
        &[
            ("lines[0][line_id]", line_id.as_str()),
            ("lines[0][quantity]", "1"),
            ("method", "credit"),
        ],
        1,
    )
    .await;
    assert!(again.status().is_success());
    assert_eq!(balance(&app, email).await, one);
    // A guest order cannot be refunded as credit: a clear 400.
    let guest = fill(
        &app,
        &format!("FR~{}x1", magnesium.product_id),
        "invite@exemple.fr",
        "FR",
        "card",
    )
    .await;
    let placed = place(&app, &guest, &key(2)).await;
    answer_demo(&app, &payment_id(&location(&placed)), "pay").await;
    let guest_order = last_order_once(&app, "paid").await;
    let refused = staff_refund(
        &app,
        &staff,
        &guest_order.number,
        &[("method", "credit")],
        2,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("compte client"));

    // The account shows it.
    let (status, body) = page(&app, "/account/rewards", &me).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("data-testid=\"store-credit-balance\""),
        "{body}"
    );
    assert!(body.contains(&money(one)), "{body}");

    // Two sessions of the account check out with the credit at once: one order gets it, the
    // other is refused (the review showed a credit no longer there).
    let other = format!(
        "{SESSION}={}",
        support::forms::set_cookie(
            post_form(
                &app,
                "/api/account/sign-in",
                &[("email", email), ("password", PASSWORD)],
                ""
            )
            .await
            .headers(),
            SESSION
        )
        .unwrap()
        .0
    );
    let a = basket(&app, &me, email, "12 rue Mercière", "card").await;
    let b = basket(&app, &other, email, "12 rue Mercière", "card").await;
    advantage(&app, &a, "store_credit", true).await;
    advantage(&app, &b, "store_credit", true).await;
    let (_, review) = page(&app, "/checkout?step=review", &a).await;
    assert!(
        review.contains("data-testid=\"store-credit-used\""),
        "{review}"
    );
    let (statuses, placed) = place_at_once(&app, &[a.clone(), b]).await;
    assert!(statuses.contains(&StatusCode::CONFLICT), "{statuses:?}");
    let second = placed.last().unwrap().clone();
    assert_eq!(balance(&app, email).await, 0);
    let spent: i64 = lines(&app, second.id)
        .await
        .iter()
        .map(|l| l.credit_cents)
        .sum();
    assert_eq!(spent, one, "each line keeps its share of the credit");
    // Whichever won, its payment at the demo provider is paid.
    let payment = app::db::entities::payment::Entity::find()
        .filter(app::db::entities::payment::Column::OrderId.eq(second.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a payment started");
    answer_demo(&app, &payment.provider_ref, "pay").await;
    let second = last_order_once(&app, "paid").await;

    // Staff refund it all (to the card): the money paid goes back, the credit comes back as
    // credit.
    let all = staff_refund(&app, &staff, &second.number, &[], 3).await;
    assert!(all.status().is_success(), "{}", all.status());
    let refunded = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(second.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        refunded.amount_cents, second.total_cents,
        "money: what was paid in money"
    );
    assert_eq!(balance(&app, email).await, one);
    assert_eq!(
        ledger(&app, email).await,
        [
            ("refund".to_owned(), one),
            ("spent".to_owned(), -one),
            ("restored".to_owned(), one)
        ]
    );

    // With free delivery, an order the credit covers entirely is paid at once, invoiced, and
    // asks no provider for zero euros.
    shipping_zone::Entity::update_many()
        .col_expr(
            shipping_zone::Column::FreeFromCents,
            sea_orm::sea_query::Expr::value(Some(0i64)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    user::Entity::update_many()
        .col_expr(
            user::Column::StoreCreditCents,
            sea_orm::sea_query::Expr::value(100_000i64),
        )
        .filter(user::Column::Email.eq(email))
        .exec(&app.db)
        .await
        .unwrap();
    let c = basket(&app, &me, email, "12 rue Mercière", "card").await;
    advantage(&app, &c, "store_credit", true).await;
    let answer = place(&app, &c, &key(20)).await;
    let free = orders(&app).await.last().unwrap().clone();
    assert_eq!((free.total_cents, free.status.as_str()), (0, "paid"));
    assert!(
        location(&answer).starts_with(&format!("/orders/{}", free.number)),
        "{}",
        location(&answer)
    );
    assert_eq!(
        mails(&app, "order_confirmed")
            .await
            .iter()
            .filter(|m| m.subject.contains(&free.number))
            .count(),
        1
    );
}

fn money(cents: i64) -> String {
    app::ui::format::money(app::i18n::Locale::Fr, rust_decimal::Decimal::new(cents, 2))
}

async fn an_unavailable_item_is_told_and_the_customer_chooses(backend: Backend) {
    let app = spawn(backend).await;
    let staff = support::forms::staff_session(&app).await;
    let email = "rupture@exemple.fr";
    let me = format!(
        "{SESSION}={}",
        confirmed_account(&app, email, PASSWORD).await
    );
    let cookies = basket(&app, &me, email, "3 quai Saint-Antoine", "card").await;
    let paid = place_and_pay(&app, &cookies, 1).await;
    let order_lines = lines(&app, paid.id).await;
    let (serum, magnesium) = (order_lines[0].clone(), order_lines[1].clone());
    let today = app::subscriptions::rules::paris_today(chrono::Utc::now());
    let expected = (today + chrono::Duration::days(10)).to_string();
    let mark = |line: i32, on: String| {
        let staff = staff.clone();
        let number = paid.number.clone();
        let app = &app;
        async move {
            call(
                app,
                "/api/admin/orders/unavailable",
                &[
                    ("number", number.as_str()),
                    ("line_id", &line.to_string()),
                    ("expected_on", &on),
                ],
                &staff,
            )
            .await
        }
    };
    // A date in the past is refused.
    let past = mark(serum.id, (today - chrono::Duration::days(1)).to_string()).await;
    assert_eq!(past.status(), StatusCode::BAD_REQUEST);
    assert!(mark(serum.id, expected.clone()).await.status().is_success());
    assert!(
        mark(magnesium.id, expected.clone())
            .await
            .status()
            .is_success()
    );
    let told = mails(&app, "order_item_unavailable").await;
    assert_eq!(told.len(), 2);
    let when =
        app::ui::format::long_date(app::i18n::Locale::Fr, today + chrono::Duration::days(10));
    assert!(
        told[0].body_text.contains(&when) && told[0].body_text.contains(&serum.name),
        "{}",
        told[0].body_text
    );
    assert!(told[0].body_text.contains("avoir boutique"));

    // The order's page offers the choice.
    let path = format!("/orders/{}?key={}", paid.number, paid.access_key);
    let (_, body) = page(&app, &path, "").await;
    assert!(
        body.contains("data-testid=\"unavailable-credit\""),
        "{body}"
    );
    let choose = |line: i32, choice: &'static str| {
        let number = paid.number.clone();
        let key = paid.access_key.clone();
        let app = &app;
        async move {
            call(
                app,
                "/api/orders/unavailable-choice",
                &[
                    ("number", number.as_str()),
                    ("key", &key),
                    ("line_id", &line.to_string()),
                    ("choice", choice),
                ],
                "",
            )
            .await
        }
    };
    // The serum: the customer waits, then takes a credit after all.
    assert!(choose(serum.id, "wait").await.status().is_success());
    // As the page's form posts it: back to the order's notice.
    let credit = post_form(
        &app,
        "/api/orders/unavailable-choice",
        &[
            ("number", paid.number.as_str()),
            ("key", &paid.access_key),
            ("line_id", &serum.id.to_string()),
            ("choice", "credit"),
        ],
        "",
    )
    .await;
    assert!(
        location(&credit).ends_with("#unavailable"),
        "{}",
        credit.status()
    );
    assert_eq!(balance(&app, email).await, serum.paid_cents);
    // Settled: a refund of it now is refused, nothing paid twice.
    assert_eq!(
        choose(serum.id, "refund").await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(balance(&app, email).await, serum.paid_cents);
    // The magnesium: refunded to the card.
    choose(magnesium.id, "refund").await;
    let refunds = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(paid.id))
        .order_by_asc(refund::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        refunds
            .iter()
            .map(|r| (r.provider.as_str(), r.amount_cents))
            .collect::<Vec<_>>(),
        [
            ("store_credit", serum.paid_cents),
            ("demo", magnesium.paid_cents)
        ]
    );
    let (_, body) = page(&app, &path, "").await;
    assert!(
        !body.contains("data-testid=\"unavailable-refund\""),
        "settled: no more buttons"
    );
    // Someone without the order's key cannot choose.
    let stranger = call(
        &app,
        "/api/orders/unavailable-choice",
        &[
            ("number", paid.number.as_str()),
            ("line_id", "1"),
            ("choice", "refund"),
        ],
        "",
    )
    .await;
    assert_eq!(stranger.status(), StatusCode::NOT_FOUND);
    // A guest is offered no credit, and asking for one is a clear 400.
    let guest = fill(
        &app,
        &format!("FR~{}x1", magnesium.product_id),
        "invitee@exemple.fr",
        "FR",
        "card",
    )
    .await;
    let placed = place(&app, &guest, &key(5)).await;
    answer_demo(&app, &payment_id(&location(&placed)), "pay").await;
    let guest_order = last_order_once(&app, "paid").await;
    let line = lines(&app, guest_order.id).await[0].id;
    let marked = call(
        &app,
        "/api/admin/orders/unavailable",
        &[
            ("number", guest_order.number.as_str()),
            ("line_id", &line.to_string()),
            ("expected_on", &expected),
        ],
        &staff,
    )
    .await;
    assert!(marked.status().is_success());
    let (_, body) = page(
        &app,
        &format!(
            "/orders/{}?key={}",
            guest_order.number, guest_order.access_key
        ),
        "",
    )
    .await;
    assert!(body.contains("unavailable-refund") && !body.contains("unavailable-credit"));
    let refused = call(
        &app,
        "/api/orders/unavailable-choice",
        &[
            ("number", guest_order.number.as_str()),
            ("key", &guest_order.access_key),
            ("line_id", &line.to_string()),
            ("choice", "credit"),
        ],
        "",
    )
    .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

async fn a_subscriptions_return_is_refunded_within_seven_days(backend: Backend) {
    let app = spawn(backend).await;
    let email = "retour@exemple.fr";
    let cookies = basket(&app, "", email, "8 rue de la Charité", "card").await;
    let paid = place_and_pay(&app, &cookies, 1).await;
    // The serum line is a subscription's delivery (its first order).
    let serum = lines(&app, paid.id).await[0].clone();
    let mut as_subscription: order_line::ActiveModel = serum.clone().into();
    as_subscription.every_months = Set(Some(1));
    as_subscription.update(&app.db).await.unwrap();
    let answer = post_form(
        &app,
        "/api/withdrawal/start",
        &[
            ("number", paid.number.as_str()),
            ("email", email),
            ("kind", "withdrawal"),
        ],
        "",
    )
    .await;
    let (session, _) = support::forms::set_cookie(answer.headers(), SESSION).unwrap();
    let me = format!("{SESSION}={session}");
    let id = serum.id.to_string();
    let picked = post_form(
        &app,
        "/api/withdrawal/review",
        &[
            ("lines[0][line_id]", id.as_str()),
            ("lines[0][quantity]", "1"),
            ("lines[0][sealed]", "yes"),
        ],
        &me,
    )
    .await;
    assert_eq!(
        location(&picked),
        "/withdrawal?step=confirm",
        "{}",
        picked.status()
    );
    let confirmed = post_form(&app, "/api/withdrawal/confirm", &[], &me).await;
    assert!(location(&confirmed).starts_with("/withdrawal?done=R-"));
    let request = withdrawal_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        request.refund_due_at,
        Some(app::clock::paris_days_after(request.created_at, 7))
    );
}
