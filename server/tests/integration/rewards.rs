//! Referral and loyalty, through HTTP on both engines: a referral code from the account, the
//! share link, a friend signed up with it (or typing it at checkout) gets the welcome advantage
//! on a first order only; one's own code is refused by account, email and delivery address;
//! the sponsor's credit comes once the first order is paid, by email, and is spent exactly once
//! even by concurrent checkouts; a refunded first order reverses the referral. Points come with
//! a paid order, are spent as a voucher exactly once, come back when the unpaid order is
//! cancelled and are taken back by a refund. Review, order and invoice agree to the cent.

use crate::support;

use app::db::entities::{invoice, loyalty_entry, order, referral, user};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use support::forms::{
    account, call, confirmed_account, emailed_token, location, page, post_form, set_cookie,
};
use support::shop::*;
use support::{Backend, TestApp, spawn};

both_backends!(
    referral_from_the_share_link_to_the_sponsors_credit,
    loyalty_points_are_earned_spent_once_and_taken_back,
    random_baskets_and_advantages_agree_from_review_to_invoice,
);

const PASSWORD: &str = "plume-encre-papier-42";

/// Signs up `email` with referral code `code`, confirms, returns the session's cookie header.
async fn referred_account(app: &TestApp, email: &str, code: &str) -> String {
    let fields = [
        ("email", email),
        ("password", PASSWORD),
        ("first_name", "Inès"),
        ("last_name", "Roux"),
        ("referral_code", code),
    ];
    let response = post_form(app, "/api/account/sign-up", &fields, "").await;
    assert_eq!(location(&response), "/account/check-email");
    let token = emailed_token(app, email, "account_verify").await;
    let response = post_form(app, "/api/account/confirm-email", &[("token", &token)], "").await;
    let (session, _) = set_cookie(response.headers(), SESSION).expect("signed in");
    format!("{SESSION}={session}")
}

/// Signs `email` in once more: a second session of the same account.
async fn second_session(app: &TestApp, email: &str) -> String {
    let response = post_form(
        app,
        "/api/account/sign-in",
        &[("email", email), ("password", PASSWORD)],
        "",
    )
    .await;
    let (session, _) = set_cookie(response.headers(), SESSION).expect("signed in");
    format!("{SESSION}={session}")
}

async fn apply(app: &TestApp, cookies: &str, code: &str) -> reqwest::Response {
    call(app, "/api/checkout/promo", &[("code", code)], cookies).await
}

