//! A sale (Code de la consommation L112-1-1): what it takes off, on what, from when to when;
//! the price it puts in force (the reduction a page may announce is
//! `catalog::rules::announced_percent`).

use super::Scope;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest name.
pub const MAX_NAME_CHARS: usize = 120;
/// The longest sale: a reduction that never ends is the price, not a reduction.
pub const MAX_DAYS: i64 = 92;
/// A start typed up to this long ago (the minute staff took to fill the form) means "now".
pub const START_GRACE_MINUTES: i64 = 10;

/// What a sale takes off a product's catalogue price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cut {
    /// A percentage, in basis points (1 to 9,999).
    Percent(i32),
    /// A new price in cents, VAT included (used where it is below the catalogue price).
    NewPrice(i64),
}

impl Cut {
    /// The stored kind and amount.
    pub fn stored(self) -> (&'static str, i64) {
        match self {
            Cut::Percent(bp) => ("percent", i64::from(bp)),
            Cut::NewPrice(cents) => ("price", cents),
        }
    }

    /// The cut a stored kind and amount hold; `None` for a corrupt row.
    pub fn from_stored(kind: &str, amount: i64) -> Option<Cut> {
        match kind {
            "percent" => i32::try_from(amount)
                .ok()
                .filter(|bp| (1..10_000).contains(bp))
                .map(Cut::Percent),
            "price" => (amount > 0).then_some(Cut::NewPrice(amount)),
            _ => None,
        }
    }
}

/// A sale, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleRule {
    pub name: String,
    pub cut: Cut,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub scope: Scope,
}

/// Where a sale stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaleState {
    Scheduled,
    Running,
    Ended,
    Cancelled,
}

/// Where a sale from `starts_at` to `ends_at`, maybe cancelled, stands at `now`.
pub fn sale_state(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    cancelled: bool,
    now: DateTime<Utc>,
) -> SaleState {
    if cancelled {
        SaleState::Cancelled
    } else if now < starts_at {
        SaleState::Scheduled
    } else if now < ends_at {
        SaleState::Running
    } else {
        SaleState::Ended
    }
}

/// The price `cut` puts in force on a catalogue price of `regular` cents: a percentage
/// rounded to the nearest cent (half up), a new price as it is; never above `regular` and
/// never below one cent.
pub fn sale_price(regular: i64, cut: Cut) -> i64 {
    let reduced = match cut {
        Cut::Percent(bp) => {
            let off = (i128::from(regular) * i128::from(bp) + 5_000) / 10_000;
            i64::try_from(i128::from(regular) - off).unwrap_or(regular)
        }
        Cut::NewPrice(cents) => cents,
    };
    reduced.min(regular).max(1)
}

/// Of the sales `offers` (id and cut) running on a product of catalogue price `regular`, the
/// one that is best for the customer and its price: the lowest price, the older sale on a
/// tie; none when no sale lowers the price.
pub fn best_sale(regular: i64, offers: impl IntoIterator<Item = (i32, Cut)>) -> Option<(i32, i64)> {
    offers
        .into_iter()
        .map(|(id, cut)| (id, sale_price(regular, cut)))
        .filter(|&(_, price)| price < regular)
        .min_by_key(|&(id, price)| (price, id))
}

/// The form staff fill in: times are Paris wall-clock times (`2026-12-05T09:00`, as a
/// `datetime-local` field sends them), the scope's products or categories named by address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleForm {
    pub name: String,
    /// `percent` or `price`.
    pub kind: String,
    pub amount: String,
    /// Empty: now.
    pub starts_at: String,
    pub ends_at: String,
    /// `all`, `products` or `categories`.
    pub scope: String,
    pub scope_slugs: String,
}

/// The field a form was refused for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaleField {
    Name,
    Amount,
    Start,
    End,
    Scope,
}

fn paris_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .ok()
        .map(crate::clock::paris_local)
}

