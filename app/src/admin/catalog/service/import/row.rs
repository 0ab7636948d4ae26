//! One row of an import: read through the product as saved, checked and saved as the
//! editor's form is.

use super::*;

/// `text` with `value` after a colon.
fn refused(locale: Locale, msg: Msg, value: &str) -> RowError {
    RowError::Refused(if value.is_empty() {
        locale.t(msg).to_owned()
    } else {
        format!("{}{}« {value} »", locale.t(msg), locale.colon())
    })
}

/// A VAT rate as written in the file (`5,5`, `20`, `5.5 %`) in basis points.
fn vat_rate(text: &str) -> Option<i32> {
    let rate: Decimal = text
        .trim()
        .trim_end_matches('%')
        .trim()
        .replace(',', ".")
        .parse()
        .ok()?;
    let bp = rate * Decimal::ONE_HUNDRED;
    (bp == bp.trunc())
        .then(|| i32::try_from(bp.mantissa() / 10_i128.pow(bp.scale())).ok())
        .flatten()
}

/// `oui`/`non` as the export writes them, or yes/no, true/false, 1/0.
fn flag(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "oui" | "yes" | "true" | "1" | "x" => Some(true),
        "non" | "no" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

/// Whether `path` can be a picture's address: a path of this site under `/media/` or `/img/`.
fn is_site_image(path: &str) -> bool {
    (path.starts_with("/media/") || path.starts_with("/img/"))
        && path.len() <= 300
        && !path.contains("..")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b))
}

