//! Invoices: issued once, at payment, in the same transaction; numbered from a per-year counter
//! incremented by one atomic statement (the row lock orders concurrent payments and a rolled
//! back payment gives its number back, so the sequence has no gaps); stored whole and never
//! changed (the table's triggers refuse it).

use super::OrderError;
use crate::db::entities::{invoice, order, order_line};
use crate::i18n::Locale;
use crate::money::{from_basis_points, from_cents};
use crate::orders::model::Seller;
use crate::orders::model::{AddressSnapshot, InvoiceDocument, InvoiceLine};
use crate::orders::rules::invoice_number;
use crate::pricing::{Destination, PaymentMethod, VatLine, VatMode, net_of};
use chrono::{DateTime, Datelike, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder,
};

/// The next number of counter `name` (1 for a new counter), atomically.
///
/// # Errors
/// The database error.
pub async fn next_in_sequence(txn: &DatabaseTransaction, name: &str) -> Result<i64, OrderError> {
    let mut sql = crate::db::sql::Sql::new(txn.get_database_backend());
    sql.push("INSERT INTO counters (name, value) VALUES (")
        .bind(name)
        .push(", 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value");
    let row = txn
        .query_one_raw(sql.build())
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("counter".into()))?;
    Ok(row.try_get::<i64>("", "value")?)
}

