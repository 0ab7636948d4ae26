//! Promo codes: staff create them (customers and editors may not, a bad form writes nothing);
//! a shopper applies one at the review step and the review, the order and its invoice agree to
//! the cent with VAT split after the discount; a code limited to one use is used exactly once
//! by two concurrent checkouts; a customer's own limit holds; an unpaid order cancelled gives
//! its use back; the scope keeps the discount on its products.

use crate::support;

use app::db::entities::{invoice, order, promo_code, promo_redemption};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use support::forms::{call, page, post_form, role_session, staff_session};
use support::shop::*;
use support::{Backend, TestApp, spawn};

both_backends!(
    staff_create_codes_and_shoppers_get_the_same_discount_everywhere,
    a_code_for_one_use_is_used_once_by_concurrent_checkouts,
    limits_per_customer_scope_and_cancellation,
);

/// A serum and two magnesium for France, through the first two steps.
async fn basket(app: &TestApp, email: &str, method: &str) -> String {
    let serum = product_by_slug(app, "serum-eclat-vitamine-c").await;
    let magnesium = product_by_slug(app, "magnesium-marin-b6").await;
    fill(
        app,
        &format!("FR~{}x1~{}x2", serum.id, magnesium.id),
        email,
        "FR",
        method,
    )
    .await
}

async fn apply(app: &TestApp, cookies: &str, code: &str) -> reqwest::Response {
    call(app, "/api/checkout/promo", &[("code", code)], cookies).await
}

fn cents(d: Decimal) -> i64 {
    app::money::to_cents(d).unwrap()
}

