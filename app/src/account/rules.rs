//! Account input rules, the same in the browser and on the server.

use crate::pricing::{Destination, Region};

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Passwords up to this length are accepted (passphrases welcome); longer ones are refused
/// before hashing.
pub const MAX_PASSWORD_CHARS: usize = 128;
/// The longest address RFC 5321 lets through.
const MAX_EMAIL_CHARS: usize = 254;
/// Names and the like.
pub const MAX_NAME_CHARS: usize = 80;

/// Why an account form was refused; each has a message for the shopper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("invalid email address")]
    Email,
    #[error("password too short")]
    PasswordTooShort,
    #[error("password too long")]
    PasswordTooLong,
    #[error("password too common")]
    PasswordTooCommon,
    #[error("first name required")]
    FirstName,
    #[error("last name required")]
    LastName,
    #[error("referral code invalid")]
    ReferralCode,
    #[error("title invalid")]
    Title,
    #[error("phone number invalid")]
    Phone,
    #[error("address line required")]
    AddressLine,
    #[error("postal code invalid")]
    PostalCode,
    /// A French postal code of another territory than the country chosen (a 974 code with
    /// "metropolitan France"): the territory it belongs to.
    #[error("postal code of another territory")]
    PostalCodeOf(crate::pricing::Destination),
    #[error("city required")]
    City,
    #[error("no delivery to this country")]
    Country,
    #[error("too many addresses")]
    TooManyAddresses,
    #[error("this is already the account's address")]
    SameEmail,
}

/// The longest address line, company or label kept.
pub const MAX_LINE_CHARS: usize = 100;
/// Addresses one account may keep.
pub const MAX_ADDRESSES: usize = 20;

/// The titles a customer may choose (or none): stored code and how forms show it.
pub const TITLES: &[(&str, &str)] = &[("mme", "Mme"), ("m", "M.")];

/// The address an account is known by: trimmed and lower-cased, one `@`, a dotted domain, no
/// spaces. Deliverability is proven by the confirmation link, not guessed here.
///
/// # Errors
/// [`InputError::Email`] when it does not look like an address.
pub fn normalize_email(input: &str) -> Result<String, InputError> {
    let email = input.trim().to_lowercase();
    let Some((local, domain)) = email.split_once('@') else {
        return Err(InputError::Email);
    };
    let valid = !local.is_empty()
        && local.chars().count() <= 64
        && email.chars().count() <= MAX_EMAIL_CHARS
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        Err(InputError::Email)
    }
}

/// The length rule (the server also refuses guessable passwords).
///
/// # Errors
/// [`InputError::PasswordTooShort`] or [`InputError::PasswordTooLong`].
pub fn check_password_length(password: &str) -> Result<(), InputError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(InputError::PasswordTooShort)
    } else if chars > MAX_PASSWORD_CHARS {
        Err(InputError::PasswordTooLong)
    } else {
        Ok(())
    }
}

/// A name: trimmed, 1 to [`MAX_NAME_CHARS`] characters, no control characters.
pub fn clean_name(input: &str) -> Option<String> {
    let name = input.trim();
    let chars = name.chars().count();
    ((1..=MAX_NAME_CHARS).contains(&chars) && !name.chars().any(char::is_control))
        .then(|| name.to_owned())
}

/// An optional referral code: empty means none; otherwise 4 to 32 letters, digits or dashes,
/// upper-cased.
///
/// # Errors
/// [`InputError::ReferralCode`] for anything else.
pub fn clean_referral_code(input: &str) -> Result<Option<String>, InputError> {
    let code = input.trim();
    if code.is_empty() {
        return Ok(None);
    }
    let valid = (4..=32).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(Some(code.to_ascii_uppercase()))
    } else {
        Err(InputError::ReferralCode)
    }
}

/// Where to go after signing in: only a path of this site (`/…`, not `//host`), else the account.
pub fn safe_next(next: Option<&str>) -> &str {
    local_path_or(next, "/account")
}

/// `next` when it is a path of this site (`/…`, not `//host`), else `fallback`. Browsers drop
/// tabs and line breaks from a URL before reading it (`/<tab>/evil` is `//evil` to them), so a
/// path with any control character or space is refused outright.
pub fn local_path_or<'a>(next: Option<&'a str>, fallback: &'a str) -> &'a str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            path
        }
        _ => fallback,
    }
}

