//! Every setting botocore reads, typed, with botocore's precedence:
//! explicit ([`ClientConfig`]) > environment > profile > defaults mode >
//! built-in default.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use indexmap::IndexMap;

use super::defaults_mode::{mode_defaults, resolve_auto_mode, DefaultsMode, ModeDefaults};
use super::endpoint_url::resolve_configured_endpoint_url;
use super::env::Env;
use super::error::{ConfigError, Source};
use super::files::Section;
use super::shared::SharedConfig;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, lowercase = $lower:expr, { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// The value as written in config.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The accepted values, for error messages.
            pub fn expected() -> String {
                format!("one of {}", [$($text),+].join(", "))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<$name, ()> {
                let s = if $lower { s.to_ascii_lowercase() } else { s.to_string() };
                match s.as_str() { $($text => Ok($name::$variant),)+ _ => Err(()) }
            }
        }
    };
}

string_enum!(
    /// `retry_mode` / `AWS_RETRY_MODE`.
    RetryMode, lowercase = true, {
        /// Botocore's original retry handler.
        Legacy => "legacy",
        /// Standard retries with a retry quota.
        Standard => "standard",
        /// Standard plus client-side rate limiting.
        Adaptive => "adaptive",
    }
);

string_enum!(
    /// `sts_regional_endpoints` and `s3 us_east_1_regional_endpoint`.
    RegionalEndpoints, lowercase = false, {
        /// Global endpoints for the legacy regions.
        Legacy => "legacy",
        /// Always the regional endpoint.
        Regional => "regional",
    }
);

string_enum!(
    /// `s3 addressing_style`.
    AddressingStyle, lowercase = false, {
        /// Virtual-hosted when possible.
        Auto => "auto",
        /// Always virtual-hosted (`bucket.s3...`).
        Virtual => "virtual",
        /// Always path style (`s3.../bucket`).
        Path => "path",
    }
);

string_enum!(
    /// `request_checksum_calculation` / `response_checksum_validation`.
    ChecksumMode, lowercase = true, {
        /// Whenever the operation supports a checksum.
        WhenSupported => "when_supported",
        /// Only when the operation requires one.
        WhenRequired => "when_required",
    }
);

string_enum!(
    /// `account_id_endpoint_mode`.
    AccountIdEndpointMode, lowercase = true, {
        /// Use account-based endpoints when the account id is known.
        Preferred => "preferred",
        /// Never.
        Disabled => "disabled",
        /// Always; fail without an account id.
        Required => "required",
    }
);

string_enum!(
    /// `ec2_metadata_service_endpoint_mode`.
    ImdsEndpointMode, lowercase = true, {
        /// `http://169.254.169.254/`.
        Ipv4 => "ipv4",
        /// `http://[fd00:ec2::254]/`.
        Ipv6 => "ipv6",
    }
);

/// `endpoint_discovery_enabled`: `auto`, `true` or `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointDiscovery {
    /// Only for operations that require discovery.
    Auto,
    /// Always when the service supports it.
    Enabled,
    /// Never.
    Disabled,
}

impl FromStr for EndpointDiscovery {
    type Err = ();
    fn from_str(s: &str) -> Result<EndpointDiscovery, ()> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(EndpointDiscovery::Auto),
            "true" => Ok(EndpointDiscovery::Enabled),
            "false" => Ok(EndpointDiscovery::Disabled),
            _ => Err(()),
        }
    }
}

/// The `retries` part of [`ClientConfig`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetriesConfig {
    /// The retry mode.
    pub mode: Option<RetryMode>,
    /// Retries after the first attempt (botocore's `max_attempts` in
    /// `Config(retries=...)`, which counts retries, not attempts).
    pub max_attempts: Option<u32>,
    /// Attempts including the first one.
    pub total_max_attempts: Option<u32>,
}

/// S3-specific settings (the `s3` sub-section of a profile, some
/// environment variables and `Config(s3=...)`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct S3Settings {
    /// `addressing_style`.
    pub addressing_style: Option<AddressingStyle>,
    /// `use_accelerate_endpoint`.
    pub use_accelerate_endpoint: Option<bool>,
    /// `use_dualstack_endpoint` (S3's own flag).
    pub use_dualstack_endpoint: Option<bool>,
    /// `payload_signing_enabled`.
    pub payload_signing_enabled: Option<bool>,
    /// `use_arn_region` (`s3_use_arn_region`, `AWS_S3_USE_ARN_REGION`).
    pub use_arn_region: Option<bool>,
    /// `us_east_1_regional_endpoint` (`s3_us_east_1_regional_endpoint`,
    /// `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT`).
    pub us_east_1_regional_endpoint: Option<RegionalEndpoints>,
    /// `s3_disable_multiregion_access_points`
    /// (`AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS`).
    pub disable_multiregion_access_points: Option<bool>,
    /// Other keys of the `s3` sub-section (`signature_version`, the CLI's
    /// transfer settings, ...), as written.
    pub extra: BTreeMap<String, String>,
}

