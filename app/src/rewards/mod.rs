//! Referral and loyalty (issue 12, with `crate::promotions`).
//!
//! **Referral.** Every account has a code (made on first need) and a share link to the sign-up
//! page. A referred person, signed up with the code or typing it at checkout, gets the welcome
//! advantage on their first order; once that order is paid their sponsor gets a credit for a
//! next order, by email. A person is referred once (a unique row per address); one's own code
//! is refused by account, by email and by delivery address; a first order refunded in full,
//! withdrawn or cancelled after payment reverses the referral, and an unspent credit with it.
//!
//! **Loyalty.** A paid order of an account earns points per euro of goods paid; whole vouchers
//! of points come off a later order at checkout; a refund takes back its share of the points.
//!
//! Every advantage is a [`crate::pricing::Adjustment`], so review, order and invoice agree to
//! the cent, VAT split after the discount. Each is taken inside the order's transaction by a
//! conditional write (the credit's row, the points balance, the referred address's unique row),
//! so concurrent checkouts cannot spend one twice; an unpaid order cancelled gives them back.

pub mod api;
#[cfg(feature = "ssr")]
pub mod credit;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use crate::promotions::rules::Benefit;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What the shop gives, as staff set it at `/admin/rewards`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardSettings {
    /// The referred person's advantage on their first order.
    pub welcome: Benefit,
    /// The sponsor's credit once that order is paid (zero: none).
    pub sponsor_credit: Decimal,
    /// Points a euro of goods paid earns (zero: none).
    pub points_per_euro: u32,
    /// A voucher is this many points…
    pub voucher_points: u32,
    /// …worth this much.
    pub voucher_value: Decimal,
}

/// The settings form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardsForm {
    /// `percent` or `amount`.
    pub welcome_kind: String,
    pub welcome_value: String,
    pub sponsor_credit: String,
    pub points_per_euro: String,
    pub voucher_points: String,
    pub voucher_value: String,
}

impl RewardsForm {
    /// The form filled with `settings`.
    pub fn of(settings: &RewardSettings) -> Self {
        let (kind, value) = match settings.welcome {
            Benefit::Percent(p) => ("percent", p),
            Benefit::Amount(a) => ("amount", a),
        };
        Self {
            welcome_kind: kind.to_owned(),
            welcome_value: value.normalize().to_string(),
            sponsor_credit: settings.sponsor_credit.normalize().to_string(),
            points_per_euro: settings.points_per_euro.to_string(),
            voucher_points: settings.voucher_points.to_string(),
            voucher_value: settings.voucher_value.normalize().to_string(),
        }
    }
}

/// A friend the customer referred, as their account shows it (no name nor address: the
/// friend's data stays theirs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRow {
    pub at: DateTime<Utc>,
    /// `pending`, `earned` or `reversed`.
    pub status: String,
    pub credit: Decimal,
    /// The order that spent the credit.
    pub spent_on: Option<String>,
}

/// One move of the points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsRow {
    pub at: DateTime<Utc>,
    /// `earned`, `spent`, `returned` or `taken_back`.
    pub kind: String,
    pub points: i64,
    pub order: Option<String>,
}

/// `/account/rewards`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRewards {
    pub code: String,
    pub share_link: String,
    pub settings: RewardSettings,
    pub referrals: Vec<ReferralRow>,
    /// Credits ready for a next order.
    pub credit: Decimal,
    pub points: i64,
    pub history: Vec<PointsRow>,
    /// Store credit (refunds made as credit), ready for a next order.
    #[serde(default)]
    pub store_credit: Decimal,
    #[serde(default)]
    pub credit_history: Vec<CreditRow>,
}

/// One move of the store credit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditRow {
    pub at: DateTime<Utc>,
    /// `refund`, `spent`, `returned` or `restored`.
    pub kind: String,
    /// Signed.
    pub amount: Decimal,
    pub order: Option<String>,
}

/// The advantages the review step offers a signed-in customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutRewards {
    /// The oldest credit ready (one per order), and whether it is used.
    pub credit: Option<Decimal>,
    pub use_credit: bool,
    pub points: i64,
    /// What the points buy on this basket (points, amount), and whether it is used.
    pub voucher: Option<(i64, Decimal)>,
    pub use_points: bool,
    /// The welcome advantage applies (signed up with a friend's code, first order).
    pub welcome: bool,
    /// The store credit balance (none: zero), and whether it is used.
    #[serde(default)]
    pub store_credit: Option<Decimal>,
    #[serde(default)]
    pub use_store_credit: bool,
}
