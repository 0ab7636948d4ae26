//! What paying, cancelling and refunding an order do to points and credits.

use super::*;

pub(super) async fn ledger(
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
pub(super) async fn credit_points(
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
pub(super) async fn order_points(
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
    super::super::credit::give_back(txn, order.id, now).await
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
        credit_email(txn, &sponsor, row.credit_cents, site, now).await?;
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
pub(crate) async fn credit_email(
    txn: &impl ConnectionTrait,
    sponsor: &user::Model,
    cents: i64,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
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
            locale,
        },
        now,
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
