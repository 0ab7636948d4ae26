//! What after-sales gives back: the amount actually paid for some of an order's lines, after
//! the order's discounts (promo code, referral welcome, credit, points) took their share of
//! each line, never the catalogue price.
//!
//! - A line's paid amount is what the pricing engine left of it once every discount came off
//!   (`order_lines.paid_cents`). Part of a line is paid in proportion to its units, rounded to
//!   the cent (halves up), so that taking `k` units after `t` already taken gives
//!   `paid(t + k) − paid(t)`: the parts of a line returned one at a time add up to the line.
//! - The initial delivery comes back when a withdrawal takes back everything that is left
//!   (art. L221-24), split over the VAT rates as the invoice split it (in proportion to each
//!   rate's goods after discounts).
//! - Never more than what is left to refund on the order.
//!
//! The withdrawal page and its receipt, staff refunds by line, and the credit notes all come
//! from [`owed`]: they agree to the cent.

use crate::money::allocate_cents;
use crate::pricing::RateShare;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Units of an order line taken back (or being taken back).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taken {
    pub line_id: i32,
    pub quantity: i32,
}

/// An order line as it was sold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sold {
    pub line_id: i32,
    pub quantity: i32,
    /// What the whole line cost after discounts.
    pub paid_cents: i64,
    /// Its VAT rate, in basis points (550 = 5.5 %).
    pub vat_rate_bp: i32,
    /// The store credit spent on the whole line (one of the discounts above).
    pub credit_cents: i64,
}

/// What is owed back for a set of units.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owed {
    pub cents: i64,
    /// Whether the initial delivery is in it.
    pub shipping: bool,
    /// The amount by VAT rate (for the credit note); sums to `cents`.
    pub by_rate: Vec<RateShare>,
    /// The store credit those units were paid with: given back as credit, not money.
    #[serde(default)]
    pub credit_cents: i64,
}

/// `cents × units ÷ quantity` of `line`, to the cent, halves up.
fn share(line: &Sold, cents: i64, units: i32) -> i64 {
    let quantity = i64::from(line.quantity.max(1));
    let units = i64::from(units.clamp(0, line.quantity));
    (cents * units * 2 + quantity) / (2 * quantity)
}

/// What `units` of `line` were paid.
fn part(line: &Sold, units: i32) -> i64 {
    share(line, line.paid_cents, units)
}

/// The units of each line in `taken` (several entries for one line add up).
pub fn taken_units(taken: &[Taken]) -> BTreeMap<i32, i32> {
    let mut units = BTreeMap::new();
    for t in taken {
        *units.entry(t.line_id).or_insert(0) += t.quantity.max(0);
    }
    units
}

/// Whether some unit of `sold` is not taken back yet.
pub fn anything_left(sold: &[Sold], taken: &[Taken]) -> bool {
    let taken = taken_units(taken);
    sold.iter()
        .any(|line| line.quantity > taken.get(&line.line_id).copied().unwrap_or(0))
}

/// Whether every unit of `taking` is a unit of `sold` not already taken back `before`
/// (something to refund, nothing twice).
pub fn fits(sold: &[Sold], before: &[Taken], taking: &[Taken]) -> bool {
    let before = taken_units(before);
    let now = taken_units(taking);
    !now.is_empty()
        && now.iter().all(|(line_id, units)| {
            *units > 0
                && sold.iter().any(|line| {
                    line.line_id == *line_id
                        && before.get(line_id).copied().unwrap_or(0) + units <= line.quantity
                })
        })
}

