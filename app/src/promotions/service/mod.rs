//! Promo codes in the database: saving staff's, finding the one a shopper typed with what it
//! takes off their basket, and taking or giving back a use; sales in [`sales`].

pub mod sales;

use super::rules::{Benefit, PromoRule, Scope};
use crate::db::entities::{category, product, promo_code, promo_redemption};
use crate::money::to_cents;
use crate::money::{from_basis_points, from_cents, to_basis_points};
use crate::pricing::{Adjustment, AdjustmentKind};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};

/// Why a code cannot be used on this basket.
#[derive(Debug, thiserror::Error)]
pub enum PromoRefusal {
    /// Unknown, switched off, not yet or no longer valid (one answer: no probing of codes).
    #[error("unknown or expired code")]
    Unknown,
    #[error("the basket is under the code's minimum")]
    Minimum(Decimal),
    #[error("the code has been used as many times as it may")]
    Exhausted,
    #[error("this customer has used the code as many times as they may")]
    AlreadyUsed,
    #[error("nothing in the basket is concerned")]
    NotApplicable,
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl From<crate::money::OutOfRange> for PromoRefusal {
    fn from(err: crate::money::OutOfRange) -> Self {
        PromoRefusal::Database(err.into())
    }
}

/// The rule a stored code holds.
///
/// # Errors
/// The stored JSON of its scope is corrupt.
pub fn rule(model: &promo_code::Model) -> Result<PromoRule, DbErr> {
    let ids: Vec<i32> = crate::db::json::read("promo_codes.scope_ids", &model.scope_ids)?;
    Ok(PromoRule {
        code: model.code.clone(),
        benefit: match model.kind.as_str() {
            "percent" => Benefit::Percent(
                i32::try_from(model.value).map_or(Decimal::ZERO, from_basis_points),
            ),
            _ => Benefit::Amount(from_cents(model.value)),
        },
        min_basket: model.min_basket_cents.map(from_cents),
        starts_on: model.starts_at.map(crate::clock::paris_today),
        // Stored as the instant the day after ends.
        ends_on: model
            .ends_at
            .map(|end| crate::clock::paris_today(end) - chrono::Duration::days(1)),
        max_uses: model.max_uses,
        max_uses_per_customer: model.max_uses_per_customer,
        scope: match model.scope.as_str() {
            "products" => Scope::Products(ids),
            "categories" => Scope::Categories(ids),
            _ => Scope::All,
        },
    })
}

/// Why a code could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("this code exists already")]
    Taken,
    /// A product or category address that names nothing.
    #[error("unknown address: {0}")]
    UnknownSlug(String),
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl From<crate::money::OutOfRange> for SaveError {
    fn from(err: crate::money::OutOfRange) -> Self {
        SaveError::Database(err.into())
    }
}

/// Creates code `rule` (its scope named by `slugs`), switched on.
///
/// # Errors
/// [`SaveError`].
pub async fn create(
    db: &impl ConnectionTrait,
    mut rule: PromoRule,
    slugs: &[String],
    now: DateTime<Utc>,
) -> Result<promo_code::Model, SaveError> {
    let taken = promo_code::Entity::find()
        .filter(promo_code::Column::Code.eq(rule.code.as_str()))
        .count(db)
        .await?;
    if taken > 0 {
        return Err(SaveError::Taken);
    }
    rule.scope = resolve_scope(db, &rule.scope, slugs).await?;
    let (kind, value) = match rule.benefit {
        Benefit::Percent(p) => ("percent", i64::from(to_basis_points(p)?)),
        Benefit::Amount(a) => ("amount", to_cents(a)?),
    };
    let paris = crate::clock::paris_midnight;
    Ok(promo_code::ActiveModel {
        code: Set(rule.code.clone()),
        kind: Set(kind.to_owned()),
        value: Set(value),
        min_basket_cents: Set(rule.min_basket.map(to_cents).transpose()?),
        starts_at: Set(rule.starts_on.map(paris)),
        ends_at: Set(rule
            .ends_on
            .map(|day| paris(day + chrono::Duration::days(1)))),
        max_uses: Set(rule.max_uses),
        max_uses_per_customer: Set(rule.max_uses_per_customer),
        scope: Set(rule.scope.code().to_owned()),
        scope_ids: Set(serde_json::to_string(rule.scope.ids()).unwrap_or_else(|_| "[]".into())),
        uses: Set(0),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// `scope` with the products or categories `slugs` name, by id.
///
/// # Errors
/// [`SaveError::UnknownSlug`] for an address that names nothing, or the database error.
pub async fn resolve_scope(
    db: &impl ConnectionTrait,
    scope: &Scope,
    slugs: &[String],
) -> Result<Scope, SaveError> {
    Ok(match scope {
        Scope::All => Scope::All,
        Scope::Products(_) => {
            // `slug` is a product with every size it has now; `slug?v=code` one size.
            let mut ids = Vec::new();
            for address in slugs {
                let (slug, code) = match address.split_once("?v=") {
                    Some((slug, code)) => (slug, Some(code)),
                    None => (address.as_str(), None),
                };
                let unknown = || SaveError::UnknownSlug(address.clone());
                let named = product::Entity::find()
                    .filter(product::Column::Slug.eq(slug))
                    .one(db)
                    .await?
                    .ok_or_else(unknown)?;
                let family = crate::catalog::variants::family(db, named.family_id()).await?;
                match code {
                    Some(code) => ids.push(
                        family
                            .iter()
                            .find(|v| v.variant_code == code)
                            .ok_or_else(unknown)?
                            .id,
                    ),
                    None if named.variant_of.is_none() => ids.extend(family.iter().map(|v| v.id)),
                    None => ids.push(named.id),
                }
            }
            ids.dedup();
            Scope::Products(ids)
        }
        Scope::Categories(_) => {
            let found = category::Entity::find()
                .filter(category::Column::Slug.is_in(slugs.iter().map(String::as_str)))
                .all(db)
                .await?;
            Scope::Categories(resolve(
                slugs,
                found.iter().map(|c| (c.slug.as_str(), c.id)),
            )?)
        }
    })
}

fn resolve<'a>(
    slugs: &[String],
    found: impl Iterator<Item = (&'a str, i32)>,
) -> Result<Vec<i32>, SaveError> {
    let found: Vec<(&str, i32)> = found.collect();
    slugs
        .iter()
        .map(|slug| {
            found
                .iter()
                .find(|(s, _)| s == slug)
                .map(|(_, id)| *id)
                .ok_or_else(|| SaveError::UnknownSlug(slug.clone()))
        })
        .collect()
}

/// Every code, newest first.
///
/// # Errors
/// The database error.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<promo_code::Model>, DbErr> {
    promo_code::Entity::find()
        .order_by_desc(promo_code::Column::Id)
        .all(db)
        .await
}

/// Who a code's "uses per customer" counts: the account, and the inbox of the order's address.
#[derive(Clone, Copy, Debug)]
pub struct PromoCustomer<'a> {
    pub user_id: Option<i32>,
    pub email: &'a str,
}

/// Code `code` checked against the basket `plain` prices (without any discount), ordered by
/// `customer` (when known) at `now`: the stored code and the adjustment it makes.
///
/// # Errors
/// [`PromoRefusal`] for why not.
pub async fn usable(
    db: &impl ConnectionTrait,
    code: &str,
    plain: &crate::pricing::Quote,
    customer: Option<PromoCustomer<'_>>,
    now: DateTime<Utc>,
) -> Result<(promo_code::Model, Adjustment), PromoRefusal> {
    let product_ids: Vec<i32> = plain.lines.iter().map(|l| l.product_id).collect();
    let code = super::rules::normalize_code(code).ok_or(PromoRefusal::Unknown)?;
    let model = promo_code::Entity::find()
        .filter(promo_code::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .filter(|m| m.active)
        .filter(|m| m.starts_at.is_none_or(|at| now >= at))
        .filter(|m| m.ends_at.is_none_or(|at| now < at))
        .ok_or(PromoRefusal::Unknown)?;
    let rule = rule(&model)?;
    if let Some(min) = rule.min_basket
        && plain.subtotal < min
    {
        return Err(PromoRefusal::Minimum(min));
    }
    if rule.max_uses.is_some_and(|max| model.uses >= max) {
        return Err(PromoRefusal::Exhausted);
    }
    if let (Some(max), Some(customer)) = (rule.max_uses_per_customer, customer)
        && used_by(db, model.id, customer).await? >= u64::try_from(max).unwrap_or(0)
    {
        return Err(PromoRefusal::AlreadyUsed);
    }
    let products = match &rule.scope {
        Scope::All => None,
        Scope::Products(ids) => Some(ids.clone()),
        Scope::Categories(ids) => Some(
            product::Entity::find()
                .filter(product::Column::Id.is_in(product_ids.iter().copied()))
                .filter(product::Column::CategoryId.is_in(ids.iter().copied()))
                .all(db)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect(),
        ),
    };
    if products
        .as_ref()
        .is_some_and(|ids| !product_ids.iter().any(|p| ids.contains(p)))
    {
        return Err(PromoRefusal::NotApplicable);
    }
    let adjustment = Adjustment {
        label: model.code.clone(),
        kind: match rule.benefit {
            Benefit::Percent(p) => AdjustmentKind::Percent(p),
            Benefit::Amount(a) => AdjustmentKind::Amount(a),
        },
        products,
    };
    Ok((model, adjustment))
}

/// Uses of code `promo_id` that still count and were `customer`'s: by their account (whatever
/// address its orders gave), or to the same inbox (`name+1@…` is `name@…`). Uses recorded
/// before addresses were stored canonical are found by their lower-cased address.
async fn used_by(
    db: &impl ConnectionTrait,
    promo_id: i32,
    customer: PromoCustomer<'_>,
) -> Result<u64, DbErr> {
    use crate::db::entities::order;
    use sea_orm::Condition;
    use sea_orm::sea_query::Query;
    let mut addresses = vec![
        customer.email.trim().to_lowercase(),
        super::rules::canonical_email(customer.email),
    ];
    addresses.dedup();
    let mut whose = Condition::any().add(promo_redemption::Column::Customer.is_in(addresses));
    if let Some(user_id) = customer.user_id {
        whose = whose.add(
            promo_redemption::Column::OrderId.in_subquery(
                Query::select()
                    .column(order::Column::Id)
                    .from(order::Entity)
                    .and_where(order::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        );
    }
    promo_redemption::Entity::find()
        .filter(promo_redemption::Column::PromoId.eq(promo_id))
        .filter(promo_redemption::Column::Released.eq(false))
        .filter(whose)
        .count(db)
        .await
}

/// Takes one use of `promo` for order `order_id`, in the order's transaction. The count goes up
/// first, by a conditional update: it holds the code's row until the transaction ends, so two
/// checkouts take turns, and the second sees the first's use (overall and for the customer).
///
/// # Errors
/// [`PromoRefusal::Exhausted`] or [`PromoRefusal::AlreadyUsed`] (the order must not be
/// placed), or the database error.
pub async fn redeem(
    txn: &impl ConnectionTrait,
    promo: &promo_code::Model,
    order_id: i32,
    customer: PromoCustomer<'_>,
    amount: Decimal,
    now: DateTime<Utc>,
) -> Result<(), PromoRefusal> {
    let mut update = promo_code::Entity::update_many()
        .col_expr(
            promo_code::Column::Uses,
            Expr::col(promo_code::Column::Uses).add(1),
        )
        .filter(promo_code::Column::Id.eq(promo.id))
        .filter(promo_code::Column::Active.eq(true));
    if let Some(max) = promo.max_uses {
        update = update.filter(promo_code::Column::Uses.lt(max));
    }
    if update.exec(txn).await?.rows_affected != 1 {
        return Err(PromoRefusal::Exhausted);
    }
    if let Some(max) = promo.max_uses_per_customer
        && used_by(txn, promo.id, customer).await? >= u64::try_from(max).unwrap_or(0)
    {
        return Err(PromoRefusal::AlreadyUsed);
    }
    promo_redemption::ActiveModel {
        promo_id: Set(promo.id),
        order_id: Set(order_id),
        customer: Set(super::rules::canonical_email(customer.email)),
        amount_cents: Set(to_cents(amount)?),
        released: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Gives back the use order `order_id` took (it was cancelled before being paid).
///
/// # Errors
/// The database error.
pub async fn release(txn: &impl ConnectionTrait, order_id: i32) -> Result<(), DbErr> {
    let Some(used) = promo_redemption::Entity::find()
        .filter(promo_redemption::Column::OrderId.eq(order_id))
        .filter(promo_redemption::Column::Released.eq(false))
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    promo_redemption::Entity::update_many()
        .col_expr(promo_redemption::Column::Released, Expr::value(true))
        .filter(promo_redemption::Column::Id.eq(used.id))
        .exec(txn)
        .await?;
    promo_code::Entity::update_many()
        .col_expr(
            promo_code::Column::Uses,
            Expr::col(promo_code::Column::Uses).sub(1),
        )
        .filter(promo_code::Column::Id.eq(used.promo_id))
        .filter(promo_code::Column::Uses.gt(0))
        .exec(txn)
        .await?;
    Ok(())
}

/// Switches code `id` on or off.
///
/// # Errors
/// The database error; `RecordNotFound` for an unknown id.
pub async fn set_active(
    db: &impl ConnectionTrait,
    id: i32,
    active: bool,
    now: DateTime<Utc>,
) -> Result<promo_code::Model, DbErr> {
    let updated = promo_code::Entity::update_many()
        .col_expr(promo_code::Column::Active, Expr::value(active))
        .col_expr(promo_code::Column::UpdatedAt, Expr::value(now))
        .filter(promo_code::Column::Id.eq(id))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(DbErr::RecordNotFound(format!("promo code {id}")));
    }
    promo_code::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("promo code {id}")))
}
