//! Reads the shop's rates and rules (server only).

use super::model::{
    OssSettings, PaymentMethod, PaymentRule, PricingConfig, ShippingRate, ShippingZone,
};
use crate::db::entities::{payment_method, shipping_rate, shipping_zone};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// The shipping zones with their tables and the enabled payment methods, in display order
/// (two queries).
///
/// # Errors
/// The database error, or [`DbErr::Type`] for a payment-method code the code does not know.
pub async fn pricing_config(db: &impl ConnectionTrait) -> Result<PricingConfig, DbErr> {
    let zones = shipping_zone::Entity::find()
        .order_by_asc(shipping_zone::Column::Position)
        .order_by_asc(shipping_zone::Column::Code)
        .find_with_related(shipping_rate::Entity)
        .all(db)
        .await?;
    let methods = payment_method::Entity::find()
        .filter(payment_method::Column::Enabled.eq(true))
        .order_by_asc(payment_method::Column::Position)
        .all(db)
        .await?;
    let zones = zones
        .into_iter()
        .map(|(zone, rates)| ShippingZone {
            code: zone.code,
            free_from: zone.free_from_cents.map(|c| Decimal::new(c, 2)),
            rates: rates
                .into_iter()
                .map(|r| ShippingRate {
                    up_to_grams: r.up_to_grams.and_then(|g| u32::try_from(g).ok()),
                    price: Decimal::new(r.price_cents, 2),
                })
                .collect(),
        })
        .collect();
    let payment_rules = methods
        .into_iter()
        .map(|m| {
            let method = PaymentMethod::from_code(&m.code)
                .ok_or_else(|| DbErr::Type(format!("unknown payment method {}", m.code)))?;
            Ok(PaymentRule {
                method,
                min_total: m.min_total_cents.map(|c| Decimal::new(c, 2)),
                countries: m.countries.map(|list| {
                    list.split(',')
                        .map(|c| c.trim().to_ascii_uppercase())
                        .filter(|c| !c.is_empty())
                        .collect()
                }),
                recurring: m.recurring,
            })
        })
        .collect::<Result<_, DbErr>>()?;
    let oss = oss_settings(db).await?;
    Ok(PricingConfig {
        zones,
        payment_rules,
        destination_vat: if oss.enabled { oss.rates } else { Vec::new() },
    })
}

/// The shop-settings key of the OSS setting.
pub const OSS_KEY: &str = "vat_oss";

/// The OSS setting as staff left it: off, with the starting table, until they change it.
///
/// # Errors
/// The database error, or [`DbErr::Json`] for a stored value that does not parse.
pub async fn oss_settings(db: &impl ConnectionTrait) -> Result<OssSettings, DbErr> {
    use crate::db::entities::shop_setting;
    let stored = shop_setting::Entity::find_by_id(OSS_KEY).one(db).await?;
    match stored {
        Some(row) => serde_json::from_str(&row.value).map_err(|e| DbErr::Json(e.to_string())),
        None => Ok(OssSettings {
            enabled: false,
            rates: super::defaults::eu_vat_rates(),
        }),
    }
}
