//! The engine against SPEC's rules (tables) and its arithmetic (properties).

use super::defaults::starting_config;
use super::model::*;
use super::{Destination, quote};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn line(id: i32, price: &str, rate: &str, quantity: u32, grams: u32) -> BasketLine {
    BasketLine {
        product_id: id,
        unit_price: d(price),
        vat_rate: d(rate),
        quantity,
        weight_grams: grams,
        subscription: false,
    }
}

fn to(code: &str) -> Destination {
    Destination::parse(code).unwrap()
}

fn quoted(code: &str, lines: &[BasketLine]) -> Quote {
    quote(&starting_config(), to(code), lines, &[]).unwrap()
}

#[test]
fn a_mixed_french_basket_splits_vat_per_rate() {
    // 2 × 24.90 (5.5 %) + 1 × 29.00 (20 %) = 78.80, free shipping from 60 €.
    let q = quoted(
        "FR",
        &[
            line(1, "24.90", "5.5", 2, 200),
            line(2, "29.00", "20", 1, 150),
        ],
    );
    assert_eq!(q.vat_mode, VatMode::Included);
    assert_eq!(q.subtotal, d("78.80"));
    assert_eq!(q.shipping, Shipping::Free);
    assert_eq!(q.total, d("78.80"));
    assert_eq!(
        q.vat,
        [
            VatLine {
                rate: d("5.5"),
                net: d("47.20"),
                vat: d("2.60"),
                gross: d("49.80")
            },
            VatLine {
                rate: d("20"),
                net: d("24.17"),
                vat: d("4.83"),
                gross: d("29.00")
            },
        ]
    );
}

#[test]
fn shipping_is_shared_between_rates_like_the_goods() {
    // 10 € at 5.5 % and 30 € at 20 %: 6.90 shipping (400 g) split 1.725 / 5.175, the tied
    // half cent going to the first rate.
    let q = quoted(
        "FR",
        &[
            line(1, "10.00", "5.5", 1, 200),
            line(2, "30.00", "20", 1, 200),
        ],
    );
    assert_eq!(q.shipping, Shipping::Paid(d("6.90")));
    assert_eq!(q.total, d("46.90"));
    let gross: Vec<Decimal> = q.vat.iter().map(|v| v.gross).collect();
    assert_eq!(gross, [d("11.73"), d("35.17")]);
}

#[test]
fn free_shipping_starts_at_the_threshold_exactly() {
    let below = quoted("FR", &[line(1, "59.99", "20", 1, 300)]);
    assert_eq!(below.shipping, Shipping::Paid(d("6.90")));
    assert_eq!(below.total, d("66.89"));
    let at = quoted("FR", &[line(1, "60.00", "20", 1, 300)]);
    assert_eq!(at.shipping, Shipping::Free);
    assert_eq!(at.total, d("60.00"));
}

#[test]
fn discounts_come_off_before_vat_and_count_for_the_threshold() {
    let lines = [
        line(1, "40.00", "5.5", 1, 100),
        line(2, "30.00", "20", 1, 100),
    ];
    let adjustments = [
        Adjustment::whole("BIENVENUE10", AdjustmentKind::Percent(d("10"))),
        Adjustment::whole("Credit", AdjustmentKind::Amount(d("5"))),
    ];
    let q = quote(&starting_config(), to("FR"), &lines, &adjustments).unwrap();
    let amounts: Vec<Decimal> = q.adjustments.iter().map(|a| a.amount).collect();
    assert_eq!(amounts, [d("7.00"), d("5.00")]);
    // 58 € of goods: under the 60 € threshold once discounted.
    assert_eq!(q.shipping, Shipping::Paid(d("4.90")));
    assert_eq!(q.total, d("62.90"));
    let gross: Vec<Decimal> = q.vat.iter().map(|v| v.gross).collect();
    assert_eq!(gross.iter().copied().sum::<Decimal>(), q.total);
    // 12 € of discount split 40:30 → 6.86 / 5.14; 4.90 split on 33.14:24.86 → 2.80 / 2.10.
    assert_eq!(gross, [d("35.94"), d("26.96")]);
}

