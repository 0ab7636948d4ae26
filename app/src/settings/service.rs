//! Reading and saving settings.

use super::{Seller, SellerSettings};
use crate::db::entities::shop_setting;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The key the seller's identity and bank details are stored under.
pub const SELLER: &str = "seller";

/// Setting `key`, or `None` when it was never saved (or no longer reads as a `T`: the
/// caller's default then applies, and saving writes it again whole).
///
/// # Errors
/// The database error.
pub async fn get<T: DeserializeOwned>(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<T>, DbErr> {
    Ok(shop_setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .and_then(|row| serde_json::from_str(&row.value).ok()))
}

/// Saves setting `key` (insert or replace).
///
/// # Errors
/// The database error.
pub async fn put<T: Serialize>(
    db: &impl ConnectionTrait,
    key: &str,
    value: &T,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let value = serde_json::to_string(value).map_err(|e| DbErr::Custom(e.to_string()))?;
    shop_setting::Entity::insert(shop_setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(shop_setting::Column::Key)
            .update_columns([shop_setting::Column::Value, shop_setting::Column::UpdatedAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// The random key stored under `key`, shared by every instance of the shop: made by the first
/// one that needs it (a concurrent start keeps whichever was written first).
///
/// # Errors
/// The database error.
pub async fn shared_key(db: &impl ConnectionTrait, key: &str) -> Result<Vec<u8>, DbErr> {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use rand::RngCore;
    let mut fresh = [0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    let value =
        serde_json::to_string(&STANDARD.encode(fresh)).map_err(|e| DbErr::Custom(e.to_string()))?;
    shop_setting::Entity::insert(shop_setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value),
        updated_at: Set(chrono::Utc::now()),
    })
    .on_conflict(
        OnConflict::column(shop_setting::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let stored: String = get(db, key)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("setting {key}")))?;
    STANDARD
        .decode(stored)
        .map_err(|e| DbErr::Custom(format!("setting {key} is not a key: {e}")))
}

/// The seller's identity and bank details as staff set them (the demo brand until then).
///
/// # Errors
/// The database error.
pub async fn seller_settings(db: &impl ConnectionTrait) -> Result<SellerSettings, DbErr> {
    Ok(get(db, SELLER).await?.unwrap_or_else(super::rules::demo))
}

/// The seller's identity, as invoices, emails and legal texts name it.
///
/// # Errors
/// The database error.
pub async fn seller(db: &impl ConnectionTrait) -> Result<Seller, DbErr> {
    Ok(seller_settings(db).await?.seller)
}
