//! Paying an order through a provider: starting a payment, and applying what the provider says
//! about it (from the webhook, the shopper's return, or the expiry sweep — whichever comes
//! first makes the move, the others find nothing left to do).

use super::OrderError;
use super::hooks::{OrderHooks, PaidOrder};
use super::lifecycle::{cancel_unpaid, mark_paid};
use crate::db::entities::{order, order_line, payment};
use crate::money::from_cents;
use crate::orders::model::OrderStatus;
use crate::payments::{CardHolder, NewPayment, PaymentStatus, ProviderError, Providers};
use crate::pricing::PaymentMethod;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter,
};

/// The path of an order's page, with its key (what the shopper's links and redirects use).
pub fn order_path(order: &order::Model) -> String {
    format!("/orders/{}?key={}", order.number, order.access_key)
}

/// The open payment of `order` at a provider: its provider's name and hosted page.
///
/// # Errors
/// The database error.
pub async fn open_checkout(
    db: &DatabaseConnection,
    order: &order::Model,
) -> Result<Option<(String, String)>, OrderError> {
    if order.status != OrderStatus::PendingPayment.code() {
        return Ok(None);
    }
    Ok(payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order.id))
        .filter(payment::Column::Status.eq(PaymentStatus::Open.code()))
        .one(db)
        .await?
        .and_then(|p| p.checkout_url.map(|url| (p.provider, url))))
}

/// Where the shopper goes after a form that starts a payment: `next` itself when it is a page
/// of this site (the demo provider's, the order's), else the hand-off page that links to the
/// provider. A form's answer never redirects to another origin: the pages' CSP says
/// `form-action 'self'`, which browsers apply to every redirect after a form post — the
/// provider's page and any bank page it redirects to would be blocked.
pub fn after_form(order: &order::Model, next: String) -> String {
    let local = next.starts_with('/') && !next.starts_with("//");
    if local {
        next
    } else {
        format!("/orders/{}/pay?key={}", order.number, order.access_key)
    }
}

