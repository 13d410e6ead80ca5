//! Uploads: one `PutObject`, or a multipart upload run by [`Multipart`]
//! (which copies use too, with `UploadPartCopy`).

use std::path::Path;
use std::sync::Arc;

use boto_core::checksum::Algorithm;
use boto_core::config::ChecksumMode;
use boto_core::{Body, Client, Map, Value};
use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::OwnedSemaphorePermit;
use tokio::task::JoinSet;

use super::args::{ExtraArgs, ALLOWED_UPLOAD_ARGS, FULL_OBJECT_CHECKSUM_ARGS};
use super::checksum::{self, Crc};
use super::progress::{report, Progress};
use super::{Shared, TransferError, TransferOptions, TransferOutput, MAX_PARTS};

/// Members `UploadPart` takes from the extra arguments.
const UPLOAD_PART_ARGS: &[&str] = &[
    "ChecksumAlgorithm",
    "SSECustomerKey",
    "SSECustomerAlgorithm",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
];

/// Members `CompleteMultipartUpload` takes from the extra arguments.
const COMPLETE_ARGS: &[&str] = &[
    "SSECustomerKey",
    "SSECustomerAlgorithm",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
    "ChecksumType",
    "MpuObjectSize",
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumSHA1",
    "ChecksumSHA256",
];

/// Members `AbortMultipartUpload` takes.
const ABORT_ARGS: &[&str] = &["RequestPayer", "ExpectedBucketOwner"];

/// How the extra arguments of an upload split over its calls.
#[derive(Debug, Clone)]
pub(crate) struct UploadPlan {
    pub(crate) put: Map,
    pub(crate) create: Map,
    pub(crate) part: Map,
    pub(crate) complete: Map,
    pub(crate) abort: Map,
    /// The algorithm of the part checksums to collect.
    pub(crate) algorithm: Option<Algorithm>,
    /// Set when the transfer computes the full-object CRC from the parts.
    pub(crate) full_object: Option<Crc>,
}

impl UploadPlan {
    /// s3transfer's rules: CRC32 unless told otherwise (when the client
    /// computes checksums when supported); a full-object checksum value
    /// given by the caller makes the multipart upload `FULL_OBJECT`.
    pub(crate) fn new(shared: &Shared, args: &ExtraArgs) -> Result<UploadPlan, TransferError> {
        args.check(ALLOWED_UPLOAD_ARGS)?;
        let mut args = args.clone();
        let given_full = FULL_OBJECT_CHECKSUM_ARGS.iter().copied().find(|a| args.get(a).is_some());
        if given_full.is_none()
            && args.get("ChecksumAlgorithm").is_none()
            && shared.client.settings().request_checksum_calculation == ChecksumMode::WhenSupported
        {
            args.insert("ChecksumAlgorithm", "CRC32");
        }
        let put = args.without(&["ChecksumType", "MpuObjectSize"]);
        if let Some(name) = given_full {
            args.insert("ChecksumType", "FULL_OBJECT");
            args.insert("ChecksumAlgorithm", name.trim_start_matches("Checksum"));
        }
        let algorithm =
            match args.get("ChecksumAlgorithm").map(|v| v.as_str()) {
                None => None,
                Some(Some(name)) => Some(Algorithm::parse(name).filter(|a| *a != Algorithm::Md5).ok_or_else(|| {
                    TransferError::InvalidArgument(format!("unsupported ChecksumAlgorithm {name:?}"))
                })?),
                Some(None) => return Err(TransferError::InvalidArgument("ChecksumAlgorithm must be a string".into())),
            };
        let full_object = match args.get("ChecksumType").and_then(Value::as_str) {
            Some(t) if t.eq_ignore_ascii_case("FULL_OBJECT") && given_full.is_none() => {
                let crc = algorithm.and_then(Crc::of).ok_or_else(|| {
                    TransferError::InvalidArgument(
                        "ChecksumType FULL_OBJECT needs ChecksumAlgorithm CRC32, CRC32C or CRC64NVME".into(),
                    )
                })?;
                Some(crc)
            }
            _ => None,
        };
        let mut create_block: Vec<&str> = FULL_OBJECT_CHECKSUM_ARGS.to_vec();
        create_block.push("MpuObjectSize");
        Ok(UploadPlan {
            put,
            create: args.without(&create_block),
            part: args.only(UPLOAD_PART_ARGS),
            complete: args.only(COMPLETE_ARGS),
            abort: args.only(ABORT_ARGS),
            algorithm,
            full_object,
        })
    }
}

