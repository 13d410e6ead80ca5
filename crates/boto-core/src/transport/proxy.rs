//! Proxies: `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (or the client's
//! `proxies` setting). HTTPS goes through a `CONNECT` tunnel; plain HTTP is
//! forwarded to the proxy in absolute form.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

/// Proxy settings: explicit URLs, else the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    /// The proxy for `http://` URLs.
    pub http: Option<String>,
    /// The proxy for `https://` URLs.
    pub https: Option<String>,
    /// Hosts, domains and networks that bypass the proxy (`NO_PROXY` syntax).
    pub no_proxy: Option<String>,
    /// Read `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (and
    /// their lower-case forms) for what is not set explicitly.
    pub from_env: bool,
}

impl ProxyConfig {
    /// The environment's proxies.
    pub fn from_env() -> ProxyConfig {
        ProxyConfig { from_env: true, ..ProxyConfig::default() }
    }

    /// No proxy at all.
    pub fn none() -> ProxyConfig {
        ProxyConfig::default()
    }

    pub(super) fn matcher(&self) -> Option<Matcher> {
        let env = |names: [&str; 2]| {
            if !self.from_env {
                return None;
            }
            names.iter().find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
        };
        let http = self.http.clone().or_else(|| env(["HTTP_PROXY", "http_proxy"]));
        let https = self.https.clone().or_else(|| env(["HTTPS_PROXY", "https_proxy"]));
        let all = env(["ALL_PROXY", "all_proxy"]);
        if http.is_none() && https.is_none() && all.is_none() {
            return None;
        }
        let no = self.no_proxy.clone().or_else(|| env(["NO_PROXY", "no_proxy"])).unwrap_or_default();
        let mut b = Matcher::builder();
        if let Some(all) = all {
            b = b.all(all);
        }
        if let Some(h) = http {
            b = b.http(h);
        }
        if let Some(h) = https {
            b = b.https(h);
        }
        Some(b.no(no).build())
    }
}

/// A connection, direct, tunneled or to a forwarding proxy.
pub struct ProxyStream {
    io: TokioIo<TcpStream>,
    forwarded: bool,
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        // A forwarding proxy gets absolute-form requests.
        self.io.connected().proxy(self.forwarded)
    }
}

impl Read for ProxyStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for ProxyStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }
    // Vectored writes let hyper send a request's head and its body buffers in
    // one writev, without first copying the body into its own write buffer
    // (hyper flattens everything it writes into one buffer when the
    // connection says it cannot write vectors).
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// Connects directly or through the proxy the matcher picks.
#[derive(Clone)]
pub struct ProxyConnector {
    http: HttpConnector,
    matcher: Option<Arc<Matcher>>,
}

impl ProxyConnector {
    pub(super) fn new(http: HttpConnector, matcher: Option<Matcher>) -> ProxyConnector {
        ProxyConnector { http, matcher: matcher.map(Arc::new) }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Service<http::Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let mut http = self.http.clone();
        let intercept = self.matcher.as_ref().and_then(|m| m.intercept(&dst));
        Box::pin(async move {
            match intercept {
                None => Ok(ProxyStream { io: http.call(dst).await?, forwarded: false }),
                Some(proxy) if dst.scheme_str() == Some("https") => {
                    let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
                    if let Some(auth) = proxy.basic_auth() {
                        tunnel = tunnel.with_auth(auth.clone());
                    }
                    let io = tunnel.call(dst).await?;
                    Ok(ProxyStream { io, forwarded: false })
                }
                Some(proxy) => Ok(ProxyStream { io: http.call(proxy.uri().clone()).await?, forwarded: true }),
            }
        })
    }
}
