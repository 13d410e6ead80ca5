//! Managed S3 transfers, as boto3's `s3transfer`: uploads and downloads of
//! files and streams and copies between objects, split into parts sent in
//! parallel when the object is large.
//!
//! * **Uploads** ([`TransferManager::upload_file`],
//!   [`TransferManager::upload_fileobj`]): below
//!   [`multipart_threshold`](TransferConfig::multipart_threshold) one
//!   `PutObject`; above it a multipart upload whose parts go out
//!   [`max_concurrency`](TransferConfig::max_concurrency) at a time. File
//!   parts are sent as file ranges, read while they are sent, never held in
//!   memory; parts of a reader are read one part ahead, so at most
//!   `max_concurrency` parts are in memory. Every part carries a CRC32
//!   checksum (s3transfer's default; any `ChecksumAlgorithm`, composite or
//!   `FULL_OBJECT`), `CompleteMultipartUpload` lists the part checksums, a
//!   part is retried on its own, and a failed or cancelled upload is
//!   aborted (`AbortMultipartUpload`), also when its future is dropped.
//! * **Downloads** ([`TransferManager::download_file`],
//!   [`TransferManager::download_fileobj`]): `HeadObject`, then one
//!   `GetObject` or parallel ranged ones pinned to the first ETag with
//!   `If-Match`, each written at its offset into a temporary file beside the
//!   target, renamed over it on success (a failed download leaves nothing at
//!   the target). Every range is retried
//!   [`num_download_attempts`](TransferConfig::num_download_attempts) times
//!   and checked against the object's CRC (full-object or composite).
//! * **Copies** ([`TransferManager::copy`]): `CopyObject`, or
//!   `UploadPartCopy` in parallel above the threshold, with the source's
//!   metadata and tags carried over as s3transfer does. The source is read
//!   (`HeadObject`, `GetObjectTagging`) with the destination's client, or
//!   with a [`SourceClient`] of its own (boto3's `SourceClient`), e.g. one
//!   for the source bucket's region.
//! * **Progress** ([`Progress`]): a callback with the bytes transferred,
//!   negative when a retried range takes bytes back.
//!
//! A [`TransferManager`] owns a client and a [`TransferConfig`]; its
//! `max_concurrency` bounds the requests in flight over all the transfers
//! it runs at once. The free functions ([`upload_file`], [`download_file`],
//! ...) take a client, bucket and key, for callers such as the resource
//! layer's `Bucket` and `Object`. [`blocking::TransferManager`] wraps the
//! same calls for synchronous code.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use boto::s3::transfer::{ExtraArgs, Progress, TransferConfig, TransferManager, TransferOptions};
//!
//! let s3 = boto::boto_core::Client::builder("s3").region("eu-west-1").build()?;
//! let manager = TransferManager::new(s3, TransferConfig { max_concurrency: 8, ..TransferConfig::default() })?;
//! let options = TransferOptions::new()
//!     .extra_args(ExtraArgs::new().content_type("application/x-tar").storage_class("STANDARD_IA"))
//!     .progress(Progress::new(|n| eprintln!("{n:+} bytes")));
//! let out = manager.upload_file("backup.tar", "my-bucket", "backups/backup.tar", options).await?;
//! println!("uploaded {} bytes in {} parts, ETag {:?}", out.bytes, out.parts, out.etag);
//! # Ok(()) }
//! ```

mod args;
pub mod blocking;
mod checksum;
mod config;
mod copy;
mod download;
mod error;
mod progress;
mod upload;

use std::path::Path;
use std::sync::Arc;

use boto_core::{Client, Value};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::Semaphore;

pub use args::{ExtraArgs, ALLOWED_COPY_ARGS, ALLOWED_DOWNLOAD_ARGS, ALLOWED_UPLOAD_ARGS};
pub use config::{TransferConfig, MAX_PARTS, MAX_PART_SIZE, MIB, MIN_PART_SIZE};
pub use error::TransferError;
pub use progress::Progress;

