//! Referral and loyalty in the database: choosing a checkout's advantages, taking them in the
//! order's transaction, and what paying, cancelling and refunding an order do to them.

use super::rules::{place_key, points_earned, points_taken_back, voucher};
use super::{AccountRewards, CheckoutRewards, PointsRow, ReferralRow, RewardSettings};
use crate::db::entities::{address, loyalty_entry, order, referral, refund, user};
use crate::email::{Email, queue};
use crate::i18n::{Locale, Msg};
use crate::money::from_cents;
use crate::money::to_cents;
use crate::orders::model::{AddressSnapshot, OrderStatus};
use crate::pricing::{Adjustment, AdjustmentKind, Quote};
use crate::promotions::rules::Benefit;
use crate::promotions::service::PromoRefusal;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, SqlErr,
};

mod account;
mod checkout;
pub(crate) mod ledger;
pub use account::*;
pub use checkout::*;
pub use ledger::*;

/// The settings key.
pub const REWARDS: &str = "rewards";
pub const PENDING: &str = "pending";
pub const EARNED: &str = "earned";
pub const REVERSED: &str = "reversed";

/// The reward settings as staff saved them (the defaults until then).
///
/// # Errors
/// The database error.
pub async fn settings(db: &impl ConnectionTrait) -> Result<RewardSettings, DbErr> {
    Ok(crate::settings::service::get(db, REWARDS)
        .await?
        .unwrap_or_else(super::rules::defaults))
}

/// Why an advantage cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error(transparent)]
    Promo(PromoRefusal),
    /// One's own code: same account, same email or a delivery address of the sponsor's.
    #[error("one's own referral code")]
    OwnCode,
    #[error("a referral code counts on a first order only")]
    NotFirstOrder,
    #[error("this person was referred already")]
    AlreadyReferred,
    /// Spent by another order meanwhile.
    #[error("the credit is no longer available")]
    CreditGone,
    #[error("not enough points any more")]
    PointsGone,
    /// Spent by another order meanwhile.
    #[error("the store credit is no longer available")]
    StoreCreditGone,
    #[error(transparent)]
    Database(DbErr),
}

impl From<crate::money::OutOfRange> for Refusal {
    fn from(err: crate::money::OutOfRange) -> Self {
        Refusal::Database(err.into())
    }
}

impl From<DbErr> for Refusal {
    fn from(error: DbErr) -> Self {
        Refusal::Database(error)
    }
}

impl From<PromoRefusal> for Refusal {
    fn from(refusal: PromoRefusal) -> Self {
        match refusal {
            PromoRefusal::Database(e) => Refusal::Database(e),
            other => Refusal::Promo(other),
        }
    }
}

/// What `refusal` tells the shopper, in `locale`.
pub fn refusal_message(locale: Locale, refusal: &Refusal) -> String {
    let msg = match refusal {
        Refusal::Promo(promo) => return crate::promotions::admin::refusal_message(locale, promo),
        Refusal::OwnCode => Msg::ErrReferralOwn,
        Refusal::NotFirstOrder => Msg::ErrReferralNotFirst,
        Refusal::AlreadyReferred => Msg::ErrReferralAlready,
        Refusal::CreditGone => Msg::ErrCreditGone,
        Refusal::PointsGone => Msg::ErrPointsGone,
        Refusal::StoreCreditGone => Msg::ErrStoreCreditGone,
        Refusal::Database(_) => Msg::ErrPromoUnknown,
    };
    locale.t(msg).to_owned()
}
