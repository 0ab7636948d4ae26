//! Pure catalogue rules, compiled on both sides.

use super::model::{ListingParams, ListingQuery, NetUnit, SortOrder, StockLevel, UnitPrice};
use rust_decimal::{Decimal, RoundingStrategy};

/// At or below this many units a product shows "only a few left".
pub const LOW_STOCK_THRESHOLD: i32 = 5;

/// The price per kilogram or litre of `price` for `net_quantity` grams or millilitres, rounded
/// to the cent, half away from zero. `None` when the quantity is not positive.
pub fn unit_price(price: Decimal, net_quantity: i32, unit: NetUnit) -> Option<UnitPrice> {
    if net_quantity <= 0 {
        return None;
    }
    let amount = (price * Decimal::from(1000) / Decimal::from(net_quantity))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    Some(UnitPrice { amount, unit })
}

/// The stock level a shopper sees for `stock` units.
pub fn stock_level(stock: i32) -> StockLevel {
    match stock {
        s if s <= 0 => StockLevel::Out,
        s if s <= LOW_STOCK_THRESHOLD => StockLevel::Low {
            left: s.unsigned_abs(),
        },
        _ => StockLevel::InStock,
    }
}

/// Products per catalogue page.
pub const PAGE_SIZE: u32 = 24;

/// The highest page number accepted.
pub const MAX_PAGE: u32 = 10_000;

/// The longest search accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// The longest category slug accepted, in characters.
const MAX_SLUG_CHARS: usize = 80;

/// Why a catalogue URL was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingError {
    BadPage,
    BadSort,
    QueryTooLong,
    BadCategory,
}

/// Checks the catalogue's query parameters. Empty values count as absent, so a submitted form
/// with blank fields gives the plain catalogue.
///
/// # Errors
/// [`ListingError`] naming the first parameter that is not acceptable.
pub fn parse_listing(params: &ListingParams) -> Result<ListingQuery, ListingError> {
    let present = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let page = match present(&params.page) {
        None => 1,
        Some(p) => p
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=MAX_PAGE).contains(p))
            .ok_or(ListingError::BadPage)?,
    };
    let sort = match present(&params.sort) {
        None => SortOrder::default(),
        Some(s) => SortOrder::from_code(&s).ok_or(ListingError::BadSort)?,
    };
    let q = present(&params.q);
    if q.as_ref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS)
    {
        return Err(ListingError::QueryTooLong);
    }
    let category = present(&params.category);
    if category.as_ref().is_some_and(|c| {
        c.len() > MAX_SLUG_CHARS
            || !c
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    }) {
        return Err(ListingError::BadCategory);
    }
    Ok(ListingQuery {
        category,
        q,
        sort,
        page,
    })
}

/// The URL of a catalogue view; the default values are left out so each view has one address.
pub fn listing_href(query: &ListingQuery) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(category) = &query.category {
        pairs.push(("category", category.clone()));
    }
    if let Some(q) = &query.q {
        pairs.push(("q", q.clone()));
    }
    if query.sort != SortOrder::default() {
        pairs.push(("sort", query.sort.code().to_owned()));
    }
    if query.page > 1 {
        pairs.push(("page", query.page.to_string()));
    }
    if pairs.is_empty() {
        return "/products".to_owned();
    }
    let encoded: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}", crate::ui::format::query_value(&v)))
        .collect();
    format!("/products?{}", encoded.join("&"))
}

/// The average of ratings summing to `sum` over `count` reviews, in tenths rounded to the
/// nearest (4.55 → 46); 0 without reviews.
pub fn average_tenths(sum: u64, count: u64) -> u32 {
    if count == 0 {
        return 0;
    }
    u32::try_from((sum * 20 + count) / (count * 2)).unwrap_or(0)
}

/// The reduction a page may announce (L112-1-1), in whole percent of the reference price
/// (rounded down, never overstated): only when the price in force is below the reference
/// price, and at least one percent.
pub fn announced_percent(price: i64, reference: Option<i64>) -> Option<u32> {
    let reference = reference.filter(|&r| r > price && r > 0)?;
    let percent = (i128::from(reference - price) * 100) / i128::from(reference);
    u32::try_from(percent).ok().filter(|&p| p >= 1)
}

/// Days before a price reduction whose lowest price is its reference price (Code de la
/// consommation L112-1-1).
pub const REFERENCE_DAYS: i64 = 30;

