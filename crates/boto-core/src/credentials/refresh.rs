//! The credentials cache every client shares: refreshes before expiry
//! (botocore's advisory 15-minute and mandatory 10-minute windows), one
//! refresh at a time, never handing out expired credentials.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;

use super::clock::{system_clock, Clock};
use super::error::CredentialsError;
use super::{Credentials, ProvideCredentials};

/// Botocore's advisory refresh window: refresh if possible, but keep using
/// the current credentials if the refresh fails or another task is already
/// refreshing.
pub const ADVISORY_REFRESH: Duration = Duration::from_secs(15 * 60);
/// Botocore's mandatory refresh window: every caller waits for fresh
/// credentials, and a failed refresh is an error.
pub const MANDATORY_REFRESH: Duration = Duration::from_secs(10 * 60);

/// Credentials from a provider, cached and refreshed.
///
/// Clones share the cache (an `Arc`). When no credentials are cached or
/// they expire within the mandatory window, callers wait for one refresh
/// (the first caller runs it, the others wait for its result). Within the
/// advisory window one caller refreshes while the others keep using the
/// current credentials; a failed advisory refresh is logged and the current
/// credentials are used. Credentials without an expiry never refresh.
///
/// ```
/// use boto_core::credentials::{Credentials, CredentialsCache};
/// let cache = CredentialsCache::from_static(Credentials::new("AKID", "SECRET", None));
/// let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// let creds = rt.block_on(cache.credentials()).unwrap();
/// assert_eq!(creds.access_key_id(), "AKID");
/// ```
#[derive(Clone)]
pub struct CredentialsCache {
    inner: Arc<Inner>,
}

struct Inner {
    provider: Arc<dyn ProvideCredentials>,
    current: Mutex<Option<Credentials>>,
    refresh_lock: tokio::sync::Mutex<()>,
    advisory: Duration,
    mandatory: Duration,
    clock: Clock,
}

impl CredentialsCache {
    /// Caches `provider` with botocore's refresh windows and the system
    /// clock.
    pub fn new(provider: Arc<dyn ProvideCredentials>) -> CredentialsCache {
        CredentialsCache::with_options(provider, system_clock(), ADVISORY_REFRESH, MANDATORY_REFRESH)
    }

    /// Caches `provider` with a clock and refresh windows of your choice
    /// (`mandatory` is capped at `advisory`).
    pub fn with_options(
        provider: Arc<dyn ProvideCredentials>,
        clock: Clock,
        advisory: Duration,
        mandatory: Duration,
    ) -> CredentialsCache {
        CredentialsCache {
            inner: Arc::new(Inner {
                provider,
                current: Mutex::new(None),
                refresh_lock: tokio::sync::Mutex::new(()),
                advisory,
                mandatory: mandatory.min(advisory),
                clock,
            }),
        }
    }

    /// Fixed credentials (the explicit ones given to a client).
    pub fn from_static(credentials: Credentials) -> CredentialsCache {
        CredentialsCache::new(Arc::new(super::static_provider::StaticProvider::new(credentials)))
    }

    /// The provider behind the cache.
    pub fn provider(&self) -> &Arc<dyn ProvideCredentials> {
        &self.inner.provider
    }

    fn cached(&self) -> Option<Credentials> {
        self.inner.current.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn expires_within(&self, creds: &Credentials, window: Duration) -> bool {
        match creds.expiration() {
            None => false,
            Some(exp) => {
                let now: OffsetDateTime = (self.inner.clock)();
                exp - now < window
            }
        }
    }

    /// Current credentials, refreshed as needed.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let inner = &self.inner;
        if let Some(current) = self.cached() {
            if !self.expires_within(&current, inner.advisory) {
                return Ok(current);
            }
            if !self.expires_within(&current, inner.mandatory) {
                // Advisory window: refresh if nobody else is, never block.
                let Ok(_guard) = inner.refresh_lock.try_lock() else { return Ok(current) };
                if let Some(now) = self.cached().filter(|c| !self.expires_within(c, inner.advisory)) {
                    return Ok(now);
                }
                return match self.refresh().await {
                    Ok(fresh) => Ok(fresh),
                    Err(e) => {
                        tracing::warn!(provider = inner.provider.name(), error = %e, "refreshing temporary credentials failed during the advisory refresh period");
                        Ok(current)
                    }
                };
            }
        }
        // Nothing cached, or within the mandatory window: wait for a refresh.
        let _guard = inner.refresh_lock.lock().await;
        if let Some(now) = self.cached().filter(|c| !self.expires_within(c, inner.mandatory)) {
            return Ok(now);
        }
        self.refresh().await
    }

    async fn refresh(&self) -> Result<Credentials, CredentialsError> {
        let provider = &self.inner.provider;
        tracing::debug!(provider = provider.name(), "refreshing credentials");
        let fresh = provider
            .provide_credentials()
            .await?
            .ok_or_else(|| CredentialsError::NoCredentials { tried: provider.tried() })?;
        if self.expires_within(&fresh, Duration::ZERO) {
            tracing::warn!(
                provider = provider.name(),
                "credentials were refreshed, but the refreshed credentials are still expired"
            );
            return Err(CredentialsError::StillExpired { provider: provider.name() });
        }
        if let Some(exp) = fresh.expiration() {
            tracing::debug!(provider = provider.name(), expiration = %exp, "retrieved credentials");
        }
        *self.inner.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(fresh.clone());
        Ok(fresh)
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> super::BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(async move { self.credentials().await.map(Some) })
    }

    fn name(&self) -> &'static str {
        self.inner.provider.name()
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("provider", &self.inner.provider)
            .field("cached", &self.cached())
            .field("advisory", &self.inner.advisory)
            .field("mandatory", &self.inner.mandatory)
            .finish()
    }
}
