//! CSV exports: the catalogue and the orders (filtered as the list is, per order or per line),
//! as a French spreadsheet opens them (UTF-8 with a byte-order mark, `;`, decimal commas), for
//! staff only; and written while sent, so 100,000 products cost the memory of one batch.

use crate::support;

use app::admin::exports::{LINE_COLUMNS, ORDER_COLUMNS, PRODUCT_COLUMNS};
use app::db::entities::{order, product};
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use support::forms::{confirmed_account, staff_session};
use support::shop::{basket, key, place, product_by_slug};
use support::{Backend, TestApp, spawn};

both_backends!(
    staff_export_the_catalogue_as_a_spreadsheet_reads_it,
    staff_export_the_orders_the_list_shows,
    a_large_catalogue_is_exported_in_bounded_memory,
);

/// The header and rows of a CSV download (after its byte-order mark).
async fn download(
    app: &TestApp,
    path: &str,
    cookies: &str,
) -> (Vec<String>, Vec<csv::StringRecord>) {
    let response = app.get_with(path, &[(COOKIE, cookies)]).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    let text = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("a UTF-8 byte-order mark");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader.records().map(Result::unwrap).collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

async fn staff_export_the_catalogue_as_a_spreadsheet_reads_it(backend: Backend) {
    let app = spawn(backend).await;
    let path = "/admin/products/export.csv";
    assert_eq!(app.get(path).await.status(), StatusCode::UNAUTHORIZED);
    let customer = format!(
        "comptoir_session={}",
        confirmed_account(&app, "cliente@exemple.fr", "Quatre-chemins-sous-la-pluie").await
    );
    assert_eq!(
        app.get_with(path, &[(COOKIE, customer.as_str())])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let staff = staff_session(&app).await;
    let (header, rows) = download(&app, path, &staff).await;
    assert_eq!(header, PRODUCT_COLUMNS);
    assert_eq!(
        rows.len() as u64,
        product::Entity::find().count(&app.db).await.unwrap()
    );
    let at = |name: &str| column(&header, name);
    let by_sku = |sku: &str| rows.iter().find(|r| &r[at("sku")] == sku).unwrap().clone();
    // A size names its product; prices and rates with a decimal comma; both languages.
    let large = by_sku("CB-VIT-005-120");
    let fer = product_by_slug(&app, "fer-vitamine-c").await;
    assert_eq!(&large[at("product_sku")], fer.sku.as_str());
    assert_eq!(&large[at("price")], "27,90");
    assert_eq!(&large[at("stock")], "40");
    assert_eq!(&large[at("variant_code")], "120-gelules");
    let head = by_sku(&fer.sku);
    assert_eq!(&head[at("product_sku")], "");
    assert_eq!(&head[at("name_fr")], fer.name_fr.as_str());
    assert_eq!(&head[at("name_en")], fer.name_en.as_str());
    assert_eq!(&head[at("vat_rate")], "5,5");
    assert_eq!(&head[at("price")], "15,90");
    // Texts with line breaks, quotes or `;` come back whole.
    assert_eq!(&head[at("description_fr")], fer.description_fr.as_str());

    // Compressed, as browsers ask for it, the file still ends cleanly (the compression layer
    // polls the stream once more after its end).
    let response = app
        .get_with(
            path,
            &[
                (COOKIE, staff.as_str()),
                (reqwest::header::ACCEPT_ENCODING, "gzip"),
            ],
        )
        .await;
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let gzipped = response.bytes().await.expect("the whole compressed file");
    assert!(gzipped.len() > 1000, "{}", gzipped.len());
}

async fn staff_export_the_orders_the_list_shows(backend: Backend) {
    let app = spawn(backend).await;
    let by_card = basket(&app, "", "carte@exemple.fr", "1 rue Neuve", "card").await;
    assert!(place(&app, &by_card, &key(804)).await.status().is_success());
    let by_transfer = basket(
        &app,
        "",
        "virement@exemple.fr",
        "2 rue Neuve",
        "bank_transfer",
    )
    .await;
    assert!(
        place(&app, &by_transfer, &key(805))
            .await
            .status()
            .is_success()
    );
    let transfer = order::Entity::find()
        .filter(order::Column::Email.eq("virement@exemple.fr"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let staff = staff_session(&app).await;

    let (header, rows) = download(&app, "/admin/orders/export.csv", &staff).await;
    assert_eq!(header, ORDER_COLUMNS);
    assert_eq!(rows.len(), 2);
    // The filter of the list applies: only the transfer.
    let (_, rows) = download(
        &app,
        "/admin/orders/export.csv?method=bank_transfer",
        &staff,
    )
    .await;
    assert_eq!(rows.len(), 1);
    let at = |name: &str| column(&header, name);
    assert_eq!(&rows[0][at("number")], transfer.number.as_str());
    assert_eq!(&rows[0][at("email")], "virement@exemple.fr");
    assert_eq!(
        &rows[0][at("total")],
        app::admin::exports::amount(transfer.total_cents).as_str()
    );
    assert_eq!(&rows[0][at("postal_code")], "69002");

    // A row per line: the basket's two products, their amounts adding up to the lines' total.
    let (header, lines) = download(
        &app,
        "/admin/orders/export.csv?method=bank_transfer&per=line",
        &staff,
    )
    .await;
    assert_eq!(header, LINE_COLUMNS);
    assert_eq!(lines.len(), 2);
    let cents = |text: &str| text.replace(',', "").parse::<i64>().unwrap();
    let lines_total: i64 = lines
        .iter()
        .map(|l| cents(&l[column(&header, "total")]))
        .sum();
    assert_eq!(lines_total, transfer.subtotal_cents);
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    assert!(
        lines
            .iter()
            .any(|l| &l[column(&header, "sku")] == serum.sku.as_str())
    );
    // An unknown filter value is dropped, as the list drops it.
    let (_, all) = download(&app, "/admin/orders/export.csv?method=nope", &staff).await;
    assert_eq!(all.len(), 2);
}

async fn a_large_catalogue_is_exported_in_bounded_memory(backend: Backend) {
    // The 100,000 of the issue on SQLite; on PostgreSQL a quarter, which is enough to show the
    // same bound and keeps the test within the suite's minute (seeding there is slower).
    let total = match backend {
        Backend::Sqlite => 100_000,
        Backend::Postgres => 25_000,
    };
    let app = spawn(backend).await;
    server::seed::seed_synthetic(&app.db, total).await.unwrap();
    let staff = staff_session(&app).await;
    let products = product::Entity::find().count(&app.db).await.unwrap();
    assert!(products >= total);

    let before = support::memory::start();
    let mut response = app
        .get_with("/admin/products/export.csv", &[(COOKIE, staff.as_str())])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Read as a browser saves a download: chunk by chunk, nothing kept but counts.
    let (mut bytes, mut lines) = (0usize, 0u64);
    while let Some(chunk) = response.chunk().await.unwrap() {
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
    }
    let peak = support::memory::peak_above(before);
    // Every product, on one line each (synthetic texts hold no line break), plus the header.
    assert!(lines > products, "{lines} lines for {products} products");
    println!(
        "export of {products} products: {bytes} bytes, heap peak {peak} bytes above the start"
    );
    // A batch of 500 products and its CSV (about 2 MB measured on either engine), never the
    // file: 8 MiB at most, for a file of 18 MB (PostgreSQL) to 74 MB (SQLite).
    const BOUND: usize = 8 << 20;
    assert!(bytes > 2 * BOUND, "{bytes}");
    assert!(
        peak < BOUND,
        "the heap grew by {peak} bytes for a {bytes}-byte file"
    );
}
