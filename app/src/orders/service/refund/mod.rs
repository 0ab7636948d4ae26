//! Refunds, full or partial, asked by staff of the provider that took the payment (or recorded
//! as done by hand for a bank transfer or cheque), each producing a credit note. A refund is
//! written `pending` before the provider is asked (under a unique key, so a repeated request is
//! the same refund), and `refunded` with its credit note once the provider accepted it.

use super::OrderError;
use super::invoice::{next_in_sequence, vat_mode};
use super::lifecycle::transition;
use crate::db::entities::{credit_note, invoice, order, payment, refund};
use crate::money::from_cents;
use crate::money::to_cents;
use crate::orders::after_sales::Taken;
use crate::orders::model::{CreditNoteDocument, InvoiceDocument, OrderStatus, RefundView};
use crate::payments::{NewRefund, PaymentStatus};
use crate::pricing::{PaymentMethod, RateShare, VatLine, VatMode, allocate, net_of};
use chrono::{DateTime, Datelike, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

mod records;
pub use records::*;

/// Refund statuses.
pub const PENDING: &str = "pending";
pub const REFUNDED: &str = "refunded";
pub const FAILED: &str = "failed";

/// What staff ask.
pub struct RefundRequest<'a> {
    pub number: &'a str,
    /// `None`: everything left to refund (or, with `lines`, what they were paid).
    pub amount: Option<Decimal>,
    /// Units taken back: the refund is what was paid for them (`after_sales`), and they count
    /// as returned. Empty: an amount.
    pub lines: &'a [Taken],
    /// How an amount computed elsewhere falls on the VAT rates (a withdrawal's); `None`: in
    /// proportion to the invoice's rates, or the lines' own with `lines`.
    pub vat_split: Option<Vec<RateShare>>,
    pub reason: &'a str,
    /// `staff:42`.
    pub actor: &'a str,
    pub idempotency_key: &'a str,
    pub now: DateTime<Utc>,
    /// The shop cancels (or refuses) the paid order and refunds all of it: once refunded it
    /// becomes cancelled with its stock back, and one email says both.
    pub cancel: Option<ShopCancel>,
    /// How the money goes back.
    pub method: RefundMethod,
    /// Store credit the refunded items were paid with, given back as credit (a withdrawal's,
    /// computed when it was declared); `None`: from `lines`, or nothing for an amount. When the
    /// refund leaves nothing to refund, all the credit the order spent comes back anyway.
    pub credit_back: Option<i64>,
}

/// How a refund goes back to the customer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RefundMethod {
    /// To the payment method used (by the provider, or by hand for a transfer or a cheque).
    #[default]
    Original,
    /// As store credit on the customer's account (the terms' "credit or refund").
    StoreCredit,
}

/// The `refunds.provider` of a refund made as store credit.
pub const STORE_CREDIT: &str = "store_credit";

/// Why the shop cancels a paid order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShopCancel {
    /// The shop cannot deliver it (out of stock, a mistake).
    Cancelled,
    /// An abnormal order the shop refuses.
    Refused,
    /// The customer ends the contract of an order delivered late (art. L216-6).
    LateDelivery,
}

/// What is left to refund on `order` (its total less the refunds asked or made).
pub async fn refundable(
    db: &impl ConnectionTrait,
    order: &order::Model,
) -> Result<i64, OrderError> {
    let taken: i64 = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(order.id))
        .filter(refund::Column::Status.ne(FAILED))
        .all(db)
        .await?
        .iter()
        .map(|r| r.amount_cents)
        .sum();
    Ok(order.total_cents - taken)
}

/// The statuses from which an order may be refunded (it was paid).
pub fn refundable_status(status: &str) -> bool {
    matches!(
        OrderStatus::from_code(status),
        Some(
            OrderStatus::Paid
                | OrderStatus::Preparing
                | OrderStatus::Shipped
                | OrderStatus::Delivered
                | OrderStatus::Withdrawn
        )
    )
}

