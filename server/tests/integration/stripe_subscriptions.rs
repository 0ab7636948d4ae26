//! Stripe as the store's recurring provider, against the local fake: a subscription's first
//! order is paid on Stripe's hosted page that keeps the card; the shop acts only on signed
//! webhooks (a bad or stale signature is refused, a replay changes nothing) and asks Stripe for
//! the status; renewals are off-session charges under one key per attempt; a declined card is
//! reported; a renewal is refunded through Stripe. Erasing the customer deletes the customers
//! made for them at Stripe, waiting while Stripe is down.

use crate::support;

use app::db::entities::{order, subscription};
use app::payments::stripe::{StripeClient, StripeProvider, sign};
use app::subscriptions::rules::cancellation_deadline;
use app::subscriptions::service::renew::run;
use chrono::Duration;
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::settings::Secret;
use support::forms::{call, confirmed_account, location, post_form, staff_session};
use support::shop::*;
use support::stripe::{self, FakeStripe, KEY};
use support::{Backend, TestApp, spawn_with};

both_backends!(
    stripe_keeps_the_card_and_charges_the_renewals,
    erasure_deletes_the_customers_at_stripe_once_it_answers,
);

const WEBHOOK_SECRET: &str = "whsec_test_endpoint";

async fn webhook(app: &TestApp, body: &str, signature: &str) -> StatusCode {
    app.client
        .post(app.url("/webhooks/stripe"))
        .header("stripe-signature", signature)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
        .status()
}

fn providers(app: &TestApp, fake: &FakeStripe) -> app::payments::Providers {
    let demo = demo_providers(app);
    app::payments::Providers {
        one_off: demo.one_off,
        recurring: Some(std::sync::Arc::new(StripeProvider {
            client: StripeClient::new(
                &fake.url(),
                KEY,
                WEBHOOK_SECRET,
                std::time::Duration::from_secs(2),
            ),
        })),
        stripe: None,
    }
}

