//! Cent-exact rounding and allocation.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds to the cent, halves away from zero (0.125 → 0.13): the one rounding rule of the
/// engine.
pub fn cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The amount without VAT in a VAT-inclusive `gross` at `rate` percent, to the cent.
pub fn net_of(gross: Decimal, rate: Decimal) -> Decimal {
    cents(gross * Decimal::ONE_HUNDRED / (Decimal::ONE_HUNDRED + rate))
}

/// Splits `amount` (in cents, non-negative) in proportion to `weights`, exactly: each share is
/// rounded down to the cent and the cents left go to the largest remainders (the earlier share
/// on a tie). When every weight is zero, the last share takes it all.
pub fn allocate(amount: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
    let Some(last) = weights.len().checked_sub(1) else {
        return Vec::new();
    };
    let whole: Decimal = weights.iter().copied().sum();
    let mut shares = vec![Decimal::ZERO; weights.len()];
    if whole <= Decimal::ZERO {
        shares[last] = amount;
        return shares;
    }
    let unit = Decimal::new(1, 2);
    let mut remainders = Vec::with_capacity(weights.len());
    for (i, weight) in weights.iter().enumerate() {
        let exact = amount * *weight / whole;
        let floored = (exact / unit).floor() * unit;
        shares[i] = floored;
        remainders.push((exact - floored, i));
    }
    let mut left = amount - shares.iter().copied().sum::<Decimal>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.into_iter().cycle() {
        if left < unit {
            break;
        }
        shares[i] += unit;
        left -= unit;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(cents(d("0.125")), d("0.13"));
        assert_eq!(cents(d("0.124")), d("0.12"));
        assert_eq!(cents(d("2.675")), d("2.68"));
    }

    #[test]
    fn net_of_removes_the_vat() {
        assert_eq!(net_of(d("12.00"), d("20")), d("10.00"));
        assert_eq!(net_of(d("10.55"), d("5.5")), d("10.00"));
        assert_eq!(net_of(d("9.90"), d("5.5")), d("9.38"));
    }

    #[test]
    fn allocation_is_exact_and_proportional() {
        assert_eq!(
            allocate(d("10.00"), &[d("1"), d("1"), d("1")]),
            [d("3.34"), d("3.33"), d("3.33")]
        );
        assert_eq!(
            allocate(d("4.90"), &[d("30"), d("70")]),
            [d("1.47"), d("3.43")]
        );
        assert_eq!(allocate(d("5"), &[d("0"), d("0")]), [d("0"), d("5")]);
        assert!(allocate(d("5"), &[]).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn allocated_cents_add_up_and_follow_the_decimal_split(
            cents in 0i64..10_000_000,
            weights in proptest::collection::vec(0i64..1_000_000, 1..8),
        ) {
            let shares = crate::money::allocate_cents(cents, &weights);
            proptest::prop_assert_eq!(shares.iter().sum::<i64>(), cents);
            let decimal: Vec<Decimal> = weights.iter().map(|w| crate::money::from_cents(*w)).collect();
            let expected: Vec<i64> = allocate(crate::money::from_cents(cents), &decimal)
                .into_iter()
                .map(|d| crate::money::to_cents(d).unwrap())
                .collect();
            proptest::prop_assert_eq!(shares, expected);
        }

    }
}
