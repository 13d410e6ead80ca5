//! Bearer token auth (RFC 6750 section 2.1): `Authorization: Bearer <token>`,
//! over HTTPS only.

use std::fmt;

use http::header::{HeaderValue, AUTHORIZATION};
use time::OffsetDateTime;

use super::sigv4::url_without_query;
use super::SigningError;
use crate::request::HttpRequest;

/// A bearer token (SSO, CodeCatalyst, Bedrock API keys). `Debug` never
/// shows the token.
///
/// ```
/// let t = boto_core::auth::BearerToken::new("secret-token", None);
/// assert!(!format!("{t:?}").contains("secret-token"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken {
    token: String,
    expiration: Option<OffsetDateTime>,
}

impl BearerToken {
    /// A token, with its expiry if it has one.
    pub fn new(token: impl Into<String>, expiration: Option<OffsetDateTime>) -> BearerToken {
        BearerToken { token: token.into(), expiration }
    }

    /// The token. Never log it.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// When the token expires, if it does.
    pub fn expiration(&self) -> Option<OffsetDateTime> {
        self.expiration
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerToken").field("token", &"** redacted **").field("expiration", &self.expiration).finish()
    }
}

/// Sets `Authorization: Bearer <token>`, replacing any earlier one.
pub(crate) fn sign(req: &mut HttpRequest, token: &BearerToken) -> Result<(), SigningError> {
    if !req.scheme().is_some_and(|s| s.eq_ignore_ascii_case("https")) {
        return Err(SigningError::BearerRequiresHttps { url: url_without_query(&req.url) });
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.token))
        .map_err(|_| SigningError::InvalidHeader { name: "authorization".to_owned() })?;
    value.set_sensitive(true);
    req.headers.insert(AUTHORIZATION, value);
    Ok(())
}
