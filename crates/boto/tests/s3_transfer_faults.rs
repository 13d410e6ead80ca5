//! Fault injection: a forwarding proxy in front of moto fails parts, resets
//! connections in the middle of bodies, answers wrong checksums and stalls.
//! Whatever happens, an upload ends complete (byte-exact) or aborted (no
//! multipart upload left), and a download ends byte-exact or with no file at
//! the target (and no temporary file beside it).

mod s3_transfer_common;

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use boto::boto_core::retry::RetryMode;
use boto::boto_core::testing::{moto_endpoint, test_credentials};
use boto::boto_core::Client;
use boto::s3::transfer::{ExtraArgs, Progress, TransferConfig, TransferError, TransferManager, TransferOptions};
use bytes::Bytes;
use http_body::Frame;
use http_body_util::BodyExt as _;
use hyper_util::rt::{TokioExecutor, TokioIo};
use s3_transfer_common::*;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ProxyBody = http_body_util::combinators::BoxBody<Bytes, BoxError>;

/// What the proxy does with one request.
#[derive(Debug, Clone)]
enum Fault {
    /// Pass it on.
    Forward,
    /// Answer with this status and an S3 error, without passing it on.
    Status(u16),
    /// Read this much of the request body, then drop the connection.
    ResetRequest(usize),
    /// Pass it on, send this much of the answer's body, then drop the connection.
    TruncateResponse(usize),
    /// Pass it on and set a header of the answer.
    SetResponseHeader(&'static str, &'static str),
    /// Wait, then pass it on.
    Stall(Duration),
}

/// A request as the rules see it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
}

impl Seen {
    fn is(&self, method: &str, needle: &str) -> bool {
        self.method == method && self.target.contains(needle)
    }
}

type Rule = Arc<dyn Fn(&Seen) -> Fault + Send + Sync>;

struct Proxy {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    async fn start(upstream: &str, rule: impl Fn(&Seen) -> Fault + Send + Sync + 'static) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let rule: Rule = Arc::new(rule);
        let upstream = upstream.to_owned();
        let client: hyper_util::client::legacy::Client<_, ProxyBody> =
            hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http();
        let log = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (rule, upstream, client, log) = (rule.clone(), upstream.clone(), client.clone(), log.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        handle(req, rule.clone(), upstream.clone(), client.clone(), log.clone())
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Proxy { url, seen, task }
    }

    fn count(&self, method: &str, needle: &str) -> usize {
        self.seen.lock().unwrap().iter().filter(|s| s.is(method, needle)).count()
    }
}

async fn handle(
    req: hyper::Request<hyper::body::Incoming>,
    rule: Rule,
    upstream: String,
    client: hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, ProxyBody>,
    log: Arc<Mutex<Vec<Seen>>>,
) -> Result<hyper::Response<ProxyBody>, BoxError> {
    let target = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let seen = Seen { method: req.method().to_string(), target: target.clone() };
    let fault = rule(&seen);
    log.lock().unwrap().push(seen);
    let (parts, mut body) = req.into_parts();
    match fault {
        Fault::Status(status) => {
            while let Some(frame) = body.frame().await {
                frame?;
            }
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code><Message>injected {status}</Message></Error>"
            );
            let resp = hyper::Response::builder()
                .status(status)
                .header("content-type", "application/xml")
                .body(full(xml.into_bytes()))?;
            return Ok(resp);
        }
        Fault::ResetRequest(after) => {
            let mut read = 0;
            while read < after {
                match body.frame().await {
                    Some(Ok(frame)) => read += frame.data_ref().map_or(0, |d| d.len()),
                    _ => break,
                }
            }
            return Err("injected reset".into());
        }
        Fault::Stall(d) => tokio::time::sleep(d).await,
        _ => {}
    }
    let uri: hyper::Uri = format!("{upstream}{target}").parse()?;
    let mut forward = hyper::Request::builder().method(parts.method).uri(uri);
    for (name, value) in &parts.headers {
        forward = forward.header(name, value);
    }
    let forward = forward.body(body.map_err(|e| Box::new(e) as BoxError).boxed())?;
    let response = client.request(forward).await?;
    let (mut parts, body) = response.into_parts();
    let body: ProxyBody = match fault {
        Fault::TruncateResponse(after) => Truncated { inner: body, left: after, failed: false }.boxed(),
        Fault::SetResponseHeader(name, value) => {
            parts.headers.insert(name, value.parse()?);
            body.map_err(|e| Box::new(e) as BoxError).boxed()
        }
        _ => body.map_err(|e| Box::new(e) as BoxError).boxed(),
    };
    Ok(hyper::Response::from_parts(parts, body))
}

