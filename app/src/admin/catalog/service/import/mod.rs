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

mod file;
mod row;
use file::{Read, Row, columns, read_file};
use row::import_row;

/// Rows waiting between the reader and the database at most.
const QUEUE: usize = 500;
/// Rows whose products are read in one query.
const BATCH: usize = 500;
/// The reason of a stock movement made by an import.
const STOCK_REASON: &str = "import CSV";

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
        let head_skus = head_skus(txn, &found).await?;
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