/// The lowest price in force at any moment of the `days` days before `at`: the reference price
/// a reduction starting at `at` must be announced against. `history` holds a product's prices
/// with the moment each took effect, in any order; the price in force when the window opens
/// counts, a price replaced in the same instant it took effect does not. None when no price
/// was in force in the window (a product created at `at`).
pub fn lowest_price(
    history: &[(chrono::DateTime<chrono::Utc>, i64)],
    at: chrono::DateTime<chrono::Utc>,
    days: i64,
) -> Option<i64> {
    let start = at - chrono::Duration::days(days);
    let mut changes: Vec<_> = history
        .iter()
        .filter(|(from, _)| *from < at)
        .copied()
        .collect();
    changes.sort_by_key(|(from, _)| *from);
    let mut lowest: Option<i64> = None;
    for (i, (from, cents)) in changes.iter().enumerate() {
        let until = changes.get(i + 1).map(|(next, _)| *next);
        let in_force = until.is_none_or(|until| until > *from && until > start);
        if in_force {
            lowest = Some(lowest.map_or(*cents, |l| l.min(*cents)));
        }
    }
    lowest
}

#[cfg(test)]
mod reference_tests {
    use super::{REFERENCE_DAYS, announced_percent, lowest_price};
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use proptest::prelude::*;

    fn day(n: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::days(n)
    }

    #[test]
    fn a_price_raised_then_reduced_refers_to_the_lowest_of_the_thirty_days() {
        // 20 € for months, raised to 30 € ten days before the sale: the reference is 20 €,
        // not the raised price.
        let history = [(day(0), 2000), (day(90), 3000)];
        assert_eq!(lowest_price(&history, day(100), REFERENCE_DAYS), Some(2000));
        // Raised 40 days before: only 30 € was in force in the window.
        assert_eq!(lowest_price(&history, day(130), REFERENCE_DAYS), Some(3000));
        // A lower price that ended before the window does not count; one in force when it
        // opens does.
        let history = [(day(0), 1500), (day(50), 2500), (day(71), 2200)];
        assert_eq!(lowest_price(&history, day(100), REFERENCE_DAYS), Some(2200));
        assert_eq!(lowest_price(&history, day(80), REFERENCE_DAYS), Some(2200));
        assert_eq!(
            lowest_price(&history, day(79), REFERENCE_DAYS),
            Some(1500),
            "the window opens on day 49, under 15 €"
        );
        // Nothing before: no reference; changes after `at` are ignored; a price replaced at
        // the instant it took effect never was in force.
        assert_eq!(lowest_price(&history, day(0), REFERENCE_DAYS), None);
        let history = [
            (day(0), 2000),
            (day(95), 900),
            (day(95), 2100),
            (day(101), 100),
        ];
        assert_eq!(lowest_price(&history, day(100), REFERENCE_DAYS), Some(2000));
    }

    #[test]
    fn a_reduction_is_announced_only_against_a_higher_reference() {
        assert_eq!(announced_percent(1_600, Some(2_000)), Some(20));
        // 33.3 % off: announced as 33, never rounded up.
        assert_eq!(announced_percent(2_000, Some(3_000)), Some(33));
        // A price raised then reduced: the reduction is against the lower price before.
        assert_eq!(announced_percent(2_400, Some(2_000)), None);
        assert_eq!(announced_percent(1_995, Some(2_000)), None);
        assert_eq!(announced_percent(2_000, None), None);
    }

