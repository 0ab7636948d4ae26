//! The renewal worker. Any number of instances may run it at once against one database:
//!
//! 1. **Reminders**: a configurable number of days before each delivery, one email with the
//!    amount at today's price (claimed by a conditional update of `reminded_for`).
//! 2. **Renewals**: once a delivery can no longer be cancelled (3 days before it), its order
//!    is written at the current price, in one transaction that holds the subscription's row
//!    (`FOR UPDATE SKIP LOCKED` on PostgreSQL: a second worker skips it rather than wait; on
//!    SQLite the write lock serialises them) and moves the subscription to its next delivery.
//!    The order is unique per subscription and delivery (`orders.subscription_id, period_on`
//!    and its idempotency key), so a period is never ordered twice.
//! 3. **Charges**: each renewal order due a charge is claimed by bumping its attempt counter
//!    (`WHERE charge_attempts = n`), then charged off-session under a key per attempt (a
//!    retried call is the same charge at the provider). A declined charge is retried after a
//!    day, two, then four; after [`CHARGE_ATTEMPTS`] the order is cancelled and the
//!    subscription suspended, and the customer told each time.

use super::{CANCELLED_BY_CUSTOMER, end, mails, snapshot};
use crate::cart::model::LineRequest;
use crate::db::entities::{order, payment, product, subscription, user};
use crate::i18n::Locale;
use crate::money::from_cents;
use crate::orders::model::OrderStatus;
use crate::orders::rules::CleanDetails;
use crate::orders::service::OrderError;
use crate::orders::service::lifecycle::{cancel_quietly, mark_paid};
use crate::orders::service::place::{OrderDraft, write_order};
use crate::payments::{ChargeOutcome, PaymentStatus, ProviderError, Providers, SavedCharge};
use crate::pricing::{BasketLine, Destination, PaymentMethod, PricingConfig};
use crate::subscriptions::model::SubscriptionStatus;
use crate::subscriptions::rules::{
    CANCELLATION_NOTICE_DAYS, CHARGE_ATTEMPTS, following, paris_today, renewal_due, retry_after,
};
use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

mod charge;
use charge::*;

/// At most this many of each kind of work per round (the next round takes the rest).
const BATCH: u64 = 100;
/// A claimed charge is left to its worker this long before another may take it up.
const CHARGE_LEASE_MINUTES: i64 = 15;
/// A renewal order unpaid after this long is beyond the retry schedule (a safety net only:
/// the worker cancels it itself after the last attempt).
const RENEWAL_PAYMENT_DAYS: i64 = 14;

/// What a round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub reminders: usize,
    pub renewals: usize,
    /// Deliveries skipped (out of stock) or subscriptions ended (product no longer offered).
    pub skipped: usize,
    pub charged: usize,
    pub declined: usize,
    pub suspended: usize,
}

/// One round of the worker at `now`.
///
/// # Errors
/// The database error (a provider that cannot be reached leaves its charge for later).
pub async fn run(
    db: &DatabaseConnection,
    providers: &Providers,
    site: &str,
    reminder_days: u32,
    now: DateTime<Utc>,
) -> Result<Round, OrderError> {
    let config = crate::pricing::service::pricing_config(db).await?;
    let mut round = Round {
        reminders: remind(db, &config, site, reminder_days, now).await?,
        ..Round::default()
    };
    let today = paris_today(now);
    let horizon = today + Days::new(CANCELLATION_NOTICE_DAYS + 1);
    let due = subscription::Entity::find()
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.code()))
        .filter(subscription::Column::NextDeliveryOn.lte(horizon))
        .order_by_asc(subscription::Column::NextDeliveryOn)
        .limit(BATCH)
        .all(db)
        .await?;
    for model in due.iter().filter(|s| renewal_due(now, s.next_delivery_on)) {
        match renew(db, &config, site, model.id, now).await? {
            Renewed::Ordered => round.renewals += 1,
            Renewed::Skipped => round.skipped += 1,
            Renewed::Nothing => {}
        }
    }
    let charges = order::Entity::find()
        .filter(order::Column::SubscriptionId.is_not_null())
        .filter(order::Column::Status.eq(OrderStatus::PendingPayment.code()))
        .filter(order::Column::NextChargeAt.lte(now))
        .order_by_asc(order::Column::NextChargeAt)
        .limit(BATCH)
        .all(db)
        .await?;
    for order in charges {
        match charge(db, providers, site, &order, now).await? {
            Charged::Paid => round.charged += 1,
            Charged::Declined => round.declined += 1,
            Charged::Suspended => {
                round.declined += 1;
                round.suspended += 1;
            }
            Charged::Nothing => {}
        }
    }
    Ok(round)
}

