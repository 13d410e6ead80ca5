//! Legacy mode: botocore's original retry handler, configured per service by
//! `_retry.json` (`__default__` policies merged with the service's, by
//! endpoint prefix).

use std::time::Duration;

use serde_json::Value as Json;

use super::Attempt;

#[derive(Debug, Clone)]
enum Rule {
    /// A status code, and an error code if given.
    Response { status: Option<u16>, code: Option<String> },
    /// Connection errors and timeouts.
    SocketErrors,
    /// A body whose CRC32 does not match the named header.
    Crc32(String),
}

/// The legacy policy of one service.
#[derive(Debug, Clone)]
pub(super) struct Policy {
    pub(super) max_attempts: u32,
    /// `None` means a random base in [0, 1).
    base: Option<f64>,
    growth: f64,
    rules: Vec<Rule>,
}

impl Policy {
    /// Builds the policy for `endpoint_prefix` from `_retry.json`; without the
    /// document, botocore's defaults (5 attempts, random exponential backoff,
    /// socket errors and 5xx/429/throttling codes).
    pub(super) fn from_retry_model(retry: Option<&Json>, endpoint_prefix: &str) -> Policy {
        let mut policy = Policy { max_attempts: 5, base: None, growth: 2.0, rules: Vec::new() };
        let Some(doc) = retry else {
            policy.rules = vec![
                Rule::SocketErrors,
                Rule::Response { status: Some(500), code: None },
                Rule::Response { status: Some(502), code: None },
                Rule::Response { status: Some(503), code: None },
                Rule::Response { status: Some(504), code: None },
                Rule::Response { status: Some(429), code: None },
            ];
            return policy;
        };
        let definitions = &doc["definitions"];
        for section in [&doc["retry"]["__default__"], &doc["retry"][endpoint_prefix]["__default__"]] {
            if let Some(n) = section["max_attempts"].as_u64() {
                policy.max_attempts = n as u32;
            }
            if let Some(delay) = section.get("delay") {
                policy.base = delay["base"].as_f64();
                policy.growth = delay["growth_factor"].as_f64().unwrap_or(2.0);
            }
            if let Some(policies) = section["policies"].as_object() {
                for p in policies.values() {
                    let p = match p.get("$ref").and_then(Json::as_str) {
                        Some(name) => &definitions[name],
                        None => p,
                    };
                    if let Some(rule) = parse_rule(&p["applies_when"]) {
                        policy.rules.push(rule);
                    }
                }
            }
        }
        policy
    }

    pub(super) fn is_retryable(&self, attempt: &Attempt<'_>) -> bool {
        self.rules.iter().any(|rule| match rule {
            Rule::SocketErrors => attempt.transport_error,
            Rule::Response { status, code } => {
                attempt.status.is_some()
                    && status.is_none_or(|s| attempt.status == Some(s))
                    && code.as_deref().is_none_or(|c| attempt.error_code == Some(c))
            }
            Rule::Crc32(header) => super::standard::crc32_mismatch(attempt, header),
        })
    }

    /// `base * growth^(attempt-1)`, with a random base when the model says
    /// `rand`.
    pub(super) fn delay(&self, attempt: u32) -> Duration {
        let base = self.base.unwrap_or_else(fastrand::f64);
        let secs = base * self.growth.powi(attempt.saturating_sub(1).min(62) as i32);
        Duration::from_secs_f64(secs.clamp(0.0, 3600.0))
    }
}

fn parse_rule(applies: &Json) -> Option<Rule> {
    if applies.get("socket_errors").is_some() {
        return Some(Rule::SocketErrors);
    }
    let response = applies.get("response")?;
    if let Some(header) = response["crc32body"].as_str() {
        return Some(Rule::Crc32(header.to_owned()));
    }
    Some(Rule::Response {
        status: response["http_status_code"].as_u64().map(|s| s as u16),
        code: response["service_error_code"].as_str().map(str::to_owned),
    })
}
