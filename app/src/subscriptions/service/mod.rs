//! Subscriptions on the server: born when their first order is paid, shown to their customer
//! (who may cancel or change them) and to staff (who may end them), renewed by the worker in
//! [`renew`].

mod mails;
pub mod renew;

use super::model::{AddressChoice, SubscriptionStatus, SubscriptionView};
use super::rules::{Cancellation, cancellation, cancellation_deadline, following, paris_today};
use crate::cart::rules::subscription_months;
use crate::catalog::service::localized;
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
pub async fn order_paid(
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

/// The subscriptions `models` as shown, each with its product (as sold now), its customer's
/// address and its latest order: three queries whatever their number.
async fn views(
    db: &impl ConnectionTrait,
    models: &[subscription::Model],
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Vec<SubscriptionView>, DbErr> {
    use std::collections::{BTreeSet, HashMap};
    if models.is_empty() {
        return Ok(Vec::new());
    }
    let ids = |of: fn(&subscription::Model) -> i32| -> Vec<i32> {
        models
            .iter()
            .map(of)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let products: HashMap<i32, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(ids(|m| m.product_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let emails: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids(|m| m.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    // The latest order of each: its newest renewal, else the order that started it.
    let mut started: HashMap<i32, Vec<i32>> = HashMap::new();
    for model in models {
        started
            .entry(model.origin_order_id)
            .or_default()
            .push(model.id);
    }
    let mut last_orders: HashMap<i32, (i32, String)> = HashMap::new();
    for o in order::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(order::Column::SubscriptionId.is_in(ids(|m| m.id)))
                .add(order::Column::Id.is_in(ids(|m| m.origin_order_id))),
        )
        .all(db)
        .await?
    {
        let of = o.subscription_id.into_iter();
        for subscription_id in of.chain(started.get(&o.id).into_iter().flatten().copied()) {
            let newest = last_orders
                .get(&subscription_id)
                .is_none_or(|(id, _)| o.id > *id);
            if newest {
                last_orders.insert(subscription_id, (o.id, o.number.clone()));
            }
        }
    }
    Ok(models
        .iter()
        .map(|model| {
            let product = products.get(&model.product_id);
            let status = status_of(model);
            let running = status == SubscriptionStatus::Active;
            let deadline = running.then(|| cancellation_deadline(model.next_delivery_on));
            let delivery = snapshot(&model.delivery_address)
                .map(|a| {
                    let country = Destination::parse(&a.country)
                        .map_or_else(|| a.country.clone(), |d| d.name(locale).to_owned());
                    a.lines(&country)
                })
                .unwrap_or_default();
            SubscriptionView {
                id: model.id,
                product_name: product
                    .map(|p| localized(locale, p.name_fr.clone(), p.name_en.clone()))
                    .unwrap_or_default(),
                product_slug: product.map(|p| p.slug.clone()).unwrap_or_default(),
                image: product.map(|p| p.image.clone()).unwrap_or_default(),
                quantity: u32::try_from(model.quantity).unwrap_or(0),
                every_months: u8::try_from(model.every_months).unwrap_or(1),
                offered_months: product
                    .map(|p| subscription_months(&p.subscription_months))
                    .unwrap_or_default(),
                status,
                started_on: model.anchor_on,
                next_delivery: running.then_some(model.next_delivery_on),
                cancellation_deadline: deadline,
                late: deadline.is_some_and(|deadline| now > deadline),
                ends_after: model.ends_after.filter(|_| running),
                price: product
                    .map(|p| from_cents(p.price_cents * i64::from(model.quantity)))
                    .unwrap_or_default(),
                delivery,
                last_order: last_orders.get(&model.id).map(|(_, n)| n.clone()),
                ended_at: model.ended_at,
                customer_email: emails.get(&model.user_id).cloned().unwrap_or_default(),
            }
        })
        .collect())
}

/// The subscriptions of account `user_id`, running ones first, then newest first.
///
/// # Errors
/// The database error.
pub async fn of_user(
    db: &DatabaseConnection,
    user_id: i32,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Vec<SubscriptionView>, DbErr> {
    let models = subscription::Entity::find()
        .filter(subscription::Column::UserId.eq(user_id))
        .order_by_desc(subscription::Column::Id)
        .all(db)
        .await?;
    let mut views = views(db, &models, locale, now).await?;
    views.sort_by_key(|v| v.status != SubscriptionStatus::Active);
    Ok(views)
}

/// Every subscription, for staff: running ones first, newest first (at most 500).
///
/// # Errors
/// The database error.
pub async fn all(
    db: &DatabaseConnection,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Vec<SubscriptionView>, DbErr> {
    use sea_orm::QuerySelect;
    let models = subscription::Entity::find()
        .order_by_asc(subscription::Column::Status)
        .order_by_desc(subscription::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    views(db, &models, locale, now).await
}

/// Subscription `id` if it belongs to `user_id` (`None` also for someone else's).
async fn owned(
    db: &impl ConnectionTrait,
    user_id: i32,
    id: i32,
) -> Result<subscription::Model, SubscriptionError> {
    subscription::Entity::find_by_id(id)
        .filter(subscription::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(SubscriptionError::NotFound)
}

/// The addresses of `user_id`'s book a subscription may be sent to.
///
/// # Errors
/// The database error.
pub async fn address_choices(
    db: &DatabaseConnection,
    user_id: i32,
    locale: Locale,
) -> Result<Vec<AddressChoice>, DbErr> {
    Ok(address::Entity::find()
        .filter(address::Column::UserId.eq(user_id))
        .order_by_desc(address::Column::IsDefault)
        .order_by_asc(address::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| {
            let country = Destination::parse(&a.country)?;
            Some(AddressChoice {
                id: a.id,
                summary: format!(
                    "{} {}, {}, {} {}, {}",
                    a.first_name,
                    a.last_name,
                    a.line1,
                    a.postal_code,
                    a.city,
                    country.name(locale)
                ),
            })
        })
        .collect())
}

/// Cancels subscription `id` of `user_id` at `now`: at once when asked at the latest 3 days
/// before the next delivery (midnight, Paris time), else after that delivery. Asking again
/// changes nothing.
///
/// # Errors
/// [`SubscriptionError::NotFound`] for someone else's, [`SubscriptionError::NotActive`] for an
/// ended one, or the database error.
pub async fn cancel(
    db: &DatabaseConnection,
    site: &str,
    user_id: i32,
    id: i32,
    now: DateTime<Utc>,
) -> Result<Cancelled, SubscriptionError> {
    let txn = crate::db::begin_write(db).await?;
    let model = owned(&txn, user_id, id).await?;
    let status = status_of(&model);
    if status == SubscriptionStatus::Ended {
        return Err(SubscriptionError::NotActive);
    }
    if let Some(date) = model.ends_after {
        return Ok(Cancelled::AfterDelivery(date));
    }
    // A suspended subscription delivers nothing more: it ends at once.
    let outcome = if status == SubscriptionStatus::Suspended {
        Cancelled::Now
    } else {
        match cancellation(now, model.next_delivery_on) {
            Cancellation::Immediate => Cancelled::Now,
            Cancellation::AfterDelivery(date) => Cancelled::AfterDelivery(date),
        }
    };
    match outcome {
        Cancelled::Now => {
            end(&txn, model.id, CANCELLED_BY_CUSTOMER, now).await?;
        }
        Cancelled::AfterDelivery(date) => {
            subscription::Entity::update_many()
                .col_expr(subscription::Column::EndsAfter, Expr::value(Some(date)))
                .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
                .filter(subscription::Column::Id.eq(model.id))
                .filter(subscription::Column::Status.eq(model.status.clone()))
                .exec(&txn)
                .await?;
        }
    }
    mails::cancelled(&txn, &model, outcome, site).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Changes the frequency (to one the product offers) and the delivery address (from the
/// account's book) of subscription `id` for the deliveries not yet ordered. A new frequency
/// counts from the last delivery ordered, on the same day of the month.
///
/// # Errors
/// [`SubscriptionError`].
pub async fn change(
    db: &DatabaseConnection,
    user_id: i32,
    id: i32,
    every_months: u8,
    address_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(), SubscriptionError> {
    let txn = crate::db::begin_write(db).await?;
    let model = owned(&txn, user_id, id).await?;
    if status_of(&model) != SubscriptionStatus::Active || model.ends_after.is_some() {
        return Err(SubscriptionError::NotActive);
    }
    let mut update = subscription::Entity::update_many()
        .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(model.id))
        // Not while the worker orders the next delivery.
        .filter(subscription::Column::NextDeliveryOn.eq(model.next_delivery_on));
    if i32::from(every_months) != model.every_months {
        let offered = product::Entity::find_by_id(model.product_id)
            .one(&txn)
            .await?
            .map(|p| subscription_months(&p.subscription_months))
            .unwrap_or_default();
        if !offered.contains(&every_months) {
            return Err(SubscriptionError::FrequencyNotOffered);
        }
        let next = following(
            model.anchor_on,
            model.last_period_on,
            u32::from(every_months),
        )
        .ok_or(SubscriptionError::FrequencyNotOffered)?;
        update = update
            .col_expr(
                subscription::Column::EveryMonths,
                Expr::value(i32::from(every_months)),
            )
            .col_expr(subscription::Column::NextDeliveryOn, Expr::value(next))
            .col_expr(
                subscription::Column::RemindedFor,
                Expr::value(Option::<chrono::NaiveDate>::None),
            );
    }
    if let Some(address_id) = address_id {
        let chosen = address::Entity::find_by_id(address_id)
            .filter(address::Column::UserId.eq(user_id))
            .one(&txn)
            .await?
            .ok_or(SubscriptionError::BadAddress)?;
        let destination =
            Destination::parse(&chosen.country).ok_or(SubscriptionError::BadAddress)?;
        let delivery = AddressSnapshot {
            first_name: chosen.first_name,
            last_name: chosen.last_name,
            company: chosen.company,
            line1: chosen.line1,
            line2: chosen.line2,
            postal_code: chosen.postal_code,
            city: chosen.city,
            country: destination.code().to_owned(),
            phone: chosen.phone,
        };
        update = update
            .col_expr(
                subscription::Column::DeliveryAddress,
                Expr::value(serde_json::to_string(&delivery).unwrap_or_default()),
            )
            .col_expr(
                subscription::Column::Destination,
                Expr::value(destination.code()),
            );
    }
    let changed = update.exec(&txn).await?;
    if changed.rows_affected != 1 {
        // The next delivery was ordered meanwhile: the customer sees the new date and retries.
        return Err(SubscriptionError::NotActive);
    }
    txn.commit().await?;
    Ok(())
}

/// Staff end subscription `id` at once (the customer is emailed why). Returns whether it was
/// running.
///
/// # Errors
/// [`SubscriptionError::NotFound`], or the database error.
pub async fn end_by_staff(
    db: &DatabaseConnection,
    site: &str,
    id: i32,
    staff_id: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, SubscriptionError> {
    let txn = crate::db::begin_write(db).await?;
    let model = subscription::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(SubscriptionError::NotFound)?;
    let ended = end(
        &txn,
        id,
        &format!("ended by staff:{staff_id}: {reason}"),
        now,
    )
    .await?;
    if ended {
        mails::ended_by_shop(&txn, &model, reason, site).await?;
    }
    txn.commit().await?;
    Ok(ended)
}

/// Why a subscription cancelled by its customer ended.
pub(super) const CANCELLED_BY_CUSTOMER: &str = "cancelled by the customer";

/// Ends subscription `id` now with `reason`, unless it has ended already. Returns whether this
/// call ended it (the one move every way of ending a subscription makes).
///
/// # Errors
/// The database error.
pub(crate) async fn end(
    txn: &impl ConnectionTrait,
    id: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let ended = subscription::Entity::update_many()
        .col_expr(
            subscription::Column::Status,
            Expr::value(SubscriptionStatus::Ended.code()),
        )
        .col_expr(subscription::Column::EndedAt, Expr::value(Some(now)))
        .col_expr(
            subscription::Column::EndReason,
            Expr::value(Some(reason.to_owned())),
        )
        .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(id))
        .filter(subscription::Column::Status.ne(SubscriptionStatus::Ended.code()))
        .exec(txn)
        .await?;
    Ok(ended.rows_affected == 1)
}
