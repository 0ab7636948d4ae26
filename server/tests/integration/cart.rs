//! The cart through real HTTP on both engines: the server's quote from its own prices and
//! stock, its refusals, and the cart page rendered from the cart cookie.

use crate::support;

use app::db::entities::product;
use reqwest::StatusCode;
use rust_decimal::Decimal;
use scraper::{Html, Selector};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};
use support::shop::product_by_slug;
use support::{Backend, TestApp, spawn};

both_backends!(
    the_quote_uses_the_shops_prices_never_the_browsers,
    the_quote_reports_short_stock_and_products_gone,
    bad_quotes_are_refused_with_a_message,
    each_destination_gets_its_rules_from_the_database,
    the_cart_page_renders_the_cookie_cart,
    the_cart_works_as_plain_forms_before_the_script,
);

async fn quote(app: &TestApp, body: Value) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url("/api/cart/quote"))
        .header("origin", app.base.as_str())
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

fn money(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

async fn the_quote_uses_the_shops_prices_never_the_browsers(backend: Backend) {
    let app = spawn(backend).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let (status, body) = quote(
        &app,
        json!({
            "lines": [
                {"product_id": magnesium.id, "quantity": 2, "unit_price": "0.01"},
                {"product_id": serum.id, "quantity": 1}
            ],
            "destination": "FR",
            "locale": "Fr"
        }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let goods = Decimal::new(magnesium.price_cents * 2 + serum.price_cents, 2);
    let q = &body["quote"];
    assert_eq!(money(&q["subtotal"]), goods);
    assert_eq!(q["vat_mode"], "Included");
    let vat_rates: Vec<&str> = q["vat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rate"].as_str().unwrap())
        .collect();
    assert_eq!(vat_rates, ["5.5", "20"]);
    let gross: Decimal = q["vat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| money(&v["gross"]))
        .sum();
    assert_eq!(gross, money(&q["total"]));
    assert_eq!(body["products"][0]["name"], magnesium.name_fr.as_str());
    assert!(body["issues"].as_array().unwrap().is_empty());
}

async fn the_quote_reports_short_stock_and_products_gone(backend: Backend) {
    let app = spawn(backend).await;
    let short = product_by_slug(&app, "magnesium-marin-b6").await;
    let gone = product_by_slug(&app, "spiruline-bio").await;
    let mut edit: product::ActiveModel = short.clone().into();
    edit.stock = Set(1);
    edit.update(&app.db).await.unwrap();
    let mut edit: product::ActiveModel = gone.clone().into();
    edit.status = Set("archived".into());
    edit.update(&app.db).await.unwrap();
    let (status, body) = quote(
        &app,
        json!({
            "lines": [
                {"product_id": short.id, "quantity": 3},
                {"product_id": gone.id, "quantity": 1},
                {"product_id": 999_999, "quantity": 1}
            ],
            "destination": "FR",
            "locale": "En"
        }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["issues"],
        json!([
            {"Reduced": {"product_id": short.id, "available": 1}},
            {"NotOnSale": {"product_id": gone.id}},
            {"NotOnSale": {"product_id": 999_999}}
        ])
    );
    let lines = body["quote"]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["quantity"], 1);
    assert_eq!(
        money(&body["quote"]["subtotal"]),
        Decimal::new(short.price_cents, 2)
    );
    assert_eq!(body["products"][0]["name"], short.name_en.as_str());
}

async fn bad_quotes_are_refused_with_a_message(backend: Backend) {
    let app = spawn(backend).await;
    let id = product_by_slug(&app, "magnesium-marin-b6").await.id;
    for (body, words) in [
        (
            json!({"lines": [{"product_id": id, "quantity": 0}], "destination": "FR", "locale": "Fr"}),
            "quantity",
        ),
        (
            json!({"lines": [{"product_id": id, "quantity": 100}], "destination": "FR", "locale": "Fr"}),
            "quantity",
        ),
        (
            json!({"lines": [{"product_id": id, "quantity": 1}, {"product_id": id, "quantity": 1}], "destination": "FR", "locale": "Fr"}),
            "twice",
        ),
        (
            json!({"lines": [], "destination": "XX", "locale": "Fr"}),
            "XX",
        ),
        (
            json!({"lines": "nope", "destination": "FR", "locale": "Fr"}),
            "invalid",
        ),
    ] {
        let (status, answer) = quote(&app, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} → {answer}");
        assert!(answer.to_string().contains(words), "{body} → {answer}");
    }
    let lines: Vec<Value> = (1..=51)
        .map(|i| json!({"product_id": i, "quantity": 1}))
        .collect();
    let (status, _) = quote(
        &app,
        json!({"lines": lines, "destination": "FR", "locale": "Fr"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A cross-site request never reaches it.
    let response = app
        .client
        .post(app.url("/api/cart/quote"))
        .header("origin", "https://evil.example")
        .json(&json!({"lines": [], "destination": "FR", "locale": "Fr"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

async fn each_destination_gets_its_rules_from_the_database(backend: Backend) {
    use app::db::entities::{payment_method, shipping_zone};
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let methods = |body: &Value| -> Vec<String> {
        body["quote"]["payment_methods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().to_owned())
            .collect()
    };
    let ask = |destination: &str, quantity: u32| json!({"lines": [{"product_id": serum.id, "quantity": quantity}], "destination": destination, "locale": "Fr"});
    let (_, be) = quote(&app, ask("BE", 3)).await;
    assert!(methods(&be).contains(&"bancontact".to_owned()), "{be}");
    let (_, re) = quote(&app, ask("RE", 1)).await;
    assert_eq!(re["quote"]["vat_mode"], "Excluded");
    assert!(re["quote"]["vat"].as_array().unwrap().is_empty());
    // Staff change the rules: the quote follows at once.
    let mut klarna: payment_method::ActiveModel = payment_method::Entity::find_by_id("klarna_3x")
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    klarna.enabled = Set(false);
    klarna.update(&app.db).await.unwrap();
    let mut france: shipping_zone::ActiveModel = shipping_zone::Entity::find_by_id("FR")
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    france.free_from_cents = Set(Some(1_00));
    france.update(&app.db).await.unwrap();
    let (_, fr) = quote(&app, ask("FR", 3)).await;
    assert!(!methods(&fr).contains(&"klarna_3x".to_owned()), "{fr}");
    assert_eq!(fr["quote"]["shipping"], "Free");
}

async fn the_cart_page_renders_the_cookie_cart(backend: Backend) {
    let app = spawn(backend).await;
    let response = app.get("/cart").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = Html::parse_document(&response.text().await.unwrap());
    let h2 = Selector::parse(".cart__empty h2").unwrap();
    assert_eq!(
        html.select(&h2)
            .next()
            .map(|e| e.text().collect::<String>()),
        Some("Votre panier est vide".into())
    );
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cookie = format!("comptoir_cart=BE~{}x2", serum.id);
    let response = app
        .get_with("/cart", &[(reqwest::header::COOKIE, cookie.as_str())])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let html = Html::parse_document(&text);
    let names: Vec<String> = html
        .select(&Selector::parse(".cart-line__name").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(names, std::slice::from_ref(&serum.name_fr));
    let total: String = html
        .select(&Selector::parse("[data-testid=cart-total]").unwrap())
        .flat_map(|e| e.text())
        .collect();
    let digits: String = total.chars().filter(char::is_ascii_digit).collect();
    let goods = serum.price_cents * 2;
    let shipping = if goods >= 90_00 { 0 } else { 9_90 };
    assert_eq!(digits.parse::<i64>().unwrap(), goods + shipping, "{total}");
    assert!(text.contains("Bancontact"));
    let count: String = html
        .select(&Selector::parse("[data-testid=cart-count]").unwrap())
        .flat_map(|e| e.text())
        .collect();
    assert_eq!(count, "2 articles dans le panier");
}

/// The cart cookie a form's answer sets (`None`: removed or untouched).
fn cart_cookie_of(response: &reqwest::Response) -> Option<String> {
    support::forms::set_cookie(response.headers(), "comptoir_cart")
        .map(|(value, _)| value)
        .filter(|value| !value.is_empty())
}

/// Before the page's script (or without it), adding, subscribing, changing a quantity, the
/// destination and emptying the cart are plain form posts that update the cart cookie with the
/// browser's own rules and come back with the outcome.
async fn the_cart_works_as_plain_forms_before_the_script(backend: Backend) {
    use support::forms::{location, post_form};
    let app = spawn(backend).await;
    let soap = product_by_slug(&app, "savon-surgras-lavande").await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let soap_id = soap.id.to_string();
    let added = post_form(
        &app,
        "/api/cart/add",
        &[
            ("product_id", soap_id.as_str()),
            ("quantity", "2"),
            ("back", "/products?sort=price-asc&cart=refused&p=1"),
        ],
        "",
    )
    .await;
    assert_eq!(
        location(&added),
        format!("/products?sort=price-asc&cart=added&p={0}#add-{0}", soap.id),
        "back where the form was, the earlier outcome replaced"
    );
    let cookie = cart_cookie_of(&added).expect("the cart cookie");
    assert_eq!(cookie, format!("FR~{}x2", soap.id));
    let cart = format!("comptoir_cart={cookie}");
    // The page shows what the form did, next to that product's button.
    let (_, body) = support::forms::page(
        &app,
        &format!("/products/savon-surgras-lavande?cart=added&p={}", soap.id),
        &cart,
    )
    .await;
    assert!(body.contains("Ajouté au panier."), "the outcome is shown");
    // More than the stock: capped, as in the browser.
    let mut few: product::ActiveModel = magnesium.clone().into();
    few.stock = Set(3);
    few.update(&app.db).await.unwrap();
    let magnesium_id = magnesium.id.to_string();
    let capped = post_form(
        &app,
        "/api/cart/add",
        &[
            ("product_id", magnesium_id.as_str()),
            ("quantity", "5"),
            ("every_months", "2"),
            ("back", "/products/magnesium-marin-b6"),
        ],
        &cart,
    )
    .await;
    assert_eq!(
        location(&capped),
        format!(
            "/products/magnesium-marin-b6?cart=capped&p={0}#subscribe-{0}",
            magnesium.id
        )
    );
    let cookie = cart_cookie_of(&capped).unwrap();
    assert_eq!(cookie, format!("FR~{}x2~{}x3m2", soap.id, magnesium.id));
    let cart = format!("comptoir_cart={cookie}");
    // A frequency the product does not offer, an unknown product: refused, the cart untouched.
    for (id, months) in [(magnesium_id.as_str(), "5"), ("999999", "")] {
        let refused = post_form(
            &app,
            "/api/cart/add",
            &[
                ("product_id", id),
                ("every_months", months),
                ("back", "https://ailleurs.example/"),
            ],
            &cart,
        )
        .await;
        assert!(
            location(&refused).starts_with("/cart?cart=refused"),
            "{}",
            location(&refused)
        );
        assert_eq!(cart_cookie_of(&refused), None);
    }
    // A path browsers would read as another host comes back to the cart instead.
    let sneaky = post_form(
        &app,
        "/api/cart/add",
        &[("product_id", "999999"), ("back", "/\t/ailleurs.example/")],
        &cart,
    )
    .await;
    assert!(
        location(&sneaky).starts_with("/cart?cart=refused"),
        "{}",
        location(&sneaky)
    );
    // Nonsense is a 400 with a message, not a panic.
    let bad = support::forms::call(
        &app,
        "/api/cart/add",
        &[("product_id", soap_id.as_str()), ("quantity", "beaucoup")],
        &cart,
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    // The cart page's controls: a stepper, a typed quantity (within the stock), removal.
    let stepped = post_form(
        &app,
        "/api/cart/set",
        &[("product_id", soap_id.as_str()), ("set", "3")],
        &cart,
    )
    .await;
    assert_eq!(location(&stepped), "/cart");
    let cookie = cart_cookie_of(&stepped).unwrap();
    assert_eq!(cookie, format!("FR~{}x3~{}x3m2", soap.id, magnesium.id));
    let cart = format!("comptoir_cart={cookie}");
    let typed = post_form(
        &app,
        "/api/cart/set",
        &[("product_id", magnesium_id.as_str()), ("quantity", "40")],
        &cart,
    )
    .await;
    let cookie = cart_cookie_of(&typed).unwrap();
    assert_eq!(
        cookie,
        format!("FR~{}x3~{}x3m2", soap.id, magnesium.id),
        "kept within the stock"
    );
    let removed = post_form(
        &app,
        "/api/cart/set",
        &[("product_id", magnesium_id.as_str()), ("set", "0")],
        &cart,
    )
    .await;
    let cookie = cart_cookie_of(&removed).unwrap();
    assert_eq!(cookie, format!("FR~{}x3", soap.id));
    let cart = format!("comptoir_cart={cookie}");
    let moved = post_form(
        &app,
        "/api/cart/destination",
        &[("destination", "BE")],
        &cart,
    )
    .await;
    assert_eq!(cart_cookie_of(&moved).unwrap(), format!("BE~{}x3", soap.id));
    let nowhere = support::forms::call(
        &app,
        "/api/cart/destination",
        &[("destination", "XX")],
        &cart,
    )
    .await;
    assert_eq!(nowhere.status(), StatusCode::BAD_REQUEST);
    let emptied = post_form(&app, "/api/cart/clear", &[], &cart).await;
    assert_eq!(location(&emptied), "/cart");
    let removed = support::forms::set_cookie(emptied.headers(), "comptoir_cart").unwrap();
    assert!(removed.0.is_empty(), "the cookie is removed");
}
