//! The refunds' records: their status, the credit note each one issues, and the list of an order.

use super::*;

/// A credit note number: `AV2026-000007`, one gapless sequence per calendar year.
pub fn credit_note_number(year: i32, sequence: i64) -> String {
    format!("AV{year}-{sequence:06}")
}

/// Refund `id` refused by its provider (or not reached): kept as failed, with the reason.
pub(crate) async fn mark_failed(
    db: &impl ConnectionTrait,
    id: i32,
    error: &crate::payments::ProviderError,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    refund::Entity::update_many()
        .col_expr(refund::Column::Status, Expr::value(FAILED))
        .col_expr(
            refund::Column::LastError,
            Expr::value(Some(error.to_string())),
        )
        .col_expr(refund::Column::UpdatedAt, Expr::value(now))
        .filter(refund::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

/// Refund `id` accepted by its provider under `provider_ref` (none for one made by hand).
pub(crate) async fn mark_refunded(
    db: &impl ConnectionTrait,
    id: i32,
    provider_ref: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    refund::Entity::update_many()
        .col_expr(refund::Column::Status, Expr::value(REFUNDED))
        .col_expr(refund::Column::ProviderRef, Expr::value(provider_ref))
        .col_expr(refund::Column::LastError, Expr::value(None::<String>))
        .col_expr(refund::Column::UpdatedAt, Expr::value(now))
        .filter(refund::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

/// Issues the credit note of `refund` on `order`'s invoice: the amount split over the invoice's
/// VAT rates in proportion to what each rate was charged.
pub(crate) async fn issue_credit_note(
    txn: &sea_orm::DatabaseTransaction,
    order: &order::Model,
    refund: &refund::Model,
    now: DateTime<Utc>,
) -> Result<credit_note::Model, OrderError> {
    let invoice = invoice::Entity::find()
        .filter(invoice::Column::OrderId.eq(order.id))
        .one(txn)
        .await?
        .ok_or(OrderError::NotFound)?;
    let issued: InvoiceDocument =
        serde_json::from_str(&invoice.document).map_err(|e| sea_orm::DbErr::Json(e.to_string()))?;
    let year = now.year();
    let number = credit_note_number(
        year,
        next_in_sequence(txn, &format!("credit_note:{year}")).await?,
    );
    let total = from_cents(refund.amount_cents);
    let mode = vat_mode(order);
    // The refund's own split (lines or a withdrawal), else in proportion to the invoice.
    let split: Option<Vec<RateShare>> = refund
        .vat_split
        .as_deref()
        .map(|json| crate::db::json::read::<Vec<RateShare>>("refunds.vat_split", json))
        .transpose()?
        .filter(|split: &Vec<RateShare>| split.iter().map(|s| s.amount).sum::<Decimal>() == total);
    let vat: Vec<VatLine> = match (mode, split) {
        (VatMode::Included, Some(split)) => split
            .iter()
            .map(|share| {
                let net = net_of(share.amount, share.rate);
                VatLine {
                    rate: share.rate,
                    net,
                    vat: share.amount - net,
                    gross: share.amount,
                }
            })
            .collect(),
        (VatMode::Included, None) => {
            let grosses: Vec<Decimal> = issued.vat.iter().map(|v| v.gross).collect();
            issued
                .vat
                .iter()
                .zip(allocate(total, &grosses))
                .map(|(line, gross)| {
                    let net = net_of(gross, line.rate);
                    VatLine {
                        rate: line.rate,
                        net,
                        vat: gross - net,
                        gross,
                    }
                })
                .collect()
        }
        (VatMode::Excluded, _) => Vec::new(),
    };
    let (total_excl, total_vat) = match mode {
        VatMode::Included => (
            vat.iter().map(|v| v.net).sum(),
            vat.iter().map(|v| v.vat).sum(),
        ),
        VatMode::Excluded => (total, Decimal::ZERO),
    };
    let document = CreditNoteDocument {
        number: number.clone(),
        issued_on: now.format("%d/%m/%Y").to_string(),
        invoice_number: invoice.number.clone(),
        order_number: order.number.clone(),
        seller: crate::settings::service::seller(txn).await?,
        buyer_name: issued.buyer_name.clone(),
        buyer_address: issued.buyer_address.clone(),
        vat_mode: mode,
        reason: refund.reason.clone(),
        vat,
        total_excl,
        total_vat,
        total,
    };
    Ok(credit_note::ActiveModel {
        number: Set(number),
        order_id: Set(order.id),
        refund_id: Set(refund.id),
        issued_at: Set(now),
        total_cents: Set(refund.amount_cents),
        document: Set(serde_json::to_string(&document).unwrap_or_default()),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// The refunds of `order`, oldest first, with their credit notes; and what is left to refund.
///
/// # Errors
/// The database error.
pub async fn refunds_of(
    db: &impl ConnectionTrait,
    order: &order::Model,
) -> Result<(Vec<RefundView>, i64), OrderError> {
    let refunds = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(order.id))
        .order_by_asc(refund::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    let notes = credit_note::Entity::find()
        .filter(credit_note::Column::OrderId.eq(order.id))
        .all(db)
        .await?;
    let views = refunds
        .iter()
        .map(|r| RefundView {
            amount: from_cents(r.amount_cents),
            reason: r.reason.clone(),
            status: r.status.clone(),
            credit_note: notes
                .iter()
                .find(|n| n.refund_id == r.id)
                .map(|n| n.number.clone()),
            created_at: r.created_at.to_rfc3339(),
        })
        .collect();
    Ok((views, refundable(db, order).await?))
}
