//! Request serialization for every protocol.
//!
//! [`serialize`] turns an operation's (validated) parameters into the parts
//! of an HTTP request the way botocore 1.44.5's `serialize.py` does:
//!
//! | protocol | module | body |
//! | --- | --- | --- |
//! | `query`, `ec2` | `query` | `Action=Op&Version=...&Name.member.1=...` form |
//! | `json` | `json` | JSON document, `X-Amz-Target` header |
//! | `rest-json` | `rest` + `rest_json` | URI labels, query string and headers from member locations; JSON body or raw payload |
//! | `rest-xml` | `rest` + `rest_xml` | the same bindings; XML body or raw payload |
//! | `smithy-rpc-v2-cbor` | `cbor` | CBOR document, `/service/{Service}/operation/{Op}` |
//!
//! Before the protocol runs, missing idempotency-token members are filled
//! with a UUID v4 (botocore does this in a `before-parameter-build`
//! handler) and the operation's host prefix is expanded from its
//! `hostLabel` members.
//!
//! The result is relative: the caller resolves the endpoint, prepends
//! [`SerializedRequest::host_prefix`] to its host, and adds the headers
//! that are not the protocol's business (user agent, checksums,
//! `Content-Length`, signing).
//!
//! Bodies are written straight into a byte buffer; a streaming payload
//! (`Value::Stream`) becomes the request body as it is, never read.
//!
//! Traits: botocore merges the traits written on a member reference over
//! the traits of the shape it targets; the internal `shape_ref::Ref` does the same
//! (member first, then shape).

mod cbor;
mod encode;
mod host_prefix;
mod json;
mod query;
mod rest;
mod rest_json;
mod rest_xml;
mod scalar;
mod shape_ref;
mod timestamp;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt;

use crate::model::{Operation, ServiceModel};
use crate::protocol::Protocol;
use crate::request::HttpRequest;
use crate::value::{Map, Value};

use shape_ref::Ref;

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
    /// Where in the parameters (`Item.id.S`, `Tags[2].Key`), or empty.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// A function that makes the value of an idempotency token.
pub type TokenSource<'a> = &'a (dyn Fn() -> String + Send + Sync);

/// Options for [`serialize_with`].
#[derive(Clone, Copy, Default)]
pub struct SerializeOptions<'a> {
    /// Makes the value of each idempotency-token member the caller left
    /// out. `None` (the default) means a random UUID v4, as botocore.
    pub idempotency_token: Option<TokenSource<'a>>,
}

impl fmt::Debug for SerializeOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SerializeOptions").field("idempotency_token", &self.idempotency_token.is_some()).finish()
    }
}

/// Serializes `params` (already validated) for `operation` of `model`.
///
/// ```
/// use boto_core::{model::Loader, params, protocol::serialize};
///
/// let ddb = Loader::embedded_only().service_model("dynamodb", None).unwrap();
/// let op = ddb.operation("GetItem").unwrap().unwrap();
/// let out = serialize(&ddb, op, &params!({
///     "TableName": "users",
///     "Key": { "id": { "S": "u-1" } },
/// }))
/// .unwrap();
/// assert_eq!(out.request.url, "/");
/// assert_eq!(out.request.headers["x-amz-target"], "DynamoDB_20120810.GetItem");
/// assert_eq!(
///     out.request.body.as_bytes().unwrap(),
///     br#"{"TableName":"users","Key":{"id":{"S":"u-1"}}}"#
/// );
/// ```
pub fn serialize(
    model: &ServiceModel,
    operation: &Operation,
    params: &Value,
) -> Result<SerializedRequest, SerializeError> {
    serialize_with(model, operation, params, &SerializeOptions::default())
}

/// [`serialize`] with options (a fixed idempotency-token source, for
/// tests).
pub fn serialize_with(
    model: &ServiceModel,
    operation: &Operation,
    params: &Value,
    options: &SerializeOptions<'_>,
) -> Result<SerializedRequest, SerializeError> {
    run(model, operation, params, options).map_err(|e| e.into_error(&operation.name))
}

