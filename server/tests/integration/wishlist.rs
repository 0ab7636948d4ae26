//! The wishlist (a heart that is a form before the script runs, `/account/wishlist`) and
//! back-in-stock alerts: one click for a signed-in customer, double opt-in for a visitor, one
//! email per request once the stock is back (through the back office or any other way, with
//! several rounds racing), and the rows kept no longer than the retention table says.

use crate::support;

use app::clock::Clock as _;
use app::db::entities::{stock_alert, wishlist_item};
use app::wishlist::service::{BACK_KIND, CONFIRM_KIND, dispatch};
use chrono::Duration;
use reqwest::StatusCode;
use reqwest::header::ACCEPT;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use support::forms::{
    call, confirmed_account, emailed_token, location, page, post_form, staff_session,
};
use support::shop::{mails, product_by_slug, set_stock};
use support::{Backend, TestApp, spawn};

both_backends!(
    the_heart_keeps_products_with_or_without_a_script,
    a_visitor_alert_is_confirmed_then_sent_once_when_stock_is_back,
    a_signed_in_alert_waits_at_once_and_racing_rounds_send_it_once,
    alerts_and_wishlists_go_in_time_and_with_the_person,
);

const PASSWORD: &str = "Lavande-sous-les-tilleuls-9";
const SLUG: &str = "magnesium-marin-b6";

async fn customer(app: &TestApp, email: &str) -> String {
    format!(
        "comptoir_session={}",
        confirmed_account(app, email, PASSWORD).await
    )
}

/// `name` as HTML text.
fn escaped(name: &str) -> String {
    name.replace('&', "&amp;")
}

