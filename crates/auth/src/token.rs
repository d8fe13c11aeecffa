//! Access and refresh tokens: HS256 JWTs issued by this server.
//!
//! Only HS256 is accepted when verifying our own tokens, so `alg: none` and algorithm-confusion
//! tokens fail. Expiry, not-before, issuer and audience are always checked.

use std::time::Duration;

use chrono::Utc;
use code_remote_core::UserId;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretSlice};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Result;

/// What a token is for: calling the API, or getting a new access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Access,
    Refresh,
}

/// The claims of our tokens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: UserId,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    /// Unique id, so one token can be revoked.
    pub jti: String,
    /// The user's token version when issued; bumping it in the store revokes every older token.
    pub ver: i64,
    pub kind: TokenKind,
}

/// Lifetimes and names for issued tokens.
#[derive(Clone, Debug)]
pub struct TokenSettings {
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// Tolerated clock difference when checking `exp` and `nbf`.
    pub leeway: Duration,
}

impl Default for TokenSettings {
    fn default() -> Self {
        Self {
            issuer: "code-remote".into(),
            audience: "code-remote".into(),
            access_ttl: Duration::from_secs(60 * 60),
            refresh_ttl: Duration::from_secs(30 * 24 * 60 * 60),
            leeway: Duration::from_secs(30),
        }
    }
}

/// Signs and verifies our tokens with one secret key.
pub struct TokenIssuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    settings: TokenSettings,
}

impl std::fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenIssuer")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl TokenIssuer {
    pub fn new(key: &SecretSlice<u8>, settings: TokenSettings) -> Self {
        Self {
            encoding: EncodingKey::from_secret(key.expose_secret()),
            decoding: DecodingKey::from_secret(key.expose_secret()),
            settings,
        }
    }

    pub fn settings(&self) -> &TokenSettings {
        &self.settings
    }

    /// Issues a token of `kind` for `user`, returning it with its claims.
    pub fn issue(
        &self,
        user: UserId,
        token_version: i64,
        kind: TokenKind,
    ) -> Result<(String, Claims)> {
        let now = Utc::now().timestamp();
        let ttl = match kind {
            TokenKind::Access => self.settings.access_ttl,
            TokenKind::Refresh => self.settings.refresh_ttl,
        };
        let claims = Claims {
            sub: user,
            iss: self.settings.issuer.clone(),
            aud: self.settings.audience.clone(),
            iat: now,
            nbf: now,
            exp: now + ttl.as_secs() as i64,
            jti: Uuid::new_v4().to_string(),
            ver: token_version,
            kind,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, claims))
    }

    /// Verifies signature, algorithm, expiry, not-before, issuer and audience. The caller still
    /// checks `kind`, revocation and the user's state.
    pub fn verify(&self, token: &str) -> Result<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = self.settings.leeway.as_secs();
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        Ok(jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)?.claims)
    }
}

#[cfg(test)]
mod tests {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

    use super::*;

    fn issuer() -> TokenIssuer {
        TokenIssuer::new(&vec![7u8; 64].into(), TokenSettings::default())
    }

    #[test]
    fn an_issued_token_verifies_with_its_claims() {
        let issuer = issuer();
        let user = UserId::new();
        let (token, claims) = issuer.issue(user, 3, TokenKind::Access).unwrap();
        let verified = issuer.verify(&token).unwrap();
        assert_eq!(verified, claims);
        assert_eq!(verified.sub, user);
        assert_eq!(verified.ver, 3);
    }

    #[test]
    fn a_token_signed_with_another_key_is_rejected() {
        let other = TokenIssuer::new(&vec![8u8; 64].into(), TokenSettings::default());
        let (token, _) = other.issue(UserId::new(), 0, TokenKind::Access).unwrap();
        assert!(issuer().verify(&token).is_err());
    }

    #[test]
    fn an_alg_none_token_is_rejected() {
        let (token, _) = issuer().issue(UserId::new(), 0, TokenKind::Access).unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(issuer().verify(&format!("{header}.{payload}.")).is_err());
    }

    #[test]
    fn a_tampered_payload_is_rejected() {
        let (token, claims) = issuer().issue(UserId::new(), 0, TokenKind::Access).unwrap();
        let parts: Vec<_> = token.split('.').collect();
        let mut forged = claims.clone();
        forged.sub = UserId::new();
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        assert!(
            issuer()
                .verify(&format!("{}.{payload}.{}", parts[0], parts[2]))
                .is_err()
        );
    }

    #[test]
    fn expired_and_not_yet_valid_tokens_are_rejected() {
        let issuer = issuer();
        let (_, claims) = issuer.issue(UserId::new(), 0, TokenKind::Access).unwrap();
        let expired = Claims {
            exp: claims.iat - 120,
            ..claims.clone()
        };
        let future = Claims {
            nbf: claims.iat + 3600,
            ..claims
        };
        for forged in [expired, future] {
            let token =
                jsonwebtoken::encode(&Header::new(Algorithm::HS256), &forged, &issuer.encoding)
                    .unwrap();
            assert!(issuer.verify(&token).is_err());
        }
    }

    #[test]
    fn wrong_issuer_or_audience_is_rejected() {
        let issuer = issuer();
        let (_, claims) = issuer.issue(UserId::new(), 0, TokenKind::Access).unwrap();
        for forged in [
            Claims {
                iss: "someone-else".into(),
                ..claims.clone()
            },
            Claims {
                aud: "other-app".into(),
                ..claims.clone()
            },
        ] {
            let token =
                jsonwebtoken::encode(&Header::new(Algorithm::HS256), &forged, &issuer.encoding)
                    .unwrap();
            assert!(issuer.verify(&token).is_err());
        }
    }
}