/// What a finished transfer reports.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TransferOutput {
    /// Bytes transferred (the object's size).
    pub bytes: u64,
    /// Parts or ranges used; 0 for a single request.
    pub parts: u32,
    /// The ETag of the object written or read.
    pub etag: Option<String>,
    /// The version id of the object written or read, when versioned.
    pub version_id: Option<String>,
    /// For ranged downloads, the checksum the transfer verified from the
    /// ranges it received (`crc32`, `crc32 composite of 13 parts`); `None`
    /// when the object has no CRC to check against, and for a single
    /// `GetObject`, which the client itself checks against the object's
    /// full-object checksum.
    pub checksum_verified: Option<String>,
    /// The answer of the call that finished the transfer (`PutObject`,
    /// `CompleteMultipartUpload`, `CopyObject`, or the download's
    /// `HeadObject`), with `ResponseMetadata`.
    pub response: Value,
}

impl TransferOutput {
    fn new(bytes: u64, parts: u32, response: Value) -> TransferOutput {
        let etag = response["ETag"].as_str().map(str::to_owned);
        let version_id = response["VersionId"].as_str().map(str::to_owned);
        TransferOutput { bytes, parts, etag, version_id, checksum_verified: None, response }
    }
}

/// The options of one transfer: boto3's `ExtraArgs` and `Callback`, and
/// for copies its `SourceClient`.
#[derive(Debug, Clone, Default)]
pub struct TransferOptions {
    /// Extra arguments of the S3 calls.
    pub extra_args: ExtraArgs,
    /// A progress callback.
    pub progress: Option<Progress>,
    /// For copies only (boto3's `SourceClient`): the client that reads the
    /// source object; `None` reads it with the destination's client.
    /// Uploads and downloads refuse it.
    pub source_client: Option<SourceClient>,
}

impl TransferOptions {
    /// No extra arguments, no callback.
    pub fn new() -> TransferOptions {
        TransferOptions::default()
    }

    /// Sets the extra arguments.
    pub fn extra_args(mut self, args: ExtraArgs) -> TransferOptions {
        self.extra_args = args;
        self
    }

    /// Sets the progress callback.
    pub fn progress(mut self, progress: Progress) -> TransferOptions {
        self.progress = Some(progress);
        self
    }

    /// Reads a copy's source with `client` (boto3's `SourceClient`): an
    /// async [`Client`] or a blocking [`boto_core::blocking::Client`]. See
    /// [`SourceClient`].
    pub fn source_client(mut self, client: impl Into<SourceClient>) -> TransferOptions {
        self.source_client = Some(client.into());
        self
    }

    /// Fails for a transfer that has no source to read with another client.
    fn no_source_client(&self, transfer: &str) -> Result<(), TransferError> {
        match self.source_client {
            Some(_) => Err(TransferError::InvalidArgument(format!(
                "a source client is for copies only, not for {transfer} (boto3's SourceClient)"
            ))),
            None => Ok(()),
        }
    }
}

/// The client a managed copy reads its source with: boto3's
/// `SourceClient`, "the client to be used for operations that may happen
/// at the source object". It makes the `HeadObject` that learns the
/// source's size (and so whether one `CopyObject` or a multipart
/// `UploadPartCopy` copy is made) and, for a multipart copy, the
/// `GetObjectTagging` that carries the source's tags over. The copy itself
/// (`CopyObject`, `UploadPartCopy`, ...) goes through the destination's
/// client. Use it when the source bucket is in another region, or needs
/// other credentials to read.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use boto::s3::transfer::{CopySource, TransferConfig, TransferManager, TransferOptions};
///
/// let dest = boto::boto_core::Client::builder("s3").region("us-east-1").build()?;
/// let source = boto::boto_core::Client::builder("s3").region("ap-southeast-2").build()?;
/// let manager = TransferManager::new(dest, TransferConfig::default())?;
/// let options = TransferOptions::new().source_client(source);
/// manager.copy(&CopySource::new("bucket-in-sydney", "data.bin"), "bucket-in-virginia", "data.bin", options).await?;
/// # Ok(()) }
/// ```
///
/// A blocking client's calls run on its own runtime (on a thread of their
/// own when the copy runs elsewhere), so any blocking client can serve any
/// copy; an async client runs on the runtime the copy runs on, so give a
/// blocking copy a blocking source client.
#[derive(Debug, Clone)]
pub enum SourceClient {
    /// An async client.
    Async(Client),
    /// A blocking client.
    Blocking(boto_core::blocking::Client),
}

