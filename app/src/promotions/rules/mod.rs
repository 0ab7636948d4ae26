//! What a promo code is, as staff type it and as it is checked; sales in [`sales`].

pub mod sales;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The longest code.
pub const MAX_CODE_CHARS: usize = 32;

/// What a code takes off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Benefit {
    /// A percentage of the goods it applies to (0.01 to 100).
    Percent(Decimal),
    /// An amount, at most the goods it applies to.
    Amount(Decimal),
}

/// What a code applies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    All,
    Products(Vec<i32>),
    Categories(Vec<i32>),
}

impl Scope {
    pub fn code(&self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::Products(_) => "products",
            Scope::Categories(_) => "categories",
        }
    }

    pub fn ids(&self) -> &[i32] {
        match self {
            Scope::All => &[],
            Scope::Products(ids) | Scope::Categories(ids) => ids,
        }
    }
}

/// A code, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromoRule {
    pub code: String,
    pub benefit: Benefit,
    pub min_basket: Option<Decimal>,
    /// First and last Paris days it can be used (inclusive).
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub max_uses: Option<i32>,
    pub max_uses_per_customer: Option<i32>,
    pub scope: Scope,
}

/// The form staff fill in; the scope names products or categories by their address (slug),
/// comma-separated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromoForm {
    pub code: String,
    /// `percent` or `amount`.
    pub kind: String,
    pub value: String,
    pub min_basket: String,
    pub starts_on: String,
    pub ends_on: String,
    pub max_uses: String,
    pub max_uses_per_customer: String,
    /// `all`, `products` or `categories`.
    pub scope: String,
    pub scope_slugs: String,
}

/// A code as customers may type it: trimmed, upper-cased; letters, digits, `-` and `_`, 3 to
/// [`MAX_CODE_CHARS`].
pub fn normalize_code(text: &str) -> Option<String> {
    let code = text.trim().to_uppercase();
    ((3..=MAX_CODE_CHARS).contains(&code.chars().count())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then_some(code)
}

/// The field a form was refused for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromoField {
    Code,
    Value,
    MinBasket,
    Dates,
    MaxUses,
    MaxUsesPerCustomer,
    Scope,
}

fn optional_count(text: &str, max: i32) -> Result<Option<i32>, ()> {
    match text.trim() {
        "" => Ok(None),
        n => n
            .parse::<i32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .map(Some)
            .ok_or(()),
    }
}

fn optional_day(text: &str) -> Result<Option<NaiveDate>, ()> {
    match text.trim() {
        "" => Ok(None),
        day => NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ()),
    }
}

