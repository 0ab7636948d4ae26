//! Packing slips: for one order or the orders a filter of the list shows, the lines and
//! quantities without prices, the delivery address and the number (as Code 128 in the PDF).

use crate::support;

use app::admin::orders::OrderFilter;
use app::admin::orders::slips::{of_list, of_order};
use app::db::entities::{order, order_line};
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use support::forms::{confirmed_account, staff_session};
use support::shop::{basket, key, place};
use support::{Backend, spawn};

both_backends!(staff_print_the_slips_of_an_order_and_of_a_list,);

async fn staff_print_the_slips_of_an_order_and_of_a_list(backend: Backend) {
    let app = spawn(backend).await;
    let cookies = basket(
        &app,
        "",
        "colis@exemple.fr",
        "7 rue du Colis",
        "bank_transfer",
    )
    .await;
    assert!(place(&app, &cookies, &key(806)).await.status().is_success());
    let other = basket(&app, "", "carte-colis@exemple.fr", "8 rue du Colis", "card").await;
    assert!(place(&app, &other, &key(807)).await.status().is_success());
    let placed = order::Entity::find()
        .filter(order::Column::Email.eq("colis@exemple.fr"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(placed.id))
        .all(&app.db)
        .await
        .unwrap();

    // What the slip says: every line with its quantity, the address, the number (a slip has no
    // price field at all: the parcel may be a gift).
    let slip = of_order(&app.db, &placed.number.to_lowercase())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(slip.number, placed.number);
    assert_eq!(slip.lines.len(), lines.len());
    for line in &lines {
        assert!(
            slip.lines
                .iter()
                .any(|l| l.sku == line.sku && l.name == line.name && l.quantity == line.quantity),
            "{line:?}"
        );
    }
    assert!(
        slip.address.iter().any(|l| l == "7 rue du Colis"),
        "{:?}",
        slip.address
    );
    assert!(
        slip.address.iter().any(|l| l.contains("69002")),
        "{:?}",
        slip.address
    );
    assert!(of_order(&app.db, "CB26-NOPE00").await.unwrap().is_none());

    // The list's filter chooses the orders: by payment method, one; all, both, oldest first.
    let by_transfer = OrderFilter {
        method: "bank_transfer".into(),
        ..OrderFilter::default()
    };
    let listed = of_list(&app.db, by_transfer).await.unwrap();
    assert_eq!(
        listed.iter().map(|s| s.number.as_str()).collect::<Vec<_>>(),
        [placed.number.as_str()]
    );
    let all = of_list(&app.db, OrderFilter::default()).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].number, placed.number);

    // The PDFs, for staff only.
    let one = format!("/admin/orders/{}/slip.pdf", placed.number);
    assert_eq!(app.get(&one).await.status(), StatusCode::UNAUTHORIZED);
    let customer = format!(
        "comptoir_session={}",
        confirmed_account(&app, "cliente@exemple.fr", "Quatre-chemins-sous-la-pluie").await
    );
    assert_eq!(
        app.get_with(&one, &[(COOKIE, customer.as_str())])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let staff = staff_session(&app).await;
    for path in [
        one.as_str(),
        "/admin/orders/slips.pdf?method=bank_transfer",
        "/admin/orders/slips.pdf",
    ] {
        let response = app.get_with(path, &[(COOKIE, staff.as_str())]).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["content-type"], "application/pdf");
        assert!(
            response.bytes().await.unwrap().starts_with(b"%PDF-"),
            "{path}"
        );
    }
    let none = app
        .get_with(
            "/admin/orders/slips.pdf?status=delivered",
            &[(COOKIE, staff.as_str())],
        )
        .await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);
    let unknown = app
        .get_with(
            "/admin/orders/CB26-NOPE00/slip.pdf",
            &[(COOKIE, staff.as_str())],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
