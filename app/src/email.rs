//! Emails the store sends. Every email is first written to the `email_outbox` table, in the
//! same transaction as what it reports (so an email is never lost nor sent for something rolled
//! back); the outbox is readable in the back office, and an SMTP relay sends it when one is
//! configured.

use crate::db::entities::email_outbox;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr};

/// An email to queue.
pub struct Email<'a> {
    pub to: &'a str,
    /// What it is for (`account_verify`, `password_reset`, …).
    pub kind: &'a str,
    pub subject: String,
    pub body: String,
}

/// Queues `email` in the outbox.
///
/// # Errors
/// The database error.
pub async fn queue(db: &impl ConnectionTrait, email: Email<'_>) -> Result<(), DbErr> {
    queue_with_invoice(db, email, None).await
}

/// Queues `email` in the outbox, with the PDF of invoice `invoice_id` attached when it is sent.
///
/// # Errors
/// The database error.
pub async fn queue_with_invoice(
    db: &impl ConnectionTrait,
    email: Email<'_>,
    invoice_id: Option<i32>,
) -> Result<(), DbErr> {
    email_outbox::ActiveModel {
        to_address: Set(email.to.to_owned()),
        kind: Set(email.kind.to_owned()),
        subject: Set(email.subject),
        body_text: Set(email.body),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(None),
        invoice_id: Set(invoice_id),
        list_unsubscribe: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Queues a marketing `email`: its one-click unsubscribe URL goes into the `List-Unsubscribe`
/// and `List-Unsubscribe-Post` headers when it is sent (the body carries the same link).
///
/// # Errors
/// The database error.
pub async fn queue_marketing(
    db: &impl ConnectionTrait,
    email: Email<'_>,
    unsubscribe_url: &str,
) -> Result<(), DbErr> {
    email_outbox::ActiveModel {
        to_address: Set(email.to.to_owned()),
        kind: Set(email.kind.to_owned()),
        subject: Set(email.subject),
        body_text: Set(email.body),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(None),
        invoice_id: Set(None),
        list_unsubscribe: Set(Some(unsubscribe_url.to_owned())),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}
