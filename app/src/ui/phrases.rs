//! Sentences with numbers in them, in both languages (the fixed strings live in `Msg`).

use super::format::{money, whole_number};
use crate::catalog::model::{MatchCount, NetUnit, StockLevel, UnitPrice};
use crate::i18n::{Locale, Msg};
use rust_decimal::Decimal;

/// "En stock", "Plus que 3 en stock", "Rupture de stock".
pub fn stock(locale: Locale, level: StockLevel) -> String {
    match (level, locale) {
        (StockLevel::InStock, _) => Msg::InStock.text(locale).to_owned(),
        (StockLevel::Low { left }, Locale::Fr) => format!("Plus que {left} en stock"),
        (StockLevel::Low { left }, Locale::En) => format!("Only {left} left"),
        (StockLevel::Out, _) => Msg::OutOfStock.text(locale).to_owned(),
    }
}

/// "415,00 € le kg".
pub fn unit_price(locale: Locale, price: UnitPrice) -> String {
    let per = match price.unit {
        NetUnit::Gram => Msg::PerKg,
        NetUnit::Millilitre => Msg::PerLitre,
    };
    format!("{} {}", money(locale, price.amount), per.text(locale))
}

/// "60 g", "30 ml".
pub fn net_quantity(quantity: i32, unit: NetUnit) -> String {
    let unit = match unit {
        NetUnit::Gram => "g",
        NetUnit::Millilitre => "ml",
    };
    format!("{quantity}\u{a0}{unit}")
}

/// "24 produits", "Plus de 1 000 produits", "1 product".
pub fn product_count(locale: Locale, matches: MatchCount) -> String {
    let n = whole_number(locale, matches.count);
    match (locale, matches.at_least, matches.count) {
        (Locale::Fr, true, _) => format!("Plus de {n} produits"),
        (Locale::En, true, _) => format!("More than {n} products"),
        (Locale::Fr, false, 0 | 1) => format!("{n} produit"),
        (Locale::En, false, 1) => format!("{n} product"),
        (Locale::Fr, false, _) => format!("{n} produits"),
        (Locale::En, false, _) => format!("{n} products"),
    }
}

/// Under the last page of a search ranked by relevance that found more than it ranks: what the
/// pages hold and how to see the rest.
pub fn search_window_end(locale: Locale, ranked: u64) -> String {
    let n = whole_number(locale, ranked);
    match locale {
        Locale::Fr => format!(
            "La pertinence classe les {n} produits trouvés les plus récents. Précisez votre \
             recherche, ou triez-la par prix ou par nom pour parcourir tous les autres."
        ),
        Locale::En => format!(
            "Relevance ranks the {n} newest products found. Narrow your search, or sort it by \
             price or name to browse all the others."
        ),
    }
}

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
    fn counts_say_more_than_when_counting_stopped() {
        let exact = |count| MatchCount {
            count,
            at_least: false,
        };
        assert_eq!(product_count(Locale::Fr, exact(0)), "0 produit");
        assert_eq!(product_count(Locale::En, exact(1)), "1 product");
        assert_eq!(product_count(Locale::Fr, exact(24)), "24 produits");
        let more = MatchCount {
            count: 1000,
            at_least: true,
        };
        assert_eq!(
            product_count(Locale::Fr, more),
            "Plus de 1\u{202F}000 produits"
        );
        assert_eq!(product_count(Locale::En, more), "More than 1,000 products");
        assert!(
            search_window_end(Locale::En, 1000).starts_with("Relevance ranks the 1,000 newest")
        );
    }

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
    fn stock_and_vat_phrases() {
        assert_eq!(
            stock(Locale::Fr, StockLevel::Low { left: 3 }),
            "Plus que 3 en stock"
        );
        assert_eq!(
            vat_included(Locale::Fr, Decimal::new(55, 1)),
            "TVA 5,5\u{a0}% incluse"
        );
        assert_eq!(lead_time(Locale::En, 2), "Ships within 2 working days");
    }
}
