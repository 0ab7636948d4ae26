//! Sentences with numbers in them, in both languages (the fixed strings live in `Msg`).

use crate::i18n::Locale;
use rust_decimal::Decimal;

/// "Expédié sous 2 jours ouvrés".
pub fn lead_time(locale: Locale, days: i32) -> String {
    match (locale, days) {
        (Locale::Fr, d) if d <= 1 => "Expédié sous 1 jour ouvré".to_owned(),
        (Locale::Fr, d) => format!("Expédié sous {d} jours ouvrés"),
        (Locale::En, d) if d <= 1 => "Ships within 1 working day".to_owned(),
        (Locale::En, d) => format!("Ships within {d} working days"),
    }
}

/// "Tous les mois", "Tous les 2 mois".
pub fn every_months(locale: Locale, months: u8) -> String {
    match (locale, months) {
        (Locale::Fr, 1) => "Tous les mois".to_owned(),
        (Locale::Fr, m) => format!("Tous les {m} mois"),
        (Locale::En, 1) => "Every month".to_owned(),
        (Locale::En, m) => format!("Every {m} months"),
    }
}

/// [`every_months`] inside a sentence: "tous les 2 mois", "every month".
pub fn every_months_lower(locale: Locale, months: u8) -> String {
    match (locale, months) {
        (Locale::Fr, 1) => "tous les mois".to_owned(),
        (Locale::Fr, m) => format!("tous les {m} mois"),
        (Locale::En, 1) => "every month".to_owned(),
        (Locale::En, m) => format!("every {m} months"),
    }
}

/// "Livraison tous les 1, 2 ou 3 mois".
pub fn subscription_frequencies(locale: Locale, months: &[u8]) -> String {
    let list: Vec<String> = months.iter().map(u8::to_string).collect();
    let joined = match list.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => {
            let or = match locale {
                Locale::Fr => "ou",
                Locale::En => "or",
            };
            format!("{} {or} {last}", rest.join(", "))
        }
    };
    match locale {
        Locale::Fr if months == [1] => "Livraison tous les mois".to_owned(),
        Locale::En if months == [1] => "Delivered every month".to_owned(),
        Locale::Fr => format!("Livraison tous les {joined} mois"),
        Locale::En => format!("Delivered every {joined} months"),
    }
}

/// "TVA 5,5 % incluse".
pub fn vat_included(locale: Locale, rate: Decimal) -> String {
    match locale {
        Locale::Fr => format!("TVA {}\u{a0}% incluse", rate.to_string().replace('.', ",")),
        Locale::En => format!("incl. {rate}% VAT"),
    }
}

/// "Page 2 sur 5" / "Page 2".
pub fn page_of(locale: Locale, page: u32, last: Option<u32>) -> String {
    match (locale, last) {
        (Locale::Fr, Some(last)) => format!("Page {page} sur {last}"),
        (Locale::En, Some(last)) => format!("Page {page} of {last}"),
        (_, None) => format!("Page {page}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequencies_read_naturally() {
        assert_eq!(
            subscription_frequencies(Locale::Fr, &[1, 2, 3]),
            "Livraison tous les 1, 2 ou 3 mois"
        );
        assert_eq!(
            subscription_frequencies(Locale::En, &[2, 3]),
            "Delivered every 2 or 3 months"
        );
        assert_eq!(
            subscription_frequencies(Locale::Fr, &[1]),
            "Livraison tous les mois"
        );
    }

    #[test]
    fn vat_and_lead_time_phrases() {
        assert_eq!(
            vat_included(Locale::Fr, Decimal::new(55, 1)),
            "TVA 5,5\u{a0}% incluse"
        );
        assert_eq!(lead_time(Locale::En, 2), "Ships within 2 working days");
    }
}
