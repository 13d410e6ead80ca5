//! Downloads: `HeadObject`, then one `GetObject` or parallel ranged ones
//! pinned to the object's ETag, written at their offsets into a temporary
//! file (renamed on success) or in order into a writer, and checked against
//! the object's CRC.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use boto_core::body::ByteStream;
use boto_core::config::ChecksumMode;
use boto_core::{Map, Value};
use bytes::Bytes;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::task::JoinSet;

use super::args::ALLOWED_DOWNLOAD_ARGS;
use super::checksum::{self, Expected};
use super::progress::{report, Progress};
use super::{Shared, TransferError, TransferOptions, TransferOutput};

/// Bytes gathered before one positioned write.
const WRITE_BATCH: usize = 1 << 20;

/// What `HeadObject` said, and how to ask for the object's bytes.
struct Object {
    bucket: String,
    key: String,
    size: u64,
    etag: Option<String>,
    expected: Option<Expected>,
    /// Members of every `GetObject` (version, SSE-C, payer, owner, mode).
    get_args: Map,
    head: Value,
}

impl Object {
    async fn head(
        shared: &Shared,
        bucket: &str,
        key: &str,
        options: &TransferOptions,
    ) -> Result<Object, TransferError> {
        options.extra_args.check(ALLOWED_DOWNLOAD_ARGS)?;
        let get_args = options.extra_args.as_map().clone();
        let validate = options.extra_args.get("ChecksumMode").and_then(Value::as_str) == Some("ENABLED")
            || shared.client.settings().response_checksum_validation == ChecksumMode::WhenSupported;
        let mut params = Value::Map(get_args.clone());
        params.insert("Bucket", bucket);
        params.insert("Key", key);
        if validate {
            params.insert("ChecksumMode", "ENABLED");
        }
        let head = shared.call("HeadObject", params).await?;
        let size = head["ContentLength"]
            .as_i64()
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| TransferError::UnexpectedResponse("HeadObject gave no ContentLength".into()))?;
        let etag = head["ETag"].as_str().map(str::to_owned);
        let expected = if validate { checksum::expected(&head) } else { None };
        Ok(Object { bucket: bucket.to_owned(), key: key.to_owned(), size, etag, expected, get_args, head })
    }
}

/// One `GetObject`: a range of the object (or all of it), in a group (a part
/// of the object whose CRC is checked).
#[derive(Debug, Clone)]
struct Span {
    index: usize,
    offset: u64,
    len: u64,
    group: usize,
    /// `bytes=a-b`, or `None` to get the whole object.
    range: Option<String>,
}

/// The spans of a download and the checksum they add up to.
struct Layout {
    spans: Vec<Span>,
    /// The CRC to check the groups against (full-object: one group;
    /// composite: one group per part).
    check: Option<Expected>,
}

impl Layout {
    async fn plan(shared: &Shared, object: &Object) -> Layout {
        let size = object.size;
        if size < shared.config.multipart_threshold {
            // One GetObject: the client checks the body against a full-object checksum itself.
            let span = Span { index: 0, offset: 0, len: size, group: 0, range: None };
            return Layout { spans: vec![span], check: None };
        }
        let chunk = shared.config.multipart_chunksize.max(1);
        let groups: Vec<(u64, u64)> = match &object.expected {
            Some(e) => match e.composite_parts {
                None | Some(1) => vec![(0, size)],
                Some(n) => match part_size(shared, object, n).await {
                    Some(p) => (0..u64::from(n)).map(|i| (i * p, p.min(size - i * p))).collect(),
                    None => {
                        tracing::debug!(
                            bucket = %object.bucket, key = %object.key,
                            "composite checksum over parts of unknown sizes: not checked"
                        );
                        return Layout::plain(size, chunk, None);
                    }
                },
            },
            None => return Layout::plain(size, chunk, None),
        };
        let mut spans = Vec::new();
        for (group, (start, len)) in groups.into_iter().enumerate() {
            let mut offset = start;
            while offset < start + len {
                let n = chunk.min(start + len - offset);
                spans.push(Span {
                    index: spans.len(),
                    offset,
                    len: n,
                    group,
                    range: Some(format!("bytes={}-{}", offset, offset + n - 1)),
                });
                offset += n;
            }
        }
        Layout { spans, check: object.expected.clone() }
    }

