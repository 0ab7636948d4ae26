//! The catalogue's back office on the server: checks every field, keeps the search columns in
//! step with the texts, logs stock movements and every change in the audit log, each in one
//! transaction.

use super::{CategoryForm, Movement, ProductEditorView, ProductForm, ProductList, ProductRow};
use crate::admin::audit;
use crate::catalog::search::{ProductSearchFields, ProductTexts};
use crate::catalog::service::{STATUS_ACTIVE, localized};
use crate::db::entities::{category, product, stock_movement, user};
use crate::error::AppError;
use crate::i18n::{Locale, Msg};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// The archived status of a product.
pub const STATUS_ARCHIVED: &str = "archived";
/// The most a text of a product may hold.
const MAX_TEXT: usize = 20_000;

/// Why a change was refused.
#[derive(Debug, thiserror::Error)]
pub enum CatalogAdminError {
    #[error("not found")]
    NotFound,
    /// A field that cannot be: its message.
    #[error("invalid: {0:?}")]
    Invalid(Msg),
    /// The SKU or the address is another product's (or category's).
    #[error("taken: {0:?}")]
    Taken(Msg),
    #[error("database: {0}")]
    Database(#[from] DbErr),
}

/// The answer to send for `error`, in the shopper's language.
pub fn answer(error: CatalogAdminError) -> AppError {
    let locale = crate::i18n::request_locale();
    match error {
        CatalogAdminError::NotFound => AppError::NotFound.answered(),
        CatalogAdminError::Invalid(msg) => {
            AppError::BadRequest(locale.t(msg).to_owned()).answered()
        }
        CatalogAdminError::Taken(msg) => AppError::Conflict(locale.t(msg).to_owned()).answered(),
        CatalogAdminError::Database(e) => AppError::internal(e),
    }
}

fn invalid(msg: Msg) -> CatalogAdminError {
    CatalogAdminError::Invalid(msg)
}

/// A product's fields, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanProduct {
    pub sku: String,
    pub slug: String,
    pub category_id: i32,
    pub kind: &'static str,
    pub texts: [String; 10],
    pub price_cents: i64,
    pub vat_rate_bp: i32,
    pub net_quantity: i32,
    pub net_unit: &'static str,
    pub lead_time_days: i32,
    pub subscription_months: String,
    pub shipping_weight_grams: i32,
    pub featured: bool,
    pub stock: i32,
}

fn number(
    text: &str,
    range: std::ops::RangeInclusive<i32>,
    msg: Msg,
) -> Result<i32, CatalogAdminError> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or(invalid(msg))
}

