//! `login_session` profiles (`aws login`): cached sign-in credentials,
//! refreshed through the sign-in service's `CreateOAuth2Token` with a DPoP
//! proof signed by the cached P-256 key.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use sha2::Digest;

use crate::config::SharedConfig;
use crate::value::{Map, Value};

use super::api::{ApiCall, BoxFuture, RequestHook};
use super::cache::{sha256_hex, JsonFileCache};
use super::chain::ChainOptions;
use super::clock::{format_timestamp, parse_timestamp};
use super::error::CredentialsError;
use super::{Credentials, ProvideCredentials};

const REQUIRED_FIELDS: [&str; 4] = ["accessToken", "refreshToken", "dpopKey", "clientId"];
/// Cached credentials are refreshed when they expire within 5 minutes.
const REFRESH_THRESHOLD: time::Duration = time::Duration::minutes(5);

fn login_error(message: impl Into<String>) -> CredentialsError {
    CredentialsError::Login { message: message.into() }
}

/// A profile with `login_session = <session ARN>`: credentials from the
/// login token cache (`AWS_LOGIN_CACHE_DIRECTORY` or `~/.aws/login/cache`,
/// file named by the SHA-256 of the session), refreshed when they expire
/// within five minutes; the refreshed token is written back.
#[derive(Debug)]
pub struct LoginProvider {
    shared: SharedConfig,
    profile: String,
    opts: Arc<ChainOptions>,
}

impl LoginProvider {
    /// For `profile`.
    pub fn new(shared: SharedConfig, profile: impl Into<String>, opts: Arc<ChainOptions>) -> LoginProvider {
        LoginProvider { shared, profile: profile.into(), opts }
    }

    fn cache(&self) -> JsonFileCache {
        let env = self.shared.env();
        let dir = match (&self.opts.login_cache_dir, env.get("AWS_LOGIN_CACHE_DIRECTORY")) {
            (Some(d), _) => d.clone(),
            (None, Some(d)) => env.expand_path(d),
            (None, None) => env.expand_path("~/.aws/login/cache"),
        };
        JsonFileCache::new(dir)
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(session) = self.shared.profile(&self.profile).and_then(|p| p.get("login_session")) else {
            return Ok(None);
        };
        let cache = self.cache();
        let key = sha256_hex(session);
        let mut token = cache
            .get(&key)
            .await
            .map_err(|source| CredentialsError::Io { provider: "login", path: cache.path_for(&key), source })?
            .ok_or_else(|| {
                login_error(format!(
                    "error loading login session token: unable to load an existing login session for session {session}; \
                     please reauthenticate with 'aws login'"
                ))
            })?;
        let missing: Vec<&str> = REQUIRED_FIELDS.iter().copied().filter(|k| token.get(*k).is_none()).collect();
        if !missing.is_empty() {
            return Err(login_error(format!(
                "error loading login session token: failed to load access token from token cache, missing required \
                 fields: {}",
                missing.join(", ")
            )));
        }
        let now = self.opts.now();
        let expires = token["accessToken"].get("expiresAt").and_then(|v| v.as_str()).and_then(parse_timestamp);
        if expires.is_some_and(|e| e - now > REFRESH_THRESHOLD) {
            return token_credentials(&token).map(Some);
        }
        self.refresh(&mut token, now).await?;
        cache.set(&key, &token).await.map_err(|source| CredentialsError::Io {
            provider: "login",
            path: cache.path_for(&key),
            source,
        })?;
        token_credentials(&token).map(Some)
    }