impl From<Client> for SourceClient {
    fn from(client: Client) -> SourceClient {
        SourceClient::Async(client)
    }
}

impl From<boto_core::blocking::Client> for SourceClient {
    fn from(client: boto_core::blocking::Client) -> SourceClient {
        SourceClient::Blocking(client)
    }
}

/// The object a copy reads: boto3's `CopySource` dict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySource {
    /// The source bucket.
    pub bucket: String,
    /// The source key.
    pub key: String,
    /// A version of the source, when not the latest.
    pub version_id: Option<String>,
}

impl CopySource {
    /// The latest version of `bucket`/`key`.
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> CopySource {
        CopySource { bucket: bucket.into(), key: key.into(), version_id: None }
    }

    /// A given version.
    pub fn version(mut self, version_id: impl Into<String>) -> CopySource {
        self.version_id = Some(version_id.into());
        self
    }

    /// The `CopySource` parameter (a map the client encodes).
    pub(crate) fn to_value(&self) -> Value {
        let mut v = boto_core::params!({ "Bucket": self.bucket.as_str(), "Key": self.key.as_str() });
        if let Some(id) = &self.version_id {
            v.insert("VersionId", id.as_str());
        }
        v
    }
}

/// What the transfers of one manager share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) client: Client,
    pub(crate) config: TransferConfig,
    /// One permit per request in flight.
    pub(crate) permits: Arc<Semaphore>,
}

impl Shared {
    /// One call, counted against the concurrency limit.
    pub(crate) async fn call(&self, operation: &str, params: Value) -> Result<Value, TransferError> {
        let _permit = self.permits.acquire().await.map_err(|e| TransferError::Task(e.to_string()))?;
        Ok(self.client.call(operation, params).await?)
    }

    /// One call with `source` (the destination's client when `None`),
    /// counted against the concurrency limit.
    pub(crate) async fn call_source(
        &self,
        source: Option<&SourceClient>,
        operation: &'static str,
        params: Value,
    ) -> Result<Value, TransferError> {
        let client = match source {
            None => return self.call(operation, params).await,
            Some(client) => client,
        };
        let _permit = self.permits.acquire().await.map_err(|e| TransferError::Task(e.to_string()))?;
        match client {
            SourceClient::Async(client) => Ok(client.call(operation, params).await?),
            SourceClient::Blocking(client) => {
                // Its connection pool belongs to its runtime: call it there,
                // from a thread that is in no runtime.
                let (tx, rx) = tokio::sync::oneshot::channel();
                let client = client.clone();
                std::thread::Builder::new()
                    .name("boto-copy-source".into())
                    .spawn(move || {
                        let _ = tx.send(client.call(operation, params));
                    })
                    .map_err(|e| TransferError::Task(format!("cannot start the source client's thread: {e}")))?;
                let answer =
                    rx.await.map_err(|_| TransferError::Task("the source client's thread gave no answer".into()))?;
                Ok(answer?)
            }
        }
    }
}

/// Runs managed transfers over one S3 client. Cheap to clone; clones share
/// the concurrency limit. See the [module documentation](self).
#[derive(Debug, Clone)]
pub struct TransferManager {
    shared: Arc<Shared>,
}

impl TransferManager {
    /// A manager for `client` (an S3 client) with `config`; fails when a
    /// setting is zero.
    pub fn new(client: Client, config: TransferConfig) -> Result<TransferManager, TransferError> {
        config.validate()?;
        let permits = Arc::new(Semaphore::new(config.max_concurrency));
        Ok(TransferManager { shared: Arc::new(Shared { client, config, permits }) })
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.shared.client
    }

    /// The configuration.
    pub fn config(&self) -> &TransferConfig {
        &self.shared.config
    }

    /// Uploads a file to `bucket`/`key` (boto3's `upload_file`).
    pub async fn upload_file(
        &self,
        path: impl AsRef<Path>,
        bucket: &str,
        key: &str,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        options.no_source_client("upload_file")?;
        upload::upload_file(&self.shared, path.as_ref(), bucket, key, options).await
    }