impl S3Settings {
    fn merge_from(&mut self, other: &S3Settings) {
        macro_rules! take {
            ($($f:ident),*) => { $(if other.$f.is_some() { self.$f = other.$f; })* };
        }
        take!(
            addressing_style,
            use_accelerate_endpoint,
            use_dualstack_endpoint,
            payload_signing_enabled,
            use_arn_region,
            us_east_1_regional_endpoint,
            disable_multiregion_access_points
        );
        self.extra.extend(other.extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

/// Proxy settings beyond the proxy URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProxiesConfig {
    /// `proxy_ca_bundle`.
    pub proxy_ca_bundle: Option<String>,
    /// `proxy_client_cert`.
    pub proxy_client_cert: Option<String>,
    /// `proxy_use_forwarding_for_https`.
    pub proxy_use_forwarding_for_https: Option<bool>,
}

/// TLS verification: on with the default roots, on with a CA bundle, or off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verify {
    /// Verify against this CA bundle.
    CaBundle(PathBuf),
    /// Do not verify certificates.
    Disabled,
}

/// What a user sets in code: botocore's `Config(...)` plus the
/// `create_client` arguments that are settings (`region_name`,
/// `endpoint_url`, `verify`). Every field is optional; set ones win over
/// the environment and the profile.
///
/// ```
/// use boto_core::config::{ClientConfig, RetryMode};
/// let mut cfg = ClientConfig::default();
/// cfg.region = Some("eu-west-1".into());
/// cfg.retries.mode = Some(RetryMode::Adaptive);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ClientConfig {
    /// `region_name`.
    pub region: Option<String>,
    /// `endpoint_url` given to the client.
    pub endpoint_url: Option<String>,
    /// `verify`: a CA bundle or no verification.
    pub verify: Option<Verify>,
    /// `signature_version` (`v4`, `s3v4`, `unsigned`, ...).
    pub signature_version: Option<String>,
    /// `user_agent`.
    pub user_agent: Option<String>,
    /// `user_agent_extra`.
    pub user_agent_extra: Option<String>,
    /// `user_agent_appid`.
    pub user_agent_appid: Option<String>,
    /// `connect_timeout`.
    pub connect_timeout: Option<Duration>,
    /// `read_timeout`.
    pub read_timeout: Option<Duration>,
    /// `parameter_validation`.
    pub parameter_validation: Option<bool>,
    /// `max_pool_connections`.
    pub max_pool_connections: Option<usize>,
    /// `proxies`: scheme (or `scheme://host`) to proxy URL.
    pub proxies: Option<BTreeMap<String, String>>,
    /// `proxies_config`.
    pub proxies_config: Option<ProxiesConfig>,
    /// `s3`.
    pub s3: Option<S3Settings>,
    /// `s3` `disable_s3_express_session_auth`.
    pub s3_disable_express_session_auth: Option<bool>,
    /// `retries`.
    pub retries: RetriesConfig,
    /// `client_cert`: a PEM file, or a certificate and key pair.
    pub client_cert: Option<(PathBuf, Option<PathBuf>)>,
    /// `inject_host_prefix`.
    pub inject_host_prefix: Option<bool>,
    /// `endpoint_discovery_enabled`.
    pub endpoint_discovery_enabled: Option<EndpointDiscovery>,
    /// `use_dualstack_endpoint`.
    pub use_dualstack_endpoint: Option<bool>,
    /// `use_fips_endpoint`.
    pub use_fips_endpoint: Option<bool>,
    /// `ignore_configured_endpoint_urls`.
    pub ignore_configured_endpoint_urls: Option<bool>,
    /// `defaults_mode`.
    pub defaults_mode: Option<DefaultsMode>,
    /// `tcp_keepalive`.
    pub tcp_keepalive: Option<bool>,
    /// `request_min_compression_size_bytes`.
    pub request_min_compression_size_bytes: Option<u64>,
    /// `disable_request_compression`.
    pub disable_request_compression: Option<bool>,
    /// `client_context_params`.
    pub client_context_params: Option<crate::value::Map>,
    /// `sigv4a_signing_region_set` (comma-separated).
    pub sigv4a_signing_region_set: Option<String>,
    /// `request_checksum_calculation`.
    pub request_checksum_calculation: Option<ChecksumMode>,
    /// `response_checksum_validation`.
    pub response_checksum_validation: Option<ChecksumMode>,
    /// `account_id_endpoint_mode`.
    pub account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    /// `auth_scheme_preference` (comma-separated scheme names).
    pub auth_scheme_preference: Option<String>,
}

impl ClientConfig {
    /// `self` with every field that `other` sets replaced (botocore's
    /// `Config.merge`: the session default config merged with a client's).
    pub fn merge(&self, other: &ClientConfig) -> ClientConfig {
        let mut out = self.clone();
        macro_rules! over {
            ($($f:ident),*) => { $(if other.$f.is_some() { out.$f = other.$f.clone(); })* };
        }
        over!(
            region,
            endpoint_url,
            verify,
            signature_version,
            user_agent,
            user_agent_extra,
            user_agent_appid,
            connect_timeout,
            read_timeout,
            parameter_validation,
            max_pool_connections,
            proxies,
            proxies_config,
            s3,
            s3_disable_express_session_auth,
            client_cert,
            inject_host_prefix,
            endpoint_discovery_enabled,
            use_dualstack_endpoint,
            use_fips_endpoint,
            ignore_configured_endpoint_urls,
            defaults_mode,
            tcp_keepalive,
            request_min_compression_size_bytes,
            disable_request_compression,
            client_context_params,
            sigv4a_signing_region_set,
            request_checksum_calculation,
            response_checksum_validation,
            account_id_endpoint_mode,
            auth_scheme_preference
        );
        if other.retries != RetriesConfig::default() {
            out.retries = other.retries.clone();
        }
        out
    }

    fn is_unsigned(&self) -> bool {
        self.signature_version.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("unsigned"))
    }
}

/// Instance metadata service (IMDS) settings; also used by the credential
/// chain.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImdsSettings {
    /// `metadata_service_timeout` (seconds; default 1).
    pub timeout: Duration,
    /// `metadata_service_num_attempts` (default 1).
    pub num_attempts: u32,
    /// `ec2_metadata_service_endpoint`.
    pub endpoint: Option<String>,
    /// `ec2_metadata_service_endpoint_mode`, else `imds_use_ipv6`.
    pub endpoint_mode: ImdsEndpointMode,
    /// `ec2_metadata_v1_disabled`.
    pub v1_disabled: bool,
    /// `AWS_EC2_METADATA_DISABLED=true`.
    pub disabled: bool,
}

