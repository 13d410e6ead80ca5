//! One call: params → hooks → validate → serialize → endpoint → checksum and
//! compression → sign → send (with retries) → parse → result.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use time::OffsetDateTime;
use tracing::Instrument as _;

use super::{Client, Inner};
use crate::auth::{self, AuthScheme, Identity};
use crate::checksum::{self, Location};
use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{Error, ServiceError};
use crate::hooks::{CallContext, RetryVerdict};
use crate::model::Operation;
use crate::protocol::{self, Parsed, ServiceErrorData};
use crate::request::{HttpRequest, HttpResponse};
use crate::retry::{Attempt, CallState, Stop};
use crate::transport::TransportError;
use crate::value::{Map, Value};
use crate::Body;

/// Chunk size of aws-chunked uploads (botocore's).
const CHUNK_SIZE: usize = 64 * 1024;

impl Client {
    /// Calls `operation` (model name `GetItem` or boto3 name `get_item`) with
    /// `params`. The result carries `ResponseMetadata` (`RequestId`,
    /// `HTTPStatusCode`, `HTTPHeaders`, `RetryAttempts`), as in boto3.
    pub async fn call(&self, operation: &str, params: Value) -> Result<Value, Error> {
        let inner = &*self.inner;
        let name = inner.operation_name(operation)?;
        let span = tracing::debug_span!("aws.call", service = %inner.service, operation = %name);
        inner.call(name, params).instrument(span).await
    }
}

/// What a call prepared before the first attempt.
struct Prepared {
    request: HttpRequest,
    scheme: AuthScheme,
    stream_response: bool,
    response_checksums: Vec<checksum::Algorithm>,
}

impl Inner {
    pub(crate) async fn call(&self, name: &str, mut params: Value) -> Result<Value, Error> {
        let model = &*self.model;
        let op = model.operation(name)?.ok_or_else(|| Error::UnknownOperation {
            service: self.service.clone(),
            operation: name.to_owned(),
            suggestions: Vec::new(),
        })?;
        let scratch = std::sync::Mutex::new(Map::new());
        let ctx = CallContext {
            service: &self.service,
            operation: name,
            model,
            operation_model: op,
            attempt: 0,
            scratch: &scratch,
        };
        for hook in self.hooks.iter() {
            hook.before_parameter_build(&ctx, &mut params)?;
        }
        checksum::set_validation_mode(op, &mut params, self.settings.response_checksum_validation);
        if self.settings.parameter_validation {
            crate::validate::validate(model, op, &params)?;
        }
        for hook in self.hooks.iter() {
            if let Some(answer) = hook.before_call(&ctx, &params) {
                return self.finish(&ctx, &params, answer);
            }
        }
        let credentials = self.credentials_for_endpoint().await;
        let prepared = self.prepare(&ctx, op, &params, credentials.as_ref())?;
        let result = self.send_with_retries(&ctx, op, prepared, credentials).await;
        self.finish(&ctx, &params, result)
    }

    fn finish(&self, ctx: &CallContext<'_>, params: &Value, mut result: Result<Value, Error>) -> Result<Value, Error> {
        for hook in self.hooks.iter() {
            hook.after_call(ctx, params, &mut result);
        }
        result
    }

    /// Credentials fetched before endpoint resolution, when the rule set
    /// wants the account id (else fetched per attempt).
    async fn credentials_for_endpoint(&self) -> Option<Credentials> {
        if !self.wants_account_id {
            return None;
        }
        self.credentials.as_ref()?.credentials().await.ok()
    }

