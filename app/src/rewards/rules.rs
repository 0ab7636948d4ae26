//! The rules of referral and loyalty that need no database: the settings and their form, the
//! referral codes, the loyalty voucher, and when two addresses are the same place.

use super::{RewardSettings, RewardsForm};
use crate::i18n::Msg;
use crate::promotions::rules::Benefit;
use rust_decimal::Decimal;

/// What the shop gives until staff change it: 10 % off the referred person's first order,
/// 10 € for the sponsor, one point per euro, 100 points make a 5 € voucher.
pub fn defaults() -> RewardSettings {
    RewardSettings {
        welcome: Benefit::Percent(Decimal::TEN),
        sponsor_credit: Decimal::TEN,
        points_per_euro: 1,
        voucher_points: 100,
        voucher_value: Decimal::new(5, 0),
    }
}

/// The most a credit or a voucher may be worth, and the most points a euro may earn.
const MAX_EUROS: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);
const MAX_POINTS_PER_EURO: u32 = 100;
const MAX_VOUCHER_POINTS: u32 = 100_000;

/// `form` checked.
///
/// # Errors
/// The message for the first field that is wrong.
pub fn check(form: &RewardsForm) -> Result<RewardSettings, Msg> {
    use crate::money::parse_euros;
    let euros = |text: &str, zero_ok: bool| {
        parse_euros(text).filter(|v| *v <= MAX_EUROS && (zero_ok || !v.is_zero()))
    };
    let welcome_value = euros(&form.welcome_value, false).ok_or(Msg::ErrRewardsWelcome)?;
    let welcome = match form.welcome_kind.as_str() {
        "percent" if welcome_value <= Decimal::ONE_HUNDRED => Benefit::Percent(welcome_value),
        "amount" => Benefit::Amount(welcome_value),
        _ => return Err(Msg::ErrRewardsWelcome),
    };
    let sponsor_credit = euros(&form.sponsor_credit, true).ok_or(Msg::ErrRewardsCredit)?;
    let points_per_euro = form
        .points_per_euro
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= MAX_POINTS_PER_EURO)
        .ok_or(Msg::ErrRewardsPointsRate)?;
    let voucher_points = form
        .voucher_points
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_VOUCHER_POINTS).contains(n))
        .ok_or(Msg::ErrRewardsVoucher)?;
    let voucher_value = euros(&form.voucher_value, false).ok_or(Msg::ErrRewardsVoucher)?;
    Ok(RewardSettings {
        welcome,
        sponsor_credit,
        points_per_euro,
        voucher_points,
        voucher_value,
    })
}

/// The alphabet of a code's random part: no 0/O, 1/I/L, so it reads aloud.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A referral code: the first name's letters (up to 8, accents dropped, upper-case) then a dash
/// and six random characters, `draw(n)` giving a number below `n`: `CLAIRE-7KQ2MX`. A name with
/// no letter gives `AMI-…`.
pub fn referral_code(first_name: &str, mut draw: impl FnMut(usize) -> usize) -> String {
    let name: String = deunicode::deunicode(first_name)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(8)
        .collect::<String>()
        .to_ascii_uppercase();
    let name = if name.is_empty() {
        "AMI".to_owned()
    } else {
        name
    };
    let tail: String = (0..6)
        .map(|_| char::from(ALPHABET[draw(ALPHABET.len()) % ALPHABET.len()]))
        .collect();
    format!("{name}-{tail}")
}

/// What `points` buy at checkout: whole vouchers of `settings.voucher_points`, no more than
/// `goods_left` is worth (a voucher is not change). Returns the points spent and the amount.
pub fn voucher(
    settings: &RewardSettings,
    points: i64,
    goods_left: Decimal,
) -> Option<(i64, Decimal)> {
    let size = i64::from(settings.voucher_points.max(1));
    if settings.voucher_value.is_zero() || points < size {
        return None;
    }
    let affordable = points / size;
    let fits = (goods_left / settings.voucher_value).floor();
    let count = Decimal::from(affordable).min(fits);
    let count = i64::try_from(count).ok().filter(|n| *n > 0)?;
    Some((count * size, Decimal::from(count) * settings.voucher_value))
}

/// The points a paid order earns: `points_per_euro` for each whole euro of goods it paid (after
/// its discounts; delivery earns nothing).
pub fn points_earned(settings: &RewardSettings, goods_paid: Decimal) -> i64 {
    let euros = i64::try_from(goods_paid.max(Decimal::ZERO).floor()).unwrap_or(0);
    euros * i64::from(settings.points_per_euro)
}

/// The points a refund takes back: the share of `earned` that `refunded` is of `total`
/// (rounded half up), never more than `earned`.
pub fn points_taken_back(earned: i64, refunded_cents: i64, total_cents: i64) -> i64 {
    if total_cents <= 0 || earned <= 0 {
        return 0;
    }
    let share = Decimal::from(earned) * Decimal::from(refunded_cents.min(total_cents))
        / Decimal::from(total_cents);
    let share =
        share.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(share).unwrap_or(earned).min(earned)
}

