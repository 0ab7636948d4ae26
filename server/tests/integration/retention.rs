//! The retention periods of `privacy::rules::RETENTION`, applied by the hourly round with a
//! clock moved forward: each job removes what has expired and keeps what has not.

use crate::support;

use app::db::entities::{
    auth_throttle, consent_record, email_outbox, invoice, legal_document,
    newsletter_subscription as newsletter, order, order_event, order_line, payment,
};
use app::privacy::service::retention::{RetentionRound, hashed_address, run_retention};
use chrono::{DateTime, Duration, Months, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use support::forms::location;
use support::shop::{
    answer_demo, delivered_order, fill, key, last_order_once, payment_id, place, product_by_slug,
};
use support::{Backend, TestApp, spawn, spawn_with};

use app::clock::Clock as _;

both_backends!(
    guest_orders_are_anonymised_after_the_retention_period,
    email_texts_then_records_expire,
    counters_newsletter_requests_and_consent_proofs_expire,
    orders_and_invoices_go_after_ten_years,
    the_privacy_page_shows_the_retention_table,
);

fn later(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_add_months(Months::new(months)).unwrap()
}

async fn round(app: &TestApp, at: DateTime<Utc>) -> RetentionRound {
    run_retention(&app.db, at, 36).await.unwrap()
}

/// A round with guest orders kept 24 months (below the emails' 3 years, so what goes with the
/// guest's orders is told apart from what goes with age).
async fn guest_round(app: &TestApp, at: DateTime<Utc>) -> RetentionRound {
    run_retention(&app.db, at, 24).await.unwrap()
}

async fn orders_of(app: &TestApp, email: &str) -> Vec<order::Model> {
    order::Entity::find()
        .filter(order::Column::Email.eq(email))
        .all(&app.db)
        .await
        .unwrap()
}

async fn mails_to(app: &TestApp, email: &str) -> Vec<email_outbox::Model> {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::ToAddress.eq(email))
        .all(&app.db)
        .await
        .unwrap()
}

