//! Subscriptions: taken at checkout by a signed-in shopper and paid by a card the recurring
//! provider keeps; reminders, renewal orders at the current price and off-session charges by
//! the worker (one per period, even with two workers racing on the same database); declined
//! charges retried then the subscription suspended; the 3-day cancellation cut-off to the
//! second; changes; staff ending one; someone else's is a 404.

use crate::support;

use app::db::entities::{demo_payment, order, order_line, payment, product, subscription};
use app::subscriptions::rules::{cancellation_deadline, following, paris_today};
use app::subscriptions::service::renew::{Round, run};
use app::subscriptions::service::{self, Cancelled};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use support::forms::{call, confirmed_account, location, post_form, set_cookie, staff_session};
use support::shop::*;
use support::{Backend, TestApp, spawn};

both_backends!(
    a_subscription_needs_an_account_and_starts_when_paid,
    the_worker_reminds_then_orders_and_charges_each_period_once,
    two_workers_racing_make_one_order_and_one_charge_per_period,
    a_declined_card_is_retried_then_the_subscription_is_suspended,
    cancelling_three_days_before_to_the_second,
    changes_apply_to_the_next_deliveries_and_others_get_404,
    staff_end_a_subscription_and_the_customer_is_told,
);

const PASSWORD: &str = "Un-abonnement-bien-pense";

/// A product offered monthly by subscription (the seed's magnesium).
async fn monthly(app: &TestApp) -> product::Model {
    product_by_slug(app, "magnesium-marin-b6").await
}

/// The cookie header of a signed-in shopper with `cart`.
async fn customer(app: &TestApp, email: &str, cart: &str) -> String {
    let session = confirmed_account(app, email, PASSWORD).await;
    format!("comptoir_cart={cart}; comptoir_session={session}")
}

/// Goes through checkout with `cookies` (signed in) and pays on the demo page with `answer`
/// (`pay`, or `pay_declining` for a card refused at renewals); returns the order, paid.
async fn checkout_and_pay(app: &TestApp, cookies: &str, n: usize, answer: &str) -> order::Model {
    let fields = details("abonne@exemple.fr", "FR", "69002");
    let response = post_form(app, "/api/checkout/details", &pairs(&fields), cookies).await;
    assert_eq!(location(&response), "/checkout?step=delivery");
    let response = post_form(
        app,
        "/api/checkout/delivery",
        &[("payment_method", "card")],
        cookies,
    )
    .await;
    assert_eq!(location(&response), "/checkout?step=review");
    let response = place(app, cookies, &key(n)).await;
    assert_eq!(response.status(), StatusCode::OK, "placed");
    let id = payment_id(&location(&response));
    let kept = demo_payment::Entity::find_by_id(id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.saved_card.as_deref(),
        Some("requested"),
        "the card is to be kept"
    );
    answer_demo(app, &id, answer).await;
    last_order_once(app, "paid").await
}

