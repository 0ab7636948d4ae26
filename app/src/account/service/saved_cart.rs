//! The cart of a signed-in shopper, kept on the server: merged with the browser's cart at each
//! sign-in, then followed by every change the browser makes while signed in.

use super::AccountError;
use crate::cart::model::LineRequest;
use crate::cart::rules::{cookie_value, merge_lines, parse_cookie};
use crate::db::entities::saved_cart;
use crate::pricing::Destination;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

/// The saved cart of `user_id` (empty when none).
///
/// # Errors
/// A database error.
pub async fn saved_cart(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<(Destination, Vec<LineRequest>), AccountError> {
    Ok(saved_cart::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(|row| parse_cookie(&row.content))
        .unwrap_or_default())
}

/// Keeps `content` (the cart cookie's format; anything malformed is dropped) as the cart of
/// `user_id`. Returns the cleaned value.
///
/// # Errors
/// A database error.
pub async fn save_cart(
    db: &impl ConnectionTrait,
    user_id: i32,
    content: &str,
    now: DateTime<Utc>,
) -> Result<String, AccountError> {
    let (destination, lines) = parse_cookie(content);
    let value = cookie_value(destination, &lines);
    if lines.is_empty() {
        saved_cart::Entity::delete_by_id(user_id).exec(db).await?;
        return Ok(value);
    }
    saved_cart::Entity::insert(saved_cart::ActiveModel {
        user_id: Set(user_id),
        content: Set(value.clone()),
        updated_at: Set(now),
        reminded_at: Set(None),
    })
    .on_conflict(
        OnConflict::column(saved_cart::Column::UserId)
            .update_columns([saved_cart::Column::Content, saved_cart::Column::UpdatedAt])
            // A changed cart is a new cart: it may be reminded once more. The same cart saved
            // again keeps its reminder (one per cart).
            .value(
                saved_cart::Column::RemindedAt,
                Expr::cust(
                    "CASE WHEN saved_carts.content = excluded.content \
                     THEN saved_carts.reminded_at ELSE NULL END",
                ),
            )
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(value)
}

/// At sign-in: the browser's cart merged with the one saved with the account
/// ([`merge_lines`]: the browser's lines first, no quantity doubled), saved, and returned as
/// the cookie value the browser takes. The destination is the browser's when its cart has lines.
///
/// # Errors
/// A database error.
pub async fn merge_at_sign_in(
    db: &impl ConnectionTrait,
    user_id: i32,
    browser: (Destination, Vec<LineRequest>),
    now: DateTime<Utc>,
) -> Result<String, AccountError> {
    let (saved_destination, saved) = saved_cart(db, user_id).await?;
    let (browser_destination, browser) = browser;
    let destination = if browser.is_empty() {
        saved_destination
    } else {
        browser_destination
    };
    let merged = merge_lines(&browser, &saved);
    save_cart(db, user_id, &cookie_value(destination, &merged), now).await
}

/// Forgets the saved cart of `user_id` (its order was placed).
///
/// # Errors
/// A database error.
pub async fn clear(db: &impl ConnectionTrait, user_id: i32) -> Result<(), AccountError> {
    saved_cart::Entity::delete_by_id(user_id).exec(db).await?;
    Ok(())
}
