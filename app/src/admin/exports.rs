//! CSV exports for staff: the catalogue (every field, both languages, stock) and the orders
//! (filtered as the list is, one row per order or per line).
//!
//! Files open as they should in a French spreadsheet: UTF-8 with a byte-order mark (else Excel
//! reads them as Windows-1252), `;` between fields (`,` is the decimal separator there),
//! amounts with a decimal comma, dates in Paris time. They are written while they are sent:
//! rows are read 500 at a time after the last id sent, so a catalogue of 100,000 products
//! costs the memory of one batch, not of the file, and no connection is held between batches.
//! The `csv` crate (BurntSushi's) quotes fields that hold `;`, quotes or line breaks.

use crate::db::entities::{category, order, product};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Rows read per query.
const BATCH: u64 = 500;

/// The byte-order mark spreadsheets look for to read UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// An amount in cents as a French spreadsheet reads it: `1234,50`.
pub fn amount(cents: i64) -> String {
    Decimal::new(cents, 2).to_string().replace('.', ",")
}

/// A VAT rate in basis points as a percentage: `5,5`, `20`.
fn rate(bp: i32) -> String {
    Decimal::new(i64::from(bp), 2)
        .normalize()
        .to_string()
        .replace('.', ",")
}

/// A moment in Paris time, `2026-12-05 23:30`.
fn paris(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// `rows` as CSV bytes (the header first when `header` is given).
fn write(header: Option<&[&str]>, rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::with_capacity(rows.len() * 256));
    if let Some(header) = header {
        // Writing to memory cannot fail.
        let _ = out.write_record(header);
    }
    for row in rows {
        let _ = out.write_record(row);
    }
    out.into_inner().unwrap_or_default()
}

