//! argon2id password hashing and the rules for usernames and passwords.
//!
//! These functions are CPU-heavy on purpose: callers in async code run them on a blocking thread.

use std::{cell::RefCell, sync::LazyLock};

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, Version,
    password_hash::{self, Output, ParamsString, Salt, SaltString, rand_core::OsRng},
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

thread_local! {
    /// argon2's working memory (19 MiB with the default parameters), allocated once per thread
    /// and reused by every hash on it. argon2 would otherwise allocate it for every hash, 64-byte
    /// aligned, and glibc before 2.38 (Debian 12 has 2.36) does not reuse freed aligned blocks of
    /// that size: the server grew by 19 MiB with every sign-in and sign-up (measured). Hashing
    /// runs on a fixed set of threads (the API's password hashers), so this bounds what hashing
    /// keeps to one block per thread.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// argon2 of `password` with `salt` into `out`, in this thread's reused working memory. Every
/// block is written before it is read, so what a previous hash left there changes nothing.
fn argon2_into(
    argon2: &Argon2<'_>,
    password: &[u8],
    salt: Salt<'_>,
    out: &mut [u8],
) -> password_hash::Result<()> {
    let mut raw = [0u8; Salt::MAX_LENGTH];
    let salt = salt.decode_b64(&mut raw)?;
    let blocks = argon2.params().block_count();
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() != blocks {
            *memory = vec![Block::default(); blocks];
        }
        argon2
            .hash_password_into_with_memory(password, salt, out, memory.as_mut_slice())
            .map_err(password_hash::Error::from)
    })
}

/// Hashes a password with argon2id and a random salt, in PHC string format.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let argon2 = Argon2::default();
    let hashed = (|| {
        let params = argon2.params();
        let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let output = Output::init_with(len, |out| {
            argon2_into(&argon2, password.as_bytes(), salt.as_salt(), out)
        })?;
        Ok::<_, password_hash::Error>(PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(params)?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        })
    })();
    hashed.map(|hash| hash.to_string()).map_err(Error::Hashing)
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
    let computed = (|| {
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Err(password_hash::Error::Password);
        };
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let params = Params::try_from(&parsed)?;
        let argon2 = Argon2::new(algorithm, version, params);
        let output = Output::init_with(expected.len(), |out| {
            argon2_into(&argon2, password.as_bytes(), salt, out)
        })?;
        // `Output`'s comparison takes constant time.
        Ok(output == expected)
    })();
    matches!(computed, Ok(true)) && known
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
    fn hashes_agree_with_argon2s_own_both_ways_with_reused_memory() {
        use argon2::{PasswordHasher, PasswordVerifier};
        // Several hashes on this thread: the later ones run in memory the earlier ones wrote.
        for password in ["correct horse battery", "another long password"] {
            let ours = hash_password(password).unwrap();
            let parsed = PasswordHash::new(&ours).unwrap();
            assert!(
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            );
            let salt = SaltString::generate(&mut OsRng);
            let theirs = Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .unwrap()
                .to_string();
            assert!(verify_password(password, Some(&theirs)));
            assert!(!verify_password("a wrong password!", Some(&theirs)));
        }
        // The same salt gives the same hash as argon2's own allocation.
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"same salt password", &salt)
            .unwrap();
        let argon2 = Argon2::default();
        let ours = Output::init_with(32, |out| {
            argon2_into(&argon2, b"same salt password", salt.as_salt(), out)
        })
        .unwrap();
        assert_eq!(Some(ours), theirs.hash);
        // Other parameters in a stored hash are honoured (and need other memory).
        let small = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(1024, 1, 1, None).unwrap(),
        )
        .hash_password(b"small memory password", &salt)
        .unwrap()
        .to_string();
        assert!(verify_password("small memory password", Some(&small)));
        assert!(!verify_password(
            "correct horse battery",
            Some("$argon2id$v=19$m=1024,t=1,p=1$bad")
        ));
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
