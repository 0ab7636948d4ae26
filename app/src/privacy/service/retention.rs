//! The retention jobs: what [`crate::privacy::rules::RETENTION`] promises, done every hour.
//!
//! Any instance may run them at the same time as another: every change is a conditional
//! statement (a row already emptied, hashed or deleted no longer matches), and the two jobs
//! that touch several tables (a guest's orders anonymised, an old order deleted) do it in one
//! write transaction per address or order that checks its condition again inside it. Rows are
//! read in pages of a bounded size.

use crate::db::entities::{
    auth_throttle, credit_note, email_outbox, invoice, loyalty_entry,
    newsletter_subscription as newsletter, order, order_event, order_line, payment,
    privacy_request, promo_redemption, referral, refund, store_credit, subscription,
    unavailable_line, user, withdrawal_request,
};
use crate::orders::model::OrderStatus;
use chrono::{DateTime, Duration, Months, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// Guest orders are anonymised this many months after the address's last order, by default.
pub const DEFAULT_GUEST_MONTHS: u32 = 36;
/// Rows read per page (newsletter rows hashed per round).
const BATCH: u64 = 200;
/// The domain of every address the shop replaced (never a real one: RFC 2606).
pub const ERASED_DOMAIN: &str = "@erased.invalid";
/// The prefix of a newsletter row whose address was replaced by its hash.
pub const HASHED_PREFIX: &str = "sha256:";

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetentionRound {
    pub guest_addresses_anonymised: u64,
    pub email_texts_emptied: u64,
    pub emails_deleted: u64,
    pub throttle_rows_deleted: u64,
    pub newsletter_requests_deleted: u64,
    pub newsletter_addresses_hashed: u64,
    pub newsletter_hashes_deleted: u64,
    pub orders_deleted: u64,
    pub consent_proofs_deleted: u64,
    pub privacy_requests_deleted: u64,
    pub notice_recipients_deleted: u64,
    pub stock_alerts_deleted: u64,
}

/// The newsletter row that stands for `email` once it is hashed.
pub fn hashed_address(email: &str) -> String {
    format!("{HASHED_PREFIX}{}", crate::throttle::address_digest(email))
}

/// The two newsletter rows that may stand for `email`: the address itself, and the hash an
/// unsubscription reduced it to.
pub fn newsletter_keys(email: &str) -> [String; 2] {
    [email.to_owned(), hashed_address(email)]
}

fn months_before(now: DateTime<Utc>, months: u32) -> Option<DateTime<Utc>> {
    now.checked_sub_months(Months::new(months))
}

/// Runs every retention job once at `now`, guest orders kept `guest_months`.
///
/// # Errors
/// The first database error (the jobs before it have done their work).
pub async fn run_retention(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    guest_months: u32,
) -> Result<RetentionRound, DbErr> {
    Ok(RetentionRound {
        throttle_rows_deleted: purge_throttle(db, now).await?,
        email_texts_emptied: empty_email_texts(db, now).await?,
        emails_deleted: purge_emails(db, now).await?,
        newsletter_requests_deleted: purge_newsletter_requests(db, now).await?,
        newsletter_addresses_hashed: hash_unsubscribed(db).await?,
        newsletter_hashes_deleted: purge_newsletter_hashes(db, now).await?,
        guest_addresses_anonymised: anonymise_guests(db, now, guest_months).await?,
        orders_deleted: purge_orders(db, now).await?,
        consent_proofs_deleted: super::consent::purge_proofs(db, now).await?,
        privacy_requests_deleted: purge_privacy_requests(db, now).await?,
        notice_recipients_deleted: purge_notice_recipients(db, now).await?,
        stock_alerts_deleted: crate::wishlist::service::purge(db, now).await?,
    })
}

/// Sign-in counters older than 24 hours (their windows last an hour at most).
///
/// # Errors
/// The database error.
pub async fn purge_throttle(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(auth_throttle::Entity::delete_many()
        .filter(auth_throttle::Column::WindowStartedAt.lt(now - Duration::hours(24)))
        .exec(db)
        .await?
        .rows_affected)
}

/// The text of emails sent more than 30 days ago (and a marketing email's unsubscribe link):
/// the recipient, kind, subject and times stay.
///
/// # Errors
/// The database error.
pub async fn empty_email_texts(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::BodyText, Expr::value(""))
        .col_expr(
            email_outbox::Column::ListUnsubscribe,
            Expr::value(None::<String>),
        )
        .filter(email_outbox::Column::SentAt.lt(now - Duration::days(30)))
        .filter(email_outbox::Column::BodyText.ne(""))
        .exec(db)
        .await?
        .rows_affected)
}