    fn plain(size: u64, chunk: u64, check: Option<Expected>) -> Layout {
        let spans = (0..size.div_ceil(chunk))
            .map(|i| {
                let offset = i * chunk;
                let len = chunk.min(size - offset);
                let range = Some(format!("bytes={}-{}", offset, offset + len - 1));
                Span { index: i as usize, offset, len, group: 0, range }
            })
            .collect();
        Layout { spans, check }
    }

    /// Checks the CRCs of the spans (in span order) against the object's.
    /// Gives what was verified (`crc32`, `crc32 composite of 3 parts`).
    fn verify(&self, object: &Object, crcs: &[Option<u64>]) -> Result<Option<String>, TransferError> {
        let Some(expected) = &self.check else { return Ok(None) };
        let crc = expected.crc;
        let mut groups: Vec<u64> = Vec::new();
        for (span, value) in self.spans.iter().zip(crcs) {
            let Some(value) = value else { return Ok(None) };
            if span.group == groups.len() {
                groups.push(crc.empty());
            }
            let acc = &mut groups[span.group];
            *acc = crc.combine(*acc, *value, span.len);
        }
        let (actual, kind) = match expected.composite_parts {
            Some(n) => (crc.composite(&groups), format!("{} composite of {n} parts", crc.algorithm.name())),
            None => (groups.first().copied().unwrap_or_else(|| crc.empty()), crc.algorithm.name().to_owned()),
        };
        if actual != expected.value {
            return Err(TransferError::ChecksumMismatch {
                bucket: object.bucket.clone(),
                key: object.key.clone(),
                algorithm: kind,
                expected: expected.text.clone(),
                actual: crc.encode(actual),
            });
        }
        tracing::debug!(bucket = %object.bucket, key = %object.key, algorithm = %kind, "download checksum verified");
        Ok(Some(kind))
    }
}

/// The size of the parts of a multipart object, when they are all that
/// size but the last (as every transfer tool uploads them): `HeadObject`
/// of part 1, checked against the part count.
async fn part_size(shared: &Shared, object: &Object, parts: u32) -> Option<u64> {
    let mut params = Value::Map(object.get_args.clone());
    params.insert("Bucket", object.bucket.as_str());
    params.insert("Key", object.key.as_str());
    params.insert("PartNumber", 1);
    params.remove("ChecksumMode");
    // No If-Match: some servers compare it with the part's own ETag. The ranged
    // GETs are pinned to the object's ETag, so a changed object still fails.
    let head = shared.call("HeadObject", params).await.ok()?;
    let p = u64::try_from(head["ContentLength"].as_i64()?).ok()?;
    let n = u64::from(parts);
    let count_ok = head["PartsCount"].as_i64().is_none_or(|c| c == i64::from(parts));
    (p > 0 && count_ok && (n - 1) * p < object.size && object.size <= n * p).then_some(p)
}

/// Where a span's bytes go.
trait Sink: Send {
    /// Forgets what an earlier attempt wrote.
    fn reset(&mut self);
    /// Takes the chunk at `offset`.
    fn write(
        &mut self,
        offset: u64,
        chunk: Bytes,
    ) -> impl std::future::Future<Output = Result<(), TransferError>> + Send;
    /// Everything written is stored.
    fn flush(&mut self) -> impl std::future::Future<Output = Result<(), TransferError>> + Send;
}

/// Batches of chunks written by [`FileWriter`].
type Batch = (u64, Vec<Bytes>);

