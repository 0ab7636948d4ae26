//! The quote of a basket delivered to a destination.
//!
//! The rules, in order (one rounding rule: to the cent, halves away from zero):
//! 1. **Mode.** EU deliveries, metropolitan France included, are priced VAT included. Deliveries
//!    outside the EU and to the overseas territories are priced without VAT: each unit price
//!    becomes its amount without VAT, rounded, and a line is that unit price × quantity (so an
//!    invoice line always multiplies out).
//! 2. **Lines and subtotal.** A line is unit price × quantity; the subtotal is their sum.
//! 3. **Discounts and credits** (the [`Adjustment`] hook) come off the goods, in order: a
//!    percentage of what is left (rounded), or a fixed amount capped at what is left, so goods
//!    never go below zero.
//! 4. **Shipping.** The destination's zone table: free from the zone's threshold (on the goods
//!    after discounts), else the first bracket whose weight limit holds the parcel; no zone or
//!    no bracket means the shop cannot deliver there.
//! 5. **VAT per rate** (VAT-included mode only). The discounts are split over the VAT rates in
//!    proportion to each rate's goods, then shipping in proportion to each rate's goods after
//!    discounts (shipping follows the goods it carries); both splits are cent-exact. For each
//!    rate, gross = goods after discounts + shipping share, net = gross ÷ (1 + rate), rounded,
//!    and VAT = gross − net, so net + VAT = gross exactly and the total is the sum of the grosses.
//! 6. **Payment methods**, in the shop's order: those whose minimum total and destinations allow
//!    this basket; only recurring ones when the basket holds a subscription; none when the basket
//!    is empty or cannot be delivered.

use super::model::*;
use super::split::{allocate, cents, net_of};
use super::{Destination, Region};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What `lines` cost delivered to `destination` under `config`, after `adjustments`.
///
/// # Errors
/// [`PricingError`] for a quantity outside 1..=[`MAX_LINE_QUANTITY`], more than [`MAX_LINES`]
/// lines, or a negative price, rate or adjustment.
pub fn quote(
    config: &PricingConfig,
    destination: Destination,
    lines: &[BasketLine],
    adjustments: &[Adjustment],
) -> Result<Quote, PricingError> {
    validate(lines, adjustments)?;
    let vat_mode = match destination.region() {
        Region::MetropolitanFrance | Region::Eu => VatMode::Included,
        Region::Overseas | Region::World => VatMode::Excluded,
    };
    let mut priced: Vec<QuoteLine> = lines
        .iter()
        .map(|line| {
            let unit_price = match vat_mode {
                VatMode::Included => line.unit_price,
                VatMode::Excluded => net_of(line.unit_price, line.vat_rate),
            };
            // Under OSS an EU destination's own rate, the price unchanged.
            let vat_rate = config.vat_rate(destination, line.vat_rate);
            QuoteLine {
                product_id: line.product_id,
                quantity: line.quantity,
                unit_price,
                total: unit_price * Decimal::from(line.quantity),
                vat_rate,
                paid: Decimal::ZERO,
            }
        })
        .collect();
    let subtotal: Decimal = priced.iter().map(|l| l.total).sum();

    // What is left to pay of each line, as the adjustments come off in order.
    let mut left: Vec<Decimal> = priced.iter().map(|l| l.total).collect();
    let applied: Vec<AppliedAdjustment> = adjustments
        .iter()
        .map(|adjustment| adjust(&priced, &mut left, adjustment))
        .collect();
    let goods: Decimal = left.iter().copied().sum();
    for (line, paid) in priced.iter_mut().zip(&left) {
        line.paid = *paid;
    }

    let weight_grams = lines
        .iter()
        .map(|l| l.weight_grams.saturating_mul(l.quantity))
        .fold(0u32, u32::saturating_add);
    let shipping = if lines.is_empty() {
        Shipping::Free
    } else {
        shipping_for(config, destination, goods, weight_grams)
    };

    let vat = match vat_mode {
        VatMode::Included => vat_lines(&priced, &left, shipping.amount()),
        VatMode::Excluded => Vec::new(),
    };
    let total = goods + shipping.amount();
    let subscription = lines.iter().any(|l| l.subscription);
    let payment_methods = if lines.is_empty() || shipping == Shipping::Unavailable {
        Vec::new()
    } else {
        config
            .payment_rules
            .iter()
            .filter(|rule| rule.min_total.is_none_or(|min| total >= min))
            .filter(|rule| {
                rule.countries
                    .as_ref()
                    .is_none_or(|codes| codes.iter().any(|c| c == destination.code()))
            })
            .filter(|rule| rule.recurring || !subscription)
            .map(|rule| rule.method)
            .collect()
    };
    Ok(Quote {
        destination: destination.code().to_owned(),
        vat_mode,
        lines: priced,
        subtotal,
        adjustments: applied,
        shipping,
        weight_grams,
        vat,
        total,
        payment_methods,
    })
}

