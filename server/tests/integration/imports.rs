//! The product CSV import: a trial that writes nothing, then the same file applied in one
//! transaction; the export read back changes nothing; one refused row and nothing is written.

use crate::support;

use app::admin::catalog::{ImportReport, RowOutcome};
use app::db::entities::{audit_log, product, stock_movement};
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use support::forms::{
    FilePart, call, confirmed_account, location, multipart_body, post_multipart, staff_session,
};
use support::{Backend, TestApp, spawn};

both_backends!(
    the_export_imported_again_changes_nothing,
    an_import_creates_and_changes_what_the_file_says,
    one_refused_row_and_nothing_is_written,
    a_large_catalogue_is_imported_in_bounded_memory,
);

const UPLOAD: &str = "/admin/products/import/upload";

/// The upload's form as a browser sends it: `mode` `check` or `apply` (with `checked`), and
/// `file`.
fn form_body(mode: &str, checked: &str, file: &[u8]) -> Vec<u8> {
    let csv = FilePart {
        field: "file",
        name: "produits.csv",
        content_type: "text/csv",
        bytes: file,
    };
    multipart_body(&[("mode", mode), ("checked", checked)], csv)
}

/// Posts `file` as a browser's plain form does.
async fn upload(
    app: &TestApp,
    mode: &str,
    checked: &str,
    file: &[u8],
    cookies: &str,
) -> reqwest::Response {
    post_multipart(app, UPLOAD, form_body(mode, checked, file), cookies).await
}

