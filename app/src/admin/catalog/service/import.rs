//! Products from a CSV file in the export's format, all rows in one transaction.
//!
//! The file is read record by record on a blocking thread (`csv::Reader` over the file
//! received) and handed over a small channel, so a file of 100,000 rows costs the memory of a
//! few rows and of the report's listed lines. Each row is known by its SKU: a known SKU starts
//! from the product as saved (a missing column keeps its value), a new one from an empty form;
//! the row then goes through [`clean`] and [`save_in`] like the editor's form, stock through
//! a logged movement, status and picture as their own buttons would. A row that changes
//! nothing writes nothing. A trial rolls the whole transaction back; an import commits only
//! when no row is refused, with one `product.import` audit entry besides each product's own.

use super::*;
use crate::admin::catalog::{ImportReport, ReportLine, RowOutcome};
use sea_orm::TransactionTrait;
use std::collections::HashMap;
use std::path::PathBuf;

/// Rows waiting between the reader and the database at most.
const QUEUE: usize = 500;
/// Rows whose products are read in one query.
const BATCH: usize = 500;
/// The reason of a stock movement made by an import.
const STOCK_REASON: &str = "import CSV";

/// What the reader thread hands over.
enum Read {
    /// The header's column names.
    Header(Vec<String>),
    /// A record and the line it starts on.
    Row(u64, Vec<String>),
    /// A record that is not CSV the header can read.
    Bad(u64, Msg),
    /// The file cannot be read at all.
    File(Msg),
}

/// One import: the file, who asks, and whether to save.
pub struct ImportRun {
    pub path: PathBuf,
    pub file_name: String,
    pub sha256: String,
    pub apply: bool,
    pub staff_id: i32,
    pub now: DateTime<Utc>,
    pub locale: Locale,
}

/// Why a row is refused, or the database error that stops the import.
enum RowError {
    Refused(String),
    Database(DbErr),
}

impl From<DbErr> for RowError {
    fn from(error: DbErr) -> Self {
        Self::Database(error)
    }
}

