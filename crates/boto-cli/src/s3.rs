//! `boto s3 cp` and `boto s3 presign`: managed transfers and presigned URLs,
//! in the style of `aws s3`.
//!
//! ```text
//! boto s3 cp big.iso s3://bucket/isos/            # upload (multipart above 8 MiB)
//! boto s3 cp s3://bucket/isos/big.iso ./copy.iso  # download (parallel ranges)
//! boto s3 cp s3://bucket/a s3://other/b           # managed copy (UploadPartCopy)
//! boto s3 cp s3://src/a s3://dst/b --source-region eu-west-1 --region us-east-1
//! boto s3 cp ./dir s3://bucket/prefix/ --recursive
//! tar c dir | boto s3 cp - s3://bucket/dir.tar    # from stdin; `s3://... -` writes to stdout
//! boto s3 presign s3://bucket/key --expires-in 600
//! ```

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use boto::s3::transfer::{
    CopySource, ExtraArgs, Progress, TransferConfig, TransferError, TransferManager, TransferOptions,
};
use boto_core::config::ClientConfig;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::common::{CliError, GlobalArgs};

/// `boto s3 ...`.
#[derive(Debug, clap::Args)]
pub struct S3Args {
    #[command(subcommand)]
    command: S3Command,
}

#[derive(Debug, clap::Subcommand)]
enum S3Command {
    /// Copy a local file or S3 object to another location locally or in S3.
    Cp(CpArgs),
    /// Print a presigned URL that GETs an S3 object without credentials.
    Presign(PresignArgs),
}

/// `boto s3 cp SRC DST`.
#[derive(Debug, clap::Args)]
pub struct CpArgs {
    /// A local path, `s3://bucket/key`, or `-` for stdin.
    src: String,
    /// A local path, `s3://bucket/key` (a trailing `/` means a prefix), or `-`
    /// for stdout.
    dst: String,
    /// Copy every file under the local directory or every object under the
    /// S3 prefix.
    #[arg(long)]
    recursive: bool,
    /// Print nothing but errors (no progress bar).
    #[arg(long)]
    quiet: bool,
    /// Size from which transfers are multipart (`8MB`, `64MiB`, `10485760`).
    #[arg(long, value_parser = parse_size, default_value = "8MB")]
    multipart_threshold: u64,
    /// Part size of multipart transfers.
    #[arg(long, value_parser = parse_size, default_value = "8MB")]
    multipart_chunksize: u64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1000))]
    max_concurrency: u64,
    /// Content-Type of uploaded objects.
    #[arg(long)]
    content_type: Option<String>,
    /// Storage class of uploaded or copied objects (`STANDARD_IA`, ...).
    #[arg(long)]
    storage_class: Option<String>,
    /// Server-side encryption (`AES256`, `aws:kms`).
    #[arg(long)]
    sse: Option<String>,
    /// Canned ACL (`private`, `bucket-owner-full-control`, ...).
    #[arg(long)]
    acl: Option<String>,
    /// Checksum algorithm of uploads (`CRC32`, the default, `CRC32C`,
    /// `CRC64NVME`, `SHA1`, `SHA256`).
    #[arg(long)]
    checksum_algorithm: Option<String>,
    /// The region of the source bucket of an S3-to-S3 copy (`--region` is
    /// the destination's): the source is listed and read there. Other
    /// transfers ignore it, as aws-cli does.
    #[arg(long)]
    source_region: Option<String>,
}

/// `boto s3 presign s3://bucket/key`.
#[derive(Debug, clap::Args)]
pub struct PresignArgs {
    /// The object, `s3://bucket/key`.
    url: String,
    /// Seconds the URL stays valid (1 to 604800).
    #[arg(long, default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..=604800))]
    expires_in: u64,
}

