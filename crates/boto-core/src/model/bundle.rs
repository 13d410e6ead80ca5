//! The embedded model bundle: every service's model data, compressed with
//! zstd and a shared trained dictionary, one independently decompressible
//! frame per (service, document), so a client decompresses only what it
//! uses.
//!
//! Layout (integers little-endian):
//!
//! ```text
//! "BOTOMDL1" | u32 dict_len | dict | u32 n
//!   | n * (u8 len, service | u8 len, api version | u8 len, type name
//!          | u32 offset | u32 compressed_len | u32 raw_len)
//!   | frames...
//! ```
//!
//! Global documents (`partitions`, `_retry`, `sdk-default-configuration`)
//! have an empty service and version, and their name as the type.
//! `service-2` documents are stored in the indexed form of
//! [`frame`](super::frame); the others as compact JSON.

use std::sync::OnceLock;

use bytes::Bytes;

use super::ModelError;

/// The magic bytes a bundle starts with.
pub const MAGIC: &[u8; 8] = b"BOTOMDL1";

static EMBEDDED: &[u8] = include_bytes!("../../../../models/models.bin");

/// One document in the bundle.
#[derive(Clone)]
pub struct BundleEntry {
    /// The directory record holding the three names (no copy of the
    /// bundle's bytes), checked to be ASCII when the bundle was parsed.
    names: Bytes,
    /// Where the service, API version and type name lie in `names`.
    ranges: [(u8, u8); 3],
    offset: u32,
    compressed_len: u32,
    raw_len: u32,
}

impl BundleEntry {
    fn name(&self, i: usize) -> &str {
        let (start, len) = self.ranges[i];
        let bytes = &self.names[start as usize..][..len as usize];
        // Checked when the bundle was parsed: never the fallback.
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    fn name_is(&self, i: usize, text: &str) -> bool {
        let (start, len) = self.ranges[i];
        &self.names[start as usize..][..len as usize] == text.as_bytes()
    }

    /// The service name (`ec2`), empty for global documents.
    pub fn service(&self) -> &str {
        self.name(0)
    }

    /// The API version (`2016-11-15`), empty for global documents.
    pub fn api_version(&self) -> &str {
        self.name(1)
    }

    /// The type name (`service-2`, `paginators-1`, `partitions`, ...).
    pub fn type_name(&self) -> &str {
        self.name(2)
    }
}

impl std::fmt::Debug for BundleEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BundleEntry")
            .field("service", &self.service())
            .field("api_version", &self.api_version())
            .field("type_name", &self.type_name())
            .field("compressed_len", &self.compressed_len)
            .field("raw_len", &self.raw_len)
            .finish()
    }
}

/// A parsed bundle: its directory and its dictionary, ready to decompress.
pub struct Bundle {
    data: Bytes,
    entries: Vec<BundleEntry>,
    dict: zstd::dict::DecoderDictionary<'static>,
    /// The decompression context, made on the first read.
    context: std::sync::Mutex<Option<zstd::zstd_safe::DCtx<'static>>>,
}

impl std::fmt::Debug for Bundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bundle({} documents, {} bytes)", self.entries.len(), self.data.len())
    }
}

fn corrupt(msg: impl Into<String>) -> ModelError {
    ModelError::Bundle(msg.into())
}

