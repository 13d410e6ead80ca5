//! The client: every operation of a service, one call each.
//!
//! ```no_run
//! # async fn demo() -> Result<(), boto_core::Error> {
//! use boto_core::{params, Client};
//!
//! let ddb = Client::builder("dynamodb").region("us-east-1").build()?;
//! let item = ddb
//!     .call("GetItem", params!({ "TableName": "users", "Key": { "id": { "S": "u-1" } } }))
//!     .await?;
//! println!("{}", item["Item"]);
//! // boto3's spelling works too.
//! let tables = ddb.call("list_tables", params!({})).await?;
//! # let _ = tables;
//! # Ok(())
//! # }
//! ```
//!
//! A call runs: hooks → validate → serialize → resolve endpoint → checksum
//! and compression → sign → send (with retries) → parse. Clients are cheap
//! to clone (`Arc` inside), `Send + Sync`, and clones share the connection
//! pool, the credentials cache and the retry quota.

mod api;
mod builder;
mod call;
#[doc(hidden)]
pub mod conformance;
mod customize;
mod presign;
mod stubber;
mod user_agent;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub use api::{ClientApi, TransportFetch};
pub use builder::ClientBuilder;
pub use presign::PresignOptions;
pub use stubber::Stubber;

use crate::auth::AuthConfig;
use crate::config::Settings;
use crate::credentials::CredentialsCache;
use crate::endpoint::{EndpointConfig, EndpointResolver};
use crate::error::Error;
use crate::hooks::Interceptor;
use crate::model::{Operation, ServiceModel};
use crate::protocol::Protocol;
use crate::retry::RetryStrategy;
use crate::transport::HttpClient;

/// An AWS service client (async). See the [module documentation](self).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    service: String,
    model: Arc<ServiceModel>,
    /// The loader the model came from (for paginators and waiters).
    loader: crate::model::Loader,
    protocol: Protocol,
    settings: Arc<Settings>,
    credentials: Option<CredentialsCache>,
    http: HttpClient,
    retry: Arc<RetryStrategy>,
    endpoints: Arc<EndpointResolver>,
    endpoint_config: EndpointConfig,
    /// True when the rule set takes `AWS::Auth::AccountId`.
    wants_account_id: bool,
    /// True in AWS Lambda (`AWS_LAMBDA_FUNCTION_NAME` set when the client
    /// was made): requests then carry the recursion-detection header.
    in_lambda: bool,
    auth_config: AuthConfig,
    hooks: Arc<[Arc<dyn Interceptor>]>,
    user_agent: http::HeaderValue,
    /// boto3 names (`get_item`) to model names, built on first use.
    snake_names: Arc<OnceLock<HashMap<String, String>>>,
    /// Operations as serialized after customization (S3 without the bucket
    /// in the path, ...), built on first use.
    patched: Arc<Mutex<HashMap<String, Arc<Operation>>>>,
}

impl Clone for Inner {
    fn clone(&self) -> Inner {
        Inner {
            service: self.service.clone(),
            model: self.model.clone(),
            loader: self.loader.clone(),
            protocol: self.protocol,
            settings: self.settings.clone(),
            credentials: self.credentials.clone(),
            http: self.http.clone(),
            retry: self.retry.clone(),
            endpoints: self.endpoints.clone(),
            endpoint_config: self.endpoint_config.clone(),
            wants_account_id: self.wants_account_id,
            in_lambda: self.in_lambda,
            auth_config: self.auth_config.clone(),
            hooks: self.hooks.clone(),
            user_agent: self.user_agent.clone(),
            snake_names: self.snake_names.clone(),
            patched: self.patched.clone(),
        }
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service)
            .field("region", &self.inner.settings.region)
            .field("protocol", &self.inner.protocol)
            .field("endpoint_url", &self.inner.settings.endpoint_url)
            .finish()
    }
}

impl Client {
    /// A builder for a client of `service` (botocore's name: `s3`,
    /// `dynamodb`, `ec2`, `cloudwatch`, ...).
    pub fn builder(service: &str) -> ClientBuilder {
        ClientBuilder::new(service)
    }

    /// The service name.
    pub fn service_name(&self) -> &str {
        &self.inner.service
    }

    /// The service model.
    pub fn model(&self) -> &Arc<ServiceModel> {
        &self.inner.model
    }

    /// The loader the client's model came from; paginators and waiters
    /// are loaded with it.
    pub fn loader(&self) -> &crate::model::Loader {
        &self.inner.loader
    }

    /// The region the client calls, if any.
    pub fn region(&self) -> Option<&str> {
        self.inner.settings.region.as_deref()
    }

    /// The resolved configuration.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The wire protocol the client speaks.
    pub fn protocol(&self) -> Protocol {
        self.inner.protocol
    }

    /// The transport (share it with other clients to share the pool).
    pub fn http_client(&self) -> &HttpClient {
        &self.inner.http
    }

    /// The credentials cache, unless the client is anonymous.
    pub fn credentials_cache(&self) -> Option<&CredentialsCache> {
        self.inner.credentials.as_ref()
    }

    /// The retry strategy (shared by clones).
    pub fn retry_strategy(&self) -> &RetryStrategy {
        &self.inner.retry
    }

    /// A client like this one with one more interceptor, run after the
    /// existing ones. Shares everything else (pool, credentials, quota).
    pub fn with_interceptor(&self, interceptor: Arc<dyn Interceptor>) -> Client {
        let mut inner = (*self.inner).clone();
        let mut hooks: Vec<Arc<dyn Interceptor>> = inner.hooks.iter().cloned().collect();
        hooks.push(interceptor);
        inner.hooks = hooks.into();
        Client { inner: Arc::new(inner) }
    }

    /// Every operation's model name, sorted.
    pub fn operation_names(&self) -> Vec<String> {
        self.inner.model.operation_names().map(str::to_owned).collect()
    }

    /// The model name of an operation given as `GetItem` or `get_item`.
    pub fn operation_name<'a>(&'a self, name: &'a str) -> Result<&'a str, Error> {
        self.inner.operation_name(name)
    }
}

impl Inner {
    fn operation_name<'a>(&'a self, name: &'a str) -> Result<&'a str, Error> {
        if self.model.has_operation(name) {
            return Ok(name);
        }
        let map = self.snake_names.get_or_init(|| {
            self.model.operation_names().map(|n| (crate::naming::xform_name(n), n.to_owned())).collect()
        });
        if let Some(model_name) = map.get(name) {
            return Ok(model_name);
        }
        let suggestions = crate::naming::closest(self.model.operation_names(), name, 3);
        Err(Error::UnknownOperation { service: self.service.clone(), operation: name.to_owned(), suggestions })
    }
}

#[cfg(test)]
mod tests;