/// The one thread writing a download's file: every span sends it batches
/// of consecutive chunks, written at their offsets in arrival order (one
/// writer: no lock contention on the file, no hand-off per batch).
struct FileWriter {
    tx: tokio::sync::mpsc::Sender<Batch>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl FileWriter {
    fn start(file: File) -> FileWriter {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(16);
        let done = tokio::task::spawn_blocking(move || {
            let mut result = Ok(());
            while let Some((offset, chunks)) = rx.blocking_recv() {
                if result.is_ok() {
                    result = write_at(&file, offset, &chunks);
                }
            }
            result
        });
        FileWriter { tx, done }
    }

    /// Waits for every batch to be written (all senders must be dropped).
    async fn finish(self, path: &Path) -> Result<(), TransferError> {
        drop(self.tx);
        self.done.await?.map_err(TransferError::file("write", path))
    }
}

/// A span's writes into the temporary file, a batch at a time.
struct FileSink {
    tx: tokio::sync::mpsc::Sender<Batch>,
    batch: Vec<Bytes>,
    batch_len: usize,
    batch_offset: u64,
}

impl FileSink {
    fn new(tx: tokio::sync::mpsc::Sender<Batch>) -> FileSink {
        FileSink { tx, batch: Vec::new(), batch_len: 0, batch_offset: 0 }
    }
}

impl Sink for FileSink {
    fn reset(&mut self) {
        self.batch.clear();
        self.batch_len = 0;
    }

    async fn write(&mut self, offset: u64, chunk: Bytes) -> Result<(), TransferError> {
        if self.batch.is_empty() {
            self.batch_offset = offset;
        }
        self.batch_len += chunk.len();
        self.batch.push(chunk);
        if self.batch_len >= WRITE_BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), TransferError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        self.batch_len = 0;
        // The writer only stops early when the download is being torn down.
        self.tx
            .send((self.batch_offset, batch))
            .await
            .map_err(|_| TransferError::Task("the file writer stopped".into()))
    }
}

#[cfg(unix)]
fn write_at(file: &File, mut offset: u64, chunks: &[Bytes]) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    for c in chunks {
        file.write_all_at(c, offset)?;
        offset += c.len() as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn write_at(file: &File, mut offset: u64, chunks: &[Bytes]) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    for c in chunks {
        let mut rest = &c[..];
        while !rest.is_empty() {
            let n = file.seek_write(rest, offset)?;
            if n == 0 {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            rest = &rest[n..];
            offset += n as u64;
        }
    }
    Ok(())
}

/// A span kept in memory, to be written in order.
#[derive(Default)]
struct MemorySink {
    chunks: Vec<Bytes>,
}

impl Sink for MemorySink {
    fn reset(&mut self) {
        self.chunks.clear();
    }

    async fn write(&mut self, _offset: u64, chunk: Bytes) -> Result<(), TransferError> {
        self.chunks.push(chunk);
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), TransferError> {
        Ok(())
    }
}

/// What every span task of one download needs.
struct SpanContext {
    shared: Arc<Shared>,
    object: Object,
    crc: Option<super::checksum::Crc>,
    progress: Option<Progress>,
}

/// Errors worth asking for a range again (s3transfer's socket errors, read
/// timeouts and truncated bodies, and damaged data).
fn download_retryable(e: &TransferError) -> bool {
    match e {
        TransferError::Client(e) => matches!(
            e,
            boto_core::Error::Dispatch { .. }
                | boto_core::Error::Timeout { .. }
                | boto_core::Error::Checksum { .. }
                | boto_core::Error::Body(_)
        ),
        TransferError::Body(_) => true,
        TransferError::UnexpectedResponse(_) => true,
        _ => false,
    }
}

/// The progress of one attempt at a span, taken back when the attempt does
/// not finish: it failed, or its download failed elsewhere and the task was
/// cancelled (the future is dropped mid-transfer).
struct Rewind<'a> {
    progress: Option<&'a Progress>,
    got: u64,
}

impl Drop for Rewind<'_> {
    fn drop(&mut self) {
        report(self.progress, self.got, -1);
    }
}

/// Cancels the span tasks left after one failed and waits until they are
/// gone, so that no task writes or reports progress after the download
/// returned its error.
async fn cancel_all<T: 'static>(tasks: &mut JoinSet<T>) {
    tasks.abort_all();
    while tasks.join_next().await.is_some() {}
}

