//! One HTTP/1.1 connection, driven in the task that uses it: hyper's
//! connection future is polled together with the request it serves, and
//! then with the response body, so no task is spawned per connection and
//! nothing is handed between tasks.
//!
//! Only the connection future is polled with the caller's waker. The
//! response and the body's chunks become ready only through that future's
//! progress, made in the same poll, so they are polled with a waker that
//! does nothing: hyper would otherwise wake the calling task from inside its
//! own poll (handing itself the response), and the runtime would poll it
//! once more for nothing, after an extra look at its I/O driver.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use http::{Request, Response, Uri};
use http_body::{Body as _, Frame, SizeHint};
use hyper::body::Incoming;
use hyper::client::conn::http1;
use hyper_rustls::MaybeHttpsStream;
use hyper_util::client::legacy::connect::Connection as _;
use tower_service::Service as _;

use super::body::RequestBody;
use super::pool::{Key, Pool};
use super::proxy::ProxyStream;
use super::tls::Connector;

type Io = MaybeHttpsStream<ProxyStream>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A context whose waker does nothing.
fn quiet() -> Context<'static> {
    Context::from_waker(Waker::noop())
}

/// An open connection: hyper's request sender and the connection future
/// that does the I/O.
pub(super) struct Conn {
    sender: http1::SendRequest<RequestBody>,
    /// None once it has finished (the connection is closed).
    driver: Option<http1::Connection<Io, RequestBody>>,
    /// Requests go to a forwarding proxy (absolute-form targets).
    forwarded: bool,
}

/// Why a request got no response.
pub(super) enum SendError {
    /// The connection closed before it took the request, which is handed
    /// back unsent.
    Unsent(Box<Request<RequestBody>>, hyper::Error),
    /// The request failed on the way (written in part or whole, or its
    /// body failed).
    Failed(hyper::Error),
    /// The connection ended without a word about the request (not expected
    /// from hyper, which answers every request it drops).
    Closed,
}

impl Conn {
    /// Opens a connection to `dst` (`scheme://authority`) with the
    /// connector (direct, through a proxy, TLS or not).
    pub(super) async fn connect(connector: &Connector, dst: Uri) -> Result<Conn, BoxError> {
        let mut connector = connector.clone();
        std::future::poll_fn(|cx| connector.poll_ready(cx)).await?;
        let io = connector.call(dst).await?;
        let forwarded = io.connected().is_proxied();
        let (sender, driver) = http1::Builder::new().handshake(io).await?;
        Ok(Conn { sender, driver: Some(driver), forwarded })
    }

    /// Whether requests go to a forwarding proxy, and so need absolute-form
    /// targets.
    pub(super) fn is_forwarded(&self) -> bool {
        self.forwarded
    }

    /// Polls the connection future; Ready once it has finished (closed by
    /// either side, or failed: a request or body it was serving got the
    /// error), after which the connection is gone.
    fn poll_driver(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Some(driver) = &mut self.driver else { return Poll::Ready(()) };
        match Pin::new(driver).poll(cx) {
            Poll::Ready(_) => {
                self.driver = None;
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }

    /// Polls the connection once and tells whether it can take a request
    /// now: false when the server closed it, it failed, or it is still busy.
    pub(super) fn is_open(&mut self) -> bool {
        self.poll_driver(&mut quiet()).is_pending() && self.sender.is_ready()
    }

    /// Sends a request and waits for the response head, driving the
    /// connection meanwhile.
    pub(super) async fn send(&mut self, req: Request<RequestBody>) -> Result<Response<Incoming>, SendError> {
        // The future holds no borrow of the sender: the request is already
        // queued for the connection future when this returns.
        let mut response = std::pin::pin!(self.sender.try_send_request(req));
        std::future::poll_fn(|cx| {
            let finished = self.poll_driver(cx).is_ready();
            match response.as_mut().poll(&mut quiet()) {
                Poll::Ready(Ok(response)) => Poll::Ready(Ok(response)),
                Poll::Ready(Err(mut e)) => Poll::Ready(Err(match e.take_message() {
                    Some(req) => SendError::Unsent(Box::new(req), e.into_error()),
                    None => SendError::Failed(e.into_error()),
                })),
                // Dropping the connection future answered every request it
                // had, so this is not expected.
                Poll::Pending if finished => Poll::Ready(Err(SendError::Closed)),
                Poll::Pending => Poll::Pending,
            }
        })
        .await
    }
}

/// A response body read over its connection: reading it drives the
/// connection; once it has been read to its end the connection goes back to
/// the pool. A body dropped before its end, or failed, closes the
/// connection.
pub(super) struct ConnBody {
    incoming: Incoming,
    /// The connection, until the body has ended (or failed).
    conn: Option<Conn>,
    /// Where the connection goes back to.
    home: Option<(Pool, Key)>,
}

impl ConnBody {
    /// The body of a response just received on `conn`; an empty one gives
    /// the connection back at once.
    pub(super) fn new(incoming: Incoming, conn: Conn, pool: Pool, key: Key) -> ConnBody {
        let mut body = ConnBody { incoming, conn: Some(conn), home: Some((pool, key)) };
        if body.incoming.is_end_stream() {
            body.release();
        }
        body
    }

    /// The length, when the response declared one.
    pub(super) fn size_hint(&self) -> SizeHint {
        self.incoming.size_hint()
    }

    /// The next frame: what the connection already delivered, else what
    /// driving it brings. Pending only when the connection waits for the
    /// server (the caller's task is then woken by its socket).
    pub(super) fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.incoming).poll_frame(&mut quiet()) {
            return Poll::Ready(self.after(frame));
        }
        if let Some(conn) = &mut self.conn {
            if conn.poll_driver(cx).is_ready() {
                // Finished: the body got its end or its error.
                self.conn = None;
            }
        }
        // (A body whose connection is gone is never pending here: hyper ends
        // or fails it when the connection goes.)
        Pin::new(&mut self.incoming).poll_frame(&mut quiet()).map(|frame| self.after(frame))
    }

    /// Looks at a frame on its way to the reader: the end of the body gives
    /// the connection back, an error closes it.
    fn after(
        &mut self,
        frame: Option<Result<Frame<Bytes>, hyper::Error>>,
    ) -> Option<Result<Frame<Bytes>, hyper::Error>> {
        match &frame {
            None => self.release(),
            Some(Ok(_)) if self.incoming.is_end_stream() => self.release(),
            Some(Ok(_)) => {}
            Some(Err(_)) => self.conn = None,
        }
        frame
    }

    /// The body has been read whole: the connection goes back to the pool
    /// (which polls it once more, so it settles into idle, and keeps it only
    /// when it is ready for another request).
    fn release(&mut self) {
        if let (Some(conn), Some((pool, key))) = (self.conn.take(), self.home.take()) {
            pool.put(key, conn);
        }
    }
}
