//! Container credentials (ECS, EKS Pod Identity).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderValue, Method};

use crate::config::{Env, SharedConfig};
use crate::request::HttpRequest;

use super::api::{BoxFuture, HttpFetch};
use super::chain::ChainOptions;
use super::clock::parse_timestamp;
use super::error::CredentialsError;
use super::{Credentials, ProvideCredentials};

const ECS_HOST: &str = "169.254.170.2";
const ALLOWED_HOSTS: &[&str] = &[ECS_HOST, "169.254.170.23", "fd00:ec2::23", "localhost"];
const TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 3;

/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (fetched from
/// `http://169.254.170.2`) or `AWS_CONTAINER_CREDENTIALS_FULL_URI` (https,
/// a loopback address, or one of the ECS/EKS hosts), with the
/// `Authorization` header from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
/// (read on every fetch) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`. Three
/// attempts, two-second timeout, one second apart.
pub struct ContainerProvider {
    env: Env,
    http: Option<Arc<dyn HttpFetch>>,
    retry_delay: Duration,
}

impl ContainerProvider {
    /// A provider reading this environment.
    pub fn new(env: Env, http: Option<Arc<dyn HttpFetch>>) -> ContainerProvider {
        ContainerProvider { env, http, retry_delay: Duration::from_secs(1) }
    }

    pub(crate) fn from_options(shared: &SharedConfig, opts: &ChainOptions) -> ContainerProvider {
        let mut p = ContainerProvider::new(shared.env().clone(), opts.http.clone());
        if let Some(d) = opts.container_retry_delay {
            p.retry_delay = d;
        }
        p
    }

    fn url(&self) -> Result<Option<String>, CredentialsError> {
        if let Some(relative) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            return Ok(Some(format!("http://{ECS_HOST}{relative}")));
        }
        let Some(full) = self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return Ok(None) };
        validate_full_uri(full)?;
        Ok(Some(full.to_string()))
    }

    async fn auth_header(&self) -> Result<Option<HeaderValue>, CredentialsError> {
        let token = if let Some(path) = self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let path = self.env.expand_path(path);
            let text = tokio::fs::read_to_string(&path).await.map_err(|source| CredentialsError::Io {
                provider: "container-role",
                path: path.clone(),
                source,
            })?;
            Some(text.trim().to_string())
        } else {
            self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN").map(str::to_string)
        };
        let Some(token) = token else { return Ok(None) };
        if token.contains(['\r', '\n']) {
            return Err(CredentialsError::retrieval(
                "container-role",
                "the authorization token is not a legal header value",
            ));
        }
        let mut value = HeaderValue::from_str(&token).map_err(|_| {
            CredentialsError::retrieval("container-role", "the authorization token is not a legal header value")
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    async fn fetch(&self, http: &dyn HttpFetch, url: &str) -> Result<serde_json::Value, String> {
        let mut req = HttpRequest::new(Method::GET, url);
        req.headers.insert(http::header::ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(auth) = self.auth_header().await.map_err(|e| e.to_string())? {
            req.headers.insert(http::header::AUTHORIZATION, auth);
        }
        let resp = http.send(req, TIMEOUT).await.map_err(|e| format!("error retrieving container metadata: {e}"))?;
        let body = resp.body.as_bytes().unwrap_or_default();
        if resp.status != 200 {
            return Err(format!(
                "received non 200 response {} from container metadata: {}",
                resp.status,
                String::from_utf8_lossy(&body[..body.len().min(512)])
            ));
        }
        serde_json::from_slice(body)
            .map_err(|_| "unable to parse JSON returned from container metadata services".into())
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(url) = self.url()? else { return Ok(None) };
        let http = self.http.as_ref().ok_or(CredentialsError::HttpUnavailable { provider: "container-role" })?;
        let mut attempt = 0;
        let json = loop {
            attempt += 1;
            match self.fetch(http.as_ref(), &url).await {
                Ok(json) => break json,
                Err(message) if attempt >= ATTEMPTS => {
                    return Err(CredentialsError::retrieval("container-role", message));
                }
                Err(message) => {
                    tracing::debug!(attempt, %message, "retrying container credentials");
                    tokio::time::sleep(self.retry_delay).await;
                }
            }
        };
        let field = |k: &str| {
            json.get(k)
                .and_then(|v| v.as_str())
                .ok_or_else(|| CredentialsError::retrieval("container-role", format!("the response has no {k}")))
        };
        let expiration = field("Expiration")?;
        let expiration = parse_timestamp(expiration)
            .ok_or_else(|| CredentialsError::retrieval("container-role", format!("bad Expiration {expiration:?}")))?;
        Ok(Some(
            Credentials::new(field("AccessKeyId")?, field("SecretAccessKey")?, Some(field("Token")?.to_string()))
                .with_expiration(Some(expiration))
                .with_account_id(json.get("AccountId").and_then(|v| v.as_str()).map(str::to_string))
                .with_provider("container-role"),
        ))
    }
}

/// The host of an `http(s)://host[:port]/...` URL, without brackets.
fn url_host(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(inner) = authority.strip_prefix('[') {
        &inner[..inner.find(']')?]
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    Some((scheme, host))
}

fn validate_full_uri(url: &str) -> Result<(), CredentialsError> {
    let Some((scheme, host)) = url_host(url) else {
        return Err(CredentialsError::retrieval(
            "container-role",
            format!("invalid AWS_CONTAINER_CREDENTIALS_FULL_URI {url:?}"),
        ));
    };
    if scheme.eq_ignore_ascii_case("https") {
        return Ok(());
    }
    let host = host.to_ascii_lowercase();
    if host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()) || ALLOWED_HOSTS.contains(&host.as_str()) {
        return Ok(());
    }
    Err(CredentialsError::retrieval(
        "container-role",
        format!(
            "unsupported host '{host}': can only retrieve metadata from a loopback address or one of these hosts: {}",
            ALLOWED_HOSTS.join(", ")
        ),
    ))
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }

    fn name(&self) -> &'static str {
        "container-role"
    }

    fn canonical_name(&self) -> Option<&'static str> {
        Some("EcsContainer")
    }
}

impl std::fmt::Debug for ContainerProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContainerProvider").field("env", &self.env).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_uri_hosts() {
        for ok in [
            "https://example.com/creds",
            "http://127.0.0.1:8080/x",
            "http://127.1.2.3/x",
            "http://[::1]:80/x",
            "http://localhost/x",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/x",
        ] {
            assert!(validate_full_uri(ok).is_ok(), "{ok}");
        }
        for bad in ["http://example.com/x", "http://169.254.169.254/x", "nonsense", "http://user@evil.com/"] {
            assert!(validate_full_uri(bad).is_err(), "{bad}");
        }
    }
}
