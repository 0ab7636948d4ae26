//! schema.org descriptions of catalogue pages for search engines.

use super::model::{ProductDetail, ReviewSummary, StockLevel};
use serde_json::{Value, json};

/// The schema.org availability URL of a stock level.
pub fn availability(stock: StockLevel) -> &'static str {
    match stock {
        StockLevel::InStock => "https://schema.org/InStock",
        StockLevel::Low { .. } => "https://schema.org/LimitedAvailability",
        StockLevel::Out => "https://schema.org/OutOfStock",
    }
}

/// The `Product` with its `Offer`, and its `aggregateRating` when it has published reviews.
/// `absolute` turns a path into a full URL.
pub fn product(
    p: &ProductDetail,
    reviews: &ReviewSummary,
    brand: &str,
    absolute: impl Fn(&str) -> String,
) -> Value {
    let url = absolute(&format!("/products/{}", p.slug));
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": p.name,
        "description": p.summary,
        "sku": p.sku,
        "image": p.images.iter().map(|i| absolute(&i.src)).collect::<Vec<_>>(),
        "category": p.category.name,
        "brand": { "@type": "Brand", "name": brand },
        "url": url,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": format!("{:.2}", p.price),
            "priceCurrency": "EUR",
            "availability": availability(p.stock),
            "itemCondition": "https://schema.org/NewCondition",
        },
    });
    if let Some(until) = p.reduction.as_ref().and_then(|r| r.until) {
        value["offers"]["priceValidUntil"] = json!(
            until
                .with_timezone(&chrono_tz::Europe::Paris)
                .date_naive()
                .to_string()
        );
    }
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
