//! An account's sessions: what the session record holds about the sign-in, the list shown on
//! the security page, and ending them.

use crate::account::model::SessionView;
use crate::db::entities::{session, user};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// What a session remembers of its sign-in (besides the account id, kept under
/// [`super::store::USER_ID`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionFacts {
    pub signed_in_at: DateTime<Utc>,
    /// The browser's `User-Agent`, shortened.
    pub device: String,
}

/// The session key of [`SessionFacts`].
pub const FACTS: &str = "sign_in";

/// The open sessions of `user_id`, newest activity first; `current` names this browser's.
///
/// # Errors
/// The database error.
pub async fn session_views(
    db: &impl ConnectionTrait,
    user_id: i32,
    current: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<SessionView>, DbErr> {
    let rows = session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::ExpiresAt.gt(now))
        .order_by_desc(session::Column::UpdatedAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let data: serde_json::Value = serde_json::from_str(&row.data).ok()?;
            let facts: SessionFacts = serde_json::from_value(data.get(FACTS)?.clone()).ok()?;
            Some(SessionView {
                current: current == Some(row.id.as_str()),
                device: facts.device,
                signed_in_at: facts.signed_in_at,
                last_seen_at: row.updated_at,
            })
        })
        .collect())
}

/// Ends every session of `user_id`, on every instance: the account's sessions become invalid
/// from `now` on (a request already in flight cannot bring one back) and their rows go.
///
/// # Errors
/// The database error.
pub async fn sign_out_everywhere(
    db: &DatabaseConnection,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::SessionsValidAfter, Expr::value(now))
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    txn.commit().await
}

/// Deletes the sessions of `user_id` other than `keep`.
///
/// # Errors
/// The database error.
pub async fn end_other_sessions(
    db: &impl ConnectionTrait,
    user_id: i32,
    keep: &str,
) -> Result<(), DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.ne(keep))
        .exec(db)
        .await
        .map(|_| ())
}

/// A short name for a `User-Agent` (kept to 120 characters).
pub fn device_name(user_agent: &str) -> String {
    user_agent
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect()
}
