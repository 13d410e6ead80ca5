//! Flexible checksums (the `httpChecksum` trait): which checksum a request
//! carries, computing it, and validating response checksums, as botocore
//! 1.44.5's `httpchecksum` module does.

mod algorithm;
mod plan;
mod validate;

pub use algorithm::{Algorithm, Hasher};
pub use plan::{request_plan, response_algorithms, set_validation_mode, Location, RequestPlan};
pub use validate::{validate_bytes, ValidatingStream};

/// When request checksums are computed (`request_checksum_calculation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestChecksumCalculation {
    /// For every operation that supports a checksum (the default).
    #[default]
    WhenSupported,
    /// Only for operations that require one.
    WhenRequired,
}

/// When response checksums are validated (`response_checksum_validation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseChecksumValidation {
    /// For every operation that supports it (the default).
    #[default]
    WhenSupported,
    /// Only when the caller turns validation on for the call.
    WhenRequired,
}

impl RequestChecksumCalculation {
    /// Parses `when_supported` or `when_required` (any case).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "when_supported" => Some(Self::WhenSupported),
            "when_required" => Some(Self::WhenRequired),
            _ => None,
        }
    }
}

impl ResponseChecksumValidation {
    /// Parses `when_supported` or `when_required` (any case).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "when_supported" => Some(Self::WhenSupported),
            "when_required" => Some(Self::WhenRequired),
            _ => None,
        }
    }
}

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