/// An optional title: empty means none, else one of [`TITLES`].
///
/// # Errors
/// [`InputError::Title`] for anything else.
pub fn clean_title(input: &str) -> Result<Option<String>, InputError> {
    let code = input.trim();
    if code.is_empty() {
        return Ok(None);
    }
    TITLES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(c, _)| Some((*c).to_owned()))
        .ok_or(InputError::Title)
}

/// An optional phone number: empty means none; otherwise digits with the usual separators
/// (spaces, dots, dashes, brackets) and an optional leading `+`, 6 to 15 digits (E.164's
/// longest). Kept as typed, spaces collapsed.
///
/// # Errors
/// [`InputError::Phone`] for anything else.
pub fn clean_phone(input: &str) -> Result<Option<String>, InputError> {
    let phone = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if phone.is_empty() {
        return Ok(None);
    }
    let body = phone.strip_prefix('+').unwrap_or(&phone);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let valid = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')'))
        && (6..=15).contains(&digits);
    if valid {
        Ok(Some(phone))
    } else {
        Err(InputError::Phone)
    }
}

/// A required line of text (street, city): trimmed, 1 to [`MAX_LINE_CHARS`], no control
/// characters.
pub fn required_line(input: &str, error: InputError) -> Result<String, InputError> {
    optional_line(input, error)?.ok_or(error)
}

/// An optional line of text: empty means none.
pub fn optional_line(input: &str, error: InputError) -> Result<Option<String>, InputError> {
    let line = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return Ok(None);
    }
    if line.chars().count() > MAX_LINE_CHARS || line.chars().any(char::is_control) {
        return Err(error);
    }
    Ok(Some(line))
}

/// A postal code for `country`: five digits in France and its overseas departments (La Poste),
/// elsewhere 2 to 10 letters, digits, spaces or dashes, upper-cased.
///
/// # Errors
/// [`InputError::PostalCode`] otherwise, [`InputError::PostalCodeOf`] for a French code of
/// another territory.
pub fn clean_postal_code(country: Destination, input: &str) -> Result<String, InputError> {
    let code = input.trim().to_uppercase();
    let french = matches!(
        country.region(),
        Region::MetropolitanFrance | Region::Overseas
    );
    let valid = if french {
        code.len() == 5 && code.chars().all(|c| c.is_ascii_digit())
    } else {
        (2..=10).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    };
    if !valid {
        return Err(InputError::PostalCode);
    }
    if french {
        // 97… and 98… codes are overseas: the country decides the rate and the VAT, so it
        // must be the code's own territory.
        match Destination::of_french_postal_code(&code) {
            Some(territory) if territory == country => {}
            Some(territory) => return Err(InputError::PostalCodeOf(territory)),
            None => return Err(InputError::PostalCode),
        }
    }
    Ok(code)
}

pub use super::model::AddressInput;

/// An address that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanAddress {
    pub label: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: Destination,
    pub phone: Option<String>,
}

