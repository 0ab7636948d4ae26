//! The rights of a buyer without an account, exercised by email (`/privacy/request`).
//!
//! Anyone may ask for an address; the answer on the page is always the same. If the shop holds
//! something under that address (orders, newsletter, emails), a single-use link valid 24 hours
//! goes to it; if a live account holds it, the email points to the account's own page instead.
//! Opening the link (a button, so a mail scanner fetching it consumes nothing) grants this
//! browser the address for an hour: the export of every order and request made with it, or its
//! erasure under the same rules as an account's (refused while an order is on its way; invoices
//! kept as issued, orders anonymised).

use super::data::{self, EraseError};
use crate::account::service::tokens::{new_token, token_hash};
use crate::db::entities::{
    auth_throttle, email_outbox, newsletter_subscription, order, privacy_request, referral, user,
};
use crate::email::{self, Email};
use crate::i18n::Locale;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, JsonValue, PaginatorTrait, QueryFilter, QuerySelect,
};

/// How long the emailed link works.
pub const LINK_HOURS: i64 = 24;
/// How long an opened link lets this browser act for the address.
pub const GRANT_MINUTES: i64 = 60;
/// The email kinds.
pub const LINK_KIND: &str = "privacy_request";
pub const ACCOUNT_KIND: &str = "privacy_request_account";
/// The erasure confirmation (emptied once sent, as an account's).
pub const ERASED_KIND: &str = data::ERASED_EMAIL_KIND;

/// What a request led to (never told to the person asking: the page answers the same).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requested {
    /// A link was emailed.
    Link,
    /// A live account holds the address: the email points to it.
    Account,
    /// Nothing is held under the address: nothing sent.
    Nothing,
}

/// Whether the shop holds anything under `email` outside an account.
async fn holds_something(db: &impl ConnectionTrait, email: &str) -> Result<bool, DbErr> {
    let orders = order::Entity::find()
        .filter(order::Column::Email.eq(email))
        .count(db)
        .await?;
    let newsletter = newsletter_subscription::Entity::find()
        .filter(
            newsletter_subscription::Column::Email.is_in(super::retention::newsletter_keys(email)),
        )
        .count(db)
        .await?;
    let emails = email_outbox::Entity::find()
        .filter(email_outbox::Column::ToAddress.eq(email))
        .count(db)
        .await?;
    Ok(orders + newsletter + emails > 0)
}

pub(crate) fn link_email<'a>(to: &'a str, link: &str, locale: Locale) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Vos données personnelles : votre lien",
            format!(
                "Bonjour,\n\nVous avez demandé à consulter ou effacer les données que Comptoir Botanique conserve sous cette adresse (commandes passées sans compte, lettre d'information, courriels). Ouvrez ce lien, valable {LINK_HOURS} heures et une seule fois :\n{link}\n\nSi ce n'était pas vous, ignorez cet e-mail : rien ne sera fait.\n"
            ),
        ),
        Locale::En => (
            "Your personal data: your link",
            format!(
                "Hello,\n\nYou asked to see or erase the data Comptoir Botanique keeps under this address (orders placed without an account, newsletter, emails). Open this link, valid for {LINK_HOURS} hours and once only:\n{link}\n\nIf it was not you, ignore this email: nothing will be done.\n"
            ),
        ),
    };
    Email {
        to,
        kind: LINK_KIND,
        subject: subject.to_owned(),
        body,
        locale,
    }
}

pub(crate) fn account_email<'a>(to: &'a str, site: &str, locale: Locale) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Vos données personnelles",
            format!(
                "Bonjour,\n\nVous avez demandé à consulter ou effacer vos données personnelles. Un compte Comptoir Botanique existe sous cette adresse : connectez-vous puis ouvrez « Mes données personnelles » pour les télécharger ou supprimer le compte :\n{site}/account/privacy\n\nSi ce n'était pas vous, ignorez cet e-mail.\n"
            ),
        ),
        Locale::En => (
            "Your personal data",
            format!(
                "Hello,\n\nYou asked to see or erase your personal data. A Comptoir Botanique account exists under this address: sign in, then open \"My personal data\" to download it or delete the account:\n{site}/account/privacy\n\nIf it was not you, ignore this email.\n"
            ),
        ),
    };
    Email {
        to,
        kind: ACCOUNT_KIND,
        subject: subject.to_owned(),
        body,
        locale,
    }
}

