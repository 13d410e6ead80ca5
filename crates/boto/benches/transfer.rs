//! S3 transfer benchmark: `upload_file` then `download_file` of one file
//! with the default [`TransferConfig`], printing MiB/s and the CPU seconds
//! this process spent (user + system, all threads, from `/proc/self/stat`).
//!
//! ```text
//! cargo bench -p boto --bench transfer -- --endpoint http://127.0.0.1:8124 \
//!     --file /dev/shm/bench-1g.bin --bucket bucket --key big.bin [--down PATH] [--no-upload] [--no-download] \
//!     [--server-pid PID]
//! ```
//!
//! With `--server-pid`, each line also gives the CPU seconds the server
//! process spent meanwhile (`server_cpu_s`, as the boto3 harness prints).
//!
//! `bench/transfer.sh` runs it next to boto3 and `boto s3 cp` and prints
//! the table of the README.

use std::path::PathBuf;
use std::time::Instant;

use boto::boto_core::config::ClientConfig;
use boto::boto_core::credentials::Credentials;
use boto::s3::transfer::{TransferConfig, TransferManager, TransferOptions};

struct Args {
    endpoint: String,
    file: PathBuf,
    down: Option<PathBuf>,
    bucket: String,
    key: String,
    upload: bool,
    download: bool,
    concurrency: usize,
    /// The server process whose CPU time is reported too.
    server_pid: Option<u32>,
    /// The file is a temporary one of the smoke run, removed at the end.
    smoke: bool,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        endpoint: String::new(),
        file: PathBuf::from("/dev/shm/bench-1g.bin"),
        down: None,
        bucket: "bench".into(),
        key: "big.bin".into(),
        upload: true,
        download: true,
        concurrency: TransferConfig::default().max_concurrency,
        server_pid: None,
        smoke: false,
    };
    let mut it = std::env::args().skip(1);
    let bench = std::env::args().any(|a| a == "--bench");
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--endpoint" => args.endpoint = value()?,
            "--file" => args.file = value()?.into(),
            "--down" => args.down = Some(value()?.into()),
            "--bucket" => args.bucket = value()?,
            "--key" => args.key = value()?,
            "--max-concurrency" => args.concurrency = value()?.parse().map_err(|e| format!("{e}"))?,
            "--server-pid" => args.server_pid = Some(value()?.parse().map_err(|e| format!("{e}"))?),
            "--no-upload" => args.upload = false,
            "--no-download" => args.download = false,
            "--bench" => {} // added by cargo bench
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.endpoint.is_empty() && !bench {
        // `cargo test --all-targets` runs this binary without arguments: a
        // smoke run of 20 MiB (multipart both ways) against the test S3 server.
        match std::env::var("BOTO_TEST_S3_ENDPOINT").or_else(|_| std::env::var("BOTO_TEST_ENDPOINT")) {
            Ok(endpoint) if !endpoint.is_empty() => {
                args.endpoint = endpoint;
                args.smoke = true;
                args.file = smoke_file().map_err(|e| format!("cannot write the smoke-test file: {e}"))?;
            }
            _ => {
                eprintln!("transfer bench: NOT RUN (no --endpoint and no BOTO_TEST_S3_ENDPOINT)");
                std::process::exit(0);
            }
        }
    }
    if args.endpoint.is_empty() {
        return Err("--endpoint URL is required".into());
    }
    Ok(args)
}

/// A 20 MiB file of varied bytes in the temp directory, for the smoke run.
fn smoke_file() -> std::io::Result<PathBuf> {
    let path = std::env::temp_dir().join(format!("boto-transfer-smoke-{}.bin", std::process::id()));
    let data: Vec<u8> = (0..20u32 << 20).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    std::fs::write(&path, data)?;
    Ok(path)
}

/// CPU seconds (user, system) of a process (all threads), from its
/// `/proc/<pid>/stat`; zeros when it cannot be read.
fn cpu_of(pid: &str) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, r)| r.split_whitespace().collect()).unwrap_or_default();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / 100.0;
    (tick(11), tick(12))
}

/// CPU seconds (user, system) of this process.
fn cpu() -> (f64, f64) {
    cpu_of("self")
}

/// CPU seconds (user + system) of the server process, if one was named.
fn server_cpu(pid: Option<u32>) -> f64 {
    pid.map(|p| {
        let (u, s) = cpu_of(&p.to_string());
        u + s
    })
    .unwrap_or(0.0)
}

async fn measure<F, T, E>(label: &str, size: u64, server_pid: Option<u32>, f: F) -> Result<T, E>
where
    F: std::future::Future<Output = Result<T, E>>,
{
    let (u0, s0) = cpu();
    let server0 = server_cpu(server_pid);
    let t0 = Instant::now();
    let out = f.await?;
    let wall = t0.elapsed().as_secs_f64();
    let (u1, s1) = cpu();
    let server = match server_pid {
        Some(_) => format!(" server_cpu_s={:5.2}", server_cpu(server_pid) - server0),
        None => String::new(),
    };
    let mib = size as f64 / (1024.0 * 1024.0);
    println!(
        "{label:13} {} MiB wall_s={wall:6.2} MiB_per_s={:7.1} client_cpu_s={:5.2} (user {:.2} sys {:.2}){server}",
        size >> 20,
        mib / wall,
        (u1 - u0) + (s1 - s0),
        u1 - u0,
        s1 - s0
    );
    Ok(out)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse()?;
    let size = std::fs::metadata(&args.file)?.len();
    let mut client_config = ClientConfig::default();
    client_config.max_pool_connections = Some(args.concurrency.max(10));
    let client = boto::boto_core::Client::builder("s3")
        .config(client_config)
        .region("us-east-1")
        .endpoint_url(args.endpoint.as_str())
        .credentials(Credentials::new("testing", "testing", None))
        .build()?;
    let _ = client.call("CreateBucket", boto::params!({ "Bucket": args.bucket.as_str() })).await;
    let config = TransferConfig { max_concurrency: args.concurrency, ..TransferConfig::default() };
    println!(
        "boto-rs threshold={}MiB chunk={}MiB max_concurrency={} endpoint={}",
        config.multipart_threshold >> 20,
        config.multipart_chunksize >> 20,
        config.max_concurrency,
        args.endpoint
    );
    let manager = TransferManager::new(client, config)?;
    if args.upload {
        measure(
            "upload_file",
            size,
            args.server_pid,
            manager.upload_file(&args.file, &args.bucket, &args.key, TransferOptions::new()),
        )
        .await?;
    }
    if args.download {
        let down = args.down.clone().unwrap_or_else(|| {
            let mut p = args.file.clone().into_os_string();
            p.push(".down");
            PathBuf::from(p)
        });
        let out = measure(
            "download_file",
            size,
            args.server_pid,
            manager.download_file(&args.bucket, &args.key, &down, TransferOptions::new()),
        )
        .await?;
        if out.bytes != size {
            return Err(format!("downloaded {} bytes, expected {size}", out.bytes).into());
        }
        std::fs::remove_file(&down)?;
    }
    if args.smoke {
        std::fs::remove_file(&args.file)?;
    }
    Ok(())
}
