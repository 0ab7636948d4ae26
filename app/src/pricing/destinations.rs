//! Delivery destinations: ISO 3166-1 alpha-2 codes, where `FR` means metropolitan France and
//! each overseas department, region or collectivity goes by its own code (GP, MQ, GF, RE, YT,
//! PM, BL, MF, WF, PF, NC), as the post and customs treat them.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// Which rules a destination falls under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Region {
    MetropolitanFrance,
    /// An overseas department, region or collectivity: its own rate table, no VAT charged.
    Overseas,
    /// Another EU member state.
    Eu,
    World,
}

/// Every destination the shop delivers to: code, French and English names, region.
const DESTINATIONS: &[(&str, &str, &str, Region)] = &[
    (
        "FR",
        "France métropolitaine",
        "Metropolitan France",
        Region::MetropolitanFrance,
    ),
    ("GP", "Guadeloupe", "Guadeloupe", Region::Overseas),
    ("MQ", "Martinique", "Martinique", Region::Overseas),
    ("GF", "Guyane", "French Guiana", Region::Overseas),
    ("RE", "La Réunion", "Réunion", Region::Overseas),
    ("YT", "Mayotte", "Mayotte", Region::Overseas),
    (
        "PM",
        "Saint-Pierre-et-Miquelon",
        "Saint Pierre and Miquelon",
        Region::Overseas,
    ),
    (
        "BL",
        "Saint-Barthélemy",
        "Saint Barthélemy",
        Region::Overseas,
    ),
    ("MF", "Saint-Martin", "Saint Martin", Region::Overseas),
    (
        "WF",
        "Wallis-et-Futuna",
        "Wallis and Futuna",
        Region::Overseas,
    ),
    (
        "PF",
        "Polynésie française",
        "French Polynesia",
        Region::Overseas,
    ),
    (
        "NC",
        "Nouvelle-Calédonie",
        "New Caledonia",
        Region::Overseas,
    ),
    ("DE", "Allemagne", "Germany", Region::Eu),
    ("AT", "Autriche", "Austria", Region::Eu),
    ("BE", "Belgique", "Belgium", Region::Eu),
    ("BG", "Bulgarie", "Bulgaria", Region::Eu),
    ("CY", "Chypre", "Cyprus", Region::Eu),
    ("HR", "Croatie", "Croatia", Region::Eu),
    ("DK", "Danemark", "Denmark", Region::Eu),
    ("ES", "Espagne", "Spain", Region::Eu),
    ("EE", "Estonie", "Estonia", Region::Eu),
    ("FI", "Finlande", "Finland", Region::Eu),
    ("GR", "Grèce", "Greece", Region::Eu),
    ("HU", "Hongrie", "Hungary", Region::Eu),
    ("IE", "Irlande", "Ireland", Region::Eu),
    ("IT", "Italie", "Italy", Region::Eu),
    ("LV", "Lettonie", "Latvia", Region::Eu),
    ("LT", "Lituanie", "Lithuania", Region::Eu),
    ("LU", "Luxembourg", "Luxembourg", Region::Eu),
    ("MT", "Malte", "Malta", Region::Eu),
    ("NL", "Pays-Bas", "Netherlands", Region::Eu),
    ("PL", "Pologne", "Poland", Region::Eu),
    ("PT", "Portugal", "Portugal", Region::Eu),
    ("CZ", "Tchéquie", "Czechia", Region::Eu),
    ("RO", "Roumanie", "Romania", Region::Eu),
    ("SK", "Slovaquie", "Slovakia", Region::Eu),
    ("SI", "Slovénie", "Slovenia", Region::Eu),
    ("SE", "Suède", "Sweden", Region::Eu),
    ("AU", "Australie", "Australia", Region::World),
    ("CA", "Canada", "Canada", Region::World),
    ("US", "États-Unis", "United States", Region::World),
    ("IS", "Islande", "Iceland", Region::World),
    ("JP", "Japon", "Japan", Region::World),
    ("MA", "Maroc", "Morocco", Region::World),
    ("NO", "Norvège", "Norway", Region::World),
    ("GB", "Royaume-Uni", "United Kingdom", Region::World),
    ("SN", "Sénégal", "Senegal", Region::World),
    ("CH", "Suisse", "Switzerland", Region::World),
];

/// A destination the shop delivers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Destination(&'static str);