/// Refunds `request.amount` (or all that is left) of order `request.number`.
///
/// # Errors
/// [`OrderError::NotFound`], [`OrderError::IllegalTransition`] for an unpaid order,
/// [`OrderError::BadRefundAmount`], [`OrderError::Provider`] when the provider refuses or
/// cannot be reached (the refund is kept as failed, with the reason), or the database error.
pub async fn refund_order(
    db: &DatabaseConnection,
    providers: &crate::payments::Providers,
    site: &str,
    request: &RefundRequest<'_>,
) -> Result<refund::Model, OrderError> {
    if let Some(done) = refund::Entity::find()
        .filter(refund::Column::IdempotencyKey.eq(request.idempotency_key))
        .one(db)
        .await?
        .filter(|r| r.status != FAILED)
    {
        return Ok(done);
    }
    // Written first, under the order's lock: two refunds at once never exceed the total.
    let txn = crate::db::begin_write(db).await?;
    let order = crate::db::for_update(
        order::Entity::find().filter(order::Column::Number.eq(request.number)),
        &txn,
    )
    .one(&txn)
    .await?
    .ok_or(OrderError::NotFound)?;
    if !refundable_status(&order.status) {
        return Err(OrderError::IllegalTransition);
    }
    let left = refundable(&txn, &order).await?;
    let (cents, vat_split, credit_back) = if request.lines.is_empty() {
        let cents = match request.amount {
            Some(amount) if amount.scale() <= 2 || amount == amount.round_dp(2) => {
                to_cents(amount).map_err(|_| OrderError::BadRefundAmount)?
            }
            Some(_) => return Err(OrderError::BadRefundAmount),
            None => left,
        };
        (
            cents,
            request.vat_split.clone(),
            request.credit_back.unwrap_or(0).max(0),
        )
    } else {
        let sold = super::after_sales::sold(&txn, order.id).await?;
        let before = super::after_sales::taken_back(&txn, order.id).await?;
        if !crate::orders::after_sales::fits(&sold, &before, request.lines) {
            return Err(OrderError::BadRefundAmount);
        }
        let owed = super::after_sales::owed_for(&txn, &order, request.lines, false).await?;
        (owed.cents, Some(owed.by_rate), owed.credit_cents)
    };
    // Nothing at all, or more money than is left. Items paid entirely with store credit are
    // refunded with no money: their credit comes back.
    if cents < 0 || cents > left || (cents == 0 && credit_back == 0) {
        return Err(OrderError::BadRefundAmount);
    }
    let as_credit = request.method == RefundMethod::StoreCredit;
    if as_credit && order.user_id.is_none() {
        return Err(OrderError::CreditNeedsAccount);
    }
    let offline = matches!(
        PaymentMethod::from_code(&order.payment_method),
        Some(PaymentMethod::BankTransfer | PaymentMethod::Cheque)
    );
    let paid = payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order.id))
        .filter(payment::Column::Status.eq(PaymentStatus::Paid.code()))
        .one(&txn)
        .await?;
    let (payment_id, provider_name, paid) = match (&paid, offline) {
        // Nothing goes through a provider: credit, or no money at all.
        _ if as_credit || cents == 0 => (0, STORE_CREDIT.to_owned(), None),
        (Some(p), _) => (p.id, p.provider.clone(), paid.clone()),
        // Paid by transfer or cheque: staff pay it back by hand, and this records it.
        (None, true) => (0, "manual".to_owned(), None),
        (None, false) => return Err(OrderError::IllegalTransition),
    };
    let pending = refund::ActiveModel {
        order_id: Set(order.id),
        payment_id: Set(payment_id),
        provider: Set(provider_name.clone()),
        provider_ref: Set(None),
        amount_cents: Set(cents),
        reason: Set(request.reason.to_owned()),
        status: Set(PENDING.to_owned()),
        actor: Set(request.actor.to_owned()),
        idempotency_key: Set(request.idempotency_key.to_owned()),
        last_error: Set(None),
        lines: Set((!request.lines.is_empty())
            .then(|| serde_json::to_string(request.lines).unwrap_or_else(|_| "[]".into()))),
        vat_split: Set(vat_split
            .as_ref()
            .map(|split| serde_json::to_string(split).unwrap_or_else(|_| "[]".into()))),
        created_at: Set(request.now),
        updated_at: Set(request.now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;

    // The provider, outside any transaction.
    let asked = match paid.as_ref().map(|p| (p, providers.named(&p.provider))) {
        Some((p, Some(provider))) => provider
            .refund(NewRefund {
                payment_id: p.provider_ref.clone(),
                amount: from_cents(cents),
                description: format!("Comptoir Botanique {}", order.number),
                idempotency_key: request.idempotency_key.to_owned(),
            })
            .await
            .map(|r| Some(r.id)),
        Some((p, None)) => Err(crate::payments::ProviderError::Unavailable(format!(
            "the payment was taken by {}, which is not configured",
            p.provider
        ))),
        None => Ok(None),
    };
    let provider_ref = match asked {
        Ok(reference) => reference,
        Err(error) => {
            mark_failed(db, pending.id, &error, request.now).await?;
            return Err(error.into());
        }
    };

    let txn = crate::db::begin_write(db).await?;
    mark_refunded(&txn, pending.id, provider_ref, request.now).await?;
    // Money goes back on a credit note; store credit given back is the discount undone.
    let note = if cents > 0 {
        Some(issue_credit_note(&txn, &order, &pending, request.now).await?)
    } else {
        None
    };
    if as_credit && let Some(user_id) = order.user_id {
        crate::rewards::credit::grant(&txn, user_id, order.id, pending.id, cents, request.now)
            .await?;
    }
    crate::rewards::service::on_refund(&txn, &order, request.now).await?;
    let all_refunded = refundable(&txn, &order).await? == 0;
    // The store credit the order spent: the refunded items' share, or all of it once nothing
    // is left to refund (the order undone).
    let credit_back = crate::rewards::credit::restore(
        &txn,
        order.id,
        if all_refunded { i64::MAX } else { credit_back },
        request.now,
    )
    .await?;
    let note_number = note.as_ref().map(|n| n.number.as_str());
    let cancelled = match request.cancel {
        Some(how) if all_refunded => {
            let moved = transition(
                &txn,
                order.id,
                OrderStatus::Cancelled,
                request.actor,
                Some(request.reason.to_owned()),
                request.now,
            )
            .await?
            .is_some();
            if moved {
                super::lifecycle::release_stock(&txn, order.id).await?;
                super::mails::cancelled_by_shop(
                    &txn,
                    &order,
                    how,
                    request.reason,
                    Some((cents, note_number)),
                    site,
                    request.now,
                )
                .await?;
            }
            moved
        }
        _ => false,
    };
    if !cancelled {
        // A plain refund, or a cancellation overtaken meanwhile (the parcel left): the order
        // is refunded like any other.
        if all_refunded {
            transition(
                &txn,
                order.id,
                OrderStatus::Refunded,
                request.actor,
                Some(request.reason.to_owned()),
                request.now,
            )
            .await?;
        }
        super::mails::refunded(
            &txn,
            &order,
            super::mails::Refunded {
                money: cents,
                as_credit,
                credit_back,
                credit_note: note_number,
            },
            site,
            request.now,
        )
        .await?;
    }
    txn.commit().await?;
    refund::Entity::find_by_id(pending.id)
        .one(db)
        .await?
        .ok_or(OrderError::NotFound)
}
