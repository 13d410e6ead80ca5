//! What the credential providers need, implemented on the client: AWS API
//! calls (STS, SSO, SSO OIDC, sign-in) and plain HTTP (IMDS, containers).

use std::sync::Arc;
use std::time::Duration;

use crate::config::SharedConfig;
use crate::credentials::{ApiCall, ApiError, AwsApi, BoxFuture, HttpFetch, HttpFetchError};
use crate::error::Error;
use crate::hooks::{CallContext, Interceptor};
use crate::request::{HttpRequest, HttpResponse};
use crate::transport::{HttpClient, TransportError};
use crate::value::Value;

/// Calls AWS APIs for credential providers with this project's own client,
/// signed with the credentials the call carries (or unsigned), never with
/// the chain that is asking.
pub struct ClientApi {
    shared: Arc<SharedConfig>,
    http: HttpClient,
    region: Option<String>,
}

impl std::fmt::Debug for ClientApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientApi").field("region", &self.region).finish()
    }
}

impl ClientApi {
    /// Calls go through `http`, with settings from `shared`, in `region`
    /// unless a call names its own.
    pub fn new(shared: Arc<SharedConfig>, http: HttpClient, region: Option<String>) -> ClientApi {
        ClientApi { shared, http, region }
    }
}

/// Runs a credential provider's request hook on the final request.
struct BeforeSend(crate::credentials::RequestHook);

impl std::fmt::Debug for BeforeSend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BeforeSend")
    }
}

impl Interceptor for BeforeSend {
    fn request_created(&self, _ctx: &CallContext<'_>, _params: &Value, request: &mut HttpRequest) -> Result<(), Error> {
        (self.0)(request).map_err(Error::Hook)
    }
}

impl AwsApi for ClientApi {
    fn call(&self, call: ApiCall) -> BoxFuture<'_, Result<Value, ApiError>> {
        Box::pin(async move {
            let mut builder =
                crate::Client::builder(call.service).shared_config(self.shared.clone()).http_client(self.http.clone());
            if let Some(region) = call.region.clone().or_else(|| self.region.clone()) {
                builder = builder.region(region);
            }
            builder = match call.credentials {
                Some(c) => builder.credentials(c),
                None => builder.anonymous(),
            };
            if let Some(hook) = call.before_send {
                builder = builder.interceptor(Arc::new(BeforeSend(hook)));
            }
            let client = builder.build().map_err(|e| ApiError::transport(e.to_string()))?;
            client.call(call.operation, call.params).await.map_err(|e| match e {
                Error::Service(s) => {
                    let mut err = ApiError::service(s.code.clone(), s.message.clone(), Some(s.status));
                    err = err.with_fields(s.fields.clone());
                    err
                }
                other => ApiError::transport(other.to_string()),
            })
        })
    }
}

/// Plain HTTP for the instance metadata service and container credentials,
/// on the client's transport.
#[derive(Debug, Clone)]
pub struct TransportFetch {
    http: HttpClient,
}

impl TransportFetch {
    /// Uses `http`.
    pub fn new(http: HttpClient) -> TransportFetch {
        TransportFetch { http }
    }
}

impl HttpFetch for TransportFetch {
    fn send(&self, request: HttpRequest, timeout: Duration) -> BoxFuture<'_, Result<HttpResponse, HttpFetchError>> {
        Box::pin(async move {
            match tokio::time::timeout(timeout, self.http.send(request, false)).await {
                Err(_) => Err(HttpFetchError::Timeout),
                Ok(Ok(r)) => Ok(r),
                Ok(Err(TransportError::ReadTimeout { .. })) => Err(HttpFetchError::Timeout),
                Ok(Err(e @ (TransportError::Connect { .. } | TransportError::Io { .. }))) => {
                    Err(HttpFetchError::Connect(e.to_string()))
                }
                Ok(Err(e)) => Err(HttpFetchError::Other(e.to_string())),
            }
        })
    }
}