async fn stripe_keeps_the_card_and_charges_the_renewals(backend: Backend) {
    let fake = stripe::start().await;
    let url = fake.url();
    let app = spawn_with(backend, |s| {
        s.app.stripe_secret_key = Secret(KEY.into());
        s.app.stripe_webhook_secret = Secret(WEBHOOK_SECRET.into());
        s.app.stripe_base_url = url;
    })
    .await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let session = confirmed_account(&app, "stripe@exemple.fr", "Un-abonnement-bien-pense").await;
    let cookies = format!(
        "comptoir_cart=FR~{}x1m1; comptoir_session={session}",
        magnesium.id
    );
    let fields = details("stripe@exemple.fr", "FR", "69002");
    post_form(&app, "/api/checkout/details", &pairs(&fields), &cookies).await;
    post_form(
        &app,
        "/api/checkout/delivery",
        &[("payment_method", "card")],
        &cookies,
    )
    .await;
    let response = place(&app, &cookies, &key(1)).await;
    assert_eq!(
        provider_page(&app, &response).await,
        format!("{}/c/pay/cs_test_fake1", fake.base),
        "to Stripe's hosted page"
    );
    let created = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/checkout/sessions")
        .unwrap();
    assert_eq!(
        created.form["payment_intent_data[setup_future_usage]"],
        "off_session"
    );
    assert!(created.idempotency_key.is_some());
    let number = orders(&app).await[0].number.clone();
    fake.complete("cs_test_fake1");
    let body = r#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"cs_test_fake1","object":"checkout.session"}}}"#;
    let now = chrono::Utc::now().timestamp();
    // Unsigned, signed with another secret, or too old: refused, nothing changes.
    assert_eq!(webhook(&app, body, "").await, StatusCode::BAD_REQUEST);
    assert_eq!(
        webhook(&app, body, &sign("whsec_other", now, body.as_bytes())).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        webhook(
            &app,
            body,
            &sign(WEBHOOK_SECRET, now - 301, body.as_bytes())
        )
        .await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(orders(&app).await[0].status, "pending_payment");
    // Signed: the shop asks Stripe, which says paid.
    let signed = sign(WEBHOOK_SECRET, now, body.as_bytes());
    assert_eq!(webhook(&app, body, &signed).await, StatusCode::OK);
    assert_eq!(
        webhook(&app, body, &signed).await,
        StatusCode::OK,
        "a replay"
    );
    let first = orders(&app).await.remove(0);
    assert_eq!(first.status, "paid");
    assert_eq!(paid_events(&app, first.id).await, 1);
    let all = subscription::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(all.len(), 1);
    let s = &all[0];
    assert_eq!(
        (s.provider.as_str(), s.mandate.as_str()),
        ("stripe", "cus_fake1 pm_card_visa")
    );
    // An event of another kind, or about an unknown object, is acknowledged and ignored.
    let other = r#"{"id":"evt_2","type":"customer.created","data":{"object":{"id":"cus_x"}}}"#;
    assert_eq!(
        webhook(&app, other, &sign(WEBHOOK_SECRET, now, other.as_bytes())).await,
        StatusCode::OK
    );

    // The renewal: an off-session charge of the kept card.
    let stripe = providers(&app, &fake);
    let at = cancellation_deadline(s.next_delivery_on) + Duration::seconds(1);
    let round = run(&app.db, &stripe, &app.base, 7, at).await.unwrap();
    assert_eq!((round.renewals, round.charged), (1, 1));
    let renewal = order::Entity::find()
        .filter(order::Column::SubscriptionId.eq(s.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(renewal.status, "paid");
    let charge = fake
        .requests()
        .into_iter()
        .rfind(|r| r.path == "/v1/payment_intents")
        .unwrap();
    assert_eq!(charge.form["off_session"], "true");
    assert_eq!(charge.form["customer"], "cus_fake1");
    assert_eq!(charge.form["payment_method"], "pm_card_visa");
    assert_eq!(
        charge.idempotency_key.as_deref(),
        Some(format!("{}-charge-1", renewal.number).as_str())
    );
    assert_ne!(renewal.number, number);

    // Staff refund the renewal through Stripe.
    let staff = staff_session(&app).await;
    let response = call(
        &app,
        "/api/orders/refund",
        &[
            ("number", renewal.number.as_str()),
            ("amount", ""),
            ("reason", "Retour intact après résiliation"),
            ("idempotency_key", &key(7)),
        ],
        &staff,
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/orders/{}?refunded=1", renewal.number)
    );
    assert_eq!(fake.counts().3, 1, "one refund at Stripe");

    // The card is now declined: the next renewal is declined and retried later.
    subscription::Entity::update_many()
        .col_expr(
            subscription::Column::Mandate,
            Expr::value("cus_fake1 pm_card_chargeDeclined"),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let s = subscription::Entity::find()
        .order_by_asc(subscription::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let at = cancellation_deadline(s.next_delivery_on) + Duration::seconds(1);
    let round = run(&app.db, &stripe, &app.base, 7, at).await.unwrap();
    assert_eq!((round.renewals, round.declined), (1, 1));
    assert_eq!(mails(&app, "subscription_payment_failed").await.len(), 1);
}

async fn erasure_deletes_the_customers_at_stripe_once_it_answers(backend: Backend) {
    use app::db::entities::processor_erasure;
    use app::privacy::service::processors::{Round, send_due};

    let fake = stripe::start().await;
    let url = fake.url();
    let app = spawn_with(backend, |s| {
        s.app.stripe_secret_key = Secret(KEY.into());
        s.app.stripe_webhook_secret = Secret(WEBHOOK_SECRET.into());
        s.app.stripe_base_url = url;
    })
    .await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let password = "Un-abonnement-bien-pense";
    let session = confirmed_account(&app, "efface@exemple.fr", password).await;
    let cookies = format!(
        "comptoir_cart=FR~{}x1m1; comptoir_session={session}",
        magnesium.id
    );
    // Two first payments, each with its own customer at Stripe: one paid (the subscription
    // keeps its card), one abandoned on the hosted page.
    for n in 1..=2 {
        let fields = details("efface@exemple.fr", "FR", "69002");
        post_form(&app, "/api/checkout/details", &pairs(&fields), &cookies).await;
        post_form(
            &app,
            "/api/checkout/delivery",
            &[("payment_method", "card")],
            &cookies,
        )
        .await;
        place(&app, &cookies, &key(n)).await;
    }
    fake.complete("cs_test_fake1");
    let body = r#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"cs_test_fake1","object":"checkout.session"}}}"#;
    let now = chrono::Utc::now().timestamp();
    let signed = sign(WEBHOOK_SECRET, now, body.as_bytes());
    assert_eq!(webhook(&app, body, &signed).await, StatusCode::OK);
    let s = subscription::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.mandate, "cus_fake1 pm_card_visa");
    assert!(fake.has_customer("cus_fake1") && fake.has_customer("cus_fake2"));
    // The paid order has arrived: nothing holds the erasure back.
    order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value("delivered"))
        .filter(order::Column::Status.eq("paid"))
        .exec(&app.db)
        .await
        .unwrap();

    // Stripe is down when the customer erases the account: the erasure is not held back,
    // the deletions wait in the queue.
    fake.outage(true);
    let answer = post_form(
        &app,
        "/api/account/delete",
        &[("password", password), ("confirm", "yes")],
        &cookies,
    )
    .await;
    assert_eq!(location(&answer), "/account/deleted");
    let queued = || async {
        processor_erasure::Entity::find()
            .order_by_asc(processor_erasure::Column::Reference)
            .all(&app.db)
            .await
            .unwrap()
    };
    let references: Vec<String> = queued().await.into_iter().map(|r| r.reference).collect();
    assert_eq!(
        references,
        ["cs_test_fake1", "cs_test_fake2", "cus_fake1"],
        "the kept card's customer and each first payment's"
    );
    let client = StripeClient::new(
        &fake.url(),
        KEY,
        WEBHOOK_SECRET,
        std::time::Duration::from_secs(2),
    );
    // Whole seconds: both engines give the time back as it was written.
    let at = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0);
    let round = send_due(&app.db, Some(&client), at).await.unwrap();
    assert_eq!(round, Round { done: 0, failed: 3 });
    for row in queued().await {
        assert_eq!((row.attempts, row.done_at), (1, None));
        assert!(row.last_error.unwrap().contains("503"));
        assert!(row.next_attempt_at.unwrap() > at);
    }
    assert!(fake.has_customer("cus_fake1") && fake.has_customer("cus_fake2"));
    // Not retried before its time, even by another instance.
    assert_eq!(
        send_due(&app.db, Some(&client), at + Duration::seconds(30))
            .await
            .unwrap(),
        Round::default()
    );

    // Stripe is back: each customer deleted once (the paid session's customer is the kept
    // card's, already gone: Stripe's "no such customer" counts as done).
    fake.outage(false);
    let later = at + Duration::minutes(2);
    let round = send_due(&app.db, Some(&client), later).await.unwrap();
    assert_eq!(round, Round { done: 3, failed: 0 });
    let mut deleted = fake.deleted_customers();
    deleted.sort();
    assert_eq!(deleted, ["cus_fake1", "cus_fake2"]);
    for row in queued().await {
        assert_eq!(row.done_at, Some(later));
        assert_eq!(row.last_error, None);
    }
    assert_eq!(
        send_due(&app.db, Some(&client), later + Duration::hours(1))
            .await
            .unwrap(),
        Round::default(),
        "nothing asked twice"
    );
    // The shop itself no longer holds the reference.
    let s = subscription::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.mandate, "");
}
