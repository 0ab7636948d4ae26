//! The back office's product list and one product's editor.

use super::*;

pub(super) async fn category_names(
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

/// The SKU of the product each of `products` is a size of, by that product's id (a size
/// names its product by SKU in the CSV export and import).
///
/// # Errors
/// The database error.
pub async fn head_skus(
    db: &impl ConnectionTrait,
    products: &[product::Model],
) -> Result<std::collections::HashMap<i32, String>, DbErr> {
    let heads: Vec<i32> = products.iter().filter_map(|p| p.variant_of).collect();
    if heads.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    Ok(product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .column(product::Column::Sku)
        .filter(product::Column::Id.is_in(heads))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
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
        .offset((page - 1).saturating_mul(super::super::PRODUCTS_PAGE))
        .limit(super::super::PRODUCTS_PAGE + 1)
        .all(db)
        .await?;
    let has_more = rows.len() as u64 > super::super::PRODUCTS_PAGE;
    rows.truncate(super::super::PRODUCTS_PAGE as usize);
    let categories = category_names(db, locale).await?;
    Ok(ProductList {
        rows: rows
            .into_iter()
            .map(|p| ProductRow {
                name: p.sold_name(locale == Locale::En),
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

/// The editor of product `id`; 0: a blank form, or a new variant of product `variant_of`
/// (its form filled from that product).
///
/// # Errors
/// [`CatalogAdminError::NotFound`], or the database error.
pub async fn editor(
    db: &DatabaseConnection,
    locale: Locale,
    id: i32,
    variant_of: i32,
    now: DateTime<Utc>,
) -> Result<ProductEditorView, CatalogAdminError> {
    let categories = category_names(db, locale).await?;
    if id == 0 && variant_of > 0 {
        let first = product::Entity::find_by_id(variant_of)
            .one(db)
            .await?
            .filter(|p| p.variant_of.is_none())
            .ok_or(CatalogAdminError::NotFound)?;
        let mut view = Box::pin(editor(db, locale, first.id, 0, now)).await?;
        let variants = std::mem::take(&mut view.variants);
        view.form = ProductForm {
            id: 0,
            sku: String::new(),
            slug: String::new(),
            stock: "0".into(),
            variant_of: first.id,
            variant_code: String::new(),
            variant_label_fr: String::new(),
            variant_label_en: String::new(),
            featured: None,
            ..view.form
        };
        return Ok(ProductEditorView {
            slug_on_sale: None,
            stock: 0,
            active: false,
            movements: Vec::new(),
            prices: Vec::new(),
            reference_price: None,
            sale: None,
            waiting_alerts: 0,
            variants,
            first: Some((first.id, first.name_fr)),
            ..view
        });
    }
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
            prices: Vec::new(),
            reference_price: None,
            sale: None,
            waiting_alerts: 0,
            image_error: None,
            variants: Vec::new(),
            first: None,
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
    let prices = crate::catalog::service::prices::history(db, id, 20)
        .await?
        .into_iter()
        .map(|(since, cents)| (since, crate::money::from_cents(cents)))
        .collect();
    let reference_price = crate::catalog::service::prices::lowest_before(
        db,
        id,
        now,
        crate::catalog::rules::REFERENCE_DAYS,
    )
    .await?
    .map(crate::money::from_cents);
    let waiting_alerts = crate::wishlist::service::waiting_count(db, id).await?;
    let sale = match p.sale_id {
        Some(sale_id) => crate::db::entities::sale::Entity::find_by_id(sale_id)
            .one(db)
            .await?
            .map(|s| (s.name, crate::money::from_cents(p.price_cents))),
        None => None,
    };
    let family = crate::catalog::variants::family(db, p.family_id()).await?;
    let first = match p.variant_of {
        Some(first_id) => family
            .iter()
            .find(|v| v.id == first_id)
            .map(|v| (v.id, v.name_fr.clone())),
        None => None,
    };
    let variants = family
        .into_iter()
        .map(|v| VariantRow {
            id: v.id,
            label: locale.pick(v.variant_label_fr, v.variant_label_en),
            code: v.variant_code,
            sku: v.sku,
            price: crate::money::from_cents(v.price_before_sale_cents.unwrap_or(v.price_cents)),
            stock: v.stock,
            active: v.status == STATUS_ACTIVE,
        })
        .collect();
    Ok(ProductEditorView {
        form: form_of(&p, locale),
        variants,
        first,
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
        prices,
        reference_price,
        sale,
        waiting_alerts,
        image_error: None,
    })
}

/// Product `p` as its form shows it, prices in `locale`'s way (the import starts from it).
pub fn form_of(p: &product::Model, locale: Locale) -> ProductForm {
    // The catalogue price staff edit; on sale, the sale's price is in force meanwhile.
    let catalogue = p.price_before_sale_cents.unwrap_or(p.price_cents);
    ProductForm {
        id: p.id,
        sku: p.sku.clone(),
        slug: p.slug.clone(),
        category_id: p.category_id,
        kind: p.kind.clone(),
        name_fr: p.name_fr.clone(),
        name_en: p.name_en.clone(),
        summary_fr: p.summary_fr.clone(),
        summary_en: p.summary_en.clone(),
        description_fr: p.description_fr.clone(),
        description_en: p.description_en.clone(),
        composition_fr: p.composition_fr.clone(),
        composition_en: p.composition_en.clone(),
        usage_fr: p.usage_fr.clone(),
        usage_en: p.usage_en.clone(),
        price: match locale {
            Locale::Fr => crate::money::from_cents(catalogue)
                .to_string()
                .replace('.', ","),
            Locale::En => crate::money::from_cents(catalogue).to_string(),
        },
        vat_rate_bp: p.vat_rate_bp,
        net_quantity: p.net_quantity.to_string(),
        net_unit: p.net_unit.clone(),
        lead_time_days: p.lead_time_days.to_string(),
        subscription_months: p.subscription_months.clone(),
        shipping_weight_grams: p.shipping_weight_grams.to_string(),
        featured: p.featured.then(|| "on".to_owned()),
        stock: String::new(),
        variant_of: p.variant_of.unwrap_or(0),
        variant_code: p.variant_code.clone(),
        variant_label_fr: p.variant_label_fr.clone(),
        variant_label_en: p.variant_label_en.clone(),
    }
}
