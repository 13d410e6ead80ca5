//! Sessions: configuration, credentials and connections loaded once and
//! shared by every client and resource made from them (boto3's
//! `boto3.session.Session`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), boto::Error> {
//! use boto::{params, Session};
//!
//! let session = Session::builder().profile("dev").region("eu-west-1").build()?;
//! let s3 = session.client("s3")?;
//! let buckets = s3.call("list_buckets", params!({})).await?;
//! let ddb = session.resource("dynamodb")?;
//! let table = ddb.table("users")?;
//! # let _ = (buckets, table);
//! # Ok(())
//! # }
//! ```

use std::sync::Arc;

use boto_core::client::{ClientApi, TransportFetch};
use boto_core::config::{ClientConfig, Env, Settings, SettingsResolver, SharedConfig, Verify};
use boto_core::credentials::{ChainOptions, Credentials, CredentialsCache};
use boto_core::model::{Loader, ModelError};
use boto_core::transport::{HttpClient, TransportConfig};
use boto_core::{Client, ClientBuilder};

use crate::error::Error;
use crate::resource::Resource;

/// A session (async): the shared configuration files and environment, one
/// credentials cache and one connection pool, loaded once and shared by
/// the clients and resources it makes. Cheap to clone.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<SharedConfig>,
    config: ClientConfig,
    region: Option<String>,
    credentials: CredentialsCache,
    http: HttpClient,
    loader: Loader,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile_name())
            .field("region", &self.inner.region)
            .field("endpoint_url", &self.inner.config.endpoint_url)
            .finish()
    }
}

/// Builds a [`Session`] (or, through [`crate::blocking::SessionBuilder`],
/// a blocking one).
#[must_use]
#[derive(Default)]
pub struct SessionBuilder {
    profile: Option<String>,
    region: Option<String>,
    endpoint_url: Option<String>,
    credentials: Option<Credentials>,
    config: ClientConfig,
    env: Option<Env>,
    loader: Option<Loader>,
}

impl std::fmt::Debug for SessionBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionBuilder")
            .field("profile", &self.profile)
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("credentials", &self.credentials)
            .finish()
    }
}

impl SessionBuilder {
    /// The profile of the shared config files (boto3's `profile_name`).
    /// It must exist. Selecting one also keeps environment-variable
    /// credentials out of the chain, as in botocore.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// The region (boto3's `region_name`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Static credentials for every client (boto3's `aws_access_key_id`,
    /// `aws_secret_access_key`, `aws_session_token`); they replace the
    /// credential chain.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// One endpoint URL for every client of the session (a local stand-in,
    /// say). `AWS_ENDPOINT_URL` and the config files work too, without
    /// this.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Client settings for every client (botocore's `Config`), merged over
    /// what was set already.
    pub fn config(mut self, config: ClientConfig) -> Self {
        self.config = self.config.merge(&config);
        self
    }

    /// The environment to read instead of the process's (for tests).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Where models come from (default: `AWS_DATA_PATH`, `~/.aws/models`,
    /// then the embedded bundle).
    pub fn loader(mut self, loader: Loader) -> Self {
        self.loader = Some(loader);
        self
    }

    /// Loads the configuration files, resolves the region and sets up the
    /// credential chain (credentials themselves are fetched on first use).
    pub fn build(self) -> Result<Session, Error> {
        self.build_with(None)
    }

    pub(crate) fn build_with(mut self, http: Option<HttpClient>) -> Result<Session, Error> {
        let env = self.env.take().unwrap_or_else(Env::from_process);
        let mut shared = SharedConfig::builder().env(env);
        if let Some(p) = &self.profile {
            shared = shared.profile(p.clone());
        }
        let shared = Arc::new(shared.load().map_err(|e| Error::Session(e.to_string()))?);
        let mut config = self.config.clone();
        if let Some(r) = self.region.take() {
            config.region = Some(r);
        }
        if let Some(u) = self.endpoint_url.take() {
            config.endpoint_url = Some(u);
        }
        let settings = SettingsResolver::new(&shared)
            .client_config(&config)
            .resolve()
            .map_err(|e| Error::Session(e.to_string()))?;
        let region = settings.region.clone();
        let http = match http {
            Some(h) => h,
            None => HttpClient::new(transport_config(&settings)).map_err(|e| Error::Session(e.to_string()))?,
        };
        let credentials = match self.credentials.take() {
            Some(c) => CredentialsCache::from_static(c),
            None => {
                let mut options = ChainOptions::default();
                options.api = Some(Arc::new(ClientApi::new(shared.clone(), http.clone(), region.clone())));
                options.http = Some(Arc::new(TransportFetch::new(http.clone())));
                options.region = region.clone();
                CredentialsCache::from_config(&shared, options).map_err(|e| Error::Session(e.to_string()))?
            }
        };
        let loader = self.loader.take().unwrap_or_else(Loader::from_env);
        tracing::debug!(profile = shared.profile_name(), region = ?region, "session ready");
        Ok(Session { inner: Arc::new(Inner { shared, config, region, credentials, http, loader }) })
    }
}

/// The transport settings a session's pool uses.
pub(crate) fn transport_config(settings: &Settings) -> TransportConfig {
    TransportConfig {
        connect_timeout: settings.connect_timeout,
        read_timeout: settings.read_timeout,
        max_pool_connections: settings.max_pool_connections,
        tcp_keepalive: settings.tcp_keepalive,
        ca_bundle: match &settings.verify {
            Some(Verify::CaBundle(p)) => Some(p.clone()),
            _ => None,
        },
        ..TransportConfig::default()
    }
}

