//! Every email the shop sends goes out as text and HTML saying the same: checked here for every
//! kind, in both languages, on the samples staff preview at `/admin/emails`, which are written
//! by the code that sends each email and leave nothing behind.

use crate::support;

use app::admin::emails::samples::samples;
use app::clock::Clock as _;
use app::db::entities::{email_outbox, order, user};
use app::i18n::Locale;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use support::forms::{confirmed_account, page, staff_session};
use support::{Backend, spawn};

both_backends!(
    every_kind_says_the_same_in_text_and_html,
    staff_preview_each_email_in_a_sandboxed_frame,
);

/// Every kind of email the shop sends to a customer.
const KINDS: [&str; 31] = [
    "account_verify",
    "account_exists",
    "password_reset",
    "password_changed",
    "email_change",
    "email_changed",
    "newsletter_confirm",
    "newsletter",
    "stock_alert_confirm",
    "stock_alert",
    "cart_reminder",
    "privacy_request",
    "privacy_request_account",
    "account_deleted",
    "inactivity_warning",
    "review_refused",
    "withdrawal_receipt",
    "order_awaiting_payment",
    "order_confirmed",
    "order_payment_failed",
    "order_shipped",
    "order_delivered",
    "order_item_unavailable",
    "order_refunded",
    "order_cancelled",
    "subscription_reminder",
    "subscription_skipped",
    "subscription_payment_failed",
    "subscription_suspended",
    "subscription_cancelled",
    "referral_credit",
];

async fn every_kind_says_the_same_in_text_and_html(backend: Backend) {
    let app = spawn(backend).await;
    let (orders, users) = (
        order::Entity::find().count(&app.db).await.unwrap(),
        user::Entity::find().count(&app.db).await.unwrap(),
    );
    for locale in [Locale::Fr, Locale::En] {
        let made = samples(&app.db, "https://boutique.exemple", locale, app.clock.now())
            .await
            .unwrap();
        let kinds: Vec<&str> = made.iter().map(|s| s.kind.as_str()).collect();
        for kind in KINDS {
            assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
        }
        for sample in &made {
            let html = app::email::html::render(
                app::email::html::Frame {
                    site: "https://boutique.exemple",
                    shop: "Comptoir Botanique",
                    locale: sample.locale,
                },
                &sample.subject,
                &sample.body,
            );
            support::smtp::assert_same_facts(&sample.body, &html);
            if sample.kind != "inactivity_warning" {
                assert_eq!(sample.locale, locale, "{}", sample.kind);
            }
        }
        // The order emails show the order as a table, and its total.
        let confirmed = made.iter().find(|s| s.kind == "order_confirmed").unwrap();
        let html = app::email::html::render(
            app::email::html::Frame {
                site: "https://boutique.exemple",
                shop: "Comptoir Botanique",
                locale,
            },
            &confirmed.subject,
            &confirmed.body,
        );
        assert!(html.contains("font-weight:700;"), "the total stands out");
        assert!(html.contains(">Total</td>"), "{html}");
    }
    // Nothing of the samples stays.
    assert_eq!(
        email_outbox::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    assert_eq!(order::Entity::find().count(&app.db).await.unwrap(), orders);
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), users);
}

async fn staff_preview_each_email_in_a_sandboxed_frame(backend: Backend) {
    let app = spawn(backend).await;
    let preview = "/admin/emails/preview?kind=order_confirmed&lang=en";
    // Staff only: a visitor and a customer are refused, the page and the frame alike.
    assert_eq!(app.get(preview).await.status(), StatusCode::UNAUTHORIZED);
    let customer = format!(
        "comptoir_session={}",
        confirmed_account(&app, "cliente@exemple.fr", "Quatre-chemins-sous-la-pluie").await
    );
    let outbox = email_outbox::Entity::find().count(&app.db).await.unwrap();
    let response = app
        .get_with(preview, &[(reqwest::header::COOKIE, customer.as_str())])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (status, _) = page(&app, "/admin/emails", &customer).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let staff = staff_session(&app).await;
    let (status, html) = page(&app, "/admin/emails?kind=order_shipped&lang=en", &staff).await;
    assert_eq!(status, StatusCode::OK);
    let document = scraper::Html::parse_document(&html);
    let select = |css: &str| {
        document
            .select(&scraper::Selector::parse(css).unwrap())
            .map(|e| e.value().attr("value").unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let offered = select("select[name=kind] option");
    for kind in KINDS {
        assert!(offered.iter().any(|o| o == kind), "{kind} not offered");
    }
    assert_eq!(
        select("select[name=kind] option[selected]"),
        ["order_shipped"]
    );
    let frame = document
        .select(&scraper::Selector::parse("iframe[data-testid=email-frame]").unwrap())
        .next()
        .expect("the preview frame");
    assert_eq!(frame.value().attr("sandbox"), Some(""));
    assert_eq!(
        frame.value().attr("src"),
        Some("/admin/emails/preview?kind=order_shipped&lang=en")
    );
    assert!(
        html.contains("CB26-EXEMPL"),
        "the subject names the sample order"
    );

    let response = app
        .get_with(preview, &[(reqwest::header::COOKIE, staff.as_str())])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    for rule in ["default-src 'none'", "frame-ancestors 'self'", "sandbox"] {
        assert!(policy.contains(rule), "{policy}");
    }
    assert!(!policy.contains("script-src"), "{policy}");
    assert_eq!(response.headers()["x-frame-options"], "SAMEORIGIN");
    let body = response.text().await.unwrap();
    assert!(
        body.starts_with("<!DOCTYPE html><html lang=\"en\">"),
        "{body}"
    );
    assert!(body.contains("CB26-EXEMPL"));
    // A page of the shop still refuses to be framed.
    let shop = app.get("/").await;
    assert_eq!(shop.headers()["x-frame-options"], "DENY");
    assert!(
        shop.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    // A kind the shop does not send.
    let unknown = app
        .get_with(
            "/admin/emails/preview?kind=nope",
            &[(reqwest::header::COOKIE, staff.as_str())],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    // Previewing wrote nothing.
    assert_eq!(
        email_outbox::Entity::find().count(&app.db).await.unwrap(),
        outbox
    );
}