async fn staff_create_codes_and_shoppers_get_the_same_discount_everywhere(backend: Backend) {
    let app = spawn(backend).await;
    let customer = role_session(&app, "client@exemple.fr", "customer").await;
    let editor = role_session(&app, "plume@exemple.fr", "editor").await;
    for cookie in [&customer, &editor] {
        assert_eq!(
            create_promo(&app, cookie, &[("code", "PIRATE")])
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            page(&app, "/admin/promotions", cookie).await.0,
            StatusCode::FORBIDDEN
        );
    }
    let staff = staff_session(&app).await;
    for (fields, says) in [
        (vec![("code", "a b")], "Code invalide"),
        (vec![("code", "TROP"), ("value", "120")], "Valeur invalide"),
        (
            vec![
                ("code", "DATES"),
                ("starts_on", "2026-12-01"),
                ("ends_on", "2026-11-01"),
            ],
            "Dates",
        ),
        (
            vec![("code", "VIDE"), ("scope", "products")],
            "au moins un produit",
        ),
        (
            vec![
                ("code", "INCONNU"),
                ("scope", "products"),
                ("scope_slugs", "nulle-part"),
            ],
            "nulle-part",
        ),
    ] {
        let response = create_promo(&app, &staff, &fields).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{says}");
        assert!(response.text().await.unwrap().contains(says), "{says}");
    }
    assert_eq!(promo_code::Entity::find().count(&app.db).await.unwrap(), 0);
    let response = create_promo(
        &app,
        &staff,
        &[("code", "bienvenue10"), ("min_basket", "30")],
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(
        create_promo(&app, &staff, &[("code", "BIENVENUE10")])
            .await
            .status(),
        StatusCode::BAD_REQUEST,
        "codes are unique"
    );
    let (_, list) = page(&app, "/admin/promotions", &staff).await;
    assert!(list.contains("BIENVENUE10") && list.contains("−10 %"));

    // An unknown code is refused at the review; the right one, typed in lower case, applies.
    let cookies = basket(&app, "promo@exemple.fr", "card").await;
    let response = apply(&app, &cookies, "NOEL").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("n'existe pas"));
    let response = post_form(
        &app,
        "/api/checkout/promo",
        &[("code", "bienvenue10")],
        &cookies,
    )
    .await;
    assert_eq!(support::forms::location(&response), "/checkout?step=review");
    let (_, review) = page(&app, "/checkout?step=review", &cookies).await;
    assert!(
        review.contains("BIENVENUE10"),
        "the code is named in the totals"
    );

    // The order: 10 % off the goods, before VAT, shipping on what is left.
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let goods = serum.price_cents + 2 * magnesium.price_cents;
    let response = place(&app, &cookies, &key(1)).await;
    let order = orders(&app).await.pop().expect("an order");
    assert_eq!(order.subtotal_cents, goods);
    let discount = (Decimal::new(goods, 2) / Decimal::TEN).round_dp(2);
    assert_eq!(order.discount_cents, cents(discount));
    assert!(
        review.contains(&app::ui::format::money(app::i18n::Locale::Fr, -discount)),
        "the review showed the discount the order took"
    );
    assert_eq!(
        order.total_cents,
        order.subtotal_cents - order.discount_cents + order.shipping_cents
    );
    let vat: Vec<app::pricing::VatLine> = serde_json::from_str(&order.vat_lines).unwrap();
    let gross: i64 = vat.iter().map(|v| cents(v.gross)).sum();
    assert_eq!(gross, order.total_cents, "VAT split after the discount");
    assert!(
        review.contains(&app::ui::format::money(
            app::i18n::Locale::Fr,
            Decimal::new(order.total_cents, 2)
        )),
        "the review showed the total the order took"
    );

    // Paid: the invoice says the same, without VAT, to the cent.
    let id = payment_id(&support::forms::location(&response));
    answer_demo(&app, &id, "pay").await;
    eventually("the invoice", || async {
        invoice::Entity::find()
            .filter(invoice::Column::OrderId.eq(order.id))
            .count(&app.db)
            .await
            .unwrap()
            == 1
    })
    .await;
    let issued = invoice::Entity::find()
        .filter(invoice::Column::OrderId.eq(order.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let document: app::orders::model::InvoiceDocument =
        serde_json::from_str(&issued.document).unwrap();
    assert_eq!(cents(document.total), order.total_cents);
    assert!(document.discount_excl > Decimal::ZERO);
    let lines_excl: Decimal = document.lines.iter().map(|l| l.total_excl).sum();
    assert_eq!(
        lines_excl - document.discount_excl + document.shipping_excl,
        document.total_excl
    );
    assert_eq!(document.total_excl + document.total_vat, document.total);
}

async fn a_code_for_one_use_is_used_once_by_concurrent_checkouts(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let response = create_promo(&app, &staff, &[("code", "UNSEUL"), ("max_uses", "1")]).await;
    assert!(response.status().is_success());
    // Four shoppers apply it (nobody has used it yet), then all place at once.
    let mut shoppers = Vec::new();
    for n in 0..4 {
        let cookies = basket(&app, &format!("course{n}@exemple.fr"), "bank_transfer").await;
        assert!(apply(&app, &cookies, "UNSEUL").await.status().is_success());
        shoppers.push(cookies);
    }
    let keys: Vec<String> = (0..shoppers.len()).map(|n| key(n + 10)).collect();
    let answers = futures::future::join_all(
        shoppers
            .iter()
            .zip(&keys)
            .map(|(cookies, key)| place(&app, cookies, key)),
    )
    .await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    let placed = orders(&app).await;
    assert_eq!(placed.len(), 1, "one order: {statuses:?}");
    assert!(placed[0].discount_cents > 0);
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        3,
        "{statuses:?}"
    );
    let code = promo_code::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(code.uses, 1);
    assert_eq!(
        promo_redemption::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
}

async fn limits_per_customer_scope_and_cancellation(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    assert!(
        create_promo(
            &app,
            &staff,
            &[
                ("code", "FIDELE"),
                ("kind", "amount"),
                ("value", "5"),
                ("max_uses_per_customer", "1")
            ]
        )
        .await
        .status()
        .is_success()
    );
    assert!(
        create_promo(
            &app,
            &staff,
            &[
                ("code", "SERUM20"),
                ("value", "20"),
                ("scope", "products"),
                ("scope_slugs", "serum-eclat-vitamine-c")
            ]
        )
        .await
        .status()
        .is_success()
    );
    // A fixed 5 € once per customer (in any case of their address).
    let first = basket(&app, "fidele@exemple.fr", "bank_transfer").await;
    assert!(apply(&app, &first, "fidele").await.status().is_success());
    place(&app, &first, &key(1)).await;
    let placed = orders(&app).await.pop().unwrap();
    assert_eq!(placed.discount_cents, 500);
    let again = basket(&app, "Fidele@Exemple.fr", "bank_transfer").await;
    let response = apply(&app, &again, "FIDELE").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("déjà utilisé"));

    // The unpaid order cancelled (the transfer never came): its use is given back.
    let cancelled = call(
        &app,
        "/api/admin/orders/move",
        &[
            ("number", placed.number.as_str()),
            ("action", "cancel"),
            ("reason", "Virement jamais reçu"),
            ("idempotency_key", "cancel-fidele-0123456789"),
        ],
        &staff,
    )
    .await;
    assert!(cancelled.status().is_success(), "{}", cancelled.status());
    let code = promo_code::Entity::find()
        .filter(promo_code::Column::Code.eq("FIDELE"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(code.uses, 0);
    assert!(apply(&app, &again, "FIDELE").await.status().is_success());

    // 20 % off the serum only: the magnesium keeps its price, and its VAT rate its base.
    let scoped = basket(&app, "soin@exemple.fr", "bank_transfer").await;
    assert!(apply(&app, &scoped, "SERUM20").await.status().is_success());
    place(&app, &scoped, &key(2)).await;
    let order = order::Entity::find()
        .filter(order::Column::Email.eq("soin@exemple.fr"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    assert_eq!(
        order.discount_cents,
        cents((Decimal::new(serum.price_cents, 2) / Decimal::from(5)).round_dp(2))
    );
    let applied: Vec<app::pricing::AppliedAdjustment> =
        serde_json::from_str(&order.adjustments).unwrap();
    assert_eq!(applied[0].by_rate.len(), 1, "{applied:?}");
    assert_eq!(applied[0].by_rate[0].rate, Decimal::from(20));
}