/// Saves one row inside `txn`. `None` when it changes nothing (and wrote nothing that stays:
/// the caller rolls its savepoint back).
pub(super) async fn import_row(
    txn: &DatabaseTransaction,
    row: &Row<'_>,
    sku: &str,
    found: Option<Found>,
    categories: &HashMap<String, i32>,
    run: &ImportRun,
) -> Result<Option<RowOutcome>, RowError> {
    let locale = run.locale;
    if sku.is_empty() {
        return Err(RowError::Refused(locale.t(Msg::ErrSku).to_owned()));
    }
    let found = match found {
        Some(found) => found,
        None => match product::Entity::find()
            .filter(product::Column::Sku.eq(sku))
            .one(txn)
            .await?
        {
            Some(p) => {
                let head = match p.variant_of {
                    Some(head) => product::Entity::find_by_id(head)
                        .one(txn)
                        .await?
                        .map(|h| h.sku),
                    None => None,
                };
                Some((p, head))
            }
            None => None,
        },
    };
    let (before, head_sku) = match found {
        Some((p, head)) => (Some(p), head),
        None => (None, None),
    };
    let product_sku = row
        .get("product_sku")
        .map(|s| s.trim().to_ascii_uppercase());
    let mut form = match (&before, product_sku) {
        // A size stays with its product, and a product does not become a size.
        (Some(_), Some(named))
            if Some(&named) != head_sku.as_ref() && !(named.is_empty() && head_sku.is_none()) =>
        {
            return Err(RowError::Refused(locale.t(Msg::ImportSizeMoves).to_owned()));
        }
        (Some(found), _) => form_of(found, Locale::Fr),
        // A new size starts from its product, as the editor's new size does.
        (None, Some(named)) if !named.is_empty() => {
            let head = product::Entity::find()
                .filter(product::Column::Sku.eq(named.as_str()))
                .filter(product::Column::VariantOf.is_null())
                .one(txn)
                .await?
                .ok_or_else(|| refused(locale, Msg::ImportUnknownProduct, &named))?;
            ProductForm {
                id: 0,
                slug: String::new(),
                stock: String::new(),
                variant_of: head.id,
                variant_code: String::new(),
                variant_label_fr: String::new(),
                variant_label_en: String::new(),
                featured: None,
                ..form_of(&head, Locale::Fr)
            }
        }
        (None, _) => ProductForm::default(),
    };
    // An empty cell keeps the value of a field that cannot be empty; it clears the optional
    // texts.
    for (name, field) in [
        ("slug", &mut form.slug),
        ("variant_code", &mut form.variant_code),
        ("kind", &mut form.kind),
        ("name_fr", &mut form.name_fr),
        ("price", &mut form.price),
        ("net_quantity", &mut form.net_quantity),
        ("net_unit", &mut form.net_unit),
        ("lead_time_days", &mut form.lead_time_days),
        ("shipping_weight_grams", &mut form.shipping_weight_grams),
    ] {
        if let Some(value) = row.cell(name) {
            value.clone_into(field);
        }
    }
    for (name, field) in [
        ("variant_label_fr", &mut form.variant_label_fr),
        ("variant_label_en", &mut form.variant_label_en),
        ("name_en", &mut form.name_en),
        ("summary_fr", &mut form.summary_fr),
        ("summary_en", &mut form.summary_en),
        ("description_fr", &mut form.description_fr),
        ("description_en", &mut form.description_en),
        ("composition_fr", &mut form.composition_fr),
        ("composition_en", &mut form.composition_en),
        ("usage_fr", &mut form.usage_fr),
        ("usage_en", &mut form.usage_en),
        ("subscription_months", &mut form.subscription_months),
    ] {
        if let Some(value) = row.get(name) {
            value.clone_into(field);
        }
    }
    form.sku = sku.to_owned();
    if let Some(slug) = row.cell("category") {
        form.category_id = *categories
            .get(slug)
            .ok_or_else(|| refused(locale, Msg::ImportUnknownCategory, slug))?;
    }
    if let Some(rate) = row.cell("vat_rate") {
        form.vat_rate_bp =
            vat_rate(rate).ok_or_else(|| refused(locale, Msg::ImportBadVat, rate))?;
    }
    if let Some(text) = row.cell("featured") {
        let featured = flag(text).ok_or_else(|| refused(locale, Msg::ImportBadFlag, text))?;
        form.featured = featured.then(|| "on".to_owned());
    }
    let stock = match row.cell("stock") {
        None => None,
        Some(text) => Some(
            check::number(text, 0..=1_000_000, Msg::ImportBadStock)
                .map_err(|_| refused(locale, Msg::ImportBadStock, text))?,
        ),
    };
    let status = match row.cell("status") {
        None => None,
        Some(s) if s == STATUS_ACTIVE || s == STATUS_ARCHIVED => Some(s.to_owned()),
        Some(other) => return Err(refused(locale, Msg::ImportBadStatus, other)),
    };
    let image = match row.cell("image") {
        None => None,
        Some(path) if is_site_image(path) => Some(path.to_owned()),
        Some(other) => return Err(refused(locale, Msg::ImportBadImage, other)),
    };
    let is_size = form.variant_of > 0;
    if let Some(before) = &before {
        let same_stock = stock.is_none_or(|s| s == before.stock);
        let same_status = status.as_ref().is_none_or(|s| *s == before.status);
        // A size shows its product's picture: its own column follows the product's.
        let same_image = is_size || image.as_ref().is_none_or(|i| *i == before.image);
        if same_stock && same_status && same_image && form == form_of(before, Locale::Fr) {
            return Ok(None);
        }
    }
    let plan = Plan {
        form,
        before,
        stock,
        status,
        image: image.filter(|_| !is_size),
    };
    // The row's writes in a savepoint of their own: a row refused halfway leaves nothing
    // behind for the rows after it to see, and one that turns out to change nothing leaves
    // no trace (its save would have touched `updated_at` and the audit log).
    let point = txn.begin().await?;
    let written = write(&point, plan, run).await;
    match written {
        Ok(Some(outcome)) => {
            point.commit().await?;
            Ok(Some(outcome))
        }
        Ok(None) => {
            point.rollback().await?;
            Ok(None)
        }
        Err(error) => {
            point.rollback().await?;
            Err(error)
        }
    }
}

/// What a row asks to write.
struct Plan {
    form: ProductForm,
    /// The product as it was (none: a new one).
    before: Option<product::Model>,
    stock: Option<i32>,
    status: Option<String>,
    /// A product's picture (a size's follows its product's).
    image: Option<String>,
}

