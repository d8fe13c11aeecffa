//! The HS256 signing key: generated on first start into the data directory with mode 0600, or
//! read from a file an operator provides (the same file on every API node).

use std::{fs, io::Write, os::unix::fs::OpenOptionsExt, path::Path};

use base64::{Engine, engine::general_purpose::STANDARD};
use rand::RngCore;
use secrecy::SecretSlice;

use crate::{Error, Result};

const KEY_BYTES: usize = 64;
const MIN_KEY_BYTES: usize = 32;

/// Reads the key at `path`, creating it with fresh random bytes (mode 0600) if it does not exist.
/// The file holds the key in base64; surrounding whitespace is ignored.
pub fn load_or_create_signing_key(path: &Path) -> Result<SecretSlice<u8>> {
    let io_err = |source| Error::KeyFile {
        path: path.display().to_string(),
        source,
    };
    match fs::read_to_string(path) {
        Ok(text) => {
            let key = STANDARD
                .decode(text.trim())
                .unwrap_or_else(|_| text.trim().as_bytes().to_vec());
            if key.len() < MIN_KEY_BYTES {
                return Err(Error::KeyTooShort {
                    path: path.display().to_string(),
                    len: key.len(),
                    min: MIN_KEY_BYTES,
                });
            }
            Ok(key.into())
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let mut key = vec![0u8; KEY_BYTES];
            rand::rngs::OsRng.fill_bytes(&mut key);
            // create_new: never overwrite a key another process wrote in the meantime.
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(io_err)?;
            file.write_all(STANDARD.encode(&key).as_bytes())
                .map_err(io_err)?;
            file.sync_all().map_err(io_err)?;
            Ok(key.into())
        }
        Err(err) => Err(io_err(err)),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn a_new_key_is_private_and_stable_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jwt.key");
        let first = load_or_create_signing_key(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let second = load_or_create_signing_key(&path).unwrap();
        assert_eq!(first.expose_secret(), second.expose_secret());
        assert_eq!(first.expose_secret().len(), KEY_BYTES);
    }

    #[test]
    fn a_short_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jwt.key");
        fs::write(&path, "c2hvcnQ=").unwrap();
        assert!(matches!(
            load_or_create_signing_key(&path),
            Err(Error::KeyTooShort { .. })
        ));
    }
}
