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
    EntityTrait, QueryFilter, SqlErr, TransactionTrait,
};
use std::net::IpAddr;

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

/// A confirmed address.
#[derive(Clone, Debug)]
pub struct Verified {
    pub account: user::Model,
    /// Whether the link also signs its holder in: only the link that confirms the address, and
    /// only when nothing ended the account's sessions since it was sent (a password change,
    /// "sign out everywhere"). A link read later from a mailbox or a backup opens nothing.
    pub signs_in: bool,
}

/// Confirms an address from its emailed link; the account's other confirmation links stop
/// working.
///
/// # Errors
/// [`AccountError::InvalidLink`] for an unknown, used or expired link, or a database error.
pub async fn verify_email(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    token: &str,
) -> Result<Verified, AccountError> {
    let txn = crate::db::begin_write(db).await?;
    let token = claim_token(&txn, token, Purpose::Verify, now)
        .await?
        .ok_or(AccountError::InvalidLink)?;
    let account = user::Entity::find_by_id(token.user_id)
        .one(&txn)
        .await?
        .ok_or(AccountError::InvalidLink)?;
    let signs_in = account.email_verified_at.is_none()
        && account
            .sessions_valid_after
            .is_none_or(|after| after <= token.created_at);
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(now))
        .filter(account_token::Column::UserId.eq(account.id))
        .filter(account_token::Column::Purpose.eq(Purpose::Verify.code()))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let mut active: user::ActiveModel = account.clone().into();
    if account.email_verified_at.is_none() {
        active.email_verified_at = Set(Some(now));
    }
    if signs_in {
        active.last_sign_in_at = Set(Some(now));
    }
    active.updated_at = Set(now);
    let account = active.update(&txn).await?;
    txn.commit().await?;
    Ok(Verified { account, signs_in })
}

