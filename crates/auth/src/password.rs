//! argon2id password hashing and the rules for usernames and passwords.
//!
//! These functions are CPU-heavy on purpose: callers in async code run them on a blocking thread.

use std::sync::LazyLock;

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

use crate::{Error, Result};

/// Shortest password accepted. Length is what makes a password strong; character-class rules
/// are not used (NIST SP 800-63B).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted, bounding the hashing work one request can cause.
pub const MAX_PASSWORD_BYTES: usize = 1024;
const MIN_USERNAME: usize = 3;
const MAX_USERNAME: usize = 32;

/// Verified against when the user does not exist, so an unknown username takes as long as a
/// wrong password (no timing oracle for account enumeration).
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_password("dummy password that never matches").expect("hashing a constant works")
});

/// Hashes a password with argon2id and a random salt, in PHC string format.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(Error::Hashing)
}

/// Checks a password against a stored hash; with no hash (unknown user or an account without a
/// password) it still does the full work and answers false.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    let (hash, known) = match stored {
        Some(hash) => (hash, true),
        None => (DUMMY_HASH.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    matches && known
}

/// Passwords: at least 10 characters, at most 1 KiB, not only whitespace.
pub fn validate_password(password: &str) -> Result<()> {
    check_password_length(password)?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::Rule(format!(
            "password must be at least {MIN_PASSWORD_CHARS} characters long"
        )));
    }
    if password.trim().is_empty() {
        return Err(Error::Rule("password must not be only spaces".into()));
    }
    Ok(())
}

/// Only the upper bound of [`validate_password`], for signing in: an existing password is never
/// judged by today's strength rules, but no request may make the server hash a huge one.
pub fn check_password_length(password: &str) -> Result<()> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::Rule(format!(
            "password must be at most {MAX_PASSWORD_BYTES} bytes long"
        )));
    }
    Ok(())
}

/// Usernames: 3–32 characters of ASCII letters, digits, `.`, `_` and `-`, starting with a letter
/// or digit.
pub fn validate_username(username: &str) -> Result<()> {
    // Bytes, not characters, and before anything else looks at it: the length check must cost
    // nothing however long the input (A1). Valid usernames are ASCII, so bytes = characters.
    let len = username.len();
    if !(MIN_USERNAME..=MAX_USERNAME).contains(&len) {
        return Err(Error::Rule(format!(
            "username must be {MIN_USERNAME} to {MAX_USERNAME} characters long"
        )));
    }
    let valid_chars = username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    let valid_start = username
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid_chars || !valid_start {
        return Err(Error::Rule(
            "username may contain only letters, digits, '.', '_' and '-', and must start with a letter or digit".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("correct horse batterz", Some(&hash)));
    }

    #[test]
    fn an_unknown_user_never_verifies() {
        assert!(!verify_password("dummy password that never matches", None));
    }

    #[test]
    fn password_rules_are_about_length() {
        assert!(validate_password("short").is_err());
        assert!(validate_password("          ").is_err());
        assert!(validate_password(&"x".repeat(2000)).is_err());
        assert!(validate_password("all lowercase but long").is_ok());
    }

    #[test]
    fn usernames_are_checked() {
        assert!(validate_username("alice").is_ok());
        assert!(validate_username("a.b-c_9").is_ok());
        assert!(validate_username("al").is_err());
        assert!(validate_username("-alice").is_err());
        assert!(validate_username("al ice").is_err());
        assert!(validate_username("ålice").is_err());
        assert!(validate_username(&"a".repeat(33)).is_err());
        assert!(validate_username(&"a".repeat(32)).is_ok());
        assert!(validate_username("åå").is_err(), "4 bytes but not ASCII");
    }
}
