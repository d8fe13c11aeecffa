//! Files a program hands back (`/box/out/`, matplotlib figures): what the execution object
//! lists about each one. The bytes live in the store, served by their own route.

use serde::{Deserialize, Serialize};

/// One file a run handed back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ArtifactInfo {
    /// Sanitised file name (letters, digits, `.`, `-`, `_`), unique within the execution.
    pub name: String,
    /// From the name's extension; `application/octet-stream` when unknown.
    pub media_type: String,
    pub size_bytes: u64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
}

/// Extensions and their media types. Anything else is `application/octet-stream`.
const MEDIA_TYPES: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("svg", "image/svg+xml"),
    ("pdf", "application/pdf"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("txt", "text/plain"),
    ("log", "text/plain"),
    ("md", "text/markdown"),
    ("json", "application/json"),
];

/// The media type of a file called `name`, by its extension.
pub fn media_type_for(name: &str) -> &'static str {
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    extension
        .and_then(|ext| MEDIA_TYPES.iter().find(|(known, _)| *known == ext))
        .map_or("application/octet-stream", |(_, media_type)| media_type)
}

/// Longest artifact name (the sandbox's collector keeps names this short).
pub const MAX_ARTIFACT_NAME_BYTES: usize = 100;

/// Whether `name` is one the collector can produce: letters, digits, `.`, `-` and `_`, not
/// starting with a dot, at most [`MAX_ARTIFACT_NAME_BYTES`]. Anything else names no artifact.
pub fn is_artifact_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_ARTIFACT_NAME_BYTES
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// Raster images a browser may show inline: they cannot carry script. SVG can, so it is not
/// one of them.
pub fn is_inline_image(media_type: &str) -> bool {
    matches!(
        media_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_come_from_the_extension_and_svg_is_not_inline() {
        assert_eq!(media_type_for("figure-1.png"), "image/png");
        assert_eq!(media_type_for("DATA.CSV"), "text/csv");
        assert_eq!(media_type_for("page.html"), "application/octet-stream");
        assert_eq!(media_type_for("noextension"), "application/octet-stream");
        assert!(is_inline_image("image/png"));
        assert!(!is_inline_image("image/svg+xml"));
        assert!(is_artifact_name("figure-1.png"));
        for bad in ["", "..", ".hidden", "a/b", "a%2Fb", "a b", "x\n"] {
            assert!(!is_artifact_name(bad), "{bad:?}");
        }
    }
}