/// Checks `form`: every refusal names its field.
///
/// # Errors
/// [`CatalogAdminError::Invalid`] with the first field that cannot be.
pub fn clean(form: &ProductForm) -> Result<CleanProduct, CatalogAdminError> {
    let line = |text: &str| text.trim().to_owned();
    let name_fr = line(&form.name_fr);
    if name_fr.is_empty() || name_fr.chars().count() > 120 {
        return Err(invalid(Msg::ErrProductName));
    }
    let name_en = match line(&form.name_en) {
        empty if empty.is_empty() => name_fr.clone(),
        name if name.chars().count() > 120 => return Err(invalid(Msg::ErrProductName)),
        name => name,
    };
    let sku = form.sku.trim().to_ascii_uppercase();
    if !(2..=40).contains(&sku.len())
        || !sku.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(invalid(Msg::ErrSku));
    }
    let slug = match form.slug.trim() {
        "" => crate::articles::rules::slugify_folded(&deunicode::deunicode(&name_fr)),
        typed => typed.to_owned(),
    };
    if !crate::articles::rules::is_slug(&slug) {
        return Err(invalid(Msg::ErrSlug));
    }
    let kind = match form.kind.as_str() {
        "supplement" => "supplement",
        "cosmetic" => "cosmetic",
        _ => return Err(invalid(Msg::ErrProductKind)),
    };
    let price: Decimal = form
        .price
        .trim()
        .replace(',', ".")
        .trim_end_matches('€')
        .trim()
        .parse()
        .map_err(|_| invalid(Msg::ErrPrice))?;
    if price <= Decimal::ZERO || price > Decimal::new(10_000, 0) || price != price.round_dp(2) {
        return Err(invalid(Msg::ErrPrice));
    }
    let price_cents = crate::money::to_cents(price).map_err(|_| invalid(Msg::ErrPrice))?;
    if !super::VAT_RATES_BP.contains(&form.vat_rate_bp) {
        return Err(invalid(Msg::ErrVatRate));
    }
    let net_quantity = number(&form.net_quantity, 1..=100_000, Msg::ErrNetQuantity)?;
    let net_unit = match form.net_unit.as_str() {
        "g" => "g",
        "ml" => "ml",
        _ => return Err(invalid(Msg::ErrNetQuantity)),
    };
    let lead_time_days = match form.lead_time_days.trim() {
        "" => 2,
        text => number(text, 0..=90, Msg::ErrLeadTime)?,
    };
    let mut months = Vec::new();
    for part in form
        .subscription_months
        .split([',', ' ', ';'])
        .filter(|p| !p.is_empty())
    {
        let month = part
            .parse::<u8>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or(invalid(Msg::ErrSubscriptionMonths))?;
        if !months.contains(&month) {
            months.push(month);
        }
    }
    months.sort_unstable();
    let shipping_weight_grams = match form.shipping_weight_grams.trim() {
        "" => net_quantity.saturating_add(if net_unit == "ml" { 90 } else { 40 }),
        text => number(text, 1..=30_000, Msg::ErrWeight)?,
    };
    let stock = match form.stock.trim() {
        "" => 0,
        text => number(text, 0..=1_000_000, Msg::ErrStockDelta)?,
    };
    let texts = [
        line(&form.summary_fr),
        line(&form.summary_en),
        form.description_fr.trim().to_owned(),
        form.description_en.trim().to_owned(),
        form.composition_fr.trim().to_owned(),
        form.composition_en.trim().to_owned(),
        form.usage_fr.trim().to_owned(),
        form.usage_en.trim().to_owned(),
        name_fr,
        name_en,
    ];
    if texts.iter().any(|t| t.chars().count() > MAX_TEXT) {
        return Err(invalid(Msg::ErrTextTooLong));
    }
    Ok(CleanProduct {
        sku,
        slug,
        category_id: form.category_id,
        kind,
        texts,
        price_cents,
        vat_rate_bp: form.vat_rate_bp,
        net_quantity,
        net_unit,
        lead_time_days,
        subscription_months: months
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(","),
        shipping_weight_grams,
        featured: form.featured.is_some(),
        stock,
    })
}

async fn category_names(
    db: &impl ConnectionTrait,
    locale: Locale,
) -> Result<Vec<(i32, String)>, DbErr> {
    Ok(category::Entity::find()
        .order_by_asc(category::Column::Position)
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, localized(locale, c.name_fr, c.name_en)))
        .collect())
}