/// Runs `run`: a trial, or the import (committed only when no row is refused).
///
/// # Errors
/// The database error that stopped it (nothing is saved then).
pub async fn import_products(
    db: &DatabaseConnection,
    run: ImportRun,
) -> Result<ImportReport, DbErr> {
    let mut report = ImportReport {
        file_name: run.file_name.clone(),
        sha256: run.sha256.clone(),
        trial: !run.apply,
        ..ImportReport::default()
    };
    let (send, mut receive) = tokio::sync::mpsc::channel::<Read>(QUEUE);
    let path = run.path.clone();
    let reader = tokio::task::spawn_blocking(move || read_file(&path, &send));
    let locale = run.locale;
    let columns = match receive.recv().await {
        Some(Read::Header(names)) => match columns(&names, locale) {
            Ok(columns) => columns,
            Err(error) => {
                report.file_error = Some(error);
                return Ok(report);
            }
        },
        Some(Read::File(msg)) => {
            report.file_error = Some(locale.t(msg).to_owned());
            return Ok(report);
        }
        _ => {
            report.file_error = Some(locale.t(Msg::ImportEmpty).to_owned());
            return Ok(report);
        }
    };
    let categories: HashMap<String, i32> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.slug, c.id))
        .collect();
    let txn = crate::db::begin_write(db).await?;
    // The SKUs met so far, as 64-bit hashes: 100,000 rows cost a few megabytes, not the SKUs'
    // own strings.
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let key = |sku: &str| {
        use std::hash::{BuildHasher, BuildHasherDefault};
        BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(sku)
    };
    let mut batch = Vec::with_capacity(BATCH);
    'file: while receive.recv_many(&mut batch, BATCH).await > 0 {
        // The products the batch names, in one query; read again one by one once a row of
        // the batch has written (a product's save changes its sizes too).
        let mut known = Known::of(&txn, &batch, &columns).await?;
        for item in batch.drain(..) {
            let (line, fields) = match item {
                Read::Row(line, fields) => (line, fields),
                Read::Bad(line, msg) => {
                    report.rows += 1;
                    report.add(ReportLine {
                        line,
                        sku: String::new(),
                        outcome: RowOutcome::Refused(locale.t(msg).to_owned()),
                    });
                    continue;
                }
                Read::File(msg) => {
                    report.file_error = Some(locale.t(msg).to_owned());
                    break 'file;
                }
                Read::Header(_) => continue,
            };
            report.rows += 1;
            let row = Row {
                columns: &columns,
                fields: &fields,
            };
            let sku = row.sku();
            if let Some(first) = seen.get(&key(&sku)) {
                report.add(ReportLine {
                    line,
                    sku,
                    outcome: RowOutcome::Refused(format!(
                        "{} {first}",
                        locale.t(Msg::ImportDuplicateSku)
                    )),
                });
                continue;
            }
            seen.insert(key(&sku), line);
            let found = known.as_mut().map(|k| k.take(&sku));
            match import_row(&txn, &row, &sku, found, &categories, &run).await {
                Ok(None) => report.unchanged += 1,
                Ok(Some(outcome)) => {
                    known = None;
                    report.add(ReportLine { line, sku, outcome });
                }
                Err(RowError::Refused(why)) => report.add(ReportLine {
                    line,
                    sku,
                    outcome: RowOutcome::Refused(why),
                }),
                Err(RowError::Database(error)) => return Err(error),
            }
        }
    }
    drop(receive);
    if let Err(error) = reader.await {
        tracing::error!(%error, "CSV import reader");
    }
    if report.file_error.is_none() && report.rows == 0 {
        report.file_error = Some(locale.t(Msg::ImportEmpty).to_owned());
    }
    let whole = report.file_error.is_none() && report.refused == 0;
    if run.apply && whole {
        audit::record(
            &txn,
            run.staff_id,
            "product.import",
            "products",
            &format!(
                "{} — {} created, {} changed, {} unchanged — sha256 {}",
                run.file_name,
                report.created,
                report.changed,
                report.unchanged,
                &run.sha256[..run.sha256.len().min(12)]
            ),
            run.now,
        )
        .await?;
        txn.commit().await?;
        report.applied = true;
    } else {
        txn.rollback().await?;
    }
    Ok(report.sorted())
}

/// The columns the file may hold, by name; every other name refuses the file.
fn columns(names: &[String], locale: Locale) -> Result<HashMap<String, usize>, String> {
    let mut columns = HashMap::new();
    for (at, name) in names.iter().enumerate() {
        let name = name
            .trim_start_matches('\u{feff}')
            .trim()
            .to_ascii_lowercase();
        if !crate::admin::exports::PRODUCT_COLUMNS.contains(&name.as_str()) {
            return Err(format!(
                "{}{}« {name} »",
                locale.t(Msg::ImportUnknownColumn),
                locale.colon()
            ));
        }
        if columns.insert(name.clone(), at).is_some() {
            return Err(format!(
                "{}{}« {name} »",
                locale.t(Msg::ImportDuplicateColumn),
                locale.colon()
            ));
        }
    }
    if !columns.contains_key("sku") {
        return Err(locale.t(Msg::ImportNoSkuColumn).to_owned());
    }
    Ok(columns)
}

