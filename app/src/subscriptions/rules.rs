//! Subscription dates and the cancellation rule.
//!
//! - Deliveries fall date to date from the **anchor** (the first delivery's date), every
//!   `months` months, each computed from the anchor (never from the previous delivery), and
//!   clamped to the month's end: 31 Jan → 28/29 Feb → 31 Mar → 30 Apr.
//! - A subscription can be cancelled up to **3 days before** the next delivery: until
//!   midnight (Paris time) opening the day three days before it, inclusive. A later request
//!   lets that delivery go out and ends the subscription after it.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};

/// Days of notice a cancellation needs before the next delivery.
pub const CANCELLATION_NOTICE_DAYS: u64 = 3;

/// The reminder goes out this many days before each delivery, unless set otherwise (before
/// the cancellation deadline, so it can still be acted on).
pub const DEFAULT_REMINDER_DAYS: u32 = 7;

pub use crate::cart::rules::MAX_EVERY_MONTHS;
pub use crate::clock::{paris_midnight, paris_today};

/// Charges of a renewal are tried this many times in all before the subscription is
/// suspended.
pub const CHARGE_ATTEMPTS: i32 = 4;

/// How long after a failed charge the next one is tried: a day, then two, then four.
pub fn retry_after(failed_attempts: i32) -> chrono::Duration {
    chrono::Duration::days(1 << (failed_attempts.clamp(1, 3) - 1))
}

/// The delivery after `last` for a subscription delivered every `months` months on the day of
/// `anchor`: `months` calendar months after `last`'s month, on the anchor's day clamped to
/// that month's end. With an unchanged frequency this is exactly [`delivery_on`]'s sequence;
/// after a change of frequency, the new frequency counts from the last delivery.
pub fn following(anchor: NaiveDate, last: NaiveDate, months: u32) -> Option<NaiveDate> {
    let elapsed = (last.year() - anchor.year()) * 12 + last.month() as i32 - anchor.month() as i32;
    let n = u32::try_from(elapsed).ok()?.checked_add(months)?;
    delivery_on(anchor, 1, n)
}

/// Whether the order for `delivery` is due at `now`: once it can no longer be cancelled.
pub fn renewal_due(now: DateTime<Utc>, delivery: NaiveDate) -> bool {
    now > cancellation_deadline(delivery)
}

/// The `n`th delivery (0: the anchor itself) of a subscription delivered every `months` months
/// from `anchor`; `None` past the calendar's end.
pub fn delivery_on(anchor: NaiveDate, months: u32, n: u32) -> Option<NaiveDate> {
    // chrono clamps to the last day of a shorter month.
    anchor.checked_add_months(Months::new(months.checked_mul(n)?))
}

/// The first delivery strictly after `after`.
pub fn next_delivery(anchor: NaiveDate, months: u32, after: NaiveDate) -> Option<NaiveDate> {
    if months == 0 {
        return None;
    }
    if anchor > after {
        return Some(anchor);
    }
    // Start near the answer (whole months elapsed), then step.
    let elapsed =
        (after.year() - anchor.year()) * 12 + after.month() as i32 - anchor.month() as i32;
    let mut n = u32::try_from(elapsed.max(0)).ok()? / months;
    loop {
        let date = delivery_on(anchor, months, n)?;
        if date > after {
            return Some(date);
        }
        n += 1;
    }
}

/// The last instant a cancellation still stops `delivery`: midnight in Paris opening the day
/// [`CANCELLATION_NOTICE_DAYS`] before it.
pub fn cancellation_deadline(delivery: NaiveDate) -> DateTime<Utc> {
    paris_midnight(delivery - chrono::Days::new(CANCELLATION_NOTICE_DAYS))
}

/// What a cancellation asked at `now` does to a subscription whose next delivery is `next`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cancellation {
    /// In time: nothing more is delivered.
    Immediate,
    /// Too late for `next`: it goes out, and the subscription ends after it.
    AfterDelivery(NaiveDate),
}

