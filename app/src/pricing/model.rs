//! The engine's inputs and its quote (plain data, sent to the browser).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Most units of one product in a basket.
pub const MAX_LINE_QUANTITY: u32 = 99;
/// Most lines in a basket.
pub const MAX_LINES: usize = 50;

crate::codes::coded! {
    /// A payment method the shop can offer.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PaymentMethod {
        Card = "card",
        ApplePay = "apple_pay",
        Paypal = "paypal",
        Klarna3x = "klarna_3x",
        Bancontact = "bancontact",
        BankTransfer = "bank_transfer",
        Cheque = "cheque",
    }
}

/// One bracket of a rate table: parcels up to `up_to_grams` (any weight when `None`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingRate {
    pub up_to_grams: Option<u32>,
    pub price: Decimal,
}

/// A shipping zone's rate table (`code`: `FR`, an overseas territory's code, `EU`, `WORLD`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingZone {
    pub code: String,
    /// Shipping is free from this goods total, after discounts.
    pub free_from: Option<Decimal>,
    pub rates: Vec<ShippingRate>,
}

/// Where and from which total a payment method is offered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRule {
    pub method: PaymentMethod,
    pub min_total: Option<Decimal>,
    /// Destination codes; everywhere when `None`.
    pub countries: Option<Vec<String>>,
    /// Can pay subscriptions (charges without the shopper, through the recurring provider).
    pub recurring: bool,
}

/// An EU country's VAT rates for the shop's two classes: `reduced` for what France taxes at a
/// reduced rate (food supplements, 5.5 %), `standard` for the rest (cosmetics, 20 %).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryVat {
    pub country: String,
    pub reduced: Decimal,
    pub standard: Decimal,
}

/// The one-stop shop (OSS): past 10,000 € a year of distance sales to other EU countries, a
/// sale is taxed at the destination's rate, declared through the French OSS return.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OssSettings {
    pub enabled: bool,
    pub rates: Vec<CountryVat>,
}

/// The shop's rates and rules, as stored (enabled payment methods only, in display order).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingConfig {
    pub zones: Vec<ShippingZone>,
    pub payment_rules: Vec<PaymentRule>,
    /// With OSS on, the EU countries' own rates (empty: French VAT everywhere in the EU).
    #[serde(default)]
    pub destination_vat: Vec<CountryVat>,
}

impl PricingConfig {
    /// The VAT rate of a line France taxes at `french` when delivered to `destination`: the
    /// destination's own rate of the same class under OSS, else the French one. Prices stay
    /// as shown (VAT included): only their VAT part changes.
    pub fn vat_rate(&self, destination: super::Destination, french: Decimal) -> Decimal {
        if destination.region() != super::Region::Eu {
            return french;
        }
        self.destination_vat
            .iter()
            .find(|c| c.country == destination.code())
            .map_or(french, |c| {
                if french >= Decimal::from(20) {
                    c.standard
                } else {
                    c.reduced
                }
            })
    }

    /// The country whose VAT an order to `destination` is charged under OSS, if it is not
    /// France's.
    pub fn oss_country(&self, destination: super::Destination) -> Option<&str> {
        (destination.region() == super::Region::Eu
            && self
                .destination_vat
                .iter()
                .any(|c| c.country == destination.code()))
        .then_some(destination.code())
    }

    /// The shipping zone whose table applies to `destination`, if the shop has one.
    pub fn zone(&self, destination: super::Destination) -> Option<&ShippingZone> {
        self.zones
            .iter()
            .find(|z| z.code == destination.zone_code())
    }
}

/// A basket line as the engine prices it: the price comes from the database on the server
/// and from the product page in the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasketLine {
    pub product_id: i32,
    /// Unit price including VAT.
    pub unit_price: Decimal,
    /// VAT rate in percent (5.5, 20).
    pub vat_rate: Decimal,
    pub quantity: u32,
    pub weight_grams: u32,
    /// A subscription line (payable by recurring methods only).
    pub subscription: bool,
}

/// A discount or credit, applied to the goods before VAT is split.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub label: String,
    pub kind: AdjustmentKind,
    /// The products it applies to (`None`: the whole basket).
    #[serde(default)]
    pub products: Option<Vec<i32>>,
}

impl Adjustment {
    /// An adjustment of the whole basket.
    pub fn whole(label: impl Into<String>, kind: AdjustmentKind) -> Self {
        Self {
            label: label.into(),
            kind,
            products: None,
        }
    }

    pub fn applies_to(&self, product_id: i32) -> bool {
        self.products
            .as_ref()
            .is_none_or(|ids| ids.contains(&product_id))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdjustmentKind {
    /// A percentage of the goods left to pay.
    Percent(Decimal),
    /// A fixed amount (capped at the goods left to pay).
    Amount(Decimal),
}

/// Whether the quote's amounts include VAT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VatMode {
    /// EU deliveries, metropolitan France included.
    Included,
    /// Deliveries outside the EU and to the overseas territories: no VAT is charged, and customs
    /// duties and local taxes are the buyer's.
    Excluded,
}

/// The shipping part of a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shipping {
    Free,
    Paid(Decimal),
    /// The shop does not deliver this basket there (no zone, or too heavy for its table).
    Unavailable,
}

impl Shipping {
    /// The amount charged (zero when free or unavailable).
    pub fn amount(self) -> Decimal {
        match self {
            Shipping::Paid(amount) => amount,
            Shipping::Free | Shipping::Unavailable => Decimal::ZERO,
        }
    }
}

/// A priced line; amounts in the quote's [`VatMode`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub product_id: i32,
    pub quantity: u32,
    pub unit_price: Decimal,
    pub total: Decimal,
    pub vat_rate: Decimal,
    /// What the line costs once every discount took its share (the total when none did): what
    /// the customer paid for it, and what a return of all of it gives back.
    #[serde(default)]
    pub paid: Decimal,
}

/// A discount as applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedAdjustment {
    pub label: String,
    pub amount: Decimal,
    /// The amount by VAT rate (what it took off each rate's goods), for the invoice.
    #[serde(default)]
    pub by_rate: Vec<RateShare>,
    /// What it took off each line, in the quote's line order (a store credit's share of each
    /// line comes back as credit when that line is returned).
    #[serde(default)]
    pub by_line: Vec<Decimal>,
}

/// Part of an amount that falls on one VAT rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateShare {
    pub rate: Decimal,
    pub amount: Decimal,
}

/// The VAT of one rate: `net + vat = gross`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatLine {
    pub rate: Decimal,
    pub net: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
}

/// What a basket costs, delivered to a destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub destination: String,
    pub vat_mode: VatMode,
    pub lines: Vec<QuoteLine>,
    /// The goods, before discounts.
    pub subtotal: Decimal,
    pub adjustments: Vec<AppliedAdjustment>,
    pub shipping: Shipping,
    pub weight_grams: u32,
    /// Per rate, goods after discounts plus their share of shipping (empty when VAT is excluded).
    pub vat: Vec<VatLine>,
    pub total: Decimal,
    pub payment_methods: Vec<PaymentMethod>,
}

/// A basket the engine refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PricingError {
    #[error("a quantity must be between 1 and {MAX_LINE_QUANTITY}")]
    BadQuantity,
    #[error("a basket holds at most {MAX_LINES} lines")]
    TooManyLines,
    #[error("a price or rate is negative")]
    NegativeAmount,
}