    async fn refresh(&self, token: &mut serde_json::Value, now: time::OffsetDateTime) -> Result<(), CredentialsError> {
        let key = load_private_key(token["dpopKey"].as_str().unwrap_or_default())?;
        let api =
            self.opts.api.as_ref().ok_or(CredentialsError::ApiUnavailable { provider: "login", service: "signin" })?;
        let region =
            token.get("signInRegion").and_then(|v| v.as_str()).map(str::to_string).or(self.opts.region.clone());
        let str_field = |k: &str| token.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let mut input = Map::new();
        input.insert("clientId".into(), Value::from(str_field("clientId")));
        input.insert("refreshToken".into(), Value::from(str_field("refreshToken")));
        input.insert("grantType".into(), Value::from("refresh_token"));
        let mut params = Map::new();
        params.insert("tokenInput".into(), Value::Map(input));
        let hook: RequestHook = Arc::new(move |req| {
            let proof = dpop_proof(&key, &req.url, time::OffsetDateTime::now_utc().unix_timestamp(), &unique_id());
            let value = http::HeaderValue::from_str(&proof).map_err(|e| e.to_string())?;
            req.headers.insert("DPoP", value);
            Ok(())
        });
        let mut call = ApiCall::new("signin", "CreateOAuth2Token", Value::Map(params)).region(region);
        call.before_send = Some(hook);
        let response = api.call(call).await.map_err(|e| {
            let kind = e.fields.get("error").and_then(Value::as_str).unwrap_or_default();
            match (e.code.as_deref(), kind) {
                (Some("AccessDeniedException"), "TOKEN_EXPIRED" | "USER_CREDENTIALS_CHANGED") => login_error(
                    "your session has expired or credentials have changed; please reauthenticate using 'aws login'",
                ),
                (Some("AccessDeniedException"), "INSUFFICIENT_PERMISSIONS") => login_error(
                    "unable to create or refresh login credentials due to insufficient permissions; you may be missing \
                     permission for the 'signin:CreateOAuth2Token' action",
                ),
                _ => login_error(format!(
                    "an error happened when refreshing a login session profile: {}",
                    e.code.as_deref().unwrap_or("request failed")
                )),
            }
        })?;
        let invalid = || {
            login_error(
                "unable to refresh access token due to an invalid service response; please try running 'aws login' \
                 again",
            )
        };
        let output = response.get("tokenOutput").ok_or_else(invalid)?;
        let access = output.get("accessToken").ok_or_else(invalid)?;
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string).ok_or_else(invalid);
        let expires_in = output.get("expiresIn").and_then(Value::as_i64).ok_or_else(invalid)?;
        let account = token["accessToken"].get("accountId").cloned().unwrap_or_default();
        token["accessToken"] = serde_json::json!({
            "accessKeyId": text(access, "accessKeyId")?,
            "secretAccessKey": text(access, "secretAccessKey")?,
            "sessionToken": text(access, "sessionToken")?,
            "accountId": account,
            "expiresAt": format_timestamp(now + time::Duration::seconds(expires_in)),
        });
        token["refreshToken"] = serde_json::Value::from(text(output, "refreshToken")?);
        Ok(())
    }
}

fn token_credentials(token: &serde_json::Value) -> Result<Credentials, CredentialsError> {
    let at = &token["accessToken"];
    let text = |k: &str| {
        at.get(k)
            .and_then(|v| v.as_str())
            .ok_or_else(|| login_error(format!("the cached login token has no accessToken.{k}")))
    };
    let expiration =
        parse_timestamp(text("expiresAt")?).ok_or_else(|| login_error("the cached login token expiry is invalid"))?;
    Ok(Credentials::new(text("accessKeyId")?, text("secretAccessKey")?, Some(text("sessionToken")?.to_string()))
        .with_expiration(Some(expiration))
        .with_account_id(at.get("accountId").and_then(|v| v.as_str()).map(str::to_string))
        .with_provider("login"))
}