/// Where to send the shopper to pay `order`: the provider's page of its open payment (created
/// when there is none), or the order's page for a bank transfer or cheque, or a settled order.
///
/// # Errors
/// [`OrderError::Provider`] when the provider cannot be reached (the order stays pending and
/// the shopper can try again), or the database error.
pub async fn start_payment(
    db: &DatabaseConnection,
    providers: &Providers,
    public_url: &str,
    order: &order::Model,
    now: DateTime<Utc>,
) -> Result<String, OrderError> {
    let method = PaymentMethod::from_code(&order.payment_method);
    let online = !matches!(
        method,
        None | Some(PaymentMethod::BankTransfer | PaymentMethod::Cheque)
    );
    if !online || order.status != OrderStatus::PendingPayment.code() {
        return Ok(order_path(order));
    }
    let open = payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order.id))
        .filter(payment::Column::Status.eq(PaymentStatus::Open.code()))
        .one(db)
        .await?;
    if let Some(url) = open.and_then(|p| p.checkout_url) {
        return Ok(url);
    }
    // An order with a subscription is paid through the recurring provider, which keeps the
    // card for the renewals.
    let subscription = order.subscription_id.is_some()
        || order_line::Entity::find()
            .filter(order_line::Column::OrderId.eq(order.id))
            .filter(order_line::Column::EveryMonths.is_not_null())
            .count(db)
            .await?
            > 0;
    let provider = providers.for_order(subscription).ok_or_else(|| {
        OrderError::Provider(ProviderError::Unavailable(format!(
            "no {} payment provider is configured",
            if subscription { "recurring" } else { "one-off" }
        )))
    })?;
    let base = public_url.trim_end_matches('/');
    // One key per attempt, numbered by the payments already over: concurrent requests for
    // the same attempt get the same payment.
    let attempt = payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order.id))
        .filter(payment::Column::Status.ne(PaymentStatus::Open.code()))
        .count(db)
        .await?;
    let created = provider
        .create(NewPayment {
            amount: from_cents(order.total_cents),
            description: format!("Comptoir Botanique {}", order.number),
            method: method.unwrap_or(PaymentMethod::Card),
            redirect_url: format!("{base}{}", order_path(order)),
            webhook_url: format!("{base}/webhooks/{}", provider.name()),
            idempotency_key: format!("{}-{}", order.number, attempt + 1),
            save_card: subscription.then(|| CardHolder {
                email: order.email.clone(),
                name: format!("{} {}", order.first_name, order.last_name),
            }),
        })
        .await?;
    let recorded = payment::ActiveModel {
        order_id: Set(order.id),
        provider: Set(provider.name().to_owned()),
        provider_ref: Set(created.id.clone()),
        method: Set(order.payment_method.clone()),
        amount_cents: Set(order.total_cents),
        status: Set(created.status.code().to_owned()),
        checkout_url: Set(created.checkout_url.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    if let Err(error) = recorded {
        // A concurrent request recorded the same payment (unique per provider and id).
        let known = payment::Entity::find()
            .filter(payment::Column::Provider.eq(provider.name()))
            .filter(payment::Column::ProviderRef.eq(&created.id))
            .one(db)
            .await?;
        if known.is_none() {
            return Err(error.into());
        }
    }
    created
        .checkout_url
        .ok_or_else(|| OrderError::Provider(ProviderError::Unavailable("no checkout page".into())))
}

/// Applies the provider's status of payment `provider_ref` to its order. Returns `false` for
/// a payment the shop does not know (a webhook for someone else's id: answered alike, nothing
/// done).
///
/// # Errors
/// [`OrderError::Provider`] when the provider cannot be asked, or the database error.
pub async fn sync_payment(
    db: &DatabaseConnection,
    providers: &Providers,
    hooks: &dyn OrderHooks,
    site: &str,
    provider_name: &str,
    provider_ref: &str,
    now: DateTime<Utc>,
) -> Result<bool, OrderError> {
    let Some(provider) = providers.named(provider_name) else {
        return Ok(false);
    };
    let known = payment::Entity::find()
        .filter(payment::Column::Provider.eq(provider.name()))
        .filter(payment::Column::ProviderRef.eq(provider_ref))
        .one(db)
        .await?;
    let Some(known) = known else {
        return Ok(false);
    };
    // Always the provider's word, never the notification's.
    let remote = match provider.get(provider_ref).await {
        Ok(remote) => remote,
        Err(ProviderError::NotFound) => return Ok(false),
        Err(error) => return Err(error.into()),
    };
    if remote.status == PaymentStatus::Open || known.status == remote.status.code() {
        // Nothing new (a replayed notification).
        return Ok(true);
    }
    let txn = crate::db::begin_write(db).await?;
    payment::Entity::update_many()
        .col_expr(payment::Column::Status, Expr::value(remote.status.code()))
        .col_expr(
            payment::Column::CheckoutUrl,
            Expr::value(Option::<String>::None),
        )
        .col_expr(payment::Column::UpdatedAt, Expr::value(now))
        .filter(payment::Column::Id.eq(known.id))
        .exec(&txn)
        .await?;
    let actor = format!("provider:{}", provider.name());
    let received = crate::money::to_cents(remote.amount)?;
    if remote.status == PaymentStatus::Paid && received != known.amount_cents {
        // Paid, but not what the order asked: held for staff, never marked paid.
        super::held::hold(
            &txn,
            known.order_id,
            &actor,
            received,
            known.amount_cents,
            now,
        )
        .await?;
    } else if remote.status == PaymentStatus::Paid {
        if mark_paid(&txn, site, known.order_id, &actor, now).await? {
            hooks
                .order_paid(
                    &txn,
                    PaidOrder {
                        order_id: known.order_id,
                        provider: provider.name(),
                        mandate: remote.mandate.as_deref(),
                        now,
                    },
                )
                .await?;
        } else {
            let order = order::Entity::find_by_id(known.order_id).one(&txn).await?;
            if order.is_some_and(|o| o.status == OrderStatus::Cancelled.code()) {
                // Paid after the order was cancelled: staff must refund it.
                tracing::warn!(payment = %provider_ref, "payment succeeded for a cancelled order");
            }
        }
    } else if remote.status.is_final_failure() {
        cancel_unpaid(
            &txn,
            site,
            known.order_id,
            &actor,
            remote.status.code(),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// Asks the provider about every open payment of order `order_id`; returns the order's status
/// afterwards (`None` for an unknown order).
///
/// # Errors
/// As [`sync_payment`].
pub async fn sync_order(
    db: &DatabaseConnection,
    providers: &Providers,
    hooks: &dyn OrderHooks,
    site: &str,
    order_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<OrderStatus>, OrderError> {
    let open = payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order_id))
        .filter(payment::Column::Status.eq(PaymentStatus::Open.code()))
        .all(db)
        .await?;
    for payment in open {
        sync_payment(
            db,
            providers,
            hooks,
            site,
            &payment.provider,
            &payment.provider_ref,
            now,
        )
        .await?;
    }
    Ok(order::Entity::find_by_id(order_id)
        .one(db)
        .await?
        .and_then(|o| OrderStatus::from_code(&o.status)))
}

/// Asks the provider about the payments still open after `after` (their notification may have
/// been lost, or the provider could not be reached then), applying what it says. Returns how
/// many it asked about; a provider that cannot be reached leaves them for the next round.
///
/// # Errors
/// The database error.
pub async fn reconcile_open_payments(
    db: &DatabaseConnection,
    providers: &Providers,
    hooks: &dyn OrderHooks,
    site: &str,
    after: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<usize, OrderError> {
    use sea_orm::{QueryOrder, QuerySelect};
    let open = payment::Entity::find()
        .filter(payment::Column::Status.eq(PaymentStatus::Open.code()))
        .filter(payment::Column::CreatedAt.lte(now - after))
        .order_by_asc(payment::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    let mut asked = 0;
    for payment in open {
        match sync_payment(
            db,
            providers,
            hooks,
            site,
            &payment.provider,
            &payment.provider_ref,
            now,
        )
        .await
        {
            Ok(_) => asked += 1,
            Err(OrderError::Provider(error)) => {
                tracing::warn!(%error, payment = %payment.provider_ref, "provider not reachable; next round");
                break;
            }
            Err(error) => return Err(error),
        }
    }
    Ok(asked)
}
