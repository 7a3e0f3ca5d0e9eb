//! Tokens (R-9.1, R-10.7): short-lived JWT access tokens (HS256 with the platform's key) and opaque refresh tokens,
//! of which only a SHA-256 is stored.

use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Access tokens never live longer than this (the issue: at most 15 minutes).
pub const MAX_ACCESS_TTL_SECONDS: i64 = 15 * 60;
const ISSUER: &str = "credit-platform";
const CLIENT_KIND: &str = "client";

/// What an access token says. Everything else about the caller is read from the database on every request,
/// so a deactivation or password change takes effect at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// The user's token version when issued; bumped by password changes and deactivation.
    pub ver: i32,
    /// The session (refresh-token family) the token belongs to; logging out ends it.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    /// `client` for an external system's token; absent for a user's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A client token's scopes (space-separated): what it asked for at `/auth/token`, within what the client holds
    /// (RFC 6749 §3.3). The client's stored scopes still bound it at every request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl Claims {
    pub fn new(user_id: &str, token_version: i32, session_id: &str, now: DateTime<Utc>, ttl_seconds: i64) -> Self {
        let ttl = ttl_seconds.clamp(1, MAX_ACCESS_TTL_SECONDS);
        Claims {
            sub: user_id.to_owned(),
            ver: token_version,
            sid: session_id.to_owned(),
            iat: now.timestamp(),
            exp: now.timestamp() + ttl,
            iss: ISSUER.to_owned(),
            kind: None,
            scope: None,
        }
    }

    /// A token for API client `client_id` (the client's row id) limited to `scope`.
    pub fn for_client(client_id: &str, scope: &str, now: DateTime<Utc>, ttl_seconds: i64) -> Self {
        Claims {
            kind: Some(CLIENT_KIND.to_owned()),
            scope: Some(scope.to_owned()),
            ..Claims::new(client_id, 0, "", now, ttl_seconds)
        }
    }

    pub fn is_client(&self) -> bool {
        self.kind.as_deref() == Some(CLIENT_KIND)
    }
}

pub fn sign(claims: &Claims, key: &[u8]) -> Result<String, jsonwebtoken::errors::Error> {
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(key))
}

/// Verifies signature (HS256 only: `none` and every other algorithm are refused), issuer and expiry (no leeway).
pub fn verify(token: &str, key: &[u8]) -> Result<Claims, jsonwebtoken::errors::Error> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_issuer(&[ISSUER]);
    validation.set_required_spec_claims(&["exp", "iat", "sub", "iss"]);
    Ok(decode::<Claims>(token, &DecodingKey::from_secret(key), &validation)?.claims)
}

/// A new opaque refresh token (256 random bits, base64url).
pub fn new_refresh_token() -> Result<String, getrandom::Error> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored of a refresh token: its SHA-256 (the token has full entropy, so no salt or slow hash is needed).
pub fn refresh_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Equality of two secrets' hashes in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef-test-key";

    fn claims() -> Claims {
        Claims::new("u-1", 3, "s-1", Utc::now(), 600)
    }

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    #[test]
    fn r9_round_trip_and_ttl_cap() {
        let c = claims();
        assert_eq!(verify(&sign(&c, KEY).unwrap(), KEY).unwrap(), c);
        let long = Claims::new("u", 0, "s", Utc::now(), 86_400);
        assert_eq!(long.exp - long.iat, MAX_ACCESS_TTL_SECONDS);
    }

    #[test]
    fn r9_forged_tokens_are_refused() {
        let token = sign(&claims(), KEY).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        // alg none, no signature.
        let none = format!("{}.{}.", b64(br#"{"alg":"none","typ":"JWT"}"#), parts[1]);
        assert!(verify(&none, KEY).is_err());
        // Payload changed, signature kept.
        let mut forged = claims();
        forged.sub = "admin".into();
        let tampered = format!("{}.{}.{}", parts[0], b64(&serde_json::to_vec(&forged).unwrap()), parts[2]);
        assert!(verify(&tampered, KEY).is_err());
        // Another key.
        assert!(verify(&sign(&claims(), b"another-key-another-key-another-key!!").unwrap(), KEY).is_err());
        // Expired.
        let expired = Claims::new("u", 0, "s", Utc::now() - chrono::Duration::minutes(30), 600);
        assert!(verify(&sign(&expired, KEY).unwrap(), KEY).is_err());
        // HS384 with the same key is still refused: one algorithm only.
        let hs384 = encode(&Header::new(Algorithm::HS384), &claims(), &EncodingKey::from_secret(KEY)).unwrap();
        assert!(verify(&hs384, KEY).is_err());
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_hashed() {
        let a = new_refresh_token().unwrap();
        let b = new_refresh_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(refresh_token_hash(&a).len(), 64);
        assert_ne!(refresh_token_hash(&a), a);
    }
}
