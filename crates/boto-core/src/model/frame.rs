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

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

const MAGIC: &[u8; 4] = b"SVC2";

/// A byte range of a name and of its JSON value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub name: (u32, u32),
    pub value: (u32, u32),
}

/// The table over a service document.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub metadata: (u32, u32),
    pub extra: Option<(u32, u32)>,
    pub operations: Vec<Entry>,
    pub shapes: Vec<Entry>,
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
    data.starts_with(MAGIC)
}

/// Reads the table of a frame, checking every range against the data.
pub(crate) fn read_frame(data: &[u8]) -> Result<Table, FrameError> {
    let mut lines = LineRanges { data, pos: 0 };
    let mut line = |what: &str| lines.next().ok_or_else(|| FrameError::new(what.to_owned(), "frame truncated"));
    let header = slice(data, line("header")?);
    let counts: Vec<usize> = std::str::from_utf8(&header[MAGIC.len()..])
        .ok()
        .map(|h| h.split_ascii_whitespace().filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    let [n_ops, n_shapes] = counts[..] else {
        return Err(FrameError::new("header", "bad frame header"));
    };
    if n_ops.saturating_add(n_shapes) > data.len() {
        return Err(FrameError::new("header", "more entries than bytes"));
    }
    let metadata = line("metadata")?;
    let extra = line("clientContextParams")?;
    let mut entries = |n: usize, label: &str| -> Result<Vec<Entry>, FrameError> {
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let (off, len) = line(label)?;
            let text = slice(data, (off, len));
            let tab = memchr::memchr(b'\t', text).ok_or_else(|| FrameError::new(format!("{label}[{i}]"), "no tab"))?;
            let name = &text[..tab];
            if std::str::from_utf8(name).is_err() {
                return Err(FrameError::new(format!("{label}[{i}]"), "name is not UTF-8"));
            }
            if out.last().is_some_and(|prev: &Entry| slice(data, prev.name) >= name) {
                return Err(FrameError::new(format!("{label}[{i}]"), "names are not sorted"));
            }
            out.push(Entry { name: (off, tab as u32), value: (off + tab as u32 + 1, len - tab as u32 - 1) });
        }
        Ok(out)
    };
    let operations = entries(n_ops, "operations")?;
    let shapes = entries(n_shapes, "shapes")?;
    Ok(Table { metadata, extra: (extra.1 > 0).then_some(extra), operations, shapes })
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
    for (name, raw) in &doc.operations {
        let value = range(raw);
        table.operations.push(Entry { name: find_name(name, value)?, value });
    }
    for (name, raw) in &doc.shapes {
        let value = range(raw);
        table.shapes.push(Entry { name: find_name(name, value)?, value });
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
