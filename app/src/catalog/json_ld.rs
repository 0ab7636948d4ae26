//! schema.org descriptions of catalogue pages for search engines.

use super::model::{ProductDetail, Reduction, ReviewSummary, StockLevel, VariantOption};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// The schema.org availability URL of a stock level.
pub fn availability(stock: StockLevel) -> &'static str {
    match stock {
        StockLevel::InStock => "https://schema.org/InStock",
        StockLevel::Low { .. } => "https://schema.org/LimitedAvailability",
        StockLevel::Out => "https://schema.org/OutOfStock",
    }
}

/// The `Product` with its `Offer`, and its `aggregateRating` when it has published reviews; a
/// product of several sizes is a `ProductGroup` whose variants each have their own address,
/// SKU and offer. `absolute` turns a path into a full URL.
pub fn product(
    p: &ProductDetail,
    chosen: Option<&VariantOption>,
    reviews: &ReviewSummary,
    brand: &str,
    absolute: impl Fn(&str) -> String,
) -> Value {
    let path = format!("/products/{}", p.slug);
    let images: Vec<String> = p.images.iter().map(|i| absolute(&i.src)).collect();
    let mut value = if p.variants.len() > 1 {
        let variants: Vec<Value> = p
            .variants
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let url = if i == 0 {
                    absolute(&path)
                } else {
                    absolute(&format!("{path}?v={}", v.code))
                };
                json!({
                    "@type": "Product",
                    "name": format!("{} — {}", p.name, v.label),
                    "sku": v.sku,
                    "size": v.label,
                    "image": images,
                    "url": url,
                    "offers": offer(&url, v.price, v.stock, v.reduction.as_ref()),
                })
            })
            .collect();
        json!({
            "@context": "https://schema.org",
            "@type": "ProductGroup",
            "name": p.name,
            "description": p.summary,
            "productGroupID": p.variants[0].sku,
            "variesBy": ["https://schema.org/size"],
            "image": images,
            "category": p.category.name,
            "brand": { "@type": "Brand", "name": brand },
            "url": absolute(&chosen.filter(|v| v.code != p.variants[0].code).map_or_else(|| path.clone(), |v| format!("{path}?v={}", v.code))),
            "hasVariant": variants,
        })
    } else {
        let url = absolute(&path);
        json!({
            "@context": "https://schema.org",
            "@type": "Product",
            "name": p.name,
            "description": p.summary,
            "sku": p.sku,
            "image": images,
            "category": p.category.name,
            "brand": { "@type": "Brand", "name": brand },
            "url": url,
            "offers": offer(&url, p.price, p.stock, p.reduction.as_ref()),
        })
    };
    if reviews.count > 0 {
        value["aggregateRating"] = json!({
            "@type": "AggregateRating",
            "ratingValue": reviews.average(),
            "reviewCount": reviews.count,
            "bestRating": 5,
            "worstRating": 1,
        });
    }
    value
}

/// An `Offer` at `price`, valid until a running reduction's end.
fn offer(url: &str, price: Decimal, stock: StockLevel, reduction: Option<&Reduction>) -> Value {
    let mut offer = json!({
        "@type": "Offer",
        "url": url,
        "price": format!("{price:.2}"),
        "priceCurrency": "EUR",
        "availability": availability(stock),
        "itemCondition": "https://schema.org/NewCondition",
    });
    if let Some(until) = reduction.and_then(|r| r.until) {
        offer["priceValidUntil"] = json!(
            until
                .with_timezone(&chrono_tz::Europe::Paris)
                .date_naive()
                .to_string()
        );
    }
    offer
}

/// The `BreadcrumbList` of a product page: shop › category › product.
pub fn breadcrumbs(items: &[(String, String)], absolute: impl Fn(&str) -> String) -> Value {
    let elements: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, (name, path))| {
            json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": absolute(path) })
        })
        .collect();
    json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": elements })
}
