//! Choosing a checkout's advantages and taking them in the order's transaction.

use super::*;

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
        let balance = super::super::credit::balance(db, account.id).await?;
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
pub(super) async fn welcome(
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
pub(super) async fn oldest_credit(
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
                if !super::super::credit::spend(txn, user_id, placed.id, cents, now).await? {
                    return Err(Refusal::StoreCreditGone);
                }
            }
        }
    }
    Ok(())
}
