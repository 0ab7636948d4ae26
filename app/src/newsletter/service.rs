//! The newsletter: double opt-in, one-click unsubscribe, the staff's campaigns.
//!
//! A request never tells whether an address is subscribed: the answer is always "check your
//! inbox". The confirmation link (valid 7 days) is the consent; its time is kept as proof.
//! Every marketing email carries the subscriber's unsubscribe link in its text and in the
//! `List-Unsubscribe` / `List-Unsubscribe-Post` headers, and works without signing in.
//! Transactional emails (orders, account) are not marketing and cannot be opted out of.

use crate::account::service::tokens::{new_token, token_hash};
use crate::db::entities::{newsletter_subscription as subscription, user};
use crate::email::{self, Email};
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter,
};

pub const PENDING: &str = "pending";
pub const CONFIRMED: &str = "confirmed";
pub const UNSUBSCRIBED: &str = "unsubscribed";
/// Days a confirmation link stays valid.
pub const CONFIRM_DAYS: i64 = 7;
/// The email kind of a campaign.
pub const CAMPAIGN_KIND: &str = "newsletter";

/// Where a subscriber stands, for the account page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Standing {
    None,
    Pending,
    Confirmed { since: DateTime<Utc> },
}

pub(crate) fn confirm_email<'a>(to: &'a str, link: &str, locale: Locale) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Confirmez votre inscription à la lettre",
            format!(
                "Bonjour,\n\nVous avez demandé à recevoir la lettre de Comptoir Botanique (nouveautés, conseils, articles de recherche). Pour confirmer, ouvrez ce lien (valable 7 jours) :\n{link}\n\nSans confirmation, vous ne recevrez rien. Si ce n'était pas vous, ignorez cet e-mail.\n"
            ),
        ),
        Locale::En => (
            "Confirm your newsletter subscription",
            format!(
                "Hello,\n\nYou asked to receive the Comptoir Botanique newsletter (new products, advice, research articles). To confirm, open this link (valid for 7 days):\n{link}\n\nWithout confirmation you will receive nothing. If it was not you, ignore this email.\n"
            ),
        ),
    };
    Email {
        to,
        kind: "newsletter_confirm",
        subject: subject.to_owned(),
        body,
        locale,
    }
}

