//! The boto2 config file (`BOTO_CONFIG`, `/etc/boto.cfg`, `~/.boto`).

use std::path::PathBuf;

use crate::config::{ini, Env};

use super::error::CredentialsError;
use super::{BoxFuture, Credentials, ProvideCredentials};

/// The `[Credentials]` section of the file named by `BOTO_CONFIG`, else of
/// `/etc/boto.cfg` or `~/.boto` (first that exists).
#[derive(Debug, Clone)]
pub struct BotoConfigProvider {
    paths: Vec<PathBuf>,
}

impl BotoConfigProvider {
    /// The files this environment points at.
    pub fn new(env: &Env) -> BotoConfigProvider {
        let paths = match env.get("BOTO_CONFIG") {
            Some(p) => vec![env.expand_path(p)],
            None => vec![PathBuf::from("/etc/boto.cfg"), env.expand_path("~/.boto")],
        };
        BotoConfigProvider { paths }
    }

    /// Exactly these files.
    pub fn with_paths(paths: Vec<PathBuf>) -> BotoConfigProvider {
        BotoConfigProvider { paths }
    }

    fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        for path in &self.paths {
            let Some(file) = ini::read_ini(path, true)? else { continue };
            let Some(section) = file.sections.get("Credentials") else { continue };
            let get = |k: &str| section.entries.get(k).and_then(|e| e.value.as_text());
            let Some(access) = get("aws_access_key_id") else { continue };
            let secret = get("aws_secret_access_key").ok_or_else(|| CredentialsError::Partial {
                provider: "boto-config",
                missing: "aws_secret_access_key".into(),
            })?;
            tracing::info!(file = %path.display(), "found credentials in boto config file");
            return Ok(Some(Credentials::new(access, secret, None).with_provider("boto-config")));
        }
        Ok(None)
    }
}

impl ProvideCredentials for BotoConfigProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        let r = self.load();
        Box::pin(async move { r })
    }

    fn name(&self) -> &'static str {
        "boto-config"
    }

    fn canonical_name(&self) -> Option<&'static str> {
        Some("Boto2Config")
    }
}
