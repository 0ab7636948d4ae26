//! Refunds started by staff, through the provider that took the payment (the demo provider,
//! a fake Mollie) or recorded by hand for a bank transfer, each with its credit note and email;
//! partial then full; refused beyond what is left; one refund per key; staff only.

use crate::support;

use app::db::entities::{credit_note, order, refund};
use app::orders::model::CreditNoteDocument;
use reqwest::StatusCode;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait, QueryOrder};
use support::forms::{call, location, staff_session};
use support::mollie::{self, KEY};
use support::shop::*;
use support::{Backend, TestApp, spawn, spawn_with};

both_backends!(
    staff_refund_part_then_the_rest_with_credit_notes,
    mollie_takes_the_refund_and_its_refusal_is_shown,
    a_transfer_is_refunded_by_hand_with_a_credit_note,
);

/// Buys one serum (34 €) and one magnesium (16.90 €) for France and pays with the demo provider.
async fn paid_order(app: &TestApp) -> order::Model {
    let serum = product_by_slug(app, "serum-eclat-vitamine-c").await;
    let magnesium = product_by_slug(app, "magnesium-marin-b6").await;
    let cart = format!("FR~{}x1~{}x1", serum.id, magnesium.id);
    let cookies = fill(app, &cart, "rembourse@exemple.fr", "FR", "card").await;
    let response = place(app, &cookies, &key(1)).await;
    let id = payment_id(&location(&response));
    answer_demo(app, &id, "pay").await;
    let mut all = orders(app).await;
    eventually("the payment", || async {
        orders(app).await[0].status == "paid"
    })
    .await;
    all.remove(0)
}

async fn refund_as(
    app: &TestApp,
    cookie: &str,
    number: &str,
    amount: &str,
    key: &str,
) -> reqwest::Response {
    call(
        app,
        "/api/orders/refund",
        &[
            ("number", number),
            ("amount", amount),
            ("reason", "Produit arrivé abîmé"),
            ("idempotency_key", key),
        ],
        cookie,
    )
    .await
}

async fn notes(app: &TestApp) -> Vec<(credit_note::Model, CreditNoteDocument)> {
    credit_note::Entity::find()
        .order_by_asc(credit_note::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| {
            let document = serde_json::from_str(&n.document).unwrap();
            (n, document)
        })
        .collect()
}

