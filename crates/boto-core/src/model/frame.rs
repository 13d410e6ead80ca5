//! The indexed form of a service model that makes lazy loading cheap.
//!
//! A `service-2.json` document is kept as bytes; a table of byte ranges
//! (metadata, each operation, each shape, sorted by name) lets the index
//! parse one operation or shape on demand. The embedded bundle stores the
//! table ready-made (a *frame*: `SVC2` magic, the table, then the JSON
//! pieces); files on disk get their table from one scanning parse.
//!
//! Frame layout: lines of text, which compress as well as the plain JSON
//! (compact JSON never holds a raw newline or tab):
//!
//! ```text
//! SVC2 <n_ops> <n_shapes>\n
//! <metadata JSON>\n
//! <clientContextParams JSON, or nothing>\n
//! <name>\t<operation JSON>\n      (n_ops lines, sorted by name)
//! <name>\t<shape JSON>\n          (n_shapes lines, sorted by name)
//! ```
//!
//! The other top-level keys of a model carry nothing the SDK uses.
//!
//! Large models (EC2's is 1.2 MB) are stored *chunked*, so that a client
//! decompresses and scans only the part its operations reach: an index
//! frame (`SVC3`) names every operation and shape and the chunk holding
//! it, and each chunk (its own bundle document, `service-2.<i>`) holds
//! their JSON. The generator orders the pieces so that an operation and
//! the shapes it reaches share few chunks.
//!
//! ```text
//! SVC3 <n_ops> <n_shapes> <n_chunks>\n
//! <metadata JSON>\n
//! <clientContextParams JSON, or nothing>\n
//! <shared>\t<name>\t<chunk>\t<line>\n        (n_ops lines, sorted by name)
//! <shared>\t<name>\t<chunk>\t<line>[\te]\n   (n_shapes lines, sorted by name; `e`: an exception)
//! ```
//!
//! Names are front-coded: a line gives the length of the prefix its name
//! shares with the name of the line before (0 on the first line of each
//! list) and the rest of the name.
//!
//! A chunk is lines of JSON, one operation or shape each; the index gives
//! the line (from 0).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

const MAGIC: &[u8; 4] = b"SVC2";
const CHUNKED_MAGIC: &[u8; 4] = b"SVC3";

/// Where the JSON of an operation or shape is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place {
    /// A byte range of the document.
    Here(u32, u32),
    /// In this chunk of a chunked model, at this line.
    Chunk(u32, u32),
}

/// A byte range of a name, and where its JSON value is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub name: (u32, u32),
    pub value: Place,
    /// False when the shape is known not to be an exception (chunked
    /// indexes say); true when it is, or may be.
    pub maybe_exception: bool,
}

/// The table over a service document.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub metadata: (u32, u32),
    pub extra: Option<(u32, u32)>,
    pub operations: Vec<Entry>,
    pub shapes: Vec<Entry>,
    /// How many chunks hold the values (0: the document holds them).
    pub chunks: u32,
    /// The names of a chunked index, spelled out (entries' name ranges are
    /// into this); empty otherwise (they are into the document).
    pub names: Vec<u8>,
}

/// Why a document could not be indexed.
#[derive(Debug)]
pub(crate) struct FrameError {
    pub location: String,
    pub message: String,
}

impl FrameError {
    fn new(location: impl Into<String>, message: impl Into<String>) -> FrameError {
        FrameError { location: location.into(), message: message.into() }
    }
}

/// True if the bytes are a frame (rather than plain JSON).
pub(crate) fn is_frame(data: &[u8]) -> bool {
    data.starts_with(MAGIC) || data.starts_with(CHUNKED_MAGIC)
}

/// True if the bytes are the index of a chunked model.
pub fn is_chunked(data: &[u8]) -> bool {
    data.starts_with(CHUNKED_MAGIC)
}