/// Emails a reset link when the address has an account; says nothing either way.
///
/// # Errors
/// [`AccountError::Input`] for a malformed address, [`AccountError::Throttled`] past 3 requests
/// an hour for an address or 10 from an IP address, or a database error.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    caller: Caller<'_>,
    email: &str,
) -> Result<(), AccountError> {
    let email = normalize_email(email)?;
    let account_key = address_key("reset", &email);
    let ip_key = client_key("email", caller.ip);
    if !throttle::take_all(
        db,
        &[
            (&ip_key, throttle::EMAILS_PER_IP),
            (&account_key, throttle::RESET_PER_ACCOUNT),
        ],
        caller.now,
    )
    .await?
    {
        return Err(AccountError::Throttled);
    }
    let txn = crate::db::begin_write(db).await?;
    if let Some(account) = find_by_email(&txn, &email).await? {
        let token = issue_token(&txn, account.id, Purpose::Reset, caller.now).await?;
        let link = format!("{}/account/reset/new?token={token}", caller.site);
        email::queue(&txn, mails::reset(&account.email, &link, caller.locale)).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Sets a new password from a reset link. The link proves the address, so an unconfirmed
/// account becomes confirmed; every session of the account ends.
///
/// # Errors
/// [`AccountError::InvalidLink`], [`AccountError::Input`] for a weak password (the link stays
/// usable), or a database error.
pub async fn reset_password(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    token: &str,
    password: String,
) -> Result<(), AccountError> {
    let account = valid_token_owner(db, token, Purpose::Reset, now)
        .await?
        .ok_or(AccountError::InvalidLink)?;
    passwords::check_password(
        &password,
        &[&account.email, &account.first_name, &account.last_name],
    )?;
    let password_hash = passwords::hash(password).await?;
    let txn = crate::db::begin_write(db).await?;
    claim_token(&txn, token, Purpose::Reset, now)
        .await?
        .ok_or(AccountError::InvalidLink)?;
    let mut active: user::ActiveModel = account.clone().into();
    active.password_hash = Set(password_hash);
    active.sessions_valid_after = Set(Some(now));
    if account.email_verified_at.is_none() {
        active.email_verified_at = Set(Some(now));
    }
    active.updated_at = Set(now);
    active.update(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(account.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// The account a still-valid token belongs to, without using the token.
async fn valid_token_owner(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    let Some(token) = account_token::Entity::find_by_id(tokens::token_hash(token))
        .filter(account_token::Column::Purpose.eq(purpose.code()))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    user::Entity::find_by_id(token.user_id).one(db).await
}

/// Checks the current password before a sensitive change. A wrong one counts as a failed
/// sign-in of the account (the same throttle), so a stolen session cannot guess it either.
///
/// # Errors
/// [`AccountError::Throttled`], [`AccountError::WrongCurrentPassword`], or a database error.
pub async fn reauthenticate(
    db: &DatabaseConnection,
    caller: Caller<'_>,
    account: &user::Model,
    password: String,
) -> Result<(), AccountError> {
    let key = address_key("sign_in", &account.email);
    if !throttle::take(db, &key, throttle::SIGN_IN_PER_ACCOUNT, caller.now).await? {
        return Err(AccountError::Throttled);
    }
    if !passwords::verify(password, Some(account.password_hash.clone())).await {
        return Err(AccountError::WrongCurrentPassword);
    }
    throttle::give_back(db, &key).await?;
    Ok(())
}

/// Asks to move the account to `new_email`, after checking the current password: a link goes
/// to the new address (the change happens only when it is opened) and a notice to the current
/// one. When the new address already has an account, that account's owner is told instead and
/// the answer is the same (no enumeration).
///
/// # Errors
/// [`AccountError::WrongCurrentPassword`] (counted like a failed sign-in),
/// [`AccountError::Throttled`], [`AccountError::Input`] for a malformed or unchanged address, or
/// a database error.
pub async fn request_email_change(
    db: &DatabaseConnection,
    caller: Caller<'_>,
    account: &user::Model,
    current_password: String,
    new_email: &str,
) -> Result<(), AccountError> {
    let new_email = normalize_email(new_email)?;
    if new_email == account.email {
        return Err(InputError::SameEmail.into());
    }
    let ip = client_key("email", caller.ip);
    reauthenticate(db, caller, account, current_password).await?;
    if !throttle::take(db, &ip, throttle::EMAILS_PER_IP, caller.now).await? {
        return Err(AccountError::Throttled);
    }
    let txn = crate::db::begin_write(db).await?;
    if find_by_email(&txn, &new_email).await?.is_some() {
        let sign_in = format!("{}/account/sign-in", caller.site);
        let reset = format!("{}/account/reset", caller.site);
        email::queue(
            &txn,
            mails::already_registered(&new_email, &sign_in, &reset, caller.locale),
        )
        .await?;
    } else {
        let token = issue_token_with(
            &txn,
            account.id,
            Purpose::ChangeEmail,
            Some(new_email.clone()),
            caller.now,
        )
        .await?;
        let link = format!("{}/account/email/confirm?token={token}", caller.site);
        email::queue(&txn, mails::change_email(&new_email, &link, caller.locale)).await?;
        let reset = format!("{}/account/reset", caller.site);
        email::queue(
            &txn,
            mails::email_change_notice(&account.email, &new_email, false, &reset, caller.locale),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Moves the account to the address its emailed link was sent to (which that link proves), and
/// tells the old address.
///
/// # Errors
/// [`AccountError::InvalidLink`] for an unknown, used or expired link, or when the address was
/// taken by another account meanwhile; or a database error.
pub async fn confirm_email_change(
    db: &DatabaseConnection,
    caller: Caller<'_>,
    token: &str,
) -> Result<user::Model, AccountError> {
    let txn = crate::db::begin_write(db).await?;
    let token = claim_token(&txn, token, Purpose::ChangeEmail, caller.now)
        .await?
        .ok_or(AccountError::InvalidLink)?;
    let new_email = token.payload.ok_or(AccountError::InvalidLink)?;
    if find_by_email(&txn, &new_email).await?.is_some() {
        return Err(AccountError::InvalidLink);
    }
    let account = user::Entity::find_by_id(token.user_id)
        .one(&txn)
        .await?
        .ok_or(AccountError::InvalidLink)?;
    let old_email = account.email.clone();
    let mut active: user::ActiveModel = account.into();
    active.email = Set(new_email.clone());
    active.email_verified_at = Set(Some(caller.now));
    active.updated_at = Set(caller.now);
    let account = active.update(&txn).await?;
    email::queue(
        &txn,
        mails::email_change_notice(&old_email, &new_email, true, "", caller.locale),
    )
    .await?;
    txn.commit().await?;
    Ok(account)
}

/// Changes the password after checking the current one; every other session of the account
/// ends and the owner is told by email. The caller renews its own session.
///
/// # Errors
/// [`AccountError::WrongCurrentPassword`] (counted like a failed sign-in),
/// [`AccountError::Throttled`], [`AccountError::Input`], or a database error.
pub async fn change_password(
    db: &DatabaseConnection,
    caller: Caller<'_>,
    account: &user::Model,
    current: String,
    new: String,
    keep_session: &str,
) -> Result<(), AccountError> {
    reauthenticate(db, caller, account, current).await?;
    passwords::check_password(
        &new,
        &[&account.email, &account.first_name, &account.last_name],
    )?;
    let password_hash = passwords::hash(new).await?;
    let txn = crate::db::begin_write(db).await?;
    let mut active: user::ActiveModel = account.clone().into();
    active.password_hash = Set(password_hash);
    active.sessions_valid_after = Set(Some(caller.now));
    active.updated_at = Set(caller.now);
    active.update(&txn).await?;
    super::end_other_sessions(&txn, account.id, keep_session).await?;
    let reset = format!("{}/account/reset", caller.site);
    email::queue(
        &txn,
        mails::password_changed(&account.email, &reset, caller.locale),
    )
    .await?;
    txn.commit().await?;
    Ok(())
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
    let txn = db.begin().await?;
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
