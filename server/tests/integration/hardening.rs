//! The defences of issue 27, each against the real server on both engines: no payment provider
//! by accident, throttles taken before the work they pay for (and per client behind a trusted
//! proxy), no live link left readable in the outbox, a confirmation link that cannot sign in
//! after the sessions were ended, every write that emails or holds stock limited, one
//! withdrawal for two confirmations at once, no local redirect to another host, no forged
//! form error shown, `Secure` and HSTS behind HTTPS, a payment of another amount held for
//! staff, session data bounded, and the sitemap read once.

use crate::support;

use app::db::entities::{demo_payment, email_outbox, invoice, order, refund, session};
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use server::settings::Secret;
use std::sync::atomic::Ordering;
use support::forms::{
    call, call_from, confirmed_account, location, post_form, set_cookie, staff_session,
};
use support::shop::*;
use support::{Backend, TestApp, spawn, spawn_with, within};

both_backends!(
    a_start_without_a_recurring_provider_is_refused_and_the_demo_is_off_by_default,
    sixty_parallel_wrong_sign_ins_check_no_more_than_the_limit,
    the_client_behind_a_trusted_proxy_is_counted_and_nobody_else_picks_an_address,
    sent_emails_keep_no_live_link_and_staff_never_see_one,
    a_confirmation_link_never_signs_in_once_the_sessions_were_ended,
    newsletter_requests_are_limited_per_client_and_per_address,
    sign_ups_and_confirmation_links_are_limited_per_address,
    transfer_orders_are_limited_per_client_and_per_address,
    the_withdrawal_lookup_is_limited_and_answers_every_mismatch_alike,
    two_withdrawal_confirmations_at_once_record_the_lines_once,
    promo_codes_count_one_inbox_once_and_guesses_are_limited,
    a_payment_of_another_amount_is_held_for_staff,
    local_redirects_refuse_hidden_hosts_and_forged_form_errors_are_dropped,
    secure_cookies_and_hsts_follow_an_https_public_url,
    checkout_details_kept_in_the_session_are_bounded,
    the_sitemap_is_read_once_and_again_after_an_edit,
);

const PASSWORD: &str = "plume-encre-papier-42";

fn yesterday() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() - chrono::Duration::days(1)
}

async fn a_start_without_a_recurring_provider_is_refused_and_the_demo_is_off_by_default(
    backend: Backend,
) {
    let mollie = support::mollie::start().await;
    let app = spawn_with(backend, |s| {
        s.app.demo_payments = false;
        s.app.mollie_api_key = Secret(support::mollie::KEY.into());
        s.app.mollie_base_url = mollie.url();
    })
    .await;
    // The demo data sells by subscription: without Stripe (and without the demo provider)
    // the shop could not take them, and a start says so in one line.
    let mut settings = server::settings::Settings::with_database(app.database_url.clone());
    settings.app.mollie_api_key = Secret(support::mollie::KEY.into());
    let state = server::app_state(&settings, app.db.clone());
    let refused = server::check_payments(&state, &settings)
        .await
        .expect_err("subscriptions without a recurring provider");
    let line = refused.to_string();
    assert!(line.contains("APP__STRIPE_SECRET_KEY"), "{line}");
    assert!(!line.contains('\n'), "one line: {line}");
    // No key at all: refused too, naming the demo switch.
    settings.app.mollie_api_key = Secret(String::new());
    let state = server::app_state(&settings, app.db.clone());
    let line = server::check_payments(&state, &settings)
        .await
        .expect_err("no provider")
        .to_string();
    assert!(
        line.contains("APP__MOLLIE_API_KEY") && line.contains("APP__DEMO_PAYMENTS"),
        "{line}"
    );
    // Switched on, the demo provider takes both roles.
    settings.app.demo_payments = true;
    let state = server::app_state(&settings, app.db.clone());
    server::check_payments(&state, &settings)
        .await
        .expect("the demo store starts");

    // The running shop (Mollie, no demo): the demo page and its answer do not exist.
    let answer = call(
        &app,
        "/api/pay/demo/answer",
        &[("id", "demo_x"), ("outcome", "pay")],
        "",
    )
    .await;
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let demo = demo_payment::ActiveModel {
        id: Set("demo_planted000000001".into()),
        idempotency_key: Set("planted".into()),
        amount_cents: Set(100),
        description: Set("planted".into()),
        method: Set("card".into()),
        redirect_url: Set("/".into()),
        webhook_url: Set(String::new()),
        status: Set("open".into()),
        saved_card: Set(None),
        created_at: Set(chrono::Utc::now()),
        updated_at: Set(chrono::Utc::now()),
    };
    demo.insert(&app.db).await.unwrap();
    let answer = call(
        &app,
        "/api/pay/demo/answer",
        &[("id", "demo_planted000000001"), ("outcome", "pay")],
        "",
    )
    .await;
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let planted = demo_payment::Entity::find_by_id("demo_planted000000001".to_owned())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(planted.status, "open", "nobody marks a payment paid");
    let webhook = notify(&app, "demo", "demo_planted000000001").await;
    assert_eq!(webhook, StatusCode::NOT_FOUND);
}

