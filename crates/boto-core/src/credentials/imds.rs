//! EC2 instance metadata (IMDSv2, falling back to v1 unless disabled).

use std::sync::Arc;
use std::time::Duration;

use http::{HeaderValue, Method};

use crate::config::{ImdsSettings, SharedConfig};
use crate::request::{HttpRequest, HttpResponse};

use super::api::{BoxFuture, HttpFetch, HttpFetchError};
use super::chain::ChainOptions;
use super::clock::{format_timestamp, parse_timestamp, Clock};
use super::error::CredentialsError;
use super::{Credentials, ProvideCredentials};

const TOKEN_PATH: &str = "latest/api/token";
const TOKEN_TTL: &str = "21600";
const ROLE_PATH: &str = "latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "latest/meta-data/placement/availability-zone/";
/// Botocore's `ec2_credential_refresh_window` (the advisory window).
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Why a metadata GET gave up.
enum GetError {
    /// Attempts exhausted (botocore's `_RetriesExceededError`): the
    /// provider finds nothing.
    Exhausted,
    /// A hard error.
    Fatal(CredentialsError),
}

/// One IMDS client: token handling, retries, v1 fallback.
struct Imds<'a> {
    http: &'a dyn HttpFetch,
    settings: &'a ImdsSettings,
    user_agent: Option<&'a str>,
}

impl Imds<'_> {
    fn url(&self, path: &str) -> String {
        let base = self.settings.base_url();
        let sep = if base.ends_with('/') { "" } else { "/" };
        format!("{base}{sep}{path}")
    }

    fn request(&self, method: Method, path: &str) -> HttpRequest {
        let mut req = HttpRequest::new(method, self.url(path));
        if let Some(ua) = self.user_agent.and_then(|ua| HeaderValue::from_str(ua).ok()) {
            req.headers.insert(http::header::USER_AGENT, ua);
        }
        req
    }

    /// `PUT latest/api/token`. `Ok(None)` means "use IMDSv1".
    async fn token(&self) -> Result<Option<String>, GetError> {
        for attempt in 1..=self.settings.num_attempts {
            let mut req = self.request(Method::PUT, TOKEN_PATH);
            req.headers.insert("x-aws-ec2-metadata-token-ttl-seconds", HeaderValue::from_static(TOKEN_TTL));
            match self.http.send(req, self.settings.timeout).await {
                Ok(resp) if resp.status == 200 => return Ok(Some(body_text(&resp))),
                Ok(resp) if matches!(resp.status, 403..=405) => return Ok(None),
                Ok(resp) if resp.status == 400 => {
                    tracing::debug!("bad IMDS token request");
                    return Err(GetError::Exhausted);
                }
                Ok(resp) => tracing::debug!(status = resp.status, attempt, "IMDS token request failed"),
                Err(HttpFetchError::Timeout) => return Ok(None),
                Err(e) => tracing::debug!(error = %e, attempt, "IMDS token request failed"),
            }
        }
        Ok(None)
    }

    /// A GET with retries; `accept` decides whether a 200 response is
    /// usable. A 401 with a token fetches a new token.
    async fn get(
        &self,
        path: &str,
        token: &mut Option<String>,
        accept: impl Fn(&HttpResponse) -> bool,
    ) -> Result<HttpResponse, GetError> {
        if token.is_none() && self.settings.v1_disabled {
            return Err(GetError::Fatal(CredentialsError::retrieval(
                "iam-role",
                "unable to retrieve token for use in IMDSv2 call and IMDSv1 has been disabled",
            )));
        }
        let mut attempt = 0;
        let mut refreshed = false;
        while attempt < self.settings.num_attempts {
            attempt += 1;
            let mut req = self.request(Method::GET, path);
            if let Some(t) = token.as_deref().and_then(|t| HeaderValue::from_str(t).ok()) {
                req.headers.insert("x-aws-ec2-metadata-token", t);
            }
            match self.http.send(req, self.settings.timeout).await {
                Ok(resp) if resp.status == 200 && accept(&resp) => return Ok(resp),
                Ok(resp) if resp.status == 401 && token.is_some() => {
                    tracing::debug!(attempt, "IMDS token rejected; fetching a new one");
                    *token = self.token().await?;
                    if token.is_none() && self.settings.v1_disabled {
                        return Err(GetError::Exhausted);
                    }
                    // The request is tried again with the new token; this does
                    // not count as an attempt, once per request.
                    if !refreshed {
                        refreshed = true;
                        attempt -= 1;
                    }
                }
                Ok(resp) => tracing::debug!(status = resp.status, path, attempt, "unusable IMDS response"),
                Err(e) => tracing::debug!(error = %e, path, attempt, "IMDS request failed"),
            }
        }
        Err(GetError::Exhausted)
    }

    async fn credentials(&self, clock: &Clock) -> Result<Option<Credentials>, CredentialsError> {
        if self.settings.disabled {
            tracing::debug!("access to EC2 metadata has been disabled");
            return Ok(None);
        }
        let result: Result<Option<Credentials>, GetError> = async {
            let mut token = self.token().await?;
            let role = self.get(ROLE_PATH, &mut token, |r| !body_text(r).is_empty()).await?;
            let role = body_text(&role);
            let path = format!("{ROLE_PATH}{role}");
            let resp = self
                .get(&path, &mut token, |r| {
                    !body_text(r).is_empty() && serde_json::from_slice::<serde_json::Value>(body(r)).is_ok()
                })
                .await?;
            let json: serde_json::Value = serde_json::from_slice(body(&resp)).unwrap_or_default();
            let field = |k: &str| json.get(k).and_then(|v| v.as_str());
            let (Some(access), Some(secret), Some(token), Some(expiration)) =
                (field("AccessKeyId"), field("SecretAccessKey"), field("Token"), field("Expiration"))
            else {
                if let (Some(code), Some(message)) = (field("Code"), field("Message")) {
                    tracing::debug!(code, message, "error response when retrieving IMDS credentials");
                } else {
                    tracing::debug!("IMDS credentials are missing a required field");
                }
                return Ok(None);
            };
            let expiration = parse_timestamp(expiration).map(|exp| extend_if_stale(exp, clock));
            tracing::info!(role = %role, "found credentials from IAM role");
            Ok(Some(
                Credentials::new(access, secret, Some(token.to_string()))
                    .with_expiration(expiration)
                    .with_account_id(field("AccountId").map(str::to_string))
                    .with_provider("iam-role"),
            ))
        }
        .await;
        match result {
            Ok(c) => Ok(c),
            Err(GetError::Exhausted) => {
                tracing::debug!(attempts = self.settings.num_attempts, "max attempts exceeded retrieving from IMDS");
                Ok(None)
            }
            Err(GetError::Fatal(e)) => Err(e),
        }
    }
}

