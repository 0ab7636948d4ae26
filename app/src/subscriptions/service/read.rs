//! What a customer and staff see of subscriptions, and the addresses one can be sent to.

use super::*;

/// The subscriptions `models` as shown, each with its product (as sold now), its customer's
/// address and its latest order: three queries whatever their number.
pub(super) async fn views(
    db: &impl ConnectionTrait,
    models: &[subscription::Model],
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Vec<SubscriptionView>, DbErr> {
    use std::collections::{BTreeSet, HashMap};
    if models.is_empty() {
        return Ok(Vec::new());
    }
    let ids = |of: fn(&subscription::Model) -> i32| -> Vec<i32> {
        models
            .iter()
            .map(of)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let products: HashMap<i32, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(ids(|m| m.product_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let emails: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids(|m| m.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    // The latest order of each: its newest renewal, else the order that started it.
    let mut started: HashMap<i32, Vec<i32>> = HashMap::new();
    for model in models {
        started
            .entry(model.origin_order_id)
            .or_default()
            .push(model.id);
    }
    let mut last_orders: HashMap<i32, (i32, String)> = HashMap::new();
    for o in order::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(order::Column::SubscriptionId.is_in(ids(|m| m.id)))
                .add(order::Column::Id.is_in(ids(|m| m.origin_order_id))),
        )
        .all(db)
        .await?
    {
        let of = o.subscription_id.into_iter();
        for subscription_id in of.chain(started.get(&o.id).into_iter().flatten().copied()) {
            let newest = last_orders
                .get(&subscription_id)
                .is_none_or(|(id, _)| o.id > *id);
            if newest {
                last_orders.insert(subscription_id, (o.id, o.number.clone()));
            }
        }
    }
    Ok(models
        .iter()
        .map(|model| {
            let product = products.get(&model.product_id);
            let status = status_of(model);
            let running = status == SubscriptionStatus::Active;
            let deadline = running.then(|| cancellation_deadline(model.next_delivery_on));
            let delivery = snapshot(&model.delivery_address)
                .map(|a| {
                    let country = Destination::parse(&a.country)
                        .map_or_else(|| a.country.clone(), |d| d.name(locale).to_owned());
                    a.lines(&country)
                })
                .unwrap_or_default();
            SubscriptionView {
                id: model.id,
                product_name: product
                    .map(|p| p.sold_name(locale == crate::i18n::Locale::En))
                    .unwrap_or_default(),
                product_slug: product.map(|p| p.slug.clone()).unwrap_or_default(),
                image: product.map(|p| p.image.clone()).unwrap_or_default(),
                quantity: u32::try_from(model.quantity).unwrap_or(0),
                every_months: u8::try_from(model.every_months).unwrap_or(1),
                offered_months: product
                    .map(|p| subscription_months(&p.subscription_months))
                    .unwrap_or_default(),
                status,
                started_on: model.anchor_on,
                next_delivery: running.then_some(model.next_delivery_on),
                cancellation_deadline: deadline,
                late: deadline.is_some_and(|deadline| now > deadline),
                ends_after: model.ends_after.filter(|_| running),
                price: product
                    .map(|p| from_cents(p.price_cents * i64::from(model.quantity)))
                    .unwrap_or_default(),
                delivery,
                last_order: last_orders.get(&model.id).map(|(_, n)| n.clone()),
                ended_at: model.ended_at,
                customer_email: emails.get(&model.user_id).cloned().unwrap_or_default(),
            }
        })
        .collect())
}

/// The subscriptions of account `user_id`, running ones first, then newest first.
///
/// # Errors
/// The database error.
pub async fn of_user(
    db: &DatabaseConnection,
    user_id: i32,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Vec<SubscriptionView>, DbErr> {
    let models = subscription::Entity::find()
        .filter(subscription::Column::UserId.eq(user_id))
        .order_by_desc(subscription::Column::Id)
        .all(db)
        .await?;
    let mut views = views(db, &models, locale, now).await?;
    views.sort_by_key(|v| v.status != SubscriptionStatus::Active);
    Ok(views)
}

/// Every subscription, for staff: running ones first, newest first (at most 500).
///
/// # Errors
/// The database error.
pub async fn all(
    db: &DatabaseConnection,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Vec<SubscriptionView>, DbErr> {
    use sea_orm::QuerySelect;
    let models = subscription::Entity::find()
        .order_by_asc(subscription::Column::Status)
        .order_by_desc(subscription::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    views(db, &models, locale, now).await
}

/// Subscription `id` if it belongs to `user_id` (`None` also for someone else's).
pub(super) async fn owned(
    db: &impl ConnectionTrait,
    user_id: i32,
    id: i32,
) -> Result<subscription::Model, SubscriptionError> {
    subscription::Entity::find_by_id(id)
        .filter(subscription::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(SubscriptionError::NotFound)
}

/// The addresses of `user_id`'s book a subscription may be sent to.
///
/// # Errors
/// The database error.
pub async fn address_choices(
    db: &DatabaseConnection,
    user_id: i32,
    locale: Locale,
) -> Result<Vec<AddressChoice>, DbErr> {
    Ok(address::Entity::find()
        .filter(address::Column::UserId.eq(user_id))
        .order_by_desc(address::Column::IsDefault)
        .order_by_asc(address::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| {
            let country = Destination::parse(&a.country)?;
            Some(AddressChoice {
                id: a.id,
                summary: format!(
                    "{} {}, {}, {} {}, {}",
                    a.first_name,
                    a.last_name,
                    a.line1,
                    a.postal_code,
                    a.city,
                    country.name(locale)
                ),
            })
        })
        .collect())
}
