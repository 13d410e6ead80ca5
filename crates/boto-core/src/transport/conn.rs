//! One HTTP/1.1 connection, driven in the task that uses it: hyper's
//! connection future is polled together with the request it serves, and
//! then with the response body, so no task is spawned per connection and
//! nothing is handed between tasks.
//!
//! Only the connection future wakes the caller's task (through a
//! [`Relay`]). The response and the body's chunks become ready only through
//! that future's progress, made in the same poll, so they are polled with a
//! waker that does nothing: hyper would otherwise wake the calling task from
//! inside its own poll (handing itself the response), and the runtime would
//! poll it once more for nothing, after an extra look at its I/O driver.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
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
use super::relay::Relay;
use super::tls::Connector;

type Io = MaybeHttpsStream<ProxyStream>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// hyper's connection future, boxed: it holds the I/O buffers and TLS
/// state, kilobytes that would otherwise be moved with every future holding
/// a connection.
type Driver = Pin<Box<http1::Connection<Io, RequestBody>>>;
/// What reading a response body gives: a frame, an error, or the end.
type NextFrame = Option<Result<Frame<Bytes>, hyper::Error>>;

/// A context whose waker does nothing.
fn quiet() -> Context<'static> {
    Context::from_waker(Waker::noop())
}

/// An open connection: hyper's request sender and the connection future
/// that does the I/O.
pub(super) struct Conn {
    sender: http1::SendRequest<RequestBody>,
    /// None once it has finished (the connection is closed).
    driver: Option<Driver>,
    /// Requests go to a forwarding proxy (absolute-form targets).
    forwarded: bool,
    /// The connection future's wake-ups go to the task using it through
    /// this, and `waker` wakes through it.
    relay: Arc<Relay>,
    waker: Waker,
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
        let (relay, waker) = Relay::new();
        Ok(Conn { sender, driver: Some(Box::pin(driver)), forwarded, relay, waker })
    }

    /// Whether requests go to a forwarding proxy, and so need absolute-form
    /// targets.
    pub(super) fn is_forwarded(&self) -> bool {
        self.forwarded
    }

    /// Polls the connection future for the task of `cx` (through the relay):
    /// Ready once it has finished (closed by either side, or failed: a
    /// request or body it was serving got the error), after which the
    /// connection is gone.
    fn drive(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.driver.is_some() {
            self.relay.follow(cx.waker());
        }
        poll_driver(&mut self.driver, &mut Context::from_waker(&self.waker))
    }

    /// Polls the connection once and tells whether it can take a request
    /// now: false when the server closed it, it failed, or it is still busy.
    pub(super) fn is_open(&mut self) -> bool {
        poll_driver(&mut self.driver, &mut quiet()).is_pending() && self.sender.is_ready()
    }

    /// Whether the connection is back to idle after a response, polling it
    /// once when it does not say so yet (the pool takes a look again before
    /// reusing it).
    pub(super) fn is_idle(&mut self) -> bool {
        self.driver.is_some() && self.sender.is_ready() || self.is_open()
    }

    /// Sends a request and waits for the response head, driving the
    /// connection meanwhile.
    pub(super) async fn send(&mut self, req: Request<RequestBody>) -> Result<Response<Incoming>, SendError> {
        // The future holds no borrow of the sender: the request is already
        // queued for the connection future when this returns.
        let mut response = std::pin::pin!(self.sender.try_send_request(req));
        std::future::poll_fn(|cx| {
            let finished = self.drive(cx).is_ready();
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

/// Polls a connection future, dropping it once it has finished.
fn poll_driver(driver: &mut Option<Driver>, cx: &mut Context<'_>) -> Poll<()> {
    let Some(running) = driver else { return Poll::Ready(()) };
    match running.as_mut().poll(cx) {
        Poll::Ready(_) => {
            *driver = None;
            Poll::Ready(())
        }
        Poll::Pending => Poll::Pending,
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
    pub(super) fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<NextFrame> {
        if let (Poll::Ready(frame), _) = self.poll_incoming() {
            return Poll::Ready(self.after(frame));
        }
        if let Some(conn) = &mut self.conn {
            if conn.drive(cx).is_ready() {
                // Finished: the body got its end or its error.
                self.conn = None;
            }
        }
        // (A body whose connection is gone is never pending here: hyper ends
        // or fails it when the connection goes.)
        match self.poll_incoming() {
            (Poll::Ready(frame), _) => Poll::Ready(self.after(frame)),
            (Poll::Pending, missed) => {
                if missed {
                    // The connection woke while the relay was muted (and not
                    // for a chunk taken, none was): pass that on.
                    cx.waker().wake_by_ref();
                }
                Poll::Pending
            }
        }
    }

    /// Polls the body for what the connection delivered, with the
    /// connection's wake-ups held back (taking a chunk wakes the connection
    /// side, which is this task). Also says whether a wake-up came
    /// meanwhile.
    fn poll_incoming(&mut self) -> (Poll<NextFrame>, bool) {
        let Some(conn) = &self.conn else {
            return (Pin::new(&mut self.incoming).poll_frame(&mut quiet()), false);
        };
        conn.relay.mute();
        let frame = Pin::new(&mut self.incoming).poll_frame(&mut quiet());
        (frame, conn.relay.unmute())
    }

    /// Looks at a frame on its way to the reader: the end of the body gives
    /// the connection back, an error closes it.
    fn after(&mut self, frame: NextFrame) -> NextFrame {
        match &frame {
            None => self.release(),
            Some(Ok(_)) if self.incoming.is_end_stream() => self.release(),
            Some(Ok(_)) => {}
            Some(Err(_)) => self.conn = None,
        }
        frame
    }

    /// The body has been read whole: the connection goes back to the pool
    /// (which keeps it only when it is idle, ready for another request,
    /// polling it once more first when it is not yet).
    fn release(&mut self) {
        if let (Some(conn), Some((pool, key))) = (self.conn.take(), self.home.take()) {
            conn.relay.forget();
            pool.put(key, conn);
        }
    }
}
