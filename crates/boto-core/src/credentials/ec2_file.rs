//! The original EC2 tools' credential file (`AWS_CREDENTIAL_FILE`).

use crate::config::Env;

use super::error::CredentialsError;
use super::{BoxFuture, Credentials, ProvideCredentials};

/// `AWS_CREDENTIAL_FILE` pointing at a `AWSAccessKeyId=...` /
/// `AWSSecretKey=...` file. A missing file is an error, as in botocore.
#[derive(Debug, Clone)]
pub struct Ec2CredentialsFileProvider {
    env: Env,
}

impl Ec2CredentialsFileProvider {
    /// Reads the file named in this environment.
    pub fn new(env: Env) -> Ec2CredentialsFileProvider {
        Ec2CredentialsFileProvider { env }
    }

    fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(path) = self.env.get("AWS_CREDENTIAL_FILE") else { return Ok(None) };
        let path = self.env.expand_path(path);
        let text = std::fs::read_to_string(&path).map_err(|source| CredentialsError::Io {
            provider: "ec2-credentials-file",
            path: path.clone(),
            source,
        })?;
        let mut access = None;
        let mut secret = None;
        for line in text.lines() {
            let Some((k, v)) = line.split_once('=') else { continue };
            match k.trim() {
                "AWSAccessKeyId" => access = Some(v.trim().to_string()),
                "AWSSecretKey" => secret = Some(v.trim().to_string()),
                _ => {}
            }
        }
        let Some(access) = access else { return Ok(None) };
        let secret = secret.ok_or_else(|| CredentialsError::Partial {
            provider: "ec2-credentials-file",
            missing: "AWSSecretKey".into(),
        })?;
        tracing::info!("found credentials in AWS_CREDENTIAL_FILE");
        Ok(Some(Credentials::new(access, secret, None).with_provider("ec2-credentials-file")))
    }
}

impl ProvideCredentials for Ec2CredentialsFileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        let r = self.load();
        Box::pin(async move { r })
    }

    fn name(&self) -> &'static str {
        "ec2-credentials-file"
    }

    fn canonical_name(&self) -> Option<&'static str> {
        Some("Ec2Config")
    }
}
