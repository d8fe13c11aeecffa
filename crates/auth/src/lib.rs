//! Authentication building blocks: argon2id password hashing, HS256 access tokens signed with a
//! key generated on first start, API keys, and the rules a username and password must follow.
//!
//! It knows nothing of HTTP or databases: the API crate decides where tokens come from and the
//! store keeps users; this crate only hashes, signs and verifies.

mod api_key;
mod error;
mod invitation;
mod oidc;
mod password;
mod signing_key;
mod token;

#[cfg(feature = "testing")]
pub mod testing;

pub use api_key::{API_KEY_PREFIX, ApiKeySecret};
pub use error::{Error, Result};
pub use invitation::{INVITATION_PREFIX, InvitationCode, MAX_INVITATION_BYTES};
pub use oidc::{OidcError, OidcIdentity, OidcProvider, OidcSettings, OidcVerifier};
pub use password::{
    MAX_PASSWORD_BYTES, check_password_length, hash_password, validate_password, validate_username,
    verify_password,
};
pub use signing_key::load_or_create_signing_key;
pub use token::{Claims, TokenIssuer, TokenKind, TokenSettings};