/// Issues the invoice of paid order `order`, in `txn`.
///
/// # Errors
/// The database error.
pub async fn issue(
    txn: &DatabaseTransaction,
    order: &order::Model,
    now: DateTime<Utc>,
) -> Result<invoice::Model, OrderError> {
    let year = now.year();
    let sequence = next_in_sequence(txn, &format!("invoice:{year}")).await?;
    let number = invoice_number(year, sequence);
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .order_by_asc(order_line::Column::Id)
        .all(txn)
        .await?;
    let seller = crate::settings::service::seller(txn).await?;
    let document = document(&number, order, &lines, seller, now)?;
    Ok(invoice::ActiveModel {
        number: Set(number),
        order_id: Set(order.id),
        issued_at: Set(now),
        total_cents: Set(order.total_cents),
        document: Set(serde_json::to_string(&document).unwrap_or_default()),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// The order's addresses as stored.
pub fn addresses(order: &order::Model) -> (AddressSnapshot, AddressSnapshot) {
    let parse = |json: &str| {
        serde_json::from_str::<AddressSnapshot>(json).unwrap_or_else(|_| AddressSnapshot {
            first_name: order.first_name.clone(),
            last_name: order.last_name.clone(),
            company: None,
            line1: String::new(),
            line2: None,
            postal_code: String::new(),
            city: String::new(),
            country: order.destination.clone(),
            phone: None,
        })
    };
    (
        parse(&order.delivery_address),
        parse(&order.billing_address),
    )
}

/// The order's VAT per rate as stored.
///
/// # Errors
/// The stored JSON is corrupt.
pub fn vat_lines(order: &order::Model) -> Result<Vec<VatLine>, sea_orm::DbErr> {
    crate::db::json::read("orders.vat_lines", &order.vat_lines)
}

/// The order's VAT mode as stored.
pub fn vat_mode(order: &order::Model) -> VatMode {
    if order.vat_mode == "excluded" {
        VatMode::Excluded
    } else {
        VatMode::Included
    }
}

fn country_name(code: &str) -> String {
    Destination::parse(code).map_or_else(|| code.to_owned(), |d| d.name(Locale::Fr).to_owned())
}

/// The invoice of `order` (French, the contract language): amounts without VAT per line, VAT
/// per rate from the order's own split (shipping and discounts included), totals.
pub fn document(
    number: &str,
    order: &order::Model,
    lines: &[order_line::Model],
    seller: Seller,
    now: DateTime<Utc>,
) -> Result<InvoiceDocument, sea_orm::DbErr> {
    let mode = vat_mode(order);
    let vat = vat_lines(order)?;
    let (delivery, billing) = addresses(order);
    let invoice_lines: Vec<InvoiceLine> = lines
        .iter()
        .map(|line| {
            let rate = from_basis_points(line.vat_rate_bp);
            let unit = from_cents(line.unit_price_cents);
            let total = from_cents(line.total_cents);
            let (unit_excl, total_excl) = match mode {
                VatMode::Included => (net_of(unit, rate), net_of(total, rate)),
                VatMode::Excluded => (unit, total),
            };
            InvoiceLine {
                description: line.name.clone(),
                sku: line.sku.clone(),
                quantity: u32::try_from(line.quantity).unwrap_or(0),
                unit_price_excl: unit_excl,
                vat_rate: rate,
                total_excl,
            }
        })
        .collect();
    let lines_excl: Decimal = invoice_lines.iter().map(|l| l.total_excl).sum();
    let total = from_cents(order.total_cents);
    let (total_excl, total_vat) = match mode {
        VatMode::Included => (
            vat.iter().map(|v| v.net).sum(),
            vat.iter().map(|v| v.vat).sum(),
        ),
        VatMode::Excluded => (total, Decimal::ZERO),
    };
    // The discounts without VAT, rate by rate as the engine split them; what the lines and the
    // discounts do not explain is the shipping's share without VAT.
    let adjustments = super::adjustments(order)?;
    let discount_excl: Decimal = adjustments
        .iter()
        .flat_map(|a| &a.by_rate)
        .map(|share| match mode {
            VatMode::Included => net_of(share.amount, share.rate),
            VatMode::Excluded => share.amount,
        })
        .sum();
    let shipping_excl = total_excl - lines_excl + discount_excl;
    let mut notes = Vec::new();
    if mode == VatMode::Excluded {
        notes.push(
            "Exonération de TVA, article 262 I du CGI (livraison hors Union européenne ou vers \
             l'outre-mer). Droits de douane et taxes locales à la charge de l'acheteur."
                .to_owned(),
        );
    }
    if let Some(country) = order.vat_country.as_deref() {
        notes.push(format!(
            "TVA du pays de destination ({}) appliquée : vente à distance intracommunautaire \
             déclarée au guichet unique (OSS), article 258 A du CGI.",
            country_name(country)
        ));
    }
    notes.push("Paiement reçu : aucun escompte pour paiement anticipé.".to_owned());
    Ok(InvoiceDocument {
        number: number.to_owned(),
        issued_on: now.format("%d/%m/%Y").to_string(),
        order_number: order.number.clone(),
        seller,
        buyer_name: format!("{} {}", order.first_name, order.last_name),
        buyer_email: order.email.clone(),
        buyer_address: billing.lines(&country_name(&billing.country)),
        delivery_address: delivery.lines(&country_name(&delivery.country)),
        vat_mode: mode,
        lines: invoice_lines,
        shipping_excl,
        discount_excl,
        vat,
        total_excl,
        total_vat,
        total,
        payment_method: PaymentMethod::from_code(&order.payment_method)
            .unwrap_or(PaymentMethod::Card),
        paid_on: order.paid_at.unwrap_or(now).format("%d/%m/%Y").to_string(),
        notes,
    })
}

/// The invoice of order `order_id`, if issued.
///
/// # Errors
/// The database error.
pub async fn of_order(
    db: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Option<(invoice::Model, InvoiceDocument)>, OrderError> {
    invoice::Entity::find()
        .filter(invoice::Column::OrderId.eq(order_id))
        .one(db)
        .await?
        .map(with_document)
        .transpose()
}

/// Invoice `id`, if it exists.
///
/// # Errors
/// The database error.
pub async fn by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(invoice::Model, InvoiceDocument)>, OrderError> {
    invoice::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(with_document)
        .transpose()
}

/// `model` with its document read back.
fn with_document(model: invoice::Model) -> Result<(invoice::Model, InvoiceDocument), OrderError> {
    let document =
        serde_json::from_str(&model.document).map_err(|e| sea_orm::DbErr::Json(e.to_string()))?;
    Ok((model, document))
}
