//! After-sales money by the law: a withdrawal, a missing item or a staff refund by line gives
//! back what was paid for those items once the order's discounts took their share (never the
//! catalogue price), the initial delivery when everything comes back, and never more than the
//! order's total; the withdrawal is open from payment (a parcel on its way included), and the
//! review, the receipt, the refund and the credit note agree to the cent.

use crate::support;

use app::db::entities::{credit_note, order, order_line, refund, withdrawal_request};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use support::forms::{call, location, page, post_form, set_cookie, staff_session, staff_sign_in};
use support::shop::*;
use support::{Backend, TestApp, spawn};

both_backends!(
    a_discounted_parcel_on_its_way_is_withdrawn_for_what_was_paid,
    staff_refund_lines_at_the_price_paid_with_their_own_vat,
    an_overseas_postal_code_is_refused_for_metropolitan_france,
    deadlines_turn_late_and_a_late_order_is_cancelled_with_a_full_refund,
    under_oss_an_eu_order_is_taxed_at_its_destinations_rates,
    la_postes_delivery_date_starts_the_withdrawal_days,
);

/// An order of one serum and two magnesium with `code` (made by `staff` with `promo`), paid
/// by card through the demo provider.
async fn discounted_paid_order(
    app: &TestApp,
    staff: &str,
    email: &str,
    promo: &[(&str, &str)],
    n: usize,
) -> order::Model {
    let made = create_promo(app, staff, promo).await;
    assert!(made.status().is_success(), "{}", made.status());
    let code = promo.iter().find(|(k, _)| *k == "code").unwrap().1;
    let serum = product_by_slug(app, "serum-eclat-vitamine-c").await;
    let magnesium = product_by_slug(app, "magnesium-marin-b6").await;
    let cookies = fill(
        app,
        &format!("FR~{}x1~{}x2", serum.id, magnesium.id),
        email,
        "FR",
        "card",
    )
    .await;
    let applied = call(app, "/api/checkout/promo", &[("code", code)], &cookies).await;
    assert!(applied.status().is_success(), "{}", applied.status());
    let placed = place(app, &cookies, &key(n)).await;
    answer_demo(app, &payment_id(&location(&placed)), "pay").await;
    last_order_once(app, "paid").await
}

