//! Waiters: poll an operation until the resource reaches a state, as
//! botocore's `Waiter` does with a service's `waiters-2.json`.
//!
//! A waiter calls its operation, then checks its acceptors in order; the
//! first that matches sets the state: `success` ends the wait, `failure`
//! fails it, `retry` (or no match) waits `delay` and calls again, up to
//! `maxAttempts` calls. Matchers: `path` (a JMESPath over the result
//! equals the expected value), `pathAll` / `pathAny` (all / any elements
//! of a list result equal it), `status` (the HTTP status), `error` (the
//! service error code; `expected: true` matches any error, `false` no
//! error). A service error no acceptor matches fails the wait at once.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use std::time::Duration;
//! use boto_core::waiter::WaiterConfig;
//! use boto_core::{params, Client, Stubber};
//!
//! let client = Client::builder("dynamodb").region("us-east-1")
//!     .credentials(boto_core::credentials::Credentials::new("AKID", "secret", None))
//!     .build().unwrap();
//! let stubber = Stubber::new();
//! let client = stubber.activate(&client);
//! stubber.add_client_error("DescribeTable", "ResourceNotFoundException", "not yet", 400, None);
//! stubber.add_response("DescribeTable", params!({ "Table": { "TableStatus": "CREATING" } }), None);
//! stubber.add_response("DescribeTable", params!({ "Table": { "TableStatus": "ACTIVE" } }), None);
//!
//! let config = WaiterConfig { delay: Some(Duration::from_millis(1)), max_attempts: None };
//! let last = client.wait("table_exists", params!({ "TableName": "users" }), config).await.unwrap();
//! assert_eq!(last["Table"]["TableStatus"].as_str(), Some("ACTIVE"));
//! # });
//! ```

mod blocking;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value as Json;

use crate::client::Client;
use crate::error::Error;
use crate::jmes::{compile, values_equal, Expression};
use crate::model::{Loader, ModelError};
use crate::naming::xform_name;
use crate::value::{Map, Value};

/// Per-call overrides of a waiter's `delay` and `maxAttempts` (boto3's
/// `WaiterConfig`).
///
/// ```
/// use std::time::Duration;
/// let c = boto_core::waiter::WaiterConfig { delay: Some(Duration::from_millis(100)), max_attempts: Some(5) };
/// assert_eq!(c.max_attempts, Some(5));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WaiterConfig {
    /// The time between attempts (the model's `delay` seconds otherwise).
    pub delay: Option<Duration>,
    /// The most calls (the model's `maxAttempts` otherwise).
    pub max_attempts: Option<u32>,
}

impl WaiterConfig {
    /// Takes boto3's `WaiterConfig` member (`Delay` in seconds,
    /// `MaxAttempts`) out of `params`, if present, and fills the fields of
    /// `self` that are unset from it.
    ///
    /// ```
    /// use boto_core::{params, waiter::WaiterConfig};
    /// let mut p = params!({ "TableName": "t", "WaiterConfig": { "Delay": 0.5, "MaxAttempts": 3 } });
    /// let c = WaiterConfig::default().merge_from_params(&mut p);
    /// assert_eq!(c.delay, Some(std::time::Duration::from_millis(500)));
    /// assert_eq!(c.max_attempts, Some(3));
    /// assert!(p.get("WaiterConfig").is_none());
    /// ```
    pub fn merge_from_params(mut self, params: &mut Value) -> WaiterConfig {
        let Some(Value::Map(cfg)) = params.as_map_mut().and_then(|m| m.shift_remove("WaiterConfig")) else {
            return self;
        };
        if self.delay.is_none() {
            self.delay = cfg.get("Delay").and_then(Value::as_f64).and_then(|s| Duration::try_from_secs_f64(s).ok());
        }
        if self.max_attempts.is_none() {
            self.max_attempts = cfg.get("MaxAttempts").and_then(Value::as_i64).and_then(|n| u32::try_from(n).ok());
        }
        self
    }
}

/// The state an acceptor moves the waiter to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiterState {
    /// The wait is over: the resource is there.
    Success,
    /// The wait failed: the resource will not get there.
    Failure,
    /// Call again after the delay.
    Retry,
}

/// What an acceptor looks at.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// The expression's result equals `expected`.
    Path {
        /// The expression (`argument`).
        expression: Arc<Expression>,
        /// The value to find.
        expected: Value,
    },
    /// The expression gives a non-empty list whose elements all equal
    /// `expected`.
    PathAll {
        /// The expression (`argument`).
        expression: Arc<Expression>,
        /// The value to find.
        expected: Value,
    },
    /// The expression gives a list with at least one element equal to
    /// `expected`.
    PathAny {
        /// The expression (`argument`).
        expression: Arc<Expression>,
        /// The value to find.
        expected: Value,
    },
    /// The response's HTTP status.
    Status(i64),
    /// The service error code: `Some(code)`; `expected: true` (any error)
    /// is [`Matcher::AnyError`], `expected: false` [`Matcher::NoError`].
    Error(String),
    /// Any service error (`"matcher": "error", "expected": true`).
    AnyError,
    /// No service error (`"matcher": "error", "expected": false`).
    NoError,
}

