//! The erasure of an account: what is deleted, what is anonymised and kept (invoices), and when it is refused.

use super::*;

/// Why an account cannot be erased now.
#[derive(Debug, thiserror::Error)]
pub enum EraseError {
    /// A paid order is still on its way: its address is needed until it is delivered.
    #[error("an order is still on its way")]
    OrderInProgress,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The address an erased account and its orders are left with.
pub fn erased_email(id: i32) -> String {
    format!("deleted-{id}@erased.invalid")
}

/// Erases `account` in `txn` at `now` (see the rule at the top of this module): subscriptions
/// ended and anonymised, unpaid orders cancelled (stock back), orders anonymised, addresses,
/// saved cart, sessions, email links, sign-in counters and emails deleted, the account row left
/// anonymised and marked deleted. Refused while a paid order is on its way.
///
/// # Errors
/// [`EraseError::OrderInProgress`], or the database error.
pub async fn erase(
    txn: &DatabaseTransaction,
    account: &user::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), EraseError> {
    let orders = order_ids(txn, account).await?;
    refuse_while_on_its_way(txn, &orders).await?;

    let subscriptions = subscription::Entity::find()
        .filter(subscription::Column::UserId.eq(account.id))
        .all(txn)
        .await?;
    for s in &subscriptions {
        crate::subscriptions::service::end(txn, s.id, reason, now).await?;
    }
    subscription::Entity::update_many()
        .col_expr(subscription::Column::Title, Expr::value(None::<String>))
        .col_expr(subscription::Column::FirstName, Expr::value(""))
        .col_expr(subscription::Column::LastName, Expr::value(""))
        .col_expr(subscription::Column::Phone, Expr::value(None::<String>))
        .col_expr(subscription::Column::DeliveryAddress, Expr::value(""))
        .col_expr(subscription::Column::BillingAddress, Expr::value(""))
        .col_expr(subscription::Column::Mandate, Expr::value(""))
        .filter(subscription::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;

    let mandates: Vec<String> = subscriptions.iter().map(|s| s.mandate.clone()).collect();
    close_orders(txn, &orders, &mandates, reason, now).await?;
    let placeholder = erased_email(account.id);
    anonymise_orders(txn, &orders, &placeholder, now).await?;
    // A referral naming this person as the friend keeps its row (a person is referred once)
    // under the anonymised address; the points ledger goes.
    crate::db::entities::referral::Entity::update_many()
        .col_expr(
            crate::db::entities::referral::Column::RefereeEmail,
            Expr::value(placeholder.clone()),
        )
        .filter(crate::db::entities::referral::Column::RefereeEmail.eq(account.email.as_str()))
        .exec(txn)
        .await?;
    crate::reviews::service::forget_author(txn, account.id).await?;
    crate::wishlist::service::forget(txn, &account.email, Some(account.id)).await?;
    crate::db::entities::loyalty_entry::Entity::delete_many()
        .filter(crate::db::entities::loyalty_entry::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    // The erasure page says an unspent store credit is given up with the account.
    crate::db::entities::store_credit::Entity::delete_many()
        .filter(crate::db::entities::store_credit::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    address::Entity::delete_many()
        .filter(address::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    saved_cart::Entity::delete_many()
        .filter(saved_cart::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    account_token::Entity::delete_many()
        .filter(account_token::Column::UserId.eq(account.id))
        .exec(txn)
        .await?;
    // The suffix is hexadecimal: nothing in it is a LIKE wildcard.
    auth_throttle::Entity::delete_many()
        .filter(auth_throttle::Column::Key.ends_with(throttle_suffix(&account.email)))
        .exec(txn)
        .await?;
    email_outbox::Entity::delete_many()
        .filter(email_outbox::Column::ToAddress.eq(account.email.as_str()))
        .exec(txn)
        .await?;
    crate::db::entities::privacy_request::Entity::delete_many()
        .filter(crate::db::entities::privacy_request::Column::Email.eq(account.email.as_str()))
        .exec(txn)
        .await?;
    {
        use crate::db::entities::notice_recipient;
        notice_recipient::Entity::delete_many()
            .filter(
                sea_orm::Condition::any()
                    .add(notice_recipient::Column::Email.eq(account.email.as_str()))
                    .add(notice_recipient::Column::UserId.eq(account.id)),
            )
            .exec(txn)
            .await?;
    }
    // With the hash an earlier unsubscription left.
    newsletter_subscription::Entity::delete_many()
        .filter(newsletter_subscription::Column::Email.is_in(
            crate::privacy::service::retention::newsletter_keys(&account.email),
        ))
        .exec(txn)
        .await?;

    user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(placeholder))
        .col_expr(
            user::Column::EmailVerifiedAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        // Not a PHC string: no password ever matches it.
        .col_expr(user::Column::PasswordHash, Expr::value("!"))
        .col_expr(user::Column::Title, Expr::value(None::<String>))
        .col_expr(user::Column::FirstName, Expr::value(""))
        .col_expr(user::Column::LastName, Expr::value(""))
        .col_expr(user::Column::Phone, Expr::value(None::<String>))
        .col_expr(user::Column::Newsletter, Expr::value(false))
        .col_expr(user::Column::ReferredByCode, Expr::value(None::<String>))
        .col_expr(user::Column::ReferralCode, Expr::value(None::<String>))
        .col_expr(user::Column::LoyaltyPoints, Expr::value(0i64))
        .col_expr(user::Column::StoreCreditCents, Expr::value(0i64))
        .col_expr(user::Column::SessionsValidAfter, Expr::value(Some(now)))
        .col_expr(user::Column::DeletedAt, Expr::value(Some(now)))
        .col_expr(
            user::Column::InactivityWarnedAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(account.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The statuses of an order on its way (paid, not yet delivered): its buyer's address is
/// needed until it arrives, so an erasure waits for it.
pub const ON_ITS_WAY: [OrderStatus; 3] = [
    OrderStatus::Paid,
    OrderStatus::Preparing,
    OrderStatus::Shipped,
];

/// Refuses the erasure while one of `orders` is on its way.
///
/// # Errors
/// [`EraseError::OrderInProgress`], or the database error.
pub async fn refuse_while_on_its_way(
    txn: &DatabaseTransaction,
    orders: &[i32],
) -> Result<(), EraseError> {
    let open = order::Entity::find()
        .filter(order::Column::Id.is_in(orders.iter().copied()))
        .filter(order::Column::Status.is_in(ON_ITS_WAY.iter().map(|s| s.code())))
        .one(txn)
        .await?;
    match open {
        Some(_) => Err(EraseError::OrderInProgress),
        None => Ok(()),
    }
}

/// What an erasure does to `orders` before they are anonymised: the unpaid ones cancelled
/// (stock back), and the deletion of the Stripe customers behind them and behind the kept
/// cards `mandates` queued (see `privacy::service::processors`).
///
/// # Errors
/// The database error.
pub async fn close_orders(
    txn: &DatabaseTransaction,
    orders: &[i32],
    mandates: &[String],
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let unpaid = order::Entity::find()
        .filter(order::Column::Id.is_in(orders.iter().copied()))
        .filter(order::Column::Status.eq(OrderStatus::PendingPayment.code()))
        .all(txn)
        .await?;
    for o in unpaid {
        crate::orders::service::lifecycle::cancel_quietly(txn, o.id, reason, now)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    crate::privacy::service::processors::queue_stripe(txn, orders, mandates, now).await?;
    Ok(())
}

/// Blanks the buyer of `orders` (name, phone, addresses; the address becomes `placeholder`) and
/// of their promo-code uses, which keep counting towards the codes' limits under no one's
/// address. Amounts, lines, destination country and dates remain; invoices are not touched.
///
/// # Errors
/// The database error.
pub async fn anonymise_orders(
    txn: &DatabaseTransaction,
    orders: &[i32],
    placeholder: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    order::Entity::update_many()
        .col_expr(order::Column::Email, Expr::value(placeholder))
        .col_expr(order::Column::Title, Expr::value(None::<String>))
        .col_expr(order::Column::FirstName, Expr::value(""))
        .col_expr(order::Column::LastName, Expr::value(""))
        .col_expr(order::Column::Phone, Expr::value(None::<String>))
        .col_expr(order::Column::DeliveryAddress, Expr::value(""))
        .col_expr(order::Column::BillingAddress, Expr::value(""))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.is_in(orders.iter().copied()))
        .exec(txn)
        .await?;
    crate::db::entities::promo_redemption::Entity::update_many()
        .col_expr(
            crate::db::entities::promo_redemption::Column::Customer,
            Expr::value(placeholder),
        )
        .filter(
            crate::db::entities::promo_redemption::Column::OrderId.is_in(orders.iter().copied()),
        )
        .exec(txn)
        .await?;
    Ok(())
}