/// Reads the file at `path` into `send`: the header, then each record. Runs on a blocking
/// thread; stops when the receiver is gone.
fn read_file(path: &std::path::Path, send: &tokio::sync::mpsc::Sender<Read>) {
    use std::io::{BufRead, Seek};
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) => {
            tracing::error!(%error, "CSV import: the file received cannot be read");
            let _ = send.blocking_send(Read::File(Msg::ImportUnreadable));
            return;
        }
    };
    // `;` as the export writes it, or `,` as a spreadsheet set to English saves it: whichever
    // the header line holds more of.
    let mut file = std::io::BufReader::new(file);
    let mut first = Vec::new();
    let delimiter = match file.read_until(b'\n', &mut first) {
        Ok(_) => {
            let count = |b: u8| first.iter().filter(|c| **c == b).count();
            if count(b',') > count(b';') {
                b','
            } else {
                b';'
            }
        }
        Err(_) => b';',
    };
    if file.rewind().is_err() {
        let _ = send.blocking_send(Read::File(Msg::ImportUnreadable));
        return;
    }
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(file);
    let header = match csv.headers() {
        Ok(header) => header.iter().map(str::to_owned).collect::<Vec<_>>(),
        Err(error) => {
            let msg = if matches!(error.kind(), csv::ErrorKind::Utf8 { .. }) {
                Msg::ImportNotUtf8
            } else {
                Msg::ImportUnreadable
            };
            let _ = send.blocking_send(Read::File(msg));
            return;
        }
    };
    let width = header.len();
    if send.blocking_send(Read::Header(header)).is_err() {
        return;
    }
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line();
        let item = match csv.read_record(&mut record) {
            Ok(false) => return,
            Ok(true) if record.iter().all(|f| f.trim().is_empty()) => continue,
            Ok(true) if record.len() != width => Read::Bad(line, Msg::ImportFieldCount),
            Ok(true) => Read::Row(line, record.iter().map(str::to_owned).collect()),
            Err(error) if matches!(error.kind(), csv::ErrorKind::Utf8 { .. }) => {
                // A spreadsheet saved in its own encoding: every row would be refused alike.
                let _ = send.blocking_send(Read::File(Msg::ImportNotUtf8));
                return;
            }
            Err(error) => {
                tracing::info!(%error, "CSV import: a record cannot be read");
                let _ = send.blocking_send(Read::File(Msg::ImportUnreadable));
                return;
            }
        };
        if send.blocking_send(item).is_err() {
            return;
        }
    }
}

/// A product as the import finds it by SKU: the product, and its product's SKU for a size.
type Found = Option<(product::Model, Option<String>)>;

/// The products a batch of rows names, read in one query.
struct Known(HashMap<String, (product::Model, Option<String>)>);

impl Known {
    /// The products of the rows of `batch` and their heads' SKUs.
    async fn of(
        txn: &DatabaseTransaction,
        batch: &[Read],
        columns: &HashMap<String, usize>,
    ) -> Result<Option<Self>, DbErr> {
        let skus: Vec<String> = batch
            .iter()
            .filter_map(|item| match item {
                Read::Row(_, fields) => Some(Row { columns, fields }.sku()),
                _ => None,
            })
            .collect();
        if skus.is_empty() {
            return Ok(None);
        }
        let found = product::Entity::find()
            .filter(product::Column::Sku.is_in(skus))
            .all(txn)
            .await?;
        let heads: Vec<i32> = found.iter().filter_map(|p| p.variant_of).collect();
        let head_skus: HashMap<i32, String> = if heads.is_empty() {
            HashMap::new()
        } else {
            product::Entity::find()
                .select_only()
                .column(product::Column::Id)
                .column(product::Column::Sku)
                .filter(product::Column::Id.is_in(heads))
                .into_tuple::<(i32, String)>()
                .all(txn)
                .await?
                .into_iter()
                .collect()
        };
        Ok(Some(Self(
            found
                .into_iter()
                .map(|p| {
                    let head = p.variant_of.and_then(|id| head_skus.get(&id).cloned());
                    (p.sku.clone(), (p, head))
                })
                .collect(),
        )))
    }

    /// The product of SKU `sku`, if any.
    fn take(&mut self, sku: &str) -> Found {
        self.0.remove(sku)
    }
}

/// A record read through the header's columns.
struct Row<'a> {
    columns: &'a HashMap<String, usize>,
    fields: &'a [String],
}

impl Row<'_> {
    /// The row's SKU, as products store it.
    fn sku(&self) -> String {
        self.get("sku")
            .unwrap_or_default()
            .trim()
            .to_ascii_uppercase()
    }

    /// The field of column `name`, if the file has that column.
    fn get(&self, name: &str) -> Option<&str> {
        self.columns
            .get(name)
            .and_then(|at| self.fields.get(*at))
            .map(String::as_str)
    }

    /// The field of column `name` without its spaces, if the file has it and it is not empty.
    fn cell(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }
}

