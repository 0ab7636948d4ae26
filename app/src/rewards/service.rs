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

/// Who is ordering.
pub struct Customer<'a> {
    /// Lower-cased.
    pub email: &'a str,
    pub user_id: Option<i32>,
    pub delivery: &'a AddressSnapshot,
}

/// What the shopper chose at checkout.
#[derive(Clone, Copy, Debug, Default)]
pub struct Choices<'a> {
    /// A promo code or a friend's referral code.
    pub code: Option<&'a str>,
    pub use_credit: bool,
    pub use_points: bool,
    /// Spend the account's store credit (as much as the basket takes).
    pub use_store_credit: bool,
    /// The basket holds a subscription: no store credit, as its first payment must be made by
    /// card to save it for the renewals.
    pub recurring: bool,
}

/// An advantage and what taking it writes.
#[derive(Clone, Debug)]
pub enum Advantage {
    Promo(crate::db::entities::promo_code::Model),
    /// The referred person's first-order advantage; the sponsor's credit to come.
    Welcome {
        sponsor_id: i32,
        credit_cents: i64,
    },
    /// The sponsor's credit from referral `referral_id`.
    Credit {
        referral_id: i32,
    },
    /// A voucher of this many points.
    Points(i64),
    /// Store credit, as much of the balance as the basket takes (the adjustment's amount).
    StoreCredit,
}

/// An advantage with the adjustment it makes.
#[derive(Clone, Debug)]
pub struct Chosen {
    pub advantage: Advantage,
    pub adjustment: Adjustment,
}

/// Which kinds of advantage a choice holds.
#[derive(Clone, Copy, Debug, Default)]
pub struct Held {
    pub welcome: bool,
    pub credit: bool,
    pub points: bool,
    pub store_credit: bool,
}

/// Which kinds of advantage `chosen` holds.
pub fn held(chosen: &[Chosen]) -> Held {
    chosen.iter().fold(Held::default(), |held, c| Held {
        welcome: held.welcome || matches!(c.advantage, Advantage::Welcome { .. }),
        credit: held.credit || matches!(c.advantage, Advantage::Credit { .. }),
        points: held.points || matches!(c.advantage, Advantage::Points(_)),
        store_credit: held.store_credit || matches!(c.advantage, Advantage::StoreCredit),
    })
}

