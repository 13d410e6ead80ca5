//! Retries, as botocore 1.44.5 does them: `standard` (the default),
//! `adaptive` (standard plus client-side rate limiting) and `legacy` (driven
//! by `_retry.json`).
//!
//! A [`RetryStrategy`] is made once per client and shared by its clones:
//! it owns the retry quota (a token bucket every retry draws from) and, in
//! adaptive mode, the client rate limiter. For each failed attempt the
//! client describes what happened in an [`Attempt`] and asks
//! [`RetryStrategy::should_retry`] for a delay.

mod adaptive;
mod legacy;
mod standard;

use std::sync::Mutex;
use std::time::Duration;

use http::HeaderMap;

pub use crate::config::RetryMode;
use crate::model::{Operation, ServiceModel};

pub use standard::{THROTTLING_ERROR_CODES, TRANSIENT_ERROR_CODES, TRANSIENT_STATUS_CODES};

/// What one attempt produced, as the retry logic sees it.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// 1 for the first attempt.
    pub number: u32,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The response headers, when a response arrived.
    pub headers: Option<&'a HeaderMap>,
    /// The response body, when buffered (used for DynamoDB's CRC32 check).
    pub body: Option<&'a [u8]>,
    /// The service error code, when the response was a service error.
    pub error_code: Option<&'a str>,
    /// True when no response arrived because of a connection problem or a
    /// timeout (retryable transport errors).
    pub transport_error: bool,
    /// True when the transport error was a timeout.
    pub timeout: bool,
}

impl Attempt<'_> {
    /// A successful attempt (used to settle the retry quota).
    pub fn success(number: u32, status: u16) -> Attempt<'static> {
        Attempt {
            number,
            status: Some(status),
            headers: None,
            body: None,
            error_code: None,
            transport_error: false,
            timeout: false,
        }
    }
}

/// Why no further attempt is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The error is not retryable.
    NotRetryable,
    /// The attempts ran out.
    MaxAttemptsReached,
    /// The retry quota is exhausted (too many recent failures).
    QuotaExhausted,
}

/// Per-call retry state: what the quota lent for the last retry.
#[derive(Debug, Default, Clone, Copy)]
pub struct CallState {
    quota_borrowed: Option<u32>,
}

/// The retry policy of one client, shared by its clones.
#[derive(Debug)]
pub struct RetryStrategy {
    mode: RetryMode,
    max_attempts: u32,
    service: String,
    quota: Mutex<standard::Quota>,
    limiter: Option<adaptive::RateLimiter>,
    legacy: Option<legacy::Policy>,
}

impl RetryStrategy {
    /// The strategy for a client of `model`. `max_attempts` (total attempts,
    /// as the `max_attempts` setting) overrides the mode's default: 3 for
    /// standard and adaptive (4 for DynamoDB), `_retry.json`'s for legacy.
    /// `retry_model` is `_retry.json`, needed for legacy mode.
    pub fn new(
        mode: RetryMode,
        max_attempts: Option<u32>,
        model: &ServiceModel,
        retry_model: Option<&serde_json::Value>,
    ) -> RetryStrategy {
        let service = model.metadata().service_id.to_ascii_lowercase().replace(' ', "-");
        let legacy = (mode == RetryMode::Legacy)
            .then(|| legacy::Policy::from_retry_model(retry_model, &model.metadata().endpoint_prefix));
        let default_attempts = match (&legacy, service.as_str()) {
            (Some(p), _) => p.max_attempts,
            (None, "dynamodb" | "dynamodb-streams") => 4,
            (None, _) => standard::DEFAULT_MAX_ATTEMPTS,
        };
        RetryStrategy {
            mode,
            max_attempts: max_attempts.unwrap_or(default_attempts).max(1),
            service,
            quota: Mutex::new(standard::Quota::default()),
            limiter: (mode == RetryMode::Adaptive).then(adaptive::RateLimiter::new),
            legacy,
        }
    }

    /// The mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// Total attempts allowed per call.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Waits, in adaptive mode, until the rate limiter lets a request go.
    pub async fn before_send(&self) {
        if let Some(limiter) = &self.limiter {
            if let Some(wait) = limiter.acquire_delay() {
                tokio::time::sleep(wait).await;
            }
        }
    }

    /// Decides whether to retry after a failed attempt; `Ok(delay)` to wait
    /// and retry, `Err(why)` to give up. Records the attempt with the
    /// adaptive rate limiter.
    pub fn should_retry(
        &self,
        state: &mut CallState,
        model: &ServiceModel,
        operation: &Operation,
        attempt: &Attempt<'_>,
    ) -> Result<Duration, Stop> {
        let throttling = standard::is_throttling(model, operation, attempt);
        if let Some(limiter) = &self.limiter {
            limiter.on_response(throttling);
        }
        if let Some(policy) = &self.legacy {
            if !policy.is_retryable(attempt) {
                return Err(Stop::NotRetryable);
            }
            if attempt.number >= self.max_attempts {
                return Err(Stop::MaxAttemptsReached);
            }
            return Ok(policy.delay(attempt.number));
        }
        if !standard::is_retryable(model, operation, attempt) {
            return Err(Stop::NotRetryable);
        }
        if attempt.number >= self.max_attempts {
            return Err(Stop::MaxAttemptsReached);
        }
        let cost = standard::retry_cost(throttling);
        if !self.quota.lock().unwrap_or_else(|e| e.into_inner()).acquire(cost) {
            return Err(Stop::QuotaExhausted);
        }
        state.quota_borrowed = Some(cost);
        Ok(standard::backoff(&self.service, throttling, attempt, fastrand::f64()))
    }

    /// Settles the quota after a call ends with a 2xx response, and tells
    /// the rate limiter about the success.
    pub fn on_success(&self, state: &CallState) {
        if let Some(limiter) = &self.limiter {
            limiter.on_response(false);
        }
        if self.legacy.is_none() {
            let give_back = state.quota_borrowed.unwrap_or(standard::NO_RETRY_INCREMENT);
            self.quota.lock().unwrap_or_else(|e| e.into_inner()).release(give_back);
        }
    }

    /// The retry quota left (for tests and diagnostics).
    pub fn available_quota(&self) -> u32 {
        self.quota.lock().unwrap_or_else(|e| e.into_inner()).available()
    }
}

/// True when the response carries `x-amz-crc32` and the body does not match
/// it (DynamoDB).
pub(crate) fn crc32_mismatch(attempt: &Attempt<'_>) -> bool {
    standard::crc32_mismatch(attempt, "x-amz-crc32")
}

#[cfg(test)]
mod tests;
