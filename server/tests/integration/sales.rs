//! Price reductions (Code de la consommation L112-1-1): staff schedule a sale, it moves the
//! prices at its start and end by the shop's clock, pages announce it against the lowest price
//! of the 30 days before (a price raised then reduced refers to the price before the raise),
//! a catalogue price edited during a sale waits for its end, and orders placed while a sale
//! starts are priced as at placement, never half and half.

use crate::support;

use app::clock::Clock as _;
use app::db::entities::{audit_log, order, order_line};
use app::i18n::Locale;
use app::promotions::service::sales::{apply_now, next_change};
use app::ui::format::money;
use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use support::catalogue::{by_sku, first_category, product_fields, save};
use support::forms::{call, page, staff_session, staff_sign_in, struct_form};
use support::shop::{basket, key, pairs, place, product_by_slug};
use support::{Backend, TestApp, spawn};

both_backends!(
    a_sale_moves_prices_at_its_start_and_end_and_is_announced_by_the_rules,
    a_price_raised_then_reduced_refers_to_the_lowest_of_the_thirty_days,
    orders_placed_while_a_sale_starts_are_priced_as_at_placement,
);

const SLUG: &str = "magnesium-marin-b6";

/// `at` as the back office's form types it: a Paris wall-clock time.
fn paris(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Staff (`cookie`) schedule a sale: 20 % off `slug` for three days from now, unless `fields`
/// say otherwise.
async fn create_sale(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let now = app.clock.now();
    let end = paris(now + Duration::days(3));
    let defaults = [
        ("name", "Hiver"),
        ("kind", "percent"),
        ("amount", "20"),
        ("starts_at", ""),
        ("ends_at", end.as_str()),
        ("scope", "products"),
        ("scope_slugs", SLUG),
    ];
    let form = struct_form(&defaults, fields);
    call(app, "/api/admin/sales/create", &pairs(&form), cookie).await
}

fn fr(cents: i64) -> String {
    money(Locale::Fr, app::money::from_cents(cents))
}

async fn a_sale_moves_prices_at_its_start_and_end_and_is_announced_by_the_rules(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let before = product_by_slug(&app, SLUG).await;
    let catalogue = before.price_cents;
    let reduced = catalogue - (catalogue * 2_000 + 5_000) / 10_000;

    // Bad forms are refused with a reason and schedule nothing.
    let past = paris(app.clock.now() - Duration::hours(2));
    for (fields, words) in [
        (vec![("starts_at", past.as_str())], "Début invalide"),
        (vec![("amount", "120")], "pourcentage"),
        (vec![("scope_slugs", "no-such-product")], "no-such-product"),
        (vec![("ends_at", "demain")], "Fin invalide"),
    ] {
        let response = create_sale(&app, &staff, &fields).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{fields:?}");
        let text = response.text().await.unwrap();
        assert!(text.contains(words), "{fields:?}: {text}");
    }
    assert_eq!(next_change(&app.db, app.clock.now()).await.unwrap(), None);

    // Scheduled to start in an hour: nothing moves before.
    let start = app.clock.now() + Duration::hours(1);
    let start_text = paris(start);
    let response = create_sale(&app, &staff, &[("starts_at", start_text.as_str())]).await;
    assert!(response.status().is_success(), "{}", response.status());
    let starts = next_change(&app.db, app.clock.now())
        .await
        .unwrap()
        .unwrap();
    assert!(starts <= start && start - starts < Duration::minutes(1));
    assert_eq!(apply_now(&app.db, app.clock.now()).await.unwrap(), 0);
    assert_eq!(product_by_slug(&app, SLUG).await.price_cents, catalogue);
    let (_, html) = page(&app, &format!("/products/{SLUG}"), "").await;
    assert!(!html.contains("reference-price"));

    // At its start the price in force is the sale's, announced against the reference price.
    app.clock.advance(starts - app.clock.now());
    assert_eq!(apply_now(&app.db, app.clock.now()).await.unwrap(), 1);
    assert_eq!(
        apply_now(&app.db, app.clock.now()).await.unwrap(),
        0,
        "once"
    );
    let on_sale = product_by_slug(&app, SLUG).await;
    assert_eq!(on_sale.price_cents, reduced);
    assert_eq!(on_sale.price_before_sale_cents, Some(catalogue));
    assert_eq!(on_sale.reference_price_cents, Some(catalogue));
    let (status, html) = page(&app, &format!("/products/{SLUG}"), "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("class=\"sale-badge\">−20 %"), "the badge");
    assert!(html.contains(&fr(reduced)), "the price in force");
    let reference = html
        .split("data-testid=\"reference-price\"")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("the reference price");
    assert!(
        reference.contains(&format!("<s>{}</s>", fr(catalogue))),
        "{reference}"
    );
    assert!(
        reference
            .contains("le prix le plus bas pratiqué au cours des 30 jours précédant la réduction")
    );
    assert!(reference.contains("Offre valable jusqu'au"), "{reference}");
    assert!(html.contains("\"priceValidUntil\""), "JSON-LD");
    assert!(html.contains(&format!(
        "\"price\":\"{}\"",
        app::money::from_cents(reduced)
    )));
    let (_, listing) = page(&app, "/products?q=magnesium", "").await;
    assert!(listing.contains("product-card__was"), "the card");
    let (_, admin) = page(&app, "/admin/sales", &staff).await;
    assert!(admin.contains("En cours"), "running");

    // At its end the catalogue price is back, with nothing announced; the history holds the
    // three prices.
    app.clock.advance(Duration::days(3));
    let staff = staff_sign_in(&app).await;
    assert_eq!(apply_now(&app.db, app.clock.now()).await.unwrap(), 1);
    let after = product_by_slug(&app, SLUG).await;
    assert_eq!(
        (
            after.price_cents,
            after.sale_id,
            after.price_before_sale_cents,
            after.reference_price_cents
        ),
        (catalogue, None, None, None)
    );
    let (_, html) = page(&app, &format!("/products/{SLUG}"), "").await;
    assert!(!html.contains("reference-price") && !html.contains("sale-badge"));
    let prices: Vec<i64> = app::catalog::service::prices::history(&app.db, after.id, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, cents)| cents)
        .collect();
    assert_eq!(prices[..3], [catalogue, reduced, catalogue]);
    let (_, admin) = page(&app, "/admin/sales", &staff).await;
    assert!(admin.contains("Terminée"), "ended");

    // A sale cancelled while running ends at once; cancelling it again is a 404.
    let response = create_sale(&app, &staff, &[("kind", "price"), ("amount", "1,00")]).await;
    assert!(response.status().is_success());
    assert_eq!(
        product_by_slug(&app, SLUG).await.price_cents,
        100,
        "starts now"
    );
    let id = app::db::entities::sale::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .max()
        .unwrap()
        .to_string();
    let cancel = |id: String| {
        let (app, staff) = (&app, &staff);
        async move {
            call(
                app,
                "/api/admin/sales/cancel",
                &[("id", id.as_str())],
                staff,
            )
            .await
        }
    };
    assert!(cancel(id.clone()).await.status().is_success());
    assert_eq!(product_by_slug(&app, SLUG).await.price_cents, catalogue);
    assert_eq!(cancel(id).await.status(), StatusCode::NOT_FOUND);
    let actions: Vec<String> = audit_log::Entity::find()
        .filter(audit_log::Column::Action.starts_with("sale."))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["sale.create", "sale.create", "sale.cancel"]);
    // Customers reach none of it.
    let anonymous = call(&app, "/api/admin/sales", &[], "").await;
    assert!(anonymous.status().is_client_error());
}

