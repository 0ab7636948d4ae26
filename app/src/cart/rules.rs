//! Cart changes and the cookie mirror (pure, on both sides).

use super::model::{Cart, CartItem, CartProduct, CartQuote, LineIssue, LineRequest};
use crate::pricing::{BasketLine, Destination, MAX_LINE_QUANTITY, MAX_LINES};

/// The cookie the cart is mirrored in (destination and lines only), so the server can render
/// the cart and its count. Strictly necessary: no consent needed.
pub const CART_COOKIE: &str = "comptoir_cart";

/// What adding did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    /// The line now holds this many.
    Holds(u32),
    /// Capped: the line holds the most that can be ordered.
    Capped(u32),
    /// Nothing can be ordered (out of stock, or the cart is full).
    Refused,
}

impl Cart {
    /// How many units the cart holds.
    pub fn count(&self) -> u32 {
        self.items.iter().map(|i| i.quantity).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn quantity_of(&self, product_id: i32) -> u32 {
        self.items
            .iter()
            .find(|i| i.product.id == product_id)
            .map_or(0, |i| i.quantity)
    }

    /// Adds `quantity` of `product`, within what can be ordered.
    pub fn add(&mut self, product: CartProduct, quantity: u32) -> Added {
        self.add_line(product, quantity, None)
    }

    /// Adds `quantity` of `product` by subscription, delivered every `every_months` months
    /// (one of those the product offers). A product is one line: subscribing turns a line
    /// bought once into a subscription, at the frequency chosen last.
    pub fn subscribe(&mut self, product: CartProduct, quantity: u32, every_months: u8) -> Added {
        if !product.subscription_months.contains(&every_months) {
            return Added::Refused;
        }
        self.add_line(product, quantity, Some(every_months))
    }

    /// Whether a line is a subscription (the order then needs an account and a card).
    pub fn has_subscription(&self) -> bool {
        self.items.iter().any(|i| i.every_months.is_some())
    }

    fn add_line(&mut self, product: CartProduct, quantity: u32, every_months: Option<u8>) -> Added {
        let limit = product.max_quantity.min(MAX_LINE_QUANTITY);
        let had = self.quantity_of(product.id);
        if limit == 0 || quantity == 0 || (had == 0 && self.items.len() >= MAX_LINES) {
            return Added::Refused;
        }
        let wanted = had.saturating_add(quantity);
        let now = wanted.min(limit);
        match self.items.iter_mut().find(|i| i.product.id == product.id) {
            Some(item) => {
                item.product = product;
                item.quantity = now;
                item.every_months = every_months;
            }
            None => self.items.push(CartItem {
                product,
                quantity: now,
                every_months,
            }),
        }
        if now < wanted {
            Added::Capped(now)
        } else {
            Added::Holds(now)
        }
    }

    /// Sets a line's quantity, within what can be ordered; zero removes it.
    pub fn set_quantity(&mut self, product_id: i32, quantity: u32) {
        if quantity == 0 {
            self.remove(product_id);
            return;
        }
        if let Some(item) = self.items.iter_mut().find(|i| i.product.id == product_id) {
            let limit = item.product.max_quantity.clamp(1, MAX_LINE_QUANTITY);
            item.quantity = quantity.min(limit);
        }
    }

    pub fn remove(&mut self, product_id: i32) {
        self.items.retain(|i| i.product.id != product_id);
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// The lines as sent to the server.
    pub fn requests(&self) -> Vec<LineRequest> {
        self.items
            .iter()
            .map(|i| LineRequest {
                product_id: i.product.id,
                quantity: i.quantity,
                every_months: i.every_months,
            })
            .collect()
    }

    /// The lines as the engine prices them, at the prices the cart knows; like the server,
    /// a line counts at most what can be ordered, and a line that cannot be ordered not at all.
    pub fn basket(&self) -> Vec<BasketLine> {
        self.items
            .iter()
            .filter(|i| i.product.max_quantity > 0)
            .map(|i| BasketLine {
                product_id: i.product.id,
                unit_price: i.product.price,
                vat_rate: i.product.vat_rate,
                quantity: i.quantity.min(i.product.max_quantity),
                weight_grams: i.product.weight_grams,
                subscription: i.every_months.is_some(),
            })
            .collect()
    }

    /// Takes the server's current products (names, prices, stock). Returns whether a price
    /// the shopper saw has changed.
    pub fn adopt(&mut self, server: &CartQuote) -> bool {
        let mut price_changed = false;
        for item in &mut self.items {
            if let Some(current) = server.products.iter().find(|p| p.id == item.product.id) {
                price_changed |= current.price != item.product.price;
                item.product = current.clone();
            }
            if let Some(
                LineIssue::NotOnSale { .. }
                | LineIssue::OutOfStock { .. }
                | LineIssue::FrequencyUnavailable { .. },
            ) = server
                .issues
                .iter()
                .find(|issue| issue.product_id() == item.product.id)
            {
                item.product.max_quantity = 0;
            }
        }
        price_changed
    }

    /// The cookie value: `FR~12x2~5x1` (destination, then id × quantity per line).
    pub fn cookie_value(&self) -> String {
        cookie_value(self.destination, &self.requests())
    }
}

/// The cart a shopper finds after signing in: the lines of this browser's cart first, then those
/// saved with the account that this browser lacks; a product in both keeps the larger quantity
/// (never the sum: the same cart seen twice is not twice the order). Bounded like a cart.
pub fn merge_lines(browser: &[LineRequest], saved: &[LineRequest]) -> Vec<LineRequest> {
    let mut merged: Vec<LineRequest> = Vec::with_capacity(browser.len() + saved.len());
    for line in browser.iter().chain(saved) {
        if let Some(kept) = merged.iter_mut().find(|l| l.product_id == line.product_id) {
            kept.quantity = kept.quantity.max(line.quantity);
            kept.every_months = kept.every_months.or(line.every_months);
        } else if merged.len() < MAX_LINES {
            merged.push(*line);
        }
    }
    for line in &mut merged {
        line.quantity = line.quantity.clamp(1, MAX_LINE_QUANTITY);
    }
    merged
}

/// The cart rebuilt from its cookie mirror and the server's quote of it: the current products,
/// in the order of the cookie (a product the shop no longer knows is dropped).
pub fn cart_from(destination: Destination, lines: &[LineRequest], server: &CartQuote) -> Cart {
    Cart {
        destination,
        items: lines
            .iter()
            .filter_map(|line| {
                let product = server.products.iter().find(|p| p.id == line.product_id)?;
                Some(CartItem {
                    product: product.clone(),
                    quantity: line.quantity,
                    every_months: line.every_months,
                })
            })
            .collect(),
    }
}

/// The `Set-Cookie` / `document.cookie` line that keeps the cart mirror for a year (or removes
/// it, with `None`). Written by the browser on every change and by the server at sign-in and
/// sign-out; not HttpOnly, since the browser's script keeps it.
pub fn cart_cookie(value: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match value {
        Some(value) => {
            format!("{CART_COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Lax{secure}")
        }
        None => format!("{CART_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax{secure}"),
    }
}

/// The cookie value of a destination and lines: `FR~12x2~5x1m3` (id × quantity per line, and
/// `m` and the months of a subscription line).
pub fn cookie_value(destination: Destination, lines: &[LineRequest]) -> String {
    let mut value = destination.code().to_owned();
    for line in lines {
        value.push_str(&format!("~{}x{}", line.product_id, line.quantity));
        if let Some(months) = line.every_months {
            value.push_str(&format!("m{months}"));
        }
    }
    value
}

/// The destination and lines in a cookie value; anything malformed is dropped, and lines are
/// bounded like the cart's.
pub fn parse_cookie(value: &str) -> (Destination, Vec<LineRequest>) {
    let mut parts = value.split('~');
    let destination = parts
        .next()
        .and_then(Destination::parse)
        .unwrap_or_default();
    let mut lines: Vec<LineRequest> = Vec::new();
    for part in parts {
        let Some((id, rest)) = part.split_once('x') else {
            continue;
        };
        let (quantity, every_months) = match rest.split_once('m') {
            Some((quantity, months)) => match months.parse::<u8>() {
                Ok(m) if (1..=MAX_EVERY_MONTHS).contains(&m) => (quantity, Some(m)),
                _ => continue,
            },
            None => (rest, None),
        };
        let (Ok(product_id), Ok(quantity)) = (id.parse::<i32>(), quantity.parse::<u32>()) else {
            continue;
        };
        if quantity == 0 || lines.iter().any(|l| l.product_id == product_id) {
            continue;
        }
        lines.push(LineRequest {
            product_id,
            quantity: quantity.min(MAX_LINE_QUANTITY),
            every_months,
        });
        if lines.len() == MAX_LINES {
            break;
        }
    }
    (destination, lines)
}

/// How often a subscription may be delivered, in months (what a product may offer).
pub const MAX_EVERY_MONTHS: u8 = 12;

/// The subscription frequencies stored as `"1,2,3"`, sorted, without duplicates or junk.
pub fn subscription_months(stored: &str) -> Vec<u8> {
    let mut months: Vec<u8> = stored
        .split(',')
        .filter_map(|m| m.trim().parse::<u8>().ok())
        .filter(|m| (1..=MAX_EVERY_MONTHS).contains(m))
        .collect();
    months.sort_unstable();
    months.dedup();
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscription_months_are_cleaned() {
        assert_eq!(subscription_months("3, 1,2,2,x,0,13"), vec![1, 2, 3]);
        assert!(subscription_months("").is_empty());
    }

    fn product(id: i32, max_quantity: u32) -> CartProduct {
        CartProduct {
            id,
            slug: format!("p{id}"),
            name: format!("P{id}"),
            image: String::new(),
            price: "9.90".parse().unwrap(),
            vat_rate: "5.5".parse().unwrap(),
            weight_grams: 100,
            max_quantity,
            subscription_months: vec![1, 2],
        }
    }

    #[test]
    fn adding_is_capped_by_stock_and_refused_when_out() {
        let mut cart = Cart::default();
        assert_eq!(cart.add(product(1, 3), 2), Added::Holds(2));
        assert_eq!(cart.add(product(1, 3), 2), Added::Capped(3));
        assert_eq!(cart.add(product(2, 0), 1), Added::Refused);
        assert_eq!(
            cart.add(product(3, 500), 150),
            Added::Capped(MAX_LINE_QUANTITY)
        );
        assert_eq!(cart.count(), 3 + MAX_LINE_QUANTITY);
        cart.set_quantity(1, 10);
        assert_eq!(cart.quantity_of(1), 3);
        cart.set_quantity(1, 0);
        assert_eq!(cart.quantity_of(1), 0);
        cart.clear();
        assert!(cart.is_empty());
    }

    #[test]
    fn signing_in_merges_without_doubling() {
        let line = |product_id, quantity| LineRequest {
            product_id,
            quantity,
            every_months: None,
        };
        assert_eq!(
            merge_lines(&[line(1, 2), line(2, 1)], &[line(2, 3), line(3, 1)]),
            [line(1, 2), line(2, 3), line(3, 1)]
        );
        let many: Vec<_> = (0..60).map(|i| line(i, 1)).collect();
        assert_eq!(merge_lines(&many, &[line(100, 1)]).len(), MAX_LINES);
    }

    #[test]
    fn the_cookie_round_trips_and_survives_tampering() {
        let mut cart = Cart {
            destination: Destination::parse("BE").unwrap(),
            ..Cart::default()
        };
        cart.add(product(12, 5), 2);
        cart.add(product(5, 5), 1);
        assert_eq!(cart.cookie_value(), "BE~12x2~5x1");
        let (destination, lines) = parse_cookie(&cart.cookie_value());
        assert_eq!(destination.code(), "BE");
        assert_eq!(lines, cart.requests());
        let (destination, lines) = parse_cookie("ZZ~1x0~x~7x1000~7x2~-3x1~abc");
        assert_eq!(destination, Destination::FRANCE);
        assert_eq!(
            lines,
            [
                LineRequest {
                    product_id: 7,
                    quantity: MAX_LINE_QUANTITY,
                    every_months: None,
                },
                LineRequest {
                    product_id: -3,
                    quantity: 1,
                    every_months: None,
                }
            ]
        );
    }

    #[test]
    fn a_subscription_line_keeps_its_frequency_in_the_cookie() {
        let mut cart = Cart::default();
        assert_eq!(
            cart.subscribe(product(3, 5), 1, 3),
            Added::Refused,
            "not offered"
        );
        assert_eq!(cart.add(product(4, 5), 1), Added::Holds(1));
        assert_eq!(cart.subscribe(product(3, 5), 2, 2), Added::Holds(2));
        assert!(cart.has_subscription());
        assert!(cart.basket().iter().any(|l| l.subscription));
        assert_eq!(cart.cookie_value(), "FR~4x1~3x2m2");
        let (_, lines) = parse_cookie(&cart.cookie_value());
        assert_eq!(lines, cart.requests());
        // Subscribing again to a product in the cart changes the line, not a second line.
        assert_eq!(cart.subscribe(product(4, 5), 1, 1), Added::Holds(2));
        assert_eq!(cart.items.len(), 2);
        assert_eq!(cart.items[0].every_months, Some(1));
        let (_, lines) = parse_cookie("FR~1x1m0~2x1m13~3x1mx~4x2m6");
        assert_eq!(
            lines,
            [LineRequest {
                product_id: 4,
                quantity: 2,
                every_months: Some(6)
            }]
        );
    }
}
