use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use boto_test_support::{Action, TestServer};
use http::Method;

use super::*;

fn client(read_timeout: Duration) -> HttpClient {
    HttpClient::new(TransportConfig { read_timeout, ..TransportConfig::default() }).unwrap()
}

fn get(url: String) -> HttpRequest {
    HttpRequest::new(Method::GET, url)
}

#[tokio::test]
async fn sends_and_reuses_connections() {
    let server = TestServer::start(|req| Action::ok(format!("you said {}", String::from_utf8_lossy(&req.body)))).await;
    let http = client(Duration::from_secs(5));
    for i in 0..3 {
        let mut req = HttpRequest::new(Method::PUT, format!("{}/k{i}?x=1", server.url()));
        req.body = Body::from(format!("body{i}"));
        let resp = http.send(req, false).await.unwrap();
        assert_eq!(resp.status, 200);
        assert_eq!(resp.body.as_bytes().unwrap(), format!("you said body{i}").as_bytes());
    }
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[2].path, "/k2?x=1");
    assert_eq!(reqs[1].header("content-length"), Some("5"));
    let host = server.url().trim_start_matches("http://").to_owned();
    assert!(reqs.iter().all(|r| r.header("host") == Some(host.as_str())), "a Host header is added: {reqs:?}");
    assert!(reqs.iter().all(|r| r.connection == 0), "keep-alive reuses one connection: {reqs:?}");
}

#[tokio::test]
async fn streams_request_and_response_bodies() {
    let big = vec![7u8; 3 * 1024 * 1024];
    let expected = big.clone();
    let server = TestServer::start(move |req| Action::ok(req.body.clone())).await;
    let http = client(Duration::from_secs(5));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    std::fs::write(&path, &big).unwrap();
    let mut req = HttpRequest::new(Method::PUT, server.url());
    req.body = Body::from_file(&path).unwrap();
    let resp = http.send(req, true).await.unwrap();
    assert!(resp.body.is_stream());
    assert_eq!(resp.body.len(), Some(big.len() as u64));
    let got = resp.body.collect().await.unwrap();
    assert_eq!(got.len(), expected.len());
    assert!(got == expected);
    assert_eq!(server.requests()[0].header("content-length"), Some("3145728"));
}

