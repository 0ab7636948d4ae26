//! Cart wording that takes numbers.

use crate::i18n::{Locale, Msg};
use crate::pricing::PaymentMethod;
use crate::ui::format::{money, percent};
use rust_decimal::Decimal;

/// "dont TVA 5,5 % : 2,60 €".
pub fn vat_line(locale: Locale, rate: Decimal, amount: Decimal) -> String {
    let rate = percent(locale, rate);
    let amount = money(locale, amount);
    match locale {
        Locale::Fr => format!("dont TVA {rate} : {amount}"),
        Locale::En => format!("incl. VAT {rate}: {amount}"),
    }
}

/// "Plus que 2 en stock : votre panier en compte 2."
pub fn reduced(locale: Locale, available: u32) -> String {
    match locale {
        Locale::Fr => format!("Plus que {available} en stock : le panier en compte {available}."),
        Locale::En => format!("Only {available} left: the cart counts {available}."),
    }
}

/// "Garder 2".
pub fn keep(locale: Locale, available: u32) -> String {
    match locale {
        Locale::Fr => format!("Passer à {available}"),
        Locale::En => format!("Change to {available}"),
    }
}

/// "Livraison offerte dès 60,00 €" (in metropolitan France).
pub fn free_from(locale: Locale, amount: Decimal) -> String {
    match locale {
        Locale::Fr => format!("Livraison offerte dès {}", money(locale, amount)),
        Locale::En => format!("Free shipping from {}", money(locale, amount)),
    }
}

/// "2 articles dans le panier".
pub fn in_cart(locale: Locale, count: u32) -> String {
    match (locale, count) {
        (Locale::Fr, 0 | 1) => format!("{count} article dans le panier"),
        (Locale::Fr, _) => format!("{count} articles dans le panier"),
        (Locale::En, 1) => "1 item in the cart".to_owned(),
        (Locale::En, _) => format!("{count} items in the cart"),
    }
}

/// The name of a payment method, in `locale`.
pub fn payment_method(locale: Locale, method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Card => locale.t(Msg::PayCard),
        PaymentMethod::ApplePay => locale.t(Msg::PayApplePay),
        PaymentMethod::Paypal => locale.t(Msg::PayPaypal),
        PaymentMethod::Klarna3x => locale.t(Msg::PayKlarna),
        PaymentMethod::Bancontact => locale.t(Msg::PayBancontact),
        PaymentMethod::BankTransfer => locale.t(Msg::PayTransfer),
        PaymentMethod::Cheque => locale.t(Msg::PayCheque),
    }
}
