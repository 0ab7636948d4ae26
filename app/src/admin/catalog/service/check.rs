//! A product form checked and cleaned before anything is stored.

use super::*;

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
    /// The variant's code (`50ml`); from the net quantity when left empty.
    pub variant_code: String,
    pub variant_label_fr: String,
    pub variant_label_en: String,
}

/// Whether `code` can name a variant in an address: 1 to 24 lowercase letters, digits and
/// hyphens.
pub fn is_variant_code(code: &str) -> bool {
    (1..=24).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn number(
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
    if !super::super::VAT_RATES_BP.contains(&form.vat_rate_bp) {
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
    let variant_code = match form.variant_code.trim() {
        "" => product::variant_code(net_quantity, net_unit),
        typed => typed.to_ascii_lowercase(),
    };
    if !is_variant_code(&variant_code) {
        return Err(invalid(Msg::ErrVariantCode));
    }
    let variant_label_fr = line(&form.variant_label_fr);
    let variant_label_en = match line(&form.variant_label_en) {
        empty if empty.is_empty() => variant_label_fr.clone(),
        label => label,
    };
    if variant_label_fr.chars().count() > 60 || variant_label_en.chars().count() > 60 {
        return Err(invalid(Msg::ErrVariantLabel));
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
        variant_code,
        variant_label_fr,
        variant_label_en,
    })
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
        assert_eq!(clean.variant_code, "50ml", "coded by its net quantity");
        assert_eq!(
            clean.texts[9], "Crème de jour à l'églantier",
            "English name defaults"
        );
    }

    #[test]
    fn bad_fields_are_refused_by_name() {
        type Change = fn(&mut ProductForm);
        let cases: [(Change, Msg); 11] = [
            (|f| f.variant_code = "50 ml".into(), Msg::ErrVariantCode),
            (
                |f| f.variant_label_fr = "x".repeat(61),
                Msg::ErrVariantLabel,
            ),
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
