//! aws-chunked bodies with a trailing checksum (S3 flexible checksums on
//! streaming uploads), as botocore's `AwsChunkedWrapper`.
//!
//! Each chunk goes out as `hex(len)\r\n<bytes>\r\n`; the last is
//! `0\r\n<x-amz-checksum-name>:<base64 checksum>\r\n\r\n` (or `0\r\n\r\n`
//! without a checksum). The request says `Content-Encoding: aws-chunked`,
//! `X-Amz-Trailer`, `X-Amz-Decoded-Content-Length` and
//! `x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`, which the
//! signers keep as the payload hash (anonymous requests send it too).
//!
//! The wrapper re-chunks the body to a fixed size, so the encoded length is
//! known whenever the body's length is: then the request carries that
//! `Content-Length` (valid over HTTP/1.1 and HTTP/2) instead of botocore's
//! `Transfer-Encoding: chunked`, which is used only for bodies of unknown
//! length.
//!
//! ```
//! use boto_core::auth::chunked::{apply_trailing_checksum, ChecksumAlgorithm};
//! use boto_core::HttpRequest;
//!
//! let mut req = HttpRequest::new(http::Method::PUT, "https://bucket.s3.amazonaws.com/key");
//! req.body = "hello world".into();
//! apply_trailing_checksum(&mut req, ChecksumAlgorithm::Crc32, 64 * 1024).unwrap();
//! assert_eq!(req.headers["content-encoding"], "aws-chunked");
//! assert_eq!(req.headers["x-amz-trailer"], "x-amz-checksum-crc32");
//! assert_eq!(req.headers["x-amz-decoded-content-length"], "11");
//! assert_eq!(req.headers["content-length"], "52");
//! ```

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http::header::{HeaderName, HeaderValue, CONTENT_ENCODING, CONTENT_LENGTH, TRANSFER_ENCODING};

use super::STREAMING_UNSIGNED_PAYLOAD_TRAILER;
use crate::body::{Body, BodyError, BoxError, ByteStream};
pub use crate::checksum::Algorithm as ChecksumAlgorithm;
use crate::checksum::Hasher;
use crate::request::HttpRequest;

/// botocore's default chunk size: 1 MiB.
pub const DEFAULT_CHUNK_SIZE: usize = 1024 * 1024;

/// A stream that frames an inner body stream as aws-chunked, with an
/// optional trailing checksum.
pub struct AwsChunked {
    inner: ByteStream,
    buf: BytesMut,
    chunk_size: usize,
    checksum: Option<(ChecksumAlgorithm, Hasher)>,
    inner_done: bool,
    done: bool,
}

impl std::fmt::Debug for AwsChunked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsChunked")
            .field("chunk_size", &self.chunk_size)
            .field("checksum", &self.checksum)
            .finish_non_exhaustive()
    }
}

impl AwsChunked {
    /// Wraps `inner`: chunks of `chunk_size` bytes (the last may be
    /// shorter), then the final chunk with the checksum trailer when
    /// `algorithm` is given.
    pub fn new(inner: ByteStream, chunk_size: usize, algorithm: Option<ChecksumAlgorithm>) -> AwsChunked {
        AwsChunked {
            inner,
            buf: BytesMut::new(),
            chunk_size: chunk_size.max(1),
            checksum: algorithm.map(|a| (a, a.hasher())),
            inner_done: false,
            done: false,
        }
    }

    fn frame(&mut self, data: &[u8]) -> Bytes {
        if let Some((_, hasher)) = &mut self.checksum {
            hasher.update(data);
        }
        let head = format!("{:x}\r\n", data.len());
        let mut out = BytesMut::with_capacity(head.len() + data.len() + 2);
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
        out.freeze()
    }

    fn last(&mut self) -> Bytes {
        match self.checksum.take() {
            Some(c) => {
                let (algorithm, hasher) = c;
                let name = algorithm.header();
                Bytes::from(format!("0\r\n{name}:{}\r\n\r\n", hasher.finish_base64()))
            }
            None => Bytes::from_static(b"0\r\n\r\n"),
        }
    }
}

