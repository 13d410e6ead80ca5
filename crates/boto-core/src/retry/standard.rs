//! Standard mode: which failures are retryable, how long to back off, and
//! the retry quota.

use std::time::Duration;

use super::Attempt;
use crate::model::{Operation, ServiceModel};

pub(super) const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Quota cost of a retry after a non-throttling error.
const RETRY_COST: u32 = 14;
/// Quota cost of a retry after a throttling error.
const THROTTLING_RETRY_COST: u32 = 5;
/// Quota given back by a call that succeeds without retrying.
pub(super) const NO_RETRY_INCREMENT: u32 = 1;
const INITIAL_QUOTA: u32 = 500;
const MAX_BACKOFF: f64 = 20.0;
const THROTTLING_BASE_SCALE: f64 = 1.0;
const NON_THROTTLING_BASE_SCALE: f64 = 0.05;
const DYNAMODB_BASE_SCALE: f64 = 0.025;
const RETRY_AFTER_MAX_ADDITIONAL: f64 = 5.0;

/// Error codes retried as transient.
pub const TRANSIENT_ERROR_CODES: [&str; 3] = ["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"];
/// HTTP statuses retried as transient.
pub const TRANSIENT_STATUS_CODES: [u16; 4] = [500, 502, 503, 504];
/// Error codes that mean throttling.
pub const THROTTLING_ERROR_CODES: [&str; 14] = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// The modeled error of the operation matching this code: by the error
/// shape's `error.code`, else its name.
fn modeled_error<'m>(model: &'m ServiceModel, op: &Operation, code: &str) -> Option<&'m crate::model::Shape> {
    op.errors.iter().map(|id| model.shape(*id)).find(|shape| {
        let wire = shape.traits.error.as_ref().and_then(|e| e.code.as_deref()).unwrap_or(&shape.name);
        wire == code
    })
}

/// `Some(true)` for a modeled throttling error, `Some(false)` for a
/// modeled transient error, `None` when the model does not mark it
/// retryable.
fn modeled_retryable(model: &ServiceModel, op: &Operation, attempt: &Attempt<'_>) -> Option<bool> {
    let shape = modeled_error(model, op, attempt.error_code?)?;
    shape.traits.retryable
}

fn is_modeled(model: &ServiceModel, op: &Operation, attempt: &Attempt<'_>) -> bool {
    attempt.error_code.is_some_and(|code| modeled_error(model, op, code).is_some())
}

/// A 429 that the model does not explain.
fn throttling_status(model: &ServiceModel, op: &Operation, attempt: &Attempt<'_>) -> bool {
    attempt.status == Some(429) && !is_modeled(model, op, attempt)
}

/// True if the failure is a throttling error.
pub(super) fn is_throttling(model: &ServiceModel, op: &Operation, attempt: &Attempt<'_>) -> bool {
    if attempt.error_code.is_some_and(|c| THROTTLING_ERROR_CODES.contains(&c)) {
        return true;
    }
    if let Some(throttling) = modeled_retryable(model, op, attempt) {
        return throttling;
    }
    throttling_status(model, op, attempt)
}

/// The standard retry conditions (without the attempt limit).
pub(super) fn is_retryable(model: &ServiceModel, op: &Operation, attempt: &Attempt<'_>) -> bool {
    let transient = attempt.error_code.is_some_and(|c| TRANSIENT_ERROR_CODES.contains(&c))
        || attempt.status.is_some_and(|s| TRANSIENT_STATUS_CODES.contains(&s))
        || attempt.transport_error;
    let throttled = attempt.error_code.is_some_and(|c| THROTTLING_ERROR_CODES.contains(&c));
    transient
        || throttled
        || throttling_status(model, op, attempt)
        || modeled_retryable(model, op, attempt).is_some()
        || special_cases(model, attempt)
}

/// Botocore's special cases: STS `IDPCommunicationError`, and a DynamoDB
/// response whose CRC32 does not match `x-amz-crc32`.
fn special_cases(model: &ServiceModel, attempt: &Attempt<'_>) -> bool {
    match model.service_name() {
        "sts" => attempt.error_code == Some("IDPCommunicationError"),
        "dynamodb" => crc32_mismatch(attempt, "x-amz-crc32"),
        _ => false,
    }
}

/// True when the response carries the CRC32 header (`x-amz-crc32`) and the
/// body does not match it.
pub(super) fn crc32_mismatch(attempt: &Attempt<'_>, header: &str) -> bool {
    let (Some(headers), Some(body)) = (attempt.headers, attempt.body) else { return false };
    let Some(expected) = headers.get(header).and_then(|v| v.to_str().ok()?.parse::<u64>().ok()) else {
        return false;
    };
    let actual = crc_fast::checksum(crc_fast::CrcAlgorithm::Crc32IsoHdlc, body);
    actual != expected
}

/// The quota a retry costs.
pub(super) fn retry_cost(throttling: bool) -> u32 {
    if throttling {
        THROTTLING_RETRY_COST
    } else {
        RETRY_COST
    }
}

/// Truncated binary exponential backoff with full jitter:
/// `rand * min(scale * 2^(attempt-1), 20 s)`, where the scale is 1 s for
/// throttling, 50 ms otherwise (25 ms for DynamoDB); raised to the
/// `x-amz-retry-after` header (milliseconds) but by at most 5 s.
pub(super) fn backoff(service: &str, throttling: bool, attempt: &Attempt<'_>, random: f64) -> Duration {
    let scale = if throttling {
        THROTTLING_BASE_SCALE
    } else if matches!(service, "dynamodb" | "dynamodb-streams") {
        DYNAMODB_BASE_SCALE
    } else {
        NON_THROTTLING_BASE_SCALE
    };
    let exp = attempt.number.saturating_sub(1).min(62) as i32;
    let t = random * (scale * 2f64.powi(exp)).min(MAX_BACKOFF);
    let retry_after = attempt
        .headers
        .and_then(|h| h.get("x-amz-retry-after"))
        .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
        .map(|ms| ms as f64 / 1000.0);
    let secs = match retry_after {
        Some(after) => t.max(after.min(RETRY_AFTER_MAX_ADDITIONAL + t)),
        None => t,
    };
    Duration::from_secs_f64(secs.max(0.0))
}

/// The retry quota: a bucket of capacity every retry draws from and
/// successes refill.
#[derive(Debug)]
pub(super) struct Quota {
    available: u32,
}

impl Default for Quota {
    fn default() -> Quota {
        Quota { available: INITIAL_QUOTA }
    }
}

impl Quota {
    pub(super) fn acquire(&mut self, amount: u32) -> bool {
        if amount > self.available {
            return false;
        }
        self.available -= amount;
        true
    }

    pub(super) fn release(&mut self, amount: u32) {
        self.available = (self.available + amount).min(INITIAL_QUOTA);
    }

    pub(super) fn available(&self) -> u32 {
        self.available
    }
}
