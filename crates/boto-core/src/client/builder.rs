//! Building a client: model, settings, transport, credentials, endpoint
//! rules, retries and auth, resolved once.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use super::api::{ClientApi, TransportFetch};
use super::{Client, Inner};
use crate::auth::AuthConfig;
use crate::config::{
    AddressingStyle, ClientConfig, Env, RegionalEndpoints, Settings, SettingsResolver, SharedConfig, Verify,
};
use crate::credentials::{ChainOptions, Credentials, CredentialsCache};
use crate::endpoint::{BuiltIns, EndpointConfig, EndpointResolver, ParamValue};
use crate::error::Error;
use crate::hooks::Interceptor;
use crate::model::Loader;
use crate::protocol::Protocol;
use crate::retry::{RetryMode, RetryStrategy};
use crate::transport::{HttpClient, ProxyConfig, TransportConfig};

/// Builds a [`Client`].
///
/// ```no_run
/// use boto_core::Client;
/// use std::time::Duration;
/// let s3 = Client::builder("s3")
///     .region("eu-west-1")
///     .endpoint_url("http://127.0.0.1:9000")
///     .read_timeout(Duration::from_secs(5))
///     .build()
///     .unwrap();
/// # let _ = s3;
/// ```
#[must_use]
pub struct ClientBuilder {
    service: String,
    api_version: Option<String>,
    shared: Option<Arc<SharedConfig>>,
    profile: Option<String>,
    config: ClientConfig,
    credentials: Option<Credentials>,
    credentials_cache: Option<CredentialsCache>,
    anonymous: bool,
    http: Option<HttpClient>,
    hooks: Vec<Arc<dyn Interceptor>>,
    loader: Option<Loader>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("service", &self.service)
            .field("config", &self.config)
            .field("credentials", &self.credentials)
            .field("anonymous", &self.anonymous)
            .finish()
    }
}

impl ClientBuilder {
    pub(super) fn new(service: &str) -> ClientBuilder {
        ClientBuilder {
            service: service.to_owned(),
            api_version: None,
            shared: None,
            profile: None,
            config: ClientConfig::default(),
            credentials: None,
            credentials_cache: None,
            anonymous: false,
            http: None,
            hooks: Vec::new(),
            loader: None,
        }
    }

    /// The region (`us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// A fixed endpoint URL (`http://127.0.0.1:5000`), overriding
    /// AWS_ENDPOINT_URL and the configuration files.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// Static credentials; they replace the whole credential chain.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// A credentials cache to share with other clients (a session's).
    pub fn credentials_cache(mut self, cache: CredentialsCache) -> Self {
        self.credentials_cache = Some(cache);
        self
    }

    /// Sends every request unsigned (botocore's `signature_version=UNSIGNED`).
    pub fn anonymous(mut self) -> Self {
        self.anonymous = true;
        self
    }

    /// The profile of the shared config files to use.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// The shared configuration (files and environment) to resolve settings
    /// from; by default it is loaded from the process environment.
    pub fn shared_config(mut self, shared: Arc<SharedConfig>) -> Self {
        self.shared = Some(shared);
        self
    }

    /// Client settings, as botocore's `Config` (merged over what was set
    /// already).
    pub fn config(mut self, config: ClientConfig) -> Self {
        self.config = self.config.merge(&config);
        self
    }

