//! An account's sessions: what the session record holds about the sign-in, the list shown on
//! the security page, and ending them.

use crate::account::model::SessionView;
use crate::db::entities::{session, user};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
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
    let txn = crate::db::begin_write(db).await?;
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

/// A short name for the browser a session was signed in from ("Firefox · Windows"), read from
/// its `User-Agent`; something unrecognised is kept, shortened. Only the security page shows it,
/// so a few well-known markers are enough (a full user-agent database would weigh more than
/// the feature).
pub fn device_name(user_agent: &str) -> String {
    const BROWSERS: &[(&str, &str)] = &[
        ("Edg", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: &[(&str, &str)] = &[
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(marker, _)| user_agent.contains(marker))
            .map(|(_, name)| *name)
    };
    match (find(BROWSERS), find(SYSTEMS)) {
        (Some(browser), Some(system)) => format!("{browser} · {system}"),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        (None, None) => user_agent
            .chars()
            .filter(|c| !c.is_control())
            .take(60)
            .collect(),
    }
}

#[cfg(test)]
mod device_tests {
    use super::device_name;

    #[test]
    fn user_agents_get_short_names() {
        for (agent, name) in [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
                "Chrome · Linux",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
                "Safari · iPhone",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
                "Firefox · Windows",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
                "Edge · Windows",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
                "Samsung Internet · Android",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
                "Safari · macOS",
            ),
            ("curl/8.5.0", "curl/8.5.0"),
        ] {
            assert_eq!(device_name(agent), name, "{agent}");
        }
    }
}