/// Reads the table of a frame (whole or the index of a chunked one),
/// checking every range against the data.
pub(crate) fn read_frame(data: &[u8]) -> Result<Table, FrameError> {
    let chunked = is_chunked(data);
    // A whole frame's names are cut from its text at ASCII tabs and
    // newlines: one check of the text makes every name valid UTF-8. A
    // chunked index checks each name it spells out instead (its JSON is
    // checked by the JSON parser).
    if !chunked && std::str::from_utf8(data).is_err() {
        return Err(FrameError::new("frame", "not UTF-8"));
    }
    let mut lines = LineRanges { data, pos: 0 };
    let mut line = |what: &str| lines.next().ok_or_else(|| FrameError::new(what.to_owned(), "frame truncated"));
    let header = slice(data, line("header")?);
    let counts: Vec<usize> = std::str::from_utf8(&header[MAGIC.len()..])
        .ok()
        .map(|h| h.split_ascii_whitespace().filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    let (n_ops, n_shapes, n_chunks) = match (chunked, &counts[..]) {
        (false, &[o, s]) => (o, s, 0),
        (true, &[o, s, c]) if c > 0 && c <= u32::MAX as usize => (o, s, c as u32),
        _ => return Err(FrameError::new("header", "bad frame header")),
    };
    if n_ops.saturating_add(n_shapes) > data.len() {
        return Err(FrameError::new("header", "more entries than bytes"));
    }
    let metadata = line("metadata")?;
    let extra = line("clientContextParams")?;
    let extra = (extra.1 > 0).then_some(extra);
    let mut table = Table { metadata, extra, chunks: n_chunks, ..Table::default() };
    if chunked {
        // Spelled out, the names take about 5% more than the whole index
        // (EC2: 115 KB against 108 KB): room for half as much again, so the
        // buffer is never copied (what is not written is never touched).
        let names = Vec::with_capacity(data.len() + data.len() / 2);
        let mut index = IndexLines { data, pos: lines.pos, n_chunks, names };
        table.operations = index.entries(n_ops, "operations")?;
        table.shapes = index.entries(n_shapes, "shapes")?;
        table.names = index.names;
        return Ok(table);
    }
    for (n, label, list) in [(n_ops, "operations", &mut table.operations), (n_shapes, "shapes", &mut table.shapes)] {
        list.reserve_exact(n);
        for i in 0..n {
            let (off, len) = line(label)?;
            let text = slice(data, (off, len));
            let at = || format!("{label}[{i}]");
            let tab = memchr::memchr(b'\t', text).ok_or_else(|| FrameError::new(at(), "no tab"))?;
            let name = &text[..tab];
            if list.last().is_some_and(|prev: &Entry| slice(data, prev.name) >= name) {
                return Err(FrameError::new(at(), "names are not sorted"));
            }
            let value = Place::Here(off + tab as u32 + 1, len - tab as u32 - 1);
            list.push(Entry { name: (off, tab as u32), value, maybe_exception: true });
        }
    }
    Ok(table)
}

/// The entry lines of a chunked index, read in one pass:
/// `<shared>\t<suffix>\t<chunk>\t<line>[\te]`, the name being the first
/// `shared` bytes of the name before, then the suffix. (EC2's index has
/// 5,500 lines and every client of it reads them all, so this loop is
/// written out by hand.)
struct IndexLines<'a> {
    data: &'a [u8],
    pos: usize,
    n_chunks: u32,
    /// The names, spelled out.
    names: Vec<u8>,
}

