//! The back office's orders: staff only (a customer or an editor gets 403, a visitor 401);
//! the list's filters; each move legal for the order's status or refused with nothing written;
//! shipping with a tracking number the customer then sees; cancellation and refusal with the
//! stock back and, for a paid order, a full refund with its credit note and one email; the
//! dashboard's figures; and every staff action in the audit log.

use crate::support;

use app::db::entities::{
    audit_log, credit_note, email_outbox, invoice, order, order_event, refund, shop_setting, user,
};
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use support::forms::{
    call, confirmed_account, location, page, post_form, role_session, staff_session,
};
use support::shop::*;
use support::{Backend, TestApp, spawn, within};

both_backends!(
    the_back_office_of_orders_is_for_staff_only,
    staff_take_an_order_from_paid_to_delivered,
    cancelling_gives_the_stock_back_and_refunds_a_paid_order,
    staff_handle_a_customers_data_requests,
    staff_set_the_shipping_rates_checkout_charges,
    staff_set_the_sellers_identity_documents_then_show,
);

/// One serum and two magnesium for `country`, paid by card through the demo provider when
/// `method` is `card` (left awaiting payment otherwise).
async fn order_for(
    app: &TestApp,
    n: usize,
    email: &str,
    country: &str,
    method: &str,
) -> order::Model {
    let serum = product_by_slug(app, "serum-eclat-vitamine-c").await;
    let magnesium = product_by_slug(app, "magnesium-marin-b6").await;
    let cart = format!("{country}~{}x1~{}x2", serum.id, magnesium.id);
    let cookies = fill(app, &cart, email, country, method).await;
    let response = place(app, &cookies, &key(n)).await;
    let number = orders(app).await.last().unwrap().number.clone();
    if method == "card" {
        let id = payment_id(&location(&response));
        answer_demo(app, &id, "pay").await;
        eventually("the payment", || async {
            order_by_number(app, &number).await.status == "paid"
        })
        .await;
    }
    order_by_number(app, &number).await
}

async fn audit(app: &TestApp, subject: &str) -> Vec<(String, i32)> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Subject.eq(subject))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.action, a.actor_id))
        .collect()
}

async fn staff_id(app: &TestApp) -> i32 {
    support::forms::account(app, "equipe@exemple.fr").await.id
}