/// One acceptor of a waiter.
#[derive(Debug, Clone)]
pub struct Acceptor {
    /// The state it moves to.
    pub state: WaiterState,
    /// What it matches.
    pub matcher: Matcher,
}

/// Python's `str()` of an expected value, as botocore's messages show it.
fn py_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

/// True when a response is a service error response (`Error.Code`).
fn is_error_response(r: &Value) -> bool {
    r.get("Error").and_then(Value::as_map).is_some_and(|e| e.contains_key("Code"))
}

impl Acceptor {
    /// botocore's explanation of a match (used in waiter errors).
    pub fn explanation(&self) -> String {
        match &self.matcher {
            Matcher::Path { expression, expected } => format!(
                "For expression \"{}\" we matched expected path: \"{}\"",
                expression.as_str(),
                py_text(expected)
            ),
            Matcher::PathAll { expression, expected } => format!(
                "For expression \"{}\" all members matched expected path: \"{}\"",
                expression.as_str(),
                py_text(expected)
            ),
            Matcher::PathAny { expression, expected } => format!(
                "For expression \"{}\" we matched expected path: \"{}\" at least once",
                expression.as_str(),
                py_text(expected)
            ),
            Matcher::Status(code) => format!("Matched expected HTTP status code: {code}"),
            Matcher::Error(code) => format!("Matched expected service error code: {code}"),
            Matcher::AnyError => "Matched expected service error code: True".into(),
            Matcher::NoError => "Matched expected service error code: False".into(),
        }
    }

    /// True when the acceptor matches `response` (a result, or an error
    /// response `{"Error": {"Code", "Message"}, "ResponseMetadata": ...}`).
    pub fn matches(&self, response: &Value) -> bool {
        let path = |e: &Expression| (!is_error_response(response)).then(|| e.search(response).ok()).flatten();
        match &self.matcher {
            Matcher::Path { expression, expected } => path(expression).is_some_and(|v| values_equal(&v, expected)),
            Matcher::PathAll { expression, expected } => path(expression).is_some_and(|v| match v {
                Value::List(l) => !l.is_empty() && l.iter().all(|x| values_equal(x, expected)),
                _ => false,
            }),
            Matcher::PathAny { expression, expected } => path(expression).is_some_and(|v| match v {
                Value::List(l) => l.iter().any(|x| values_equal(x, expected)),
                _ => false,
            }),
            Matcher::Status(code) => response["ResponseMetadata"]["HTTPStatusCode"].as_i64() == Some(*code),
            Matcher::AnyError => is_error_response(response),
            Matcher::NoError => response.get("Error").is_none(),
            Matcher::Error(code) => response["Error"]["Code"].as_str() == Some(code.as_str()),
        }
    }
}

/// One waiter of `waiters-2.json`, with its expressions compiled.
#[derive(Debug, Clone)]
pub struct WaiterSpec {
    /// The waiter's model name (`TableExists`).
    pub name: String,
    /// The operation it polls (`DescribeTable`).
    pub operation: String,
    /// Seconds between attempts.
    pub delay: f64,
    /// The most calls.
    pub max_attempts: u32,
    /// The acceptors, in order.
    pub acceptors: Vec<Acceptor>,
}

