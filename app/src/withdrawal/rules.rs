//! The withdrawal and missing-item rules (French Consumer Code and the shop's terms).
//!
//! - Withdrawal: open from the conclusion of the contract (the order paid) to the 14th day after
//!   delivery (art. L221-18; Paris dates: delivered on the 1st, the 15th is the last day), so a
//!   parcel on its way can be withdrawn from too. Food supplements and cosmetics are hygiene
//!   and health products: only **sealed** items can be taken back (art. L221-28, 5°), so an
//!   item the customer does not declare unopened is refused. The refund is what was paid for
//!   the items (after the order's discounts, `orders::after_sales`) and, when the whole order
//!   is withdrawn, the initial delivery; return costs stay the customer's.
//! - Missing item: claimed within 24 hours of delivery; the refund is what the missing items
//!   were paid.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Days after a withdrawal the shop has to refund it (art. L221-24).
pub const REFUND_DAYS: i64 = 14;
/// Days after a subscription's delivery is sent back the shop refunds its last period (the
/// terms, art. 5).
pub const SUBSCRIPTION_REFUND_DAYS: i64 = 7;

/// When the refund of a withdrawal made at `requested` is due at the latest: 7 days for a
/// subscription's delivery, 14 otherwise.
pub fn refund_due(requested: DateTime<Utc>, subscription: bool) -> DateTime<Utc> {
    let days = if subscription {
        SUBSCRIPTION_REFUND_DAYS
    } else {
        REFUND_DAYS
    };
    crate::clock::paris_days_after(requested, days)
}

/// Days after delivery the withdrawal stays open.
pub const WITHDRAWAL_DAYS: i64 = 14;
/// Hours after delivery a missing item may be claimed.
pub const MISSING_HOURS: i64 = 24;

crate::codes::coded! {
    /// What the customer declares.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum RequestKind {
        Withdrawal = "withdrawal",
        MissingItem = "missing_item",
    }
}

/// Whether a request of `kind` is still open at `now` for an order delivered at `delivered`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Window {
    /// Open until this day (withdrawal) or instant (missing item), included; a withdrawal from
    /// an order not delivered yet has no end date yet (14 days after it arrives).
    Open { until: Option<DateTime<Utc>> },
    /// Closed since then.
    Closed { since: DateTime<Utc> },
}

/// The window of `kind` for an order paid and delivered at `delivered` (`None`: not yet), seen
/// at `now`. A missing item cannot be claimed before delivery: that is `None` too.
pub fn window(
    kind: RequestKind,
    delivered: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<Window> {
    let Some(delivered) = delivered else {
        return (kind == RequestKind::Withdrawal).then_some(Window::Open { until: None });
    };
    let until = match kind {
        RequestKind::Withdrawal => crate::clock::paris_days_after(delivered, WITHDRAWAL_DAYS),
        RequestKind::MissingItem => delivered + Duration::hours(MISSING_HOURS),
    };
    Some(if now <= until {
        Window::Open { until: Some(until) }
    } else {
        Window::Closed { since: until }
    })
}

/// A line of the order, as the customer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderedLine {
    pub line_id: i32,
    pub name: String,
    pub quantity: i32,
    pub unit_price_cents: i64,
}

/// A line the customer picked: how many, and whether they are unopened.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinePick {
    pub line_id: i32,
    pub quantity: i32,
    /// Declared unopened (seal intact); irrelevant for a missing item.
    #[serde(default)]
    pub sealed: Option<String>,
}

/// A line accepted into a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclaredLine {
    pub line_id: i32,
    pub name: String,
    pub quantity: i32,
    pub unit_price_cents: i64,
}

/// Why picks were refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PickError {
    Nothing,
    UnknownLine,
    TooMany {
        name: String,
    },
    /// Opened hygiene or health products cannot be taken back.
    Unsealed {
        name: String,
    },
}

