//! Service notices to every customer: a substantial change of the terms of sale or of the
//! privacy policy (which the policies promise to announce), or a personal-data breach that
//! must be told to the people concerned (GDPR art. 34). Not marketing: they go to every live
//! account and to every address that ordered as a guest in the last `years` years, whether or
//! not it takes the newsletter or objected to marketing.
//!
//! Sending is one transaction: the notice, one `notice_recipients` row per address (unique per
//! notice, so no address is told twice, even if staff send twice or two instances race), and
//! one email per address in the outbox, spread over time ([`PER_MINUTE`]) so that the relay is
//! not flooded. Signed-in customers also see the notice on every page until they acknowledge
//! it; the time of the acknowledgement is kept as proof. Staff sending it is in the audit log.

use crate::db::entities::{
    email_outbox, legal_document, notice_recipient, order, service_notice, user,
};
use crate::privacy::rules::{NoticeKind, NoticeView};
use chrono::{DateTime, Duration, Months, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::BTreeMap;

/// Notice emails handed to the outbox per minute.
pub const PER_MINUTE: usize = 120;
/// The email kind of a notice.
pub const EMAIL_KIND: &str = "service_notice";
pub use crate::privacy::rules::{NOTICE_MAX_BODY as MAX_BODY, NOTICE_MAX_SUBJECT as MAX_SUBJECT};
/// The widest reach back for guest addresses, in years.
pub const MAX_YEARS: i32 = 10;

/// How long the `n`-th email of a notice (from 0) waits in the outbox: the first
/// [`PER_MINUTE`] go at once, then as many more each minute.
fn held_back(n: usize) -> Option<Duration> {
    let minutes = i64::try_from(n / PER_MINUTE).unwrap_or(i64::MAX);
    (minutes > 0).then(|| Duration::minutes(minutes))
}

/// A notice as staff write it.
#[derive(Clone, Debug)]
pub struct NewNotice {
    pub kind: NoticeKind,
    pub subject_fr: String,
    pub subject_en: String,
    pub body_fr: String,
    pub body_en: String,
    /// Whether it announces the latest published version of the legal page its kind names
    /// (terms, privacy).
    pub with_legal_version: bool,
    pub years: i32,
}

/// Why a notice is refused.
#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error("{0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// What a sending did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    pub notice_id: i32,
    pub recipients: usize,
}

fn clean(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && text.chars().count() <= max).then(|| text.to_owned())
}