#[test]
fn a_discount_on_some_products_comes_off_their_lines_and_their_vat_rate() {
    let lines = [
        line(1, "40.00", "5.5", 1, 100),
        line(2, "30.00", "20", 1, 100),
        line(3, "10.00", "20", 1, 100),
    ];
    let only_cosmetics = Adjustment {
        products: Some(vec![2, 3]),
        ..Adjustment::whole("SOINS20", AdjustmentKind::Percent(d("20")))
    };
    let q = quote(&starting_config(), to("FR"), &lines, &[only_cosmetics]).unwrap();
    // 20 % of the 40 € of cosmetics, all of it on the 20 % rate.
    assert_eq!(q.adjustments[0].amount, d("8.00"));
    assert_eq!(
        q.adjustments[0].by_rate,
        [RateShare {
            rate: d("20"),
            amount: d("8.00")
        }]
    );
    // 72 € of goods: free shipping; the supplements keep their 40 €.
    assert_eq!(q.shipping, Shipping::Free);
    let gross: Vec<(Decimal, Decimal)> = q.vat.iter().map(|v| (v.rate, v.gross)).collect();
    assert_eq!(gross, [(d("5.5"), d("40.00")), (d("20"), d("32.00"))]);
    // A product not in the basket: nothing off.
    let elsewhere = Adjustment {
        products: Some(vec![9]),
        ..Adjustment::whole("AUTRE", AdjustmentKind::Amount(d("5")))
    };
    let q = quote(&starting_config(), to("FR"), &lines, &[elsewhere]).unwrap();
    assert_eq!(q.adjustments[0].amount, Decimal::ZERO);
    assert_eq!(q.total, d("80.00"));
}

#[test]
fn a_credit_larger_than_the_goods_leaves_only_shipping() {
    let q = quote(
        &starting_config(),
        to("FR"),
        &[line(1, "12.00", "20", 1, 100)],
        &[Adjustment::whole("Avoir", AdjustmentKind::Amount(d("50")))],
    )
    .unwrap();
    assert_eq!(q.adjustments[0].amount, d("12.00"));
    assert_eq!(q.total, d("4.90"));
    assert_eq!(q.vat[0].gross, d("4.90"));
}

#[test]
fn every_destination_gets_its_mode_and_table() {
    let lines = [line(1, "21.10", "5.5", 1, 400)];
    // (code, VAT included, shipping for 400 g)
    let table: &[(&str, bool, Shipping)] = &[
        ("FR", true, Shipping::Paid(d("6.90"))),
        ("GP", false, Shipping::Paid(d("12.50"))),
        ("MQ", false, Shipping::Paid(d("12.50"))),
        ("GF", false, Shipping::Paid(d("12.50"))),
        ("RE", false, Shipping::Paid(d("12.50"))),
        ("YT", false, Shipping::Paid(d("12.50"))),
        ("PM", false, Shipping::Paid(d("16.90"))),
        ("BL", false, Shipping::Paid(d("16.90"))),
        ("MF", false, Shipping::Paid(d("16.90"))),
        ("WF", false, Shipping::Paid(d("20.90"))),
        ("PF", false, Shipping::Paid(d("20.90"))),
        ("NC", false, Shipping::Paid(d("20.90"))),
        ("BE", true, Shipping::Paid(d("9.90"))),
        ("DE", true, Shipping::Paid(d("9.90"))),
        ("LU", true, Shipping::Paid(d("9.90"))),
        ("CH", false, Shipping::Paid(d("16.90"))),
        ("NO", false, Shipping::Paid(d("16.90"))),
        ("US", false, Shipping::Paid(d("16.90"))),
    ];
    for (code, included, shipping) in table {
        let q = quoted(code, &lines);
        assert_eq!(q.vat_mode == VatMode::Included, *included, "{code}");
        assert_eq!(q.shipping, *shipping, "{code}");
        if *included {
            assert_eq!(q.subtotal, d("21.10"), "{code}");
            // Shipping carries the goods' rate: 5.5 % of (21.10 + shipping).
            assert_eq!(q.vat[0].gross, q.total, "{code}");
            assert_eq!(
                q.vat[0].vat,
                q.total - super::split::net_of(q.total, d("5.5")),
                "{code}"
            );
        } else {
            // 21.10 ÷ 1.055 = 20.00, no VAT line.
            assert_eq!(q.subtotal, d("20.00"), "{code}");
            assert!(q.vat.is_empty(), "{code}");
        }
    }
}