async fn staff_refund_part_then_the_rest_with_credit_notes(backend: Backend) {
    let app = spawn(backend).await;
    let order = paid_order(&app).await;
    let staff = staff_session(&app).await;

    // Not for customers, nor visitors.
    assert_eq!(
        refund_as(&app, "", &order.number, "5", &key(100))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let customer = support::forms::confirmed_account(
        &app,
        "client@exemple.fr",
        "Quatre-chemins-sous-la-pluie",
    )
    .await;
    assert_eq!(
        refund_as(
            &app,
            &format!("{SESSION}={customer}"),
            &order.number,
            "5",
            &key(100)
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    // Nothing, fractions of a cent, or more than the total: refused, nothing written.
    for bad in ["0", "-5", "10.001", "abc", "1000"] {
        let response = refund_as(&app, &staff, &order.number, bad, &key(101)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(refund::Entity::find().count(&app.db).await.unwrap(), 0);

    // A partial refund, sent twice with its key: one refund, one credit note.
    for _ in 0..2 {
        let response = refund_as(&app, &staff, &order.number, "10,00", &key(102)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let refunds = refund::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(refunds.len(), 1);
    assert_eq!(
        (refunds[0].status.as_str(), refunds[0].amount_cents),
        ("refunded", 1000)
    );
    let issued = notes(&app).await;
    assert_eq!(issued.len(), 1);
    let (note, document) = &issued[0];
    assert!(
        note.number.starts_with("AV") && note.number.ends_with("-000001"),
        "{}",
        note.number
    );
    assert_eq!(document.total, Decimal::new(1000, 2));
    // Its VAT is split over the invoice's rates and adds up.
    assert_eq!(document.vat.len(), 2);
    assert_eq!(
        document.vat.iter().map(|v| v.gross).sum::<Decimal>(),
        document.total
    );
    assert_eq!(document.total_excl + document.total_vat, document.total);
    assert_eq!(
        orders(&app).await[0].status,
        "paid",
        "partly refunded stays paid"
    );
    assert_eq!(mails(&app, "order_refunded").await.len(), 1);
    // The shopper sees it on the order page.
    let page = app
        .get(&format!(
            "/orders/{}?key={}",
            order.number, order.access_key
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&note.number));

    // The rest: the order is refunded; the credit notes add up to the total.
    let response = refund_as(&app, &staff, &order.number, "", &key(103)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let issued = notes(&app).await;
    assert_eq!(issued.len(), 2);
    assert!(issued[1].0.number.ends_with("-000002"));
    let refunded: i64 = issued.iter().map(|(n, _)| n.total_cents).sum();
    assert_eq!(refunded, order.total_cents);
    assert_eq!(orders(&app).await[0].status, "refunded");
    // Nothing left: refused.
    let response = refund_as(&app, &staff, &order.number, "1", &key(104)).await;
    assert!(response.status().is_client_error());
    assert_eq!(credit_note::Entity::find().count(&app.db).await.unwrap(), 2);
    // Credit notes cannot be changed.
    let changed = credit_note::ActiveModel {
        id: Set(issued[0].0.id),
        total_cents: Set(1),
        ..Default::default()
    }
    .update(&app.db)
    .await;
    assert!(changed.is_err());
}

async fn mollie_takes_the_refund_and_its_refusal_is_shown(backend: Backend) {
    let fake = mollie::start().await;
    let url = fake.url();
    let app = spawn_with(backend, move |s| {
        s.app.mollie_api_key = server::settings::Secret(KEY.into());
        s.app.mollie_base_url = url;
    })
    .await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cart = format!("FR~{}x2", serum.id);
    let cookies = fill(&app, &cart, "mollie@exemple.fr", "FR", "card").await;
    place(&app, &cookies, &key(2)).await;
    let id = fake.payments()[0].id.clone();
    fake.set_status(&id, "paid");
    notify(&app, "mollie", &id).await;
    let order = orders(&app).await.remove(0);
    assert_eq!(order.status, "paid");
    let staff = staff_session(&app).await;

    let response = refund_as(&app, &staff, &order.number, "12.50", &key(200)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(fake.refunds(), [(id.clone(), 1250)]);
    let asked = fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/refunds"))
        .unwrap();
    assert_eq!(asked.body["amount"]["value"], "12.50");
    assert_eq!(asked.idempotency_key.as_deref(), Some(key(200).as_str()));
    let refunds = refund::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(refunds[0].provider_ref.as_deref(), Some("re_fake1"));

    // Mollie refuses (its own record says less is left): the refund is kept as failed, with
    // no credit note, and staff read why.
    fake.set_status(&id, "canceled");
    let response = refund_as(&app, &staff, &order.number, "5", &key(201)).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body = response.text().await.unwrap();
    assert!(body.contains("refusé"), "{body}");
    assert!(!body.contains(KEY));
    let failed = refund::Entity::find()
        .order_by_asc(refund::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(failed.status, "failed");
    assert_eq!(credit_note::Entity::find().count(&app.db).await.unwrap(), 1);
}

async fn a_transfer_is_refunded_by_hand_with_a_credit_note(backend: Backend) {
    let app = spawn(backend).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let cart = format!("FR~{}x1", magnesium.id);
    let cookies = fill(&app, &cart, "virement@exemple.fr", "FR", "bank_transfer").await;
    place(&app, &cookies, &key(3)).await;
    let order = orders(&app).await.remove(0);
    let staff = staff_session(&app).await;
    // Not paid yet: nothing to refund.
    assert_eq!(
        refund_as(&app, &staff, &order.number, "", &key(300))
            .await
            .status(),
        StatusCode::CONFLICT
    );
    call(
        &app,
        "/api/orders/record-payment",
        &[("number", &order.number)],
        &staff,
    )
    .await;
    let response = refund_as(&app, &staff, &order.number, "", &key(301)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let refunds = refund::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(refunds[0].provider, "manual");
    assert_eq!(refunds[0].status, "refunded");
    assert_eq!(notes(&app).await.len(), 1);
    assert_eq!(orders(&app).await[0].status, "refunded");
}
