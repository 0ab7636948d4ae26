//! What staff do to an order from the back office: prepare it, ship it with a tracking number,
//! mark it delivered, cancel or refuse it. Each move is legal for the order's status or refused
//! with nothing written; each customer-facing one queues its email; each is in the audit log,
//! all in the move's own transaction. A paid order is cancelled through a full refund (the
//! provider first, then the status, the stock and one email, see `refund::refund_order`).

use super::OrderError;
use super::lifecycle::{release_stock, transition};
use super::mails;
use super::refund::{RefundRequest, ShopCancel, refund_order};
use super::view::tracking;
use crate::db::audit;
use crate::db::entities::order;
use crate::orders::model::OrderStatus;
use crate::orders::rules::{Carrier, StaffMove};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// A move as staff asked it.
pub struct MoveRequest<'a> {
    pub number: &'a str,
    pub action: StaffMove,
    /// For [`StaffMove::Ship`]: the carrier and the cleaned tracking number.
    pub parcel: Option<(Carrier, String)>,
    /// For a cancellation or a refusal: told to the customer.
    pub reason: &'a str,
    pub staff_id: i32,
    /// One refund per key when a paid order is cancelled (a repeated form is one refund).
    pub idempotency_key: &'a str,
    pub now: DateTime<Utc>,
}

/// Makes `request.action` on its order. Returns the order's status afterwards.
///
/// # Errors
/// [`OrderError::NotFound`], [`OrderError::IllegalTransition`] when the order's status does not
/// allow the move (nothing is written), [`OrderError::Provider`] when the refund of a paid
/// order is refused or cannot be asked (the order stays as it was), or the database error.
pub async fn apply(
    db: &DatabaseConnection,
    providers: &crate::payments::Providers,
    hooks: &dyn super::hooks::OrderHooks,
    site: &str,
    request: &MoveRequest<'_>,
) -> Result<OrderStatus, OrderError> {
    let order = order::Entity::find()
        .filter(order::Column::Number.eq(request.number))
        .one(db)
        .await?
        .ok_or(OrderError::NotFound)?;
    let status = OrderStatus::from_code(&order.status).ok_or(OrderError::IllegalTransition)?;
    if !request.action.allowed_from(status) {
        return Err(OrderError::IllegalTransition);
    }
    let actor = format!("staff:{}", request.staff_id);
    let subject = format!("order:{}", order.number);
    let refused = request.action == StaffMove::Refuse;
    let cancelling = matches!(request.action, StaffMove::Cancel | StaffMove::Refuse);
    if request.action == StaffMove::AcceptPayment || (cancelling && status == OrderStatus::OnHold) {
        // A payment of another amount than the total: accepted as received, or given back.
        let detail = if cancelling {
            let cents = super::held::cancel(
                db,
                providers,
                site,
                &order,
                refused,
                request.reason,
                &actor,
                &format!("{}-held", request.idempotency_key),
                request.now,
            )
            .await?;
            format!("{} — {}", request.reason, crate::money::from_cents(cents))
        } else {
            super::held::accept(db, providers, hooks, site, &order, &actor, request.now).await?;
            String::new()
        };
        audit::record(
            db,
            request.staff_id,
            &format!("order.{}", request.action.code()),
            &subject,
            &detail,
            request.now,
        )
        .await?;
        return Ok(request.action.target());
    }
    if cancelling && status != OrderStatus::PendingPayment {
        // Paid: the money goes back first; the refund's transaction cancels the order.
        let done = refund_order(
            db,
            providers,
            site,
            &RefundRequest {
                number: &order.number,
                amount: None,
                reason: request.reason,
                actor: &actor,
                // Not the key of a refund made from the same page.
                idempotency_key: &format!("{}-cancel", request.idempotency_key),
                now: request.now,
                lines: &[],
                vat_split: None,
                method: super::refund::RefundMethod::Original,
                credit_back: None,
                cancel: Some(if refused {
                    ShopCancel::Refused
                } else {
                    ShopCancel::Cancelled
                }),
            },
        )
        .await?;
        audit::record(
            db,
            request.staff_id,
            &format!("order.{}", request.action.code()),
            &subject,
            &format!(
                "{} — {}",
                request.reason,
                crate::money::from_cents(done.amount_cents)
            ),
            request.now,
        )
        .await?;
        return Ok(super::view::by_id(db, order.id)
            .await
            .ok()
            .and_then(|o| OrderStatus::from_code(&o.status))
            .unwrap_or(status));
    }

    let txn = crate::db::begin_write(db).await?;
    let note = match (&request.action, &request.parcel) {
        (StaffMove::Ship, Some((carrier, number))) => {
            Some(format!("{} {number}", carrier.name().unwrap_or("—")))
        }
        (StaffMove::Ship, None) => return Err(OrderError::IllegalTransition),
        (StaffMove::Cancel | StaffMove::Refuse, _) => Some(request.reason.to_owned()),
        _ => None,
    };
    let target = request.action.target();
    if transition(&txn, order.id, target, &actor, note.clone(), request.now)
        .await?
        .is_none()
    {
        return Err(OrderError::IllegalTransition);
    }
    match request.action {
        // Made above, outside this transaction.
        StaffMove::AcceptPayment | StaffMove::Prepare => {}
        StaffMove::Ship => {
            let (carrier, number) = request
                .parcel
                .clone()
                .ok_or(OrderError::IllegalTransition)?;
            order::Entity::update_many()
                .col_expr(
                    order::Column::TrackingCarrier,
                    Expr::value(Some(carrier.code())),
                )
                .col_expr(order::Column::TrackingNumber, Expr::value(Some(number)))
                .filter(order::Column::Id.eq(order.id))
                .exec(&txn)
                .await?;
            let shipped = super::view::by_id(&txn, order.id).await?;
            if let Some(parcel) = tracking(&shipped) {
                mails::shipped(&txn, &shipped, &parcel, site, request.now).await?;
            }
        }
        StaffMove::Deliver => mails::delivered(&txn, &order, site, request.now).await?,
        StaffMove::Cancel | StaffMove::Refuse => {
            release_stock(&txn, order.id).await?;
            let how = if refused {
                ShopCancel::Refused
            } else {
                ShopCancel::Cancelled
            };
            mails::cancelled_by_shop(&txn, &order, how, request.reason, None, site, request.now)
                .await?;
        }
    }
    audit::record(
        &txn,
        request.staff_id,
        &format!("order.{}", request.action.code()),
        &subject,
        note.as_deref().unwrap_or(""),
        request.now,
    )
    .await?;
    txn.commit().await?;
    Ok(target)
}
