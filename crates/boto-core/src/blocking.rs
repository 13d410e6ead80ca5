//! The blocking client: the same surface as the async [`Client`](crate::Client),
//! driven by a private tokio runtime so callers need none (reqwest's
//! `blocking` module is the pattern).
//!
//! ```no_run
//! use boto_core::{blocking, params};
//! let ddb = blocking::Client::builder("dynamodb").region("us-east-1").build().unwrap();
//! let tables = ddb.call("ListTables", params!({})).unwrap();
//! println!("{}", tables["TableNames"]);
//! ```
//!
//! Calling it from inside an async runtime is an error
//! ([`Error::BlockingInAsync`]), never a deadlock or a panic.

use std::future::Future;
use std::io::Read;

use std::sync::Arc;

use bytes::Bytes;

use crate::body::{Body, ByteStream};
use crate::error::Error;
use crate::value::Value;

/// A private tokio runtime shared by blocking clients (a current-thread
/// runtime: the calling thread drives the I/O, so a call costs no thread
/// hand-off). Two `Runtime`s are equal when they are clones of one. The
/// last clone may be dropped anywhere, inside an async runtime too.
#[derive(Clone, Debug)]
pub struct Runtime(Arc<OwnedRuntime>);

impl PartialEq for Runtime {
    fn eq(&self, other: &Runtime) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Runtime {}

/// The runtime, shut down without blocking when it is dropped inside an
/// async runtime (where tokio refuses to wait for it).
#[derive(Debug)]
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                rt.shutdown_background();
            }
        }
    }
}

impl Runtime {
    /// A new runtime.
    pub fn new() -> Result<Runtime, Error> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|rt| Runtime(Arc::new(OwnedRuntime(Some(rt)))))
            .map_err(|e| Error::Other(format!("cannot start the blocking client's runtime: {e}")))
    }

    /// Runs a future to completion on this runtime. Fails with
    /// [`Error::BlockingInAsync`] when called from inside an async runtime.
    pub fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::BlockingInAsync);
        }
        let rt = self.0 .0.as_ref().expect("the runtime is only taken out when dropped");
        Ok(rt.block_on(future))
    }
}

/// A blocking AWS service client.
#[derive(Clone, Debug)]
pub struct Client {
    inner: crate::Client,
    rt: Runtime,
}

/// Builds a blocking [`Client`]; the settings are those of
/// [`crate::ClientBuilder`].
#[must_use]
#[derive(Debug)]
pub struct ClientBuilder {
    builder: crate::ClientBuilder,
    rt: Option<Runtime>,
}

impl ClientBuilder {
    /// The region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.builder = self.builder.region(region);
        self
    }

    /// A fixed endpoint URL.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.builder = self.builder.endpoint_url(url);
        self
    }

    /// Static credentials.
    pub fn credentials(mut self, credentials: crate::credentials::Credentials) -> Self {
        self.builder = self.builder.credentials(credentials);
        self
    }

    /// Any other setting, on the async builder.
    pub fn with(mut self, f: impl FnOnce(crate::ClientBuilder) -> crate::ClientBuilder) -> Self {
        self.builder = f(self.builder);
        self
    }

    /// Shares a runtime with other blocking clients (each client builds its
    /// own otherwise).
    pub fn runtime(mut self, rt: Runtime) -> Self {
        self.rt = Some(rt);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let rt = match self.rt {
            Some(rt) => rt,
            None => Runtime::new()?,
        };
        Ok(Client { inner: self.builder.build()?, rt })
    }
}

impl Client {
    /// A builder for a blocking client of `service`.
    pub fn builder(service: &str) -> ClientBuilder {
        ClientBuilder { builder: crate::Client::builder(service), rt: None }
    }

    /// Wraps an async client. Its connection pool must not be shared with
    /// clients used on other runtimes.
    pub fn from_async(inner: crate::Client, rt: Runtime) -> Client {
        Client { inner, rt }
    }

    /// The async client inside.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// The runtime.
    pub fn runtime(&self) -> &Runtime {
        &self.rt
    }

    /// Calls an operation (see [`crate::Client::call`]).
    pub fn call(&self, operation: &str, params: Value) -> Result<Value, Error> {
        self.rt.block_on(self.inner.call(operation, params))?
    }

    /// A presigned URL (see [`crate::Client::presigned_url`]).
    pub fn presigned_url(&self, operation: &str, params: Value, expires_in: u64) -> Result<String, Error> {
        self.rt.block_on(self.inner.presigned_url(operation, params, expires_in))?
    }

    /// A presigned URL with boto3's `ExpiresIn` and `HttpMethod` (see
    /// [`crate::Client::presigned_url_with`]).
    ///
    /// ```no_run
    /// use boto_core::{blocking, params, Method, PresignOptions};
    /// let s3 = blocking::Client::builder("s3").region("us-east-1").build().unwrap();
    /// let options = PresignOptions::new().expires_in(600).http_method(Method::PUT);
    /// let url = s3.presigned_url_with("get_object", params!({ "Bucket": "b", "Key": "k" }), options).unwrap();
    /// # let _ = url;
    /// ```
    pub fn presigned_url_with(
        &self,
        operation: &str,
        params: Value,
        options: crate::PresignOptions,
    ) -> Result<String, Error> {
        self.rt.block_on(self.inner.presigned_url_with(operation, params, options))?
    }

    /// Reads a whole streaming body (an S3 object's `Body`).
    pub fn read_body(&self, body: &Body) -> Result<Bytes, Error> {
        Ok(self.rt.block_on(body.collect())??)
    }

    /// A `std::io::Read` over a streaming body, reading chunk by chunk.
    pub fn body_reader(&self, body: Body) -> Result<BodyReader, Error> {
        Ok(BodyReader { stream: Some(body.into_stream(256 * 1024)?), rt: self.rt.clone(), chunk: Bytes::new() })
    }
}

/// Reads a streaming body synchronously (see [`Client::body_reader`]).
pub struct BodyReader {
    stream: Option<ByteStream>,
    rt: Runtime,
    chunk: Bytes,
}

impl std::fmt::Debug for BodyReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyReader").field("buffered", &self.chunk.len()).finish()
    }
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.chunk.is_empty() {
            let Some(stream) = self.stream.as_mut() else { return Ok(0) };
            let next = self
                .rt
                .block_on(std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)))
                .map_err(std::io::Error::other)?;
            match next {
                None => {
                    self.stream = None;
                    return Ok(0);
                }
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                Some(Ok(chunk)) => self.chunk = chunk,
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
    }
}
