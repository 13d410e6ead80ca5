//! The stubber: queue expected calls with canned answers, for offline unit
//! tests of code that uses a client (botocore's `Stubber`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::Client;
use crate::error::{Error, ServiceError};
use crate::hooks::{CallContext, Interceptor};
use crate::value::{Map, Value};

/// Queues expected calls and their answers; a call that does not match the
/// next expectation fails with a message saying what was expected.
///
/// ```
/// # tokio_test_block_on(async {
/// use boto_core::{params, Client, Stubber};
/// let client = Client::builder("dynamodb").region("us-east-1")
///     .credentials(boto_core::credentials::Credentials::new("AKID", "secret", None))
///     .build().unwrap();
/// let stubber = Stubber::new();
/// let client = stubber.activate(&client);
/// stubber.add_response("GetItem", params!({ "Item": { "id": { "S": "1" } } }),
///     Some(params!({ "TableName": "t", "Key": { "id": { "S": "1" } } })));
/// let out = client.call("get_item", params!({ "TableName": "t", "Key": { "id": { "S": "1" } } })).await.unwrap();
/// assert_eq!(out["Item"]["id"]["S"].as_str(), Some("1"));
/// stubber.assert_no_pending_responses();
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Stubber {
    queue: Arc<Mutex<VecDeque<Expected>>>,
}

#[derive(Debug)]
struct Expected {
    operation: String,
    params: Option<Value>,
    answer: Answer,
}

#[derive(Debug)]
enum Answer {
    Response(Value),
    Error { code: String, message: String, status: u16, fields: Value },
}

impl Stubber {
    /// An empty stubber.
    pub fn new() -> Stubber {
        Stubber::default()
    }

    /// A client like `client` whose calls are answered by this stubber.
    pub fn activate(&self, client: &Client) -> Client {
        client.with_interceptor(Arc::new(self.clone()))
    }

    /// Expects `operation` (model name or boto3 name), with exactly
    /// `expected_params` if given, and answers `response`.
    pub fn add_response(&self, operation: &str, response: Value, expected_params: Option<Value>) {
        self.push(operation, expected_params, Answer::Response(response));
    }

    /// Expects `operation` and answers with a service error.
    pub fn add_client_error(
        &self,
        operation: &str,
        code: &str,
        message: &str,
        status: u16,
        expected_params: Option<Value>,
    ) {
        let answer = Answer::Error { code: code.into(), message: message.into(), status, fields: Value::Null };
        self.push(operation, expected_params, answer);
    }

    /// Like [`Stubber::add_client_error`], with modeled error members.
    pub fn add_client_error_with_fields(&self, operation: &str, code: &str, message: &str, status: u16, fields: Value) {
        let answer = Answer::Error { code: code.into(), message: message.into(), status, fields };
        self.push(operation, None, answer);
    }

    fn push(&self, operation: &str, params: Option<Value>, answer: Answer) {
        let operation = crate::naming::xform_name(operation);
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).push_back(Expected { operation, params, answer });
    }

    /// The number of answers not used yet.
    pub fn pending(&self) -> usize {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Panics (this is a test helper) if answers are left.
    pub fn assert_no_pending_responses(&self) {
        let queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let left: Vec<&str> = queue.iter().map(|e| e.operation.as_str()).collect();
        assert!(left.is_empty(), "Stubber: responses still pending: {left:?}");
    }
}

impl Interceptor for Stubber {
    fn before_call(&self, ctx: &CallContext<'_>, params: &Value) -> Option<Result<Value, Error>> {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let called = crate::naming::xform_name(ctx.operation);
        let Some(next) = queue.pop_front() else {
            return Some(Err(Error::Hook(format!("Stubber: unexpected call to {called}: no responses are queued"))));
        };
        if next.operation != called {
            let msg = format!("Stubber: expected a call to {}, got {called}", next.operation);
            queue.push_front(next);
            return Some(Err(Error::Hook(msg)));
        }
        if let Some(expected) = &next.params {
            if expected != params {
                let msg = format!("Stubber: {called} called with {params}, expected {expected}");
                queue.push_front(next);
                return Some(Err(Error::Hook(msg)));
            }
        }
        Some(match next.answer {
            Answer::Response(mut v) => {
                if v.is_null() {
                    v = Value::map();
                }
                if let Some(m) = v.as_map_mut() {
                    let mut meta = Map::new();
                    meta.insert("HTTPStatusCode".into(), Value::Int(200));
                    m.entry("ResponseMetadata".to_owned()).or_insert(Value::Map(meta));
                }
                Ok(v)
            }
            Answer::Error { code, message, status, fields } => {
                let mut f = match fields {
                    Value::Map(m) => m,
                    _ => Map::new(),
                };
                let mut error = Map::new();
                error.insert("Code".into(), Value::String(code.clone()));
                error.insert("Message".into(), Value::String(message.clone()));
                f.insert("Error".into(), Value::Map(error));
                Err(Error::Service(Box::new(ServiceError {
                    operation: ctx.operation.to_owned(),
                    code,
                    message,
                    status,
                    request_id: None,
                    fields: Value::Map(f),
                    attempts: 1,
                })))
            }
        })
    }
}
