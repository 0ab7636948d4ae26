//! The seller settings' rules: the demo brand until staff set theirs, and the `{{seller.…}}`
//! placeholders legal texts are written with (the fields' checks are in `check`).

use super::{BankDetails, Seller, SellerSettings};

/// The demo brand, used until staff save the seller's identity.
pub fn demo() -> SellerSettings {
    SellerSettings {
        seller: Seller {
            name: "Comptoir Botanique".into(),
            legal_form: "SAS au capital de 20 000 €".into(),
            address: vec![
                "14 rue des Herboristes".into(),
                "69002 Lyon".into(),
                "France".into(),
            ],
            registration: "RCS Lyon 912 345 678".into(),
            vat_number: "FR 27 912345678".into(),
            email: "bonjour@comptoir-botanique.example".into(),
            phone: "+33 1 23 45 67 89".into(),
        },
        bank: BankDetails {
            iban: "FR76 3000 4000 5000 0123 4567 871".into(),
            bic: "BNPAFRPPXXX".into(),
        },
    }
}

/// The placeholders legal texts may use, with what each becomes.
pub const PLACEHOLDERS: [&str; 7] = [
    "{{seller.name}}",
    "{{seller.legal_form}}",
    "{{seller.address}}",
    "{{seller.registration}}",
    "{{seller.vat_number}}",
    "{{seller.email}}",
    "{{seller.phone}}",
];

/// `value` with Markdown's punctuation escaped, so a name like `A*B` stays text.
fn literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if "\\`*_{}[]<>()#+-!|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `markdown` with each of [`PLACEHOLDERS`] replaced by the seller's details (the address on
/// one line, comma-separated). Legal texts are written once and follow the seller's changes.
pub fn fill(markdown: &str, seller: &Seller) -> String {
    if !markdown.contains("{{seller.") {
        return markdown.to_owned();
    }
    let values = [
        seller.name.clone(),
        seller.legal_form.clone(),
        seller.address.join(", "),
        seller.registration.clone(),
        seller.vat_number.clone(),
        seller.email.clone(),
        seller.phone.clone(),
    ];
    PLACEHOLDERS
        .iter()
        .zip(values)
        .fold(markdown.to_owned(), |text, (placeholder, value)| {
            text.replace(placeholder, &literal(&value))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_the_sellers_details_as_text() {
        let mut seller = demo().seller;
        seller.name = "A*B [x](javascript:alert(1))".into();
        let text = fill(
            "**{{seller.name}}**, {{seller.address}} — {{seller.email}}",
            &seller,
        );
        assert_eq!(
            text,
            "**A\\*B \\[x\\]\\(javascript:alert\\(1\\)\\)**, 14 rue des Herboristes, 69002 Lyon, France — bonjour@comptoir\\-botanique.example"
        );
        let html = crate::ui::markdown::render(&text);
        assert!(
            html.contains("<strong>A*B [x](javascript:alert(1))</strong>"),
            "{html}"
        );
        assert_eq!(fill("no placeholder", &seller), "no placeholder");
    }
}