/// Parses `8MB`, `8MiB`, `512KB`, `1GB`, `123` (binary units, as aws-cli).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 = number.parse().map_err(|_| format!("{text:?} is not a size like 8MB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" | "kib" | "k" => 1 << 10,
        "mb" | "mib" | "m" => 1 << 20,
        "gb" | "gib" | "g" => 1 << 30,
        "tb" | "tib" | "t" => 1 << 40,
        other => return Err(format!("unknown size unit {other:?} in {text:?}")),
    };
    n.checked_mul(factor).filter(|v| *v > 0).ok_or_else(|| format!("{text:?} is not a usable size"))
}

/// Where a `cp` argument points.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Location {
    Local(PathBuf),
    S3 { bucket: String, key: String },
    Stdio,
}

impl Location {
    fn parse(text: &str) -> Result<Location, CliError> {
        if text == "-" {
            return Ok(Location::Stdio);
        }
        match text.strip_prefix("s3://") {
            Some(rest) => {
                let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
                if bucket.is_empty() {
                    return Err(CliError::Usage(format!("{text:?} names no bucket")));
                }
                Ok(Location::S3 { bucket: bucket.to_owned(), key: key.to_owned() })
            }
            None => Ok(Location::Local(PathBuf::from(text))),
        }
    }
}

fn s3_url(bucket: &str, key: &str) -> String {
    format!("s3://{bucket}/{key}")
}

