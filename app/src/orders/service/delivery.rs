//! Deliveries from the carrier: shipped parcels La Poste follows (Colissimo, Chronopost) are
//! asked about every few hours, and one the carrier delivered is marked delivered at the
//! carrier's own moment — the day the 14 days of withdrawal run from (art. L221-18), even when
//! nobody at the shop pressed "delivered". Safe with several instances: an order is claimed by
//! a conditional update before its parcel is asked about, and the move to delivered is
//! conditional too.

use super::OrderError;
use super::lifecycle::transition;
use crate::db::entities::{order, order_event};
use crate::orders::model::OrderStatus;
use crate::orders::rules::Carrier;
use crate::orders::tracking::LaPosteTracking;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// A parcel is asked about again after this long.
pub const ASK_EVERY_HOURS: i64 = 6;
/// At most this many parcels per round.
pub const PER_ROUND: u64 = 200;

/// What a round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub asked: usize,
    pub delivered: usize,
    pub failed: usize,
}

/// Asks `carrier` about the shipped parcels it follows not asked in the last
/// [`ASK_EVERY_HOURS`], and marks delivered those it delivered.
///
/// # Errors
/// The database error (the carrier's are counted in [`Round::failed`] and logged).
pub async fn follow(
    db: &DatabaseConnection,
    carrier: &LaPosteTracking,
    site: &str,
    now: DateTime<Utc>,
) -> Result<Round, OrderError> {
    let followed: Vec<&str> = Carrier::ALL
        .into_iter()
        .filter(|c| LaPosteTracking::follows(*c))
        .map(Carrier::code)
        .collect();
    let stale = Condition::any()
        .add(order::Column::TrackingCheckedAt.is_null())
        .add(order::Column::TrackingCheckedAt.lt(now - Duration::hours(ASK_EVERY_HOURS)));
    let due = order::Entity::find()
        .filter(order::Column::Status.eq(OrderStatus::Shipped.code()))
        .filter(order::Column::TrackingCarrier.is_in(followed))
        .filter(order::Column::TrackingNumber.is_not_null())
        .filter(stale.clone())
        .order_by_asc(order::Column::TrackingCheckedAt)
        .limit(PER_ROUND)
        .all(db)
        .await?;
    let mut round = Round::default();
    for parcel in due {
        // Ours to ask, unless another instance claimed it meanwhile.
        let claimed = order::Entity::update_many()
            .col_expr(order::Column::TrackingCheckedAt, Expr::value(Some(now)))
            .filter(order::Column::Id.eq(parcel.id))
            .filter(order::Column::Status.eq(OrderStatus::Shipped.code()))
            .filter(stale.clone())
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        round.asked += 1;
        let number = parcel.tracking_number.as_deref().unwrap_or_default();
        let at = match carrier.delivered(number).await {
            Ok(Some(at)) => at,
            Ok(None) => continue,
            Err(error) => {
                tracing::warn!(order = %parcel.number, %error, "carrier tracking");
                round.failed += 1;
                continue;
            }
        };
        if delivered(db, &parcel, at, site, now).await? {
            round.delivered += 1;
        }
    }
    Ok(round)
}

/// Marks `parcel` delivered at `at` (the carrier's moment, kept between its shipping and
/// `now`), with the customer's email. Returns whether this call made the move.
async fn delivered(
    db: &DatabaseConnection,
    parcel: &order::Model,
    at: DateTime<Utc>,
    site: &str,
    now: DateTime<Utc>,
) -> Result<bool, OrderError> {
    let txn = crate::db::begin_write(db).await?;
    let shipped = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(parcel.id))
        .filter(order_event::Column::ToStatus.eq(OrderStatus::Shipped.code()))
        .order_by_desc(order_event::Column::CreatedAt)
        .one(&txn)
        .await?
        .map_or(at, |e| e.created_at);
    let at = at.clamp(shipped.min(now), now);
    let note = format!("La Poste {}", crate::orders::tracking::DELIVERED);
    let moved = transition(
        &txn,
        parcel.id,
        OrderStatus::Delivered,
        "carrier",
        Some(note),
        at,
    )
    .await?
    .is_some();
    if moved {
        let order = super::view::by_id(&txn, parcel.id).await?;
        super::mails::delivered(&txn, &order, site, now).await?;
    }
    txn.commit().await?;
    Ok(moved)
}
