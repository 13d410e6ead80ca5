//! Response parsing for every protocol.
//!
//! [`parse`] turns an HTTP response to an operation into the operation's
//! result or a service error, as botocore's parsers (and the handlers that
//! run around them) do:
//!
//! * a status of 300 or more is an error (and so is an S3 `200 OK` whose
//!   body is an `<Error>` document, see below);
//! * results are [`Value::Map`]s keyed by member name, typed by the output
//!   shape: timestamps become [`Value::Timestamp`] from every wire format,
//!   blobs [`Value::Blob`], big numbers exact [`Value::Number`] text, NaN
//!   and infinities floats, documents untyped values;
//! * every result has a `ResponseMetadata` map with what the response
//!   itself carries: `RequestId` (from `x-amzn-requestid`,
//!   `x-amz-request-id`, or the body of query and ec2 responses) and, for
//!   S3-style REST responses, `HostId` (from `x-amz-id-2`). The client adds
//!   `HTTPStatusCode`, `HTTPHeaders` and `RetryAttempts`;
//! * a streaming payload (S3 GetObject's `Body`) is returned as
//!   [`Value::Stream`] holding the response body untouched; the client must
//!   not buffer such bodies (see [`has_streaming_output`]) and must buffer
//!   every other body before calling [`parse`];
//! * errors carry the code found as botocore finds it, the message, the
//!   request id, the other fields botocore reports under `Error`, and the
//!   members of the modeled error shape matching the code
//!   ([`ServiceErrorData`]).
//!
//! S3 quirks handled here: a `200 OK` with an `<Error>` body (CopyObject,
//! UploadPartCopy, CompleteMultipartUpload, ...) or an unreadable body is a
//! `500` error, as botocore's `_handle_200_error` makes it; GetBucketLocation
//! reads the root element's text.
//!
//! Event streams: with an in-memory body every message is decoded and the
//! event stream member holds a [`Value::List`] of events (each a one-key map
//! `{"EventName": {...}}`), the `initial-response` event of RPC protocols
//! fills the other members, and an exception event makes the whole response
//! an error. With a streaming body the member holds the [`Value::Stream`]
//! and the caller decodes it with [`event_stream::EventStreamDecoder`] and
//! [`event_stream::parse_event`].
//!
//! [`parse_with`] takes [`ParseOptions`]: timestamps left as written (as
//! botocore with `timestamp_parser=lambda x: x`) and the header names as the
//! server spelled them.
//!
//! A body that is not well-formed (or nests deeper than 100 levels, or
//! holds a value its shape cannot take) is a [`ParseError`] naming the
//! operation and where the body broke; nothing here panics on input.
//!
//! Left to the client, as botocore does it in `after-call` handlers: URL
//! decoding of S3 list results requested with `EncodingType=url`, JSON
//! decoding of CloudFormation's `TemplateBody`, and the other
//! service-specific handlers.

pub mod cbor;
mod error;
pub mod event_stream;
mod json;
mod query;
mod rest;
mod s3;
pub mod timestamp;
mod xml;

#[cfg(test)]
mod tests;

use base64::Engine as _;
use http::HeaderMap;

use crate::model::{Location, Member, Operation, ServiceModel, Shape, ShapeId, ShapeKind, Traits};
use crate::request::HttpResponse;
use crate::value::{Map, Value};

use super::Protocol;

/// A parsed response: the operation's result, or a service error.
// Errors are the rare case and the value is moved once; boxing them would
// cost every caller a deref.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Parsed {
    /// The result (with `ResponseMetadata` as botocore's parsers give it).
    Ok(Value),
    /// A service error.
    Err(ServiceErrorData),
}

/// A service error as the response describes it.
#[derive(Debug, Clone, Default)]
pub struct ServiceErrorData {
    /// The error code (`ConditionalCheckFailedException`). For
    /// awsQueryCompatible services that send `x-amzn-query-error`, the
    /// query code from that header; for bodiless errors, the status
    /// (`"404"`).
    pub code: String,
    /// The message, possibly empty.
    pub message: String,
    /// The HTTP status (500 for an S3 `200 OK` carrying an error).
    pub status: u16,
    /// The request id, when the response carries one.
    pub request_id: Option<String>,
    /// The members of the modeled error shape matching the code, parsed by
    /// that shape (what botocore merges into the top level of the error
    /// response): always a [`Value::Map`], empty when no shape matches.
    pub fields: Value,
    /// The other entries botocore puts under `Error` besides `Code` and
    /// `Message`: `Type` (`Sender`), `QueryErrorCode`, S3's `BucketName`,
    /// ... (values are strings or nested maps).
    pub details: Map,
    /// `ResponseMetadata` as the parser finds it (`RequestId`, `HostId`).
    pub metadata: Map,
    /// The name of the modeled error shape matching the code, if any.
    pub shape: Option<String>,
}

