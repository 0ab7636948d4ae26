//! Packing slips: what goes in the parcel of each order, for whoever packs it. Lines and
//! quantities without prices (the parcel may be a gift), the delivery address, the order number
//! (printed as a Code 128 barcode by the server's PDF writer).

use super::OrderFilter;
use crate::db::entities::{order, order_line};
use crate::i18n::Locale;
use crate::pricing::Destination;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// Slips printed at once at most (a day's parcels); the list's filter narrows a larger set.
pub const MAX_SLIPS: u64 = 200;

/// A line of a slip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlipLine {
    pub sku: String,
    pub name: String,
    pub quantity: i32,
}

/// One order's packing slip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackingSlip {
    pub number: String,
    /// The day it was placed, `05/12/2026` (Paris).
    pub placed_on: String,
    /// The delivery address as printed on a label.
    pub address: Vec<String>,
    pub lines: Vec<SlipLine>,
    /// The customer's language (the slip goes in their parcel).
    pub locale: Locale,
}

fn slip(order: &order::Model, lines: Vec<order_line::Model>) -> PackingSlip {
    let locale = Locale::from_code(&order.locale).unwrap_or(Locale::Fr);
    let (delivery, _) = crate::orders::service::invoice::addresses(order);
    let country = Destination::parse(&delivery.country)
        .map_or_else(|| delivery.country.clone(), |d| d.name(locale).to_owned());
    PackingSlip {
        number: order.number.clone(),
        placed_on: crate::clock::paris_today(order.created_at)
            .format("%d/%m/%Y")
            .to_string(),
        address: delivery.lines(&country),
        lines: lines
            .into_iter()
            .map(|l| SlipLine {
                sku: l.sku,
                name: l.name,
                quantity: l.quantity,
            })
            .collect(),
        locale,
    }
}

/// The lines of orders `ids`, by order, in the order they were added.
///
/// # Errors
/// The database error.
pub(crate) async fn lines_by_order(
    db: &DatabaseConnection,
    ids: Vec<i32>,
) -> Result<std::collections::HashMap<i32, Vec<order_line::Model>>, DbErr> {
    let mut lines: std::collections::HashMap<i32, Vec<order_line::Model>> = Default::default();
    if !ids.is_empty() {
        for line in order_line::Entity::find()
            .filter(order_line::Column::OrderId.is_in(ids))
            .order_by_asc(order_line::Column::Id)
            .all(db)
            .await?
        {
            lines.entry(line.order_id).or_default().push(line);
        }
    }
    Ok(lines)
}

async fn with_lines(
    db: &DatabaseConnection,
    orders: Vec<order::Model>,
) -> Result<Vec<PackingSlip>, DbErr> {
    let mut lines = lines_by_order(db, orders.iter().map(|o| o.id).collect()).await?;
    Ok(orders
        .iter()
        .map(|o| slip(o, lines.remove(&o.id).unwrap_or_default()))
        .collect())
}

/// The slip of order `number`, if there is one.
///
/// # Errors
/// The database error.
pub async fn of_order(db: &DatabaseConnection, number: &str) -> Result<Option<PackingSlip>, DbErr> {
    let Some(order) = order::Entity::find()
        .filter(order::Column::Number.eq(number.trim().to_uppercase()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(with_lines(db, vec![order]).await?.pop())
}

/// The slips of the orders the list shows with `filter` (every page, oldest first: the order
/// they are packed in), at most [`MAX_SLIPS`].
///
/// # Errors
/// The database error.
pub async fn of_list(
    db: &DatabaseConnection,
    filter: OrderFilter,
) -> Result<Vec<PackingSlip>, DbErr> {
    let (_, find) = super::ssr::apply(filter, order::Entity::find());
    let orders = find
        .order_by_asc(order::Column::Id)
        .limit(MAX_SLIPS)
        .all(db)
        .await?;
    with_lines(db, orders).await
}
