//! Emails the store sends. Every email is first written to the `email_outbox` table, in the
//! same transaction as what it reports (so an email is never lost nor sent for something rolled
//! back); the outbox is readable in the back office, and an SMTP relay sends it when one is
//! configured.

use crate::db::entities::email_outbox;
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr};

/// An email to queue.
pub struct Email<'a> {
    pub to: &'a str,
    /// What it is for (`account_verify`, `password_reset`, …).
    pub kind: &'a str,
    pub subject: String,
    /// The text part; the HTML part is made from it when the email is sent (see [`html`]).
    pub body: String,
    /// The language it is written in.
    pub locale: Locale,
}

pub mod html;

/// The outbox row of `email`, written at `now`, waiting to be sent, with nothing attached.
fn row(email: Email<'_>, now: DateTime<Utc>) -> email_outbox::ActiveModel {
    email_outbox::ActiveModel {
        to_address: Set(email.to.to_owned()),
        kind: Set(email.kind.to_owned()),
        subject: Set(email.subject),
        body_text: Set(email.body),
        created_at: Set(now),
        sent_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(None),
        invoice_id: Set(None),
        list_unsubscribe: Set(None),
        terms_version: Set(None),
        locale: Set(email.locale.code().to_owned()),
        ..Default::default()
    }
}

/// Queues `email` in the outbox at `now` (the shop's clock).
///
/// # Errors
/// The database error.
pub async fn queue(
    db: &impl ConnectionTrait,
    email: Email<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    queue_with_invoice(db, email, None, None, now).await
}

/// Queues `email` in the outbox, with the PDF of invoice `invoice_id` attached when it is sent,
/// and with `terms_version`, the terms of sale in that version and the model withdrawal form.
///
/// # Errors
/// The database error.
pub async fn queue_with_invoice(
    db: &impl ConnectionTrait,
    email: Email<'_>,
    invoice_id: Option<i32>,
    terms_version: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    email_outbox::ActiveModel {
        invoice_id: Set(invoice_id),
        terms_version: Set(terms_version.map(str::to_owned)),
        ..row(email, now)
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
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    email_outbox::ActiveModel {
        list_unsubscribe: Set(Some(unsubscribe_url.to_owned())),
        ..row(email, now)
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// `text` with the secret of every link masked: the values of the `token` and `key` query
/// parameters (sign-in and reset links, order access keys, unsubscribe keys) become `***`.
/// Shown to staff, and stored in place of an email's body once it has been sent.
pub fn mask_secrets(text: &str) -> String {
    const SECRETS: [&str; 2] = ["token=", "key="];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, name)) = SECRETS
        .iter()
        .filter_map(|name| {
            // A query parameter: right after `?` or `&`.
            rest.match_indices(name)
                .find(|(i, _)| matches!(rest[..*i].chars().last(), Some('?' | '&')))
                .map(|(i, _)| (i, name))
        })
        .min_by_key(|(i, _)| *i)
    {
        let value_start = at + name.len();
        let value_len = rest[value_start..]
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '%'))
            })
            .unwrap_or(rest.len() - value_start);
        out.push_str(&rest[..value_start]);
        if value_len > 0 {
            out.push_str("***");
        }
        rest = &rest[value_start + value_len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::mask_secrets;

    #[test]
    fn secrets_in_links_are_masked() {
        assert_eq!(
            mask_secrets(
                "Ouvrez https://shop.example/account/verify?token=AbC-12_x.~%2F pour confirmer."
            ),
            "Ouvrez https://shop.example/account/verify?token=*** pour confirmer."
        );
        assert_eq!(
            mask_secrets(
                "https://s.example/orders/CB26-7K3M9Q?key=k1&x=1\nhttps://s.example/n?a=1&key=k2"
            ),
            "https://s.example/orders/CB26-7K3M9Q?key=***&x=1\nhttps://s.example/n?a=1&key=***"
        );
        // Words that merely contain the names are left alone.
        assert_eq!(
            mask_secrets("monkey=banana, token=value, ?keyword=x"),
            "monkey=banana, token=value, ?keyword=x"
        );
        assert_eq!(mask_secrets("?token="), "?token=");
        assert_eq!(mask_secrets("no link"), "no link");
    }
}