/// What the next delivery of `model` costs at today's price, shipping included (`None` when it
/// cannot be priced: product gone, or no delivery there).
fn delivery_price(
    config: &PricingConfig,
    model: &subscription::Model,
    product: &product::Model,
) -> Option<rust_decimal::Decimal> {
    let line = BasketLine {
        product_id: product.id,
        unit_price: from_cents(product.price_cents),
        vat_rate: crate::money::from_basis_points(product.vat_rate_bp),
        quantity: u32::try_from(model.quantity).ok()?,
        weight_grams: u32::try_from(product.shipping_weight_grams).unwrap_or(0),
        subscription: true,
    };
    let destination = Destination::parse(&model.destination)?;
    let quote = crate::pricing::quote(config, destination, &[line], &[]).ok()?;
    (quote.shipping != crate::pricing::Shipping::Unavailable).then_some(quote.total)
}

/// Sends the reminders due: active subscriptions whose next delivery is within
/// `reminder_days` and not yet announced.
async fn remind(
    db: &DatabaseConnection,
    config: &PricingConfig,
    site: &str,
    reminder_days: u32,
    now: DateTime<Utc>,
) -> Result<usize, OrderError> {
    let until = paris_today(now) + Days::new(u64::from(reminder_days));
    let due = subscription::Entity::find()
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.code()))
        .filter(subscription::Column::EndsAfter.is_null())
        .filter(subscription::Column::NextDeliveryOn.lte(until))
        .filter(
            Condition::any()
                .add(subscription::Column::RemindedFor.is_null())
                .add(
                    Expr::col(subscription::Column::RemindedFor)
                        .ne(Expr::col(subscription::Column::NextDeliveryOn)),
                ),
        )
        .limit(BATCH)
        .all(db)
        .await?;
    let mut sent = 0;
    for model in due {
        let Some(product) = product::Entity::find_by_id(model.product_id)
            .one(db)
            .await?
        else {
            continue;
        };
        let Some(user) = user::Entity::find_by_id(model.user_id).one(db).await? else {
            continue;
        };
        let price = delivery_price(config, &model, &product);
        let txn = crate::db::begin_write(db).await?;
        // Claimed by whoever moves `reminded_for` first.
        let claimed = subscription::Entity::update_many()
            .col_expr(
                subscription::Column::RemindedFor,
                Expr::value(Some(model.next_delivery_on)),
            )
            .filter(subscription::Column::Id.eq(model.id))
            .filter(subscription::Column::NextDeliveryOn.eq(model.next_delivery_on))
            .filter(
                Condition::any()
                    .add(subscription::Column::RemindedFor.is_null())
                    .add(subscription::Column::RemindedFor.ne(model.next_delivery_on)),
            )
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 1 {
            mails::reminder(&txn, &model, &user.email, &product, price, site, now).await?;
            sent += 1;
        }
        txn.commit().await?;
    }
    Ok(sent)
}

enum Renewed {
    Ordered,
    Skipped,
    Nothing,
}

