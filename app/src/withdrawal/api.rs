//! Server functions of the withdrawal function: three steps kept in the session (the order,
//! the lines, the confirmation), usable without signing in; and the staff's list and refund.

use super::rules::{DeclaredLine, LinePick, OrderedLine, RequestKind};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
const STEP: &str = "withdrawal.step";

/// Where a request stands in this browser.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Step {
    order_id: i32,
    kind: Option<RequestKind>,
    picked: Option<Vec<DeclaredLine>>,
}

/// What the withdrawal pages show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalView {
    pub number: String,
    pub kind: RequestKind,
    /// The end of the period (none yet before delivery: 14 days after it).
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    pub lines: Vec<OrderedLine>,
    /// After the review: the lines declared and the refund.
    pub picked: Option<Vec<DeclaredLine>>,
    pub refund_cents: i64,
}

/// A request as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffWithdrawal {
    pub id: i32,
    pub reference: String,
    pub number: String,
    pub kind: RequestKind,
    pub status: String,
    pub lines: Vec<DeclaredLine>,
    pub refund_cents: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The refund is due by then (14 days after the request, art. L221-24).
    pub refund_due: chrono::DateTime<chrono::Utc>,
    /// Not refunded and past that date.
    pub overdue: bool,
}

#[cfg(feature = "ssr")]
fn refusal(error: super::service::WithdrawalError) -> AppError {
    use super::service::WithdrawalError;
    use crate::i18n::{Locale, Msg};
    let locale = crate::i18n::request_locale();
    match error {
        WithdrawalError::NoMatch => AppError::BadRequest(locale.t(Msg::WithdrawalNoMatch).into()),
        WithdrawalError::NotPaid => AppError::BadRequest(locale.t(Msg::WithdrawalNotPaid).into()),
        WithdrawalError::NotDelivered => {
            AppError::BadRequest(locale.t(Msg::WithdrawalNotDelivered).into())
        }
        WithdrawalError::Closed { since } => {
            let when = crate::ui::format::paris_time(locale, since);
            AppError::BadRequest(match locale {
                Locale::Fr => format!("Le délai est dépassé : il a pris fin le {when}."),
                Locale::En => format!("The period is over: it ended on {when}."),
            })
        }
        WithdrawalError::Changed => AppError::Conflict(locale.t(Msg::WithdrawalChanged).into()),
        WithdrawalError::Database(e) => AppError::internal(e),
    }
    .answered()
}

/// Step 1: the order number and the address it was placed with.
#[server(prefix = "/api", endpoint = "withdrawal/start")]
pub async fn start_withdrawal(number: String, email: String, kind: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let kind = RequestKind::from_code(&kind)
        .ok_or_else(|| AppError::BadRequest("withdrawal or missing_item".into()).answered())?;
    // Order numbers and addresses are not to be guessed: a few tries per client (a found order
    // gives its try back), and every mismatch answers alike.
    let client = crate::throttle::client_key("withdrawal", crate::security::client_ip().await);
    let now = state.clock.now();
    if !crate::throttle::take(&state.db, &client, crate::throttle::GUESSES_PER_IP, now).await? {
        return Err(crate::throttle::refusal());
    }
    let (order, _) = super::service::find_open(&state.db, &number, &email, kind, now)
        .await
        .map_err(refusal)?;
    crate::throttle::give_back(&state.db, &client).await?;
    let session = crate::account::api::ssr::session().await?;
    let step = Step {
        order_id: order.id,
        kind: Some(kind),
        picked: None,
    };
    session
        .insert(STEP, &step)
        .await
        .map_err(AppError::internal)?;
    leptos_axum::redirect("/withdrawal?step=lines");
    Ok(())
}

#[cfg(feature = "ssr")]
async fn current(
    state: &crate::state::AppState,
) -> Result<
    (
        tower_sessions::Session,
        Step,
        WithdrawalView,
        crate::db::entities::order::Model,
    ),
    AppError,
