//! A customer's objection to marketing and audience measurement: no newsletter (unsubscribed,
//! a new request silently refused, skipped by campaigns), no page view counted, shown in the
//! export; withdrawn, everything works again. Staff record one on request, audited.

use crate::support;

use app::db::entities::{audience_daily, audit_log, email_outbox, newsletter_subscription, user};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use support::forms::{
    call, confirmed_account, emailed_token, location, post_form, set_cookie, staff_session,
};
use support::shop::pairs;
use support::{Backend, TestApp, spawn};

both_backends!(
    an_objection_stops_newsletter_and_audience_until_withdrawn,
    staff_record_an_objection_on_request,
);

const EMAIL: &str = "opposee@exemple.fr";
const PASSWORD: &str = "Bruyeres-du-causse-41";

async fn subscription(app: &TestApp, email: &str) -> Option<newsletter_subscription::Model> {
    newsletter_subscription::Entity::find()
        .filter(newsletter_subscription::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
}

async fn subscribed(app: &TestApp, email: &str) {
    let answer = post_form(app, "/api/newsletter/subscribe", &[("email", email)], "").await;
    assert_eq!(location(&answer), "/newsletter/check-email");
    let token = emailed_token(app, email, "newsletter_confirm").await;
    let answer = post_form(app, "/api/newsletter/confirm", &[("token", &token)], "").await;
    assert_eq!(location(&answer), "/newsletter/confirm?done=1");
}

async fn views(app: &TestApp) -> i64 {
    audience_daily::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|r| i64::from(r.views))
        .sum()
}

async fn visit(app: &TestApp, cookies: &str) -> String {
    call(app, "/api/privacy/visit", &[("path", "/products")], cookies)
        .await
        .text()
        .await
        .unwrap()
}

async fn account(app: &TestApp) -> user::Model {
    support::forms::account(app, EMAIL).await
}

async fn an_objection_stops_newsletter_and_audience_until_withdrawn(backend: Backend) {
    let app = spawn(backend).await;
    let session = format!(
        "comptoir_session={}",
        confirmed_account(&app, EMAIL, PASSWORD).await
    );
    subscribed(&app, EMAIL).await;
    let accepted = call(&app, "/api/privacy/consent", &[("choice", "accept")], "").await;
    let (consent, _) = set_cookie(accepted.headers(), "comptoir_consent").unwrap();
    let cookies = format!("{session}; comptoir_consent={consent}");
    assert_eq!(visit(&app, &cookies).await, "true");
    assert_eq!(views(&app).await, 1);

    // Bad input is a clear 400 and changes nothing.
    let bad = call(
        &app,
        "/api/account/objection",
        &[("object", "peut-être")],
        &cookies,
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(account(&app).await.objected_at.is_none());
    // Signed out: no objection to record.
    let anonymous = call(&app, "/api/account/objection", &[("object", "yes")], "").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // Objecting, as the page's form posts it.
    let answer = post_form(
        &app,
        "/api/account/objection",
        &[("object", "yes")],
        &cookies,
    )
    .await;
    assert_eq!(location(&answer), "/account/privacy");
    let since = account(&app).await.objected_at.expect("recorded");
    assert_eq!(
        subscription(&app, EMAIL).await.unwrap().status,
        "unsubscribed"
    );
    // This browser's choice no longer accepts the measurement (a new proof)…
    let (turned_off, _) =
        set_cookie(answer.headers(), "comptoir_consent").expect("the choice rewritten");
    assert_eq!(
        turned_off
            .split('.')
            .nth(2)
            .and_then(|flags| flags.chars().next()),
        Some('0'),
        "audience off: {turned_off}"
    );
    // …and another browser that accepted it is not counted either while signed in.
    assert_eq!(visit(&app, &cookies).await, "false");
    assert_eq!(views(&app).await, 1);
    let (_, page) = support::forms::page(&app, "/account/privacy", &session).await;
    assert!(page.contains("data-objection=\"on\""), "{page}");

    // Objecting twice keeps the first date.
    post_form(
        &app,
        "/api/account/objection",
        &[("object", "yes")],
        &cookies,
    )
    .await;
    assert_eq!(account(&app).await.objected_at, Some(since));

    // A new newsletter request answers as usual but stores and sends nothing.
    let before = email_outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .len();
    let answer = post_form(&app, "/api/newsletter/subscribe", &[("email", EMAIL)], "").await;
    assert_eq!(location(&answer), "/newsletter/check-email");
    assert_eq!(
        email_outbox::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        before
    );
    assert_eq!(
        subscription(&app, EMAIL).await.unwrap().status,
        "unsubscribed"
    );

    // The export says so.
    let export: serde_json::Value = app
        .get_with(
            "/api/account/export",
            &[
                (reqwest::header::COOKIE, session.as_str()),
                (reqwest::header::ACCEPT, "application/json"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let profile = &export["profile"];
    assert!(
        profile["objected_at"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "{profile}"
    );

    // Withdrawn: counted again, and a request is taken.
    let answer = post_form(
        &app,
        "/api/account/objection",
        &[("object", "no")],
        &cookies,
    )
    .await;
    assert_eq!(location(&answer), "/account/privacy");
    assert!(account(&app).await.objected_at.is_none());
    assert_eq!(visit(&app, &cookies).await, "true");
    subscribed(&app, EMAIL).await;
    assert_eq!(subscription(&app, EMAIL).await.unwrap().status, "confirmed");
}

async fn staff_record_an_objection_on_request(backend: Backend) {
    let app = spawn(backend).await;
    confirmed_account(&app, EMAIL, PASSWORD).await;
    subscribed(&app, EMAIL).await;
    let id = account(&app).await.id;
    let staff = staff_session(&app).await;
    let fields = |object: &'static str, reason: &'static str| {
        vec![
            ("id".to_owned(), id.to_string()),
            ("object".to_owned(), object.to_owned()),
            ("reason".to_owned(), reason.to_owned()),
        ]
    };
    let short = fields("yes", "tel");
    let refused = call(
        &app,
        "/api/admin/customers/objection",
        &pairs(&short),
        &staff,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let customer = format!(
        "comptoir_session={}",
        confirmed_account(&app, "autre@exemple.fr", PASSWORD).await
    );
    let asked = fields("yes", "Courrier reçu le 3 décembre");
    let forbidden = call(
        &app,
        "/api/admin/customers/objection",
        &pairs(&asked),
        &customer,
    )
    .await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    assert!(account(&app).await.objected_at.is_none());

    let answer = post_form(
        &app,
        "/api/admin/customers/objection",
        &pairs(&asked),
        &staff,
    )
    .await;
    assert_eq!(location(&answer), format!("/admin/customers/{id}"));
    assert!(account(&app).await.objected_at.is_some());
    assert_eq!(
        subscription(&app, EMAIL).await.unwrap().status,
        "unsubscribed"
    );
    let logged = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("customer.objection"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].subject, format!("customer:{id}"));
    let (_, page) = support::forms::page(&app, &format!("/admin/customers/{id}"), &staff).await;
    assert!(page.contains("data-objection=\"on\""));
}
