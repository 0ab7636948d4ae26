//! Erasure reaching the payment processors. Stripe keeps, for each customer the shop made there
//! (one per first payment of a subscription), the name, the address and the card kept for the
//! renewals; erasing a person here asks Stripe to delete those customers, which detaches the
//! cards. Mollie keeps no customer for the shop (one-off payments only), so nothing is asked of
//! it.
//!
//! The request is queued in the erasure's own transaction (`processor_erasures`) and sent by a
//! worker, as the email outbox is: claimed with a lease so that several instances never send
//! one twice, retried with a growing wait while Stripe is unreachable, and recorded with the
//! time Stripe confirmed. A customer Stripe no longer knows counts as deleted.

use crate::db::entities::{payment, processor_erasure};
use crate::db::sql::Sql;
use crate::payments::stripe::{NAME as STRIPE, StripeClient, StripeError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, FromQueryResult, QueryFilter,
};

/// Requests claimed per round.
const BATCH: i64 = 20;
/// How long a claimed request is left to the instance that claimed it.
const LEASE_MINUTES: i64 = 5;
/// Attempts before a request is given up (with its error kept for staff): about a week.
pub const MAX_ATTEMPTS: i32 = 30;

/// The wait before attempt `attempts + 1`: 1 min, 5 min, 30 min, 2 h, then 6 h.
fn backoff(attempts: i32) -> Duration {
    match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        4 => Duration::hours(2),
        _ => Duration::hours(6),
    }
}

/// The Stripe customer of a kept card's reference (`cus_… pm_…`), if it names one.
fn customer_of(mandate: &str) -> Option<&str> {
    mandate
        .split_whitespace()
        .next()
        .filter(|id| id.starts_with("cus_"))
}