impl IndexLines<'_> {
    fn entries(&mut self, n: usize, label: &str) -> Result<Vec<Entry>, FrameError> {
        let mut out: Vec<Entry> = Vec::with_capacity(n);
        for i in 0..n {
            let bad = |what: &str| FrameError::new(format!("{label}[{i}]"), what.to_owned());
            // One pass over the line's bytes.
            let data = self.data;
            let (shared, mut p) = field(data, self.pos).ok_or_else(|| bad("bad shared prefix"))?;
            let from = p;
            let mut high = 0u8;
            while let Some(&b) = data.get(p) {
                if b == b'\t' || b == b'\n' {
                    break;
                }
                high |= b;
                p += 1;
            }
            if !matches!(data.get(p), Some(b'\t')) {
                return Err(bad("no name"));
            }
            let suffix = &data[from..p];
            let (chunk, p) = field(data, p + 1).ok_or_else(|| bad("bad chunk or line number"))?;
            let (line, p) = digits(data, p).ok_or_else(|| bad("bad chunk or line number"))?;
            let (exception, end) = match data.get(p..(p + 3).min(data.len())) {
                Some([b'\n', ..]) => (false, p + 1),
                Some(b"\te\n") => (true, p + 3),
                Some([]) => return Err(bad("frame truncated")),
                _ => return Err(bad("bad flag")),
            };
            self.pos = end;
            if chunk >= self.n_chunks {
                return Err(bad("bad chunk or line number"));
            }
            let shared = shared as usize;
            let start = self.names.len();
            match out.last() {
                Some(prev) if shared <= prev.name.1 as usize => {
                    let before = prev.name.0 as usize..(prev.name.0 + prev.name.1) as usize;
                    // Sorted: the name differs from the one before after
                    // their shared prefix, and is greater there.
                    if suffix <= &self.names[before.start + shared..before.end] {
                        return Err(bad("names are not sorted"));
                    }
                    self.names.extend_from_within(before.start..before.start + shared);
                }
                None if shared == 0 => {}
                _ => return Err(bad("shared prefix longer than the name before")),
            }
            self.names.extend_from_slice(suffix);
            if high >= 0x80 && std::str::from_utf8(&self.names[start..]).is_err() {
                return Err(bad("name not UTF-8"));
            }
            let name = (start as u32, (self.names.len() - start) as u32);
            out.push(Entry { name, value: Place::Chunk(chunk, line), maybe_exception: exception });
        }
        Ok(out)
    }
}

/// The decimal number (ASCII digits, at least one, fitting a `u32`) at
/// `at` in `text`, and the position of the byte after its digits.
#[inline(always)]
fn digits(text: &[u8], at: usize) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut i = at;
    while let Some(&b) = text.get(i) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        if i - at >= 9 {
            return None;
        }
        n = n * 10 + u32::from(d);
        i += 1;
    }
    (i > at).then_some((n, i))
}

/// The number at `at` in `text` and the position after the tab that
/// ends it.
#[inline(always)]
fn field(text: &[u8], at: usize) -> Option<(u32, usize)> {
    let (n, i) = digits(text, at)?;
    matches!(text.get(i), Some(b'\t')).then_some((n, i + 1))
}

/// The byte ranges of the lines of a chunk (every line ends with a
/// newline; text after the last one is not a line).
pub(crate) fn read_chunk(data: &[u8]) -> Vec<(u32, u32)> {
    LineRanges { data, pos: 0 }.collect()
}

/// The byte ranges of the lines of a frame (without their newline).
struct LineRanges<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Iterator for LineRanges<'_> {
    type Item = (u32, u32);
    fn next(&mut self) -> Option<(u32, u32)> {
        let rest = self.data.get(self.pos..)?;
        let len = memchr::memchr(b'\n', rest)?;
        let range = (self.pos as u32, len as u32);
        self.pos += len + 1;
        Some(range)
    }
}

pub(crate) fn slice(data: &[u8], (off, len): (u32, u32)) -> &[u8] {
    &data[off as usize..off as usize + len as usize]
}

#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(borrow)]
    metadata: Option<&'a RawValue>,
    #[serde(borrow, rename = "clientContextParams")]
    client_context_params: Option<&'a RawValue>,
    #[serde(borrow, default)]
    operations: BTreeMap<String, &'a RawValue>,
    #[serde(borrow, default)]
    shapes: BTreeMap<String, &'a RawValue>,
}