/// A span task's outcome; on failure, the other tasks are cancelled first.
async fn settle<T: 'static, U>(
    tasks: &mut JoinSet<T>,
    joined: Result<Result<U, TransferError>, tokio::task::JoinError>,
) -> Result<U, TransferError> {
    match joined {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            cancel_all(tasks).await;
            Err(e)
        }
        Err(e) => {
            cancel_all(tasks).await;
            Err(e.into())
        }
    }
}

async fn next_chunk(stream: &mut ByteStream) -> Option<Result<Bytes, boto_core::body::BoxError>> {
    std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await
}

/// Fetches one span into `sink`, retrying it; gives the span's CRC when the
/// download is checked.
async fn fetch<S: Sink>(ctx: &SpanContext, span: &Span, sink: &mut S) -> Result<Option<u64>, TransferError> {
    let attempts = ctx.shared.config.num_download_attempts;
    let object = &ctx.object;
    let what = || span.range.clone().unwrap_or_else(|| format!("GetObject s3://{}/{}", object.bucket, object.key));
    let mut last = None;
    for attempt in 1..=attempts {
        sink.reset();
        let mut taken = Rewind { progress: ctx.progress.as_ref(), got: 0 };
        let outcome = fetch_once(ctx, span, sink, &mut taken.got).await;
        match outcome {
            Ok(crc) => {
                taken.got = 0;
                return Ok(crc);
            }
            Err(e) => {
                drop(taken);
                if !download_retryable(&e) {
                    return Err(e);
                }
                tracing::debug!(range = %what(), attempt, error = %e, "range failed; retrying");
                last = Some(e);
            }
        }
    }
    let source = Box::new(last.unwrap_or_else(|| TransferError::Task("no attempt made".into())));
    Err(TransferError::RetriesExceeded { what: what(), attempts, source })
}

async fn fetch_once<S: Sink>(
    ctx: &SpanContext,
    span: &Span,
    sink: &mut S,
    got: &mut u64,
) -> Result<Option<u64>, TransferError> {
    let object = &ctx.object;
    let _permit = ctx.shared.permits.acquire().await.map_err(|e| TransferError::Task(e.to_string()))?;
    let mut params = Value::Map(object.get_args.clone());
    params.insert("Bucket", object.bucket.as_str());
    params.insert("Key", object.key.as_str());
    if let Some(range) = &span.range {
        params.insert("Range", range.as_str());
    }
    if let Some(etag) = &object.etag {
        params.insert("IfMatch", etag.as_str());
    }
    let response = match ctx.shared.client.call("GetObject", params).await {
        Ok(r) => r,
        Err(e) if e.is("PreconditionFailed") => {
            return Err(TransferError::ObjectChanged {
                bucket: object.bucket.clone(),
                key: object.key.clone(),
                etag: object.etag.clone().unwrap_or_default(),
            })
        }
        Err(e) => return Err(e.into()),
    };
    check_content_range(span, object.size, &response)?;
    let mut stream = match response["Body"].as_stream() {
        Some(body) => body.clone().into_stream(256 * 1024).map_err(|e| TransferError::Body(Box::new(e)))?,
        None => return Err(TransferError::UnexpectedResponse("GetObject gave no body".into())),
    };
    let mut digest = ctx.crc.map(|c| c.digest());
    while let Some(chunk) = next_chunk(&mut stream).await {
        let chunk = chunk.map_err(TransferError::Body)?;
        let n = chunk.len() as u64;
        if *got + n > span.len {
            return Err(TransferError::UnexpectedResponse(format!(
                "GetObject sent more than the {} bytes asked for",
                span.len
            )));
        }
        if let Some(d) = &mut digest {
            d.update(&chunk);
        }
        sink.write(span.offset + *got, chunk).await?;
        *got += n;
        report(ctx.progress.as_ref(), n, 1);
    }
    if *got != span.len {
        return Err(TransferError::UnexpectedResponse(format!(
            "GetObject body ended after {} of {} bytes",
            *got, span.len
        )));
    }
    sink.flush().await?;
    Ok(digest.map(|d| d.finalize()))
}

