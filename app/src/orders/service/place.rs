//! Placing an order: one transaction that re-prices from the database, takes the stock with a
//! conditional decrement per line, and writes the order with its snapshots.

use super::OrderError;
use super::mails;
use crate::cart::model::LineRequest;
use crate::cart::rules::subscription_months;
use crate::catalog::service::STATUS_ACTIVE;
use crate::db::entities::{order, order_event, order_line, product};
use crate::i18n::Locale;
use crate::money::to_cents;
use crate::money::{from_basis_points, from_cents, to_basis_points};
use crate::orders::model::OrderStatus;
use crate::orders::rules::{CleanDetails, order_number};
use crate::pricing::{self, BasketLine, PaymentMethod, PricingConfig, Shipping, VatMode};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rand::Rng;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter,
};

/// What the shopper asked for.
pub struct PlaceOrder<'a> {
    /// Makes the request safe to repeat: the same key always gives the same order.
    pub idempotency_key: &'a str,
    pub user_id: Option<i32>,
    pub locale: Locale,
    pub details: &'a CleanDetails,
    pub lines: &'a [LineRequest],
    pub payment_method: PaymentMethod,
    /// The terms version the shopper accepted (must be the one in force).
    pub terms_version: &'a str,
    /// The total the shopper reviewed; the order is refused when the price changed.
    pub expected_total: Option<Decimal>,
    pub now: DateTime<Utc>,
    /// When the order is cancelled if still unpaid.
    pub payment_due_at: DateTime<Utc>,
    /// The secret of the order's link.
    pub access_key: String,
    /// The shop's public origin (links in emails).
    pub site: &'a str,
    /// The code (promo or referral), credit and points the shopper chose at checkout.
    pub choices: crate::rewards::service::Choices<'a>,
}

/// The order placed, or the one an earlier request with the same key placed.
#[derive(Debug)]
pub struct Placed {
    pub order: order::Model,
    /// `false` when the key had already placed this order.
    pub created: bool,
}

/// Places the order `request` describes.
///
/// # Errors
/// [`OrderError`] for a cart that cannot be ordered as it stands (nothing is written then), or
/// the database error.
pub async fn place_order(
    db: &DatabaseConnection,
    config: &PricingConfig,
    request: &PlaceOrder<'_>,
) -> Result<Placed, OrderError> {
    if let Some(order) = by_key(db, request.idempotency_key).await? {
        return Ok(Placed {
            order,
            created: false,
        });
    }
    let in_force =
        crate::legal::service::terms_in_force(db, crate::clock::paris_today(request.now)).await?;
    if request.terms_version != in_force {
        return Err(OrderError::TermsChanged);
    }
    match try_place(db, config, request).await {
        Ok(order) => Ok(Placed {
            order,
            created: true,
        }),
        // Another request with the same key won the race (the unique index refused this one).
        Err(error) => match by_key(db, request.idempotency_key).await? {
            Some(order) => Ok(Placed {
                order,
                created: false,
            }),
            None => Err(error),
        },
    }
}

/// The order an earlier request with `key` placed, if any.
///
/// # Errors
/// The database error.
pub async fn find_by_key(db: &DatabaseConnection, key: &str) -> Result<Option<Placed>, OrderError> {
    Ok(by_key(db, key).await?.map(|order| Placed {
        order,
        created: false,
    }))
}