/// Where a part's bytes come from.
#[derive(Debug, Clone)]
pub(crate) enum PartSource {
    /// A range of a file (a part is read into memory when it is sent; a
    /// single PUT reads it while it is sent).
    File { path: Arc<Path>, offset: u64, len: u64 },
    /// Bytes in memory.
    Bytes(Bytes),
    /// A range of another object (`UploadPartCopy`).
    Copy { range: String, len: u64 },
}

impl PartSource {
    fn len(&self) -> u64 {
        match self {
            PartSource::File { len, .. } | PartSource::Copy { len, .. } => *len,
            PartSource::Bytes(b) => b.len() as u64,
        }
    }

    fn body(&self) -> Option<Body> {
        match self {
            PartSource::File { path, offset, len } if *len > 0 => Some(Body::from_file_range(path, *offset, *len)),
            PartSource::File { .. } => Some(Body::empty()),
            PartSource::Bytes(b) => Some(Body::from_bytes(b.clone())),
            PartSource::Copy { .. } => None,
        }
    }
}

/// Errors worth sending a part again for, once the client's own retries
/// are spent: the body did not get there whole, or arrived damaged.
pub(crate) fn part_retryable(e: &boto_core::Error) -> bool {
    use boto_core::Error;
    match e {
        Error::Dispatch { .. } | Error::Timeout { .. } | Error::Checksum { .. } | Error::Body(_) => true,
        Error::Service(s) => {
            s.status >= 500
                || matches!(
                    s.code.as_str(),
                    "BadDigest" | "InvalidDigest" | "XAmzContentSHA256Mismatch" | "RequestTimeout" | "IncompleteBody"
                )
        }
        _ => false,
    }
}

/// Uploads a file.
pub(crate) async fn upload_file(
    shared: &Arc<Shared>,
    path: &Path,
    bucket: &str,
    key: &str,
    options: TransferOptions,
) -> Result<TransferOutput, TransferError> {
    let plan = UploadPlan::new(shared, &options.extra_args)?;
    let meta = tokio::fs::metadata(path).await.map_err(TransferError::file("read", path))?;
    if !meta.is_file() {
        return Err(TransferError::InvalidArgument(format!("{} is not a file", path.display())));
    }
    let size = meta.len();
    let path: Arc<Path> = Arc::from(path);
    let progress = options.progress.as_ref();
    if size < shared.config.multipart_threshold {
        let source = PartSource::File { path, offset: 0, len: size };
        return put_object(shared, bucket, key, &plan, source, progress).await;
    }
    let part_size = shared.config.part_size(Some(size));
    let parts = size.div_ceil(part_size);
    tracing::debug!(bucket, key, size, part_size, parts, "multipart upload of a file");
    let mut mpu = Multipart::start(shared, bucket, key, &plan, "UploadPart", options.progress.clone()).await?;
    let submitted: Result<(), TransferError> = async {
        for i in 0..parts {
            let offset = i * part_size;
            let len = part_size.min(size - offset);
            let permit = mpu.permit().await?;
            mpu.submit(permit, PartSource::File { path: path.clone(), offset, len })?;
        }
        Ok(())
    }
    .await;
    match submitted {
        Ok(()) => mpu.complete(size).await,
        Err(e) => Err(mpu.fail(e).await),
    }
}

