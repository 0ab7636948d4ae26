//! Locale-aware formatting of money and quantities.

use crate::i18n::Locale;
use rust_decimal::{Decimal, RoundingStrategy};

/// Narrow no-break space: the French thousands separator and the space before `€`.
const NNBSP: char = '\u{202F}';

/// A whole number with its thousands grouped: `1 000` in French, `1,000` in English.
pub fn whole_number(locale: Locale, n: u64) -> String {
    let group = match locale {
        Locale::Fr => NNBSP,
        Locale::En => ',',
    };
    group_digits(&n.to_string(), group)
}

/// `digits` with `group` between each group of three, from the right.
fn group_digits(digits: &str, group: char) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    grouped
}

/// Formats a rate in percent: `5,5 %` (no-break space) in French, `5.5%` in English.
pub fn percent(locale: Locale, rate: Decimal) -> String {
    let rate = rate.normalize().to_string();
    match locale {
        Locale::Fr => format!("{}\u{a0}%", rate.replace('.', ",")),
        Locale::En => format!("{rate}%"),
    }
}

/// Formats an amount in euros: `1 234,50 €` in French, `€1,234.50` in English.
pub fn money(locale: Locale, amount: Decimal) -> String {
    let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.2}", rounded.abs());
    let (units, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let (group, decimal) = match locale {
        Locale::Fr => (NNBSP, ','),
        Locale::En => (',', '.'),
    };
    let grouped = group_digits(units, group);
    let sign = if negative { "-" } else { "" };
    match locale {
        Locale::Fr => format!("{sign}{grouped}{decimal}{cents}{NNBSP}€"),
        Locale::En => format!("{sign}€{grouped}{decimal}{cents}"),
    }
}

/// A calendar day as the shop writes it: `23/01/2027`.
pub fn day(date: chrono::NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// The Paris day of `at`, written out: `20 janvier 2027`, `20 January 2027`.
pub fn long_day(locale: Locale, at: chrono::DateTime<chrono::Utc>) -> String {
    long_date(
        locale,
        at.with_timezone(&chrono_tz::Europe::Paris).date_naive(),
    )
}

/// `date` written out: `20 janvier 2027`, `20 January 2027`.
pub fn long_date(locale: Locale, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = usize::try_from(date.month0()).unwrap_or(0);
    match locale {
        Locale::Fr if date.day() == 1 => format!("1er {} {}", FR[month], date.year()),
        Locale::Fr => format!("{} {} {}", date.day(), FR[month], date.year()),
        Locale::En => format!("{} {} {}", date.day(), EN[month], date.year()),
    }
}

/// An instant in the shop's time zone: `20/01/2027 à 00 h 00`, `20/01/2027 at 00:00 (Paris
/// time)`.
pub fn paris_time(locale: Locale, at: chrono::DateTime<chrono::Utc>) -> String {
    let at = at.with_timezone(&chrono_tz::Europe::Paris);
    match locale {
        Locale::Fr => at.format("%d/%m/%Y à %H h %M").to_string(),
        Locale::En => at.format("%d/%m/%Y at %H:%M (Paris time)").to_string(),
    }
}

/// "★★★★☆" for `rating` out of 5 (a review's stars).
pub fn stars(rating: i32) -> String {
    let full = usize::try_from(rating.clamp(0, 5)).unwrap_or(0);
    format!("{}{}", "★".repeat(full), "☆".repeat(5 - full))
}

/// Percent-encodes a query value (`application/x-www-form-urlencoded`, spaces as `+`).
pub fn query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(cents: i64) -> Decimal {
        Decimal::new(cents, 2)
    }

    #[test]
    fn french_amounts_use_comma_and_narrow_spaces() {
        assert_eq!(money(Locale::Fr, d(2490)), "24,90\u{202F}€");
        assert_eq!(
            money(Locale::Fr, d(123_456_789)),
            "1\u{202F}234\u{202F}567,89\u{202F}€"
        );
        assert_eq!(money(Locale::Fr, d(0)), "0,00\u{202F}€");
    }

    #[test]
    fn english_amounts_put_the_sign_first() {
        assert_eq!(money(Locale::En, d(2490)), "€24.90");
        assert_eq!(money(Locale::En, d(100_000)), "€1,000.00");
        assert_eq!(money(Locale::En, d(-505)), "-€5.05");
    }

    #[test]
    fn amounts_round_half_away_from_zero() {
        assert_eq!(money(Locale::En, Decimal::new(1005, 3)), "€1.01");
        assert_eq!(money(Locale::En, Decimal::new(-1005, 3)), "-€1.01");
    }
}