/// `text` with `value` after a colon.
fn refused(locale: Locale, msg: Msg, value: &str) -> RowError {
    RowError::Refused(if value.is_empty() {
        locale.t(msg).to_owned()
    } else {
        format!("{}{}« {value} »", locale.t(msg), locale.colon())
    })
}

/// A VAT rate as written in the file (`5,5`, `20`, `5.5 %`) in basis points.
fn vat_rate(text: &str) -> Option<i32> {
    let rate: Decimal = text
        .trim()
        .trim_end_matches('%')
        .trim()
        .replace(',', ".")
        .parse()
        .ok()?;
    let bp = rate * Decimal::ONE_HUNDRED;
    (bp == bp.trunc())
        .then(|| i32::try_from(bp.mantissa() / 10_i128.pow(bp.scale())).ok())
        .flatten()
}

/// `oui`/`non` as the export writes them, or yes/no, true/false, 1/0.
fn flag(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "oui" | "yes" | "true" | "1" | "x" => Some(true),
        "non" | "no" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

/// Whether `path` can be a picture's address: a path of this site under `/media/` or `/img/`.
fn is_site_image(path: &str) -> bool {
    (path.starts_with("/media/") || path.starts_with("/img/"))
        && path.len() <= 300
        && !path.contains("..")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b))
}