/// The list page.
///
/// # Errors
/// The database error.
pub async fn list(
    db: &DatabaseConnection,
    locale: Locale,
    q: String,
    category_id: i32,
    status: String,
    page: u64,
) -> Result<ProductList, DbErr> {
    let page = std::cmp::Ord::max(page, 1);
    let q: String = q.trim().chars().take(100).collect();
    let mut find = product::Entity::find();
    if !q.is_empty() {
        let folded = deunicode::deunicode(&q).to_lowercase();
        find = find.filter(
            Condition::any()
                .add(product::Column::Sku.eq(q.to_ascii_uppercase()))
                .add(product::Column::NameKeyFr.contains(&folded))
                .add(product::Column::NameKeyEn.contains(&folded)),
        );
    }
    if category_id > 0 {
        find = find.filter(product::Column::CategoryId.eq(category_id));
    }
    let status = match status.as_str() {
        "active" | "archived" => {
            find = find.filter(product::Column::Status.eq(status.as_str()));
            status
        }
        "low" => {
            find = find
                .filter(product::Column::Status.eq(STATUS_ACTIVE))
                .filter(product::Column::Stock.lte(crate::admin::LOW_STOCK));
            status
        }
        _ => String::new(),
    };
    let mut rows = find
        .order_by_asc(product::Column::NameKeyFr)
        .order_by_asc(product::Column::Id)
        .offset((page - 1).saturating_mul(super::PRODUCTS_PAGE))
        .limit(super::PRODUCTS_PAGE + 1)
        .all(db)
        .await?;
    let has_more = rows.len() as u64 > super::PRODUCTS_PAGE;
    rows.truncate(super::PRODUCTS_PAGE as usize);
    let categories = category_names(db, locale).await?;
    Ok(ProductList {
        rows: rows
            .into_iter()
            .map(|p| ProductRow {
                category: categories
                    .iter()
                    .find(|(id, _)| *id == p.category_id)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default(),
                id: p.id,
                sku: p.sku,
                price: crate::money::from_cents(p.price_cents),
                stock: p.stock,
                active: p.status == STATUS_ACTIVE,
                name: localized(locale, p.name_fr, p.name_en),
            })
            .collect(),
        q,
        category: category_id,
        status,
        page,
        has_more,
        categories,
    })
}

