//! Request serialization for every protocol.

use crate::model::{Operation, ServiceModel};
use crate::request::HttpRequest;
use crate::value::Value;

/// The HTTP request an operation call becomes, before endpoint resolution
/// and signing.
#[derive(Debug, Clone)]
pub struct SerializedRequest {
    /// Method, relative URL (path and query string), headers and body.
    pub request: HttpRequest,
    /// The operation's host prefix with its labels filled in
    /// (`"foo.data."`), to prepend to the endpoint's host.
    pub host_prefix: Option<String>,
}

/// Why parameters could not be serialized.
#[derive(Debug, thiserror::Error)]
#[error("cannot serialize {operation}: {path}: {message}")]
pub struct SerializeError {
    /// The operation.
    pub operation: String,
    /// Where in the parameters (`Item.id.S`), or empty.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Serializes `params` (already validated) for `operation` of `model`.
pub fn serialize(
    model: &ServiceModel,
    operation: &Operation,
    params: &Value,
) -> Result<SerializedRequest, SerializeError> {
    let _ = (model, params);
    Err(SerializeError {
        operation: operation.name.to_string(),
        path: String::new(),
        message: "not implemented".into(),
    })
}
