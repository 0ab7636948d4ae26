//! Proving who one is after sign-up: the emailed links (confirmation, password reset, change of address), the password and its change.

use super::*;

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
        email::queue(
            &txn,
            mails::reset(&account.email, &link, caller.locale),
            caller.now,
        )
        .await?;
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
pub(super) async fn valid_token_owner(
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
            caller.now,
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
        email::queue(
            &txn,
            mails::change_email(&new_email, &link, caller.locale),
            caller.now,
        )
        .await?;
        let reset = format!("{}/account/reset", caller.site);
        email::queue(
            &txn,
            mails::email_change_notice(&account.email, &new_email, false, &reset, caller.locale),
            caller.now,
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
        caller.now,
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
    super::super::end_other_sessions(&txn, account.id, keep_session).await?;
    let reset = format!("{}/account/reset", caller.site);
    email::queue(
        &txn,
        mails::password_changed(&account.email, &reset, caller.locale),
        caller.now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
