//! Request and response bodies: in memory, from a file, or a one-shot stream.
//!
//! A [`Body`] is cheap to clone. In-memory and file bodies can be replayed
//! (a retry sends them again); a stream can be taken once, and every clone
//! shares that one stream.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

/// The error type a body stream yields.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A boxed stream of body chunks.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send + 'static>>;

/// A request or response body.
///
/// ```
/// use boto_core::Body;
/// let b = Body::from("hello");
/// assert_eq!(b.len(), Some(5));
/// assert_eq!(b.as_bytes().map(|b| &b[..]), Some(&b"hello"[..]));
/// assert!(b.is_replayable());
/// ```
#[derive(Clone, Default)]
pub struct Body(Kind);

#[derive(Clone, Default)]
enum Kind {
    #[default]
    Empty,
    Bytes(Bytes),
    File {
        path: Arc<Path>,
        offset: u64,
        len: u64,
    },
    Stream {
        stream: Arc<Mutex<Option<ByteStream>>>,
        len: Option<u64>,
    },
}

/// Why a body could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// The stream was already taken by an earlier reader (a streaming body
    /// can be read once).
    #[error("the streaming body was already consumed")]
    Consumed,
    /// Reading a file body failed.
    #[error("cannot read body file {path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// The stream yielded an error.
    #[error("error reading the body stream: {0}")]
    Stream(#[source] BoxError),
}

impl Body {
    /// An empty body.
    pub fn empty() -> Body {
        Body(Kind::Empty)
    }

    /// A body of the given bytes.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Body {
        let bytes = bytes.into();
        if bytes.is_empty() {
            Body(Kind::Empty)
        } else {
            Body(Kind::Bytes(bytes))
        }
    }

    /// A body read from a whole file. Its length is taken now; the file is
    /// opened when the body is sent (and again for a retry).
    pub fn from_file(path: impl AsRef<Path>) -> std::io::Result<Body> {
        let path = path.as_ref();
        let len = std::fs::metadata(path)?.len();
        Ok(Body::from_file_range(path, 0, len))
    }

    /// A body of `len` bytes of a file, starting at `offset`.
    pub fn from_file_range(path: impl AsRef<Path>, offset: u64, len: u64) -> Body {
        Body(Kind::File { path: Arc::from(path.as_ref()), offset, len })
    }

    /// A one-shot body from a stream of chunks, with its length if known
    /// (some operations, like S3 PutObject, need it up front).
    pub fn from_stream<S>(stream: S, len: Option<u64>) -> Body
    where
        S: Stream<Item = Result<Bytes, BoxError>> + Send + 'static,
    {
        Body(Kind::Stream { stream: Arc::new(Mutex::new(Some(Box::pin(stream)))), len })
    }

    /// The length in bytes, when known without reading.
    pub fn len(&self) -> Option<u64> {
        match &self.0 {
            Kind::Empty => Some(0),
            Kind::Bytes(b) => Some(b.len() as u64),
            Kind::File { len, .. } => Some(*len),
            Kind::Stream { len, .. } => *len,
        }
    }

    /// True when the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The bytes, when the body is in memory (empty bodies give an empty
    /// slice).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.0 {
            Kind::Empty => Some(&[]),
            Kind::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The bytes as [`Bytes`], when the body is in memory.
    pub fn bytes(&self) -> Option<Bytes> {
        match &self.0 {
            Kind::Empty => Some(Bytes::new()),
            Kind::Bytes(b) => Some(b.clone()),
            _ => None,
        }
    }

    /// The file and range, for a file body.
    pub fn file(&self) -> Option<(&Path, u64, u64)> {
        match &self.0 {
            Kind::File { path, offset, len } => Some((path, *offset, *len)),
            _ => None,
        }
    }

    /// True when the body can be sent again (in memory or a file).
    pub fn is_replayable(&self) -> bool {
        !matches!(self.0, Kind::Stream { .. })
    }

    /// True for a one-shot stream (not in memory, not a file).
    pub fn is_stream(&self) -> bool {
        matches!(self.0, Kind::Stream { .. })
    }

    /// Takes the stream out of a stream body; `None` if this is not a stream
    /// or the stream was already taken (by this body or a clone of it).
    pub fn take_stream(&self) -> Option<ByteStream> {
        match &self.0 {
            Kind::Stream { stream, .. } => stream.lock().ok()?.take(),
            _ => None,
        }
    }

    /// True when both are the same body: the same shared stream, file range
    /// or bytes.
    pub fn same_stream(&self, other: &Body) -> bool {
        match (&self.0, &other.0) {
            (Kind::Empty, Kind::Empty) => true,
            (Kind::Bytes(a), Kind::Bytes(b)) => a == b,
            (Kind::File { path: a, offset: o1, len: l1 }, Kind::File { path: b, offset: o2, len: l2 }) => {
                a == b && o1 == o2 && l1 == l2
            }
            (Kind::Stream { stream: a, .. }, Kind::Stream { stream: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Reads the whole body into memory.
    pub async fn collect(&self) -> Result<Bytes, BodyError> {
        match &self.0 {
            Kind::Empty => Ok(Bytes::new()),
            Kind::Bytes(b) => Ok(b.clone()),
            Kind::File { path, offset, len } => read_file_range(path, *offset, *len),
            Kind::Stream { .. } => {
                let mut stream = self.take_stream().ok_or(BodyError::Consumed)?;
                let mut out = bytes::BytesMut::new();
                while let Some(chunk) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
                    out.extend_from_slice(&chunk.map_err(BodyError::Stream)?);
                }
                Ok(out.freeze())
            }
        }
    }

    /// Turns the body into a stream of chunks (reading a file body in
    /// pieces of at most `chunk` bytes).
    pub fn into_stream(self, chunk: usize) -> Result<ByteStream, BodyError> {
        match self.0 {
            Kind::Empty => Ok(Box::pin(Once(None))),
            Kind::Bytes(b) => Ok(Box::pin(Once(Some(b)))),
            Kind::File { path, offset, len } => Ok(Box::pin(FileChunks::open(&path, offset, len, chunk.max(1))?)),
            Kind::Stream { stream, .. } => stream.lock().ok().and_then(|mut s| s.take()).ok_or(BodyError::Consumed),
        }
    }
}

/// Reads `len` bytes of the file at `path` from `offset` into memory, in
/// the calling thread (a blocking read: from async code, run it with
/// `tokio::task::spawn_blocking`). A file shorter than `offset + len` is an
/// error.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("f");
/// std::fs::write(&path, b"hello world").unwrap();
/// assert_eq!(&boto_core::body::read_file_range(&path, 6, 5).unwrap()[..], b"world");
/// assert!(boto_core::body::read_file_range(&path, 6, 6).is_err());
/// ```
pub fn read_file_range(path: &Path, offset: u64, len: u64) -> Result<Bytes, BodyError> {
    use std::io::{Read, Seek, SeekFrom};
    let err = |source| BodyError::File { path: path.to_owned(), source };
    let mut f = std::fs::File::open(path).map_err(err)?;
    f.seek(SeekFrom::Start(offset)).map_err(err)?;
    let mut buf = Vec::with_capacity(len as usize);
    f.take(len).read_to_end(&mut buf).map_err(err)?;
    if (buf.len() as u64) < len {
        return Err(err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "file is shorter than expected")));
    }
    Ok(buf.into())
}