/// Queues, in `conn` (the erasure's transaction), the deletion at Stripe of every customer
/// behind the kept cards `mandates` and behind the Stripe payments of `orders` (each first
/// payment made a customer, paid or not: its Checkout Session names it). Returns how many
/// requests were new (one already queued is not queued twice).
///
/// # Errors
/// The database error.
pub async fn queue_stripe(
    conn: &impl ConnectionTrait,
    orders: &[i32],
    mandates: &[String],
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let mut references: Vec<String> = mandates
        .iter()
        .filter_map(|m| customer_of(m))
        .map(str::to_owned)
        .collect();
    if !orders.is_empty() {
        let sessions = payment::Entity::find()
            .filter(payment::Column::OrderId.is_in(orders.iter().copied()))
            .filter(payment::Column::Provider.eq(STRIPE))
            .filter(payment::Column::ProviderRef.starts_with("cs_"))
            .all(conn)
            .await?;
        references.extend(sessions.into_iter().map(|p| p.provider_ref));
    }
    references.sort();
    references.dedup();
    let mut queued = 0;
    for reference in references {
        let inserted = processor_erasure::Entity::insert(processor_erasure::ActiveModel {
            provider: Set(STRIPE.to_owned()),
            reference: Set(reference),
            attempts: Set(0),
            next_attempt_at: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            done_at: Set(None),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                processor_erasure::Column::Provider,
                processor_erasure::Column::Reference,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
        queued += usize::try_from(inserted).unwrap_or(0);
    }
    Ok(queued)
}

#[derive(Debug, FromQueryResult)]
struct Claimed {
    id: i32,
    reference: String,
    attempts: i32,
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub done: usize,
    pub failed: usize,
}

/// Claims the Stripe requests due at `now` (a batch), leasing them to this instance.
async fn claim(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Vec<Claimed>, DbErr> {
    let backend = db.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push("UPDATE processor_erasures SET next_attempt_at = ")
        .bind(now + Duration::minutes(LEASE_MINUTES))
        .push(
            " WHERE id IN (SELECT id FROM processor_erasures WHERE done_at IS NULL AND provider = ",
        )
        .bind(STRIPE)
        .push(" AND attempts < ")
        .bind(MAX_ATTEMPTS)
        .push(" AND (next_attempt_at IS NULL OR next_attempt_at <= ")
        .bind(now)
        .push(") ORDER BY id LIMIT ")
        .bind(BATCH);
    if backend == DbBackend::Postgres {
        sql.push(" FOR UPDATE SKIP LOCKED");
    }
    sql.push(") RETURNING id, reference, attempts");
    Claimed::find_by_statement(sql.build()).all(db).await
}

/// Deletes the customer `reference` names at Stripe: the customer itself, or the one the
/// Checkout Session `cs_…` made (none made, or the session gone: nothing to delete).
async fn delete(stripe: &StripeClient, reference: &str) -> Result<(), StripeError> {
    let customer = if reference.starts_with("cs_") {
        match stripe.checkout_session(reference).await {
            Ok(session) => match session.customer {
                Some(customer) => customer,
                None => return Ok(()),
            },
            Err(StripeError::NotFound) => return Ok(()),
            Err(error) => return Err(error),
        }
    } else {
        reference.to_owned()
    };
    stripe.delete_customer(&customer).await
}

/// Sends the deletions due at `now` to `stripe`. Without a Stripe client (Stripe not
/// configured) the requests wait.
///
/// # Errors
/// A database error (the requests claimed stay leased and are retried after the lease).
pub async fn send_due(
    db: &DatabaseConnection,
    stripe: Option<&StripeClient>,
    now: DateTime<Utc>,
) -> Result<Round, DbErr> {
    let mut round = Round::default();
    let Some(stripe) = stripe else {
        return Ok(round);
    };
    for request in claim(db, now).await? {
        let attempts = request.attempts + 1;
        let update = processor_erasure::Entity::update_many()
            .filter(processor_erasure::Column::Id.eq(request.id))
            .col_expr(processor_erasure::Column::Attempts, Expr::value(attempts));
        match delete(stripe, &request.reference).await {
            Ok(()) => {
                round.done += 1;
                update
                    .col_expr(processor_erasure::Column::DoneAt, Expr::value(Some(now)))
                    .col_expr(
                        processor_erasure::Column::LastError,
                        Expr::value(None::<String>),
                    )
                    .col_expr(
                        processor_erasure::Column::NextAttemptAt,
                        Expr::value(None::<DateTime<Utc>>),
                    )
                    .exec(db)
                    .await?;
            }
            Err(error) => {
                round.failed += 1;
                // A refusal will not change by waiting: given up at once, error kept.
                let permanent = matches!(error, StripeError::Refused { .. });
                let attempts = if permanent { MAX_ATTEMPTS } else { attempts };
                if attempts >= MAX_ATTEMPTS {
                    tracing::error!(request = request.id, %error, "Stripe customer not deleted; given up");
                } else {
                    tracing::warn!(request = request.id, attempts, %error, "Stripe customer not deleted yet");
                }
                processor_erasure::Entity::update_many()
                    .filter(processor_erasure::Column::Id.eq(request.id))
                    .col_expr(processor_erasure::Column::Attempts, Expr::value(attempts))
                    .col_expr(
                        processor_erasure::Column::LastError,
                        Expr::value(Some(error.to_string())),
                    )
                    .col_expr(
                        processor_erasure::Column::NextAttemptAt,
                        Expr::value(Some(now + backoff(attempts))),
                    )
                    .exec(db)
                    .await?;
            }
        }
    }
    Ok(round)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_customer_of_a_kept_card() {
        assert_eq!(customer_of("cus_abc pm_card_visa"), Some("cus_abc"));
        assert_eq!(customer_of(""), None);
        assert_eq!(customer_of("tr_demo123"), None);
    }

    #[test]
    fn the_wait_grows_then_stays_at_six_hours() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(4), Duration::hours(2));
        assert_eq!(backoff(29), Duration::hours(6));
    }
}
