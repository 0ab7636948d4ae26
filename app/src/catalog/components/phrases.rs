//! Catalogue sentences with numbers in them, in both languages: stock, unit prices, counts.

use crate::catalog::model::{MatchCount, NetUnit, StockLevel, UnitPrice};
use crate::i18n::{Locale, Msg};
use crate::ui::format::{money, whole_number};

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
    fn stock_phrases() {
        assert_eq!(
            stock(Locale::Fr, StockLevel::Low { left: 3 }),
            "Plus que 3 en stock"
        );
        assert_eq!(
            stock(Locale::En, StockLevel::Low { left: 1 }),
            "Only 1 left"
        );
    }
}