    fn prepare(
        &self,
        ctx: &CallContext<'_>,
        op: &Operation,
        params: &Value,
        credentials: Option<&Credentials>,
    ) -> Result<Prepared, Error> {
        let model = &*self.model;
        let serialize_op = self.patched_operation(op);
        let serialized = protocol::serialize(model, &serialize_op, params)?;
        let endpoint = self.resolve_endpoint(ctx, params, credentials)?;
        let mut request = serialized.request;
        let host_prefix = serialized.host_prefix.filter(|_| self.settings.inject_host_prefix);
        request.url = join_url(&endpoint.url, &request.url, host_prefix.as_deref());
        for (name, value) in endpoint.first_header_values() {
            insert_header(&mut request, name, value)?;
        }
        request.headers.insert(http::header::USER_AGENT, self.user_agent.clone());
        request.headers.insert(AMZ_SDK_INVOCATION_ID, invocation_id());
        if self.in_lambda {
            // Read per call: Lambda sets a new trace id for each invocation.
            if let Ok(trace) = std::env::var("_X_AMZN_TRACE_ID") {
                if !request.headers.contains_key("x-amzn-trace-id") {
                    insert_header(&mut request, "x-amzn-trace-id", &trace)?;
                }
            }
        }
        self.compress(op, &mut request)?;
        let https = request.url.starts_with("https://");
        let plan = checksum::request_plan(
            model,
            op,
            params,
            &request.headers,
            self.settings.request_checksum_calculation,
            https,
            false,
        )
        .map_err(|e| Error::Other(e.to_string()))?;
        if let Some(plan) = plan {
            apply_checksum(&mut request, &plan)?;
        }
        let auth_schemes = endpoint.properties.get("authSchemes");
        let scheme = auth::resolve(model, op, self.settings.region.as_deref(), auth_schemes, &self.auth_config)
            .map_err(|e| Error::Signing(e.to_string()))?;
        for hook in self.hooks.iter() {
            hook.request_created(ctx, params, &mut request)?;
        }
        Ok(Prepared {
            request,
            scheme,
            stream_response: protocol::parse::has_streaming_output(model, op),
            response_checksums: checksum::response_algorithms(op, params),
        })
    }

    fn resolve_endpoint(
        &self,
        ctx: &CallContext<'_>,
        params: &Value,
        credentials: Option<&Credentials>,
    ) -> Result<Arc<Endpoint>, Error> {
        let mut config = std::borrow::Cow::Borrowed(&self.endpoint_config);
        if let Some(account) = credentials.and_then(Credentials::account_id) {
            config.to_mut().builtins.account_id = Some(account.to_owned());
        }
        let replaced = self.hooks.iter().find_map(|h| h.endpoint_builtins(ctx, params, &config.builtins));
        let endpoint = match replaced {
            Some(builtins) => self
                .endpoints
                .params_with_builtins(ctx.operation, params, &builtins, &config.client_context)
                .and_then(|p| self.endpoints.resolve_params_shared(&p)),
            None => self.endpoints.resolve_shared(ctx.operation, params, &config),
        };
        endpoint.map_err(|e| Error::Endpoint(e.to_string()))
    }

