//! Reviews' server functions: the customer's page and form, the back office's moderation.

use super::model::{PendingReview, ReviewsPageData};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
impl From<super::service::ReviewError> for AppError {
    fn from(error: super::service::ReviewError) -> Self {
        use super::service::ReviewError;
        use crate::i18n::Msg;
        let locale = crate::i18n::request_locale();
        let message = |msg: Msg| locale.t(msg).to_owned();
        match error {
            ReviewError::NotBought => AppError::BadRequest(message(Msg::ErrReviewNotBought)),
            ReviewError::AlreadyReviewed => AppError::Conflict(message(Msg::ErrReviewTwice)),
            ReviewError::Rating => AppError::BadRequest(message(Msg::ErrReviewRating)),
            ReviewError::Body => AppError::BadRequest(message(Msg::ErrReviewBody)),
            ReviewError::Reason => AppError::BadRequest(message(Msg::ErrDeletionReason)),
            ReviewError::NotPending => AppError::Conflict(message(Msg::ErrReviewModerated)),
            ReviewError::Database(error) => error.into(),
        }
        .answered()
    }
}

/// The signed-in customer's products to review and reviews written.
#[server(prefix = "/api", endpoint = "account/reviews")]
pub async fn my_reviews() -> Result<ReviewsPageData, AppError> {
    use super::model::{MyReview, ReviewSlot, ReviewStatus};
    use crate::db::entities::{product, review};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    let locale = crate::i18n::request_locale();
    let to_review = super::service::to_review(&state.db, account.id)
        .await?
        .into_iter()
        .map(|t| ReviewSlot {
            order_number: t.order_number,
            product_id: t.product_id,
            name: t.name,
        })
        .collect();
    let written = review::Entity::find()
        .filter(review::Column::UserId.eq(account.id))
        .order_by_desc(review::Column::Id)
        .all(&state.db)
        .await?;
    let names: std::collections::HashMap<i32, String> = product::Entity::find()
        .filter(product::Column::Id.is_in(written.iter().map(|r| r.product_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| {
            let name = match locale {
                crate::i18n::Locale::Fr => p.name_fr,
                crate::i18n::Locale::En => p.name_en,
            };
            (p.id, name)
        })
        .collect();
    let written = written
        .into_iter()
        .map(|r| MyReview {
            product: names.get(&r.product_id).cloned().unwrap_or_default(),
            rating: r.rating,
            body: r.body,
            status: ReviewStatus::from_code(&r.status).unwrap_or(ReviewStatus::Pending),
            refusal_reason: r.refusal_reason,
            created_at: r.created_at,
        })
        .collect();
    Ok(ReviewsPageData { to_review, written })
}

/// Writes the signed-in customer's review of `product_id` from order `order_number`.
#[server(prefix = "/api", endpoint = "account/reviews/write")]
pub async fn write_review(
    order_number: String,
    product_id: i32,
    rating: i32,
    body: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    super::service::write(
        &state.db,
        &account,
        &order_number,
        product_id,
        rating,
        &body,
        crate::i18n::request_locale(),
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect("/account/reviews?written=1");
    Ok(())
}

/// The reviews waiting for staff, oldest first.
#[server(prefix = "/api", endpoint = "admin/reviews")]
pub async fn admin_reviews() -> Result<Vec<PendingReview>, AppError> {
    use crate::db::entities::{order, product};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use std::collections::HashMap;
    let state = crate::account::api::ssr::require_staff_state().await?;
    let pending = super::service::pending(&state.db).await?;
    // Two queries for the whole list, not two per review.
    let products: HashMap<i32, String> = product::Entity::find()
        .filter(product::Column::Id.is_in(pending.iter().map(|r| r.product_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name_fr))
        .collect();
    let orders: HashMap<i32, String> = order::Entity::find()
        .filter(order::Column::Id.is_in(pending.iter().map(|r| r.order_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.number))
        .collect();
    let out = pending
        .into_iter()
        .map(|r| PendingReview {
            id: r.id,
            product: products.get(&r.product_id).cloned().unwrap_or_default(),
            order_number: orders.get(&r.order_id).cloned().unwrap_or_default(),
            author: r.author_name,
            rating: r.rating,
            body: r.body,
            created_at: r.created_at,
        })
        .collect();
    Ok(out)
}

/// Publishes (`decision` = `publish`) or refuses (`refuse`, with `reason` told to the author)
/// review `id`.
#[server(prefix = "/api", endpoint = "admin/reviews/moderate")]
pub async fn moderate_review(
    id: i32,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let (state, staff) = crate::account::api::ssr::staff_member().await?;
    let now = state.clock.now();
    match decision.as_str() {
        "publish" => super::service::publish(&state.db, id, staff.id, now).await?,
        "refuse" => {
            super::service::refuse(
                &state.db,
                id,
                reason.as_deref().unwrap_or(""),
                staff.id,
                now,
            )
            .await?;
        }
        _ => return Err(AppError::BadRequest("decision: publish or refuse".into()).answered()),
    }
    leptos_axum::redirect("/admin/reviews?done=1");
    Ok(())
}
