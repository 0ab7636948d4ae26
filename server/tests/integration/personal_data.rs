//! A customer's personal data: every table of the schema is classified, the export covers every
//! table and column that holds it, and deleting the account leaves none of it behind except
//! in the invoice archive.

use crate::support;

use app::db::entities::{demo_payment, email_outbox, order, subscription, user};
use app::privacy::rules::has_retention;
use app::privacy::service::data::{Holds, TABLES, is_engine_table};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, COOKIE};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbBackend, EntityTrait, FromQueryResult,
    JsonValue, QueryFilter, Statement,
};
use support::forms::{call, confirmed_account, location, post_form};
use support::shop::{answer_demo, eventually, key, orders, pairs, payment_id, place};
use support::{Backend, TestApp, spawn};

both_backends!(
    every_table_is_classified,
    the_export_holds_every_personal_table_and_column,
    deletion_leaves_no_personal_data_behind,
    three_years_without_sign_in_warn_then_erase,
);

const EMAIL: &str = "zephyrine.quintalbert@exemple.fr";
const PASSWORD: &str = "Glycines-bleues-sous-la-pluie";
/// What identifies the customer, as typed in the forms.
const NEEDLES: &[&str] = &[
    EMAIL,
    "Zéphyrine",
    "Quintalbert",
    "+33 6 98 76 54 32",
    "27 allée des Glycines",
    "Hautecombe-sur-Lys",
];

async fn tables(app: &TestApp) -> Vec<String> {
    let sql = match app.db.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1",
    };
    let rows =
        JsonValue::find_by_statement(Statement::from_string(app.db.get_database_backend(), sql))
            .all(&app.db)
            .await
            .unwrap();
    rows.into_iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .filter(|name| !is_engine_table(name))
        .collect()
}

async fn every_table_is_classified(backend: Backend) {
    let app = spawn(backend).await;
    let actual = tables(&app).await;
    for table in &actual {
        assert!(
            TABLES.iter().any(|(name, _)| name == table),
            "table {table} is not classified in privacy::service::data::TABLES: say whether it \
             holds personal data, how it is exported and erased"
        );
    }
    for (name, holds) in TABLES {
        assert!(actual.contains(&name.to_string()), "{name} is not a table");
        if matches!(holds, Holds::Personal { .. }) {
            assert!(
                has_retention(name),
                "{name} holds personal data but no entry of privacy::rules::RETENTION says how \
                 long it is kept and what happens to it then"
            );
        }
    }
}

