//! Sequential calls against a local endpoint (the canned nginx server of
//! `bench/canned-server`, or moto): calls per second and client CPU per
//! call (getrusage of this process, so the server's CPU is excluded).
//!
//! `BENCH_ENDPOINT=http://127.0.0.1:PORT cargo bench -p boto-core --bench call_rate`
//! Options (environment): `BENCH_N` calls per case (default 20000),
//! `BENCH_OPS` (comma list of ddb_get_item,s3_put_object,s3_get_object),
//! `BENCH_MODES` (blocking, async: a current-thread runtime as
//! `#[tokio::main(flavor = "current_thread")]` gives, async-mt: the calls
//! in a task on a 2-worker runtime, raw: a fixed request written by hand
//! to a kept-alive socket, the floor no client can go under). Prints one
//! line per case.

use std::time::{Duration, Instant};

use boto_core::{blocking, params, Body, Client, Value};

/// User + system CPU time of this process.
fn cpu_time() -> Duration {
    // SAFETY: `getrusage` only writes into the `rusage` value we pass, which
    // is a plain C struct owned by this frame and zero-initialised (all-zero
    // is a valid `rusage`); RUSAGE_SELF is a valid `who` argument.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return Duration::ZERO;
        }
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn op_params(op: &str) -> (&'static str, &'static str, Value) {
    match op {
        "ddb_get_item" => {
            ("dynamodb", "GetItem", params!({ "TableName": "bench", "Key": { "pk": { "S": "user#1" } } }))
        }
        "s3_put_object" => {
            ("s3", "PutObject", params!({ "Bucket": "bucket", "Key": "obj-1k", "Body": Body::from(vec![b'x'; 1024]) }))
        }
        _ => ("s3", "GetObject", params!({ "Bucket": "bucket", "Key": "obj-1k" })),
    }
}

fn report(mode: &str, op: &str, n: usize, wall: Duration, cpu: Duration) {
    println!(
        "{mode:<8} {op:<14} n={n:<6} calls/s={:>9.0} cpu_us_per_call={:>7.1} wall_us_per_call={:>7.1}",
        n as f64 / wall.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / n as f64,
        wall.as_secs_f64() * 1e6 / n as f64
    );
}

fn main() {
    let Ok(endpoint) = std::env::var("BENCH_ENDPOINT") else {
        eprintln!("call_rate: set BENCH_ENDPOINT (bench/call_rate.sh does); nothing measured");
        return;
    };
    let n: usize = std::env::var("BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let ops = std::env::var("BENCH_OPS").unwrap_or_else(|_| "ddb_get_item,s3_put_object,s3_get_object".into());
    let modes = std::env::var("BENCH_MODES").unwrap_or_else(|_| "blocking,async".into());
    let creds = boto_core::credentials::Credentials::new("testing", "testing", None);
    for mode in modes.split(',') {
        for op in ops.split(',') {
            let (service, operation, params) = op_params(op);
            let builder = || {
                Client::builder(service)
                    .region("us-east-1")
                    .endpoint_url(&endpoint)
                    .credentials(creds.clone())
                    .s3_addressing_style(boto_core::config::AddressingStyle::Path)
            };
            let warmup = (n / 20).max(10);
            match mode {
                "blocking" => {
                    let rt = blocking::Runtime::new().expect("runtime");
                    let client = blocking::Client::from_async(builder().build().expect("client"), rt);
                    let call = || {
                        let out = client.call(operation, params.clone()).expect("call");
                        if let Some(body) = out.get("Body").and_then(Value::as_stream) {
                            client.read_body(body).expect("body");
                        }
                    };
                    (0..warmup).for_each(|_| call());
                    let (c0, t0) = (cpu_time(), Instant::now());
                    (0..n).for_each(|_| call());
                    report(mode, op, n, t0.elapsed(), cpu_time() - c0);
                }
                "raw" => {
                    let (c0, t0, n) = raw(&endpoint, service, n, warmup);
                    report(mode, op, n, t0.elapsed(), cpu_time() - c0);
                }
                _ => {
                    let rt = match mode {
                        "async" => tokio::runtime::Builder::new_current_thread().enable_all().build(),
                        _ => tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build(),
                    }
                    .expect("rt");
                    let client = rt.block_on(async { builder().build().expect("client") });
                    let run = |count: usize| {
                        let (client, params) = (client.clone(), params.clone());
                        rt.block_on(rt.spawn(async move {
                            for _ in 0..count {
                                let out = client.call(operation, params.clone()).await.expect("call");
                                if let Some(body) = out.get("Body").and_then(Value::as_stream) {
                                    body.collect().await.expect("body");
                                }
                            }
                        }))
                        .expect("task")
                    };
                    run(warmup);
                    let (c0, t0) = (cpu_time(), Instant::now());
                    run(n);
                    report(mode, op, n, t0.elapsed(), cpu_time() - c0);
                }
            }
        }
    }
}

/// A fixed, hand-written request of the size a signed call has, written to
/// one kept-alive socket and its response read by Content-Length: the cost
/// of the system calls alone. Returns the start CPU time, start instant and
/// call count (the DynamoDB shape of request for every op).
fn raw(endpoint: &str, service: &str, n: usize, warmup: usize) -> (Duration, Instant, usize) {
    use std::io::{BufRead, BufReader, Read, Write};
    let addr = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let stream = std::net::TcpStream::connect(addr).expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let body = r#"{"TableName":"bench","Key":{"pk":{"S":"user#1"}}}"#;
    let (path, target) = match service {
        "dynamodb" => ("/", "X-Amz-Target: DynamoDB_20120810.GetItem\r\n"),
        _ => ("/bucket/obj-1k", ""),
    };
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{target}Content-Type: application/x-amz-json-1.0\r\n\
         X-Amz-Date: 20261125T000000Z\r\nX-Amz-Content-SHA256: 0000000000000000000000000000000000000000000000000000000000000000\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20261125/us-east-1/dynamodb/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000\r\n\
         User-Agent: raw\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut writer = stream;
    let mut line = String::new();
    let mut buf = Vec::new();
    let mut call = || {
        writer.write_all(request.as_bytes()).expect("write");
        let mut length = 0usize;
        loop {
            line.clear();
            reader.read_line(&mut line).expect("read");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().expect("length");
            }
        }
        buf.resize(length, 0);
        reader.read_exact(&mut buf).expect("body");
    };
    (0..warmup).for_each(|_| call());
    let (c0, t0) = (cpu_time(), Instant::now());
    (0..n).for_each(|_| call());
    (c0, t0, n)
}