/// Uploads what a reader gives.
pub(crate) async fn upload_reader<R>(
    shared: &Arc<Shared>,
    mut reader: R,
    bucket: &str,
    key: &str,
    options: TransferOptions,
) -> Result<TransferOutput, TransferError>
where
    R: AsyncRead + Unpin + Send,
{
    let plan = UploadPlan::new(shared, &options.extra_args)?;
    let threshold = shared.config.multipart_threshold;
    let mut first = BytesMut::with_capacity(usize::try_from(threshold.min(64 << 20)).unwrap_or(64 << 20));
    fill(&mut reader, &mut first, threshold).await?;
    let progress = options.progress.as_ref();
    if (first.len() as u64) < threshold {
        return put_object(shared, bucket, key, &plan, PartSource::Bytes(first.freeze()), progress).await;
    }
    let part_size = shared.config.part_size(None);
    let mut pending = first.freeze();
    let mut mpu = Multipart::start(shared, bucket, key, &plan, "UploadPart", options.progress.clone()).await?;
    let mut total = 0u64;
    let submitted: Result<(), TransferError> = async {
        loop {
            let permit = mpu.permit().await?;
            let data = if pending.len() as u64 >= part_size {
                pending.split_to(part_size as usize)
            } else {
                let mut buf = BytesMut::with_capacity(part_size as usize);
                buf.extend_from_slice(&pending);
                pending = Bytes::new();
                fill(&mut reader, &mut buf, part_size).await?;
                buf.freeze()
            };
            let len = data.len() as u64;
            if len == 0 {
                break;
            }
            total += len;
            mpu.submit(permit, PartSource::Bytes(data))?;
            if len < part_size {
                break;
            }
        }
        Ok(())
    }
    .await;
    match submitted {
        Ok(()) => mpu.complete(total).await,
        Err(e) => Err(mpu.fail(e).await),
    }
}

/// Reads until `buf` holds `limit` bytes or the reader ends.
async fn fill<R: AsyncRead + Unpin>(reader: &mut R, buf: &mut BytesMut, limit: u64) -> Result<(), TransferError> {
    while (buf.len() as u64) < limit {
        let want = limit - buf.len() as u64;
        buf.reserve(usize::try_from(want.min(8 << 20)).unwrap_or(8 << 20));
        let n = (&mut *reader).take(want).read_buf(buf).await.map_err(TransferError::Read)?;
        if n == 0 {
            break;
        }
    }
    Ok(())
}

/// One `PutObject`, retried as a part is.
async fn put_object(
    shared: &Shared,
    bucket: &str,
    key: &str,
    plan: &UploadPlan,
    source: PartSource,
    progress: Option<&Progress>,
) -> Result<TransferOutput, TransferError> {
    let len = source.len();
    let attempts = shared.config.num_upload_part_attempts;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut params = Value::Map(plan.put.clone());
        params.insert("Bucket", bucket);
        params.insert("Key", key);
        if let Some(body) = source.body() {
            params.insert("Body", Value::Stream(body));
        }
        match shared.call("PutObject", params).await {
            Ok(response) => {
                report(progress, len, 1);
                return Ok(TransferOutput::new(len, 0, response));
            }
            Err(TransferError::Client(e)) if attempt < attempts && part_retryable(&e) => {
                tracing::warn!(bucket, key, attempt, error = %e, "PutObject failed; sending it again");
            }
            Err(e) => return Err(e),
        }
    }
}

/// A finished part.
#[derive(Debug, Clone)]
struct DonePart {
    number: u32,
    etag: String,
    checksum: Option<String>,
    len: u64,
}

/// What every part task of one upload needs.
#[derive(Debug)]
struct PartContext {
    client: Client,
    operation: &'static str,
    bucket: String,
    key: String,
    upload_id: String,
    args: Map,
    algorithm: Option<Algorithm>,
    attempts: u32,
}

/// Aborts the multipart upload when dropped armed (the transfer future was
/// dropped): the abort runs in a task of its own.
struct AbortGuard {
    armed: Option<AbortCall>,
}

#[derive(Debug, Clone)]
struct AbortCall {
    client: Client,
    params: Value,
}

impl AbortCall {
    async fn run(self) {
        let id = self.params["UploadId"].as_str().unwrap_or_default().to_owned();
        match self.client.call("AbortMultipartUpload", self.params).await {
            Ok(_) => tracing::debug!(upload_id = %id, "multipart upload aborted"),
            Err(e) => tracing::warn!(upload_id = %id, error = %e, "could not abort the multipart upload"),
        }
    }
}

