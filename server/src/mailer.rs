//! The outbox sender: emails written to `email_outbox` (in the same transaction as what they
//! report) go out through the SMTP relay of `APP__SMTP_URL`. Without one they stay readable in
//! the outbox.
//!
//! Each round claims a batch with a lease (`next_attempt_at` pushed ahead, and on PostgreSQL
//! `FOR UPDATE SKIP LOCKED`), so several instances never send the same email. A relay's
//! temporary refusal or a connection failure is retried with growing delays. A permanent
//! refusal (5xx) or a malformed address is given up at once, with the reason kept for staff.

use app::db::entities::email_outbox;
use app::db::sql::Sql;
use chrono::{DateTime, Duration, Utc};
use lettre::message::{Attachment, Mailbox, MultiPart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, FromQueryResult, QueryFilter,
};

/// The relay transport.
pub type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// Emails claimed per round.
const BATCH: i64 = 20;
/// Attempts before an email is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a claimed email is left to the instance that claimed it.
const LEASE_MINUTES: i64 = 5;

/// The transport for an SMTP URL (`smtp://`, `smtps://`, with credentials and `?tls=`).
///
/// # Errors
/// The URL is not one lettre understands.
pub fn transport(url: &str) -> Result<Transport, lettre::transport::smtp::Error> {
    Ok(Transport::from_url(url)?
        .timeout(Some(std::time::Duration::from_secs(20)))
        .build())
}

/// Who sends: the `From` mailbox (its name is the shop's name in the HTML part) and the shop's
/// public address, which the HTML part links to and takes its logo from.
#[derive(Clone, Debug)]
pub struct Sender {
    pub from: Mailbox,
    pub site: String,
}

/// The wait before attempt `attempts + 1`: 1 min, 5 min, 30 min, then 2 h.
fn backoff(attempts: i32) -> Duration {
    match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        _ => Duration::hours(2),
    }
}

#[derive(Debug, FromQueryResult)]
struct Claimed {
    id: i32,
    to_address: String,
    kind: String,
    subject: String,
    body_text: String,
    attempts: i32,
    invoice_id: Option<i32>,
    list_unsubscribe: Option<String>,
    terms_version: Option<String>,
    locale: String,
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
}

/// Claims the emails due at `now` (a batch), leasing them to this instance.
async fn claim(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Vec<Claimed>, DbErr> {
    let backend = db.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push("UPDATE email_outbox SET next_attempt_at = ")
        .bind(now + Duration::minutes(LEASE_MINUTES))
        .push(" WHERE id IN (SELECT id FROM email_outbox WHERE sent_at IS NULL AND attempts < ")
        .bind(MAX_ATTEMPTS)
        .push(" AND (next_attempt_at IS NULL OR next_attempt_at <= ")
        .bind(now)
        .push(") ORDER BY id LIMIT ")
        .bind(BATCH);
    if backend == DbBackend::Postgres {
        sql.push(" FOR UPDATE SKIP LOCKED");
    }
    sql.push(") RETURNING id, to_address, kind, subject, body_text, attempts, invoice_id, list_unsubscribe, terms_version, locale");
    Claimed::find_by_statement(sql.build()).all(db).await
}

/// A file attached to an email: its name and bytes.
type Attached = (String, Vec<u8>);

fn message(sender: &Sender, email: &Claimed, attached: Vec<Attached>) -> Result<Message, String> {
    let to: Mailbox = email
        .to_address
        .parse()
        .map_err(|e| format!("invalid recipient: {e}"))?;
    let builder = Message::builder()
        .from(sender.from.clone())
        .to(to)
        .subject(email.subject.clone());
    // The text as written, and the same words laid out in HTML: a client shows the last part
    // it can read (RFC 2046 §5.1.4), so the HTML comes second.
    let frame = app::email::html::Frame {
        site: &sender.site,
        shop: sender.from.name.as_deref().unwrap_or("Comptoir Botanique"),
        locale: app::i18n::Locale::from_code(&email.locale).unwrap_or(app::i18n::Locale::Fr),
    };
    let html = app::email::html::render(frame, &email.subject, &email.body_text);
    let alternative = MultiPart::alternative_plain_html(email.body_text.clone(), html);
    let built = if attached.is_empty() {
        builder.multipart(alternative)
    } else {
        let pdf = ContentType::parse("application/pdf").map_err(|e| e.to_string())?;
        let mut parts = MultiPart::mixed().multipart(alternative);
        for (name, bytes) in attached {
            parts = parts.singlepart(Attachment::new(name).body(bytes, pdf.clone()));
        }
        builder.multipart(parts)
    };
    let mut message = built.map_err(|e| format!("cannot build the message: {e}"))?;
    // A marketing email: one-click unsubscribe for mail clients (RFC 2369, RFC 8058).
    if let Some(url) = &email.list_unsubscribe {
        use lettre::message::header::{HeaderName, HeaderValue};
        let headers = message.headers_mut();
        headers.insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{url}>"),
        ));
        headers.insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_owned(),
        ));
    }
    Ok(message)
}

/// The PDF of invoice `invoice_id`, made from the stored (immutable) invoice.
async fn invoice_pdf(db: &DatabaseConnection, invoice_id: i32) -> Result<Attached, String> {
    let (_, document) = app::orders::service::invoice::by_id(db, invoice_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("invoice {invoice_id} not found"))?;
    crate::invoice_pdf::render_file(document)
        .await
        .map_err(|e| e.to_string())
}