struct Once(Option<Bytes>);

impl Stream for Once {
    type Item = Result<Bytes, BoxError>;
    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.take().map(Ok))
    }
}

/// Reads a file range in chunks (blocking reads; file bodies are read from
/// the page cache and each chunk is small).
struct FileChunks {
    file: std::fs::File,
    path: Arc<Path>,
    remaining: u64,
    chunk: usize,
}

impl FileChunks {
    fn open(path: &Arc<Path>, offset: u64, len: u64, chunk: usize) -> Result<FileChunks, BodyError> {
        use std::io::{Seek, SeekFrom};
        let err = |source| BodyError::File { path: path.to_path_buf(), source };
        let mut file = std::fs::File::open(path).map_err(err)?;
        file.seek(SeekFrom::Start(offset)).map_err(err)?;
        Ok(FileChunks { file, path: path.clone(), remaining: len, chunk })
    }
}

impl Stream for FileChunks {
    type Item = Result<Bytes, BoxError>;
    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        use std::io::Read;
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let n = self.remaining.min(self.chunk as u64) as usize;
        let mut buf = vec![0u8; n];
        let this = &mut *self;
        match this.file.read_exact(&mut buf) {
            Ok(()) => {
                this.remaining -= n as u64;
                Poll::Ready(Some(Ok(buf.into())))
            }
            Err(e) => {
                this.remaining = 0;
                let e = BodyError::File { path: this.path.to_path_buf(), source: e };
                Poll::Ready(Some(Err(Box::new(e))))
            }
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Empty => f.write_str("Body(empty)"),
            Kind::Bytes(b) => write!(f, "Body({} bytes)", b.len()),
            Kind::File { path, offset, len } => {
                write!(f, "Body(file {}, {len} bytes at {offset})", path.display())
            }
            Kind::Stream { len: Some(n), .. } => write!(f, "Body(stream, {n} bytes)"),
            Kind::Stream { len: None, .. } => f.write_str("Body(stream)"),
        }
    }
}

impl From<Bytes> for Body {
    fn from(b: Bytes) -> Body {
        Body::from_bytes(b)
    }
}

impl From<Vec<u8>> for Body {
    fn from(b: Vec<u8>) -> Body {
        Body::from_bytes(b)
    }
}

impl From<&'static [u8]> for Body {
    fn from(b: &'static [u8]) -> Body {
        Body::from_bytes(Bytes::from_static(b))
    }
}

impl From<&'static str> for Body {
    fn from(s: &'static str) -> Body {
        Body::from_bytes(Bytes::from_static(s.as_bytes()))
    }
}

impl From<String> for Body {
    fn from(s: String) -> Body {
        Body::from_bytes(s)
    }
}