/// Checks every field of an address, the first problem first.
///
/// # Errors
/// The [`InputError`] of the first field refused.
pub fn clean_address(input: &AddressInput) -> Result<CleanAddress, InputError> {
    let country = Destination::parse(&input.country).ok_or(InputError::Country)?;
    Ok(CleanAddress {
        label: optional_line(&input.label, InputError::AddressLine)?,
        first_name: clean_name(&input.first_name).ok_or(InputError::FirstName)?,
        last_name: clean_name(&input.last_name).ok_or(InputError::LastName)?,
        company: optional_line(&input.company, InputError::AddressLine)?,
        line1: required_line(&input.line1, InputError::AddressLine)?,
        line2: optional_line(&input.line2, InputError::AddressLine)?,
        postal_code: clean_postal_code(country, &input.postal_code)?,
        city: required_line(&input.city, InputError::City)?,
        country,
        phone: clean_phone(&input.phone)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(
            normalize_email("  Marie.Curie@Exemple.FR ").as_deref(),
            Ok("marie.curie@exemple.fr")
        );
        for bad in [
            "",
            "marie",
            "@exemple.fr",
            "marie@",
            "marie@exemple",
            "marie@.fr",
            "marie@exemple.",
            "marie@@exemple.fr",
            "ma rie@exemple.fr",
            "marie@exemple..fr",
        ] {
            assert_eq!(normalize_email(bad), Err(InputError::Email), "{bad}");
        }
        let long = format!("{}@exemple.fr", "a".repeat(250));
        assert_eq!(normalize_email(&long), Err(InputError::Email));
    }

    #[test]
    fn passwords_need_8_to_128_characters() {
        assert_eq!(
            check_password_length("1234567"),
            Err(InputError::PasswordTooShort)
        );
        assert_eq!(check_password_length("éèàçùâêî"), Ok(()));
        assert_eq!(check_password_length(&"x".repeat(128)), Ok(()));
        assert_eq!(
            check_password_length(&"x".repeat(129)),
            Err(InputError::PasswordTooLong)
        );
    }

    #[test]
    fn next_paths_stay_on_this_site() {
        assert_eq!(safe_next(Some("/cart")), "/cart");
        assert_eq!(safe_next(Some("//evil.example")), "/account");
        assert_eq!(safe_next(Some("/\\evil.example")), "/account");
        assert_eq!(safe_next(Some("https://evil.example")), "/account");
        assert_eq!(safe_next(None), "/account");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/account");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/account");
        assert_eq!(safe_next(Some("/ /evil.example")), "/account");
        assert_eq!(safe_next(Some("/x\r\nSet-Cookie: a=b")), "/account");
    }

    #[test]
    fn names_and_codes_are_cleaned() {
        assert_eq!(clean_name("  Zoé ").as_deref(), Some("Zoé"));
        assert_eq!(clean_name("   "), None);
        assert_eq!(clean_name(&"a".repeat(81)), None);
        assert_eq!(clean_referral_code(" "), Ok(None));
        assert_eq!(
            clean_referral_code("ami-2026"),
            Ok(Some("AMI-2026".to_owned()))
        );
        assert_eq!(clean_referral_code("a b"), Err(InputError::ReferralCode));
    }

    #[test]
    fn profile_fields_are_cleaned_or_refused() {
        assert_eq!(clean_title(""), Ok(None));
        assert_eq!(clean_title("MME"), Ok(Some("mme".to_owned())));
        assert_eq!(clean_title("dr"), Err(InputError::Title));
        assert_eq!(clean_phone("  "), Ok(None));
        assert_eq!(
            clean_phone(" +33  6 12 34 56 78 "),
            Ok(Some("+33 6 12 34 56 78".to_owned()))
        );
        assert_eq!(
            clean_phone("06.12.34.56.78"),
            Ok(Some("06.12.34.56.78".to_owned()))
        );
        for bad in [
            "12345",
            "06 12 34 56 78 90 12 34",
            "06-12-AB",
            "++33612345678",
        ] {
            assert_eq!(clean_phone(bad), Err(InputError::Phone), "{bad}");
        }
    }

    #[test]
    fn addresses_follow_the_postal_rules_of_their_country() {
        let mut input = AddressInput {
            first_name: " Camille ".into(),
            last_name: "Martin".into(),
            line1: "12  rue des Lilas".into(),
            postal_code: "75011".into(),
            city: "Paris".into(),
            country: "fr".into(),
            ..AddressInput::default()
        };
        let clean = clean_address(&input).unwrap();
        assert_eq!(clean.first_name, "Camille");
        assert_eq!(clean.line1, "12 rue des Lilas");
        assert_eq!(clean.country, Destination::FRANCE);
        assert_eq!(clean.label, None);
        input.postal_code = "7501".into();
        assert_eq!(clean_address(&input), Err(InputError::PostalCode));
        assert_eq!(
            clean_postal_code(Destination::FRANCE, "97400"),
            Err(InputError::PostalCodeOf(Destination::parse("RE").unwrap()))
        );
        assert_eq!(
            clean_postal_code(Destination::parse("MQ").unwrap(), "97200"),
            Ok("97200".to_owned())
        );
        assert_eq!(
            clean_postal_code(Destination::FRANCE, "98400"),
            Err(InputError::PostalCode)
        );
        input.country = "BE".into();
        input.postal_code = "1000".into();
        assert_eq!(clean_address(&input).unwrap().postal_code, "1000");
        input.country = "XX".into();
        assert_eq!(clean_address(&input), Err(InputError::Country));
        input.country = "RE".into();
        input.postal_code = "97400".into();
        input.city = " ".into();
        assert_eq!(clean_address(&input), Err(InputError::City));
        input.city = "Saint-Denis".into();
        input.line1 = "x".repeat(MAX_LINE_CHARS + 1);
        assert_eq!(clean_address(&input), Err(InputError::AddressLine));
    }
}
