//! The database side of [`crate::orders::after_sales`]: an order's lines as sold, what has
//! been taken back already (withdrawals, missing-item claims, staff refunds by line), and what
//! a new set of units is owed.

use super::OrderError;
use crate::db::entities::{order, order_line, refund, withdrawal_request};
use crate::orders::after_sales::{Owed, Sold, Taken, owed};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// The lines of `order_id` as sold, in order.
///
/// # Errors
/// The database error.
pub async fn sold(db: &impl ConnectionTrait, order_id: i32) -> Result<Vec<Sold>, DbErr> {
    Ok(order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(sold_line)
        .collect())
}

/// An order line as after-sales counts it.
pub fn sold_line(line: &order_line::Model) -> Sold {
    Sold {
        line_id: line.id,
        quantity: line.quantity,
        paid_cents: line.paid_cents,
        vat_rate_bp: line.vat_rate_bp,
        credit_cents: line.credit_cents,
    }
}

/// A JSON list of lines, as requests and refunds store them (a corrupt one is an error, not
/// nothing taken).
fn parse(json: &str) -> Result<Vec<Taken>, DbErr> {
    serde_json::from_str(json).map_err(|e| DbErr::Json(format!("taken-back lines: {e}")))
}

/// Every unit of `order_id` taken back so far: declared in a withdrawal or a missing-item claim,
/// or refunded by staff line by line (refunds that failed do not count).
///
/// # Errors
/// The database error, or a stored list that does not parse.
pub async fn taken_back(db: &impl ConnectionTrait, order_id: i32) -> Result<Vec<Taken>, DbErr> {
    let mut taken = Vec::new();
    for request in withdrawal_request::Entity::find()
        .filter(withdrawal_request::Column::OrderId.eq(order_id))
        .all(db)
        .await?
    {
        taken.extend(parse(&request.lines)?);
    }
    for done in refund::Entity::find()
        .filter(refund::Column::OrderId.eq(order_id))
        .filter(refund::Column::Status.ne(super::refund::FAILED))
        .all(db)
        .await?
    {
        if let Some(lines) = done.lines.as_deref() {
            taken.extend(parse(lines)?);
        }
    }
    Ok(taken)
}

/// What `order` owes back for `taking` now: see [`owed`]. `with_shipping`: the initial delivery
/// comes back if nothing is left of the order (a withdrawal).
///
/// # Errors
/// The database error.
pub async fn owed_for(
    db: &impl ConnectionTrait,
    order: &order::Model,
    taking: &[Taken],
    with_shipping: bool,
) -> Result<Owed, OrderError> {
    let sold = sold(db, order.id).await?;
    let before = taken_back(db, order.id).await?;
    let left = super::refund::refundable(db, order).await?;
    Ok(owed(
        &sold,
        &before,
        taking,
        order.shipping_cents,
        with_shipping,
        left,
    ))
}

/// Whether the customer may still withdraw from `order` at `now`, and until when (`Some(None)`:
/// from payment until 14 days after a delivery that has not happened yet): paid, within the
/// period from `delivered`, and `anything_left` to send back. `None` when not.
pub fn open_window(
    order: &order::Model,
    delivered: Option<chrono::DateTime<chrono::Utc>>,
    anything_left: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Option<chrono::DateTime<chrono::Utc>>> {
    use crate::withdrawal::rules::{RequestKind, Window, window};
    if !super::refund::refundable_status(&order.status) || !anything_left {
        return None;
    }
    match window(RequestKind::Withdrawal, delivered, now) {
        Some(Window::Open { until }) => Some(until),
        _ => None,
    }
}

/// [`open_window`] of `order`, its delivery and lines read here.
///
/// # Errors
/// The database error.
pub async fn withdrawal_window(
    db: &impl ConnectionTrait,
    order: &order::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Option<chrono::DateTime<chrono::Utc>>>, DbErr> {
    if !super::refund::refundable_status(&order.status) {
        return Ok(None);
    }
    let delivered = crate::withdrawal::service::delivered_at(db, order.id).await?;
    let left = crate::orders::after_sales::anything_left(
        &sold(db, order.id).await?,
        &taken_back(db, order.id).await?,
    );
    Ok(open_window(order, delivered, left, now))
}
