//! Writing and moderating reviews.

use super::model::{MAX_BODY, MAX_REASON, MIN_BODY, ReviewStatus, author_name};
use crate::db::entities::{order, order_line, product, review, user};
use crate::email::{self, Email};
use crate::i18n::Locale;
use crate::orders::model::OrderStatus;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, SqlErr,
};
use std::collections::HashSet;

/// Why a review is refused at writing or moderation.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// Not a delivered order of this customer with this product (which is never said more
    /// precisely: someone else's order number tells nothing).
    #[error("no delivered order of yours holds this product")]
    NotBought,
    #[error("this product of this order is already reviewed")]
    AlreadyReviewed,
    #[error("rating from 1 to 5")]
    Rating,
    #[error("the text is too short or too long")]
    Body,
    #[error("a refusal needs its reason")]
    Reason,
    /// Moderated already, or no such review.
    #[error("no such review waiting")]
    NotPending,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// A product of a delivered order the customer may still review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToReview {
    pub order_number: String,
    pub product_id: i32,
    pub name: String,
}

/// Writes `account`'s review of `product_id` bought in order `order_number`: `rating` 1–5 and
/// `body`, waiting for moderation. Returns its id.
///
/// # Errors
/// [`ReviewError`] for a refusal (nothing written), or the database error.
#[allow(
    clippy::too_many_arguments,
    reason = "one argument per fact of the review"
)]
pub async fn write(
    db: &DatabaseConnection,
    account: &user::Model,
    order_number: &str,
    product_id: i32,
    rating: i32,
    body: &str,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<i32, ReviewError> {
    if !(1..=5).contains(&rating) {
        return Err(ReviewError::Rating);
    }
    let body = body.trim();
    let length = body.chars().count();
    if !(MIN_BODY..=MAX_BODY).contains(&length) {
        return Err(ReviewError::Body);
    }
    let order = order::Entity::find()
        .filter(order::Column::Number.eq(order_number.trim()))
        .filter(order::Column::UserId.eq(account.id))
        .filter(order::Column::Status.eq(OrderStatus::Delivered.code()))
        .one(db)
        .await?
        .ok_or(ReviewError::NotBought)?;
    let bought = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .filter(order_line::Column::ProductId.eq(product_id))
        .one(db)
        .await?
        .is_some();
    if !bought {
        return Err(ReviewError::NotBought);
    }
    // A review is of the product, whichever of its sizes was bought.
    let product_id = product::Entity::find_by_id(product_id)
        .one(db)
        .await?
        .map_or(product_id, |p| p.family_id());
    let written = review::ActiveModel {
        product_id: Set(product_id),
        order_id: Set(order.id),
        user_id: Set(Some(account.id)),
        rating: Set(rating),
        body: Set(body.to_owned()),
        author_name: Set(author_name(&account.first_name, &account.last_name)),
        locale: Set(locale.code().to_owned()),
        status: Set(ReviewStatus::Pending.code().to_owned()),
        refusal_reason: Set(None),
        created_at: Set(now),
        moderated_at: Set(None),
        moderated_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await;
    match written {
        Ok(model) => Ok(model.id),
        // The unique index: one review per product per order, even when two tabs race.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(ReviewError::AlreadyReviewed)
        }
        Err(error) => Err(error.into()),
    }
}

/// The products of `user_id`'s delivered orders not reviewed yet, newest order first.
///
/// # Errors
/// The database error.
pub async fn to_review(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<ToReview>, DbErr> {
    let orders = order::Entity::find()
        .filter(order::Column::UserId.eq(user_id))
        .filter(order::Column::Status.eq(OrderStatus::Delivered.code()))
        .order_by_desc(order::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = orders.iter().map(|o| o.id).collect();
    let reviewed: HashSet<(i32, i32)> = review::Entity::find()
        .filter(review::Column::OrderId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.order_id, r.product_id))
        .collect();
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.is_in(ids))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?;
    // Reviews are of products: a size bought counts as its product.
    let families: std::collections::HashMap<i32, i32> = product::Entity::find()
        .filter(product::Column::Id.is_in(lines.iter().map(|l| l.product_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.family_id()))
        .collect();
    let mut out = Vec::new();
    for o in &orders {
        let mut seen = HashSet::new();
        for line in lines.iter().filter(|l| l.order_id == o.id) {
            let family = families
                .get(&line.product_id)
                .copied()
                .unwrap_or(line.product_id);
            if reviewed.contains(&(o.id, family)) || !seen.insert(family) {
                continue;
            }
            out.push(ToReview {
                order_number: o.number.clone(),
                product_id: line.product_id,
                name: line.name.clone(),
            });
        }
    }
    Ok(out)
}

/// The reviews waiting for staff, oldest first.
///
/// # Errors
/// The database error.
pub async fn pending(db: &impl ConnectionTrait) -> Result<Vec<review::Model>, DbErr> {
    review::Entity::find()
        .filter(review::Column::Status.eq(ReviewStatus::Pending.code()))
        .order_by_asc(review::Column::Id)
        .all(db)
        .await
}

/// Moves review `id` from pending to `to` (by staff member `staff_id`), in `txn`. The review
/// as it was, or [`ReviewError::NotPending`].
async fn moderate(
    txn: &impl ConnectionTrait,
    id: i32,
    to: ReviewStatus,
    reason: Option<&str>,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<review::Model, ReviewError> {
    let found = review::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(ReviewError::NotPending)?;
    let moved = review::Entity::update_many()
        .col_expr(review::Column::Status, Expr::value(to.code()))
        .col_expr(
            review::Column::RefusalReason,
            Expr::value(reason.map(str::to_owned)),
        )
        .col_expr(review::Column::ModeratedAt, Expr::value(Some(now)))
        .col_expr(review::Column::ModeratedBy, Expr::value(Some(staff_id)))
        .filter(review::Column::Id.eq(id))
        .filter(review::Column::Status.eq(ReviewStatus::Pending.code()))
        .exec(txn)
        .await?
        .rows_affected;
    if moved != 1 {
        return Err(ReviewError::NotPending);
    }
    crate::db::audit::record(
        txn,
        staff_id,
        match to {
            ReviewStatus::Published => "review.publish",
            _ => "review.refuse",
        },
        &format!("review:{id}"),
        reason.unwrap_or(""),
        now,
    )
    .await?;
    Ok(found)
}

/// Publishes pending review `id` (staff member `staff_id`), audited.
///
/// # Errors
/// [`ReviewError::NotPending`], or the database error.
pub async fn publish(
    db: &DatabaseConnection,
    id: i32,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ReviewError> {
    let txn = crate::db::begin_write(db).await?;
    moderate(&txn, id, ReviewStatus::Published, None, staff_id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Refuses pending review `id` for `reason` (staff member `staff_id`), audited, and tells the
/// author why by email, in the review's language.
///
/// # Errors
/// [`ReviewError::Reason`], [`ReviewError::NotPending`], or the database error.
pub async fn refuse(
    db: &DatabaseConnection,
    id: i32,
    reason: &str,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ReviewError> {
    let reason = reason.trim();
    let length = reason.chars().count();
    if !(5..=MAX_REASON).contains(&length) {
        return Err(ReviewError::Reason);
    }
    let txn = crate::db::begin_write(db).await?;
    let refused = moderate(&txn, id, ReviewStatus::Refused, Some(reason), staff_id, now).await?;
    let author = match refused.user_id {
        Some(user_id) => user::Entity::find_by_id(user_id).one(&txn).await?,
        None => None,
    };
    if let Some(author) = author.filter(|a| a.deleted_at.is_none()) {
        let locale = Locale::from_code(&refused.locale).unwrap_or_default();
        email::queue(
            &txn,
            refusal_email(&author.email, &refused, reason, locale),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

pub(crate) fn refusal_email<'a>(
    to: &'a str,
    refused: &review::Model,
    reason: &str,
    locale: Locale,
) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Votre avis n'a pas été publié",
            format!(
                "Bonjour,\n\nMerci pour votre avis ({} sur 5). Nous ne l'avons pas publié, pour la raison suivante :\n\n{reason}\n\nVous pouvez en écrire un autre depuis votre compte.\n\nVotre texte : « {} »\n",
                refused.rating, refused.body
            ),
        ),
        Locale::En => (
            "Your review was not published",
            format!(
                "Hello,\n\nThank you for your review ({} out of 5). We did not publish it, for this reason:\n\n{reason}\n\nYou may write another from your account.\n\nYour text: \"{}\"\n",
                refused.rating, refused.body
            ),
        ),
    };
    Email {
        to,
        kind: "review_refused",
        subject: subject.to_owned(),
        body,
        locale,
    }
}

/// At the erasure of account `user_id`, in `txn`: its published reviews stay, anonymised (no
/// account, "a verified customer"); the others are deleted.
///
/// # Errors
/// The database error.
pub async fn forget_author(txn: &impl ConnectionTrait, user_id: i32) -> Result<(), DbErr> {
    review::Entity::delete_many()
        .filter(review::Column::UserId.eq(user_id))
        .filter(review::Column::Status.ne(ReviewStatus::Published.code()))
        .exec(txn)
        .await?;
    review::Entity::update_many()
        .col_expr(review::Column::UserId, Expr::value(None::<i32>))
        .col_expr(review::Column::AuthorName, Expr::value(""))
        .filter(review::Column::UserId.eq(user_id))
        .exec(txn)
        .await?;
    Ok(())
}