/// The answer must be the range asked for (s3transfer's check).
fn check_content_range(span: &Span, size: u64, response: &Value) -> Result<(), TransferError> {
    let Some(asked) = &span.range else { return Ok(()) };
    let Some(got) = response["ContentRange"].as_str() else {
        // A server that ignores Range sends the whole object: fine only if that is the span.
        if span.offset == 0 && span.len == size {
            return Ok(());
        }
        return Err(TransferError::UnexpectedResponse(format!("no Content-Range in the answer to {asked}")));
    };
    let parsed = got
        .strip_prefix("bytes ")
        .and_then(|r| r.split('/').next())
        .and_then(|r| r.split_once('-'))
        .and_then(|(a, b)| Some((a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?)));
    match parsed {
        Some((start, end)) if start == span.offset && end + 1 == span.offset + span.len => Ok(()),
        _ => Err(TransferError::UnexpectedResponse(format!("asked for {asked}, got Content-Range {got}"))),
    }
}

/// A temporary file beside the target, removed unless renamed over it.
struct TempFile {
    path: PathBuf,
    done: bool,
}

impl TempFile {
    /// Creates `<name>.<random>.boto-tmp` in the target's directory.
    fn create(target: &Path) -> Result<(TempFile, File), TransferError> {
        let name = target
            .file_name()
            .ok_or_else(|| TransferError::InvalidArgument(format!("{} is not a file name", target.display())))?;
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut last = None;
        for _ in 0..8 {
            let mut file_name = name.to_os_string();
            file_name.push(format!(".{:08x}.boto-tmp", fastrand::u32(..)));
            let path = dir.join(file_name);
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => return Ok((TempFile { path, done: false }, file)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(TransferError::file("create", &path)(e)),
            }
        }
        let e = last.unwrap_or_else(|| std::io::ErrorKind::AlreadyExists.into());
        Err(TransferError::file("create a temporary file in", &dir)(e))
    }

    /// Renames the file over `target` (every handle on it must be closed).
    async fn persist(mut self, target: &Path) -> Result<(), TransferError> {
        let from = self.path.clone();
        let to = target.to_path_buf();
        let renamed = tokio::task::spawn_blocking(move || std::fs::rename(from, to)).await?;
        renamed.map_err(TransferError::file("rename the download to", target))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.done {
            if let Err(e) = std::fs::remove_file(&self.path) {
                tracing::warn!(path = %self.path.display(), error = %e, "could not remove the partial download");
            }
        }
    }
}

/// Downloads to a file.
pub(crate) async fn download_file(
    shared: &Arc<Shared>,
    bucket: &str,
    key: &str,
    path: &Path,
    options: TransferOptions,
) -> Result<TransferOutput, TransferError> {
    let object = Object::head(shared, bucket, key, &options).await?;
    let layout = Layout::plan(shared, &object).await;
    let (temp, file) = TempFile::create(path)?;
    let writer = FileWriter::start(file);
    let (size, head) = (object.size, object.head.clone());
    let ctx = Arc::new(SpanContext {
        shared: shared.clone(),
        crc: layout.check.as_ref().map(|e| e.crc),
        object,
        progress: options.progress.clone(),
    });
    tracing::debug!(bucket, key, size, spans = layout.spans.len(), "download to a file");
    let mut crcs = vec![None; layout.spans.len()];
    let mut tasks = JoinSet::new();
    let mut next = 0;
    let window = shared.config.max_concurrency.saturating_mul(2);
    loop {
        while next < layout.spans.len() && tasks.len() < window {
            let span = layout.spans[next].clone();
            let ctx = ctx.clone();
            let mut sink = FileSink::new(writer.tx.clone());
            tasks.spawn(async move { fetch(&ctx, &span, &mut sink).await.map(|crc| (span.index, crc)) });
            next += 1;
        }
        let Some(joined) = tasks.join_next().await else { break };
        let (index, crc) = settle(&mut tasks, joined).await?;
        crcs[index] = crc;
    }
    writer.finish(&temp.path).await?;
    let verified = layout.verify(&ctx.object, &crcs)?;
    temp.persist(path).await?;
    let mut out = TransferOutput::new(size, parts(&layout), head);
    out.checksum_verified = verified;
    Ok(out)
}

