//! A large, deterministic synthetic catalogue for benchmarks (`server seed --products N`).
//!
//! Product `i` is always the same (name, texts, price, stock), so two runs on two machines
//! measure the same catalogue. Names combine a form, one of 30 ingredients and a range word:
//! a one-ingredient search matches about 1 product in 30, a form ("sérum") about 1 in 36.

use super::catalog;
use anyhow::{Context, Result, bail};
use app::catalog::search::{ProductSearchFields, ProductTexts, name_key};
use app::db::entities::{category, product};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};

/// SKU prefix of synthetic products.
const SKU_PREFIX: &str = "SYN-";
/// Rows per multi-row `INSERT` (29 columns: well under SQLite's 32,766 bound values).
const CHUNK: usize = 400;

type Pair = (&'static str, &'static str);

const INGREDIENTS: &[Pair] = &[
    ("magnésium", "magnesium"),
    ("vitamine C", "vitamin C"),
    ("hibiscus", "hibiscus"),
    ("camomille", "chamomile"),
    ("karité", "shea"),
    ("aloé vera", "aloe vera"),
    ("rose musquée", "rosehip"),
    ("calendula", "calendula"),
    ("ginseng", "ginseng"),
    ("gingembre", "ginger"),
    ("thé vert", "green tea"),
    ("argan", "argan"),
    ("jojoba", "jojoba"),
    ("lavande", "lavender"),
    ("romarin", "rosemary"),
    ("bleuet", "cornflower"),
    ("acérola", "acerola"),
    ("bambou", "bamboo"),
    ("ortie", "nettle"),
    ("sureau", "elderberry"),
    ("myrtille", "bilberry"),
    ("spiruline", "spirulina"),
    ("collagène marin", "marine collagen"),
    ("acide hyaluronique", "hyaluronic acid"),
    ("niacinamide", "niacinamide"),
    ("zinc", "zinc"),
    ("fer", "iron"),
    ("rhodiola", "rhodiola"),
    ("valériane", "valerian"),
    ("mélisse", "lemon balm"),
];
const SUPPLEMENT_FORMS: &[Pair] = &[
    ("Gélules", "capsules"),
    ("Comprimés", "tablets"),
    ("Poudre", "powder"),
    ("Gouttes", "drops"),
    ("Infusion", "infusion"),
    ("Ampoules", "phials"),
];
const COSMETIC_FORMS: &[Pair] = &[
    ("Sérum", "serum"),
    ("Crème", "cream"),
    ("Huile", "oil"),
    ("Baume", "balm"),
    ("Lait", "lotion"),
    ("Gel", "gel"),
];
const RANGES: &[Pair] = &[
    ("Origine", "Origin"),
    ("Essentiel", "Essential"),
    ("Intense", "Intense"),
    ("Douceur", "Gentle"),
    ("Pureté", "Purity"),
    ("Éclat", "Radiance"),
    ("Nature", "Nature"),
    ("Harmonie", "Harmony"),
];

fn pick<T: Copy>(list: &[T], n: usize) -> T {
    list[n % list.len()]
}

/// Adds synthetic products until the catalogue holds `total` products (demo ones included);
/// returns how many were added. Seeds the demo store first when the database is empty.
///
/// # Errors
/// The database error; each run is one transaction, so nothing is half written.
pub async fn seed_synthetic(db: &DatabaseConnection, total: u64) -> Result<u64> {
    super::seed_demo(db).await?;
    // Products as listed: a product's other sizes do not count.
    let existing = product::Entity::find()
        .filter(product::Column::VariantOf.is_null())
        .count(db)
        .await?;
    if existing >= total {
        return Ok(0);
    }
    let categories = category::Entity::find()
        .order_by_asc(category::Column::Position)
        .all(db)
        .await?;
    if categories.is_empty() {
        bail!("no category to put synthetic products in");
    }
    let first = usize::try_from(
        product::Entity::find()
            .filter(product::Column::Sku.starts_with(SKU_PREFIX))
            .count(db)
            .await?,
    )?;
    let missing = usize::try_from(total - existing)?;
    let now = Utc::now();
    let txn = app::db::begin_write(db).await?;
    let mut batch = Vec::with_capacity(CHUNK);
    for i in first..first + missing {
        batch.push(synthetic_product(i, &categories, now));
        if batch.len() == CHUNK {
            product::Entity::insert_many(std::mem::take(&mut batch))
                .exec(&txn)
                .await
                .with_context(|| format!("inserting synthetic products up to #{i}"))?;
        }
    }
    if !batch.is_empty() {
        product::Entity::insert_many(batch).exec(&txn).await?;
    }
    txn.commit().await?;
    if db.get_database_backend() == DbBackend::Postgres {
        // Fresh planner statistics after a bulk load (autovacuum would get there later).
        db.execute_unprepared("ANALYZE products").await?;
    } else {
        // Merge the full-text index segments the bulk load left behind: searches then read one
        // b-tree per term instead of many (about 30 % faster at 100,000 products).
        db.execute_unprepared("INSERT INTO products_fts(products_fts) VALUES ('optimize')")
            .await?;
    }
    Ok(u64::try_from(missing)?)
}

