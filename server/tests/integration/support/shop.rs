//! Shopping through the checkout as a browser would, and reading what it wrote: shared by the
//! order and payment-provider tests.

use super::TestApp;
use super::forms::{call_from, location, post_form, set_cookie};
use app::db::entities::{email_outbox, order, order_event, product};
use app::orders::rules::TERMS_VERSION;
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

pub const SESSION: &str = "comptoir_session";

pub async fn product_by_slug(app: &TestApp, slug: &str) -> product::Model {
    product::Entity::find()
        .filter(product::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

pub async fn set_stock(app: &TestApp, id: i32, stock: i32) {
    product::ActiveModel {
        id: Set(id),
        stock: Set(stock),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .unwrap();
}

pub async fn stock(app: &TestApp, id: i32) -> i32 {
    product::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .stock
}

/// A Belgian guest's details as the form posts them.
pub fn details(email: &str, country: &str, postal_code: &str) -> Vec<(String, String)> {
    [
        ("email", email),
        ("title", "mme"),
        ("first_name", "Léa"),
        ("last_name", "Dubois"),
        ("phone", "+32 470 12 34 56"),
        ("delivery][first_name", "Léa"),
        ("delivery][last_name", "Dubois"),
        ("delivery][line1", "Rue de la Loi 16"),
        ("delivery][postal_code", postal_code),
        ("delivery][city", "Bruxelles"),
        ("delivery][country", country),
    ]
    .into_iter()
    .map(|(k, v)| (format!("details[{k}]"), v.to_owned()))
    .collect()
}

pub fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Goes through the first two steps for `cart` (the cart cookie's value); returns the cookie
/// header of this shopper (cart and session).
pub async fn fill(app: &TestApp, cart: &str, email: &str, country: &str, method: &str) -> String {
    let postal = if country == "FR" { "69002" } else { "1000" };
    fill_with(app, cart, &details(email, country, postal), method).await
}

/// The checkout's first two steps with the details `fields`; the cookies of the review step.
pub async fn fill_with(
    app: &TestApp,
    cart: &str,
    fields: &[(String, String)],
    method: &str,
) -> String {
    let cart_cookie = format!("comptoir_cart={cart}");
    let response = post_form(app, "/api/checkout/details", &pairs(fields), &cart_cookie).await;
    assert_eq!(
        location(&response),
        "/checkout?step=delivery",
        "details accepted"
    );
    let (session, _) = set_cookie(response.headers(), SESSION).expect("a checkout session");
    let cookies = format!("{cart_cookie}; {SESSION}={session}");
    let response = post_form(
        app,
        "/api/checkout/delivery",
        &[("payment_method", method)],
        &cookies,
    )
    .await;
    assert_eq!(
        location(&response),
        "/checkout?step=review",
        "{method} accepted"
    );
    cookies
}

/// The last step, as a script calls it: its real status, and `Location` on success. Each key
/// is a shopper of its own behind the test's trusted proxy (`X-Forwarded-For`), as real
/// buyers come from many addresses: orders are limited per client.
pub async fn place(app: &TestApp, cookies: &str, key: &str) -> reqwest::Response {
    call_from(
        app,
        "/api/checkout/place",
        &[
            ("idempotency_key", key),
            ("terms_version", TERMS_VERSION),
            ("terms", "accepted"),
        ],
        cookies,
        &client_of(key),
    )
    .await
}

/// Where a form that starts a payment sends the browser on to: it answers with the shop's
/// hand-off page (a form's answer never redirects to another origin), which refreshes at once
/// to the provider's hosted page and links to it. That page's address, checked on both.
pub async fn provider_page(app: &TestApp, answer: &reqwest::Response) -> String {
    let handoff = location(answer);
    assert!(
        handoff.starts_with("/orders/") && handoff.contains("/pay?key="),
        "to the hand-off page: {handoff}"
    );
    let page = app
        .get_with(&handoff, &[(reqwest::header::ACCEPT, "text/html")])
        .await;
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    let html = page.text().await.unwrap();
    let document = scraper::Html::parse_document(&html);
    let refresh = scraper::Selector::parse(r#"meta[http-equiv="refresh"]"#).unwrap();
    let content = document
        .select(&refresh)
        .next()
        .and_then(|m| m.value().attr("content"))
        .unwrap_or_else(|| panic!("no refresh on the hand-off page: {html}"));
    let target = content
        .split_once("url=")
        .map(|(_, url)| url.to_owned())
        .expect("a refresh to a URL");
    let link = scraper::Selector::parse("a.button--primary").unwrap();
    let href = document
        .select(&link)
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a link for browsers that do not refresh");
    assert_eq!(href, target);
    target
}

/// A client address of its own for `seed` (in 198.18.0.0/15, the benchmarking network).
pub fn client_of(seed: &str) -> String {
    let hash = seed
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    format!(
        "198.{}.{}.{}",
        18 + (hash >> 16) % 2,
        (hash >> 8) & 0xff,
        hash & 0xff
    )
}

pub fn key(n: usize) -> String {
    format!("test-key-{n:08}-abcdefgh")
}

pub async fn orders(app: &TestApp) -> Vec<order::Model> {
    order::Entity::find()
        .order_by_asc(order::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The emails of `kind` in the outbox, each checked to say the same in its HTML part as in its
/// text.
pub async fn mails(app: &TestApp, kind: &str) -> Vec<email_outbox::Model> {
    let found = email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .unwrap();
    for email in &found {
        super::smtp::assert_same_facts(&email.body_text, &super::smtp::html_of(email));
    }
    found
}

pub async fn paid_events(app: &TestApp, order_id: i32) -> u64 {
    order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(order_id))
        .filter(order_event::Column::ToStatus.eq("paid"))
        .count(&app.db)
        .await
        .unwrap()
}

/// The demo payment id in a pay-page URL.
pub fn payment_id(url: &str) -> String {
    url.rsplit('/').next().unwrap().to_owned()
}

/// Waits until `check` holds (the webhook arrives in the background), for at most 5 s.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen within 5 s");
}

/// The shopper's answer on the demo provider's page (`pay`, `decline`, `cancel`), posted as a
/// form: the answer, with the way back in `Location`.
pub async fn answer_demo(app: &TestApp, id: &str, outcome: &str) -> reqwest::Response {
    post_form(
        app,
        "/api/pay/demo/answer",
        &[("id", id), ("outcome", outcome)],
        "",
    )
    .await
}

/// The demo provider records payment `id` (every one when `None`) as paid without notifying
/// the shop, as when a notification is lost or still on its way.
pub async fn demo_paid_silently(app: &TestApp, id: Option<&str>) {
    use app::db::entities::demo_payment;
    let mut update = demo_payment::Entity::update_many().col_expr(
        demo_payment::Column::Status,
        sea_orm::sea_query::Expr::value("paid"),
    );
    if let Some(id) = id {
        update = update.filter(demo_payment::Column::Id.eq(id));
    }
    update.exec(&app.db).await.unwrap();
}

/// A provider's notification of payment `id` to `/webhooks/{provider}`: the status answered.
pub async fn notify(app: &TestApp, provider: &str, id: &str) -> reqwest::StatusCode {
    app.client
        .post(app.url(&format!("/webhooks/{provider}")))
        .form(&[("id", id)])
        .send()
        .await
        .unwrap()
        .status()
}

/// The providers of a store without keys: the demo provider for one-off payments and
/// subscriptions alike (what the background jobs are given).
pub fn demo_providers(app: &TestApp) -> app::payments::Providers {
    let demo = std::sync::Arc::new(app::payments::demo::DemoProvider::new(
        app.db.clone(),
        &app.base,
    ));
    app::payments::Providers {
        one_off: Some(demo.clone()),
        recurring: Some(demo),
        stripe: None,
    }
}

/// One serum and two magnesium to France for `email`, paid by card (demo), then delivered at
/// `delivered` (the carrier's move, as the withdrawal period counts from it).
pub async fn delivered_order(
    app: &TestApp,
    email: &str,
    n: usize,
    delivered: chrono::DateTime<chrono::Utc>,
) -> order::Model {
    let serum = product_by_slug(app, "serum-eclat-vitamine-c").await;
    let magnesium = product_by_slug(app, "magnesium-marin-b6").await;
    let cart = format!("FR~{}x1~{}x2", serum.id, magnesium.id);
    let cookies = fill(app, &cart, email, "FR", "card").await;
    let response = place(app, &cookies, &key(n)).await;
    let id = payment_id(&location(&response));
    answer_demo(app, &id, "pay").await;
    let order = last_order_once(app, "paid").await;
    let mut active: order::ActiveModel = order.clone().into();
    active.status = Set("delivered".into());
    active.update(&app.db).await.unwrap();
    order_event::ActiveModel {
        order_id: Set(order.id),
        from_status: Set(Some("shipped".into())),
        to_status: Set("delivered".into()),
        actor: Set("carrier".into()),
        note: Set(None),
        created_at: Set(delivered),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    order
}

/// Staff (`cookie`) create a promo code: 10 % off everything, no limit, unless `fields` say
/// otherwise (`code` is needed).
pub async fn create_promo(
    app: &TestApp,
    cookie: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let defaults = [
        ("kind", "percent"),
        ("value", "10"),
        ("min_basket", ""),
        ("starts_on", ""),
        ("ends_on", ""),
        ("max_uses", ""),
        ("max_uses_per_customer", ""),
        ("scope", "all"),
        ("scope_slugs", ""),
    ];
    let form = super::forms::struct_form(&defaults, fields);
    super::forms::call(app, "/api/admin/promotions/create", &pairs(&form), cookie).await
}

/// Staff (`cookie`) move order `number` by `action` (`prepare`, `ship`, `deliver`…), with the
/// form's `extra` fields (carrier and tracking number to ship).
pub async fn move_order(
    app: &TestApp,
    cookie: &str,
    number: &str,
    action: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let key = format!("move-{number}-{action}-0123456789");
    let mut fields = vec![
        ("number", number),
        ("action", action),
        ("idempotency_key", key.as_str()),
    ];
    fields.extend_from_slice(extra);
    super::forms::call(app, "/api/admin/orders/move", &fields, cookie).await
}

/// Order `number` as stored now.
pub async fn order_by_number(app: &TestApp, number: &str) -> order::Model {
    order::Entity::find()
        .filter(order::Column::Number.eq(number))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// The last order placed, once it reached `status` (a payment's webhook is asynchronous).
pub async fn last_order_once(app: &TestApp, status: &str) -> order::Model {
    let number = orders(app).await.last().unwrap().number.clone();
    eventually(status, || async {
        orders(app)
            .await
            .iter()
            .any(|o| o.number == number && o.status == status)
    })
    .await;
    order_by_number(app, &number).await
}

/// A serum and two magnesium for `street` in Lyon, through the first two steps, as the shopper
/// of `session` (a signed-in account's cookie header, or empty for a new guest).
pub async fn basket(
    app: &TestApp,
    session: &str,
    email: &str,
    street: &str,
    method: &str,
) -> String {
    let serum = product_by_slug(app, "serum-eclat-vitamine-c").await;
    let magnesium = product_by_slug(app, "magnesium-marin-b6").await;
    let cart = format!("comptoir_cart=FR~{}x1~{}x2", serum.id, magnesium.id);
    let mut fields = details(email, "FR", "69002");
    for (name, value) in &mut fields {
        if name.contains("line1") {
            *value = street.to_owned();
        }
    }
    let cookies = if session.is_empty() {
        cart.clone()
    } else {
        format!("{cart}; {session}")
    };
    let response = post_form(app, "/api/checkout/details", &pairs(&fields), &cookies).await;
    assert_eq!(location(&response), "/checkout?step=delivery");
    let cookies = match set_cookie(response.headers(), SESSION) {
        Some((fresh, _)) => format!("{cart}; {SESSION}={fresh}"),
        None => cookies,
    };
    let response = post_form(
        app,
        "/api/checkout/delivery",
        &[("payment_method", method)],
        &cookies,
    )
    .await;
    assert_eq!(location(&response), "/checkout?step=review");
    cookies
}

/// Places every checkout of `checkouts` at the same moment: the answers' statuses, and the
/// orders this made (one, checked).
pub async fn place_at_once(
    app: &TestApp,
    checkouts: &[String],
) -> (Vec<StatusCode>, Vec<order::Model>) {
    let before = orders(app).await.len();
    let keys: Vec<String> = (0..checkouts.len()).map(|n| key(10 + n)).collect();
    let answers = futures::future::join_all(
        checkouts
            .iter()
            .zip(&keys)
            .map(|(cookies, key)| place(app, cookies, key)),
    )
    .await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    let placed = orders(app).await;
    assert_eq!(placed.len(), before + 1, "one order: {statuses:?}");
    (statuses, placed)
}

/// Uses (`on`) or not the review step's advantage `what` (`credit`, `points`, `store_credit`).
pub async fn advantage(app: &TestApp, cookies: &str, what: &str, on: bool) {
    let on = if on { "1" } else { "0" };
    let response = post_form(
        app,
        "/api/checkout/advantage",
        &[("what", what), ("on", on)],
        cookies,
    )
    .await;
    assert_eq!(location(&response), "/checkout?step=review");
}

/// Places and pays by card (the demo provider); the order.
pub async fn place_and_pay(app: &TestApp, cookies: &str, n: usize) -> order::Model {
    let response = place(app, cookies, &key(n)).await;
    assert!(
        response.status().is_success() || response.status() == StatusCode::FOUND,
        "{}",
        response.status()
    );
    let id = payment_id(&location(&response));
    answer_demo(app, &id, "pay").await;
    last_order_once(app, "paid").await
}