/// Indexes a plain `service-2.json` document. Names that appear in the
/// document with escapes are rejected (no model uses them).
pub(crate) fn index_json(data: &[u8]) -> Result<Table, FrameError> {
    let doc: Doc<'_> = {
        let de = &mut serde_json::Deserializer::from_slice(data);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            FrameError::new(format!("{path} (line {}, column {})", inner.line(), inner.column()), inner.to_string())
        })?
    };
    let metadata = doc.metadata.ok_or_else(|| FrameError::new("metadata", "missing"))?;
    let base = data.as_ptr() as usize;
    let range = |raw: &RawValue| ((raw.get().as_ptr() as usize - base) as u32, raw.get().len() as u32);
    let find_name = |name: &str, after: (u32, u32)| -> Result<(u32, u32), FrameError> {
        // The key sits before its value: search backwards for `"name"`.
        let quoted = format!("\"{name}\"");
        let hay = &data[..after.0 as usize];
        let pos = memrchr_str(hay, quoted.as_bytes()).ok_or_else(|| FrameError::new(name, "name contains escapes"))?;
        Ok(((pos + 1) as u32, name.len() as u32))
    };
    let mut table =
        Table { metadata: range(metadata), extra: doc.client_context_params.map(range), ..Table::default() };
    let entry = |name: &str, raw: &RawValue| -> Result<Entry, FrameError> {
        let (off, len) = range(raw);
        Ok(Entry { name: find_name(name, (off, len))?, value: Place::Here(off, len), maybe_exception: true })
    };
    for (name, raw) in &doc.operations {
        table.operations.push(entry(name, raw)?);
    }
    for (name, raw) in &doc.shapes {
        table.shapes.push(entry(name, raw)?);
    }
    Ok(table)
}

fn memrchr_str(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Builds a frame from compact JSON pieces (used by the bundle generator).
///
/// `extra` is the JSON of `clientContextParams`, or empty. Names and JSON
/// must not hold raw newlines or tabs (compact JSON never does).
pub fn encode_frame(
    metadata: &str,
    extra: &str,
    operations: &[(String, String)],
    shapes: &[(String, String)],
) -> Vec<u8> {
    fn sorted(list: &[(String, String)]) -> Vec<&(String, String)> {
        let mut v: Vec<&(String, String)> = list.iter().collect();
        v.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        v
    }
    let mut out = format!("SVC2 {} {}\n{metadata}\n{extra}\n", operations.len(), shapes.len());
    for (name, value) in sorted(operations).into_iter().chain(sorted(shapes)) {
        out.push_str(name);
        out.push('\t');
        out.push_str(value);
        out.push('\n');
    }
    out.into_bytes()
}

/// One operation or shape of a chunked model, for [`encode_chunked`].
#[derive(Debug, Clone)]
pub struct Piece {
    /// An operation (else a shape).
    pub operation: bool,
    /// Its name.
    pub name: String,
    /// Its compact JSON.
    pub json: String,
    /// A shape with the `exception` trait.
    pub exception: bool,
}

/// Builds a chunked model (used by the bundle generator): the index frame
/// and one document per chunk, from pieces already grouped into chunks.
/// Names and JSON must not hold raw newlines or tabs.
pub fn encode_chunked(metadata: &str, extra: &str, chunks: &[Vec<Piece>]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut ops: Vec<(&Piece, usize, usize)> = Vec::new();
    let mut shapes: Vec<(&Piece, usize, usize)> = Vec::new();
    let mut bodies = Vec::with_capacity(chunks.len());
    for (i, chunk) in chunks.iter().enumerate() {
        let mut body = String::new();
        for (line, piece) in chunk.iter().enumerate() {
            if piece.operation { &mut ops } else { &mut shapes }.push((piece, i, line));
            body.push_str(&piece.json);
            body.push('\n');
        }
        bodies.push(body.into_bytes());
    }
    ops.sort_by(|a, b| a.0.name.as_bytes().cmp(b.0.name.as_bytes()));
    shapes.sort_by(|a, b| a.0.name.as_bytes().cmp(b.0.name.as_bytes()));
    let mut index = format!("SVC3 {} {} {}\n{metadata}\n{extra}\n", ops.len(), shapes.len(), chunks.len());
    for list in [ops, shapes] {
        let mut before = "";
        for (piece, chunk, line) in list {
            let name = piece.name.as_str();
            let shared = name.bytes().zip(before.bytes()).take_while(|(a, b)| a == b).count();
            // A prefix of a name ends on a character boundary.
            let shared = (0..=shared).rev().find(|&n| name.is_char_boundary(n)).unwrap_or(0);
            index.push_str(&format!("{shared}\t{}\t{chunk}\t{line}", &name[shared..]));
            if piece.exception {
                index.push_str("\te");
            }
            index.push('\n');
            before = name;
        }
    }
    (index.into_bytes(), bodies)
}