async fn lines_of(app: &TestApp, order: &order::Model) -> Vec<order_line::Model> {
    order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .order_by_asc(order_line::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// Starts, reviews and confirms a withdrawal of `picks` (line id, quantity), all sealed.
async fn withdraw(app: &TestApp, order: &order::Model, picks: &[(i32, i32)]) -> String {
    let answer = post_form(
        app,
        "/api/withdrawal/start",
        &[
            ("number", order.number.as_str()),
            ("email", order.email.as_str()),
            ("kind", "withdrawal"),
        ],
        "",
    )
    .await;
    assert_eq!(location(&answer), "/withdrawal?step=lines");
    let (session, _) = set_cookie(answer.headers(), SESSION).unwrap();
    let me = format!("{SESSION}={session}");
    let mut fields = Vec::new();
    for (i, (id, quantity)) in picks.iter().enumerate() {
        fields.push((format!("lines[{i}][line_id]"), id.to_string()));
        fields.push((format!("lines[{i}][quantity]"), quantity.to_string()));
        fields.push((format!("lines[{i}][sealed]"), "yes".to_owned()));
    }
    let answer = post_form(app, "/api/withdrawal/review", &pairs(&fields), &me).await;
    assert_eq!(location(&answer), "/withdrawal?step=confirm");
    let review = page(app, "/withdrawal?step=confirm", &me).await.1;
    let answer = post_form(app, "/api/withdrawal/confirm", &[], &me).await;
    assert!(location(&answer).starts_with("/withdrawal?done=R-"));
    review
}

fn euros(cents: i64) -> String {
    app::ui::format::money(app::i18n::Locale::Fr, rust_decimal::Decimal::new(cents, 2))
}

/// `paid × units ÷ quantity`, halves up.
fn part(line: &order_line::Model, units: i64) -> i64 {
    let quantity = i64::from(line.quantity);
    (line.paid_cents * units * 2 + quantity) / (2 * quantity)
}

async fn a_discounted_parcel_on_its_way_is_withdrawn_for_what_was_paid(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let order = discounted_paid_order(
        &app,
        &staff,
        "remise@exemple.fr",
        &[("code", "MOINS15"), ("value", "15")],
        1,
    )
    .await;
    assert!(order.discount_cents > 0);
    let lines = lines_of(&app, &order).await;
    let paid: i64 = lines.iter().map(|l| l.paid_cents).sum();
    assert_eq!(paid, order.subtotal_cents - order.discount_cents);
    for line in &lines {
        assert!(
            line.paid_cents < line.total_cents,
            "each line took its share"
        );
    }
    // Shipped, not delivered: the right is already open, its end not known yet.
    for (action, extra) in [
        ("prepare", vec![]),
        (
            "ship",
            vec![
                ("carrier", "colissimo"),
                ("tracking_number", "6A12345678901"),
            ],
        ),
    ] {
        let moved = move_order(&app, &staff, &order.number, action, &extra).await;
        assert!(moved.status().is_success(), "{action}: {}", moved.status());
    }
    let shown = page(
        &app,
        &format!("/orders/{}?key={}", order.number, order.access_key),
        "",
    )
    .await
    .1;
    assert!(
        shown.contains("id=\"withdraw\""),
        "the order page offers it"
    );
    assert!(shown.contains("14e jour après la réception"));
    let shipped_mail = mails(&app, "order_shipped").await;
    assert!(shipped_mail[0].body_text.contains("#withdraw"));

    // One magnesium of two: half of what that line was paid, not its catalogue price.
    let magnesium = &lines[1];
    let review = withdraw(&app, &order, &[(magnesium.id, 1)]).await;
    let first = withdrawal_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.refund_cents, part(magnesium, 1));
    assert!(first.refund_cents < magnesium.unit_price_cents);
    assert!(
        review.contains(&euros(first.refund_cents)),
        "the review showed the amount recorded"
    );
    let receipt = mails(&app, "withdrawal_receipt").await;
    assert!(receipt[0].body_text.contains(&euros(first.refund_cents)));
    // Part of a parcel on its way: staff still deliver the rest.
    assert_eq!(order_by_number(&app, &order.number).await.status, "shipped");

    // The rest: what is left of both lines and the initial delivery; together, the total.
    withdraw(&app, &order, &[(lines[0].id, 1), (magnesium.id, 1)]).await;
    let requests = withdrawal_request::Entity::find()
        .order_by_asc(withdrawal_request::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].refund_cents,
        lines[0].paid_cents + magnesium.paid_cents - part(magnesium, 1) + order.shipping_cents
    );
    assert_eq!(
        requests.iter().map(|r| r.refund_cents).sum::<i64>(),
        order.total_cents
    );
    assert_eq!(
        order_by_number(&app, &order.number).await.status,
        "withdrawn"
    );

    // Staff refund both: the credit notes add up to the total, each split by its own lines.
    for request in &requests {
        let answer = post_form(
            &app,
            "/api/admin/withdrawals/refund",
            &[("id", &request.id.to_string())],
            &staff,
        )
        .await;
        assert!(location(&answer).starts_with("/admin/withdrawals"));
    }
    let notes = credit_note::Entity::find()
        .order_by_asc(credit_note::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(
        notes.iter().map(|n| n.total_cents).sum::<i64>(),
        order.total_cents
    );
    let first_note: app::orders::model::CreditNoteDocument =
        serde_json::from_str(&notes[0].document).unwrap();
    let magnesium_rate = rust_decimal::Decimal::new(i64::from(magnesium.vat_rate_bp), 2);
    assert_eq!(first_note.vat.len(), 1, "one line, one rate");
    assert_eq!(
        first_note.vat[0].rate.normalize(),
        magnesium_rate.normalize()
    );
    assert_eq!(
        order_by_number(&app, &order.number).await.status,
        "refunded"
    );
}

async fn staff_refund_lines_at_the_price_paid_with_their_own_vat(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let order = discounted_paid_order(
        &app,
        &staff,
        "lignes@exemple.fr",
        &[("code", "CINQEUROS"), ("kind", "amount"), ("value", "5")],
        2,
    )
    .await;
    assert_eq!(order.discount_cents, 500);
    let lines = lines_of(&app, &order).await;
    let serum = &lines[0];
    let refund_lines = |quantity: &str, key: &str| {
        vec![
            ("number".to_owned(), order.number.clone()),
            ("lines[0][line_id]".to_owned(), serum.id.to_string()),
            ("lines[0][quantity]".to_owned(), quantity.to_owned()),
            ("lines[1][line_id]".to_owned(), lines[1].id.to_string()),
            ("lines[1][quantity]".to_owned(), "0".to_owned()),
            ("amount".to_owned(), "999".to_owned()),
            ("reason".to_owned(), "produit abîmé".to_owned()),
            ("idempotency_key".to_owned(), key.to_owned()),
        ]
    };
    let answer = call(
        &app,
        "/api/orders/refund",
        &pairs(&refund_lines("1", "refund-line-serum-000001")),
        &staff,
    )
    .await;
    assert!(answer.status().is_success(), "{}", answer.status());
    let done = refund::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        done.amount_cents, serum.paid_cents,
        "the line's price paid, the amount field ignored"
    );
    assert!(done.amount_cents < serum.total_cents);
    let note = credit_note::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let document: app::orders::model::CreditNoteDocument =
        serde_json::from_str(&note.document).unwrap();
    assert_eq!(document.vat.len(), 1);
    assert_eq!(
        document.vat[0].rate.normalize(),
        rust_decimal::Decimal::new(i64::from(serum.vat_rate_bp), 2).normalize()
    );
    assert_eq!(note.total_cents, done.amount_cents);
    // The same unit again, or more than there are: refused, nothing written.
    for (quantity, key) in [
        ("1", "refund-line-serum-000002"),
        ("3", "refund-line-serum-000003"),
    ] {
        let again = call(
            &app,
            "/api/orders/refund",
            &pairs(&refund_lines(quantity, key)),
            &staff,
        )
        .await;
        assert_eq!(again.status(), StatusCode::BAD_REQUEST, "{quantity}");
    }
    assert_eq!(refund::Entity::find().all(&app.db).await.unwrap().len(), 1);
    // The refunded unit can no longer be withdrawn: the magnesium can.
    let shown = page(
        &app,
        &format!("/orders/{}?key={}", order.number, order.access_key),
        "",
    )
    .await
    .1;
    assert!(shown.contains("id=\"withdraw\""));
    // In English, English typography: no space before a colon.
    let english = page(
        &app,
        &format!("/orders/{}?key={}", order.number, order.access_key),
        "lang=en",
    )
    .await
    .1;
    let status = english.find("Status").expect("the status line");
    assert!(
        english[status..status + 40].contains(": ") && !english.contains("Status : "),
        "English colon: {}",
        &english[status..status + 40]
    );
    assert!(english.contains("Withdraw from this order"));
}

