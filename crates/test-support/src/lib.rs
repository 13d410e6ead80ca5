//! A scriptable HTTP/1.1 server on 127.0.0.1 for tests: canned answers and
//! faults (resets, truncated bodies, stalls), with every request recorded.
//!
//! ```no_run
//! # async fn demo() {
//! use boto_test_support::{Action, TestServer};
//! let server = TestServer::start(|req| {
//!     if req.path == "/fail" { Action::status(503, "busy") } else { Action::ok("hello") }
//! })
//! .await;
//! let url = server.url(); // http://127.0.0.1:PORT
//! # let _ = url;
//! # }
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request the server received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The method.
    pub method: String,
    /// The request target (path and query).
    pub path: String,
    /// Headers, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
    /// Which connection it came on (0, 1, ...).
    pub connection: usize,
}

impl Recorded {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// What to do with a request.
#[derive(Debug, Clone)]
pub enum Action {
    /// Answer.
    Respond {
        /// Status code.
        status: u16,
        /// Headers (Content-Length is added).
        headers: Vec<(String, String)>,
        /// Body.
        body: Vec<u8>,
    },
    /// Close the connection without answering.
    Reset,
    /// Answer with a Content-Length of `declared` but send only `body`, then
    /// close.
    Truncate {
        /// Status code.
        status: u16,
        /// The length announced.
        declared: usize,
        /// The bytes actually sent.
        body: Vec<u8>,
    },
    /// Wait, then do the inner action.
    Delay(Duration, Box<Action>),
    /// Send the status line, headers and the first `sent` bytes of `body`,
    /// then stall for `stall` before sending the rest.
    StallBody {
        /// The whole body.
        body: Vec<u8>,
        /// Bytes sent before the stall.
        sent: usize,
        /// How long to stall.
        stall: Duration,
    },
}

impl Action {
    /// 200 with a body.
    pub fn ok(body: impl Into<Vec<u8>>) -> Action {
        Action::Respond { status: 200, headers: Vec::new(), body: body.into() }
    }

    /// A status with a body.
    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Action {
        Action::Respond { status, headers: Vec::new(), body: body.into() }
    }

    /// Adds a header to a `Respond` action.
    pub fn header(mut self, name: &str, value: &str) -> Action {
        if let Action::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Action + Send + Sync;

/// The running server; stops when dropped.
pub struct TestServer {
    port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server answering every request with `handler`.
    pub async fn start(handler: impl Fn(&Recorded) -> Action + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let connections = Arc::new(AtomicUsize::new(0));
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, n, handler.clone(), recorded.clone()));
            }
        });
        TestServer { port, requests, task }
    }

    /// Starts a server on its own thread and runtime, for blocking tests.
    pub fn start_blocking(handler: impl Fn(&Recorded) -> Action + Send + Sync + 'static) -> BlockingServer {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                let server = TestServer::start(handler).await;
                tx.send((server.port, server.requests.clone())).expect("send port");
                let _ = stop_rx.await;
                drop(server);
            });
        });
        let (port, requests) = rx.recv().expect("server started");
        BlockingServer { port, requests, stop: Some(stop_tx), thread: Some(thread) }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A server running on its own thread (see [`TestServer::start_blocking`]).
pub struct BlockingServer {
    port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BlockingServer {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for BlockingServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn serve(mut stream: TcpStream, connection: usize, handler: Arc<Handler>, recorded: Arc<Mutex<Vec<Recorded>>>) {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let Some(req) = read_request(&mut stream, &mut buf, connection).await else { return };
        recorded.lock().expect("lock").push(req.clone());
        let mut action = handler(&req);
        loop {
            match action {
                Action::Delay(d, inner) => {
                    tokio::time::sleep(d).await;
                    action = *inner;
                }
                Action::Reset => return,
                Action::Respond { status, headers, body } => {
                    let head = head(status, &headers, body.len());
                    let head_only = req.method == "HEAD";
                    if stream.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    if !head_only && stream.write_all(&body).await.is_err() {
                        return;
                    }
                    break;
                }
                Action::Truncate { status, declared, body } => {
                    let _ = stream.write_all(head(status, &[], declared).as_bytes()).await;
                    let _ = stream.write_all(&body).await;
                    let _ = stream.shutdown().await;
                    return;
                }
                Action::StallBody { body, sent, stall } => {
                    let sent = sent.min(body.len());
                    if stream.write_all(head(200, &[], body.len()).as_bytes()).await.is_err()
                        || stream.write_all(&body[..sent]).await.is_err()
                    {
                        return;
                    }
                    let _ = stream.flush().await;
                    tokio::time::sleep(stall).await;
                    if stream.write_all(&body[sent..]).await.is_err() {
                        return;
                    }
                    break;
                }
            }
        }
    }
}

fn head(status: u16, headers: &[(String, String)], len: usize) -> String {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {len}\r\n\r\n"));
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 64 * 1024];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>, connection: usize) -> Option<Recorded> {
    let end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        if !fill(stream, buf).await {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    buf.drain(..end + 4);
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let find = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let line_end = loop {
                if let Some(p) = buf.windows(2).position(|w| w == b"\r\n") {
                    break p;
                }
                if !fill(stream, buf).await {
                    return None;
                }
            };
            let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            buf.drain(..line_end + 2);
            while buf.len() < size + 2 {
                if !fill(stream, buf).await {
                    return None;
                }
            }
            body.extend_from_slice(&buf[..size]);
            buf.drain(..size + 2);
            if size == 0 {
                break;
            }
        }
    } else if let Some(len) = find("content-length").and_then(|v| v.parse::<usize>().ok()) {
        while buf.len() < len {
            if !fill(stream, buf).await {
                return None;
            }
        }
        body = buf.drain(..len).collect();
    }
    Some(Recorded { method, path, headers, body, connection })
}