impl Session {
    /// A builder.
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }

    /// A session from the environment and the default profile (boto3's
    /// `Session()`).
    pub fn new() -> Result<Session, Error> {
        Session::builder().build()
    }

    /// The profile in use (`default` when none is configured).
    pub fn profile_name(&self) -> &str {
        self.inner.shared.profile_name()
    }

    /// The region, if one is configured (in code, `AWS_DEFAULT_REGION` or
    /// the profile).
    pub fn region_name(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The loaded configuration.
    pub fn shared_config(&self) -> &Arc<SharedConfig> {
        &self.inner.shared
    }

    /// The credentials cache every client of the session shares.
    pub fn credentials_cache(&self) -> &CredentialsCache {
        &self.inner.credentials
    }

    /// The credentials, resolved through the chain on first use.
    pub async fn credentials(&self) -> Result<Credentials, Error> {
        self.inner
            .credentials
            .credentials()
            .await
            .map_err(|e| Error::Core(boto_core::Error::Credentials(e.to_string())))
    }

    /// The connection pool every client of the session shares.
    pub fn http_client(&self) -> &HttpClient {
        &self.inner.http
    }

    /// The model loader.
    pub fn loader(&self) -> &Loader {
        &self.inner.loader
    }

    /// The settings clients get unless told otherwise.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// A client builder with the session's configuration, credentials and
    /// pool, to adjust before building.
    pub fn client_builder(&self, service: &str) -> ClientBuilder {
        Client::builder(service)
            .shared_config(self.inner.shared.clone())
            .http_client(self.inner.http.clone())
            .credentials_cache(self.inner.credentials.clone())
            .loader(self.inner.loader.clone())
            .config(self.inner.config.clone())
    }

    /// A low-level client (boto3's `session.client("s3")`).
    pub fn client(&self, service: &str) -> Result<Client, Error> {
        Ok(self.client_builder(service).build()?)
    }

    /// The service resource of `service` (boto3's
    /// `session.resource("dynamodb")`), over a new client with
    /// `user_agent_extra = "Resource"` (unless configured).
    pub fn resource(&self, service: &str) -> Result<Resource, Error> {
        let loader = &self.inner.loader;
        let versions = match loader.list_api_versions(service, "resources-1") {
            Ok(v) if !v.is_empty() => v,
            Ok(_) | Err(ModelError::UnknownService { .. } | ModelError::DataNotFound(_)) => {
                return Err(Error::ResourceNotExists {
                    service: service.to_owned(),
                    available: self.available_resources(),
                    has_client: self.available_services().iter().any(|s| s == service),
                })
            }
            Err(e) => return Err(e.into()),
        };
        let mut builder = self.client_builder(service);
        // boto3 makes the client for the resource model's API version.
        if let Some(version) = versions.last() {
            if loader.list_api_versions(service, "service-2").unwrap_or_default().contains(version) {
                builder = builder.api_version(version.clone());
            }
        }
        if self.inner.config.user_agent_extra.is_none() {
            let mut extra = ClientConfig::default();
            extra.user_agent_extra = Some("Resource".into());
            builder = builder.config(extra);
        }
        Resource::from_client(builder.build()?, loader)
    }

    /// The DynamoDB service resource with boto3's high-level methods
    /// (`session.resource("dynamodb")`, wrapped).
    pub fn dynamodb(&self) -> Result<crate::dynamodb::DynamoDb, Error> {
        crate::dynamodb::DynamoDb::new(self.resource("dynamodb")?)
    }

    /// Every service a client can be made for (boto3's
    /// `get_available_services()`).
    pub fn available_services(&self) -> Vec<String> {
        self.inner.loader.list_services().unwrap_or_default()
    }

    /// Every service a resource can be made for (boto3's
    /// `get_available_resources()`).
    pub fn available_resources(&self) -> Vec<String> {
        self.inner.loader.list_available_services("resources-1").unwrap_or_default()
    }

    /// The profiles of the config and credentials files (boto3's
    /// `available_profiles`).
    pub fn available_profiles(&self) -> Vec<String> {
        self.inner.shared.profiles().keys().cloned().collect()
    }

    /// The partitions (`aws`, `aws-cn`, ...), boto3's
    /// `get_available_partitions()`.
    pub fn available_partitions(&self) -> Vec<String> {
        crate::regions::available_partitions(&self.inner.loader)
    }

    /// The regions of `partition` where `service` has an endpoint (boto3's
    /// `get_available_regions(service, partition_name, allow_non_regional)`),
    /// see [`crate::regions`].
    pub fn available_regions_in(&self, service: &str, partition: &str, allow_non_regional: bool) -> Vec<String> {
        crate::regions::available_regions(&self.inner.loader, service, partition, allow_non_regional)
    }

    /// The regions of the `aws` partition where `service` has an endpoint
    /// (boto3's `get_available_regions(service)`).
    pub fn get_available_regions(&self, service: &str) -> Vec<String> {
        self.available_regions_in(service, "aws", false)
    }

    /// The partition of a region (`aws-cn` for `cn-north-1`), boto3's
    /// `get_partition_for_region`.
    pub fn partition_for_region(&self, region: &str) -> Option<String> {
        crate::regions::partition_for_region(&self.inner.loader, region)
    }
}
