//! `credential_process`: an external command prints credentials as JSON.

use std::process::Stdio;

use crate::config::{shell_split, SharedConfig};

use super::clock::parse_timestamp;
use super::error::CredentialsError;
use super::{BoxFuture, Credentials, ProvideCredentials};

const MAX_STDERR: usize = 4096;

/// Runs the profile's `credential_process` (split with shell rules, not run
/// through a shell) and reads its JSON output:
/// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?,
/// "Expiration"?, "AccountId"?}`. A non-zero exit status is an error
/// carrying the status and the (truncated) standard error; standard output
/// is never put in an error, since it holds the secret.
#[derive(Debug, Clone)]
pub struct ProcessProvider {
    shared: SharedConfig,
    profile: String,
}

impl ProcessProvider {
    /// Runs `credential_process` of `profile`.
    pub fn new(shared: SharedConfig, profile: impl Into<String>) -> ProcessProvider {
        ProcessProvider { shared, profile: profile.into() }
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(section) = self.shared.profile(&self.profile) else { return Ok(None) };
        let Some(command) = section.get("credential_process") else { return Ok(None) };
        let profile_account = section.get("aws_account_id").map(str::to_string);
        run_credential_process(&self.profile, command, profile_account).await.map(Some)
    }
}

pub(crate) async fn run_credential_process(
    profile: &str,
    command: &str,
    profile_account: Option<String>,
) -> Result<Credentials, CredentialsError> {
    let words = shell_split(command).map_err(|e| CredentialsError::Process {
        profile: profile.to_string(),
        program: String::new(),
        status: None,
        message: format!("cannot parse the command line: {e}"),
    })?;
    let Some((program, args)) = words.split_first() else {
        return Err(CredentialsError::invalid(profile, "credential_process is empty"));
    };
    let fail = |status: Option<i32>, message: String| CredentialsError::Process {
        profile: profile.to_string(),
        program: program.clone(),
        status,
        message,
    };
    let output = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| fail(None, format!("cannot run it: {e}")))?;
    if !output.status.success() {
        let mut stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if stderr.len() > MAX_STDERR {
            let mut cut = MAX_STDERR;
            while !stderr.is_char_boundary(cut) {
                cut -= 1;
            }
            stderr.truncate(cut);
            stderr.push_str("...");
        }
        return Err(fail(output.status.code(), stderr.trim_end().to_string()));
    }
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| fail(Some(0), format!("its output is not valid JSON ({e})")))?;
    let version = parsed.get("Version");
    if version.and_then(|v| v.as_f64()) != Some(1.0) {
        let shown = version.map(|v| v.to_string()).unwrap_or_else(|| "<Version key not provided>".into());
        return Err(fail(
            Some(0),
            format!("unsupported version '{shown}' for credential process provider, supported versions: 1"),
        ));
    }
    let text = |k: &str| parsed.get(k).and_then(|v| v.as_str());
    let access =
        text("AccessKeyId").ok_or_else(|| fail(Some(0), "missing required key in response: 'AccessKeyId'".into()))?;
    let secret = text("SecretAccessKey")
        .ok_or_else(|| fail(Some(0), "missing required key in response: 'SecretAccessKey'".into()))?;
    let expiration = match text("Expiration") {
        Some(e) => {
            Some(parse_timestamp(e).ok_or_else(|| fail(Some(0), format!("Expiration is not a timestamp: {e:?}")))?)
        }
        None => None,
    };
    let account = text("AccountId").filter(|a| !a.is_empty()).map(str::to_string).or(profile_account);
    Ok(Credentials::new(access, secret, text("SessionToken").map(str::to_string))
        .with_expiration(expiration)
        .with_account_id(account)
        .with_provider("custom-process"))
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }

    fn name(&self) -> &'static str {
        "custom-process"
    }
}