/// A download of CSV produced batch by batch: `next(after)` gives the rows after the last
/// id sent and the id to continue from (none at the end).
fn download<F, Fut>(name: &str, header: &'static [&'static str], next: F) -> Response
where
    F: Fn(Option<i32>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(Vec<Vec<String>>, Option<i32>), DbErr>> + Send,
{
    enum Step {
        Start,
        After(Option<i32>),
        Done,
    }
    use futures_util::StreamExt as _;
    let body = futures_util::stream::unfold((Step::Start, next), move |(step, next)| async move {
        let after = match step {
            Step::Done => return None,
            Step::Start => {
                let mut first = BOM.to_vec();
                first.extend(write(Some(header), &[]));
                return Some((Ok(first), (Step::After(None), next)));
            }
            Step::After(after) => after,
        };
        match next(after).await {
            Ok((rows, Some(last))) => {
                Some((Ok(write(None, &rows)), (Step::After(Some(last)), next)))
            }
            Ok((rows, None)) => Some((Ok(write(None, &rows)), (Step::Done, next))),
            Err(error) => {
                // The download stops short: the browser reports it failed rather than
                // keeping a file that looks whole.
                tracing::error!(%error, "CSV export");
                Some((
                    Err(std::io::Error::other(error.to_string())),
                    (Step::Done, next),
                ))
            }
        }
    })
    // The compression layer polls once more after the end: a fused stream answers "ended"
    // again where a bare `unfold` would panic.
    .fuse();
    (
        [
            (
                http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (
                http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (http::header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// The columns of the catalogue, in the order of the file (the import reads the same).
pub const PRODUCT_COLUMNS: [&str; 30] = [
    "sku",
    "slug",
    "product_sku",
    "variant_code",
    "variant_label_fr",
    "variant_label_en",
    "category",
    "kind",
    "name_fr",
    "name_en",
    "summary_fr",
    "summary_en",
    "description_fr",
    "description_en",
    "composition_fr",
    "composition_en",
    "usage_fr",
    "usage_en",
    "price",
    "vat_rate",
    "net_quantity",
    "net_unit",
    "stock",
    "lead_time_days",
    "subscription_months",
    "shipping_weight_grams",
    "featured",
    "status",
    "image",
    "updated_at",
];

/// The rows of the products after id `after`, and the last id read (none once all are read).
async fn product_rows(
    db: &sea_orm::DatabaseConnection,
    categories: &HashMap<i32, String>,
    after: Option<i32>,
) -> Result<(Vec<Vec<String>>, Option<i32>), DbErr> {
    let mut find = product::Entity::find().order_by_asc(product::Column::Id);
    if let Some(after) = after {
        find = find.filter(product::Column::Id.gt(after));
    }
    let batch = find.limit(BATCH).all(db).await?;
    // A size names its product by the product's SKU, which may be in another batch.
    let head_skus = crate::admin::catalog::service::head_skus(db, &batch).await?;
    let last = (batch.len() as u64 == BATCH)
        .then(|| batch.last().map(|p| p.id))
        .flatten();
    let rows = batch
        .into_iter()
        .map(|p| {
            vec![
                p.sku,
                p.slug,
                p.variant_of
                    .and_then(|id| head_skus.get(&id).cloned())
                    .unwrap_or_default(),
                p.variant_code,
                p.variant_label_fr,
                p.variant_label_en,
                categories.get(&p.category_id).cloned().unwrap_or_default(),
                p.kind,
                p.name_fr,
                p.name_en,
                p.summary_fr,
                p.summary_en,
                p.description_fr,
                p.description_en,
                p.composition_fr,
                p.composition_en,
                p.usage_fr,
                p.usage_en,
                amount(p.price_before_sale_cents.unwrap_or(p.price_cents)),
                rate(p.vat_rate_bp),
                p.net_quantity.to_string(),
                p.net_unit,
                p.stock.to_string(),
                p.lead_time_days.to_string(),
                p.subscription_months,
                p.shipping_weight_grams.to_string(),
                if p.featured { "oui" } else { "non" }.to_owned(),
                p.status,
                p.image,
                paris(p.updated_at),
            ]
        })
        .collect();
    Ok((rows, last))
}

/// `GET /admin/products/export.csv`: the whole catalogue, sizes included. Staff only.
pub async fn export_products(
    State(state): State<AppState>,
    session: tower_sessions::Session,
) -> Response {
    if let Err(refused) = super::customers::staff_for_download(&state, &session).await {
        return refused;
    }
    let categories: HashMap<i32, String> = match category::Entity::find().all(&state.db).await {
        Ok(all) => all.into_iter().map(|c| (c.id, c.slug)).collect(),
        Err(error) => {
            tracing::error!(%error, "CSV export");
            return (http::StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response();
        }
    };
    let categories = std::sync::Arc::new(categories);
    let name = format!(
        "produits-{}.csv",
        crate::clock::paris_today(state.clock.now()).format("%Y-%m-%d")
    );
    let db = state.db.clone();
    download(&name, &PRODUCT_COLUMNS, move |after| {
        let (db, categories) = (db.clone(), categories.clone());
        async move { product_rows(&db, &categories, after).await }
    })
}

/// The columns of the orders file, one row per order.
pub const ORDER_COLUMNS: [&str; 19] = [
    "number",
    "created_at",
    "paid_at",
    "status",
    "payment_method",
    "email",
    "first_name",
    "last_name",
    "destination",
    "postal_code",
    "city",
    "subtotal",
    "discount",
    "shipping",
    "total",
    "vat_mode",
    "tracking_carrier",
    "tracking_number",
    "locale",
];

/// The columns of the orders file, one row per line.
pub const LINE_COLUMNS: [&str; 12] = [
    "number",
    "created_at",
    "status",
    "email",
    "sku",
    "name",
    "quantity",
    "unit_price",
    "catalogue_unit_price",
    "vat_rate",
    "total",
    "paid",
];

/// `per=line` in the orders export's query: a row per line.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Per {
    pub per: String,
}

async fn order_rows(
    db: &sea_orm::DatabaseConnection,
    filter: &super::orders::OrderFilter,
    per_line: bool,
    after: Option<i32>,
) -> Result<(Vec<Vec<String>>, Option<i32>), DbErr> {
    let (_, mut find) = super::orders::ssr::apply(filter.clone(), order::Entity::find());
    if let Some(after) = after {
        find = find.filter(order::Column::Id.lt(after));
    }
    let batch = find
        .order_by_desc(order::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let last = (batch.len() as u64 == BATCH)
        .then(|| batch.last().map(|o| o.id))
        .flatten();
    if per_line {
        let mut lines =
            super::orders::slips::lines_by_order(db, batch.iter().map(|o| o.id).collect()).await?;
        let rows = batch
            .iter()
            .flat_map(|o| {
                lines
                    .remove(&o.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |l| {
                        vec![
                            o.number.clone(),
                            paris(o.created_at),
                            o.status.clone(),
                            o.email.clone(),
                            l.sku,
                            l.name,
                            l.quantity.to_string(),
                            amount(l.unit_price_cents),
                            amount(l.catalogue_price_cents),
                            rate(l.vat_rate_bp),
                            amount(l.total_cents),
                            amount(l.paid_cents),
                        ]
                    })
            })
            .collect();
        return Ok((rows, last));
    }
    let rows = batch
        .into_iter()
        .map(|o| {
            let (delivery, _) = crate::orders::service::invoice::addresses(&o);
            vec![
                o.number,
                paris(o.created_at),
                o.paid_at.map(paris).unwrap_or_default(),
                o.status,
                o.payment_method,
                o.email,
                o.first_name,
                o.last_name,
                o.destination,
                delivery.postal_code,
                delivery.city,
                amount(o.subtotal_cents),
                amount(o.discount_cents),
                amount(o.shipping_cents),
                amount(o.total_cents),
                o.vat_mode,
                o.tracking_carrier.unwrap_or_default(),
                o.tracking_number.unwrap_or_default(),
                o.locale,
            ]
        })
        .collect();
    Ok((rows, last))
}

/// `GET /admin/orders/export.csv?{the list's filter}[&per=line]`: the orders the list shows
/// (every page), newest first. Staff only.
pub async fn export_orders(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    Query(filter): Query<super::orders::OrderFilter>,
    Query(Per { per }): Query<Per>,
) -> Response {
    if let Err(refused) = super::customers::staff_for_download(&state, &session).await {
        return refused;
    }
    let per_line = per == "line";
    let name = format!(
        "commandes{}-{}.csv",
        if per_line { "-lignes" } else { "" },
        crate::clock::paris_today(state.clock.now()).format("%Y-%m-%d")
    );
    let filter = std::sync::Arc::new(filter);
    let db = state.db.clone();
    let header: &'static [&'static str] = if per_line {
        &LINE_COLUMNS
    } else {
        &ORDER_COLUMNS
    };
    download(&name, header, move |after| {
        let (db, filter) = (db.clone(), filter.clone());
        async move { order_rows(&db, &filter, per_line, after).await }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_french_spreadsheet_expects() {
        assert_eq!(amount(123_450), "1234,50");
        assert_eq!(amount(-5), "-0,05");
        assert_eq!(rate(550), "5,5");
        assert_eq!(rate(2000), "20");
        assert_eq!(rate(210), "2,1");
    }

    #[test]
    fn fields_holding_separators_are_quoted() {
        let bytes = write(
            Some(&["a", "b"]),
            &[vec!["x;y".into(), "dit \"oui\"\nfin".into()]],
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "a;b\n\"x;y\";\"dit \"\"oui\"\"\nfin\"\n"
        );
    }
}
