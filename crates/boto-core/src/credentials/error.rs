//! Errors from credential providers.

use crate::config::ConfigError;

use super::api::{ApiError, HttpFetchError};

/// Why credentials could not be obtained.
///
/// Messages name the provider, profile, file and key involved; they never
/// contain secret keys, session tokens, SSO access tokens, refresh tokens
/// or web identity tokens.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// No provider in the chain found credentials.
    #[error("unable to locate credentials (tried: {})", tried.join(", "))]
    NoCredentials {
        /// The providers that were asked, in order.
        tried: Vec<&'static str>,
    },
    /// The configuration could not be read or is invalid.
    #[error(transparent)]
    Config(Box<ConfigError>),
    /// Some but not all of a credential's parts were found.
    #[error("partial credentials found in {provider}, missing: {missing}")]
    Partial {
        /// The provider.
        provider: &'static str,
        /// The missing variable or key.
        missing: String,
    },
    /// A profile is misconfigured for the provider.
    #[error("invalid configuration for profile `{profile}`: {message}")]
    InvalidProfile {
        /// The profile.
        profile: String,
        /// What is wrong.
        message: String,
    },
    /// `source_profile` references form a cycle.
    #[error(
        "infinite loop in credential configuration: profile `{source_profile}` is reached again after visiting {}",
        visited.join(" -> ")
    )]
    InfiniteLoop {
        /// The profile referenced again.
        source_profile: String,
        /// The profiles visited so far, in order.
        visited: Vec<String>,
    },
    /// A provider could not retrieve credentials.
    #[error("error when retrieving credentials from {provider}: {message}")]
    Retrieval {
        /// The provider.
        provider: &'static str,
        /// What went wrong.
        message: String,
    },
    /// `credential_process` failed.
    #[error("credential_process `{program}` for profile `{profile}` failed{}: {message}", status.map(|s| format!(" with exit status {s}")).unwrap_or_default())]
    Process {
        /// The profile.
        profile: String,
        /// The program (first word of the command line only).
        program: String,
        /// Its exit status, if it ran to completion.
        status: Option<i32>,
        /// Its standard error, or what was wrong with its output.
        message: String,
    },
    /// The SSO session expired or is otherwise invalid.
    #[error(
        "the SSO session associated with profile `{profile}` has expired or is otherwise invalid; to refresh this SSO \
         session run `aws sso login --profile {profile}`"
    )]
    SsoTokenExpired {
        /// The profile.
        profile: String,
    },
    /// The cached SSO token could not be loaded.
    #[error("cannot load the SSO token for {name}: {message}; run `aws sso login` to create it")]
    SsoToken {
        /// The SSO session name or start URL.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The `login_session` token cache is missing or unusable.
    #[error("login session error: {message}")]
    Login {
        /// What is wrong (for example: run `aws login` again).
        message: String,
    },
    /// An MFA code is needed and no way to get one was configured.
    #[error("profile `{profile}` requires an MFA code for {serial} but no MFA token provider is configured")]
    MfaRequired {
        /// The profile.
        profile: String,
        /// The MFA device serial number or ARN.
        serial: String,
    },
    /// A provider needs to call AWS but no API client was supplied.
    #[error("{provider} needs to call AWS ({service}) but no API client was configured")]
    ApiUnavailable {
        /// The provider.
        provider: &'static str,
        /// The service it would call.
        service: &'static str,
    },
    /// A provider needs HTTP but no HTTP client was supplied.
    #[error("{provider} needs an HTTP client but none was configured")]
    HttpUnavailable {
        /// The provider.
        provider: &'static str,
    },
    /// An AWS API call failed.
    #[error("{provider}: {source}")]
    Api {
        /// The provider.
        provider: &'static str,
        /// The API error.
        #[source]
        source: Box<ApiError>,
    },
    /// An HTTP fetch (IMDS, container endpoint) failed.
    #[error("{provider}: {source}")]
    Http {
        /// The provider.
        provider: &'static str,
        /// The transport error.
        #[source]
        source: HttpFetchError,
    },
    /// A file could not be read or written.
    #[error("{provider}: cannot access {}: {source}", path.display())]
    Io {
        /// The provider.
        provider: &'static str,
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Freshly fetched credentials were already expired.
    #[error("credentials from {provider} were refreshed, but the refreshed credentials are still expired")]
    StillExpired {
        /// The provider.
        provider: &'static str,
    },
}

impl From<ConfigError> for CredentialsError {
    fn from(e: ConfigError) -> CredentialsError {
        CredentialsError::Config(Box::new(e))
    }
}

impl CredentialsError {
    pub(crate) fn retrieval(provider: &'static str, message: impl Into<String>) -> CredentialsError {
        CredentialsError::Retrieval { provider, message: message.into() }
    }

    pub(crate) fn invalid(profile: &str, message: impl Into<String>) -> CredentialsError {
        CredentialsError::InvalidProfile { profile: profile.to_string(), message: message.into() }
    }
}
