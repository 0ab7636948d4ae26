//! Each field of the seller settings checked and tidied (server side).

use super::{BankDetails, Seller, SellerForm, SellerSettings};
use crate::i18n::Msg;

/// The longest a one-line field may be (characters).
pub const MAX_FIELD_CHARS: usize = 160;
/// The most lines an address may have.
pub const MAX_ADDRESS_LINES: usize = 5;

/// One line of text: trimmed, inner whitespace collapsed, 1 to [`MAX_FIELD_CHARS`] characters,
/// no control characters.
fn line(text: &str) -> Option<String> {
    let clean = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!clean.is_empty()
        && clean.chars().count() <= MAX_FIELD_CHARS
        && !clean.chars().any(char::is_control))
    .then_some(clean)
}

/// An intra-EU VAT number: two letters then 2 to 13 letters or digits (spaces kept as typed,
/// upper-cased).
fn vat_number(text: &str) -> Option<String> {
    let clean = line(text)?.to_uppercase();
    let compact: String = clean.chars().filter(|c| *c != ' ').collect();
    let (country, rest) = compact.split_at_checked(2)?;
    (country.chars().all(|c| c.is_ascii_uppercase())
        && (2..=13).contains(&rest.len())
        && rest.chars().all(|c| c.is_ascii_alphanumeric()))
    .then_some(clean)
}

/// A phone number as printed: digits, spaces, dots, dashes, brackets and a leading `+`; 6 to
/// 15 digits.
fn phone(text: &str) -> Option<String> {
    let clean = line(text)?;
    let digits = clean.chars().filter(char::is_ascii_digit).count();
    let allowed = clean
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || " .-()".contains(c) || (c == '+' && i == 0));
    (allowed && (6..=15).contains(&digits)).then_some(clean)
}

/// A BIC: 4 letters (bank), 2 letters (country), 2 letters or digits (place), optionally 3
/// more (branch).
pub fn bic(text: &str) -> Option<String> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let bytes = clean.as_bytes();
    ((bytes.len() == 8 || bytes.len() == 11)
        && bytes[..6].iter().all(u8::is_ascii_uppercase)
        && bytes[6..].iter().all(u8::is_ascii_alphanumeric))
    .then_some(clean)
}

/// An IBAN whose country format and check digits hold (iban_validate), printed by four.
pub fn iban(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    compact
        .parse::<iban::Iban>()
        .ok()
        .map(|iban| iban.to_string())
}

/// The settings `form` describes, or the message naming the first field that is wrong.
///
/// # Errors
/// The message of the first field that is empty, too long or malformed.
pub fn check(form: &SellerForm) -> Result<SellerSettings, Msg> {
    let address: Vec<String> = form.address.lines().filter_map(line).collect();
    if address.is_empty()
        || address.len() > MAX_ADDRESS_LINES
        || form
            .address
            .lines()
            .any(|l| l.chars().count() > MAX_FIELD_CHARS)
    {
        return Err(Msg::ErrSellerAddress);
    }
    Ok(SellerSettings {
        seller: Seller {
            name: line(&form.name).ok_or(Msg::ErrSellerName)?,
            legal_form: line(&form.legal_form).ok_or(Msg::ErrSellerLegalForm)?,
            address,
            registration: line(&form.registration).ok_or(Msg::ErrSellerRegistration)?,
            vat_number: vat_number(&form.vat_number).ok_or(Msg::ErrSellerVat)?,
            email: crate::account::rules::normalize_email(&form.email)
                .map_err(|_| Msg::ErrSellerEmail)?,
            phone: phone(&form.phone).ok_or(Msg::ErrSellerPhone)?,
        },
        bank: BankDetails {
            iban: iban(&form.iban).ok_or(Msg::ErrSellerIban)?,
            bic: bic(&form.bic).ok_or(Msg::ErrSellerBic)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::rules::demo;

    fn form() -> SellerForm {
        SellerForm::of(&demo())
    }

    #[test]
    fn the_demo_seller_passes_its_own_checks() {
        assert_eq!(check(&form()), Ok(demo()));
    }

    #[test]
    fn each_field_is_checked() {
        type Spoil = fn(&mut SellerForm);
        let cases: [(Spoil, Msg); 9] = [
            (|f| f.name = "  ".into(), Msg::ErrSellerName),
            (|f| f.legal_form = "x".repeat(161), Msg::ErrSellerLegalForm),
            (|f| f.address = "\n \n".into(), Msg::ErrSellerAddress),
            (
                |f| f.address = "a\nb\nc\nd\ne\nf".into(),
                Msg::ErrSellerAddress,
            ),
            (|f| f.vat_number = "27 912345678".into(), Msg::ErrSellerVat),
            (|f| f.email = "bonjour@".into(), Msg::ErrSellerEmail),
            (|f| f.phone = "01 23 +45".into(), Msg::ErrSellerPhone),
            // One digit changed: the check digits no longer hold.
            (
                |f| f.iban = "FR76 3000 4000 5000 0123 4567 872".into(),
                Msg::ErrSellerIban,
            ),
            (|f| f.bic = "BNP1FRPP".into(), Msg::ErrSellerBic),
        ];
        for (spoil, message) in cases {
            let mut f = form();
            spoil(&mut f);
            assert_eq!(check(&f), Err(message), "{f:?}");
        }
    }

    #[test]
    fn fields_are_tidied() {
        let mut f = form();
        f.name = "  Maison   Verte ".into();
        f.iban = "fr7630004000500001234567871".into();
        f.bic = "bnpa fr pp".into();
        f.email = "Contact@Maison.FR".into();
        f.address = "1 rue A\n\n  69001 Lyon  \n".into();
        let s = check(&f).unwrap();
        assert_eq!(s.seller.name, "Maison Verte");
        assert_eq!(s.bank.iban, "FR76 3000 4000 5000 0123 4567 871");
        assert_eq!(s.bank.bic, "BNPAFRPP");
        assert_eq!(s.seller.email, "contact@maison.fr");
        assert_eq!(s.seller.address, vec!["1 rue A", "69001 Lyon"]);
    }
}
