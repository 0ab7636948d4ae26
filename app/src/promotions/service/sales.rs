//! Sales in the database: scheduling and cancelling them, and putting in force on each product
//! the price its running sales give it (and back when they end).
//!
//! A product's price in force stays in `products.price_cents`, so the listing, the cart, the
//! order and the price history read one column and agree. [`apply`] moves every product whose
//! sale has started, ended, been cancelled or been beaten by a better one, in one transaction
//! (an order placed meanwhile sees every price before or every price after), each product by a
//! conditional update on what was read (so instances running it together write each change
//! once). It runs when staff schedule or cancel a sale, after a product is saved, and on every
//! instance at each sale's start and end (`server::sales`).

use super::{SaveError, resolve_scope};
use crate::catalog::rules::REFERENCE_DAYS;
use crate::catalog::service::prices::lowest_before;
use crate::db::entities::{product, sale};
use crate::promotions::rules::Scope;
use crate::promotions::rules::sales::{Cut, SaleRule, best_sale};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The most sales the back office lists.
pub const LISTED: u64 = 200;

/// The rule a stored sale holds.
///
/// # Errors
/// The stored cut or scope is corrupt.
pub fn rule(model: &sale::Model) -> Result<SaleRule, DbErr> {
    let ids: Vec<i32> = crate::db::json::read("sales.scope_ids", &model.scope_ids)?;
    let cut = Cut::from_stored(&model.kind, model.amount).ok_or_else(|| {
        DbErr::Custom(format!(
            "sale {}: corrupt cut {} {}",
            model.id, model.kind, model.amount
        ))
    })?;
    Ok(SaleRule {
        name: model.name.clone(),
        cut,
        starts_at: model.starts_at,
        ends_at: model.ends_at,
        scope: match model.scope.as_str() {
            "products" => Scope::Products(ids),
            "categories" => Scope::Categories(ids),
            _ => Scope::All,
        },
    })
}

/// Schedules sale `rule` (its scope named by `slugs`) and puts in force what it changes now.
///
/// # Errors
/// [`SaveError::UnknownSlug`], or the database error.
pub async fn create(
    txn: &impl ConnectionTrait,
    mut rule: SaleRule,
    slugs: &[String],
    now: DateTime<Utc>,
) -> Result<sale::Model, SaveError> {
    rule.scope = resolve_scope(txn, &rule.scope, slugs).await?;
    let (kind, amount) = rule.cut.stored();
    let created = sale::ActiveModel {
        name: Set(rule.name.clone()),
        kind: Set(kind.to_owned()),
        amount: Set(amount),
        scope: Set(rule.scope.code().to_owned()),
        scope_ids: Set(serde_json::to_string(rule.scope.ids()).unwrap_or_else(|_| "[]".into())),
        starts_at: Set(rule.starts_at),
        ends_at: Set(rule.ends_at),
        cancelled_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    apply(txn, now, None).await?;
    Ok(created)
}

/// Cancels sale `id` (scheduled or running; a running one ends now) and puts the prices back.
///
/// # Errors
/// [`DbErr::RecordNotFound`] for a sale unknown, over or already cancelled; the database error.
pub async fn cancel(
    txn: &impl ConnectionTrait,
    id: i32,
    now: DateTime<Utc>,
) -> Result<sale::Model, DbErr> {
    let done = sale::Entity::update_many()
        .col_expr(sale::Column::CancelledAt, Expr::value(now))
        .filter(sale::Column::Id.eq(id))
        .filter(sale::Column::CancelledAt.is_null())
        .filter(sale::Column::EndsAt.gt(now))
        .exec(txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(DbErr::RecordNotFound(format!("sale {id} (or over)")));
    }
    apply(txn, now, None).await?;
    sale::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("sale {id}")))
}

/// The sales staff see, the latest starts first, with how many products each prices now.
///
/// # Errors
/// The database error.
pub async fn listed(db: &impl ConnectionTrait) -> Result<Vec<(sale::Model, u64)>, DbErr> {
    let sales = sale::Entity::find()
        .order_by_desc(sale::Column::StartsAt)
        .order_by_desc(sale::Column::Id)
        .limit(LISTED)
        .all(db)
        .await?;
    let counts: HashMap<i32, i64> = product::Entity::find()
        .select_only()
        .column(product::Column::SaleId)
        .column_as(product::Column::Id.count(), "n")
        .filter(product::Column::SaleId.is_not_null())
        .group_by(product::Column::SaleId)
        .into_tuple::<(Option<i32>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, n)))
        .collect();
    Ok(sales
        .into_iter()
        .map(|s| {
            let n = counts.get(&s.id).copied().unwrap_or(0);
            (s, u64::try_from(n).unwrap_or(0))
        })
        .collect())
}

