//! Checkout and orders through real HTTP on both engines: the steps, placing an order in one
//! transaction (stock, idempotency), the demo provider's redirect and webhook, invoices and the
//! outbox, under concurrency.

use crate::support;

use app::db::entities::{email_outbox, invoice, order};
use app::orders::rules::TERMS_VERSION;
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use support::forms::{call, location, post_form, set_cookie};
use support::shop::*;
use support::{Backend, TestApp, spawn, within};

both_backends!(
    a_guest_buys_and_pays_with_the_demo_provider,
    a_declined_payment_cancels_the_order_and_returns_the_stock,
    fifty_buyers_for_the_last_ten_units,
    the_same_key_twenty_times_gives_one_order,
    webhook_redirect_and_replays_make_one_payment,
    tampered_input_is_refused_and_nothing_is_written,
    invoice_numbers_stay_gapless_under_concurrent_payments,
    a_bank_transfer_waits_for_staff,
    an_order_is_seen_by_its_link_only,
    unpaid_orders_expire_and_give_their_stock_back,
    orders_and_invoices_belong_to_their_account,
    an_order_outside_the_eu_is_invoiced_without_vat,
    the_confirmation_carries_the_invoice_pdf,
);

async fn a_guest_buys_and_pays_with_the_demo_provider(backend: Backend) {
    let app = spawn(backend).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let (m0, s0) = (magnesium.stock, serum.stock);
    let cart = format!("BE~{}x2~{}x1", magnesium.id, serum.id);
    let cookies = fill(&app, &cart, "lea.dubois@exemple.be", "BE", "bancontact").await;

    // The review shows the full breakdown, the unticked terms and the button.
    let review = app
        .get_with(
            "/checkout?step=review",
            &[(reqwest::header::COOKIE, &cookies)],
        )
        .await;
    assert_eq!(review.status(), StatusCode::OK);
    let html = review.text().await.unwrap();
    assert!(
        html.contains("Commander avec obligation de paiement"),
        "the button says it binds to pay (L221-14)"
    );
    let terms = html.find(r#"name="terms""#).expect("terms box");
    let tag = &html[html[..terms].rfind('<').unwrap()..terms + html[terms..].find('>').unwrap()];
    assert!(!tag.contains("checked"), "terms unticked: {tag}");
    assert!(html.contains("Belgique"), "destination");

    let response = place(&app, &cookies, &key(1)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let pay_page = location(&response);
    assert!(pay_page.contains("/pay/demo/demo_"), "{pay_page}");
    // The cart cookie is cleared: the cart became the order.
    let (cleared, _) = set_cookie(response.headers(), "comptoir_cart").expect("cart cleared");
    assert_eq!(cleared, "");

    let placed = orders(&app).await;
    assert_eq!(placed.len(), 1);
    let order = &placed[0];
    assert_eq!(order.status, "pending_payment");
    assert_eq!(order.destination, "BE");
    assert_eq!(order.terms_version, TERMS_VERSION);
    assert_eq!(order.payment_method, "bancontact");
    assert_eq!(order.email, "lea.dubois@exemple.be");
    let expected = 2 * magnesium.price_cents + serum.price_cents + order.shipping_cents;
    assert_eq!(order.total_cents, expected);
    assert_eq!(stock(&app, magnesium.id).await, m0 - 2);
    assert_eq!(stock(&app, serum.id).await, s0 - 1);

    // The hosted page, then "pay": back to the order page.
    let page = app.get(&pay_page.replace(&app.base, "")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Comptoir Pay"));
    let id = payment_id(&pay_page);
    let response = answer_demo(&app, &id, "pay").await;
    let back = location(&response);
    // The demo provider's pages are the shop's own: back to this origin, whatever
    // APP__PUBLIC_URL says.
    assert_eq!(
        back,
        format!("/orders/{}?key={}", order.number, order.access_key)
    );
    let page = app.get(&back).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Merci, votre commande est confirmée"),
        "confirmation"
    );
    assert!(html.contains(&order.number));

    // Paid once, one invoice, one confirmation email (whatever the webhook does meanwhile).
    eventually("the webhook", || async {
        app::db::entities::payment::Entity::find()
            .filter(app::db::entities::payment::Column::Status.eq("paid"))
            .count(&app.db)
            .await
            .unwrap()
            == 1
    })
    .await;
    let order = order::Entity::find_by_id(order.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.status, "paid");
    assert!(order.paid_at.is_some());
    assert_eq!(paid_events(&app, order.id).await, 1);
    let invoices = invoice::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(invoices.len(), 1);
    assert_eq!(invoices[0].order_id, order.id);
    assert!(
        invoices[0].number.ends_with("-000001"),
        "{}",
        invoices[0].number
    );
    let confirmations = mails(&app, "order_confirmed").await;
    assert_eq!(confirmations.len(), 1);
    let mail = &confirmations[0];
    assert_eq!(mail.to_address, "lea.dubois@exemple.be");
    assert!(mail.body_text.contains(&order.number));
    assert!(mail.body_text.contains(&invoices[0].number));
    assert!(
        mail.body_text.contains("+33 1 23 45 67 89"),
        "seller's phone"
    );

    // The invoice: HTML view and its figures.
    let invoice_page = app
        .get(&format!(
            "/orders/{}/invoice?key={}",
            order.number, order.access_key
        ))
        .await;
    assert_eq!(invoice_page.status(), StatusCode::OK);
    let html = invoice_page.text().await.unwrap();
    assert!(html.contains(&invoices[0].number));
    assert!(html.contains("RCS Lyon"), "seller identity");
    assert!(html.contains("Rue de la Loi 16"), "buyer");
    // The PDF: for the link's holder only.
    let pdf = app
        .get(&format!(
            "/orders/{}/invoice.pdf?key={}",
            order.number, order.access_key
        ))
        .await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let stranger = app
        .get(&format!("/orders/{}/invoice.pdf?key=guess", order.number))
        .await;
    assert_eq!(stranger.status(), StatusCode::NOT_FOUND);
    // An invoice cannot be changed.
    let changed = invoice::ActiveModel {
        id: Set(invoices[0].id),
        total_cents: Set(1),
        ..Default::default()
    }
    .update(&app.db)
    .await;
    assert!(changed.is_err(), "invoices are immutable");
}

async fn a_declined_payment_cancels_the_order_and_returns_the_stock(backend: Backend) {
    let app = spawn(backend).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let cart = format!("FR~{}x3", magnesium.id);
    let cookies = fill(&app, &cart, "marc@exemple.fr", "FR", "card").await;
    let response = place(&app, &cookies, &key(2)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(stock(&app, magnesium.id).await, magnesium.stock - 3);
    let id = payment_id(&location(&response));
    let response = answer_demo(&app, &id, "decline").await;
    let back = location(&response);
    let page = app.get(&back.replace(&app.base, "")).await;
    assert!(page.text().await.unwrap().contains("Commande annulée"));
    eventually("the cancellation", || async {
        orders(&app).await[0].status == "cancelled"
    })
    .await;
    assert_eq!(
        stock(&app, magnesium.id).await,
        magnesium.stock,
        "stock back"
    );
    assert_eq!(mails(&app, "order_payment_failed").await.len(), 1);
    assert!(
        invoice::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
    // A late replay changes nothing.
    assert_eq!(notify(&app, "demo", &id).await, StatusCode::OK);
    assert_eq!(stock(&app, magnesium.id).await, magnesium.stock);
    assert_eq!(mails(&app, "order_payment_failed").await.len(), 1);
}

async fn fifty_buyers_for_the_last_ten_units(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    set_stock(&app, serum.id, 10).await;
    let cart = format!("FR~{}x1", serum.id);
    let mut buyers = Vec::new();
    for n in 0..50 {
        buyers.push(fill(&app, &cart, &format!("buyer{n}@exemple.fr"), "FR", "card").await);
    }
    let attempts = buyers.iter().enumerate().map(|(n, cookies)| {
        let app = &app;
        async move {
            let response = place(app, cookies, &key(100 + n)).await;
            let status = response.status();
            (status, response.text().await.unwrap_or_default())
        }
    });
    let results = within("50 checkouts", futures::future::join_all(attempts)).await;
    let placed = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let refused: Vec<_> = results
        .iter()
        .filter(|(s, _)| *s != StatusCode::OK)
        .collect();
    assert_eq!(placed, 10, "{refused:?}");
    for (status, body) in refused {
        assert_eq!(*status, StatusCode::CONFLICT, "{body}");
        assert!(body.contains("Plus disponible"), "{body}");
    }
    assert_eq!(orders(&app).await.len(), 10);
    assert_eq!(stock(&app, serum.id).await, 0);
}

async fn the_same_key_twenty_times_gives_one_order(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("FR~{}x1", serum.id);
    let cookies = fill(&app, &cart, "double@exemple.fr", "FR", "card").await;
    let same = key(7);
    let attempts = (0..20).map(|_| {
        let (app, cookies, same) = (&app, &cookies, &same);
        async move {
            let response = place(app, cookies, same).await;
            (response.status(), location(&response))
        }
    });
    let results = within("20 repeats", futures::future::join_all(attempts)).await;
    for (status, _) in &results {
        assert_eq!(*status, StatusCode::OK);
    }
    let first = &results[0].1;
    assert!(
        results.iter().all(|(_, l)| l == first),
        "one payment page: {results:?}"
    );
    assert_eq!(orders(&app).await.len(), 1);
    assert_eq!(stock(&app, serum.id).await, serum.stock - 1);
}

async fn webhook_redirect_and_replays_make_one_payment(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("FR~{}x1", serum.id);
    let cookies = fill(&app, &cart, "race@exemple.fr", "FR", "card").await;
    let response = place(&app, &cookies, &key(9)).await;
    let id = payment_id(&location(&response));
    let order = orders(&app).await.remove(0);
    // The provider records the payment without notifying (the notifications below race).
    demo_paid_silently(&app, None).await;
    let hooks = (0..10).map(|_| notify(&app, "demo", &id));
    let page = format!("/orders/{}?key={}", order.number, order.access_key);
    let returns = (0..5).map(|_| {
        let (app, page) = (&app, &page);
        async move { app.get(page).await.status() }
    });
    let (hooks, returns) = within(
        "webhooks and returns",
        futures::future::join(
            futures::future::join_all(hooks),
            futures::future::join_all(returns),
        ),
    )
    .await;
    assert!(hooks.iter().all(|s| *s == StatusCode::OK), "{hooks:?}");
    assert!(returns.iter().all(|s| *s == StatusCode::OK), "{returns:?}");
    assert_eq!(paid_events(&app, order.id).await, 1);
    assert_eq!(mails(&app, "order_confirmed").await.len(), 1);
    assert_eq!(invoice::Entity::find().count(&app.db).await.unwrap(), 1);
    // An unknown id is answered alike, and changes nothing.
    assert_eq!(
        notify(&app, "demo", "demo_doesnotexist").await,
        StatusCode::OK
    );
}

async fn tampered_input_is_refused_and_nothing_is_written(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let outbox_before = email_outbox::Entity::find().count(&app.db).await.unwrap();
    let cart = format!("FR~{}x1", serum.id);
    let cookies = fill(&app, &cart, "tamper@exemple.fr", "FR", "card").await;

    // A total that is not the shop's.
    let response = call(
        &app,
        "/api/checkout/place",
        &[
            ("idempotency_key", &key(20)),
            ("terms_version", TERMS_VERSION),
            ("terms", "accepted"),
            ("expected_total", "0.01"),
        ],
        &cookies,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(response.text().await.unwrap().contains("montant"));

    // Terms left unticked, or an old version.
    let response = call(
        &app,
        "/api/checkout/place",
        &[
            ("idempotency_key", &key(21)),
            ("terms_version", TERMS_VERSION),
        ],
        &cookies,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("conditions générales")
    );
    let response = call(
        &app,
        "/api/checkout/place",
        &[
            ("idempotency_key", &key(22)),
            ("terms_version", "2020-01-01"),
            ("terms", "accepted"),
        ],
        &cookies,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // A payment method the order does not allow (Bancontact to France, Klarna under 60 €).
    for method in ["bancontact", "klarna_3x", "bitcoin"] {
        let response = call(
            &app,
            "/api/checkout/delivery",
            &[("payment_method", method)],
            &cookies,
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{method}");
    }

    // Quantities beyond the stock, unknown products, malformed or empty carts.
    let session = cookies.split("; ").nth(1).unwrap();
    for bad_cart in [
        format!("FR~{}x99", serum.id),
        "FR~999999x1".to_owned(),
        format!("FR~{}x-3", serum.id),
        "FR".to_owned(),
    ] {
        let cookies = format!("comptoir_cart={bad_cart}; {session}");
        let response = place(&app, &cookies, &key(23)).await;
        assert!(
            response.status().is_client_error(),
            "{bad_cart}: {}",
            response.status()
        );
    }
    // Bad details: each field named.
    let mut fields = details("not-an-email", "FR", "ABC");
    fields.retain(|(k, _)| k != "details[delivery][city]");
    let response = call(&app, "/api/checkout/details", &pairs(&fields), "").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    assert!(orders(&app).await.is_empty(), "no order written");
    assert_eq!(stock(&app, serum.id).await, serum.stock, "stock untouched");
    assert_eq!(
        email_outbox::Entity::find().count(&app.db).await.unwrap(),
        outbox_before
    );
}

async fn invoice_numbers_stay_gapless_under_concurrent_payments(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    set_stock(&app, serum.id, 1000).await;
    let cart = format!("FR~{}x1", serum.id);
    let count = 100;
    let mut ids = Vec::new();
    let cookies = fill(&app, &cart, "many@exemple.fr", "FR", "card").await;
    for n in 0..count {
        // One browser, many shoppers (orders are limited per address): each gives its address
        // and chooses its payment method again.
        let fields = details(&format!("many{n}@exemple.fr"), "FR", "69002");
        let given = post_form(&app, "/api/checkout/details", &pairs(&fields), &cookies).await;
        assert_eq!(location(&given), "/checkout?step=delivery");
        let chosen = post_form(
            &app,
            "/api/checkout/delivery",
            &[("payment_method", "card")],
            &cookies,
        )
        .await;
        assert_eq!(location(&chosen), "/checkout?step=review");
        let response = place(&app, &cookies, &key(1000 + n)).await;
        assert_eq!(response.status(), StatusCode::OK);
        ids.push(payment_id(&location(&response)));
    }
    demo_paid_silently(&app, None).await;
    let hooks = ids.iter().map(|id| notify(&app, "demo", id));
    let statuses = within("100 payments", futures::future::join_all(hooks)).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    let mut numbers: Vec<String> = invoice::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.number)
        .collect();
    numbers.sort();
    assert_eq!(numbers.len(), count);
    let year = chrono::Utc::now().format("%Y").to_string();
    for (n, number) in numbers.iter().enumerate() {
        assert_eq!(*number, format!("F{year}-{:06}", n + 1));
    }
}

async fn a_bank_transfer_waits_for_staff(backend: Backend) {
    let app = spawn(backend).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let cart = format!("FR~{}x1", magnesium.id);
    let cookies = fill(&app, &cart, "virement@exemple.fr", "FR", "bank_transfer").await;
    let response = place(&app, &cookies, &key(30)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let order = orders(&app).await.remove(0);
    assert_eq!(
        location(&response),
        format!("/orders/{}?key={}", order.number, order.access_key)
    );
    let page = app.get(&location(&response)).await;
    let html = page.text().await.unwrap();
    assert!(
        html.contains("IBAN") && html.contains(&order.number),
        "instructions"
    );
    let mail = mails(&app, "order_awaiting_payment").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].body_text.contains("IBAN"));

    // A customer cannot record it; staff can, once.
    let staff_cookie = support::forms::staff_session(&app).await;
    let customer = call(
        &app,
        "/api/orders/record-payment",
        &[("number", &order.number)],
        "",
    )
    .await;
    assert_eq!(customer.status(), StatusCode::UNAUTHORIZED);
    let recorded = call(
        &app,
        "/api/orders/record-payment",
        &[("number", &order.number)],
        &staff_cookie,
    )
    .await;
    assert_eq!(recorded.status(), StatusCode::OK);
    let again = call(
        &app,
        "/api/orders/record-payment",
        &[("number", &order.number)],
        &staff_cookie,
    )
    .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(paid_events(&app, order.id).await, 1);
    assert_eq!(mails(&app, "order_confirmed").await.len(), 1);
}

async fn an_order_is_seen_by_its_link_only(backend: Backend) {
    let app = spawn(backend).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let cart = format!("FR~{}x1", magnesium.id);
    let cookies = fill(&app, &cart, "prive@exemple.fr", "FR", "cheque").await;
    place(&app, &cookies, &key(40)).await;
    let order = orders(&app).await.remove(0);
    let path = format!("/orders/{}", order.number);
    assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("{path}?key=wrong")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{path}/invoice?key={}", order.access_key))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "no invoice before payment"
    );
    assert_eq!(
        app.get("/orders/CB26-AAAAAA").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{path}?key={}", order.access_key))
            .await
            .status(),
        StatusCode::OK
    );
}

async fn unpaid_orders_expire_and_give_their_stock_back(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("FR~{}x2", serum.id);
    let cookies = fill(&app, &cart, "oubli@exemple.fr", "FR", "card").await;
    place(&app, &cookies, &key(50)).await;
    let cookies = fill(&app, &cart, "paye@exemple.fr", "FR", "card").await;
    let response = place(&app, &cookies, &key(51)).await;
    let paid_id = payment_id(&location(&response));
    assert_eq!(stock(&app, serum.id).await, serum.stock - 4);
    // The second shopper paid, but the notification never came: the sweep asks the provider.
    demo_paid_silently(&app, Some(&paid_id)).await;
    let provider = demo_providers(&app);
    let sweep = |minutes: i64| {
        let (db, provider, base) = (app.db.clone(), provider.clone(), app.base.clone());
        async move {
            app::orders::service::lifecycle::expire_unpaid(
                &db,
                &provider,
                &app::subscriptions::service::StartSubscriptions,
                &base,
                chrono::Utc::now() + chrono::Duration::minutes(minutes),
            )
            .await
            .unwrap()
        }
    };
    assert_eq!(sweep(5).await, 0, "not due yet");
    assert_eq!(sweep(31).await, 1, "one cancelled");
    let all = orders(&app).await;
    assert_eq!(all[0].status, "cancelled");
    assert_eq!(all[1].status, "paid", "paid late, kept");
    assert_eq!(stock(&app, serum.id).await, serum.stock - 2);
    assert_eq!(mails(&app, "order_payment_failed").await.len(), 1);
    assert_eq!(sweep(60).await, 0, "nothing twice");
}

/// The page at `path` with the session `session` (a cookie value), status and body.
async fn page_as(app: &TestApp, path: &str, session: &str) -> (StatusCode, String) {
    let response = app
        .get_with(
            path,
            &[(reqwest::header::COOKIE, &format!("{SESSION}={session}"))],
        )
        .await;
    (response.status(), response.text().await.unwrap())
}

async fn orders_and_invoices_belong_to_their_account(backend: Backend) {
    const PASSWORD: &str = "Quatre-chemins-sous-la-pluie";
    let app = spawn(backend).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let cart = format!("FR~{}x1", magnesium.id);
    // Camille orders as a guest, and pays.
    let cookies = fill(&app, &cart, "camille@exemple.fr", "FR", "card").await;
    let response = place(&app, &cookies, &key(60)).await;
    let id = payment_id(&location(&response));
    answer_demo(&app, &id, "pay").await;
    let order = orders(&app).await.remove(0);
    assert_eq!(order.user_id, None);
    eventually("the payment", || async {
        invoice::Entity::find().count(&app.db).await.unwrap() == 1
    })
    .await;
    let invoice_number = invoice::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .number;

    // Then creates her account with the same address: the guest order is hers.
    let camille = support::forms::confirmed_account(&app, "camille@exemple.fr", PASSWORD).await;
    let (status, html) = page_as(&app, "/account/orders", &camille).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&order.number), "the guest order is listed");
    let (_, html) = page_as(&app, "/account/invoices", &camille).await;
    assert!(html.contains(&invoice_number), "its invoice too");
    let order_page = format!("/orders/{}", order.number);
    let invoice_page = format!("/orders/{}/invoice", order.number);
    assert_eq!(page_as(&app, &order_page, &camille).await.0, StatusCode::OK);
    assert_eq!(
        page_as(&app, &invoice_page, &camille).await.0,
        StatusCode::OK
    );

    // Another customer: 404 everywhere, through pages and server functions alike.
    let other = support::forms::confirmed_account(&app, "dominique@exemple.fr", PASSWORD).await;
    let other_cookie = format!("{SESSION}={other}");
    assert_eq!(
        page_as(&app, &order_page, &other).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page_as(&app, &invoice_page, &other).await.0,
        StatusCode::NOT_FOUND
    );
    for (endpoint, fields) in [
        ("/api/orders/view", vec![("number", order.number.as_str())]),
        (
            "/api/orders/invoice",
            vec![("number", order.number.as_str())],
        ),
        ("/api/orders/pay", vec![("number", order.number.as_str())]),
    ] {
        let response = call(&app, endpoint, &fields, &other_cookie).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }
    let pdf = app
        .get_with(
            &format!("{invoice_page}.pdf"),
            &[(reqwest::header::COOKIE, &other_cookie)],
        )
        .await;
    assert_eq!(pdf.status(), StatusCode::NOT_FOUND);
    let listed = call(&app, "/api/account/orders", &[], &other_cookie).await;
    assert_eq!(listed.status(), StatusCode::OK);
    assert!(!listed.text().await.unwrap().contains(&order.number));
    // Camille's address book is hers too.
    let address = call(
        &app,
        "/api/account/save-address",
        &[
            ("address[first_name]", "Camille"),
            ("address[last_name]", "Martin"),
            ("address[line1]", "12 rue des Lilas"),
            ("address[postal_code]", "75011"),
            ("address[city]", "Paris"),
            ("address[country]", "FR"),
        ],
        &format!("{SESSION}={camille}"),
    )
    .await;
    assert!(address.status().is_success(), "{}", address.status());
    let address_id = app::db::entities::address::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        page_as(&app, &format!("/account/addresses/{address_id}"), &other)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let response = call(
        &app,
        "/api/account/address",
        &[("id", &address_id.to_string())],
        &other_cookie,
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Her checkout starts from her profile and default address.
    let html = app
        .get_with(
            "/checkout",
            &[(
                reqwest::header::COOKIE,
                &format!("comptoir_cart=FR~{}x1; {SESSION}={camille}", magnesium.id),
            )],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"value="camille@exemple.fr""#),
        "email prefilled"
    );
    assert!(
        html.contains(r#"value="12 rue des Lilas""#),
        "default address prefilled"
    );
    // A customer is refused the back office.
    assert_eq!(
        page_as(&app, "/admin", &other).await.0,
        StatusCode::FORBIDDEN
    );
    // Signed out, the lists ask to sign in.
    let response = call(&app, "/api/account/orders", &[], "").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // An order placed signed in is the account's from the start.
    let cookies = format!("comptoir_cart={cart}; {SESSION}={camille}");
    let fields = details("camille@exemple.fr", "FR", "69002");
    post_form(&app, "/api/checkout/details", &pairs(&fields), &cookies).await;
    post_form(
        &app,
        "/api/checkout/delivery",
        &[("payment_method", "cheque")],
        &cookies,
    )
    .await;
    assert_eq!(
        place(&app, &cookies, &key(61)).await.status(),
        StatusCode::OK
    );
    let signed_in_order = orders(&app).await.pop().unwrap();
    assert!(signed_in_order.user_id.is_some());
    let (_, html) = page_as(&app, "/account/orders", &camille).await;
    assert!(html.contains(&signed_in_order.number));
    assert!(
        !page_as(&app, "/account/orders", &other)
            .await
            .1
            .contains(&signed_in_order.number)
    );
}

async fn an_order_outside_the_eu_is_invoiced_without_vat(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("CH~{}x2", serum.id);
    let postal = "1204";
    let mut fields = details("geneve@exemple.ch", "CH", postal);
    fields.retain(|(k, _)| k != "details[delivery][city]");
    fields.push(("details[delivery][city]".into(), "Genève".into()));
    let cart_cookie = format!("comptoir_cart={cart}");
    let response = post_form(&app, "/api/checkout/details", &pairs(&fields), &cart_cookie).await;
    let (session, _) = set_cookie(response.headers(), SESSION).unwrap();
    let cookies = format!("{cart_cookie}; {SESSION}={session}");
    post_form(
        &app,
        "/api/checkout/delivery",
        &[("payment_method", "card")],
        &cookies,
    )
    .await;
    let review = app
        .get_with(
            "/checkout?step=review",
            &[(reqwest::header::COOKIE, &cookies)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        review.contains("droits de douane"),
        "customs duties are the buyer's"
    );
    let response = place(&app, &cookies, &key(70)).await;
    let id = payment_id(&location(&response));
    answer_demo(&app, &id, "pay").await;
    let order = orders(&app).await.remove(0);
    assert_eq!(order.vat_mode, "excluded");
    // Each unit is charged its price without VAT (34.00 € incl. 20 % → 28.33 €).
    let net_unit = (serum.price_cents * 100 + 60) / 120;
    assert_eq!(order.subtotal_cents, 2 * net_unit);
    eventually("the invoice", || async {
        invoice::Entity::find().count(&app.db).await.unwrap() == 1
    })
    .await;
    let invoice = invoice::Entity::find().one(&app.db).await.unwrap().unwrap();
    let document: app::orders::model::InvoiceDocument =
        serde_json::from_str(&invoice.document).unwrap();
    assert_eq!(document.vat_mode, app::pricing::VatMode::Excluded);
    assert!(document.vat.is_empty());
    assert_eq!(document.total_vat, rust_decimal::Decimal::ZERO);
    assert_eq!(document.total, document.total_excl);
    assert!(
        document.notes.iter().any(|n| n.contains("262 I")),
        "{:?}",
        document.notes
    );
    assert_eq!(
        document.lines[0].unit_price_excl,
        rust_decimal::Decimal::new(net_unit, 2)
    );
}

async fn the_confirmation_carries_the_invoice_pdf(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("FR~{}x1", serum.id);
    let cookies = fill(&app, &cart, "piece-jointe@exemple.fr", "FR", "card").await;
    let response = place(&app, &cookies, &key(80)).await;
    let id = payment_id(&location(&response));
    answer_demo(&app, &id, "pay").await;
    eventually("the confirmation", || async {
        mails(&app, "order_confirmed").await.len() == 1
    })
    .await;
    let invoice = invoice::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        mails(&app, "order_confirmed").await[0].invoice_id,
        Some(invoice.id)
    );

    let relay = support::smtp::start().await;
    let transport = server::mailer::transport(&relay.url()).unwrap();
    let from = support::smtp::sender();
    server::mailer::send_due(&app.db, &transport, &from, chrono::Utc::now())
        .await
        .unwrap();
    let messages = relay.messages();
    let confirmation = messages
        .iter()
        .find(|m| m.contains(&format!("facture-{}.pdf", invoice.number)))
        .expect("the confirmation carries the invoice");
    assert!(confirmation.contains("To: piece-jointe@exemple.fr"));
    assert!(confirmation.contains("Content-Type: application/pdf"));
    // The attachment is the PDF itself (base64 of "%PDF-").
    assert!(confirmation.contains("JVBERi0"), "a PDF file");
    // The contract on a durable medium (L221-13): the terms accepted, in their version, and
    // the model withdrawal form, three PDFs in all.
    let order = orders(&app).await.pop().unwrap();
    assert!(
        confirmation.contains(&format!("cgv-{}.pdf", order.terms_version)),
        "the terms accepted"
    );
    assert!(confirmation.contains("formulaire-de-retractation.pdf"));
    assert_eq!(
        confirmation
            .matches("Content-Type: application/pdf")
            .count(),
        3
    );
}
