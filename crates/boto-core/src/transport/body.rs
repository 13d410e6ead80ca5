//! Adapters between [`Body`] and hyper's body types.

use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http_body::{Frame, SizeHint};

use super::conn::ConnBody;
use super::TransportError;
use crate::body::{Body, BodyError, BoxError, ByteStream};

/// Chunk size for file bodies.
const FILE_CHUNK: usize = 256 * 1024;

/// A request body as hyper sends it: nothing, one buffer, or a stream with
/// its length when known (then sent with Content-Length).
pub struct RequestBody(Kind);

enum Kind {
    Empty,
    Full(Option<Bytes>),
    Stream { stream: ByteStream, remaining: Option<u64> },
}

impl RequestBody {
    /// Turns a [`Body`] into something hyper can send. Fails for a stream
    /// that was already consumed.
    pub fn new(body: Body) -> Result<RequestBody, BodyError> {
        if let Some(bytes) = body.bytes() {
            return Ok(RequestBody(if bytes.is_empty() { Kind::Empty } else { Kind::Full(Some(bytes)) }));
        }
        let len = body.len();
        Ok(RequestBody(Kind::Stream { stream: body.into_stream(FILE_CHUNK)?, remaining: len }))
    }
}

impl http_body::Body for RequestBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match &mut self.0 {
            Kind::Empty => Poll::Ready(None),
            Kind::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Kind::Stream { stream, remaining } => match stream.as_mut().poll_next(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(None) => match remaining {
                    Some(n) if *n > 0 => {
                        Poll::Ready(Some(Err(format!("body ended {n} bytes short of its length").into())))
                    }
                    _ => Poll::Ready(None),
                },
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Some(n) = remaining {
                        match n.checked_sub(chunk.len() as u64) {
                            Some(left) => *n = left,
                            None => return Poll::Ready(Some(Err("body is longer than its declared length".into()))),
                        }
                    }
                    Poll::Ready(Some(Ok(Frame::data(chunk))))
                }
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.0 {
            Kind::Empty => true,
            Kind::Full(b) => b.is_none(),
            Kind::Stream { remaining, .. } => *remaining == Some(0),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.0 {
            Kind::Empty => SizeHint::with_exact(0),
            Kind::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Kind::Stream { remaining: Some(n), .. } => SizeHint::with_exact(*n),
            Kind::Stream { remaining: None, .. } => SizeHint::default(),
        }
    }
}

/// A streamed response body; each chunk must arrive within the read
/// timeout.
pub(super) struct ResponseStream {
    body: ConnBody,
    timeout: Duration,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    endpoint: super::EndpointName,
}

impl ResponseStream {
    pub(super) fn new(body: ConnBody, timeout: Duration, endpoint: super::EndpointName) -> ResponseStream {
        ResponseStream { body, timeout, sleep: None, endpoint }
    }
}

impl Stream for ResponseStream {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match this.body.poll_frame(cx) {
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => {
                    let err =
                        TransportError::Io { endpoint: this.endpoint.to_string(), message: super::error_chain(&e) };
                    return Poll::Ready(Some(Err(Box::new(err))));
                }
                Poll::Ready(Some(Ok(frame))) => {
                    this.sleep = None;
                    match frame.into_data() {
                        Ok(data) => return Poll::Ready(Some(Ok(data))),
                        Err(_) => continue, // trailers
                    }
                }
                Poll::Pending => {
                    let timeout = this.timeout;
                    let sleep = this.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                    if sleep.as_mut().poll(cx).is_ready() {
                        this.sleep = None;
                        let err = TransportError::ReadTimeout { endpoint: this.endpoint.to_string(), timeout };
                        return Poll::Ready(Some(Err(Box::new(err))));
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}
