//! The back office's catalogue: staff create and edit products (checked field by field; SKU
//! and address unique), the search finds a new product at once, a price change leaves the
//! orders placed before it untouched, stock moves only by logged adjustments and never under
//! zero, archived products leave the shop, categories are created and archived only when
//! empty, pictures are checked and kept; customers and editors reach none of it.

use crate::support;

use app::db::entities::{audit_log, category, order_line, product, stock_movement};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use support::catalogue::{by_sku, first_category, product_fields, save};
use support::forms::{
    call, confirmed_account, location, page, png, role_session, staff_session, upload_image,
};
use support::shop::*;
use support::{Backend, TestApp, spawn};

both_backends!(
    staff_create_and_edit_products_and_orders_keep_their_prices,
    stock_moves_by_logged_adjustments_only,
    archiving_and_categories_and_pictures,
    every_price_is_kept_with_its_date_for_reference_prices,
);

async fn staff_create_and_edit_products_and_orders_keep_their_prices(backend: Backend) {
    let app = spawn(backend).await;
    let category = first_category(&app).await.id.to_string();
    let customer = role_session(&app, "client@exemple.fr", "customer").await;
    let editor = role_session(&app, "plume@exemple.fr", "editor").await;
    let fields = product_fields(
        "0",
        "cb-figue-30",
        "Huile de figue de Barbarie",
        "29,90",
        &category,
    );
    for cookie in [&customer, &editor] {
        assert_eq!(
            save(&app, cookie, &fields).await.status(),
            StatusCode::FORBIDDEN
        );
        for path in [
            "/admin/products",
            "/admin/products/new",
            "/admin/categories",
        ] {
            assert_eq!(
                page(&app, path, cookie).await.0,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }
    assert_eq!(
        save(&app, "", &fields).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(by_sku(&app, "CB-FIGUE-30").await.is_none());

    let staff = staff_session(&app).await;
    // Refused field by field, nothing written.
    for (field, value) in [
        ("form[price]", "0"),
        ("form[price]", "29,999"),
        ("form[vat_rate_bp]", "1900"),
        ("form[sku]", "a b"),
        ("form[net_quantity]", "beaucoup"),
        ("form[subscription_months]", "1,24"),
        ("form[category_id]", "999999"),
    ] {
        let mut bad = fields.clone();
        bad.iter_mut().find(|(k, _)| k == field).unwrap().1 = value.to_owned();
        let response = save(&app, &staff, &bad).await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{field}={value}"
        );
    }
    assert!(by_sku(&app, "CB-FIGUE-30").await.is_none());

    let response = save(&app, &staff, &fields).await;
    assert!(response.status().is_success(), "{}", response.status());
    let created = by_sku(&app, "CB-FIGUE-30").await.expect("created");
    assert_eq!(
        (
            created.slug.as_str(),
            created.price_cents,
            created.stock,
            created.name_en.as_str()
        ),
        (
            "huile-de-figue-de-barbarie",
            2990,
            12,
            "Huile de figue de Barbarie"
        )
    );
    assert_eq!(created.shipping_weight_grams, 120, "30 ml + packaging");
    // On sale at once, and found by the search, accents or not.
    let (status, html) = page(&app, "/products/huile-de-figue-de-barbarie", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("29,90"));
    let (_, html) = page(&app, "/products?q=barbarie", "").await;
    assert!(html.contains("/products/huile-de-figue-de-barbarie"));
    // The same SKU or address again: refused.
    let mut twin = product_fields("0", "CB-FIGUE-30", "Autre huile", "10", &category);
    assert_eq!(
        save(&app, &staff, &twin).await.status(),
        StatusCode::CONFLICT
    );
    twin[1].1 = "CB-AUTRE".into();
    twin[2].1 = "huile-de-figue-de-barbarie".into();
    assert_eq!(
        save(&app, &staff, &twin).await.status(),
        StatusCode::CONFLICT
    );

    // An order at 29.90 €, then the price goes up: the order does not move.
    let cart = format!("FR~{}x2", created.id);
    let cookies = fill(&app, &cart, "achat@exemple.fr", "FR", "bank_transfer").await;
    assert!(place(&app, &cookies, &key(1)).await.status().is_success());
    let placed = orders(&app).await.pop().unwrap();
    let mut edit = product_fields(
        &created.id.to_string(),
        "CB-FIGUE-30",
        "Huile de figue de Barbarie",
        "34.50",
        &category,
    );
    edit.retain(|(k, _)| k != "form[stock]");
    let response = save(&app, &staff, &edit).await;
    assert!(response.status().is_success(), "{}", response.status());
    let edited = by_sku(&app, "CB-FIGUE-30").await.unwrap();
    assert_eq!(edited.price_cents, 3450);
    assert_eq!(
        edited.stock, 10,
        "the edit does not touch the stock (12 - 2 ordered)"
    );
    let line = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(placed.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(line.unit_price_cents, 2990);
    let after = orders(&app).await.pop().unwrap();
    assert_eq!(after.total_cents, placed.total_cents);
    let (_, html) = page(
        &app,
        &format!("/orders/{}?key={}", placed.number, placed.access_key),
        "",
    )
    .await;
    assert!(html.contains("29,90") && !html.contains("34,50"));
    let log: Vec<(String, String)> = audit_log::Entity::find()
        .filter(audit_log::Column::Subject.eq(format!("product:{}", created.id)))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.action, a.detail))
        .collect();
    assert_eq!(log[0].0, "product.create");
    assert_eq!(
        log[1],
        ("product.update".into(), "price 29.90 → 34.50".into())
    );
    // The editor shows it all back.
    let (status, html) = page(&app, &format!("/admin/products/{}", created.id), &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("CB-FIGUE-30") && html.contains("34,50"));
    let (_, html) = page(&app, "/admin/products?q=figue", &staff).await;
    assert!(html.contains("CB-FIGUE-30"));
    let (_, html) = page(&app, "/admin/products?q=CB-FIGUE-30", &staff).await;
    assert!(html.contains("Huile de figue"));
}

async fn stock_moves_by_logged_adjustments_only(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let id = serum.id.to_string();
    let adjust = |delta: &'static str, reason: &'static str| {
        let (app, staff, id) = (&app, staff.clone(), id.clone());
        async move {
            call(
                app,
                "/api/admin/products/stock",
                &[("id", id.as_str()), ("delta", delta), ("reason", reason)],
                &staff,
            )
            .await
            .status()
        }
    };
    assert!(adjust("+24", "Réception fournisseur").await.is_success());
    assert_eq!(stock(&app, serum.id).await, serum.stock + 24);
    assert!(adjust("-2", "Casse en préparation").await.is_success());
    assert_eq!(stock(&app, serum.id).await, serum.stock + 22);
    // Never under zero, never without a reason or a number: nothing written.
    for (delta, reason) in [
        ("-100000", "Inventaire"),
        ("0", "Rien"),
        ("beaucoup", "Réception"),
        ("5", ""),
    ] {
        assert_eq!(
            adjust(delta, reason).await,
            StatusCode::BAD_REQUEST,
            "{delta} {reason}"
        );
    }
    assert_eq!(stock(&app, serum.id).await, serum.stock + 22);
    let moves: Vec<(i32, i32, String)> = stock_movement::Entity::find()
        .filter(stock_movement::Column::ProductId.eq(serum.id))
        .order_by_asc(stock_movement::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.delta, m.stock_after, m.reason))
        .collect();
    assert_eq!(
        moves,
        [
            (24, serum.stock + 24, "Réception fournisseur".to_owned()),
            (-2, serum.stock + 22, "Casse en préparation".to_owned()),
        ]
    );
    let (_, html) = page(&app, &format!("/admin/products/{}", serum.id), &staff).await;
    assert!(html.contains("Casse en préparation") && html.contains("equipe@exemple.fr"));
    let customer = {
        let session = confirmed_account(&app, "client@exemple.fr", "plume-encre-papier-42").await;
        format!("comptoir_session={session}")
    };
    let response = call(
        &app,
        "/api/admin/products/stock",
        &[
            ("id", id.as_str()),
            ("delta", "+1000"),
            ("reason", "Cadeau"),
        ],
        &customer,
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(stock(&app, serum.id).await, serum.stock + 22);
}

async fn upload(app: &TestApp, id: i32, file: &[u8], cookies: &str) -> reqwest::Response {
    upload_image(
        app,
        &format!("/admin/products/{id}/image"),
        "image",
        file,
        cookies,
    )
    .await
}

async fn archiving_and_categories_and_pictures(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let id = serum.id.to_string();

    // Archived: gone from the shop (and from carts' reach), back when restored.
    let response = call(
        &app,
        "/api/admin/products/status",
        &[("id", id.as_str()), ("status", "archived")],
        &staff,
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
    let status = page(&app, "/products/serum-eclat-vitamine-c", "").await.0;
    assert!(
        matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE),
        "{status}"
    );
    let response = call(
        &app,
        "/api/admin/products/status",
        &[("id", id.as_str()), ("status", "sold")],
        &staff,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = call(
        &app,
        "/api/admin/products/status",
        &[("id", id.as_str()), ("status", "active")],
        &staff,
    )
    .await;
    assert!(response.status().is_success());
    assert_eq!(
        page(&app, "/products/serum-eclat-vitamine-c", "").await.0,
        StatusCode::OK
    );

    // Categories: a new one, then archived (it is empty); one with products cannot be.
    let category_fields = |id: &str, name: &str, archived: bool| -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = [
            ("id", id),
            ("slug", ""),
            ("name_fr", name),
            ("name_en", ""),
            ("description_fr", "Pour le voyage."),
            ("description_en", ""),
            ("position", "9"),
        ]
        .into_iter()
        .map(|(k, v)| (format!("category[{k}]"), v.to_owned()))
        .collect();
        if archived {
            fields.push(("category[archived]".into(), "true".into()));
        }
        fields
    };
    let response = call(
        &app,
        "/api/admin/categories/save",
        &pairs(&category_fields("0", "Formats voyage", false)),
        &staff,
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
    let travel = category::Entity::find()
        .filter(category::Column::Slug.eq("formats-voyage"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("created");
    let (_, html) = page(&app, "/products", "").await;
    assert!(html.contains("Formats voyage"));
    let full = category::Entity::find_by_id(serum.category_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let response = call(
        &app,
        "/api/admin/categories/save",
        &pairs(&category_fields(&full.id.to_string(), &full.name_fr, true)),
        &staff,
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "products on sale in it"
    );
    let response = call(
        &app,
        "/api/admin/categories/save",
        &pairs(&category_fields(
            &travel.id.to_string(),
            "Formats voyage",
            true,
        )),
        &staff,
    )
    .await;
    assert!(response.status().is_success());
    let (_, html) = page(&app, "/products", "").await;
    assert!(
        !html.contains("Formats voyage"),
        "archived: hidden from the shop"
    );
    let (_, html) = page(&app, "/admin/categories", &staff).await;
    assert!(html.contains("Formats voyage"), "still in the back office");

    // Pictures: checked, kept, shown.
    let response = upload(&app, serum.id, b"<svg onload=alert(1)>", &staff).await;
    assert!(response.status().is_redirection());
    assert_eq!(location(&response), format!("/admin/products/{}", serum.id));
    let (_, html) = page(&app, &format!("/admin/products/{}", serum.id), &staff).await;
    assert!(html.contains("Format refusé"), "the refusal is shown once");
    assert_eq!(
        product_by_slug(&app, "serum-eclat-vitamine-c").await.image,
        serum.image
    );
    let response = upload(&app, serum.id, &png(800, 800, 4_000), &staff).await;
    assert!(response.status().is_redirection());
    let pictured = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    assert!(
        pictured.image.starts_with("/media/") && pictured.image.ends_with(".png"),
        "{}",
        pictured.image
    );
    let served = app.get(&pictured.image).await;
    assert_eq!(served.status(), StatusCode::OK);
    let (_, html) = page(&app, "/products/serum-eclat-vitamine-c", "").await;
    assert!(html.contains(&pictured.image));
    let customer = format!(
        "comptoir_session={}",
        confirmed_account(&app, "client@exemple.fr", "plume-encre-papier-42").await
    );
    assert_eq!(
        upload(&app, serum.id, &png(800, 800, 4_000), &customer)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let actions: Vec<String> = audit_log::Entity::find()
        .filter(audit_log::Column::Subject.eq(format!("product:{}", serum.id)))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        actions,
        ["product.archive", "product.restore", "product.image"]
    );
}

/// Every price change is kept with its date, whoever makes it (the back office or any other
/// writer of `products`), and the reference price of a reduction is the lowest of the 30 days
/// before it: a price raised then reduced refers to the price before the raise.
async fn every_price_is_kept_with_its_date_for_reference_prices(backend: Backend) {
    use app::catalog::rules::REFERENCE_DAYS;
    use app::catalog::service::prices::{history, lowest_before};
    use app::clock::Clock as _;
    use chrono::Duration;
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let category = first_category(&app).await.id.to_string();
    let start = app.clock.now();

    // Created at 24 €: its history starts then.
    let fields = product_fields("0", "cb-prix-1", "Huile de prix", "24,00", &category);
    assert!(save(&app, &staff, &fields).await.status().is_success());
    let created = by_sku(&app, "CB-PRIX-1").await.unwrap();
    let id = created.id.to_string();
    let kept = history(&app.db, created.id, 10).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].1, 2400);

    // Forty days later, raised to 30 € in the back office; a save that leaves the price alone
    // records nothing.
    app.clock.advance(Duration::days(40));
    let staff = support::forms::staff_sign_in(&app).await;
    let mut raised = product_fields(&id, "cb-prix-1", "Huile de prix", "30,00", &category);
    assert!(save(&app, &staff, &raised).await.status().is_success());
    raised
        .iter_mut()
        .find(|(k, _)| k == "form[name_fr]")
        .unwrap()
        .1 = "Huile de prix douce".into();
    assert!(save(&app, &staff, &raised).await.status().is_success());
    let kept = history(&app.db, created.id, 10).await.unwrap();
    assert_eq!(kept.iter().map(|k| k.1).collect::<Vec<_>>(), [3000, 2400]);
    assert!(
        kept[0].0 >= start + Duration::days(40),
        "dated by the shop's clock"
    );

    // Ten days after the raise, a reduction would refer to 24 €, not to the raised 30 €.
    app.clock.advance(Duration::days(10));
    let now = app.clock.now();
    assert_eq!(
        lowest_before(&app.db, created.id, now, REFERENCE_DAYS)
            .await
            .unwrap(),
        Some(2400)
    );
    let staff = support::forms::staff_sign_in(&app).await;
    let (_, html) = page(&app, &format!("/admin/products/{id}"), &staff).await;
    assert!(
        html.contains("data-testid=\"reference-price\">24,00"),
        "the editor shows it"
    );
    // Thirty-one days after the raise, only 30 € was in force in the window.
    app.clock.advance(Duration::days(21));
    let now = app.clock.now();
    assert_eq!(
        lowest_before(&app.db, created.id, now, REFERENCE_DAYS)
            .await
            .unwrap(),
        Some(3000)
    );

    // Another writer (an import, a script) changing the price is recorded too, at the row's
    // update time.
    let mut row: product::ActiveModel = by_sku(&app, "CB-PRIX-1").await.unwrap().into();
    row.price_cents = sea_orm::ActiveValue::Set(2700);
    row.updated_at = sea_orm::ActiveValue::Set(now);
    sea_orm::ActiveModelTrait::update(row, &app.db)
        .await
        .unwrap();
    let kept = history(&app.db, created.id, 10).await.unwrap();
    assert_eq!(kept[0].1, 2700);
    assert_eq!(
        lowest_before(&app.db, created.id, now + Duration::days(1), REFERENCE_DAYS)
            .await
            .unwrap(),
        Some(2700)
    );
}