async fn an_overseas_postal_code_is_refused_for_metropolitan_france(backend: Backend) {
    let app = spawn(backend).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("comptoir_cart=FR~{}x1", serum.id);
    for (country, code, accepted, named) in [
        ("FR", "97400", false, "La Réunion"),
        ("FR", "98800", false, "Nouvelle-Calédonie"),
        ("RE", "75011", false, "France métropolitaine"),
        ("RE", "97400", true, ""),
        ("FR", "98000", true, ""),
    ] {
        let fields = details("outremer@exemple.fr", country, code);
        let answer = call(&app, "/api/checkout/details", &pairs(&fields), &cart).await;
        assert_eq!(answer.status().is_success(), accepted, "{country} {code}");
        if !accepted {
            assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
            let body = answer.text().await.unwrap();
            assert!(body.contains(named), "{country} {code}: {body}");
        }
    }
}

/// The dashboard's count of late deliveries, with the markup just before its label.
fn late_deliveries(dashboard: &str) -> &str {
    let label = dashboard
        .find("commandes non livrées")
        .expect("the late deliveries' line");
    let before = &dashboard[..label];
    let from = before.char_indices().rev().nth(59).map_or(0, |(i, _)| i);
    &before[from..]
}

async fn deadlines_turn_late_and_a_late_order_is_cancelled_with_a_full_refund(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let order = discounted_paid_order(
        &app,
        &staff,
        "retard@exemple.fr",
        &[("code", "RETARD10")],
        3,
    )
    .await;
    let lines = lines_of(&app, &order).await;
    // A missing-item claim needs a delivery: a withdrawal of one unit makes a request to refund.
    withdraw(&app, &order, &[(lines[1].id, 1)]).await;
    let own_page = format!("/orders/{}?key={}", order.number, order.access_key);
    let shown = page(&app, &own_page, "").await.1;
    assert!(
        shown.contains("data-testid=\"delivery-due\""),
        "the date is shown"
    );
    assert!(!shown.contains("Livraison en retard"));
    let owner = [
        ("number", order.number.as_str()),
        ("key", order.access_key.as_str()),
    ];
    assert!(
        late_deliveries(&page(&app, "/admin", &staff).await.1).contains("<strong>0</strong>"),
        "nothing late yet"
    );
    // Too early to cancel for lateness.
    let early = call(&app, "/api/orders/cancel-late", &owner, "").await;
    assert_eq!(early.status(), StatusCode::BAD_REQUEST);

    // 31 days later: the refund of the withdrawal is overdue, the delivery late.
    app.clock.advance(chrono::Duration::days(31));
    // A staff session lasts 30 days at most (APP__SESSION_ABSOLUTE_HOURS), on the shop's clock.
    let (status, _) = page(&app, "/admin/withdrawals", &staff).await;
    assert_eq!(
        status,
        StatusCode::FOUND,
        "the old session has ended: off to sign in"
    );
    let staff = staff_sign_in(&app).await;
    let list = page(&app, "/admin/withdrawals", &staff).await.1;
    assert!(
        list.contains("data-overdue=\"true\""),
        "the request turns overdue"
    );
    let dashboard = page(&app, "/admin", &staff).await.1;
    assert!(dashboard.contains("rétractations à rembourser en retard"));
    let late = late_deliveries(&dashboard);
    assert!(
        late.contains("<strong>1</strong>"),
        "one late delivery counted: {late}"
    );
    let staff_page = page(&app, &format!("/admin/orders/{}", order.number), &staff)
        .await
        .1;
    assert!(staff_page.contains("data-testid=\"late\""));
    let shown = page(&app, &own_page, "").await.1;
    assert!(
        shown.contains("Livraison en retard"),
        "the customer is offered to cancel"
    );

    // Someone without the key cannot; the customer can, once.
    let stranger = call(
        &app,
        "/api/orders/cancel-late",
        &[("number", order.number.as_str())],
        "",
    )
    .await;
    assert!(stranger.status().is_client_error());
    for _ in 0..2 {
        let answer = post_form(&app, "/api/orders/cancel-late", &owner, "").await;
        let to = location(&answer);
        assert!(
            to.starts_with(&format!("/orders/{}", order.number)),
            "{} {to} {}",
            answer.status(),
            answer.text().await.unwrap()
        );
    }
    let refunds = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(order.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(refunds.len(), 1, "one refund");
    assert_eq!(
        refunds[0].amount_cents, order.total_cents,
        "everything, delivery included"
    );
    assert_eq!(
        order_by_number(&app, &order.number).await.status,
        "cancelled"
    );
    let mail = mails(&app, "order_cancelled_late").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].body_text.contains(&euros(order.total_cents)));
}

