//! An item the shop cannot send in time (the terms, art. 9: unavailable for more than seven
//! working days). Staff mark the order line unavailable with the date it is expected; the
//! customer is told by email at once, and chooses from the order's page: wait for it, a store
//! credit for it, or a refund of it. A credit or a refund is a refund of that line's units
//! (what was paid for them, `after_sales`), the rest of the order going on.

use super::OrderError;
use super::refund::{RefundMethod, RefundRequest, refund_order};
use crate::db::entities::{order, order_line, unavailable_line};
use crate::orders::model::OrderStatus;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder,
};

crate::codes::coded! {
    /// What the customer chose.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub enum Choice {
        Wait = "wait",
        Credit = "credit",
        Refund = "refund",
    }
}

/// Whether lines of an order in `status` may be marked unavailable: paid, not sent yet.
pub fn markable(status: &str) -> bool {
    matches!(
        OrderStatus::from_code(status),
        Some(OrderStatus::Paid | OrderStatus::Preparing)
    )
}

/// Staff mark line `line_id` of `order` unavailable until `expected_on` (a Paris day, today or
/// later): saved (a second mark moves the date and asks the customer again, unless they took a
/// credit or a refund already) and the customer emailed in the same transaction.
///
/// # Errors
/// [`OrderError::NotFound`] for a line of another order, [`OrderError::IllegalTransition`]
/// when the order is not paid-and-unsent or the line is settled, or the database error.
pub async fn mark(
    db: &DatabaseConnection,
    site: &str,
    order: &order::Model,
    line_id: i32,
    expected_on: NaiveDate,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), OrderError> {
    let txn = crate::db::begin_write(db).await?;
    let order = crate::db::for_update(order::Entity::find_by_id(order.id), &txn)
        .one(&txn)
        .await?
        .ok_or(OrderError::NotFound)?;
    if !markable(&order.status) {
        return Err(OrderError::IllegalTransition);
    }
    let line = order_line::Entity::find_by_id(line_id)
        .filter(order_line::Column::OrderId.eq(order.id))
        .one(&txn)
        .await?
        .ok_or(OrderError::NotFound)?;
    let settled = unavailable_line::Entity::find()
        .filter(unavailable_line::Column::OrderLineId.eq(line.id))
        .filter(
            unavailable_line::Column::Choice.is_in([Choice::Credit.code(), Choice::Refund.code()]),
        )
        .one(&txn)
        .await?;
    if settled.is_some() {
        return Err(OrderError::IllegalTransition);
    }
    unavailable_line::Entity::insert(unavailable_line::ActiveModel {
        order_id: Set(order.id),
        order_line_id: Set(line.id),
        expected_on: Set(expected_on),
        choice: Set(None),
        chosen_at: Set(None),
        actor: Set(actor.to_owned()),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(unavailable_line::Column::OrderLineId)
            .update_columns([
                unavailable_line::Column::ExpectedOn,
                unavailable_line::Column::Choice,
                unavailable_line::Column::ChosenAt,
                unavailable_line::Column::Actor,
                unavailable_line::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    super::mails::unavailable(&txn, &order, &line.name, expected_on, site, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The customer's `choice` for line `line_id` of `order`. Waiting is noted (and may be changed
/// later for a credit or a refund); a credit or a refund refunds the line's units not taken
/// back yet, once (a second click finds it settled).
///
/// # Errors
/// [`OrderError::NotFound`] when the line was not marked unavailable,
/// [`OrderError::IllegalTransition`] when it is settled already or the order was sent,
/// [`OrderError::CreditNeedsAccount`] for a guest's credit, a refund's own errors, or the
/// database error.
pub async fn choose(
    db: &DatabaseConnection,
    providers: &crate::payments::Providers,
    site: &str,
    order: &order::Model,
    line_id: i32,
    choice: Choice,
    now: DateTime<Utc>,
) -> Result<(), OrderError> {
    let marked = unavailable_line::Entity::find()
        .filter(unavailable_line::Column::OrderId.eq(order.id))
        .filter(unavailable_line::Column::OrderLineId.eq(line_id))
        .one(db)
        .await?
        .ok_or(OrderError::NotFound)?;
    let open = Condition::any()
        .add(unavailable_line::Column::Choice.is_null())
        .add(unavailable_line::Column::Choice.eq(Choice::Wait.code()));
    if marked.choice.as_deref().and_then(Choice::from_code) == Some(choice) {
        return Ok(());
    }
    // Settled already (a credit or a refund): nothing more to choose.
    if marked
        .choice
        .as_deref()
        .is_some_and(|c| c != Choice::Wait.code())
    {
        return Err(OrderError::IllegalTransition);
    }
    if choice == Choice::Wait {
        if !markable(&order.status) {
            return Err(OrderError::IllegalTransition);
        }
        unavailable_line::Entity::update_many()
            .col_expr(
                unavailable_line::Column::Choice,
                Expr::value(Some(choice.code())),
            )
            .col_expr(unavailable_line::Column::ChosenAt, Expr::value(Some(now)))
            .filter(unavailable_line::Column::Id.eq(marked.id))
            .filter(open)
            .exec(db)
            .await?;
        return Ok(());
    }
    if choice == Choice::Credit && order.user_id.is_none() {
        return Err(OrderError::CreditNeedsAccount);
    }
    // The line's units not taken back yet.
    let sold = super::after_sales::sold(db, order.id).await?;
    let taken = crate::orders::after_sales::taken_units(
        &super::after_sales::taken_back(db, order.id).await?,
    );
    let units = sold.iter().find(|l| l.line_id == line_id).map_or(0, |l| {
        l.quantity - taken.get(&line_id).copied().unwrap_or(0)
    });
    if units <= 0 {
        return Err(OrderError::IllegalTransition);
    }
    let line = order_line::Entity::find_by_id(line_id).one(db).await?;
    let name = line.map(|l| l.name).unwrap_or_default();
    let reason = match crate::i18n::Locale::from_code(&order.locale) {
        Some(crate::i18n::Locale::En) => format!("item unavailable: {name}"),
        _ => format!("article indisponible : {name}"),
    };
    refund_order(
        db,
        providers,
        site,
        &RefundRequest {
            number: &order.number,
            amount: None,
            lines: &[crate::orders::after_sales::Taken {
                line_id,
                quantity: units,
            }],
            vat_split: None,
            reason: &reason,
            actor: "customer",
            // One settlement per line, whichever the customer picked first.
            idempotency_key: &format!("unavailable-{}", marked.id),
            now,
            cancel: None,
            method: if choice == Choice::Credit {
                RefundMethod::StoreCredit
            } else {
                RefundMethod::Original
            },
            credit_back: None,
        },
    )
    .await?;
    unavailable_line::Entity::update_many()
        .col_expr(
            unavailable_line::Column::Choice,
            Expr::value(Some(choice.code())),
        )
        .col_expr(unavailable_line::Column::ChosenAt, Expr::value(Some(now)))
        .filter(unavailable_line::Column::Id.eq(marked.id))
        .filter(open)
        .exec(db)
        .await?;
    Ok(())
}

/// The lines of `order_id` marked unavailable, in line order.
///
/// # Errors
/// The database error.
pub async fn of_order(
    db: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Vec<unavailable_line::Model>, sea_orm::DbErr> {
    unavailable_line::Entity::find()
        .filter(unavailable_line::Column::OrderId.eq(order_id))
        .order_by_asc(unavailable_line::Column::OrderLineId)
        .all(db)
        .await
}
