//! Error code discovery shared by the protocols, and the assembly of a
//! [`ServiceErrorData`] with the modeled error shape's members.

use http::HeaderMap;

use super::{header_text, Ctx, ParseError, Parsed, ServiceErrorData};
use crate::model::Shape;
use crate::value::{Map, Value};

/// An error as the protocol found it, before the modeled fields are added.
#[derive(Debug, Default)]
pub(crate) struct RawError {
    pub code: String,
    pub message: String,
    /// Other entries of botocore's `Error` dict.
    pub details: Map,
    /// `ResponseMetadata`.
    pub metadata: Map,
}

/// botocore's `_is_generic_error_response`: a 5xx whose body is empty or an
/// HTML page (a proxy or load balancer answered, not the service).
pub(crate) fn is_generic(status: u16, body: &[u8]) -> bool {
    if status < 500 {
        return false;
    }
    let trimmed = body.trim_ascii();
    trimmed.is_empty() || trimmed.starts_with(b"<html>")
}

/// The error botocore makes from the status alone: code `"503"`, the
/// reason phrase as message.
pub(crate) fn from_status(status: u16) -> RawError {
    RawError { code: status.to_string(), message: reason_phrase(status).to_owned(), ..RawError::default() }
}

/// The standard reason phrase of a status (`Not Found`), or empty.
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("")
}

/// Strips a namespace and a URI from a code:
/// `aws.protocoltests.restjson#FooError:http://internal.amazon.com/...` is
/// `FooError`.
pub(crate) fn sanitize_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code)
}

/// awsQueryCompatible: an `x-amzn-query-error: Code;Sender` header gives
/// the code to report (the query protocol's), keeping the original one as
/// `QueryErrorCode` and the fault as `Type`.
pub(crate) fn query_compatible(code: String, headers: &HeaderMap, details: &mut Map) -> String {
    let Some(header) = header_text(headers, "x-amzn-query-error") else { return code };
    let mut parts = header.split(';');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(query_code), Some(fault), None) if !query_code.is_empty() => {
            details.insert("QueryErrorCode".into(), Value::String(code));
            details.insert("Type".into(), Value::String(fault.to_owned()));
            query_code.to_owned()
        }
        _ => code,
    }
}

/// The code botocore knows an exception shape by: `error.code`, else the
/// shape name.
pub(crate) fn shape_error_code(shape: &Shape) -> &str {
    shape.traits.error.as_ref().and_then(|e| e.code.as_deref()).unwrap_or(&shape.name)
}

/// The modeled error shape for `code`: the operation's errors first, then
/// every exception shape of the service.
fn find_error_shape<'a>(ctx: &Ctx<'a>, code: &str) -> Option<&'a Shape> {
    if code.is_empty() {
        return None;
    }
    for &id in ctx.op.errors.iter() {
        let shape = ctx.shape(id);
        if shape_error_code(shape) == code {
            return Some(shape);
        }
    }
    match ctx.model.error_shape_for_code(code) {
        Ok(shape) => shape,
        Err(e) => {
            tracing::warn!(operation = %ctx.op.name, error = %e, "cannot index the error shapes");
            None
        }
    }
}

/// Completes an error: finds the modeled shape for its code and parses the
/// response again with it (`modeled`), as botocore's client does after
/// parsing. A failure of that second parse is logged and leaves `fields`
/// empty: the code and message are what matter.
pub(crate) fn finish<'m>(
    ctx: &Ctx<'m>,
    status: u16,
    raw: RawError,
    modeled: impl FnOnce(&'m Shape) -> Result<Map, ParseError>,
) -> Result<Parsed, ParseError> {
    let shape = find_error_shape(ctx, &raw.code);
    let mut fields = Map::new();
    if let Some(shape) = shape {
        match modeled(shape) {
            Ok(parsed) => fields = parsed,
            Err(e) => tracing::debug!(error = %e, shape = %shape.name, "cannot parse the modeled error fields"),
        }
    }
    let request_id = raw.metadata.get("RequestId").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    tracing::debug!(operation = %ctx.op.name, status, code = %raw.code, "service error");
    Ok(Parsed::Err(ServiceErrorData {
        code: raw.code,
        message: raw.message,
        status,
        request_id,
        fields: Value::Map(fields),
        details: raw.details,
        metadata: raw.metadata,
        shape: shape.map(|s| s.name.to_string()),
    }))
}

/// Splits botocore's `Error` map into code, message and the rest.
pub(crate) fn split_error_map(mut error: Map, raw: &mut RawError) {
    if let Some(code) = error.shift_remove("Code") {
        raw.code = text_of(code);
    }
    if let Some(message) = error.shift_remove("Message") {
        raw.message = text_of(message);
    }
    for (k, v) in error {
        raw.details.insert(k, v);
    }
}

fn text_of(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