async fn by_key(
    db: &impl sea_orm::ConnectionTrait,
    key: &str,
) -> Result<Option<order::Model>, OrderError> {
    Ok(order::Entity::find()
        .filter(order::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

async fn try_place(
    db: &DatabaseConnection,
    config: &PricingConfig,
    request: &PlaceOrder<'_>,
) -> Result<order::Model, OrderError> {
    if request.lines.iter().any(|l| l.every_months.is_some()) && request.user_id.is_none() {
        return Err(OrderError::SubscriptionNeedsAccount);
    }
    let txn = crate::db::begin_write(db).await?;
    if let Some(order) = by_key(&txn, request.idempotency_key).await? {
        return Ok(order);
    }
    // Each order holds stock and emails its address: a bound on the orders one address gets,
    // counted from the orders themselves (a repeated request is the same order, found above).
    let limit = crate::throttle::ORDERS_PER_ADDRESS;
    let lately = order::Entity::find()
        .filter(order::Column::Email.eq(request.details.email.as_str()))
        .filter(order::Column::CreatedAt.gt(request.now - limit.window))
        .filter(order::Column::SubscriptionId.is_null())
        .count(&txn)
        .await?;
    if lately >= u64::try_from(limit.attempts).unwrap_or(0) {
        return Err(OrderError::TooManyOrders);
    }
    let order = write_order(
        &txn,
        config,
        &OrderDraft {
            idempotency_key: request.idempotency_key,
            user_id: request.user_id,
            email: &request.details.email,
            locale: request.locale,
            details: request.details,
            lines: request.lines,
            payment_method: request.payment_method,
            terms_version: request.terms_version,
            expected_total: request.expected_total,
            now: request.now,
            payment_due_at: request.payment_due_at,
            access_key: request.access_key.clone(),
            renewal: None,
            actor: "shopper",
            choices: request.choices,
        },
    )
    .await?;
    let order = if order.total_cents == 0 {
        // Covered by store credit to the cent: nothing to pay, so paid now (invoice and
        // confirmation included), no provider asked for zero euros.
        super::lifecycle::mark_paid(&txn, request.site, order.id, "store_credit", request.now)
            .await?;
        order::Entity::find_by_id(order.id)
            .one(&txn)
            .await?
            .ok_or(OrderError::NotFound)?
    } else {
        if matches!(
            request.payment_method,
            PaymentMethod::BankTransfer | PaymentMethod::Cheque
        ) {
            mails::awaiting_payment(&txn, &order, request.site, request.now).await?;
        }
        order
    };
    txn.commit().await?;
    Ok(order)
}

/// An order to write: a shopper's, or a subscription's renewal.
pub(crate) struct OrderDraft<'a> {
    pub idempotency_key: &'a str,
    pub user_id: Option<i32>,
    pub email: &'a str,
    pub locale: Locale,
    pub details: &'a CleanDetails,
    pub lines: &'a [LineRequest],
    pub payment_method: PaymentMethod,
    pub terms_version: &'a str,
    pub expected_total: Option<Decimal>,
    pub now: DateTime<Utc>,
    pub payment_due_at: DateTime<Utc>,
    pub access_key: String,
    /// A renewal: its subscription and the delivery it is for.
    pub renewal: Option<(i32, NaiveDate)>,
    /// Who placed it (the order's first event).
    pub actor: &'a str,
    /// The shopper's advantages (a renewal has none).
    pub choices: crate::rewards::service::Choices<'a>,
}

/// Writes `draft` in `txn`: re-priced from the database, the stock taken with a conditional
/// decrement per line, the order with its snapshots, its lines and its first event.
///
/// # Errors
/// [`OrderError`] for lines that cannot be ordered as they stand (the caller rolls back), or the
/// database error.
pub(crate) async fn write_order(
    txn: &DatabaseTransaction,
    config: &PricingConfig,
    draft: &OrderDraft<'_>,
) -> Result<order::Model, OrderError> {
    let lines = draft.lines;
    if lines.is_empty() {
        return Err(OrderError::EmptyCart);
    }
    pricing::check_size(lines.len(), lines.iter().map(|l| l.quantity))?;
    for (i, line) in lines.iter().enumerate() {
        if lines[..i].iter().any(|l| l.product_id == line.product_id) {
            return Err(OrderError::DuplicateLine);
        }
    }
    let ids: Vec<i32> = lines.iter().map(|l| l.product_id).collect();
    let products = product::Entity::find()
        .filter(product::Column::Id.is_in(ids))
        .all(txn)
        .await?;
    let mut basket = Vec::with_capacity(lines.len());
    let mut sold = Vec::with_capacity(lines.len());
    for line in lines {
        let Some(p) = products.iter().find(|p| p.id == line.product_id) else {
            return Err(OrderError::NotOnSale(format!("#{}", line.product_id)));
        };
        let name = p.sold_name(draft.locale == crate::i18n::Locale::En);
        if p.status != STATUS_ACTIVE {
            return Err(OrderError::NotOnSale(name));
        }
        if let Some(months) = line.every_months
            && !subscription_months(&p.subscription_months).contains(&months)
        {
            return Err(OrderError::FrequencyUnavailable(name));
        }
        basket.push(BasketLine {
            product_id: p.id,
            unit_price: from_cents(p.price_cents),
            vat_rate: from_basis_points(p.vat_rate_bp),
            quantity: line.quantity,
            weight_grams: u32::try_from(p.shipping_weight_grams).unwrap_or(0),
            subscription: line.every_months.is_some(),
        });
        sold.push((p, name, line.quantity, line.every_months));
    }
    // The advantages, checked again here against the basket as priced now.
    let chosen = if draft.renewal.is_some() {
        Vec::new()
    } else {
        let plain = pricing::quote(config, draft.details.destination, &basket, &[])?;
        let customer = crate::rewards::service::Customer {
            email: draft.email,
            user_id: draft.user_id,
            delivery: &draft.details.delivery,
        };
        let settings = crate::rewards::service::settings(txn).await?;
        // What the basket holds decides, not what the shopper's form said.
        let choices = crate::rewards::service::Choices {
            recurring: basket.iter().any(|l| l.subscription),
            ..draft.choices
        };
        let chosen = crate::rewards::service::choose(
            txn,
            &settings,
            draft.locale,
            &plain,
            choices,
            &customer,
            draft.now,
        )
        .await?;
        crate::rewards::service::all_there(choices, &chosen)?;
        chosen
    };
    let adjustments: Vec<pricing::Adjustment> =
        chosen.iter().map(|c| c.adjustment.clone()).collect();
    let quote = pricing::quote(config, draft.details.destination, &basket, &adjustments)?;
    if quote.shipping == Shipping::Unavailable {
        return Err(OrderError::CannotDeliver);
    }
    if !quote.payment_methods.contains(&draft.payment_method) {
        return Err(OrderError::MethodNotAllowed);
    }
    if draft.expected_total.is_some_and(|t| t != quote.total) {
        return Err(OrderError::TotalChanged);
    }
    // Stock: one conditional decrement per product, in id order (two carts never wait on each
    // other in opposite orders). Nothing is read then written: the database checks and takes.
    let mut by_id: Vec<&(&product::Model, String, u32, Option<u8>)> = sold.iter().collect();
    by_id.sort_by_key(|(p, _, _, _)| p.id);
    for (p, name, quantity, _) in by_id {
        let taken = product::Entity::update_many()
            .col_expr(
                product::Column::Stock,
                Expr::col(product::Column::Stock).sub(i32::try_from(*quantity).unwrap_or(i32::MAX)),
            )
            .filter(product::Column::Id.eq(p.id))
            .filter(product::Column::Status.eq(STATUS_ACTIVE))
            .filter(product::Column::Stock.gte(i32::try_from(*quantity).unwrap_or(i32::MAX)))
            .exec(txn)
            .await?;
        if taken.rows_affected != 1 {
            return Err(OrderError::Unavailable(name.clone()));
        }
    }
    let number = loop {
        let candidate = {
            let mut rng = rand::rng();
            order_number(draft.now.year(), |n| rng.random_range(0..n))
        };
        let taken = order::Entity::find()
            .filter(order::Column::Number.eq(&candidate))
            .one(txn)
            .await?;
        if taken.is_none() {
            break candidate;
        }
    };
    let details = draft.details;
    let discount: Decimal = quote.adjustments.iter().map(|a| a.amount).sum();
    let order = order::ActiveModel {
        vat_country: Set(config
            .oss_country(draft.details.destination)
            .map(str::to_owned)),
        number: Set(number),
        idempotency_key: Set(draft.idempotency_key.to_owned()),
        user_id: Set(draft.user_id),
        email: Set(draft.email.to_owned()),
        locale: Set(draft.locale.code().to_owned()),
        status: Set(OrderStatus::PendingPayment.code().to_owned()),
        payment_method: Set(draft.payment_method.code().to_owned()),
        destination: Set(details.destination.code().to_owned()),
        vat_mode: Set(match quote.vat_mode {
            VatMode::Included => "included",
            VatMode::Excluded => "excluded",
        }
        .to_owned()),
        terms_version: Set(draft.terms_version.to_owned()),
        title: Set(details.title.clone()),
        first_name: Set(details.first_name.clone()),
        last_name: Set(details.last_name.clone()),
        phone: Set(details.phone.clone()),
        delivery_address: Set(serde_json::to_string(&details.delivery).unwrap_or_default()),
        billing_address: Set(serde_json::to_string(&details.billing).unwrap_or_default()),
        subtotal_cents: Set(to_cents(quote.subtotal)?),
        discount_cents: Set(to_cents(discount)?),
        shipping_cents: Set(to_cents(quote.shipping.amount())?),
        total_cents: Set(to_cents(quote.total)?),
        vat_lines: Set(serde_json::to_string(&quote.vat).unwrap_or_default()),
        adjustments: Set(serde_json::to_string(&quote.adjustments).unwrap_or_else(|_| "[]".into())),
        access_key: Set(draft.access_key.clone()),
        created_at: Set(draft.now),
        updated_at: Set(draft.now),
        paid_at: Set(None),
        payment_due_at: Set(draft.payment_due_at),
        subscription_id: Set(draft.renewal.map(|(id, _)| id)),
        period_on: Set(draft.renewal.map(|(_, on)| on)),
        charge_attempts: Set(0),
        // A renewal is charged by the subscription worker, from now.
        next_charge_at: Set(draft.renewal.map(|_| draft.now)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    // Each line's share of the store credit spent (given back as credit on a return).
    let credit_by_line: Vec<Decimal> = chosen
        .iter()
        .zip(&quote.adjustments)
        .find(|(c, _)| matches!(c.advantage, crate::rewards::service::Advantage::StoreCredit))
        .map(|(_, applied)| applied.by_line.clone())
        .unwrap_or_default();
    let lines: Vec<order_line::ActiveModel> = quote
        .lines
        .iter()
        .zip(&sold)
        .enumerate()
        .map(|(i, (line, (p, name, _, every)))| {
            Ok(order_line::ActiveModel {
                order_id: Set(order.id),
                product_id: Set(p.id),
                sku: Set(p.sku.clone()),
                name: Set(name.clone()),
                quantity: Set(i32::try_from(line.quantity).unwrap_or(i32::MAX)),
                catalogue_price_cents: Set(p.price_cents),
                unit_price_cents: Set(to_cents(line.unit_price)?),
                // The rate charged: the product's, or under OSS the destination's.
                // A rate in percent times 100 is its basis points.
                vat_rate_bp: Set(to_basis_points(line.vat_rate)?),
                total_cents: Set(to_cents(line.total)?),
                paid_cents: Set(to_cents(line.paid)?),
                credit_cents: Set(credit_by_line
                    .get(i)
                    .copied()
                    .map(to_cents)
                    .transpose()?
                    .unwrap_or(0)),
                every_months: Set(every.map(i32::from)),
                ..Default::default()
            })
        })
        .collect::<Result<_, crate::money::OutOfRange>>()?;
    order_line::Entity::insert_many(lines).exec(txn).await?;
    crate::rewards::service::take(txn, &chosen, &quote, &order, draft.now).await?;
    order_event::ActiveModel {
        order_id: Set(order.id),
        from_status: Set(None),
        to_status: Set(OrderStatus::PendingPayment.code().to_owned()),
        actor: Set(draft.actor.to_owned()),
        note: Set(Some(format!("terms {}", draft.terms_version))),
        created_at: Set(draft.now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(order)
}