impl Bundle {
    /// The bundle compiled into this library (read once per process).
    pub fn embedded() -> Result<&'static Bundle, ModelError> {
        static PARSED: OnceLock<Result<Bundle, String>> = OnceLock::new();
        PARSED
            .get_or_init(|| Bundle::parse_with(Bytes::from_static(EMBEDDED), Some(EMBEDDED)).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| corrupt(e.clone()))
    }

    /// Parses a bundle's directory. Every range is checked; decompression is
    /// left for [`Bundle::read`].
    pub fn parse(data: Bytes) -> Result<Bundle, ModelError> {
        Bundle::parse_with(data, None)
    }

    /// `in_place`: the same bytes as `data`, static, so that the
    /// dictionary is used where it lies instead of copied.
    fn parse_with(data: Bytes, in_place: Option<&'static [u8]>) -> Result<Bundle, ModelError> {
        let mut r = Reader { data: &data, pos: 0 };
        if r.take(8).ok_or_else(|| r.truncated())? != MAGIC {
            return Err(corrupt("bad magic"));
        }
        let dict_len = r.u32().ok_or_else(|| r.truncated())? as usize;
        let dict_start = r.pos;
        let dict_bytes = r.take(dict_len).ok_or_else(|| r.truncated())?;
        let dict = match in_place.and_then(|all| all.get(dict_start..dict_start + dict_len)) {
            Some(dict) => zstd::dict::DecoderDictionary::try_new(dict),
            None => zstd::dict::DecoderDictionary::try_copy(dict_bytes),
        }
        .map_err(|e| corrupt(format!("unusable dictionary: {e}")))?;
        let n = r.u32().ok_or_else(|| r.truncated())? as usize;
        if n > data.len() / 16 {
            return Err(corrupt("directory size larger than the bundle"));
        }
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let start = r.pos;
            let mut ranges = [(0u8, 0u8); 3];
            for range in &mut ranges {
                let len = r.take(1).ok_or_else(|| r.truncated())?[0];
                *range = ((r.pos - start) as u8, len);
                // Service, version and type names are ASCII (checked here
                // once, cheaply, so that the accessors can rely on it).
                if !r.take(len as usize).ok_or_else(|| r.truncated())?.is_ascii() {
                    return Err(corrupt(format!("name at byte {} is not ASCII", r.pos)));
                }
            }
            let names = data.slice(start..r.pos);
            let numbers = r.take(12).ok_or_else(|| r.truncated())?;
            let number = |i: usize| u32::from_le_bytes([numbers[i], numbers[i + 1], numbers[i + 2], numbers[i + 3]]);
            let (offset, compressed_len, raw_len) = (number(0), number(4), number(8));
            let entry = BundleEntry { names, ranges, offset, compressed_len, raw_len };
            if (offset as usize).checked_add(compressed_len as usize).is_none_or(|end| end > data.len()) {
                return Err(corrupt(format!(
                    "frame of {}/{} lies outside the bundle",
                    entry.service(),
                    entry.type_name()
                )));
            }
            entries.push(entry);
        }
        Ok(Bundle { data, entries, dict, context: std::sync::Mutex::new(None) })
    }

    /// Every document in the bundle.
    pub fn entries(&self) -> &[BundleEntry] {
        &self.entries
    }

    /// The entry for a document, if present.
    pub fn find(&self, service: &str, type_name: &str) -> Option<&BundleEntry> {
        self.entries.iter().find(|e| e.name_is(0, service) && e.name_is(2, type_name))
    }

    /// The service model of a `service-2` entry of this bundle, chunked or
    /// whole. `source` names it in errors.
    pub fn service_model(
        &'static self,
        entry: &'static BundleEntry,
        source: &str,
    ) -> Result<super::ServiceModel, ModelError> {
        let data = Bytes::from(self.read(entry)?);
        if !super::frame::is_chunked(&data) {
            return super::ServiceModel::from_bytes(entry.service(), entry.api_version(), source, data);
        }
        // The chunks follow their index in the directory.
        let first = self.entries.iter().position(|e| std::ptr::eq(e, entry)).map(|i| i + 1).unwrap_or(usize::MAX);
        let chunks = Box::new(BundleChunks { bundle: self, first, service: entry.service().to_owned() });
        super::ServiceModel::from_chunks(entry.service(), entry.api_version(), source, data, chunks)
    }

    /// Decompresses one document.
    pub fn read(&self, entry: &BundleEntry) -> Result<Vec<u8>, ModelError> {
        let src = &self.data[entry.offset as usize..][..entry.compressed_len as usize];
        let mut out = Vec::with_capacity(entry.raw_len as usize);
        // One decompression context for every read: a fresh one is a
        // hundred kilobytes of workspace to allocate and fault in.
        let mut context = self.context.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let context = context.get_or_insert_with(zstd::zstd_safe::DCtx::create);
        context.decompress_using_ddict(&mut out, src, self.dict.as_ddict()).map_err(|code| {
            let reason = zstd::zstd_safe::get_error_name(code);
            corrupt(format!("{}/{}: {reason}", entry.service(), entry.type_name()))
        })?;
        if out.len() != entry.raw_len as usize {
            return Err(corrupt(format!("{}/{}: wrong decompressed size", entry.service(), entry.type_name())));
        }
        Ok(out)
    }
}

/// The chunks of a chunked service model: directory entries
/// `service-2.0`, `service-2.1`, ... right after its index.
struct BundleChunks {
    bundle: &'static Bundle,
    first: usize,
    service: String,
}

impl super::service::ChunkSource for BundleChunks {
    fn chunk(&self, i: u32) -> Result<Vec<u8>, ModelError> {
        let entry = self
            .first
            .checked_add(i as usize)
            .and_then(|at| self.bundle.entries.get(at))
            .filter(|e| e.service() == self.service && e.type_name() == chunk_type(i))
            .ok_or_else(|| corrupt(format!("{}: chunk {i} of its model is missing", self.service)))?;
        self.bundle.read(entry)
    }
}

/// The type name of chunk `i` of a chunked service model.
pub fn chunk_type(i: u32) -> String {
    format!("service-2.{i}")
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// The next `n` bytes (`None`: fewer are left).
    #[inline(always)]
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.data.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(out)
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn truncated(&self) -> ModelError {
        corrupt(format!("truncated at byte {}", self.pos))
    }
}

/// Writes a bundle (used by `cargo xtask models`). `docs` are (service,
/// api version, type name, compressed frame, raw length).
pub fn write_bundle(dict: &[u8], docs: &[(String, String, String, Vec<u8>, usize)]) -> Vec<u8> {
    let dir_len: usize = docs.iter().map(|d| 3 + d.0.len() + d.1.len() + d.2.len() + 12).sum();
    let mut offset = 8 + 4 + dict.len() + 4 + dir_len;
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(dict.len() as u32).to_le_bytes());
    out.extend_from_slice(dict);
    out.extend_from_slice(&(docs.len() as u32).to_le_bytes());
    for (service, version, type_name, frame, raw_len) in docs {
        for s in [service, version, type_name] {
            out.push(s.len() as u8);
            out.extend_from_slice(s.as_bytes());
        }
        for x in [offset, frame.len(), *raw_len] {
            out.extend_from_slice(&(x as u32).to_le_bytes());
        }
        offset += frame.len();
    }
    for d in docs {
        out.extend_from_slice(&d.3);
    }
    out
}
