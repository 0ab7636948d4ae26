//! Account deletion on request (after re-authentication) and after three years without a
//! sign-in (a warning first, then the grace period).

use super::data::{self, ERASED_EMAIL_KIND, EraseError};
use crate::account::service::{AccountError, Caller, reauthenticate};
use crate::db::entities::user;
use crate::email::{self, Email};
use crate::i18n::Locale;
use chrono::{DateTime, Months, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
};

/// Months without a sign-in before the warning.
pub const INACTIVITY_MONTHS: u32 = 36;
/// Days between the warning and the deletion, unless set otherwise.
pub const DEFAULT_GRACE_DAYS: u32 = 30;
/// Accounts handled per round of the background job.
const BATCH: u64 = 100;

/// Why a deletion was refused.
#[derive(Debug, thiserror::Error)]
pub enum DeletionError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error("an order is still on its way")]
    OrderInProgress,
}

impl From<EraseError> for DeletionError {
    fn from(error: EraseError) -> Self {
        match error {
            EraseError::OrderInProgress => DeletionError::OrderInProgress,
            EraseError::Database(e) => DeletionError::Account(AccountError::Database(e)),
        }
    }
}

impl From<DbErr> for DeletionError {
    fn from(error: DbErr) -> Self {
        DeletionError::Account(AccountError::Database(error))
    }
}

pub(crate) fn deleted_email<'a>(
    to: &'a str,
    first_name: &str,
    locale: Locale,
    inactive: bool,
) -> Email<'a> {
    let (subject, body) = match (locale, inactive) {
        (Locale::Fr, false) => (
            "Votre compte a été supprimé",
            format!(
                "Bonjour {first_name},\n\nComme vous l'avez demandé, votre compte Comptoir Botanique a été supprimé : vos données personnelles ont été effacées, vos sessions fermées et vos abonnements résiliés.\n\nVos factures sont conservées dix ans, comme la loi l'exige ; vos commandes sont conservées sans vos coordonnées.\n\nMerci de votre confiance.\n"
            ),
        ),
        (Locale::En, false) => (
            "Your account has been deleted",
            format!(
                "Hello {first_name},\n\nAs you asked, your Comptoir Botanique account has been deleted: your personal data has been erased, your sessions closed and your subscriptions cancelled.\n\nYour invoices are kept for ten years, as the law requires; your orders are kept without your details.\n\nThank you for your trust.\n"
            ),
        ),
        (_, true) => (
            "Votre compte inactif a été supprimé",
            format!(
                "Bonjour {first_name},\n\nVous ne vous étiez pas connecté à votre compte Comptoir Botanique depuis plus de trois ans et n'avez pas répondu à notre message : il a été supprimé, avec vos données personnelles et vos abonnements.\n\nVos factures sont conservées dix ans, comme la loi l'exige ; vos commandes sont conservées sans vos coordonnées. Vous pouvez créer un nouveau compte à tout moment.\n"
            ),
        ),
    };
    Email {
        to,
        kind: ERASED_EMAIL_KIND,
        subject: subject.to_owned(),
        body,
        locale,
    }
}

/// Erases `account` and queues the confirmation, in one transaction.
async fn erase_and_tell(
    db: &DatabaseConnection,
    account: &user::Model,
    reason: &str,
    locale: Locale,
    inactive: bool,
    now: DateTime<Utc>,
) -> Result<(), DeletionError> {
    erase_and_log(db, account, reason, locale, inactive, None, now).await
}