/// Asks for the newsletter at `email` (already normalised): a pending subscription and its
/// confirmation email, unless it is confirmed already (then nothing; the answer is the same).
///
/// # Errors
/// The database error.
pub async fn request(
    db: &impl ConnectionTrait,
    email: &str,
    locale: Locale,
    source: &str,
    site: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if objected(db, email).await? {
        // The account objected to marketing: nothing is stored or sent, and the answer is the
        // same as for anyone (it never tells who holds an account).
        return Ok(());
    }
    let existing = subscription::Entity::find()
        .filter(subscription::Column::Email.eq(email))
        .one(db)
        .await?;
    if existing.as_ref().is_some_and(|s| s.status == CONFIRMED) {
        return Ok(());
    }
    let (token, hash) = new_token();
    match existing {
        Some(row) => {
            let mut active: subscription::ActiveModel = row.into();
            active.status = Set(PENDING.to_owned());
            active.confirm_token_hash = Set(Some(hash));
            active.requested_at = Set(now);
            active.locale = Set(locale.code().to_owned());
            active.source = Set(source.to_owned());
            active.update(db).await?;
        }
        None => {
            subscription::ActiveModel {
                email: Set(email.to_owned()),
                status: Set(PENDING.to_owned()),
                locale: Set(locale.code().to_owned()),
                source: Set(source.to_owned()),
                confirm_token_hash: Set(Some(hash)),
                unsubscribe_key: Set(new_token().0),
                requested_at: Set(now),
                confirmed_at: Set(None),
                unsubscribed_at: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    let link = format!("{site}/newsletter/confirm?token={token}");
    email::queue(db, confirm_email(email, &link, locale), now).await
}

/// Confirms the subscription of the emailed `token` (once, within [`CONFIRM_DAYS`]); returns
/// whether it did.
///
/// # Errors
/// The database error.
pub async fn confirm(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let hash = token_hash(token.trim());
    let Some(row) = subscription::Entity::find()
        .filter(subscription::Column::ConfirmTokenHash.eq(hash.as_str()))
        .filter(subscription::Column::Status.eq(PENDING))
        .filter(subscription::Column::RequestedAt.gt(now - chrono::Duration::days(CONFIRM_DAYS)))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let claimed = subscription::Entity::update_many()
        .col_expr(subscription::Column::Status, Expr::value(CONFIRMED))
        .col_expr(subscription::Column::ConfirmedAt, Expr::value(Some(now)))
        .col_expr(
            subscription::Column::ConfirmTokenHash,
            Expr::value(None::<String>),
        )
        .col_expr(
            subscription::Column::UnsubscribedAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(subscription::Column::Id.eq(row.id))
        .filter(subscription::Column::Status.eq(PENDING))
        .exec(&txn)
        .await?;
    set_account_flag(&txn, &row.email, true).await?;
    txn.commit().await?;
    Ok(claimed.rows_affected == 1)
}

async fn set_account_flag(db: &impl ConnectionTrait, email: &str, on: bool) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::Newsletter, Expr::value(on))
        .filter(user::Column::Email.eq(email))
        .exec(db)
        .await
        .map(|_| ())
}

async fn unsubscribe_where(
    db: &DatabaseConnection,
    column: subscription::Column,
    value: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let Some(row) = subscription::Entity::find()
        .filter(column.eq(value))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    if row.status != UNSUBSCRIBED {
        subscription::Entity::update_many()
            .col_expr(subscription::Column::Status, Expr::value(UNSUBSCRIBED))
            .col_expr(subscription::Column::UnsubscribedAt, Expr::value(Some(now)))
            .col_expr(
                subscription::Column::ConfirmTokenHash,
                Expr::value(None::<String>),
            )
            .filter(subscription::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
    }
    set_account_flag(&txn, &row.email, false).await?;
    txn.commit().await?;
    Ok(true)
}

/// Unsubscribes the holder of `key` (the link in every marketing email); `false` for an
/// unknown key. Doing it twice is harmless.
///
/// # Errors
/// The database error.
pub async fn unsubscribe(
    db: &DatabaseConnection,
    key: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if key.trim().is_empty() {
        return Ok(false);
    }
    unsubscribe_where(db, subscription::Column::UnsubscribeKey, key.trim(), now).await
}

/// Unsubscribes `email` (from the account page).
///
/// # Errors
/// The database error.
pub async fn unsubscribe_email(
    db: &DatabaseConnection,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    unsubscribe_where(db, subscription::Column::Email, email, now)
        .await
        .map(|_| ())
}

/// Whether `email` is the address of a live account that objected to marketing.
///
/// # Errors
/// The database error.
pub async fn objected(db: &impl ConnectionTrait, email: &str) -> Result<bool, DbErr> {
    use sea_orm::PaginatorTrait;
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .filter(user::Column::ObjectedAt.is_not_null())
        .filter(user::Column::DeletedAt.is_null())
        .count(db)
        .await?
        > 0)
}

/// Where `email` stands.
///
/// # Errors
/// The database error.
pub async fn standing(db: &impl ConnectionTrait, email: &str) -> Result<Standing, DbErr> {
    let row = subscription::Entity::find()
        .filter(subscription::Column::Email.eq(email))
        .one(db)
        .await?;
    Ok(match row {
        Some(row) if row.status == CONFIRMED => Standing::Confirmed {
            since: row.confirmed_at.unwrap_or(row.requested_at),
        },
        Some(row) if row.status == PENDING => Standing::Pending,
        _ => Standing::None,
    })
}

/// The one-click unsubscribe URL of `key` (`List-Unsubscribe`) and the page a reader opens.
pub fn unsubscribe_urls(site: &str, key: &str) -> (String, String) {
    (
        format!("{site}/newsletter/one-click?key={key}"),
        format!("{site}/newsletter/unsubscribe?key={key}"),
    )
}

/// A newsletter as one subscriber gets it: staff's text and the unsubscribe link.
pub(crate) fn campaign_email<'a>(
    to: &'a str,
    subject: &str,
    body: &str,
    unsubscribe_page: &str,
    locale: Locale,
) -> Email<'a> {
    let footer = match locale {
        Locale::Fr => format!(
            "\n\n--\nVous recevez cette lettre car vous vous y êtes inscrit. Se désabonner en un clic : {unsubscribe_page}\n"
        ),
        Locale::En => format!(
            "\n\n--\nYou receive this newsletter because you subscribed. Unsubscribe in one click: {unsubscribe_page}\n"
        ),
    };
    Email {
        to,
        kind: CAMPAIGN_KIND,
        subject: subject.to_owned(),
        body: format!("{body}{footer}"),
        locale,
    }
}

/// Queues `subject` and `body` to every confirmed subscriber, each with their own unsubscribe
/// link; returns how many.
///
/// # Errors
/// The database error.
pub async fn send_campaign(
    db: &DatabaseConnection,
    site: &str,
    subject: &str,
    body: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, DbErr> {
    let objecting: std::collections::HashSet<String> = user::Entity::find()
        .filter(user::Column::ObjectedAt.is_not_null())
        .filter(user::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    let subscribers: Vec<_> = subscription::Entity::find()
        .filter(subscription::Column::Status.eq(CONFIRMED))
        .all(db)
        .await?
        .into_iter()
        .filter(|s| !objecting.contains(&s.email))
        .collect();
    let txn = crate::db::begin_write(db).await?;
    for s in &subscribers {
        let (one_click, page) = unsubscribe_urls(site, &s.unsubscribe_key);
        let locale = Locale::from_code(&s.locale).unwrap_or(Locale::Fr);
        email::queue_marketing(
            &txn,
            campaign_email(&s.email, subject, body, &page, locale),
            &one_click,
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(subscribers.len())
}