/// Orders the next delivery of subscription `id` if still due and not taken by another worker.
async fn renew(
    db: &DatabaseConnection,
    config: &PricingConfig,
    site: &str,
    id: i32,
    now: DateTime<Utc>,
) -> Result<Renewed, OrderError> {
    let txn = crate::db::begin_write(db).await?;
    let Some(model) = subscription::Entity::find_by_id(id)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .one(&txn)
        .await?
    else {
        // Another worker holds it.
        return Ok(Renewed::Nothing);
    };
    if model.status != SubscriptionStatus::Active.code()
        || !renewal_due(now, model.next_delivery_on)
    {
        return Ok(Renewed::Nothing);
    }
    let period = model.next_delivery_on;
    let every = u32::try_from(model.every_months).unwrap_or(1);
    let next = following(model.anchor_on, period, every).unwrap_or(period);
    let user = user::Entity::find_by_id(model.user_id).one(&txn).await?;
    let origin = order::Entity::find_by_id(model.origin_order_id)
        .one(&txn)
        .await?;
    let (Some(user), Some(origin), Some(delivery), Some(billing), Some(destination)) = (
        user,
        origin,
        snapshot(&model.delivery_address),
        snapshot(&model.billing_address),
        Destination::parse(&model.destination),
    ) else {
        end(&txn, model.id, "its details are incomplete", now).await?;
        txn.commit().await?;
        return Ok(Renewed::Skipped);
    };
    let details = CleanDetails {
        email: user.email.clone(),
        title: model.title.clone(),
        first_name: model.first_name.clone(),
        last_name: model.last_name.clone(),
        phone: model.phone.clone(),
        delivery,
        destination,
        billing,
    };
    let lines = [LineRequest {
        product_id: model.product_id,
        quantity: u32::try_from(model.quantity).unwrap_or(1),
        every_months: u8::try_from(model.every_months).ok(),
    }];
    let key = format!("renewal-{}-{period}", model.id);
    let written = write_order(
        &txn,
        config,
        &OrderDraft {
            idempotency_key: &key,
            user_id: Some(model.user_id),
            email: &user.email,
            locale: Locale::from_code(&model.locale).unwrap_or(Locale::Fr),
            details: &details,
            lines: &lines,
            payment_method: PaymentMethod::Card,
            terms_version: &origin.terms_version,
            expected_total: None,
            now,
            payment_due_at: now + Duration::days(RENEWAL_PAYMENT_DAYS),
            access_key: crate::orders::api::ssr::new_key(),
            renewal: Some((model.id, period)),
            actor: "subscription",
            choices: crate::rewards::service::Choices::default(),
        },
    )
    .await;
    let last = model.ends_after == Some(period);
    match written {
        Ok(_) => {
            if advance(&txn, model.id, period, next, now).await? && last {
                end(&txn, model.id, CANCELLED_BY_CUSTOMER, now).await?;
            }
            txn.commit().await?;
            Ok(Renewed::Ordered)
        }
        Err(OrderError::Unavailable(_)) => {
            // Out of stock: this delivery is skipped (nothing charged), the next one stands.
            drop(txn);
            let txn = crate::db::begin_write(db).await?;
            if advance(&txn, model.id, period, next, now).await? {
                if last {
                    end(&txn, model.id, CANCELLED_BY_CUSTOMER, now).await?;
                } else {
                    mails::skipped(&txn, &model, &user.email, period, next, site, now).await?;
                }
            }
            txn.commit().await?;
            Ok(Renewed::Skipped)
        }
        Err(
            OrderError::NotOnSale(_)
            | OrderError::FrequencyUnavailable(_)
            | OrderError::CannotDeliver
            | OrderError::MethodNotAllowed
            | OrderError::Pricing(_),
        ) => {
            drop(txn);
            let txn = crate::db::begin_write(db).await?;
            if end(
                &txn,
                model.id,
                "the product is no longer offered this way",
                now,
            )
            .await?
            {
                mails::no_longer_offered(&txn, &model, &user.email, site, now).await?;
            }
            txn.commit().await?;
            Ok(Renewed::Skipped)
        }
        Err(error) => Err(error),
    }
}

/// Moves subscription `id` from its delivery `period`, just ordered or skipped, to `next`.
/// Returns whether this call moved it (not already moved by another worker).
async fn advance(
    txn: &sea_orm::DatabaseTransaction,
    id: i32,
    period: NaiveDate,
    next: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, OrderError> {
    let moved = subscription::Entity::update_many()
        .col_expr(subscription::Column::LastPeriodOn, Expr::value(period))
        .col_expr(subscription::Column::NextDeliveryOn, Expr::value(next))
        .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(id))
        .filter(subscription::Column::NextDeliveryOn.eq(period))
        .exec(txn)
        .await?;
    Ok(moved.rows_affected == 1)
}