impl Drop for AbortGuard {
    fn drop(&mut self) {
        let Some(call) = self.armed.take() else { return };
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                tracing::debug!("transfer dropped: aborting its multipart upload in the background");
                handle.spawn(call.run());
            }
            Err(_) => tracing::warn!(
                upload_id = call.params["UploadId"].as_str().unwrap_or_default(),
                "transfer dropped outside a runtime: its multipart upload could not be aborted"
            ),
        }
    }
}

/// A multipart upload in progress: parts are submitted with a permit each
/// and run as tasks; [`Multipart::complete`] waits for them and completes
/// the upload, [`Multipart::fail`] stops them and aborts it.
pub(crate) struct Multipart {
    shared: Arc<Shared>,
    ctx: Arc<PartContext>,
    tasks: JoinSet<Result<DonePart, TransferError>>,
    done: Vec<DonePart>,
    submitted: u32,
    complete_args: Map,
    full_object: Option<Crc>,
    progress: Option<Progress>,
    guard: AbortGuard,
}

impl Multipart {
    /// `CreateMultipartUpload`; `operation` is the part call
    /// (`UploadPart` or `UploadPartCopy`).
    pub(crate) async fn start(
        shared: &Arc<Shared>,
        bucket: &str,
        key: &str,
        plan: &UploadPlan,
        operation: &'static str,
        progress: Option<Progress>,
    ) -> Result<Multipart, TransferError> {
        let mut params = Value::Map(plan.create.clone());
        params.insert("Bucket", bucket);
        params.insert("Key", key);
        let response = shared.call("CreateMultipartUpload", params).await?;
        let upload_id = response["UploadId"]
            .as_str()
            .ok_or_else(|| TransferError::UnexpectedResponse("CreateMultipartUpload gave no UploadId".into()))?
            .to_owned();
        tracing::debug!(bucket, key, upload_id = %upload_id, "multipart upload created");
        let mut abort = Value::Map(plan.abort.clone());
        abort.insert("Bucket", bucket);
        abort.insert("Key", key);
        abort.insert("UploadId", upload_id.as_str());
        let ctx = PartContext {
            client: shared.client.clone(),
            operation,
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            upload_id,
            args: plan.part.clone(),
            algorithm: plan.algorithm,
            attempts: shared.config.num_upload_part_attempts,
        };
        Ok(Multipart {
            shared: shared.clone(),
            ctx: Arc::new(ctx),
            tasks: JoinSet::new(),
            done: Vec::new(),
            submitted: 0,
            complete_args: plan.complete.clone(),
            full_object: plan.full_object,
            progress,
            guard: AbortGuard { armed: Some(AbortCall { client: shared.client.clone(), params: abort }) },
        })
    }

    /// A permit for the next part, once one is free; a part that failed
    /// meanwhile fails the upload here.
    pub(crate) async fn permit(&mut self) -> Result<OwnedSemaphorePermit, TransferError> {
        loop {
            tokio::select! {
                biased;
                Some(joined) = self.tasks.join_next(), if !self.tasks.is_empty() => self.collect(joined)?,
                permit = self.shared.permits.clone().acquire_owned() => {
                    return permit.map_err(|e| TransferError::Task(e.to_string()));
                }
            }
        }
    }

    /// Starts the next part.
    pub(crate) fn submit(&mut self, permit: OwnedSemaphorePermit, source: PartSource) -> Result<(), TransferError> {
        if u64::from(self.submitted) >= MAX_PARTS {
            return Err(TransferError::InvalidArgument(format!(
                "the upload needs more than {MAX_PARTS} parts: raise multipart_chunksize"
            )));
        }
        self.submitted += 1;
        let number = self.submitted;
        let ctx = self.ctx.clone();
        self.tasks.spawn(async move {
            let done = send_part(&ctx, number, &source).await;
            drop(permit);
            done
        });
        while let Some(joined) = self.tasks.try_join_next() {
            self.collect(joined)?;
        }
        Ok(())
    }

    fn collect(
        &mut self,
        joined: Result<Result<DonePart, TransferError>, tokio::task::JoinError>,
    ) -> Result<(), TransferError> {
        let part = joined??;
        report(self.progress.as_ref(), part.len, 1);
        self.done.push(part);
        Ok(())
    }

