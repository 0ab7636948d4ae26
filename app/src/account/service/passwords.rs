//! Password hashing: Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), on threads of
//! its own so a burst of sign-ins never stalls the async runtime, one per core so that no more
//! run at once than the cores can compute, each thread hashing in the same 19 MiB it keeps.

use super::AccountError;
use crate::account::rules::{InputError, check_password_length};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;
use std::cell::RefCell;
use std::sync::LazyLock;

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m = 19,456 KiB, t = 2, p = 1.
    let params = Params::new(19_456, 2, 1, None).expect("OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

thread_local! {
    /// This thread's Argon2 memory, kept from one hash to the next. `Argon2::hash_password`
    /// allocates and frees 19 MiB per call, and glibc kept each freed block apart: measured,
    /// 40 sign-ins one after the other took the process from 63 to 444 MB, even on two threads.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 of `password` and `salt` into `out`, in this thread's memory. Every block is written
/// before it is read, so what the memory held before does not matter.
fn compute(
    argon2: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    BLOCKS.with_borrow_mut(|blocks| {
        let needed = argon2.params().block_count();
        if blocks.len() != needed {
            *blocks = vec![Block::default(); needed];
        }
        argon2.hash_password_into_with_memory(password, salt, out, &mut blocks[..])
    })
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let encoded = SaltString::encode_b64(&salt)?;
    let argon2 = argon2();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(&argon2, password.as_bytes(), &salt, &mut out)?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon2.params())?,
        salt: Some(encoded.as_salt()),
        hash: Some(Output::new(&out)?),
    }
    .to_string())
}

/// Whether `password` hashes to `stored` (a PHC string), with the algorithm, version and
/// parameters `stored` names; the comparison takes the same time wherever the hashes differ.
fn matches(password: &str, stored: &str) -> Result<bool, argon2::password_hash::Error> {
    let parsed = PasswordHash::new(stored)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Ok(false);
    };
    let algorithm = Algorithm::try_from(parsed.algorithm)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let argon2 = Argon2::new(algorithm, version, Params::try_from(&parsed)?);
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    let mut out = vec![0u8; expected.len()];
    compute(&argon2, password.as_bytes(), salt, &mut out)?;
    // `Output`'s equality is constant-time.
    Ok(Output::new(&out)? == expected)
}

/// A hash nobody's password matches, verified when an address has no account so that the
/// answer takes as long as for a real one.
static DECOY: LazyLock<String> = LazyLock::new(|| {
    let mut random = [0u8; 32];
    rand::rng().fill_bytes(&mut random);
    hash_now(&format!("{random:?}")).expect("hashing a random password")
});

/// A job for the hashing threads.
type Job = Box<dyn FnOnce() + Send>;

/// The threads Argon2 runs on: one per core, each taking the next job as it finishes the last.
/// A fixed few threads, rather than tokio's blocking pool (up to 512 threads, each of which
/// would keep its 19 MiB): at most that many hashes run at once, in that many blocks of memory.
static HASHERS: LazyLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (jobs, queue) = std::sync::mpsc::channel::<Job>();
    let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
    for n in 0..std::thread::available_parallelism().map_or(2, usize::from) {
        let queue = queue.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("argon2-{n}"))
            .spawn(move || {
                loop {
                    // The lock is held only while waiting for the next job, not while running it.
                    let next = queue
                        .lock()
                        .map_err(|_| ())
                        .and_then(|q| q.recv().map_err(|_| ()));
                    match next {
                        // A job that panics loses its answer (the caller sees an error), not
                        // the thread.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(()) => return,
                    }
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "could not start a password hashing thread");
        }
    }
    std::sync::Mutex::new(jobs)
});

/// Runs `work` (an Argon2 computation) on one of the hashing threads once one is free.
async fn on_a_core<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AccountError> {
    let (done, answer) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    HASHERS
        .lock()
        .map_err(|e| AccountError::Internal(e.to_string()))?
        .send(job)
        .map_err(|e| AccountError::Internal(e.to_string()))?;
    answer
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
        real && matches(&password, &stored).unwrap_or(false)
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

    /// The hashes stored before hashing moved to kept memory (the crate's own hasher) still
    /// verify, and the crate's verifier accepts the new ones: same PHC strings both ways.
    #[tokio::test]
    async fn hashes_match_the_crates_own() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let salt = SaltString::encode_b64(b"sel-de-seize-oct").unwrap();
        let theirs = argon2()
            .hash_password(b"vert-galet-lune-38", &salt)
            .unwrap()
            .to_string();
        assert!(verify("vert-galet-lune-38".into(), Some(theirs.clone())).await);
        assert!(!verify("vert-galet-lune-37".into(), Some(theirs)).await);
        // Other parameters (a hash made with a smaller memory) verify with their own.
        let small = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8_192, 3, 1, None).unwrap(),
        )
        .hash_password(b"vert-galet-lune-38", &salt)
        .unwrap()
        .to_string();
        assert!(verify("vert-galet-lune-38".into(), Some(small)).await);
        let ours = hash("vert-galet-lune-38".into()).await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            argon2()
                .verify_password(b"vert-galet-lune-38", &parsed)
                .is_ok()
        );
        assert!(
            argon2()
                .verify_password(b"vert-galet-lune-39", &parsed)
                .is_err()
        );
    }
}