async fn the_back_office_of_orders_is_for_staff_only(backend: Backend) {
    let app = spawn(backend).await;
    let paid = order_for(&app, 1, "client@exemple.fr", "FR", "card").await;
    let customer = role_session(&app, "autre@exemple.fr", "customer").await;
    let editor = role_session(&app, "plume@exemple.fr", "editor").await;
    let number = paid.number.as_str();
    let calls: [(&str, Vec<(&str, &str)>); 5] = [
        ("/api/admin/overview", vec![]),
        ("/api/admin/orders", vec![("filter[status]", "paid")]),
        ("/api/admin/order", vec![("number", number)]),
        ("/api/admin/audit", vec![("subject", ""), ("page", "1")]),
        (
            "/api/admin/orders/move",
            vec![
                ("number", number),
                ("action", "prepare"),
                ("idempotency_key", "move-by-someone-else-0123"),
            ],
        ),
    ];
    for (path, fields) in &calls {
        assert_eq!(
            call(&app, path, fields, "").await.status(),
            StatusCode::UNAUTHORIZED,
            "visitor {path}"
        );
        for (who, cookie) in [("customer", &customer), ("editor", &editor)] {
            assert_eq!(
                call(&app, path, fields, cookie).await.status(),
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
    }
    for path in [
        "/admin/orders",
        &format!("/admin/orders/{number}"),
        "/admin/audit",
    ] {
        for cookie in [&customer, &editor] {
            assert_eq!(
                page(&app, path, cookie).await.0,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }
    // Nobody but staff moved it.
    assert_eq!(order_by_number(&app, number).await.status, "paid");
    assert_eq!(audit_log::Entity::find().count(&app.db).await.unwrap(), 0);

    // Staff: the list and its filters.
    let staff = staff_session(&app).await;
    let transfer = order_for(&app, 2, "virement@exemple.fr", "BE", "bank_transfer").await;
    let (paid_number, transfer_number) = (paid.number.clone(), transfer.number.clone());
    let list = |query: &'static str| {
        let (staff, app) = (staff.clone(), &app);
        let (paid_number, transfer_number) = (paid_number.clone(), transfer_number.clone());
        async move {
            let (status, html) = page(app, &format!("/admin/orders{query}"), &staff).await;
            assert_eq!(status, StatusCode::OK, "{query}");
            (html.contains(&paid_number), html.contains(&transfer_number))
        }
    };
    assert_eq!(list("").await, (true, true));
    assert_eq!(list("?status=paid").await, (true, false));
    assert_eq!(list("?status=pending_payment").await, (false, true));
    assert_eq!(list("?status=action").await, (true, false));
    assert_eq!(list("?method=bank_transfer").await, (false, true));
    assert_eq!(list("?destination=eu").await, (false, true));
    assert_eq!(list("?destination=metropolitan").await, (true, false));
    assert_eq!(list("?q=VIREMENT%40exemple").await, (false, true));
    assert_eq!(list("?from=2001-01-01&to=2001-01-31").await, (false, false));
    // Junk in the query is ignored, not an error.
    assert_eq!(
        list("?status=nope&from=hier&method=x&page=-3").await,
        (true, true)
    );
}

async fn staff_take_an_order_from_paid_to_delivered(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let staff_id = staff_id(&app).await;
    let order = order_for(&app, 1, "colis@exemple.fr", "FR", "card").await;
    let number = order.number.as_str();

    // Out of order: refused, nothing written.
    for action in ["ship", "deliver"] {
        let response = move_order(
            &app,
            &staff,
            number,
            action,
            &[
                ("carrier", "colissimo"),
                ("tracking_number", "6A12345678901"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{action}");
    }
    assert_eq!(
        move_order(&app, &staff, number, "teleport", &[])
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(order_by_number(&app, number).await.status, "paid");

    let response = move_order(&app, &staff, number, "prepare", &[]).await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(order_by_number(&app, number).await.status, "preparing");

    // Shipping needs a carrier and a real tracking number.
    for extra in [
        vec![("carrier", "colissimo")],
        vec![("carrier", "pigeon"), ("tracking_number", "6A12345678901")],
        vec![("carrier", "colissimo"), ("tracking_number", "6A1<b>2345")],
    ] {
        let response = move_order(&app, &staff, number, "ship", &extra).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{extra:?}");
    }
    assert_eq!(order_by_number(&app, number).await.status, "preparing");
    let response = move_order(
        &app,
        &staff,
        number,
        "ship",
        &[
            ("carrier", "colissimo"),
            ("tracking_number", "6a 123 456 789 01"),
        ],
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
    let shipped = order_by_number(&app, number).await;
    assert_eq!(shipped.status, "shipped");
    assert_eq!(shipped.tracking_number.as_deref(), Some("6A12345678901"));
    let mail = mails(&app, "order_shipped").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to_address, "colis@exemple.fr");
    assert!(mail[0].body_text.contains("Colissimo"));
    assert!(
        mail[0]
            .body_text
            .contains("https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901")
    );
    // The customer sees the parcel on the order's page.
    let (status, html) = page(
        &app,
        &format!("/orders/{number}?key={}", order.access_key),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("6A12345678901") && html.contains("suivre-vos-envois"));

    // Shipped: no cancelling any more; delivered next.
    let response = move_order(
        &app,
        &staff,
        number,
        "cancel",
        &[("reason", "Trop tard pour annuler")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let response = move_order(&app, &staff, number, "deliver", &[]).await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(order_by_number(&app, number).await.status, "delivered");
    assert_eq!(mails(&app, "order_delivered").await.len(), 1);
    // A repeated click changes nothing more.
    let response = move_order(&app, &staff, number, "deliver", &[]).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(mails(&app, "order_delivered").await.len(), 1);

    // Who did what: in the order's history and in the audit log.
    let events: Vec<(String, String)> = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(order.id))
        .order_by_asc(order_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.to_status, e.actor))
        .collect();
    let by_staff = format!("staff:{staff_id}");
    assert_eq!(
        events[events.len() - 3..],
        [
            ("preparing".to_owned(), by_staff.clone()),
            ("shipped".to_owned(), by_staff.clone()),
            ("delivered".to_owned(), by_staff.clone()),
        ]
    );
    assert_eq!(
        audit(&app, &format!("order:{number}")).await,
        vec![
            ("order.prepare".to_owned(), staff_id),
            ("order.ship".to_owned(), staff_id),
            ("order.deliver".to_owned(), staff_id),
        ]
    );
    let (status, html) = page(&app, &format!("/admin/orders/{number}"), &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("equipe@exemple.fr") && html.contains("Colissimo 6A12345678901"));
    let (status, html) = page(
        &app,
        "/admin/audit?subject=order%3A".to_owned().as_str(),
        &staff,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("order.ship"), "another subject's log only");
    let (_, html) = page(&app, "/admin/audit", &staff).await;
    assert!(html.contains("order.ship") && html.contains("equipe@exemple.fr"));

    // The dashboard counts it: one order placed and paid today.
    let overview: serde_json::Value = call(&app, "/api/admin/overview", &[], &staff)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview["today"]["orders"], 1);
    assert_eq!(overview["today"]["paid_orders"], 1);
    assert_eq!(
        overview["today"]["revenue"]
            .to_string()
            .trim_matches('"')
            .parse::<f64>()
            .unwrap(),
        order.total_cents as f64 / 100.0
    );
    assert_eq!(overview["waiting"]["to_prepare"], 0);
}

async fn cancelling_gives_the_stock_back_and_refunds_a_paid_order(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let before = stock(&app, magnesium.id).await;

    // Awaiting a transfer: cancelled, stock back, the reason emailed; nothing to refund.
    let transfer = order_for(&app, 1, "attente@exemple.fr", "FR", "bank_transfer").await;
    assert_eq!(stock(&app, magnesium.id).await, before - 2);
    let overview: serde_json::Value = call(&app, "/api/admin/overview", &[], &staff)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview["waiting"]["offline_payments"], 1);
    let response = move_order(
        &app,
        &staff,
        &transfer.number,
        "cancel",
        &[("reason", "ok")],
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "a reason is needed"
    );
    let response = move_order(
        &app,
        &staff,
        &transfer.number,
        "cancel",
        &[("reason", "Produit en rupture chez notre fournisseur")],
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(
        order_by_number(&app, &transfer.number).await.status,
        "cancelled"
    );
    assert_eq!(stock(&app, magnesium.id).await, before);
    let mail = mails(&app, "order_cancelled").await;
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0]
            .body_text
            .contains("Produit en rupture chez notre fournisseur")
    );
    assert!(!mail[0].body_text.contains("rembours"), "nothing was paid");

    // Paid by card, then refused as abnormal: refunded in full with a credit note, stock back,
    // one email saying both.
    let paid = order_for(&app, 2, "suspect@exemple.fr", "FR", "card").await;
    assert_eq!(stock(&app, magnesium.id).await, before - 2);
    let response = move_order(&app, &staff, &paid.number, "prepare", &[]).await;
    assert!(response.status().is_success());
    let response = move_order(
        &app,
        &staff,
        &paid.number,
        "refuse",
        &[(
            "reason",
            "Commande anormale : quantités hors usage personnel",
        )],
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
    let refused = order_by_number(&app, &paid.number).await;
    assert_eq!(refused.status, "cancelled");
    assert_eq!(stock(&app, magnesium.id).await, before);
    let refunds = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(paid.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(refunds.len(), 1);
    assert_eq!(
        (refunds[0].status.as_str(), refunds[0].amount_cents),
        ("refunded", paid.total_cents)
    );
    let note = credit_note::Entity::find()
        .filter(credit_note::Column::OrderId.eq(paid.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a credit note");
    assert_eq!(note.total_cents, paid.total_cents);
    let mail = mails(&app, "order_refused").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].body_text.contains(&note.number));
    assert!(mail[0].body_text.contains("quantités hors usage personnel"));
    assert!(
        mails(&app, "order_refunded").await.is_empty(),
        "one email, not two"
    );
    // Cancelled: no further move, and a second refusal refunds nothing more.
    let response = move_order(
        &app,
        &staff,
        &paid.number,
        "refuse",
        &[("reason", "Encore une fois")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(refund::Entity::find().count(&app.db).await.unwrap(), 1);
    let actions: Vec<String> = audit(&app, &format!("order:{}", paid.number))
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(actions, ["order.prepare", "order.refuse"]);

    // A plain form (no JavaScript) is sent back to the order's page.
    let third = order_for(&app, 3, "formulaire@exemple.fr", "FR", "card").await;
    let response = post_form(
        &app,
        "/api/admin/orders/move",
        &[
            ("number", third.number.as_str()),
            ("action", "prepare"),
            ("idempotency_key", "plain-form-key-0123456789"),
        ],
        &staff,
    )
    .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        location(&response),
        format!("/admin/orders/{}", third.number)
    );
}

async fn staff_handle_a_customers_data_requests(backend: Backend) {
    let app = spawn(backend).await;
    let own = confirmed_account(&app, "dupont@exemple.fr", "plume-encre-papier-42").await;
    let own = format!("comptoir_session={own}");
    let order = order_for(&app, 1, "dupont@exemple.fr", "FR", "card").await;
    let staff = staff_session(&app).await;
    let customer = support::forms::account(&app, "dupont@exemple.fr").await;
    let id = customer.id.to_string();

    // Found by name or email; the account shows its orders.
    for (q, found) in [
        ("Camille Martin", true),
        ("DUPONT@", true),
        ("personne", false),
    ] {
        let (status, html) = page(
            &app,
            &format!("/admin/customers?q={}", q.replace(' ', "+")),
            &staff,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(html.contains("dupont@exemple.fr"), found, "{q}");
    }
    let (status, html) = page(&app, &format!("/admin/customers/{id}"), &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&order.number));

    // The export, downloaded for the customer by a form's button (a POST: it writes the audit
    // log); nobody else may, the old GET is gone and another site cannot set it off.
    let export = |cookie: String, site: &'static str| {
        let app = &app;
        let id = id.clone();
        async move {
            within(
                "export",
                app.client
                    .post(app.url(&format!("/admin/customers/{id}/export")))
                    .header(COOKIE, cookie)
                    .header("sec-fetch-site", site)
                    .send(),
            )
            .await
            .unwrap()
        }
    };
    assert_eq!(
        export(own.clone(), "same-origin").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        export(staff.clone(), "cross-site").await.status(),
        StatusCode::FORBIDDEN
    );
    let get = app
        .get_with(
            &format!("/api/admin/customers/export?id={id}"),
            &[(COOKIE, staff.as_str())],
        )
        .await;
    assert_ne!(get.status(), StatusCode::OK, "no export by GET");
    let logged = || async {
        app::db::entities::audit_log::Entity::find()
            .filter(app::db::entities::audit_log::Column::Action.eq("customer.export"))
            .count(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(logged().await, 0, "nothing logged by the refusals");
    let response = export(staff.clone(), "same-origin").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(logged().await, 1);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let document: serde_json::Value = response.json().await.unwrap();
    assert_eq!(document["profile"]["email"], "dupont@exemple.fr");
    assert!(document.to_string().contains(&order.number));

    // Deletion: a reason and the tick; not while the paid order is on its way.
    let delete = |fields: Vec<(&'static str, String)>| {
        let app = &app;
        let staff = staff.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            call(app, "/api/admin/customers/delete", &fields, &staff)
                .await
                .status()
        }
    };
    let reason = "Demande par courrier du 20/11".to_owned();
    assert_eq!(
        delete(vec![("id", id.clone()), ("reason", reason.clone())]).await,
        StatusCode::BAD_REQUEST,
        "the tick"
    );
    assert_eq!(
        delete(vec![
            ("id", id.clone()),
            ("reason", "x".into()),
            ("confirm", "on".into())
        ])
        .await,
        StatusCode::BAD_REQUEST,
        "the reason"
    );
    assert_eq!(
        delete(vec![
            ("id", id.clone()),
            ("reason", reason.clone()),
            ("confirm", "on".into())
        ])
        .await,
        StatusCode::CONFLICT,
        "an order on its way"
    );
    for (action, extra) in [
        ("prepare", vec![]),
        (
            "ship",
            vec![
                ("carrier", "ups"),
                ("tracking_number", "1Z999AA10123456784"),
            ],
        ),
        ("deliver", vec![]),
    ] {
        assert!(
            move_order(&app, &staff, &order.number, action, &extra)
                .await
                .status()
                .is_success()
        );
    }
    assert!(
        delete(vec![
            ("id", id.clone()),
            ("reason", reason.clone()),
            ("confirm", "on".into())
        ])
        .await
        .is_success()
    );
    let erased = user::Entity::find_by_id(customer.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(erased.deleted_at.is_some());
    assert_ne!(erased.email, "dupont@exemple.fr");
    assert_eq!(mails(&app, "account_deleted").await.len(), 1);
    // Staff accounts are not deleted from here.
    let staff_id = staff_id(&app).await.to_string();
    assert_eq!(
        delete(vec![
            ("id", staff_id),
            ("reason", reason.clone()),
            ("confirm", "on".into())
        ])
        .await,
        StatusCode::CONFLICT
    );
    let actions: Vec<String> = audit(&app, &format!("customer:{id}"))
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(actions, ["customer.export", "customer.delete"]);
}

async fn staff_set_the_shipping_rates_checkout_charges(backend: Backend) {
    let app = spawn(backend).await;
    let customer = role_session(&app, "client@exemple.fr", "customer").await;
    let save = |cookie: String, table: &'static str, free_from: &'static str| {
        let app = &app;
        async move {
            call(
                app,
                "/api/admin/shipping/save",
                &[("code", "FR"), ("table", table), ("free_from", free_from)],
                &cookie,
            )
            .await
        }
    };
    assert_eq!(
        save(customer, "* = 0", "").await.status(),
        StatusCode::FORBIDDEN
    );
    let staff = staff_session(&app).await;
    // Refused whole, naming the line; nothing changes.
    let response = save(staff.clone(), "500 = 4,90\n400 = 6,90", "").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("ligne 2"));
    assert_eq!(
        save(staff.clone(), "* = 7,50", "cent").await.status(),
        StatusCode::BAD_REQUEST
    );
    let before = order_for(&app, 1, "avant@exemple.fr", "FR", "bank_transfer").await;

    let response = save(staff.clone(), "100 = 3,10\n* = 7,50", "500").await;
    assert!(response.status().is_success(), "{}", response.status());
    let after = order_for(&app, 2, "apres@exemple.fr", "FR", "bank_transfer").await;
    assert_eq!(
        after.shipping_cents, 750,
        "the new table, the parcel being over 100 g"
    );
    assert_ne!(before.shipping_cents, 750);
    // The order placed before keeps its shipping.
    assert_eq!(
        order_by_number(&app, &before.number).await.shipping_cents,
        before.shipping_cents
    );
    let (status, html) = page(&app, "/admin/shipping", &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("100 = 3,10") && html.contains("* = 7,50") && html.contains("500,00"));
    let actions: Vec<String> = audit(&app, "shipping:FR")
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(actions, ["shipping.update"]);
}

/// The seller's name on the invoice issued for `order`.
async fn invoice_seller(app: &TestApp, order: &order::Model) -> String {
    let issued = invoice::Entity::find()
        .filter(invoice::Column::OrderId.eq(order.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an invoice");
    let document: serde_json::Value = serde_json::from_str(&issued.document).unwrap();
    document["seller"]["name"].as_str().unwrap().to_owned()
}

async fn staff_set_the_sellers_identity_documents_then_show(backend: Backend) {
    let app = spawn(backend).await;
    let before = order_for(&app, 1, "avant@exemple.fr", "FR", "card").await;
    assert_eq!(invoice_seller(&app, &before).await, "Comptoir Botanique");
    let form = |iban: &'static str, vat: &'static str| {
        vec![
            ("form[name]", "Herbes & Sens"),
            ("form[legal_form]", "SARL au capital de 5 000 €"),
            (
                "form[address]",
                "3 place Bellecour\r\n69002 Lyon\r\n\r\nFrance",
            ),
            ("form[registration]", "RCS Lyon 123 456 789"),
            ("form[vat_number]", vat),
            ("form[email]", "Contact@Herbes-Sens.example"),
            ("form[phone]", "+33 4 72 00 00 00"),
            ("form[iban]", iban),
            ("form[bic]", "cobadeffxxx"),
        ]
    };
    let good = form("DE89 3704 0044 0532 0130 00", "FR 12 123456789");
    let customer = role_session(&app, "client@exemple.fr", "customer").await;
    let editor = role_session(&app, "plume@exemple.fr", "editor").await;
    for cookie in [&customer, &editor] {
        for (path, fields) in [
            ("/api/admin/seller/save", good.clone()),
            ("/api/admin/seller", vec![]),
        ] {
            assert_eq!(
                call(&app, path, &fields, cookie).await.status(),
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        assert_eq!(
            page(&app, "/admin/seller", cookie).await.0,
            StatusCode::FORBIDDEN
        );
    }
    let staff = staff_session(&app).await;
    let (status, html) = page(&app, "/admin/seller", &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("data-testid=\"seller-demo\""),
        "the demo brand is flagged"
    );
    assert!(html.contains("FR76 3000 4000 5000 0123 4567 871"));

    // One wrong check digit, then a VAT number without its country: refused, nothing kept.
    for (fields, says) in [
        (
            form("DE89 3704 0044 0532 0130 01", "FR 12 123456789"),
            "IBAN",
        ),
        (form("DE89 3704 0044 0532 0130 00", "12 123456789"), "TVA"),
    ] {
        let response = call(&app, "/api/admin/seller/save", &fields, &staff).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.text().await.unwrap().contains(says), "{says}");
    }
    assert_eq!(
        shop_setting::Entity::find()
            .filter(shop_setting::Column::Key.eq("seller"))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );

    let response = call(&app, "/api/admin/seller/save", &good, &staff).await;
    assert!(response.status().is_success(), "{}", response.status());
    let (_, html) = page(&app, "/admin/seller", &staff).await;
    assert!(!html.contains("seller-demo"));
    assert!(html.contains("DE89 3704 0044 0532 0130 00") && html.contains("COBADEFFXXX"));

    // The legal notice and the privacy policy name the new seller; no trace of the old one.
    for path in ["/legal/notice", "/legal/privacy", "/legal/withdrawal"] {
        let (status, html) = page(&app, path, "").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Herbes &amp; Sens")
                && html.contains("3 place Bellecour, 69002 Lyon, France"),
            "{path}"
        );
        assert!(
            !html.contains("Herboristes") && !html.contains("{{seller"),
            "{path}"
        );
    }
    let (_, notice) = page(&app, "/legal/notice", "").await;
    assert!(
        notice.contains("RCS Lyon 123 456 789") && notice.contains("contact@herbes-sens.example")
    );

    // A transfer is asked to the new account; the order page gives the new contact.
    let transfer = order_for(&app, 2, "virement@exemple.fr", "FR", "bank_transfer").await;
    let asked = email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq("order_awaiting_payment"))
        .filter(email_outbox::Column::ToAddress.eq("virement@exemple.fr"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        asked
            .body_text
            .contains("IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX")
            && asked.body_text.contains("Herbes & Sens")
            && !asked.body_text.contains("FR76"),
        "{}",
        asked.body_text
    );
    let (_, order_page) = page(
        &app,
        &format!("/orders/{}?key={}", transfer.number, transfer.access_key),
        "",
    )
    .await;
    assert!(order_page.contains("contact@herbes-sens.example") && order_page.contains("DE89 3704"));

    // Invoices issued from now on carry the new seller; the one issued before keeps its own.
    let after = order_for(&app, 3, "apres@exemple.fr", "FR", "card").await;
    assert_eq!(invoice_seller(&app, &after).await, "Herbes & Sens");
    assert_eq!(invoice_seller(&app, &before).await, "Comptoir Botanique");
    let actions: Vec<String> = audit(&app, "settings:seller")
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(actions, ["seller.update"]);
}