pub(crate) fn erased_email<'a>(to: &'a str, locale: Locale) -> Email<'a> {
    let (subject, body) = match locale {
        Locale::Fr => (
            "Vos données ont été effacées",
            "Bonjour,\n\nComme vous l'avez demandé, les données que Comptoir Botanique conservait sous cette adresse ont été effacées : vos commandes sont conservées sans vos coordonnées, et les factures dix ans telles qu'émises, comme la loi l'exige.\n".to_owned(),
        ),
        Locale::En => (
            "Your data has been erased",
            "Hello,\n\nAs you asked, the data Comptoir Botanique kept under this address has been erased: your orders are kept without your details, and invoices for ten years as issued, as the law requires.\n".to_owned(),
        ),
    };
    Email {
        to,
        kind: ERASED_KIND,
        subject: subject.to_owned(),
        body,
        locale,
    }
}

/// Handles a request for `email` (already normalised): see [`Requested`].
///
/// # Errors
/// The database error.
pub async fn request(
    db: &DatabaseConnection,
    email: &str,
    locale: Locale,
    site: &str,
    now: DateTime<Utc>,
) -> Result<Requested, DbErr> {
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .filter(user::Column::DeletedAt.is_null())
        .count(db)
        .await?;
    if account > 0 {
        email::queue(db, account_email(email, site, locale), now).await?;
        return Ok(Requested::Account);
    }
    if !holds_something(db, email).await? {
        return Ok(Requested::Nothing);
    }
    let (token, hash) = new_token();
    let txn = crate::db::begin_write(db).await?;
    privacy_request::ActiveModel {
        email: Set(email.to_owned()),
        token_hash: Set(hash),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(LINK_HOURS)),
        opened_at: Set(None),
        done: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let link = format!("{site}/privacy/request?token={token}");
    email::queue(&txn, link_email(email, &link, locale), now).await?;
    txn.commit().await?;
    Ok(Requested::Link)
}

