//! The rates and rules a new French shop starts with (written to the database by `server
//! seed`, then edited by staff). Amounts VAT included where VAT applies.

use super::model::{
    CountryVat, PaymentMethod, PaymentRule, PricingConfig, ShippingRate, ShippingZone,
};

/// Overseas departments and regions: one table each, on the same scale.
const OVERSEAS_DEPARTMENTS: [&str; 5] = ["GP", "MQ", "GF", "RE", "YT"];
/// Overseas collectivities: one table each; the Pacific ones cost more.
const OVERSEAS_COLLECTIVITIES: [(&str, bool); 6] = [
    ("PM", false),
    ("BL", false),
    ("MF", false),
    ("WF", true),
    ("PF", true),
    ("NC", true),
];
/// Where Klarna offers payment in 3 instalments.
pub const KLARNA_COUNTRIES: [&str; 9] = ["FR", "NL", "BE", "DE", "AT", "FI", "SE", "DK", "NO"];
/// Where Bancontact is offered.
pub const BANCONTACT_COUNTRIES: [&str; 3] = ["BE", "NL", "LU"];
/// Where the shop accepts cheques (drawn on a French bank).
pub const CHEQUE_COUNTRIES: [&str; 6] = ["FR", "GP", "MQ", "GF", "RE", "YT"];

fn table(brackets: &[(Option<u32>, i64)]) -> Vec<ShippingRate> {
    brackets
        .iter()
        .map(|&(up_to_grams, cents)| ShippingRate {
            up_to_grams,
            price: crate::money::from_cents(cents),
        })
        .collect()
}

/// The starting configuration.
pub fn starting_config() -> PricingConfig {
    let mut zones = vec![ShippingZone {
        code: "FR".into(),
        free_from: Some(crate::money::from_cents(60_00)),
        rates: table(&[
            (Some(250), 4_90),
            (Some(1_000), 6_90),
            (Some(3_000), 9_90),
            (None, 14_90),
        ]),
    }];
    for code in OVERSEAS_DEPARTMENTS {
        zones.push(ShippingZone {
            code: code.into(),
            free_from: None,
            rates: table(&[
                (Some(500), 12_50),
                (Some(1_000), 17_90),
                (Some(2_000), 24_90),
                (Some(5_000), 39_90),
                (Some(10_000), 59_90),
            ]),
        });
    }
    for (code, pacific) in OVERSEAS_COLLECTIVITIES {
        let bump = if pacific { 4_00 } else { 0 };
        zones.push(ShippingZone {
            code: code.into(),
            free_from: None,
            rates: table(&[
                (Some(500), 16_90 + bump),
                (Some(1_000), 23_90 + bump),
                (Some(2_000), 34_90 + bump),
                (Some(5_000), 54_90 + bump),
            ]),
        });
    }
    zones.push(ShippingZone {
        code: "EU".into(),
        free_from: Some(crate::money::from_cents(90_00)),
        rates: table(&[
            (Some(500), 9_90),
            (Some(1_000), 12_90),
            (Some(2_000), 15_90),
            (Some(5_000), 22_90),
            (Some(10_000), 32_90),
        ]),
    });
    zones.push(ShippingZone {
        code: "WORLD".into(),
        free_from: None,
        rates: table(&[
            (Some(500), 16_90),
            (Some(1_000), 21_90),
            (Some(2_000), 29_90),
            (Some(5_000), 44_90),
        ]),
    });
    let rule =
        |method, min_total: Option<i64>, countries: Option<&[&str]>, recurring| PaymentRule {
            method,
            min_total: min_total.map(crate::money::from_cents),
            countries: countries.map(|c| c.iter().map(|s| (*s).to_owned()).collect()),
            recurring,
        };
    PricingConfig {
        zones,
        payment_rules: vec![
            rule(PaymentMethod::Card, None, None, true),
            rule(PaymentMethod::ApplePay, None, None, false),
            rule(PaymentMethod::Paypal, None, None, false),
            rule(
                PaymentMethod::Klarna3x,
                Some(60_00),
                Some(&KLARNA_COUNTRIES),
                false,
            ),
            rule(
                PaymentMethod::Bancontact,
                None,
                Some(&BANCONTACT_COUNTRIES),
                false,
            ),
            rule(PaymentMethod::BankTransfer, None, None, false),
            rule(PaymentMethod::Cheque, None, Some(&CHEQUE_COUNTRIES), false),
        ],
        destination_vat: Vec::new(),
    }
}

/// The EU member states' VAT rates for the shop's two classes, in percent, as a starting point
/// staff check with their accountant and edit (`/admin/vat`): the standard rate, and the rate
/// the country applies to food supplements (often its reduced rate for foodstuffs, sometimes
/// its standard rate). Rates as of 2026.
pub const EU_VAT: [(&str, &str, &str); 27] = [
    ("AT", "10", "20"),
    ("BE", "6", "21"),
    ("BG", "20", "20"),
    ("CY", "5", "19"),
    ("CZ", "12", "21"),
    ("DE", "7", "19"),
    ("DK", "25", "25"),
    ("EE", "24", "24"),
    ("ES", "10", "21"),
    ("FI", "14", "25.5"),
    ("FR", "5.5", "20"),
    ("GR", "13", "24"),
    ("HR", "13", "25"),
    ("HU", "18", "27"),
    ("IE", "23", "23"),
    ("IT", "10", "22"),
    ("LT", "21", "21"),
    ("LU", "3", "17"),
    ("LV", "21", "21"),
    ("MT", "18", "18"),
    ("NL", "9", "21"),
    ("PL", "8", "23"),
    ("PT", "6", "23"),
    ("RO", "11", "21"),
    ("SE", "12", "25"),
    ("SI", "9.5", "22"),
    ("SK", "19", "23"),
];

/// [`EU_VAT`] as the OSS table starts.
pub fn eu_vat_rates() -> Vec<CountryVat> {
    EU_VAT
        .iter()
        .map(|(country, reduced, standard)| CountryVat {
            country: (*country).to_owned(),
            reduced: reduced.parse().unwrap_or_default(),
            standard: standard.parse().unwrap_or_default(),
        })
        .collect()
}
