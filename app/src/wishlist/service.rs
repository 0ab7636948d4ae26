//! The wishlist and the back-in-stock alerts (server only).
//!
//! **Alerts.** One row per product and address. A signed-in customer's request waits at once
//! (their address is verified); a visitor's waits only once they open the emailed link (valid
//! [`CONFIRM_DAYS`]), and the answer to a request is always the same, so it never tells what an
//! address asked before. [`dispatch`] (after every stock adjustment, and every minute on every
//! instance for stock that came back another way: a cancelled order, another instance) claims
//! each waiting alert of a product on sale with stock by a conditional update, in the same
//! transaction as its email: one email per request, once, whoever gets there first.

use super::model::{
    AlertStatus, CONFIRM_DAYS, MAX_ITEMS, SENT_KEPT_DAYS, SavedProduct, WAIT_DAYS, Watching,
};
use crate::account::service::tokens::{new_token, token_hash};
use crate::db::entities::product::{self, STATUS_ACTIVE};
use crate::db::entities::{stock_alert, wishlist_item};
use crate::email::{self, Email};
use crate::i18n::Locale;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The email kinds.
pub const CONFIRM_KIND: &str = "stock_alert_confirm";
pub const BACK_KIND: &str = "stock_alert";
/// Alerts claimed per round of [`dispatch`].
const BATCH: u64 = 500;