async fn sign_in_from(app: &TestApp, email: &str, password: &str, client: &str) -> StatusCode {
    let fields = [("email", email), ("password", password)];
    call_from(app, "/api/account/sign-in", &fields, "", client)
        .await
        .status()
}

async fn sixty_parallel_wrong_sign_ins_check_no_more_than_the_limit(backend: Backend) {
    let app = spawn(backend).await;
    confirmed_account(&app, "cible@exemple.fr", PASSWORD).await;
    // Sixty wrong passwords at once, from sixty addresses: each is counted before its Argon2
    // check, so no more than the account's five are checked.
    let attempts = (0..60).map(|n| {
        let app = &app;
        async move {
            sign_in_from(
                app,
                "cible@exemple.fr",
                "mauvais-mot-de-passe",
                &format!("203.0.113.{n}"),
            )
            .await
        }
    });
    let answers = within("60 sign-ins", futures::future::join_all(attempts)).await;
    let checked = answers
        .iter()
        .filter(|s| **s == StatusCode::BAD_REQUEST)
        .count();
    let refused = answers
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, 60, "{answers:?}");
    assert!(checked <= 5, "{checked} checked answers: {answers:?}");
    // And the right password now waits too.
    assert_eq!(
        sign_in_from(&app, "cible@exemple.fr", PASSWORD, "198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn the_client_behind_a_trusted_proxy_is_counted_and_nobody_else_picks_an_address(
    backend: Backend,
) {
    // The tests' server trusts 127.0.0.1 as its proxy: a client named in X-Forwarded-For is
    // counted as itself.
    let app = spawn(backend).await;
    for n in 0..30 {
        let email = format!("essai{n}@exemple.fr");
        assert_eq!(
            sign_in_from(&app, &email, "mauvais-mot-de-passe", "192.0.2.10").await,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        sign_in_from(&app, "autre@exemple.fr", "x", "192.0.2.10").await,
        StatusCode::TOO_MANY_REQUESTS,
        "that client is done"
    );
    assert_eq!(
        sign_in_from(
            &app,
            "autre@exemple.fr",
            "mauvais-mot-de-passe",
            "192.0.2.11"
        )
        .await,
        StatusCode::BAD_REQUEST,
        "another client behind the proxy is not"
    );
    // An IPv6 client counts by its /64: a new address in it changes nothing.
    for n in 0..30 {
        let email = format!("v6-{n}@exemple.fr");
        let client = format!("2001:db8:7:7::{n:x}");
        assert_eq!(
            sign_in_from(&app, &email, "mauvais-mot-de-passe", &client).await,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        sign_in_from(&app, "v6@exemple.fr", "x", "2001:db8:7:7:ffff::1").await,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Without a trusted proxy, the header is anybody's: ignored.
    let direct = spawn_with(backend, |s| s.app.trusted_proxies = String::new()).await;
    for n in 0..30 {
        let email = format!("direct{n}@exemple.fr");
        let forged = format!("192.0.2.{n}");
        assert_eq!(
            sign_in_from(&direct, &email, "mauvais-mot-de-passe", &forged).await,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        sign_in_from(&direct, "direct@exemple.fr", "x", "198.51.100.99").await,
        StatusCode::TOO_MANY_REQUESTS,
        "the forged header does not make a new client"
    );
}

async fn sent_emails_keep_no_live_link_and_staff_never_see_one(backend: Backend) {
    let app = spawn(backend).await;
    let relay = support::smtp::start().await;
    let staff = staff_session(&app).await;
    // A sign-up's confirmation link, and an order's access key.
    let response = post_form(
        &app,
        "/api/account/sign-up",
        &[
            ("email", "secret@exemple.fr"),
            ("password", PASSWORD),
            ("first_name", "Camille"),
            ("last_name", "Martin"),
        ],
        "",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let token = support::forms::emailed_token(&app, "secret@exemple.fr", "account_verify").await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cookies = fill(
        &app,
        &format!("FR~{}x1", serum.id),
        "virement-secret@exemple.fr",
        "FR",
        "bank_transfer",
    )
    .await;
    assert_eq!(
        place(&app, &cookies, &key(1)).await.status(),
        StatusCode::OK
    );
    let placed = orders(&app).await.pop().unwrap();

    // Before sending, the page masks them already.
    let (status, html) = support::forms::page(&app, "/admin/outbox", &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains(&token), "a live token on the outbox page");
    assert!(
        !html.contains(&placed.access_key),
        "a live order key on the outbox page"
    );
    assert!(html.contains("token=***"), "the link is shown, masked");

    // Sent through the relay: the recipients got the links; the outbox keeps none.
    let transport = server::mailer::transport(&relay.url()).unwrap();
    let from = support::smtp::sender();
    let round = server::mailer::send_due(&app.db, &transport, &from, chrono::Utc::now())
        .await
        .unwrap();
    assert!(round.sent >= 2, "{round:?}");
    let sent = relay
        .messages()
        .join("\n")
        .replace("=\n", "")
        .replace("=3D", "=");
    assert!(sent.contains(&token), "the recipient has the link");
    assert!(
        sent.contains(&placed.access_key),
        "the buyer has the order's link"
    );
    for mail in email_outbox::Entity::find().all(&app.db).await.unwrap() {
        assert!(mail.sent_at.is_some(), "{} not sent", mail.kind);
        assert!(!mail.body_text.contains(&token), "{}", mail.body_text);
        assert!(
            !mail.body_text.contains(&placed.access_key),
            "{}",
            mail.body_text
        );
    }
    let (_, html) = support::forms::page(&app, "/admin/outbox", &staff).await;
    assert!(!html.contains(&token) && !html.contains(&placed.access_key));
    // The link itself still works for its recipient.
    let response = post_form(&app, "/api/account/confirm-email", &[("token", &token)], "").await;
    assert_eq!(location(&response), "/account");
}

async fn a_confirmation_link_never_signs_in_once_the_sessions_were_ended(backend: Backend) {
    let app = spawn(backend).await;
    let response = post_form(
        &app,
        "/api/account/sign-up",
        &[
            ("email", "tardif@exemple.fr"),
            ("password", PASSWORD),
            ("first_name", "Camille"),
            ("last_name", "Martin"),
        ],
        "",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let first = support::forms::emailed_token(&app, "tardif@exemple.fr", "account_verify").await;
    // A sign-in before confirming sends a second link; the owner then resets the password
    // (which ends every session) with the first... the second link was read by someone else.
    sign_in_from(&app, "tardif@exemple.fr", PASSWORD, "").await;
    let second = support::forms::emailed_token(&app, "tardif@exemple.fr", "account_verify").await;
    assert_ne!(first, second);
    let account = support::forms::account(&app, "tardif@exemple.fr").await;
    let mut ended: app::db::entities::user::ActiveModel = account.into();
    ended.sessions_valid_after = Set(Some(chrono::Utc::now() + chrono::Duration::seconds(1)));
    ended.update(&app.db).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    // The address is confirmed by the link, but it signs nobody in.
    let response = post_form(
        &app,
        "/api/account/confirm-email",
        &[("token", &second)],
        "",
    )
    .await;
    assert_eq!(location(&response), "/account/sign-in?verified=1");
    assert!(set_cookie(response.headers(), SESSION).is_none_or(|(v, _)| v.is_empty()));
    assert!(
        support::forms::account(&app, "tardif@exemple.fr")
            .await
            .email_verified_at
            .is_some()
    );
    // And the other link is spent with it: it cannot sign in either.
    let response = post_form(&app, "/api/account/confirm-email", &[("token", &first)], "").await;
    assert_ne!(location(&response), "/account");
    assert!(set_cookie(response.headers(), SESSION).is_none_or(|(v, _)| v.is_empty()));

    // A confirmed address: a confirmation link sent earlier does not sign in either.
    let session = confirmed_account(&app, "deja@exemple.fr", PASSWORD).await;
    assert!(!session.is_empty());
}

async fn subscribe(app: &TestApp, email: &str, client: &str) -> StatusCode {
    call_from(
        app,
        "/api/newsletter/subscribe",
        &[("email", email)],
        "",
        client,
    )
    .await
    .status()
}

async fn confirmations(app: &TestApp, to: &str) -> u64 {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::ToAddress.eq(to))
        .count(&app.db)
        .await
        .unwrap()
}

async fn newsletter_requests_are_limited_per_client_and_per_address(backend: Backend) {
    let app = spawn(backend).await;
    // One inbox, asked for from many clients: three confirmations an hour.
    for n in 0..3 {
        let client = format!("203.0.113.{n}");
        assert_eq!(
            subscribe(&app, "victime@exemple.fr", &client).await,
            StatusCode::OK
        );
    }
    assert_eq!(
        subscribe(&app, "Victime@Exemple.fr", "203.0.113.50").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(confirmations(&app, "victime@exemple.fr").await, 3);
    // One client, many inboxes: ten emails an hour.
    for n in 0..10 {
        assert_eq!(
            subscribe(&app, &format!("inbox{n}@exemple.fr"), "198.51.100.7").await,
            StatusCode::OK
        );
    }
    assert_eq!(
        subscribe(&app, "inbox10@exemple.fr", "198.51.100.7").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(confirmations(&app, "inbox10@exemple.fr").await, 0);
}

async fn sign_up_from(app: &TestApp, email: &str, client: &str) -> StatusCode {
    let fields = [
        ("email", email),
        ("password", PASSWORD),
        ("first_name", "Camille"),
        ("last_name", "Martin"),
    ];
    call_from(app, "/api/account/sign-up", &fields, "", client)
        .await
        .status()
}

async fn sign_ups_and_confirmation_links_are_limited_per_address(backend: Backend) {
    let app = spawn(backend).await;
    // Someone signs up with another person's address, from several clients: each sends that
    // inbox an email, three an hour.
    for n in 0..3 {
        let client = format!("203.0.113.{n}");
        assert_eq!(
            sign_up_from(&app, "victime@exemple.fr", &client).await,
            StatusCode::OK
        );
    }
    assert_eq!(
        sign_up_from(&app, "victime@exemple.fr", "203.0.113.9").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(confirmations(&app, "victime@exemple.fr").await, 3);
    // Knowing the password they chose, signing in again and again (each would send a fresh
    // link to the unconfirmed address) sends nothing more this hour.
    for n in 0..5 {
        let client = format!("198.51.100.{n}");
        assert_eq!(
            sign_in_from(&app, "victime@exemple.fr", PASSWORD, &client).await,
            StatusCode::BAD_REQUEST,
            "not confirmed"
        );
    }
    assert_eq!(confirmations(&app, "victime@exemple.fr").await, 3);
}

/// An order by bank transfer for `email` from `client`: its status.
async fn transfer_order(app: &TestApp, email: &str, client: &str, n: usize) -> StatusCode {
    let serum = product_by_slug(app, "serum-eclat-vitamine-c").await;
    let cart = format!("FR~{}x1", serum.id);
    let cookies = fill(app, &cart, email, "FR", "bank_transfer").await;
    let fields = [
        ("idempotency_key", key(n)),
        (
            "terms_version",
            app::orders::rules::TERMS_VERSION.to_owned(),
        ),
        ("terms", "accepted".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    call_from(app, "/api/checkout/place", &fields, &cookies, client)
        .await
        .status()
}

async fn transfer_orders_are_limited_per_client_and_per_address(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    set_stock(&app, serum.id, 1000).await;
    // Orders for one address, from many clients: ten an hour, then nothing is held nor sent.
    for n in 0..10 {
        let client = format!("203.0.113.{n}");
        assert_eq!(
            transfer_order(&app, "cible@exemple.fr", &client, n).await,
            StatusCode::OK,
            "order {n}"
        );
    }
    let stock_before = stock(&app, serum.id).await;
    assert_eq!(
        transfer_order(&app, "cible@exemple.fr", "203.0.113.99", 10).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(stock(&app, serum.id).await, stock_before, "no stock held");
    assert_eq!(orders(&app).await.len(), 10);
    // From one client, to many addresses: twenty an hour.
    for n in 0..20 {
        assert_eq!(
            transfer_order(&app, &format!("a{n}@exemple.fr"), "198.51.100.8", 100 + n).await,
            StatusCode::OK,
            "order {n}"
        );
    }
    assert_eq!(
        transfer_order(&app, "a20@exemple.fr", "198.51.100.8", 200).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(orders(&app).await.len(), 30);
    assert_eq!(confirmations(&app, "a20@exemple.fr").await, 0);
}

async fn start_withdrawal(
    app: &TestApp,
    number: &str,
    email: &str,
    client: &str,
) -> reqwest::Response {
    let fields = [("number", number), ("email", email), ("kind", "withdrawal")];
    call_from(app, "/api/withdrawal/start", &fields, "", client).await
}

async fn the_withdrawal_lookup_is_limited_and_answers_every_mismatch_alike(backend: Backend) {
    let app = spawn(backend).await;
    let order = delivered_order(&app, "retour@exemple.fr", 1, yesterday()).await;
    let unknown = start_withdrawal(&app, "CB26-ZZZZZZ", "retour@exemple.fr", "203.0.113.1").await;
    let wrong_address =
        start_withdrawal(&app, &order.number, "autre@exemple.fr", "203.0.113.1").await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert_eq!(wrong_address.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        unknown.text().await.unwrap(),
        wrong_address.text().await.unwrap(),
        "the same answer"
    );
    // Ten guesses per client, then even the right pair waits; another client is served.
    for n in 2..10 {
        let guess = format!("CB26-GUESS{n}");
        let answer = start_withdrawal(&app, &guess, "retour@exemple.fr", "203.0.113.1").await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    }
    let answer = start_withdrawal(&app, &order.number, "retour@exemple.fr", "203.0.113.1").await;
    assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS);
    let answer = start_withdrawal(&app, &order.number, "retour@exemple.fr", "203.0.113.2").await;
    assert_eq!(answer.status(), StatusCode::OK);
}

async fn two_withdrawal_confirmations_at_once_record_the_lines_once(backend: Backend) {
    let app = spawn(backend).await;
    let order = delivered_order(&app, "double@exemple.fr", 1, yesterday()).await;
    let lines: Vec<i32> = {
        use app::db::entities::order_line;
        order_line::Entity::find()
            .filter(order_line::Column::OrderId.eq(order.id))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.id)
            .collect()
    };
    let mut fields = Vec::new();
    for (i, id) in lines.iter().enumerate() {
        fields.push((format!("lines[{i}][line_id]"), id.to_string()));
        fields.push((format!("lines[{i}][quantity]"), "1".to_owned()));
        fields.push((format!("lines[{i}][sealed]"), "yes".to_owned()));
    }
    // Two browsers (or one double click) reach the confirmation with the same lines.
    let mut browsers = Vec::new();
    for client in ["203.0.113.1", "203.0.113.2"] {
        let answer = start_withdrawal(&app, &order.number, "double@exemple.fr", client).await;
        assert_eq!(answer.status(), StatusCode::OK);
        let (session, _) = set_cookie(answer.headers(), SESSION).unwrap();
        let me = format!("{SESSION}={session}");
        let review = post_form(&app, "/api/withdrawal/review", &pairs(&fields), &me).await;
        assert_eq!(location(&review), "/withdrawal?step=confirm");
        browsers.push(me.clone());
        browsers.push(me);
    }
    let confirms = browsers
        .iter()
        .map(|me| call(&app, "/api/withdrawal/confirm", &[], me));
    let answers = within("confirmations", futures::future::join_all(confirms)).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|a| a.status()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    let requests = app::db::entities::withdrawal_request::Entity::find()
        .filter(app::db::entities::withdrawal_request::Column::OrderId.eq(order.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(requests.len(), 1, "one request for the lines");
    assert_eq!(
        email_outbox::Entity::find()
            .filter(email_outbox::Column::Kind.eq("withdrawal_receipt"))
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
}

async fn promo_codes_count_one_inbox_once_and_guesses_are_limited(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let created = create_promo(
        &app,
        &staff,
        &[("code", "UNEFOIS"), ("max_uses_per_customer", "1")],
    )
    .await;
    assert!(created.status().is_success(), "{:?}", created.text().await);
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("FR~{}x1", serum.id);
    let apply = |cookies: String, code: &'static str, client: &'static str| {
        let app = &app;
        async move {
            call_from(
                app,
                "/api/checkout/promo",
                &[("code", code)],
                &cookies,
                client,
            )
            .await
            .status()
        }
    };
    // A first order with the code, by camille.martin@gmail.com.
    let cookies = fill(&app, &cart, "camille.martin@gmail.com", "FR", "card").await;
    assert_eq!(
        apply(cookies.clone(), "UNEFOIS", "203.0.113.1").await,
        StatusCode::OK
    );
    assert_eq!(
        place(&app, &cookies, &key(1)).await.status(),
        StatusCode::OK
    );
    // The same inbox under other spellings: refused.
    for other in [
        "Camille.Martin+promo@gmail.com",
        "camillemartin@googlemail.com",
        "c.a.m.i.l.l.e.martin+2@gmail.com",
    ] {
        let cookies = fill(&app, &cart, other, "FR", "card").await;
        assert_eq!(
            apply(cookies, "UNEFOIS", "203.0.113.1").await,
            StatusCode::BAD_REQUEST,
            "{other}"
        );
    }
    // A signed-in account that used it, typing another address at checkout: refused.
    let member = confirmed_account(&app, "membre@exemple.fr", PASSWORD).await;
    let signed_in = |email: &'static str| {
        let app = &app;
        let cookies = format!("comptoir_cart={cart}; {SESSION}={member}");
        async move {
            let fields = details(email, "FR", "69002");
            let given = post_form(app, "/api/checkout/details", &pairs(&fields), &cookies).await;
            assert_eq!(location(&given), "/checkout?step=delivery");
            let chosen = post_form(
                app,
                "/api/checkout/delivery",
                &[("payment_method", "card")],
                &cookies,
            )
            .await;
            assert_eq!(location(&chosen), "/checkout?step=review");
            cookies
        }
    };
    let mine = signed_in("membre@exemple.fr").await;
    assert_eq!(
        apply(mine.clone(), "UNEFOIS", "203.0.113.2").await,
        StatusCode::OK
    );
    assert_eq!(place(&app, &mine, &key(2)).await.status(), StatusCode::OK);
    let other = signed_in("membre+autre@exemple.org").await;
    assert_eq!(
        apply(other, "UNEFOIS", "203.0.113.2").await,
        StatusCode::BAD_REQUEST,
        "the account used it"
    );
    // Guessing: ten wrong codes per client, then even a good one waits.
    let guesser = fill(&app, &cart, "devine@exemple.fr", "FR", "card").await;
    for _ in 0..10 {
        assert_eq!(
            apply(guesser.clone(), "NIMPORTE", "198.51.100.3").await,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        apply(guesser, "UNEFOIS", "198.51.100.3").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn a_payment_of_another_amount_is_held_for_staff(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    set_stock(&app, serum.id, 10).await;
    let pay_less = |n: usize| {
        let app = &app;
        async move {
            let cookies = fill(
                app,
                &format!("FR~{}x2", serum.id),
                &format!("moins{n}@exemple.fr"),
                "FR",
                "card",
            )
            .await;
            let response = place(app, &cookies, &key(n)).await;
            let id = payment_id(&location(&response));
            // The provider reports 1,00 € paid.
            demo_payment::Entity::update_many()
                .col_expr(
                    demo_payment::Column::AmountCents,
                    sea_orm::sea_query::Expr::value(100),
                )
                .filter(demo_payment::Column::Id.eq(id.as_str()))
                .exec(&app.db)
                .await
                .unwrap();
            answer_demo(app, &id, "pay").await;
            last_order_once(app, "on_hold").await
        }
    };
    let held = pay_less(1).await;
    // Not paid: no invoice, no confirmation; the sweep of unpaid orders leaves it alone.
    assert_eq!(
        invoice::Entity::find()
            .filter(invoice::Column::OrderId.eq(held.id))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    assert!(mails(&app, "order_confirmed").await.is_empty());
    app::orders::service::lifecycle::expire_unpaid(
        &app.db,
        &demo_providers(&app),
        &app::subscriptions::service::StartSubscriptions,
        &app.base,
        chrono::Utc::now() + chrono::Duration::days(30),
    )
    .await
    .unwrap();
    assert_eq!(status_of(&app, held.id).await, "on_hold");
    let (status, html) =
        support::forms::page(&app, &format!("/admin/orders/{}", held.number), &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Accepter le paiement reçu"), "{html}");
    let (_, dashboard) = support::forms::page(&app, "/admin", &staff).await;
    assert!(dashboard.contains("paiements à vérifier"));

    // Staff accept it: paid, with its invoice.
    let accept = call(
        &app,
        "/api/admin/orders/move",
        &[
            ("number", held.number.as_str()),
            ("action", "accept_payment"),
            ("idempotency_key", "accept-key-0000000001"),
        ],
        &staff,
    )
    .await;
    assert!(accept.status().is_success(), "{:?}", accept.text().await);
    assert_eq!(status_of(&app, held.id).await, "paid");
    assert_eq!(mails(&app, "order_confirmed").await.len(), 1);

    // Another: staff cancel it, and what was received (1,00 €) goes back.
    let stock_before = stock(&app, serum.id).await;
    let other = pay_less(2).await;
    assert_eq!(stock(&app, serum.id).await, stock_before - 2);
    let cancel = call(
        &app,
        "/api/admin/orders/move",
        &[
            ("number", other.number.as_str()),
            ("action", "cancel"),
            ("reason", "Montant reçu inexact"),
            ("idempotency_key", "cancel-key-0000000001"),
        ],
        &staff,
    )
    .await;
    assert!(cancel.status().is_success(), "{:?}", cancel.text().await);
    assert_eq!(status_of(&app, other.id).await, "cancelled");
    assert_eq!(stock(&app, serum.id).await, stock_before);
    let refunds = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(other.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(refunds.len(), 1);
    assert_eq!(
        (refunds[0].amount_cents, refunds[0].status.as_str()),
        (100, "refunded")
    );
    let told = mails(&app, "order_cancelled").await;
    assert!(
        told.iter().any(|m| m.body_text.contains("1,00")),
        "{:?}",
        told.iter().map(|m| &m.body_text).collect::<Vec<_>>()
    );
}

async fn status_of(app: &TestApp, id: i32) -> String {
    order::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn local_redirects_refuse_hidden_hosts_and_forged_form_errors_are_dropped(backend: Backend) {
    let app = spawn(backend).await;
    // A tab, a line break or a space before a second slash: browsers drop them, and `/\t/x` is
    // `//x` to them.
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/ /evil.example",
        "//evil.example",
    ] {
        let answer = post_form(&app, "/lang", &[("lang", "en"), ("next", next)], "").await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&answer), "/", "{next:?}");
    }
    let answer = post_form(
        &app,
        "/lang",
        &[("lang", "en"), ("next", "/products?q=a")],
        "",
    )
    .await;
    assert_eq!(location(&answer), "/products?q=a");

    // A link carrying an error of someone else's making: sent to the page without it.
    let forged = "/account/sign-in?next=%2Fcart&__path=%2Fapi%2Faccount%2Fsign-in&__err=QXBwZWxleiBsZSAwODAw";
    let answer = app.get(forged).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()[LOCATION], "/account/sign-in?next=%2Fcart");
    // A real refusal of a plain form carries a signed error, shown on the page.
    let refused = within(
        "sign-in",
        app.client
            .post(app.url("/api/account/sign-in"))
            .header(reqwest::header::ACCEPT, "text/html")
            .header("referer", app.url("/account/sign-in"))
            .header("sec-fetch-site", "same-origin")
            .form(&[("email", "personne@exemple.fr"), ("password", "mauvais")])
            .send(),
    )
    .await
    .unwrap();
    let back = location(&refused);
    assert!(back.contains("__err=") && back.contains("__sig="), "{back}");
    let shown = app.get(back.trim_start_matches(&app.base)).await;
    assert_eq!(shown.status(), StatusCode::OK, "{back}");
    let html = shown.text().await.unwrap();
    assert!(html.contains("incorrect"), "the error is shown");
    // The same error with its signature changed: dropped.
    let tampered = back
        .trim_start_matches(&app.base)
        .replace("__sig=", "__sig=AAAA");
    assert_eq!(app.get(&tampered).await.status(), StatusCode::SEE_OTHER);
}

async fn secure_cookies_and_hsts_follow_an_https_public_url(backend: Backend) {
    let app = spawn_with(backend, |s| {
        s.app.public_url = "https://boutique.exemple".into();
    })
    .await;
    let home = app.get("/").await;
    assert!(
        home.headers()
            .get("strict-transport-security")
            .is_some_and(|v| v.to_str().unwrap().contains("max-age=")),
        "HSTS"
    );
    let answer = post_form(&app, "/lang", &[("lang", "en"), ("next", "/")], "").await;
    let (_, line) = set_cookie(answer.headers(), "lang").unwrap();
    assert!(line.contains("; Secure"), "{line}");
    let signed_in = post_form(
        &app,
        "/api/account/sign-up",
        &[
            ("email", "https@exemple.fr"),
            ("password", PASSWORD),
            ("first_name", "Camille"),
            ("last_name", "Martin"),
        ],
        "",
    )
    .await;
    let token = support::forms::emailed_token(&app, "https@exemple.fr", "account_verify").await;
    drop(signed_in);
    let confirmed = post_form(&app, "/api/account/confirm-email", &[("token", &token)], "").await;
    let (_, line) = set_cookie(confirmed.headers(), SESSION).unwrap();
    assert!(line.contains("Secure"), "{line}");
    // Plain HTTP (the other tests): neither.
    let plain = spawn(backend).await;
    assert!(
        plain
            .get("/")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
}

async fn checkout_details_kept_in_the_session_are_bounded(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let huge = "x".repeat(1_500_000);
    let answer = post_form(
        &app,
        "/api/checkout/details",
        &[
            ("details[email]", huge.as_str()),
            ("details[first_name]", huge.as_str()),
        ],
        &format!("comptoir_cart=FR~{}x1", serum.id),
    )
    .await;
    assert!(answer.status().is_redirection() || answer.status().is_client_error());
    let largest = session::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.data.len())
        .max()
        .unwrap_or(0);
    assert!(largest < 8_000, "a session of {largest} bytes");
}

async fn the_sitemap_is_read_once_and_again_after_an_edit(backend: Backend) {
    let app = spawn(backend).await;
    let first = app.get("/sitemap.xml").await.text().await.unwrap();
    assert!(first.contains("/products/spiruline-bio"));
    app.queries.store(0, Ordering::SeqCst);
    let burst = (0..10).map(|_| app.get("/sitemap.xml"));
    for answer in within("10 sitemaps", futures::future::join_all(burst)).await {
        assert_eq!(answer.status(), StatusCode::OK);
    }
    assert_eq!(app.queries.load(Ordering::SeqCst), 0, "served from memory");
    // Staff archive a product: the next sitemap is made again, without it.
    let staff = staff_session(&app).await;
    let spiruline = product_by_slug(&app, "spiruline-bio").await;
    let archived = call(
        &app,
        "/api/admin/products/status",
        &[("id", &spiruline.id.to_string()), ("status", "archived")],
        &staff,
    )
    .await;
    assert!(archived.status().is_success() || archived.status().is_redirection());
    let after = app.get("/sitemap.xml").await.text().await.unwrap();
    assert!(!after.contains("/products/spiruline-bio"));
}
