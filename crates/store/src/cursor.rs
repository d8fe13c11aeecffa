//! Opaque pagination cursors for job lists: the position (created_at, id) of the last item
//! of a page, base64url-encoded. Clients must treat them as opaque.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use code_remote_core::JobId;
use uuid::Uuid;

use crate::{Error, Result};

pub(crate) fn encode(created_at: DateTime<Utc>, id: JobId) -> String {
    URL_SAFE_NO_PAD.encode(format!(
        "{}.{}",
        created_at.timestamp_micros(),
        id.0.simple()
    ))
}

pub(crate) fn decode(cursor: &str) -> Result<(DateTime<Utc>, JobId)> {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| Error::BadCursor)?;
    let text = String::from_utf8(bytes).map_err(|_| Error::BadCursor)?;
    let (micros, id) = text.split_once('.').ok_or(Error::BadCursor)?;
    let micros: i64 = micros.parse().map_err(|_| Error::BadCursor)?;
    let created_at = DateTime::from_timestamp_micros(micros).ok_or(Error::BadCursor)?;
    let id = Uuid::try_parse(id).map_err(|_| Error::BadCursor)?;
    Ok((created_at, JobId(id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_decodes_to_the_position_it_encodes() {
        let at = DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap();
        let id = JobId::new();
        assert_eq!(decode(&encode(at, id)).unwrap(), (at, id));
    }

    #[test]
    fn garbage_cursors_are_rejected() {
        for bad in [
            "",
            "!!!",
            "bm90LWEtY3Vyc29y",
            &URL_SAFE_NO_PAD.encode("12.not-a-uuid"),
        ] {
            assert!(
                matches!(decode(bad), Err(Error::BadCursor)),
                "{bad:?} was accepted"
            );
        }
    }
}
