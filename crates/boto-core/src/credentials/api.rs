//! What the credential providers need from the rest of the SDK: a way to
//! call AWS APIs ([`AwsApi`]) and a plain HTTP client ([`HttpFetch`]).
//!
//! The client layer implements both; tests use fakes and tiny local
//! servers.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::request::{HttpRequest, HttpResponse};
use crate::value::Value;

use super::Credentials;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Called with the fully built request right before it is sent (after
/// endpoint resolution, before signing). Used for the `DPoP` header of the
/// login provider, which signs the final URL.
pub type RequestHook = Arc<dyn Fn(&mut HttpRequest) -> Result<(), String> + Send + Sync>;

/// One AWS API call a credential provider makes (STS `AssumeRole`, SSO
/// `GetRoleCredentials`, ...).
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiCall {
    /// The botocore service name: `sts`, `sso`, `sso-oidc`, `signin`.
    pub service: &'static str,
    /// The operation name: `AssumeRole`, `GetRoleCredentials`, ...
    pub operation: &'static str,
    /// The region to call, if the provider knows it (else the client's).
    pub region: Option<String>,
    /// The operation's input.
    pub params: Value,
    /// Credentials to sign with; `None` for an unsigned call.
    pub credentials: Option<Credentials>,
    /// An optional hook run on the final HTTP request.
    pub before_send: Option<RequestHook>,
}

impl ApiCall {
    /// An unsigned call with these parameters.
    pub fn new(service: &'static str, operation: &'static str, params: Value) -> ApiCall {
        ApiCall { service, operation, region: None, params, credentials: None, before_send: None }
    }

    /// Sets the region.
    pub fn region(mut self, region: Option<String>) -> ApiCall {
        self.region = region;
        self
    }

    /// Signs with these credentials.
    pub fn signed_with(mut self, credentials: Credentials) -> ApiCall {
        self.credentials = Some(credentials);
        self
    }
}

impl fmt::Debug for ApiCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Parameters carry tokens (web identity, SSO, refresh); show names only.
        let keys: Vec<&str> = match &self.params {
            Value::Map(m) => m.keys().map(|k| k.as_str()).collect(),
            _ => Vec::new(),
        };
        f.debug_struct("ApiCall")
            .field("service", &self.service)
            .field("operation", &self.operation)
            .field("region", &self.region)
            .field("param_names", &keys)
            .field("credentials", &self.credentials)
            .field("before_send", &self.before_send.as_ref().map(|_| "<hook>"))
            .finish()
    }
}

/// A failed AWS API call.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{}{}", code.as_deref().unwrap_or("request failed"), status.map(|s| format!(" (HTTP {s})")).unwrap_or_default(), message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
#[non_exhaustive]
pub struct ApiError {
    /// The service's error code (`AccessDenied`, `UnauthorizedException`,
    /// `ExpiredTokenException`), if it answered.
    pub code: Option<String>,
    /// The error message.
    pub message: Option<String>,
    /// The HTTP status, if a response arrived.
    pub status: Option<u16>,
    /// The modeled error members (for example the `error` member of the
    /// sign-in service's `AccessDeniedException`); boxed to keep the error
    /// small.
    pub fields: Box<Value>,
}

impl ApiError {
    /// A service error.
    pub fn service(code: impl Into<String>, message: impl Into<String>, status: Option<u16>) -> ApiError {
        ApiError { code: Some(code.into()), message: Some(message.into()), status, fields: Box::new(Value::Null) }
    }

    /// A failure before any response (connection, timeout, serialization).
    pub fn transport(message: impl Into<String>) -> ApiError {
        ApiError { code: None, message: Some(message.into()), status: None, fields: Box::new(Value::Null) }
    }

    /// Adds modeled error members.
    pub fn with_fields(mut self, fields: Value) -> ApiError {
        self.fields = Box::new(fields);
        self
    }
}

/// Calls AWS APIs on behalf of credential providers. The client layer
/// implements it with its own data-driven client; it must not use the
/// credential chain that is asking (the call carries its credentials or is
/// unsigned).
pub trait AwsApi: Send + Sync {
    /// Makes the call and returns the parsed output.
    fn call(&self, call: ApiCall) -> BoxFuture<'_, Result<Value, ApiError>>;
}

/// A failed plain HTTP request.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum HttpFetchError {
    /// No response within the timeout.
    #[error("timed out")]
    Timeout,
    /// The connection could not be made or broke (worth retrying).
    #[error("connection error: {0}")]
    Connect(String),
    /// Anything else (bad URL, malformed response).
    #[error("{0}")]
    Other(String),
}

/// Sends one plain HTTP request (the instance metadata service, the
/// container credentials endpoint). The client layer implements it on its
/// transport, without proxies for link-local addresses.
pub trait HttpFetch: Send + Sync {
    /// Sends the request, giving up after `timeout`.
    fn send(&self, request: HttpRequest, timeout: Duration) -> BoxFuture<'_, Result<HttpResponse, HttpFetchError>>;
}
