//! Payments of another amount than the order's total. The provider's word is the only one the
//! shop acts on, and when it says "paid" for an amount that is not the order's total (a
//! provider's error, a payment tampered with on its way, a total changed after the payment
//! was created), the order is not marked paid: it goes on hold, out of the unpaid-order sweep,
//! and waits for staff, who either accept the payment as received (the order is then paid,
//! with its invoice and confirmation) or cancel the order, and what was received is refunded.

use super::OrderError;
use super::hooks::{OrderHooks, PaidOrder};
use super::lifecycle::{mark_paid, release_stock, transition};
use super::refund::{PENDING, mark_failed, mark_refunded};
use crate::db::entities::{order, payment, refund};
use crate::money::from_cents;
use crate::orders::model::OrderStatus;
use crate::payments::{NewRefund, PaymentProvider, PaymentStatus, ProviderError, Providers};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter,
};

/// Puts order `order_id` on hold in `txn`: its payment reports `received` where `expected`
/// was due. Returns whether this call made the move.
///
/// # Errors
/// The database error.
pub async fn hold(
    txn: &DatabaseTransaction,
    order_id: i32,
    actor: &str,
    received: i64,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<bool, OrderError> {
    // Staff read it in the order's history.
    let money = |cents| crate::ui::format::money(crate::i18n::Locale::Fr, from_cents(cents));
    let note = format!(
        "montant reçu {} pour un total de {}",
        money(received),
        money(expected)
    );
    tracing::warn!(order = order_id, %note, "payment amount differs from the order's total: on hold");
    Ok(
        transition(txn, order_id, OrderStatus::OnHold, actor, Some(note), now)
            .await?
            .is_some(),
    )
}

/// The paid payment of a held order, and the provider that took it.
async fn paid_payment<'p>(
    db: &impl ConnectionTrait,
    providers: &'p Providers,
    order: &order::Model,
) -> Result<(payment::Model, &'p dyn PaymentProvider), OrderError> {
    let paid = payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order.id))
        .filter(payment::Column::Status.eq(PaymentStatus::Paid.code()))
        .one(db)
        .await?
        .ok_or(OrderError::IllegalTransition)?;
    let provider = providers.named(&paid.provider).ok_or_else(|| {
        OrderError::Provider(ProviderError::Unavailable(format!(
            "{} is not configured",
            paid.provider
        )))
    })?;
    Ok((paid, provider))
}

/// Staff accept the payment of held `order` as received: the order is paid (invoice,
/// confirmation; a subscription starts with the card the payment kept).
///
/// # Errors
/// [`OrderError::IllegalTransition`] when the order is not on hold any more,
/// [`OrderError::Provider`] when the provider cannot be asked for the kept card, or the
/// database error.
pub async fn accept(
    db: &DatabaseConnection,
    providers: &Providers,
    hooks: &dyn OrderHooks,
    site: &str,
    order: &order::Model,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), OrderError> {
    let (paid, provider) = paid_payment(db, providers, order).await?;
    let mandate = provider.get(&paid.provider_ref).await?.mandate;
    let txn = crate::db::begin_write(db).await?;
    if !mark_paid(&txn, site, order.id, actor, now).await? {
        return Err(OrderError::IllegalTransition);
    }
    hooks
        .order_paid(
            &txn,
            PaidOrder {
                order_id: order.id,
                provider: provider.name(),
                mandate: mandate.as_deref(),
                now,
            },
        )
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Staff cancel held `order` (or refuse it): what the provider received is refunded to the
/// shopper, then the order is cancelled, its stock released, and the shopper told. No invoice
/// was issued, so there is no credit note. One refund per `idempotency_key`.
///
/// # Errors
/// [`OrderError::IllegalTransition`] when the order is not on hold, [`OrderError::Provider`]
/// when the provider refuses or cannot be reached (the order stays on hold), or the database
/// error.
#[allow(
    clippy::too_many_arguments,
    reason = "one argument per fact of the move"
)]
pub async fn cancel(
    db: &DatabaseConnection,
    providers: &Providers,
    site: &str,
    order: &order::Model,
    refused: bool,
    reason: &str,
    actor: &str,
    idempotency_key: &str,
    now: DateTime<Utc>,
) -> Result<i64, OrderError> {
    if order.status != OrderStatus::OnHold.code() {
        return Err(OrderError::IllegalTransition);
    }
    let (paid, provider) = paid_payment(db, providers, order).await?;
    // What was received, as the provider says now.
    let received = provider.get(&paid.provider_ref).await?.amount;
    let cents = crate::money::to_cents(received)?;
    let pending = match refund::Entity::find()
        .filter(refund::Column::IdempotencyKey.eq(idempotency_key))
        .one(db)
        .await?
    {
        Some(done) => done,
        None => {
            refund::ActiveModel {
                order_id: Set(order.id),
                payment_id: Set(paid.id),
                provider: Set(paid.provider.clone()),
                provider_ref: Set(None),
                amount_cents: Set(cents),
                reason: Set(reason.to_owned()),
                status: Set(PENDING.to_owned()),
                actor: Set(actor.to_owned()),
                idempotency_key: Set(idempotency_key.to_owned()),
                last_error: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    let asked = provider
        .refund(NewRefund {
            payment_id: paid.provider_ref.clone(),
            amount: received,
            description: format!("Comptoir Botanique {}", order.number),
            idempotency_key: idempotency_key.to_owned(),
        })
        .await;
    let reference = match asked {
        Ok(done) => done.id,
        Err(error) => {
            mark_failed(db, pending.id, &error, now).await?;
            return Err(error.into());
        }
    };
    let txn = crate::db::begin_write(db).await?;
    mark_refunded(&txn, pending.id, Some(reference), now).await?;
    if transition(
        &txn,
        order.id,
        OrderStatus::Cancelled,
        actor,
        Some(reason.to_owned()),
        now,
    )
    .await?
    .is_some()
    {
        release_stock(&txn, order.id).await?;
        let how = if refused {
            super::refund::ShopCancel::Refused
        } else {
            super::refund::ShopCancel::Cancelled
        };
        super::mails::cancelled_by_shop(&txn, order, how, reason, Some((cents, None)), site, now)
            .await?;
    }
    txn.commit().await?;
    Ok(cents)
}