    proptest! {
        /// Against the definition, hour by hour: the lowest of the prices in force at each
        /// hour of the window (changes fall on whole hours).
        #[test]
        fn the_reference_is_the_lowest_price_in_force_in_the_window(
            changes in proptest::collection::vec((0i64..2_000, 1i64..10_000), 0..12),
            at in 0i64..2_400,
        ) {
            let hour = |h: i64| Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::hours(h);
            let history: Vec<_> = changes.iter().map(|(h, c)| (hour(*h), *c)).collect();
            let window = REFERENCE_DAYS * 24;
            // The price in force at hour h: the last change at or before it (the later one of
            // two at the same instant, as stored in that order).
            let in_force = |h: i64| {
                let mut sorted = changes.clone();
                sorted.sort_by_key(|(from, _)| *from);
                sorted.iter().rev().find(|(from, _)| *from <= h).map(|(_, c)| *c)
            };
            let expected = ((at - window)..at).filter_map(in_force).min();
            prop_assert_eq!(lowest_price(&history, hour(at), REFERENCE_DAYS), expected);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_price_is_per_kilogram_rounded_half_away_from_zero() {
        // 24.90 € for 60 g → 415.00 €/kg
        let p = unit_price(crate::money::from_cents(2490), 60, NetUnit::Gram).unwrap();
        assert_eq!(p.amount, crate::money::from_cents(41500));
        // 19.99 € for 30 ml → 666.333… → 666.33 €/l
        let p = unit_price(crate::money::from_cents(1999), 30, NetUnit::Millilitre).unwrap();
        assert_eq!(p.amount, crate::money::from_cents(66633));
        // 0.01 € for 200 g → 0.05 €/kg (0.05 exactly); 0.01 € for 400 g → 0.025 → 0.03
        let p = unit_price(crate::money::from_cents(1), 400, NetUnit::Gram).unwrap();
        assert_eq!(p.amount, crate::money::from_cents(3));
    }

    #[test]
    fn no_unit_price_without_a_quantity() {
        assert_eq!(
            unit_price(crate::money::from_cents(100), 0, NetUnit::Gram),
            None
        );
    }

    #[test]
    fn stock_levels() {
        assert_eq!(stock_level(0), StockLevel::Out);
        assert_eq!(stock_level(-2), StockLevel::Out);
        assert_eq!(
            stock_level(LOW_STOCK_THRESHOLD),
            StockLevel::Low { left: 5 }
        );
        assert_eq!(stock_level(1), StockLevel::Low { left: 1 });
        assert_eq!(stock_level(LOW_STOCK_THRESHOLD + 1), StockLevel::InStock);
    }

    fn params(category: &str, q: &str, sort: &str, page: &str) -> ListingParams {
        let some = |v: &str| Some(v.to_owned());
        ListingParams {
            category: some(category),
            q: some(q),
            sort: some(sort),
            page: some(page),
        }
    }

    #[test]
    fn blank_parameters_give_the_plain_catalogue() {
        let query = parse_listing(&params("", " ", "", "")).unwrap();
        assert_eq!(
            query,
            ListingQuery {
                page: 1,
                ..ListingQuery::default()
            }
        );
        assert_eq!(listing_href(&query), "/products");
        assert_eq!(parse_listing(&ListingParams::default()).unwrap(), query);
    }

    #[test]
    fn parameters_are_checked() {
        let query =
            parse_listing(&params("soin-visage", "sérum éclat", "price-desc", "3")).unwrap();
        assert_eq!(query.category.as_deref(), Some("soin-visage"));
        assert_eq!(query.sort, SortOrder::PriceDesc);
        assert_eq!(query.page, 3);
        assert_eq!(
            listing_href(&query),
            "/products?category=soin-visage&q=s%C3%A9rum+%C3%A9clat&sort=price-desc&page=3"
        );
        for page in ["0", "-1", "abc", "10001", "1.5"] {
            assert_eq!(
                parse_listing(&params("", "", "", page)),
                Err(ListingError::BadPage)
            );
        }
        assert_eq!(
            parse_listing(&params("", "", "cheapest", "")),
            Err(ListingError::BadSort)
        );
        let long = "x".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(
            parse_listing(&params("", &long, "", "")),
            Err(ListingError::QueryTooLong)
        );
        assert_eq!(
            parse_listing(&params("<script>", "", "", "")),
            Err(ListingError::BadCategory)
        );
    }

    #[test]
    fn vat_rates_read_as_percentages() {
        assert_eq!(crate::money::from_basis_points(550).to_string(), "5.5");
        assert_eq!(crate::money::from_basis_points(2000).to_string(), "20");
    }
}

#[cfg(test)]
mod average_tests {
    use super::average_tenths;

    #[test]
    fn the_average_is_rounded_to_the_nearest_tenth() {
        assert_eq!(average_tenths(0, 0), 0);
        assert_eq!(average_tenths(4, 1), 40);
        assert_eq!(average_tenths(14, 3), 47, "4.666…");
        assert_eq!(average_tenths(91, 20), 46, "4.55 rounds up");
        assert_eq!(average_tenths(13, 3), 43, "4.333…");
    }
}