async fn a_price_raised_then_reduced_refers_to_the_lowest_of_the_thirty_days(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let category = first_category(&app).await.id.to_string();
    let fields = product_fields("0", "cb-solde-1", "Huile soldée", "20,00", &category);
    assert!(save(&app, &staff, &fields).await.status().is_success());
    let id = by_sku(&app, "CB-SOLDE-1").await.unwrap().id.to_string();
    let slug = by_sku(&app, "CB-SOLDE-1").await.unwrap().slug;

    // Forty days at 20 €, then raised to 30 €, then ten days later a sale at 18 €: the
    // reference is 20 €, not the raised 30 €, and the reduction announced is 10 %.
    app.clock.advance(Duration::days(40));
    let staff = staff_sign_in(&app).await;
    let raised = product_fields(&id, "cb-solde-1", "Huile soldée", "30,00", &category);
    assert!(save(&app, &staff, &raised).await.status().is_success());
    app.clock.advance(Duration::days(10));
    let staff = staff_sign_in(&app).await;
    let response = create_sale(
        &app,
        &staff,
        &[
            ("kind", "price"),
            ("amount", "18,00"),
            ("scope_slugs", slug.as_str()),
        ],
    )
    .await;
    assert!(response.status().is_success());
    let p = by_sku(&app, "CB-SOLDE-1").await.unwrap();
    assert_eq!(
        (p.price_cents, p.reference_price_cents),
        (1_800, Some(2_000))
    );
    let (_, html) = page(&app, &format!("/products/{slug}"), "").await;
    assert!(html.contains("class=\"sale-badge\">−10 %"));
    assert!(html.contains(&format!("<s>{}</s>", fr(2_000))));
    assert!(
        !html.contains(&format!("<s>{}</s>", fr(3_000))),
        "never the raised price"
    );

    // Staff edit the catalogue price during the sale: the sale's price stays in force, the
    // new catalogue price waits for its end, and the editor shows both.
    let edited = product_fields(&id, "cb-solde-1", "Huile soldée", "32,00", &category);
    assert!(save(&app, &staff, &edited).await.status().is_success());
    let p = by_sku(&app, "CB-SOLDE-1").await.unwrap();
    assert_eq!(
        (p.price_cents, p.price_before_sale_cents),
        (1_800, Some(3_200))
    );
    let (_, editor) = page(&app, &format!("/admin/products/{id}"), &staff).await;
    assert!(
        editor.contains("value=\"32,00\""),
        "the catalogue price is edited"
    );
    assert!(editor.contains("data-testid=\"on-sale\""));

    // A better sale on the same product takes over, announced against the same reference
    // (successive reductions refer to the price before the first).
    app.clock.advance(Duration::days(1));
    let staff = staff_sign_in(&app).await;
    let response = create_sale(
        &app,
        &staff,
        &[
            ("kind", "percent"),
            ("amount", "50"),
            ("scope", "categories"),
            ("scope_slugs", ""),
        ],
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "a scope needs addresses"
    );
    let category_slug = first_category(&app).await.slug;
    let response = create_sale(
        &app,
        &staff,
        &[
            ("kind", "percent"),
            ("amount", "50"),
            ("scope", "categories"),
            ("scope_slugs", category_slug.as_str()),
        ],
    )
    .await;
    assert!(response.status().is_success());
    let p = by_sku(&app, "CB-SOLDE-1").await.unwrap();
    assert_eq!(
        (p.price_cents, p.reference_price_cents),
        (1_600, Some(2_000))
    );

    // A sale that would not lower a price leaves it alone; after both sales the edited
    // catalogue price is in force.
    app.clock.advance(Duration::days(3));
    apply_now(&app.db, app.clock.now()).await.unwrap();
    let p = by_sku(&app, "CB-SOLDE-1").await.unwrap();
    assert_eq!((p.price_cents, p.sale_id), (3_200, None));
    let staff = staff_sign_in(&app).await;
    let response = create_sale(
        &app,
        &staff,
        &[
            ("kind", "price"),
            ("amount", "40,00"),
            ("scope_slugs", slug.as_str()),
        ],
    )
    .await;
    assert!(response.status().is_success());
    let p = by_sku(&app, "CB-SOLDE-1").await.unwrap();
    assert_eq!((p.price_cents, p.sale_id), (3_200, None));
}