/// Checks a basket's size: at most [`MAX_LINES`] lines, each quantity in
/// 1..=[`MAX_LINE_QUANTITY`].
///
/// # Errors
/// [`PricingError::TooManyLines`], [`PricingError::BadQuantity`].
pub fn check_size(
    lines: usize,
    mut quantities: impl Iterator<Item = u32>,
) -> Result<(), PricingError> {
    if lines > MAX_LINES {
        return Err(PricingError::TooManyLines);
    }
    if quantities.any(|q| q == 0 || q > MAX_LINE_QUANTITY) {
        return Err(PricingError::BadQuantity);
    }
    Ok(())
}

fn validate(lines: &[BasketLine], adjustments: &[Adjustment]) -> Result<(), PricingError> {
    check_size(lines.len(), lines.iter().map(|l| l.quantity))?;
    for line in lines {
        if line.unit_price.is_sign_negative() || line.vat_rate.is_sign_negative() {
            return Err(PricingError::NegativeAmount);
        }
    }
    let negative = adjustments.iter().any(|a| match a.kind {
        AdjustmentKind::Percent(p) => p.is_sign_negative() || p > Decimal::ONE_HUNDRED,
        AdjustmentKind::Amount(a) => a.is_sign_negative(),
    });
    if negative {
        return Err(PricingError::NegativeAmount);
    }
    Ok(())
}

fn shipping_for(
    config: &PricingConfig,
    destination: Destination,
    goods: Decimal,
    weight_grams: u32,
) -> Shipping {
    let Some(zone) = config.zone(destination) else {
        return Shipping::Unavailable;
    };
    if zone.free_from.is_some_and(|from| goods >= from) {
        return Shipping::Free;
    }
    let mut brackets: Vec<&ShippingRate> = zone.rates.iter().collect();
    brackets.sort_by_key(|r| r.up_to_grams.unwrap_or(u32::MAX));
    match brackets
        .into_iter()
        .find(|r| r.up_to_grams.is_none_or(|limit| weight_grams <= limit))
    {
        Some(rate) if rate.price.is_zero() => Shipping::Free,
        Some(rate) => Shipping::Paid(rate.price),
        None => Shipping::Unavailable,
    }
}

/// The goods left to pay on `lines` (an undiscounted quote's) once `adjustments` come off,
/// exactly as [`quote`] takes them: what a further voucher can still cover.
pub fn goods_after(lines: &[QuoteLine], adjustments: &[Adjustment]) -> Decimal {
    let mut left: Vec<Decimal> = lines.iter().map(|l| l.total).collect();
    for adjustment in adjustments {
        adjust(lines, &mut left, adjustment);
    }
    left.iter().copied().sum()
}

/// Takes `adjustment` off the lines it applies to (`left`: what is left of each): split over
/// the VAT rates in proportion to each rate's eligible goods, then within a rate over its
/// lines, cent-exact.
fn adjust(lines: &[QuoteLine], left: &mut [Decimal], adjustment: &Adjustment) -> AppliedAdjustment {
    let mut by_rate: BTreeMap<Decimal, Vec<usize>> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        if adjustment.applies_to(line.product_id) {
            by_rate
                .entry(line.vat_rate.normalize())
                .or_default()
                .push(i);
        }
    }
    let weights: Vec<Decimal> = by_rate
        .values()
        .map(|ix| ix.iter().map(|&i| left[i]).sum())
        .collect();
    let base: Decimal = weights.iter().copied().sum();
    let amount = match adjustment.kind {
        AdjustmentKind::Percent(percent) => cents(base * percent / Decimal::ONE_HUNDRED),
        AdjustmentKind::Amount(amount) => cents(amount),
    }
    .min(base);
    let mut shares = Vec::new();
    let mut by_line = vec![Decimal::ZERO; lines.len()];
    for ((rate, ix), share) in by_rate.iter().zip(allocate(amount, &weights)) {
        let line_weights: Vec<Decimal> = ix.iter().map(|&i| left[i]).collect();
        for (&i, part) in ix.iter().zip(allocate(share, &line_weights)) {
            left[i] -= part;
            by_line[i] = part;
        }
        if !share.is_zero() {
            shares.push(RateShare {
                rate: *rate,
                amount: share,
            });
        }
    }
    AppliedAdjustment {
        label: adjustment.label.clone(),
        amount,
        by_rate: shares,
        by_line,
    }
}

/// VAT per rate: what is left of each rate's goods (`left`, per line) after the discounts,
/// plus the rate's share of `shipping`.
fn vat_lines(lines: &[QuoteLine], left: &[Decimal], shipping: Decimal) -> Vec<VatLine> {
    let mut per_rate: BTreeMap<Decimal, Decimal> = BTreeMap::new();
    for (line, left) in lines.iter().zip(left) {
        *per_rate.entry(line.vat_rate.normalize()).or_default() += *left;
    }
    let rates: Vec<Decimal> = per_rate.keys().copied().collect();
    let after: Vec<Decimal> = per_rate.values().copied().collect();
    let shipping_shares = allocate(shipping, &after);
    rates
        .into_iter()
        .zip(after.into_iter().zip(shipping_shares))
        .map(|(rate, (goods, shipping))| {
            let gross = goods + shipping;
            let net = net_of(gross, rate);
            VatLine {
                rate,
                net,
                vat: gross - net,
                gross,
            }
        })
        .collect()
}
