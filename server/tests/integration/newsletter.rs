//! The newsletter: double opt-in by email, consent recorded, campaigns to confirmed
//! subscribers only with one-click unsubscribe links and headers, unsubscribing without
//! signing in, and the state in the account.

use crate::support;

use app::db::entities::{email_outbox, newsletter_subscription, user};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, COOKIE};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::mailer::{self, Round};
use support::forms::{call, confirmed_account, emailed_token, location, post_form, staff_session};
use support::{Backend, TestApp, spawn};

both_backends!(
    subscribing_takes_a_confirmed_email,
    campaigns_reach_confirmed_subscribers_with_one_click_unsubscribe,
    the_account_shows_and_changes_the_newsletter,
);

async fn row(app: &TestApp, email: &str) -> Option<newsletter_subscription::Model> {
    newsletter_subscription::Entity::find()
        .filter(newsletter_subscription::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
}

async fn subscribe(app: &TestApp, email: &str) {
    let answer = post_form(app, "/api/newsletter/subscribe", &[("email", email)], "").await;
    assert_eq!(location(&answer), "/newsletter/check-email");
}

async fn confirm(app: &TestApp, email: &str) {
    let token = emailed_token(app, email, "newsletter_confirm").await;
    let answer = post_form(app, "/api/newsletter/confirm", &[("token", &token)], "").await;
    assert_eq!(location(&answer), "/newsletter/confirm?done=1");
}

async fn subscribing_takes_a_confirmed_email(backend: Backend) {
    let app = spawn(backend).await;
    subscribe(&app, " Lectrice@Exemple.fr ").await;
    let pending = row(&app, "lectrice@exemple.fr").await.expect("asked");
    assert_eq!(pending.status, "pending");
    assert!(pending.confirmed_at.is_none());
    let token = emailed_token(&app, "lectrice@exemple.fr", "newsletter_confirm").await;

    // Opening the link shows a button and changes nothing.
    let page = app
        .get_with(
            &format!("/newsletter/confirm?token={token}"),
            &[(ACCEPT, "text/html")],
        )
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Je confirme mon inscription")
    );
    assert_eq!(
        row(&app, "lectrice@exemple.fr").await.unwrap().status,
        "pending"
    );

    let answer = post_form(&app, "/api/newsletter/confirm", &[("token", &token)], "").await;
    assert_eq!(location(&answer), "/newsletter/confirm?done=1");
    let confirmed = row(&app, "lectrice@exemple.fr").await.unwrap();
    assert_eq!(confirmed.status, "confirmed");
    assert!(
        confirmed.confirmed_at.is_some(),
        "the consent's time is kept"
    );
    assert_eq!(confirmed.source, "footer");

    // The link works once; asking again for a confirmed address sends nothing (same answer).
    let again = call(&app, "/api/newsletter/confirm", &[("token", &token)], "").await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let before = email_outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .len();
    subscribe(&app, "lectrice@exemple.fr").await;
    assert_eq!(
        email_outbox::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        before
    );
    let bad = call(
        &app,
        "/api/newsletter/subscribe",
        &[("email", "pas-une-adresse")],
        "",
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

async fn campaigns_reach_confirmed_subscribers_with_one_click_unsubscribe(backend: Backend) {
    let app = spawn(backend).await;
    subscribe(&app, "fidele@exemple.fr").await;
    confirm(&app, "fidele@exemple.fr").await;
    subscribe(&app, "hesitant@exemple.fr").await;

    let customer = format!(
        "comptoir_session={}",
        confirmed_account(&app, "client@exemple.fr", "vert-galet-lune-38").await
    );
    let fields = [
        ("subject", "Les nouveautés d'hiver"),
        ("body", "Bonjour,\nvoici nos nouveautés."),
    ];
    let refused = call(&app, "/api/admin/newsletter/send", &fields, &customer).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let staff = staff_session(&app).await;
    let answer = post_form(&app, "/api/admin/newsletter/send", &fields, &staff).await;
    assert_eq!(location(&answer), "/admin/newsletter?sent=1");
    let sent: Vec<email_outbox::Model> = email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq("newsletter"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(sent.len(), 1, "only the confirmed subscriber");
    assert_eq!(sent[0].to_address, "fidele@exemple.fr");
    let key = row(&app, "fidele@exemple.fr")
        .await
        .unwrap()
        .unsubscribe_key;
    assert!(
        sent[0]
            .body_text
            .contains(&format!("/newsletter/unsubscribe?key={key}"))
    );
    assert!(
        sent[0]
            .list_unsubscribe
            .as_deref()
            .unwrap()
            .ends_with(&format!("/newsletter/one-click?key={key}"))
    );

    // Through SMTP, with the headers mail clients use.
    let relay = support::smtp::start().await;
    let transport = mailer::transport(&relay.url()).unwrap();
    let from = support::smtp::sender();
    let round = mailer::send_due(&app.db, &transport, &from, chrono::Utc::now())
        .await
        .unwrap();
    assert!(round.sent >= 1 && round.failed == 0, "{round:?}");
    assert_ne!(round, Round::default());
    let message = relay
        .messages()
        .into_iter()
        .find(|m| m.contains("To: fidele@exemple.fr") && m.contains("List-Unsubscribe"))
        .expect("the newsletter went out");
    assert!(message.contains("List-Unsubscribe: <http"), "{message}");
    assert!(
        message.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{message}"
    );
    assert!(
        !relay
            .messages()
            .iter()
            .any(|m| m.contains("To: hesitant@exemple.fr") && m.contains("List-Unsubscribe")),
        "transactional emails carry no unsubscribe header"
    );

    // One click from the mail client, no cookie: unsubscribed; twice is harmless.
    for _ in 0..2 {
        let answer = app
            .client
            .post(app.url(&format!("/newsletter/one-click?key={key}")))
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
    }
    let gone = row(&app, "fidele@exemple.fr").await.unwrap();
    assert_eq!(gone.status, "unsubscribed");
    assert!(gone.unsubscribed_at.is_some());
    let unknown = app
        .client
        .post(app.url("/newsletter/one-click?key=nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    // The reader's page: a button, no sign-in.
    subscribe(&app, "fidele@exemple.fr").await;
    confirm(&app, "fidele@exemple.fr").await;
    let page = app
        .get_with(
            &format!("/newsletter/unsubscribe?key={key}"),
            &[(ACCEPT, "text/html")],
        )
        .await;
    assert!(page.text().await.unwrap().contains("Me désabonner"));
    let answer = post_form(&app, "/api/newsletter/unsubscribe", &[("key", &key)], "").await;
    assert_eq!(location(&answer), "/newsletter/unsubscribe?done=1");
    assert_eq!(
        row(&app, "fidele@exemple.fr").await.unwrap().status,
        "unsubscribed"
    );
    let none = staff_send_count(&app, &staff).await;
    assert_eq!(none, "/admin/newsletter?sent=0");
}

async fn staff_send_count(app: &TestApp, staff: &str) -> String {
    let fields = [("subject", "Encore"), ("body", "Texte")];
    location(&post_form(app, "/api/admin/newsletter/send", &fields, staff).await)
}

async fn the_account_shows_and_changes_the_newsletter(backend: Backend) {
    let app = spawn(backend).await;
    // Ticking the box at sign-up asks for the newsletter; only its own link subscribes.
    let fields = [
        ("email", "inscrite@exemple.fr"),
        ("password", "vert-galet-lune-38"),
        ("first_name", "Inès"),
        ("last_name", "Moreau"),
        ("newsletter", "on"),
    ];
    post_form(&app, "/api/account/sign-up", &fields, "").await;
    let account = support::forms::account(&app, "inscrite@exemple.fr").await;
    assert!(!account.newsletter, "not before the confirmation");
    assert_eq!(
        row(&app, "inscrite@exemple.fr").await.unwrap().source,
        "sign_up"
    );
    confirm(&app, "inscrite@exemple.fr").await;
    let token = emailed_token(&app, "inscrite@exemple.fr", "account_verify").await;
    let answer = post_form(&app, "/api/account/confirm-email", &[("token", &token)], "").await;
    let (session, _) = support::forms::set_cookie(answer.headers(), "comptoir_session").unwrap();
    let me = format!("comptoir_session={session}");
    let account = user::Entity::find_by_id(account.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(account.newsletter);
    let html = app
        .get_with(
            "/account/privacy",
            &[(COOKIE, me.as_str()), (ACCEPT, "text/html")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("inscrit à la lettre depuis le"),
        "state shown"
    );

    let answer = post_form(
        &app,
        "/api/account/newsletter/set",
        &[("subscribe", "no")],
        &me,
    )
    .await;
    assert_eq!(location(&answer), "/account/privacy?newsletter=1");
    assert_eq!(
        row(&app, "inscrite@exemple.fr").await.unwrap().status,
        "unsubscribed"
    );
    let account = user::Entity::find_by_id(account.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!account.newsletter);
    // Subscribing again from the account takes a confirmation again.
    post_form(
        &app,
        "/api/account/newsletter/set",
        &[("subscribe", "yes")],
        &me,
    )
    .await;
    assert_eq!(
        row(&app, "inscrite@exemple.fr").await.unwrap().status,
        "pending"
    );
    let confirmations = email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq("newsletter_confirm"))
        .order_by_asc(email_outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(confirmations.len(), 2);
}