impl Serialize for Destination {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Destination {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Destination::try_from(code).map_err(serde::de::Error::custom)
    }
}

impl Destination {
    /// Metropolitan France, the default.
    pub const FRANCE: Destination = Destination("FR");

    /// The destination for `code` (case-insensitive), if the shop delivers there.
    pub fn parse(code: &str) -> Option<Destination> {
        DESTINATIONS
            .iter()
            .find(|d| d.0.eq_ignore_ascii_case(code.trim()))
            .map(|d| Destination(d.0))
    }

    /// Every destination, in the order a picker shows them.
    pub fn all() -> impl Iterator<Item = Destination> {
        DESTINATIONS.iter().map(|d| Destination(d.0))
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    fn entry(self) -> &'static (&'static str, &'static str, &'static str, Region) {
        DESTINATIONS
            .iter()
            .find(|d| d.0 == self.0)
            .unwrap_or(&DESTINATIONS[0])
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match locale {
            Locale::Fr => self.entry().1,
            Locale::En => self.entry().2,
        }
    }

    pub fn region(self) -> Region {
        self.entry().3
    }

    /// Where a French postal code (five digits) delivers: `97…` and `98…` codes belong to the
    /// overseas territories (Saint-Barthélemy is 97133 and Saint-Martin 97150 inside
    /// Guadeloupe's 971), any other to metropolitan France (Monaco's 980…, delivered and taxed
    /// as France, included). `None` for a code of no territory the shop delivers to (984: the
    /// French Southern Lands).
    pub fn of_french_postal_code(code: &str) -> Option<Destination> {
        let territory = match code.get(..3)? {
            "971" => match code {
                "97133" => "BL",
                "97150" => "MF",
                _ => "GP",
            },
            "972" => "MQ",
            "973" => "GF",
            "974" => "RE",
            "975" => "PM",
            "976" => "YT",
            "977" => "BL",
            "978" => "MF",
            "986" => "WF",
            "987" => "PF",
            "988" => "NC",
            "980" => "FR",
            other if other.starts_with("97") || other.starts_with("98") => return None,
            _ => "FR",
        };
        Destination::parse(territory)
    }

    /// The code of the shipping zone whose rate table applies.
    pub fn zone_code(self) -> &'static str {
        match self.region() {
            Region::MetropolitanFrance | Region::Overseas => self.0,
            Region::Eu => "EU",
            Region::World => "WORLD",
        }
    }
}

impl Default for Destination {
    fn default() -> Self {
        Destination::FRANCE
    }
}

impl TryFrom<String> for Destination {
    type Error = String;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Destination::parse(&code).ok_or_else(|| format!("no delivery to {code}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overseas_territories_have_their_own_zone_and_eu_countries_share_one() {
        let zones: Vec<&str> = ["FR", "gp", "RE", "NC", "BE", "DE", "CH", "NO"]
            .iter()
            .map(|c| Destination::parse(c).unwrap().zone_code())
            .collect();
        assert_eq!(
            zones,
            ["FR", "GP", "RE", "NC", "EU", "EU", "WORLD", "WORLD"]
        );
        assert_eq!(Destination::parse("XX"), None);
        assert_eq!(Destination::parse(""), None);
    }

    #[test]
    fn french_postal_codes_name_their_territory() {
        let of = |code| Destination::of_french_postal_code(code).map(Destination::code);
        assert_eq!(of("75011"), Some("FR"));
        assert_eq!(of("20000"), Some("FR"), "Corsica is metropolitan");
        assert_eq!(of("98000"), Some("FR"), "Monaco is delivered as France");
        assert_eq!(of("97400"), Some("RE"));
        assert_eq!(of("97110"), Some("GP"));
        assert_eq!(of("97133"), Some("BL"));
        assert_eq!(of("97150"), Some("MF"));
        assert_eq!(of("97600"), Some("YT"));
        assert_eq!(of("98800"), Some("NC"));
        assert_eq!(of("98400"), None);
    }

    #[test]
    fn every_eu_member_but_france_is_listed_once() {
        let eu: Vec<_> = Destination::all()
            .filter(|d| d.region() == Region::Eu)
            .collect();
        assert_eq!(eu.len(), 26);
        let overseas = Destination::all()
            .filter(|d| d.region() == Region::Overseas)
            .count();
        assert_eq!(overseas, 11);
        let mut codes: Vec<_> = Destination::all().map(Destination::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), DESTINATIONS.len());
    }
}
