//! The shop's starting shipping tables and payment methods.

use anyhow::{Context, Result};
use app::db::entities::{payment_method, shipping_rate, shipping_zone};
use app::pricing::defaults::starting_config;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, PaginatorTrait};

/// A product's packed weight: its net content (a millilitre of these products weighs about a
/// gram) plus its packaging.
pub fn packed_weight_grams(net_quantity: i32, net_unit: &str) -> i32 {
    let packaging = if net_unit == "ml" { 90 } else { 40 };
    net_quantity.saturating_add(packaging)
}

fn cents(amount: Decimal) -> Result<i64> {
    i64::try_from((amount * Decimal::ONE_HUNDRED).round()).context("amount out of range")
}

/// Writes the starting rates and rules when the shop has none; returns whether it did.
pub async fn seed_pricing(db: &impl ConnectionTrait) -> Result<bool> {
    if shipping_zone::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let config = starting_config();
    for (position, zone) in config.zones.iter().enumerate() {
        shipping_zone::ActiveModel {
            code: Set(zone.code.clone()),
            position: Set(i32::try_from(position)?),
            free_from_cents: Set(zone.free_from.map(cents).transpose()?),
        }
        .insert(db)
        .await
        .with_context(|| format!("inserting shipping zone {}", zone.code))?;
        for rate in &zone.rates {
            shipping_rate::ActiveModel {
                zone_code: Set(zone.code.clone()),
                up_to_grams: Set(rate.up_to_grams.map(i32::try_from).transpose()?),
                price_cents: Set(cents(rate.price)?),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    for (position, rule) in config.payment_rules.iter().enumerate() {
        payment_method::ActiveModel {
            code: Set(rule.method.code().to_owned()),
            position: Set(i32::try_from(position)?),
            enabled: Set(true),
            min_total_cents: Set(rule.min_total.map(cents).transpose()?),
            countries: Set(rule.countries.as_ref().map(|c| c.join(","))),
            recurring: Set(rule.recurring),
        }
        .insert(db)
        .await
        .with_context(|| format!("inserting payment method {}", rule.method.code()))?;
    }
    Ok(true)
}