fn full(data: Vec<u8>) -> ProxyBody {
    http_body_util::Full::new(Bytes::from(data)).map_err(|e: Infallible| match e {}).boxed()
}

/// A body that fails after `left` bytes.
struct Truncated {
    inner: hyper::body::Incoming,
    left: usize,
    failed: bool,
}

impl http_body::Body for Truncated {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if self.left == 0 {
            if self.failed {
                return Poll::Ready(None);
            }
            self.failed = true;
            return Poll::Ready(Some(Err("injected reset mid-body".into())));
        }
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                Ok(mut data) => {
                    if data.len() > self.left {
                        data.truncate(self.left);
                    }
                    self.left -= data.len();
                    Poll::Ready(Some(Ok(Frame::data(data))))
                }
                Err(frame) => Poll::Ready(Some(Ok(frame))),
            },
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Box::new(e)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// A client through the proxy with quick retries (2 attempts).
fn proxied_client(url: &str) -> Client {
    Client::builder("s3")
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(test_credentials())
        .retries(RetryMode::Standard, 2)
        .build()
        .unwrap()
}

fn manager(url: &str) -> TransferManager {
    let config = TransferConfig { num_upload_part_attempts: 2, num_download_attempts: 3, ..TransferConfig::default() };
    TransferManager::new(proxied_client(url), config).unwrap()
}

/// Fails only the first `n` requests the predicate matches.
fn first(n: usize, fault: Fault, matches: impl Fn(&Seen) -> bool + Send + Sync + 'static) -> impl Fn(&Seen) -> Fault {
    let hits = AtomicUsize::new(0);
    move |s| {
        if matches(s) && hits.fetch_add(1, Ordering::SeqCst) < n {
            fault.clone()
        } else {
            Fault::Forward
        }
    }
}