async fn subscriptions(app: &TestApp) -> Vec<subscription::Model> {
    subscription::Entity::find()
        .order_by_asc(subscription::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// A signed-in customer subscribed monthly to the magnesium (two boxes), paid with `answer`.
async fn subscribed(
    app: &TestApp,
    email: &str,
    n: usize,
    answer: &str,
) -> (String, subscription::Model) {
    let magnesium = monthly(app).await;
    let cookies = customer(app, email, &format!("FR~{}x2m1", magnesium.id)).await;
    let order = checkout_and_pay(app, &cookies, n, answer).await;
    let subscription = subscription::Entity::find()
        .filter(subscription::Column::OriginOrderId.eq(order.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the subscription starts with the payment");
    (cookies, subscription)
}

async fn renewals(app: &TestApp, subscription_id: i32) -> Vec<order::Model> {
    order::Entity::find()
        .filter(order::Column::SubscriptionId.eq(subscription_id))
        .order_by_asc(order::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn round(app: &TestApp, now: DateTime<Utc>) -> Round {
    run(&app.db, &demo_providers(app), &app.base, 7, now)
        .await
        .expect("a round of the worker")
}

/// Late morning in Paris on `day` (10:00 UTC: 11:00 or 12:00 there).
fn noon(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(10, 0, 0).unwrap().and_utc()
}

async fn a_subscription_needs_an_account_and_starts_when_paid(backend: Backend) {
    let app = spawn(backend).await;
    let magnesium = monthly(&app).await;
    let cart = format!("FR~{}x2m1", magnesium.id);
    // A guest is sent to sign in at the details step.
    let cookie = format!("comptoir_cart={cart}");
    let fields = details("invite@exemple.fr", "FR", "69002");
    let response = post_form(&app, "/api/checkout/details", &pairs(&fields), &cookie).await;
    assert!(
        location(&response).starts_with("/account/sign-in?next=/checkout"),
        "{}",
        location(&response)
    );
    let (session, _) = set_cookie(response.headers(), "comptoir_session").expect("a session");
    let guest = format!("{cookie}; comptoir_session={session}");
    // Signed in: only the card is offered, through the recurring provider.
    let cookies = customer(&app, "abonne@exemple.fr", &cart).await;
    let response = post_form(&app, "/api/checkout/details", &pairs(&fields), &cookies).await;
    assert_eq!(location(&response), "/checkout?step=delivery");
    for refused in ["paypal", "bank_transfer", "klarna"] {
        let response = call(
            &app,
            "/api/checkout/delivery",
            &[("payment_method", refused)],
            &cookies,
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{refused}");
    }
    let order = checkout_and_pay(&app, &cookies, 1, "pay").await;
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(lines[0].every_months, Some(1));
    let all = subscriptions(&app).await;
    assert_eq!(all.len(), 1);
    let s = &all[0];
    let anchor = paris_today(order.created_at);
    assert_eq!(s.anchor_on, anchor);
    assert_eq!(s.last_period_on, anchor);
    assert_eq!(Some(s.next_delivery_on), following(anchor, anchor, 1));
    assert_eq!(
        (s.status.as_str(), s.quantity, s.every_months),
        ("active", 2, 1)
    );
    assert_eq!(s.provider, "demo");
    let paid = payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        s.mandate, paid.provider_ref,
        "the kept card is the first payment's"
    );
    // A replayed notification starts nothing more.
    assert_eq!(
        notify(&app, "demo", &paid.provider_ref).await,
        StatusCode::OK
    );
    assert_eq!(subscriptions(&app).await.len(), 1);
    // The account lists it with its next delivery and deadline.
    let response = call(&app, "/api/account/subscriptions", &[], &cookies).await;
    assert_eq!(response.status(), StatusCode::OK);
    let listed: serde_json::Value = response.json().await.unwrap();
    assert_eq!(listed["subscriptions"][0]["id"], s.id);
    assert_eq!(
        listed["subscriptions"][0]["next_delivery"],
        s.next_delivery_on.to_string()
    );
    // A guest who goes on to the last step anyway is refused there too.
    let response = post_form(
        &app,
        "/api/checkout/delivery",
        &[("payment_method", "card")],
        &guest,
    )
    .await;
    assert_eq!(location(&response), "/checkout?step=review");
    let response = place(&app, &guest, &key(9)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("compte"));
    assert_eq!(orders(&app).await.len(), 1);
}

async fn the_worker_reminds_then_orders_and_charges_each_period_once(backend: Backend) {
    let app = spawn(backend).await;
    let (_, s) = subscribed(&app, "mensuel@exemple.fr", 1, "pay").await;
    let next = s.next_delivery_on;
    let deadline = cancellation_deadline(next);
    assert_eq!(
        round(&app, noon(next - Duration::days(8))).await,
        Round::default()
    );
    // Seven days before: the reminder, with the amount, once.
    let reminded = round(&app, noon(next - Duration::days(6))).await;
    assert_eq!(reminded.reminders, 1);
    assert_eq!(
        round(&app, noon(next - Duration::days(5))).await,
        Round::default()
    );
    let reminder = &mails(&app, "subscription_reminder").await[0];
    assert!(
        reminder
            .body_text
            .contains(&next.format("%d/%m/%Y").to_string())
    );
    assert!(reminder.body_text.contains("€"), "{}", reminder.body_text);
    // The price went up meanwhile: the renewal takes today's price.
    product::Entity::update_many()
        .col_expr(product::Column::PriceCents, Expr::value(1790))
        .filter(product::Column::Id.eq(s.product_id))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(round(&app, deadline).await.renewals, 0, "still cancellable");
    let renewed = round(&app, deadline + Duration::seconds(1)).await;
    assert_eq!((renewed.renewals, renewed.charged), (1, 1));
    assert_eq!(
        round(&app, deadline + Duration::minutes(1)).await,
        Round::default()
    );
    let made = renewals(&app, s.id).await;
    assert_eq!(made.len(), 1);
    let order = &made[0];
    assert_eq!(order.status, "paid");
    assert_eq!(order.period_on, Some(next));
    let line = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((line.unit_price_cents, line.quantity), (1790, 2));
    let confirmed = mails(&app, "order_confirmed").await;
    assert!(confirmed.iter().any(|m| m.subject.contains(&order.number)));
    let s = subscriptions(&app).await.remove(0);
    assert_eq!(s.last_period_on, next);
    assert_eq!(Some(s.next_delivery_on), following(s.anchor_on, next, 1));
    // The next period the same way, a month on.
    let renewed = round(
        &app,
        cancellation_deadline(s.next_delivery_on) + Duration::hours(1),
    )
    .await;
    assert_eq!((renewed.renewals, renewed.charged), (1, 1));
    assert_eq!(renewals(&app, s.id).await.len(), 2);
}

async fn two_workers_racing_make_one_order_and_one_charge_per_period(backend: Backend) {
    let app = spawn(backend).await;
    let mut ids = Vec::new();
    for (n, email) in ["un@exemple.fr", "deux@exemple.fr", "trois@exemple.fr"]
        .into_iter()
        .enumerate()
    {
        ids.push(subscribed(&app, email, n + 1, "pay").await.1.id);
    }
    // A second instance: its own pool on the same database.
    let other = app::db::connect(&app.database_url, 4).await.unwrap();
    let providers = demo_providers(&app);
    let mut at = subscriptions(&app).await[0].next_delivery_on;
    for period in 1..=3 {
        let now = cancellation_deadline(at) + Duration::minutes(5);
        let (a, b) = tokio::join!(
            run(&app.db, &providers, &app.base, 7, now),
            run(&other, &providers, &app.base, 7, now),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.renewals + b.renewals, 3, "period {period}: {a:?} {b:?}");
        assert_eq!(a.charged + b.charged, 3, "period {period}: {a:?} {b:?}");
        for id in &ids {
            let made = renewals(&app, *id).await;
            assert_eq!(made.len(), period, "one order per period");
            assert!(made.iter().all(|o| o.status == "paid"));
            for o in &made {
                let payments = payment::Entity::find()
                    .filter(payment::Column::OrderId.eq(o.id))
                    .count(&app.db)
                    .await
                    .unwrap();
                assert_eq!(payments, 1, "one charge per order");
            }
        }
        at = subscriptions(&app).await[0].next_delivery_on;
    }
    // The demo provider saw exactly one charge per order.
    let charges = demo_payment::Entity::find()
        .filter(demo_payment::Column::IdempotencyKey.contains("-charge-"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(charges, 9);
}

async fn a_declined_card_is_retried_then_the_subscription_is_suspended(backend: Backend) {
    let app = spawn(backend).await;
    let (_, s) = subscribed(&app, "refuse@exemple.fr", 1, "pay_declining").await;
    let stock_before = stock(&app, s.product_id).await;
    let mut now = cancellation_deadline(s.next_delivery_on) + Duration::seconds(1);
    let first = round(&app, now).await;
    assert_eq!((first.renewals, first.declined, first.charged), (1, 1, 0));
    assert_eq!(
        stock(&app, s.product_id).await,
        stock_before - 2,
        "reserved"
    );
    let order = renewals(&app, s.id).await.remove(0);
    assert_eq!(order.status, "pending_payment");
    assert_eq!(order.next_charge_at, Some(now + Duration::days(1)));
    assert_eq!(mails(&app, "subscription_payment_failed").await.len(), 1);
    // Not before the retry is due.
    assert_eq!(
        round(&app, now + Duration::hours(23)).await,
        Round::default()
    );
    for (wait, last) in [(1, false), (2, false), (4, true)] {
        now += Duration::days(wait);
        let retried = round(&app, now).await;
        assert_eq!(retried.declined, 1, "retry after {wait} days");
        assert_eq!(retried.suspended, usize::from(last));
    }
    let order = renewals(&app, s.id).await.remove(0);
    assert_eq!(order.status, "cancelled");
    assert_eq!(order.charge_attempts, 4);
    assert_eq!(stock(&app, s.product_id).await, stock_before, "stock back");
    assert_eq!(subscriptions(&app).await[0].status, "suspended");
    assert_eq!(mails(&app, "subscription_payment_failed").await.len(), 3);
    assert_eq!(mails(&app, "subscription_suspended").await.len(), 1);
    let failed = payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order.id))
        .filter(payment::Column::Status.eq("failed"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(failed, 4);
    // Suspended: nothing more is ordered.
    assert_eq!(round(&app, now + Duration::days(40)).await.renewals, 0);
}

async fn cancelling_three_days_before_to_the_second(backend: Backend) {
    let app = spawn(backend).await;
    let (_, first) = subscribed(&app, "delai@exemple.fr", 1, "pay").await;
    let (_, second) = subscribed(&app, "tard@exemple.fr", 2, "pay").await;
    let deadline = cancellation_deadline(first.next_delivery_on);
    // At the deadline itself: in time, nothing more is delivered.
    let outcome = service::cancel(&app.db, &app.base, first.user_id, first.id, deadline)
        .await
        .unwrap();
    assert_eq!(outcome, Cancelled::Now);
    // One second later: the next delivery goes out, then it ends.
    let late = cancellation_deadline(second.next_delivery_on) + Duration::seconds(1);
    let outcome = service::cancel(&app.db, &app.base, second.user_id, second.id, late)
        .await
        .unwrap();
    assert_eq!(outcome, Cancelled::AfterDelivery(second.next_delivery_on));
    assert_eq!(mails(&app, "subscription_cancelled").await.len(), 2);
    let renewed = round(&app, late + Duration::seconds(1)).await;
    assert_eq!(renewed.renewals, 1, "only the late one's last delivery");
    assert!(renewals(&app, first.id).await.is_empty());
    assert_eq!(renewals(&app, second.id).await.len(), 1);
    let all = subscriptions(&app).await;
    assert!(all.iter().all(|s| s.status == "ended"), "{all:?}");
    assert_eq!(
        round(&app, late + Duration::days(40)).await.renewals,
        0,
        "nothing after the end"
    );
}

/// An address in Brussels in the book of `user_id`.
fn brussels(user_id: i32) -> app::db::entities::address::ActiveModel {
    app::db::entities::address::ActiveModel {
        user_id: Set(user_id),
        label: Set(Some("Bureau".into())),
        first_name: Set("Camille".into()),
        last_name: Set("Martin".into()),
        company: Set(None),
        line1: Set("8 rue de la Paix".into()),
        line2: Set(None),
        postal_code: Set("1000".into()),
        city: Set("Bruxelles".into()),
        country: Set("BE".into()),
        phone: Set(None),
        is_default: Set(false),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
}

async fn changes_apply_to_the_next_deliveries_and_others_get_404(backend: Backend) {
    let app = spawn(backend).await;
    let (cookies, s) = subscribed(&app, "change@exemple.fr", 1, "pay").await;
    let address = brussels(s.user_id).insert(&app.db).await.unwrap();
    let id = s.id.to_string();
    let address_id = address.id.to_string();
    let response = call(
        &app,
        "/api/account/subscriptions/change",
        &[
            ("id", &id),
            ("every_months", "2"),
            ("address_id", &address_id),
        ],
        &cookies,
    )
    .await;
    assert_eq!(location(&response), "/account/subscriptions?changed=1");
    let changed = subscriptions(&app).await.remove(0);
    assert_eq!(changed.every_months, 2);
    assert_eq!(
        Some(changed.next_delivery_on),
        following(s.anchor_on, s.last_period_on, 2)
    );
    assert_eq!(changed.destination, "BE");
    assert!(changed.delivery_address.contains("Bruxelles"));
    // A frequency the product does not offer is refused.
    let response = call(
        &app,
        "/api/account/subscriptions/change",
        &[("id", &id), ("every_months", "5")],
        &cookies,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // Someone else: 404 everywhere, and an empty list.
    let other = customer(&app, "autre@exemple.fr", "FR").await;
    for (path, fields) in [
        (
            "/api/account/subscriptions/cancel",
            vec![("id", id.as_str())],
        ),
        (
            "/api/account/subscriptions/change",
            vec![("id", id.as_str()), ("every_months", "1")],
        ),
    ] {
        let response = call(&app, path, &fields, &other).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let response = call(&app, "/api/account/subscriptions", &[], &other).await;
    let listed: serde_json::Value = response.json().await.unwrap();
    assert_eq!(listed["subscriptions"].as_array().map(Vec::len), Some(0));
    // …nor may the owner send it to someone else's address.
    let other_user = support::forms::account(&app, "autre@exemple.fr").await;
    let foreign = brussels(other_user.id).insert(&app.db).await.unwrap();
    let response = call(
        &app,
        "/api/account/subscriptions/change",
        &[
            ("id", &id),
            ("every_months", "2"),
            ("address_id", &foreign.id.to_string()),
        ],
        &cookies,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = app
        .get_with(
            "/account/subscriptions",
            &[(reqwest::header::COOKIE, other.as_str())],
        )
        .await;
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("Bruxelles"),
        "another customer's page shows nothing of it"
    );
    // The renewal goes to the new address, in Belgium.
    let renewed = round(
        &app,
        cancellation_deadline(changed.next_delivery_on) + Duration::seconds(1),
    )
    .await;
    assert_eq!(renewed.renewals, 1);
    let order = renewals(&app, s.id).await.remove(0);
    assert_eq!(order.destination, "BE");
    // Cancelling works for the owner, and again is harmless.
    let response = call(
        &app,
        "/api/account/subscriptions/cancel",
        &[("id", &id)],
        &cookies,
    )
    .await;
    assert_eq!(location(&response), "/account/subscriptions?cancelled=now");
    assert_eq!(subscriptions(&app).await[0].status, "ended");
    let response = call(
        &app,
        "/api/account/subscriptions/cancel",
        &[("id", &id)],
        &cookies,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
}

async fn staff_end_a_subscription_and_the_customer_is_told(backend: Backend) {
    let app = spawn(backend).await;
    let (cookies, s) = subscribed(&app, "fin@exemple.fr", 1, "pay").await;
    let id = s.id.to_string();
    let fields = [
        ("id", id.as_str()),
        ("reason", "Produit retiré de la vente"),
    ];
    let response = call(&app, "/api/admin/subscriptions/end", &fields, &cookies).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "customers cannot");
    let staff = staff_session(&app).await;
    let response = call(&app, "/api/admin/subscriptions", &[], &staff).await;
    let listed: serde_json::Value = response.json().await.unwrap();
    assert_eq!(listed[0]["customer_email"], "fin@exemple.fr");
    let response = call(&app, "/api/admin/subscriptions/end", &fields, &staff).await;
    assert_eq!(location(&response), "/admin/subscriptions?ended=1");
    let ended = subscriptions(&app).await.remove(0);
    assert_eq!(ended.status, "ended");
    assert!(ended.end_reason.unwrap().contains("Produit retiré"));
    let mail = &mails(&app, "subscription_ended").await[0];
    assert_eq!(mail.to_address, "fin@exemple.fr");
    assert!(mail.body_text.contains("Produit retiré de la vente"));
    assert_eq!(
        round(
            &app,
            cancellation_deadline(s.next_delivery_on) + Duration::hours(1)
        )
        .await,
        Round::default()
    );
}