/// Every address to tell at `now`: live accounts (with their id) and the addresses of guest
/// orders placed in the last `years` years (anonymised ones left out), each once.
async fn recipients(
    db: &impl ConnectionTrait,
    years: i32,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, Option<i32>>, DbErr> {
    let mut to: BTreeMap<String, Option<i32>> = BTreeMap::new();
    let since = now
        .checked_sub_months(Months::new(u32::try_from(years).unwrap_or(0) * 12))
        .unwrap_or(now);
    let guests: Vec<String> = order::Entity::find()
        .select_only()
        .column(order::Column::Email)
        .distinct()
        .filter(order::Column::UserId.is_null())
        .filter(order::Column::CreatedAt.gte(since))
        .filter(
            order::Column::Email
                .ends_with(crate::privacy::service::retention::ERASED_DOMAIN)
                .not(),
        )
        .into_tuple()
        .all(db)
        .await?;
    for email in guests {
        to.insert(email.to_lowercase(), None);
    }
    let accounts: Vec<(i32, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Email)
        .filter(user::Column::DeletedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    for (id, email) in accounts {
        // An account holding a guest address is told once, as the account.
        to.insert(email.to_lowercase(), Some(id));
    }
    Ok(to)
}

/// The email of a notice: both languages (the shop does not know every address's), the legal
/// page's link when it announces one, and why it is sent.
fn email_text(notice: &service_notice::Model, site: &str) -> (String, String) {
    let subject = if notice.subject_fr == notice.subject_en {
        notice.subject_fr.clone()
    } else {
        format!("{} / {}", notice.subject_fr, notice.subject_en)
    };
    let link = notice
        .legal_kind
        .as_deref()
        .map(|kind| format!("{site}/legal/{kind}"));
    let mut body = format!("{}\n", notice.body_fr);
    if let (Some(link), Some(version)) = (&link, &notice.legal_version) {
        body.push_str(&format!("\nVersion {version} : {link}\n"));
    }
    body.push_str("\nCe message de service vous est envoyé parce que vous êtes client de Comptoir Botanique ; il ne s'agit pas de publicité.\n\n— English —\n\n");
    body.push_str(&format!("{}\n", notice.body_en));
    if let (Some(link), Some(version)) = (&link, &notice.legal_version) {
        body.push_str(&format!("\nVersion {version}: {link}\n"));
    }
    body.push_str("\nThis service message is sent to you as a customer of Comptoir Botanique; it is not advertising.\n");
    (subject, body)
}

/// Sends `new` from staff member `staff_id` at `now`: checked, recorded, every recipient's row
/// and email queued (spread over time), audited, in one transaction.
///
/// # Errors
/// [`NoticeError::Invalid`] for a bad field, or the database error (nothing written).
pub async fn send(
    db: &DatabaseConnection,
    new: NewNotice,
    staff_id: i32,
    site: &str,
    now: DateTime<Utc>,
) -> Result<Sent, NoticeError> {
    let (Some(subject_fr), Some(subject_en)) = (
        clean(&new.subject_fr, MAX_SUBJECT),
        clean(&new.subject_en, MAX_SUBJECT),
    ) else {
        return Err(NoticeError::Invalid("subject"));
    };
    let (Some(body_fr), Some(body_en)) =
        (clean(&new.body_fr, MAX_BODY), clean(&new.body_en, MAX_BODY))
    else {
        return Err(NoticeError::Invalid("body"));
    };
    if !(1..=MAX_YEARS).contains(&new.years) {
        return Err(NoticeError::Invalid("years"));
    }
    let txn = crate::db::begin_write(db).await?;
    let (legal_kind, legal_version) = match (new.with_legal_version, new.kind.legal_page()) {
        (false, _) => (None, None),
        (true, None) => return Err(NoticeError::Invalid("legal")),
        (true, Some(kind)) => {
            let latest = legal_document::Entity::find()
                .filter(legal_document::Column::Kind.eq(kind))
                .order_by_desc(legal_document::Column::EffectiveOn)
                .order_by_desc(legal_document::Column::Id)
                .one(&txn)
                .await?
                .ok_or(NoticeError::Invalid("legal"))?;
            (Some(kind.to_owned()), Some(latest.version))
        }
    };
    let notice = service_notice::ActiveModel {
        kind: Set(new.kind.code().to_owned()),
        subject_fr: Set(subject_fr),
        subject_en: Set(subject_en),
        body_fr: Set(body_fr),
        body_en: Set(body_en),
        legal_kind: Set(legal_kind),
        legal_version: Set(legal_version),
        years: Set(new.years),
        recipients: Set(0),
        created_by: Set(staff_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let to = recipients(&txn, new.years, now).await?;
    let (subject, body) = email_text(&notice, site);
    let count = to.len();
    let rows: Vec<notice_recipient::ActiveModel> = to
        .iter()
        .map(|(email, user_id)| notice_recipient::ActiveModel {
            notice_id: Set(notice.id),
            email: Set(email.clone()),
            user_id: Set(*user_id),
            queued_at: Set(now),
            acknowledged_at: Set(None),
            ..Default::default()
        })
        .collect();
    let emails: Vec<email_outbox::ActiveModel> = to
        .keys()
        .enumerate()
        .map(|(n, email)| email_outbox::ActiveModel {
            to_address: Set(email.clone()),
            kind: Set(EMAIL_KIND.to_owned()),
            subject: Set(subject.clone()),
            body_text: Set(body.clone()),
            created_at: Set(now),
            sent_at: Set(None),
            attempts: Set(0),
            last_error: Set(None),
            next_attempt_at: Set(held_back(n).map(|wait| now + wait)),
            invoice_id: Set(None),
            list_unsubscribe: Set(None),
            terms_version: Set(None),
            ..Default::default()
        })
        .collect();
    // In chunks: engines cap the values bound in one statement.
    for chunk in rows.chunks(500) {
        notice_recipient::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in emails.chunks(500) {
        email_outbox::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    service_notice::Entity::update_many()
        .col_expr(
            service_notice::Column::Recipients,
            Expr::value(i32::try_from(count).unwrap_or(i32::MAX)),
        )
        .filter(service_notice::Column::Id.eq(notice.id))
        .exec(&txn)
        .await?;
    crate::db::audit::record(
        &txn,
        staff_id,
        "notice.send",
        &format!("notice:{}", notice.id),
        &format!("{} — {count}", new.kind.code()),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Sent {
        notice_id: notice.id,
        recipients: count,
    })
}

fn view(notice: service_notice::Model, acknowledged: u64) -> NoticeView {
    NoticeView {
        id: notice.id,
        kind: NoticeKind::from_code(&notice.kind).unwrap_or(NoticeKind::Service),
        subject_fr: notice.subject_fr,
        subject_en: notice.subject_en,
        body_fr: notice.body_fr,
        body_en: notice.body_en,
        legal_kind: notice.legal_kind,
        legal_version: notice.legal_version,
        recipients: notice.recipients,
        acknowledged,
        created_at: notice.created_at,
    }
}

/// The oldest notice account `user_id` has not acknowledged yet, if any.
///
/// # Errors
/// The database error.
pub async fn pending(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<NoticeView>, DbErr> {
    let Some(row) = notice_recipient::Entity::find()
        .filter(notice_recipient::Column::UserId.eq(user_id))
        .filter(notice_recipient::Column::AcknowledgedAt.is_null())
        .order_by_asc(notice_recipient::Column::NoticeId)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(service_notice::Entity::find_by_id(row.notice_id)
        .one(db)
        .await?
        .map(|n| view(n, 0)))
}

/// Records that account `user_id` acknowledged notice `notice_id` at `now` (the first time
/// only: the proof keeps the first). Whether it was one of its notices.
///
/// # Errors
/// The database error.
pub async fn acknowledge(
    db: &impl ConnectionTrait,
    user_id: i32,
    notice_id: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let known = notice_recipient::Entity::find()
        .filter(notice_recipient::Column::UserId.eq(user_id))
        .filter(notice_recipient::Column::NoticeId.eq(notice_id))
        .one(db)
        .await?
        .is_some();
    notice_recipient::Entity::update_many()
        .col_expr(
            notice_recipient::Column::AcknowledgedAt,
            Expr::value(Some(now)),
        )
        .filter(notice_recipient::Column::UserId.eq(user_id))
        .filter(notice_recipient::Column::NoticeId.eq(notice_id))
        .filter(notice_recipient::Column::AcknowledgedAt.is_null())
        .exec(db)
        .await?;
    Ok(known)
}

/// The notices sent, newest first, with how many accounts acknowledged each.
///
/// # Errors
/// The database error.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<NoticeView>, DbErr> {
    let notices = service_notice::Entity::find()
        .order_by_desc(service_notice::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    let counts: Vec<(i32, i64)> = notice_recipient::Entity::find()
        .select_only()
        .column(notice_recipient::Column::NoticeId)
        .column_as(Expr::col(notice_recipient::Column::Id).count(), "n")
        .filter(notice_recipient::Column::AcknowledgedAt.is_not_null())
        .group_by(notice_recipient::Column::NoticeId)
        .into_tuple()
        .all(db)
        .await?;
    let counts: BTreeMap<i32, i64> = counts.into_iter().collect();
    Ok(notices
        .into_iter()
        .map(|n| {
            let acknowledged = counts
                .get(&n.id)
                .copied()
                .and_then(|c| u64::try_from(c).ok())
                .unwrap_or(0);
            view(n, acknowledged)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_emails_of_a_notice_are_spread_over_minutes() {
        assert_eq!(held_back(0), None);
        assert_eq!(held_back(PER_MINUTE - 1), None);
        assert_eq!(held_back(PER_MINUTE), Some(Duration::minutes(1)));
        assert_eq!(held_back(10 * PER_MINUTE + 3), Some(Duration::minutes(10)));
    }
}
