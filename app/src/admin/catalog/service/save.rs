//! Saving a product (with the audit of what changed), its status, stock and picture.

use super::*;

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
    let txn = crate::db::begin_write(db).await?;
    let id = save_in(&txn, form, staff_id, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// [`save`] inside `txn` (the import saves every row of a file in one transaction).
///
/// # Errors
/// As [`save`].
pub async fn save_in(
    txn: &DatabaseTransaction,
    form: &ProductForm,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<i32, CatalogAdminError> {
    let mut clean = clean(form)?;
    let before = if form.id == 0 {
        None
    } else {
        Some(
            product::Entity::find_by_id(form.id)
                .one(txn)
                .await?
                .ok_or(CatalogAdminError::NotFound)?,
        )
    };
    // A variant other than the first takes the product's shared fields from the first (its
    // own are what is sold per size); a saved variant stays with its product.
    let variant_of = match &before {
        Some(old) => old.variant_of,
        None => (form.variant_of > 0).then_some(form.variant_of),
    };
    let first = match variant_of {
        Some(first_id) => Some(
            product::Entity::find_by_id(first_id)
                .one(txn)
                .await?
                .filter(|p| p.variant_of.is_none())
                .ok_or(invalid(Msg::ErrVariantOf))?,
        ),
        None => None,
    };
    if let Some(first) = &first {
        if clean.variant_label_fr.is_empty() {
            return Err(invalid(Msg::ErrVariantLabel));
        }
        clean.slug = format!("{}-{}", first.slug, clean.variant_code);
        clean.category_id = first.category_id;
        clean.featured = false;
    }
    let family_id = first.as_ref().map_or(form.id, |f| f.id);
    if family_id != 0 {
        let taken = product::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(product::Column::Id.eq(family_id))
                    .add(product::Column::VariantOf.eq(family_id)),
            )
            .filter(product::Column::VariantCode.eq(clean.variant_code.as_str()))
            .filter(product::Column::Id.ne(form.id))
            .count(txn)
            .await?;
        if taken > 0 {
            return Err(CatalogAdminError::Taken(Msg::ErrVariantCodeTaken));
        }
    }
    let category = category::Entity::find_by_id(clean.category_id)
        .one(txn)
        .await?
        .ok_or(invalid(Msg::ErrCategory))?;
    for (column, value, msg) in [
        (product::Column::Sku, &clean.sku, Msg::ErrSkuTaken),
        (product::Column::Slug, &clean.slug, Msg::ErrSlugTaken),
    ] {
        let taken = product::Entity::find()
            .filter(column.eq(value.as_str()))
            .filter(product::Column::Id.ne(form.id))
            .count(txn)
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
    let mut model = match (&before, &first) {
        (Some(found), _) => found.clone().into_active_model(),
        (None, Some(first)) => product::ActiveModel {
            stock: Set(clean.stock),
            created_at: Set(now),
            variant_of: Set(Some(first.id)),
            variant_position: Set(next_position(txn, first.id).await?),
            ..crate::catalog::variants::shared_from(first)
        },
        (None, None) => product::ActiveModel {
            stock: Set(clean.stock),
            image: Set("/img/products/placeholder.svg".to_owned()),
            status: Set(STATUS_ACTIVE.to_owned()),
            created_at: Set(now),
            ..Default::default()
        },
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
    // On sale, the price in force is the sale's: the catalogue price waits aside, and the
    // sale is applied again below to what staff typed.
    match &before {
        Some(old) if old.sale_id.is_some() => {
            model.price_before_sale_cents = Set(Some(clean.price_cents));
        }
        _ => model.price_cents = Set(clean.price_cents),
    }
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
    model.variant_code = Set(clean.variant_code.clone());
    model.variant_label_fr = Set(clean.variant_label_fr.clone());
    model.variant_label_en = Set(clean.variant_label_en.clone());
    if let Some(first) = &first {
        // Listed and found through its product only.
        model.search_title = Set(String::new());
        model.search_body = Set(String::new());
        for (column, value) in [
            (&mut model.name_fr, &first.name_fr),
            (&mut model.name_en, &first.name_en),
            (&mut model.summary_fr, &first.summary_fr),
            (&mut model.summary_en, &first.summary_en),
            (&mut model.description_fr, &first.description_fr),
            (&mut model.description_en, &first.description_en),
            (&mut model.composition_fr, &first.composition_fr),
            (&mut model.composition_en, &first.composition_en),
            (&mut model.usage_fr, &first.usage_fr),
            (&mut model.usage_en, &first.usage_en),
            (&mut model.kind, &first.kind),
            (&mut model.net_unit, &first.net_unit),
            (&mut model.name_key_fr, &first.name_key_fr),
            (&mut model.name_key_en, &first.name_key_en),
        ] {
            *column = Set(value.clone());
        }
        model.vat_rate_bp = Set(first.vat_rate_bp);
        model.lead_time_days = Set(first.lead_time_days);
        // Two sizes: each says which it is.
        if first.variant_label_fr.is_empty() {
            let label = format!("{} {}", first.net_quantity, first.net_unit);
            let mut named = first.clone().into_active_model();
            named.variant_label_fr = Set(label.clone());
            named.variant_label_en = Set(label);
            named.update(txn).await?;
        }
    }
    let saved = if before.is_some() {
        model.update(txn).await?
    } else {
        model.insert(txn).await?
    };
    if saved.variant_of.is_none() {
        crate::catalog::variants::share(txn, &saved).await?;
    }
    crate::catalog::variants::index_skus(txn, saved.family_id()).await?;
    // A new product, a new price or a new category may enter or leave a running sale.
    crate::promotions::service::sales::apply(txn, now, Some(saved.id)).await?;
    let detail = match &before {
        None => format!("{} — {}", saved.sku, saved.name_fr),
        Some(old) => changes(old, &saved).join(", "),
    };
    audit::record(
        txn,
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
        .insert(txn)
        .await?;
    }
    Ok(saved.id)
}

/// The position after the last variant of product `first_id`.
async fn next_position(txn: &sea_orm::DatabaseTransaction, first_id: i32) -> Result<i32, DbErr> {
    let family = crate::catalog::variants::family(txn, first_id).await?;
    Ok(family
        .iter()
        .map(|v| v.variant_position)
        .max()
        .unwrap_or(0)
        .saturating_add(1))
}

/// The fields that differ, a price shown as from → to; `—` when none.
pub(super) fn changes(old: &product::Model, new: &product::Model) -> Vec<String> {
    let mut changed = changed_fields(old, new);
    if changed.is_empty() {
        changed.push("—".to_owned());
    }
    changed
}

/// The fields staff edit that differ between `old` and `new`, a price shown as from → to.
pub fn changed_fields(old: &product::Model, new: &product::Model) -> Vec<String> {
    let mut changed = Vec::new();
    let catalogue = |p: &product::Model| p.price_before_sale_cents.unwrap_or(p.price_cents);
    if catalogue(old) != catalogue(new) {
        changed.push(format!(
            "price {} → {}",
            crate::money::from_cents(catalogue(old)),
            crate::money::from_cents(catalogue(new))
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
        ("variant_code", &old.variant_code, &new.variant_code),
        (
            "variant_label_fr",
            &old.variant_label_fr,
            &new.variant_label_fr,
        ),
        (
            "variant_label_en",
            &old.variant_label_en,
            &new.variant_label_en,
        ),
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
    let txn = crate::db::begin_write(db).await?;
    set_status_in(&txn, id, status, staff_id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// [`set_status`] inside `txn`.
///
/// # Errors
/// As [`set_status`].
pub async fn set_status_in(
    txn: &DatabaseTransaction,
    id: i32,
    status: &str,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<(), CatalogAdminError> {
    if status != STATUS_ACTIVE && status != STATUS_ARCHIVED {
        return Err(invalid(Msg::ErrInvalidRequest));
    }
    let found = product::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(CatalogAdminError::NotFound)?;
    if found.status != status {
        // A product's first variant is the product: its sizes go and come back with it.
        let rows = if found.variant_of.is_none() {
            sea_orm::Condition::any()
                .add(product::Column::Id.eq(id))
                .add(product::Column::VariantOf.eq(id))
        } else {
            sea_orm::Condition::all().add(product::Column::Id.eq(id))
        };
        product::Entity::update_many()
            .col_expr(product::Column::Status, Expr::value(status))
            .col_expr(product::Column::UpdatedAt, Expr::value(now))
            .filter(rows)
            .exec(txn)
            .await?;
        let action = if status == STATUS_ARCHIVED {
            "product.archive"
        } else {
            "product.restore"
        };
        audit::record(
            txn,
            staff_id,
            action,
            &format!("product:{id}"),
            &found.sku,
            now,
        )
        .await?;
    }
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
    let txn = crate::db::begin_write(db).await?;
    let after = move_stock_in(&txn, id, delta, reason, staff_id, now).await?;
    txn.commit().await?;
    Ok(after)
}

/// Moves product `id`'s stock by `delta` inside `txn`, logged for `reason`; the stock after.
///
/// # Errors
/// As [`adjust_stock`].
pub async fn move_stock_in(
    txn: &DatabaseTransaction,
    id: i32,
    delta: i32,
    reason: &str,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<i32, CatalogAdminError> {
    let reason = reason.trim();
    if reason.chars().count() < 3 || reason.chars().count() > 200 {
        return Err(invalid(Msg::ErrStockReason));
    }
    if product::Entity::find_by_id(id).one(txn).await?.is_none() {
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
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(invalid(Msg::ErrStockNegative));
    }
    let after = product::Entity::find_by_id(id)
        .one(txn)
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
    .insert(txn)
    .await?;
    audit::record(
        txn,
        staff_id,
        "stock.adjust",
        &format!("product:{id}"),
        &format!("{delta:+} → {after} — {reason}"),
        now,
    )
    .await?;
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
    set_image_in(&txn, id, path, staff_id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// [`set_image`] inside `txn`.
///
/// # Errors
/// As [`set_image`].
pub async fn set_image_in(
    txn: &DatabaseTransaction,
    id: i32,
    path: &str,
    staff_id: i32,
    now: DateTime<Utc>,
) -> Result<(), CatalogAdminError> {
    let moved = product::Entity::update_many()
        .col_expr(product::Column::Image, Expr::value(path))
        .col_expr(product::Column::UpdatedAt, Expr::value(now))
        .filter(product::Column::Id.eq(id))
        .filter(product::Column::VariantOf.is_null())
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(CatalogAdminError::NotFound);
    }
    // The sizes show the product's picture in carts and orders.
    product::Entity::update_many()
        .col_expr(product::Column::Image, Expr::value(path))
        .filter(product::Column::VariantOf.eq(id))
        .exec(txn)
        .await?;
    audit::record(
        txn,
        staff_id,
        "product.image",
        &format!("product:{id}"),
        path,
        now,
    )
    .await?;
    Ok(())
}
