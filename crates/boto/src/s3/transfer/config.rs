//! [`TransferConfig`]: s3transfer's knobs, and the part-size rules S3 imposes.

use super::TransferError;

/// One mebibyte.
pub const MIB: u64 = 1024 * 1024;
/// The smallest part S3 accepts (but for the last one): 5 MiB.
pub const MIN_PART_SIZE: u64 = 5 * MIB;
/// The largest part S3 accepts: 5 GiB.
pub const MAX_PART_SIZE: u64 = 5 * 1024 * MIB;
/// The most parts a multipart upload may have.
pub const MAX_PARTS: u64 = 10_000;

/// How transfers are split and run, with s3transfer's defaults.
///
/// ```
/// use boto::s3::transfer::TransferConfig;
/// let config = TransferConfig { max_concurrency: 16, ..TransferConfig::default() };
/// assert_eq!(config.multipart_threshold, 8 * 1024 * 1024);
/// // A 100 GiB file in 8 MiB parts would need 12,800 parts: the part size doubles.
/// assert_eq!(config.part_size(Some(100 << 30)), 16 * 1024 * 1024);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferConfig {
    /// Objects of this size or more are uploaded, downloaded and copied in
    /// parts (8 MiB).
    pub multipart_threshold: u64,
    /// The part size (8 MiB). Uploads and copies adjust it to S3's limits:
    /// at least 5 MiB, at most 5 GiB, at most 10,000 parts (doubling it
    /// until the object fits). Ranged downloads use it as is.
    pub multipart_chunksize: u64,
    /// Requests in flight at once, over every transfer of a
    /// [`TransferManager`](super::TransferManager) (10). Raise the client's
    /// `max_pool_connections` to match when going above 10.
    pub max_concurrency: usize,
    /// Attempts per downloaded range (5): a failed or truncated body, a
    /// timeout or a checksum mismatch is retried this many times, on top of
    /// the client's own retries of the request.
    pub num_download_attempts: u32,
    /// Attempts per uploaded or copied part (3; a boto-rs knob): a part whose
    /// body could not be sent or arrived damaged (`BadDigest`, a checksum
    /// mismatch, a connection failure that outlived the client's retries)
    /// is sent again this many times.
    pub num_upload_part_attempts: u32,
}

impl Default for TransferConfig {
    fn default() -> TransferConfig {
        TransferConfig {
            multipart_threshold: 8 * MIB,
            multipart_chunksize: 8 * MIB,
            max_concurrency: 10,
            num_download_attempts: 5,
            num_upload_part_attempts: 3,
        }
    }
}

impl TransferConfig {
    /// Checks that every setting is above zero (s3transfer's rule).
    pub fn validate(&self) -> Result<(), TransferError> {
        let zero = [
            ("multipart_threshold", self.multipart_threshold == 0),
            ("multipart_chunksize", self.multipart_chunksize == 0),
            ("max_concurrency", self.max_concurrency == 0),
            ("num_download_attempts", self.num_download_attempts == 0),
            ("num_upload_part_attempts", self.num_upload_part_attempts == 0),
        ];
        match zero.iter().find(|(_, z)| *z) {
            Some((name, _)) => Err(TransferError::InvalidArgument(format!("{name} must be greater than 0"))),
            None => Ok(()),
        }
    }

    /// The part size for an upload or copy of `size` bytes (`None` when
    /// unknown): the chunk size, doubled until the parts fit in 10,000,
    /// then held between 5 MiB and 5 GiB (s3transfer's `ChunksizeAdjuster`).
    pub fn part_size(&self, size: Option<u64>) -> u64 {
        let mut chunk = self.multipart_chunksize.max(1);
        if let Some(size) = size {
            while size.div_ceil(chunk) > MAX_PARTS {
                chunk = chunk.saturating_mul(2);
            }
        }
        chunk.clamp(MIN_PART_SIZE, MAX_PART_SIZE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_sizes_follow_s3transfer() {
        let c = TransferConfig::default();
        assert_eq!(c.part_size(Some(0)), 8 * MIB);
        assert_eq!(c.part_size(Some(80_000 * MIB)), 8 * MIB);
        assert_eq!(c.part_size(Some(80_000 * MIB + 1)), 16 * MIB);
        assert_eq!(c.part_size(None), 8 * MIB);
        let small = TransferConfig { multipart_chunksize: 1, ..c.clone() };
        assert_eq!(small.part_size(Some(10)), MIN_PART_SIZE);
        let big = TransferConfig { multipart_chunksize: 6 * 1024 * MIB, ..c.clone() };
        assert_eq!(big.part_size(None), MAX_PART_SIZE);
        // 5 TiB, the largest object: 8 MiB doubles to 1 GiB.
        assert_eq!(c.part_size(Some(5 << 40)), 1024 * MIB);
        assert!((5u64 << 40).div_ceil(c.part_size(Some(5 << 40))) <= MAX_PARTS);
    }

    #[test]
    fn zero_settings_are_refused() {
        assert!(TransferConfig::default().validate().is_ok());
        let bad = TransferConfig { max_concurrency: 0, ..TransferConfig::default() };
        assert!(bad.validate().unwrap_err().to_string().contains("max_concurrency"));
    }
}
