//! The profile and the address book. Every address query is scoped by the owner's id: another
//! account's address is "not found", never "forbidden" (its existence stays private).

use super::AccountError;
use crate::account::model::{AddressView, Profile};
use crate::account::rules::{
    AddressInput, InputError, MAX_ADDRESSES, clean_address, clean_name, clean_phone, clean_title,
};
use crate::db::entities::{address, user};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TryIntoModel,
};

/// The profile of `account`.
pub fn profile(account: &user::Model) -> Profile {
    Profile {
        email: account.email.clone(),
        title: account.title.clone(),
        first_name: account.first_name.clone(),
        last_name: account.last_name.clone(),
        phone: account.phone.clone(),
    }
}

/// The profile as a form sends it.
#[derive(Clone, Debug, Default)]
pub struct ProfileInput {
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
}

/// Saves the title, names and phone of `account`.
///
/// # Errors
/// [`AccountError::Input`] for a field refused, or a database error.
pub async fn update_profile(
    db: &DatabaseConnection,
    account: &user::Model,
    input: ProfileInput,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    let title = clean_title(&input.title)?;
    let first_name = clean_name(&input.first_name).ok_or(InputError::FirstName)?;
    let last_name = clean_name(&input.last_name).ok_or(InputError::LastName)?;
    let phone = clean_phone(&input.phone)?;
    let mut active: user::ActiveModel = account.clone().into();
    active.title = Set(title);
    active.first_name = Set(first_name);
    active.last_name = Set(last_name);
    active.phone = Set(phone);
    active.updated_at = Set(now);
    active.update(db).await?;
    Ok(())
}

fn view(a: address::Model) -> AddressView {
    AddressView {
        id: a.id,
        label: a.label,
        first_name: a.first_name,
        last_name: a.last_name,
        company: a.company,
        line1: a.line1,
        line2: a.line2,
        postal_code: a.postal_code,
        city: a.city,
        country: a.country,
        phone: a.phone,
        is_default: a.is_default,
    }
}

/// The address book of `user_id`: the default first, then the newest.
///
/// # Errors
/// A database error.
pub async fn addresses(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<AddressView>, AccountError> {
    Ok(address::Entity::find()
        .filter(address::Column::UserId.eq(user_id))
        .order_by_desc(address::Column::IsDefault)
        .order_by_desc(address::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

async fn owned(
    db: &impl ConnectionTrait,
    user_id: i32,
    id: i32,
) -> Result<address::Model, AccountError> {
    address::Entity::find_by_id(id)
        .filter(address::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(AccountError::NotFound)
}

/// One address of `user_id`'s book.
///
/// # Errors
/// [`AccountError::NotFound`] when `id` is not one of theirs, or a database error.
pub async fn address_of(
    db: &DatabaseConnection,
    user_id: i32,
    id: i32,
) -> Result<AddressView, AccountError> {
    owned(db, user_id, id).await.map(view)
}

/// Makes `id` the only default address of `user_id` (inside the caller's transaction).
async fn make_default(
    txn: &impl ConnectionTrait,
    user_id: i32,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    address::Entity::update_many()
        .col_expr(address::Column::IsDefault, Expr::value(false))
        .filter(address::Column::UserId.eq(user_id))
        .filter(address::Column::Id.ne(id))
        .filter(address::Column::IsDefault.eq(true))
        .exec(txn)
        .await?;
    address::Entity::update_many()
        .col_expr(address::Column::IsDefault, Expr::value(true))
        .col_expr(address::Column::UpdatedAt, Expr::value(now))
        .filter(address::Column::UserId.eq(user_id))
        .filter(address::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Adds an address (`id` none) or changes one of `user_id`'s. The first address becomes the
/// default; `make_default` makes this one the default.
///
/// # Errors
/// [`AccountError::Input`] for a field refused or a full book, [`AccountError::NotFound`] for
/// an address that is not theirs, or a database error.
pub async fn save_address(
    db: &DatabaseConnection,
    user_id: i32,
    id: Option<i32>,
    input: &AddressInput,
    make_default_too: bool,
    now: DateTime<Utc>,
) -> Result<i32, AccountError> {
    let clean = clean_address(input)?;
    let txn = crate::db::begin_write(db).await?;
    let mut active = match id {
        Some(id) => address::ActiveModel::from(owned(&txn, user_id, id).await?),
        None => {
            let count = address::Entity::find()
                .filter(address::Column::UserId.eq(user_id))
                .count(&txn)
                .await?;
            if count >= MAX_ADDRESSES as u64 {
                return Err(InputError::TooManyAddresses.into());
            }
            address::ActiveModel {
                user_id: Set(user_id),
                is_default: Set(count == 0),
                created_at: Set(now),
                ..Default::default()
            }
        }
    };
    active.label = Set(clean.label);
    active.first_name = Set(clean.first_name);
    active.last_name = Set(clean.last_name);
    active.company = Set(clean.company);
    active.line1 = Set(clean.line1);
    active.line2 = Set(clean.line2);
    active.postal_code = Set(clean.postal_code);
    active.city = Set(clean.city);
    active.country = Set(clean.country.code().to_owned());
    active.phone = Set(clean.phone);
    active.updated_at = Set(now);
    let id = active.save(&txn).await?.try_into_model()?.id;
    if make_default_too {
        make_default(&txn, user_id, id, now).await?;
    }
    txn.commit().await?;
    Ok(id)
}

/// Makes one of `user_id`'s addresses the default.
///
/// # Errors
/// [`AccountError::NotFound`] for an address that is not theirs, or a database error.
pub async fn set_default_address(
    db: &DatabaseConnection,
    user_id: i32,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    let txn = crate::db::begin_write(db).await?;
    owned(&txn, user_id, id).await?;
    make_default(&txn, user_id, id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes one of `user_id`'s addresses; when it was the default, the newest remaining one
/// takes its place.
///
/// # Errors
/// [`AccountError::NotFound`] for an address that is not theirs, or a database error.
pub async fn delete_address(
    db: &DatabaseConnection,
    user_id: i32,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    let txn = crate::db::begin_write(db).await?;
    let gone = owned(&txn, user_id, id).await?;
    address::Entity::delete_by_id(gone.id).exec(&txn).await?;
    if gone.is_default {
        let next = address::Entity::find()
            .filter(address::Column::UserId.eq(user_id))
            .order_by_desc(address::Column::Id)
            .one(&txn)
            .await?;
        if let Some(next) = next {
            make_default(&txn, user_id, next.id, now).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