    /// gzip per the operation's `requestcompression` trait.
    fn compress(&self, op: &Operation, request: &mut HttpRequest) -> Result<(), Error> {
        let Some(encodings) = &op.request_compression else { return Ok(()) };
        if self.settings.disable_request_compression || !encodings.iter().any(|e| &**e == "gzip") {
            return Ok(());
        }
        let Some(body) = request.body.as_bytes() else { return Ok(()) };
        if (body.len() as u64) < self.settings.request_min_compression_size_bytes {
            return Ok(());
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 2), flate2::Compression::default());
        gz.write_all(body).and_then(|_| gz.flush()).map_err(|e| Error::Other(format!("gzip: {e}")))?;
        let compressed = gz.finish().map_err(|e| Error::Other(format!("gzip: {e}")))?;
        request.body = Body::from(compressed);
        let encoding = match request.headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()) {
            Some(existing) if !existing.is_empty() => format!("{existing},gzip"),
            _ => "gzip".to_owned(),
        };
        insert_header(request, "content-encoding", &encoding)
    }

    async fn send_with_retries(
        &self,
        ctx: &CallContext<'_>,
        op: &Operation,
        prepared: Prepared,
        mut credentials: Option<Credentials>,
    ) -> Result<Value, Error> {
        let model = &*self.model;
        let Prepared { request, scheme, stream_response, response_checksums } = prepared;
        let replayable = request.body.is_replayable();
        let mut pending = Some(request);
        let mut state = CallState::default();
        let max = self.retry.max_attempts();
        let mut attempt_no = 0u32;
        loop {
            attempt_no += 1;
            let ctx = CallContext { attempt: attempt_no, ..*ctx };
            let mut req = match (&pending, replayable) {
                (Some(r), true) => r.clone(),
                _ => pending.take().ok_or_else(|| Error::Other("no request to send".into()))?,
            };
            req.headers.insert(AMZ_SDK_REQUEST, sdk_request_header(attempt_no, max));
            if !matches!(scheme, AuthScheme::Anonymous) && (credentials.is_none() || attempt_no > 1) {
                credentials = Some(self.fetch_credentials().await?);
            }
            let identity = match &credentials {
                Some(c) if !matches!(scheme, AuthScheme::Anonymous) => Identity::Credentials(c),
                _ => Identity::Anonymous,
            };
            auth::sign(&mut req, &scheme, identity, OffsetDateTime::now_utc())
                .map_err(|e| Error::Signing(e.to_string()))?;
            self.retry.before_send().await;
            // A hook may answer instead of the network; its errors end the call.
            let outcome = match self.hooks.iter().find_map(|h| h.before_send(&ctx, &req)) {
                Some(Err(e)) => return Err(e),
                Some(Ok(response)) => Ok(response),
                None => {
                    let span = tracing::debug_span!("aws.attempt", attempt = attempt_no);
                    self.send_once(&ctx, req, stream_response).instrument(span).await
                }
            };
            let error = match outcome {
                Err(transport) => {
                    let timeout = matches!(transport, TransportError::ReadTimeout { .. });
                    let attempt = Attempt {
                        number: attempt_no,
                        status: None,
                        headers: None,
                        body: None,
                        error_code: None,
                        transport_error: transport.is_retryable(),
                        timeout,
                    };
                    let err = if timeout {
                        Error::Timeout { source: transport, attempts: attempt_no }
                    } else {
                        Error::Dispatch { source: transport, attempts: attempt_no }
                    };
                    (attempt_snapshot(&attempt), err)
                }
                Ok(response) => {
                    match self.handle_response(ctx.operation, op, response, attempt_no, &response_checksums) {
                        Ok(mut value) => {
                            self.retry.on_success(&state);
                            set_retry_attempts(&mut value, attempt_no - 1);
                            return Ok(value);
                        }
                        Err(failure) => *failure,
                    }
                }
            };
            let (snapshot, err) = error;
            let attempt = snapshot.as_attempt(attempt_no);
            let verdict = self.hooks.iter().map(|h| h.needs_retry(&ctx, &err)).find(|v| *v != RetryVerdict::Default);
            let decision = match verdict {
                Some(RetryVerdict::Stop) => Err(Stop::NotRetryable),
                Some(RetryVerdict::Retry) if attempt_no < max => Ok(std::time::Duration::ZERO),
                Some(_) => Err(Stop::MaxAttemptsReached),
                None => self.retry.should_retry(&mut state, model, op, &attempt),
            };
            match decision {
                Err(stop) => {
                    tracing::debug!(attempts = attempt_no, ?stop, "not retrying");
                    return Err(err);
                }
                Ok(_) if !replayable => {
                    tracing::warn!("not retrying: the request body is a stream that cannot be sent again");
                    return Err(Error::NotReplayable { attempts: attempt_no, source: Box::new(err) });
                }
                Ok(delay) => {
                    tracing::debug!(attempt = attempt_no, ?delay, error = %err, "retrying");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    async fn fetch_credentials(&self) -> Result<Credentials, Error> {
        match &self.credentials {
            Some(cache) => cache.credentials().await.map_err(|e| Error::Credentials(e.to_string())),
            None => Err(Error::Credentials("the client is anonymous".into())),
        }
    }

    async fn send_once(
        &self,
        ctx: &CallContext<'_>,
        request: HttpRequest,
        stream_response: bool,
    ) -> Result<HttpResponse, TransportError> {
        tracing::debug!(method = %request.method, url = %redact_query(&request.url), attempt = ctx.attempt, "sending");
        let mut response = self.http.send(request, stream_response).await?;
        if stream_response && response.status >= 300 {
            // Errors are parsed from the whole body.
            let body = response
                .body
                .collect()
                .await
                .map_err(|e| TransportError::Io { endpoint: "response".into(), message: e.to_string() })?;
            response.body = Body::from(body);
        }
        tracing::debug!(status = response.status, "received");
        Ok(response)
    }

    /// Parses a response: the result, or the error with what the retry
    /// logic needs.
    fn handle_response(
        &self,
        operation: &str,
        op: &Operation,
        mut response: HttpResponse,
        attempt_no: u32,
        response_checksums: &[checksum::Algorithm],
    ) -> Result<Value, Box<(Snapshot, Error)>> {
        let status = response.status;
        let body = response.body.bytes();
        // Only a failed attempt keeps a copy of the headers (for the retry
        // decision); the response keeps its own until the result is built.
        let snapshot = |headers: &http::HeaderMap, code: Option<String>| Snapshot {
            status: Some(status),
            headers: Some(headers.clone()),
            body: body.clone(),
            code,
            transport: false,
        };
        // DynamoDB's CRC32 header: a mismatch is retried (botocore's special case).
        if self.service == "dynamodb" {
            let probe = Attempt {
                number: attempt_no,
                status: Some(status),
                headers: Some(&response.headers),
                body: body.as_deref(),
                error_code: None,
                transport_error: false,
                timeout: false,
            };
            if crate::retry::crc32_mismatch(&probe) {
                let headers = &response.headers;
                let err = Error::Checksum {
                    what: "response body (x-amz-crc32)".into(),
                    expected: headers.get("x-amz-crc32").and_then(|v| v.to_str().ok()).unwrap_or_default().into(),
                    actual: "a different CRC32".into(),
                };
                return Err(Box::new((snapshot(headers, None), err)));
            }
        }
        let parsed = protocol::parse::parse_in_place(&self.model, op, &mut response, &Default::default());
        let headers = &response.headers;
        let parsed = match parsed {
            Ok(p) => p,
            // An unreadable body (an error body too: the status alone then
            // decides on a retry).
            Err(e) => return Err(Box::new((snapshot(headers, None), Error::Parse(e)))),
        };
        match parsed {
            Parsed::Ok(mut value) => {
                if let Some(data) = body.as_deref().filter(|_| !response_checksums.is_empty()) {
                    checksum::validate_bytes(headers, data, response_checksums).map_err(|e| {
                        (
                            snapshot(headers, None),
                            Error::Checksum {
                                what: format!("{operation} response body"),
                                expected: String::new(),
                                actual: e.to_string(),
                            },
                        )
                    })?;
                } else if !response_checksums.is_empty() {
                    wrap_streams(&mut value, headers, response_checksums);
                }
                add_metadata(&mut value, status, headers);
                Ok(value)
            }
            Parsed::Err(data) => {
                let code = data.code.clone();
                Err(Box::new((snapshot(headers, Some(code)), service_error(operation, data, headers, attempt_no))))
            }
        }
    }

    pub(super) fn patched_operation_for(&self, op: &Operation) -> Arc<Operation> {
        self.patched_operation(op)
    }

    pub(super) fn resolve_endpoint_for(
        &self,
        ctx: &CallContext<'_>,
        params: &Value,
        credentials: Option<&Credentials>,
    ) -> Result<Arc<Endpoint>, Error> {
        self.resolve_endpoint(ctx, params, credentials)
    }

    /// The operation as serialized: S3 without `/{Bucket}` in the path and
    /// S3 Control without the `{AccountId}.` host prefix, because the
    /// endpoint rules put them in the URL (botocore patches its model the
    /// same way).
    fn patched_operation(&self, op: &Operation) -> Arc<Operation> {
        let mut cache = self.patched.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = cache.get(&*op.name) {
            return p.clone();
        }
        let patched = Arc::new(super::customize::patch_operation(&self.service, op));
        cache.insert(op.name.to_string(), patched.clone());
        patched
    }
}

/// The parts of a failed attempt kept for the retry decision.
struct Snapshot {
    status: Option<u16>,
    headers: Option<http::HeaderMap>,
    body: Option<Bytes>,
    code: Option<String>,
    transport: bool,
}

fn attempt_snapshot(attempt: &Attempt<'_>) -> Snapshot {
    Snapshot { status: attempt.status, headers: None, body: None, code: None, transport: attempt.transport_error }
}

impl Snapshot {
    fn as_attempt(&self, number: u32) -> Attempt<'_> {
        Attempt {
            number,
            status: self.status,
            headers: self.headers.as_ref(),
            body: self.body.as_deref(),
            error_code: self.code.as_deref(),
            transport_error: self.transport,
            timeout: false,
        }
    }
}

fn service_error(operation: &str, data: ServiceErrorData, headers: &http::HeaderMap, attempt_no: u32) -> Error {
    let mut fields = match data.fields {
        Value::Map(m) => m,
        _ => Map::new(),
    };
    let mut error = Map::new();
    error.insert("Code".into(), Value::String(data.code.clone()));
    error.insert("Message".into(), Value::String(data.message.clone()));
    for (k, v) in data.details {
        error.entry(k).or_insert(v);
    }
    fields.insert("Error".into(), Value::Map(error));
    let mut metadata = Value::Map(data.metadata);
    add_metadata_map(&mut metadata, data.status, headers);
    if let Some(m) = metadata.as_map_mut() {
        m.insert("RetryAttempts".into(), Value::Int(i64::from(attempt_no - 1)));
    }
    fields.insert("ResponseMetadata".into(), metadata);
    Error::Service(Box::new(ServiceError {
        operation: operation.to_owned(),
        code: data.code,
        message: data.message,
        status: data.status,
        request_id: data.request_id,
        fields: Value::Map(fields),
        attempts: attempt_no,
    }))
}

fn add_metadata(value: &mut Value, status: u16, headers: &http::HeaderMap) {
    if value.is_null() {
        *value = Value::map();
    }
    let Some(map) = value.as_map_mut() else { return };
    let metadata = map.entry("ResponseMetadata".to_owned()).or_insert_with(Value::map);
    add_metadata_map(metadata, status, headers);
}

fn add_metadata_map(metadata: &mut Value, status: u16, headers: &http::HeaderMap) {
    if metadata.as_map().is_none() {
        *metadata = Value::map();
    }
    let Some(m) = metadata.as_map_mut() else { return };
    m.insert("HTTPStatusCode".into(), Value::Int(i64::from(status)));
    let mut h = Map::with_capacity(headers.keys_len());
    for (name, value) in headers {
        let Ok(value) = value.to_str() else { continue };
        match h.get_mut(name.as_str()) {
            // Repeated headers are joined, as urllib3 does.
            Some(Value::String(joined)) => {
                joined.push_str(", ");
                joined.push_str(value);
            }
            _ => {
                h.insert(name.as_str().to_owned(), Value::String(value.to_owned()));
            }
        }
    }
    m.insert("HTTPHeaders".into(), Value::Map(h));
}

const AMZ_SDK_INVOCATION_ID: HeaderName = HeaderName::from_static("amz-sdk-invocation-id");
const AMZ_SDK_REQUEST: HeaderName = HeaderName::from_static("amz-sdk-request");

/// A random UUID v4 for `amz-sdk-invocation-id` (not a secret: a fast
/// generator, no system call).
fn invocation_id() -> HeaderValue {
    let bits = (u128::from(fastrand::u64(..)) << 64 | u128::from(fastrand::u64(..))) & !(0xf << 76) & !(0x3 << 62);
    let bits = bits | (0x4 << 76) | (0x2 << 62);
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let text = uuid::Uuid::from_u128(bits).hyphenated().encode_lower(&mut text);
    HeaderValue::from_str(text).expect("a UUID is a valid header value")
}

/// `amz-sdk-request: attempt=N; max=M`.
fn sdk_request_header(attempt: u32, max: u32) -> HeaderValue {
    let mut text = String::with_capacity(32);
    // Writing to a String cannot fail.
    let _ = write!(text, "attempt={attempt}; max={max}");
    HeaderValue::from_str(&text).expect("digits are a valid header value")
}

fn set_retry_attempts(value: &mut Value, retries: u32) {
    if let Some(m) = value.get_mut("ResponseMetadata").and_then(Value::as_map_mut) {
        m.insert("RetryAttempts".into(), Value::Int(i64::from(retries)));
    }
}

/// Wraps streamed payloads so their checksum is checked at the end.
fn wrap_streams(value: &mut Value, headers: &http::HeaderMap, algorithms: &[checksum::Algorithm]) {
    let Some(map) = value.as_map_mut() else { return };
    for v in map.values_mut() {
        if let Value::Stream(body) = v {
            let len = body.len();
            if let Some(stream) = body.take_stream() {
                let wrapped = checksum::ValidatingStream::wrap(stream, headers, algorithms);
                *v = Value::Stream(Body::from_stream(wrapped, len));
            }
        }
    }
}

fn apply_checksum(request: &mut HttpRequest, plan: &checksum::RequestPlan) -> Result<(), Error> {
    if let Some((name, value)) = &plan.algorithm_header {
        insert_header(request, name, value)?;
    }
    let location =
        if plan.location == Location::Header && request.body.is_stream() { Location::Trailer } else { plan.location };
    match location {
        Location::Trailer => auth::chunked::apply_trailing_checksum(request, plan.algorithm, CHUNK_SIZE)
            .map_err(|e| Error::Other(format!("cannot add a trailing checksum: {e}"))),
        Location::Header => {
            let value = if let Some(bytes) = request.body.as_bytes() {
                plan.algorithm.checksum(bytes)
            } else if let Some((path, offset, len)) = request.body.file() {
                checksum_file(plan.algorithm, path, offset, len)?
            } else {
                return Ok(());
            };
            insert_header(request, plan.algorithm.header(), &value)
        }
    }
}

fn checksum_file(
    algorithm: checksum::Algorithm,
    path: &std::path::Path,
    offset: u64,
    len: u64,
) -> Result<String, Error> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |source| Error::Body(crate::body::BodyError::File { path: path.to_owned(), source });
    let mut f = std::fs::File::open(path).map_err(io)?;
    f.seek(SeekFrom::Start(offset)).map_err(io)?;
    let mut hasher = algorithm.hasher();
    let mut left = len;
    let mut buf = vec![0u8; 256 * 1024];
    while left > 0 {
        let want = left.min(buf.len() as u64) as usize;
        let n = f.read(&mut buf[..want]).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        left -= n as u64;
    }
    Ok(hasher.finish_base64())
}

fn insert_header(request: &mut HttpRequest, name: &str, value: &str) -> Result<(), Error> {
    let name =
        HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::Other(format!("invalid header name {name:?}")))?;
    let value = HeaderValue::from_str(value).map_err(|_| Error::Other(format!("invalid value for header {name}")))?;
    request.headers.insert(name, value);
    Ok(())
}

