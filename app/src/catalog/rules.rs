//! Pure catalogue rules, compiled on both sides.

use super::model::{NetUnit, StockLevel, UnitPrice};
use rust_decimal::{Decimal, RoundingStrategy};

/// At or below this many units a product shows "only a few left".
pub const LOW_STOCK_THRESHOLD: i32 = 5;

/// Converts integer cents into a decimal amount in euros.
pub fn cents_to_decimal(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// The price per kilogram or litre of `price` for `net_quantity` grams or millilitres, rounded
/// to the cent, half away from zero. `None` when the quantity is not positive.
pub fn unit_price(price: Decimal, net_quantity: i32, unit: NetUnit) -> Option<UnitPrice> {
    if net_quantity <= 0 {
        return None;
    }
    let amount = (price * Decimal::from(1000) / Decimal::from(net_quantity))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    Some(UnitPrice { amount, unit })
}

/// The stock level a shopper sees for `stock` units.
pub fn stock_level(stock: i32) -> StockLevel {
    match stock {
        s if s <= 0 => StockLevel::Out,
        s if s <= LOW_STOCK_THRESHOLD => StockLevel::Low,
        _ => StockLevel::InStock,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_price_is_per_kilogram_rounded_half_away_from_zero() {
        // 24.90 € for 60 g → 415.00 €/kg
        let p = unit_price(cents_to_decimal(2490), 60, NetUnit::Gram).unwrap();
        assert_eq!(p.amount, cents_to_decimal(41500));
        // 19.99 € for 30 ml → 666.333… → 666.33 €/l
        let p = unit_price(cents_to_decimal(1999), 30, NetUnit::Millilitre).unwrap();
        assert_eq!(p.amount, cents_to_decimal(66633));
        // 0.01 € for 200 g → 0.05 €/kg (0.05 exactly); 0.01 € for 400 g → 0.025 → 0.03
        let p = unit_price(cents_to_decimal(1), 400, NetUnit::Gram).unwrap();
        assert_eq!(p.amount, cents_to_decimal(3));
    }

    #[test]
    fn no_unit_price_without_a_quantity() {
        assert_eq!(unit_price(cents_to_decimal(100), 0, NetUnit::Gram), None);
    }

    #[test]
    fn stock_levels() {
        assert_eq!(stock_level(0), StockLevel::Out);
        assert_eq!(stock_level(-2), StockLevel::Out);
        assert_eq!(stock_level(LOW_STOCK_THRESHOLD), StockLevel::Low);
        assert_eq!(stock_level(LOW_STOCK_THRESHOLD + 1), StockLevel::InStock);
    }
}
