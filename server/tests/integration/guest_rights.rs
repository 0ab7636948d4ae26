//! A buyer without an account gets their data, or has it erased, through a single-use link
//! emailed to the address (`/privacy/request`); the page answers the same for any address.
//! Staff find guest addresses in the customer search and do the same on the person's request.

use crate::support;

use app::clock::Clock as _;
use app::db::entities::{email_outbox, invoice, newsletter_subscription, order, privacy_request};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, COOKIE};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use support::forms::{
    call, confirmed_account, emailed_token, location, page, post_form, set_cookie,
};
use support::shop::{
    SESSION, answer_demo, delivered_order, fill, key, last_order_once, payment_id, place,
    product_by_slug,
};
use support::{Backend, TestApp, spawn};

both_backends!(
    a_guest_downloads_their_data_by_an_emailed_link,
    a_guest_erases_their_data_by_an_emailed_link,
    staff_find_a_guest_address_and_export_or_erase_it,
);

const GUEST: &str = "invitee@exemple.fr";

async fn ask(app: &TestApp, email: &str) {
    let answer = post_form(app, "/api/privacy/request", &[("email", email)], "").await;
    assert_eq!(location(&answer), "/privacy/request?sent=1", "{email}");
}

async fn mails(app: &TestApp, to: &str, kind: &str) -> usize {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::ToAddress.eq(to))
        .filter(email_outbox::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .unwrap()
        .len()
}

/// Opens the last link emailed to `email`: the cookie header of the browser that did.
async fn opened(app: &TestApp, email: &str) -> String {
    let token = emailed_token(app, email, "privacy_request").await;
    // Showing the link's page consumes nothing (a mail scanner may fetch it).
    let (status, html) = page(app, &format!("/privacy/request?token={token}"), "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Continuer"));
    let answer = post_form(app, "/api/privacy/request/open", &[("token", &token)], "").await;
    assert_eq!(location(&answer), "/privacy/request");
    let (session, _) = set_cookie(answer.headers(), SESSION).expect("a session");
    // Once only.
    let again = call(app, "/api/privacy/request/open", &[("token", &token)], "").await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    format!("{SESSION}={session}")
}

async fn download(app: &TestApp, cookies: &str) -> reqwest::Response {
    app.get_with(
        "/api/privacy/request/export",
        &[(COOKIE, cookies), (ACCEPT, "application/json")],
    )
    .await
}

