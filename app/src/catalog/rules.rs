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
