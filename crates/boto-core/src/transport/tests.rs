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
