//! What the cart holds and what the server answers about it.

use crate::pricing::{Destination, Quote};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A product as the cart keeps it: as shown when it was added, refreshed by each server quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartProduct {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub image: String,
    /// Unit price, VAT included.
    pub price: Decimal,
    /// VAT rate in percent.
    pub vat_rate: Decimal,
    pub weight_grams: u32,
    /// How many can be ordered now: the stock, capped at the per-line limit (0: none).
    pub max_quantity: u32,
    /// The subscription frequencies offered, in months (empty: not by subscription).
    #[serde(default)]
    pub subscription_months: Vec<u8>,
}

/// A line of the cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartItem {
    pub product: CartProduct,
    pub quantity: u32,
    /// A subscription: delivered again every this many months.
    #[serde(default)]
    pub every_months: Option<u8>,
}

/// The cart: its lines in the order they were added, and where it would be delivered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    pub items: Vec<CartItem>,
    pub destination: Destination,
}

/// A line as sent to the server: never a price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRequest {
    pub product_id: i32,
    pub quantity: u32,
    /// A subscription line: every this many months.
    #[serde(default)]
    pub every_months: Option<u8>,
}

/// Why a line cannot be ordered as it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineIssue {
    /// Fewer left than asked: the quote counts `available`.
    Reduced { product_id: i32, available: u32 },
    /// None left: the quote leaves the line out.
    OutOfStock { product_id: i32 },
    /// Archived or unknown: the quote leaves the line out.
    NotOnSale { product_id: i32 },
    /// No longer offered by subscription at this frequency: the quote leaves the line out.
    FrequencyUnavailable { product_id: i32 },
}

impl LineIssue {
    pub fn product_id(self) -> i32 {
        match self {
            LineIssue::Reduced { product_id, .. }
            | LineIssue::OutOfStock { product_id }
            | LineIssue::NotOnSale { product_id }
            | LineIssue::FrequencyUnavailable { product_id } => product_id,
        }
    }
}

/// The server's answer for a cart: the current products, what cannot be ordered as asked, and
/// the quote of what can.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartQuote {
    pub products: Vec<CartProduct>,
    pub issues: Vec<LineIssue>,
    pub quote: Quote,
}
