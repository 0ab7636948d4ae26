//! Withdrawals and missing-item claims: finding the order without signing in, recording the
//! request with its receipt, and the staff's refund.

use super::rules::{DeclaredLine, LinePick, OrderedLine, RequestKind, Window, window};
use crate::db::entities::{order, order_event, order_line, withdrawal_request};
use crate::email::{self, Email};
use crate::orders::after_sales::Taken;
use crate::orders::model::OrderStatus;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

pub const RECEIVED: &str = "received";
pub const REFUNDED: &str = "refunded";

/// Why a request cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum WithdrawalError {
    /// No order with this number and address (the same answer for either mismatch).
    #[error("no matching order")]
    NoMatch,
    /// Not paid (or its payment awaits a check): there is no contract to withdraw from yet.
    #[error("not paid")]
    NotPaid,
    /// A missing item is claimed once the parcel arrived.
    #[error("not delivered yet")]
    NotDelivered,
    #[error("the period is over")]
    Closed { since: DateTime<Utc> },
    /// The lines picked are no longer all open (another request took some meanwhile).
    #[error("the request changed")]
    Changed,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// When `order_id` was delivered (its latest move to `delivered`).
///
/// # Errors
/// The database error.
pub async fn delivered_at(
    db: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(order_id))
        .filter(order_event::Column::ToStatus.eq(OrderStatus::Delivered.code()))
        .order_by_desc(order_event::Column::CreatedAt)
        .one(db)
        .await?
        .map(|e| e.created_at))
}

