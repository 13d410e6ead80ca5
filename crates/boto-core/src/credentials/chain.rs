//! Botocore's default credential provider chain.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use time::OffsetDateTime;

use crate::config::SharedConfig;

use super::api::{AwsApi, BoxFuture, HttpFetch};
use super::assume_role::{AssumeRoleProvider, MfaTokenProvider};
use super::clock::{system_clock, Clock};
use super::error::CredentialsError;
use super::refresh::{ADVISORY_REFRESH, MANDATORY_REFRESH};
use super::{Credentials, CredentialsCache, ProvideCredentials};

/// What the chain needs besides the configuration files. Everything is
/// optional: providers that need a missing piece either step aside (IMDS
/// without an HTTP client) or fail with a clear error (an assume-role
/// profile without an [`AwsApi`]).
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct ChainOptions {
    /// Credentials given in code; when set they are the whole chain.
    pub explicit: Option<Credentials>,
    /// Calls STS, SSO, SSO OIDC and the sign-in service.
    pub api: Option<Arc<dyn AwsApi>>,
    /// Fetches from IMDS and the container credentials endpoint.
    pub http: Option<Arc<dyn HttpFetch>>,
    /// The region for STS calls (the client's region).
    pub region: Option<String>,
    /// Supplies MFA codes for `mfa_serial`.
    pub mfa_token: Option<MfaTokenProvider>,
    /// The clock (default: the system clock).
    pub clock: Option<Clock>,
    /// The `User-Agent` for IMDS requests.
    pub user_agent: Option<String>,
    /// The SSO token cache (default `~/.aws/sso/cache`).
    pub sso_cache_dir: Option<PathBuf>,
    /// The login token cache (default `AWS_LOGIN_CACHE_DIRECTORY`, else
    /// `~/.aws/login/cache`).
    pub login_cache_dir: Option<PathBuf>,
    /// The pause between container endpoint attempts (default 1 s).
    pub container_retry_delay: Option<std::time::Duration>,
}

impl ChainOptions {
    /// The clock in use.
    pub fn clock(&self) -> Clock {
        self.clock.clone().unwrap_or_else(system_clock)
    }

    pub(crate) fn now(&self) -> OffsetDateTime {
        (self.clock())()
    }

    /// A refreshing cache over a provider, on this clock.
    pub(crate) fn cache(&self, provider: Arc<dyn ProvideCredentials>) -> CredentialsCache {
        CredentialsCache::with_options(provider, self.clock(), ADVISORY_REFRESH, MANDATORY_REFRESH)
    }
}

impl fmt::Debug for ChainOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainOptions")
            .field("explicit", &self.explicit)
            .field("api", &self.api.as_ref().map(|_| "<AwsApi>"))
            .field("http", &self.http.as_ref().map(|_| "<HttpFetch>"))
            .field("region", &self.region)
            .field("mfa_token", &self.mfa_token.as_ref().map(|_| "<callback>"))
            .field("user_agent", &self.user_agent)
            .field("sso_cache_dir", &self.sso_cache_dir)
            .field("login_cache_dir", &self.login_cache_dir)
            .finish_non_exhaustive()
    }
}

/// Providers that read a profile, in botocore's order (its
/// `ProfileProviderBuilder`): web identity, SSO, shared credentials file,
/// login session, credential process, config file.
pub(crate) fn profile_providers(
    shared: &SharedConfig,
    profile: &str,
    disable_env: bool,
    opts: &Arc<ChainOptions>,
) -> Vec<Arc<dyn ProvideCredentials>> {
    vec![
        Arc::new(super::web_identity::WebIdentityProvider::new(shared.clone(), profile, disable_env, opts.clone())),
        Arc::new(super::sso::SsoProvider::new(shared.clone(), profile, opts.clone())),
        Arc::new(super::shared_file::SharedCredentialsProvider::new(shared.clone(), profile)),
        Arc::new(super::login::LoginProvider::new(shared.clone(), profile, opts.clone())),
        Arc::new(super::process::ProcessProvider::new(shared.clone(), profile)),
        Arc::new(super::config_file::ConfigFileProvider::new(shared.clone(), profile)),
    ]
}

/// Providers tried in order; the first that finds credentials is used from
/// then on (its refreshes do not walk the chain again).
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
    selected: Mutex<Option<usize>>,
}

impl CredentialsChain {
    /// A chain of these providers.
    pub fn new(providers: Vec<Arc<dyn ProvideCredentials>>) -> CredentialsChain {
        CredentialsChain { providers, selected: Mutex::new(None) }
    }