impl ServiceErrorData {
    /// The error response as botocore shapes it:
    /// `{"Error": {"Code", "Message", ...details}, "ResponseMetadata": {...},
    /// ...fields}`. The client adds `HTTPStatusCode`, `HTTPHeaders` and
    /// `RetryAttempts` to `ResponseMetadata`.
    pub fn to_response(&self) -> Value {
        let mut error = Map::with_capacity(2 + self.details.len());
        error.insert("Code".into(), Value::String(self.code.clone()));
        error.insert("Message".into(), Value::String(self.message.clone()));
        for (k, v) in &self.details {
            error.insert(k.clone(), v.clone());
        }
        let mut out = Map::new();
        if let Value::Map(fields) = &self.fields {
            for (k, v) in fields {
                out.insert(k.clone(), v.clone());
            }
        }
        out.insert("Error".into(), Value::Map(error));
        out.insert("ResponseMetadata".into(), Value::Map(self.metadata.clone()));
        Value::Map(out)
    }
}

/// Why a response could not be parsed.
#[derive(Debug, thiserror::Error)]
#[error("cannot parse the {operation} response: at {location}: {message}")]
pub struct ParseError {
    /// The operation.
    pub operation: String,
    /// Where the body broke (line and column, byte offset, or element path).
    pub location: String,
    /// What is wrong.
    pub message: String,
}

/// Parses `response` to `operation` of `model`.
///
/// The body must be in memory ([`Body::from_bytes`](crate::Body::from_bytes)
/// or empty) unless [`has_streaming_output`] says the operation streams its
/// output, in which case it is passed on untouched when the response is a
/// success. Error responses of streaming operations need their body
/// buffered too (the client knows the status before reading the body).
///
/// ```
/// use boto_core::model::Loader;
/// use boto_core::protocol::parse::{parse, Parsed};
/// use boto_core::HttpResponse;
///
/// let ddb = Loader::embedded_only().service_model("dynamodb", None).unwrap();
/// let op = ddb.operation("GetItem").unwrap().unwrap();
/// let mut response = HttpResponse { status: 200, ..Default::default() };
/// response.headers.insert("x-amzn-requestid", "REQ1".parse().unwrap());
/// response.body = r#"{"Item": {"id": {"S": "u-1"}, "n": {"N": "12"}}}"#.into();
/// let Parsed::Ok(out) = parse(&ddb, op, response).unwrap() else { panic!() };
/// assert_eq!(out["Item"]["id"]["S"].as_str(), Some("u-1"));
/// assert_eq!(out["ResponseMetadata"]["RequestId"].as_str(), Some("REQ1"));
/// ```
pub fn parse(model: &ServiceModel, operation: &Operation, response: HttpResponse) -> Result<Parsed, ParseError> {
    parse_with(model, operation, response, &ParseOptions::default())
}

/// Options for [`parse_with`].
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// The response's header names as the server spelled them, when the
    /// transport knows (an HTTP/1.1 connection keeps their case;
    /// [`http::HeaderMap`] lowercases them). Maps of prefixed headers
    /// (`location: headers`) then use that spelling for their keys, as
    /// botocore reports them; otherwise the keys are lowercase.
    pub original_header_names: Vec<String>,
    /// Leave timestamps as the response writes them (text, or the epoch
    /// number) instead of making [`Value::Timestamp`]s, as botocore does
    /// with `timestamp_parser=lambda x: x`.
    pub raw_timestamps: bool,
}

/// [`parse`] with options.
pub fn parse_with(
    model: &ServiceModel,
    operation: &Operation,
    mut response: HttpResponse,
    options: &ParseOptions,
) -> Result<Parsed, ParseError> {
    parse_in_place(model, operation, &mut response, options)
}

/// [`parse_with`] leaving the response's status and headers in place for
/// the caller (a streamed body is taken out of it).
pub(crate) fn parse_in_place(
    model: &ServiceModel,
    operation: &Operation,
    response: &mut HttpResponse,
    options: &ParseOptions,
) -> Result<Parsed, ParseError> {
    let ctx = Ctx { model, op: operation, options };
    let protocol = Protocol::for_model(model)
        .ok_or_else(|| ctx.error("metadata.protocol", format!("unknown protocol {:?}", model.metadata().protocol)))?;
    tracing::trace!(operation = %operation.name, status = response.status, protocol = protocol.name(), "parsing response");
    if s3::is_s3(model) {
        return s3::parse(&ctx, response);
    }
    parse_protocol(&ctx, protocol, response)
}