impl Default for ImdsSettings {
    fn default() -> ImdsSettings {
        ImdsSettings {
            timeout: Duration::from_secs(1),
            num_attempts: 1,
            endpoint: None,
            endpoint_mode: ImdsEndpointMode::Ipv4,
            v1_disabled: false,
            disabled: false,
        }
    }
}

impl ImdsSettings {
    /// The base URL: the configured endpoint, else by endpoint mode.
    pub fn base_url(&self) -> &str {
        match (&self.endpoint, self.endpoint_mode) {
            (Some(e), _) => e,
            (None, ImdsEndpointMode::Ipv6) => "http://[fd00:ec2::254]/",
            (None, ImdsEndpointMode::Ipv4) => "http://169.254.169.254/",
        }
    }

    /// Resolves from the environment and the selected profile (a missing
    /// profile counts as empty).
    pub fn resolve(shared: &SharedConfig) -> Result<ImdsSettings, ConfigError> {
        let profile = shared.scoped_or_empty();
        let l = Lookup { env: shared.env(), profile: &profile };
        let mut sources = BTreeMap::new();
        l.imds(&mut sources)
    }
}

/// Client-side monitoring settings (deprecated in botocore, still read).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsmSettings {
    /// `csm_enabled`.
    pub enabled: bool,
    /// `csm_host`.
    pub host: String,
    /// `csm_port`.
    pub port: u16,
    /// `csm_client_id`.
    pub client_id: String,
}

/// The resolved settings for one client.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Settings {
    /// The profile in effect.
    pub profile: String,
    /// `region_name` / `AWS_DEFAULT_REGION` / `region`.
    pub region: Option<String>,
    /// The configured defaults mode (`auto` stays `auto` here).
    pub defaults_mode: DefaultsMode,
    /// The mode whose defaults were applied (`auto` resolved).
    pub effective_defaults_mode: DefaultsMode,
    /// Retry mode.
    pub retry_mode: RetryMode,
    /// Total attempts including the first, when configured.
    pub max_attempts: Option<u32>,
    /// Connect timeout (60 s, or the defaults mode's).
    pub connect_timeout: Duration,
    /// Read timeout (60 s).
    pub read_timeout: Duration,
    /// Connection pool size (10).
    pub max_pool_connections: usize,
    /// Validate parameters before sending.
    pub parameter_validation: bool,
    /// The endpoint URL from code, `AWS_ENDPOINT_URL[_<SERVICE>]` or the
    /// config file, unless ignored.
    pub endpoint_url: Option<String>,
    /// `ignore_configured_endpoint_urls`.
    pub ignore_configured_endpoint_urls: bool,
    /// `use_fips_endpoint`.
    pub use_fips_endpoint: bool,
    /// `use_dualstack_endpoint` (for S3 and S3 Control the `s3` section's
    /// flag counts too).
    pub use_dualstack_endpoint: bool,
    /// TLS verification (`verify` / `AWS_CA_BUNDLE` / `ca_bundle`).
    pub verify: Option<Verify>,
    /// S3 settings.
    pub s3: S3Settings,
    /// S3 Express session auth disabled.
    pub s3_disable_express_session_auth: Option<bool>,
    /// `sts_regional_endpoints`.
    pub sts_regional_endpoints: RegionalEndpoints,
    /// `request_min_compression_size_bytes` (1..=1048576, default 10240).
    pub request_min_compression_size_bytes: u64,
    /// `disable_request_compression`.
    pub disable_request_compression: bool,
    /// `request_checksum_calculation`.
    pub request_checksum_calculation: ChecksumMode,
    /// `response_checksum_validation`.
    pub response_checksum_validation: ChecksumMode,
    /// `account_id_endpoint_mode` (`disabled` for unsigned clients).
    pub account_id_endpoint_mode: AccountIdEndpointMode,
    /// `sigv4a_signing_region_set`, split at commas.
    pub sigv4a_signing_region_set: Option<Vec<String>>,
    /// `auth_scheme_preference`, split at commas, blanks removed.
    pub auth_scheme_preference: Option<Vec<String>>,
    /// `user_agent_appid` / `sdk_ua_app_id`.
    pub user_agent_appid: Option<String>,
    /// `user_agent`.
    pub user_agent: Option<String>,
    /// `user_agent_extra`.
    pub user_agent_extra: Option<String>,
    /// `signature_version` from code.
    pub signature_version: Option<String>,
    /// Host prefix injection (`inject_host_prefix`, or not
    /// `disable_host_prefix_injection`).
    pub inject_host_prefix: bool,
    /// `tcp_keepalive` / `BOTOCORE_TCP_KEEPALIVE`.
    pub tcp_keepalive: bool,
    /// `endpoint_discovery_enabled`.
    pub endpoint_discovery_enabled: EndpointDiscovery,
    /// IMDS settings.
    pub imds: ImdsSettings,
    /// Proxy URLs from code.
    pub proxies: BTreeMap<String, String>,
    /// Proxy options.
    pub proxies_config: ProxiesConfig,
    /// Client certificate from code.
    pub client_cert: Option<(PathBuf, Option<PathBuf>)>,
    /// Client context parameters from code.
    pub client_context_params: Option<crate::value::Map>,
    /// Client-side monitoring.
    pub csm: CsmSettings,
    /// `api_versions` sub-section: service to API version.
    pub api_versions: IndexMap<String, String>,
    /// `AWS_DATA_PATH` / `data_path`.
    pub data_path: Option<String>,
    /// Where each resolved setting came from, by logical name.
    pub sources: BTreeMap<&'static str, Source>,
}

