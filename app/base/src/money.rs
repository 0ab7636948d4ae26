//! Money at the bottom of the crate: euro amounts as `Decimal`, stored and sent to payment
//! providers as whole cents, rates and percentages as basis points. Every conversion that can
//! lose an amount fails instead of saturating. Compiled on both sides; it imports nothing from
//! the crate.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

/// An amount that does not fit where it was to be stored (beyond ±92 million billion euros in
/// cents, or ±21 million percent in basis points): a bug or corrupt data, never rounded away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("amount out of range: {0}")]
pub struct OutOfRange(pub Decimal);

/// An amount that does not fit its column is a storage error like any other: the write it
/// belonged to is rolled back and the request answers an internal error (server only: the
/// `db` feature, switched on by the database crate).
#[cfg(feature = "db")]
impl From<OutOfRange> for sea_orm::DbErr {
    fn from(err: OutOfRange) -> Self {
        sea_orm::DbErr::Custom(err.to_string())
    }
}

/// Rounds to the cent, halves away from zero (0.125 → 0.13): the one rounding rule of the
/// shop.
pub fn round_to_cent(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `amount` in whole cents, rounded like [`round_to_cent`] (amounts from the pricing engine
/// are whole cents already).
pub fn to_cents(amount: Decimal) -> Result<i64, OutOfRange> {
    amount
        .checked_mul(Decimal::ONE_HUNDRED)
        .map(|c| c.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        .and_then(|c| c.to_i64())
        .ok_or(OutOfRange(amount))
}

/// Whole cents as an amount in euros.
pub fn from_cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// A percentage (a VAT rate of 5.5, a reduction of 12.5) in basis points (550, 1250).
pub fn to_basis_points(percent: Decimal) -> Result<i32, OutOfRange> {
    percent
        .checked_mul(Decimal::ONE_HUNDRED)
        .map(|b| b.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        .and_then(|b| b.to_i32())
        .ok_or(OutOfRange(percent))
}

/// Basis points as a percentage, without trailing zeros (550 → 5.5).
pub fn from_basis_points(bp: i32) -> Decimal {
    Decimal::new(i64::from(bp), 2).normalize()
}

/// Splits `cents` (non-negative) in proportion to non-negative `weights`, exactly: each share
/// is rounded down and the cents left go to the largest remainders (the earlier share on a
/// tie). When every weight is zero, the last share takes it all. The integer twin of
/// `pricing::split::allocate`, for amounts already in cents (a property test there checks
/// they agree).
pub fn allocate_cents(cents: i64, weights: &[i64]) -> Vec<i64> {
    let Some(last) = weights.len().checked_sub(1) else {
        return Vec::new();
    };
    let whole: i128 = weights.iter().map(|w| i128::from((*w).max(0))).sum();
    let mut shares = vec![0i64; weights.len()];
    if whole == 0 {
        shares[last] = cents;
        return shares;
    }
    let mut remainders = Vec::with_capacity(weights.len());
    for (i, weight) in weights.iter().enumerate() {
        let exact = i128::from(cents) * i128::from((*weight).max(0));
        // A share is at most `cents`, so it fits.
        shares[i] = i64::try_from(exact / whole).unwrap_or(cents);
        remainders.push((exact % whole, i));
    }
    let mut left = cents - shares.iter().sum::<i64>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.into_iter().cycle() {
        if left <= 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

/// An amount typed in euros (`4,90`, `4.90`, `4`, `4,90 €`), to the cent, from 0 to 10,000.
pub fn parse_euros(text: &str) -> Option<Decimal> {
    let amount: Decimal = text
        .trim()
        .trim_end_matches('€')
        .trim()
        .replace(',', ".")
        .parse()
        .ok()?;
    (amount >= Decimal::ZERO && amount <= Decimal::new(10_000, 0) && amount == amount.round_dp(2))
        .then(|| amount.round_dp(2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn cents_round_half_away_from_zero_and_overflow_is_an_error() {
        assert_eq!(to_cents(d("12.34")), Ok(1234));
        assert_eq!(to_cents(d("0.125")), Ok(13));
        assert_eq!(to_cents(d("-0.125")), Ok(-13));
        assert_eq!(to_cents(Decimal::ZERO), Ok(0));
        assert_eq!(to_cents(Decimal::MAX), Err(OutOfRange(Decimal::MAX)));
        let beyond = from_cents(i64::MAX) + Decimal::ONE;
        assert_eq!(to_cents(beyond), Err(OutOfRange(beyond)));
        assert_eq!(to_cents(from_cents(i64::MAX)), Ok(i64::MAX));
    }

    #[test]
    fn basis_points_hold_two_decimals_of_a_percentage() {
        assert_eq!(to_basis_points(d("5.5")), Ok(550));
        assert_eq!(to_basis_points(d("20")), Ok(2000));
        assert_eq!(to_basis_points(d("12.345")), Ok(1235));
        assert_eq!(from_basis_points(550), d("5.5"));
        assert!(to_basis_points(d("30000000")).is_err());
    }

    #[test]
    fn euros_are_read_as_typed_in_france_or_elsewhere() {
        assert_eq!(parse_euros("4,90"), Some(d("4.90")));
        assert_eq!(parse_euros(" 4.9 € "), Some(d("4.90")));
        assert_eq!(parse_euros("4"), Some(d("4")));
        assert_eq!(parse_euros("10000"), Some(d("10000")));
        assert_eq!(parse_euros("10000.01"), None);
        assert_eq!(parse_euros("-1"), None);
        assert_eq!(parse_euros("4,999"), None);
        assert_eq!(parse_euros("quatre"), None);
    }

    #[test]
    fn cents_are_allocated_to_the_largest_remainders() {
        assert_eq!(allocate_cents(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(allocate_cents(490, &[2990, 1000]), vec![367, 123]);
        assert_eq!(allocate_cents(5, &[0, 0]), vec![0, 5]);
        assert_eq!(allocate_cents(5, &[]), Vec::<i64>::new());
    }

    proptest! {
        #[test]
        fn cents_round_trip(cents in any::<i64>()) {
            prop_assert_eq!(to_cents(from_cents(cents)), Ok(cents));
        }

        #[test]
        fn basis_points_round_trip(bp in any::<i32>()) {
            prop_assert_eq!(to_basis_points(from_basis_points(bp)), Ok(bp));
        }
    }
}
