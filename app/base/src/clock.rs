//! The one clock the store reads time through, so tests can move it (subscription renewals,
//! cancellation deadlines, reminders), and the shop's calendar: days are Paris days.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use std::sync::Mutex;

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stays where it is set until moved (tests).
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn at(now: DateTime<Utc>) -> FixedClock {
        FixedClock(Mutex::new(now))
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = now;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The system's clock moved by an offset that can be changed (tests of a running server: time
/// still passes, and a test jumps months ahead).
#[derive(Debug, Default)]
pub struct OffsetClock(Mutex<Duration>);

impl OffsetClock {
    /// Moves the clock `by` further.
    pub fn advance(&self, by: Duration) {
        let mut offset = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *offset += by;
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
            + *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The last second of the Paris day `days` days after the Paris day of `at`: a legal period
/// "of N days" counted in calendar days, ending at midnight in Paris (summer time included).
pub fn paris_days_after(at: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    let day = at.with_timezone(&chrono_tz::Europe::Paris).date_naive() + Duration::days(days);
    let next = (day + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    chrono_tz::Europe::Paris
        .from_local_datetime(&next)
        .earliest()
        .map(|t| t.with_timezone(&Utc) - Duration::seconds(1))
        .unwrap_or_else(|| next.and_utc())
}

/// Today's date in Paris (the shop's calendar).
pub fn paris_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::Paris).date_naive()
}

/// The instant a Paris wall-clock time names; in the hour skipped when summer time begins, the
/// same time an hour later (what a Paris clock shows then); in the hour repeated in autumn, the
/// first of the two.
pub fn paris_local(at: chrono::NaiveDateTime) -> DateTime<Utc> {
    let paris = chrono_tz::Europe::Paris;
    paris
        .from_local_datetime(&at)
        .earliest()
        .or_else(|| {
            paris
                .from_local_datetime(&(at + Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| at.and_utc(), |t| t.with_timezone(&Utc))
}

/// The instant `day` begins in Paris.
pub fn paris_midnight(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Midnight always exists in Paris (its clock changes at 2 or 3 a.m.).
    chrono_tz::Europe::Paris
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2026-01-31T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = FixedClock::at(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::days(1));
        assert_eq!(clock.now(), start + Duration::days(1));
        clock.set(start);
        assert_eq!(clock.now(), start);
        assert!(SystemClock.now() > start - Duration::days(3650));
    }

    #[test]
    fn paris_wall_clock_times_across_the_changes_of_hour() {
        let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            paris_local(at("2026-12-05 10:00")),
            utc("2026-12-05T09:00:00Z")
        );
        assert_eq!(
            paris_local(at("2026-07-01 10:00")),
            utc("2026-07-01T08:00:00Z")
        );
        // 29 March 2026: 2:30 does not exist in Paris; the clock then shows 3:30.
        assert_eq!(
            paris_local(at("2026-03-29 02:30")),
            utc("2026-03-29T01:30:00Z")
        );
        // 25 October 2026: 2:30 happens twice; the first one.
        assert_eq!(
            paris_local(at("2026-10-25 02:30")),
            utc("2026-10-25T00:30:00Z")
        );
    }

    #[test]
    fn an_offset_clock_runs_ahead_of_the_system_one() {
        let clock = OffsetClock::default();
        clock.advance(Duration::days(400));
        let ahead = clock.now() - SystemClock.now();
        assert!(ahead > Duration::days(399) && ahead <= Duration::days(400));
    }
}