#[tokio::test]
async fn connection_refused_is_a_retryable_connect_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = client(Duration::from_secs(5)).send(get(format!("http://127.0.0.1:{port}/")), false).await.unwrap_err();
    assert!(matches!(err, TransportError::Connect { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn reset_and_truncation_are_io_errors() {
    let server = TestServer::start(|req| {
        if req.path == "/reset" {
            Action::Reset
        } else {
            Action::Truncate { status: 200, declared: 100, body: b"short".to_vec() }
        }
    })
    .await;
    let http = client(Duration::from_secs(5));
    let err = http.send(get(format!("{}/reset", server.url())), false).await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    let err = http.send(get(format!("{}/trunc", server.url())), false).await.unwrap_err();
    assert!(matches!(err, TransportError::Io { .. }), "{err:?}");
    // Streamed: the error surfaces while reading.
    let resp = http.send(get(format!("{}/trunc", server.url())), true).await.unwrap();
    assert!(resp.body.collect().await.is_err());
}

#[tokio::test]
async fn stalls_hit_the_read_timeout() {
    let server = TestServer::start(|req| {
        if req.path == "/head" {
            Action::Delay(Duration::from_secs(5), Box::new(Action::ok("late")))
        } else {
            Action::StallBody { body: vec![1; 100], sent: 10, stall: Duration::from_secs(5) }
        }
    })
    .await;
    let http = client(Duration::from_millis(200));
    let err = http.send(get(format!("{}/head", server.url())), false).await.unwrap_err();
    assert!(matches!(err, TransportError::ReadTimeout { .. }), "{err:?}");
    let err = http.send(get(format!("{}/body", server.url())), false).await.unwrap_err();
    assert!(matches!(err, TransportError::ReadTimeout { .. }), "{err:?}");
    let resp = http.send(get(format!("{}/body", server.url())), true).await.unwrap();
    let err = resp.body.collect().await.unwrap_err();
    assert!(err.to_string().contains("timeout"), "{err}");
}

#[tokio::test]
async fn bad_urls_and_bundles_are_errors() {
    let http = client(Duration::from_secs(1));
    assert!(matches!(http.send(get("/relative".into()), false).await, Err(TransportError::InvalidUrl { .. })));
    assert!(matches!(http.send(get("http://bad host/".into()), false).await, Err(TransportError::InvalidUrl { .. })));
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("ca.pem");
    std::fs::write(&pem, "not a certificate").unwrap();
    // The bundle is read on the first https request (as botocore reads it),
    // and a bad one fails that request, before any connection, naming it.
    let http = HttpClient::new(TransportConfig { ca_bundle: Some(pem), ..TransportConfig::default() }).unwrap();
    let err = http.send(get("https://127.0.0.1:1/".into()), false).await.unwrap_err();
    assert!(matches!(err, TransportError::Tls(_)), "{err:?}");
    assert!(err.to_string().contains("ca.pem"), "{err}");
}

#[tokio::test]
async fn http_goes_through_a_forwarding_proxy_unless_bypassed() {
    let proxy = TestServer::start(|req| Action::ok(format!("proxied {}", req.path))).await;
    let config = TransportConfig {
        proxy: ProxyConfig { http: Some(proxy.url()), no_proxy: Some("bypass.test".into()), ..ProxyConfig::none() },
        ..TransportConfig::default()
    };
    let http = HttpClient::new(config).unwrap();
    let resp = http.send(get("http://service.test:8080/path?q=1".into()), false).await.unwrap();
    assert_eq!(resp.body.as_bytes().unwrap(), b"proxied http://service.test:8080/path?q=1", "absolute form");
    let reqs = proxy.requests();
    assert_eq!(reqs[0].header("host"), Some("service.test:8080"));
    // A bypassed host is connected to directly (and fails: it does not exist).
    assert!(http.send(get("http://bypass.test/".into()), false).await.is_err());
    assert_eq!(proxy.requests().len(), 1);
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel() {
    let proxy = TestServer::start(|_| Action::status(403, "no tunnels here")).await;
    let config = TransportConfig {
        proxy: ProxyConfig { https: Some(proxy.url()), ..ProxyConfig::none() },
        connect_timeout: Duration::from_secs(5),
        ..TransportConfig::default()
    };
    let http = HttpClient::new(config).unwrap();
    let err = http.send(get("https://service.test/".into()), false).await.unwrap_err();
    assert!(matches!(err, TransportError::Connect { .. }), "{err:?}");
    let reqs = proxy.requests();
    assert_eq!(reqs[0].method, "CONNECT");
    assert_eq!(reqs[0].path, "service.test:443");
}

#[tokio::test]
async fn connections_write_vectors() {
    use hyper::rt::Write as _;
    use tower_service::Service as _;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accept = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut got = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut socket, &mut got).await.unwrap();
        got
    });
    let mut connector = proxy::ProxyConnector::new(HttpConnector::new(), None);
    let mut stream = connector.call(format!("http://{addr}").parse().unwrap()).await.unwrap();
    // Otherwise hyper copies every request body into its own write buffer.
    assert!(stream.is_write_vectored());
    let bufs = [std::io::IoSlice::new(b"head"), std::io::IoSlice::new(b"body")];
    let n = std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_write_vectored(cx, &bufs)).await.unwrap();
    assert_eq!(n, 8);
    drop(stream);
    assert_eq!(accept.await.unwrap(), b"headbody");
}

