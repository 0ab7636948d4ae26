//! Sign-up, confirmation, sign-in, password reset and change.
//!
//! No answer tells whether an address has an account: sign-up always says "check your inbox"
//! (the owner of a registered address gets a "you already have an account" email instead of a
//! confirmation), sign-in always says "wrong email or password" after the same Argon2 work, and
//! a reset request always says "if an account exists, a link is on its way".

use super::tokens::{self, Purpose};
use super::{AccountError, mails, passwords};
use crate::account::model::Role;
use crate::account::rules::{InputError, clean_name, clean_referral_code, normalize_email};
use crate::db::entities::{account_token, session, user};
use crate::email;
use crate::i18n::Locale;
use crate::throttle::{self, address_key, client_key};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, SqlErr,
};
use std::net::IpAddr;

mod credentials;
pub use credentials::*;

/// Who is asking, from where and when.
#[derive(Clone, Copy, Debug)]
pub struct Caller<'a> {
    /// The store's public origin, for links in emails.
    pub site: &'a str,
    pub locale: Locale,
    pub ip: Option<IpAddr>,
    pub now: DateTime<Utc>,
}

/// The sign-up form.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub newsletter: bool,
    pub referral_code: String,
}

/// Creates an unconfirmed account and emails its confirmation link; for an address that already
/// has an account, emails its owner instead. The answer is the same either way.
///
/// # Errors
/// [`AccountError::Input`] for a field to correct, [`AccountError::Throttled`] past 10 sign-ups
/// an hour from one IP address, or a database error.
pub async fn sign_up(
    db: &DatabaseConnection,
    caller: Caller<'_>,
    form: NewAccount,
) -> Result<(), AccountError> {
    let email = normalize_email(&form.email)?;
    let first_name = clean_name(&form.first_name).ok_or(InputError::FirstName)?;
    let last_name = clean_name(&form.last_name).ok_or(InputError::LastName)?;
    let referral = clean_referral_code(&form.referral_code)?;
    if let Some(code) = &referral
        && !crate::rewards::service::code_exists(db, code).await?
    {
        return Err(InputError::ReferralCode.into());
    }
    passwords::check_password(&form.password, &[&email, &first_name, &last_name])?;
    // Each sign-up emails the address (a confirmation, or "you have an account"): limited per
    // client and per address.
    if !throttle::take_all(
        db,
        &[
            (&client_key("email", caller.ip), throttle::EMAILS_PER_IP),
            (
                &address_key("email_to", &email),
                throttle::EMAILS_PER_ADDRESS,
            ),
        ],
        caller.now,
    )
    .await?
    {
        return Err(AccountError::Throttled);
    }
    // Hashed whether or not the address is taken: both answers cost the same.
    let password_hash = passwords::hash(form.password).await?;
    let txn = crate::db::begin_write(db).await?;
    if find_by_email(&txn, &email).await?.is_some() {
        let sign_in = format!("{}/account/sign-in", caller.site);
        let reset = format!("{}/account/reset", caller.site);
        email::queue(
            &txn,
            mails::already_registered(&email, &sign_in, &reset, caller.locale),
            caller.now,
        )
        .await?;
        txn.commit().await?;
        return Ok(());
    }
    let inserted = user::ActiveModel {
        email: Set(email.clone()),
        email_verified_at: Set(None),
        password_hash: Set(password_hash),
        role: Set(Role::Customer.code().to_owned()),
        title: Set(None),
        first_name: Set(first_name),
        last_name: Set(last_name),
        phone: Set(None),
        // Set once the newsletter's own confirmation link is opened (double opt-in).
        newsletter: Set(false),
        referred_by_code: Set(referral),
        sessions_valid_after: Set(None),
        last_sign_in_at: Set(None),
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let account = match inserted {
        Ok(account) => account,
        // A concurrent sign-up with the same address won the race: same answer.
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(());
        }
        Err(err) => return Err(err.into()),
    };
    send_verification(&txn, caller, &account).await?;
    txn.commit().await?;
    Ok(())
}

async fn send_verification(
    db: &impl ConnectionTrait,
    caller: Caller<'_>,
    account: &user::Model,
) -> Result<(), AccountError> {
    let token = issue_token(db, account.id, Purpose::Verify, caller.now).await?;
    let link = format!("{}/account/verify?token={token}", caller.site);
    email::queue(
        db,
        mails::verify(&account.email, &account.first_name, &link, caller.locale),
        caller.now,
    )
    .await?;
    Ok(())
}