/// The lines of serum and magnesium of `order`: their unit prices.
async fn line_prices(app: &TestApp, order: &order::Model, ids: (i32, i32)) -> (i64, i64) {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .all(&app.db)
        .await
        .unwrap();
    let of = |id: i32| {
        lines
            .iter()
            .find(|l| l.product_id == id)
            .map(|l| l.catalogue_price_cents)
            .unwrap()
    };
    (of(ids.0), of(ids.1))
}

async fn orders_placed_while_a_sale_starts_are_priced_as_at_placement(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    let ids = (serum.id, magnesium.id);
    let old = (serum.price_cents, magnesium.price_cents);
    let new = (
        old.0 - (old.0 * 2_000 + 5_000) / 10_000,
        old.1 - (old.1 * 2_000 + 5_000) / 10_000,
    );

    // What a shopper saw at review before the sale: the total of one placed then.
    let control = basket(&app, "", "temoin@exemple.fr", "1 rue Neuve", "card").await;
    place(&app, &control, &key(500)).await;
    let control = order::Entity::find()
        .filter(order::Column::Email.eq("temoin@exemple.fr"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the control order");
    assert_eq!(line_prices(&app, &control, ids).await, old);
    let seen_total = app::money::from_cents(control.total_cents).to_string();

    // A sale on both starts in an hour.
    let start = paris(app.clock.now() + Duration::hours(1));
    let both = format!("serum-eclat-vitamine-c, {SLUG}");
    let response = create_sale(
        &app,
        &staff,
        &[
            ("starts_at", start.as_str()),
            ("scope_slugs", both.as_str()),
        ],
    )
    .await;
    assert!(response.status().is_success());
    let starts = next_change(&app.db, app.clock.now())
        .await
        .unwrap()
        .unwrap();

    // Eight shoppers at review, four of them holding the total they saw; at the sale's start
    // they all place while the job moves the prices.
    let mut checkouts = Vec::new();
    for n in 0..8 {
        let email = format!("acheteur{n}@exemple.fr");
        checkouts.push((
            email.clone(),
            basket(&app, "", &email, "1 rue Neuve", "card").await,
        ));
    }
    app.clock.advance(starts - app.clock.now());
    let placing = checkouts.iter().enumerate().map(|(n, (_, cookies))| {
        let app = &app;
        let seen_total = seen_total.clone();
        async move {
            let key = key(501 + n);
            if n % 2 == 0 {
                support::forms::call_from(
                    app,
                    "/api/checkout/place",
                    &[
                        ("idempotency_key", key.as_str()),
                        ("terms_version", app::orders::rules::TERMS_VERSION),
                        ("terms", "accepted"),
                        ("expected_total", seen_total.as_str()),
                    ],
                    cookies,
                    &support::shop::client_of(&key),
                )
                .await
                .status()
            } else {
                place(app, cookies, &key).await.status()
            }
        }
    });
    let (moved, statuses) = tokio::join!(
        apply_now(&app.db, starts),
        futures::future::join_all(placing)
    );
    assert_eq!(moved.unwrap(), 2, "both products moved at once");

    let mut placed_units = 3;
    for (n, ((email, _), status)) in checkouts.iter().zip(&statuses).enumerate() {
        let found = order::Entity::find()
            .filter(order::Column::Email.eq(email.as_str()))
            .one(&app.db)
            .await
            .unwrap();
        match found {
            Some(o) => {
                placed_units += 3;
                let prices = line_prices(&app, &o, ids).await;
                assert!(
                    prices == old || prices == new,
                    "never half and half: {prices:?}"
                );
                if n % 2 == 0 {
                    assert_eq!(prices, old, "the total seen holds only at the old prices");
                    assert_eq!(o.total_cents, control.total_cents);
                }
            }
            None => {
                assert_eq!(
                    n % 2,
                    0,
                    "only a total seen before may be refused ({status})"
                );
                assert_eq!(*status, StatusCode::CONFLICT, "refused as changed");
            }
        }
    }
    // The stock taken is exactly the orders'.
    let serum_now = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let magnesium_now = product_by_slug(&app, SLUG).await;
    assert_eq!(serum.stock - serum_now.stock, placed_units / 3);
    assert_eq!(magnesium.stock - magnesium_now.stock, placed_units / 3 * 2);
    assert_eq!((serum_now.price_cents, magnesium_now.price_cents), new);

    // Placed now, an order is priced at the sale.
    let late = basket(&app, "", "tard@exemple.fr", "1 rue Neuve", "card").await;
    place(&app, &late, &key(599)).await;
    let late = order::Entity::find()
        .filter(order::Column::Email.eq("tard@exemple.fr"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(line_prices(&app, &late, ids).await, new);
}
