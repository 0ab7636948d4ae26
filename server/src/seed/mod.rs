//! Demo data for the fictional brand, inserted by `server seed` or at first start on an empty
//! database, and a large synthetic catalogue for benchmarks (`server seed --products N`).
//! Never part of a migration.

mod articles;
mod catalog;
mod legal;
mod pricing;
mod synthetic;

pub use synthetic::seed_synthetic;

use anyhow::{Context, Result};
use app::catalog::search::{ProductSearchFields, ProductTexts};
use app::db::entities::{category, product, product_image};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait,
};

/// What a seed run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub categories: usize,
    pub products: usize,
    pub articles: usize,
}

/// Inserts the demo catalogue when the catalogue is empty, in one transaction; otherwise does
/// nothing (running it twice never duplicates anything).
///
/// # Errors
/// The database error; nothing is half written.
pub async fn seed_demo(db: &DatabaseConnection) -> Result<SeedReport> {
    let txn = app::db::begin_write(db).await?;
    pricing::seed_pricing(&txn).await?;
    legal::seed_legal(&txn).await?;
    if category::Entity::find().count(&txn).await? > 0 {
        txn.commit().await?;
        // The articles name products: they come after the catalogue, missing ones only.
        let articles = articles::seed_articles(db).await?;
        return Ok(SeedReport {
            articles,
            ..SeedReport::default()
        });
    }
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
        for p in catalog::products().filter(|p| p.category == c.slug) {
            let search = ProductSearchFields::of(&ProductTexts {
                sku: p.sku,
                name_fr: p.name.0,
                name_en: p.name.1,
                body: &[
                    p.summary.0,
                    p.summary.1,
                    p.description.0,
                    p.description.1,
                    p.composition.0,
                    p.composition.1,
                    c.name.0,
                    c.name.1,
                ],
            });
            let inserted_product = product::ActiveModel {
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
                shipping_weight_grams: Set(pricing::packed_weight_grams(
                    p.net_quantity,
                    p.net_unit,
                )),
                stock: Set(p.stock),
                lead_time_days: Set(p.lead_time_days),
                subscription_months: Set(p.subscription_months.into()),
                image: Set(format!("/img/products/{}.svg", p.slug)),
                featured: Set(p.featured),
                status: Set("active".into()),
                created_at: Set(now),
                updated_at: Set(now),
                search_title: Set(search.search_title),
                search_body: Set(search.search_body),
                name_key_fr: Set(search.name_key_fr),
                name_key_en: Set(search.name_key_en),
                variant_code: Set(product::variant_code(p.net_quantity, p.net_unit)),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .with_context(|| format!("inserting product {}", p.slug))?;
            seed_variants(&txn, &inserted_product).await?;
            product_image::ActiveModel {
                product_id: Set(inserted_product.id),
                position: Set(1),
                path: Set(format!("/img/products/{}-texture.svg", p.slug)),
                alt_fr: Set(format!("{} : la texture et ses plantes", p.name.0)),
                alt_en: Set(format!("{}: its texture and plants", p.name.1)),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .with_context(|| format!("inserting the gallery of {}", p.slug))?;
            report.products += 1;
        }
    }
    txn.commit().await?;
    report.articles = articles::seed_articles(db).await?;
    Ok(report)
}

/// The other sizes of demo product `first`, which takes its label.
async fn seed_variants(txn: &sea_orm::DatabaseTransaction, first: &product::Model) -> Result<()> {
    let mut position = 0;
    for v in catalog::VARIANTS.iter().filter(|v| v.of == first.slug) {
        if position == 0 {
            let mut labelled: product::ActiveModel = first.clone().into();
            labelled.variant_label_fr = Set(v.first_label.0.into());
            labelled.variant_label_en = Set(v.first_label.1.into());
            labelled.update(txn).await?;
        }
        position += 1;
        product::ActiveModel {
            slug: Set(format!("{}-{}", first.slug, v.code)),
            sku: Set(v.sku.into()),
            price_cents: Set(v.price_cents),
            net_quantity: Set(v.net_quantity),
            shipping_weight_grams: Set(pricing::packed_weight_grams(
                v.net_quantity,
                &first.net_unit,
            )),
            stock: Set(v.stock),
            featured: Set(false),
            search_title: Set(String::new()),
            search_body: Set(String::new()),
            variant_of: Set(Some(first.id)),
            variant_code: Set(v.code.into()),
            variant_label_fr: Set(v.label.0.into()),
            variant_label_en: Set(v.label.1.into()),
            variant_position: Set(position),
            ..app::catalog::variants::shared_from(first)
        }
        .insert(txn)
        .await
        .with_context(|| format!("inserting variant {}", v.sku))?;
    }
    if position > 0 {
        app::catalog::variants::index_skus(txn, first.id).await?;
    }
    Ok(())
}
