//! Checkout paid through the Mollie client, against a local fake of Mollie's API: the payment
//! created as documented, the webhook that only carries an id (replayed, reordered, unknown),
//! failures that release the stock, a timeout that loses nothing and the reconciliation that
//! finds the payment, a wrong key that leaks nothing; and the methods offered per cart.

use crate::support;

use app::db::entities::{invoice, order, payment};
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use support::forms::{call, location};
use support::mollie::{self, FakeMollie, KEY};
use support::shop::*;
use support::{Backend, TestApp, spawn_with};

both_backends!(
    checkout_pays_through_mollie_and_its_webhook,
    failed_expired_and_canceled_payments_release_the_stock,
    a_timeout_loses_nothing_and_reconciliation_finds_the_payment,
    a_wrong_key_gives_a_clear_message_and_leaks_nothing,
    checkout_offers_only_the_methods_the_cart_allows,
);

async fn shop_with_mollie(backend: Backend, key: &str) -> (TestApp, FakeMollie) {
    let fake = mollie::start().await;
    let url = fake.url();
    let key = key.to_owned();
    let app = spawn_with(backend, move |s| {
        s.app.mollie_api_key = server::settings::Secret(key);
        s.app.mollie_base_url = url;
        s.app.payment_timeout_seconds = 1;
    })
    .await;
    (app, fake)
}

async fn webhook(app: &TestApp, id: &str) -> StatusCode {
    notify(app, "mollie", id).await
}

async fn only_order(app: &TestApp) -> order::Model {
    let mut all = orders(app).await;
    assert_eq!(all.len(), 1);
    all.remove(0)
}

