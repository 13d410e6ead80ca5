//! Which checksum a request carries and where (botocore's
//! `resolve_request_checksum_algorithm`), and which response checksums to
//! validate.

use http::HeaderMap;

use super::{Algorithm, ChecksumError, ChecksumMode};
use crate::model::{Operation, ServiceModel};
use crate::value::Value;

/// Where a request checksum goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A header computed over the whole body before sending.
    Header,
    /// A trailer after an `aws-chunked` body (streaming uploads over TLS).
    Trailer,
}

/// The checksum a request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPlan {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Header or trailer.
    pub location: Location,
    /// A header naming the algorithm (the `requestAlgorithmMember`'s header,
    /// e.g. `x-amz-sdk-checksum-algorithm: CRC32`) when the default was
    /// chosen for the caller.
    pub algorithm_header: Option<(String, String)>,
}

/// True when the input has a streaming payload member.
pub(crate) fn has_streaming_input(model: &ServiceModel, op: &Operation) -> bool {
    let Some(input) = &op.input else { return false };
    let shape = model.shape(input.shape);
    let Some(payload) = shape.traits.payload.as_deref() else { return false };
    shape.member_named(payload).is_some_and(|m| m.traits.streaming || model.shape(m.target).traits.streaming)
}

fn has_checksum_header(headers: &HeaderMap) -> bool {
    headers.keys().any(|k| {
        let k = k.as_str();
        k == "content-md5"
            || (k.starts_with("x-amz-checksum-")
                && !matches!(k, "x-amz-checksum-mode" | "x-amz-checksum-type" | "x-amz-checksum-algorithm"))
    })
}

/// Decides the request checksum, after serialization (`headers` are the
/// serialized request's: a checksum the caller set already wins). `https`
/// is the endpoint's scheme; `presign` is true for presigned URLs.
pub fn request_plan(
    model: &ServiceModel,
    op: &Operation,
    params: &Value,
    headers: &HeaderMap,
    calculation: ChecksumMode,
    https: bool,
    presign: bool,
) -> Result<Option<RequestPlan>, ChecksumError> {
    if has_checksum_header(headers) {
        return Ok(None);
    }
    let http_checksum = op.http_checksum.clone().unwrap_or_default();
    let required = op.http_checksum_required || http_checksum.request_checksum_required;
    let member = http_checksum.request_algorithm_member.as_deref();
    let chosen = member.and_then(|m| params.get(m)).and_then(Value::as_str);
    let (algorithm, algorithm_header) = if let Some(name) = chosen {
        let algorithm = Algorithm::parse(name)
            .filter(|a| *a != Algorithm::Md5)
            .ok_or_else(|| ChecksumError::Unsupported(name.to_ascii_lowercase()))?;
        (algorithm, None)
    } else if required || (member.is_some() && calculation == ChecksumMode::WhenSupported) {
        if presign {
            return Ok(None);
        }
        let header = member.and_then(|m| {
            let input = model.shape(op.input.as_ref()?.shape);
            let member = input.member_named(m)?;
            member.traits.location_name.as_deref().map(|h| (h.to_owned(), "CRC32".to_owned()))
        });
        (Algorithm::Crc32, header)
    } else {
        return Ok(None);
    };
    let location = if has_streaming_input(model, op) && https { Location::Trailer } else { Location::Header };
    Ok(Some(RequestPlan { algorithm, location, algorithm_header }))
}

/// Sets the operation's validation-mode member to `ENABLED` when response
/// validation is `when_supported` and the caller did not set it.
pub fn set_validation_mode(op: &Operation, params: &mut Value, validation: ChecksumMode) {
    let Some(member) = op.http_checksum.as_ref().and_then(|h| h.request_validation_mode_member.as_deref()) else {
        return;
    };
    if validation == ChecksumMode::WhenSupported && params.get(member).is_none_or(Value::is_null) {
        params.insert(member, "ENABLED");
    }
}

/// The algorithms to look for in the response, by preference, when the
/// call turned validation on.
pub fn response_algorithms(op: &Operation, params: &Value) -> Vec<Algorithm> {
    let Some(hc) = &op.http_checksum else { return Vec::new() };
    let Some(member) = hc.request_validation_mode_member.as_deref() else { return Vec::new() };
    if params.get(member).is_none_or(Value::is_null) {
        return Vec::new();
    }
    let offered: Vec<String> = hc.response_algorithms.iter().map(|a| a.to_ascii_lowercase()).collect();
    [Algorithm::Crc64Nvme, Algorithm::Crc32c, Algorithm::Crc32, Algorithm::Sha1, Algorithm::Sha256]
        .into_iter()
        .filter(|a| offered.iter().any(|o| o == a.name()))
        .collect()
}