/// Joins the endpoint URL and the serialized path and query, with the host
/// prefix in front of the host (botocore's `_urljoin`).
pub(crate) fn join_url(endpoint: &str, path_and_query: &str, host_prefix: Option<&str>) -> String {
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, base) = rest.split_at(split);
    let base_path = base.split('?').next().unwrap_or("");
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_and_query, None),
    };
    let joined = if path.is_empty() || path == "/" {
        if base_path.is_empty() {
            "/".to_owned()
        } else {
            base_path.to_owned()
        }
    } else if base_path.ends_with('/') && path.starts_with('/') {
        format!("{}{}", &base_path[..base_path.len() - 1], path)
    } else {
        format!("{base_path}{path}")
    };
    let mut out = String::with_capacity(endpoint.len() + path_and_query.len() + 16);
    out.push_str(scheme);
    out.push_str("://");
    if let Some(prefix) = host_prefix {
        out.push_str(prefix);
    }
    out.push_str(authority);
    out.push_str(&joined);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The URL without its query string (which may hold a presigned
/// signature), for logs.
fn redact_query(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::join_url;

    #[test]
    fn urls_join_as_botocore() {
        assert_eq!(join_url("https://s3.amazonaws.com", "/", None), "https://s3.amazonaws.com/");
        assert_eq!(join_url("https://b.s3.amazonaws.com", "/key?x=1", None), "https://b.s3.amazonaws.com/key?x=1");
        assert_eq!(join_url("https://s3.amazonaws.com/bucket", "/key", None), "https://s3.amazonaws.com/bucket/key");
        assert_eq!(join_url("https://s3.amazonaws.com/bucket", "/?acl", None), "https://s3.amazonaws.com/bucket?acl");
        assert_eq!(join_url("https://s3.amazonaws.com/bucket/", "/key", None), "https://s3.amazonaws.com/bucket/key");
        assert_eq!(join_url("https://example.com", "/op", Some("data.")), "https://data.example.com/op");
        assert_eq!(join_url("http://127.0.0.1:5000", "/", None), "http://127.0.0.1:5000/");
    }
}
