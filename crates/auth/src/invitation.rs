//! Invitation codes: `cri_<secret>`, shown once to whoever invites; only a SHA-256 of the code
//! is stored, and a presented code is looked up by that hash.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Every invitation code starts with this, so it is recognisable (and not an API key).
pub const INVITATION_PREFIX: &str = "cri_";
const SECRET_BYTES: usize = 18;
/// Longest code worth hashing; anything longer is not one of ours.
pub const MAX_INVITATION_BYTES: usize = 64;

/// A fresh code and the hash to store.
#[derive(Debug)]
pub struct InvitationCode {
    pub code: String,
    pub hash: String,
}

impl InvitationCode {
    pub fn generate() -> Self {
        let mut secret = [0u8; SECRET_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let code = format!("{INVITATION_PREFIX}{}", URL_SAFE_NO_PAD.encode(secret));
        let hash = Self::hash(&code);
        Self { code, hash }
    }

    /// The stored form of a presented code. No constant-time comparison is needed: the
    /// database finds the row by this hash, and the hash of a guess says nothing about a code.
    pub fn hash(code: &str) -> String {
        Sha256::digest(code.trim().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_hash_to_what_is_stored() {
        let (a, b) = (InvitationCode::generate(), InvitationCode::generate());
        assert_ne!(a.code, b.code);
        assert!(a.code.starts_with(INVITATION_PREFIX));
        assert!(a.code.len() <= MAX_INVITATION_BYTES);
        assert_eq!(InvitationCode::hash(&a.code), a.hash);
        assert_ne!(a.hash, b.hash);
    }
}