/// What is owed for `taking`, with `before` already taken back from `sold`: the paid amount
/// of those units, plus `shipping_cents` when `with_shipping` and nothing is left of the order
/// afterwards, capped at `left_cents` (what is left to refund on the order).
pub fn owed(
    sold: &[Sold],
    before: &[Taken],
    taking: &[Taken],
    shipping_cents: i64,
    with_shipping: bool,
    left_cents: i64,
) -> Owed {
    let before = taken_units(before);
    let now = taken_units(taking);
    let mut per_rate: BTreeMap<i32, i64> = BTreeMap::new();
    let mut credit_cents = 0;
    let mut everything = true;
    for line in sold {
        let done = before
            .get(&line.line_id)
            .copied()
            .unwrap_or(0)
            .min(line.quantity);
        let more = now
            .get(&line.line_id)
            .copied()
            .unwrap_or(0)
            .min(line.quantity - done);
        let amount = part(line, done + more) - part(line, done);
        credit_cents +=
            share(line, line.credit_cents, done + more) - share(line, line.credit_cents, done);
        if amount > 0 {
            *per_rate.entry(line.vat_rate_bp).or_insert(0) += amount;
        }
        everything &= done + more >= line.quantity;
    }
    let shipping = with_shipping && everything && shipping_cents > 0;
    if shipping {
        // The delivery's VAT follows the goods it carried, as on the invoice.
        let mut goods: BTreeMap<i32, i64> = BTreeMap::new();
        for line in sold {
            *goods.entry(line.vat_rate_bp).or_insert(0) += line.paid_cents;
        }
        let weights: Vec<i64> = goods.values().copied().collect();
        for (bp, share) in goods.keys().zip(allocate_cents(shipping_cents, &weights)) {
            *per_rate.entry(*bp).or_insert(0) += share;
        }
    }
    let whole: i64 = per_rate.values().sum();
    let cents = whole.min(left_cents.max(0));
    let amounts: Vec<i64> = if cents < whole {
        let weights: Vec<i64> = per_rate.values().copied().collect();
        allocate_cents(cents, &weights)
    } else {
        per_rate.values().copied().collect()
    };
    Owed {
        cents,
        shipping,
        credit_cents,
        by_rate: per_rate
            .keys()
            .zip(amounts)
            .filter(|(_, amount)| *amount > 0)
            .map(|(bp, amount)| RateShare {
                rate: crate::money::from_basis_points(*bp),
                amount: crate::money::from_cents(amount),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn sold(line_id: i32, quantity: i32, paid_cents: i64, vat_rate_bp: i32) -> Sold {
        Sold {
            line_id,
            quantity,
            paid_cents,
            vat_rate_bp,
            credit_cents: 0,
        }
    }

    #[test]
    fn the_store_credit_a_line_was_paid_with_comes_back_with_its_units() {
        // 3 × 10 €, 6 € of it paid with store credit: 24 € of money, 6 € of credit.
        let line = Sold {
            credit_cents: 600,
            ..sold(1, 3, 2400, 550)
        };
        let mut before = Vec::new();
        let (mut money, mut credit) = (0, 0);
        for _ in 0..3 {
            let one = owed(&[line], &before, &[take(1, 1)], 0, false, 10_000);
            money += one.cents;
            credit += one.credit_cents;
            before.push(take(1, 1));
        }
        assert_eq!((money, credit), (2400, 600));
    }

    fn take(line_id: i32, quantity: i32) -> Taken {
        Taken { line_id, quantity }
    }

    #[test]
    fn a_part_of_a_discounted_line_is_its_share_of_what_was_paid() {
        // 3 × 10 € with 10 % off: 27 € paid for the line.
        let order = [sold(1, 3, 2700, 550), sold(2, 1, 1800, 2000)];
        let one = owed(&order, &[], &[take(1, 1)], 490, true, 10_000);
        assert_eq!(one.cents, 900);
        assert!(!one.shipping);
        assert_eq!(one.by_rate.len(), 1);
        assert_eq!(one.by_rate[0].rate, Decimal::new(55, 1));
    }

    #[test]
    fn units_taken_one_at_a_time_add_up_to_the_line() {
        // 10.00 € paid for 3 units does not divide: 3.33 + 3.34 + 3.33.
        let order = [sold(1, 3, 1000, 550)];
        let mut before = Vec::new();
        let mut total = 0;
        for _ in 0..3 {
            total += owed(&order, &before, &[take(1, 1)], 0, false, 10_000).cents;
            before.push(take(1, 1));
        }
        assert_eq!(total, 1000);
        // Nothing more once all is taken.
        assert_eq!(
            owed(&order, &before, &[take(1, 1)], 0, false, 10_000).cents,
            0
        );
    }

    #[test]
    fn everything_taken_back_brings_the_delivery_with_its_vat_split() {
        let order = [sold(1, 2, 2000, 550), sold(2, 1, 1000, 2000)];
        let all = owed(
            &order,
            &[take(1, 1)],
            &[take(1, 1), take(2, 1)],
            600,
            true,
            10_000,
        );
        assert!(all.shipping);
        // 10 € + 10 € of goods, then 6 € of delivery split 2:1 over the rates.
        assert_eq!(all.cents, 2600);
        let split: Vec<(String, Decimal)> = all
            .by_rate
            .iter()
            .map(|r| (r.rate.to_string(), r.amount))
            .collect();
        assert_eq!(
            split,
            [
                ("5.5".to_owned(), Decimal::new(1400, 2)),
                ("20".to_owned(), Decimal::new(1200, 2))
            ]
        );
        // A missing-item claim (no delivery back) for the same lines.
        assert_eq!(
            owed(
                &order,
                &[take(1, 1)],
                &[take(1, 1), take(2, 1)],
                600,
                false,
                10_000
            )
            .cents,
            2000
        );
    }

    #[test]
    fn never_more_than_is_left_to_refund() {
        let order = [sold(1, 1, 2000, 550), sold(2, 1, 1000, 2000)];
        let capped = owed(&order, &[], &[take(1, 1), take(2, 1)], 0, true, 1500);
        assert_eq!(capped.cents, 1500);
        let split: Decimal = capped.by_rate.iter().map(|r| r.amount).sum();
        assert_eq!(split, Decimal::new(1500, 2));
        assert_eq!(owed(&order, &[], &[take(1, 1)], 0, true, -5).cents, 0);
    }

    #[test]
    fn only_units_still_there_fit() {
        let order = [sold(1, 2, 2000, 550)];
        assert!(fits(&order, &[take(1, 1)], &[take(1, 1)]));
        assert!(!fits(&order, &[take(1, 1)], &[take(1, 2)]));
        assert!(!fits(&order, &[], &[take(9, 1)]));
        assert!(!fits(&order, &[], &[]));
        assert!(!fits(&order, &[], &[take(1, 0)]));
    }

    #[test]
    fn unknown_lines_and_excess_units_count_for_nothing() {
        let order = [sold(1, 2, 2000, 550)];
        assert_eq!(owed(&order, &[], &[take(9, 1)], 0, false, 10_000).cents, 0);
        assert_eq!(
            owed(&order, &[], &[take(1, 5)], 0, false, 10_000).cents,
            2000
        );
    }
}