/// `form` checked at `now`, with the scope's slugs still to resolve (returned apart).
///
/// # Errors
/// The first field that is wrong.
pub fn check_sale(
    form: &SaleForm,
    now: DateTime<Utc>,
) -> Result<(SaleRule, Vec<String>), SaleField> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(SaleField::Name);
    }
    let amount = crate::money::parse_euros(&form.amount)
        .filter(|a| a.is_sign_positive() && !a.is_zero())
        .ok_or(SaleField::Amount)?;
    let cut = match form.kind.as_str() {
        "percent" => Cut::Percent(
            crate::money::to_basis_points(amount)
                .ok()
                .filter(|bp| (1..10_000).contains(bp))
                .ok_or(SaleField::Amount)?,
        ),
        "price" => Cut::NewPrice(crate::money::to_cents(amount).map_err(|_| SaleField::Amount)?),
        _ => return Err(SaleField::Amount),
    };
    let starts_at = match form.starts_at.trim() {
        "" => now,
        text => {
            let at = paris_time(text).ok_or(SaleField::Start)?;
            if at < now - Duration::minutes(START_GRACE_MINUTES) {
                return Err(SaleField::Start);
            }
            at.max(now)
        }
    };
    let ends_at = paris_time(&form.ends_at).ok_or(SaleField::End)?;
    if ends_at <= starts_at || ends_at > starts_at + Duration::days(MAX_DAYS) {
        return Err(SaleField::End);
    }
    let slugs = super::scope_slugs(&form.scope_slugs);
    let scope = match form.scope.as_str() {
        "all" | "" => Scope::All,
        "products" if !slugs.is_empty() => Scope::Products(Vec::new()),
        "categories" if !slugs.is_empty() => Scope::Categories(Vec::new()),
        _ => return Err(SaleField::Scope),
    };
    Ok((
        SaleRule {
            name: name.to_owned(),
            cut,
            starts_at,
            ends_at,
            scope,
        },
        slugs,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn form() -> SaleForm {
        SaleForm {
            name: " Soldes d'hiver ".into(),
            kind: "percent".into(),
            amount: "20".into(),
            starts_at: "2027-01-13T08:00".into(),
            ends_at: "2027-02-09T20:00".into(),
            scope: "categories".into(),
            scope_slugs: "soins-visage".into(),
        }
    }

    #[test]
    fn a_good_form_is_read_in_paris_time() {
        let now = at("2026-12-05T10:00:00Z");
        let (rule, slugs) = check_sale(&form(), now).unwrap();
        assert_eq!(rule.name, "Soldes d'hiver");
        assert_eq!(rule.cut, Cut::Percent(2_000));
        assert_eq!(rule.starts_at, at("2027-01-13T07:00:00Z"));
        assert_eq!(rule.ends_at, at("2027-02-09T19:00:00Z"));
        assert_eq!(slugs, ["soins-visage"]);
        let mut f = form();
        f.starts_at = String::new();
        f.ends_at = "2026-12-06T10:00".into();
        f.kind = "price".into();
        f.amount = "19,90".into();
        let (rule, _) = check_sale(&f, now).unwrap();
        assert_eq!((rule.starts_at, rule.cut), (now, Cut::NewPrice(1_990)));
        // A start typed a few minutes ago is now.
        f.starts_at = "2026-12-05T10:55".into();
        assert_eq!(
            check_sale(&f, now + Duration::minutes(5))
                .unwrap()
                .0
                .starts_at,
            now + Duration::minutes(5)
        );
    }

    #[test]
    fn each_field_is_checked() {
        let now = at("2026-12-05T10:00:00Z");
        type Spoil = fn(&mut SaleForm);
        let cases: [(Spoil, SaleField); 11] = [
            (|f| f.name = "  ".into(), SaleField::Name),
            (|f| f.name = "x".repeat(121), SaleField::Name),
            (|f| f.amount = "0".into(), SaleField::Amount),
            (|f| f.amount = "100".into(), SaleField::Amount),
            (|f| f.amount = "-5".into(), SaleField::Amount),
            (|f| f.kind = "gift".into(), SaleField::Amount),
            (
                |f| f.starts_at = "2026-12-05T09:00".into(),
                SaleField::Start,
            ),
            (|f| f.starts_at = "demain".into(), SaleField::Start),
            (|f| f.ends_at = "2027-01-13T08:00".into(), SaleField::End),
            (|f| f.ends_at = "2027-06-01T08:00".into(), SaleField::End),
            (|f| f.scope_slugs = String::new(), SaleField::Scope),
        ];
        for (spoil, field) in cases {
            let mut f = form();
            spoil(&mut f);
            assert_eq!(check_sale(&f, now).map(|_| ()), Err(field), "{f:?}");
        }
    }

    #[test]
    fn a_sale_takes_off_what_it_says() {
        assert_eq!(sale_price(2_490, Cut::Percent(2_000)), 1_992);
        // 15 % of 9.99 is 1.4985: 1.50 off.
        assert_eq!(sale_price(999, Cut::Percent(1_500)), 849);
        assert_eq!(sale_price(2_490, Cut::NewPrice(1_990)), 1_990);
        assert_eq!(sale_price(1_500, Cut::NewPrice(1_990)), 1_500);
        assert_eq!(sale_price(1, Cut::Percent(9_999)), 1);
        assert_eq!(
            best_sale(
                2_000,
                [
                    (3, Cut::Percent(1_000)),
                    (1, Cut::NewPrice(1_800)),
                    (2, Cut::NewPrice(2_500))
                ]
            ),
            Some((1, 1_800))
        );
        assert_eq!(best_sale(2_000, [(2, Cut::NewPrice(2_500))]), None);
        assert_eq!(best_sale(2_000, []), None);
    }

    #[test]
    fn sale_states_follow_the_clock() {
        let (start, end) = (at("2026-12-05T10:00:00Z"), at("2026-12-06T10:00:00Z"));
        let state = |now: &str, cancelled| sale_state(start, end, cancelled, at(now));
        assert_eq!(state("2026-12-05T09:59:59Z", false), SaleState::Scheduled);
        assert_eq!(state("2026-12-05T10:00:00Z", false), SaleState::Running);
        assert_eq!(state("2026-12-06T10:00:00Z", false), SaleState::Ended);
        assert_eq!(state("2026-12-05T12:00:00Z", true), SaleState::Cancelled);
    }

    proptest! {
        #[test]
        fn a_sale_price_is_never_above_the_catalogue_nor_below_a_cent(
            regular in 1i64..10_000_000,
            bp in 1i32..10_000,
            new in 1i64..10_000_000,
        ) {
            for cut in [Cut::Percent(bp), Cut::NewPrice(new)] {
                let price = sale_price(regular, cut);
                prop_assert!((1..=regular).contains(&price));
            }
            let best = best_sale(regular, [(1, Cut::Percent(bp)), (2, Cut::NewPrice(new))]);
            if let Some((_, price)) = best {
                prop_assert!(price < regular);
                prop_assert!(price <= sale_price(regular, Cut::Percent(bp)));
                prop_assert!(price <= sale_price(regular, Cut::NewPrice(new)));
            }
            let announced = crate::catalog::rules::announced_percent(
                sale_price(regular, Cut::Percent(bp)),
                Some(regular),
            );
            if let Some(percent) = announced {
                // From a euro up, never more than the cut and half a percent of rounding.
                prop_assert!(regular < 100 || i64::from(percent) * 100 <= i64::from(bp) + 50);
            }
        }
    }
}