impl WaiterSpec {
    /// Reads one waiter entry.
    ///
    /// ```
    /// let w = boto_core::waiter::WaiterSpec::from_json("TableExists", &serde_json::json!({
    ///     "delay": 20, "operation": "DescribeTable", "maxAttempts": 25,
    ///     "acceptors": [
    ///         { "expected": "ACTIVE", "matcher": "path", "state": "success", "argument": "Table.TableStatus" },
    ///         { "expected": "ResourceNotFoundException", "matcher": "error", "state": "retry" }
    ///     ]
    /// })).unwrap();
    /// assert_eq!((w.operation.as_str(), w.max_attempts, w.acceptors.len()), ("DescribeTable", 25, 2));
    /// ```
    pub fn from_json(name: &str, config: &Json) -> Result<WaiterSpec, Error> {
        let bad = |what: String| Error::Other(format!("invalid waiter {name}: {what}"));
        let operation = config.get("operation").and_then(Json::as_str).ok_or_else(|| bad("no operation".into()))?;
        let delay = config.get("delay").and_then(Json::as_f64).ok_or_else(|| bad("no delay".into()))?;
        let max_attempts = config
            .get("maxAttempts")
            .and_then(Json::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| bad("no maxAttempts".into()))?;
        let mut acceptors = Vec::new();
        for a in config.get("acceptors").and_then(Json::as_array).into_iter().flatten() {
            let state = match a.get("state").and_then(Json::as_str) {
                Some("success") => WaiterState::Success,
                Some("failure") => WaiterState::Failure,
                Some("retry") => WaiterState::Retry,
                other => return Err(bad(format!("unknown state {other:?}"))),
            };
            let expected = a.get("expected").cloned().unwrap_or(Json::Null);
            let expr = || -> Result<Arc<Expression>, Error> {
                let arg = a.get("argument").and_then(Json::as_str).unwrap_or_default();
                compile(arg).map_err(|e| bad(e.to_string()))
            };
            let matcher = match a.get("matcher").and_then(Json::as_str) {
                Some("path") => Matcher::Path { expression: expr()?, expected: expected.into() },
                Some("pathAll") => Matcher::PathAll { expression: expr()?, expected: expected.into() },
                Some("pathAny") => Matcher::PathAny { expression: expr()?, expected: expected.into() },
                Some("status") => Matcher::Status(expected.as_i64().ok_or_else(|| bad("bad status".into()))?),
                Some("error") => match expected {
                    Json::Bool(true) => Matcher::AnyError,
                    Json::Bool(false) => Matcher::NoError,
                    Json::String(code) => Matcher::Error(code),
                    other => return Err(bad(format!("bad error matcher {other}"))),
                },
                other => return Err(bad(format!("Unknown acceptor: {other:?}"))),
            };
            acceptors.push(Acceptor { state, matcher });
        }
        Ok(WaiterSpec { name: name.to_owned(), operation: operation.to_owned(), delay, max_attempts, acceptors })
    }
}