    /// Uploads everything `reader` gives (boto3's `upload_fileobj`); the
    /// reader need not be seekable nor its length known. Reads one part
    /// ahead of the parts in flight, so at most `max_concurrency` parts
    /// (and the first `multipart_threshold` bytes) are in memory.
    pub async fn upload_fileobj<R>(
        &self,
        reader: R,
        bucket: &str,
        key: &str,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError>
    where
        R: AsyncRead + Unpin + Send,
    {
        options.no_source_client("upload_fileobj")?;
        upload::upload_reader(&self.shared, reader, bucket, key, options).await
    }

    /// Downloads `bucket`/`key` to a file (boto3's `download_file`). The
    /// data goes to a temporary file in the target's directory, renamed to
    /// `path` once complete and checked; on failure nothing is left.
    pub async fn download_file(
        &self,
        bucket: &str,
        key: &str,
        path: impl AsRef<Path>,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        options.no_source_client("download_file")?;
        download::download_file(&self.shared, bucket, key, path.as_ref(), options).await
    }

    /// Downloads `bucket`/`key` into `writer`, in order (boto3's
    /// `download_fileobj`). Ranges are fetched in parallel and written in
    /// order; at most `max_concurrency` ranges are held in memory. On
    /// failure the writer may hold part of the object.
    pub async fn download_fileobj<W>(
        &self,
        bucket: &str,
        key: &str,
        writer: &mut W,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError>
    where
        W: AsyncWrite + Unpin + Send,
    {
        options.no_source_client("download_fileobj")?;
        download::download_writer(&self.shared, bucket, key, writer, options).await
    }

    /// Copies `source` to `bucket`/`key` (boto3's `copy`): `CopyObject`
    /// below the threshold, parallel `UploadPartCopy` above it. The source
    /// is read with `options.source_client` when set (boto3's
    /// `SourceClient`, see [`SourceClient`]), else with this manager's
    /// client; the copy requests always go through this manager's client.
    pub async fn copy(
        &self,
        source: &CopySource,
        bucket: &str,
        key: &str,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        copy::copy(&self.shared, source, bucket, key, options).await
    }
}

/// Uploads a file with `client` (boto3's `S3.Client.upload_file`).
pub async fn upload_file(
    client: &Client,
    path: impl AsRef<Path>,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
    options: TransferOptions,
) -> Result<TransferOutput, TransferError> {
    TransferManager::new(client.clone(), config.clone())?.upload_file(path, bucket, key, options).await
}

/// Uploads a reader's content with `client` (boto3's `upload_fileobj`).
pub async fn upload_fileobj<R>(
    client: &Client,
    reader: R,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
    options: TransferOptions,
) -> Result<TransferOutput, TransferError>
where
    R: AsyncRead + Unpin + Send,
{
    TransferManager::new(client.clone(), config.clone())?.upload_fileobj(reader, bucket, key, options).await
}

/// Downloads an object to a file with `client` (boto3's `download_file`).
pub async fn download_file(
    client: &Client,
    bucket: &str,
    key: &str,
    path: impl AsRef<Path>,
    config: &TransferConfig,
    options: TransferOptions,
) -> Result<TransferOutput, TransferError> {
    TransferManager::new(client.clone(), config.clone())?.download_file(bucket, key, path, options).await
}

/// Downloads an object into a writer with `client` (boto3's
/// `download_fileobj`).
pub async fn download_fileobj<W>(
    client: &Client,
    bucket: &str,
    key: &str,
    writer: &mut W,
    config: &TransferConfig,
    options: TransferOptions,
) -> Result<TransferOutput, TransferError>
where
    W: AsyncWrite + Unpin + Send,
{
    TransferManager::new(client.clone(), config.clone())?.download_fileobj(bucket, key, writer, options).await
}

/// Copies an object with `client` (boto3's `S3.Client.copy`).
pub async fn copy(
    client: &Client,
    source: &CopySource,
    bucket: &str,
    key: &str,
    config: &TransferConfig,
    options: TransferOptions,
) -> Result<TransferOutput, TransferError> {
    TransferManager::new(client.clone(), config.clone())?.copy(source, bucket, key, options).await
}