async fn checkout_pays_through_mollie_and_its_webhook(backend: Backend) {
    let (app, fake) = shop_with_mollie(backend, KEY).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("BE~{}x2", serum.id);
    let cookies = fill(&app, &cart, "lea@exemple.be", "BE", "bancontact").await;
    let response = place(&app, &cookies, &key(1)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let order = only_order(&app).await;

    // The payment, as Mollie documents it.
    let created = &fake.requests()[0];
    assert_eq!(created.method, "POST");
    assert_eq!(
        created.authorization.as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(
        created.idempotency_key.as_deref(),
        Some(format!("{}-1", order.number).as_str())
    );
    let total = format!("{}.{:02}", order.total_cents / 100, order.total_cents % 100);
    assert_eq!(created.body["amount"]["currency"], "EUR");
    assert_eq!(created.body["amount"]["value"], total.as_str());
    assert_eq!(created.body["method"], "bancontact");
    assert_eq!(
        created.body["redirectUrl"],
        format!(
            "{}/orders/{}?key={}",
            app.base, order.number, order.access_key
        )
        .as_str()
    );
    assert_eq!(
        created.body["webhookUrl"],
        format!("{}/webhooks/mollie", app.base).as_str()
    );
    let id = fake.payments()[0].id.clone();
    assert_eq!(
        provider_page(&app, &response).await,
        format!("{}/checkout/{id}", fake.base)
    );

    // Still open: a notification changes nothing.
    assert_eq!(webhook(&app, &id).await, StatusCode::OK);
    assert_eq!(only_order(&app).await.status, "pending_payment");
    // Paid: notifications replayed, and the shopper's return, make one move.
    fake.set_status(&id, "paid");
    let page = format!("/orders/{}?key={}", order.number, order.access_key);
    let hooks = (0..6).map(|_| webhook(&app, &id));
    let (statuses, page_status) = futures::future::join(futures::future::join_all(hooks), async {
        app.get(&page).await.status()
    })
    .await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(page_status, StatusCode::OK);
    assert_eq!(only_order(&app).await.status, "paid");
    assert_eq!(paid_events(&app, order.id).await, 1);
    assert_eq!(invoice::Entity::find().count(&app.db).await.unwrap(), 1);
    assert_eq!(mails(&app, "order_confirmed").await.len(), 1);
    // A late "failed" for the same id changes nothing: Mollie still says paid.
    assert_eq!(webhook(&app, &id).await, StatusCode::OK);
    assert_eq!(only_order(&app).await.status, "paid");

    // Unknown ids are answered alike and change nothing; the demo provider (which takes the
    // subscriptions while Stripe has no key) knows nothing of Mollie's ids; a provider not in
    // use is not listened to.
    assert_eq!(webhook(&app, "tr_unknown42").await, StatusCode::OK);
    assert_eq!(webhook(&app, "../../etc").await, StatusCode::OK);
    assert_eq!(notify(&app, "demo", &id).await, StatusCode::OK);
    assert_eq!(only_order(&app).await.status, "paid");
    assert_eq!(notify(&app, "stripe", &id).await, StatusCode::NOT_FOUND);
    assert_eq!(notify(&app, "paypal", &id).await, StatusCode::NOT_FOUND);
    // Every call carried the key; no call was made for the malformed id.
    assert!(fake.requests().iter().all(|r| r.authorization.is_some()));
    assert!(!fake.requests().iter().any(|r| r.path.contains("..")));
}

async fn failed_expired_and_canceled_payments_release_the_stock(backend: Backend) {
    let (app, fake) = shop_with_mollie(backend, KEY).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let cart = format!("FR~{}x1", magnesium.id);
    for n in 0..3 {
        let cookies = fill(&app, &cart, &format!("essai{n}@exemple.fr"), "FR", "card").await;
        assert_eq!(
            place(&app, &cookies, &key(10 + n)).await.status(),
            StatusCode::OK
        );
    }
    assert_eq!(stock(&app, magnesium.id).await, magnesium.stock - 3);
    let ids: Vec<String> = fake.payments().into_iter().map(|p| p.id).collect();
    for (id, status) in ids.iter().zip(["failed", "expired", "canceled"]) {
        fake.set_status(id, status);
        assert_eq!(webhook(&app, id).await, StatusCode::OK);
    }
    let all = orders(&app).await;
    assert!(all.iter().all(|o| o.status == "cancelled"), "{all:?}");
    assert_eq!(stock(&app, magnesium.id).await, magnesium.stock);
    assert_eq!(mails(&app, "order_payment_failed").await.len(), 3);
    let statuses: Vec<String> = payment::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.status)
        .collect();
    assert_eq!(statuses, ["failed", "expired", "canceled"]);
}

async fn a_timeout_loses_nothing_and_reconciliation_finds_the_payment(backend: Backend) {
    let (app, fake) = shop_with_mollie(backend, KEY).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("FR~{}x1", serum.id);
    let cookies = fill(&app, &cart, "lent@exemple.fr", "FR", "card").await;
    // Mollie creates the payment but answers too late: the order stays, pending, with its page.
    fake.delay(Some(std::time::Duration::from_millis(1500)));
    let response = place(&app, &cookies, &key(20)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let order = only_order(&app).await;
    assert_eq!(order.status, "pending_payment");
    assert_eq!(
        location(&response),
        format!("/orders/{}?key={}", order.number, order.access_key)
    );
    let page = app
        .get(&format!(
            "/orders/{}?key={}",
            order.number, order.access_key
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Payer maintenant"),
        "the shopper can try again"
    );
    assert_eq!(payment::Entity::find().count(&app.db).await.unwrap(), 0);

    // Trying again reaches the same Mollie payment (same idempotency key), not a second one.
    fake.delay(None);
    let again = call(
        &app,
        "/api/orders/pay",
        &[("number", &order.number), ("key", &order.access_key)],
        "",
    )
    .await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(fake.payments().len(), 1);
    let id = fake.payments()[0].id.clone();
    assert!(provider_page(&app, &again).await.ends_with(&id));

    // Paid, but the notification is lost: the reconciliation asks Mollie.
    fake.set_status(&id, "paid");
    let provider = std::sync::Arc::new(app::payments::mollie::MollieProvider::new(
        &fake.url(),
        KEY,
        std::time::Duration::from_secs(2),
    ));
    let providers = app::payments::Providers {
        one_off: Some(provider.clone()),
        recurring: Some(provider),
        stripe: None,
    };
    let asked = app::orders::service::pay::reconcile_open_payments(
        &app.db,
        &providers,
        &app::subscriptions::service::StartSubscriptions,
        &app.base,
        chrono::Duration::zero(),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(asked, 1);
    assert_eq!(only_order(&app).await.status, "paid");
    assert_eq!(paid_events(&app, order.id).await, 1);
}

async fn a_wrong_key_gives_a_clear_message_and_leaks_nothing(backend: Backend) {
    let wrong = "test_wrongKeyThatMustNotLeak12345";
    let (app, fake) = shop_with_mollie(backend, wrong).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("FR~{}x1", serum.id);
    let cookies = fill(&app, &cart, "cle@exemple.fr", "FR", "card").await;
    let response = place(&app, &cookies, &key(30)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let order = only_order(&app).await;
    assert_eq!(order.status, "pending_payment");
    assert_eq!(fake.requests().len(), 1, "Mollie refused the key");
    let retry = call(
        &app,
        "/api/orders/pay",
        &[("number", &order.number), ("key", &order.access_key)],
        "",
    )
    .await;
    assert_eq!(retry.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = retry.text().await.unwrap();
    assert!(
        body.contains("Le service de paiement ne répond pas"),
        "{body}"
    );
    assert!(!body.contains(wrong) && !body.contains("Mollie"), "{body}");
    let page = app
        .get(&format!(
            "/orders/{}?key={}",
            order.number, order.access_key
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains(wrong));
}

async fn checkout_offers_only_the_methods_the_cart_allows(backend: Backend) {
    let (app, _fake) = shop_with_mollie(backend, KEY).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let methods = |html: &str| -> Vec<String> {
        let document = scraper::Html::parse_document(html);
        let selector = scraper::Selector::parse(r#"input[name="payment_method"]"#).unwrap();
        document
            .select(&selector)
            .filter_map(|e| e.value().attr("value").map(str::to_owned))
            .collect()
    };
    let offered = |cart: String, country: &'static str| {
        let app = &app;
        async move {
            let postal = if country == "FR" { "69002" } else { "1000" };
            let fields = details("moyens@exemple.fr", country, postal);
            let cart_cookie = format!("comptoir_cart={cart}");
            let response = support::forms::post_form(
                app,
                "/api/checkout/details",
                &pairs(&fields),
                &cart_cookie,
            )
            .await;
            let (session, _) =
                support::forms::set_cookie(response.headers(), SESSION).expect("session");
            let html = app
                .get_with(
                    "/checkout?step=delivery",
                    &[(
                        reqwest::header::COOKIE,
                        &format!("{cart_cookie}; {SESSION}={session}"),
                    )],
                )
                .await
                .text()
                .await
                .unwrap();
            methods(&html)
        }
    };
    // A small French cart: no Klarna (under 60 €), no Bancontact (not BE/NL/LU).
    let small = offered(format!("FR~{}x1", magnesium.id), "FR").await;
    assert!(small.contains(&"card".to_owned()));
    assert!(!small.contains(&"klarna_3x".to_owned()), "{small:?}");
    assert!(!small.contains(&"bancontact".to_owned()), "{small:?}");
    // A Belgian cart over 60 €: both.
    let big = offered(format!("BE~{}x4", magnesium.id), "BE").await;
    assert!(big.contains(&"klarna_3x".to_owned()), "{big:?}");
    assert!(big.contains(&"bancontact".to_owned()), "{big:?}");
}