/// The lines of a request of `kind` made of `picks` (lines with 0 are ignored).
///
/// # Errors
/// [`PickError`] for anything not allowed.
pub fn declare(
    kind: RequestKind,
    ordered: &[OrderedLine],
    picks: &[LinePick],
) -> Result<Vec<DeclaredLine>, PickError> {
    let mut declared: Vec<DeclaredLine> = Vec::new();
    for pick in picks.iter().filter(|p| p.quantity != 0) {
        let line = ordered
            .iter()
            .find(|l| l.line_id == pick.line_id)
            .ok_or(PickError::UnknownLine)?;
        if pick.quantity < 0
            || pick.quantity > line.quantity
            || declared.iter().any(|d| d.line_id == line.line_id)
        {
            return Err(PickError::TooMany {
                name: line.name.clone(),
            });
        }
        let sealed = pick.sealed.as_deref().is_some_and(|v| !v.is_empty());
        if kind == RequestKind::Withdrawal && !sealed {
            return Err(PickError::Unsealed {
                name: line.name.clone(),
            });
        }
        declared.push(DeclaredLine {
            line_id: line.line_id,
            name: line.name.clone(),
            quantity: pick.quantity,
            unit_price_cents: line.unit_price_cents,
        });
    }
    if declared.is_empty() {
        return Err(PickError::Nothing);
    }
    Ok(declared)
}

/// Whether `declared` takes back every unit still `open`.
pub fn takes_everything(open: &[OrderedLine], declared: &[DeclaredLine]) -> bool {
    open.iter().all(|line| {
        declared
            .iter()
            .any(|d| d.line_id == line.line_id && d.quantity == line.quantity)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Paris
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn withdrawal_is_open_to_the_fourteenth_day_after_delivery() {
        let delivered = Some(at(2026, 3, 1, 10));
        let kind = RequestKind::Withdrawal;
        assert!(matches!(
            window(kind, delivered, at(2026, 3, 15, 23)),
            Some(Window::Open { until: Some(_) })
        ));
        assert!(matches!(
            window(kind, delivered, at(2026, 3, 16, 0)),
            Some(Window::Closed { .. })
        ));
        // Across the change to summer time (29 March 2026).
        let delivered = Some(at(2026, 3, 20, 18));
        assert!(matches!(
            window(kind, delivered, at(2026, 4, 3, 23)),
            Some(Window::Open { until: Some(_) })
        ));
        assert!(matches!(
            window(kind, delivered, at(2026, 4, 4, 0)),
            Some(Window::Closed { .. })
        ));
    }

    #[test]
    fn withdrawal_opens_at_payment_and_a_claim_at_delivery() {
        let now = at(2026, 3, 1, 10);
        assert_eq!(
            window(RequestKind::Withdrawal, None, now),
            Some(Window::Open { until: None })
        );
        assert_eq!(window(RequestKind::MissingItem, None, now), None);
    }

    #[test]
    fn a_missing_item_is_claimed_within_24_hours() {
        let delivered = Some(at(2026, 3, 1, 10));
        let kind = RequestKind::MissingItem;
        assert!(matches!(
            window(kind, delivered, at(2026, 3, 2, 10)),
            Some(Window::Open { until: Some(_) })
        ));
        assert!(matches!(
            window(kind, delivered, at(2026, 3, 2, 11)),
            Some(Window::Closed { .. })
        ));
    }

    fn ordered() -> Vec<OrderedLine> {
        vec![
            OrderedLine {
                line_id: 1,
                name: "Sérum".into(),
                quantity: 2,
                unit_price_cents: 2900,
            },
            OrderedLine {
                line_id: 2,
                name: "Magnésium".into(),
                quantity: 1,
                unit_price_cents: 1890,
            },
        ]
    }

    fn pick(line_id: i32, quantity: i32, sealed: bool) -> LinePick {
        LinePick {
            line_id,
            quantity,
            sealed: sealed.then(|| "yes".to_owned()),
        }
    }

    #[test]
    fn only_sealed_items_are_taken_back() {
        let kind = RequestKind::Withdrawal;
        assert_eq!(
            declare(kind, &ordered(), &[pick(1, 1, false)]),
            Err(PickError::Unsealed {
                name: "Sérum".into()
            })
        );
        assert_eq!(
            declare(kind, &ordered(), &[pick(1, 0, false)]),
            Err(PickError::Nothing)
        );
        assert_eq!(
            declare(kind, &ordered(), &[pick(1, 3, true)]),
            Err(PickError::TooMany {
                name: "Sérum".into()
            })
        );
        assert_eq!(
            declare(kind, &ordered(), &[pick(9, 1, true)]),
            Err(PickError::UnknownLine)
        );
        // A missing item need not be sealed.
        assert!(declare(RequestKind::MissingItem, &ordered(), &[pick(2, 1, false)]).is_ok());
    }
}