/// The lines of `order_id`, less every unit already taken back (by a withdrawal, a missing-item
/// claim or a staff refund by line).
///
/// # Errors
/// The database error.
pub async fn open_lines(
    db: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Vec<OrderedLine>, DbErr> {
    let taken = crate::orders::after_sales::taken_units(
        &crate::orders::service::after_sales::taken_back(db, order_id).await?,
    );
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?;
    Ok(lines
        .into_iter()
        .map(|l| OrderedLine {
            line_id: l.id,
            quantity: l.quantity - taken.get(&l.id).copied().unwrap_or(0),
            name: l.name,
            unit_price_cents: l.unit_price_cents,
        })
        .filter(|l| l.quantity > 0)
        .collect())
}

/// What the customer is owed for `lines` of `order` now: what they paid for them, with the
/// initial delivery when a withdrawal leaves nothing of the order.
///
/// # Errors
/// The database error.
pub async fn owed(
    db: &impl ConnectionTrait,
    order: &order::Model,
    kind: RequestKind,
    lines: &[DeclaredLine],
) -> Result<crate::orders::after_sales::Owed, DbErr> {
    let taking: Vec<Taken> = lines
        .iter()
        .map(|l| Taken {
            line_id: l.line_id,
            quantity: l.quantity,
        })
        .collect();
    crate::orders::service::after_sales::owed_for(
        db,
        order,
        &taking,
        kind == RequestKind::Withdrawal,
    )
    .await
    .map_err(order_error)
}

/// The order `number` placed with `email`, if a request of `kind` is open for it at `now`;
/// returns it with the end of the period (none yet for a withdrawal before delivery).
///
/// # Errors
/// [`WithdrawalError`] for why not.
pub async fn find_open(
    db: &impl ConnectionTrait,
    number: &str,
    email: &str,
    kind: RequestKind,
    now: DateTime<Utc>,
) -> Result<(order::Model, Option<DateTime<Utc>>), WithdrawalError> {
    let number = number.trim().to_ascii_uppercase();
    let email = email.trim().to_lowercase();
    let order = order::Entity::find()
        .filter(order::Column::Number.eq(number.as_str()))
        .one(db)
        .await?
        .filter(|o| o.email.eq_ignore_ascii_case(&email))
        .ok_or(WithdrawalError::NoMatch)?;
    // The contract stands once paid (the statuses an order can be refunded from).
    if !crate::orders::service::refund::refundable_status(&order.status) {
        return Err(WithdrawalError::NotPaid);
    }
    let delivered = delivered_at(db, order.id).await?;
    match window(kind, delivered, now) {
        None => Err(WithdrawalError::NotDelivered),
        Some(Window::Open { until }) => Ok((order, until)),
        Some(Window::Closed { since }) => Err(WithdrawalError::Closed { since }),
    }
}

fn order_error(e: crate::orders::service::OrderError) -> DbErr {
    match e {
        crate::orders::service::OrderError::Database(e) => e,
        other => DbErr::Custom(other.to_string()),
    }
}

pub(crate) fn receipt<'a>(
    order: &'a order::Model,
    request: &withdrawal_request::Model,
    kind: RequestKind,
    lines: &[DeclaredLine],
    seller: &crate::orders::model::Seller,
) -> Email<'a> {
    use crate::i18n::Locale;
    let locale = Locale::from_code(&order.locale).unwrap_or(Locale::Fr);
    let list: String = lines
        .iter()
        .map(|l| format!("- {} × {}\n", l.quantity, l.name))
        .collect();
    let amount =
        crate::ui::format::money(locale, rust_decimal::Decimal::new(request.refund_cents, 2));
    let date = crate::ui::format::paris_time(locale, request.created_at);
    let (reference, number) = (&request.reference, &order.number);
    let returns = format!("{}, {}", seller.name, seller.address.join(", "));
    let (subject, body) = match (locale, kind) {
        (Locale::Fr, RequestKind::Withdrawal) => (
            format!("Accusé de réception de votre rétractation {reference}"),
            format!(
                "Bonjour,\n\nNous avons bien reçu le {date} votre rétractation du contrat (référence {reference}) pour la commande {number} :\n{list}\nMontant à rembourser : {amount} (ce que vous avez payé pour ces articles, remises déduites).\n\nRenvoyez les articles, scellés et dans leur emballage d'origine, dans les 14 jours à : {returns}, service retours (frais de retour à votre charge). Si le colis ne vous est pas encore parvenu, vous pouvez aussi le refuser à sa présentation. Nous vous rembourserons dans les 14 jours suivant votre rétractation, par le moyen de paiement utilisé, au plus tard à réception des articles.\n\nCet e-mail vaut accusé de réception sur support durable.\n"
            ),
        ),
        (Locale::En, RequestKind::Withdrawal) => (
            format!("Acknowledgement of your withdrawal {reference}"),
            format!(
                "Hello,\n\nOn {date} we received your withdrawal from the contract (reference {reference}) for order {number}:\n{list}\nAmount to be refunded: {amount} (what you paid for these items, discounts deducted).\n\nSend the items back, sealed and in their original packaging, within 14 days to: {returns}, returns department (return costs are yours). If the parcel has not reached you yet, you may also refuse it on delivery. We will refund you within 14 days of your withdrawal, by the means of payment you used, at the latest once the items are back.\n\nThis email is your acknowledgement of receipt on a durable medium.\n"
            ),
        ),
        (Locale::Fr, RequestKind::MissingItem) => (
            format!("Accusé de réception de votre réclamation {reference}"),
            format!(
                "Bonjour,\n\nNous avons bien reçu le {date} votre réclamation pour article manquant (référence {reference}) pour la commande {number} :\n{list}\nMontant à rembourser : {amount}.\n\nNotre équipe vérifie votre colis et revient vers vous sous 48 heures ouvrées ; l'article manquant vous sera remboursé ou renvoyé.\n\nCet e-mail vaut accusé de réception sur support durable.\n"
            ),
        ),
        (Locale::En, RequestKind::MissingItem) => (
            format!("Acknowledgement of your claim {reference}"),
            format!(
                "Hello,\n\nOn {date} we received your claim for a missing item (reference {reference}) for order {number}:\n{list}\nAmount to be refunded: {amount}.\n\nOur team checks your parcel and comes back to you within 2 working days; the missing item will be refunded or sent again.\n\nThis email is your acknowledgement of receipt on a durable medium.\n"
            ),
        ),
    };
    Email {
        to: &order.email,
        kind: "withdrawal_receipt",
        subject,
        body,
        locale,
    }
}