/// The terms of sale in `terms_version` and the withdrawal form, as PDFs, in the language of
/// the order invoice `invoice_id` is for.
async fn contract_pdfs(
    db: &DatabaseConnection,
    invoice_id: Option<i32>,
    terms_version: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Attached>, String> {
    use sea_orm::EntityTrait;
    let mut locale = app::i18n::Locale::Fr;
    if let Some(id) = invoice_id
        && let Some(invoice) = app::db::entities::invoice::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(|e| e.to_string())?
        && let Some(order) = app::db::entities::order::Entity::find_by_id(invoice.order_id)
            .one(db)
            .await
            .map_err(|e| e.to_string())?
    {
        locale = app::i18n::Locale::from_code(&order.locale).unwrap_or(locale);
    }
    let today = app::subscriptions::rules::paris_today(now);
    let texts = app::legal::service::contract_texts(db, terms_version, locale, today)
        .await
        .map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || {
        texts
            .into_iter()
            .map(|t| {
                crate::invoice_pdf::render_text(&t.title, &t.markdown)
                    .map(|bytes| (t.file_name, bytes))
                    .map_err(|e| e.to_string())
            })
            .collect()
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Sends the emails due at `now` through `transport`, from `sender`.
///
/// # Errors
/// A database error (the emails claimed stay leased and are retried after the lease).
pub async fn send_due(
    db: &DatabaseConnection,
    transport: &Transport,
    sender: &Sender,
    now: DateTime<Utc>,
) -> Result<Round, DbErr> {
    let mut round = Round::default();
    for email in claim(db, now).await? {
        let attempts = email.attempts + 1;
        // The invoice travels attached; should it fail to render, the email still goes (its
        // text links to the invoice) rather than being held back.
        let mut attached: Vec<Attached> = match email.invoice_id {
            Some(id) => invoice_pdf(db, id)
                .await
                .inspect_err(
                    |reason| tracing::error!(invoice = id, %reason, "invoice not attached"),
                )
                .ok()
                .into_iter()
                .collect(),
            None => Vec::new(),
        };
        // Likewise the contract: the terms accepted and the withdrawal form.
        if let Some(version) = email.terms_version.as_deref() {
            match contract_pdfs(db, email.invoice_id, version, now).await {
                Ok(files) => attached.extend(files),
                Err(reason) => tracing::error!(%reason, "contract not attached"),
            }
        }
        let outcome = match message(sender, &email, attached) {
            Ok(message) => transport.send(message).await.map(|_| ()).map_err(|e| {
                let permanent = e.is_permanent();
                (e.to_string(), permanent)
            }),
            Err(reason) => Err((reason, true)),
        };
        let update =
            email_outbox::Entity::update_many().filter(email_outbox::Column::Id.eq(email.id));
        match outcome {
            Ok(()) => {
                round.sent += 1;
                // The confirmation of an erasure is the last thing that names the person:
                // once it has left, nothing of it stays (app::privacy::service::data).
                let update = if email.kind == app::privacy::service::data::ERASED_EMAIL_KIND {
                    update
                        .col_expr(email_outbox::Column::ToAddress, Expr::value("erased"))
                        .col_expr(email_outbox::Column::BodyText, Expr::value(""))
                } else {
                    // Once delivered, the links that sign in, reset a password or open an
                    // order live in the recipient's mailbox only: the outbox (and every backup
                    // of it from now on) keeps the email without their secrets.
                    update.col_expr(
                        email_outbox::Column::BodyText,
                        Expr::value(app::email::mask_secrets(&email.body_text)),
                    )
                };
                let update = update.col_expr(
                    email_outbox::Column::ListUnsubscribe,
                    Expr::value(
                        email
                            .list_unsubscribe
                            .as_deref()
                            .map(app::email::mask_secrets),
                    ),
                );
                update
                    .col_expr(email_outbox::Column::Attempts, Expr::value(attempts))
                    .col_expr(email_outbox::Column::SentAt, Expr::value(Some(now)))
                    .col_expr(email_outbox::Column::LastError, Expr::value(None::<String>))
                    .col_expr(
                        email_outbox::Column::NextAttemptAt,
                        Expr::value(None::<DateTime<Utc>>),
                    )
                    .exec(db)
                    .await?;
            }
            Err((reason, permanent)) => {
                round.failed += 1;
                tracing::warn!(email = email.id, attempts, permanent, %reason, "email not sent");
                let attempts = if permanent { MAX_ATTEMPTS } else { attempts };
                update
                    .col_expr(email_outbox::Column::Attempts, Expr::value(attempts))
                    .col_expr(email_outbox::Column::LastError, Expr::value(Some(reason)))
                    .col_expr(
                        email_outbox::Column::NextAttemptAt,
                        Expr::value(Some(now + backoff(attempts))),
                    )
                    .exec(db)
                    .await?;
            }
        }
    }
    Ok(round)
}

/// Sends the outbox every few seconds, for as long as the server runs.
pub async fn run(
    db: DatabaseConnection,
    clock: std::sync::Arc<dyn app::clock::Clock>,
    transport: Transport,
    sender: Sender,
) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match send_due(&db, &transport, &sender, clock.now()).await {
            Ok(Round { sent: 0, failed: 0 }) => {}
            Ok(round) => tracing::info!(sent = round.sent, failed = round.failed, "outbox round"),
            Err(error) => tracing::warn!(%error, "outbox round failed"),
        }
    }
}