/// The cancellation rule.
pub fn cancellation(now: DateTime<Utc>, next: NaiveDate) -> Cancellation {
    if now <= cancellation_deadline(next) {
        Cancellation::Immediate
    } else {
        Cancellation::AfterDelivery(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn days_in_month(y: i32, m: u32) -> u32 {
        let first_next = if m == 12 {
            date(y + 1, 1, 1)
        } else {
            date(y, m + 1, 1)
        };
        (first_next - Duration::days(1)).day()
    }

    #[test]
    fn month_ends_are_clamped_and_the_anchor_day_comes_back() {
        let anchor = date(2026, 1, 31);
        let deliveries: Vec<NaiveDate> =
            (0..5).map(|n| delivery_on(anchor, 1, n).unwrap()).collect();
        assert_eq!(
            deliveries,
            [
                date(2026, 1, 31),
                date(2026, 2, 28),
                date(2026, 3, 31),
                date(2026, 4, 30),
                date(2026, 5, 31)
            ]
        );
        assert_eq!(
            delivery_on(date(2028, 1, 31), 1, 1),
            Some(date(2028, 2, 29)),
            "leap year"
        );
        assert_eq!(
            next_delivery(anchor, 1, date(2026, 2, 28)),
            Some(date(2026, 3, 31))
        );
        assert_eq!(
            next_delivery(anchor, 2, date(2026, 1, 31)),
            Some(date(2026, 3, 31))
        );
        assert_eq!(
            next_delivery(anchor, 1, date(2025, 12, 1)),
            Some(anchor),
            "not started yet"
        );
        assert_eq!(next_delivery(anchor, 0, date(2026, 2, 1)), None);
    }

    #[test]
    fn the_anchor_day_survives_a_short_month_and_a_change_of_frequency() {
        let anchor = date(2026, 1, 31);
        // Delivered 28 Feb; switching to every 2 months: 30 April (the 31st, clamped).
        assert_eq!(
            following(anchor, date(2026, 2, 28), 2),
            Some(date(2026, 4, 30))
        );
        assert_eq!(
            following(anchor, date(2026, 4, 30), 1),
            Some(date(2026, 5, 31))
        );
        assert_eq!(
            following(anchor, date(2025, 12, 31), 1),
            None,
            "before the anchor"
        );
        assert_eq!(
            (1..=4)
                .map(retry_after)
                .map(|d| d.num_days())
                .collect::<Vec<_>>(),
            [1, 2, 4, 4]
        );
    }

    #[test]
    fn the_renewal_is_due_once_the_delivery_can_no_longer_be_cancelled() {
        let delivery = date(2026, 3, 10);
        let deadline = cancellation_deadline(delivery);
        assert!(!renewal_due(deadline, delivery));
        assert!(renewal_due(deadline + Duration::seconds(1), delivery));
        assert_eq!(paris_today(deadline), date(2026, 3, 7));
        assert_eq!(
            paris_today(deadline - Duration::seconds(1)),
            date(2026, 3, 6)
        );
    }

    #[test]
    fn the_cut_off_is_three_days_before_to_the_second() {
        // Winter: Paris is UTC+1, so the deadline of a 10 March delivery is 6 March 23:00 UTC.
        let delivery = date(2026, 3, 10);
        let deadline = cancellation_deadline(delivery);
        assert_eq!(deadline.to_rfc3339(), "2026-03-06T23:00:00+00:00");
        assert_eq!(cancellation(deadline, delivery), Cancellation::Immediate);
        assert_eq!(
            cancellation(deadline - Duration::seconds(1), delivery),
            Cancellation::Immediate
        );
        assert_eq!(
            cancellation(deadline + Duration::seconds(1), delivery),
            Cancellation::AfterDelivery(delivery)
        );
        // Summer: UTC+2.
        assert_eq!(
            cancellation_deadline(date(2026, 7, 10)).to_rfc3339(),
            "2026-07-06T22:00:00+00:00"
        );
    }

    proptest! {
        #[test]
        fn deliveries_fall_date_to_date(
            y in 2000i32..2090, m in 1u32..=12, d in 1u32..=31, every in prop::sample::select(vec![1u32, 2, 3, 6, 12]), n in 0u32..60
        ) {
            let d = d.min(days_in_month(y, m));
            let anchor = date(y, m, d);
            let delivery = delivery_on(anchor, every, n).unwrap();
            let months = (delivery.year() - y) * 12 + delivery.month() as i32 - m as i32;
            prop_assert_eq!(months, (every * n) as i32);
            prop_assert_eq!(delivery.day(), d.min(days_in_month(delivery.year(), delivery.month())));
            let later = delivery_on(anchor, every, n + 1).unwrap();
            prop_assert!(later > delivery);
            prop_assert_eq!(next_delivery(anchor, every, delivery), Some(later));
            prop_assert_eq!(following(anchor, delivery, every), Some(later));
        }

        #[test]
        fn a_new_frequency_counts_from_the_last_delivery(
            y in 2000i32..2090, m in 1u32..=12, d in 1u32..=31, n in 0u32..40,
            every in 1u32..=12
        ) {
            let d = d.min(days_in_month(y, m));
            let anchor = date(y, m, d);
            let last = delivery_on(anchor, 1, n).unwrap();
            let next = following(anchor, last, every).unwrap();
            let months = (next.year() - last.year()) * 12 + next.month() as i32 - last.month() as i32;
            prop_assert_eq!(months, every as i32);
            // Still the anchor's day, clamped.
            prop_assert_eq!(next.day(), d.min(days_in_month(next.year(), next.month())));
        }

        #[test]
        fn the_deadline_is_always_before_the_delivery_day(
            y in 2000i32..2090, ordinal in 1u32..=365
        ) {
            let delivery = NaiveDate::from_yo_opt(y, ordinal).unwrap();
            let deadline = cancellation_deadline(delivery);
            let hours = (delivery.and_hms_opt(0, 0, 0).unwrap().and_utc() - deadline).num_hours();
            // Three days, give or take Paris's offset (one or two hours).
            prop_assert!((73..=74).contains(&hours), "{hours}");
        }
    }
}
