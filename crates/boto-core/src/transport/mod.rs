//! The HTTP transport: HTTP/1.1 over rustls with hyper's connection
//! layer, our own connection pool, connect and read timeouts, and streaming
//! bodies both ways.
//!
//! One [`HttpClient`] holds one connection pool; clone it to share the pool
//! (every client of a session shares one). A connection is driven by the
//! task that sends on it (no task is spawned per connection), see
//! `conn.rs` and `relay.rs`; idle ones wait in the pool, see `pool.rs`.

mod body;
mod conn;
mod pool;
mod proxy;
mod relay;
mod tls;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;

pub use body::RequestBody;
pub use proxy::ProxyConfig;

use crate::body::Body;
use crate::request::{HttpRequest, HttpResponse};

/// Transport settings.
#[derive(Debug, Clone)]
pub struct TransportConfig {
    /// Time allowed to open a connection (TCP and TLS). Default 60 s, as
    /// botocore.
    pub connect_timeout: Duration,
    /// Time allowed between two reads of a response (headers or body
    /// chunks). Default 60 s, as botocore.
    pub read_timeout: Duration,
    /// Idle connections kept per host. Default 10, as botocore's
    /// max_pool_connections.
    pub max_pool_connections: usize,
    /// How long an idle pooled connection is kept.
    pub pool_idle_timeout: Duration,
    /// A PEM file of trusted root certificates replacing the built-in ones
    /// (`ca_bundle`, `AWS_CA_BUNDLE`).
    pub ca_bundle: Option<std::path::PathBuf>,
    /// Turn TCP keep-alive on for connections.
    pub tcp_keepalive: bool,
    /// Proxies (by default from `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY`).
    pub proxy: ProxyConfig,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            connect_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(60),
            max_pool_connections: 10,
            pool_idle_timeout: Duration::from_secs(90),
            ca_bundle: None,
            tcp_keepalive: false,
            proxy: ProxyConfig::from_env(),
        }
    }
}

/// Why a request could not be sent or its response read.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The URL cannot be sent (not absolute, not http(s), bad characters).
    #[error("invalid request URL {url:?}: {message}")]
    InvalidUrl {
        /// The URL.
        url: String,
        /// Why.
        message: String,
    },
    /// The connection could not be opened (refused, DNS, TLS, connect
    /// timeout).
    #[error("could not connect to {endpoint}: {message}")]
    Connect {
        /// scheme://host:port.
        endpoint: String,
        /// Why.
        message: String,
    },
    /// No response (or body chunk) within the read timeout.
    #[error("read timeout: no data from {endpoint} within {timeout:?}")]
    ReadTimeout {
        /// scheme://host:port.
        endpoint: String,
        /// The timeout.
        timeout: Duration,
    },
    /// The connection failed while sending the request or reading the
    /// response (reset, closed early, truncated body).
    #[error("connection to {endpoint} failed: {message}")]
    Io {
        /// scheme://host:port.
        endpoint: String,
        /// Why.
        message: String,
    },
    /// The request body could not be read (file or stream error).
    #[error("cannot read the request body: {0}")]
    Body(String),
    /// The TLS settings are unusable (bad CA bundle).
    #[error("TLS setup failed: {0}")]
    Tls(String),
}

impl TransportError {
    /// True for errors a retry may fix (connection problems and timeouts),
    /// as botocore retries them.
    pub fn is_retryable(&self) -> bool {
        matches!(self, TransportError::Connect { .. } | TransportError::ReadTimeout { .. } | TransportError::Io { .. })
    }
}

/// A pooled HTTP client. Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct HttpClient {
    connector: tls::Connector,
    pool: pool::Pool,
    config: Arc<TransportConfig>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient").field("config", &self.config).finish()
    }
}