#[test]
fn too_heavy_for_a_table_cannot_be_delivered_nor_paid() {
    let q = quoted("NC", &[line(1, "10.00", "20", 11, 500)]);
    assert_eq!(q.shipping, Shipping::Unavailable);
    assert!(q.payment_methods.is_empty());
    let heavy_fr = quoted("FR", &[line(1, "1.00", "20", 20, 500)]);
    assert_eq!(heavy_fr.shipping, Shipping::Paid(d("14.90")));
}

fn methods(code: &str, total: &str, subscription: bool) -> Vec<PaymentMethod> {
    // One 20 % product, heavy enough to cost shipping where free shipping does not apply.
    let mut l = line(1, total, "20", 1, 100);
    l.subscription = subscription;
    let q = quote(&starting_config(), to(code), &[l], &[]).unwrap();
    q.payment_methods
}

#[test]
fn payment_methods_follow_the_rules() {
    use PaymentMethod::*;
    let everywhere = [Card, ApplePay, Paypal, BankTransfer];
    // (destination, basket total, Klarna, Bancontact, cheque)
    let table: &[(&str, &str, bool, bool, bool)] = &[
        ("FR", "60.00", true, false, true),
        ("FR", "59.99", true, false, true), // + 4.90 shipping = 64.89: still ≥ 60
        ("FR", "50.00", false, false, true),
        ("GP", "100.00", false, false, true),
        ("NC", "100.00", false, false, false),
        ("BE", "100.00", true, true, false),
        ("NL", "100.00", true, true, false),
        ("LU", "100.00", false, true, false),
        ("DE", "100.00", true, false, false),
        ("AT", "100.00", true, false, false),
        ("FI", "100.00", true, false, false),
        ("SE", "100.00", true, false, false),
        ("DK", "100.00", true, false, false),
        ("NO", "100.00", true, false, false),
        ("ES", "100.00", false, false, false),
        ("IT", "100.00", false, false, false),
        ("CH", "100.00", false, false, false),
        ("US", "100.00", false, false, false),
    ];
    for (code, total, klarna, bancontact, cheque) in table {
        let got = methods(code, total, false);
        for method in everywhere {
            assert!(got.contains(&method), "{code} {total}: {got:?}");
        }
        assert_eq!(got.contains(&Klarna3x), *klarna, "{code} {total}: {got:?}");
        assert_eq!(
            got.contains(&Bancontact),
            *bancontact,
            "{code} {total}: {got:?}"
        );
        assert_eq!(got.contains(&Cheque), *cheque, "{code} {total}: {got:?}");
    }
}

#[test]
fn klarna_counts_the_total_with_shipping_at_the_boundary() {
    // 55.10 + 4.90 shipping = 60.00 exactly: allowed; 55.09 + 4.90 = 59.99: not.
    assert!(methods("FR", "55.10", false).contains(&PaymentMethod::Klarna3x));
    assert!(!methods("FR", "55.09", false).contains(&PaymentMethod::Klarna3x));
}

#[test]
fn subscriptions_are_paid_by_card_only() {
    for code in ["FR", "BE", "DE", "GP", "US"] {
        assert_eq!(
            methods(code, "80.00", true),
            [PaymentMethod::Card],
            "{code}"
        );
    }
}