/// Writes `plan` inside `txn`: what became of the row, none when nothing changed after all.
async fn write(
    txn: &DatabaseTransaction,
    plan: Plan,
    run: &ImportRun,
) -> Result<Option<RowOutcome>, RowError> {
    let locale = run.locale;
    let refusal = |e| admin_refusal(e, locale);
    let Plan {
        mut form,
        before,
        stock,
        status,
        image,
    } = plan;
    let Some(before) = before else {
        form.stock = stock.map(|s| s.to_string()).unwrap_or_default();
        let id = save_in(txn, &form, run.staff_id, run.now)
            .await
            .map_err(refusal)?;
        if let Some(status) = status.filter(|s| s != STATUS_ACTIVE) {
            set_status_in(txn, id, &status, run.staff_id, run.now)
                .await
                .map_err(refusal)?;
        }
        if let Some(image) = image {
            set_image_in(txn, id, &image, run.staff_id, run.now)
                .await
                .map_err(refusal)?;
        }
        return Ok(Some(RowOutcome::Created));
    };
    save_in(txn, &form, run.staff_id, run.now)
        .await
        .map_err(refusal)?;
    let saved = product::Entity::find_by_id(before.id)
        .one(txn)
        .await?
        .ok_or(DbErr::RecordNotFound(before.sku.clone()))?;
    let mut changed = changed_fields(&before, &saved);
    if let Some(target) = stock.filter(|s| *s != before.stock) {
        move_stock_in(
            txn,
            before.id,
            target - before.stock,
            STOCK_REASON,
            run.staff_id,
            run.now,
        )
        .await
        .map_err(refusal)?;
        changed.push(format!("stock {} → {target}", before.stock));
    }
    if let Some(status) = status.filter(|s| *s != before.status) {
        set_status_in(txn, before.id, &status, run.staff_id, run.now)
            .await
            .map_err(refusal)?;
        changed.push(format!("status {} → {status}", before.status));
    }
    if let Some(image) = image.filter(|i| *i != before.image) {
        set_image_in(txn, before.id, &image, run.staff_id, run.now)
            .await
            .map_err(refusal)?;
        changed.push("image".to_owned());
    }
    Ok((!changed.is_empty()).then_some(RowOutcome::Changed(changed)))
}

/// A refusal of the editor's checks as the report says it.
fn admin_refusal(error: CatalogAdminError, locale: Locale) -> RowError {
    match error {
        CatalogAdminError::Invalid(msg) | CatalogAdminError::Taken(msg) => {
            RowError::Refused(locale.t(msg).to_owned())
        }
        CatalogAdminError::NotFound => RowError::Refused(locale.t(Msg::ErrVariantOf).to_owned()),
        CatalogAdminError::Database(error) => RowError::Database(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_rates_read_as_spreadsheets_write_them() {
        assert_eq!(vat_rate("5,5"), Some(550));
        assert_eq!(vat_rate("20"), Some(2000));
        assert_eq!(vat_rate(" 2.1 % "), Some(210));
        assert_eq!(vat_rate("5,555"), None, "a fraction of a basis point");
        assert_eq!(vat_rate("vingt"), None);
    }

    #[test]
    fn flags_and_pictures() {
        assert_eq!(flag("Oui"), Some(true));
        assert_eq!(flag(""), Some(false));
        assert_eq!(flag("peut-être"), None);
        assert!(is_site_image("/media/3f2a.webp"));
        assert!(is_site_image("/img/products/placeholder.svg"));
        assert!(!is_site_image("https://ailleurs.example/x.png"));
        assert!(!is_site_image("/media/../secret"));
        assert!(!is_site_image("/media/a b.png"));
    }

    #[test]
    fn the_header_is_checked_by_name() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let ok = columns(&names(&["\u{feff}SKU", "price"]), Locale::Fr).unwrap();
        assert_eq!(ok.get("sku"), Some(&0));
        assert!(
            columns(&names(&["sku", "prix"]), Locale::Fr)
                .unwrap_err()
                .contains("prix")
        );
        assert!(columns(&names(&["sku", "sku"]), Locale::Fr).is_err());
        assert!(columns(&names(&["price"]), Locale::Fr).is_err());
    }
}
