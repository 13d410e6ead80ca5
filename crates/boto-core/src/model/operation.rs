//! Operations: the typed view of a model's `operations`.

use indexmap::IndexMap;
use serde::Deserialize;

use super::shape::{RawRef, ShapeId, Traits};

/// An operation of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The model name (`GetItem`).
    pub name: Box<str>,
    /// The HTTP binding.
    pub http: HttpBinding,
    /// The input shape and the traits on the reference to it.
    pub input: Option<OperationRef>,
    /// The output shape and the traits on the reference to it
    /// (`resultWrapper` for query protocols).
    pub output: Option<OperationRef>,
    /// The modeled error shapes.
    pub errors: Box<[ShapeId]>,
    /// `endpoint.hostPrefix`, with `{Label}` placeholders for `hostLabel`
    /// members.
    pub host_prefix: Option<Box<str>>,
    /// `httpChecksum`.
    pub http_checksum: Option<HttpChecksum>,
    /// `httpChecksumRequired`: a Content-MD5 (or flexible checksum) is
    /// mandatory.
    pub http_checksum_required: bool,
    /// `requestcompression.encodings`.
    pub request_compression: Option<Box<[Box<str>]>>,
    /// `auth`: the auth schemes in order of preference (`aws.auth#sigv4`,
    /// `smithy.api#noAuth`, ...).
    pub auth: Option<Box<[Box<str>]>>,
    /// `authtype` (older form: `none`, `v4-unsigned-body`, `bearer`, ...).
    pub auth_type: Option<Box<str>>,
    /// `unsignedPayload`.
    pub unsigned_payload: bool,
    /// `staticContextParams`: endpoint parameters fixed for this operation.
    pub static_context_params: IndexMap<String, serde_json::Value>,
    /// `operationContextParams`: endpoint parameters taken by a JMESPath
    /// path from the input.
    pub operation_context_params: IndexMap<String, String>,
    /// `idempotent`.
    pub idempotent: bool,
    /// `readonly`.
    pub readonly: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `endpointdiscovery` is present.
    pub endpoint_discovery: Option<EndpointDiscovery>,
    /// `endpointoperation`: this operation discovers endpoints.
    pub endpoint_operation: bool,
}

/// An operation's HTTP method, request URI and success status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpBinding {
    /// `method` (`POST` when the model gives none).
    pub method: Box<str>,
    /// `requestUri`, with `{Label}` and `{Label+}` placeholders and possibly a
    /// literal query string.
    pub request_uri: Box<str>,
    /// `responseCode`.
    pub response_code: Option<u16>,
}

/// The input or output reference of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationRef {
    /// The shape.
    pub shape: ShapeId,
    /// Traits written on the reference (`locationName`, `xmlNamespace`,
    /// `resultWrapper`, `payload`).
    pub traits: Traits,
}

/// The `httpChecksum` trait of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpChecksum {
    /// The input member naming the request checksum algorithm.
    pub request_algorithm_member: Option<String>,
    /// True if a request checksum is mandatory.
    #[serde(default)]
    pub request_checksum_required: bool,
    /// The input member that turns response validation on (`ENABLED`).
    pub request_validation_mode_member: Option<String>,
    /// Algorithms the service may send response checksums with.
    #[serde(default)]
    pub response_algorithms: Vec<String>,
}

/// The `endpointdiscovery` trait.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct EndpointDiscovery {
    /// True if discovery is required for this operation.
    #[serde(default)]
    pub required: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawOperation {
    name: Option<String>,
    http: Option<RawHttp>,
    input: Option<RawRef>,
    output: Option<RawRef>,
    #[serde(default)]
    errors: Vec<RawRef>,
    endpoint: Option<RawEndpoint>,
    http_checksum: Option<HttpChecksum>,
    #[serde(default)]
    http_checksum_required: bool,
    #[serde(rename = "requestcompression")]
    request_compression: Option<RawCompression>,
    auth: Option<Vec<String>>,
    #[serde(rename = "authtype")]
    auth_type: Option<String>,
    #[serde(default)]
    unsigned_payload: bool,
    #[serde(default)]
    static_context_params: IndexMap<String, StaticParam>,
    #[serde(default)]
    operation_context_params: IndexMap<String, PathParam>,
    #[serde(default)]
    idempotent: bool,
    #[serde(default)]
    readonly: bool,
    #[serde(default)]
    deprecated: bool,
    #[serde(rename = "endpointdiscovery")]
    endpoint_discovery: Option<EndpointDiscovery>,
    #[serde(default, rename = "endpointoperation")]
    endpoint_operation: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawHttp {
    method: Option<String>,
    request_uri: Option<String>,
    response_code: Option<u16>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEndpoint {
    host_prefix: Option<String>,
}

#[derive(Deserialize)]
struct RawCompression {
    #[serde(default)]
    encodings: Vec<String>,
}

#[derive(Deserialize)]
struct StaticParam {
    value: serde_json::Value,
}

#[derive(Deserialize)]
struct PathParam {
    path: String,
}

impl RawOperation {
    /// Builds the typed operation; errors carry the JSON location inside the
    /// operation.
    pub(crate) fn build(
        self,
        name: &str,
        resolve: &mut dyn FnMut(&str) -> Option<ShapeId>,
    ) -> Result<Operation, (String, String)> {
        let mut reference = |label: &str, mut raw: RawRef| -> Result<OperationRef, (String, String)> {
            let shape = resolve(&raw.shape)
                .ok_or_else(|| (format!("{label}.shape"), format!("reference to unknown shape {:?}", raw.shape)))?;
            let traits = raw.take_traits().map_err(|e| (label.to_owned(), e))?;
            Ok(OperationRef { shape, traits })
        };
        let input = self.input.map(|r| reference("input", r)).transpose()?;
        let output = self.output.map(|r| reference("output", r)).transpose()?;
        let mut errors = Vec::with_capacity(self.errors.len());
        for (i, e) in self.errors.into_iter().enumerate() {
            errors.push(reference(&format!("errors[{i}]"), e)?.shape);
        }
        let http = self.http.unwrap_or(RawHttp { method: None, request_uri: None, response_code: None });
        Ok(Operation {
            name: self.name.unwrap_or_else(|| name.to_owned()).into(),
            http: HttpBinding {
                method: http.method.unwrap_or_else(|| "POST".into()).into(),
                request_uri: http.request_uri.unwrap_or_else(|| "/".into()).into(),
                response_code: http.response_code,
            },
            input,
            output,
            errors: errors.into(),
            host_prefix: self.endpoint.and_then(|e| e.host_prefix).map(Into::into),
            http_checksum: self.http_checksum,
            http_checksum_required: self.http_checksum_required,
            request_compression: self.request_compression.map(|c| c.encodings.into_iter().map(Into::into).collect()),
            auth: self.auth.map(|a| a.into_iter().map(Into::into).collect()),
            auth_type: self.auth_type.map(Into::into),
            unsigned_payload: self.unsigned_payload,
            static_context_params: self.static_context_params.into_iter().map(|(k, v)| (k, v.value)).collect(),
            operation_context_params: self.operation_context_params.into_iter().map(|(k, v)| (k, v.path)).collect(),
            idempotent: self.idempotent,
            readonly: self.readonly,
            deprecated: self.deprecated,
            endpoint_discovery: self.endpoint_discovery,
            endpoint_operation: self.endpoint_operation,
        })
    }
}
