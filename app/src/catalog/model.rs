//! Catalogue types sent to the browser.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::codes::coded! {
    /// The unit a net quantity is measured in; unit prices are per kilogram or per litre.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum NetUnit {
        Gram = "g",
        Millilitre = "ml",
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
    /// Only `left` units remain.
    Low {
        left: u32,
    },
    Out,
}

impl StockLevel {
    /// Whether the product can be ordered at all.
    pub fn available(self) -> bool {
        !matches!(self, StockLevel::Out)
    }
}

crate::codes::coded! {
    /// What a product is; supplements carry the mandatory warning.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ProductKind {
        Supplement = "supplement",
        Cosmetic = "cosmetic",
    }
}

/// A price reduction as a page announces it (Code de la consommation L112-1-1): against the
/// reference price, the lowest of the 30 days before it, never another "was" price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reduction {
    /// VAT included.
    pub reference: Decimal,
    /// Whole percent off the reference price, rounded down.
    pub percent: u32,
    /// When the sale ends (the product page says it; cards do not).
    pub until: Option<chrono::DateTime<chrono::Utc>>,
}

/// A product as shown in a grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub image: String,
    pub price: Decimal,
    /// The reduction announced on it, while on sale.
    pub reduction: Option<Reduction>,
    pub unit_price: Option<UnitPrice>,
    pub stock: StockLevel,
    /// What the cart keeps when the card's product is added.
    pub cart: crate::cart::model::CartProduct,
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

crate::codes::coded! {
    /// How a listing is ordered; its URL code is [`SortOrder::code`].
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum SortOrder {
        /// Best match first when searching; otherwise the shop's own order (featured first).
        #[default]
        Relevance = "relevance",
        PriceAsc = "price-asc",
        PriceDesc = "price-desc",
        Name = "name",
        Newest = "newest",
    }
}

/// The catalogue's query parameters as they came in the URL, unchecked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingParams {
    pub category: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// A checked catalogue query (see [`super::rules::parse_listing`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ListingQuery {
    pub category: Option<String>,
    pub q: Option<String>,
    pub sort: SortOrder,
    /// 1-based.
    pub page: u32,
}

/// How many products match: exact, or "more than" when counting stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchCount {
    pub count: u64,
    pub at_least: bool,
}

/// One page of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductListing {
    pub query: ListingQuery,
    pub products: Vec<ProductCard>,
    pub categories: Vec<CategoryLink>,
    /// The category filtered on, if any.
    pub category: Option<CategoryLink>,
    pub matches: MatchCount,
    /// The last page when known (the count is exact), else `None`.
    pub last_page: Option<u32>,
    pub has_next: bool,
}

/// A picture of a product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductImage {
    pub src: String,
    pub alt: String,
}

/// Everything the product page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub slug: String,
    pub sku: String,
    pub kind: ProductKind,
    pub name: String,
    pub summary: String,
    pub description: String,
    pub composition: String,
    pub usage: String,
    pub category: CategoryLink,
    /// VAT included.
    pub price: Decimal,
    /// The reduction announced on it, while on sale.
    pub reduction: Option<Reduction>,
    /// In percent (5.5, 20).
    pub vat_rate: Decimal,
    pub net_quantity: i32,
    pub net_unit: NetUnit,
    pub unit_price: Option<UnitPrice>,
    pub stock: StockLevel,
    pub lead_time_days: i32,
    /// Allowed subscription frequencies in months; empty when not offered by subscription.
    pub subscription_months: Vec<u8>,
    pub images: Vec<ProductImage>,
    /// What the cart keeps when this product is added.
    pub cart: crate::cart::model::CartProduct,
    /// Its published reviews.
    pub reviews: ReviewSummary,
    pub related: Vec<ProductCard>,
    /// Its sizes or counts on sale, the first first (one for most products). The fields above
    /// that vary by size are the first's; [`ProductDetail::variant`] picks another.
    pub variants: Vec<VariantOption>,
    /// Asked by a variant's own address: that variant's code (the page redirects to
    /// `?v=code`).
    pub asked_variant: Option<String>,
}

/// A size or count of a product, with what differs from one to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantOption {
    /// In the page's address: `?v=50ml`.
    pub code: String,
    /// `50 ml` (empty for a product of one variant).
    pub label: String,
    pub sku: String,
    /// VAT included.
    pub price: Decimal,
    pub reduction: Option<Reduction>,
    pub net_quantity: i32,
    pub unit_price: Option<UnitPrice>,
    pub stock: StockLevel,
    pub subscription_months: Vec<u8>,
    pub cart: crate::cart::model::CartProduct,
}

impl ProductDetail {
    /// The variant named `code` (unknown or none: the first).
    pub fn variant(&self, code: Option<&str>) -> Option<&VariantOption> {
        code.and_then(|code| self.variants.iter().find(|v| v.code == code))
            .or_else(|| self.variants.first())
    }
}

/// A published review, as the product page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedReview {
    pub rating: i32,
    pub body: String,
    /// First name and initial; empty once the author's account was erased.
    pub author: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A product's published reviews: how many, the average in tenths (46 = 4.6), the newest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSummary {
    pub count: u64,
    pub average_tenths: u32,
    pub reviews: Vec<PublishedReview>,
}

impl ReviewSummary {
    /// The average as text with one decimal ("4.6"), as schema.org wants it.
    pub fn average(&self) -> String {
        format!("{}.{}", self.average_tenths / 10, self.average_tenths % 10)
    }

    /// The average as a reader of `locale` writes it ("4,6" in French).
    pub fn average_in(&self, locale: crate::i18n::Locale) -> String {
        let separator = match locale {
            crate::i18n::Locale::Fr => ',',
            crate::i18n::Locale::En => '.',
        };
        format!(
            "{}{separator}{}",
            self.average_tenths / 10,
            self.average_tenths % 10
        )
    }
}