/// Marks every email written so far as sent at `at`.
async fn all_sent(app: &TestApp, at: DateTime<Utc>) {
    email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::SentAt, Expr::value(Some(at)))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn guest_orders_are_anonymised_after_the_retention_period(backend: Backend) {
    let app = spawn(backend).await;
    let now = Utc::now();
    // A delivered guest order, and another guest's order paid but not yet shipped.
    let gone = delivered_order(&app, "oubliee@exemple.fr", 1, now).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let cart = format!("FR~{}x1", magnesium.id);
    let cookies = fill(&app, &cart, "en-route@exemple.fr", "FR", "card").await;
    let response = place(&app, &cookies, &key(2)).await;
    answer_demo(&app, &payment_id(&location(&response)), "pay").await;
    let on_its_way = last_order_once(&app, "paid").await;
    all_sent(&app, now).await;
    assert!(!mails_to(&app, "oubliee@exemple.fr").await.is_empty());

    // Within the period nothing changes.
    let before = guest_round(&app, later(now, 23)).await;
    assert_eq!(before.guest_addresses_anonymised, 0);
    assert_eq!(orders_of(&app, "oubliee@exemple.fr").await.len(), 1);

    let after = guest_round(&app, later(now, 25)).await;
    assert_eq!(after.guest_addresses_anonymised, 1, "{after:?}");
    let anonymised = order::Entity::find_by_id(gone.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        anonymised.email,
        format!("guest-{}@erased.invalid", gone.id)
    );
    assert!(anonymised.first_name.is_empty() && anonymised.last_name.is_empty());
    assert!(anonymised.delivery_address.is_empty() && anonymised.billing_address.is_empty());
    assert_eq!(anonymised.phone, None);
    // What the accounts need stays, and the invoice as issued.
    assert_eq!(anonymised.total_cents, gone.total_cents);
    assert_eq!(anonymised.number, gone.number);
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::OrderId.eq(gone.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(invoices.len(), 1);
    assert!(invoices[0].document.contains("Dubois"));
    assert!(mails_to(&app, "oubliee@exemple.fr").await.is_empty());
    assert!(!mails_to(&app, "en-route@exemple.fr").await.is_empty());

    // The order on its way keeps its buyer, whatever the date.
    let kept = order::Entity::find_by_id(on_its_way.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.email, "en-route@exemple.fr");
    assert_eq!(kept.last_name, "Dubois");
    // Done once: a second round (another instance's) finds nothing more.
    assert_eq!(
        guest_round(&app, later(now, 25))
            .await
            .guest_addresses_anonymised,
        0
    );
}

async fn email_texts_then_records_expire(backend: Backend) {
    let app = spawn(backend).await;
    let now = Utc::now();
    let mail = |to: &str, sent: Option<DateTime<Utc>>| email_outbox::ActiveModel {
        to_address: Set(to.to_owned()),
        kind: Set("order_confirmation".into()),
        subject: Set("Votre commande".into()),
        body_text: Set("Bonjour Léa, 27 allée des Glycines".into()),
        created_at: Set(now),
        sent_at: Set(sent),
        attempts: Set(0),
        // Never picked up by the test server's mailer.
        next_attempt_at: Set(Some(now + Duration::days(36500))),
        list_unsubscribe: Set(Some(
            "https://shop.example/newsletter/one-click?key=k".into(),
        )),
        ..Default::default()
    };
    let sent = mail("lue@exemple.fr", Some(now))
        .insert(&app.db)
        .await
        .unwrap();
    let waiting = mail("attente@exemple.fr", None)
        .insert(&app.db)
        .await
        .unwrap();
    let reload = |id: i32| {
        let db = app.db.clone();
        async move { email_outbox::Entity::find_by_id(id).one(&db).await.unwrap() }
    };

    assert_eq!(
        round(&app, now + Duration::days(29))
            .await
            .email_texts_emptied,
        0
    );
    assert!(!reload(sent.id).await.unwrap().body_text.is_empty());
    assert_eq!(
        round(&app, now + Duration::days(31))
            .await
            .email_texts_emptied,
        1
    );
    let emptied = reload(sent.id).await.unwrap();
    assert_eq!(emptied.body_text, "");
    assert_eq!(emptied.list_unsubscribe, None);
    assert_eq!(emptied.subject, "Votre commande");
    assert_eq!(emptied.to_address, "lue@exemple.fr");
    assert_eq!(
        emptied.sent_at.map(|t| t.timestamp()),
        Some(now.timestamp())
    );
    // Not sent yet: its text is still to be sent.
    assert!(!reload(waiting.id).await.unwrap().body_text.is_empty());

    assert!(reload(sent.id).await.is_some());
    let years = round(&app, later(now, 37)).await;
    assert_eq!(years.emails_deleted, 2, "{years:?}");
    assert!(reload(sent.id).await.is_none());
    assert!(reload(waiting.id).await.is_none());
}

async fn counters_newsletter_requests_and_consent_proofs_expire(backend: Backend) {
    let app = spawn(backend).await;
    let now = Utc::now();
    for (key, at) in [
        ("signin:ip:192.0.2.1", now),
        ("signin:ip:192.0.2.2", now + Duration::hours(2)),
    ] {
        auth_throttle::ActiveModel {
            key: Set(key.into()),
            attempts: Set(3),
            window_started_at: Set(at),
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let subscriber = |email: &str, status: &str, key: &str| newsletter::ActiveModel {
        email: Set(email.to_owned()),
        status: Set(status.to_owned()),
        locale: Set("fr".into()),
        source: Set("footer".into()),
        confirm_token_hash: Set(None),
        unsubscribe_key: Set(key.to_owned()),
        requested_at: Set(now),
        confirmed_at: Set((status != "pending").then_some(now)),
        unsubscribed_at: Set((status == "unsubscribed").then_some(now)),
        ..Default::default()
    };
    for (email, status, key) in [
        ("hesite@exemple.fr", "pending", "k1"),
        ("fidele@exemple.fr", "confirmed", "k2"),
        ("Partie@Exemple.fr", "unsubscribed", "k3"),
    ] {
        subscriber(email, status, key)
            .insert(&app.db)
            .await
            .unwrap();
    }
    consent_record::ActiveModel {
        visitor: Set("v-1".into()),
        banner_version: Set(1),
        audience: Set(true),
        preferences: Set(false),
        advertising: Set(false),
        given_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let subscribers = || async {
        let mut rows: Vec<(String, String)> = newsletter::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.email, r.unsubscribe_key))
            .collect();
        rows.sort();
        rows
    };
    let hashed = hashed_address("partie@exemple.fr");

    let first = round(&app, now + Duration::hours(25)).await;
    assert_eq!(first.throttle_rows_deleted, 1, "{first:?}");
    let counters: Vec<String> = auth_throttle::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.key)
        .collect();
    assert_eq!(counters, ["signin:ip:192.0.2.2"]);
    // The unsubscribed address is a hash at once; the unsubscribe link still finds its row.
    assert_eq!(first.newsletter_addresses_hashed, 1);
    assert_eq!(first.newsletter_requests_deleted, 0);
    assert_eq!(
        subscribers().await,
        [
            ("fidele@exemple.fr".to_owned(), "k2".to_owned()),
            ("hesite@exemple.fr".to_owned(), "k1".to_owned()),
            (hashed.clone(), "k3".to_owned()),
        ]
    );

    let week = round(&app, now + Duration::days(8)).await;
    assert_eq!(week.newsletter_requests_deleted, 1, "{week:?}");
    assert_eq!(week.throttle_rows_deleted, 1);
    assert_eq!(subscribers().await.len(), 2);

    let four_years = round(&app, later(now, 59)).await;
    assert_eq!(four_years.newsletter_hashes_deleted, 0);
    assert_eq!(four_years.consent_proofs_deleted, 0);
    let five_years = round(&app, later(now, 61)).await;
    assert_eq!(five_years.newsletter_hashes_deleted, 1, "{five_years:?}");
    assert_eq!(five_years.consent_proofs_deleted, 1);
    assert_eq!(
        subscribers().await,
        [("fidele@exemple.fr".to_owned(), "k2".to_owned())]
    );
    assert!(
        consent_record::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn orders_and_invoices_go_after_ten_years(backend: Backend) {
    let app = spawn(backend).await;
    // Two orders placed (the shop's clock moved back) a little over and a little under ten
    // years ago: the database's own clock judges the invoices' age too.
    // The legal texts in force since before then.
    legal_document::Entity::update_many()
        .col_expr(
            legal_document::Column::EffectiveOn,
            Expr::value((app.clock.now() - Duration::days(4000)).date_naive()),
        )
        .exec(&app.db)
        .await
        .unwrap();
    app.clock.advance(-Duration::days(3700));
    let old = delivered_order(&app, "ancienne@exemple.fr", 1, app.clock.now()).await;
    app.clock.advance(Duration::days(120));
    let recent = delivered_order(&app, "recente@exemple.fr", 2, app.clock.now()).await;
    app.clock.advance(Duration::days(3580));
    let now = app.clock.now();
    let rows = |id: i32| {
        let db = app.db.clone();
        async move {
            (
                order::Entity::find_by_id(id).all(&db).await.unwrap().len(),
                order_line::Entity::find()
                    .filter(order_line::Column::OrderId.eq(id))
                    .all(&db)
                    .await
                    .unwrap()
                    .len(),
                order_event::Entity::find()
                    .filter(order_event::Column::OrderId.eq(id))
                    .all(&db)
                    .await
                    .unwrap()
                    .len(),
                payment::Entity::find()
                    .filter(payment::Column::OrderId.eq(id))
                    .all(&db)
                    .await
                    .unwrap()
                    .len(),
                invoice::Entity::find()
                    .filter(invoice::Column::OrderId.eq(id))
                    .all(&db)
                    .await
                    .unwrap()
                    .len(),
            )
        }
    };
    let (orders, lines, events, payments, invoices) = rows(old.id).await;
    assert!(orders == 1 && lines == 2 && events > 0 && payments == 1 && invoices == 1);

    // The shop's clock a year back: neither is ten years old yet.
    assert_eq!(
        round(&app, now - Duration::days(365)).await.orders_deleted,
        0
    );
    let decade = round(&app, now).await;
    assert_eq!(decade.orders_deleted, 1, "{decade:?}");
    assert_eq!(rows(old.id).await, (0, 0, 0, 0, 0));
    let (orders, lines, _, _, invoices) = rows(recent.id).await;
    assert_eq!((orders, lines, invoices), (1, 2, 1));
    // The database refuses to delete an invoice under ten years old, whoever asks.
    let refused = invoice::Entity::delete_many()
        .filter(invoice::Column::OrderId.eq(recent.id))
        .exec(&app.db)
        .await;
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("invoices are immutable")
    );
    assert_eq!(rows(recent.id).await.4, 1);
}

async fn the_privacy_page_shows_the_retention_table(backend: Backend) {
    let app = spawn_with(backend, |s| s.app.guest_retention_months = 24).await;
    let html = app.get("/legal/privacy").await.text().await.unwrap();
    assert!(!html.contains("{{retention}}"));
    assert!(
        html.contains("24 mois après la dernière commande de l&#x27;adresse")
            || html.contains("24 mois après la dernière commande de l'adresse"),
        "{html}"
    );
    assert!(html.contains("Stripe Payments Europe") && html.contains("Mollie B.V."));
    let english = app
        .get_with(
            "/legal/privacy",
            &[(reqwest::header::ACCEPT_LANGUAGE, "en")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(english.contains("24 months after the address"), "{english}");
}