    /// The model API version (default: the newest).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Connect timeout (default 60 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = Some(timeout);
        self
    }

    /// Read timeout (default 60 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.config.read_timeout = Some(timeout);
        self
    }

    /// Retry mode and total attempts.
    pub fn retries(mut self, mode: RetryMode, max_attempts: u32) -> Self {
        self.config.retries.mode = Some(mode);
        self.config.retries.total_max_attempts = Some(max_attempts);
        self
    }

    /// Idle connections kept per host (default 10); raise it for
    /// concurrency.
    pub fn max_pool_connections(mut self, n: usize) -> Self {
        self.config.max_pool_connections = Some(n);
        self
    }

    /// S3 addressing: path style (`host/bucket/key`) or virtual-hosted
    /// (`bucket.host/key`).
    pub fn s3_addressing_style(mut self, style: AddressingStyle) -> Self {
        let mut s3 = self.config.s3.take().unwrap_or_default();
        s3.addressing_style = Some(style);
        self.config.s3 = Some(s3);
        self
    }

    /// Turns parameter validation off (or on).
    pub fn parameter_validation(mut self, on: bool) -> Self {
        self.config.parameter_validation = Some(on);
        self
    }

    /// Shares a transport (and so its connection pool) with other clients.
    pub fn http_client(mut self, http: HttpClient) -> Self {
        self.http = Some(http);
        self
    }

    /// Adds an interceptor.
    pub fn interceptor(mut self, interceptor: Arc<dyn Interceptor>) -> Self {
        self.hooks.push(interceptor);
        self
    }

    /// Where models come from (default: `AWS_DATA_PATH`, `~/.aws/models`,
    /// then the embedded bundle).
    pub fn loader(mut self, loader: Loader) -> Self {
        self.loader = Some(loader);
        self
    }

    /// Builds the client. Loads the model (cached per process), resolves the
    /// settings and sets up credentials (fetched lazily on the first call).
    pub fn build(self) -> Result<Client, Error> {
        let loader = self.loader.clone().unwrap_or_else(Loader::from_env);
        let model = loader.service_model(&self.service, self.api_version.as_deref())?;
        let shared = match (&self.shared, &self.profile) {
            (Some(s), Some(p)) => Arc::new(s.with_profile(p.clone())),
            (Some(s), None) => s.clone(),
            (None, profile) => {
                let mut b = SharedConfig::builder().env(Env::from_process());
                if let Some(p) = profile {
                    b = b.profile(p.clone());
                }
                Arc::new(b.load().map_err(|e| Error::Config(e.to_string()))?)
            }
        };
        let settings = SettingsResolver::new(&shared)
            .client_config(&self.config)
            .service_id(&model.metadata().service_id)
            .resolve()
            .map_err(|e| Error::Config(e.to_string()))?;
        let protocol = Protocol::for_model(&model).ok_or_else(|| {
            Error::Config(format!(
                "{} speaks {:?}, which boto-rs does not support",
                self.service,
                model.metadata().protocols
            ))
        })?;
        let http = match self.http {
            Some(h) => h,
            None => HttpClient::new(transport_config(&settings)).map_err(|e| Error::Config(e.to_string()))?,
        };
        let retry_model = match settings.retry_mode {
            RetryMode::Legacy => Some(loader.load_global("_retry")?),
            _ => None,
        };
        let retry = RetryStrategy::new(settings.retry_mode, settings.max_attempts, &model, retry_model.as_deref());
        let endpoints =
            EndpointResolver::with_loader(&loader, model.clone()).map_err(|e| Error::Endpoint(e.to_string()))?;
        let wants_account_id =
            endpoints.rule_set().parameters().iter().any(|p| p.built_in.as_deref() == Some("AWS::Auth::AccountId"));
        let endpoint_config = endpoint_config(&self.service, &settings, &model);
        let credentials = if self.anonymous {
            None
        } else if let Some(c) = self.credentials {
            Some(CredentialsCache::from_static(c))
        } else if let Some(cache) = self.credentials_cache {
            Some(cache)
        } else {
            let options = ChainOptions {
                api: Some(Arc::new(ClientApi::new(shared.clone(), http.clone(), settings.region.clone()))),
                // The metadata endpoints are link-local: never through a proxy.
                http: Some(Arc::new(TransportFetch::new(
                    HttpClient::new(TransportConfig { proxy: ProxyConfig::none(), ..transport_config(&settings) })
                        .map_err(|e| Error::Config(e.to_string()))?,
                ))),
                region: settings.region.clone(),
                ..ChainOptions::default()
            };
            Some(CredentialsCache::from_config(&shared, options).map_err(|e| Error::Credentials(e.to_string()))?)
        };
        let auth_config = AuthConfig {
            signature_version: settings.signature_version.clone(),
            unsigned: self.anonymous,
            auth_scheme_preference: settings.auth_scheme_preference.clone().unwrap_or_default(),
            sigv4a_signing_region_set: settings.sigv4a_signing_region_set.as_ref().map(|v| v.join(",")),
            s3_payload_signing_enabled: settings.s3.payload_signing_enabled,
            ..AuthConfig::default()
        };
        let user_agent = super::user_agent::header(&settings, &model);
        Ok(Client {
            inner: Arc::new(Inner {
                service: self.service,
                model,
                loader,
                protocol,
                settings: Arc::new(settings),
                credentials,
                http,
                retry: Arc::new(retry),
                endpoints: Arc::new(endpoints),
                endpoint_config,
                wants_account_id,
                in_lambda: std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_some(),
                auth_config,
                hooks: super::customize::builtin_hooks(&self.hooks),
                user_agent,
                snake_names: Arc::new(OnceLock::new()),
                patched: Arc::new(Mutex::new(Default::default())),
            }),
        })
    }
}