/// The slug of `product`'s category (the CSV names categories by slug).
async fn category_of(app: &TestApp, product: &product::Model) -> String {
    app::db::entities::category::Entity::find_by_id(product.category_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .slug
}

/// Uploads `file` and reads the report the import page shows.
async fn run(app: &TestApp, mode: &str, checked: &str, file: &[u8], staff: &str) -> ImportReport {
    let response = upload(app, mode, checked, file, staff).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/products/import");
    let report = call(app, "/api/admin/products/import", &[], staff).await;
    assert_eq!(report.status(), StatusCode::OK);
    report
        .json::<Option<ImportReport>>()
        .await
        .unwrap()
        .expect("a report")
}

/// Everything about the catalogue an import could touch.
async fn catalogue(app: &TestApp) -> (Vec<product::Model>, u64, u64) {
    let products = product::Entity::find()
        .order_by_asc(product::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let audit = audit_log::Entity::find().count(&app.db).await.unwrap();
    let moves = stock_movement::Entity::find().count(&app.db).await.unwrap();
    (products, audit, moves)
}

async fn the_export_imported_again_changes_nothing(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let export = app
        .get_with("/admin/products/export.csv", &[(COOKIE, staff.as_str())])
        .await
        .bytes()
        .await
        .unwrap();
    let before = catalogue(&app).await;
    let count = before.0.len() as u64;

    let trial = run(&app, "check", "", &export, &staff).await;
    assert_eq!(trial.file_error, None);
    assert!(trial.trial && !trial.applied);
    assert_eq!(
        (
            trial.rows,
            trial.unchanged,
            trial.created,
            trial.changed,
            trial.refused
        ),
        (count, count, 0, 0, 0),
        "{:?}",
        trial.lines
    );
    assert_eq!(trial.sha256.len(), 64);

    let applied = run(&app, "apply", &trial.sha256, &export, &staff).await;
    assert!(applied.applied && !applied.trial, "{applied:?}");
    assert_eq!((applied.unchanged, applied.changed), (count, 0));
    let after = catalogue(&app).await;
    assert_eq!(after.0, before.0, "every field, updated_at included");
    assert_eq!(after.1, before.1 + 1, "only the import's own audit entry");
    assert_eq!(after.2, before.2, "no stock movement");
    let entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("product.import"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the import in the audit log");
    assert!(
        entry.detail.contains("0 created, 0 changed"),
        "{}",
        entry.detail
    );
}

async fn an_import_creates_and_changes_what_the_file_says(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let fer = support::shop::product_by_slug(&app, "fer-vitamine-c").await;
    let category = category_of(&app, &fer).await;
    // A spreadsheet set to English: `,` between fields, decimal points, a few columns only.
    let file = format!(
        "sku,product_sku,name_fr,name_en,category,kind,price,vat_rate,net_quantity,net_unit,stock,variant_code,variant_label_fr\n\
         {fer},,,,,,16.50,,,,75,,\n\
         CB-NEUF-01,,\"Baume, lèvres\",Lip balm,{category},cosmetic,8.90,20,15,ml,30,,\n\
         CB-VIT-005-240,{fer},,,{category},,39.90,,,,12,240-gelules,240 gélules\n",
        fer = fer.sku,
    );
    let before = catalogue(&app).await;
    let trial = run(&app, "check", "", file.as_bytes(), &staff).await;
    assert_eq!(trial.file_error, None);
    assert_eq!(
        (trial.rows, trial.created, trial.changed, trial.refused),
        (3, 2, 1, 0),
        "{:?}",
        trial.lines
    );
    let changed = trial
        .lines
        .iter()
        .find(|l| l.sku == fer.sku)
        .expect("the changed product listed");
    assert_eq!(changed.line, 2);
    let RowOutcome::Changed(fields) = &changed.outcome else {
        panic!("{changed:?}");
    };
    assert!(
        fields.contains(&"price 15.90 → 16.50".to_owned()),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|f| f.starts_with("stock ") && f.ends_with("→ 75")),
        "{fields:?}"
    );
    assert_eq!(catalogue(&app).await, before, "a trial writes nothing");

    // Another file than the one tried is refused whole.
    let other = file.replace("16.50", "17.50");
    let refused = run(&app, "apply", &trial.sha256, other.as_bytes(), &staff).await;
    assert!(!refused.applied);
    assert!(refused.file_error.is_some());
    assert_eq!(catalogue(&app).await, before);

    let applied = run(&app, "apply", &trial.sha256, file.as_bytes(), &staff).await;
    assert!(applied.applied, "{applied:?}");
    assert_eq!((applied.created, applied.changed), (2, 1));
    let fer_now = support::shop::product_by_slug(&app, "fer-vitamine-c").await;
    assert_eq!(fer_now.price_cents, 1650);
    assert_eq!(fer_now.stock, 75);
    assert_eq!(
        fer_now.name_fr, fer.name_fr,
        "a missing column keeps its value"
    );
    let movement = stock_movement::Entity::find()
        .filter(stock_movement::Column::ProductId.eq(fer.id))
        .order_by_desc(stock_movement::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            movement.delta,
            movement.stock_after,
            movement.reason.as_str()
        ),
        (75 - fer.stock, 75, "import CSV")
    );
    let balm = product::Entity::find()
        .filter(product::Column::Sku.eq("CB-NEUF-01"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the new product");
    assert_eq!(
        (
            balm.name_fr.as_str(),
            balm.price_cents,
            balm.vat_rate_bp,
            balm.stock
        ),
        ("Baume, lèvres", 890, 2000, 30)
    );
    let size = product::Entity::find()
        .filter(product::Column::Sku.eq("CB-VIT-005-240"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the new size");
    assert_eq!(size.variant_of, Some(fer.id));
    assert_eq!(size.slug, format!("{}-240-gelules", fer.slug));
    assert_eq!(
        size.name_fr, fer.name_fr,
        "a size shares its product's texts"
    );
    assert_eq!((size.price_cents, size.stock), (3990, 12));
    // The shop's pages show it at once.
    let (status, page) = support::forms::page(&app, "/products/fer-vitamine-c", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("240 gélules"));
    assert!(page.contains("16,50"), "the new price on the page");
}

async fn one_refused_row_and_nothing_is_written(backend: Backend) {
    let app = spawn(backend).await;
    // Staff only.
    let file = b"sku;price\nCB-X-1;10,00\n";
    assert_eq!(
        upload(&app, "check", "", file, "").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let customer = format!(
        "comptoir_session={}",
        confirmed_account(&app, "cliente@exemple.fr", "Quatre-chemins-sous-la-pluie").await
    );
    assert_eq!(
        upload(&app, "check", "", file, &customer).await.status(),
        StatusCode::FORBIDDEN
    );
    let staff = staff_session(&app).await;
    let fer = support::shop::product_by_slug(&app, "fer-vitamine-c").await;
    let file = format!(
        "\u{feff}sku;name_fr;category;kind;price;vat_rate;net_quantity;net_unit\n\
         {fer};;;;17,00;;;\n\
         CB-BON-01;Bon produit;{cat};supplement;12,00;5,5;60;g\n\
         CB-BON-02;Catégorie absente;nulle-part;supplement;12,00;5,5;60;g\n\
         CB-BON-03;TVA fausse;{cat};supplement;12,00;19,6;60;g\n\
         CB-BON-04;Prix faux;{cat};supplement;douze;5,5;60;g\n\
         cb-bon-01;Deux fois;{cat};supplement;12,00;5,5;60;g\n\
         CB-BON-05;Trop court\n\
         \"CB-BON-06\";\"Nom sur\ndeux lignes\";{cat};cosmetic;9,00;20;30;ml\n\
         CB-BON-07;Quantité;{cat};supplement;12,00;5,5;-3;g\n",
        fer = fer.sku,
        cat = category_of(&app, &fer).await,
    );
    let before = catalogue(&app).await;
    let trial = run(&app, "check", "", file.as_bytes(), &staff).await;
    assert_eq!(trial.file_error, None);
    assert_eq!(
        (trial.rows, trial.changed, trial.created, trial.refused),
        (9, 1, 2, 6),
        "{:#?}",
        trial.lines
    );
    let refusal = |line: u64| {
        let l = trial.lines.iter().find(|l| l.line == line).unwrap();
        match &l.outcome {
            RowOutcome::Refused(why) => why.clone(),
            other => panic!("line {line}: {other:?}"),
        }
    };
    // Refusals first, each with its line in the file and why.
    assert!(matches!(trial.lines[0].outcome, RowOutcome::Refused(_)));
    assert!(refusal(4).contains("nulle-part"), "{}", refusal(4));
    assert!(refusal(5).contains("TVA"), "{}", refusal(5));
    assert!(refusal(6).to_lowercase().contains("prix"), "{}", refusal(6));
    assert!(
        refusal(7).contains('3'),
        "the first row of that SKU: {}",
        refusal(7)
    );
    assert!(!refusal(8).is_empty());
    // A quoted field over two lines: the next record starts two lines further.
    assert!(
        refusal(11).to_lowercase().contains("quantité"),
        "{}",
        refusal(11)
    );
    assert_eq!(catalogue(&app).await, before);

    // Applying it anyway writes nothing at all, the good rows included.
    let applied = run(&app, "apply", &trial.sha256, file.as_bytes(), &staff).await;
    assert!(!applied.applied);
    assert_eq!(applied.refused, 6);
    assert_eq!(
        catalogue(&app).await,
        before,
        "nothing written, no audit entry"
    );

    // A file a spreadsheet saved in its own encoding, or with a column of its own, is refused
    // whole with a sentence.
    let latin1 = b"sku;name_fr\nCB-L-1;Cr\xe8me\n";
    let report = run(&app, "check", "", latin1, &staff).await;
    assert!(report.file_error.unwrap().contains("UTF-8"));
    let report = run(&app, "check", "", b"sku;prix\nCB-L-1;3\n", &staff).await;
    assert!(report.file_error.unwrap().contains("prix"));
    let report = run(&app, "check", "", b"", &staff).await;
    assert!(report.file_error.is_some());
    assert_eq!(catalogue(&app).await, before);
}

async fn a_large_catalogue_is_imported_in_bounded_memory(backend: Backend) {
    // As the export's test: the 100,000 on SQLite, a quarter on PostgreSQL.
    let total = match backend {
        Backend::Sqlite => 100_000,
        Backend::Postgres => 25_000,
    };
    let app = spawn(backend).await;
    server::seed::seed_synthetic(&app.db, total).await.unwrap();
    let staff = staff_session(&app).await;
    let export = app
        .get_with("/admin/products/export.csv", &[(COOKIE, staff.as_str())])
        .await
        .bytes()
        .await
        .unwrap();
    let products = product::Entity::find().count(&app.db).await.unwrap();
    // The request's body is made before the measure starts: what is measured is the server.
    let body = form_body("check", "", &export);
    let started = std::time::Instant::now();
    let before = support::memory::start();
    let response = post_multipart(&app, UPLOAD, body, &staff).await;
    let peak = support::memory::peak_above(before);
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let report = call(&app, "/api/admin/products/import", &[], &staff)
        .await
        .json::<Option<ImportReport>>()
        .await
        .unwrap()
        .unwrap();
    assert_eq!((report.rows, report.unchanged), (products, products));
    println!(
        "trial import of {products} products ({} bytes): {:?}, heap peak {peak} bytes above the start",
        export.len(),
        started.elapsed()
    );
    // The server holds a chunk of the upload at a time, 500 rows and their products, the
    // report's listed lines, and 16 bytes per SKU met (measured: 6.0 MB on SQLite, 4.3 MB on
    // PostgreSQL): 8 MiB at most, for a file of 18 to 74 MB.
    const BOUND: usize = 8 << 20;
    assert!(export.len() > 2 * BOUND, "{}", export.len());
    assert!(
        peak < BOUND,
        "the heap grew by {peak} bytes for a {}-byte file",
        export.len()
    );
}