    /// Waits for every part and completes the upload of `total` bytes;
    /// aborts it on failure.
    pub(crate) async fn complete(mut self, total: u64) -> Result<TransferOutput, TransferError> {
        while let Some(joined) = self.tasks.join_next().await {
            if let Err(e) = self.collect(joined) {
                return Err(self.fail(e).await);
            }
        }
        match self.finish(total).await {
            Ok(out) => Ok(out),
            Err(e) => Err(self.fail(e).await),
        }
    }

    async fn finish(&mut self, total: u64) -> Result<TransferOutput, TransferError> {
        self.done.sort_by_key(|p| p.number);
        let member = self.ctx.algorithm.map(checksum::member);
        let parts: Vec<Value> = self
            .done
            .iter()
            .map(|p| {
                let mut v = boto_core::params!({ "ETag": p.etag.as_str(), "PartNumber": p.number });
                if let (Some(m), Some(c)) = (member, &p.checksum) {
                    v.insert(m, c.as_str());
                }
                v
            })
            .collect();
        let mut params = Value::Map(self.complete_args.clone());
        params.insert("Bucket", self.ctx.bucket.as_str());
        params.insert("Key", self.ctx.key.as_str());
        params.insert("UploadId", self.ctx.upload_id.as_str());
        params.insert("MultipartUpload", boto_core::params!({ "Parts": parts }));
        if let Some(crc) = self.full_object {
            let value = self.full_object_crc(crc)?;
            params.insert(crc.member(), value);
            params.insert("ChecksumType", "FULL_OBJECT");
        }
        let response = self.shared.call("CompleteMultipartUpload", params).await?;
        self.guard.armed = None;
        tracing::debug!(upload_id = %self.ctx.upload_id, parts = self.done.len(), "multipart upload complete");
        Ok(TransferOutput::new(total, self.done.len() as u32, response))
    }

    /// The whole object's CRC, combined from the part CRCs S3 returned.
    fn full_object_crc(&self, crc: Crc) -> Result<String, TransferError> {
        let mut acc = crc.empty();
        for p in &self.done {
            let value = p.checksum.as_deref().and_then(|c| crc.decode(c)).ok_or_else(|| {
                TransferError::UnexpectedResponse(format!("part {} came back without its {}", p.number, crc.member()))
            })?;
            acc = crc.combine(acc, value, p.len);
        }
        Ok(crc.encode(acc))
    }

    /// Stops the parts in flight, aborts the upload and gives `err` back.
    pub(crate) async fn fail(mut self, err: TransferError) -> TransferError {
        tracing::debug!(upload_id = %self.ctx.upload_id, error = %err, "multipart upload failed; aborting it");
        self.tasks.abort_all();
        while self.tasks.join_next().await.is_some() {}
        if let Some(call) = self.guard.armed.take() {
            call.run().await;
        }
        err
    }
}

/// A file part read into memory, once: its checksum, the SHA-256 of its
/// signature and the request body then use the same bytes instead of
/// reading the file for each (three reads of every byte for a signed
/// upload), and a resend reuses them. At most `max_concurrency` parts are in
/// flight, so memory stays within concurrency x part size. `None`: the part
/// is sent from where it is.
async fn load(source: &PartSource) -> Result<Option<PartSource>, TransferError> {
    let PartSource::File { path, offset, len } = source else { return Ok(None) };
    if *len == 0 {
        return Ok(None);
    }
    // Read on tokio's blocking pool: an 8 MiB read from a cold disk would
    // otherwise hold up the runtime's other tasks.
    let (path, offset, len) = (path.clone(), *offset, *len);
    match tokio::task::spawn_blocking(move || boto_core::body::read_file_range(&path, offset, len)).await? {
        Ok(bytes) => Ok(Some(PartSource::Bytes(bytes))),
        Err(boto_core::body::BodyError::File { path, source }) => {
            Err(TransferError::File { action: "read", path, source })
        }
        Err(e) => Err(TransferError::Body(Box::new(e))),
    }
}