/// What can go wrong with the wishlist or an alert.
#[derive(Debug, thiserror::Error)]
pub enum WishlistError {
    /// No such product on sale.
    #[error("no such product")]
    NotFound,
    /// An alert asked for a product that can be ordered now.
    #[error("the product is in stock")]
    InStock,
    /// The wishlist holds [`MAX_ITEMS`] products already.
    #[error("the wishlist is full")]
    Full,
    #[error(transparent)]
    Database(#[from] DbErr),
}

async fn product_on_sale(
    db: &impl ConnectionTrait,
    product_id: i32,
) -> Result<product::Model, WishlistError> {
    product::Entity::find_by_id(product_id)
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .one(db)
        .await?
        .ok_or(WishlistError::NotFound)
}

/// What the pages show of `user_id`'s (at `email`) wishlist and alerts.
///
/// # Errors
/// The database error.
pub async fn watching(
    db: &impl ConnectionTrait,
    user_id: i32,
    email: &str,
) -> Result<Watching, DbErr> {
    let saved = wishlist_item::Entity::find()
        .select_only()
        .column(wishlist_item::Column::ProductId)
        .filter(wishlist_item::Column::UserId.eq(user_id))
        .into_tuple::<i32>()
        .all(db)
        .await?;
    Ok(Watching {
        email: Some(email.to_owned()),
        saved,
        alerts: waiting_for(db, email).await?,
    })
}

/// The products whose return `email` waits for (confirmed alerts not sent yet).
async fn waiting_for(db: &impl ConnectionTrait, email: &str) -> Result<Vec<i32>, DbErr> {
    stock_alert::Entity::find()
        .select_only()
        .column(stock_alert::Column::ProductId)
        .filter(stock_alert::Column::Email.eq(email))
        .filter(stock_alert::Column::Status.eq(AlertStatus::Waiting.code()))
        .into_tuple::<i32>()
        .all(db)
        .await
}

/// How many confirmed alerts wait for product `product_id` to come back (staff's demand signal).
///
/// # Errors
/// The database error.
pub async fn waiting_count(db: &impl ConnectionTrait, product_id: i32) -> Result<u64, DbErr> {
    stock_alert::Entity::find()
        .filter(stock_alert::Column::ProductId.eq(product_id))
        .filter(stock_alert::Column::Status.eq(AlertStatus::Waiting.code()))
        .count(db)
        .await
}

/// Puts product `product_id` in `user_id`'s wishlist (`saved`) or takes it out. Idempotent: a
/// form sent twice leaves the same wishlist.
///
/// # Errors
/// [`WishlistError::NotFound`] to add a product not on sale, [`WishlistError::Full`], or the
/// database error.
pub async fn set_saved(
    db: &DatabaseConnection,
    user_id: i32,
    product_id: i32,
    saved: bool,
    now: DateTime<Utc>,
) -> Result<(), WishlistError> {
    if !saved {
        wishlist_item::Entity::delete_many()
            .filter(wishlist_item::Column::UserId.eq(user_id))
            .filter(wishlist_item::Column::ProductId.eq(product_id))
            .exec(db)
            .await?;
        return Ok(());
    }
    product_on_sale(db, product_id).await?;
    let held = wishlist_item::Entity::find()
        .filter(wishlist_item::Column::UserId.eq(user_id))
        .count(db)
        .await?;
    if held >= MAX_ITEMS {
        return Err(WishlistError::Full);
    }
    wishlist_item::Entity::insert(wishlist_item::ActiveModel {
        user_id: Set(user_id),
        product_id: Set(product_id),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            wishlist_item::Column::UserId,
            wishlist_item::Column::ProductId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// `user_id`'s wishlist, newest first, in `locale`: products archived since are left out.
///
/// # Errors
/// The database error.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: i32,
    email: &str,
    locale: Locale,
) -> Result<Vec<SavedProduct>, DbErr> {
    let items = wishlist_item::Entity::find()
        .filter(wishlist_item::Column::UserId.eq(user_id))
        .order_by_desc(wishlist_item::Column::CreatedAt)
        .order_by_desc(wishlist_item::Column::Id)
        .all(db)
        .await?;
    let products: HashMap<i32, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(items.iter().map(|i| i.product_id)))
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let alerts = waiting_for(db, email).await?;
    Ok(items
        .into_iter()
        .filter_map(|item| {
            let p = products.get(&item.product_id)?;
            Some(SavedProduct {
                product: crate::cart::service::cart_product(locale, p),
                alert: alerts.contains(&p.id),
                added_at: item.created_at,
            })
        })
        .collect())
}

/// Who asks for an alert.
#[derive(Clone, Copy, Debug)]
pub enum Asker<'a> {
    /// A signed-in customer (their address is verified): the alert waits at once.
    Account { id: i32, email: &'a str },
    /// A visitor at this address (already normalised): confirmed by the emailed link.
    Visitor { email: &'a str },
}

/// Asks to be emailed, in `locale`, when product `product_id` is back in stock.
///
/// # Errors
/// [`WishlistError::NotFound`] for a product not on sale, [`WishlistError::InStock`] for one
/// that can be ordered now, or the database error.
pub async fn ask(
    db: &DatabaseConnection,
    product_id: i32,
    asker: Asker<'_>,
    locale: Locale,
    site: &str,
    now: DateTime<Utc>,
) -> Result<(), WishlistError> {
    let product = product_on_sale(db, product_id).await?;
    if product.stock > 0 {
        return Err(WishlistError::InStock);
    }
    let (email, user_id) = match asker {
        Asker::Account { id, email } => (email, Some(id)),
        Asker::Visitor { email } => (email, None),
    };
    let txn = crate::db::begin_write(db).await?;
    let existing = stock_alert::Entity::find()
        .filter(stock_alert::Column::ProductId.eq(product_id))
        .filter(stock_alert::Column::Email.eq(email))
        .one(&txn)
        .await?;
    if existing
        .as_ref()
        .is_some_and(|a| a.status == AlertStatus::Waiting.code())
    {
        // Asked and confirmed already: nothing to do, and the same answer.
        return Ok(());
    }
    let (status, token) = match user_id {
        Some(_) => (AlertStatus::Waiting, None),
        None => {
            let (token, hash) = new_token();
            (AlertStatus::Pending, Some((token, hash)))
        }
    };
    let confirmed_at = user_id.map(|_| now);
    let hash = token.as_ref().map(|(_, hash)| hash.clone());
    match existing {
        Some(row) => {
            stock_alert::Entity::update_many()
                .col_expr(stock_alert::Column::Status, Expr::value(status.code()))
                .col_expr(stock_alert::Column::UserId, Expr::value(user_id))
                .col_expr(stock_alert::Column::Locale, Expr::value(locale.code()))
                .col_expr(stock_alert::Column::ConfirmTokenHash, Expr::value(hash))
                .col_expr(stock_alert::Column::RequestedAt, Expr::value(now))
                .col_expr(stock_alert::Column::ConfirmedAt, Expr::value(confirmed_at))
                .col_expr(
                    stock_alert::Column::SentAt,
                    Expr::value(None::<DateTime<Utc>>),
                )
                .filter(stock_alert::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
        }
        None => {
            stock_alert::Entity::insert(stock_alert::ActiveModel {
                product_id: Set(product_id),
                email: Set(email.to_owned()),
                user_id: Set(user_id),
                locale: Set(locale.code().to_owned()),
                status: Set(status.code().to_owned()),
                confirm_token_hash: Set(hash),
                requested_at: Set(now),
                confirmed_at: Set(confirmed_at),
                sent_at: Set(None),
                ..Default::default()
            })
            .exec_without_returning(&txn)
            .await?;
        }
    }
    if let Some((token, _)) = token {
        let name = &product.sold_name(locale == Locale::En);
        let link = format!("{site}/stock-alerts/confirm?token={token}");
        email::queue(&txn, confirm_email(email, name, &link, locale), now).await?;
    }
    txn.commit().await?;
    Ok(())
}

pub(crate) fn confirm_email<'a>(to: &'a str, name: &str, link: &str, locale: Locale) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Confirmez votre alerte de retour en stock",
            format!(
                "Bonjour,\n\nVous avez demandé à être prévenu(e) par e-mail du retour en stock de « {name} ». Pour confirmer, ouvrez ce lien (valable {CONFIRM_DAYS} jours) :\n{link}\n\nNous vous écrirons une seule fois, quand le produit sera de nouveau disponible ; votre adresse ne sert à rien d'autre. Sans confirmation, vous ne recevrez rien. Si ce n'était pas vous, ignorez cet e-mail.\n"
            ),
        ),
        Locale::En => (
            "Confirm your back-in-stock alert",
            format!(
                "Hello,\n\nYou asked to be emailed when “{name}” is back in stock. To confirm, open this link (valid for {CONFIRM_DAYS} days):\n{link}\n\nWe will write once, when the product is available again; your address is used for nothing else. Without confirmation you will receive nothing. If it was not you, ignore this email.\n"
            ),
        ),
    };
    Email {
        to,
        kind: CONFIRM_KIND,
        subject: subject.to_owned(),
        body,
        locale,
    }
}