/// The advantages `choices` give `customer` on the basket `plain` prices (undiscounted), in the
/// order they come off: the code (promo or referral), the welcome advantage of an account
/// signed up with a friend's code, the sponsor's credit, the points voucher, and last the store
/// credit (a means of payment: it covers what the others left).
///
/// # Errors
/// [`Refusal`] for a typed code that cannot be used (credit and points the shopper cannot have
/// are left out, not refused), or the database error.
pub async fn choose(
    db: &impl ConnectionTrait,
    settings: &RewardSettings,
    locale: Locale,
    plain: &Quote,
    choices: Choices<'_>,
    customer: &Customer<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<Chosen>, Refusal> {
    let mut chosen = Vec::new();
    if let Some(code) = choices.code {
        let usable = crate::promotions::service::usable;
        let who = crate::promotions::service::PromoCustomer {
            user_id: customer.user_id,
            email: customer.email,
        };
        match usable(db, code, plain, Some(who), now).await {
            Ok((model, adjustment)) => chosen.push(Chosen {
                advantage: Advantage::Promo(model),
                adjustment,
            }),
            // Not a promo code: a friend's referral code?
            Err(PromoRefusal::Unknown) => {
                chosen.push(welcome(db, settings, locale, code, customer).await?);
            }
            Err(other) => return Err(other.into()),
        }
    }
    let account = match customer.user_id {
        Some(id) => user::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    if let Some(code) = account.as_ref().and_then(|a| a.referred_by_code.clone())
        && !held(&chosen).welcome
    {
        // Signed up with a friend's code: the advantage comes by itself while it may.
        match welcome(db, settings, locale, &code, customer).await {
            Ok(found) => chosen.push(found),
            Err(Refusal::Database(e)) => return Err(e.into()),
            Err(_) => {}
        }
    }
    let Some(account) = account else {
        return Ok(chosen);
    };
    if choices.use_credit
        && let Some(credit) = oldest_credit(db, account.id).await?
    {
        chosen.push(Chosen {
            advantage: Advantage::Credit {
                referral_id: credit.id,
            },
            adjustment: Adjustment::whole(
                locale.t(Msg::RewardsCreditLabel).to_owned(),
                AdjustmentKind::Amount(from_cents(credit.credit_cents)),
            ),
        });
    }
    if choices.use_points {
        let so_far: Vec<Adjustment> = chosen.iter().map(|c| c.adjustment.clone()).collect();
        let left = crate::pricing::goods_after(&plain.lines, &so_far);
        if let Some((points, amount)) = voucher(settings, account.loyalty_points, left) {
            chosen.push(Chosen {
                advantage: Advantage::Points(points),
                adjustment: Adjustment::whole(
                    format!("{} ({points} pts)", locale.t(Msg::RewardsPointsLabel)),
                    AdjustmentKind::Amount(amount),
                ),
            });
        }
    }
    if choices.use_store_credit && !choices.recurring {
        let balance = super::credit::balance(db, account.id).await?;
        let so_far: Vec<Adjustment> = chosen.iter().map(|c| c.adjustment.clone()).collect();
        let left = crate::pricing::goods_after(&plain.lines, &so_far);
        let amount = from_cents(balance).min(left);
        if amount > rust_decimal::Decimal::ZERO {
            chosen.push(Chosen {
                advantage: Advantage::StoreCredit,
                adjustment: Adjustment::whole(
                    locale.t(Msg::StoreCreditLabel).to_owned(),
                    AdjustmentKind::Amount(amount),
                ),
            });
        }
    }
    Ok(chosen)
}

/// Whether `chosen` has the credit and the points `choices` asked for: an order is not placed
/// without an advantage the shopper reviewed.
///
/// # Errors
/// [`Refusal::CreditGone`] or [`Refusal::PointsGone`].
pub fn all_there(choices: Choices<'_>, chosen: &[Chosen]) -> Result<(), Refusal> {
    let held = held(chosen);
    if choices.use_credit && !held.credit {
        return Err(Refusal::CreditGone);
    }
    if choices.use_points && !held.points {
        return Err(Refusal::PointsGone);
    }
    if choices.use_store_credit && !choices.recurring && !held.store_credit {
        return Err(Refusal::StoreCreditGone);
    }
    Ok(())
}

/// The welcome advantage of referral code `code` for `customer`.
async fn welcome(
    db: &impl ConnectionTrait,
    settings: &RewardSettings,
    locale: Locale,
    code: &str,
    customer: &Customer<'_>,
) -> Result<Chosen, Refusal> {
    let code = code.trim().to_ascii_uppercase();
    let sponsor = user::Entity::find()
        .filter(user::Column::ReferralCode.eq(code.as_str()))
        .filter(user::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(Refusal::Promo(PromoRefusal::Unknown))?;
    if Some(sponsor.id) == customer.user_id || sponsor.email == customer.email {
        return Err(Refusal::OwnCode);
    }
    // The sponsor's places: their address book and where their orders went.
    let place =
        |a: &AddressSnapshot| place_key(&a.line1, a.line2.as_deref(), &a.postal_code, &a.country);
    let here = place(customer.delivery);
    let book = address::Entity::find()
        .filter(address::Column::UserId.eq(sponsor.id))
        .all(db)
        .await?;
    let in_book = book
        .iter()
        .any(|a| place_key(&a.line1, a.line2.as_deref(), &a.postal_code, &a.country) == here);
    let shipped_there = order::Entity::find()
        .filter(
            Condition::any()
                .add(order::Column::UserId.eq(sponsor.id))
                .add(order::Column::Email.eq(sponsor.email.as_str())),
        )
        .all(db)
        .await?
        .iter()
        .filter_map(|o| serde_json::from_str::<AddressSnapshot>(&o.delivery_address).ok())
        .any(|a| place(&a) == here);
    if in_book || shipped_there {
        return Err(Refusal::OwnCode);
    }
    let mut mine = Condition::any().add(order::Column::Email.eq(customer.email));
    if let Some(id) = customer.user_id {
        mine = mine.add(order::Column::UserId.eq(id));
    }
    let earlier = order::Entity::find()
        .filter(mine)
        .filter(order::Column::Status.ne(OrderStatus::Cancelled.code()))
        .count(db)
        .await?;
    if earlier > 0 {
        return Err(Refusal::NotFirstOrder);
    }
    let referred = referral::Entity::find()
        .filter(referral::Column::RefereeEmail.eq(customer.email))
        .count(db)
        .await?;
    if referred > 0 {
        return Err(Refusal::AlreadyReferred);
    }
    let kind = match settings.welcome {
        Benefit::Percent(p) => AdjustmentKind::Percent(p),
        Benefit::Amount(a) => AdjustmentKind::Amount(a),
    };
    Ok(Chosen {
        advantage: Advantage::Welcome {
            sponsor_id: sponsor.id,
            credit_cents: to_cents(settings.sponsor_credit)?,
        },
        adjustment: Adjustment::whole(locale.t(Msg::RewardsWelcomeLabel).to_owned(), kind),
    })
}

/// The sponsor's oldest credit ready to spend.
async fn oldest_credit(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Option<referral::Model>, DbErr> {
    referral::Entity::find()
        .filter(referral::Column::SponsorId.eq(user_id))
        .filter(referral::Column::Status.eq(EARNED))
        .filter(referral::Column::CreditOrderId.is_null())
        .filter(referral::Column::CreditCents.gt(0))
        .order_by_asc(referral::Column::Id)
        .one(db)
        .await
}

/// Takes the advantages `chosen` (as `quote` applied them, in the same order) for `placed`, in
/// the order's transaction. Each take is a conditional write, so two checkouts never spend one
/// credit, one voucher's points or one person's referral twice.
///
/// # Errors
/// [`Refusal`] when another order took it meanwhile (the order must not be placed), or the
/// database error.
pub async fn take(
    txn: &impl ConnectionTrait,
    chosen: &[Chosen],
    quote: &Quote,
    placed: &order::Model,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    for (chosen, applied) in chosen.iter().zip(&quote.adjustments) {
        match &chosen.advantage {
            Advantage::Promo(code) => {
                crate::promotions::service::redeem(
                    txn,
                    code,
                    placed.id,
                    crate::promotions::service::PromoCustomer {
                        user_id: placed.user_id,
                        email: &placed.email,
                    },
                    applied.amount,
                    now,
                )
                .await?;
            }
            Advantage::Welcome {
                sponsor_id,
                credit_cents,
            } => {
                let inserted = referral::ActiveModel {
                    sponsor_id: Set(*sponsor_id),
                    referee_email: Set(placed.email.clone()),
                    referee_user_id: Set(placed.user_id),
                    order_id: Set(placed.id),
                    status: Set(PENDING.to_owned()),
                    credit_cents: Set(*credit_cents),
                    credit_order_id: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await;
                match inserted {
                    Ok(_) => {}
                    // Another first order with the same address was placed meanwhile.
                    Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                        return Err(Refusal::AlreadyReferred);
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Advantage::Credit { referral_id } => {
                let spent = referral::Entity::update_many()
                    .col_expr(
                        referral::Column::CreditOrderId,
                        Expr::value(Some(placed.id)),
                    )
                    .col_expr(referral::Column::UpdatedAt, Expr::value(now))
                    .filter(referral::Column::Id.eq(*referral_id))
                    .filter(referral::Column::Status.eq(EARNED))
                    .filter(referral::Column::CreditOrderId.is_null())
                    .exec(txn)
                    .await?;
                if spent.rows_affected != 1 {
                    return Err(Refusal::CreditGone);
                }
            }
            Advantage::Points(points) => {
                let user_id = placed.user_id.ok_or(Refusal::PointsGone)?;
                let spent = user::Entity::update_many()
                    .col_expr(
                        user::Column::LoyaltyPoints,
                        Expr::col(user::Column::LoyaltyPoints).sub(*points),
                    )
                    .filter(user::Column::Id.eq(user_id))
                    .filter(user::Column::LoyaltyPoints.gte(*points))
                    .exec(txn)
                    .await?;
                if spent.rows_affected != 1 {
                    return Err(Refusal::PointsGone);
                }
                ledger(txn, user_id, Some(placed.id), "spent", -points, now).await?;
            }
            Advantage::StoreCredit => {
                let user_id = placed.user_id.ok_or(Refusal::StoreCreditGone)?;
                let cents = to_cents(applied.amount)?;
                if !super::credit::spend(txn, user_id, placed.id, cents, now).await? {
                    return Err(Refusal::StoreCreditGone);
                }
            }
        }
    }
    Ok(())
}

async fn ledger(
    txn: &impl ConnectionTrait,
    user_id: i32,
    order_id: Option<i32>,
    kind: &str,
    points: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    loyalty_entry::ActiveModel {
        user_id: Set(user_id),
        order_id: Set(order_id),
        kind: Set(kind.to_owned()),
        points: Set(points),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Moves `user_id`'s balance by `points`, with its ledger entry.
async fn credit_points(
    txn: &impl ConnectionTrait,
    user_id: i32,
    order_id: i32,
    kind: &str,
    points: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::LoyaltyPoints,
            Expr::col(user::Column::LoyaltyPoints).add(points),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(txn)
        .await?;
    ledger(txn, user_id, Some(order_id), kind, points, now).await
}

/// Sum of `order_id`'s ledger entries of `kinds`.
async fn order_points(
    txn: &impl ConnectionTrait,
    order_id: i32,
    kinds: &[&str],
) -> Result<i64, DbErr> {
    Ok(loyalty_entry::Entity::find()
        .filter(loyalty_entry::Column::OrderId.eq(order_id))
        .filter(loyalty_entry::Column::Kind.is_in(kinds.iter().copied()))
        .all(txn)
        .await?
        .iter()
        .map(|e| e.points)
        .sum())
}

/// Order `order_id` was cancelled before being paid: its promo code's use, its referral, the
/// credit, the points and the store credit it spent are given back.
///
/// # Errors
/// The database error.
pub async fn release(
    txn: &impl ConnectionTrait,
    order: &order::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    crate::promotions::service::release(txn, order.id).await?;
    referral::Entity::delete_many()
        .filter(referral::Column::OrderId.eq(order.id))
        .filter(referral::Column::Status.eq(PENDING))
        .exec(txn)
        .await?;
    referral::Entity::update_many()
        .col_expr(
            referral::Column::CreditOrderId,
            Expr::value(Option::<i32>::None),
        )
        .col_expr(referral::Column::UpdatedAt, Expr::value(now))
        .filter(referral::Column::CreditOrderId.eq(order.id))
        .exec(txn)
        .await?;
    if let Some(user_id) = order.user_id {
        let spent = -order_points(txn, order.id, &["spent", "returned"]).await?;
        if spent > 0 {
            credit_points(txn, user_id, order.id, "returned", spent, now).await?;
        }
    }
    super::credit::give_back(txn, order.id, now).await
}

/// Order `placed` was paid: a referral it carried is earned (the sponsor's credit becomes
/// usable, and they are told), and an account's order earns its points.
///
/// # Errors
/// The database error.
pub async fn on_paid(
    txn: &impl ConnectionTrait,
    placed: &order::Model,
    site: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let earned = referral::Entity::update_many()
        .col_expr(referral::Column::Status, Expr::value(EARNED))
        .col_expr(referral::Column::UpdatedAt, Expr::value(now))
        .filter(referral::Column::OrderId.eq(placed.id))
        .filter(referral::Column::Status.eq(PENDING))
        .exec(txn)
        .await?;
    if earned.rows_affected == 1
        && let Some(row) = referral::Entity::find()
            .filter(referral::Column::OrderId.eq(placed.id))
            .one(txn)
            .await?
        && row.credit_cents > 0
        && let Some(sponsor) = user::Entity::find_by_id(row.sponsor_id).one(txn).await?
        && sponsor.deleted_at.is_none()
    {
        credit_email(txn, &sponsor, row.credit_cents, site).await?;
    }
    if let Some(user_id) = placed.user_id {
        let settings = settings(txn).await?;
        let goods = from_cents(placed.subtotal_cents - placed.discount_cents);
        let points = points_earned(&settings, goods);
        if points > 0 && order_points(txn, placed.id, &["earned"]).await? == 0 {
            credit_points(txn, user_id, placed.id, "earned", points, now).await?;
        }
    }
    Ok(())
}

/// The sponsor's email: a friend's first order is paid, a credit waits for them.
async fn credit_email(
    txn: &impl ConnectionTrait,
    sponsor: &user::Model,
    cents: i64,
    site: &str,
) -> Result<(), DbErr> {
    // In the language of the sponsor's latest order (French by default).
    let locale = order::Entity::find()
        .filter(order::Column::UserId.eq(sponsor.id))
        .order_by_desc(order::Column::Id)
        .one(txn)
        .await?
        .and_then(|o| Locale::from_code(&o.locale))
        .unwrap_or(Locale::Fr);
    let amount = crate::ui::format::money(locale, from_cents(cents));
    let page = format!("{}/account/rewards", site.trim_end_matches('/'));
    let s = crate::settings::service::seller(txn).await?;
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Parrainage : {amount} offerts sur votre prochaine commande"),
            format!(
                "Bonjour {},\n\nLa personne que vous avez parrainée vient de régler sa première commande. Merci de nous avoir recommandés !\n\nUn avoir de {amount} vous attend : cochez « Utiliser mon avoir » à la dernière étape de votre prochaine commande.\n\nVotre parrainage et vos points : {page}\n\n{} — {} · {}\n",
                sponsor.first_name, s.name, s.email, s.phone
            ),
        ),
        Locale::En => (
            format!("Referral: {amount} off your next order"),
            format!(
                "Hello {},\n\nThe friend you referred has just paid their first order. Thank you for recommending us!\n\nA {amount} credit is waiting for you: tick \"Use my credit\" at the last step of your next order.\n\nYour referrals and points: {page}\n\n{} — {} · {}\n",
                sponsor.first_name, s.name, s.email, s.phone
            ),
        ),
    };
    queue(
        txn,
        Email {
            to: &sponsor.email,
            kind: "referral_credit",
            subject,
            body,
        },
    )
    .await
}

/// Order `order_id` was refunded in full, withdrawn or cancelled after payment: a referral it
/// was the first order of is reversed (an unspent credit goes with it).
///
/// # Errors
/// The database error.
pub async fn reverse(
    txn: &impl ConnectionTrait,
    order_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    referral::Entity::update_many()
        .col_expr(referral::Column::Status, Expr::value(REVERSED))
        .col_expr(referral::Column::UpdatedAt, Expr::value(now))
        .filter(referral::Column::OrderId.eq(order_id))
        .filter(referral::Column::Status.is_in([PENDING, EARNED]))
        .exec(txn)
        .await?;
    Ok(())
}

/// A refund went through on `placed`: the points it earned are taken back in the share the
/// refunds (all of them so far) are of its total.
///
/// # Errors
/// The database error.
pub async fn on_refund(
    txn: &impl ConnectionTrait,
    placed: &order::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(user_id) = placed.user_id else {
        return Ok(());
    };
    let earned = order_points(txn, placed.id, &["earned"]).await?;
    if earned <= 0 {
        return Ok(());
    }
    let refunded: i64 = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(placed.id))
        .filter(refund::Column::Status.eq(crate::orders::service::refund::REFUNDED))
        .all(txn)
        .await?
        .iter()
        .map(|r| r.amount_cents)
        .sum();
    let taken = -order_points(txn, placed.id, &["taken_back"]).await?;
    let owed = points_taken_back(earned, refunded, placed.total_cents) - taken;
    if owed > 0 {
        credit_points(txn, user_id, placed.id, "taken_back", -owed, now).await?;
    }
    Ok(())
}

/// Account `account`'s referral code, made and saved the first time it is asked for.
///
/// # Errors
/// The database error.
pub async fn code_of(db: &impl ConnectionTrait, account: &user::Model) -> Result<String, DbErr> {
    if let Some(code) = &account.referral_code {
        return Ok(code.clone());
    }
    for _ in 0..8 {
        let code = {
            use rand::Rng;
            let mut rng = rand::rng();
            super::rules::referral_code(&account.first_name, |n| rng.random_range(0..n))
        };
        let taken = user::Entity::find()
            .filter(user::Column::ReferralCode.eq(code.as_str()))
            .count(db)
            .await?;
        if taken > 0 {
            continue;
        }
        let set = user::Entity::update_many()
            .col_expr(user::Column::ReferralCode, Expr::value(Some(code.clone())))
            .filter(user::Column::Id.eq(account.id))
            .filter(user::Column::ReferralCode.is_null())
            .exec(db)
            .await;
        match set {
            Ok(_) => {}
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                continue;
            }
            Err(e) => return Err(e),
        }
        // Ours, or the one a concurrent request saved first.
        if let Some(saved) = user::Entity::find_by_id(account.id)
            .one(db)
            .await?
            .and_then(|u| u.referral_code)
        {
            return Ok(saved);
        }
    }
    Err(DbErr::Custom("no free referral code".into()))
}

/// Whether `code` is some account's referral code.
///
/// # Errors
/// The database error.
pub async fn code_exists(db: &impl ConnectionTrait, code: &str) -> Result<bool, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::ReferralCode.eq(code.trim().to_ascii_uppercase()))
        .filter(user::Column::DeletedAt.is_null())
        .count(db)
        .await?
        > 0)
}

/// What `/account/rewards` shows `account`.
///
/// # Errors
/// The database error.
pub async fn account_rewards(
    db: &impl ConnectionTrait,
    account: &user::Model,
    site: &str,
) -> Result<AccountRewards, DbErr> {
    let code = code_of(db, account).await?;
    let referrals = referral::Entity::find()
        .filter(referral::Column::SponsorId.eq(account.id))
        .order_by_desc(referral::Column::Id)
        .all(db)
        .await?;
    let entries = loyalty_entry::Entity::find()
        .filter(loyalty_entry::Column::UserId.eq(account.id))
        .order_by_desc(loyalty_entry::Column::Id)
        .all(db)
        .await?;
    let credits = super::credit::history(db, account.id).await?;
    let order_ids: Vec<i32> = referrals
        .iter()
        .filter_map(|r| r.credit_order_id)
        .chain(entries.iter().filter_map(|e| e.order_id))
        .chain(credits.iter().filter_map(|c| c.order_id))
        .collect();
    let numbers: Vec<(i32, String)> = if order_ids.is_empty() {
        Vec::new()
    } else {
        order::Entity::find()
            .filter(order::Column::Id.is_in(order_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.number))
            .collect()
    };
    let number = |id: Option<i32>| {
        id.and_then(|id| {
            numbers
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, n)| n.clone())
        })
    };
    let balance = user::Entity::find_by_id(account.id)
        .one(db)
        .await?
        .map_or(account.loyalty_points, |u| u.loyalty_points);
    Ok(AccountRewards {
        share_link: format!("{}/account/sign-up?ref={code}", site.trim_end_matches('/')),
        code,
        settings: settings(db).await?,
        credit: referrals
            .iter()
            .filter(|r| r.status == EARNED && r.credit_order_id.is_none())
            .map(|r| from_cents(r.credit_cents))
            .sum(),
        referrals: referrals
            .iter()
            .map(|r| ReferralRow {
                at: r.created_at,
                status: r.status.clone(),
                credit: from_cents(r.credit_cents),
                spent_on: number(r.credit_order_id),
            })
            .collect(),
        points: balance,
        history: entries
            .iter()
            .map(|e| PointsRow {
                at: e.created_at,
                kind: e.kind.clone(),
                points: e.points,
                order: number(e.order_id),
            })
            .collect(),
        store_credit: from_cents(super::credit::balance(db, account.id).await?),
        credit_history: credits
            .iter()
            .map(|c| super::CreditRow {
                at: c.created_at,
                kind: c.kind.clone(),
                amount: from_cents(c.amount_cents),
                order: number(c.order_id),
            })
            .collect(),
    })
}

/// What the review step offers a signed-in customer, `chosen` being what applies now.
///
/// # Errors
/// The database error.
pub async fn checkout_rewards(
    db: &impl ConnectionTrait,
    settings: &RewardSettings,
    user_id: i32,
    plain: &Quote,
    chosen: &[Chosen],
) -> Result<CheckoutRewards, DbErr> {
    let credit = oldest_credit(db, user_id)
        .await?
        .map(|c| from_cents(c.credit_cents));
    let points = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map_or(0, |u| u.loyalty_points);
    let used = held(chosen);
    // What the points would buy once the other advantages are off.
    let others: Vec<Adjustment> = chosen
        .iter()
        .filter(|c| !matches!(c.advantage, Advantage::Points(_) | Advantage::StoreCredit))
        .map(|c| c.adjustment.clone())
        .collect();
    let store_credit = super::credit::balance(db, user_id).await?;
    let left = crate::pricing::goods_after(&plain.lines, &others);
    Ok(CheckoutRewards {
        credit,
        use_credit: used.credit,
        points,
        voucher: voucher(settings, points, left),
        use_points: used.points,
        welcome: used.welcome,
        store_credit: (store_credit > 0).then(|| from_cents(store_credit)),
        use_store_credit: used.store_credit,
    })
}