async fn alert(app: &TestApp, email: &str) -> Option<stock_alert::Model> {
    stock_alert::Entity::find()
        .filter(stock_alert::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
}

async fn sent_to(app: &TestApp, email: &str) -> usize {
    mails(app, BACK_KIND)
        .await
        .iter()
        .filter(|m| m.to_address == email)
        .count()
}

async fn the_heart_keeps_products_with_or_without_a_script(backend: Backend) {
    let app = spawn(backend).await;
    let product = product_by_slug(&app, SLUG).await;
    let id = product.id.to_string();
    let back = format!("/products/{SLUG}");

    // A visitor's heart is a link to sign in and come back; the form sends them there too.
    let (_, html) = page(&app, &back, "").await;
    assert!(html.contains("href=\"/account/sign-in?next=%2Fproducts%2Fmagnesium-marin-b6\""));
    let answer = post_form(
        &app,
        "/api/wishlist/set",
        &[("product_id", &id), ("saved", "true"), ("back", &back)],
        "",
    )
    .await;
    assert_eq!(
        location(&answer),
        "/account/sign-in?next=%2Fproducts%2Fmagnesium-marin-b6"
    );
    let script = call(
        &app,
        "/api/wishlist/set",
        &[("product_id", &id), ("saved", "true")],
        "",
    )
    .await;
    assert_eq!(script.status(), StatusCode::UNAUTHORIZED);

    // A customer's plain form keeps it and comes back; sent twice, it is kept once.
    let me = customer(&app, "envies@exemple.fr").await;
    for _ in 0..2 {
        let answer = post_form(
            &app,
            "/api/wishlist/set",
            &[("product_id", &id), ("saved", "true"), ("back", &back)],
            &me,
        )
        .await;
        assert_eq!(location(&answer), back);
    }
    let kept = wishlist_item::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].product_id, product.id);

    // The page and the grid show it pressed, and only it.
    let (_, html) = page(&app, &back, &me).await;
    assert!(
        html.contains("aria-pressed=\"true\""),
        "the product's heart is pressed"
    );
    let (_, html) = page(&app, "/products", &me).await;
    assert_eq!(
        html.matches("aria-pressed=\"true\"").count(),
        1,
        "one pressed heart in the grid"
    );
    assert!(html.matches("aria-pressed=\"false\"").count() > 3);

    // The wishlist lists it with a way to the cart; a script's call answers the new state.
    let (status, html) = page(&app, "/account/wishlist", &me).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&escaped(&product.name_fr)));
    assert!(html.contains("action=\"/api/cart/add\""));
    let other = product_by_slug(&app, "creme-hydratante-aloe").await;
    let answer = call(
        &app,
        "/api/wishlist/set",
        &[("product_id", &other.id.to_string()), ("saved", "true")],
        &me,
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.text().await.unwrap(), "true");

    // Taken out from the wishlist page; a foreign `back` is not followed.
    let answer = post_form(
        &app,
        "/api/wishlist/set",
        &[
            ("product_id", &id),
            ("saved", "false"),
            ("back", "https://ailleurs.example/"),
        ],
        &me,
    )
    .await;
    assert_eq!(location(&answer), "/account/wishlist");
    let (_, html) = page(&app, "/account/wishlist", &me).await;
    assert!(!html.contains(&escaped(&product.name_fr)));
    assert!(html.contains(&escaped(&other.name_fr)));

    // An archived or unknown product cannot be added.
    let mut archived: app::db::entities::product::ActiveModel = other.clone().into();
    archived.status = Set("archived".to_owned());
    archived.update(&app.db).await.unwrap();
    let refused = call(
        &app,
        "/api/wishlist/set",
        &[("product_id", &other.id.to_string()), ("saved", "true")],
        &me,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let (_, html) = page(&app, "/account/wishlist", &me).await;
    assert!(
        !html.contains(&escaped(&other.name_fr)),
        "an archived product leaves the list"
    );
    let unknown = call(
        &app,
        "/api/wishlist/set",
        &[("product_id", "999999"), ("saved", "true")],
        &me,
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let bad = call(
        &app,
        "/api/wishlist/set",
        &[("product_id", "x"), ("saved", "true")],
        &me,
    )
    .await;
    assert!(bad.status().is_client_error());
}

async fn a_visitor_alert_is_confirmed_then_sent_once_when_stock_is_back(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let product = product_by_slug(&app, SLUG).await;
    let id = product.id.to_string();
    let back = format!("/products/{SLUG}");

    // In stock: no form, and asking anyway is refused.
    let (_, html) = page(&app, &back, "").await;
    assert!(!html.contains("data-testid=\"stock-alert\""));
    let refused = call(
        &app,
        "/api/stock-alerts/ask",
        &[("product_id", &id), ("email", "a@exemple.fr")],
        "",
    )
    .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);

    set_stock(&app, product.id, 0).await;
    let (_, html) = page(&app, &back, "").await;
    assert!(html.contains("data-testid=\"stock-alert\""));
    assert!(html.contains("id=\"stock-alert-email\""));

    // A bad address is a 400; a good one answers "check your inbox" and emails a link.
    let bad = call(
        &app,
        "/api/stock-alerts/ask",
        &[("product_id", &id), ("email", "pas-une-adresse")],
        "",
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let answer = post_form(
        &app,
        "/api/stock-alerts/ask",
        &[
            ("product_id", &id),
            ("email", " Attente@Exemple.fr "),
            ("back", &back),
        ],
        "",
    )
    .await;
    assert_eq!(
        location(&answer),
        "/products/magnesium-marin-b6?alert=asked#stock-alert"
    );
    let pending = alert(&app, "attente@exemple.fr").await.expect("asked");
    assert_eq!(pending.status, "pending");
    let (_, html) = page(&app, &format!("{back}?alert=asked"), "").await;
    assert!(html.contains("un e-mail de confirmation vient de partir"));

    // Stock back before the confirmation: nothing is sent to an unconfirmed address.
    set_stock(&app, product.id, 3).await;
    assert_eq!(
        dispatch(&app.db, &app.base, app.clock.now()).await.unwrap(),
        0
    );
    set_stock(&app, product.id, 0).await;

    // Opening the link changes nothing; the button confirms, once.
    let token = emailed_token(&app, "attente@exemple.fr", CONFIRM_KIND).await;
    let opened = app
        .get_with(
            &format!("/stock-alerts/confirm?token={token}"),
            &[(ACCEPT, "text/html")],
        )
        .await;
    assert_eq!(opened.status(), StatusCode::OK);
    assert!(
        opened
            .text()
            .await
            .unwrap()
            .contains("action=\"/api/stock-alerts/confirm\"")
    );
    assert_eq!(
        alert(&app, "attente@exemple.fr").await.unwrap().status,
        "pending"
    );
    let answer = post_form(&app, "/api/stock-alerts/confirm", &[("token", &token)], "").await;
    assert_eq!(location(&answer), "/stock-alerts/confirm?done=1");
    assert_eq!(
        alert(&app, "attente@exemple.fr").await.unwrap().status,
        "waiting"
    );
    let again = call(&app, "/api/stock-alerts/confirm", &[("token", &token)], "").await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);

    // Asking again once confirmed sends nothing more (and answers the same).
    let before = mails(&app, CONFIRM_KIND).await.len();
    let answer = post_form(
        &app,
        "/api/stock-alerts/ask",
        &[
            ("product_id", &id),
            ("email", "attente@exemple.fr"),
            ("back", &back),
        ],
        "",
    )
    .await;
    assert_eq!(
        location(&answer),
        "/products/magnesium-marin-b6?alert=asked#stock-alert"
    );
    assert_eq!(mails(&app, CONFIRM_KIND).await.len(), before);

    // Staff see the demand; the card in the grid leads to the form.
    let (_, html) = page(&app, &format!("/admin/products/{id}"), &staff).await;
    assert!(
        html.contains("Alertes de retour en stock en attente : 1."),
        "the editor shows it"
    );
    let (_, html) = page(&app, "/products?category=vitalite", "").await;
    assert!(html.contains("href=\"/products/magnesium-marin-b6#stock-alert\""));

    // Staff put stock back: one email at once, with the product's link; never a second.
    let adjusted = call(
        &app,
        "/api/admin/products/stock",
        &[
            ("id", &id),
            ("delta", "+12"),
            ("reason", "Réception fournisseur"),
        ],
        &staff,
    )
    .await;
    assert!(adjusted.status().is_success(), "{}", adjusted.status());
    assert_eq!(sent_to(&app, "attente@exemple.fr").await, 1);
    let mail = mails(&app, BACK_KIND).await.pop().unwrap();
    assert!(
        mail.body_text
            .contains(&format!("{}/products/{SLUG}", app.base)),
        "{}",
        mail.body_text
    );
    assert!(mail.subject.contains(&product.name_fr));
    let sent = alert(&app, "attente@exemple.fr").await.unwrap();
    assert_eq!(sent.status, "sent");
    assert!(sent.sent_at.is_some());
    assert_eq!(
        dispatch(&app.db, &app.base, app.clock.now()).await.unwrap(),
        0
    );
    assert_eq!(sent_to(&app, "attente@exemple.fr").await, 1);
}