/// The last segment of a key (`a/b/c.txt` → `c.txt`).
fn basename(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

pub fn run(global: &GlobalArgs, args: &S3Args) -> Result<(), CliError> {
    match &args.command {
        S3Command::Cp(cp) => run_cp(global, cp),
        S3Command::Presign(p) => run_presign(global, p),
    }
}

fn run_presign(global: &GlobalArgs, args: &PresignArgs) -> Result<(), CliError> {
    let Location::S3 { bucket, key } = Location::parse(&args.url)? else {
        return Err(CliError::Usage(format!("{:?} is not an s3://bucket/key URL", args.url)));
    };
    if key.is_empty() {
        return Err(CliError::Usage(format!("{:?} names no key", args.url)));
    }
    let client = crate::common::client(global, "s3")?;
    let url = boto::s3::presign::blocking::presign_get(&client, &bucket, &key, args.expires_in)?;
    println!("{url}");
    Ok(())
}

/// One transfer of a `cp`.
#[derive(Debug, Clone)]
enum Job {
    Upload { path: PathBuf, bucket: String, key: String, size: u64 },
    Download { bucket: String, key: String, path: PathBuf, size: Option<u64> },
    Copy { from: CopySource, bucket: String, key: String, size: Option<u64> },
    UploadStdin { bucket: String, key: String },
    DownloadStdout { bucket: String, key: String },
}

impl Job {
    fn size(&self) -> Option<u64> {
        match self {
            Job::Upload { size, .. } => Some(*size),
            Job::Download { size, .. } | Job::Copy { size, .. } => *size,
            _ => None,
        }
    }

    /// `upload: ./a to s3://b/a`, as aws-cli prints.
    fn describe(&self) -> String {
        match self {
            Job::Upload { path, bucket, key, .. } => format!("upload: {} to {}", path.display(), s3_url(bucket, key)),
            Job::Download { bucket, key, path, .. } => {
                format!("download: {} to {}", s3_url(bucket, key), path.display())
            }
            Job::Copy { from, bucket, key, .. } => {
                format!("copy: {} to {}", s3_url(&from.bucket, &from.key), s3_url(bucket, key))
            }
            Job::UploadStdin { bucket, key } => format!("upload: - to {}", s3_url(bucket, key)),
            Job::DownloadStdout { bucket, key } => format!("download: {} to -", s3_url(bucket, key)),
        }
    }
}

fn run_cp(global: &GlobalArgs, args: &CpArgs) -> Result<(), CliError> {
    let src = Location::parse(&args.src)?;
    let dst = Location::parse(&args.dst)?;
    let config = TransferConfig {
        multipart_threshold: args.multipart_threshold,
        multipart_chunksize: args.multipart_chunksize,
        max_concurrency: args.max_concurrency as usize,
        ..TransferConfig::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Other(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let client = async_client(global, None, config.max_concurrency)?;
        // aws-cli's --source-region: a client of its own for the source of S3-to-S3 copies.
        let source = match (&args.source_region, &src, &dst) {
            (Some(region), Location::S3 { .. }, Location::S3 { .. }) => {
                Some(async_client(global, Some(region), config.max_concurrency)?)
            }
            _ => None,
        };
        let manager = TransferManager::new(client, config).map_err(|e| CliError::Usage(e.to_string()))?;
        let jobs = plan(&manager, source.as_ref(), &src, &dst, args.recursive).await?;
        let to_stdout = jobs.iter().any(|j| matches!(j, Job::DownloadStdout { .. }));
        let show = !args.quiet && !to_stdout && std::io::stdout().is_terminal();
        execute(&manager, source, jobs, extra_args(args), show, args.quiet || to_stdout).await
    })
}

/// An async S3 client with the global options (in `region` when given) and
/// a pool as large as the concurrency.
fn async_client(
    global: &GlobalArgs,
    region: Option<&String>,
    concurrency: usize,
) -> Result<boto_core::Client, CliError> {
    let mut config = ClientConfig::default();
    config.max_pool_connections = Some(concurrency.max(10));
    let mut builder = boto_core::Client::builder("s3").config(config);
    if let Some(r) = region.or(global.region.as_ref()) {
        builder = builder.region(r.clone());
    }
    if let Some(u) = &global.endpoint_url {
        builder = builder.endpoint_url(u.clone());
    }
    if let Some(p) = &global.profile {
        builder = builder.profile(p.clone());
    }
    builder.build().map_err(|e| match e {
        boto_core::Error::Model(m) => CliError::Usage(m.to_string()),
        other => CliError::Call(other),
    })
}

fn extra_args(args: &CpArgs) -> ExtraArgs {
    let mut extra = ExtraArgs::new();
    let pairs = [
        ("ContentType", &args.content_type),
        ("StorageClass", &args.storage_class),
        ("ServerSideEncryption", &args.sse),
        ("ACL", &args.acl),
        ("ChecksumAlgorithm", &args.checksum_algorithm),
    ];
    for (name, value) in pairs {
        if let Some(v) = value {
            extra.insert(name, v.as_str());
        }
    }
    extra
}

/// The transfers `cp SRC DST` stands for; `source` lists the source
/// bucket of S3-to-S3 copies (the manager's client when `None`).
async fn plan(
    manager: &TransferManager,
    source: Option<&boto_core::Client>,
    src: &Location,
    dst: &Location,
    recursive: bool,
) -> Result<Vec<Job>, CliError> {
    match (src, dst) {
        (Location::Local(path), Location::S3 { bucket, key }) => {
            if recursive {
                let mut jobs = Vec::new();
                for (file, rel, size) in walk(path)? {
                    jobs.push(Job::Upload { path: file, bucket: bucket.clone(), key: join_key(key, &rel), size });
                }
                return Ok(jobs);
            }
            let meta = std::fs::metadata(path).map_err(|e| {
                CliError::Other(format!("The user-provided path {} does not exist: {e}", path.display()))
            })?;
            if meta.is_dir() {
                return Err(CliError::Usage(format!("{} is a directory: use --recursive", path.display())));
            }
            let key = if key.is_empty() || key.ends_with('/') {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                format!("{key}{name}")
            } else {
                key.clone()
            };
            Ok(vec![Job::Upload { path: path.clone(), bucket: bucket.clone(), key, size: meta.len() }])
        }
        (Location::S3 { bucket, key }, Location::Local(path)) => {
            if recursive {
                let objects = list(manager.client(), bucket, key).await?;
                return Ok(objects
                    .into_iter()
                    .map(|(k, size)| {
                        let rel = k.strip_prefix(key.as_str()).unwrap_or(&k).trim_start_matches('/');
                        Job::Download { bucket: bucket.clone(), path: path.join(rel), key: k.clone(), size: Some(size) }
                    })
                    .collect());
            }
            if key.is_empty() || key.ends_with('/') {
                return Err(CliError::Usage(format!("{} is a prefix: use --recursive", s3_url(bucket, key))));
            }
            let text = path.to_string_lossy();
            let path = if path.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
                path.join(basename(key))
            } else {
                path.clone()
            };
            Ok(vec![Job::Download { bucket: bucket.clone(), key: key.clone(), path, size: None }])
        }
        (Location::S3 { bucket: sb, key: sk }, Location::S3 { bucket, key }) => {
            if recursive {
                let objects = list(source.unwrap_or(manager.client()), sb, sk).await?;
                return Ok(objects
                    .into_iter()
                    .map(|(k, size)| {
                        let rel = k.strip_prefix(sk.as_str()).unwrap_or(&k).trim_start_matches('/');
                        let key = join_key(key, rel);
                        Job::Copy {
                            from: CopySource::new(sb.as_str(), k.as_str()),
                            bucket: bucket.clone(),
                            key,
                            size: Some(size),
                        }
                    })
                    .collect());
            }
            if sk.is_empty() || sk.ends_with('/') {
                return Err(CliError::Usage(format!("{} is a prefix: use --recursive", s3_url(sb, sk))));
            }
            let key = if key.is_empty() || key.ends_with('/') { format!("{key}{}", basename(sk)) } else { key.clone() };
            Ok(vec![Job::Copy {
                from: CopySource::new(sb.as_str(), sk.as_str()),
                bucket: bucket.clone(),
                key,
                size: None,
            }])
        }
        (Location::Stdio, Location::S3 { bucket, key }) if !recursive && !key.is_empty() && !key.ends_with('/') => {
            Ok(vec![Job::UploadStdin { bucket: bucket.clone(), key: key.clone() }])
        }
        (Location::S3 { bucket, key }, Location::Stdio) if !recursive && !key.is_empty() => {
            Ok(vec![Job::DownloadStdout { bucket: bucket.clone(), key: key.clone() }])
        }
        _ => Err(CliError::Usage(
            "cp copies local paths to s3://bucket/key, s3:// to local paths, s3:// to s3://, and - (stdin/stdout) \
             to or from one object"
                .into(),
        )),
    }
}