/// Records a request of `kind` for `order` with the lines `picked` and emails its receipt, in
/// one transaction. The lines still open are read in that transaction, the order's row held
/// (PostgreSQL; SQLite's write transaction holds everything): of two requests at once, the
/// second finds the first's lines taken.
///
/// # Errors
/// [`WithdrawalError::Changed`] when a line picked is no longer open, or the database error.
pub async fn submit(
    db: &DatabaseConnection,
    order: &order::Model,
    kind: RequestKind,
    picked: &[LinePick],
    now: DateTime<Utc>,
) -> Result<withdrawal_request::Model, WithdrawalError> {
    let txn = crate::db::begin_write(db).await?;
    let order = &crate::db::for_update(order::Entity::find_by_id(order.id), &txn)
        .one(&txn)
        .await?
        .ok_or(WithdrawalError::NoMatch)?;
    let open = open_lines(&txn, order.id).await?;
    let lines = super::rules::declare(kind, &open, picked).map_err(|_| WithdrawalError::Changed)?;
    let lines = lines.as_slice();
    let owed = owed(&txn, order, kind, lines).await?;
    let everything = super::rules::takes_everything(&open, lines);
    let count = withdrawal_request::Entity::find()
        .filter(withdrawal_request::Column::OrderId.eq(order.id))
        .count(&txn)
        .await?;
    // A subscription's delivery (a renewal, or the first order of one) is refunded sooner.
    let subscription = order.subscription_id.is_some()
        || crate::db::entities::order_line::Entity::find()
            .filter(crate::db::entities::order_line::Column::OrderId.eq(order.id))
            .filter(crate::db::entities::order_line::Column::EveryMonths.is_not_null())
            .count(&txn)
            .await?
            > 0;
    let request = withdrawal_request::ActiveModel {
        reference: Set(format!("R-{}-{}", order.number, count + 1)),
        order_id: Set(order.id),
        kind: Set(kind.code().to_owned()),
        status: Set(RECEIVED.to_owned()),
        lines: Set(serde_json::to_string(lines).unwrap_or_else(|_| "[]".into())),
        refund_cents: Set(owed.cents),
        credit_cents: Set(owed.credit_cents),
        refund_due_at: Set(Some(super::rules::refund_due(now, subscription))),
        vat_split: Set(Some(
            serde_json::to_string(&owed.by_rate).unwrap_or_else(|_| "[]".into()),
        )),
        created_at: Set(now),
        handled_at: Set(None),
        handled_by: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let status = OrderStatus::from_code(&order.status);
    let not_shipped = matches!(status, Some(OrderStatus::Paid | OrderStatus::Preparing));
    if kind == RequestKind::Withdrawal && (status == Some(OrderStatus::Delivered) || everything) {
        // The order shows the withdrawal until its refund (a second one for other lines finds
        // it withdrawn already and leaves it so). Before delivery only a withdrawal of
        // everything stops the order: staff still ship what was not withdrawn.
        let moved = crate::orders::service::lifecycle::transition(
            &txn,
            order.id,
            OrderStatus::Withdrawn,
            "customer",
            Some(request.reference.clone()),
            now,
        )
        .await
        .map_err(order_error)?;
        if moved.is_some() && not_shipped {
            // Nothing left the warehouse: the stock is back at once.
            crate::orders::service::lifecycle::release_stock(&txn, order.id)
                .await
                .map_err(order_error)?;
        }
    }
    let seller = crate::settings::service::seller(&txn).await?;
    email::queue(&txn, receipt(order, &request, kind, lines, &seller), now).await?;
    txn.commit().await?;
    Ok(request)
}