/// The P-256 key from the cached PEM (PKCS#8 `PRIVATE KEY`, or SEC1 `EC
/// PRIVATE KEY`).
fn load_private_key(pem: &str) -> Result<SigningKey, CredentialsError> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----BEGIN") && !l.starts_with("-----END")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .map_err(|_| login_error("unable to load private key from cached token"))?;
    use p256::pkcs8::DecodePrivateKey;
    if let Ok(key) = SigningKey::from_pkcs8_der(&der) {
        return Ok(key);
    }
    p256::SecretKey::from_sec1_der(&der)
        .map(SigningKey::from)
        .map_err(|_| login_error("unable to load private key from cached token"))
}

fn b64url(data: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
}

/// A DPoP proof JWT (RFC 9449) for `POST uri`, signed with ES256.
pub(crate) fn dpop_proof(key: &SigningKey, uri: &str, iat: i64, jti: &str) -> String {
    let point = key.verifying_key().to_sec1_point(false);
    let x = point.x().map(|x| b64url(x)).unwrap_or_default();
    let y = point.y().map(|y| b64url(y)).unwrap_or_default();
    let header = serde_json::json!({
        "typ": "dpop+jwt",
        "alg": "ES256",
        "jwk": {"kty": "EC", "x": x, "y": y, "crv": "P-256"},
    });
    let payload = serde_json::json!({"htm": "POST", "htu": uri, "iat": iat, "jti": jti});
    let signing_input = format!("{}.{}", b64url(header.to_string().as_bytes()), b64url(payload.to_string().as_bytes()));
    let signature: Signature = key.sign(signing_input.as_bytes());
    format!("{signing_input}.{}", b64url(&signature.to_bytes()))
}

/// A random-looking UUID (version 4 layout) for the proof's `jti`.
fn unique_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = sha2::Sha256::new();
    hasher.update(time::OffsetDateTime::now_utc().unix_timestamp_nanos().to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let local = 0u8;
    hasher.update((std::ptr::addr_of!(local) as usize).to_le_bytes());
    let mut b: [u8; 16] = hasher.finalize()[..16].try_into().unwrap_or([0; 16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

impl ProvideCredentials for LoginProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }

    fn name(&self) -> &'static str {
        "login"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::VerifyingKey;

    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+PNauWi/ihtwHHbq\n1tgc8Vgpwx0qQlNSN38y+z0igWehRANCAAR2Ntw6BXJ1v8jb9XjzKZJ+gL5f/3Jq\nIqiH2PUGKWxoFwNlcNB83FivEXEzlTbuCQK5OezOYb3gbvHuzKkB0nDX\n-----END PRIVATE KEY-----";

    #[test]
    fn dpop_proof_verifies() {
        let key = load_private_key(PEM).unwrap();
        let proof = dpop_proof(&key, "https://signin.us-east-1.amazonaws.com/v1/token", 1_763_510_400, "id-1");
        let parts: Vec<&str> = proof.split('.').collect();
        assert_eq!(parts.len(), 3);
        let dec = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).unwrap();
        let header: serde_json::Value = serde_json::from_slice(&dec(parts[0])).unwrap();
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["jwk"]["crv"], "P-256");
        let payload: serde_json::Value = serde_json::from_slice(&dec(parts[1])).unwrap();
        assert_eq!(payload["htm"], "POST");
        assert_eq!(payload["htu"], "https://signin.us-east-1.amazonaws.com/v1/token");
        assert_eq!(payload["iat"], 1_763_510_400);
        assert_eq!(payload["jti"], "id-1");
        // The JWK's coordinates rebuild the public key that verifies the signature.
        let mut sec1 = vec![4u8];
        sec1.extend(dec(header["jwk"]["x"].as_str().unwrap()));
        sec1.extend(dec(header["jwk"]["y"].as_str().unwrap()));
        let vk = VerifyingKey::from_sec1_bytes(&sec1).unwrap();
        let sig = Signature::from_slice(&dec(parts[2])).unwrap();
        vk.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig).unwrap();
        assert!(load_private_key("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").is_err());
    }

    #[test]
    fn unique_ids_differ() {
        let a = unique_id();
        assert_ne!(a, unique_id());
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }
}
