//! Demo data for the fictional brand, inserted by `server seed` or at first start on an empty
//! database. Never part of a migration.

mod catalog;

use anyhow::{Context, Result};
use app::db::entities::{category, product};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait,
};

/// What a seed run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub categories: usize,
    pub products: usize,
}

/// Inserts the demo catalogue when the catalogue is empty, in one transaction; otherwise does
/// nothing (running it twice never duplicates anything).
///
/// # Errors
/// The database error; nothing is half written.
pub async fn seed_demo(db: &DatabaseConnection) -> Result<SeedReport> {
    if category::Entity::find().count(db).await? > 0 {
        return Ok(SeedReport::default());
    }
    let txn = app::db::begin_write(db).await?;
    let now = Utc::now();
    let mut report = SeedReport::default();
    for (position, c) in catalog::CATEGORIES.iter().enumerate() {
        let inserted = category::ActiveModel {
            slug: Set(c.slug.into()),
            name_fr: Set(c.name.0.into()),
            name_en: Set(c.name.1.into()),
            description_fr: Set(c.description.0.into()),
            description_en: Set(c.description.1.into()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .with_context(|| format!("inserting category {}", c.slug))?;
        report.categories += 1;
        for p in catalog::PRODUCTS.iter().filter(|p| p.category == c.slug) {
            product::ActiveModel {
                slug: Set(p.slug.into()),
                sku: Set(p.sku.into()),
                category_id: Set(inserted.id),
                kind: Set(p.kind.code().into()),
                name_fr: Set(p.name.0.into()),
                name_en: Set(p.name.1.into()),
                summary_fr: Set(p.summary.0.into()),
                summary_en: Set(p.summary.1.into()),
                description_fr: Set(p.description.0.into()),
                description_en: Set(p.description.1.into()),
                composition_fr: Set(p.composition.0.into()),
                composition_en: Set(p.composition.1.into()),
                usage_fr: Set(p.usage.0.into()),
                usage_en: Set(p.usage.1.into()),
                price_cents: Set(p.price_cents),
                vat_rate_bp: Set(p.kind.vat_rate_bp()),
                net_quantity: Set(p.net_quantity),
                net_unit: Set(p.net_unit.into()),
                stock: Set(p.stock),
                lead_time_days: Set(p.lead_time_days),
                subscription_months: Set(p.subscription_months.into()),
                image: Set(format!("/img/products/{}.svg", p.slug)),
                featured: Set(p.featured),
                status: Set("active".into()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .with_context(|| format!("inserting product {}", p.slug))?;
            report.products += 1;
        }
    }
    txn.commit().await?;
    Ok(report)
}