async fn issue_token(
    db: &impl ConnectionTrait,
    user_id: i32,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<String, AccountError> {
    issue_token_with(db, user_id, purpose, None, now).await
}

async fn issue_token_with(
    db: &impl ConnectionTrait,
    user_id: i32,
    purpose: Purpose,
    payload: Option<String>,
    now: DateTime<Utc>,
) -> Result<String, AccountError> {
    let (token, hash) = tokens::new_token();
    account_token::ActiveModel {
        token_hash: Set(hash),
        user_id: Set(user_id),
        purpose: Set(purpose.code().to_owned()),
        payload: Set(payload),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await
}

/// Checks an address and password. Throttled per address and per IP address; a confirmed account
/// is returned (the caller starts the session), an unconfirmed one gets a fresh link.
///
/// # Errors
/// [`AccountError::InvalidCredentials`] (whatever was wrong), [`AccountError::Throttled`],
/// [`AccountError::EmailNotVerified`], or a database error.
pub async fn sign_in(
    db: &DatabaseConnection,
    caller: Caller<'_>,
    email: &str,
    password: String,
) -> Result<user::Model, AccountError> {
    let email = normalize_email(email).unwrap_or_default();
    let account_key = address_key("sign_in", &email);
    let ip_key = client_key("sign_in", caller.ip);
    // Taken before the Argon2 check: concurrent attempts are each counted first, so no more
    // than the limit are ever checked. A client over its limit does not count against the
    // account (someone else's guesses cannot lock it further).
    if !throttle::take_all(
        db,
        &[
            (&ip_key, throttle::SIGN_IN_PER_IP),
            (&account_key, throttle::SIGN_IN_PER_ACCOUNT),
        ],
        caller.now,
    )
    .await?
    {
        return Err(AccountError::Throttled);
    }
    let account = if email.is_empty() {
        None
    } else {
        find_by_email(db, &email).await?
    };
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    if !passwords::verify(password, stored).await {
        return Err(AccountError::InvalidCredentials);
    }
    let account = account.ok_or(AccountError::InvalidCredentials)?;
    // Only failures count: the account starts afresh, the client gets its attempt back.
    throttle::clear(db, &account_key).await?;
    throttle::give_back(db, &ip_key).await?;
    if account.email_verified_at.is_none() {
        // A fresh link, a few an hour: whoever signed up with someone else's address and knows
        // the password cannot flood that inbox by signing in again and again.
        let to = address_key("email_to", &account.email);
        if throttle::take(db, &to, throttle::EMAILS_PER_ADDRESS, caller.now).await? {
            let txn = crate::db::begin_write(db).await?;
            send_verification(&txn, caller, &account).await?;
            txn.commit().await?;
        }
        return Err(AccountError::EmailNotVerified);
    }
    let mut active: user::ActiveModel = account.into();
    active.last_sign_in_at = Set(Some(caller.now));
    // Signing in answers an inactivity warning.
    active.inactivity_warned_at = Set(None);
    Ok(active.update(db).await?)
}

/// Claims a valid token of `purpose` (unused, unexpired), marking it used; `None` when there is
/// none. The conditional update makes a link work once even when clicked twice at once.
async fn claim_token(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<account_token::Model>, sea_orm::DbErr> {
    let hash = tokens::token_hash(token);
    let claimed = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(now))
        .filter(account_token::Column::TokenHash.eq(hash.as_str()))
        .filter(account_token::Column::Purpose.eq(purpose.code()))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(None);
    }
    account_token::Entity::find_by_id(hash).one(db).await
}

/// The account of a session that signed in at `signed_in_at`, unless the account is gone, its
/// sessions were ended since (sign out everywhere, password change), or the session is older
/// than `absolute` (the absolute timeout).
///
/// # Errors
/// The database error.
pub async fn current_user(
    db: &impl ConnectionTrait,
    user_id: i32,
    signed_in_at: DateTime<Utc>,
    now: DateTime<Utc>,
    absolute: chrono::Duration,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    if now - signed_in_at > absolute {
        return Ok(None);
    }
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| {
            u.sessions_valid_after
                .is_none_or(|after| signed_in_at >= after)
        }))
}

/// Creates a confirmed staff account (`server create-admin`).
///
/// # Errors
/// [`AccountError::Input`], [`AccountError::EmailTaken`], or a database error.
pub async fn create_staff(
    db: &DatabaseConnection,
    email: &str,
    password: String,
    first_name: &str,
    last_name: &str,
    now: DateTime<Utc>,
) -> Result<user::Model, AccountError> {
    let email = normalize_email(email)?;
    let first_name = clean_name(first_name).ok_or(InputError::FirstName)?;
    let last_name = clean_name(last_name).ok_or(InputError::LastName)?;
    passwords::check_password(&password, &[&email, &first_name, &last_name])?;
    let password_hash = passwords::hash(password).await?;
    let txn = crate::db::begin_write(db).await?;
    if find_by_email(&txn, &email).await?.is_some() {
        return Err(AccountError::EmailTaken);
    }
    let account = user::ActiveModel {
        email: Set(email),
        email_verified_at: Set(Some(now)),
        password_hash: Set(password_hash),
        role: Set(Role::Staff.code().to_owned()),
        title: Set(None),
        first_name: Set(first_name),
        last_name: Set(last_name),
        phone: Set(None),
        newsletter: Set(false),
        referred_by_code: Set(None),
        sessions_valid_after: Set(None),
        last_sign_in_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(account)
}

/// "First Last" of each account in `ids`, in one query (the authors of articles' revisions and
/// of legal texts' versions). Unknown ids are left out.
///
/// # Errors
/// The database error.
pub async fn full_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, String>, sea_orm::DbErr> {
    let ids: Vec<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} {}", u.first_name, u.last_name)))
        .collect())
}
