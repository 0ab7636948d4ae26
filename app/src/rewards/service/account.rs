//! A customer's referral code and what the account and the checkout show of the rewards.

use super::*;

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
            super::super::rules::referral_code(&account.first_name, |n| rng.random_range(0..n))
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
    let credits = super::super::credit::history(db, account.id).await?;
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
        store_credit: from_cents(super::super::credit::balance(db, account.id).await?),
        credit_history: credits
            .iter()
            .map(|c| super::super::CreditRow {
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
    let store_credit = super::super::credit::balance(db, user_id).await?;
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
