//! Password hashing: Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), always on a
//! blocking thread so a burst of sign-ins never stalls the async runtime, and never more at once
//! than there are cores: each check holds 19 MiB, and a burst of sign-ins must wait its turn
//! rather than take the memory of as many blocking threads as tokio would start (512).

use super::AccountError;
use crate::account::rules::{InputError, check_password_length};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use std::sync::LazyLock;

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m = 19,456 KiB, t = 2, p = 1.
    let params = Params::new(19_456, 2, 1, None).expect("OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// A hash nobody's password matches, verified when an address has no account so that the
/// answer takes as long as for a real one.
static DECOY: LazyLock<String> = LazyLock::new(|| {
    let mut random = [0u8; 32];
    rand::rng().fill_bytes(&mut random);
    hash_now(&format!("{random:?}")).expect("hashing a random password")
});

/// Argon2 runs at once: one per core (more would only queue on the cores and hold memory).
static HASHING: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from))
});

/// Runs `work` (an Argon2 computation) on a blocking thread once a core is free for it.
async fn on_a_core<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AccountError> {
    let _turn = HASHING
        .acquire()
        .await
        .map_err(|e| AccountError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AccountError::Internal(e.to_string()))
}

/// Hashes `password` (PHC string).
///
/// # Errors
/// [`AccountError::Internal`] if the hasher or its thread fails.
pub async fn hash(password: String) -> Result<String, AccountError> {
    on_a_core(move || hash_now(&password))
        .await?
        .map_err(|e| AccountError::Internal(e.to_string()))
}

/// Whether `password` matches `stored`; with no stored hash, a decoy is checked (same cost) and
/// the answer is no.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    on_a_core(move || {
        let real = stored.is_some();
        let stored = stored.unwrap_or_else(|| DECOY.clone());
        let matches = PasswordHash::new(&stored).is_ok_and(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        real && matches
    })
    .await
    .unwrap_or(false)
}

/// Warms the decoy hash (at start-up, so the first unknown address is not slower).
pub fn warm_up() {
    LazyLock::force(&DECOY);
}

/// The password rules: 8 to 128 characters, and not guessable. Guessability is zxcvbn's score
/// (dictionaries of common passwords, names, keyboard walks, dates, l33t), with the shopper's own
/// address and names counted as known words: a score under 2 (fewer than 10⁶ guesses) is
/// refused. zxcvbn still rates a few personal words glued together as strong ("camille.martin"),
/// so a password that is little more than the shopper's own names and address is refused too.
///
/// # Errors
/// The [`InputError`] to show next to the field.
pub fn check_password(password: &str, known: &[&str]) -> Result<(), InputError> {
    check_password_length(password)?;
    let entropy = zxcvbn::zxcvbn(password, known);
    if u8::from(entropy.score()) < 2 || mostly_personal(password, known) {
        return Err(InputError::PasswordTooCommon);
    }
    Ok(())
}

/// Whether fewer than 6 letters or digits remain once every personal word (3 letters or more:
/// names, the parts of the address before `@`) is taken out of `password`.
fn mostly_personal(password: &str, known: &[&str]) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut words: Vec<String> = known
        .iter()
        .flat_map(|k| {
            let local = k.split('@').next().unwrap_or_default();
            std::iter::once(squash(local))
                .chain(local.split(['.', '_', '-', '+', ' ', '\'']).map(squash))
        })
        .filter(|w| w.chars().count() >= 3)
        .collect();
    // Longest first, so a whole address part goes before the names inside it.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut rest = squash(password);
    for word in &words {
        rest = rest.replace(word.as_str(), "");
    }
    rest.chars().count() < 6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_personal_passwords_are_refused() {
        for weak in [
            "password",
            "password123",
            "azertyuiop",
            "motdepasse",
            "12345678",
            "qwerty123",
            "soleil2024",
        ] {
            assert_eq!(
                check_password(weak, &[]),
                Err(InputError::PasswordTooCommon),
                "{weak}"
            );
        }
        assert_eq!(
            check_password(
                "camille.martin",
                &["camille", "martin", "camille.martin@exemple.fr"]
            ),
            Err(InputError::PasswordTooCommon)
        );
        let me = ["camille.martin@exemple.fr", "Camille", "Martin"];
        for personal in ["Martin-Camille-1987", "camillemartin!", "CAMILLE_martin_75"] {
            assert_eq!(
                check_password(personal, &me),
                Err(InputError::PasswordTooCommon),
                "{personal}"
            );
        }
        assert_eq!(check_password("camille-vert-galet-lune", &me), Ok(()));
        assert_eq!(
            check_password("short", &[]),
            Err(InputError::PasswordTooShort)
        );
        assert_eq!(check_password("vert-galet-lune-38", &[]), Ok(()));
    }

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let stored = hash("vert-galet-lune-38".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("vert-galet-lune-38".into(), Some(stored.clone())).await);
        assert!(!verify("vert-galet-lune-39".into(), Some(stored)).await);
        assert!(!verify("anything".into(), None).await);
    }
}