/// Resolves [`Settings`] for one client.
///
/// ```
/// use boto_core::config::{ClientConfig, Env, RetryMode, SettingsResolver, SharedConfig};
/// let env = Env::from_map([("AWS_RETRY_MODE", "adaptive"), ("AWS_DEFAULT_REGION", "us-west-2")]);
/// let shared = SharedConfig::load(&env).unwrap();
/// let settings = SettingsResolver::new(&shared).service_id("S3").resolve().unwrap();
/// assert_eq!(settings.retry_mode, RetryMode::Adaptive);
/// assert_eq!(settings.region.as_deref(), Some("us-west-2"));
/// ```
#[derive(Debug, Clone)]
pub struct SettingsResolver<'a> {
    shared: &'a SharedConfig,
    client: Option<&'a ClientConfig>,
    service_id: Option<&'a str>,
    instance_region: Option<&'a str>,
}

impl<'a> SettingsResolver<'a> {
    /// A resolver over this shared config.
    pub fn new(shared: &'a SharedConfig) -> SettingsResolver<'a> {
        SettingsResolver { shared, client: None, service_id: None, instance_region: None }
    }

    /// The settings given in code.
    pub fn client_config(mut self, client: &'a ClientConfig) -> Self {
        self.client = Some(client);
        self
    }

    /// The service's `serviceId` (`S3`, `DynamoDB`, `API Gateway`), for
    /// per-service endpoint URLs and S3 specifics.
    pub fn service_id(mut self, service_id: &'a str) -> Self {
        self.service_id = Some(service_id);
        self
    }

    /// The region the instance runs in (from IMDS), for `defaults_mode =
    /// auto`. The caller fetches it; resolution does no I/O.
    pub fn instance_region(mut self, region: Option<&'a str>) -> Self {
        self.instance_region = region;
        self
    }

    /// Resolves every setting.
    pub fn resolve(self) -> Result<Settings, ConfigError> {
        let default_client = ClientConfig::default();
        let c = self.client.unwrap_or(&default_client);
        let profile = self.shared.scoped()?;
        let env = self.shared.env();
        let l = Lookup { env, profile: &profile };
        let mut src: BTreeMap<&'static str, Source> = BTreeMap::new();

        // Region.
        let region = match &c.region {
            Some(r) => {
                src.insert("region", Source::Explicit);
                Some((r.clone(), Source::Explicit))
            }
            None => l.raw(&["AWS_DEFAULT_REGION"], &[Key::Top("region")]),
        };
        if let Some((r, origin)) = &region {
            if !valid_region(r) {
                return Err(ConfigError::InvalidValue {
                    setting: "region",
                    value: r.clone(),
                    origin: origin.clone(),
                    expected: "a valid host label (letters, digits and hyphens, at most 63)".into(),
                });
            }
            src.insert("region", origin.clone());
        }
        let region = region.map(|(r, _)| r);

        // Defaults mode.
        let defaults_mode = match c.defaults_mode {
            Some(m) => {
                src.insert("defaults_mode", Source::Explicit);
                m
            }
            None => l
                .parsed(&mut src, "defaults_mode", &["AWS_DEFAULTS_MODE"], &[Key::Top("defaults_mode")], || {
                    format!("one of {}", DefaultsMode::ALL.map(|m| m.as_str()).join(", "))
                })?
                .unwrap_or(DefaultsMode::Legacy),
        };
        let effective_defaults_mode = match defaults_mode {
            DefaultsMode::Auto => resolve_auto_mode(env, region.as_deref(), self.instance_region),
            m => m,
        };
        let md: Option<ModeDefaults> = mode_defaults(effective_defaults_mode)?;
        let mode_src = Source::DefaultsMode(effective_defaults_mode.as_str().to_string());

        // Retries.
        let retry_mode = match c.retries.mode {
            Some(m) => {
                src.insert("retry_mode", Source::Explicit);
                m
            }
            None => match l.parsed(&mut src, "retry_mode", &["AWS_RETRY_MODE"], &[Key::Top("retry_mode")], || {
                RetryMode::expected()
            })? {
                Some(m) => m,
                None => defaulted(&mut src, "retry_mode", md.as_ref().map(|d| d.retry_mode), &mode_src)
                    .unwrap_or(RetryMode::Standard),
            },
        };
        let max_attempts = if let Some(total) = c.retries.total_max_attempts {
            if total < 1 {
                return Err(invalid_explicit("max_attempts", total, "total_max_attempts must be at least 1"));
            }
            src.insert("max_attempts", Source::Explicit);
            Some(total)
        } else if let Some(retries) = c.retries.max_attempts {
            src.insert("max_attempts", Source::Explicit);
            Some(retries + 1)
        } else {
            let v: Option<u32> =
                l.number(&mut src, "max_attempts", &["AWS_MAX_ATTEMPTS"], &[Key::Top("max_attempts")])?;
            if let Some(0) = v {
                return Err(ConfigError::InvalidValue {
                    setting: "max_attempts",
                    value: "0".into(),
                    origin: src["max_attempts"].clone(),
                    expected: "an integer of at least 1".into(),
                });
            }
            v
        };

        // Timeouts and pool.
        let connect_timeout = match c.connect_timeout {
            Some(t) => {
                src.insert("connect_timeout", Source::Explicit);
                t
            }
            None => defaulted(&mut src, "connect_timeout", md.as_ref().map(|d| d.connect_timeout), &mode_src)
                .unwrap_or(Duration::from_secs(60)),
        };
        let read_timeout = explicit_or(&mut src, "read_timeout", c.read_timeout, Duration::from_secs(60));
        let max_pool_connections = explicit_or(&mut src, "max_pool_connections", c.max_pool_connections, 10);
        let parameter_validation = match c.parameter_validation {
            Some(v) => {
                src.insert("parameter_validation", Source::Explicit);
                v
            }
            None => {
                l.boolean(&mut src, "parameter_validation", &[], &[Key::Top("parameter_validation")])?.unwrap_or(true)
            }
        };

        // Endpoint flags.
        let ignore_configured_endpoint_urls = l.flag(
            &mut src,
            c.ignore_configured_endpoint_urls,
            "ignore_configured_endpoint_urls",
            &["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"],
            &[Key::Top("ignore_configured_endpoint_urls")],
        )?;
        let use_fips_endpoint = l.flag(
            &mut src,
            c.use_fips_endpoint,
            "use_fips_endpoint",
            &["AWS_USE_FIPS_ENDPOINT"],
            &[Key::Top("use_fips_endpoint")],
        )?;

        // S3.
        let mut s3 = l.s3(&mut src)?;
        if let Some(explicit) = &c.s3 {
            s3.merge_from(explicit);
        }
        if s3.us_east_1_regional_endpoint.is_none() {
            s3.us_east_1_regional_endpoint = defaulted(
                &mut src,
                "s3.us_east_1_regional_endpoint",
                md.as_ref().map(|d| d.s3_us_east_1_regional_endpoint),
                &mode_src,
            );
        }
        let is_s3 = matches!(self.service_id, Some("S3") | Some("S3 Control"));
        let s3_dualstack = if is_s3 {
            match c.s3.as_ref().and_then(|s| s.use_dualstack_endpoint) {
                Some(v) => Some(v),
                None => profile
                    .nested("s3")
                    .and_then(|s| s.get("use_dualstack_endpoint"))
                    .and_then(|v| (v == "True" || v == "true").then_some(true)),
            }
        } else {
            None
        };
        let use_dualstack_endpoint = match s3_dualstack {
            Some(v) => {
                src.insert("use_dualstack_endpoint", Source::Explicit);
                v
            }
            None => l.flag(
                &mut src,
                c.use_dualstack_endpoint,
                "use_dualstack_endpoint",
                &["AWS_USE_DUALSTACK_ENDPOINT"],
                &[Key::Top("use_dualstack_endpoint")],
            )?,
        };
        let s3_disable_express_session_auth = match c.s3_disable_express_session_auth {
            Some(v) => Some(v),
            None => l.strict_bool(
                &mut src,
                "s3_disable_express_session_auth",
                &["AWS_S3_DISABLE_EXPRESS_SESSION_AUTH"],
                &[Key::Top("s3_disable_express_session_auth")],
            )?,
        };

        let verify = match &c.verify {
            Some(v) => {
                src.insert("ca_bundle", Source::Explicit);
                Some(v.clone())
            }
            None => l.raw(&["AWS_CA_BUNDLE"], &[Key::Top("ca_bundle")]).map(|(v, origin)| {
                src.insert("ca_bundle", origin);
                Verify::CaBundle(env.expand_path(&v))
            }),
        };

        let sts_regional_endpoints = match l.parsed(
            &mut src,
            "sts_regional_endpoints",
            &["AWS_STS_REGIONAL_ENDPOINTS"],
            &[Key::Top("sts_regional_endpoints")],
            RegionalEndpoints::expected,
        )? {
            Some(v) => v,
            None => {
                defaulted(&mut src, "sts_regional_endpoints", md.as_ref().map(|d| d.sts_regional_endpoints), &mode_src)
                    .unwrap_or(RegionalEndpoints::Regional)
            }
        };

        // Compression.
        let request_min_compression_size_bytes = match c.request_min_compression_size_bytes {
            Some(v) => {
                src.insert("request_min_compression_size_bytes", Source::Explicit);
                check_compression_size(v, Source::Explicit)?
            }
            None => {
                let v: Option<u64> = l.number(
                    &mut src,
                    "request_min_compression_size_bytes",
                    &["AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"],
                    &[Key::Top("request_min_compression_size_bytes")],
                )?;
                match v {
                    Some(v) => check_compression_size(v, src["request_min_compression_size_bytes"].clone())?,
                    None => 10240,
                }
            }
        };
        let disable_request_compression = l.flag(
            &mut src,
            c.disable_request_compression,
            "disable_request_compression",
            &["AWS_DISABLE_REQUEST_COMPRESSION"],
            &[Key::Top("disable_request_compression")],
        )?;

        // Checksums and account id.
        let request_checksum_calculation = match c.request_checksum_calculation {
            Some(v) => v,
            None => l
                .parsed(
                    &mut src,
                    "request_checksum_calculation",
                    &["AWS_REQUEST_CHECKSUM_CALCULATION"],
                    &[Key::Top("request_checksum_calculation")],
                    ChecksumMode::expected,
                )?
                .unwrap_or(ChecksumMode::WhenSupported),
        };
        let response_checksum_validation = match c.response_checksum_validation {
            Some(v) => v,
            None => l
                .parsed(
                    &mut src,
                    "response_checksum_validation",
                    &["AWS_RESPONSE_CHECKSUM_VALIDATION"],
                    &[Key::Top("response_checksum_validation")],
                    ChecksumMode::expected,
                )?
                .unwrap_or(ChecksumMode::WhenSupported),
        };
        let account_id_endpoint_mode = if c.is_unsigned() {
            AccountIdEndpointMode::Disabled
        } else {
            match c.account_id_endpoint_mode {
                Some(v) => v,
                None => l
                    .parsed(
                        &mut src,
                        "account_id_endpoint_mode",
                        &["AWS_ACCOUNT_ID_ENDPOINT_MODE"],
                        &[Key::Top("account_id_endpoint_mode")],
                        AccountIdEndpointMode::expected,
                    )?
                    .unwrap_or(AccountIdEndpointMode::Preferred),
            }
        };

        let sigv4a_signing_region_set = match &c.sigv4a_signing_region_set {
            Some(v) => Some(v.clone()),
            None => l.raw(&["AWS_SIGV4A_SIGNING_REGION_SET"], &[Key::Top("sigv4a_signing_region_set")]).map(
                |(v, origin)| {
                    src.insert("sigv4a_signing_region_set", origin);
                    v
                },
            ),
        }
        .map(|v| v.split(',').map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect());
        let auth_scheme_preference = match &c.auth_scheme_preference {
            Some(v) => Some(v.clone()),
            None => l.raw(&["AWS_AUTH_SCHEME_PREFERENCE"], &[Key::Top("auth_scheme_preference")]).map(|(v, origin)| {
                src.insert("auth_scheme_preference", origin);
                v
            }),
        }
        .map(|v| {
            v.split(',')
                .filter(|item| !item.trim().is_empty())
                .map(|item| item.chars().filter(|c| *c != ' ' && *c != '\t').collect())
                .collect()
        });

        let user_agent_appid = match &c.user_agent_appid {
            Some(v) => Some(v.clone()),
            None => l.raw(&["AWS_SDK_UA_APP_ID"], &[Key::Top("sdk_ua_app_id")]).map(|(v, origin)| {
                src.insert("user_agent_appid", origin);
                v
            }),
        };
        if let Some(appid) = &user_agent_appid {
            if appid.chars().count() > 50 {
                tracing::warn!("the configured value for user_agent_appid exceeds the maximum length of 50 characters");
            }
        }

        let inject_host_prefix = match c.inject_host_prefix {
            Some(v) => v,
            None => !l
                .boolean(
                    &mut src,
                    "disable_host_prefix_injection",
                    &["AWS_DISABLE_HOST_PREFIX_INJECTION"],
                    &[Key::Top("disable_host_prefix_injection")],
                )?
                .unwrap_or(false),
        };
        let tcp_keepalive = l.flag(
            &mut src,
            c.tcp_keepalive,
            "tcp_keepalive",
            &["BOTOCORE_TCP_KEEPALIVE"],
            &[Key::Top("tcp_keepalive")],
        )?;
        let endpoint_discovery_enabled = match c.endpoint_discovery_enabled {
            Some(v) => v,
            None => l
                .parsed(
                    &mut src,
                    "endpoint_discovery_enabled",
                    &["AWS_ENDPOINT_DISCOVERY_ENABLED"],
                    &[Key::Top("endpoint_discovery_enabled")],
                    || "one of auto, true, false".to_string(),
                )?
                .unwrap_or(EndpointDiscovery::Auto),
        };

        let imds = l.imds(&mut src)?;
        let proxies_config = match &c.proxies_config {
            Some(p) => p.clone(),
            None => l.proxies_config(&mut src)?,
        };
        let csm = l.csm(&mut src)?;
        let api_versions = profile.nested("api_versions").cloned().unwrap_or_default();
        let data_path = l.raw(&["AWS_DATA_PATH"], &[Key::Top("data_path")]).map(|(v, origin)| {
            src.insert("data_path", origin);
            v
        });

        let endpoint_url = resolve_configured_endpoint_url(
            self.shared,
            &profile,
            self.service_id,
            c.endpoint_url.as_deref(),
            ignore_configured_endpoint_urls,
        )?;

        Ok(Settings {
            profile: self.shared.profile_name().to_string(),
            region,
            defaults_mode,
            effective_defaults_mode,
            retry_mode,
            max_attempts,
            connect_timeout,
            read_timeout,
            max_pool_connections,
            parameter_validation,
            endpoint_url,
            ignore_configured_endpoint_urls,
            use_fips_endpoint,
            use_dualstack_endpoint,
            verify,
            s3,
            s3_disable_express_session_auth,
            sts_regional_endpoints,
            request_min_compression_size_bytes,
            disable_request_compression,
            request_checksum_calculation,
            response_checksum_validation,
            account_id_endpoint_mode,
            sigv4a_signing_region_set,
            auth_scheme_preference,
            user_agent_appid,
            user_agent: c.user_agent.clone(),
            user_agent_extra: c.user_agent_extra.clone(),
            signature_version: c.signature_version.clone(),
            inject_host_prefix,
            tcp_keepalive,
            endpoint_discovery_enabled,
            imds,
            proxies: c.proxies.clone().unwrap_or_default(),
            proxies_config,
            client_cert: c.client_cert.clone(),
            client_context_params: c.client_context_params.clone(),
            csm,
            api_versions,
            data_path,
            sources: src,
        })
    }
}

impl Settings {
    /// Resolves with no client configuration and no service.
    pub fn resolve(shared: &SharedConfig) -> Result<Settings, ConfigError> {
        SettingsResolver::new(shared).resolve()
    }
}

fn invalid_explicit(setting: &'static str, value: impl ToString, expected: &str) -> ConfigError {
    ConfigError::InvalidValue {
        setting,
        value: value.to_string(),
        origin: Source::Explicit,
        expected: expected.to_string(),
    }
}

fn check_compression_size(v: u64, origin: Source) -> Result<u64, ConfigError> {
    if (1..=1_048_576).contains(&v) {
        Ok(v)
    } else {
        Err(ConfigError::InvalidValue {
            setting: "request_min_compression_size_bytes",
            value: v.to_string(),
            origin,
            expected: "an integer between 1 and 1048576".into(),
        })
    }
}

fn explicit_or<T>(src: &mut BTreeMap<&'static str, Source>, name: &'static str, v: Option<T>, default: T) -> T {
    match v {
        Some(v) => {
            src.insert(name, Source::Explicit);
            v
        }
        None => {
            src.insert(name, Source::Default);
            default
        }
    }
}

fn defaulted<T>(
    src: &mut BTreeMap<&'static str, Source>,
    name: &'static str,
    v: Option<T>,
    mode: &Source,
) -> Option<T> {
    src.insert(name, if v.is_some() { mode.clone() } else { Source::Default });
    v
}

/// Botocore's `validate_region_name`: a host label, not all digits, no
/// leading or trailing hyphen, at most 63 characters.
fn valid_region(r: &str) -> bool {
    r.len() <= 63
        && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !r.starts_with('-')
        && !r.ends_with('-')
        && (r.is_empty() || !r.chars().all(|c| c.is_ascii_digit()))
}

/// A key in a profile: top-level or inside a sub-section.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Key {
    Top(&'static str),
    Sub(&'static str, &'static str),
}

pub(crate) struct Lookup<'a> {
    pub(crate) env: &'a Env,
    pub(crate) profile: &'a Section,
}

