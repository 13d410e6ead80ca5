use std::time::Duration;

use http::HeaderMap;

use super::*;
use crate::model::Loader;

fn attempt(number: u32, status: u16, code: Option<&'static str>) -> Attempt<'static> {
    Attempt {
        number,
        status: Some(status),
        headers: None,
        body: None,
        error_code: code,
        transport_error: false,
        timeout: false,
    }
}

fn setup(service: &str, op: &str) -> (std::sync::Arc<ServiceModel>, Operation) {
    let model = Loader::embedded_only().service_model(service, None).unwrap();
    let op = model.operation(op).unwrap().unwrap().clone();
    (model, op)
}

#[test]
fn standard_retries_transient_errors_up_to_max_attempts() {
    let (model, op) = setup("sqs", "SendMessage");
    let s = RetryStrategy::new(RetryMode::Standard, None, &model, None);
    assert_eq!(s.max_attempts(), 3);
    let mut state = CallState::default();
    let d1 = s.should_retry(&mut state, &model, &op, &attempt(1, 503, None)).unwrap();
    assert!(d1 <= Duration::from_millis(50), "{d1:?}");
    let d2 = s.should_retry(&mut state, &model, &op, &attempt(2, 500, Some("InternalError"))).unwrap();
    assert!(d2 <= Duration::from_millis(100), "{d2:?}");
    assert_eq!(s.should_retry(&mut state, &model, &op, &attempt(3, 503, None)), Err(Stop::MaxAttemptsReached));
    assert_eq!(s.available_quota(), 500 - 2 * 14);
    s.on_success(&state);
    assert_eq!(s.available_quota(), 500 - 14, "a retried success gives back its last cost");
}

#[test]
fn standard_does_not_retry_client_errors() {
    let (model, op) = setup("dynamodb", "GetItem");
    let s = RetryStrategy::new(RetryMode::Standard, None, &model, None);
    assert_eq!(s.max_attempts(), 4, "DynamoDB gets 4 attempts");
    let mut state = CallState::default();
    let err = s.should_retry(&mut state, &model, &op, &attempt(1, 400, Some("ValidationException")));
    assert_eq!(err, Err(Stop::NotRetryable));
    let err = s.should_retry(&mut state, &model, &op, &attempt(1, 404, Some("ResourceNotFoundException")));
    assert_eq!(err, Err(Stop::NotRetryable));
}

#[test]
fn throttling_is_retried_with_a_larger_scale_and_a_smaller_cost() {
    let (model, op) = setup("dynamodb", "GetItem");
    let s = RetryStrategy::new(RetryMode::Standard, Some(10), &model, None);
    let mut state = CallState::default();
    let a = attempt(1, 400, Some("ProvisionedThroughputExceededException"));
    assert!(s.should_retry(&mut state, &model, &op, &a).is_ok());
    assert_eq!(s.available_quota(), 495);
    // Throttling backs off with a 1 s scale; other errors with 25 ms (DynamoDB).
    assert_eq!(standard::backoff("dynamodb", true, &attempt(3, 400, None), 1.0), Duration::from_secs(4));
    assert_eq!(standard::backoff("dynamodb", false, &attempt(3, 500, None), 1.0), Duration::from_millis(100));
    assert_eq!(standard::backoff("sqs", false, &attempt(1, 500, None), 1.0), Duration::from_millis(50));
    assert_eq!(standard::backoff("sqs", true, &attempt(10, 500, None), 1.0), Duration::from_secs(20), "capped");
    assert_eq!(standard::backoff("sqs", true, &attempt(10, 500, None), 0.0), Duration::ZERO, "full jitter");
}

#[test]
fn unmodeled_429_is_throttling_and_retry_after_is_honoured() {
    let (model, op) = setup("sqs", "SendMessage");
    let mut headers = HeaderMap::new();
    headers.insert("x-amz-retry-after", "3000".parse().unwrap());
    let a = Attempt { headers: Some(&headers), ..attempt(1, 429, None) };
    assert!(standard::is_throttling(&model, &op, &a));
    assert!(standard::is_retryable(&model, &op, &a));
    assert_eq!(standard::backoff("sqs", true, &a, 0.5), Duration::from_secs(3));
    headers.insert("x-amz-retry-after", "60000".parse().unwrap());
    let a = Attempt { headers: Some(&headers), ..attempt(1, 429, None) };
    assert_eq!(standard::backoff("sqs", true, &a, 0.5), Duration::from_secs_f64(5.5), "at most 5 s more");
}

#[test]
fn connection_errors_are_retried_and_the_quota_runs_out() {
    let (model, op) = setup("sqs", "SendMessage");
    let s = RetryStrategy::new(RetryMode::Standard, Some(1000), &model, None);
    let net = Attempt {
        number: 1,
        status: None,
        headers: None,
        body: None,
        error_code: None,
        transport_error: true,
        timeout: false,
    };
    let mut state = CallState::default();
    let mut retries = 0;
    while s.should_retry(&mut state, &model, &op, &net).is_ok() {
        retries += 1;
    }
    assert_eq!(retries, 500 / 14);
    assert_eq!(s.should_retry(&mut state, &model, &op, &net), Err(Stop::QuotaExhausted));
}

#[test]
fn dynamodb_crc32_mismatch_is_retried() {
    let (model, op) = setup("dynamodb", "GetItem");
    let mut headers = HeaderMap::new();
    headers.insert("x-amz-crc32", "123".parse().unwrap());
    let a = Attempt { headers: Some(&headers), body: Some(b"{}"), ..attempt(1, 200, None) };
    assert!(standard::is_retryable(&model, &op, &a));
    let good = crc_fast::checksum(crc_fast::CrcAlgorithm::Crc32IsoHdlc, b"{}").to_string();
    headers.insert("x-amz-crc32", good.parse().unwrap());
    let a = Attempt { headers: Some(&headers), body: Some(b"{}"), ..attempt(1, 200, None) };
    assert!(!standard::is_retryable(&model, &op, &a));
}

#[test]
fn legacy_mode_follows_retry_json() {
    let loader = Loader::embedded_only();
    let retry = loader.load_global("_retry").unwrap();
    let (model, op) = setup("dynamodb", "PutItem");
    let s = RetryStrategy::new(RetryMode::Legacy, None, &model, Some(&retry));
    assert_eq!(s.max_attempts(), 10);
    let mut state = CallState::default();
    let d = s.should_retry(&mut state, &model, &op, &attempt(3, 400, Some("ProvisionedThroughputExceededException")));
    assert_eq!(d, Ok(Duration::from_secs_f64(0.2)), "0.05 * 2^(3-1)");
    assert!(s
        .should_retry(&mut state, &model, &op, &attempt(1, 409, Some("ReplicatedWriteConflictException")))
        .is_ok());
    assert_eq!(
        s.should_retry(&mut state, &model, &op, &attempt(1, 400, Some("ValidationException"))),
        Err(Stop::NotRetryable)
    );
    assert_eq!(s.should_retry(&mut state, &model, &op, &attempt(10, 503, None)), Err(Stop::MaxAttemptsReached));
    // A code without its status does not match.
    assert!(
        s.should_retry(&mut state, &model, &op, &attempt(1, 500, Some("ThrottlingException"))).is_ok(),
        "500 alone is retryable"
    );
    let (ec2, run) = setup("ec2", "RunInstances");
    let s = RetryStrategy::new(RetryMode::Legacy, None, &ec2, Some(&retry));
    assert_eq!(s.max_attempts(), 5);
    let d = s.should_retry(&mut state, &ec2, &run, &attempt(1, 503, None)).unwrap();
    assert!(d < Duration::from_secs(1));
}

#[test]
fn adaptive_mode_slows_down_after_throttling() {
    let (model, op) = setup("sqs", "SendMessage");
    let s = RetryStrategy::new(RetryMode::Adaptive, None, &model, None);
    let limiter = s.limiter.as_ref().unwrap();
    assert!(!limiter.snapshot().0, "off until throttled");
    assert!(limiter.acquire_delay().is_none());
    let mut state = CallState::default();
    let _ = s.should_retry(&mut state, &model, &op, &attempt(1, 400, Some("Throttling")));
    let (enabled, rate) = limiter.snapshot();
    assert!(enabled);
    assert!(rate <= 1.0, "{rate}");
    // With the limiter on and an empty bucket, callers must wait.
    let waits: Vec<_> = (0..3).map(|_| limiter.acquire_delay()).collect();
    assert!(waits.iter().any(Option::is_some), "{waits:?}");
}