/// Saves one row inside `txn`. `None` when it changes nothing (and wrote nothing that stays:
/// the caller rolls its savepoint back).
async fn import_row(
    txn: &DatabaseTransaction,
    row: &Row<'_>,
    sku: &str,
    found: Option<Found>,
    categories: &HashMap<String, i32>,
    run: &ImportRun,
) -> Result<Option<RowOutcome>, RowError> {
    let locale = run.locale;
    if sku.is_empty() {
        return Err(RowError::Refused(locale.t(Msg::ErrSku).to_owned()));
    }
    let found = match found {
        Some(found) => found,
        None => match product::Entity::find()
            .filter(product::Column::Sku.eq(sku))
            .one(txn)
            .await?
        {
            Some(p) => {
                let head = match p.variant_of {
                    Some(head) => product::Entity::find_by_id(head)
                        .one(txn)
                        .await?
                        .map(|h| h.sku),
                    None => None,
                };
                Some((p, head))
            }
            None => None,
        },
    };
    let (before, head_sku) = match found {
        Some((p, head)) => (Some(p), head),
        None => (None, None),
    };
    let product_sku = row
        .get("product_sku")
        .map(|s| s.trim().to_ascii_uppercase());
    let mut form = match (&before, product_sku) {
        // A size stays with its product, and a product does not become a size.
        (Some(_), Some(named))
            if Some(&named) != head_sku.as_ref() && !(named.is_empty() && head_sku.is_none()) =>
        {
            return Err(RowError::Refused(locale.t(Msg::ImportSizeMoves).to_owned()));
        }
        (Some(found), _) => form_of(found, Locale::Fr),
        // A new size starts from its product, as the editor's new size does.
        (None, Some(named)) if !named.is_empty() => {
            let head = product::Entity::find()
                .filter(product::Column::Sku.eq(named.as_str()))
                .filter(product::Column::VariantOf.is_null())
                .one(txn)
                .await?
                .ok_or_else(|| refused(locale, Msg::ImportUnknownProduct, &named))?;
            ProductForm {
                id: 0,
                slug: String::new(),
                stock: String::new(),
                variant_of: head.id,
                variant_code: String::new(),
                variant_label_fr: String::new(),
                variant_label_en: String::new(),
                featured: None,
                ..form_of(&head, Locale::Fr)
            }
        }
        (None, _) => ProductForm::default(),
    };
    // An empty cell keeps the value of a field that cannot be empty; it clears the optional
    // texts.
    for (name, field) in [
        ("slug", &mut form.slug),
        ("variant_code", &mut form.variant_code),
        ("kind", &mut form.kind),
        ("name_fr", &mut form.name_fr),
        ("price", &mut form.price),
        ("net_quantity", &mut form.net_quantity),
        ("net_unit", &mut form.net_unit),
        ("lead_time_days", &mut form.lead_time_days),
        ("shipping_weight_grams", &mut form.shipping_weight_grams),
    ] {
        if let Some(value) = row.cell(name) {
            value.clone_into(field);
        }
    }
    for (name, field) in [
        ("variant_label_fr", &mut form.variant_label_fr),
        ("variant_label_en", &mut form.variant_label_en),
        ("name_en", &mut form.name_en),
        ("summary_fr", &mut form.summary_fr),
        ("summary_en", &mut form.summary_en),
        ("description_fr", &mut form.description_fr),
        ("description_en", &mut form.description_en),
        ("composition_fr", &mut form.composition_fr),
        ("composition_en", &mut form.composition_en),
        ("usage_fr", &mut form.usage_fr),
        ("usage_en", &mut form.usage_en),
        ("subscription_months", &mut form.subscription_months),
    ] {
        if let Some(value) = row.get(name) {
            value.clone_into(field);
        }
    }
    form.sku = sku.to_owned();
    if let Some(slug) = row.cell("category") {
        form.category_id = *categories
            .get(slug)
            .ok_or_else(|| refused(locale, Msg::ImportUnknownCategory, slug))?;
    }
    if let Some(rate) = row.cell("vat_rate") {
        form.vat_rate_bp =
            vat_rate(rate).ok_or_else(|| refused(locale, Msg::ImportBadVat, rate))?;
    }
    if let Some(text) = row.cell("featured") {
        let featured = flag(text).ok_or_else(|| refused(locale, Msg::ImportBadFlag, text))?;
        form.featured = featured.then(|| "on".to_owned());
    }
    let stock = match row.cell("stock") {
        None => None,
        Some(text) => Some(
            check::number(text, 0..=1_000_000, Msg::ImportBadStock)
                .map_err(|_| refused(locale, Msg::ImportBadStock, text))?,
        ),
    };
    let status = match row.cell("status") {
        None => None,
        Some(s) if s == STATUS_ACTIVE || s == STATUS_ARCHIVED => Some(s.to_owned()),
        Some(other) => return Err(refused(locale, Msg::ImportBadStatus, other)),
    };
    let image = match row.cell("image") {
        None => None,
        Some(path) if is_site_image(path) => Some(path.to_owned()),
        Some(other) => return Err(refused(locale, Msg::ImportBadImage, other)),
    };
    let is_size = form.variant_of > 0;
    if let Some(before) = &before {
        let same_stock = stock.is_none_or(|s| s == before.stock);
        let same_status = status.as_ref().is_none_or(|s| *s == before.status);
        // A size shows its product's picture: its own column follows the product's.
        let same_image = is_size || image.as_ref().is_none_or(|i| *i == before.image);
        if same_stock && same_status && same_image && form == form_of(before, Locale::Fr) {
            return Ok(None);
        }
    }
    let plan = Plan {
        form,
        before,
        stock,
        status,
        image: image.filter(|_| !is_size),
    };
    // The row's writes in a savepoint of their own: a row refused halfway leaves nothing
    // behind for the rows after it to see, and one that turns out to change nothing leaves
    // no trace (its save would have touched `updated_at` and the audit log).
    let point = txn.begin().await?;
    let written = write(&point, plan, run).await;
    match written {
        Ok(Some(outcome)) => {
            point.commit().await?;
            Ok(Some(outcome))
        }
        Ok(None) => {
            point.rollback().await?;
            Ok(None)
        }
        Err(error) => {
            point.rollback().await?;
            Err(error)
        }
    }
}

/// What a row asks to write.
struct Plan {
    form: ProductForm,
    /// The product as it was (none: a new one).
    before: Option<product::Model>,
    stock: Option<i32>,
    status: Option<String>,
    /// A product's picture (a size's follows its product's).
    image: Option<String>,
}

