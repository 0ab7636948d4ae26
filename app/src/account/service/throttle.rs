//! Throttling of sign-in, sign-up and reset attempts, per account and per IP address, in the
//! database so every instance counts the same attempts. Fixed windows: the first attempt opens a
//! window; past its limit, an action is refused until the window ends. A successful sign-in
//! clears its account's counter.

use crate::db::entities::auth_throttle;
use crate::db::sql::Sql;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

/// How many attempts a key gets per window.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub attempts: i32,
    pub window: Duration,
}

/// Failed sign-ins per address: 5 per 15 minutes.
pub const SIGN_IN_PER_ACCOUNT: Limit = Limit {
    attempts: 5,
    window: Duration::minutes(15),
};
/// Failed sign-ins per IP address (a shared office or mobile carrier NAT has room): 30 per 15
/// minutes.
pub const SIGN_IN_PER_IP: Limit = Limit {
    attempts: 30,
    window: Duration::minutes(15),
};
/// Reset emails per address: 3 an hour.
pub const RESET_PER_ACCOUNT: Limit = Limit {
    attempts: 3,
    window: Duration::hours(1),
};
/// Reset requests and sign-ups per IP address: 10 an hour.
pub const EMAILS_PER_IP: Limit = Limit {
    attempts: 10,
    window: Duration::hours(1),
};

/// Whether `key` has used up `limit` in its current window.
///
/// # Errors
/// The database error.
pub async fn is_exhausted(
    db: &impl ConnectionTrait,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    Ok(auth_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .is_some_and(|row| {
            row.window_started_at > now - limit.window && row.attempts >= limit.attempts
        }))
}

/// Counts one attempt for `key`, opening a new window when the last one is over. One atomic
/// statement, so concurrent attempts on several instances are all counted.
///
/// # Errors
/// The database error.
pub async fn record(
    db: &impl ConnectionTrait,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut sql = Sql::new(db.get_database_backend());
    let expired = now - limit.window;
    sql.push("INSERT INTO auth_throttle (\"key\", attempts, window_started_at) VALUES (")
        .bind(key)
        .push(", 1, ")
        .bind(now)
        .push(") ON CONFLICT (\"key\") DO UPDATE SET attempts = CASE WHEN auth_throttle.window_started_at <= ")
        .bind(expired)
        .push(" THEN 1 ELSE auth_throttle.attempts + 1 END, window_started_at = CASE WHEN auth_throttle.window_started_at <= ")
        .bind(expired)
        .push(" THEN ")
        .bind(now)
        .push(" ELSE auth_throttle.window_started_at END");
    db.execute_raw(sql.build()).await.map(|_| ())
}

/// Forgets `key`'s attempts (after a successful sign-in).
///
/// # Errors
/// The database error.
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    auth_throttle::Entity::delete_by_id(key.to_owned())
        .exec(db)
        .await
        .map(|_| ())
}

/// The counter key of an action by an address.
///
/// The address is kept as its SHA-256 only: anyone can type an address at sign-in, and the
/// counter must not keep it in the clear (nor after its account is erased).
pub fn account_key(action: &str, email: &str) -> String {
    format!("{action}:account:{}", account_suffix(email))
}

/// The part of [`account_key`] that stands for `email`.
pub fn account_suffix(email: &str) -> String {
    super::tokens::token_hash(email)
}

/// The counter key of an action from an IP address.
pub fn ip_key(action: &str, ip: Option<std::net::IpAddr>) -> String {
    match ip {
        Some(ip) => format!("{action}:ip:{ip}"),
        None => format!("{action}:ip:unknown"),
    }
}