fn parts(layout: &Layout) -> u32 {
    match layout.spans.as_slice() {
        [one] if one.range.is_none() => 0,
        spans => spans.len() as u32,
    }
}

/// Downloads into a writer, in order.
pub(crate) async fn download_writer<W>(
    shared: &Arc<Shared>,
    bucket: &str,
    key: &str,
    writer: &mut W,
    options: TransferOptions,
) -> Result<TransferOutput, TransferError>
where
    W: AsyncWrite + Unpin + Send,
{
    let object = Object::head(shared, bucket, key, &options).await?;
    let layout = Layout::plan(shared, &object).await;
    let (size, head) = (object.size, object.head.clone());
    let ctx = Arc::new(SpanContext {
        shared: shared.clone(),
        crc: layout.check.as_ref().map(|e| e.crc),
        object,
        progress: options.progress.clone(),
    });
    let n = layout.spans.len();
    let window = shared.config.max_concurrency;
    let mut crcs = vec![None; n];
    let mut ready: BTreeMap<usize, Vec<Bytes>> = BTreeMap::new();
    let mut tasks = JoinSet::new();
    let (mut spawned, mut written) = (0, 0);
    while written < n {
        while spawned < n && spawned - written < window {
            let span = layout.spans[spawned].clone();
            let ctx = ctx.clone();
            tasks.spawn(async move {
                let mut sink = MemorySink::default();
                let crc = fetch(&ctx, &span, &mut sink).await?;
                Ok::<_, TransferError>((span.index, crc, sink.chunks))
            });
            spawned += 1;
        }
        if let Some(chunks) = ready.remove(&written) {
            for chunk in chunks {
                writer.write_all(&chunk).await.map_err(TransferError::Write)?;
            }
            written += 1;
            continue;
        }
        let Some(joined) = tasks.join_next().await else { break };
        let (index, crc, chunks) = settle(&mut tasks, joined).await?;
        crcs[index] = crc;
        ready.insert(index, chunks);
    }
    writer.flush().await.map_err(TransferError::Write)?;
    let verified = layout.verify(&ctx.object, &crcs)?;
    let mut out = TransferOutput::new(size, parts(&layout), head);
    out.checksum_verified = verified;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(offset: u64, len: u64) -> Span {
        Span { index: 0, offset, len, group: 0, range: Some(format!("bytes={}-{}", offset, offset + len - 1)) }
    }

    #[test]
    fn content_ranges_must_match() {
        let ok = boto_core::params!({ "ContentRange": "bytes 10-19/100" });
        assert!(check_content_range(&span(10, 10), 100, &ok).is_ok());
        let bad = boto_core::params!({ "ContentRange": "bytes 0-19/100" });
        assert!(check_content_range(&span(10, 10), 100, &bad).is_err());
        let short = boto_core::params!({ "ContentRange": "bytes 10-15/100" });
        assert!(check_content_range(&span(10, 10), 100, &short).is_err());
        let none = boto_core::params!({});
        assert!(check_content_range(&span(0, 100), 100, &none).is_ok());
        assert!(check_content_range(&span(0, 10), 100, &none).is_err());
    }

    #[test]
    fn plain_layouts_cover_the_object() {
        let l = Layout::plain(25, 10, None);
        let got: Vec<_> = l.spans.iter().map(|s| (s.offset, s.len, s.range.clone().unwrap())).collect();
        assert_eq!(
            got,
            vec![(0, 10, "bytes=0-9".into()), (10, 10, "bytes=10-19".into()), (20, 5, "bytes=20-24".into())]
        );
    }

    #[test]
    fn temp_files_vanish_unless_persisted() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.bin");
        let (t, f) = TempFile::create(&target).unwrap();
        let p = t.path.clone();
        assert!(p.exists() && p.file_name().unwrap().to_string_lossy().starts_with("out.bin."));
        drop((t, f));
        assert!(!p.exists());
        let (t, f) = TempFile::create(&target).unwrap();
        drop(f);
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(t.persist(&target)).unwrap();
        assert!(target.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