/// Static stability: credentials that IMDS keeps serving past (or close
/// to) their expiry are used a little longer (the refresh window plus 2 to
/// 10 minutes of jitter) instead of failing every call.
fn extend_if_stale(expiration: time::OffsetDateTime, clock: &Clock) -> time::OffsetDateTime {
    let now = clock();
    let jitter = 120 + (now.nanosecond() as u64 % 481);
    let offset = REFRESH_WINDOW + Duration::from_secs(jitter);
    if now >= expiration - offset {
        let extended = now + offset;
        tracing::info!(
            new_expiration = %format_timestamp(extended),
            "attempting credential expiration extension due to a credential service availability issue"
        );
        extended
    } else {
        expiration
    }
}

fn body(resp: &HttpResponse) -> &[u8] {
    resp.body.as_bytes().unwrap_or_default()
}

fn body_text(resp: &HttpResponse) -> String {
    String::from_utf8_lossy(body(resp)).into_owned()
}

/// Credentials of the instance's IAM role from the EC2 instance metadata
/// service: `PUT latest/api/token` (IMDSv2, 6-hour TTL), then the role
/// name and its credentials, with `metadata_service_timeout` and
/// `metadata_service_num_attempts`. A 401 fetches a new token. Without a
/// token it falls back to IMDSv1 unless `ec2_metadata_v1_disabled`.
/// `AWS_EC2_METADATA_DISABLED=true` turns it off. When the service cannot
/// be reached the provider finds nothing (the chain ends without
/// credentials).
pub struct ImdsProvider {
    http: Option<Arc<dyn HttpFetch>>,
    settings: ImdsSettings,
    user_agent: Option<String>,
    clock: Clock,
}

impl ImdsProvider {
    /// A provider with explicit settings.
    pub fn new(http: Option<Arc<dyn HttpFetch>>, settings: ImdsSettings, clock: Clock) -> ImdsProvider {
        ImdsProvider { http, settings, user_agent: None, clock }
    }

    pub(crate) fn from_options(shared: &SharedConfig, opts: &ChainOptions) -> Result<ImdsProvider, CredentialsError> {
        let settings = ImdsSettings::resolve(shared)?;
        Ok(ImdsProvider { http: opts.http.clone(), settings, user_agent: opts.user_agent.clone(), clock: opts.clock() })
    }

    /// The settings in use.
    pub fn settings(&self) -> &ImdsSettings {
        &self.settings
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(http) = &self.http else {
            tracing::debug!("no HTTP client configured; skipping the instance metadata service");
            return Ok(None);
        };
        Imds { http: http.as_ref(), settings: &self.settings, user_agent: self.user_agent.as_deref() }
            .credentials(&self.clock)
            .await
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }

    fn name(&self) -> &'static str {
        "iam-role"
    }

    fn canonical_name(&self) -> Option<&'static str> {
        Some("Ec2InstanceMetadata")
    }
}

impl std::fmt::Debug for ImdsProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImdsProvider").field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// The region the instance runs in (its availability zone minus the last
/// letter), for `defaults_mode = auto`; `None` when IMDS is unreachable or
/// disabled.
pub async fn fetch_instance_region(http: &dyn HttpFetch, settings: &ImdsSettings) -> Option<String> {
    if settings.disabled {
        return None;
    }
    let imds = Imds { http, settings, user_agent: None };
    let mut token = imds.token().await.ok()?;
    let resp = imds.get(REGION_PATH, &mut token, |r| !body_text(r).is_empty()).await.ok()?;
    let mut zone = body_text(&resp);
    zone.pop();
    Some(zone).filter(|z| !z.is_empty())
}