/// The transport settings of a client.
pub(crate) fn transport_config(settings: &Settings) -> TransportConfig {
    TransportConfig {
        connect_timeout: settings.connect_timeout,
        read_timeout: settings.read_timeout,
        max_pool_connections: settings.max_pool_connections,
        ca_bundle: match &settings.verify {
            Some(Verify::CaBundle(p)) => Some(p.clone()),
            _ => None,
        },
        tcp_keepalive: settings.tcp_keepalive,
        proxy: ProxyConfig {
            http: settings.proxies.get("http").cloned(),
            https: settings.proxies.get("https").cloned(),
            no_proxy: None,
            from_env: true,
        },
        ..TransportConfig::default()
    }
}

/// botocore's `AWS::S3::ForcePathStyle` default: never with acceleration;
/// with a custom endpoint URL (not an accelerate one), unless virtual
/// addressing was asked for; otherwise only when path style was asked for.
fn force_path_style(settings: &Settings) -> bool {
    let style = settings.s3.addressing_style;
    if settings.s3.use_accelerate_endpoint == Some(true) {
        false
    } else if settings.endpoint_url.as_deref().is_some_and(|u| !u.contains("s3-accelerate.")) {
        style != Some(AddressingStyle::Virtual)
    } else {
        style == Some(AddressingStyle::Path)
    }
}

/// The builtIn and client-context endpoint parameters the settings give.
fn endpoint_config(service: &str, settings: &Settings, model: &crate::model::ServiceModel) -> EndpointConfig {
    let region = settings.region.clone();
    let s3 = &settings.s3;
    let legacy_global = |r: Option<&str>| r == Some("us-east-1") || r == Some("aws-global");
    let builtins = BuiltIns {
        region: region.clone(),
        use_fips: Some(settings.use_fips_endpoint),
        use_dual_stack: Some(
            settings.use_dualstack_endpoint || s3.use_dualstack_endpoint == Some(true) && service == "s3",
        ),
        endpoint: settings.endpoint_url.clone(),
        s3_accelerate: Some(s3.use_accelerate_endpoint.unwrap_or(false)),
        s3_force_path_style: Some(force_path_style(settings)),
        s3_use_arn_region: Some(s3.use_arn_region.unwrap_or(true)),
        s3_disable_multi_region_access_points: Some(s3.disable_multiregion_access_points.unwrap_or(false)),
        s3_use_global_endpoint: Some(
            legacy_global(region.as_deref()) && s3.us_east_1_regional_endpoint != Some(RegionalEndpoints::Regional),
        ),
        s3_disable_express_session_auth: settings.s3_disable_express_session_auth,
        s3_control_use_arn_region: Some(s3.use_arn_region.unwrap_or(false)),
        sts_use_global_endpoint: Some(settings.sts_regional_endpoints == RegionalEndpoints::Legacy),
        account_id: None,
        account_id_endpoint_mode: Some(settings.account_id_endpoint_mode.as_str().to_owned()),
    };
    let mut client_context = indexmap::IndexMap::new();
    let declared = model.client_context_params();
    let mut put = |name: &str, value: ParamValue| {
        if declared.contains_key(name) {
            client_context.insert(name.to_owned(), value);
        }
    };
    if service == "s3" || service == "s3control" {
        if let Some(v) = s3.use_accelerate_endpoint {
            put("Accelerate", ParamValue::Bool(v));
        }
        if let Some(style) = s3.addressing_style {
            put("ForcePathStyle", ParamValue::Bool(style == AddressingStyle::Path));
        }
        if let Some(v) = s3.use_arn_region {
            put("UseArnRegion", ParamValue::Bool(v));
        }
        if let Some(v) = s3.disable_multiregion_access_points {
            put("DisableMultiRegionAccessPoints", ParamValue::Bool(v));
        }
        if let Some(v) = settings.s3_disable_express_session_auth {
            put("DisableS3ExpressSessionAuth", ParamValue::Bool(v));
        }
    }
    if let Some(params) = &settings.client_context_params {
        for (k, v) in params {
            let value = match v {
                crate::Value::Bool(b) => ParamValue::Bool(*b),
                crate::Value::String(s) => ParamValue::String(s.clone()),
                other => ParamValue::from_json(&other.to_json()),
            };
            put(k, value);
        }
    }
    EndpointConfig { builtins, client_context }
}
