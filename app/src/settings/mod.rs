//! The shop's settings staff change in the back office, stored one JSON value per key in
//! `shop_settings`. Today: the seller's identity and bank details, which invoices, credit
//! notes, emails, order pages and legal texts show as they are when they are issued.

#[cfg(feature = "ssr")]
pub mod check;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

/// The seller, as invoices and emails name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub name: String,
    pub legal_form: String,
    pub address: Vec<String>,
    pub registration: String,
    pub vat_number: String,
    pub email: String,
    pub phone: String,
}

/// Where bank transfers go (and cheques, to the seller's address).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankDetails {
    /// Grouped by four, as printed: `FR76 3000 4000 …`.
    pub iban: String,
    pub bic: String,
}

/// The seller as the law asks a distance seller to name itself, with its bank details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerSettings {
    pub seller: Seller,
    pub bank: BankDetails,
}

/// The seller settings form, as typed (the address one line per line).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerForm {
    pub name: String,
    pub legal_form: String,
    pub address: String,
    pub registration: String,
    pub vat_number: String,
    pub email: String,
    pub phone: String,
    pub iban: String,
    pub bic: String,
}

impl SellerForm {
    /// The form filled with `settings`.
    pub fn of(settings: &SellerSettings) -> Self {
        let s = &settings.seller;
        Self {
            name: s.name.clone(),
            legal_form: s.legal_form.clone(),
            address: s.address.join("\n"),
            registration: s.registration.clone(),
            vat_number: s.vat_number.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            iban: settings.bank.iban.clone(),
            bic: settings.bank.bic.clone(),
        }
    }
}
