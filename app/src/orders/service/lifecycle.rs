//! Moving an order through its statuses. Every move is a conditional update (`… WHERE status
//! IN (the statuses allowed to move there)`), so two concurrent attempts make one move, and an
//! illegal move changes nothing.

use super::OrderError;
use super::{invoice, mails};
use crate::db::entities::{order, order_event, order_line, product};
use crate::orders::model::OrderStatus;
use crate::pricing::PaymentMethod;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// Moves order `order_id` to `to` when its status allows, recording who and why.
/// Returns the status it left, or `None` when it was not in a status that may move to `to`
/// (already moved by someone else, or an illegal move): nothing is written then.
///
/// # Errors
/// The database error.
pub async fn transition(
    txn: &DatabaseTransaction,
    order_id: i32,
    to: OrderStatus,
    actor: &str,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<OrderStatus>, OrderError> {
    let Some(current) = order::Entity::find_by_id(order_id).one(txn).await? else {
        return Err(OrderError::NotFound);
    };
    let Some(from) = OrderStatus::from_code(&current.status) else {
        return Ok(None);
    };
    if !from.can_become(to) {
        return Ok(None);
    }
    let mut update = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(to.code()))
        .col_expr(order::Column::UpdatedAt, Expr::value(now));
    if to == OrderStatus::Paid {
        update = update.col_expr(order::Column::PaidAt, Expr::value(Some(now)));
    }
    let moved = update
        .filter(order::Column::Id.eq(order_id))
        .filter(order::Column::Status.eq(from.code()))
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Ok(None);
    }
    if from == OrderStatus::PendingPayment && to == OrderStatus::Cancelled {
        // Never paid: the promo code's use, the referral, credit and points are given back.
        crate::rewards::service::release(txn, &current, now).await?;
    } else if matches!(
        to,
        OrderStatus::Refunded | OrderStatus::Withdrawn | OrderStatus::Cancelled
    ) {
        // A first order undone after payment: no credit for the sponsor.
        crate::rewards::service::reverse(txn, order_id, now).await?;
    }
    order_event::ActiveModel {
        order_id: Set(order_id),
        from_status: Set(Some(from.code().to_owned())),
        to_status: Set(to.code().to_owned()),
        actor: Set(actor.to_owned()),
        note: Set(note),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(Some(from))
}

