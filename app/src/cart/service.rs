//! The server's quote of a cart, from its own prices and stock (server only).

use super::model::{CartProduct, CartQuote, LineIssue, LineRequest};
use crate::db::entities::product;
use crate::db::entities::product::STATUS_ACTIVE;
use crate::i18n::Locale;
use crate::money::{from_basis_points, from_cents};
use crate::pricing::{
    self, BasketLine, Destination, MAX_LINE_QUANTITY, PricingConfig, PricingError,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// What can go wrong quoting a cart.
#[derive(Debug, thiserror::Error)]
pub enum CartError {
    #[error("{0}")]
    Pricing(#[from] PricingError),
    #[error("a product appears twice")]
    DuplicateLine,
    #[error("database: {0}")]
    Database(#[from] DbErr),
}

/// What the cart keeps of product `p` in `locale`, as the shop sees it now (only the fields the
/// cart needs are copied).
pub fn cart_product(locale: Locale, p: &product::Model) -> CartProduct {
    CartProduct {
        id: p.id,
        slug: p.slug.clone(),
        name: p.sold_name(locale == Locale::En),
        image: p.image.clone(),
        price: from_cents(p.price_cents),
        vat_rate: from_basis_points(p.vat_rate_bp),
        weight_grams: u32::try_from(p.shipping_weight_grams).unwrap_or(0),
        max_quantity: if p.status == STATUS_ACTIVE {
            u32::try_from(p.stock).unwrap_or(0).min(MAX_LINE_QUANTITY)
        } else {
            0
        },
        subscription_months: super::rules::subscription_months(&p.subscription_months),
    }
}

/// Quotes `lines` delivered to `destination` under `config` from the database's prices and
/// stock (one query): lines short of stock count what is left, and lines out of stock or no longer on
/// sale are left out; each such line is reported.
///
/// # Errors
/// [`CartError::Pricing`] for a bad quantity or too many lines, [`CartError::DuplicateLine`],
/// [`CartError::Database`].
pub async fn quote_cart(
    db: &impl ConnectionTrait,
    config: &PricingConfig,
    locale: Locale,
    destination: Destination,
    lines: &[LineRequest],
    adjustments: &[pricing::Adjustment],
) -> Result<CartQuote, CartError> {
    pricing::check_size(lines.len(), lines.iter().map(|l| l.quantity))?;
    for (i, line) in lines.iter().enumerate() {
        if lines[..i].iter().any(|l| l.product_id == line.product_id) {
            return Err(CartError::DuplicateLine);
        }
    }
    let ids: Vec<i32> = lines.iter().map(|l| l.product_id).collect();
    let found = if ids.is_empty() {
        Vec::new()
    } else {
        product::Entity::find()
            .filter(product::Column::Id.is_in(ids))
            .all(db)
            .await?
    };
    let mut products = Vec::with_capacity(found.len());
    let mut issues = Vec::new();
    let mut basket = Vec::with_capacity(lines.len());
    for line in lines {
        let Some(model) = found.iter().find(|p| p.id == line.product_id) else {
            issues.push(LineIssue::NotOnSale {
                product_id: line.product_id,
            });
            continue;
        };
        let on_sale = model.status == STATUS_ACTIVE;
        let product = cart_product(locale, model);
        let available = product.max_quantity;
        if !on_sale {
            issues.push(LineIssue::NotOnSale {
                product_id: product.id,
            });
        } else if line
            .every_months
            .is_some_and(|m| !product.subscription_months.contains(&m))
        {
            issues.push(LineIssue::FrequencyUnavailable {
                product_id: product.id,
            });
        } else if available == 0 {
            issues.push(LineIssue::OutOfStock {
                product_id: product.id,
            });
        } else {
            if available < line.quantity {
                issues.push(LineIssue::Reduced {
                    product_id: product.id,
                    available,
                });
            }
            basket.push(BasketLine {
                product_id: product.id,
                unit_price: product.price,
                vat_rate: product.vat_rate,
                quantity: line.quantity.min(available),
                weight_grams: product.weight_grams,
                subscription: line.every_months.is_some(),
            });
        }
        products.push(product);
    }
    let quote = pricing::quote(config, destination, &basket, adjustments)?;
    Ok(CartQuote {
        products,
        issues,
        quote,
    })
}