    /// Botocore's default chain for the shared config's profile:
    ///
    /// explicit (when given) · `env` (skipped when the profile was chosen
    /// in code) · `assume-role` · `assume-role-with-web-identity` · `sso` ·
    /// `shared-credentials-file` · `login` · `custom-process` ·
    /// `config-file` · `ec2-credentials-file` · `boto-config` ·
    /// `container-role` · `iam-role` (IMDS).
    ///
    /// A profile that was named (in code or through `AWS_PROFILE`) but does
    /// not exist is an error, as in botocore.
    ///
    /// ```
    /// use boto_core::config::{Env, SharedConfig};
    /// use boto_core::credentials::{ChainOptions, CredentialsChain};
    /// let shared = SharedConfig::load(&Env::from_map([("AWS_CONFIG_FILE", "/nonexistent")])).unwrap();
    /// let chain = CredentialsChain::from_config(&shared, ChainOptions::default()).unwrap();
    /// assert_eq!(chain.provider_names()[..3], ["env", "assume-role", "assume-role-with-web-identity"]);
    /// ```
    pub fn from_config(shared: &SharedConfig, options: ChainOptions) -> Result<CredentialsChain, CredentialsError> {
        if let Some(explicit) = &options.explicit {
            return Ok(CredentialsChain::new(vec![Arc::new(super::static_provider::StaticProvider::new(
                explicit.clone(),
            ))]));
        }
        // A profile named explicitly or in the environment must exist (botocore
        // raises ProfileNotFound while reading the IMDS settings for the chain).
        shared.scoped()?;
        let opts = Arc::new(options);
        let profile = shared.profile_name();
        let disable_env = shared.profile_set_explicitly();
        let mut providers: Vec<Arc<dyn ProvideCredentials>> = Vec::new();
        if !disable_env {
            providers.push(Arc::new(super::env::EnvProvider::new(shared.env().clone())));
        } else {
            tracing::debug!("skipping environment variable credentials because the profile was set explicitly");
        }
        providers.push(Arc::new(AssumeRoleProvider::new(shared.clone(), profile, opts.clone())));
        providers.extend(profile_providers(shared, profile, disable_env, &opts));
        providers.push(Arc::new(super::ec2_file::Ec2CredentialsFileProvider::new(shared.env().clone())));
        providers.push(Arc::new(super::boto2::BotoConfigProvider::new(shared.env())));
        providers.push(Arc::new(super::container::ContainerProvider::from_options(shared, &opts)));
        providers.push(Arc::new(super::imds::ImdsProvider::from_options(shared, &opts)?));
        Ok(CredentialsChain::new(providers))
    }

    /// The providers.
    pub fn providers(&self) -> &[Arc<dyn ProvideCredentials>] {
        &self.providers
    }

    /// The providers' names, in order.
    pub fn provider_names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|p| p.name()).collect()
    }

    /// The provider that supplied credentials, once one has.
    pub fn selected(&self) -> Option<&'static str> {
        let i = (*self.selected.lock().unwrap_or_else(|e| e.into_inner()))?;
        Some(self.providers[i].name())
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(async move {
            let selected = *self.selected.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(i) = selected {
                return self.providers[i].provide_credentials().await;
            }
            for (i, provider) in self.providers.iter().enumerate() {
                tracing::debug!(provider = provider.name(), "looking for credentials");
                if let Some(creds) = provider.provide_credentials().await? {
                    *self.selected.lock().unwrap_or_else(|e| e.into_inner()) = Some(i);
                    return Ok(Some(creds));
                }
            }
            Ok(None)
        })
    }

    fn name(&self) -> &'static str {
        match self.selected() {
            Some(name) => name,
            None => "chain",
        }
    }

    fn tried(&self) -> Vec<&'static str> {
        self.provider_names()
    }
}

impl fmt::Debug for CredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsChain")
            .field("providers", &self.provider_names())
            .field("selected", &self.selected())
            .finish()
    }
}

impl CredentialsCache {
    /// The default chain for the shared config's profile, cached
    /// (see [`CredentialsChain::from_config`]).
    pub fn from_config(shared: &SharedConfig, options: ChainOptions) -> Result<CredentialsCache, CredentialsError> {
        let cache = options.cache(Arc::new(CredentialsChain::from_config(shared, options.clone())?));
        Ok(cache)
    }

    /// The default chain for another profile of the same files.
    pub fn for_profile(
        shared: &SharedConfig,
        profile: &str,
        options: ChainOptions,
    ) -> Result<CredentialsCache, CredentialsError> {
        CredentialsCache::from_config(&shared.with_profile(profile), options)
    }
}