#[test]
fn bad_baskets_are_refused() {
    let config = starting_config();
    let zero = [line(1, "10.00", "20", 0, 1)];
    assert_eq!(
        quote(&config, to("FR"), &zero, &[]),
        Err(PricingError::BadQuantity)
    );
    let many = [line(1, "10.00", "20", MAX_LINE_QUANTITY + 1, 1)];
    assert_eq!(
        quote(&config, to("FR"), &many, &[]),
        Err(PricingError::BadQuantity)
    );
    let negative = [line(1, "-1.00", "20", 1, 1)];
    assert_eq!(
        quote(&config, to("FR"), &negative, &[]),
        Err(PricingError::NegativeAmount)
    );
    let lines: Vec<_> = (0..=MAX_LINES as i32)
        .map(|i| line(i, "1", "20", 1, 1))
        .collect();
    assert_eq!(
        quote(&config, to("FR"), &lines, &[]),
        Err(PricingError::TooManyLines)
    );
    let empty = quote(&config, to("FR"), &[], &[]).unwrap();
    assert_eq!(empty.total, Decimal::ZERO);
    assert!(empty.payment_methods.is_empty());
}

#[test]
fn under_oss_an_eu_destination_is_taxed_at_its_own_rates_for_the_same_price() {
    let french = starting_config();
    let oss = PricingConfig {
        destination_vat: super::defaults::eu_vat_rates(),
        ..starting_config()
    };
    let basket = [
        line(1, "24.90", "5.5", 2, 200),
        line(2, "18.00", "20", 1, 150),
    ];
    let before = quote(&french, to("DE"), &basket, &[]).unwrap();
    let after = quote(&oss, to("DE"), &basket, &[]).unwrap();
    assert_eq!(
        after.total, before.total,
        "prices are VAT included and stay"
    );
    let rates: Vec<Decimal> = after.lines.iter().map(|l| l.vat_rate).collect();
    assert_eq!(rates, [d("7"), d("19")]);
    let vat_rates: Vec<Decimal> = after.vat.iter().map(|v| v.rate).collect();
    assert_eq!(vat_rates, [d("7"), d("19")]);
    let gross: Decimal = after.vat.iter().map(|v| v.gross).sum();
    assert_eq!(gross, after.total);
    // France, and countries outside the EU, are not concerned.
    for (code, same) in [("FR", true), ("CH", true)] {
        let a = quote(&oss, to(code), &basket, &[]).unwrap();
        let b = quote(&french, to(code), &basket, &[]).unwrap();
        assert_eq!(a == b, same, "{code}");
    }
    assert_eq!(oss.oss_country(to("DE")), Some("DE"));
    assert_eq!(oss.oss_country(to("FR")), None);
    assert_eq!(french.oss_country(to("DE")), None);
}

fn any_line() -> impl Strategy<Value = BasketLine> {
    (
        1..=50_000i64,
        prop::sample::select(vec!["5.5", "20", "2.1", "10"]),
        1..=MAX_LINE_QUANTITY,
        0..=2_000u32,
        1..=4i32,
    )
        .prop_map(|(cents, rate, quantity, grams, product_id)| BasketLine {
            product_id,
            unit_price: Decimal::new(cents, 2),
            vat_rate: d(rate),
            quantity,
            weight_grams: grams,
            subscription: false,
        })
}

fn any_adjustment() -> impl Strategy<Value = Adjustment> {
    prop_oneof![
        (0..=100i64).prop_map(|p| AdjustmentKind::Percent(Decimal::from(p))),
        (0..=100_000i64).prop_map(|c| AdjustmentKind::Amount(Decimal::new(c, 2))),
    ]
    .prop_flat_map(|kind| {
        // The whole basket, or some of the products (maybe none of those in it).
        prop::option::of(prop::collection::vec(1..=5i32, 0..3)).prop_map(move |products| {
            Adjustment {
                products,
                ..Adjustment::whole("x", kind)
            }
        })
    })
}

fn any_destination() -> impl Strategy<Value = Destination> {
    prop::sample::select(Destination::all().collect::<Vec<_>>())
}