/// The addresses (slugs) staff typed, separated by commas, spaces or lines; a whole address
/// (`/products/serum-eclat`) counts for its last part.
pub fn scope_slugs(text: &str) -> Vec<String> {
    text.split([',', '\n', ' '])
        .map(|s| {
            s.trim()
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_lowercase()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// `form` checked, with the scope's slugs still to resolve (returned apart).
///
/// # Errors
/// The first field that is wrong.
pub fn check(form: &PromoForm) -> Result<(PromoRule, Vec<String>), PromoField> {
    use crate::money::parse_euros;
    let code = normalize_code(&form.code).ok_or(PromoField::Code)?;
    let value = parse_euros(&form.value)
        .filter(|v| !v.is_zero())
        .ok_or(PromoField::Value)?;
    let benefit = match form.kind.as_str() {
        "percent" if value <= Decimal::ONE_HUNDRED => Benefit::Percent(value),
        "amount" => Benefit::Amount(value),
        _ => return Err(PromoField::Value),
    };
    let min_basket = match form.min_basket.trim() {
        "" => None,
        text => Some(parse_euros(text).ok_or(PromoField::MinBasket)?),
    };
    let starts_on = optional_day(&form.starts_on).map_err(|()| PromoField::Dates)?;
    let ends_on = optional_day(&form.ends_on).map_err(|()| PromoField::Dates)?;
    if let (Some(start), Some(end)) = (starts_on, ends_on)
        && end < start
    {
        return Err(PromoField::Dates);
    }
    let max_uses = optional_count(&form.max_uses, 1_000_000).map_err(|()| PromoField::MaxUses)?;
    let max_uses_per_customer = optional_count(&form.max_uses_per_customer, 1_000)
        .map_err(|()| PromoField::MaxUsesPerCustomer)?;
    let slugs = scope_slugs(&form.scope_slugs);
    let scope = match form.scope.as_str() {
        "all" | "" => Scope::All,
        "products" if !slugs.is_empty() => Scope::Products(Vec::new()),
        "categories" if !slugs.is_empty() => Scope::Categories(Vec::new()),
        _ => return Err(PromoField::Scope),
    };
    Ok((
        PromoRule {
            code,
            benefit,
            min_basket,
            starts_on,
            ends_on,
            max_uses,
            max_uses_per_customer,
            scope,
        },
        slugs,
    ))
}

/// The address a code's "uses per customer" counts, so that one inbox is one customer:
/// lower-cased, without a `+tag` in its local part, and for Gmail (which ignores dots and reads
/// `googlemail.com` as `gmail.com`) without dots.
pub fn canonical_email(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else {
        return email;
    };
    let local = local.split('+').next().unwrap_or(local);
    let (local, domain) = match domain {
        "gmail.com" | "googlemail.com" => (local.replace('.', ""), "gmail.com"),
        _ => (local.to_owned(), domain),
    };
    format!("{local}@{domain}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_inbox_is_one_customer() {
        assert_eq!(
            canonical_email(" Lea.Dubois+promo@Exemple.fr "),
            "lea.dubois@exemple.fr"
        );
        assert_eq!(
            canonical_email("lea.dubois+1+2@exemple.fr"),
            "lea.dubois@exemple.fr"
        );
        assert_eq!(canonical_email("L.E.A+x@googlemail.com"), "lea@gmail.com");
        assert_eq!(canonical_email("lea@gmail.com"), "lea@gmail.com");
        assert_eq!(canonical_email("not-an-address"), "not-an-address");
    }

    fn form() -> PromoForm {
        PromoForm {
            code: " bienvenue10 ".into(),
            kind: "percent".into(),
            value: "10".into(),
            min_basket: "30,00".into(),
            starts_on: "2026-11-01".into(),
            ends_on: "2026-12-31".into(),
            max_uses: "100".into(),
            max_uses_per_customer: "1".into(),
            scope: "all".into(),
            scope_slugs: String::new(),
        }
    }

    #[test]
    fn a_good_form_is_read() {
        let (rule, slugs) = check(&form()).unwrap();
        assert_eq!(rule.code, "BIENVENUE10");
        assert_eq!(rule.benefit, Benefit::Percent(Decimal::new(10, 0)));
        assert_eq!(rule.min_basket, Some(Decimal::new(3000, 2)));
        assert_eq!(rule.max_uses_per_customer, Some(1));
        assert!(slugs.is_empty());
        let mut f = form();
        f.scope = "products".into();
        f.scope_slugs = "serum-eclat, /products/huile-seche-corps\nbaume".into();
        let (rule, slugs) = check(&f).unwrap();
        assert_eq!(rule.scope.code(), "products");
        assert_eq!(slugs, ["serum-eclat", "huile-seche-corps", "baume"]);
    }

    #[test]
    fn each_field_is_checked() {
        type Spoil = fn(&mut PromoForm);
        let cases: [(Spoil, PromoField); 9] = [
            (|f| f.code = "a b".into(), PromoField::Code),
            (|f| f.code = "x".repeat(33), PromoField::Code),
            (|f| f.value = "0".into(), PromoField::Value),
            (|f| f.value = "101".into(), PromoField::Value),
            (|f| f.kind = "gift".into(), PromoField::Value),
            (|f| f.ends_on = "2026-10-01".into(), PromoField::Dates),
            (|f| f.max_uses = "0".into(), PromoField::MaxUses),
            (
                |f| f.max_uses_per_customer = "-1".into(),
                PromoField::MaxUsesPerCustomer,
            ),
            (|f| f.scope = "products".into(), PromoField::Scope),
        ];
        for (spoil, field) in cases {
            let mut f = form();
            spoil(&mut f);
            assert_eq!(check(&f).map(|_| ()), Err(field), "{f:?}");
        }
    }
}
