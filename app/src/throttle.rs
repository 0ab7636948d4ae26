//! Rate limits on what costs the shop (an Argon2 check, an email, stock held), per client and per
//! target address, counted in the database so every instance counts the same attempts.
//!
//! Fixed windows: the first attempt opens a window; past its limit, an action is refused until
//! the window ends. An attempt is **taken before** the work it pays for, by one statement that
//! adds it and returns the count ([`take`]): concurrent attempts on any number of instances are
//! each counted before any of them runs, so no more than the limit ever get through. Work that
//! turns out harmless (a successful sign-in) gives its attempt back ([`give_back`]).
//!
//! Addresses are kept as their SHA-256 only (anyone can type one); the `:account:` segment of
//! their keys is what the privacy export and erasure look for.

use crate::db::entities::auth_throttle;
use crate::db::sql::Sql;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use sha2::{Digest, Sha256};
use std::net::IpAddr;

/// How many attempts a key gets per window.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub attempts: i32,
    pub window: Duration,
}

/// Sign-in attempts per address: 5 per 15 minutes (a success gives its attempt back).
pub const SIGN_IN_PER_ACCOUNT: Limit = Limit {
    attempts: 5,
    window: Duration::minutes(15),
};
/// Sign-in attempts per client (a shared office or mobile carrier NAT has room): 30 per 15
/// minutes (a success gives its attempt back).
pub const SIGN_IN_PER_IP: Limit = Limit {
    attempts: 30,
    window: Duration::minutes(15),
};
/// Reset emails per address: 3 an hour.
pub const RESET_PER_ACCOUNT: Limit = Limit {
    attempts: 3,
    window: Duration::hours(1),
};
/// Emails asked for from one client (sign-ups, resets, newsletter, orders by transfer or
/// cheque): 10 an hour.
pub const EMAILS_PER_IP: Limit = Limit {
    attempts: 10,
    window: Duration::hours(1),
};
/// Emails asked for to one address by anyone (newsletter confirmations, order instructions):
/// 3 an hour, so nobody can flood someone else's inbox through the shop.
pub const EMAILS_PER_ADDRESS: Limit = Limit {
    attempts: 3,
    window: Duration::hours(1),
};
/// Orders placed from one client: each holds stock (up to 14 days for a transfer or cheque)
/// and emails its address.
pub const ORDERS_PER_IP: Limit = Limit {
    attempts: 20,
    window: Duration::hours(1),
};
/// Orders placed for one address (counted from the orders themselves, in the order's
/// transaction: a repeated request is the same order).
pub const ORDERS_PER_ADDRESS: Limit = Limit {
    attempts: 10,
    window: Duration::hours(1),
};
/// Cookie choices recorded from one client (each is a proof row kept five years). Generous: a
/// mobile carrier's NAT puts many first visits behind one address.
pub const CONSENTS_PER_IP: Limit = Limit {
    attempts: 200,
    window: Duration::hours(1),
};
/// Page views counted from one client (audience measurement, with consent).
pub const VIEWS_PER_IP: Limit = Limit {
    attempts: 1_000,
    window: Duration::hours(1),
};
/// Guesses of something secret-ish from one client (order number and address at the withdrawal
/// function, promo codes): 10 per 15 minutes.
pub const GUESSES_PER_IP: Limit = Limit {
    attempts: 10,
    window: Duration::minutes(15),
};

/// Takes one attempt of `key`: counts it (opening a new window when the last one is over) and
/// says whether it is within `limit`. One atomic statement, so concurrent attempts on several
/// instances are each counted before any of them goes on.
///
/// # Errors
/// The database error.
pub async fn take(
    db: &impl ConnectionTrait,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
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
        .push(" ELSE auth_throttle.window_started_at END RETURNING attempts");
    let row = db
        .query_one_raw(sql.build())
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the throttle's upsert returned no row".into()))?;
    let attempts: i32 = row.try_get("", "attempts")?;
    Ok(attempts <= limit.attempts)
}

