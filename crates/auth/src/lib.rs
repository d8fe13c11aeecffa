//! Password hashing, access tokens and OpenID Connect.