/// The editor of product `id` (0: a blank form).
///
/// # Errors
/// [`CatalogAdminError::NotFound`], or the database error.
pub async fn editor(
    db: &DatabaseConnection,
    locale: Locale,
    id: i32,
) -> Result<ProductEditorView, CatalogAdminError> {
    let categories = category_names(db, locale).await?;
    if id == 0 {
        return Ok(ProductEditorView {
            form: ProductForm {
                kind: "supplement".into(),
                vat_rate_bp: 550,
                net_unit: "g".into(),
                lead_time_days: "2".into(),
                stock: "0".into(),
                category_id: categories.first().map_or(0, |c| c.0),
                ..ProductForm::default()
            },
            slug_on_sale: None,
            image: String::new(),
            stock: 0,
            active: false,
            categories,
            movements: Vec::new(),
            image_error: None,
        });
    }
    let p = product::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(CatalogAdminError::NotFound)?;
    let moves = stock_movement::Entity::find()
        .filter(stock_movement::Column::ProductId.eq(id))
        .order_by_desc(stock_movement::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let mut actor_ids: Vec<i32> = moves.iter().map(|m| m.actor_id).collect();
    actor_ids.dedup();
    let actors = if actor_ids.is_empty() {
        Vec::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(db)
            .await?
    };
    let active = p.status == STATUS_ACTIVE;
    Ok(ProductEditorView {
        form: ProductForm {
            id: p.id,
            sku: p.sku,
            slug: p.slug.clone(),
            category_id: p.category_id,
            kind: p.kind,
            name_fr: p.name_fr,
            name_en: p.name_en,
            summary_fr: p.summary_fr,
            summary_en: p.summary_en,
            description_fr: p.description_fr,
            description_en: p.description_en,
            composition_fr: p.composition_fr,
            composition_en: p.composition_en,
            usage_fr: p.usage_fr,
            usage_en: p.usage_en,
            price: match locale {
                Locale::Fr => crate::money::from_cents(p.price_cents)
                    .to_string()
                    .replace('.', ","),
                Locale::En => crate::money::from_cents(p.price_cents).to_string(),
            },
            vat_rate_bp: p.vat_rate_bp,
            net_quantity: p.net_quantity.to_string(),
            net_unit: p.net_unit,
            lead_time_days: p.lead_time_days.to_string(),
            subscription_months: p.subscription_months,
            shipping_weight_grams: p.shipping_weight_grams.to_string(),
            featured: p.featured.then(|| "on".to_owned()),
            stock: String::new(),
        },
        slug_on_sale: active.then_some(p.slug),
        image: p.image,
        stock: p.stock,
        active,
        categories,
        movements: moves
            .into_iter()
            .map(|m| Movement {
                at: m.created_at,
                delta: m.delta,
                stock_after: m.stock_after,
                reason: m.reason,
                actor: actors
                    .iter()
                    .find(|u| u.id == m.actor_id)
                    .map_or_else(|| format!("#{}", m.actor_id), |u| u.email.clone()),
            })
            .collect(),
        image_error: None,
    })
}

/// Saves `form` (a new product when its id is 0). Returns the product's id.
///
/// # Errors
/// [`CatalogAdminError::Invalid`], [`CatalogAdminError::Taken`] for a SKU or address already
/// used, [`CatalogAdminError::NotFound`], or the database error.
pub async fn save(
    db: &DatabaseConnection,
    form: &ProductForm,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<i32, CatalogAdminError> {
    let clean = clean(form)?;
    let txn = crate::db::begin_write(db).await?;
    let category = category::Entity::find_by_id(clean.category_id)
        .one(&txn)
        .await?
        .ok_or(invalid(Msg::ErrCategory))?;
    for (column, value, msg) in [
        (product::Column::Sku, &clean.sku, Msg::ErrSkuTaken),
        (product::Column::Slug, &clean.slug, Msg::ErrSlugTaken),
    ] {
        let taken = product::Entity::find()
            .filter(column.eq(value.as_str()))
            .filter(product::Column::Id.ne(form.id))
            .count(&txn)
            .await?;
        if taken > 0 {
            return Err(CatalogAdminError::Taken(msg));
        }
    }
    let [
        summary_fr,
        summary_en,
        description_fr,
        description_en,
        composition_fr,
        composition_en,
        usage_fr,
        usage_en,
        name_fr,
        name_en,
    ] = clean.texts.clone();
    let search = ProductSearchFields::of(&ProductTexts {
        sku: &clean.sku,
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
    let (mut model, before) = if form.id == 0 {
        let model = product::ActiveModel {
            stock: Set(clean.stock),
            image: Set("/img/products/placeholder.svg".to_owned()),
            status: Set(STATUS_ACTIVE.to_owned()),
            created_at: Set(now),
            ..Default::default()
        };
        (model, None)
    } else {
        let found = product::Entity::find_by_id(form.id)
            .one(&txn)
            .await?
            .ok_or(CatalogAdminError::NotFound)?;
        (found.clone().into_active_model(), Some(found))
    };
    model.sku = Set(clean.sku.clone());
    model.slug = Set(clean.slug.clone());
    model.category_id = Set(clean.category_id);
    model.kind = Set(clean.kind.to_owned());
    model.name_fr = Set(name_fr);
    model.name_en = Set(name_en);
    model.summary_fr = Set(summary_fr);
    model.summary_en = Set(summary_en);
    model.description_fr = Set(description_fr);
    model.description_en = Set(description_en);
    model.composition_fr = Set(composition_fr);
    model.composition_en = Set(composition_en);
    model.usage_fr = Set(usage_fr);
    model.usage_en = Set(usage_en);
    model.price_cents = Set(clean.price_cents);
    model.vat_rate_bp = Set(clean.vat_rate_bp);
    model.net_quantity = Set(clean.net_quantity);
    model.net_unit = Set(clean.net_unit.to_owned());
    model.lead_time_days = Set(clean.lead_time_days);
    model.subscription_months = Set(clean.subscription_months.clone());
    model.shipping_weight_grams = Set(clean.shipping_weight_grams);
    model.featured = Set(clean.featured);
    model.updated_at = Set(now);
    model.search_title = Set(search.search_title);
    model.search_body = Set(search.search_body);
    model.name_key_fr = Set(search.name_key_fr);
    model.name_key_en = Set(search.name_key_en);
    let saved = if before.is_some() {
        model.update(&txn).await?
    } else {
        model.insert(&txn).await?
    };
    let detail = match &before {
        None => format!("{} — {}", saved.sku, saved.name_fr),
        Some(old) => changes(old, &saved).join(", "),
    };
    audit::record(
        &txn,
        staff_id,
        if before.is_none() {
            "product.create"
        } else {
            "product.update"
        },
        &format!("product:{}", saved.id),
        &detail,
        now,
    )
    .await?;
    if before.is_none() && saved.stock > 0 {
        stock_movement::ActiveModel {
            product_id: Set(saved.id),
            delta: Set(saved.stock),
            stock_after: Set(saved.stock),
            reason: Set("stock initial".to_owned()),
            actor_id: Set(staff_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(saved.id)
}

/// The fields that differ, a price shown as from → to.
fn changes(old: &product::Model, new: &product::Model) -> Vec<String> {
    let mut changed = Vec::new();
    if old.price_cents != new.price_cents {
        changed.push(format!(
            "price {} → {}",
            crate::money::from_cents(old.price_cents),
            crate::money::from_cents(new.price_cents)
        ));
    }
    if old.vat_rate_bp != new.vat_rate_bp {
        changed.push(format!("vat {} → {}", old.vat_rate_bp, new.vat_rate_bp));
    }
    for (name, a, b) in [
        ("sku", &old.sku, &new.sku),
        ("slug", &old.slug, &new.slug),
        ("name_fr", &old.name_fr, &new.name_fr),
        ("name_en", &old.name_en, &new.name_en),
        ("summary_fr", &old.summary_fr, &new.summary_fr),
        ("summary_en", &old.summary_en, &new.summary_en),
        ("description_fr", &old.description_fr, &new.description_fr),
        ("description_en", &old.description_en, &new.description_en),
        ("composition_fr", &old.composition_fr, &new.composition_fr),
        ("composition_en", &old.composition_en, &new.composition_en),
        ("usage_fr", &old.usage_fr, &new.usage_fr),
        ("usage_en", &old.usage_en, &new.usage_en),
        ("kind", &old.kind, &new.kind),
        ("net_unit", &old.net_unit, &new.net_unit),
        (
            "subscription_months",
            &old.subscription_months,
            &new.subscription_months,
        ),
    ] {
        if a != b {
            changed.push(name.to_owned());
        }
    }
    for (name, a, b) in [
        ("category", old.category_id, new.category_id),
        ("net_quantity", old.net_quantity, new.net_quantity),
        ("lead_time_days", old.lead_time_days, new.lead_time_days),
        (
            "shipping_weight_grams",
            old.shipping_weight_grams,
            new.shipping_weight_grams,
        ),
    ] {
        if a != b {
            changed.push(name.to_owned());
        }
    }
    if old.featured != new.featured {
        changed.push("featured".to_owned());
    }
    if changed.is_empty() {
        changed.push("—".to_owned());
    }
    changed
}

/// Archives product `id` or puts it back on sale.
///
/// # Errors
/// [`CatalogAdminError::Invalid`] for another status, [`CatalogAdminError::NotFound`], or the
/// database error.
pub async fn set_status(
    db: &DatabaseConnection,
    id: i32,
    status: &str,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<(), CatalogAdminError> {
    if status != STATUS_ACTIVE && status != STATUS_ARCHIVED {
        return Err(invalid(Msg::ErrInvalidRequest));
    }
    let txn = crate::db::begin_write(db).await?;
    let found = product::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(CatalogAdminError::NotFound)?;
    if found.status != status {
        product::Entity::update_many()
            .col_expr(product::Column::Status, Expr::value(status))
            .col_expr(product::Column::UpdatedAt, Expr::value(now))
            .filter(product::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        let action = if status == STATUS_ARCHIVED {
            "product.archive"
        } else {
            "product.restore"
        };
        audit::record(
            &txn,
            staff_id,
            action,
            &format!("product:{id}"),
            &found.sku,
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Moves product `id`'s stock by `delta` (`+24`, `-2`) for `reason`, never under zero.
///
/// # Errors
/// [`CatalogAdminError::Invalid`] for a delta that is not a whole number, zero, or would take
/// the stock under zero, or without a reason; [`CatalogAdminError::NotFound`]; or the
/// database error.
pub async fn adjust_stock(
    db: &DatabaseConnection,
    id: i32,
    delta: &str,
    reason: &str,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<i32, CatalogAdminError> {
    let delta = delta
        .trim()
        .trim_start_matches('+')
        .parse::<i32>()
        .ok()
        .filter(|d| *d != 0 && d.abs() <= 1_000_000)
        .ok_or(invalid(Msg::ErrStockDelta))?;
    let reason = reason.trim();
    if reason.chars().count() < 3 || reason.chars().count() > 200 {
        return Err(invalid(Msg::ErrStockReason));
    }
    let txn = crate::db::begin_write(db).await?;
    if product::Entity::find_by_id(id).one(&txn).await?.is_none() {
        return Err(CatalogAdminError::NotFound);
    }
    // Relative and conditional: an order taking stock meanwhile is never overwritten.
    let moved = product::Entity::update_many()
        .col_expr(
            product::Column::Stock,
            Expr::col(product::Column::Stock).add(delta),
        )
        .col_expr(product::Column::UpdatedAt, Expr::value(now))
        .filter(product::Column::Id.eq(id))
        .filter(Expr::col(product::Column::Stock).add(delta).gte(0))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(invalid(Msg::ErrStockNegative));
    }
    let after = product::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .map_or(0, |p| p.stock);
    stock_movement::ActiveModel {
        product_id: Set(id),
        delta: Set(delta),
        stock_after: Set(after),
        reason: Set(reason.to_owned()),
        actor_id: Set(staff_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        staff_id,
        "stock.adjust",
        &format!("product:{id}"),
        &format!("{delta:+} → {after} — {reason}"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Sets product `id`'s picture to `path` (an image already stored).
///
/// # Errors
/// [`CatalogAdminError::NotFound`], or the database error.
pub async fn set_image(
    db: &DatabaseConnection,
    id: i32,
    path: &str,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<(), CatalogAdminError> {
    let txn = crate::db::begin_write(db).await?;
    let moved = product::Entity::update_many()
        .col_expr(product::Column::Image, Expr::value(path))
        .col_expr(product::Column::UpdatedAt, Expr::value(now))
        .filter(product::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(CatalogAdminError::NotFound);
    }
    audit::record(
        &txn,
        staff_id,
        "product.image",
        &format!("product:{id}"),
        path,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Every category with how many products it has on sale.
///
/// # Errors
/// The database error.
pub async fn categories(db: &DatabaseConnection) -> Result<Vec<CategoryForm>, DbErr> {
    let counts: Vec<(i32, i64)> = product::Entity::find()
        .select_only()
        .column(product::Column::CategoryId)
        .column_as(product::Column::Id.count(), "n")
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .group_by(product::Column::CategoryId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(category::Entity::find()
        .order_by_asc(category::Column::Position)
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CategoryForm {
            products: counts
                .iter()
                .find(|(id, _)| *id == c.id)
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0)),
            id: c.id,
            slug: c.slug,
            name_fr: c.name_fr,
            name_en: c.name_en,
            description_fr: c.description_fr,
            description_en: c.description_en,
            position: c.position,
            archived: c.archived,
        })
        .collect())
}

/// Creates or updates a category. One with products on sale cannot be archived.
///
/// # Errors
/// [`CatalogAdminError::Invalid`], [`CatalogAdminError::Taken`] for an address already used,
/// [`CatalogAdminError::NotFound`], or the database error.
pub async fn save_category(
    db: &DatabaseConnection,
    form: &CategoryForm,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<i32, CatalogAdminError> {
    let name_fr = form.name_fr.trim().to_owned();
    if name_fr.is_empty() || name_fr.chars().count() > 80 {
        return Err(invalid(Msg::ErrProductName));
    }
    let name_en = match form.name_en.trim() {
        "" => name_fr.clone(),
        name => name.to_owned(),
    };
    let slug = match form.slug.trim() {
        "" => crate::articles::rules::slugify_folded(&deunicode::deunicode(&name_fr)),
        typed => typed.to_owned(),
    };
    if !crate::articles::rules::is_slug(&slug) {
        return Err(invalid(Msg::ErrSlug));
    }
    let (description_fr, description_en) = (
        form.description_fr.trim().to_owned(),
        form.description_en.trim().to_owned(),
    );
    if description_fr.chars().count() > 2_000 || description_en.chars().count() > 2_000 {
        return Err(invalid(Msg::ErrTextTooLong));
    }
    let txn = crate::db::begin_write(db).await?;
    let taken = category::Entity::find()
        .filter(category::Column::Slug.eq(slug.as_str()))
        .filter(category::Column::Id.ne(form.id))
        .count(&txn)
        .await?;
    if taken > 0 {
        return Err(CatalogAdminError::Taken(Msg::ErrSlugTaken));
    }
    if form.archived && form.id != 0 {
        let on_sale = product::Entity::find()
            .filter(product::Column::CategoryId.eq(form.id))
            .filter(product::Column::Status.eq(STATUS_ACTIVE))
            .count(&txn)
            .await?;
        if on_sale > 0 {
            return Err(invalid(Msg::ErrCategoryInUse));
        }
    }
    let mut model = if form.id == 0 {
        category::ActiveModel {
            created_at: Set(now),
            archived: Set(false),
            ..Default::default()
        }
    } else {
        category::Entity::find_by_id(form.id)
            .one(&txn)
            .await?
            .ok_or(CatalogAdminError::NotFound)?
            .into_active_model()
    };
    model.slug = Set(slug);
    model.name_fr = Set(name_fr);
    model.name_en = Set(name_en);
    model.description_fr = Set(description_fr);
    model.description_en = Set(description_en);
    model.position = Set(form.position.clamp(0, 999));
    if form.id != 0 {
        model.archived = Set(form.archived);
    }
    let saved = if form.id == 0 {
        model.insert(&txn).await?
    } else {
        model.update(&txn).await?
    };
    audit::record(
        &txn,
        staff_id,
        if form.id == 0 {
            "category.create"
        } else {
            "category.update"
        },
        &format!("category:{}", saved.id),
        &format!(
            "{}{}",
            saved.slug,
            if saved.archived { " (archived)" } else { "" }
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ProductForm {
        ProductForm {
            sku: "cb-test-01".into(),
            category_id: 1,
            kind: "cosmetic".into(),
            name_fr: "Crème de jour à l'églantier".into(),
            price: "24,90".into(),
            vat_rate_bp: 2000,
            net_quantity: "50".into(),
            net_unit: "ml".into(),
            subscription_months: "3, 1,1".into(),
            ..ProductForm::default()
        }
    }

    #[test]
    fn a_product_form_is_cleaned() {
        let clean = clean(&form()).unwrap();
        assert_eq!(clean.sku, "CB-TEST-01");
        assert_eq!(clean.slug, "creme-de-jour-a-l-eglantier");
        assert_eq!(clean.price_cents, 2490);
        assert_eq!(clean.subscription_months, "1,3");
        assert_eq!(clean.shipping_weight_grams, 140);
        assert_eq!(
            clean.texts[9], "Crème de jour à l'églantier",
            "English name defaults"
        );
    }

    #[test]
    fn bad_fields_are_refused_by_name() {
        type Change = fn(&mut ProductForm);
        let cases: [(Change, Msg); 9] = [
            (|f| f.price = "0".into(), Msg::ErrPrice),
            (|f| f.price = "12.345".into(), Msg::ErrPrice),
            (|f| f.price = "douze".into(), Msg::ErrPrice),
            (|f| f.vat_rate_bp = 1900, Msg::ErrVatRate),
            (|f| f.sku = "a b".into(), Msg::ErrSku),
            (|f| f.slug = "Pas Une Adresse".into(), Msg::ErrSlug),
            (|f| f.net_quantity = "-5".into(), Msg::ErrNetQuantity),
            (
                |f| f.subscription_months = "1,13".into(),
                Msg::ErrSubscriptionMonths,
            ),
            (|f| f.name_fr = "  ".into(), Msg::ErrProductName),
        ];
        for (change, msg) in cases {
            let mut f = form();
            change(&mut f);
            match clean(&f) {
                Err(CatalogAdminError::Invalid(got)) => assert_eq!(got, msg, "{f:?}"),
                other => panic!("{f:?} gave {other:?}"),
            }
        }
    }
}