impl HttpClient {
    /// A client with these settings. The TLS configuration (roots or CA
    /// bundle) is prepared on the first request to an `https://` URL; a
    /// bad CA bundle fails that request with [`TransportError::Tls`].
    pub fn new(config: TransportConfig) -> Result<HttpClient, TransportError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(config.connect_timeout));
        http.set_nodelay(true);
        if config.tcp_keepalive {
            http.set_keepalive(Some(Duration::from_secs(60)));
        }
        let plain = proxy::ProxyConnector::new(http, config.proxy.matcher());
        let connector = tls::Connector::new(plain, config.ca_bundle.clone());
        let pool = pool::Pool::new(config.max_pool_connections, config.pool_idle_timeout);
        Ok(HttpClient { connector, pool, config: Arc::new(config) })
    }

    /// The settings.
    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    /// Sends a request. When `stream_response` is true the response body is
    /// handed back as a stream (each chunk subject to the read timeout);
    /// otherwise it is read whole first.
    pub async fn send(&self, request: HttpRequest, stream_response: bool) -> Result<HttpResponse, TransportError> {
        let (mut req, endpoint) = to_hyper_request(request)?;
        if endpoint.scheme == http::uri::Scheme::HTTPS {
            self.connector.tls()?;
        }
        set_host(&mut req);
        let uri = req.uri().clone();
        let key = pool::Key::new(endpoint.scheme.clone(), endpoint.authority.clone());
        let timeout = self.config.read_timeout;
        let (response, conn) = loop {
            let (mut conn, reused) = match self.pool.checkout(&key).await {
                Some(conn) => (conn, true),
                None => (self.connect(&endpoint).await?, false),
            };
            // Origin form (`/path?query`), unless a forwarding proxy needs
            // the whole URL.
            *req.uri_mut() = if conn.is_forwarded() { uri.clone() } else { origin_form(&uri) };
            match tokio::time::timeout(timeout, conn.send(req)).await {
                Err(_) => return Err(TransportError::ReadTimeout { endpoint: endpoint.to_string(), timeout }),
                Ok(Ok(response)) => break (response, conn),
                // A pooled connection closed before it took the request:
                // nothing was sent, so another connection may have it.
                Ok(Err(conn::SendError::Unsent(unsent, _))) if reused => req = *unsent,
                Ok(Err(e)) => return Err(send_error(&endpoint, e)),
            }
        };
        let (parts, incoming) = response.into_parts();
        let body = conn::ConnBody::new(incoming, conn, self.pool.clone(), key);
        let body = if stream_response {
            let len = body.size_hint().exact();
            Body::from_stream(body::ResponseStream::new(body, timeout, endpoint), len)
        } else {
            Body::from_bytes(read_all(body, timeout, &endpoint).await?)
        };
        Ok(HttpResponse { status: parts.status.as_u16(), headers: parts.headers, body })
    }

    /// Opens a connection to the request's endpoint within the connect
    /// timeout (TCP, proxy tunnel and TLS).
    async fn connect(&self, endpoint: &EndpointName) -> Result<conn::Conn, TransportError> {
        let connect_error = |message| TransportError::Connect { endpoint: endpoint.to_string(), message };
        let mut dst = http::uri::Parts::default();
        dst.scheme = Some(endpoint.scheme.clone());
        dst.authority = Some(endpoint.authority.clone());
        dst.path_and_query = Some(http::uri::PathAndQuery::from_static("/"));
        let dst = http::Uri::from_parts(dst).map_err(|e| connect_error(e.to_string()))?;
        let timeout = self.config.connect_timeout;
        // Boxed: connecting holds a stream and a TLS handshake, kilobytes
        // that every call's future would carry otherwise.
        let connecting = Box::pin(conn::Conn::connect(&self.connector, dst));
        match tokio::time::timeout(timeout, connecting).await {
            Err(_) => Err(connect_error(format!("connect timed out after {timeout:?}"))),
            Ok(Err(e)) => Err(connect_error(error_chain(&*e))),
            Ok(Ok(conn)) => Ok(conn),
        }
    }
}

/// Adds a `Host` header when the request has none: the URL's host, and its
/// port unless it is the scheme's default (as hyper-util's client did).
fn set_host(req: &mut http::Request<RequestBody>) {
    if req.headers().contains_key(http::header::HOST) {
        return;
    }
    let uri = req.uri();
    let Some(authority) = uri.authority() else { return };
    let text = authority.as_str();
    let text = memchr::memrchr(b'@', text.as_bytes()).map_or(text, |at| &text[at + 1..]);
    let default_port = if uri.scheme() == Some(&http::uri::Scheme::HTTPS) { ":443" } else { ":80" };
    let text = text.strip_suffix(default_port).or_else(|| text.strip_suffix(':')).unwrap_or(text);
    if let Ok(value) = http::HeaderValue::from_str(text) {
        req.headers_mut().insert(http::header::HOST, value);
    }
}