async fn under_oss_an_eu_order_is_taxed_at_its_destinations_rates(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let table = app::admin::vat::format_rates(
        &app::pricing::defaults::eu_vat_rates(),
        app::i18n::Locale::Fr,
    );
    // A line that cannot be read is named; nothing is saved.
    let bad = call(
        &app,
        "/api/admin/vat/save",
        &[("enabled", "on"), ("rates", "DE 7 19\nUS 0 0")],
        &staff,
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("ligne 2"));
    let customer = call(
        &app,
        "/api/admin/vat/save",
        &[("enabled", "on"), ("rates", table.as_str())],
        "",
    )
    .await;
    assert!(customer.status().is_client_error());
    assert!(
        !app::pricing::service::oss_settings(&app.db)
            .await
            .unwrap()
            .enabled
    );
    let saved = post_form(
        &app,
        "/api/admin/vat/save",
        &[("enabled", "on"), ("rates", table.as_str())],
        &staff,
    )
    .await;
    assert_eq!(location(&saved), "/admin/vat?saved=1");

    // A German order: the same total as before, the lines at Germany's rates.
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let cookies = fill(
        &app,
        &format!("FR~{}x1~{}x1", serum.id, magnesium.id),
        "oss@exemple.fr",
        "DE",
        "card",
    )
    .await;
    let placed = place(&app, &cookies, &key(4)).await;
    answer_demo(&app, &payment_id(&location(&placed)), "pay").await;
    let order = orders(&app).await.pop().unwrap();
    assert_eq!(order.vat_country.as_deref(), Some("DE"));
    assert_eq!(
        order.subtotal_cents,
        serum.price_cents + magnesium.price_cents,
        "prices unchanged"
    );
    let lines = lines_of(&app, &order).await;
    let rates: Vec<(i32, i32)> = lines
        .iter()
        .map(|l| (l.product_id, l.vat_rate_bp))
        .collect();
    assert!(
        rates.contains(&(serum.id, 1900)) && rates.contains(&(magnesium.id, 700)),
        "{rates:?}"
    );
    eventually("the invoice", || async {
        app::db::entities::invoice::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .is_some()
    })
    .await;
    let invoice = app::db::entities::invoice::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let document: app::orders::model::InvoiceDocument =
        serde_json::from_str(&invoice.document).unwrap();
    assert!(
        document
            .notes
            .iter()
            .any(|n| n.contains("Allemagne") && n.contains("OSS")),
        "{:?}",
        document.notes
    );
    let vat_rates: Vec<String> = document
        .vat
        .iter()
        .map(|v| v.rate.normalize().to_string())
        .collect();
    assert_eq!(vat_rates, ["7", "19"]);
}