/// Emails written more than 3 years ago, sent or not.
///
/// # Errors
/// The database error.
pub async fn purge_emails(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let Some(cutoff) = months_before(now, 36) else {
        return Ok(0);
    };
    Ok(email_outbox::Entity::delete_many()
        .filter(email_outbox::Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}

/// Newsletter requests never confirmed within 7 days (the link has expired).
///
/// # Errors
/// The database error.
pub async fn purge_newsletter_requests(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(newsletter::Entity::delete_many()
        .filter(newsletter::Column::Status.eq(crate::newsletter::service::PENDING))
        .filter(newsletter::Column::ConfirmedAt.is_null())
        .filter(newsletter::Column::RequestedAt.lt(now - Duration::days(7)))
        .exec(db)
        .await?
        .rows_affected)
}

/// Unsubscribed addresses replaced by their hash (their unsubscribe key kept, so an old link
/// still answers "unsubscribed").
///
/// # Errors
/// The database error.
pub async fn hash_unsubscribed(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let rows = newsletter::Entity::find()
        .filter(newsletter::Column::Status.eq(crate::newsletter::service::UNSUBSCRIBED))
        .filter(newsletter::Column::Email.not_like(format!("{HASHED_PREFIX}%")))
        .order_by_asc(newsletter::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let mut done = 0;
    for row in rows {
        let hashed = hashed_address(&row.email);
        let txn = crate::db::begin_write(db).await?;
        // An earlier unsubscription of the same address: the newer one is the proof kept.
        newsletter::Entity::delete_many()
            .filter(newsletter::Column::Email.eq(hashed.as_str()))
            .exec(&txn)
            .await?;
        done += newsletter::Entity::update_many()
            .col_expr(newsletter::Column::Email, Expr::value(hashed))
            .col_expr(newsletter::Column::Locale, Expr::value(""))
            .col_expr(newsletter::Column::Source, Expr::value(""))
            .col_expr(
                newsletter::Column::ConfirmTokenHash,
                Expr::value(None::<String>),
            )
            .filter(newsletter::Column::Id.eq(row.id))
            .filter(newsletter::Column::Email.eq(row.email.as_str()))
            .filter(newsletter::Column::Status.eq(crate::newsletter::service::UNSUBSCRIBED))
            .exec(&txn)
            .await?
            .rows_affected;
        txn.commit().await?;
    }
    Ok(done)
}

/// Hashed unsubscriptions older than 5 years.
///
/// # Errors
/// The database error.
pub async fn purge_newsletter_hashes(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let Some(cutoff) = months_before(now, 60) else {
        return Ok(0);
    };
    Ok(newsletter::Entity::delete_many()
        .filter(newsletter::Column::Email.like(format!("{HASHED_PREFIX}%")))
        .filter(newsletter::Column::UnsubscribedAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}

/// The proof that a service notice reached an address, five years after it was sent.
///
/// # Errors
/// The database error.
pub async fn purge_notice_recipients(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use crate::db::entities::notice_recipient;
    let Some(cutoff) = months_before(now, 60) else {
        return Ok(0);
    };
    Ok(notice_recipient::Entity::delete_many()
        .filter(notice_recipient::Column::QueuedAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}

/// Requests to exercise one's rights by email, a year after they were made.
///
/// # Errors
/// The database error.
pub async fn purge_privacy_requests(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let Some(cutoff) = months_before(now, 12) else {
        return Ok(0);
    };
    Ok(privacy_request::Entity::delete_many()
        .filter(privacy_request::Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}

/// The orders whose address is still needed: unpaid (they may yet be paid) or on their way.
fn in_progress() -> Vec<&'static str> {
    std::iter::once(OrderStatus::PendingPayment)
        .chain(super::data::ON_ITS_WAY)
        .map(|s| s.code())
        .collect()
}

/// Guest orders of addresses whose last order (with or without an account) is older than
/// `months`, and that no live account holds: anonymised like an erased account's (the
/// invoices stay as issued), with the address's emails and its promo-code uses.
///
/// # Errors
/// The database error.
pub async fn anonymise_guests(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    months: u32,
) -> Result<u64, DbErr> {
    let Some(cutoff) = months_before(now, months) else {
        return Ok(0);
    };
    // Page by page through every candidate: an address skipped (a live account holds it, an
    // order is on its way) must not hold back the ones after it.
    let mut done = 0;
    let mut after = String::new();
    loop {
        let candidates: Vec<String> = order::Entity::find()
            .select_only()
            .column(order::Column::Email)
            .filter(order::Column::UserId.is_null())
            .filter(order::Column::Email.not_like(format!("%{ERASED_DOMAIN}")))
            .filter(order::Column::Email.gt(after.as_str()))
            .group_by(order::Column::Email)
            .having(order::Column::CreatedAt.max().lt(cutoff))
            .order_by_asc(order::Column::Email)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        let last_page = (candidates.len() as u64) < BATCH;
        for email in candidates {
            let txn = crate::db::begin_write(db).await?;
            if anonymise_guest(&txn, &email, cutoff, now).await? {
                done += 1;
            }
            txn.commit().await?;
            after = email;
        }
        if last_page {
            return Ok(done);
        }
    }
}

/// Anonymises the guest orders of `email` if its last order is before `cutoff`, no live
/// account holds it and nothing is on its way; returns whether it did.
async fn anonymise_guest(
    txn: &DatabaseTransaction,
    email: &str,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let recent_or_open = order::Entity::find()
        .filter(order::Column::Email.eq(email))
        .filter(
            order::Column::CreatedAt
                .gte(cutoff)
                .or(order::Column::Status.is_in(in_progress())),
        )
        .count(txn)
        .await?;
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .filter(user::Column::DeletedAt.is_null())
        .count(txn)
        .await?;
    if recent_or_open > 0 || account > 0 {
        return Ok(false);
    }
    let orders: Vec<i32> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .filter(order::Column::Email.eq(email))
        .filter(order::Column::UserId.is_null())
        .order_by_asc(order::Column::Id)
        .into_tuple()
        .all(txn)
        .await?;
    let Some(first) = orders.first() else {
        return Ok(false);
    };
    let placeholder = format!("guest-{first}{ERASED_DOMAIN}");
    super::data::anonymise_orders(txn, &orders, &placeholder, now).await?;
    referral::Entity::update_many()
        .col_expr(
            referral::Column::RefereeEmail,
            Expr::value(placeholder.as_str()),
        )
        .filter(referral::Column::RefereeEmail.eq(email))
        .exec(txn)
        .await?;
    email_outbox::Entity::delete_many()
        .filter(email_outbox::Column::ToAddress.eq(email))
        .filter(email_outbox::Column::SentAt.is_not_null())
        .exec(txn)
        .await?;
    Ok(true)
}

/// Orders placed more than 10 years ago whose last invoice or credit note is as old, with
/// everything that hangs on them (lines, history, payments, refunds, invoices and credit
/// notes with their PDF data, withdrawals); the points and store-credit ledgers keep their
/// moves without the order. An order that a subscription still names as its origin waits.
///
/// # Errors
/// The database error.
pub async fn purge_orders(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let Some(cutoff) = months_before(now, 120) else {
        return Ok(0);
    };
    // Page by page: an order that must wait (a subscription's origin, a later credit note)
    // does not hold back the ones after it.
    let mut done = 0;
    let mut after = 0;
    loop {
        let candidates: Vec<i32> = order::Entity::find()
            .select_only()
            .column(order::Column::Id)
            .filter(order::Column::CreatedAt.lt(cutoff))
            .filter(order::Column::Id.gt(after))
            .order_by_asc(order::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        let last_page = (candidates.len() as u64) < BATCH;
        for id in candidates {
            let txn = crate::db::begin_write(db).await?;
            if delete_order(&txn, id, cutoff).await? {
                done += 1;
            }
            txn.commit().await?;
            after = id;
        }
        if last_page {
            return Ok(done);
        }
    }
}

async fn delete_order(
    txn: &DatabaseTransaction,
    id: i32,
    cutoff: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let recent_documents = invoice::Entity::find()
        .filter(invoice::Column::OrderId.eq(id))
        .filter(invoice::Column::IssuedAt.gte(cutoff))
        .count(txn)
        .await?
        + credit_note::Entity::find()
            .filter(credit_note::Column::OrderId.eq(id))
            .filter(credit_note::Column::IssuedAt.gte(cutoff))
            .count(txn)
            .await?;
    let origin_of = subscription::Entity::find()
        .filter(subscription::Column::OriginOrderId.eq(id))
        .count(txn)
        .await?;
    if recent_documents > 0 || origin_of > 0 {
        return Ok(false);
    }
    let invoices: Vec<i32> = invoice::Entity::find()
        .select_only()
        .column(invoice::Column::Id)
        .filter(invoice::Column::OrderId.eq(id))
        .into_tuple()
        .all(txn)
        .await?;
    email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::InvoiceId, Expr::value(None::<i32>))
        .filter(email_outbox::Column::InvoiceId.is_in(invoices))
        .exec(txn)
        .await?;
    let refunds: Vec<i32> = refund::Entity::find()
        .select_only()
        .column(refund::Column::Id)
        .filter(refund::Column::OrderId.eq(id))
        .into_tuple()
        .all(txn)
        .await?;
    store_credit::Entity::update_many()
        .col_expr(store_credit::Column::OrderId, Expr::value(None::<i32>))
        .col_expr(store_credit::Column::RefundId, Expr::value(None::<i32>))
        .filter(
            store_credit::Column::OrderId
                .eq(id)
                .or(store_credit::Column::RefundId.is_in(refunds)),
        )
        .exec(txn)
        .await?;
    loyalty_entry::Entity::update_many()
        .col_expr(loyalty_entry::Column::OrderId, Expr::value(None::<i32>))
        .filter(loyalty_entry::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    referral::Entity::update_many()
        .col_expr(referral::Column::CreditOrderId, Expr::value(None::<i32>))
        .filter(referral::Column::CreditOrderId.eq(id))
        .exec(txn)
        .await?;
    referral::Entity::delete_many()
        .filter(referral::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    promo_redemption::Entity::delete_many()
        .filter(promo_redemption::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    unavailable_line::Entity::delete_many()
        .filter(unavailable_line::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    withdrawal_request::Entity::delete_many()
        .filter(withdrawal_request::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    credit_note::Entity::delete_many()
        .filter(credit_note::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    refund::Entity::delete_many()
        .filter(refund::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    invoice::Entity::delete_many()
        .filter(invoice::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    payment::Entity::delete_many()
        .filter(payment::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    order_event::Entity::delete_many()
        .filter(order_event::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    order_line::Entity::delete_many()
        .filter(order_line::Column::OrderId.eq(id))
        .exec(txn)
        .await?;
    Ok(order::Entity::delete_many()
        .filter(order::Column::Id.eq(id))
        .filter(order::Column::CreatedAt.lt(cutoff))
        .exec(txn)
        .await?
        .rows_affected
        > 0)
}