async fn refund(app: &TestApp, staff: &str, number: &str, amount: &str, n: usize) {
    let response = call(
        app,
        "/api/orders/refund",
        &[
            ("number", number),
            ("amount", amount),
            ("reason", "Produit arrivé abîmé"),
            ("idempotency_key", &format!("refund-{n}-0123456789abcdef")),
        ],
        staff,
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
}

fn money(cents: i64) -> String {
    app::ui::format::money(app::i18n::Locale::Fr, rust_decimal::Decimal::new(cents, 2))
}

/// The order's invoice total and its sums, checked against the order to the cent.
async fn invoice_agrees(app: &TestApp, placed: &order::Model) {
    let issued = invoice::Entity::find()
        .filter(invoice::Column::OrderId.eq(placed.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an invoice");
    let document: app::orders::model::InvoiceDocument =
        serde_json::from_str(&issued.document).unwrap();
    assert_eq!(
        app::money::to_cents(document.total).unwrap(),
        placed.total_cents
    );
    let lines: rust_decimal::Decimal = document.lines.iter().map(|l| l.total_excl).sum();
    assert_eq!(
        lines - document.discount_excl + document.shipping_excl,
        document.total_excl
    );
    assert_eq!(document.total_excl + document.total_vat, document.total);
    assert_eq!(
        placed.total_cents,
        placed.subtotal_cents - placed.discount_cents + placed.shipping_cents
    );
}

async fn referral_from_the_share_link_to_the_sponsors_credit(backend: Backend) {
    let app = spawn(backend).await;
    let staff = support::forms::staff_session(&app).await;
    let sponsor_session = format!(
        "{SESSION}={}",
        confirmed_account(&app, "marraine@exemple.fr", PASSWORD).await
    );
    // The account shows a code and its link, made once.
    let (status, rewards) = page(&app, "/account/rewards", &sponsor_session).await;
    assert_eq!(status, StatusCode::OK);
    let code = account(&app, "marraine@exemple.fr")
        .await
        .referral_code
        .expect("a code");
    assert!(code.starts_with("CAMILLE-"), "{code}");
    assert!(rewards.contains(&code));
    assert!(rewards.contains(&format!("/account/sign-up?ref={code}")));
    page(&app, "/account/rewards", &sponsor_session).await;
    assert_eq!(
        account(&app, "marraine@exemple.fr").await.referral_code,
        Some(code.clone())
    );
    // The share link fills the sign-up form; an unknown code is refused.
    let (_, form) = page(&app, &format!("/account/sign-up?ref={code}"), "").await;
    assert!(form.contains(&format!("value=\"{code}\"")));
    let response = call(
        &app,
        "/api/account/sign-up",
        &[
            ("email", "perdu@exemple.fr"),
            ("password", PASSWORD),
            ("first_name", "Jo"),
            ("last_name", "Perdu"),
            ("referral_code", "PERSONNE-ABCDEF"),
        ],
        "",
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("n'existe pas"));

    // The sponsor's own first order, paid, to 12 rue des Lilas.
    let own = basket(
        &app,
        &sponsor_session,
        "marraine@exemple.fr",
        "12 rue des Lilas",
        "card",
    )
    .await;
    // One's own code: by account…
    let response = apply(&app, &own, &code).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("propre code"));
    place_and_pay(&app, &own, 1).await;
    // …by email (as a guest, in capitals)…
    let guest = basket(&app, "", "Marraine@Exemple.fr", "3 quai Perrache", "card").await;
    assert_eq!(
        apply(&app, &guest, &code).await.status(),
        StatusCode::BAD_REQUEST
    );
    // …and by delivery address, however it is spelt.
    let neighbour = basket(&app, "", "voisin@exemple.fr", "12 RUE DES LILAS", "card").await;
    let response = apply(&app, &neighbour, &code.to_lowercase()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("propre code"));

    // A friend signed up with the code: the welcome advantage comes by itself on the review.
    let friend = referred_account(&app, "filleule@exemple.fr", &code).await;
    let cookies = basket(
        &app,
        &friend,
        "filleule@exemple.fr",
        "8 rue Mercière",
        "card",
    )
    .await;
    let (_, review) = page(&app, "/checkout?step=review", &cookies).await;
    assert!(review.contains("Parrainage : bienvenue"), "welcome shown");
    let first = place_and_pay(&app, &cookies, 2).await;
    // 10 % of the goods, VAT after the discount, the invoice to the cent.
    let expected = (first.subtotal_cents + 5) / 10;
    assert_eq!(first.discount_cents, expected);
    assert!(review.contains(&money(-first.discount_cents)));
    assert!(review.contains(&money(first.total_cents)));
    invoice_agrees(&app, &first).await;
    // The order page, its invoice and the confirmation name the discount, so their lines add up.
    let (_, order_page) = page(&app, &format!("/orders/{}", first.number), &friend).await;
    assert!(order_page.contains("Parrainage : bienvenue"));
    assert!(order_page.contains(&money(-first.discount_cents)));
    let (_, invoice_page) = page(&app, &format!("/orders/{}/invoice", first.number), &friend).await;
    assert!(invoice_page.contains("Remises (HT)"));
    let confirmed = mails(&app, "order_confirmed").await;
    let mail = confirmed
        .iter()
        .find(|m| m.to_address == "filleule@exemple.fr")
        .expect("the confirmation");
    assert!(mail.body_text.contains(&format!(
        "Parrainage : bienvenue — {}",
        money(-first.discount_cents)
    )));
    let row = referral::Entity::find()
        .filter(referral::Column::OrderId.eq(first.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the referral");
    assert_eq!(row.status, "earned");
    assert_eq!(row.credit_cents, 1000);
    let told = mails(&app, "referral_credit").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].to_address, "marraine@exemple.fr");
    assert!(told[0].body_text.contains(&money(1000)));
    // Once per person: a second order has no welcome, and the code typed again is refused.
    let again = basket(
        &app,
        &friend,
        "filleule@exemple.fr",
        "8 rue Mercière",
        "card",
    )
    .await;
    let response = apply(&app, &again, &code).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("première commande"));
    let (_, review) = page(&app, "/checkout?step=review", &again).await;
    assert!(!review.contains("Parrainage : bienvenue"));

    // The sponsor's credit, in the account and at checkout, spent once by two checkouts at once.
    let (_, rewards) = page(&app, "/account/rewards", &sponsor_session).await;
    assert!(rewards.contains("Avoir acquis") && rewards.contains(&money(1000)));
    let other_session = second_session(&app, "marraine@exemple.fr").await;
    let mut checkouts = Vec::new();
    for (n, session) in [&sponsor_session, &other_session].into_iter().enumerate() {
        let cookies = basket(
            &app,
            session,
            "marraine@exemple.fr",
            "12 rue des Lilas",
            "bank_transfer",
        )
        .await;
        advantage(&app, &cookies, "credit", true).await;
        let (_, review) = page(&app, "/checkout?step=review", &cookies).await;
        assert!(review.contains("Avoir de parrainage"), "checkout {n}");
        checkouts.push(cookies);
    }
    let (statuses, placed) = place_at_once(&app, &checkouts).await;
    assert!(statuses.contains(&StatusCode::CONFLICT), "{statuses:?}");
    let spender = placed.last().unwrap();
    assert_eq!(spender.discount_cents, 1000);
    let row = referral::Entity::find_by_id(row.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.credit_order_id, Some(spender.id));
    // Unpaid and cancelled: the credit is free again.
    let cancelled = call(
        &app,
        "/api/admin/orders/move",
        &[
            ("number", spender.number.as_str()),
            ("action", "cancel"),
            ("reason", "Virement jamais reçu"),
            ("idempotency_key", "cancel-credit-0123456789"),
        ],
        &staff,
    )
    .await;
    assert!(cancelled.status().is_success());
    let row = referral::Entity::find_by_id(row.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.credit_order_id, None);

    // A guest typing the code at checkout is referred too; refunded in full, the referral is
    // reversed and its credit never becomes usable.
    let typed = basket(&app, "", "ami@exemple.fr", "40 cours Lafayette", "card").await;
    assert!(apply(&app, &typed, &code).await.status().is_success());
    let second = place_and_pay(&app, &typed, 20).await;
    assert!(second.discount_cents > 0);
    assert_eq!(mails(&app, "referral_credit").await.len(), 2);
    refund(&app, &staff, &second.number, "", 21).await;
    let row = referral::Entity::find()
        .filter(referral::Column::OrderId.eq(second.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "reversed");
    let (_, rewards) = page(&app, "/account/rewards", &sponsor_session).await;
    assert!(rewards.contains("Annulé"));
    assert!(
        rewards.contains(&format!("Avoir de parrainage disponible : {}", money(1000))),
        "only the first credit is left"
    );
}

async fn save_rewards(app: &TestApp, staff: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let defaults = [
        ("welcome_kind", "percent"),
        ("welcome_value", "10"),
        ("sponsor_credit", "10"),
        ("points_per_euro", "1"),
        ("voucher_points", "100"),
        ("voucher_value", "5"),
    ];
    let form = support::forms::struct_form(&defaults, fields);
    call(app, "/api/admin/rewards/save", &pairs(&form), staff).await
}

async fn balance(app: &TestApp, email: &str) -> i64 {
    account(app, email).await.loyalty_points
}

async fn loyalty_points_are_earned_spent_once_and_taken_back(backend: Backend) {
    let app = spawn(backend).await;
    let staff = support::forms::staff_session(&app).await;
    let customer = format!(
        "{SESSION}={}",
        confirmed_account(&app, "fidele@exemple.fr", PASSWORD).await
    );
    // Staff set the scale; a customer may not, and a wrong value is refused with its reason.
    assert_eq!(
        save_rewards(&app, &customer, &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    let response = save_rewards(&app, &staff, &[("voucher_points", "0")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("100 000 points"));
    let response = save_rewards(
        &app,
        &staff,
        &[("points_per_euro", "2"), ("voucher_points", "50")],
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
    let (_, form) = page(&app, "/admin/rewards", &staff).await;
    assert!(form.contains("value=\"50\""));

    // A paid order earns 2 points per whole euro of goods.
    let cookies = basket(
        &app,
        &customer,
        "fidele@exemple.fr",
        "5 place Bellecour",
        "card",
    )
    .await;
    let (_, review) = page(&app, "/checkout?step=review", &cookies).await;
    assert!(
        !review.contains("data-testid=\"advantages\""),
        "nothing to offer yet"
    );
    let paid = place_and_pay(&app, &cookies, 1).await;
    let earned = (paid.subtotal_cents - paid.discount_cents) / 100 * 2;
    assert_eq!(balance(&app, "fidele@exemple.fr").await, earned);
    let (_, rewards) = page(&app, "/account/rewards", &customer).await;
    assert!(rewards.contains(&format!("{earned} points")) && rewards.contains("Gagnés"));
    assert!(rewards.contains(&paid.number));

    // Two checkouts of the same account spend the points at once: one voucher is taken.
    let vouchers = earned / 50;
    let other = second_session(&app, "fidele@exemple.fr").await;
    let mut checkouts = Vec::new();
    for session in [&customer, &other] {
        let cookies = basket(
            &app,
            session,
            "fidele@exemple.fr",
            "5 place Bellecour",
            "bank_transfer",
        )
        .await;
        let (_, review) = page(&app, "/checkout?step=review", &cookies).await;
        assert!(review.contains("data-testid=\"advantages\""));
        advantage(&app, &cookies, "points", true).await;
        let (_, review) = page(&app, "/checkout?step=review", &cookies).await;
        assert!(review.contains("Bon fidélité"));
        checkouts.push(cookies);
    }
    let (_, placed) = place_at_once(&app, &checkouts).await;
    let spender = placed.last().unwrap().clone();
    assert_eq!(spender.discount_cents, vouchers * 500);
    assert_eq!(
        balance(&app, "fidele@exemple.fr").await,
        earned - vouchers * 50
    );
    assert_eq!(
        spender.total_cents,
        spender.subtotal_cents - spender.discount_cents + spender.shipping_cents
    );

    // Cancelled unpaid: the points come back.
    let cancelled = call(
        &app,
        "/api/admin/orders/move",
        &[
            ("number", spender.number.as_str()),
            ("action", "cancel"),
            ("reason", "Virement jamais reçu"),
            ("idempotency_key", "cancel-points-0123456789"),
        ],
        &staff,
    )
    .await;
    assert!(cancelled.status().is_success());
    assert_eq!(balance(&app, "fidele@exemple.fr").await, earned);

    // Half refunded: half the points go; the rest refunded: all of them.
    let half = format!("{}", rust_decimal::Decimal::new(paid.total_cents / 2, 2));
    refund(&app, &staff, &paid.number, &half, 30).await;
    let after_half = balance(&app, "fidele@exemple.fr").await;
    let expected_half =
        app::rewards::rules::points_taken_back(earned, paid.total_cents / 2, paid.total_cents);
    assert_eq!(after_half, earned - expected_half);
    refund(&app, &staff, &paid.number, "", 31).await;
    assert_eq!(balance(&app, "fidele@exemple.fr").await, 0);
    let kinds: Vec<String> = loyalty_entry::Entity::find()
        .order_by_asc(loyalty_entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        ["earned", "spent", "returned", "taken_back", "taken_back"]
    );
    let (_, rewards) = page(&app, "/account/rewards", &customer).await;
    assert!(rewards.contains("Repris (remboursement)") && rewards.contains("Rendus"));
}

/// A property over HTTP: for random baskets (one to four products of both VAT rates, one to
/// three of each, France or Belgium) with a random mix of advantages (none, a percentage or a
/// fixed promo code, a product-scoped one, a points voucher), the review's total is the order's,
/// the order's parts add up, its VAT is split after the discounts, and the invoice says the same
/// to the cent. A fixed seed: a failure names its case and replays.
async fn random_baskets_and_advantages_agree_from_review_to_invoice(backend: Backend) {
    use app::db::entities::{product, promo_code};
    use rand::{Rng, SeedableRng};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, QuerySelect};
    let app = spawn(backend).await;
    let now = chrono::Utc::now();
    for (code, kind, value, scope, ids) in [
        ("PCT15", "percent", 1500, "all", "[]".to_owned()),
        ("EUR7", "amount", 700, "all", "[]".to_owned()),
        (
            "SERUM30",
            "percent",
            3000,
            "products",
            format!(
                "[{}]",
                product_by_slug(&app, "serum-eclat-vitamine-c").await.id
            ),
        ),
    ] {
        promo_code::ActiveModel {
            code: Set(code.into()),
            kind: Set(kind.into()),
            value: Set(value),
            scope: Set(scope.into()),
            scope_ids: Set(ids),
            uses: Set(0),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let member = format!(
        "{SESSION}={}",
        confirmed_account(&app, "hasard@exemple.fr", PASSWORD).await
    );
    user::Entity::update_many()
        .col_expr(
            user::Column::LoyaltyPoints,
            sea_orm::sea_query::Expr::value(1_000_000i64),
        )
        .filter(user::Column::Email.eq("hasard@exemple.fr"))
        .exec(&app.db)
        .await
        .unwrap();
    let products = product::Entity::find()
        .filter(product::Column::Status.eq("active"))
        .filter(product::Column::Stock.gt(100))
        .order_by_asc(product::Column::Id)
        .limit(16)
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        products.iter().any(|p| p.vat_rate_bp == 550)
            && products.iter().any(|p| p.vat_rate_bp == 2000),
        "both VAT rates in the draw"
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(20_261_123);
    for case in 0..10 {
        let count = rng.random_range(1..=4);
        let mut picked: Vec<&product::Model> = Vec::new();
        while picked.len() < count {
            let p = &products[rng.random_range(0..products.len())];
            if !picked.iter().any(|q| q.id == p.id) {
                picked.push(p);
            }
        }
        let lines: Vec<String> = picked
            .iter()
            .map(|p| format!("{}x{}", p.id, rng.random_range(1..=3)))
            .collect();
        let (country, postal) = if rng.random_bool(0.5) {
            ("FR", "69002")
        } else {
            ("BE", "1000")
        };
        // Each kind of advantage twice.
        let kind = case % 5;
        let with_points = kind == 4;
        let email = if with_points {
            "hasard@exemple.fr".to_owned()
        } else {
            format!("hasard{case}@exemple.fr")
        };
        let cart = format!("comptoir_cart={country}~{}", lines.join("~"));
        let session = if with_points {
            format!("{cart}; {member}")
        } else {
            cart.clone()
        };
        let fields = details(&email, country, postal);
        let response = post_form(&app, "/api/checkout/details", &pairs(&fields), &session).await;
        assert_eq!(
            location(&response),
            "/checkout?step=delivery",
            "case {case}"
        );
        let cookies = match set_cookie(response.headers(), SESSION) {
            Some((fresh, _)) => format!("{cart}; {SESSION}={fresh}"),
            None => session,
        };
        let response = post_form(
            &app,
            "/api/checkout/delivery",
            &[("payment_method", "card")],
            &cookies,
        )
        .await;
        assert_eq!(location(&response), "/checkout?step=review", "case {case}");
        match kind {
            1 => assert!(apply(&app, &cookies, "PCT15").await.status().is_success()),
            2 => assert!(apply(&app, &cookies, "EUR7").await.status().is_success()),
            // Refused when the serum is not in the basket: then no discount.
            3 => {
                apply(&app, &cookies, "SERUM30").await;
            }
            4 => advantage(&app, &cookies, "points", true).await,
            _ => {}
        }
        let (_, review) = page(&app, "/checkout?step=review", &cookies).await;
        let placed = place_and_pay(&app, &cookies, 100 + case).await;
        let why = format!("case {case}: {lines:?} to {country}, advantage {kind}");
        assert!(
            review.contains(&money(placed.total_cents)),
            "review total, {why}"
        );
        if placed.discount_cents > 0 {
            assert!(
                review.contains(&money(-placed.discount_cents)),
                "review discount, {why}"
            );
        }
        if matches!(kind, 1 | 2 | 4) {
            assert!(placed.discount_cents > 0, "{why}");
        }
        let vat: Vec<app::pricing::VatLine> = serde_json::from_str(&placed.vat_lines).unwrap();
        let gross: i64 = vat
            .iter()
            .map(|v| app::money::to_cents(v.gross).unwrap())
            .sum();
        assert_eq!(gross, placed.total_cents, "VAT after the discounts, {why}");
        let applied: Vec<app::pricing::AppliedAdjustment> =
            serde_json::from_str(&placed.adjustments).unwrap();
        let off: i64 = applied
            .iter()
            .map(|a| app::money::to_cents(a.amount).unwrap())
            .sum();
        assert_eq!(off, placed.discount_cents, "{why}");
        for a in &applied {
            let split: rust_decimal::Decimal = a.by_rate.iter().map(|r| r.amount).sum();
            assert_eq!(split, a.amount, "{why}");
        }
        invoice_agrees(&app, &placed).await;
    }
}