/// `prefix` + `rel`, with one `/` between when the prefix names a folder.
fn join_key(prefix: &str, rel: &str) -> String {
    if prefix.is_empty() || prefix.ends_with('/') {
        format!("{prefix}{rel}")
    } else {
        format!("{prefix}/{rel}")
    }
}

/// Files under `root`: (path, key-relative path with `/`, size), sorted.
fn walk(root: &Path) -> Result<Vec<(PathBuf, String, u64)>, CliError> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    let err = |p: &Path, e: std::io::Error| CliError::Other(format!("cannot read {}: {e}", p.display()));
    if !root.is_dir() {
        return Err(CliError::Usage(format!("{} is not a directory", root.display())));
    }
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| err(&dir, e))? {
            let entry = entry.map_err(|e| err(&dir, e))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| err(&path, e))?;
            if kind.is_dir() {
                stack.push(path);
            } else if let Ok(meta) = std::fs::metadata(&path) {
                if meta.is_file() {
                    let rel = path.strip_prefix(root).unwrap_or(&path);
                    let rel: Vec<String> =
                        rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                    out.push((path, rel.join("/"), meta.len()));
                }
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// Objects under a prefix (keys ending in `/` are folders, skipped).
async fn list(client: &boto_core::Client, bucket: &str, prefix: &str) -> Result<Vec<(String, u64)>, CliError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut params = boto::params!({ "Bucket": bucket, "Prefix": prefix });
        if let Some(t) = &token {
            params.insert("ContinuationToken", t.as_str());
        }
        let page = client.call("ListObjectsV2", params).await?;
        for object in page["Contents"].as_list().unwrap_or_default() {
            let (Some(key), Some(size)) = (object["Key"].as_str(), object["Size"].as_i64()) else { continue };
            if !key.ends_with('/') {
                out.push((key.to_owned(), u64::try_from(size).unwrap_or(0)));
            }
        }
        match page["NextContinuationToken"].as_str() {
            Some(t) if page["IsTruncated"].as_bool() == Some(true) => token = Some(t.to_owned()),
            _ => break,
        }
    }
    Ok(out)
}

