//! The demo catalogue of Comptoir Botanique (a fictional brand; texts are its own).
//! Pairs are (French, English).

mod cosmetics;
mod supplements;

type Text = (&'static str, &'static str);

pub struct CategorySeed {
    pub slug: &'static str,
    pub name: Text,
    pub description: Text,
}

#[derive(Clone, Copy)]
pub enum Kind {
    Supplement,
    Cosmetic,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Supplement => "supplement",
            Kind::Cosmetic => "cosmetic",
        }
    }

    /// French VAT: 5.5 % on food supplements, 20 % on cosmetics (basis points).
    pub fn vat_rate_bp(self) -> i32 {
        match self {
            Kind::Supplement => 550,
            Kind::Cosmetic => 2000,
        }
    }
}

pub struct ProductSeed {
    pub slug: &'static str,
    pub sku: &'static str,
    pub category: &'static str,
    pub kind: Kind,
    pub name: Text,
    pub summary: Text,
    pub description: Text,
    pub composition: Text,
    pub usage: Text,
    pub price_cents: i64,
    pub net_quantity: i32,
    pub net_unit: &'static str,
    pub stock: i32,
    pub lead_time_days: i32,
    pub subscription_months: &'static str,
    pub featured: bool,
}

pub const CATEGORIES: &[CategorySeed] = &[
    CategorySeed {
        slug: "vitalite",
        name: ("Vitalité & énergie", "Vitality & energy"),
        description: (
            "Minéraux, vitamines et plantes pour les journées bien remplies.",
            "Minerals, vitamins and plants for busy days.",
        ),
    },
    CategorySeed {
        slug: "sommeil-serenite",
        name: ("Sommeil & sérénité", "Sleep & calm"),
        description: (
            "Des plantes apaisantes pour retrouver des nuits calmes.",
            "Soothing plants for calmer nights.",
        ),
    },
    CategorySeed {
        slug: "digestion-immunite",
        name: ("Digestion & immunité", "Digestion & immunity"),
        description: (
            "Ferments, plantes et oligo-éléments pour les saisons qui changent.",
            "Ferments, plants and trace elements for changing seasons.",
        ),
    },
    CategorySeed {
        slug: "soin-visage",
        name: ("Soin du visage", "Face care"),
        description: (
            "Nettoyer, traiter, hydrater : des formules d'origine naturelle.",
            "Cleanse, treat, moisturise: natural-origin formulas.",
        ),
    },
    CategorySeed {
        slug: "soin-corps",
        name: ("Soin du corps", "Body care"),
        description: (
            "Baumes, huiles et nettoyants doux pour toute la famille.",
            "Balms, oils and gentle cleansers for the whole family.",
        ),
    },
    CategorySeed {
        slug: "cheveux",
        name: ("Cheveux", "Hair care"),
        description: (
            "Shampooings solides et huiles pour des cheveux doux, sans silicone.",
            "Solid shampoos and oils for soft, silicone-free hair.",
        ),
    },
];

/// Every demo product: the supplements, then the cosmetics.
pub fn products() -> impl Iterator<Item = &'static ProductSeed> {
    supplements::SUPPLEMENTS
        .iter()
        .chain(cosmetics::COSMETICS.iter())
}

/// A second size of a demo product (the first is the product as listed above).
pub struct VariantSeed {
    /// The product's slug.
    pub of: &'static str,
    /// The first size's label, shown once there are two.
    pub first_label: Text,
    pub code: &'static str,
    pub label: Text,
    pub sku: &'static str,
    pub price_cents: i64,
    pub net_quantity: i32,
    pub stock: i32,
}

pub const VARIANTS: &[VariantSeed] = &[VariantSeed {
    of: "fer-vitamine-c",
    first_label: ("60 gélules", "60 capsules"),
    code: "120-gelules",
    label: ("120 gélules", "120 capsules"),
    sku: "CB-VIT-005-120",
    price_cents: 2790,
    net_quantity: 48,
    stock: 40,
}];