/// Opens the link of `token` (once, within its 24 hours): the address it was sent to.
///
/// # Errors
/// The database error.
pub async fn open(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(i32, String)>, DbErr> {
    let hash = token_hash(token.trim());
    let Some(row) = privacy_request::Entity::find()
        .filter(privacy_request::Column::TokenHash.eq(hash.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    // Claimed by a conditional update: two clicks (or two instances) open it once.
    let claimed = privacy_request::Entity::update_many()
        .col_expr(privacy_request::Column::OpenedAt, Expr::value(Some(now)))
        .filter(privacy_request::Column::Id.eq(row.id))
        .filter(privacy_request::Column::OpenedAt.is_null())
        .filter(privacy_request::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    Ok(claimed.then_some((row.id, row.email)))
}

/// Notes on request `id` what was done with it.
/// Who acts for a guest address: the person, through the emailed link of request `id`, or a
/// staff member on the person's request (by mail or phone), logged with `reason`.
#[derive(Clone, Copy, Debug)]
pub enum By<'a> {
    Link(i32),
    Staff { id: i32, reason: &'a str },
}

/// The audit subject of a guest address: its digest, never the address (which an erasure
/// removes everywhere else).
pub fn audit_subject(email: &str) -> String {
    format!("guest:{}", crate::throttle::address_digest(email))
}

/// Notes what was done (`export`, `erase`): on the request, or in the audit log.
async fn done(
    db: &impl ConnectionTrait,
    by: By<'_>,
    email: &str,
    what: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    match by {
        By::Link(id) => privacy_request::Entity::update_many()
            .col_expr(privacy_request::Column::Done, Expr::value(what))
            .filter(privacy_request::Column::Id.eq(id))
            .exec(db)
            .await
            .map(|_| ()),
        By::Staff { id, reason } => {
            crate::db::audit::record(
                db,
                id,
                &format!("guest.{what}"),
                &audit_subject(email),
                reason,
                now,
            )
            .await
        }
    }
}

/// A stand-in account for `email`: no account row matches its id, and as its address is
/// "verified" the export reaches every order placed with it.
pub(crate) fn stand_in(email: &str, now: DateTime<Utc>) -> user::Model {
    user::Model {
        id: -1,
        email: email.to_owned(),
        email_verified_at: Some(now),
        password_hash: String::new(),
        role: String::new(),
        title: None,
        first_name: String::new(),
        last_name: String::new(),
        phone: None,
        newsletter: false,
        referred_by_code: None,
        referral_code: None,
        loyalty_points: 0,
        store_credit_cents: 0,
        sessions_valid_after: None,
        last_sign_in_at: None,
        created_at: now,
        updated_at: now,
        deleted_at: None,
        inactivity_warned_at: None,
        objected_at: None,
        cart_reminders: None,
    }
}

/// Everything the shop holds under `email` outside an account, as the account export's
/// document (its account parts empty), noted as asked `by`.
///
/// # Errors
/// The database error.
pub async fn export(
    db: &DatabaseConnection,
    by: By<'_>,
    email: &str,
    now: DateTime<Utc>,
) -> Result<JsonValue, DbErr> {
    let document = data::export(db, &stand_in(email, now), None, now).await?;
    done(db, by, email, "export", now).await?;
    Ok(document)
}

/// Erases what the shop holds under `email` outside an account: its orders anonymised (the
/// invoices kept as issued), its emails, newsletter rows, sign-in counters and referral
/// address gone; the request kept as proof under the address's hash; a confirmation emailed
/// (emptied once sent). Refused while an order is on its way.
///
/// # Errors
/// [`EraseError::OrderInProgress`], or the database error.
pub async fn erase(
    db: &DatabaseConnection,
    by: By<'_>,
    email: &str,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<(), EraseError> {
    let txn = crate::db::begin_write(db).await?;
    let ids: Vec<i32> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .filter(order::Column::Email.eq(email))
        .filter(order::Column::UserId.is_null())
        .into_tuple()
        .all(&txn)
        .await?;
    data::refuse_while_on_its_way(&txn, &ids).await?;
    data::close_orders(&txn, &ids, &[], "erasure", now).await?;
    let placeholder = match by {
        By::Link(id) => format!("guest-r{id}{}", super::retention::ERASED_DOMAIN),
        By::Staff { .. } => format!(
            "guest-s{}{}",
            ids.iter().min().copied().unwrap_or(0),
            super::retention::ERASED_DOMAIN
        ),
    };
    data::anonymise_orders(&txn, &ids, &placeholder, now).await?;
    referral::Entity::update_many()
        .col_expr(
            referral::Column::RefereeEmail,
            Expr::value(placeholder.as_str()),
        )
        .filter(referral::Column::RefereeEmail.eq(email))
        .exec(&txn)
        .await?;
    email_outbox::Entity::delete_many()
        .filter(email_outbox::Column::ToAddress.eq(email))
        .exec(&txn)
        .await?;
    crate::db::entities::notice_recipient::Entity::delete_many()
        .filter(crate::db::entities::notice_recipient::Column::Email.eq(email))
        .exec(&txn)
        .await?;
    crate::wishlist::service::forget(&txn, email, None).await?;
    newsletter_subscription::Entity::delete_many()
        .filter(
            newsletter_subscription::Column::Email.is_in(super::retention::newsletter_keys(email)),
        )
        .exec(&txn)
        .await?;
    auth_throttle::Entity::delete_many()
        .filter(auth_throttle::Column::Key.ends_with(crate::throttle::address_suffix(email)))
        .exec(&txn)
        .await?;
    privacy_request::Entity::update_many()
        .col_expr(
            privacy_request::Column::Email,
            Expr::value(super::retention::hashed_address(email)),
        )
        .filter(privacy_request::Column::Email.eq(email))
        .exec(&txn)
        .await?;
    done(&txn, by, email, "erase", now).await?;
    email::queue(&txn, erased_email(email, locale), now).await?;
    txn.commit().await?;
    Ok(())
}
