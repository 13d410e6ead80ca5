//! Flexible checksums (the `httpChecksum` trait): which checksum a request
//! carries, computing it, and validating response checksums, as botocore
//! 1.44.5's `httpchecksum` module does.

mod algorithm;
mod plan;
mod validate;

pub use algorithm::{Algorithm, Hasher};
pub use plan::{request_plan, response_algorithms, set_validation_mode, Location, RequestPlan};
pub use validate::{validate_bytes, ValidatingStream};

pub use crate::config::ChecksumMode;

/// Why a checksum could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecksumError {
    /// The caller asked for an algorithm boto-rs does not know.
    #[error("unsupported checksum algorithm: {0}")]
    Unsupported(String),
    /// The body did not match the checksum the service sent.
    #[error("expected checksum {expected} did not match calculated checksum: {actual} ({algorithm})")]
    Mismatch {
        /// The algorithm.
        algorithm: &'static str,
        /// The checksum in the response.
        expected: String,
        /// The checksum of the body received.
        actual: String,
    },
}

#[cfg(test)]
mod tests;