/// The progress bar of a `cp`: bytes, rate and time left, drawn on stdout.
pub fn progress_bar(total: Option<u64>) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stdout());
    let template = if total.is_some() {
        "{bytes}/{total_bytes} ({binary_bytes_per_sec}, {eta} left) [{wide_bar}] {msg}"
    } else {
        "{bytes} ({binary_bytes_per_sec}) {spinner} {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// A transfer [`Progress`] callback that moves `bar` (back too, when a
/// retried range takes bytes back).
pub fn bar_progress(bar: &ProgressBar) -> Progress {
    let bar = bar.clone();
    Progress::new(move |n| {
        if n >= 0 {
            bar.inc(n.unsigned_abs());
        } else {
            bar.set_position(bar.position().saturating_sub(n.unsigned_abs()));
        }
    })
}

/// Runs the jobs; `source` reads the sources of copies (boto3's
/// `SourceClient`; the manager's client when `None`).
async fn execute(
    manager: &TransferManager,
    source: Option<boto_core::Client>,
    jobs: Vec<Job>,
    extra: ExtraArgs,
    show_bar: bool,
    quiet: bool,
) -> Result<(), CliError> {
    if jobs.is_empty() {
        return Ok(());
    }
    let total = jobs.iter().map(Job::size).sum::<Option<u64>>();
    let bar = show_bar.then(|| progress_bar(total));
    if let (
        Some(bar),
        [job @ (Job::Download { bucket, key, .. } | Job::Copy { from: CopySource { bucket, key, .. }, .. })],
    ) = (&bar, jobs.as_slice())
    {
        // One object of unknown size: ask, for the bar.
        let client = match (job, &source) {
            (Job::Copy { .. }, Some(source)) => source,
            _ => manager.client(),
        };
        let head = client.call("HeadObject", boto::params!({ "Bucket": bucket.as_str(), "Key": key.as_str() })).await;
        if let Some(n) = head.ok().and_then(|h| h["ContentLength"].as_i64()) {
            bar.set_length(u64::try_from(n).unwrap_or(0));
        }
    }
    let single = jobs.len() == 1;
    let files_at_once = manager.config().max_concurrency.clamp(1, 16);
    let mut tasks = tokio::task::JoinSet::new();
    let mut failures = Vec::new();
    let mut jobs = jobs.into_iter();
    loop {
        while tasks.len() < files_at_once {
            let Some(job) = jobs.next() else { break };
            let source_client = match job {
                Job::Copy { .. } => source.clone().map(Into::into),
                _ => None,
            };
            let options =
                TransferOptions { extra_args: extra.clone(), progress: bar.as_ref().map(bar_progress), source_client };
            let manager = manager.clone();
            tasks.spawn(async move {
                let result = run_job(&manager, &job, options).await;
                (job, result)
            });
        }
        let Some(joined) = tasks.join_next().await else { break };
        let (job, result) = joined.map_err(|e| CliError::Other(format!("a transfer task failed: {e}")))?;
        match result {
            Ok(()) if quiet => {}
            Ok(()) => match &bar {
                Some(bar) => bar.println(job.describe()),
                None => println!("{}", job.describe()),
            },
            Err(e) => {
                // A single transfer's error is the command's; several are listed as they fail.
                if !single {
                    let line = format!("{} failed: {e}", job.describe());
                    match &bar {
                        Some(bar) => bar.suspend(|| eprintln!("{line}")),
                        None => eprintln!("{line}"),
                    }
                }
                failures.push(e);
            }
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match failures.len() {
        0 => Ok(()),
        1 if single => Err(transfer_error(failures.remove(0))),
        n => Err(CliError::Other(format!("{n} transfers failed"))),
    }
}

fn transfer_error(e: TransferError) -> CliError {
    match e {
        TransferError::Client(e) => CliError::Call(e),
        TransferError::InvalidArgument(m) => CliError::Usage(m),
        other => CliError::Other(other.to_string()),
    }
}

async fn run_job(manager: &TransferManager, job: &Job, options: TransferOptions) -> Result<(), TransferError> {
    match job {
        Job::Upload { path, bucket, key, .. } => manager.upload_file(path, bucket, key, options).await.map(drop),
        Job::Download { bucket, key, path, .. } => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                tokio::fs::create_dir_all(dir).await.map_err(TransferError::Write)?;
            }
            manager.download_file(bucket, key, path, without_upload_args(options)).await.map(drop)
        }
        Job::Copy { from, bucket, key, .. } => {
            let mut options = options;
            options.extra_args.remove("ContentType");
            options.extra_args.remove("ChecksumAlgorithm");
            manager.copy(from, bucket, key, options).await.map(drop)
        }
        Job::UploadStdin { bucket, key } => {
            manager.upload_fileobj(tokio::io::stdin(), bucket, key, options).await.map(drop)
        }
        Job::DownloadStdout { bucket, key } => {
            let mut out = tokio::io::stdout();
            manager.download_fileobj(bucket, key, &mut out, without_upload_args(options)).await.map(drop)
        }
    }
}

/// Downloads take none of the upload options.
fn without_upload_args(mut options: TransferOptions) -> TransferOptions {
    options.extra_args = ExtraArgs::new();
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_binary_units() {
        assert_eq!(parse_size("8MB"), Ok(8 << 20));
        assert_eq!(parse_size("8mib"), Ok(8 << 20));
        assert_eq!(parse_size("512KB"), Ok(512 << 10));
        assert_eq!(parse_size("1GB"), Ok(1 << 30));
        assert_eq!(parse_size("1234"), Ok(1234));
        assert!(parse_size("0").is_err());
        assert!(parse_size("8XB").is_err());
        assert!(parse_size("MB").is_err());
        assert!(parse_size("99999999999999TB").is_err());
    }

    #[test]
    fn locations() {
        assert_eq!(Location::parse("s3://b/k/x").unwrap(), Location::S3 { bucket: "b".into(), key: "k/x".into() });
        assert_eq!(Location::parse("s3://b").unwrap(), Location::S3 { bucket: "b".into(), key: String::new() });
        assert!(Location::parse("s3:///k").is_err());
        assert_eq!(Location::parse("-").unwrap(), Location::Stdio);
        assert_eq!(Location::parse("./a").unwrap(), Location::Local("./a".into()));
        assert_eq!(join_key("p", "a/b"), "p/a/b");
        assert_eq!(join_key("p/", "a"), "p/a");
        assert_eq!(join_key("", "a"), "a");
        assert_eq!(basename("a/b/c.txt"), "c.txt");
    }

    #[test]
    fn walk_lists_files_with_slash_keys() {
        let dir = tempfile_dir();
        std::fs::create_dir_all(dir.join("sub/deeper")).unwrap();
        std::fs::write(dir.join("a.txt"), b"a").unwrap();
        std::fs::write(dir.join("sub/deeper/b.txt"), b"bb").unwrap();
        let files = walk(&dir).unwrap();
        let rel: Vec<_> = files.iter().map(|(_, r, s)| (r.as_str(), *s)).collect();
        assert_eq!(rel, vec![("a.txt", 1), ("sub/deeper/b.txt", 2)]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("boto-cli-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn progress_goes_back_on_retries() {
        let bar = ProgressBar::hidden();
        let p = bar_progress(&bar);
        p.report(100);
        p.report(-30);
        assert_eq!(bar.position(), 70);
        p.report(-1000);
        assert_eq!(bar.position(), 0);
    }
}