async fn a_guest_downloads_their_data_by_an_emailed_link(backend: Backend) {
    let app = spawn(backend).await;
    let order = delivered_order(&app, GUEST, 1, app.clock.now()).await;
    confirmed_account(&app, "titulaire@exemple.fr", "Sentiers-de-lavande-27").await;

    // A bad address is a clear 400; any good one gets the same answer.
    let bad = call(
        &app,
        "/api/privacy/request",
        &[("email", "pas une adresse")],
        "",
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    for email in ["inconnue@exemple.fr", GUEST, "titulaire@exemple.fr"] {
        ask(&app, email).await;
    }
    // Only the known guest gets a link; an account holder is sent to the account's page.
    assert_eq!(
        mails(&app, "inconnue@exemple.fr", "privacy_request").await,
        0
    );
    assert_eq!(mails(&app, GUEST, "privacy_request").await, 1);
    assert_eq!(
        mails(&app, "titulaire@exemple.fr", "privacy_request_account").await,
        1
    );
    assert_eq!(
        mails(&app, "titulaire@exemple.fr", "privacy_request").await,
        0
    );

    // Without an opened link there is nothing to download.
    assert_eq!(download(&app, "").await.status(), StatusCode::BAD_REQUEST);
    let cookies = opened(&app, GUEST).await;
    let (_, html) = page(&app, "/privacy/request", &cookies).await;
    assert!(html.contains(GUEST), "the page names the address");

    let answer = download(&app, &cookies).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(
        answer.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"comptoir-donnees-")
    );
    let document: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(document["format"], "comptoir-personal-data/1");
    assert_eq!(document["profile"], serde_json::Value::Null);
    let orders = document["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["number"], order.number.as_str());
    assert_eq!(orders[0]["last_name"], "Dubois");
    assert!(orders[0].get("access_key").is_none(), "secrets withheld");
    assert_eq!(document["order_lines"].as_array().unwrap().len(), 2);
    assert_eq!(document["invoices"].as_array().unwrap().len(), 1);
    assert!(!document["emails"].as_array().unwrap().is_empty());
    let requests = document["privacy_requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].get("token_hash").is_none());
    let kept = privacy_request::Entity::find()
        .filter(privacy_request::Column::Email.eq(GUEST))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.done.as_deref(), Some("export"));

    // The opened link lets this browser act for an hour, no more.
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(
        download(&app, &cookies).await.status(),
        StatusCode::BAD_REQUEST
    );

    // A link not opened within 24 hours no longer works.
    ask(&app, GUEST).await;
    let token = emailed_token(&app, GUEST, "privacy_request").await;
    app.clock.advance(chrono::Duration::hours(25));
    let late = call(&app, "/api/privacy/request/open", &[("token", &token)], "").await;
    assert_eq!(late.status(), StatusCode::BAD_REQUEST);
}

async fn a_guest_erases_their_data_by_an_emailed_link(backend: Backend) {
    let app = spawn(backend).await;
    let done = delivered_order(&app, GUEST, 1, app.clock.now()).await;
    // A second order, paid but not yet shipped, holds the erasure back until it arrives.
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let cookies = fill(&app, &format!("FR~{}x1", magnesium.id), GUEST, "FR", "card").await;
    let response = place(&app, &cookies, &key(2)).await;
    answer_demo(&app, &payment_id(&location(&response)), "pay").await;
    let on_its_way = last_order_once(&app, "paid").await;
    ask(&app, GUEST).await;
    let browser = opened(&app, GUEST).await;

    let unticked = call(&app, "/api/privacy/request/erase", &[], &browser).await;
    assert_eq!(unticked.status(), StatusCode::BAD_REQUEST);
    let refused = call(
        &app,
        "/api/privacy/request/erase",
        &[("confirm", "yes")],
        &browser,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let kept = order::Entity::find_by_id(done.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.email, GUEST, "nothing half done");

    // Delivered: the erasure goes through.
    order::Entity::update_many()
        .col_expr(
            order::Column::Status,
            sea_orm::sea_query::Expr::value("delivered"),
        )
        .filter(order::Column::Id.eq(on_its_way.id))
        .exec(&app.db)
        .await
        .unwrap();
    let answer = post_form(
        &app,
        "/api/privacy/request/erase",
        &[("confirm", "yes")],
        &browser,
    )
    .await;
    assert_eq!(location(&answer), "/privacy/request?erased=1");
    for id in [done.id, on_its_way.id] {
        let o = order::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(o.email.ends_with("@erased.invalid"), "{}", o.email);
        assert!(o.last_name.is_empty() && o.delivery_address.is_empty());
    }
    // Invoices stay as issued; no newsletter row, no email but the confirmation.
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::OrderId.eq(done.id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(invoices[0].document.contains("Dubois"));
    assert!(
        newsletter_subscription::Entity::find()
            .filter(newsletter_subscription::Column::Email.eq(GUEST))
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
    let left: Vec<String> = email_outbox::Entity::find()
        .filter(email_outbox::Column::ToAddress.eq(GUEST))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(left, ["account_deleted"]);
    // The request is kept as proof, under the address's hash.
    let proof = privacy_request::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(proof.len(), 1);
    assert_eq!(proof[0].done.as_deref(), Some("erase"));
    assert_eq!(
        proof[0].email,
        app::privacy::service::retention::hashed_address(GUEST)
    );
    // The grant ended with the erasure.
    assert_eq!(
        download(&app, &browser).await.status(),
        StatusCode::BAD_REQUEST
    );
}

async fn staff_find_a_guest_address_and_export_or_erase_it(backend: Backend) {
    use app::db::entities::audit_log;
    let app = spawn(backend).await;
    let order = delivered_order(&app, GUEST, 1, app.clock.now()).await;
    let staff = support::forms::staff_session(&app).await;
    let search = |q: &'static str| {
        let app = &app;
        let staff = staff.clone();
        async move {
            let answer = call(
                app,
                "/api/admin/customers",
                &[("q", q), ("page", "1")],
                &staff,
            )
            .await;
            assert_eq!(answer.status(), StatusCode::OK);
            let list: serde_json::Value = answer.json().await.unwrap();
            list["guests"].as_array().unwrap().clone()
        }
    };
    // Found by a part of the address, or by the buyer's name.
    for q in ["invitee@", "Dubois"] {
        let guests = search(q).await;
        assert_eq!(guests.len(), 1, "{q}");
        assert_eq!(guests[0]["email"], GUEST);
        assert_eq!(guests[0]["orders"], 1);
    }
    assert!(search("personne").await.is_empty());
    let (_, html) = page(&app, "/admin/customers?q=invitee", &staff).await;
    assert!(html.contains("data-testid=\"admin-guests\"") && html.contains(GUEST));

    // The export: staff only, for an address with guest orders, logged under its digest.
    let export = |cookies: String, email: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/admin/guests/export"))
                .header(COOKIE, cookies)
                .form(&[("email", email)])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        export(String::new(), GUEST).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        export(staff.clone(), "inconnue@exemple.fr").await.status(),
        StatusCode::NOT_FOUND
    );
    let answer = export(staff.clone(), GUEST).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let document: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(document["orders"][0]["number"], order.number.as_str());
    let subject = app::privacy::service::guest::audit_subject(GUEST);
    let logged = || async {
        audit_log::Entity::find()
            .filter(audit_log::Column::Subject.eq(subject.as_str()))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.detail))
            .collect::<Vec<_>>()
    };
    assert_eq!(logged().await, [("guest.export".to_owned(), String::new())]);

    // The erasure: a reason and the tick, then the orders are anonymised and the address is
    // no longer found.
    let unticked = call(
        &app,
        "/api/admin/guests/erase",
        &[("email", GUEST), ("reason", "Courrier du 3 décembre")],
        &staff,
    )
    .await;
    assert_eq!(unticked.status(), StatusCode::BAD_REQUEST);
    let answer = post_form(
        &app,
        "/api/admin/guests/erase",
        &[
            ("email", GUEST),
            ("reason", "Courrier du 3 décembre"),
            ("confirm", "on"),
        ],
        &staff,
    )
    .await;
    assert_eq!(location(&answer), "/admin/customers?erased=1");
    let erased = order::Entity::find_by_id(order.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(erased.email.ends_with("@erased.invalid"));
    assert_eq!(
        logged().await.last().unwrap(),
        &(
            "guest.erase".to_owned(),
            "Courrier du 3 décembre".to_owned()
        )
    );
    assert!(search("invitee@").await.is_empty());
    assert_eq!(mails(&app, GUEST, "account_deleted").await, 1);
    let again = call(
        &app,
        "/api/admin/guests/erase",
        &[
            ("email", GUEST),
            ("reason", "Deuxième fois"),
            ("confirm", "on"),
        ],
        &staff,
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}
