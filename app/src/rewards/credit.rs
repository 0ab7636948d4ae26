//! Store credit: what staff refund as credit (the terms' "credit or refund"), kept per account
//! as a ledger and a balance, spent at checkout as the last adjustment (it covers what the
//! other discounts left), and given back as credit — never as money — when the order that
//! spent it is cancelled unpaid or refunded.
//!
//! Every move is one ledger row and one conditional update of `users.store_credit_cents`, in
//! the caller's transaction: two checkouts cannot spend one euro twice (`… WHERE balance >= n`),
//! a refund credits once (the ledger's unique `refund_id`), and what comes back of an order
//! never exceeds what it spent.

use crate::db::entities::{store_credit, user};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr,
};

/// A refund made as credit.
pub const REFUND: &str = "refund";
/// Spent on an order.
pub const SPENT: &str = "spent";
/// Given back: the order that spent it was cancelled before being paid.
pub const RETURNED: &str = "returned";
/// Given back: the order that spent it was refunded (in whole or for some lines).
pub const RESTORED: &str = "restored";

/// `user_id`'s balance, in cents.
///
/// # Errors
/// The database error.
pub async fn balance(db: &impl ConnectionTrait, user_id: i32) -> Result<i64, DbErr> {
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.deleted_at.is_none())
        .map_or(0, |u| Ord::max(u.store_credit_cents, 0)))
}

async fn entry(
    txn: &impl ConnectionTrait,
    user_id: i32,
    order_id: Option<i32>,
    refund_id: Option<i32>,
    kind: &str,
    cents: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    store_credit::ActiveModel {
        user_id: Set(user_id),
        order_id: Set(order_id),
        refund_id: Set(refund_id),
        kind: Set(kind.to_owned()),
        amount_cents: Set(cents),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

async fn add(txn: &impl ConnectionTrait, user_id: i32, cents: i64) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::StoreCreditCents,
            Expr::col(user::Column::StoreCreditCents).add(cents),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Credits `cents` to `user_id` for refund `refund_id` of order `order_id`. Returns `false`
/// when that refund was credited already (nothing is written twice).
///
/// # Errors
/// The database error.
pub async fn grant(
    txn: &impl ConnectionTrait,
    user_id: i32,
    order_id: i32,
    refund_id: i32,
    cents: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if cents <= 0 {
        return Ok(false);
    }
    match entry(
        txn,
        user_id,
        Some(order_id),
        Some(refund_id),
        REFUND,
        cents,
        now,
    )
    .await
    {
        Ok(()) => {}
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(false);
        }
        Err(e) => return Err(e),
    }
    add(txn, user_id, cents).await?;
    Ok(true)
}

/// Spends `cents` of `user_id`'s credit on order `order_id`. Returns `false` (nothing
/// written) when the balance no longer holds it.
///
/// # Errors
/// The database error.
pub async fn spend(
    txn: &impl ConnectionTrait,
    user_id: i32,
    order_id: i32,
    cents: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if cents <= 0 {
        return Ok(true);
    }
    let spent = user::Entity::update_many()
        .col_expr(
            user::Column::StoreCreditCents,
            Expr::col(user::Column::StoreCreditCents).sub(cents),
        )
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::DeletedAt.is_null())
        .filter(user::Column::StoreCreditCents.gte(cents))
        .exec(txn)
        .await?;
    if spent.rows_affected != 1 {
        return Ok(false);
    }
    entry(txn, user_id, Some(order_id), None, SPENT, -cents, now).await?;
    Ok(true)
}

/// What order `order_id` spent and has not had back yet, and whose credit it was.
async fn outstanding(
    txn: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Option<(i32, i64)>, DbErr> {
    let rows = crate::db::for_update(
        store_credit::Entity::find()
            .filter(store_credit::Column::OrderId.eq(order_id))
            .filter(store_credit::Column::Kind.is_in([SPENT, RETURNED, RESTORED]))
            .order_by_asc(store_credit::Column::Id),
        txn,
    )
    .all(txn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    // Spent rows are negative, what came back positive.
    let left = -rows.iter().map(|r| r.amount_cents).sum::<i64>();
    Ok(Some((first.user_id, Ord::max(left, 0))))
}

/// Order `order_id` was cancelled before being paid: all the credit it spent comes back.
///
/// # Errors
/// The database error.
pub async fn give_back(
    txn: &impl ConnectionTrait,
    order_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if let Some((user_id, left)) = outstanding(txn, order_id).await?
        && left > 0
    {
        entry(txn, user_id, Some(order_id), None, RETURNED, left, now).await?;
        add(txn, user_id, left).await?;
    }
    Ok(())
}

/// Refund `refund_id` of order `order_id` took back goods the order partly paid with credit:
/// `cents` of it come back as credit (never more than the order spent and has not had back).
/// Returns what came back.
///
/// # Errors
/// The database error.
pub async fn restore(
    txn: &impl ConnectionTrait,
    order_id: i32,
    cents: i64,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let Some((user_id, left)) = outstanding(txn, order_id).await? else {
        return Ok(0);
    };
    let back = Ord::min(cents, left);
    if back <= 0 {
        return Ok(0);
    }
    entry(txn, user_id, Some(order_id), None, RESTORED, back, now).await?;
    add(txn, user_id, back).await?;
    Ok(back)
}

/// `user_id`'s ledger, newest first (at most 200 moves).
///
/// # Errors
/// The database error.
pub async fn history(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<store_credit::Model>, DbErr> {
    store_credit::Entity::find()
        .filter(store_credit::Column::UserId.eq(user_id))
        .order_by_desc(store_credit::Column::Id)
        .limit(200)
        .all(db)
        .await
}
