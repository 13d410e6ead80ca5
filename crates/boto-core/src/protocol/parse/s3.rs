//! S3's quirks, as botocore's handlers treat them.
//!
//! * A `200 OK` whose body is an `<Error>` document is an error: S3 sends
//!   one when CopyObject, UploadPartCopy, CompleteMultipartUpload (and
//!   others) fail after the response has started. botocore's
//!   `_handle_200_error` turns such a response into a 500 (so that it is
//!   retried), for every operation whose output is not a streaming or raw
//!   blob/string payload. A `200 OK` whose body cannot be read as XML is a
//!   500 too (S3 cut the connection mid-body).
//! * GetBucketLocation's answer is a bare `<LocationConstraint>` element
//!   that the model cannot describe; its text is the `LocationConstraint`
//!   (absent for us-east-1's empty element), as botocore's
//!   `parse_get_bucket_location` reads it.

use super::error;
use super::rest::{self, BodyFormat};
use super::{event_stream_member, payload_member, xml, Ctx, ParseError, Parsed, ServiceErrorData};
use crate::model::{ServiceModel, ShapeKind};
use crate::request::HttpResponse;
use crate::value::{Map, Value};

/// True for Amazon S3's model (not S3 Control or S3 Outposts).
pub(crate) fn is_s3(model: &ServiceModel) -> bool {
    model.metadata().service_id == "S3"
}

/// True if a 200 response to this operation may be an error in disguise
/// (botocore's `_should_handle_200_error`).
fn may_hide_error(ctx: &Ctx<'_>) -> bool {
    let Some(output) = ctx.output() else { return false };
    if event_stream_member(ctx.model, output).is_some() {
        return false;
    }
    match payload_member(output) {
        Some(member) => !matches!(ctx.shape(member.target).kind, ShapeKind::Blob | ShapeKind::String),
        None => true,
    }
}

pub(crate) fn parse(ctx: &Ctx<'_>, response: &mut HttpResponse) -> Result<Parsed, ParseError> {
    if ctx.op.name.as_ref() == "GetBucketLocation" && response.status < 300 {
        return bucket_location(ctx, response);
    }
    let hidden = response.status == 200 && may_hide_error(ctx);
    if hidden {
        if let Some(body) = response.body.as_bytes().filter(|b| !b.is_empty()) {
            let root = xml::root_name(body);
            if root.as_deref().is_none_or(|r| r == "Error") {
                tracing::debug!(operation = %ctx.op.name, "S3 answered 200 with an error body; treating it as a 500");
                response.status = 500;
            }
        }
    }
    if !hidden || response.status != 200 {
        return rest::parse(ctx, response, BodyFormat::Xml);
    }
    match rest::parse(ctx, response, BodyFormat::Xml) {
        Ok(parsed) => Ok(parsed),
        Err(e) => {
            // botocore: a 200 body that is not well-formed XML is a 500.
            tracing::debug!(error = %e, "unreadable S3 200 response; treating it as a 500");
            let raw = error::from_status(500);
            let metadata = rest::metadata(&response.headers);
            let request_id = metadata.get("RequestId").and_then(Value::as_str).map(str::to_owned);
            Ok(Parsed::Err(ServiceErrorData {
                code: raw.code,
                message: raw.message,
                status: 500,
                request_id,
                fields: Value::map(),
                metadata,
                ..Default::default()
            }))
        }
    }
}

fn bucket_location(ctx: &Ctx<'_>, response: &HttpResponse) -> Result<Parsed, ParseError> {
    let body = ctx.body(response)?;
    let text = xml::run(ctx, body, |x| {
        let Some(root) = x.root()? else { return Ok(None) };
        let text = x.text(&root)?.into_owned();
        x.finish()?;
        Ok(Some(text))
    })?;
    let mut out = Map::new();
    if let Some(region) = text.filter(|t| !t.is_empty()) {
        out.insert("LocationConstraint".into(), Value::String(region));
    }
    out.insert("ResponseMetadata".into(), Value::Map(rest::metadata(&response.headers)));
    Ok(Parsed::Ok(Value::Map(out)))
}