async fn a_signed_in_alert_waits_at_once_and_racing_rounds_send_it_once(backend: Backend) {
    let app = spawn(backend).await;
    let product = product_by_slug(&app, SLUG).await;
    let id = product.id.to_string();
    let back = format!("/products/{SLUG}");
    set_stock(&app, product.id, 0).await;

    let me = customer(&app, "fidele@exemple.fr").await;
    let (_, html) = page(&app, &back, &me).await;
    assert!(html.contains("Nous vous écrirons à fidele@exemple.fr"));
    assert!(
        !html.contains("id=\"stock-alert-email\""),
        "no address to type when signed in"
    );
    let answer = post_form(
        &app,
        "/api/stock-alerts/ask",
        &[("product_id", &id), ("back", &back)],
        &me,
    )
    .await;
    assert_eq!(
        location(&answer),
        "/products/magnesium-marin-b6?alert=asked#stock-alert"
    );
    let waiting = alert(&app, "fidele@exemple.fr").await.unwrap();
    assert_eq!(
        waiting.status, "waiting",
        "a verified address needs no confirmation"
    );
    assert!(mails(&app, CONFIRM_KIND).await.is_empty());
    let (_, html) = page(&app, &back, &me).await;
    assert!(html.contains("nous vous écrirons à fidele@exemple.fr dès son retour"));

    // A few more waiting addresses, then stock back by another way than the back office (a
    // cancelled order, another instance): rounds racing on every instance send each once.
    for n in 0..5 {
        stock_alert::ActiveModel {
            product_id: Set(product.id),
            email: Set(format!("file-{n}@exemple.fr")),
            user_id: Set(None),
            locale: Set(if n % 2 == 0 { "fr" } else { "en" }.to_owned()),
            status: Set("waiting".to_owned()),
            confirm_token_hash: Set(None),
            requested_at: Set(app.clock.now()),
            confirmed_at: Set(Some(app.clock.now())),
            sent_at: Set(None),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    set_stock(&app, product.id, 4).await;
    let now = app.clock.now();
    let rounds = futures::future::join_all((0..4).map(|_| dispatch(&app.db, &app.base, now))).await;
    let sent: usize = rounds.into_iter().map(|r| r.unwrap()).sum();
    assert_eq!(sent, 6);
    let mails = mails(&app, BACK_KIND).await;
    assert_eq!(mails.len(), 6, "one email per alert");
    let mut to: Vec<_> = mails.iter().map(|m| m.to_address.clone()).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 6);
    let english = mails
        .iter()
        .find(|m| m.to_address == "file-1@exemple.fr")
        .unwrap();
    assert!(english.subject.contains("is back"), "{}", english.subject);
    assert!(english.subject.contains(&product.name_en));
}

async fn alerts_and_wishlists_go_in_time_and_with_the_person(backend: Backend) {
    let app = spawn(backend).await;
    let product = product_by_slug(&app, SLUG).await;
    let now = app.clock.now();
    let row =
        |email: &str, status: &str, requested: i64, sent: Option<i64>| stock_alert::ActiveModel {
            product_id: Set(product.id),
            email: Set(email.to_owned()),
            user_id: Set(None),
            locale: Set("fr".to_owned()),
            status: Set(status.to_owned()),
            confirm_token_hash: Set(None),
            requested_at: Set(now - Duration::days(requested)),
            confirmed_at: Set(None),
            sent_at: Set(sent.map(|d| now - Duration::days(d))),
            ..Default::default()
        };
    for (email, status, requested, sent) in [
        ("jamais@exemple.fr", "pending", 8, None),
        ("recente@exemple.fr", "pending", 2, None),
        ("envoyee@exemple.fr", "sent", 60, Some(31)),
        ("envoyee-hier@exemple.fr", "sent", 60, Some(1)),
        ("patiente@exemple.fr", "waiting", 366, None),
        ("attend@exemple.fr", "waiting", 200, None),
    ] {
        row(email, status, requested, sent)
            .insert(&app.db)
            .await
            .unwrap();
    }
    let round = app::privacy::service::retention::run_retention(&app.db, now, 36)
        .await
        .unwrap();
    assert_eq!(round.stock_alerts_deleted, 3);
    let mut left: Vec<String> = stock_alert::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.email)
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "attend@exemple.fr",
            "envoyee-hier@exemple.fr",
            "recente@exemple.fr"
        ]
    );

    // An account's erasure takes its wishlist and its alerts; the export shows both first.
    let me = customer(&app, "partante@exemple.fr").await;
    let id = product.id.to_string();
    post_form(
        &app,
        "/api/wishlist/set",
        &[("product_id", &id), ("saved", "true")],
        &me,
    )
    .await;
    set_stock(&app, product.id, 0).await;
    post_form(&app, "/api/stock-alerts/ask", &[("product_id", &id)], &me).await;
    let export = app
        .get_with(
            "/api/account/export",
            &[
                (reqwest::header::COOKIE, me.as_str()),
                (ACCEPT, "application/json"),
            ],
        )
        .await;
    assert_eq!(export.status(), StatusCode::OK);
    let export: serde_json::Value = export.json().await.unwrap();
    assert_eq!(export["wishlist"][0]["product_id"], product.id);
    assert_eq!(export["stock_alerts"][0]["status"], "waiting");
    assert!(
        export["stock_alerts"][0]
            .get("confirm_token_hash")
            .is_none()
    );
    let erased = post_form(
        &app,
        "/api/account/delete",
        &[("password", PASSWORD), ("confirm", "yes")],
        &me,
    )
    .await;
    assert!(erased.status().is_redirection(), "{}", erased.status());
    assert!(alert(&app, "partante@exemple.fr").await.is_none());
    assert!(
        wishlist_item::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );

    // A visitor's alerts go with a guest erasure by staff.
    assert!(alert(&app, "attend@exemple.fr").await.is_some());
    app::wishlist::service::forget(&app.db, "attend@exemple.fr", None)
        .await
        .unwrap();
    assert!(alert(&app, "attend@exemple.fr").await.is_none());
}