fn parse_protocol(ctx: &Ctx<'_>, protocol: Protocol, response: &mut HttpResponse) -> Result<Parsed, ParseError> {
    match protocol {
        Protocol::Query => query::parse(ctx, response, false),
        Protocol::Ec2 => query::parse(ctx, response, true),
        Protocol::Json => json::parse_rpc(ctx, response),
        Protocol::RestJson => rest::parse(ctx, response, rest::BodyFormat::Json),
        Protocol::RestXml => rest::parse(ctx, response, rest::BodyFormat::Xml),
        Protocol::SmithyRpcV2Cbor => cbor::parse_rpc(ctx, response),
    }
}

/// True when a successful response to `operation` streams its output: a
/// streaming blob or string payload (S3 GetObject's `Body`) or an event
/// stream. The client must pass such bodies to [`parse`] unread (as a
/// stream); every other body must be buffered first.
pub fn has_streaming_output(model: &ServiceModel, operation: &Operation) -> bool {
    let Some(output) = &operation.output else { return false };
    let shape = model.shape(output.shape);
    if let Some(payload) = payload_member(shape) {
        let target = model.shape(payload.target);
        if is_streaming(payload, target) && matches!(target.kind, ShapeKind::Blob | ShapeKind::String) {
            return true;
        }
    }
    event_stream_member(model, shape).is_some()
}

/// True when the output of `operation` has an event stream member.
pub fn has_event_stream_output(model: &ServiceModel, operation: &Operation) -> bool {
    operation.output.as_ref().is_some_and(|o| event_stream_member(model, model.shape(o.shape)).is_some())
}

// ---- shared machinery ----

/// Nesting deeper than this in any body is refused (stack safety).
pub(crate) const MAX_DEPTH: usize = 100;

/// What every parser needs: the model (to resolve shapes) and the operation
/// (to name it in errors).
pub(crate) struct Ctx<'a> {
    pub model: &'a ServiceModel,
    pub op: &'a Operation,
    pub options: &'a ParseOptions,
}

impl<'a> Ctx<'a> {
    pub fn shape(&self, id: ShapeId) -> &'a Shape {
        self.model.shape(id)
    }

    pub fn error(&self, location: impl Into<String>, message: impl Into<String>) -> ParseError {
        ParseError { operation: self.op.name.to_string(), location: location.into(), message: message.into() }
    }

    /// The output shape, if the operation has one.
    pub fn output(&self) -> Option<&'a Shape> {
        self.op.output.as_ref().map(|o| self.shape(o.shape))
    }

    /// The in-memory body, or an error naming the operation.
    pub fn body<'b>(&self, response: &'b HttpResponse) -> Result<&'b [u8], ParseError> {
        response.body.as_bytes().ok_or_else(|| {
            self.error("body", "the response body is a stream; buffer it before parsing (see has_streaming_output)")
        })
    }
}

/// The serialized name of a member: its `locationName` (on the reference,
/// else on the target), else the member name.
pub(crate) fn location_name<'a>(member: &'a Member, target: &'a Shape) -> &'a str {
    member.traits.location_name.as_deref().or(target.traits.location_name.as_deref()).unwrap_or(&member.name)
}

/// The `locationName` written on the reference or the target, if any.
pub(crate) fn explicit_location_name<'a>(member: &'a Member, target: &'a Shape) -> Option<&'a str> {
    member.traits.location_name.as_deref().or(target.traits.location_name.as_deref())
}

/// Where a member comes from in a response (`None`: the body).
pub(crate) fn location(member: &Member, target: &Shape) -> Option<Location> {
    member.traits.location.or(target.traits.location)
}

/// True for members bound to a header, the headers or the status code.
pub(crate) fn is_located(member: &Member, target: &Shape) -> bool {
    matches!(location(member, target), Some(Location::Header | Location::Headers | Location::StatusCode))
}

pub(crate) fn is_flattened(traits: &Traits, target: &Shape) -> bool {
    traits.flattened || target.traits.flattened
}

pub(crate) fn is_streaming(member: &Member, target: &Shape) -> bool {
    member.traits.streaming || target.traits.streaming
}

pub(crate) fn is_event_stream(member: &Member, target: &Shape) -> bool {
    member.traits.event_stream || target.traits.event_stream
}

/// The member named by the shape's `payload` trait.
pub(crate) fn payload_member(shape: &Shape) -> Option<&Member> {
    shape.traits.payload.as_deref().and_then(|name| shape.member_named(name))
}

/// The output member that is an event stream, if any.
pub(crate) fn event_stream_member<'a>(model: &'a ServiceModel, shape: &'a Shape) -> Option<&'a Member> {
    shape.members.iter().find(|m| is_event_stream(m, model.shape(m.target)))
}