/// The `waiters-2` document of a service for an API version (else its
/// newest); `None` when the service has none.
pub fn waiter_document(loader: &Loader, service: &str, api_version: Option<&str>) -> Result<Option<Arc<Json>>, Error> {
    match loader.load_document(service, "waiters-2", api_version) {
        Ok(d) => Ok(Some(d)),
        Err(ModelError::UnknownApiVersion { .. }) if api_version.is_some() => waiter_document(loader, service, None),
        Err(ModelError::DataNotFound(_)) | Err(ModelError::UnknownApiVersion { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Why a waiter stopped without success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiterStop {
    /// An acceptor with the `failure` state matched.
    FailureState,
    /// `max_attempts` calls were made without success.
    MaxAttempts,
    /// The call failed in a way no acceptor expects (a service error no
    /// acceptor matched, or a transport or validation error).
    UnexpectedError,
}

/// A waiter that did not reach success (botocore's `WaiterError`):
/// `Waiter TableExists failed: <reason>`.
#[derive(Debug, thiserror::Error)]
#[error("Waiter {name} failed: {reason}")]
pub struct WaiterError {
    /// The waiter's model name (`TableExists`).
    pub name: String,
    /// Why it stopped.
    pub stop: WaiterStop,
    /// botocore's reason text (`Max attempts exceeded`, `Waiter
    /// encountered a terminal failure state: ...`).
    pub reason: String,
    /// The last response: the result, or the error response (`Error`,
    /// `ResponseMetadata`) of a service error. `None` when the last call
    /// failed without a response.
    pub last_response: Option<Value>,
    /// The last call's error, when it failed.
    #[source]
    pub last_error: Option<Box<Error>>,
    /// The calls made.
    pub attempts: u32,
}

/// The error response botocore's waiters see for a service error
/// (`ClientError.response`).
fn error_response(e: &Error) -> Option<Value> {
    let se = e.service_error()?;
    let mut m = match &se.fields {
        Value::Map(m) => m.clone(),
        _ => Map::new(),
    };
    if !m.contains_key("Error") {
        let mut err = Map::new();
        err.insert("Code".into(), Value::String(se.code.clone()));
        err.insert("Message".into(), Value::String(se.message.clone()));
        m.insert("Error".into(), Value::Map(err));
    }
    let meta = m.entry("ResponseMetadata".to_owned()).or_insert_with(Value::map);
    if meta.get("HTTPStatusCode").is_none() {
        meta.insert("HTTPStatusCode", Value::Int(i64::from(se.status)));
    }
    Some(Value::Map(m))
}

impl Client {
    /// The model names of this service's waiters, sorted.
    pub fn waiter_names(&self) -> Result<Vec<String>, Error> {
        let model = self.model();
        let Some(doc) = waiter_document(self.loader(), model.service_name(), Some(model.api_version()))? else {
            return Ok(Vec::new());
        };
        let mut names: Vec<String> =
            doc.get("waiters").and_then(Json::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default();
        names.sort();
        Ok(names)
    }

    /// The waiter called `name` (`TableExists` or boto3's `table_exists`).
    pub fn waiter_spec(&self, name: &str) -> Result<WaiterSpec, Error> {
        let model = self.model();
        let doc = waiter_document(self.loader(), model.service_name(), Some(model.api_version()))?;
        let waiters = doc.as_ref().and_then(|d| d.get("waiters")).and_then(Json::as_object);
        let found = waiters.and_then(|w| w.iter().find(|(k, _)| k.as_str() == name || xform_name(k) == name));
        match found {
            Some((k, v)) => WaiterSpec::from_json(k, v),
            None => {
                let known: Vec<String> = waiters.map(|w| w.keys().map(|k| xform_name(k)).collect()).unwrap_or_default();
                Err(Error::Other(format!(
                    "{} has no waiter {name:?}; its waiters: {}",
                    self.service_name(),
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                )))
            }
        }
    }

    /// Waits with the waiter called `name` (`TableExists` or
    /// `table_exists`), calling its operation with `params` (which may
    /// hold boto3's `WaiterConfig` member; `config` wins where both set a
    /// field). Returns the last response on success; a
    /// [`WaiterError`] (as [`Error::Waiter`]) otherwise. See the
    /// [module documentation](self).
    pub async fn wait(&self, name: &str, mut params: Value, config: WaiterConfig) -> Result<Value, Error> {
        let spec = self.waiter_spec(name)?;
        if params.is_null() {
            params = Value::map();
        }
        let config = config.merge_from_params(&mut params);
        self.run_waiter(&spec, params, config).await.map_err(|e| Error::Waiter(Box::new(e)))
    }

    /// Runs a waiter (see [`Client::wait`]).
    pub async fn run_waiter(
        &self,
        spec: &WaiterSpec,
        params: Value,
        config: WaiterConfig,
    ) -> Result<Value, WaiterError> {
        let delay = config.delay.unwrap_or_else(|| Duration::try_from_secs_f64(spec.delay).unwrap_or_default());
        let max_attempts = config.max_attempts.unwrap_or(spec.max_attempts).max(1);
        let mut matched_before = false;
        let mut attempts = 0;
        let fail = |stop, reason: String, response: Option<Value>, error: Option<Error>, attempts| WaiterError {
            name: spec.name.clone(),
            stop,
            reason,
            last_response: response,
            last_error: error.map(Box::new),
            attempts,
        };
        loop {
            let outcome = self.call(&spec.operation, params.clone()).await;
            attempts += 1;
            let (response, error) = match outcome {
                Ok(v) => (v, None),
                Err(e) => match error_response(&e) {
                    Some(r) => (r, Some(e)),
                    None => {
                        let reason = e.to_string();
                        return Err(fail(WaiterStop::UnexpectedError, reason, None, Some(e), attempts));
                    }
                },
            };
            let matched = spec.acceptors.iter().find(|a| a.matches(&response));
            // botocore's message names the acceptor its loop stopped at: the
            // match, else the last one.
            let last_seen = matched.or(spec.acceptors.last());
            match matched.map(|a| a.state) {
                Some(WaiterState::Success) => {
                    tracing::debug!(waiter = %spec.name, attempts, "waiter reached its success state");
                    return Ok(response);
                }
                Some(WaiterState::Failure) => {
                    let reason = format!(
                        "Waiter encountered a terminal failure state: {}",
                        last_seen.map(Acceptor::explanation).unwrap_or_default()
                    );
                    return Err(fail(WaiterStop::FailureState, reason, Some(response), error, attempts));
                }
                Some(WaiterState::Retry) => matched_before = true,
                None if is_error_response(&response) => {
                    let reason = format!(
                        "An error occurred ({}): {}",
                        response["Error"]["Code"].as_str().unwrap_or("Unknown"),
                        response["Error"]["Message"].as_str().unwrap_or("Unknown")
                    );
                    return Err(fail(WaiterStop::UnexpectedError, reason, Some(response), error, attempts));
                }
                None => {}
            }
            if attempts >= max_attempts {
                let reason = match (matched_before, last_seen) {
                    (true, Some(a)) => format!("Max attempts exceeded. Previously accepted state: {}", a.explanation()),
                    _ => "Max attempts exceeded".to_owned(),
                };
                return Err(fail(WaiterStop::MaxAttempts, reason, Some(response), error, attempts));
            }
            tracing::debug!(waiter = %spec.name, attempts, ?delay, "waiter retrying");
            tokio::time::sleep(delay).await;
        }
    }
}

#[cfg(test)]
mod tests;