/// Marks the order paid: issues its invoice and queues the confirmation, in `txn`. Returns
/// whether this call made the move (a replayed notification does nothing).
///
/// # Errors
/// The database error.
pub async fn mark_paid(
    txn: &DatabaseTransaction,
    site: &str,
    order_id: i32,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<bool, OrderError> {
    if transition(txn, order_id, OrderStatus::Paid, actor, None, now)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    let order = order::Entity::find_by_id(order_id)
        .one(txn)
        .await?
        .ok_or(OrderError::NotFound)?;
    let issued = invoice::issue(txn, &order, now).await?;
    mails::confirmed(txn, &order, &issued, site, now).await?;
    crate::rewards::service::on_paid(txn, &order, site, now).await?;
    Ok(true)
}

/// Cancels an unpaid order (payment failed, cancelled or too late): its stock goes back and
/// the shopper is told, in `txn`. Returns whether this call made the move.
///
/// # Errors
/// The database error.
pub async fn cancel_unpaid(
    txn: &DatabaseTransaction,
    site: &str,
    order_id: i32,
    actor: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, OrderError> {
    let order = order::Entity::find_by_id(order_id)
        .one(txn)
        .await?
        .ok_or(OrderError::NotFound)?;
    if order.status != OrderStatus::PendingPayment.code() {
        return Ok(false);
    }
    if transition(
        txn,
        order_id,
        OrderStatus::Cancelled,
        actor,
        Some(reason.to_owned()),
        now,
    )
    .await?
    .is_none()
    {
        return Ok(false);
    }
    release_stock(txn, order_id).await?;
    mails::cancelled_unpaid(txn, &order, site, now).await?;
    Ok(true)
}

/// Cancels an unpaid order without emailing, giving its stock back, in `txn`: a renewal whose
/// charges all failed (the subscription's own email tells the customer), or an order of an
/// erased account (nobody to tell). Returns whether this call made the move.
///
/// # Errors
/// The database error.
pub(crate) async fn cancel_quietly(
    txn: &DatabaseTransaction,
    order_id: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, OrderError> {
    if transition(
        txn,
        order_id,
        OrderStatus::Cancelled,
        "system",
        Some(reason.to_owned()),
        now,
    )
    .await?
    .is_none()
    {
        return Ok(false);
    }
    release_stock(txn, order_id).await?;
    Ok(true)
}

/// Gives the order's quantities back to the stock.
pub async fn release_stock(txn: &impl ConnectionTrait, order_id: i32) -> Result<(), OrderError> {
    let mut lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .all(txn)
        .await?;
    lines.sort_by_key(|l| l.product_id);
    for line in lines {
        product::Entity::update_many()
            .col_expr(
                product::Column::Stock,
                Expr::col(product::Column::Stock).add(line.quantity),
            )
            .filter(product::Column::Id.eq(line.product_id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Staff record the bank transfer or cheque of order `number` as received.
///
/// # Errors
/// [`OrderError::NotFound`], [`OrderError::IllegalTransition`] for an order not awaiting an
/// offline payment, or the database error.
pub async fn record_offline_payment(
    db: &DatabaseConnection,
    site: &str,
    number: &str,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<(), OrderError> {
    let txn = crate::db::begin_write(db).await?;
    let order = order::Entity::find()
        .filter(order::Column::Number.eq(number))
        .one(&txn)
        .await?
        .ok_or(OrderError::NotFound)?;
    let offline = matches!(
        PaymentMethod::from_code(&order.payment_method),
        Some(PaymentMethod::BankTransfer | PaymentMethod::Cheque)
    );
    if !offline || !mark_paid(&txn, site, order.id, &format!("staff:{staff_id}"), now).await? {
        return Err(OrderError::IllegalTransition);
    }
    crate::db::audit::record(
        &txn,
        staff_id,
        "order.record_payment",
        &format!("order:{}", order.number),
        &order.payment_method,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Cancels the orders whose payment is overdue, giving their stock back; an online payment is
/// first asked of its provider (it may have succeeded late). Returns how many were cancelled.
///
/// # Errors
/// The database error (a provider that cannot be reached leaves its order for the next round).
pub async fn expire_unpaid(
    db: &DatabaseConnection,
    providers: &crate::payments::Providers,
    hooks: &dyn super::hooks::OrderHooks,
    site: &str,
    now: DateTime<Utc>,
) -> Result<usize, OrderError> {
    let due = order::Entity::find()
        .filter(order::Column::Status.eq(OrderStatus::PendingPayment.code()))
        .filter(order::Column::PaymentDueAt.lte(now))
        // Renewals are charged, retried and given up by the subscription worker.
        .filter(order::Column::SubscriptionId.is_null())
        .order_by_asc(order::Column::PaymentDueAt)
        .limit(200)
        .all(db)
        .await?;
    let mut cancelled = 0;
    for order in due {
        match super::pay::sync_order(db, providers, hooks, site, order.id, now).await {
            Ok(Some(OrderStatus::PendingPayment)) | Ok(None) => {}
            Ok(Some(_)) => continue,
            Err(error) => {
                tracing::warn!(%error, number = %order.number, "payment status unknown, order kept");
                continue;
            }
        }
        let txn = crate::db::begin_write(db).await?;
        if cancel_unpaid(
            &txn,
            site,
            order.id,
            "system",
            "payment not received in time",
            now,
        )
        .await?
        {
            cancelled += 1;
        }
        txn.commit().await?;
    }
    Ok(cancelled)
}
