//! Account input rules, the same in the browser and on the server.

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
}

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
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control) =>
        {
            path
        }
        _ => "/account",
    }
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
}