/// A Colissimo parcel nobody marked delivered: La Poste's tracking says when it was, the order
/// becomes delivered at that moment (not when the shop asked), and the 14 days run from it. A
/// parcel still on its way, an unknown number or a refused key leave the order shipped, and a
/// parcel is not asked about again within the hours the round waits.
async fn la_postes_delivery_date_starts_the_withdrawal_days(backend: Backend) {
    use app::clock::Clock;
    use app::orders::tracking::LaPosteTracking;
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let fake = support::laposte::start().await;
    let order = discounted_paid_order(
        &app,
        &staff,
        "colis@exemple.fr",
        &[("code", "COLIS10"), ("value", "10")],
        1,
    )
    .await;
    for (action, extra) in [
        ("prepare", vec![]),
        (
            "ship",
            vec![
                ("carrier", "colissimo"),
                ("tracking_number", "6A12345678901"),
            ],
        ),
    ] {
        let moved = move_order(&app, &staff, &order.number, action, &extra).await;
        assert!(moved.status().is_success(), "{action}: {}", moved.status());
    }
    let shipped_at = app.clock.now();
    let tracking = LaPosteTracking::new(
        &fake.base,
        support::laposte::KEY,
        std::time::Duration::from_secs(5),
    );
    let site = app.base.clone();
    let paris = chrono::FixedOffset::east_opt(3600).unwrap();
    // Unknown to La Poste yet: nothing changes.
    let round = app::orders::service::delivery::follow(&app.db, &tracking, &site, app.clock.now())
        .await
        .unwrap();
    assert_eq!((round.asked, round.delivered), (1, 0));
    // On its way: still shipped; and not asked again within the round's hours.
    fake.event(
        "6A12345678901",
        "PC1",
        (shipped_at + chrono::Duration::hours(3)).with_timezone(&paris),
    );
    app::orders::service::delivery::follow(&app.db, &tracking, &site, app.clock.now())
        .await
        .unwrap();
    assert_eq!(fake.asked("6A12345678901"), 1, "asked once per round");
    assert_eq!(order_by_number(&app, &order.number).await.status, "shipped");
    // A wrong key is refused and leaves the order as it is.
    app.clock.advance(chrono::Duration::hours(7));
    let wrong = LaPosteTracking::new(&fake.base, "not-the-key", std::time::Duration::from_secs(5));
    let round = app::orders::service::delivery::follow(&app.db, &wrong, &site, app.clock.now())
        .await
        .unwrap();
    assert_eq!((round.failed, round.delivered), (1, 0));
    // Delivered two days after shipping; the shop asks five days after.
    let delivered = (shipped_at + chrono::Duration::days(2)).with_timezone(&paris);
    fake.event("6A12345678901", "DI1", delivered);
    app.clock.advance(chrono::Duration::days(5));
    let round = app::orders::service::delivery::follow(&app.db, &tracking, &site, app.clock.now())
        .await
        .unwrap();
    assert_eq!(round.delivered, 1);
    let now = order_by_number(&app, &order.number).await;
    assert_eq!(now.status, "delivered");
    let at = app::withdrawal::service::delivered_at(&app.db, now.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        at.timestamp(),
        delivered.timestamp(),
        "the carrier's moment"
    );
    assert_eq!(mails(&app, "order_delivered").await.len(), 1);
    // The order page gives the end of the 14 days from that moment.
    let until =
        app::ui::format::paris_time(app::i18n::Locale::Fr, app::clock::paris_days_after(at, 14));
    let (_, body) = page(
        &app,
        &format!("/orders/{}?key={}", order.number, order.access_key),
        "",
    )
    .await;
    assert!(body.contains(&until), "{until} in the order page");
}
