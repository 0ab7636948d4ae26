//! Subscriptions on the server: born when their first order is paid, shown to their customer
//! (who may cancel or change them) and to staff (who may end them), renewed by the worker in
//! [`renew`].

pub(crate) mod mails;

mod changes;
mod read;
pub use changes::*;
pub use read::*;
pub mod renew;

use super::model::{AddressChoice, SubscriptionStatus, SubscriptionView};
use super::rules::{Cancellation, cancellation, cancellation_deadline, following, paris_today};
use crate::cart::rules::subscription_months;
use crate::db::entities::{address, order, order_line, product, subscription, user};
use crate::i18n::Locale;
use crate::money::from_cents;
use crate::orders::model::AddressSnapshot;
use crate::orders::service::hooks::{OrderHooks, PaidOrder};
use crate::pricing::Destination;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

/// Why a subscription could not be changed. Each has a message for the customer.
#[derive(Debug, thiserror::Error)]
pub enum SubscriptionError {
    /// Unknown, or someone else's.
    #[error("subscription not found")]
    NotFound,
    /// Ended (or suspended, for a change): nothing to change.
    #[error("the subscription is not active")]
    NotActive,
    #[error("this frequency is not offered for this product")]
    FrequencyNotOffered,
    /// The address is someone else's, or in a country the shop does not deliver.
    #[error("this address cannot be used")]
    BadAddress,
    #[error("database: {0}")]
    Database(#[from] DbErr),
}

/// What a cancellation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cancelled {
    /// Nothing more is delivered.
    Now,
    /// Too late for the next delivery: it goes out, and the subscription ends after it.
    AfterDelivery(chrono::NaiveDate),
}

/// The orders domain's hook: a paid order starts the subscriptions it holds (or takes a renewal's
/// subscription up again), in the payment's transaction.
pub struct StartSubscriptions;

#[async_trait::async_trait]
impl OrderHooks for StartSubscriptions {
    async fn order_paid(
        &self,
        txn: &DatabaseTransaction,
        paid: PaidOrder<'_>,
    ) -> Result<(), DbErr> {
        order_paid(txn, paid.order_id, paid.provider, paid.mandate, paid.now).await
    }
}

/// Starts the subscriptions of order `order_id`, just paid through `provider` with the kept
/// card `mandate`, in `txn`: one per subscription line, from the day the order was placed
/// (Paris time). A renewal paid again on the shopper's page (after failed charges) gives its
/// subscription the new card and takes it up again. Nothing happens twice.
///
/// # Errors
/// The database error.
async fn order_paid(
    txn: &impl ConnectionTrait,
    order_id: i32,
    provider: &str,
    mandate: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(order) = order::Entity::find_by_id(order_id).one(txn).await? else {
        return Ok(());
    };
    if let Some(subscription_id) = order.subscription_id {
        if let Some(mandate) = mandate {
            subscription::Entity::update_many()
                .col_expr(subscription::Column::Mandate, Expr::value(mandate))
                .col_expr(subscription::Column::Provider, Expr::value(provider))
                .col_expr(
                    subscription::Column::Status,
                    Expr::value(SubscriptionStatus::Active.code()),
                )
                .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
                .filter(subscription::Column::Id.eq(subscription_id))
                .filter(subscription::Column::Status.ne(SubscriptionStatus::Ended.code()))
                .exec(txn)
                .await?;
        }
        return Ok(());
    }
    let Some(user_id) = order.user_id else {
        return Ok(());
    };
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .filter(order_line::Column::EveryMonths.is_not_null())
        .all(txn)
        .await?;
    if lines.is_empty() {
        return Ok(());
    }
    if mandate.is_none() {
        // Paid, but no card was kept: renewals would fail; staff see it in the log.
        tracing::warn!(number = %order.number, "subscription order paid without a kept card");
    }
    let anchor = paris_today(order.created_at);
    for line in lines {
        let every = u32::try_from(line.every_months.unwrap_or(1)).unwrap_or(1);
        let exists = subscription::Entity::find()
            .filter(subscription::Column::OriginOrderId.eq(order.id))
            .filter(subscription::Column::ProductId.eq(line.product_id))
            .one(txn)
            .await?;
        if exists.is_some() {
            continue;
        }
        let Some(next) = following(anchor, anchor, every) else {
            continue;
        };
        subscription::ActiveModel {
            user_id: Set(user_id),
            product_id: Set(line.product_id),
            quantity: Set(line.quantity),
            every_months: Set(i32::try_from(every).unwrap_or(1)),
            anchor_on: Set(anchor),
            last_period_on: Set(anchor),
            next_delivery_on: Set(next),
            status: Set(SubscriptionStatus::Active.code().to_owned()),
            ends_after: Set(None),
            provider: Set(provider.to_owned()),
            mandate: Set(mandate.unwrap_or_default().to_owned()),
            origin_order_id: Set(order.id),
            locale: Set(order.locale.clone()),
            destination: Set(order.destination.clone()),
            title: Set(order.title.clone()),
            first_name: Set(order.first_name.clone()),
            last_name: Set(order.last_name.clone()),
            phone: Set(order.phone.clone()),
            delivery_address: Set(order.delivery_address.clone()),
            billing_address: Set(order.billing_address.clone()),
            reminded_for: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ended_at: Set(None),
            end_reason: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

fn status_of(model: &subscription::Model) -> SubscriptionStatus {
    SubscriptionStatus::from_code(&model.status).unwrap_or(SubscriptionStatus::Ended)
}

/// An address snapshot as stored (JSON).
pub(super) fn snapshot(json: &str) -> Option<AddressSnapshot> {
    serde_json::from_str(json).ok()
}