/// Sends one part, again when it fails in a way a resend may fix.
async fn send_part(ctx: &PartContext, number: u32, source: &PartSource) -> Result<DonePart, TransferError> {
    let loaded = load(source).await?;
    let source = loaded.as_ref().unwrap_or(source);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut params = Value::Map(ctx.args.clone());
        params.insert("Bucket", ctx.bucket.as_str());
        params.insert("Key", ctx.key.as_str());
        params.insert("UploadId", ctx.upload_id.as_str());
        params.insert("PartNumber", number);
        match source {
            PartSource::Copy { range, .. } => {
                params.insert("CopySourceRange", range.as_str());
            }
            other => {
                if let Some(body) = other.body() {
                    params.insert("Body", Value::Stream(body));
                }
            }
        }
        match ctx.client.call(ctx.operation, params).await {
            Ok(response) => {
                let result = if ctx.operation == "UploadPartCopy" { &response["CopyPartResult"] } else { &response };
                let etag = result["ETag"].as_str().ok_or_else(|| {
                    TransferError::UnexpectedResponse(format!("{} of part {number} gave no ETag", ctx.operation))
                })?;
                let checksum = ctx.algorithm.and_then(|a| result[checksum::member(a)].as_str()).map(str::to_owned);
                return Ok(DonePart { number, etag: etag.to_owned(), checksum, len: source.len() });
            }
            Err(e) if attempt < ctx.attempts && part_retryable(&e) => {
                tracing::warn!(part = number, attempt, error = %e, "part failed; sending it again");
            }
            Err(e) if attempt > 1 => {
                return Err(TransferError::RetriesExceeded {
                    what: format!("part {number}"),
                    attempts: attempt,
                    source: Box::new(e.into()),
                })
            }
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s3::transfer::TransferConfig;

    fn shared() -> Shared {
        let client = Client::builder("s3")
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:9")
            .credentials(boto_core::credentials::Credentials::new("a", "b", None))
            .build()
            .unwrap();
        Shared { client, config: TransferConfig::default(), permits: Arc::new(tokio::sync::Semaphore::new(1)) }
    }

    #[test]
    fn plans_split_arguments_as_s3transfer() {
        let s = shared();
        let args = ExtraArgs::new().content_type("a/b").set("SSECustomerKey", "k").set("RequestPayer", "requester");
        let plan = UploadPlan::new(&s, &args).unwrap();
        assert_eq!(plan.put["ChecksumAlgorithm"].as_str(), Some("CRC32"));
        assert_eq!(plan.create["ContentType"].as_str(), Some("a/b"));
        assert!(plan.part.get("ContentType").is_none());
        assert_eq!(plan.part["ChecksumAlgorithm"].as_str(), Some("CRC32"));
        assert!(plan.part.contains_key("SSECustomerKey") && plan.complete.contains_key("SSECustomerKey"));
        assert_eq!(plan.abort.keys().collect::<Vec<_>>(), vec!["RequestPayer"]);
        assert_eq!(plan.algorithm, Some(Algorithm::Crc32));
        assert!(plan.full_object.is_none());

        let plan = UploadPlan::new(&s, &ExtraArgs::new().set("ChecksumCRC32C", "AAAAAA==")).unwrap();
        assert!(plan.put.get("ChecksumAlgorithm").is_none());
        assert_eq!(plan.create["ChecksumType"].as_str(), Some("FULL_OBJECT"));
        assert_eq!(plan.create["ChecksumAlgorithm"].as_str(), Some("CRC32C"));
        assert!(plan.create.get("ChecksumCRC32C").is_none());
        assert_eq!(plan.complete["ChecksumCRC32C"].as_str(), Some("AAAAAA=="));
        assert!(plan.full_object.is_none());

        let plan = UploadPlan::new(&s, &ExtraArgs::new().checksum_type("FULL_OBJECT")).unwrap();
        assert_eq!(plan.full_object.map(|c| c.algorithm), Some(Algorithm::Crc32));
        assert!(plan.put.get("ChecksumType").is_none());
        let sha = ExtraArgs::new().checksum_type("FULL_OBJECT").checksum_algorithm("SHA256");
        assert!(UploadPlan::new(&s, &sha).is_err());
        assert!(UploadPlan::new(&s, &ExtraArgs::new().checksum_algorithm("XX")).is_err());
        assert!(UploadPlan::new(&s, &ExtraArgs::new().set("VersionId", "1")).is_err());
    }
}
