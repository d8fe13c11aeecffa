//! API keys for programs and scripts: `crk_<prefix>_<secret>`. The prefix finds the key in the
//! store; only a SHA-256 of the whole key is kept, and it is compared in constant time.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Every API key starts with this, so it is recognisable in logs and secret scanners.
pub const API_KEY_PREFIX: &str = "crk_";
const PREFIX_BYTES: usize = 6;
const SECRET_BYTES: usize = 24;

/// A freshly generated key: the full text is shown once to its owner, then only the hash is kept.
#[derive(Debug)]
pub struct ApiKeySecret {
    pub full: String,
    pub prefix: String,
    pub hash: String,
}

impl ApiKeySecret {
    pub fn generate() -> Self {
        let mut prefix = [0u8; PREFIX_BYTES];
        let mut secret = [0u8; SECRET_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut prefix);
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let prefix = hex(&prefix);
        let full = format!(
            "{API_KEY_PREFIX}{prefix}_{}",
            URL_SAFE_NO_PAD.encode(secret)
        );
        let hash = Self::hash(&full);
        Self { full, prefix, hash }
    }

    /// The lookup prefix of a presented key, or None if it is not shaped like one of ours.
    pub fn prefix_of(presented: &str) -> Option<&str> {
        let rest = presented.strip_prefix(API_KEY_PREFIX)?;
        let (prefix, secret) = rest.split_once('_')?;
        (prefix.len() == PREFIX_BYTES * 2 && !secret.is_empty()).then_some(prefix)
    }

    pub fn hash(full: &str) -> String {
        hex(&Sha256::digest(full.as_bytes()))
    }

    /// Whether `presented` is the key whose hash is `stored`, compared in constant time.
    pub fn verify(presented: &str, stored: &str) -> bool {
        let computed = Self::hash(presented);
        computed.len() == stored.len()
            && computed
                .bytes()
                .zip(stored.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_verifies_against_its_hash_only() {
        let key = ApiKeySecret::generate();
        assert!(key.full.starts_with("crk_"));
        assert_eq!(
            ApiKeySecret::prefix_of(&key.full),
            Some(key.prefix.as_str())
        );
        assert!(ApiKeySecret::verify(&key.full, &key.hash));
        let other = ApiKeySecret::generate();
        assert!(!ApiKeySecret::verify(&other.full, &key.hash));
    }

    #[test]
    fn tokens_that_are_not_keys_have_no_prefix() {
        assert_eq!(ApiKeySecret::prefix_of("eyJhbGciOi.x.y"), None);
        assert_eq!(ApiKeySecret::prefix_of("crk_short_x"), None);
        assert_eq!(ApiKeySecret::prefix_of("crk_0123456789ab_"), None);
    }
}
