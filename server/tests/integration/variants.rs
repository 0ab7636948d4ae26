//! Variants: a product in several sizes, each with its own price, SKU, stock and address
//! (`?v=code`), listed once, picked with a plain form, sold, stocked and reduced per size;
//! existing products become one-size products by a migration that loses nothing.

use crate::catalog::{attr, cents, texts};
use crate::support;

use app::db::entities::{order, order_line, product};
use reqwest::StatusCode;
use scraper::Html;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, FromQueryResult, JsonValue,
    QueryFilter, Statement,
};
use support::catalogue::{by_sku, product_fields, save};
use support::forms::{call, location, page, staff_session, struct_form};
use support::shop::{fill, key, pairs, place, product_by_slug};
use support::{Backend, TestApp, spawn};

both_backends!(
    the_migration_gives_every_product_one_size_and_loses_nothing,
    a_size_is_picked_by_its_address_and_sold_and_stocked_on_its_own,
    staff_add_a_size_that_shares_the_product_and_its_sales,
);

/// The demo product sold in two sizes.
const IRON: &str = "fer-vitamine-c";

async fn html(app: &TestApp, path: &str) -> (StatusCode, Html) {
    let (status, body) = page(app, path, "").await;
    (status, Html::parse_document(&body))
}

/// Every row of `products` as the database holds it, by id.
async fn rows(db: &sea_orm::DatabaseConnection) -> Vec<JsonValue> {
    JsonValue::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT * FROM products ORDER BY id",
    ))
    .all(db)
    .await
    .unwrap()
}

async fn the_migration_gives_every_product_one_size_and_loses_nothing(backend: Backend) {
    use sea_orm_migration::MigratorTrait;
    let app = spawn(backend).await;
    // The demo database as it was before variants: its one product in two sizes goes back to
    // one, then the schema goes back one migration.
    product::Entity::delete_many()
        .filter(product::Column::VariantOf.is_not_null())
        .exec(&app.db)
        .await
        .unwrap();
    let db = app::db::connect(&app.database_url, 1).await.unwrap();
    // Down to before migration 42 (the variants), whatever came after it.
    let since_variants = app::db::migrations::Migrator::migrations().len() - 41;
    app::db::migrations::Migrator::down(&db, Some(since_variants as u32))
        .await
        .unwrap();
    let before = rows(&db).await;
    assert!(before.len() >= 24);
    assert!(
        before[0].get("variant_code").is_none(),
        "migration 42 undone"
    );

    app::db::migrations::Migrator::up(&db, None).await.unwrap();
    db.close().await.unwrap();
    // A fresh connection: the last one's prepared statement knows the old columns.
    let db = app::db::connect(&app.database_url, 1).await.unwrap();
    let after = rows(&db).await;
    assert_eq!(before.len(), after.len());
    for (old, new) in before.iter().zip(&after) {
        let (old, new) = (old.as_object().unwrap(), new.as_object().unwrap());
        for (column, value) in old {
            assert_eq!(new.get(column), Some(value), "{column} kept");
        }
        let code = format!(
            "{}{}",
            old["net_quantity"].as_i64().unwrap(),
            old["net_unit"].as_str().unwrap()
        );
        assert_eq!(new["variant_code"], code.as_str());
        assert!(new["variant_of"].is_null());
        assert_eq!(new["variant_label_fr"], "");
        assert_eq!(new["variant_position"].as_i64(), Some(0));
    }
    db.close().await.unwrap();
    // Every product is still sold as it was.
    let (status, page) = html(&app, "/products/magnesium-marin-b6").await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&page, "[data-testid=variant-picker]").is_empty());
}