/// The origin form of an absolute URL: its path and query (`/` when it has
/// neither).
fn origin_form(uri: &http::Uri) -> http::Uri {
    match uri.path_and_query() {
        Some(path) if path.as_str() != "/" => {
            let mut parts = http::uri::Parts::default();
            parts.path_and_query = Some(path.clone());
            http::Uri::from_parts(parts).unwrap_or_default()
        }
        _ => http::Uri::default(),
    }
}

/// `scheme://authority` of a request, for error messages (formatted only
/// when one is made).
pub(crate) struct EndpointName {
    scheme: http::uri::Scheme,
    authority: http::uri::Authority,
}

impl std::fmt::Display for EndpointName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}", self.scheme, self.authority)
    }
}

/// The hyper request for `request` (its URL taken without a copy), and the
/// endpoint to name in errors.
fn to_hyper_request(request: HttpRequest) -> Result<(http::Request<RequestBody>, EndpointName), TransportError> {
    let HttpRequest { method, url, headers, body } = request;
    let url = Bytes::from(url);
    let uri = http::Uri::from_maybe_shared(url.clone()).map_err(|e| TransportError::InvalidUrl {
        url: String::from_utf8_lossy(&url).into_owned(),
        message: e.to_string(),
    })?;
    let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
        let url = String::from_utf8_lossy(&url).into_owned();
        return Err(TransportError::InvalidUrl { url, message: "not an absolute URL".into() });
    };
    let endpoint = EndpointName { scheme: scheme.clone(), authority: authority.clone() };
    let body = RequestBody::new(body).map_err(|e| TransportError::Body(e.to_string()))?;
    let mut req = http::Request::new(body);
    *req.method_mut() = method;
    *req.uri_mut() = uri;
    *req.headers_mut() = headers;
    Ok((req, endpoint))
}

/// Reads a whole response body, each chunk within the read timeout.
async fn read_all(
    mut body: conn::ConnBody,
    timeout: Duration,
    endpoint: &EndpointName,
) -> Result<Bytes, TransportError> {
    let mut first: Option<Bytes> = None;
    let mut rest: Option<bytes::BytesMut> = None;
    loop {
        let frame = match next_frame(&mut body, timeout).await {
            Err(_) => return Err(TransportError::ReadTimeout { endpoint: endpoint.to_string(), timeout }),
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(TransportError::Io { endpoint: endpoint.to_string(), message: error_chain(&e) })
            }
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            match (&mut first, &mut rest) {
                (None, _) => first = Some(data),
                (Some(f), None) => {
                    let mut buf = bytes::BytesMut::with_capacity(f.len() + data.len());
                    buf.extend_from_slice(f);
                    buf.extend_from_slice(&data);
                    rest = Some(buf);
                }
                (Some(_), Some(buf)) => buf.extend_from_slice(&data),
            }
        }
    }
    Ok(match (first, rest) {
        (_, Some(buf)) => buf.freeze(),
        (Some(f), None) => f,
        (None, None) => Bytes::new(),
    })
}

/// The next frame of a body, within the read timeout; the timer is only
/// set up when the frame is not already buffered.
async fn next_frame(
    body: &mut conn::ConnBody,
    timeout: Duration,
) -> Result<Option<Result<http_body::Frame<Bytes>, hyper::Error>>, tokio::time::error::Elapsed> {
    let mut frame = std::pin::pin!(std::future::poll_fn(|cx| body.poll_frame(cx)));
    let ready = std::future::poll_fn(|cx| std::task::Poll::Ready(std::future::Future::poll(frame.as_mut(), cx))).await;
    match ready {
        std::task::Poll::Ready(frame) => Ok(frame),
        std::task::Poll::Pending => tokio::time::timeout(timeout, frame).await,
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// The error for a request that got no response. A request body that
/// failed while it was read (a file or reader error: hyper's user error)
/// is [`TransportError::Body`], which is not retried, as botocore lets such
/// an error through; everything else is a connection problem
/// ([`TransportError::Io`], retried).
fn send_error(endpoint: &EndpointName, e: conn::SendError) -> TransportError {
    match e {
        conn::SendError::Failed(e) if e.is_user() => TransportError::Body(error_chain(&e)),
        conn::SendError::Unsent(_, e) | conn::SendError::Failed(e) => {
            TransportError::Io { endpoint: endpoint.to_string(), message: error_chain(&e) }
        }
        conn::SendError::Closed => TransportError::Io {
            endpoint: endpoint.to_string(),
            message: "connection closed before the response".into(),
        },
    }
}

#[cfg(test)]
mod tests;