fn synthetic_product(
    i: usize,
    categories: &[category::Model],
    now: chrono::DateTime<Utc>,
) -> product::ActiveModel {
    let category = &categories[i % categories.len()];
    let demo: Vec<_> = catalog::products()
        .filter(|p| p.category == category.slug)
        .collect();
    let supplement = demo
        .first()
        .is_none_or(|p| matches!(p.kind, catalog::Kind::Supplement));
    let (kind, forms, unit) = if supplement {
        (catalog::Kind::Supplement, SUPPLEMENT_FORMS, "g")
    } else {
        (catalog::Kind::Cosmetic, COSMETIC_FORMS, "ml")
    };
    let n = i / categories.len();
    let ingredient = pick(INGREDIENTS, n);
    let form = pick(forms, n / INGREDIENTS.len());
    let range = pick(RANGES, i * 7 + n);
    let name_fr = format!("{} {} {}", form.0, ingredient.0, range.0);
    let name_en = format!("{} {} {}", range.1, ingredient.1, form.1);
    let summary_fr = format!(
        "{} au {} pour le quotidien, gamme {}.",
        form.0, ingredient.0, range.0
    );
    let summary_en = format!("Everyday {} {}, {} range.", ingredient.1, form.1, range.1);
    let description_fr = format!(
        "Une formule {} autour de l'{} choisi pour sa qualité, fabriquée en France en petites séries. Produit de démonstration n° {}.",
        form.0.to_lowercase(),
        ingredient.0,
        i + 1
    );
    let description_en = format!(
        "A {} formula built around {} chosen for its quality, made in France in small batches. Demonstration product no. {}.",
        form.1,
        ingredient.1,
        i + 1
    );
    let composition_fr = format!(
        "Extrait d'{}, excipients d'origine naturelle.",
        ingredient.0
    );
    let composition_en = format!("{} extract, natural-origin excipients.", ingredient.1);
    let sku = format!("{SKU_PREFIX}{:07}", i + 1);
    let search = ProductSearchFields::of(&ProductTexts {
        sku: &sku,
        name_fr: &name_fr,
        name_en: &name_en,
        body: &[
            &summary_fr,
            &summary_en,
            &description_fr,
            &description_en,
            &composition_fr,
            &composition_en,
            &category.name_fr,
            &category.name_en,
        ],
    });
    let image = demo.get(n % demo.len().max(1)).map_or_else(
        || "/img/hero.svg".to_owned(),
        |p| format!("/img/products/{}.svg", p.slug),
    );
    let step = i32::try_from(i % 1000).unwrap_or(0);
    let created_at = now - Duration::seconds(i64::try_from(i).unwrap_or(i64::MAX));
    product::ActiveModel {
        slug: Set(format!(
            "{}-{}",
            name_key(&name_fr).replace(' ', "-"),
            i + 1
        )),
        sku: Set(sku),
        category_id: Set(category.id),
        kind: Set(kind.code().into()),
        usage_fr: Set("Selon les indications de l'étiquette.".into()),
        usage_en: Set("As directed on the label.".into()),
        price_cents: Set(590 + i64::from((step * 7919) % 54) * 100),
        vat_rate_bp: Set(kind.vat_rate_bp()),
        net_quantity: Set(30 + (step * 13) % 220),
        net_unit: Set(unit.into()),
        shipping_weight_grams: Set(super::pricing::packed_weight_grams(
            30 + (step * 13) % 220,
            unit,
        )),
        stock: Set((step * 37) % 150),
        lead_time_days: Set(2 + step % 3),
        subscription_months: Set(if supplement {
            "1,2,3".into()
        } else {
            String::new()
        }),
        image: Set(image),
        featured: Set(false),
        status: Set("active".into()),
        created_at: Set(created_at),
        updated_at: Set(created_at),
        name_fr: Set(name_fr),
        name_en: Set(name_en),
        summary_fr: Set(summary_fr),
        summary_en: Set(summary_en),
        description_fr: Set(description_fr),
        description_en: Set(description_en),
        composition_fr: Set(composition_fr),
        composition_en: Set(composition_en),
        search_title: Set(search.search_title),
        search_body: Set(search.search_body),
        name_key_fr: Set(search.name_key_fr),
        name_key_en: Set(search.name_key_en),
        variant_code: Set(product::variant_code(30 + (step * 13) % 220, unit)),
        ..Default::default()
    }
}
