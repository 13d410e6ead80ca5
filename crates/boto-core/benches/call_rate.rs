//! Sequential calls against a local endpoint (the canned nginx server of
//! `bench/canned-server`, or moto): calls per second and client CPU per
//! call (getrusage of this process, so the server's CPU is excluded).
//!
//! `BENCH_ENDPOINT=http://127.0.0.1:PORT cargo bench -p boto-core --bench call_rate`
//! Options (environment): `BENCH_N` calls per case (default 20000),
//! `BENCH_OPS` (comma list of ddb_get_item,s3_put_object,s3_get_object),
//! `BENCH_MODES` (blocking,async). Prints one line per case.

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
                _ => {
                    let rt =
                        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("rt");
                    let client = rt.block_on(async { builder().build().expect("client") });
                    let run = |count: usize| {
                        rt.block_on(async {
                            for _ in 0..count {
                                let out = client.call(operation, params.clone()).await.expect("call");
                                if let Some(body) = out.get("Body").and_then(Value::as_stream) {
                                    body.collect().await.expect("body");
                                }
                            }
                        })
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
