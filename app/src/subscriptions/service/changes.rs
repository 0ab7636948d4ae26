//! What a customer or staff change: cancellation, frequency or address, ending.

use super::*;

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
    mails::cancelled(&txn, &model, outcome, site, now).await?;
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
        mails::ended_by_shop(&txn, &model, reason, site, now).await?;
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