/// A signed-in customer with a phone, an address, a paid order holding a subscription line and
/// a one-off line, a subscription, a newsletter request, a failed sign-in; returns their
/// cookie header.
async fn busy_customer(app: &TestApp) -> String {
    let session = confirmed_account(app, EMAIL, PASSWORD).await;
    let me = format!("comptoir_session={session}");
    let answer = post_form(
        app,
        "/api/account/update-profile",
        &[
            ("title", "mme"),
            ("first_name", "Zéphyrine"),
            ("last_name", "Quintalbert"),
            ("phone", "+33 6 98 76 54 32"),
        ],
        &me,
    )
    .await;
    assert_eq!(location(&answer), "/account/profile?saved=1");
    let address = [
        ("address[label]", "Maison"),
        ("address[first_name]", "Zéphyrine"),
        ("address[last_name]", "Quintalbert"),
        ("address[line1]", "27 allée des Glycines"),
        ("address[postal_code]", "38000"),
        ("address[city]", "Hautecombe-sur-Lys"),
        ("address[country]", "FR"),
    ];
    let answer = call(app, "/api/account/save-address", &address, &me).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let answer = call(
        app,
        "/api/account/newsletter/set",
        &[("subscribe", "yes")],
        &me,
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK);
    // A mistyped password leaves a sign-in counter under the address.
    let answer = call(
        app,
        "/api/account/sign-in",
        &[("email", EMAIL), ("password", "pas-le-bon-mot-de-passe")],
        "",
    )
    .await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);

    let magnesium = support::shop::product_by_slug(app, "magnesium-marin-b6").await;
    let serum = support::shop::product_by_slug(app, "serum-eclat-vitamine-c").await;
    let cookies = format!("{me}; comptoir_cart=FR~{}x1m1~{}x1", magnesium.id, serum.id);
    let details: Vec<(String, String)> = [
        ("email", EMAIL),
        ("title", "mme"),
        ("first_name", "Zéphyrine"),
        ("last_name", "Quintalbert"),
        ("phone", "+33 6 98 76 54 32"),
        ("delivery][first_name", "Zéphyrine"),
        ("delivery][last_name", "Quintalbert"),
        ("delivery][line1", "27 allée des Glycines"),
        ("delivery][postal_code", "38000"),
        ("delivery][city", "Hautecombe-sur-Lys"),
        ("delivery][country", "FR"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("details[{k}]"), v.to_owned()))
    .collect();
    let answer = post_form(app, "/api/checkout/details", &pairs(&details), &cookies).await;
    assert_eq!(location(&answer), "/checkout?step=delivery");
    let answer = post_form(
        app,
        "/api/checkout/delivery",
        &[("payment_method", "card")],
        &cookies,
    )
    .await;
    assert_eq!(location(&answer), "/checkout?step=review");
    // Signed up with a friend's referral code: this first order carries the welcome advantage.
    confirmed_account(app, "marraine.zephyrine@exemple.fr", PASSWORD).await;
    for (email, column) in [
        ("marraine.zephyrine@exemple.fr", user::Column::ReferralCode),
        (EMAIL, user::Column::ReferredByCode),
    ] {
        user::Entity::update_many()
            .col_expr(column, sea_orm::sea_query::Expr::value("MARRAINE-ABCDEF"))
            .filter(user::Column::Email.eq(email))
            .exec(&app.db)
            .await
            .unwrap();
    }
    // A promo code, for the row of its use.
    let now = chrono::Utc::now();
    app::db::entities::promo_code::ActiveModel {
        code: Set("MERCI5".into()),
        kind: Set("amount".into()),
        value: Set(500),
        scope: Set("all".into()),
        scope_ids: Set("[]".into()),
        uses: Set(0),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let answer = post_form(app, "/api/checkout/promo", &[("code", "MERCI5")], &cookies).await;
    assert_eq!(location(&answer), "/checkout?step=review");
    let answer = place(app, &cookies, &key(1)).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let id = payment_id(&location(&answer));
    answer_demo(app, &id, "pay").await;
    eventually("the payment", || async {
        orders(app).await.last().unwrap().status == "paid"
    })
    .await;
    assert!(
        demo_payment::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .is_some()
    );
    // A friend orders with the customer's referral code (the account page makes it).
    let (status, _) = support::forms::page(app, "/account/rewards", &me).await;
    assert_eq!(status, StatusCode::OK);
    let code = support::forms::account(app, EMAIL)
        .await
        .referral_code
        .expect("a referral code");
    let friend = support::shop::fill(
        app,
        &format!("FR~{}x1", serum.id),
        "ami.de.zephyrine@exemple.fr",
        "FR",
        "bank_transfer",
    )
    .await;
    let answer = post_form(app, "/api/checkout/promo", &[("code", &code)], &friend).await;
    assert_eq!(location(&answer), "/checkout?step=review");
    assert_eq!(place(app, &friend, &key(2)).await.status(), StatusCode::OK);
    // A service notice reached the customer, who acknowledged it (the flow is tested in
    // `notices`).
    let now = chrono::Utc::now();
    let account = support::forms::account(app, EMAIL).await;
    let notice = app::db::entities::service_notice::ActiveModel {
        kind: Set("privacy".into()),
        subject_fr: Set("Avis".into()),
        subject_en: Set("Notice".into()),
        body_fr: Set("Texte".into()),
        body_en: Set("Text".into()),
        legal_kind: Set(None),
        legal_version: Set(None),
        years: Set(3),
        recipients: Set(1),
        created_by: Set(account.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    app::db::entities::notice_recipient::ActiveModel {
        notice_id: Set(notice.id),
        email: Set(EMAIL.into()),
        user_id: Set(Some(account.id)),
        queued_at: Set(now),
        acknowledged_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    // A review of a product of one of the customer's orders, waiting for moderation (the flow
    // is tested in `reviews`).
    let bought = order::Entity::find()
        .filter(order::Column::UserId.eq(account.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an order of the customer");
    let line = app::db::entities::order_line::Entity::find()
        .filter(app::db::entities::order_line::Column::OrderId.eq(bought.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    app::db::entities::review::ActiveModel {
        product_id: Set(line.product_id),
        order_id: Set(bought.id),
        user_id: Set(Some(account.id)),
        rating: Set(5),
        body: Set("Très bon produit, je recommande.".into()),
        author_name: Set("Zéphyrine Q.".into()),
        locale: Set("fr".into()),
        status: Set("pending".into()),
        refusal_reason: Set(None),
        created_at: Set(now),
        moderated_at: Set(None),
        moderated_by: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    // A product in the wishlist and an alert waiting for its return (the flows are tested in
    // `wishlist`).
    app::db::entities::wishlist_item::ActiveModel {
        user_id: Set(account.id),
        product_id: Set(line.product_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    app::db::entities::stock_alert::ActiveModel {
        product_id: Set(line.product_id),
        email: Set(EMAIL.into()),
        user_id: Set(Some(account.id)),
        locale: Set("fr".into()),
        status: Set("waiting".into()),
        confirm_token_hash: Set(None),
        requested_at: Set(now),
        confirmed_at: Set(Some(now)),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    cookies
}

/// The export of the customer signed in with `cookies` (and a consent cookie).
async fn export(app: &TestApp, cookies: &str) -> serde_json::Value {
    let answer = app
        .get_with(
            "/api/account/export",
            &[(COOKIE, cookies), (ACCEPT, "application/json")],
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let disposition = answer.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment; filename=\"comptoir-donnees-"));
    answer.json().await.unwrap()
}

async fn columns(app: &TestApp, table: &str) -> Vec<String> {
    let sql = match app.db.get_database_backend() {
        DbBackend::Postgres => format!(
            "SELECT column_name AS name FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = '{table}'"
        ),
        _ => format!("SELECT name FROM pragma_table_info('{table}')"),
    };
    JsonValue::find_by_statement(Statement::from_string(app.db.get_database_backend(), sql))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

/// A store-credit move, an item marked unavailable on the customer's first order and a request
/// by email, as the refund, the back office and `/privacy/request` write them (their flows are tested in `store_credit`).
async fn store_credit_and_unavailable_item(app: &TestApp) {
    use app::db::entities::{order_line, store_credit, unavailable_line};
    let customer = support::forms::account(app, EMAIL).await;
    let first = orders(app)
        .await
        .into_iter()
        .find(|o| o.user_id == Some(customer.id))
        .expect("an order of the customer");
    let line = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(first.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now();
    store_credit::ActiveModel {
        user_id: Set(customer.id),
        order_id: Set(Some(first.id)),
        refund_id: Set(None),
        kind: Set("refund".into()),
        amount_cents: Set(500),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    // A request made by email before the account existed (`/privacy/request`).
    app::db::entities::privacy_request::ActiveModel {
        email: Set(EMAIL.into()),
        token_hash: Set("0".repeat(64)),
        created_at: Set(now),
        expires_at: Set(now),
        opened_at: Set(None),
        done: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    unavailable_line::ActiveModel {
        order_id: Set(first.id),
        order_line_id: Set(line.id),
        expected_on: Set(now.date_naive()),
        choice: Set(Some("wait".into())),
        chosen_at: Set(Some(now)),
        actor: Set("staff:1".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

async fn the_export_holds_every_personal_table_and_column(backend: Backend) {
    let app = spawn(backend).await;
    let cookies = busy_customer(&app).await;
    store_credit_and_unavailable_item(&app).await;
    let consent = call(&app, "/api/privacy/consent", &[("choice", "refuse")], "").await;
    let (consent, _) = support::forms::set_cookie(consent.headers(), "comptoir_consent").unwrap();
    let document = export(&app, &format!("{cookies}; comptoir_consent={consent}")).await;
    assert_eq!(document["format"], "comptoir-personal-data/1");
    assert_eq!(document["profile"]["email"], EMAIL);
    assert_eq!(document["profile"]["last_name"], "Quintalbert");

    // Tables the customer has no row in yet (nothing refunded or withdrawn).
    let empty_here = [
        "saved_carts",
        "refunds",
        "credit_notes",
        "withdrawal_requests",
    ];
    for (table, holds) in TABLES {
        let Holds::Personal {
            export_as,
            withheld,
            ..
        } = holds
        else {
            continue;
        };
        let value = &document[*export_as];
        assert!(!value.is_null(), "{table} is exported as {export_as}");
        let rows: Vec<&serde_json::Value> = match value {
            serde_json::Value::Array(rows) => rows.iter().collect(),
            row => vec![row],
        };
        if empty_here.contains(table) {
            continue;
        }
        assert!(!rows.is_empty(), "the customer has rows in {table}");
        if *table == "auth_throttle" {
            continue;
        }
        for column in columns(&app, table).await {
            let kept = rows[0].get(&column).is_some();
            if withheld.contains(&column.as_str()) {
                assert!(!kept, "{table}.{column} is a secret, never exported");
            } else {
                assert!(kept, "{table}.{column} is missing from the export");
            }
        }
    }
    let text = document.to_string();
    assert!(
        text.contains("Hautecombe-sur-Lys"),
        "the address book and the order"
    );
    assert!(!text.contains("$argon2"), "no password hash");
    // Someone else's data never shows: another customer's export names none of this.
    let other = confirmed_account(&app, "autre@exemple.fr", PASSWORD).await;
    let theirs = export(&app, &format!("comptoir_session={other}"))
        .await
        .to_string();
    for needle in NEEDLES {
        assert!(
            !theirs.contains(needle),
            "{needle} in someone else's export"
        );
    }
    // Signed out: no export.
    let answer = app
        .get_with("/api/account/export", &[(ACCEPT, "application/json")])
        .await;
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
}

/// Every string in `value`, one per line.
fn strings(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// Every row of every table, as text, that names one of [`NEEDLES`]: `(table, row)`.
async fn mentions(app: &TestApp) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for table in tables(app).await {
        let rows = JsonValue::find_by_statement(Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT * FROM {table}"),
        ))
        .all(&app.db)
        .await
        .unwrap();
        for row in rows {
            let mut text = String::new();
            strings(&row, &mut text);
            if NEEDLES.iter().any(|needle| text.contains(needle)) {
                found.push((table.clone(), text));
            }
        }
    }
    found
}

async fn deletion_leaves_no_personal_data_behind(backend: Backend) {
    let app = spawn(backend).await;
    let cookies = busy_customer(&app).await;
    let account = support::forms::account(&app, EMAIL).await;
    let delete = |password: &'static str, confirm: Option<&'static str>| {
        let mut fields = vec![("password", password)];
        if let Some(confirm) = confirm {
            fields.push(("confirm", confirm));
        }
        let cookies = cookies.clone();
        let app = &app;
        async move { call(app, "/api/account/delete", &fields, &cookies).await }
    };

    // The paid order is on its way: not yet.
    assert_eq!(
        delete(PASSWORD, Some("yes")).await.status(),
        StatusCode::CONFLICT
    );
    let paid = orders(&app)
        .await
        .into_iter()
        .find(|o| o.email == EMAIL)
        .unwrap();
    order::Entity::update_many()
        .col_expr(
            order::Column::Status,
            sea_orm::sea_query::Expr::value("delivered"),
        )
        .filter(order::Column::Id.eq(paid.id))
        .exec(&app.db)
        .await
        .unwrap();
    // Re-authentication and the box are required.
    assert_eq!(
        delete("pas-le-bon", Some("yes")).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        delete(PASSWORD, None).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        user::Entity::find_by_id(account.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .email,
        EMAIL,
        "nothing erased yet"
    );

    let answer = post_form(
        &app,
        "/api/account/delete",
        &[("password", PASSWORD), ("confirm", "yes")],
        &cookies,
    )
    .await;
    assert_eq!(location(&answer), "/account/deleted");

    // Signed out everywhere, unable to sign in again.
    let account_page = app
        .get_with(
            "/account/profile",
            &[(COOKIE, cookies.as_str()), (ACCEPT, "text/html")],
        )
        .await;
    assert!(
        account_page.status().is_redirection() || account_page.url().path().contains("sign-in")
    );
    let answer = call(
        &app,
        "/api/account/sign-in",
        &[("email", EMAIL), ("password", PASSWORD)],
        "",
    )
    .await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);

    // Subscriptions ended; the order kept, anonymised.
    let subs = subscription::Entity::find()
        .filter(subscription::Column::UserId.eq(account.id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!subs.is_empty() && subs.iter().all(|s| s.status == "ended"));
    let kept = order::Entity::find_by_id(paid.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.total_cents, paid.total_cents);
    assert_eq!(kept.destination, "FR");

    // The confirmation went to the address the account had.
    let confirmation = email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq("account_deleted"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("confirmation");
    assert_eq!(confirmation.to_address, EMAIL);

    // Nothing else names the customer, but the invoice archive (the law keeps invoices as
    // issued) and that confirmation until it is sent.
    for (table, row) in mentions(&app).await {
        let allowed = table == "invoices"
            || table == "credit_notes"
            || (table == "email_outbox" && row.contains("account_deleted"));
        assert!(allowed, "{table} still names the customer: {row}");
    }
}

async fn signed_in_at(
    app: &TestApp,
    email: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> user::Model {
    user::Entity::update_many()
        .col_expr(
            user::Column::LastSignInAt,
            sea_orm::sea_query::Expr::value(Some(at)),
        )
        .filter(user::Column::Email.eq(email))
        .exec(&app.db)
        .await
        .unwrap();
    support::forms::account(app, email).await
}

async fn three_years_without_sign_in_warn_then_erase(backend: Backend) {
    use app::privacy::service::erasure::{InactivityRound, run_inactivity};
    let app = spawn(backend).await;
    let now = chrono::Utc::now();
    let long_ago = now - chrono::Duration::days(3 * 365 + 5);
    confirmed_account(&app, "dormant@exemple.fr", PASSWORD).await;
    confirmed_account(&app, "revenant@exemple.fr", PASSWORD).await;
    confirmed_account(&app, "recent@exemple.fr", PASSWORD).await;
    let dormant = signed_in_at(&app, "dormant@exemple.fr", long_ago).await;
    signed_in_at(&app, "revenant@exemple.fr", long_ago).await;
    signed_in_at(
        &app,
        "recent@exemple.fr",
        now - chrono::Duration::days(2 * 365),
    )
    .await;
    let site = "https://shop.example";
    let round = |at| {
        let db = app.db.clone();
        async move { run_inactivity(&db, site, 30, at).await.unwrap() }
    };

    // Warned once, whoever runs the job and however often.
    assert_eq!(
        round(now).await,
        InactivityRound {
            warned: 2,
            ..Default::default()
        }
    );
    assert_eq!(round(now).await, InactivityRound::default());
    let warnings = email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq("inactivity_warning"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(warnings.len(), 2);
    assert!(
        warnings
            .iter()
            .all(|w| w.body_text.contains("https://shop.example/account/sign-in"))
    );

    // One of them signs in during the grace period.
    let answer = call(
        &app,
        "/api/account/sign-in",
        &[("email", "revenant@exemple.fr"), ("password", PASSWORD)],
        "",
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK);

    // Not before the grace period is over; then the other is erased.
    assert_eq!(
        round(now + chrono::Duration::days(29)).await,
        InactivityRound::default()
    );
    assert_eq!(
        round(now + chrono::Duration::days(31)).await,
        InactivityRound {
            erased: 1,
            ..Default::default()
        }
    );
    let erased = user::Entity::find_by_id(dormant.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(erased.deleted_at.is_some() && erased.first_name.is_empty());
    assert_ne!(erased.email, "dormant@exemple.fr");
    for email in ["revenant@exemple.fr", "recent@exemple.fr"] {
        let kept = user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&app.db)
            .await
            .unwrap()
            .expect("kept");
        assert!(kept.deleted_at.is_none(), "{email}");
    }
    let told = email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq("account_deleted"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].to_address, "dormant@exemple.fr");
}
