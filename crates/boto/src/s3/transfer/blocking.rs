//! Blocking transfers: the async [`TransferManager`](super::TransferManager)
//! driven by a blocking client's runtime, for code without one.
//!
//! ```no_run
//! use boto::boto_core::blocking;
//! use boto::s3::transfer::{blocking::TransferManager, TransferConfig, TransferOptions};
//!
//! let s3 = blocking::Client::builder("s3").region("us-east-1").build().unwrap();
//! let manager = TransferManager::new(s3, TransferConfig::default()).unwrap();
//! manager.upload_file("report.pdf", "my-bucket", "reports/report.pdf", TransferOptions::default()).unwrap();
//! // Any `std::io::Read + Send`: a pipe, a socket, a decompressor...
//! manager.upload_fileobj(std::io::stdin(), "my-bucket", "from-stdin", TransferOptions::default()).unwrap();
//! ```
//!
//! Calling these from inside an async runtime fails with
//! [`boto_core::Error::BlockingInAsync`] (as a [`TransferError::Client`]).

use std::io::{Read, Write};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use boto_core::blocking::Client;
use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::mpsc;

use super::{CopySource, SourceClient, TransferConfig, TransferError, TransferOptions, TransferOutput};

/// Size of the blocks a reader thread hands to the upload.
const READ_BLOCK: usize = 1 << 20;

/// A blocking transfer manager over a blocking S3 client.
#[derive(Debug, Clone)]
pub struct TransferManager {
    client: Client,
    inner: super::TransferManager,
}

impl TransferManager {
    /// A manager for `client` with `config`.
    pub fn new(client: Client, config: TransferConfig) -> Result<TransferManager, TransferError> {
        let inner = super::TransferManager::new(client.as_async().clone(), config)?;
        Ok(TransferManager { client, inner })
    }

    /// The async manager inside.
    pub fn as_async(&self) -> &super::TransferManager {
        &self.inner
    }

    fn run<T>(&self, f: impl std::future::Future<Output = Result<T, TransferError>>) -> Result<T, TransferError> {
        self.client.runtime().block_on(f)?
    }

    /// Uploads a file (see [`super::TransferManager::upload_file`]).
    pub fn upload_file(
        &self,
        path: impl AsRef<Path>,
        bucket: &str,
        key: &str,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.run(self.inner.upload_file(path, bucket, key, options))
    }

    /// Uploads what a `std::io::Read` gives (see
    /// [`super::TransferManager::upload_fileobj`]). The reader is read on a
    /// thread of its own while parts are sent, one block (1 MiB) ahead.
    pub fn upload_fileobj<R: Read + Send>(
        &self,
        reader: R,
        bucket: &str,
        key: &str,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        // The scope ends when the reader thread does: after the upload, once the
        // reader returns from the read it is in.
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel(2);
            scope.spawn(move || read_blocks(reader, tx));
            self.run(self.inner.upload_fileobj(ChannelReader { rx, current: Bytes::new() }, bucket, key, options))
        })
    }

    /// Downloads to a file (see [`super::TransferManager::download_file`]).
    pub fn download_file(
        &self,
        bucket: &str,
        key: &str,
        path: impl AsRef<Path>,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.run(self.inner.download_file(bucket, key, path, options))
    }

    /// Downloads into a `std::io::Write`, in order (see
    /// [`super::TransferManager::download_fileobj`]).
    pub fn download_fileobj<W: Write + Send>(
        &self,
        bucket: &str,
        key: &str,
        writer: W,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        let mut writer = writer;
        let mut writer = SyncWriter(&mut writer);
        self.run(self.inner.download_fileobj(bucket, key, &mut writer, options))
    }

    /// Copies an object (see [`super::TransferManager::copy`]); the source
    /// is read with `options.source_client` when set, best a blocking client
    /// (see [`SourceClient`]).
    pub fn copy(
        &self,
        source: &CopySource,
        bucket: &str,
        key: &str,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        let mut options = options;
        // A blocking source client on this runtime is called in place.
        if let Some(SourceClient::Blocking(client)) = &options.source_client {
            if client.runtime() == self.client.runtime() {
                options.source_client = Some(SourceClient::Async(client.as_async().clone()));
            }
        }
        self.run(self.inner.copy(source, bucket, key, options))
    }
}

/// Reads `reader` in blocks until it ends, fails, or the upload stops
/// listening.
fn read_blocks<R: Read>(mut reader: R, tx: mpsc::Sender<std::io::Result<Bytes>>) {
    loop {
        let mut buf = vec![0u8; READ_BLOCK];
        let mut filled = 0;
        let result = loop {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    filled += n;
                    if filled == buf.len() {
                        break Ok(());
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        let end = filled < buf.len();
        buf.truncate(filled);
        let message = match result {
            Ok(()) if filled == 0 => return,
            Ok(()) => Ok(Bytes::from(buf)),
            Err(e) => Err(e),
        };
        let failed = message.is_err();
        if tx.blocking_send(message).is_err() || end || failed {
            return;
        }
    }
}

/// The blocks of a reader thread as an `AsyncRead`.
struct ChannelReader {
    rx: mpsc::Receiver<std::io::Result<Bytes>>,
    current: Bytes,
}

impl AsyncRead for ChannelReader {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        loop {
            if !self.current.is_empty() {
                let n = buf.remaining().min(self.current.len());
                let chunk = self.current.split_to(n);
                buf.put_slice(&chunk);
                return Poll::Ready(Ok(()));
            }
            match self.rx.poll_recv(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(e)),
                Poll::Ready(Some(Ok(block))) => self.current = block,
            }
        }
    }
}

/// A `std::io::Write` as an `AsyncWrite` (each write runs in place: the
/// caller is blocked anyway).
struct SyncWriter<W>(W);

impl<W: Write + Unpin> AsyncWrite for SyncWriter<W> {
    fn poll_write(mut self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Poll::Ready(self.0.write(buf))
    }

    fn poll_flush(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(self.0.flush())
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(self.0.flush())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_blocks_arrive_in_order_and_end() {
        let data: Vec<u8> = (0..(READ_BLOCK * 2 + 17)).map(|i| (i % 253) as u8).collect();
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let got = std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel(2);
            let reader = &data[..];
            s.spawn(move || read_blocks(reader, tx));
            rt.block_on(async {
                use tokio::io::AsyncReadExt;
                let mut out = Vec::new();
                ChannelReader { rx, current: Bytes::new() }.read_to_end(&mut out).await.unwrap();
                out
            })
        });
        assert_eq!(got, data);
    }

    #[test]
    fn reader_errors_surface() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk on fire"))
            }
        }
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let err = std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel(2);
            s.spawn(move || read_blocks(Broken, tx));
            rt.block_on(async {
                use tokio::io::AsyncReadExt;
                let mut out = Vec::new();
                ChannelReader { rx, current: Bytes::new() }.read_to_end(&mut out).await.unwrap_err()
            })
        });
        assert!(err.to_string().contains("disk on fire"));
    }
}
