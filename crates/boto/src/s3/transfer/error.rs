//! [`TransferError`]: why a transfer failed.

use std::path::PathBuf;

/// Why a managed transfer failed. A failed upload leaves no multipart upload
/// behind (it is aborted) and a failed download leaves no file at the
/// target. Never carries a secret (SSE-C keys are redacted everywhere).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransferError {
    /// A bad setting or extra argument (unknown argument, zero concurrency,
    /// a source that is not a file, too many parts).
    #[error("invalid transfer argument: {0}")]
    InvalidArgument(String),
    /// A call to S3 failed (after the client's retries).
    #[error(transparent)]
    Client(#[from] boto_core::Error),
    /// A local file could not be read, created, written or renamed.
    #[error("cannot {action} {}: {source}", path.display())]
    File {
        /// What was being done (`read`, `create`, `write`, `rename`).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// Reading the upload source (a reader) failed.
    #[error("cannot read the upload source: {0}")]
    Read(#[source] std::io::Error),
    /// Writing the download to its writer failed.
    #[error("cannot write the download: {0}")]
    Write(#[source] std::io::Error),
    /// An object's body failed while it was being read (connection reset,
    /// timeout, truncated, or a checksum mismatch found by the client).
    #[error("the object body could not be read: {0}")]
    Body(#[source] boto_core::body::BoxError),
    /// The object changed while it was being downloaded or copied: its ETag
    /// no longer matches the one the transfer started with.
    #[error("s3://{bucket}/{key} changed during the transfer (its ETag is no longer {etag})")]
    ObjectChanged {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
        /// The ETag the transfer pinned.
        etag: String,
    },
    /// The data received does not match the object's checksum.
    #[error("checksum mismatch for s3://{bucket}/{key} ({algorithm}): expected {expected}, computed {actual}")]
    ChecksumMismatch {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
        /// The algorithm and kind (`crc32`, `crc32 composite`).
        algorithm: String,
        /// The checksum S3 holds.
        expected: String,
        /// The checksum of the data received.
        actual: String,
    },
    /// S3's answer did not fit the request (a missing ETag, a wrong
    /// `Content-Range`, a body longer than announced).
    #[error("unexpected response from S3: {0}")]
    UnexpectedResponse(String),
    /// A range or part failed on every attempt; the last error is kept.
    #[error("{what} failed after {attempts} attempts: {source}")]
    RetriesExceeded {
        /// The range or part (`bytes=0-8388607`, `part 3`).
        what: String,
        /// Attempts made.
        attempts: u32,
        /// The last attempt's error.
        source: Box<TransferError>,
    },
    /// A worker task of the transfer ended abnormally (it panicked or its
    /// runtime shut down).
    #[error("a transfer task ended abnormally: {0}")]
    Task(String),
}

impl TransferError {
    /// The S3 error code, when S3 answered with an error.
    pub fn code(&self) -> Option<&str> {
        match self {
            TransferError::Client(e) => e.code(),
            TransferError::RetriesExceeded { source, .. } => source.code(),
            _ => None,
        }
    }

    pub(crate) fn file(action: &'static str, path: &std::path::Path) -> impl FnOnce(std::io::Error) -> TransferError {
        let path = path.to_path_buf();
        move |source| TransferError::File { action, path, source }
    }
}

impl From<tokio::task::JoinError> for TransferError {
    fn from(e: tokio::task::JoinError) -> TransferError {
        TransferError::Task(e.to_string())
    }
}