/// One street address as a comparable key: accents, case, spaces and punctuation dropped, so
/// "12 rue de l'Église" and "12 RUE DE L EGLISE" are the same place.
pub fn place_key(line1: &str, line2: Option<&str>, postal_code: &str, country: &str) -> String {
    let squash = |text: &str| -> String {
        deunicode::deunicode(text)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    format!(
        "{}|{}|{}|{}",
        squash(line1),
        squash(line2.unwrap_or_default()),
        squash(postal_code),
        squash(country)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RewardsForm {
        RewardsForm {
            welcome_kind: "amount".into(),
            welcome_value: "7,50".into(),
            sponsor_credit: "0".into(),
            points_per_euro: "2".into(),
            voucher_points: "200".into(),
            voucher_value: "10".into(),
        }
    }

    #[test]
    fn the_form_is_checked_field_by_field() {
        let settings = check(&form()).expect("valid");
        assert_eq!(settings.welcome, Benefit::Amount(Decimal::new(750, 2)));
        assert!(settings.sponsor_credit.is_zero());
        assert_eq!(settings.points_per_euro, 2);
        let wrong = |edit: fn(&mut RewardsForm)| {
            let mut f = form();
            edit(&mut f);
            check(&f).err()
        };
        assert_eq!(wrong(|f| f.welcome_kind = "percent".into()), None);
        assert_eq!(
            wrong(|f| {
                f.welcome_kind = "percent".into();
                f.welcome_value = "120".into();
            }),
            Some(Msg::ErrRewardsWelcome)
        );
        assert_eq!(
            wrong(|f| f.welcome_value = "0".into()),
            Some(Msg::ErrRewardsWelcome)
        );
        assert_eq!(
            wrong(|f| f.welcome_kind = "gift".into()),
            Some(Msg::ErrRewardsWelcome)
        );
        assert_eq!(
            wrong(|f| f.sponsor_credit = "-1".into()),
            Some(Msg::ErrRewardsCredit)
        );
        assert_eq!(
            wrong(|f| f.sponsor_credit = "5000".into()),
            Some(Msg::ErrRewardsCredit)
        );
        assert_eq!(
            wrong(|f| f.points_per_euro = "1.5".into()),
            Some(Msg::ErrRewardsPointsRate)
        );
        assert_eq!(
            wrong(|f| f.voucher_points = "0".into()),
            Some(Msg::ErrRewardsVoucher)
        );
        assert_eq!(
            wrong(|f| f.voucher_value = "".into()),
            Some(Msg::ErrRewardsVoucher)
        );
    }

    #[test]
    fn codes_read_aloud() {
        let mut n = 0;
        let code = referral_code("Hélène-Marie", |max| {
            n += 7;
            n % max
        });
        assert!(code.starts_with("HELENEMA-"), "{code}");
        assert_eq!(code.len(), "HELENEMA-".len() + 6);
        assert!(code[9..].chars().all(|c| ALPHABET.contains(&(c as u8))));
        assert!(referral_code("李", |_| 0).starts_with("LI-"));
        assert!(referral_code("  ", |_| 0).starts_with("AMI-"));
        assert!(crate::account::rules::clean_referral_code(&code).is_ok());
    }

    #[test]
    fn vouchers_are_whole_and_never_change() {
        let s = defaults();
        assert_eq!(voucher(&s, 99, Decimal::ONE_HUNDRED), None);
        assert_eq!(
            voucher(&s, 250, Decimal::ONE_HUNDRED),
            Some((200, Decimal::TEN))
        );
        // 12.40 € of goods left: two 5 € vouchers, not three.
        assert_eq!(
            voucher(&s, 1000, Decimal::new(1240, 2)),
            Some((200, Decimal::TEN))
        );
        assert_eq!(voucher(&s, 1000, Decimal::new(499, 2)), None);
        assert_eq!(voucher(&s, -50, Decimal::ONE_HUNDRED), None);
    }

    #[test]
    fn points_follow_the_goods_paid() {
        let s = defaults();
        assert_eq!(points_earned(&s, Decimal::new(4999, 2)), 49);
        assert_eq!(points_earned(&s, Decimal::new(-5, 0)), 0);
        assert_eq!(points_taken_back(49, 2500, 5000), 25);
        assert_eq!(points_taken_back(49, 5000, 5000), 49);
        assert_eq!(points_taken_back(49, 9000, 5000), 49);
        assert_eq!(points_taken_back(0, 100, 5000), 0);
    }

    #[test]
    fn the_same_place_whatever_the_spelling() {
        assert_eq!(
            place_key("12 rue de l'Église", None, "75001", "FR"),
            place_key("12  RUE DE L EGLISE", Some(""), "75 001", "fr")
        );
        assert_ne!(
            place_key("12 rue de l'Église", Some("Apt 3"), "75001", "FR"),
            place_key("12 rue de l'Église", Some("Apt 4"), "75001", "FR")
        );
    }
}