/// The header's value as text: UTF-8 when it is, else Latin-1 (as Python's
/// HTTP client reads headers); several values are joined with `", "`.
pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let mut values = headers.get_all(name).iter();
    let first = values.next()?;
    let mut text = header_value_text(first);
    for v in values {
        text.push_str(", ");
        text.push_str(&header_value_text(v));
    }
    Some(text)
}

pub(crate) fn header_value_text(value: &http::HeaderValue) -> String {
    match std::str::from_utf8(value.as_bytes()) {
        Ok(s) => s.to_owned(),
        Err(_) => value.as_bytes().iter().map(|&b| b as char).collect(),
    }
}

/// Decodes base64 as botocore (Python's `b64decode`) does: whitespace is
/// ignored and padding is optional.
pub(crate) fn decode_base64(text: &str) -> Result<bytes::Bytes, String> {
    let engine = base64::engine::general_purpose::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::general_purpose::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let result = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        engine.decode(compact)
    } else {
        engine.decode(text)
    };
    result.map(Into::into).map_err(|e| format!("invalid base64: {e}"))
}

/// Converts the text of an XML element or a header to a scalar of `shape`.
/// Numbers, booleans, blobs and timestamps ignore surrounding whitespace;
/// any case of `true` is true, anything else false (as botocore).
/// `raw_timestamps`: see [`ParseOptions::raw_timestamps`].
pub(crate) fn scalar_from_text(shape: &Shape, text: &str, raw_timestamps: bool) -> Result<Value, String> {
    let trimmed = text.trim();
    if raw_timestamps && shape.kind == ShapeKind::Timestamp {
        return Ok(Value::String(text.to_owned()));
    }
    Ok(match shape.kind {
        ShapeKind::String | ShapeKind::Character => Value::String(text.to_owned()),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => int_from_text(trimmed)?,
        ShapeKind::BigInteger => {
            int_from_text(trimmed)?;
            Value::Number(trimmed.trim_start_matches('+').to_owned())
        }
        ShapeKind::BigDecimal => {
            if !is_decimal(trimmed) {
                return Err(format!("invalid number {trimmed:?}"));
            }
            Value::Number(trimmed.trim_start_matches('+').to_owned())
        }
        ShapeKind::Float | ShapeKind::Double => Value::Float(float_from_text(trimmed)?),
        ShapeKind::Boolean => Value::Bool(trimmed.eq_ignore_ascii_case("true")),
        ShapeKind::Blob => Value::Blob(decode_base64(trimmed)?),
        ShapeKind::Timestamp => timestamp_from_text(trimmed)?,
        ShapeKind::Structure | ShapeKind::List | ShapeKind::Map => {
            return Err(format!("a {} cannot be read from text", shape.kind.as_str()))
        }
    })
}

pub(crate) fn timestamp_from_text(text: &str) -> Result<Value, String> {
    timestamp::parse_text(text).map(Value::Timestamp).ok_or_else(|| format!("invalid timestamp {text:?}"))
}

/// An integer from text: `Int` when it fits 64 bits, else exact `Number`
/// text.
pub(crate) fn int_from_text(text: &str) -> Result<Value, String> {
    if let Ok(i) = text.parse::<i64>() {
        return Ok(Value::Int(i));
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Value::Number(text.trim_start_matches('+').to_owned()));
    }
    Err(format!("invalid integer {text:?}"))
}

fn is_decimal(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next().unwrap_or("");
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (!int.is_empty() || !frac.is_empty())
        && digits(int)
        && digits(frac)
        && exp.is_none_or(|e| {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && digits(e)
        })
}

/// A float from text, `NaN`, `Infinity` and `-Infinity` included.
pub(crate) fn float_from_text(text: &str) -> Result<f64, String> {
    match text {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => text.parse::<f64>().map_err(|_| format!("invalid number {text:?}")),
    }
}

/// The special float strings of JSON and header encodings.
pub(crate) fn special_float(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// A message naming a union that does not have exactly one member set.
pub(crate) fn union_error(shape: &Shape) -> String {
    format!("invalid service response: {} must have one and only one member set", shape.name)
}

/// The value botocore gives for a union member unknown to this model.
pub(crate) fn unknown_union_member(tag: &str) -> Value {
    let mut inner = Map::new();
    inner.insert("name".into(), Value::String(tag.to_owned()));
    let mut outer = Map::new();
    outer.insert("SDK_UNKNOWN_MEMBER".into(), Value::Map(inner));
    Value::Map(outer)
}

/// 1-based line and column of a byte offset, for error locations.
pub(crate) fn line_column(text: &[u8], offset: usize) -> String {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
    format!("line {line}, column {column}")
}