proptest! {
    #[test]
    fn totals_are_the_sum_of_their_parts_to_the_cent(
        lines in prop::collection::vec(any_line(), 0..8),
        adjustments in prop::collection::vec(any_adjustment(), 0..3),
        destination in any_destination(),
    ) {
        let q = quote(&starting_config(), destination, &lines, &adjustments).unwrap();
        let lines_sum: Decimal = q.lines.iter().map(|l| l.total).sum();
        prop_assert_eq!(q.subtotal, lines_sum);
        for l in &q.lines {
            prop_assert_eq!(l.total, l.unit_price * Decimal::from(l.quantity));
        }
        let discounts: Decimal = q.adjustments.iter().map(|a| a.amount).sum();
        prop_assert!(discounts <= q.subtotal);
        for (applied, asked) in q.adjustments.iter().zip(&adjustments) {
            // Each discount falls on its rates exactly, and only on the goods it applies to.
            let by_rate: Decimal = applied.by_rate.iter().map(|r| r.amount).sum();
            prop_assert_eq!(by_rate, applied.amount);
            // …and on its lines exactly, none on a line it does not apply to.
            prop_assert_eq!(applied.by_line.len(), q.lines.len());
            prop_assert_eq!(applied.by_line.iter().copied().sum::<Decimal>(), applied.amount);
            for (part, line) in applied.by_line.iter().zip(&q.lines) {
                prop_assert!(*part >= Decimal::ZERO);
                if !asked.applies_to(line.product_id) {
                    prop_assert_eq!(*part, Decimal::ZERO);
                }
            }
            let eligible: Decimal = q.lines.iter().filter(|l| asked.applies_to(l.product_id)).map(|l| l.total).sum();
            prop_assert!(applied.amount <= eligible);
        }
        prop_assert_eq!(q.total, q.subtotal - discounts + q.shipping.amount());
        // Each line's paid amount is within its total, and together they are the goods the
        // customer paid: what after-sales refunds line by line.
        let paid: Decimal = q.lines.iter().map(|l| l.paid).sum();
        prop_assert_eq!(paid, q.subtotal - discounts);
        for l in &q.lines {
            prop_assert!(l.paid >= Decimal::ZERO && l.paid <= l.total);
            prop_assert_eq!(l.paid, l.paid.round_dp(2));
            if !adjustments.iter().any(|a| a.applies_to(l.product_id)) {
                prop_assert_eq!(l.paid, l.total);
            }
        }
        prop_assert!(q.total >= Decimal::ZERO);
        for amount in [q.total, q.subtotal, discounts, q.shipping.amount()] {
            prop_assert_eq!(amount, amount.round_dp(2), "{} has sub-cent digits", amount);
        }
        match q.vat_mode {
            VatMode::Included => {
                let gross: Decimal = q.vat.iter().map(|v| v.gross).sum();
                prop_assert_eq!(gross, q.total);
                for v in &q.vat {
                    prop_assert_eq!(v.net + v.vat, v.gross);
                    prop_assert!(v.net >= Decimal::ZERO && v.vat >= Decimal::ZERO);
                    prop_assert_eq!(v.vat, v.vat.round_dp(2));
                }
            }
            VatMode::Excluded => {
                prop_assert!(q.vat.is_empty());
                // Each unit price is the VAT-inclusive one without its VAT, never more.
                for (priced, input) in q.lines.iter().zip(&lines) {
                    prop_assert!(priced.unit_price <= input.unit_price);
                    let back = priced.unit_price * (Decimal::ONE_HUNDRED + input.vat_rate)
                        / Decimal::ONE_HUNDRED;
                    prop_assert!((back - input.unit_price).abs() <= Decimal::new(1, 2));
                }
            }
        }
    }

    #[test]
    fn free_shipping_in_france_is_exactly_from_sixty_euros(cents in 1i64..=20_000) {
        let goods = Decimal::new(cents, 2);
        let q = quote(&starting_config(), Destination::FRANCE, &[line(1, &goods.to_string(), "5.5", 1, 100)], &[]).unwrap();
        prop_assert_eq!(q.shipping == Shipping::Free, goods >= d("60.00"));
    }
}