impl Lookup<'_> {
    /// The first value among the environment variables, then the profile
    /// keys.
    pub(crate) fn raw(&self, env_vars: &[&str], keys: &[Key]) -> Option<(String, Source)> {
        for var in env_vars {
            if let Some(v) = self.env.get(var) {
                return Some((v.to_string(), Source::Environment((*var).to_string())));
            }
        }
        for key in keys {
            match *key {
                Key::Top(k) => {
                    if let Some(v) = self.profile.get(k) {
                        return Some((v.to_string(), self.profile.source_of(k)));
                    }
                }
                Key::Sub(section, k) => {
                    if let Some(v) = self.profile.nested(section).and_then(|m| m.get(k)) {
                        return Some((v.clone(), self.profile.source_of_nested(section, k)));
                    }
                }
            }
        }
        None
    }

    fn parsed<T: FromStr>(
        &self,
        src: &mut BTreeMap<&'static str, Source>,
        setting: &'static str,
        env_vars: &[&str],
        keys: &[Key],
        expected: impl Fn() -> String,
    ) -> Result<Option<T>, ConfigError> {
        let Some((value, origin)) = self.raw(env_vars, keys) else { return Ok(None) };
        match value.parse::<T>() {
            Ok(v) => {
                src.insert(setting, origin);
                Ok(Some(v))
            }
            Err(_) => Err(ConfigError::InvalidValue { setting, value, origin, expected: expected() }),
        }
    }

    fn number<T: FromStr>(
        &self,
        src: &mut BTreeMap<&'static str, Source>,
        setting: &'static str,
        env_vars: &[&str],
        keys: &[Key],
    ) -> Result<Option<T>, ConfigError> {
        let Some((value, origin)) = self.raw(env_vars, keys) else { return Ok(None) };
        match value.trim().parse::<T>() {
            Ok(v) => {
                src.insert(setting, origin);
                Ok(Some(v))
            }
            Err(_) => Err(ConfigError::InvalidValue {
                setting,
                value,
                origin,
                expected: "a non-negative integer".to_string(),
            }),
        }
    }

    /// Botocore's `ensure_boolean` over a string, made strict: `true` /
    /// `false` in any case, or empty (false); anything else is an error.
    fn boolean(
        &self,
        src: &mut BTreeMap<&'static str, Source>,
        setting: &'static str,
        env_vars: &[&str],
        keys: &[Key],
    ) -> Result<Option<bool>, ConfigError> {
        let Some((value, origin)) = self.raw(env_vars, keys) else { return Ok(None) };
        let parsed = match value.trim().to_ascii_lowercase().as_str() {
            "true" => true,
            "false" | "" => false,
            _ => {
                return Err(ConfigError::InvalidValue { setting, value, origin, expected: "true or false".to_string() })
            }
        };
        src.insert(setting, origin);
        Ok(Some(parsed))
    }

    fn strict_bool(
        &self,
        src: &mut BTreeMap<&'static str, Source>,
        setting: &'static str,
        env_vars: &[&str],
        keys: &[Key],
    ) -> Result<Option<bool>, ConfigError> {
        if let Some((value, origin)) = self.raw(env_vars, keys) {
            if value.trim().is_empty() {
                return Err(ConfigError::InvalidValue { setting, value, origin, expected: "true or false".into() });
            }
        }
        self.boolean(src, setting, env_vars, keys)
    }

    /// Explicit, then environment, then profile, then false.
    fn flag(
        &self,
        src: &mut BTreeMap<&'static str, Source>,
        explicit: Option<bool>,
        setting: &'static str,
        env_vars: &[&str],
        keys: &[Key],
    ) -> Result<bool, ConfigError> {
        if let Some(v) = explicit {
            src.insert(setting, Source::Explicit);
            return Ok(v);
        }
        Ok(self.boolean(src, setting, env_vars, keys)?.unwrap_or(false))
    }

    fn s3(&self, src: &mut BTreeMap<&'static str, Source>) -> Result<S3Settings, ConfigError> {
        let mut s3 = S3Settings::default();
        if let Some(section) = self.profile.nested("s3") {
            const KNOWN: &[&str] = &[
                "addressing_style",
                "use_accelerate_endpoint",
                "use_dualstack_endpoint",
                "payload_signing_enabled",
                "use_arn_region",
                "us_east_1_regional_endpoint",
                "s3_disable_multiregion_access_points",
            ];
            for (k, v) in section {
                if !KNOWN.contains(&k.as_str()) {
                    s3.extra.insert(k.clone(), v.clone());
                }
            }
        } else if let Some(v) = self.profile.get("s3") {
            tracing::debug!(value = %v, "the s3 config key is not a sub-section, ignoring it");
        }
        s3.addressing_style = self.parsed(
            src,
            "s3.addressing_style",
            &[],
            &[Key::Sub("s3", "addressing_style")],
            AddressingStyle::expected,
        )?;
        s3.use_accelerate_endpoint =
            self.boolean(src, "s3.use_accelerate_endpoint", &[], &[Key::Sub("s3", "use_accelerate_endpoint")])?;
        s3.use_dualstack_endpoint =
            self.boolean(src, "s3.use_dualstack_endpoint", &[], &[Key::Sub("s3", "use_dualstack_endpoint")])?;
        s3.payload_signing_enabled =
            self.boolean(src, "s3.payload_signing_enabled", &[], &[Key::Sub("s3", "payload_signing_enabled")])?;
        s3.use_arn_region = self.boolean(
            src,
            "s3.use_arn_region",
            &["AWS_S3_USE_ARN_REGION"],
            &[Key::Top("s3_use_arn_region"), Key::Sub("s3", "use_arn_region")],
        )?;
        s3.us_east_1_regional_endpoint = self.parsed(
            src,
            "s3.us_east_1_regional_endpoint",
            &["AWS_S3_US_EAST_1_REGIONAL_ENDPOINT"],
            &[Key::Top("s3_us_east_1_regional_endpoint"), Key::Sub("s3", "us_east_1_regional_endpoint")],
            RegionalEndpoints::expected,
        )?;
        s3.disable_multiregion_access_points = self.boolean(
            src,
            "s3.s3_disable_multiregion_access_points",
            &["AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"],
            &[Key::Sub("s3", "s3_disable_multiregion_access_points")],
        )?;
        Ok(s3)
    }

    pub(crate) fn imds(&self, src: &mut BTreeMap<&'static str, Source>) -> Result<ImdsSettings, ConfigError> {
        let timeout = match self.raw(&["AWS_METADATA_SERVICE_TIMEOUT"], &[Key::Top("metadata_service_timeout")]) {
            Some((value, origin)) => match value.trim().parse::<f64>() {
                Ok(secs) if secs.is_finite() && secs >= 0.0 => {
                    src.insert("metadata_service_timeout", origin);
                    Duration::from_secs_f64(secs)
                }
                _ => {
                    return Err(ConfigError::InvalidValue {
                        setting: "metadata_service_timeout",
                        value,
                        origin,
                        expected: "a number of seconds".into(),
                    })
                }
            },
            None => Duration::from_secs(1),
        };
        let num_attempts: u32 = self
            .number(
                src,
                "metadata_service_num_attempts",
                &["AWS_METADATA_SERVICE_NUM_ATTEMPTS"],
                &[Key::Top("metadata_service_num_attempts")],
            )?
            .unwrap_or(1);
        if num_attempts == 0 {
            return Err(ConfigError::InvalidValue {
                setting: "metadata_service_num_attempts",
                value: "0".into(),
                origin: src["metadata_service_num_attempts"].clone(),
                expected: "an integer of at least 1".into(),
            });
        }
        let endpoint =
            match self.raw(&["AWS_EC2_METADATA_SERVICE_ENDPOINT"], &[Key::Top("ec2_metadata_service_endpoint")]) {
                Some((value, origin)) => {
                    let ok = (value.starts_with("http://") || value.starts_with("https://"))
                        && value.split_once("://").is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'));
                    if !ok {
                        return Err(ConfigError::InvalidValue {
                            setting: "ec2_metadata_service_endpoint",
                            value,
                            origin,
                            expected: "an http:// or https:// URL with a host".into(),
                        });
                    }
                    src.insert("ec2_metadata_service_endpoint", origin);
                    Some(value)
                }
                None => None,
            };
        let endpoint_mode = match self.parsed(
            src,
            "ec2_metadata_service_endpoint_mode",
            &["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"],
            &[Key::Top("ec2_metadata_service_endpoint_mode")],
            ImdsEndpointMode::expected,
        )? {
            Some(m) => m,
            None => {
                if self
                    .boolean(src, "imds_use_ipv6", &["AWS_IMDS_USE_IPV6"], &[Key::Top("imds_use_ipv6")])?
                    .unwrap_or(false)
                {
                    ImdsEndpointMode::Ipv6
                } else {
                    ImdsEndpointMode::Ipv4
                }
            }
        };
        if endpoint.is_some() && endpoint_mode == ImdsEndpointMode::Ipv6 {
            tracing::warn!("custom IMDS endpoint and IPv6 endpoint mode are both set; using the custom endpoint");
        }
        let v1_disabled = self
            .boolean(
                src,
                "ec2_metadata_v1_disabled",
                &["AWS_EC2_METADATA_V1_DISABLED"],
                &[Key::Top("ec2_metadata_v1_disabled")],
            )?
            .unwrap_or(false);
        let disabled = self.env.get("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        Ok(ImdsSettings { timeout, num_attempts, endpoint, endpoint_mode, v1_disabled, disabled })
    }

    fn proxies_config(&self, src: &mut BTreeMap<&'static str, Source>) -> Result<ProxiesConfig, ConfigError> {
        let nested = |k: &'static str| [Key::Top(k), Key::Sub("proxies_config", k)];
        Ok(ProxiesConfig {
            proxy_ca_bundle: self.raw(&[], &nested("proxy_ca_bundle")).map(|(v, _)| v),
            proxy_client_cert: self.raw(&[], &nested("proxy_client_cert")).map(|(v, _)| v),
            proxy_use_forwarding_for_https: self.boolean(
                src,
                "proxy_use_forwarding_for_https",
                &[],
                &nested("proxy_use_forwarding_for_https"),
            )?,
        })
    }

    fn csm(&self, src: &mut BTreeMap<&'static str, Source>) -> Result<CsmSettings, ConfigError> {
        Ok(CsmSettings {
            enabled: self
                .boolean(src, "csm_enabled", &["AWS_CSM_ENABLED"], &[Key::Top("csm_enabled")])?
                .unwrap_or(false),
            host: self.raw(&["AWS_CSM_HOST"], &[Key::Top("csm_host")]).map(|(v, _)| v).unwrap_or("127.0.0.1".into()),
            port: self.number(src, "csm_port", &["AWS_CSM_PORT"], &[Key::Top("csm_port")])?.unwrap_or(31000),
            client_id: self
                .raw(&["AWS_CSM_CLIENT_ID"], &[Key::Top("csm_client_id")])
                .map(|(v, _)| v)
                .unwrap_or_default(),
        })
    }
}