/// [`erase_and_tell`], with the staff member who did it in the audit log (same transaction).
async fn erase_and_log(
    db: &DatabaseConnection,
    account: &user::Model,
    reason: &str,
    locale: Locale,
    inactive: bool,
    staff_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(), DeletionError> {
    let txn = crate::db::begin_write(db).await?;
    data::erase(&txn, account, reason, now).await?;
    email::queue(
        &txn,
        deleted_email(&account.email, &account.first_name, locale, inactive),
        now,
    )
    .await?;
    if let Some(staff_id) = staff_id {
        crate::db::audit::record(
            &txn,
            staff_id,
            "customer.delete",
            &format!("customer:{}", account.id),
            reason,
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Staff delete customer `account` on the customer's request (a data request received by
/// mail or phone): the same erasure and email as [`delete_own_account`], logged.
///
/// # Errors
/// [`DeletionError::OrderInProgress`], or a database error.
pub async fn delete_for_customer(
    db: &DatabaseConnection,
    account: &user::Model,
    reason: &str,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DeletionError> {
    erase_and_log(db, account, reason, Locale::Fr, false, Some(staff_id), now).await
}

/// Deletes the caller's own `account` once `password` is confirmed.
///
/// # Errors
/// [`AccountError::WrongCurrentPassword`] or [`AccountError::Throttled`] (as `Account`),
/// [`DeletionError::OrderInProgress`], or a database error.
pub async fn delete_own_account(
    db: &DatabaseConnection,
    caller: Caller<'_>,
    account: &user::Model,
    password: String,
) -> Result<(), DeletionError> {
    reauthenticate(db, caller, account, password).await?;
    erase_and_tell(
        db,
        account,
        "account deleted by its owner",
        caller.locale,
        false,
        caller.now,
    )
    .await
}

/// What a round of the inactivity job did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InactivityRound {
    pub warned: usize,
    pub erased: usize,
    /// Due for deletion but with an order on its way (tried again next round).
    pub postponed: usize,
}

/// Warns the accounts not signed in for [`INACTIVITY_MONTHS`] (since creation for one never
/// signed in) and erases those warned more than `grace_days` ago that still did not sign in.
/// Staff accounts are left to staff. Each warning is claimed by a conditional update, so two
/// instances never send it twice.
///
/// # Errors
/// The database error.
pub async fn run_inactivity(
    db: &DatabaseConnection,
    site: &str,
    grace_days: u32,
    now: DateTime<Utc>,
) -> Result<InactivityRound, DbErr> {
    let mut round = InactivityRound::default();
    let Some(threshold) = now.checked_sub_months(Months::new(INACTIVITY_MONTHS)) else {
        return Ok(round);
    };
    let idle = Condition::any()
        .add(user::Column::LastSignInAt.lt(threshold))
        .add(
            Condition::all()
                .add(user::Column::LastSignInAt.is_null())
                .add(user::Column::CreatedAt.lt(threshold)),
        );
    let to_warn = user::Entity::find()
        .filter(user::Column::DeletedAt.is_null())
        .filter(user::Column::InactivityWarnedAt.is_null())
        .filter(user::Column::Role.ne("staff"))
        .filter(idle.clone())
        .limit(BATCH)
        .all(db)
        .await?;
    let deadline = now + chrono::Duration::days(i64::from(grace_days));
    for account in to_warn {
        let txn = crate::db::begin_write(db).await?;
        let claimed = user::Entity::update_many()
            .col_expr(user::Column::InactivityWarnedAt, Expr::value(Some(now)))
            .filter(user::Column::Id.eq(account.id))
            .filter(user::Column::InactivityWarnedAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 1 {
            email::queue(&txn, warning_email(&account, site, deadline), now).await?;
            round.warned += 1;
        }
        txn.commit().await?;
    }
    let Some(warned_before) = now.checked_sub_signed(chrono::Duration::days(i64::from(grace_days)))
    else {
        return Ok(round);
    };
    let to_erase = user::Entity::find()
        .filter(user::Column::DeletedAt.is_null())
        .filter(user::Column::InactivityWarnedAt.lt(warned_before))
        .filter(user::Column::Role.ne("staff"))
        .filter(idle)
        .limit(BATCH)
        .all(db)
        .await?;
    for account in to_erase {
        match erase_and_tell(
            db,
            &account,
            "inactive for three years",
            Locale::Fr,
            true,
            now,
        )
        .await
        {
            Ok(()) => round.erased += 1,
            Err(DeletionError::OrderInProgress) => round.postponed += 1,
            Err(DeletionError::Account(AccountError::Database(e))) => return Err(e),
            Err(DeletionError::Account(e)) => return Err(DbErr::Custom(e.to_string())),
        }
    }
    Ok(round)
}

pub(crate) fn warning_email<'a>(
    account: &'a user::Model,
    site: &str,
    deadline: DateTime<Utc>,
) -> Email<'a> {
    let day = crate::ui::format::day(crate::clock::paris_today(deadline));
    Email {
        to: &account.email,
        kind: "inactivity_warning",
        subject: "Votre compte sera supprimé faute de connexion / Your account will be deleted"
            .to_owned(),
        body: format!(
            "Bonjour {name},\n\nVous ne vous êtes pas connecté à votre compte Comptoir Botanique depuis plus de trois ans. Sans connexion de votre part d'ici le {day}, il sera supprimé avec vos données personnelles (vos factures restent conservées dix ans, comme la loi l'exige).\n\nPour le conserver, connectez-vous simplement : {site}/account/sign-in\n\n---\n\nHello {name},\n\nYou have not signed in to your Comptoir Botanique account for over three years. Unless you sign in by {day}, it will be deleted with your personal data (invoices are kept for ten years, as the law requires).\n\nTo keep it, just sign in: {site}/account/sign-in\n",
            name = account.first_name
        ),
        // Written in both languages, French first.
        locale: crate::i18n::Locale::Fr,
    }
}