/// A bare HTTP/1.1 server on its own thread and runtime, for the pool
/// tests: it counts the connections it accepts and those the client closes,
/// and answers each request (GET, no body) as `reply` says for its path.
struct CountingServer {
    port: u16,
    accepted: Arc<AtomicUsize>,
    closed: Arc<AtomicUsize>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How [`CountingServer`] answers a request.
#[derive(Clone)]
enum Reply {
    /// 200 with this body; the connection stays open.
    Ok(&'static str),
    /// 200 with this body, then the server closes the connection after a
    /// pause (long enough for the client to pool it first).
    OkThenClose(&'static str),
    /// 200 with this body after a delay.
    Slow(Duration, &'static str),
    /// A 200 announcing `len` bytes that sends only `sent` of them, then
    /// waits for the client to hang up.
    Stall { len: usize, sent: usize },
}

impl CountingServer {
    fn start(reply: impl Fn(&str) -> Reply + Send + Sync + 'static) -> CountingServer {
        let reply: Arc<dyn Fn(&str) -> Reply + Send + Sync> = Arc::new(reply);
        let (accepted, closed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (a, c) = (accepted.clone(), closed.clone());
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                port_tx.send(listener.local_addr().unwrap().port()).unwrap();
                let accept = async {
                    while let Ok((stream, _)) = listener.accept().await {
                        a.fetch_add(1, Ordering::SeqCst);
                        tokio::spawn(serve_counted(stream, reply.clone(), c.clone()));
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stopped => {}
                }
            });
        });
        let port = port_rx.recv().unwrap();
        CountingServer { port, accepted, closed, stop: Some(stop), thread: Some(thread) }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Waits (up to 5 s) until the client has closed `n` connections, and
    /// says how many it closed.
    fn wait_closed(&self, n: usize) -> usize {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while self.closed.load(Ordering::SeqCst) < n && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        // Give an extra close, if one is coming, a moment to show.
        std::thread::sleep(Duration::from_millis(50));
        self.closed.load(Ordering::SeqCst)
    }
}

impl Drop for CountingServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve_counted(
    mut stream: tokio::net::TcpStream,
    reply: Arc<dyn Fn(&str) -> Reply + Send + Sync>,
    closed: Arc<AtomicUsize>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = Vec::new();
    loop {
        let end = loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => {
                    closed.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end + 4);
        let path = head.split(' ').nth(1).unwrap_or("/").to_owned();
        let respond = |body: &str| format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        match reply(&path) {
            Reply::Ok(body) => {
                if stream.write_all(respond(body).as_bytes()).await.is_err() {
                    return;
                }
            }
            Reply::Slow(delay, body) => {
                tokio::time::sleep(delay).await;
                if stream.write_all(respond(body).as_bytes()).await.is_err() {
                    return;
                }
            }
            Reply::OkThenClose(body) => {
                let _ = stream.write_all(respond(body).as_bytes()).await;
                tokio::time::sleep(Duration::from_millis(100)).await;
                return;
            }
            Reply::Stall { len, sent } => {
                let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&vec![b'x'; sent]).await;
                let mut rest = [0u8; 4096];
                while let Ok(n) = stream.read(&mut rest).await {
                    if n == 0 {
                        break;
                    }
                }
                closed.fetch_add(1, Ordering::SeqCst);
                return;
            }
        }
    }
}

fn key_of(url: &str) -> pool::Key {
    let uri: http::Uri = url.parse().unwrap();
    pool::Key::new(uri.scheme().unwrap().clone(), uri.authority().unwrap().clone())
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let server = CountingServer::start(|_| Reply::Ok("hello"));
    // A lost wake-up shows as a call waiting out its read timeout (which
    // then finds the response there and returns it).
    let http = client(Duration::from_secs(30));
    let start = std::time::Instant::now();
    for i in 0..5 {
        // Whole bodies and streamed ones read to their end alike.
        let resp = http.send(get(format!("{}/k{i}", server.url())), i % 2 == 1).await.unwrap();
        assert_eq!(resp.body.collect().await.unwrap(), "hello");
    }
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
    assert_eq!(server.accepted(), 1, "one connection for sequential requests");
    assert_eq!(http.pool.idle_count(&key_of(&server.url())), 1);
}

#[tokio::test]
async fn a_connection_the_server_closed_while_idle_is_replaced() {
    let server =
        CountingServer::start(|path| if path == "/last" { Reply::OkThenClose("bye") } else { Reply::Ok("hi") });
    let http = client(Duration::from_secs(5));
    let resp = http.send(get(format!("{}/last", server.url())), false).await.unwrap();
    assert_eq!(resp.body.as_bytes().unwrap(), b"bye");
    let key = key_of(&server.url());
    assert_eq!(http.pool.idle_count(&key), 1, "pooled before the server closes it");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let resp = http.send(get(format!("{}/next", server.url())), false).await.unwrap();
    assert_eq!(resp.body.as_bytes().unwrap(), b"hi");
    assert_eq!(server.accepted(), 2, "the closed connection was replaced");
}

#[test]
fn a_closed_idle_connection_is_replaced_on_a_blocking_runtime() {
    // A current-thread runtime polls its I/O driver only inside block_on, so
    // the close happens while nobody is looking.
    let server =
        CountingServer::start(|path| if path == "/last" { Reply::OkThenClose("bye") } else { Reply::Ok("hi") });
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let http = client(Duration::from_secs(5));
    let resp = rt.block_on(http.send(get(format!("{}/last", server.url())), false)).unwrap();
    assert_eq!(resp.body.as_bytes().unwrap(), b"bye");
    std::thread::sleep(Duration::from_millis(300));
    let resp = rt.block_on(http.send(get(format!("{}/next", server.url())), false)).unwrap();
    assert_eq!(resp.body.as_bytes().unwrap(), b"hi");
    assert_eq!(server.accepted(), 2, "the closed connection was replaced");
}

#[tokio::test]
async fn a_body_dropped_half_read_closes_its_connection() {
    let server = CountingServer::start(|path| {
        if path == "/big" {
            Reply::Stall { len: 100_000, sent: 1000 }
        } else {
            Reply::Ok("fresh")
        }
    });
    let http = client(Duration::from_secs(5));
    let resp = http.send(get(format!("{}/big", server.url())), true).await.unwrap();
    let mut stream = resp.body.into_stream(64 * 1024).unwrap();
    let first = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await.unwrap().unwrap();
    assert!(!first.is_empty() && first.len() < 100_000);
    drop(stream);
    assert_eq!(http.pool.idle_count(&key_of(&server.url())), 0);
    let closed = tokio::task::spawn_blocking(move || (server.wait_closed(1), server)).await.unwrap();
    let (closed, server) = closed;
    assert_eq!(closed, 1, "the half-read connection is closed");
    let resp = http.send(get(format!("{}/small", server.url())), false).await.unwrap();
    assert_eq!(resp.body.as_bytes().unwrap(), b"fresh");
    assert_eq!(server.accepted(), 2, "the next request has a fresh connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_idle_cap_is_honoured() {
    let server = Arc::new(CountingServer::start(|_| Reply::Slow(Duration::from_millis(200), "slow")));
    let http = HttpClient::new(TransportConfig { max_pool_connections: 2, ..TransportConfig::default() }).unwrap();
    let key = key_of(&server.url());
    let batch = |http: HttpClient, url: String| async move {
        let mut calls = tokio::task::JoinSet::new();
        for i in 0..5 {
            let (http, url) = (http.clone(), format!("{url}/c{i}"));
            calls.spawn(async move { http.send(get(url), false).await.unwrap().body.as_bytes().unwrap().to_vec() });
        }
        while let Some(body) = calls.join_next().await {
            assert_eq!(body.unwrap(), b"slow");
        }
    };
    batch(http.clone(), server.url()).await;
    assert_eq!(server.accepted(), 5, "five calls at once, five connections");
    let s = server.clone();
    assert_eq!(tokio::task::spawn_blocking(move || s.wait_closed(3)).await.unwrap(), 3, "three over the cap closed");
    assert_eq!(http.pool.idle_count(&key), 2);
    batch(http.clone(), server.url()).await;
    assert_eq!(server.accepted(), 8, "two reused, three new");
    assert_eq!(http.pool.idle_count(&key), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_on_one_client() {
    let server = TestServer::start(|_| Action::ok("ok")).await;
    let http = client(Duration::from_secs(30));
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..1000 {
        let (http, url) = (http.clone(), format!("{}/c{i}", server.url()));
        calls.spawn(async move { http.send(get(url), false).await.map(|r| r.status) });
    }
    let mut ok = 0;
    while let Some(status) = calls.join_next().await {
        assert_eq!(status.unwrap().unwrap(), 200);
        ok += 1;
    }
    assert_eq!(ok, 1000);
    assert!(http.pool.idle_count(&key_of(&server.url())) <= TransportConfig::default().max_pool_connections);
    // The pooled connections still work.
    assert_eq!(http.send(get(server.url()), false).await.unwrap().status, 200);
}

#[test]
fn the_send_future_is_send_and_small() {
    fn assert_send<T: Send>(_: &T) {}
    let http = client(Duration::from_secs(1));
    let future = http.send(get("http://127.0.0.1:1/".into()), true);
    assert_send(&future);
    // A connection (buffers, TLS state) held inline made it 6.5 KiB, copied
    // around with every call's future.
    assert!(std::mem::size_of_val(&future) < 3072, "{} bytes", std::mem::size_of_val(&future));
}

#[tokio::test]
async fn a_failing_request_body_is_an_error_and_its_connection_is_not_reused() {
    struct Failing(u8);
    impl futures_core::Stream for Failing {
        type Item = Result<Bytes, crate::body::BoxError>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            self.0 += 1;
            std::task::Poll::Ready(Some(match self.0 {
                1 => Ok(Bytes::from_static(b"abc")),
                _ => Err("disk on fire".into()),
            }))
        }
    }
    let server = TestServer::start(|_| Action::ok("ok")).await;
    let http = client(Duration::from_secs(5));
    assert_eq!(http.send(get(server.url()), false).await.unwrap().status, 200);
    let mut req = HttpRequest::new(Method::PUT, server.url());
    req.body = Body::from_stream(Failing(0), Some(10));
    let err = http.send(req, false).await.unwrap_err();
    assert!(err.to_string().contains("disk on fire"), "{err}");
    assert!(matches!(err, TransportError::Body(_)), "{err:?}");
    assert!(!err.is_retryable(), "a body that cannot be read is not retried");
    assert_eq!(http.send(get(server.url()), false).await.unwrap().status, 200);
    let connections: Vec<usize> = server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(connections.first(), Some(&0));
    assert_eq!(connections.last(), Some(&1), "a fresh connection after the failed body: {connections:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_bodies_read_on_a_multi_thread_runtime_lose_no_wake_up() {
    // Chunk by chunk, each body read drives its connection; a wake-up lost
    // between the two would stall a body until the read timeout.
    let body = vec![5u8; 2 * 1024 * 1024];
    let server = TestServer::start(move |_| Action::ok(body.clone())).await;
    let http = client(Duration::from_secs(30));
    let start = std::time::Instant::now();
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..16 {
        let (http, url) = (http.clone(), format!("{}/b{i}", server.url()));
        calls.spawn(async move {
            let resp = http.send(get(url), true).await.unwrap();
            let mut stream = resp.body.into_stream(64 * 1024).unwrap();
            let mut total = 0;
            while let Some(chunk) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
                total += chunk.unwrap().len();
            }
            total
        });
    }
    while let Some(total) = calls.join_next().await {
        assert_eq!(total.unwrap(), 2 * 1024 * 1024);
    }
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
}