/// The next moment a sale starts or ends after `now`, when [`apply`] must run again.
///
/// # Errors
/// The database error.
pub async fn next_change(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let mut next: Option<DateTime<Utc>> = None;
    for starts in [true, false] {
        let column = if starts {
            sale::Column::StartsAt
        } else {
            sale::Column::EndsAt
        };
        let found = sale::Entity::find()
            .filter(sale::Column::CancelledAt.is_null())
            .filter(column.gt(now))
            .order_by_asc(column)
            .one(db)
            .await?
            .map(|s| if starts { s.starts_at } else { s.ends_at });
        next = match (next, found) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(next)
}

/// A running sale as [`apply`] uses it.
struct Running {
    id: i32,
    cut: Cut,
    scope: Scope,
}

impl Running {
    fn covers(&self, p: &product::Model) -> bool {
        match &self.scope {
            Scope::All => true,
            Scope::Products(ids) => ids.contains(&p.id),
            Scope::Categories(ids) => ids.contains(&p.category_id),
        }
    }
}

/// Puts in force at `now`, on every product (or only on `only`), the price its running sales
/// give it: the best for the customer, against the catalogue price; the reference price (the
/// lowest of the 30 days before) is read from the price history when a product enters a sale
/// and kept while it stays on one (successive reductions are announced against the price
/// before the first). Returns how many products changed. Run it inside a transaction.
///
/// # Errors
/// The database error, or a stored sale that is corrupt.
pub async fn apply(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    only: Option<i32>,
) -> Result<u64, DbErr> {
    let mut changed = 0;
    for change in plan(txn, now, only).await? {
        changed += change.write(txn, now).await?;
    }
    Ok(changed)
}

/// A product's price to change: as it was read, and as it must be.
struct Change {
    read: product::Model,
    sale_id: Option<i32>,
    price: i64,
    before: Option<i64>,
    reference: Option<i64>,
}

impl Change {
    /// Writes it if the product is still as read: 1, or 0 when another run got there first.
    async fn write(&self, txn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
        let p = &self.read;
        let same = |column: product::Column, value: Option<i64>| match value {
            Some(v) => column.eq(v),
            None => column.is_null(),
        };
        let done = product::Entity::update_many()
            .col_expr(product::Column::PriceCents, Expr::value(self.price))
            .col_expr(product::Column::SaleId, Expr::value(self.sale_id))
            .col_expr(
                product::Column::PriceBeforeSaleCents,
                Expr::value(self.before),
            )
            .col_expr(
                product::Column::ReferencePriceCents,
                Expr::value(self.reference),
            )
            .col_expr(product::Column::UpdatedAt, Expr::value(now))
            .filter(product::Column::Id.eq(p.id))
            .filter(product::Column::PriceCents.eq(p.price_cents))
            .filter(same(product::Column::SaleId, p.sale_id.map(i64::from)))
            .filter(same(
                product::Column::PriceBeforeSaleCents,
                p.price_before_sale_cents,
            ))
            .exec(txn)
            .await?;
        Ok(done.rows_affected)
    }
}

/// What [`apply`] would change at `now`, read only.
async fn plan(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    only: Option<i32>,
) -> Result<Vec<Change>, DbErr> {
    let running: Vec<Running> = sale::Entity::find()
        .filter(sale::Column::CancelledAt.is_null())
        .filter(sale::Column::StartsAt.lte(now))
        .filter(sale::Column::EndsAt.gt(now))
        .all(txn)
        .await?
        .iter()
        .map(|s| {
            rule(s).map(|r| Running {
                id: s.id,
                cut: r.cut,
                scope: r.scope,
            })
        })
        .collect::<Result<_, _>>()?;
    // The products on a sale now, and those a running sale covers.
    let mut candidates = product::Entity::find();
    if let Some(id) = only {
        candidates = candidates.filter(product::Column::Id.eq(id));
    } else if !running.iter().any(|r| r.scope == Scope::All) {
        let mut any = Condition::any().add(product::Column::SaleId.is_not_null());
        let (mut products, mut categories) = (Vec::new(), Vec::new());
        for r in &running {
            match &r.scope {
                Scope::Products(ids) => products.extend_from_slice(ids),
                Scope::Categories(ids) => categories.extend_from_slice(ids),
                Scope::All => {}
            }
        }
        if !products.is_empty() {
            any = any.add(product::Column::Id.is_in(products));
        }
        if !categories.is_empty() {
            any = any.add(product::Column::CategoryId.is_in(categories));
        }
        candidates = candidates.filter(any);
    }
    let mut changes = Vec::new();
    for p in candidates
        .order_by_asc(product::Column::Id)
        .all(txn)
        .await?
    {
        let catalogue = p.price_before_sale_cents.unwrap_or(p.price_cents);
        let offers = running
            .iter()
            .filter(|r| r.covers(&p))
            .map(|r| (r.id, r.cut));
        let (sale_id, price, before, reference) = match (p.sale_id, best_sale(catalogue, offers)) {
            (None, None) => continue,
            (Some(_), None) => (None, catalogue, None, None),
            (None, Some((id, price))) => {
                let reference = lowest_before(txn, p.id, now, REFERENCE_DAYS).await?;
                (Some(id), price, Some(catalogue), reference)
            }
            (Some(current), Some((id, price))) => {
                if current == id && p.price_cents == price {
                    continue;
                }
                (
                    Some(id),
                    price,
                    p.price_before_sale_cents,
                    p.reference_price_cents,
                )
            }
        };
        changes.push(Change {
            read: p,
            sale_id,
            price,
            before,
            reference,
        });
    }
    Ok(changes)
}

/// [`apply`] in a transaction of its own when something is to change (the job's entry).
///
/// # Errors
/// The database error.
pub async fn apply_now(db: &sea_orm::DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    // Read first: most runs change nothing and take no write lock.
    if plan(db, now, None).await?.is_empty() {
        return Ok(0);
    }
    let txn = crate::db::begin_write(db).await?;
    let changed = apply(&txn, now, None).await?;
    txn.commit().await?;
    Ok(changed)
}
