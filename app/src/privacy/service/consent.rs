//! Recording cookie choices and counting the audience of those who accepted it.

use crate::db::entities::consent_record;
use crate::db::sql::Sql;
use crate::privacy::consent::{AUDIENCE_COOKIE, BANNER_VERSION, CONSENT_COOKIE, Choices, Consent};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr};

/// The longest page path counted; longer ones are cut.
pub const MAX_PATH_CHARS: usize = 200;

/// A new random visitor id (128 bits, URL-safe).
pub fn new_visitor_id() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Records `choices` made at `now` as proof, under the visitor id of the browser's `previous`
/// choice when it had one (its history stays together), and returns the choice to keep.
///
/// # Errors
/// The database error.
pub async fn record(
    db: &impl ConnectionTrait,
    previous: Option<&Consent>,
    choices: Choices,
    now: DateTime<Utc>,
) -> Result<Consent, DbErr> {
    let visitor = previous.map_or_else(new_visitor_id, |c| c.visitor.clone());
    consent_record::ActiveModel {
        visitor: Set(visitor.clone()),
        banner_version: Set(i32::try_from(BANNER_VERSION).unwrap_or(i32::MAX)),
        audience: Set(choices.audience),
        preferences: Set(choices.preferences),
        advertising: Set(choices.advertising),
        given_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Consent {
        version: BANNER_VERSION,
        given_at: now.timestamp(),
        choices,
        visitor,
    })
}

fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn secure_flag(secure: bool) -> &'static str {
    if secure { "; Secure" } else { "" }
}

/// The `Set-Cookie` line keeping `consent` until it lapses (never longer).
pub fn consent_cookie(consent: &Consent, now: DateTime<Utc>, secure: bool) -> String {
    let expires = consent.expires().unwrap_or(now);
    let max_age = (expires - now).num_seconds().max(0);
    format!(
        "{CONSENT_COOKIE}={}; Path=/; Expires={}; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        consent.cookie_value(),
        http_date(expires),
        secure_flag(secure)
    )
}

/// The `Set-Cookie` line of the audience cookie: `id` kept as long as the consent that allows
/// it, or removed (`None`).
pub fn audience_cookie(
    id: Option<&str>,
    consent: &Consent,
    now: DateTime<Utc>,
    secure: bool,
) -> String {
    match (id, consent.expires()) {
        (Some(id), Some(expires)) => format!(
            "{AUDIENCE_COOKIE}={id}; Path=/; Expires={}; Max-Age={}; HttpOnly; SameSite=Lax{}",
            http_date(expires),
            (expires - now).num_seconds().max(0),
            secure_flag(secure)
        ),
        _ => format!(
            "{AUDIENCE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
            secure_flag(secure)
        ),
    }
}

/// The page path a measurement names, as counted: a local path without its query or
/// fragment, at most [`MAX_PATH_CHARS`] characters; `None` for anything else.
pub fn counted_path(path: &str) -> Option<String> {
    let path = path.split(['?', '#']).next()?.trim();
    if !path.starts_with('/') || path.starts_with("//") || path.chars().any(char::is_control) {
        return None;
    }
    Some(path.chars().take(MAX_PATH_CHARS).collect())
}

/// The most pages counted apart in a day; the views of any further page go to [`OTHER_PAGES`]
/// (a visitor inventing addresses cannot grow the table without end).
pub const MAX_PAGES_PER_DAY: u64 = 5_000;
/// Where the views of pages past [`MAX_PAGES_PER_DAY`] are counted.
pub const OTHER_PAGES: &str = "(autres pages)";

/// Counts a view of `path` on `day`, and a visitor when it is this browser's first visit.
///
/// # Errors
/// The database error.
pub async fn count_view(
    db: &impl ConnectionTrait,
    day: NaiveDate,
    path: &str,
    first_visit: bool,
) -> Result<(), DbErr> {
    use crate::db::entities::audience_daily;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let known = audience_daily::Entity::find()
        .filter(audience_daily::Column::Day.eq(day))
        .filter(audience_daily::Column::Path.eq(path))
        .count(db)
        .await?
        > 0;
    let path = if known
        || audience_daily::Entity::find()
            .filter(audience_daily::Column::Day.eq(day))
            .count(db)
            .await?
            < MAX_PAGES_PER_DAY
    {
        path
    } else {
        OTHER_PAGES
    };
    let visitors = i32::from(first_visit);
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("INSERT INTO audience_daily (day, path, views, visitors) VALUES (")
        .bind(day)
        .push(", ")
        .bind(path.to_owned())
        .push(", 1, ")
        .bind(visitors)
        .push(
            ") ON CONFLICT (day, path) DO UPDATE SET views = audience_daily.views + 1, \
             visitors = audience_daily.visitors + excluded.visitors",
        );
    db.execute_raw(sql.build()).await.map(|_| ())
}

/// Years a consent proof is kept (the limitation period of a claim it would answer).
pub const PROOF_YEARS: u32 = 5;

/// Drops the consent proofs older than [`PROOF_YEARS`]; returns how many.
///
/// # Errors
/// The database error.
pub async fn purge_proofs(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let Some(cutoff) = now.checked_sub_months(chrono::Months::new(12 * PROOF_YEARS)) else {
        return Ok(0);
    };
    Ok(consent_record::Entity::delete_many()
        .filter(consent_record::Column::GivenAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn only_local_paths_are_counted_without_their_query() {
        assert_eq!(
            counted_path("/products?q=serum#top").as_deref(),
            Some("/products")
        );
        assert_eq!(counted_path("https://evil.example/"), None);
        assert_eq!(counted_path("//evil.example/"), None);
        assert_eq!(counted_path("/a\nb"), None);
        assert_eq!(
            counted_path(&format!("/{}", "x".repeat(500)))
                .unwrap()
                .chars()
                .count(),
            MAX_PATH_CHARS
        );
    }

    #[test]
    fn the_consent_cookie_expires_when_the_choice_lapses() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let consent = Consent {
            version: BANNER_VERSION,
            given_at: now.timestamp(),
            choices: Choices::NONE,
            visitor: "Vb3kq9ZyX2mN8pLr".to_owned(),
        };
        let line = consent_cookie(&consent, now, true);
        assert!(
            line.contains("Expires=Thu, 23 Dec 2027 10:00:00 GMT"),
            "{line}"
        );
        assert!(line.ends_with("SameSite=Lax; Secure"), "{line}");
        assert!(
            audience_cookie(None, &consent, now, false).contains("Max-Age=0"),
            "removed"
        );
    }
}
