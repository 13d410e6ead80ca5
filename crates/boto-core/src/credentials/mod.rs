//! AWS credentials and the credential provider chain.
//!
//! [`CredentialsChain::from_config`] builds botocore's default chain from a
//! [`crate::config::SharedConfig`]: explicit credentials, environment
//! variables, assume-role profiles, web identity, SSO, the shared
//! credentials file, `login_session`, `credential_process`, the config
//! file, the legacy EC2 and boto2 files, container credentials and IMDS.
//! Wrap it in a [`CredentialsCache`] (or use
//! [`CredentialsCache::from_config`]) to share refreshed credentials among
//! clients.
//!
//! Providers that call AWS (STS, SSO, sign-in) go through an [`AwsApi`];
//! IMDS and container credentials go through an [`HttpFetch`]. The client
//! layer implements both.

mod api;
mod assume_role;
mod boto2;
mod cache;
mod chain;
mod clock;
mod config_file;
mod container;
mod ec2_file;
mod env;
mod error;
mod imds;
mod login;
mod process;
mod refresh;
mod shared_file;
mod sso;
mod static_provider;
mod web_identity;

#[cfg(test)]
mod tests;

use std::fmt;

pub use api::{ApiCall, ApiError, AwsApi, BoxFuture, HttpFetch, HttpFetchError, RequestHook};
pub use assume_role::{AssumeRoleProvider, MfaTokenProvider};
pub use boto2::BotoConfigProvider;
pub use cache::JsonFileCache;
pub use chain::{ChainOptions, CredentialsChain};
pub use clock::{fixed_clock, format_timestamp, parse_timestamp, system_clock, Clock};
pub use config_file::ConfigFileProvider;
pub use container::ContainerProvider;
pub use ec2_file::Ec2CredentialsFileProvider;
pub use env::EnvProvider;
pub use error::CredentialsError;
pub use imds::{fetch_instance_region, ImdsProvider};
pub use login::LoginProvider;
pub use process::ProcessProvider;
pub use refresh::{CredentialsCache, ADVISORY_REFRESH, MANDATORY_REFRESH};
pub use shared_file::SharedCredentialsProvider;
pub use sso::SsoProvider;
pub use static_provider::StaticProvider;
pub use web_identity::WebIdentityProvider;

/// A source of credentials.
///
/// `provide_credentials` fetches fresh credentials each time it is called
/// (caching is [`CredentialsCache`]'s job). `Ok(None)` means "not
/// configured here": a chain moves on to its next provider. An error stops
/// the chain, as in botocore.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Fetches credentials.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>>;

    /// Botocore's method name for this provider (`env`, `assume-role`,
    /// `sso`, `iam-role`, ...).
    fn name(&self) -> &'static str;

    /// The name `credential_source` uses for it (`Environment`,
    /// `Ec2InstanceMetadata`, `EcsContainer`), if any.
    fn canonical_name(&self) -> Option<&'static str> {
        None
    }

    /// The providers asked, for "no credentials found" errors.
    fn tried(&self) -> Vec<&'static str> {
        vec![self.name()]
    }
}

use time::OffsetDateTime;

/// A set of AWS credentials: an access key, its secret, and for temporary
/// credentials a session token and an expiry.
///
/// `Debug` never shows the secret key or the session token.
///
/// ```
/// use boto_core::credentials::Credentials;
/// let c = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
/// let shown = format!("{c:?}");
/// assert!(shown.contains("AKIDEXAMPLE"));
/// assert!(!shown.contains("wJalr"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    // Shared text: a call clones the credentials it signs with.
    access_key_id: std::sync::Arc<str>,
    secret_access_key: std::sync::Arc<str>,
    session_token: Option<std::sync::Arc<str>>,
    expiration: Option<OffsetDateTime>,
    account_id: Option<std::sync::Arc<str>>,
    provider: &'static str,
}

impl Credentials {
    /// Static credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Credentials {
        Credentials {
            access_key_id: access_key_id.into().into(),
            secret_access_key: secret_access_key.into().into(),
            session_token: session_token.map(Into::into),
            expiration: None,
            account_id: None,
            provider: "explicit",
        }
    }

    /// Sets when the credentials expire.
    pub fn with_expiration(mut self, expiration: Option<OffsetDateTime>) -> Credentials {
        self.expiration = expiration;
        self
    }

    /// Sets the account the credentials belong to (used by account-based
    /// endpoints).
    pub fn with_account_id(mut self, account_id: Option<String>) -> Credentials {
        self.account_id = account_id.map(Into::into);
        self
    }

    /// Names the provider that produced the credentials (`env`,
    /// `shared-credentials-file`, `assume-role`, ...), for diagnostics.
    pub fn with_provider(mut self, provider: &'static str) -> Credentials {
        self.provider = provider;
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key. Never log it.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials. Never log it.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When the credentials expire, if they do.
    pub fn expiration(&self) -> Option<OffsetDateTime> {
        self.expiration
    }

    /// The account id, when known.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }

    /// The provider that produced the credentials.
    pub fn provider(&self) -> &'static str {
        self.provider
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("expiration", &self.expiration)
            .field("account_id", &self.account_id)
            .field("provider", &self.provider)
            .finish()
    }
}