impl Stream for AwsChunked {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if this.buf.len() >= this.chunk_size {
                let data = this.buf.split_to(this.chunk_size);
                return Poll::Ready(Some(Ok(this.frame(&data))));
            }
            if this.inner_done {
                if !this.buf.is_empty() {
                    let data = this.buf.split();
                    return Poll::Ready(Some(Ok(this.frame(&data))));
                }
                this.done = true;
                return Poll::Ready(Some(Ok(this.last())));
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(bytes))) => this.buf.extend_from_slice(&bytes),
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => this.inner_done = true,
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

fn hex_len(mut n: u64) -> u64 {
    let mut digits = 1;
    while n >= 16 {
        n /= 16;
        digits += 1;
    }
    digits
}

/// The length of the aws-chunked encoding of `decoded_len` bytes in chunks
/// of `chunk_size`, with the trailer of `algorithm` if any.
///
/// ```
/// use boto_core::auth::chunked::{encoded_length, ChecksumAlgorithm};
/// // "b\r\nhello world\r\n" + "0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n"
/// assert_eq!(encoded_length(11, 1024, Some(ChecksumAlgorithm::Crc32)), 16 + 36);
/// assert_eq!(encoded_length(0, 1024, None), 5);
/// ```
pub fn encoded_length(decoded_len: u64, chunk_size: usize, algorithm: Option<ChecksumAlgorithm>) -> u64 {
    let c = chunk_size.max(1) as u64;
    let frame = |n: u64| hex_len(n) + 2 + n + 2;
    let full = decoded_len / c;
    let rem = decoded_len % c;
    let mut total = full * frame(c);
    if rem > 0 {
        total += frame(rem);
    }
    total += 3; // "0\r\n"
    if let Some(a) = algorithm {
        let b64 = a.digest_len().div_ceil(3) * 4;
        total += (a.header().len() + 1 + b64 + 2) as u64;
    }
    total + 2
}

/// Turns the request body into an aws-chunked body with the checksum of
/// `algorithm` in the trailer, and sets the headers that go with it (see
/// the module docs). Does nothing when the request already carries that
/// checksum header (as botocore).
pub fn apply_trailing_checksum(
    req: &mut HttpRequest,
    algorithm: ChecksumAlgorithm,
    chunk_size: usize,
) -> Result<(), BodyError> {
    let name = algorithm.header();
    if req.headers.contains_key(name) {
        return Ok(());
    }
    let chunk_size = chunk_size.max(1);
    let decoded_len = req.body.len().or_else(|| {
        req.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok())
    });
    let body = std::mem::take(&mut req.body);
    let stream = body.into_stream(chunk_size)?;
    let encoded = AwsChunked::new(stream, chunk_size, Some(algorithm));
    let encoded_len = decoded_len.map(|n| encoded_length(n, chunk_size, Some(algorithm)));
    req.body = Body::from_stream(encoded, encoded_len);

    let headers = &mut req.headers;
    let content_encoding = match headers.get(CONTENT_ENCODING).and_then(|v| v.to_str().ok()) {
        Some(existing) if !existing.trim().is_empty() => format!("{existing},aws-chunked"),
        _ => "aws-chunked".to_owned(),
    };
    let value = |s: &str| HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("aws-chunked"));
    headers.insert(CONTENT_ENCODING, value(&content_encoding));
    headers.insert(HeaderName::from_static("x-amz-trailer"), HeaderValue::from_static(name));
    headers.insert(
        HeaderName::from_static("x-amz-content-sha256"),
        HeaderValue::from_static(STREAMING_UNSIGNED_PAYLOAD_TRAILER),
    );
    headers.remove(CONTENT_LENGTH);
    headers.remove(TRANSFER_ENCODING);
    match (decoded_len, encoded_len) {
        (Some(d), Some(e)) => {
            headers.insert(HeaderName::from_static("x-amz-decoded-content-length"), HeaderValue::from(d));
            headers.insert(CONTENT_LENGTH, HeaderValue::from(e));
        }
        _ => {
            headers.insert(TRANSFER_ENCODING, HeaderValue::from_static("chunked"));
        }
    }
    Ok(())
}