> {
    use crate::db::entities::order;
    use sea_orm::EntityTrait;
    let session = crate::account::api::ssr::session().await?;
    let step: Step = session
        .get(STEP)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| AppError::NotFound.answered())?;
    let kind = step.kind.ok_or_else(|| AppError::NotFound.answered())?;
    let order = order::Entity::find_by_id(step.order_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound.answered())?;
    let (_, until) = super::service::find_open(
        &state.db,
        &order.number,
        &order.email,
        kind,
        state.clock.now(),
    )
    .await
    .map_err(refusal)?;
    let lines = super::service::open_lines(&state.db, order.id).await?;
    let refund_cents = match step.picked.as_ref() {
        Some(picked) => {
            super::service::owed(&state.db, &order, kind, picked)
                .await?
                .cents
        }
        None => 0,
    };
    let view = WithdrawalView {
        number: order.number.clone(),
        kind,
        until,
        lines,
        picked: step.picked.clone(),
        refund_cents,
    };
    Ok((session, step, view, order))
}

/// The request in progress in this browser (404 when there is none).
#[server(prefix = "/api", endpoint = "withdrawal/view")]
pub async fn withdrawal_in_progress() -> Result<WithdrawalView, AppError> {
    let state = crate::state::app_state()?;
    current(&state).await.map(|(_, _, view, _)| view)
}

/// Step 2: the lines and quantities, each declared unopened for a withdrawal.
#[server(prefix = "/api", endpoint = "withdrawal/review")]
pub async fn review_withdrawal(lines: Vec<LinePick>) -> Result<(), AppError> {
    use super::rules::PickError;
    use crate::i18n::{Locale, Msg};
    let state = crate::state::app_state()?;
    let (session, mut step, view, _) = current(&state).await?;
    let locale = crate::i18n::request_locale();
    let declared = super::rules::declare(view.kind, &view.lines, &lines).map_err(|e| {
        AppError::BadRequest(match (e, locale) {
            (PickError::Nothing, _) => locale.t(Msg::WithdrawalPickNothing).to_owned(),
            (PickError::UnknownLine, _) => locale.t(Msg::ErrInvalidRequest).to_owned(),
            (PickError::TooMany { name }, Locale::Fr) => format!("Quantité trop grande pour « {name} »."),
            (PickError::TooMany { name }, Locale::En) => format!("Too many for \"{name}\"."),
            (PickError::Unsealed { name }, Locale::Fr) => format!(
                "« {name} » ne peut être repris que scellé : un complément alimentaire ou un cosmétique ouvert ne peut pas être retourné pour des raisons d'hygiène et de santé (article L221-28 du Code de la consommation)."
            ),
            (PickError::Unsealed { name }, Locale::En) => format!(
                "\"{name}\" can only be taken back sealed: an opened food supplement or cosmetic cannot be returned for reasons of hygiene and health (French Consumer Code, art. L221-28)."
            ),
        })
        .answered()
    })?;
    step.picked = Some(declared);
    session
        .insert(STEP, &step)
        .await
        .map_err(AppError::internal)?;
    leptos_axum::redirect("/withdrawal?step=confirm");
    Ok(())
}

/// Step 3: confirms; the request is recorded and its receipt emailed.
#[server(prefix = "/api", endpoint = "withdrawal/confirm")]
pub async fn confirm_withdrawal() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let (session, step, view, order) = current(&state).await?;
    let Some(picked) = step.picked else {
        return Err(AppError::BadRequest("Choisissez d'abord les articles.".into()).answered());
    };
    // The lines may have changed since the review (another request): checked again in the
    // request's own transaction.
    let picks: Vec<LinePick> = picked
        .iter()
        .map(|d| LinePick {
            line_id: d.line_id,
            quantity: d.quantity,
            sealed: Some("yes".into()),
        })
        .collect();
    let request = super::service::submit(&state.db, &order, view.kind, &picks, state.clock.now())
        .await
        .map_err(refusal)?;
    let _ = session.remove::<Step>(STEP).await;
    leptos_axum::redirect(&format!("/withdrawal?done={}", request.reference));
    Ok(())
}

