//! A customer's objection to marketing and audience measurement (GDPR art. 21; the
//! restriction of art. 18 short of deleting the account): while it stands the account gets no
//! newsletter (unsubscribed at once, a new request refused without saying so), no marketing
//! email, and no page view of it is counted. Orders, invoices and service emails go on.

use crate::db::entities::user;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

/// Sets (`object`) or withdraws the objection of `account` at `now`; returns whether it
/// changed anything.
///
/// # Errors
/// The database error.
pub async fn set_objection(
    db: &DatabaseConnection,
    account: &user::Model,
    object: bool,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = user::Entity::update_many()
        .col_expr(user::Column::ObjectedAt, Expr::value(object.then_some(now)))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(account.id))
        .filter(user::Column::DeletedAt.is_null());
    // Conditional: objecting twice keeps the first date, as the proof of when it was made.
    update = if object {
        update.filter(user::Column::ObjectedAt.is_null())
    } else {
        update.filter(user::Column::ObjectedAt.is_not_null())
    };
    let changed = update.exec(db).await?.rows_affected > 0;
    if object {
        crate::newsletter::service::unsubscribe_email(db, &account.email, now).await?;
    }
    Ok(changed)
}
