//! Cart reminders, with consent. A signed-in customer who asked for them (in their account, off
//! by default) and left a non-empty cart untouched for [`AFTER_HOURS`] gets one email with the
//! cart and a link back to it; one per cart (a changed cart is a new one); never to an account
//! that objected to marketing or unsubscribed its address from the shop's marketing emails.
//! The email says why it is sent and how to stop it.
//!
//! The job runs on every instance: each cart is claimed by a conditional update (reminded at
//! most once, whoever gets there first) in the same transaction as its email.

use crate::cart::rules::parse_cookie;
use crate::db::entities::{newsletter_subscription, product, saved_cart, user};
use crate::email::{self, Email};
use crate::i18n::Locale;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QuerySelect,
};
use std::collections::HashMap;

/// How long a cart is left untouched before it is reminded.
pub const AFTER_HOURS: i64 = 24;
/// The email kind.
pub const EMAIL_KIND: &str = "cart_reminder";
/// Carts looked at per round.
const BATCH: u64 = 200;

/// Turns the signed-in customer's reminders on (in `locale`) or off.
///
/// # Errors
/// The database error.
pub async fn set_reminders(
    db: &impl ConnectionTrait,
    user_id: i32,
    on: Option<Locale>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::CartReminders,
            Expr::value(on.map(|l| l.code().to_owned())),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The addresses whose owner unsubscribed from the shop's marketing emails.
async fn unsubscribed(db: &impl ConnectionTrait, emails: &[String]) -> Result<Vec<String>, DbErr> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    newsletter_subscription::Entity::find()
        .select_only()
        .column(newsletter_subscription::Column::Email)
        .filter(newsletter_subscription::Column::Email.is_in(emails.iter().cloned()))
        .filter(newsletter_subscription::Column::UnsubscribedAt.is_not_null())
        .into_tuple()
        .all(db)
        .await
}

/// The email reminding `lines` (name and quantity) to `to`, in `locale`.
pub(crate) fn reminder<'a>(
    to: &'a str,
    first_name: &str,
    lines: &[(String, u32)],
    locale: Locale,
    site: &str,
) -> Email<'a> {
    let list: String = lines
        .iter()
        .map(|(name, quantity)| format!("- {quantity} × {name}\n"))
        .collect();
    let (subject, body) = match locale {
        Locale::Fr => (
            "Votre panier vous attend".to_owned(),
            format!(
                "Bonjour {first_name},\n\nVous avez laissé ces produits dans votre panier :\n\n{list}\nIl vous attend ici : {site}/cart\n\nVous recevez ce rappel, un seul par panier, parce que vous l'avez demandé dans votre compte. Pour ne plus en recevoir : {site}/account/privacy#cart-reminders\n"
            ),
        ),
        Locale::En => (
            "Your cart is waiting".to_owned(),
            format!(
                "Hello {first_name},\n\nYou left these products in your cart:\n\n{list}\nIt is waiting for you here: {site}/cart\n\nYou get this reminder, one per cart, because you asked for it in your account. To stop them: {site}/account/privacy#cart-reminders\n"
            ),
        ),
    };
    Email {
        to,
        kind: EMAIL_KIND,
        subject,
        body,
        locale,
    }
}

/// Reminds, at `now`, every cart that is due. Returns how many were reminded.
///
/// # Errors
/// The database error (the carts reminded before it stay reminded).
pub async fn run_reminders(
    db: &DatabaseConnection,
    site: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let due = now - Duration::hours(AFTER_HOURS);
    let carts = saved_cart::Entity::find()
        .filter(saved_cart::Column::RemindedAt.is_null())
        .filter(saved_cart::Column::UpdatedAt.lte(due))
        .filter(
            saved_cart::Column::UserId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(user::Column::Id)
                    .from(user::Entity)
                    .and_where(user::Column::CartReminders.is_not_null())
                    .and_where(user::Column::DeletedAt.is_null())
                    .and_where(user::Column::ObjectedAt.is_null())
                    .to_owned(),
            ),
        )
        .limit(BATCH)
        .all(db)
        .await?;
    let accounts: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(carts.iter().map(|c| c.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let emails: Vec<String> = accounts.values().map(|u| u.email.clone()).collect();
    let unsubscribed = unsubscribed(db, &emails).await?;
    let mut reminded = 0;
    for cart in carts {
        let Some(account) = accounts.get(&cart.user_id) else {
            continue;
        };
        if unsubscribed.contains(&account.email) {
            continue;
        }
        let (_, lines) = parse_cookie(&cart.content);
        if lines.is_empty() {
            continue;
        }
        let locale = account
            .cart_reminders
            .as_deref()
            .and_then(Locale::from_code)
            .unwrap_or(Locale::Fr);
        let ids: Vec<i32> = lines.iter().map(|l| l.product_id).collect();
        let names: HashMap<i32, String> = product::Entity::find()
            .filter(product::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.sold_name(locale == Locale::En)))
            .collect();
        let named: Vec<(String, u32)> = lines
            .iter()
            .filter_map(|l| names.get(&l.product_id).map(|n| (n.clone(), l.quantity)))
            .collect();
        if named.is_empty() {
            continue;
        }
        let txn = crate::db::begin_write(db).await?;
        // Claimed only if nobody reminded it and it did not change since it was read.
        let claimed = saved_cart::Entity::update_many()
            .col_expr(saved_cart::Column::RemindedAt, Expr::value(Some(now)))
            .filter(saved_cart::Column::UserId.eq(cart.user_id))
            .filter(saved_cart::Column::RemindedAt.is_null())
            .filter(
                Condition::all()
                    .add(saved_cart::Column::UpdatedAt.eq(cart.updated_at))
                    .add(saved_cart::Column::Content.eq(cart.content.as_str())),
            )
            .exec(&txn)
            .await?
            .rows_affected;
        if claimed == 1 {
            email::queue(
                &txn,
                reminder(&account.email, &account.first_name, &named, locale, site),
                now,
            )
            .await?;
            reminded += 1;
        }
        txn.commit().await?;
    }
    Ok(reminded)
}