async fn a_size_is_picked_by_its_address_and_sold_and_stocked_on_its_own(backend: Backend) {
    let app = spawn(backend).await;
    let small = product_by_slug(&app, IRON).await;
    let large = by_sku(&app, "CB-VIT-005-120")
        .await
        .expect("the demo's second size");
    assert_eq!(large.variant_of, Some(small.id));

    // The first size by default: a plain form names both, with their prices.
    let (status, page) = html(&app, &format!("/products/{IRON}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&page, ".variant-picker__label"),
        ["60 gélules", "120 gélules"]
    );
    assert_eq!(
        attr(&page, ".variant-picker", "action").as_deref(),
        Some("/products/fer-vitamine-c")
    );
    assert_eq!(
        attr(&page, ".variant-picker input[checked]", "value").as_deref(),
        Some("24g")
    );
    let price = texts(&page, ".product-page__price strong");
    assert_eq!(cents(&price[0]), small.price_cents);
    // Search engines get every size with its own address and price.
    let ld = texts(&page, "script[type=\"application/ld+json\"]");
    let group: serde_json::Value = ld
        .iter()
        .map(|t| serde_json::from_str::<serde_json::Value>(t).unwrap())
        .find(|v| v["@type"] == "ProductGroup")
        .expect("a ProductGroup");
    let offers: Vec<(String, String)> = group["hasVariant"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["offers"]["url"].as_str().unwrap().to_owned(),
                v["offers"]["price"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        offers[0].0.ends_with("/products/fer-vitamine-c"),
        "{offers:?}"
    );
    assert!(
        offers[1]
            .0
            .ends_with("/products/fer-vitamine-c?v=120-gelules")
    );
    assert_eq!(offers[1].1, "27.90");

    // Its own address: its price, SKU, stock and canonical link.
    let (status, page) = html(&app, &format!("/products/{IRON}?v=120-gelules")).await;
    assert_eq!(status, StatusCode::OK);
    let price = texts(&page, ".product-page__price strong");
    assert_eq!(cents(&price[0]), 2790);
    assert!(texts(&page, ".product-page__sku")[0].contains("CB-VIT-005-120"));
    assert_eq!(
        attr(&page, ".variant-picker input[checked]", "value").as_deref(),
        Some("120-gelules")
    );
    assert!(
        attr(&page, "link[rel=canonical]", "href")
            .unwrap()
            .ends_with("/products/fer-vitamine-c?v=120-gelules")
    );
    assert_eq!(
        attr(
            &page,
            "form[action=\"/api/cart/add\"] input[name=product_id]",
            "value"
        ),
        Some(large.id.to_string()),
        "the cart gets the size shown"
    );
    // An unknown size shows the first; a size's own slug moves there for good.
    let (status, page) = html(&app, &format!("/products/{IRON}?v=1kg")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        cents(&texts(&page, ".product-page__price strong")[0]),
        small.price_cents
    );
    let moved = app.get(&format!("/products/{}", large.slug)).await;
    assert_eq!(moved.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location(&moved), "/products/fer-vitamine-c?v=120-gelules");

    // Listed once, found once, by any size's SKU too.
    for path in ["/products", "/products?q=fer", "/products?q=CB-VIT-005-120"] {
        let (_, page) = html(&app, path).await;
        let names = texts(&page, ".product-grid .product-card__name");
        assert_eq!(
            names
                .iter()
                .filter(|n| n.starts_with("Fer bisglycinate"))
                .count(),
            1,
            "{path}: {names:?}"
        );
    }

    // Sold by size: the line says which, the size's stock moves, the other's does not.
    let cookies = fill(
        &app,
        &format!("FR~{}x2", large.id),
        "taille@exemple.fr",
        "FR",
        "card",
    )
    .await;
    let placed = place(&app, &cookies, &key(700)).await;
    assert!(placed.status().is_success(), "{}", placed.status());
    let order = order::Entity::find()
        .filter(order::Column::Email.eq("taille@exemple.fr"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the order");
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].name, "Fer bisglycinate & vitamine C — 120 gélules");
    assert_eq!(lines[0].sku, "CB-VIT-005-120");
    assert_eq!((lines[0].product_id, lines[0].quantity), (large.id, 2));
    assert_eq!(lines[0].catalogue_price_cents, 2790);
    assert_eq!(
        by_sku(&app, "CB-VIT-005-120").await.unwrap().stock,
        large.stock - 2
    );
    assert_eq!(product_by_slug(&app, IRON).await.stock, small.stock);

    // Out of stock in one size: that size says so and offers the alert; the other sells on.
    let mut empty: product::ActiveModel = by_sku(&app, "CB-VIT-005-120").await.unwrap().into();
    empty.stock = Set(0);
    empty.update(&app.db).await.unwrap();
    let (_, page) = html(&app, &format!("/products/{IRON}?v=120-gelules")).await;
    assert_eq!(
        attr(&page, ".stock-alert__form input[name=product_id]", "value"),
        Some(large.id.to_string())
    );
    let (_, page) = html(&app, &format!("/products/{IRON}")).await;
    assert_eq!(
        attr(
            &page,
            "form[action=\"/api/cart/add\"] input[name=product_id]",
            "value"
        ),
        Some(small.id.to_string())
    );
}

async fn staff_add_a_size_that_shares_the_product_and_its_sales(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let first = product_by_slug(&app, "magnesium-marin-b6").await;
    let size = |code: &str, sku: &str, label: &str| {
        with(
            product_fields("0", sku, "ignored", "29,90", "0"),
            &[
                ("variant_of", first.id.to_string()),
                ("variant_code", code.to_owned()),
                ("variant_label_fr", label.to_owned()),
                ("net_quantity", "84".to_owned()),
            ],
        )
    };

    // Refused: no name for the size, the first size's own code, a size of a size.
    let response = save(&app, &staff, &size("84g", "CB-MAG-84", "")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = save(
        &app,
        &staff,
        &size(&first.variant_code, "CB-MAG-84", "Grand"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(by_sku(&app, "CB-MAG-84").await.is_none());

    let response = save(&app, &staff, &size("84g", "CB-MAG-84", "Grand format")).await;
    assert!(response.status().is_success(), "{}", response.status());
    let added = by_sku(&app, "CB-MAG-84").await.expect("the new size");
    assert_eq!(added.variant_of, Some(first.id));
    assert_eq!(added.slug, "magnesium-marin-b6-84g");
    assert_eq!(
        (added.name_fr.as_str(), added.category_id, added.vat_rate_bp),
        (first.name_fr.as_str(), first.category_id, first.vat_rate_bp),
        "the product's shared fields, not the form's"
    );
    assert_eq!(
        (added.price_cents, added.net_quantity, added.stock),
        (2990, 84, 12)
    );
    let first_now = product_by_slug(&app, "magnesium-marin-b6").await;
    assert_eq!(
        first_now.variant_label_fr, "42 g",
        "the first size is named too"
    );
    let again = with(
        size("84g-bis", "CB-MAG-84B", "Autre"),
        &[("variant_of", added.id.to_string())],
    );
    let response = save(&app, &staff, &again).await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "a size of a size"
    );

    // The editor lists both sizes.
    let (_, editor) = page(&app, &format!("/admin/products/{}", first.id), &staff).await;
    assert!(editor.contains("Grand format") && editor.contains("CB-MAG-84"));
    assert!(editor.contains(&format!("/admin/products/new?variant_of={}", first.id)));

    // Renaming the product renames its sizes; archiving it archives them.
    let renamed = with(
        product_fields(
            &first.id.to_string(),
            &first.sku,
            "Magnésium marin",
            "16,90",
            &first.category_id.to_string(),
        ),
        &[
            ("slug", first.slug.clone()),
            ("variant_label_fr", "42 g".to_owned()),
            ("net_quantity", first.net_quantity.to_string()),
        ],
    );
    let response = save(&app, &staff, &renamed).await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(
        by_sku(&app, "CB-MAG-84").await.unwrap().name_fr,
        "Magnésium marin"
    );
    let response = call(
        &app,
        "/api/admin/products/status",
        &[("id", &first.id.to_string()), ("status", "archived")],
        &staff,
    )
    .await;
    assert!(response.status().is_success());
    assert_eq!(by_sku(&app, "CB-MAG-84").await.unwrap().status, "archived");
    call(
        &app,
        "/api/admin/products/status",
        &[("id", &first.id.to_string()), ("status", "active")],
        &staff,
    )
    .await;
    assert_eq!(by_sku(&app, "CB-MAG-84").await.unwrap().status, "active");

    // A sale on one size reduces that size only; on the product, every size.
    let now = chrono::Utc::now();
    let end = (now + chrono::Duration::days(2))
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let sale = |scope: &'static str| {
        let end = end.clone();
        let app = &app;
        let staff = &staff;
        async move {
            let fields = [
                ("name", "Format"),
                ("kind", "percent"),
                ("amount", "10"),
                ("starts_at", ""),
                ("ends_at", end.as_str()),
                ("scope", "products"),
                ("scope_slugs", scope),
            ];
            let form = struct_form(&fields, &[]);
            call(app, "/api/admin/sales/create", &pairs(&form), staff).await
        }
    };
    let response = sale("/products/magnesium-marin-b6?v=84g").await;
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
    assert_eq!(by_sku(&app, "CB-MAG-84").await.unwrap().price_cents, 2691);
    assert_eq!(
        product_by_slug(&app, "magnesium-marin-b6")
            .await
            .price_cents,
        1690
    );
    let response = sale("magnesium-marin-b6?v=5kg").await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "an unknown size"
    );
    let response = sale("magnesium-marin-b6").await;
    assert!(response.status().is_success());
    assert_eq!(
        product_by_slug(&app, "magnesium-marin-b6")
            .await
            .price_cents,
        1521
    );
}

/// `fields` with the values of `changes` (by field name) instead.
fn with(mut fields: Vec<(String, String)>, changes: &[(&str, String)]) -> Vec<(String, String)> {
    for (name, value) in changes {
        let name = format!("form[{name}]");
        fields.retain(|(n, _)| *n != name);
        fields.push((name, value.clone()));
    }
    fields
}
