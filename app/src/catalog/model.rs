//! Catalogue types sent to the browser.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The unit a net quantity is measured in; unit prices are per kilogram or per litre.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NetUnit {
    Gram,
    Millilitre,
}

impl NetUnit {
    /// Parses the stored code (`g` or `ml`).
    pub fn from_code(code: &str) -> Option<NetUnit> {
        match code {
            "g" => Some(NetUnit::Gram),
            "ml" => Some(NetUnit::Millilitre),
            _ => None,
        }
    }
}

/// A price per kilogram or per litre, VAT included (required in France).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPrice {
    pub amount: Decimal,
    pub unit: NetUnit,
}

/// How much of a product is left, as shown to a shopper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockLevel {
    InStock,
    Low,
    Out,
}

/// A product as shown in a grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub image: String,
    pub price: Decimal,
    pub unit_price: Option<UnitPrice>,
    pub stock: StockLevel,
}

/// A category as shown in navigation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryLink {
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// What the home page shows of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeShowcase {
    pub featured: Vec<ProductCard>,
    pub categories: Vec<CategoryLink>,
}