/// No multipart upload is left in the bucket.
async fn no_uploads_left(moto: &Client, bucket: &str) {
    let mut left = None;
    for _ in 0..50 {
        let r = moto.call("ListMultipartUploads", boto::params!({ "Bucket": bucket })).await.unwrap();
        let n = r["Uploads"].as_list().map_or(0, <[_]>::len);
        if n == 0 {
            return;
        }
        left = Some(r["Uploads"].to_json());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("multipart uploads left behind: {left:?}");
}

async fn object_exists(moto: &Client, bucket: &str, key: &str) -> bool {
    moto.call("HeadObject", boto::params!({ "Bucket": bucket, "Key": key })).await.is_ok()
}

/// Uploads through a proxy applying `rule`; checks it ended complete and
/// byte-exact or aborted with nothing left. Returns whether it completed.
async fn upload_through(
    moto_url: &str,
    rule: impl Fn(&Seen) -> Fault + Send + Sync + 'static,
    args: ExtraArgs,
) -> (bool, Proxy) {
    let moto = client(moto_url);
    let bucket = bucket(&moto, "faults").await;
    let proxy = Proxy::start(moto_url, rule).await;
    let dir = tempfile::tempdir().unwrap();
    let (path, hash) = random_file(dir.path(), "up", 20 * MIB);
    let result = manager(&proxy.url).upload_file(&path, &bucket, "obj", TransferOptions::new().extra_args(args)).await;
    no_uploads_left(&moto, &bucket).await;
    match result {
        Ok(out) => {
            assert_eq!(out.bytes, 20 * MIB);
            let back = dir.path().join("back");
            TransferManager::new(moto.clone(), TransferConfig::default())
                .unwrap()
                .download_file(&bucket, "obj", &back, TransferOptions::new())
                .await
                .unwrap();
            assert_eq!(sha256_file(&back), hash, "a completed upload must be byte-exact");
            (true, proxy)
        }
        Err(e) => {
            eprintln!("upload failed as it may: {e}");
            assert!(!object_exists(&moto, &bucket, "obj").await, "a failed upload must leave no object");
            (false, proxy)
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_part_is_retried_or_the_upload_aborted() {
    let Some(url) = moto_endpoint("a_failing_part_is_retried_or_the_upload_aborted") else { return };
    // Part 2 fails once: the retry completes the upload.
    let rule = first(1, Fault::Status(500), |s| s.is("PUT", "partNumber=2"));
    let (done, proxy) = upload_through(&url, rule, ExtraArgs::new()).await;
    assert!(done);
    assert_eq!(proxy.count("PUT", "partNumber=2"), 2);
    // Part 2 always fails: the upload is aborted.
    let rule = |s: &Seen| if s.is("PUT", "partNumber=2") { Fault::Status(500) } else { Fault::Forward };
    let (done, proxy) = upload_through(&url, rule, ExtraArgs::new()).await;
    assert!(!done);
    assert_eq!(proxy.count("DELETE", "uploadId="), 1, "AbortMultipartUpload");
    // 2 client attempts x 2 part attempts.
    assert_eq!(proxy.count("PUT", "partNumber=2"), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_in_the_middle_of_a_part_is_retried_or_the_upload_aborted() {
    let Some(url) = moto_endpoint("a_reset_in_the_middle_of_a_part_is_retried_or_the_upload_aborted") else {
        return;
    };
    let rule = first(1, Fault::ResetRequest(1 << 20), |s| s.is("PUT", "partNumber=1"));
    let (done, proxy) = upload_through(&url, rule, ExtraArgs::new()).await;
    assert!(done);
    assert_eq!(proxy.count("PUT", "partNumber=1"), 2);
    let rule = |s: &Seen| if s.is("PUT", "partNumber=3") { Fault::ResetRequest(1 << 20) } else { Fault::Forward };
    let (done, _) = upload_through(&url, rule, ExtraArgs::new()).await;
    assert!(!done);
    // A failing CompleteMultipartUpload aborts too.
    let rule = |s: &Seen| if s.is("POST", "uploadId=") { Fault::Status(500) } else { Fault::Forward };
    let (done, proxy) = upload_through(&url, rule, ExtraArgs::new()).await;
    assert!(!done);
    assert_eq!(proxy.count("DELETE", "uploadId="), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_part_checksum_ends_complete_or_aborted() {
    let Some(url) = moto_endpoint("a_wrong_part_checksum_ends_complete_or_aborted") else { return };
    let wrong = || Fault::SetResponseHeader("x-amz-checksum-crc32", "AAAAAA==");
    // Composite checksums: moto takes the listed part checksum as given.
    let rule = move |s: &Seen| if s.is("PUT", "partNumber=1") { wrong() } else { Fault::Forward };
    upload_through(&url, rule, ExtraArgs::new()).await;
    // A full-object checksum combined from a wrong part checksum.
    let rule = move |s: &Seen| if s.is("PUT", "partNumber=1") { wrong() } else { Fault::Forward };
    upload_through(&url, rule, ExtraArgs::new().checksum_type("FULL_OBJECT")).await;
}

/// Uploads 20 MiB straight to moto, then downloads it through a proxy
/// applying `rule`; checks the download ended byte-exact or left nothing.
async fn download_through(
    moto_url: &str,
    rule: impl Fn(&Seen) -> Fault + Send + Sync + 'static,
    size: u64,
) -> (Result<(), TransferError>, Proxy, i64) {
    let moto = client(moto_url);
    let bucket = bucket(&moto, "dlfaults").await;
    let dir = tempfile::tempdir().unwrap();
    let (path, hash) = random_file(dir.path(), "src", size);
    TransferManager::new(moto.clone(), TransferConfig::default())
        .unwrap()
        .upload_file(&path, &bucket, "obj", TransferOptions::new())
        .await
        .unwrap();
    let proxy = Proxy::start(moto_url, rule).await;
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("obj.bin");
    let total = Arc::new(AtomicI64::new(0));
    let seen = total.clone();
    let progress = Progress::new(move |n| {
        seen.fetch_add(n, Ordering::Relaxed);
    });
    let result =
        manager(&proxy.url).download_file(&bucket, "obj", &target, TransferOptions::new().progress(progress)).await;
    let total = total.load(Ordering::Relaxed);
    match &result {
        Ok(_) => {
            assert_eq!(sha256_file(&target), hash, "a completed download must be byte-exact");
            assert_eq!(total, size as i64, "progress must end at the size");
            assert_eq!(dir_names(out_dir.path()), vec!["obj.bin"]);
        }
        Err(e) => {
            eprintln!("download failed as it may: {e}");
            assert!(dir_names(out_dir.path()).is_empty(), "nothing may be left: {:?}", dir_names(out_dir.path()));
        }
    }
    (result.map(|_| ()), proxy, total)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_in_the_middle_of_a_range_is_retried_or_leaves_no_file() {
    let Some(url) = moto_endpoint("a_reset_in_the_middle_of_a_range_is_retried_or_leaves_no_file") else { return };
    // The first two GETs break after 100 KiB: retried, progress rewound, byte-exact.
    let rule = first(2, Fault::TruncateResponse(100 << 10), |s| s.is("GET", "/obj"));
    let (result, proxy, _) = download_through(&url, rule, 20 * MIB).await;
    result.unwrap();
    assert_eq!(proxy.count("GET", "/obj"), 3 + 2);
    // Every GET breaks: the download fails and leaves nothing.
    let rule = |s: &Seen| if s.is("GET", "/obj") { Fault::TruncateResponse(100 << 10) } else { Fault::Forward };
    let (result, _, total) = download_through(&url, rule, 20 * MIB).await;
    assert!(matches!(result, Err(TransferError::RetriesExceeded { attempts: 3, .. })), "{result:?}");
    assert!(total <= 0, "progress taken back: {total}");
    // A dropped connection before any answer.
    let rule = first(1, Fault::ResetRequest(0), |s| s.is("GET", "/obj"));
    let (result, _, _) = download_through(&url, rule, 20 * MIB).await;
    result.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_checksum_is_caught_and_leaves_no_file() {
    let Some(url) = moto_endpoint("a_wrong_checksum_is_caught_and_leaves_no_file") else { return };
    let wrong = || Fault::SetResponseHeader("x-amz-checksum-crc32", "AAAAAA==");
    // The object's composite checksum is wrong: mismatch, no file.
    let rule =
        move |s: &Seen| if s.is("HEAD", "/obj") && !s.target.contains("partNumber") { wrong() } else { Fault::Forward };
    let (result, _, _) = download_through(&url, rule, 20 * MIB).await;
    assert!(matches!(result, Err(TransferError::ChecksumMismatch { .. })), "{result:?}");
    // One GET of a small object answers a wrong checksum once: retried.
    let rule = first(1, wrong(), |s| s.is("GET", "/obj"));
    let (result, proxy, _) = download_through(&url, rule, 1 << 20).await;
    result.unwrap();
    assert_eq!(proxy.count("GET", "/obj"), 2);
    // ... and always: the download fails with no file.
    let rule = move |s: &Seen| if s.is("GET", "/obj") { wrong() } else { Fault::Forward };
    let (result, _, _) = download_through(&url, rule, 1 << 20).await;
    assert!(result.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_transfer_aborts_the_upload_and_removes_the_partial_file() {
    let Some(url) = moto_endpoint("dropping_a_transfer_aborts_the_upload_and_removes_the_partial_file") else {
        return;
    };
    let moto = client(&url);
    let bucket = bucket(&moto, "cancel").await;
    let stall = |s: &Seen| {
        if (s.is("PUT", "partNumber=") && !s.target.contains("partNumber=1&")) || s.is("GET", "/big") {
            Fault::Stall(Duration::from_secs(3))
        } else {
            Fault::Forward
        }
    };
    let proxy = Proxy::start(&url, stall).await;
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = random_file(dir.path(), "big", 40 * MIB);
    let manager = manager(&proxy.url);
    let upload = {
        let (manager, bucket, path) = (manager.clone(), bucket.clone(), path.clone());
        tokio::spawn(async move { manager.upload_file(&path, &bucket, "big", TransferOptions::new()).await })
    };
    while proxy.count("PUT", "partNumber=") < 3 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    upload.abort();
    assert!(upload.await.unwrap_err().is_cancelled());
    no_uploads_left(&moto, &bucket).await;
    assert_eq!(proxy.count("DELETE", "uploadId="), 1);

    // A download dropped half-way leaves no file behind.
    TransferManager::new(moto.clone(), TransferConfig::default())
        .unwrap()
        .upload_file(&path, &bucket, "big", TransferOptions::new())
        .await
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("big.bin");
    let download = {
        let (bucket, target) = (bucket.clone(), target.clone());
        tokio::spawn(async move { manager.download_file(&bucket, "big", &target, TransferOptions::new()).await })
    };
    while proxy.count("GET", "/big") < 2 || dir_names(out.path()).is_empty() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    download.abort();
    assert!(download.await.unwrap_err().is_cancelled());
    assert!(dir_names(out.path()).is_empty(), "{:?}", dir_names(out.path()));
}
