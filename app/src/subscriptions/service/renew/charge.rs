//! Charging a renewal on the kept card, once per period even with several workers.

use super::*;

pub(super) enum Charged {
    Paid,
    Declined,
    Suspended,
    Nothing,
}

/// Charges renewal `order` once, if this worker is the one to claim the attempt.
pub(super) async fn charge(
    db: &DatabaseConnection,
    providers: &Providers,
    site: &str,
    order: &order::Model,
    now: DateTime<Utc>,
) -> Result<Charged, OrderError> {
    let attempt = order.charge_attempts + 1;
    let claimed = order::Entity::update_many()
        .col_expr(order::Column::ChargeAttempts, Expr::value(attempt))
        .col_expr(
            order::Column::NextChargeAt,
            Expr::value(Some(now + Duration::minutes(CHARGE_LEASE_MINUTES))),
        )
        .filter(order::Column::Id.eq(order.id))
        .filter(order::Column::Status.eq(OrderStatus::PendingPayment.code()))
        .filter(order::Column::ChargeAttempts.eq(order.charge_attempts))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(Charged::Nothing);
    }
    let Some(model) = subscription::Entity::find_by_id(order.subscription_id.unwrap_or(0))
        .one(db)
        .await?
    else {
        return Ok(Charged::Nothing);
    };
    let outcome = match providers.named(&model.provider) {
        Some(provider) => {
            provider
                .charge_saved(SavedCharge {
                    mandate: model.mandate.clone(),
                    amount: from_cents(order.total_cents),
                    description: format!("Comptoir Botanique {}", order.number),
                    idempotency_key: format!("{}-charge-{attempt}", order.number),
                })
                .await
        }
        None => Err(ProviderError::Unavailable(format!(
            "{} is not configured",
            model.provider
        ))),
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        // No kept card, or refused outright: as a decline.
        Err(ProviderError::Refused(detail)) => ChargeOutcome::Declined {
            code: detail,
            id: None,
        },
        Err(ProviderError::NotFound) => ChargeOutcome::Declined {
            code: "no card kept under this reference".into(),
            id: None,
        },
        Err(ProviderError::Unavailable(detail)) => {
            // Not counted: tried again in a few minutes.
            tracing::warn!(%detail, number = %order.number, "renewal charge not reached; later");
            order::Entity::update_many()
                .col_expr(
                    order::Column::ChargeAttempts,
                    Expr::value(order.charge_attempts),
                )
                .col_expr(
                    order::Column::NextChargeAt,
                    Expr::value(Some(now + Duration::minutes(10))),
                )
                .filter(order::Column::Id.eq(order.id))
                .filter(order::Column::ChargeAttempts.eq(attempt))
                .exec(db)
                .await?;
            return Ok(Charged::Nothing);
        }
    };
    let txn = crate::db::begin_write(db).await?;
    let (status, reference) = match &outcome {
        ChargeOutcome::Paid(id) => (PaymentStatus::Paid, id.clone()),
        ChargeOutcome::Declined { id, .. } => (
            PaymentStatus::Failed,
            id.clone()
                .unwrap_or_else(|| format!("declined-{}-{attempt}", order.number)),
        ),
    };
    let known = payment::Entity::find()
        .filter(payment::Column::Provider.eq(&model.provider))
        .filter(payment::Column::ProviderRef.eq(&reference))
        .one(&txn)
        .await?;
    if known.is_none() {
        payment::ActiveModel {
            order_id: Set(order.id),
            provider: Set(model.provider.clone()),
            provider_ref: Set(reference),
            method: Set(PaymentMethod::Card.code().to_owned()),
            amount_cents: Set(order.total_cents),
            status: Set(status.code().to_owned()),
            checkout_url: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let result = match outcome {
        ChargeOutcome::Paid(_) => {
            order::Entity::update_many()
                .col_expr(
                    order::Column::NextChargeAt,
                    Expr::value(Option::<DateTime<Utc>>::None),
                )
                .filter(order::Column::Id.eq(order.id))
                .exec(&txn)
                .await?;
            mark_paid(&txn, site, order.id, "subscription", now).await?;
            Charged::Paid
        }
        ChargeOutcome::Declined { code, .. } if attempt >= CHARGE_ATTEMPTS => {
            tracing::info!(number = %order.number, %code, "renewal declined for the last time");
            cancel_quietly(&txn, order.id, &format!("card declined ({code})"), now).await?;
            let suspended = subscription::Entity::update_many()
                .col_expr(
                    subscription::Column::Status,
                    Expr::value(SubscriptionStatus::Suspended.code()),
                )
                .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
                .filter(subscription::Column::Id.eq(model.id))
                .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.code()))
                .exec(&txn)
                .await?;
            if suspended.rows_affected == 1 {
                mails::suspended(&txn, &model, order, site, now).await?;
            }
            Charged::Suspended
        }
        ChargeOutcome::Declined { code, .. } => {
            tracing::info!(number = %order.number, %code, attempt, "renewal declined; retried later");
            let retry = now + retry_after(attempt);
            order::Entity::update_many()
                .col_expr(order::Column::NextChargeAt, Expr::value(Some(retry)))
                .filter(order::Column::Id.eq(order.id))
                .filter(order::Column::ChargeAttempts.eq(attempt))
                .exec(&txn)
                .await?;
            mails::charge_failed(&txn, &model, order, retry, site, now).await?;
            Charged::Declined
        }
    };
    txn.commit().await?;
    Ok(result)
}
