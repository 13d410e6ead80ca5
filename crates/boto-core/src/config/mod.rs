//! Configuration: the shared `~/.aws/config` and `~/.aws/credentials`
//! files, environment variables, and every setting botocore reads.
//!
//! How a client gets its configuration:
//!
//! 1. [`SharedConfig::load`] (or [`SharedConfig::builder`]) reads both files
//!    once per session, using an explicit [`Env`] (never the process
//!    environment behind the caller's back).
//! 2. [`SettingsResolver`] turns it, plus the [`ClientConfig`] set in code,
//!    into typed [`Settings`] for one client, with botocore's precedence:
//!    explicit > environment > profile > defaults mode > default.
//! 3. [`crate::credentials::CredentialsChain::from_config`] builds the
//!    credential provider chain from the same [`SharedConfig`].

// Configuration errors carry the file, profile, key and line they are about;
// they are built once per client, so their size does not matter.
#![allow(clippy::result_large_err)]

mod defaults_mode;
mod endpoint_url;
mod env;
mod error;
pub mod files;
pub mod ini;
mod settings;
mod shared;
mod shell;

pub use defaults_mode::{mode_defaults, resolve_auto_mode, DefaultsMode, ModeDefaults};
pub use endpoint_url::{resolve_configured_endpoint_url, service_config_key, service_env_var};
pub use env::Env;
pub use error::{ConfigError, Source};
pub use files::{multi_file_load_config, ConfigFileContents, LoadedFiles, Section};
pub use settings::{
    AccountIdEndpointMode, AddressingStyle, ChecksumMode, ClientConfig, CsmSettings, EndpointDiscovery,
    ImdsEndpointMode, ImdsSettings, ProxiesConfig, RegionalEndpoints, RetriesConfig, RetryMode, S3Settings, Settings,
    SettingsResolver, Verify,
};
pub use shared::{SharedConfig, SharedConfigBuilder};
pub use shell::{shell_split, SplitError};

#[cfg(test)]
mod tests;
