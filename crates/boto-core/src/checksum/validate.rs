//! Validating response checksums, for buffered and streamed bodies.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::HeaderMap;

use super::{Algorithm, ChecksumError, Hasher};
use crate::body::{BoxError, ByteStream};

/// The first of `algorithms` whose checksum header the response carries,
/// with the expected value. Composite checksums (`...-3`, from multipart
/// uploads) cannot be checked against the body and are skipped.
pub(crate) fn pick(headers: &HeaderMap, algorithms: &[Algorithm]) -> Option<(Algorithm, String)> {
    algorithms.iter().find_map(|a| {
        let value = headers.get(a.header())?.to_str().ok()?;
        (!value.contains('-')).then(|| (*a, value.to_owned()))
    })
}

/// Checks a buffered body; `Ok(Some(algorithm))` when a checksum was
/// checked, `Ok(None)` when the response carried none of `algorithms`.
pub fn validate_bytes(
    headers: &HeaderMap,
    body: &[u8],
    algorithms: &[Algorithm],
) -> Result<Option<Algorithm>, ChecksumError> {
    let Some((algorithm, expected)) = pick(headers, algorithms) else { return Ok(None) };
    let actual = algorithm.checksum(body);
    if actual != expected {
        return Err(ChecksumError::Mismatch { algorithm: algorithm.name(), expected, actual });
    }
    Ok(Some(algorithm))
}

/// A streamed body that checks its checksum at the end: the last read
/// fails with a [`ChecksumError::Mismatch`] instead of ending cleanly when
/// the body does not match.
pub struct ValidatingStream {
    inner: ByteStream,
    hasher: Option<Hasher>,
    algorithm: Algorithm,
    expected: String,
}

impl ValidatingStream {
    /// Wraps `inner` when the response carries one of `algorithms`;
    /// otherwise gives `inner` back.
    pub fn wrap(inner: ByteStream, headers: &HeaderMap, algorithms: &[Algorithm]) -> ByteStream {
        match pick(headers, algorithms) {
            None => inner,
            Some((algorithm, expected)) => {
                Box::pin(ValidatingStream { inner, hasher: Some(algorithm.hasher()), algorithm, expected })
            }
        }
    }
}

impl Stream for ValidatingStream {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                if let Some(h) = &mut this.hasher {
                    h.update(&chunk);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) => match this.hasher.take() {
                None => Poll::Ready(None),
                Some(h) => {
                    let actual = h.finish_base64();
                    if actual == this.expected {
                        Poll::Ready(None)
                    } else {
                        let err = ChecksumError::Mismatch {
                            algorithm: this.algorithm.name(),
                            expected: this.expected.clone(),
                            actual,
                        };
                        Poll::Ready(Some(Err(Box::new(err))))
                    }
                }
            },
            other => other,
        }
    }
}
