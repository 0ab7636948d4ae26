//! Withdrawals and missing-item claims: finding the order without signing in, recording the
//! request with its receipt, and the staff's refund.

use super::rules::{DeclaredLine, LinePick, OrderedLine, RequestKind, Window, window};
use crate::db::entities::{order, order_event, order_line, withdrawal_request};
use crate::email::{self, Email};
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
    /// Not delivered yet: the period starts at delivery.
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

/// The lines of `order_id`, less what earlier requests of `kind` already declared.
///
/// # Errors
/// The database error.
pub async fn open_lines(
    db: &impl ConnectionTrait,
    order_id: i32,
    kind: RequestKind,
) -> Result<Vec<OrderedLine>, DbErr> {
    let earlier = withdrawal_request::Entity::find()
        .filter(withdrawal_request::Column::OrderId.eq(order_id))
        .filter(withdrawal_request::Column::Kind.eq(kind.code()))
        .all(db)
        .await?;
    let declared: Vec<DeclaredLine> = earlier
        .iter()
        .flat_map(|r| serde_json::from_str::<Vec<DeclaredLine>>(&r.lines).unwrap_or_default())
        .collect();
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?;
    Ok(lines
        .into_iter()
        .map(|l| {
            let taken: i32 = declared
                .iter()
                .filter(|d| d.line_id == l.id)
                .map(|d| d.quantity)
                .sum();
            OrderedLine {
                line_id: l.id,
                name: l.name,
                quantity: l.quantity - taken,
                unit_price_cents: l.unit_price_cents,
            }
        })
        .filter(|l| l.quantity > 0)
        .collect())
}

/// The order `number` placed with `email`, if a request of `kind` is open for it at `now`;
/// returns it with the end of the period.
///
/// # Errors
/// [`WithdrawalError`] for why not.
pub async fn find_open(
    db: &impl ConnectionTrait,
    number: &str,
    email: &str,
    kind: RequestKind,
    now: DateTime<Utc>,
) -> Result<(order::Model, DateTime<Utc>), WithdrawalError> {
    let number = number.trim().to_ascii_uppercase();
    let email = email.trim().to_lowercase();
    let order = order::Entity::find()
        .filter(order::Column::Number.eq(number.as_str()))
        .one(db)
        .await?
        .filter(|o| o.email.eq_ignore_ascii_case(&email))
        .ok_or(WithdrawalError::NoMatch)?;
    let delivered = match OrderStatus::from_code(&order.status) {
        Some(OrderStatus::Delivered | OrderStatus::Withdrawn) => delivered_at(db, order.id).await?,
        _ => None,
    }
    .ok_or(WithdrawalError::NotDelivered)?;
    match window(kind, delivered, now) {
        Window::Open { until } => Ok((order, until)),
        Window::Closed { since } => Err(WithdrawalError::Closed { since }),
    }
}

fn receipt<'a>(
    order: &'a order::Model,
    request: &withdrawal_request::Model,
    kind: RequestKind,
    lines: &[DeclaredLine],
    seller: &crate::orders::model::Seller,
) -> Email<'a> {
    let list: String = lines
        .iter()
        .map(|l| format!("- {} × {}\n", l.quantity, l.name))
        .collect();
    let amount = crate::ui::format::money(
        crate::i18n::Locale::Fr,
        rust_decimal::Decimal::new(request.refund_cents, 2),
    );
    let (subject, what, next) = match kind {
        RequestKind::Withdrawal => (
            format!(
                "Accusé de réception de votre rétractation {}",
                request.reference
            ),
            "votre rétractation du contrat",
            format!(
                "Renvoyez les articles, scellés et dans leur emballage d'origine, dans les 14 jours à : {}, service retours, {} (frais de retour à votre charge). Nous vous rembourserons dans les 14 jours suivant votre rétractation, par le moyen de paiement utilisé, au plus tard à réception des articles.",
                seller.name,
                seller.address.join(", ")
            ),
        ),
        RequestKind::MissingItem => (
            format!(
                "Accusé de réception de votre réclamation {}",
                request.reference
            ),
            "votre réclamation pour article manquant",
            "Notre équipe vérifie votre colis et revient vers vous sous 48 heures ouvrées ; l'article manquant vous sera remboursé ou renvoyé.".to_owned(),
        ),
    };
    Email {
        to: &order.email,
        kind: "withdrawal_receipt",
        subject,
        body: format!(
            "Bonjour,\n\nNous avons bien reçu le {date} {what} (référence {reference}) pour la commande {number} :\n{list}\nMontant à rembourser : {amount}.\n\n{next}\n\nCet e-mail vaut accusé de réception sur support durable.\n",
            date = crate::ui::format::paris_time(crate::i18n::Locale::Fr, request.created_at),
            reference = request.reference,
            number = order.number,
        ),
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
    crate::db::for_update(order::Entity::find_by_id(order.id), &txn)
        .one(&txn)
        .await?
        .ok_or(WithdrawalError::NoMatch)?;
    let open = open_lines(&txn, order.id, kind).await?;
    let lines = super::rules::declare(kind, &open, picked).map_err(|_| WithdrawalError::Changed)?;
    let lines = lines.as_slice();
    let refund_cents = super::rules::refund_cents(kind, &open, lines, order.shipping_cents);
    let count = withdrawal_request::Entity::find()
        .filter(withdrawal_request::Column::OrderId.eq(order.id))
        .count(&txn)
        .await?;
    let request = withdrawal_request::ActiveModel {
        reference: Set(format!("R-{}-{}", order.number, count + 1)),
        order_id: Set(order.id),
        kind: Set(kind.code().to_owned()),
        status: Set(RECEIVED.to_owned()),
        lines: Set(serde_json::to_string(lines).unwrap_or_else(|_| "[]".into())),
        refund_cents: Set(refund_cents),
        created_at: Set(now),
        handled_at: Set(None),
        handled_by: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if kind == RequestKind::Withdrawal {
        // The order shows the withdrawal until its refund (a second one for other lines finds
        // it withdrawn already and leaves it so).
        crate::orders::service::lifecycle::transition(
            &txn,
            order.id,
            OrderStatus::Withdrawn,
            "customer",
            Some(request.reference.clone()),
            now,
        )
        .await
        .map_err(|e| match e {
            crate::orders::service::OrderError::Database(e) => e,
            other => DbErr::Custom(other.to_string()),
        })?;
    }
    let seller = crate::settings::service::seller(&txn).await?;
    email::queue(&txn, receipt(order, &request, kind, lines, &seller)).await?;
    txn.commit().await?;
    Ok(request)
}