fn run(
    model: &ServiceModel,
    operation: &Operation,
    params: &Value,
    options: &SerializeOptions<'_>,
) -> Res<SerializedRequest> {
    let protocol = Protocol::for_model(model)
        .ok_or_else(|| Fail::new(format!("unsupported protocol {:?}", model.metadata().resolved_protocol())))?;
    let params = match params {
        Value::Null => None,
        Value::Map(m) => Some(m),
        other => return Err(Fail::new(format!("the parameters must be a structure, not a {}", other.kind()))),
    };
    let params = fill_idempotency_tokens(model, operation, params, options);
    let params = params.as_deref();
    let host_prefix = host_prefix::expand(model, operation, params)?;
    let request = match protocol {
        Protocol::Query => query::serialize(model, operation, params, false)?,
        Protocol::Ec2 => query::serialize(model, operation, params, true)?,
        Protocol::Json => json::serialize(model, operation, params)?,
        Protocol::RestJson => rest::serialize(model, operation, params, &rest_json::RestJson)?,
        Protocol::RestXml => rest::serialize(model, operation, params, &rest_xml::RestXml)?,
        Protocol::SmithyRpcV2Cbor => cbor::serialize(model, operation, params)?,
    };
    tracing::trace!(
        operation = %operation.name,
        protocol = protocol.name(),
        url = %request.url,
        body_len = ?request.body.len(),
        "serialized request"
    );
    Ok(SerializedRequest { request, host_prefix })
}

/// Adds a token to each top-level idempotency-token member that is absent
/// (or null), as botocore's `generate_idempotent_uuid` handler does. The
/// parameters are copied only when a token is added.
fn fill_idempotency_tokens<'p>(
    model: &ServiceModel,
    operation: &Operation,
    params: Option<&'p Map>,
    options: &SerializeOptions<'_>,
) -> Option<Cow<'p, Map>> {
    let Some(input) = &operation.input else { return params.map(Cow::Borrowed) };
    let shape = model.shape(input.shape);
    let mut out = params.map(Cow::Borrowed);
    for member in shape.members.iter() {
        if !Ref::member(model, member).idempotency_token() {
            continue;
        }
        let present = out.as_deref().and_then(|m| m.get(&*member.name)).is_some_and(|v| !v.is_null());
        if present {
            continue;
        }
        let token = match options.idempotency_token {
            Some(make) => make(),
            None => uuid::Uuid::new_v4().to_string(),
        };
        tracing::debug!(member = %member.name, "injecting idempotency token");
        let map = out.get_or_insert_with(|| Cow::Owned(Map::new())).to_mut();
        map.insert(member.name.to_string(), Value::String(token));
    }
    out
}

// ---- internal errors ----

/// A failure while serializing, with the path to the bad value collected
/// (innermost first) as the error travels out.
#[derive(Debug)]
pub(crate) struct Fail {
    path: Vec<Segment>,
    message: String,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

pub(crate) type Res<T> = Result<T, Fail>;

impl Fail {
    pub(crate) fn new(message: impl Into<String>) -> Fail {
        Fail { path: Vec::new(), message: message.into() }
    }

    /// "expected a string, got integer".
    pub(crate) fn expected(what: &str, got: &Value) -> Fail {
        Fail::new(format!("expected {what}, got {}", got.kind()))
    }

    /// Records that the failure happened under member or key `key`.
    pub(crate) fn at(mut self, key: &str) -> Fail {
        self.path.push(Segment::Key(key.to_owned()));
        self
    }

    /// Records that the failure happened at list index `i`.
    pub(crate) fn at_index(mut self, i: usize) -> Fail {
        self.path.push(Segment::Index(i));
        self
    }

    fn into_error(self, operation: &str) -> SerializeError {
        let mut path = String::new();
        for seg in self.path.iter().rev() {
            match seg {
                Segment::Key(k) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                }
                Segment::Index(i) => {
                    path.push('[');
                    path.push_str(&i.to_string());
                    path.push(']');
                }
            }
        }
        SerializeError { operation: operation.to_owned(), path, message: self.message }
    }
}

/// The structure member called `key`, or an error naming it.
pub(crate) fn member_named<'m>(shape: &'m crate::model::Shape, key: &str) -> Res<&'m crate::model::Member> {
    shape.member_named(key).ok_or_else(|| Fail::new(format!("unknown member of {}", shape.name)).at(key))
}

/// The map behind a structure value.
pub(crate) fn expect_map(value: &Value) -> Res<&Map> {
    match value {
        Value::Map(m) => Ok(m),
        other => Err(Fail::expected("a structure", other)),
    }
}

/// Builds a header value, or says why the text cannot be one.
pub(crate) fn header_value(text: &[u8]) -> Res<http::HeaderValue> {
    http::HeaderValue::from_bytes(text)
        .map_err(|_| Fail::new("the value cannot be sent in an HTTP header (it holds control characters)"))
}

/// The HTTP method of an operation.
pub(crate) fn method(operation: &Operation) -> Res<http::Method> {
    http::Method::from_bytes(operation.http.method.as_bytes())
        .map_err(|_| Fail::new(format!("invalid HTTP method {:?} in the model", operation.http.method)))
}
