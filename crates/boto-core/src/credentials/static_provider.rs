//! Explicit credentials given in code.

use std::fmt;

use super::error::CredentialsError;
use super::{BoxFuture, Credentials, ProvideCredentials};

/// Always the same credentials (botocore's `explicit` method).
#[derive(Clone)]
pub struct StaticProvider {
    credentials: Credentials,
}

impl StaticProvider {
    /// Wraps fixed credentials.
    pub fn new(credentials: Credentials) -> StaticProvider {
        StaticProvider { credentials: credentials.with_provider("explicit") }
    }
}

impl ProvideCredentials for StaticProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        let c = self.credentials.clone();
        Box::pin(async move { Ok(Some(c)) })
    }

    fn name(&self) -> &'static str {
        "explicit"
    }
}

impl fmt::Debug for StaticProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticProvider").field("credentials", &self.credentials).finish()
    }
}
