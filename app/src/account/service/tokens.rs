//! Single-use links: 256 random bits, sent once by email; the database keeps only their SHA-256,
//! so a leaked table opens no account.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

crate::codes::coded! {
    /// What a token is for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Purpose {
        /// Confirms the address given at sign-up.
        Verify = "verify",
        /// Sets a new password.
        Reset = "reset",
        /// Moves the account to the new address it was sent to (kept in the token's payload).
        ChangeEmail = "change_email",
    }
}

impl Purpose {
    /// How long a link stays valid.
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            Purpose::Verify => chrono::Duration::hours(48),
            Purpose::Reset => chrono::Duration::hours(1),
            Purpose::ChangeEmail => chrono::Duration::hours(24),
        }
    }
}

/// A fresh token (to send) and its hash (to store).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of `token`.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_a, token_hash(&a));
        assert_eq!(hash_a.len(), 64);
        assert!(!hash_a.contains(&a));
    }
}