pub(crate) fn back_email<'a>(to: &'a str, name: &str, link: &str, locale: Locale) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("« {name} » est de retour"),
            format!(
                "Bonjour,\n\n« {name} », que vous attendiez, est de nouveau disponible :\n{link}\n\nVous recevez cet e-mail parce que vous avez demandé à être prévenu(e) de son retour ; c'est le seul que nous vous enverrons à ce sujet.\n"
            ),
        ),
        Locale::En => (
            format!("“{name}” is back"),
            format!(
                "Hello,\n\n“{name}”, which you were waiting for, is available again:\n{link}\n\nYou receive this email because you asked to be told when it was back; it is the only one we will send about it.\n"
            ),
        ),
    };
    Email {
        to,
        kind: BACK_KIND,
        subject,
        body,
        locale,
    }
}

/// Confirms the visitor's alert of the emailed `token` (once, within [`CONFIRM_DAYS`]);
/// returns whether it did.
///
/// # Errors
/// The database error.
pub async fn confirm(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let claimed = stock_alert::Entity::update_many()
        .col_expr(
            stock_alert::Column::Status,
            Expr::value(AlertStatus::Waiting.code()),
        )
        .col_expr(stock_alert::Column::ConfirmedAt, Expr::value(Some(now)))
        .col_expr(
            stock_alert::Column::ConfirmTokenHash,
            Expr::value(None::<String>),
        )
        .filter(stock_alert::Column::ConfirmTokenHash.eq(token_hash(token.trim())))
        .filter(stock_alert::Column::Status.eq(AlertStatus::Pending.code()))
        .filter(stock_alert::Column::RequestedAt.gt(now - Duration::days(CONFIRM_DAYS)))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Emails every waiting alert of a product on sale that has stock again, each once (see the
/// module's note); returns how many went out.
///
/// # Errors
/// The database error (the round's claims and emails are rolled back together).
pub async fn dispatch(
    db: &DatabaseConnection,
    site: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let waiting = stock_alert::Entity::find()
        .select_only()
        .column(stock_alert::Column::ProductId)
        .distinct()
        .filter(stock_alert::Column::Status.eq(AlertStatus::Waiting.code()))
        .into_tuple::<i32>()
        .all(db)
        .await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let back: HashMap<i32, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(waiting))
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .filter(product::Column::Stock.gt(0))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    if back.is_empty() {
        return Ok(0);
    }
    let alerts = stock_alert::Entity::find()
        .filter(stock_alert::Column::Status.eq(AlertStatus::Waiting.code()))
        .filter(stock_alert::Column::ProductId.is_in(back.keys().copied()))
        .order_by_asc(stock_alert::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let txn = crate::db::begin_write(db).await?;
    let mut sent = 0;
    for alert in alerts {
        let Some(product) = back.get(&alert.product_id) else {
            continue;
        };
        let claimed = stock_alert::Entity::update_many()
            .col_expr(
                stock_alert::Column::Status,
                Expr::value(AlertStatus::Sent.code()),
            )
            .col_expr(stock_alert::Column::SentAt, Expr::value(Some(now)))
            .filter(stock_alert::Column::Id.eq(alert.id))
            .filter(stock_alert::Column::Status.eq(AlertStatus::Waiting.code()))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let locale = Locale::from_code(&alert.locale).unwrap_or_default();
        let name = &product.sold_name(locale == Locale::En);
        let link = format!("{site}/products/{}", product.slug);
        email::queue(&txn, back_email(&alert.email, name, &link, locale), now).await?;
        sent += 1;
    }
    txn.commit().await?;
    Ok(sent)
}

/// Deletes the alerts past their time (see `privacy::rules::RETENTION`): requests never
/// confirmed after [`CONFIRM_DAYS`], alerts sent [`SENT_KEPT_DAYS`] ago, alerts still waiting
/// after [`WAIT_DAYS`]; returns how many.
///
/// # Errors
/// The database error.
pub async fn purge(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let done = stock_alert::Entity::delete_many()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(stock_alert::Column::Status.eq(AlertStatus::Pending.code()))
                        .add(
                            stock_alert::Column::RequestedAt
                                .lte(now - Duration::days(CONFIRM_DAYS)),
                        ),
                )
                .add(
                    Condition::all()
                        .add(stock_alert::Column::Status.eq(AlertStatus::Sent.code()))
                        .add(stock_alert::Column::SentAt.lte(now - Duration::days(SENT_KEPT_DAYS))),
                )
                .add(
                    Condition::all()
                        .add(stock_alert::Column::Status.eq(AlertStatus::Waiting.code()))
                        .add(stock_alert::Column::RequestedAt.lte(now - Duration::days(WAIT_DAYS))),
                ),
        )
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// Forgets everything kept for `email` (and account `user_id`, if any): its alerts and the
/// account's wishlist (an erasure).
///
/// # Errors
/// The database error.
pub async fn forget(
    db: &impl ConnectionTrait,
    email: &str,
    user_id: Option<i32>,
) -> Result<(), DbErr> {
    let mut whose = Condition::any().add(stock_alert::Column::Email.eq(email));
    if let Some(id) = user_id {
        whose = whose.add(stock_alert::Column::UserId.eq(id));
        wishlist_item::Entity::delete_many()
            .filter(wishlist_item::Column::UserId.eq(id))
            .exec(db)
            .await?;
    }
    stock_alert::Entity::delete_many()
        .filter(whose)
        .exec(db)
        .await?;
    Ok(())
}