/// Writes `plan` inside `txn`: what became of the row, none when nothing changed after all.
async fn write(
    txn: &DatabaseTransaction,
    plan: Plan,
    run: &ImportRun,
) -> Result<Option<RowOutcome>, RowError> {
    let locale = run.locale;
    let refusal = |e| admin_refusal(e, locale);
    let Plan {
        mut form,
        before,
        stock,
        status,
        image,
    } = plan;
    let Some(before) = before else {
        form.stock = stock.map(|s| s.to_string()).unwrap_or_default();
        let id = save_in(txn, &form, run.staff_id, run.now)
            .await
            .map_err(refusal)?;
        if let Some(status) = status.filter(|s| s != STATUS_ACTIVE) {
            set_status_in(txn, id, &status, run.staff_id, run.now)
                .await
                .map_err(refusal)?;
        }
        if let Some(image) = image {
            set_image_in(txn, id, &image, run.staff_id, run.now)
                .await
                .map_err(refusal)?;
        }
        return Ok(Some(RowOutcome::Created));
    };
    save_in(txn, &form, run.staff_id, run.now)
        .await
        .map_err(refusal)?;
    let saved = product::Entity::find_by_id(before.id)
        .one(txn)
        .await?
        .ok_or(DbErr::RecordNotFound(before.sku.clone()))?;
    let mut changed = changed_fields(&before, &saved);
    if let Some(target) = stock.filter(|s| *s != before.stock) {
        move_stock_in(
            txn,
            before.id,
            target - before.stock,
            STOCK_REASON,
            run.staff_id,
            run.now,
        )
        .await
        .map_err(refusal)?;
        changed.push(format!("stock {} → {target}", before.stock));
    }
    if let Some(status) = status.filter(|s| *s != before.status) {
        set_status_in(txn, before.id, &status, run.staff_id, run.now)
            .await
            .map_err(refusal)?;
        changed.push(format!("status {} → {status}", before.status));
    }
    if let Some(image) = image.filter(|i| *i != before.image) {
        set_image_in(txn, before.id, &image, run.staff_id, run.now)
            .await
            .map_err(refusal)?;
        changed.push("image".to_owned());
    }
    Ok((!changed.is_empty()).then_some(RowOutcome::Changed(changed)))
}

/// A refusal of the editor's checks as the report says it.
fn admin_refusal(error: CatalogAdminError, locale: Locale) -> RowError {
    match error {
        CatalogAdminError::Invalid(msg) | CatalogAdminError::Taken(msg) => {
            RowError::Refused(locale.t(msg).to_owned())
        }
        CatalogAdminError::NotFound => RowError::Refused(locale.t(Msg::ErrVariantOf).to_owned()),
        CatalogAdminError::Database(error) => RowError::Database(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_rates_read_as_spreadsheets_write_them() {
        assert_eq!(vat_rate("5,5"), Some(550));
        assert_eq!(vat_rate("20"), Some(2000));
        assert_eq!(vat_rate(" 2.1 % "), Some(210));
        assert_eq!(vat_rate("5,555"), None, "a fraction of a basis point");
        assert_eq!(vat_rate("vingt"), None);
    }

    #[test]
    fn flags_and_pictures() {
        assert_eq!(flag("Oui"), Some(true));
        assert_eq!(flag(""), Some(false));
        assert_eq!(flag("peut-être"), None);
        assert!(is_site_image("/media/3f2a.webp"));
        assert!(is_site_image("/img/products/placeholder.svg"));
        assert!(!is_site_image("https://ailleurs.example/x.png"));
        assert!(!is_site_image("/media/../secret"));
        assert!(!is_site_image("/media/a b.png"));
    }

    #[test]
    fn the_header_is_checked_by_name() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let ok = columns(&names(&["\u{feff}SKU", "price"]), Locale::Fr).unwrap();
        assert_eq!(ok.get("sku"), Some(&0));
        assert!(
            columns(&names(&["sku", "prix"]), Locale::Fr)
                .unwrap_err()
                .contains("prix")
        );
        assert!(columns(&names(&["sku", "sku"]), Locale::Fr).is_err());
        assert!(columns(&names(&["price"]), Locale::Fr).is_err());
    }
}
