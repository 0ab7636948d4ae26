//! A product's price history (written by a trigger on `products`, migration 40) and the
//! reference price of a reduction read from it.

use crate::catalog::rules::lowest_price;
use crate::db::entities::price_history;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// The last `limit` prices of product `product_id`, newest first: `(since, cents)`.
///
/// # Errors
/// The database error.
pub async fn history(
    db: &impl ConnectionTrait,
    product_id: i32,
    limit: u64,
) -> Result<Vec<(DateTime<Utc>, i64)>, DbErr> {
    Ok(price_history::Entity::find()
        .filter(price_history::Column::ProductId.eq(product_id))
        .order_by_desc(price_history::Column::ValidFrom)
        .order_by_desc(price_history::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.valid_from, row.price_cents))
        .collect())
}

/// The lowest price of product `product_id` in the `days` days before `at` (see
/// [`lowest_price`]): the changes in the window and the last one before it, two queries.
///
/// # Errors
/// The database error.
pub async fn lowest_before(
    db: &impl ConnectionTrait,
    product_id: i32,
    at: DateTime<Utc>,
    days: i64,
) -> Result<Option<i64>, DbErr> {
    let start = at - Duration::days(days);
    let mut rows = price_history::Entity::find()
        .filter(price_history::Column::ProductId.eq(product_id))
        .filter(price_history::Column::ValidFrom.gt(start))
        .filter(price_history::Column::ValidFrom.lt(at))
        .order_by_asc(price_history::Column::ValidFrom)
        .order_by_asc(price_history::Column::Id)
        .all(db)
        .await?;
    let opening = price_history::Entity::find()
        .filter(price_history::Column::ProductId.eq(product_id))
        .filter(price_history::Column::ValidFrom.lte(start))
        .order_by_desc(price_history::Column::ValidFrom)
        .order_by_desc(price_history::Column::Id)
        .one(db)
        .await?;
    rows.splice(0..0, opening);
    let history: Vec<_> = rows.iter().map(|r| (r.valid_from, r.price_cents)).collect();
    Ok(lowest_price(&history, at, days))
}