/// Takes one attempt of each of `keys` in order. At the first over its limit it stops: the
/// later keys are not counted, and the earlier ones get their attempt back (nothing was done
/// for it). Whether all were within.
///
/// # Errors
/// The database error.
pub async fn take_all(
    db: &impl ConnectionTrait,
    keys: &[(&str, Limit)],
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    for (n, (key, limit)) in keys.iter().enumerate() {
        if !take(db, key, *limit, now).await? {
            for (earlier, _) in &keys[..n] {
                give_back(db, earlier).await?;
            }
            return Ok(false);
        }
    }
    Ok(true)
}

/// Gives back an attempt of `key` taken for work that turned out harmless.
///
/// # Errors
/// The database error.
pub async fn give_back(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("UPDATE auth_throttle SET attempts = attempts - 1 WHERE \"key\" = ")
        .bind(key)
        .push(" AND attempts > 0");
    db.execute_raw(sql.build()).await.map(|_| ())
}

/// Takes one email this request's client asks the shop to send to `email` (already normalised)
/// for `action` (the newsletter, a data link, an alert): limited per client and per address, so
/// nobody floods an inbox through the shop; the [`refusal`] over either limit.
///
/// # Errors
/// The 429 refusal, or the database error.
pub async fn take_email(
    db: &impl ConnectionTrait,
    action: &str,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), crate::error::AppError> {
    let client = client_key("email", crate::security::client_ip().await);
    let address = address_key(action, email);
    let within = take_all(
        db,
        &[(&client, EMAILS_PER_IP), (&address, EMAILS_PER_ADDRESS)],
        now,
    )
    .await?;
    if within { Ok(()) } else { Err(refusal()) }
}

/// The answer to an attempt over its limit: a 429 saying, in the request's language, to try
/// again later.
pub fn refusal() -> crate::error::AppError {
    let locale = crate::i18n::request_locale();
    crate::error::AppError::TooManyRequests(locale.t(crate::i18n::Msg::ErrTooManyAttempts).into())
        .answered()
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

/// The counter key of an action concerning an address (its account, or where an email goes).
pub fn address_key(action: &str, email: &str) -> String {
    format!("{action}{}", address_suffix(email))
}

/// The end of every key [`address_key`] makes for `email` (what privacy requests look for).
pub fn address_suffix(email: &str) -> String {
    format!(":account:{}", address_digest(email))
}

/// The SHA-256 of `email` as typed in any case, in hexadecimal: how an address is kept where
/// only its hash may stay (counter keys, newsletter unsubscriptions).
pub fn address_digest(email: &str) -> String {
    hex::encode(Sha256::digest(email.trim().to_lowercase().as_bytes()))
}

/// The counter key of an action from a client. An IPv6 client counts by its /64 network: one
/// subscriber gets a whole /64 and could otherwise take a fresh address for every attempt.
pub fn client_key(action: &str, ip: Option<IpAddr>) -> String {
    match ip.map(client_network) {
        Some(network) => format!("{action}:ip:{network}"),
        None => format!("{action}:ip:unknown"),
    }
}

/// The network a client address stands for: itself for IPv4 (and IPv4-mapped IPv6), its /64
/// for IPv6.
fn client_network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let network = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{network}/64")
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_count_by_their_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key("x", Some(a)), client_key("x", Some(b)));
        assert_ne!(client_key("x", Some(a)), client_key("x", Some(c)));
        assert_eq!(client_key("x", Some(a)), "x:ip:2001:db8:1:2::/64");
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key("x", Some(mapped)), "x:ip:192.0.2.7");
        assert_eq!(client_key("x", None), "x:ip:unknown");
    }

    #[test]
    fn addresses_are_kept_hashed_whatever_their_case() {
        let key = address_key("reset", "Camille@Exemple.fr");
        assert!(!key.contains("exemple"));
        assert_eq!(key, address_key("reset", "camille@exemple.fr"));
        assert!(key.ends_with(&address_suffix("camille@exemple.fr")));
    }
}