/// Every request, newest first (staff).
#[server(prefix = "/api", endpoint = "admin/withdrawals")]
pub async fn staff_withdrawals() -> Result<Vec<StaffWithdrawal>, AppError> {
    use crate::db::entities::{order, withdrawal_request};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let state = crate::state::app_state()?;
    crate::account::api::ssr::require_staff(&state).await?;
    let now = state.clock.now();
    let requests = withdrawal_request::Entity::find()
        .order_by_desc(withdrawal_request::Column::Id)
        .limit(500)
        .all(&state.db)
        .await?;
    let ids: Vec<i32> = requests.iter().map(|r| r.order_id).collect();
    let orders = order::Entity::find()
        .filter(order::Column::Id.is_in(ids))
        .all(&state.db)
        .await?;
    let rows: Result<Vec<StaffWithdrawal>, sea_orm::DbErr> = requests
        .into_iter()
        .map(|r| {
            let refund_due = r
                .refund_due_at
                .unwrap_or_else(|| super::rules::refund_due(r.created_at, false));
            Ok(StaffWithdrawal {
                id: r.id,
                number: orders
                    .iter()
                    .find(|o| o.id == r.order_id)
                    .map(|o| o.number.clone())
                    .unwrap_or_default(),
                refund_due,
                overdue: r.status == super::service::RECEIVED && now > refund_due,
                reference: r.reference,
                kind: RequestKind::from_code(&r.kind).unwrap_or(RequestKind::Withdrawal),
                status: r.status,
                lines: crate::db::json::read("withdrawal_requests.lines", &r.lines)?,
                refund_cents: r.refund_cents,
                created_at: r.created_at,
            })
        })
        .collect();
    Ok(rows?)
}

/// Refunds a request (staff): its amount, through the provider that took the payment, with a
/// credit note; done once.
#[server(prefix = "/api", endpoint = "admin/withdrawals/refund")]
pub async fn refund_withdrawal(id: i32) -> Result<(), AppError> {
    use crate::db::entities::{order, withdrawal_request};
    use crate::orders::service::refund::{RefundRequest, refund_order};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let state = crate::state::app_state()?;
    let staff = crate::account::api::ssr::require_staff(&state).await?;
    let request = withdrawal_request::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound.answered())?;
    if request.status == super::service::REFUNDED {
        leptos_axum::redirect("/admin/withdrawals");
        return Ok(());
    }
    let order = order::Entity::find_by_id(request.order_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound.answered())?;
    let now = state.clock.now();
    let actor = format!("staff:{}", staff.id);
    refund_order(
        &state.db,
        &state.payments,
        &state.site.public_url,
        &RefundRequest {
            number: &order.number,
            amount: Some(rust_decimal::Decimal::new(request.refund_cents, 2)),
            lines: &[],
            vat_split: request
                .vat_split
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok()),
            reason: &format!("{} {}", request.kind, request.reference),
            actor: &actor,
            idempotency_key: &format!("withdrawal-{}-refund", request.id),
            now,
            cancel: None,
            // Withdrawn: the money goes back the way it came (art. L221-24).
            method: crate::orders::service::refund::RefundMethod::Original,
            credit_back: Some(request.credit_cents),
        },
    )
    .await?;
    withdrawal_request::Entity::update_many()
        .col_expr(
            withdrawal_request::Column::Status,
            Expr::value(super::service::REFUNDED),
        )
        .col_expr(
            withdrawal_request::Column::HandledAt,
            Expr::value(Some(now)),
        )
        .col_expr(
            withdrawal_request::Column::HandledBy,
            Expr::value(Some(actor.clone())),
        )
        .filter(withdrawal_request::Column::Id.eq(request.id))
        .exec(&state.db)
        .await?;
    leptos_axum::redirect("/admin/withdrawals?refunded=1");
    Ok(())
}
