//! The cookie choice: its categories, the first-party cookie that keeps it, how long it lasts.
//!
//! The choice lives in `comptoir_consent` (strictly necessary: it only remembers the choice),
//! as `{banner version}.{unix time given}.{audience}{preferences}{advertising}.{visitor}`, for
//! example `1.1763900000.100.Vb3k…`. It lasts [`CONSENT_MONTHS`] months from when it was given:
//! the cookie's own expiry says so, and the server checks the date written in it (a browser
//! cannot keep a choice alive by editing the expiry). Visits never rewrite it; only a new
//! choice does. A choice made under an older banner version counts as none, so the banner asks
//! again when what it asks changes. No choice counts as refusal.

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};

/// The consent cookie's name.
pub const CONSENT_COOKIE: &str = "comptoir_consent";
/// The audience-measurement cookie (set only with that consent).
pub const AUDIENCE_COOKIE: &str = "comptoir_audience";
/// The banner's version: raise it when the categories or their purposes change.
pub const BANNER_VERSION: u32 = 1;
/// A choice lasts this many months from when it was given (CNIL: 13 at most).
pub const CONSENT_MONTHS: u32 = 13;

/// What a visitor accepted beyond the strictly necessary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    pub audience: bool,
    pub preferences: bool,
    pub advertising: bool,
}

impl Choices {
    pub const ALL: Choices = Choices {
        audience: true,
        preferences: true,
        advertising: true,
    };
    pub const NONE: Choices = Choices {
        audience: false,
        preferences: false,
        advertising: false,
    };
}

/// A choice as the cookie keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub version: u32,
    /// When it was given, in Unix seconds.
    pub given_at: i64,
    pub choices: Choices,
    /// A random id with no link to an account: it ties the choices of one browser together in
    /// the proof log.
    pub visitor: String,
}

impl Consent {
    /// When it was given.
    pub fn given(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(self.given_at, 0)
    }

    /// When it lapses: [`CONSENT_MONTHS`] months after it was given.
    pub fn expires(&self) -> Option<DateTime<Utc>> {
        self.given()?
            .checked_add_months(Months::new(CONSENT_MONTHS))
    }

    /// Whether it still stands at `now`: the current banner's, given (not in the future, give or
    /// take a clock's drift of five minutes) less than [`CONSENT_MONTHS`] months ago.
    pub fn stands_at(&self, now: DateTime<Utc>) -> bool {
        let (Some(given), Some(expires)) = (self.given(), self.expires()) else {
            return false;
        };
        self.version == BANNER_VERSION
            && given <= now + chrono::Duration::minutes(5)
            && now < expires
    }

    /// The cookie's value.
    pub fn cookie_value(&self) -> String {
        let flag = |on: bool| if on { '1' } else { '0' };
        format!(
            "{}.{}.{}{}{}.{}",
            self.version,
            self.given_at,
            flag(self.choices.audience),
            flag(self.choices.preferences),
            flag(self.choices.advertising),
            self.visitor
        )
    }

    /// The choice a cookie value holds, if it is well formed.
    pub fn parse(value: &str) -> Option<Consent> {
        let mut parts = value.trim().split('.');
        let version = parts.next()?.parse().ok()?;
        let given_at = parts.next()?.parse().ok()?;
        let flags = parts.next()?.as_bytes();
        let visitor = parts.next()?;
        if parts.next().is_some() || !is_visitor_id(visitor) {
            return None;
        }
        let flag = |b: u8| match b {
            b'1' => Some(true),
            b'0' => Some(false),
            _ => None,
        };
        let [a, p, d] = flags else {
            return None;
        };
        Some(Consent {
            version,
            given_at,
            choices: Choices {
                audience: flag(*a)?,
                preferences: flag(*p)?,
                advertising: flag(*d)?,
            },
            visitor: visitor.to_owned(),
        })
    }
}

/// Whether `id` looks like a visitor id we make: 16 to 64 URL-safe characters.
pub fn is_visitor_id(id: &str) -> bool {
    (16..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The choice standing at `now` among the values of the consent cookie (a browser may send
/// more than one), if any.
pub fn standing<'a>(
    values: impl IntoIterator<Item = &'a str>,
    now: DateTime<Utc>,
) -> Option<Consent> {
    values
        .into_iter()
        .filter_map(Consent::parse)
        .find(|c| c.stands_at(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn given(at: DateTime<Utc>, choices: Choices) -> Consent {
        Consent {
            version: BANNER_VERSION,
            given_at: at.timestamp(),
            choices,
            visitor: "Vb3kq9ZyX2mN8pLr".to_owned(),
        }
    }

    #[test]
    fn the_cookie_value_reads_back() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let consent = given(
            at,
            Choices {
                audience: true,
                preferences: false,
                advertising: false,
            },
        );
        let value = consent.cookie_value();
        assert_eq!(value, format!("1.{}.100.Vb3kq9ZyX2mN8pLr", at.timestamp()));
        assert_eq!(Consent::parse(&value), Some(consent));
    }

    #[test]
    fn malformed_values_are_no_choice() {
        for value in [
            "",
            "1",
            "1.x.100.Vb3kq9ZyX2mN8pLr",
            "1.1763900000.10.Vb3kq9ZyX2mN8pLr",
            "1.1763900000.102.Vb3kq9ZyX2mN8pLr",
            "1.1763900000.100.short",
            "1.1763900000.100.Vb3kq9ZyX2mN8pLr.extra",
            "1.1763900000.100.Vb3kq9ZyX2m;N8pLr",
        ] {
            assert_eq!(Consent::parse(value), None, "{value}");
        }
    }

    #[test]
    fn a_choice_lasts_thirteen_months_from_when_it_was_given() {
        let at = Utc.with_ymd_and_hms(2026, 1, 31, 12, 0, 0).unwrap();
        let consent = given(at, Choices::ALL);
        // 31 January + 13 months = 28 February of the next year (the month's last day).
        let expires = Utc.with_ymd_and_hms(2027, 2, 28, 12, 0, 0).unwrap();
        assert_eq!(consent.expires(), Some(expires));
        assert!(consent.stands_at(at));
        assert!(consent.stands_at(expires - chrono::Duration::seconds(1)));
        assert!(!consent.stands_at(expires));
        // Given in the future (a forged cookie): no choice.
        assert!(!consent.stands_at(at - chrono::Duration::hours(1)));
    }

    #[test]
    fn an_older_banner_asks_again() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let mut consent = given(at, Choices::NONE);
        consent.version = BANNER_VERSION + 1;
        assert!(!consent.stands_at(at));
        consent.version = BANNER_VERSION;
        let old = given(at - chrono::Duration::days(400), Choices::ALL);
        let values = [old.cookie_value(), consent.cookie_value()];
        assert_eq!(
            standing(values.iter().map(String::as_str), at),
            Some(consent)
        );
    }
}
