//! The service model index: metadata eagerly, operations and shapes lazily.

use std::sync::OnceLock;

use bytes::Bytes;
use indexmap::IndexMap;
use serde::Deserialize;

use super::frame::{self, slice, Place, Table};
use super::operation::{Operation, RawOperation};
use super::shape::{RawShape, Shape, ShapeId};
use super::ModelError;

/// The protocols boto-rs speaks, in botocore 1.44.5's order of preference
/// for models that list several.
pub const PROTOCOL_PREFERENCE: [&str; 6] = ["json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2"];

/// The `metadata` block of a service model.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Metadata {
    /// `apiVersion` (`2012-08-10`).
    pub api_version: String,
    /// `endpointPrefix`.
    pub endpoint_prefix: String,
    /// `jsonVersion` (`1.0`, `1.1`) for the json protocol.
    pub json_version: Option<String>,
    /// `protocol`: the legacy single protocol.
    pub protocol: String,
    /// `protocols`: every protocol the service speaks.
    pub protocols: Vec<String>,
    /// `serviceAbbreviation`.
    pub service_abbreviation: Option<String>,
    /// `serviceFullName`.
    pub service_full_name: String,
    /// `serviceId` (`DynamoDB`), the basis of AWS_ENDPOINT_URL_<SERVICE_ID>.
    pub service_id: String,
    /// `signatureVersion` (`v4`, `s3v4`, `bearer`, ...).
    pub signature_version: Option<String>,
    /// `signingName`, when it differs from the endpoint prefix.
    pub signing_name: Option<String>,
    /// `targetPrefix` for the json protocol's `X-Amz-Target`.
    pub target_prefix: Option<String>,
    /// `uid`.
    pub uid: Option<String>,
    /// `xmlNamespace` for query responses.
    pub xml_namespace: Option<String>,
    /// `auth`: the service's auth schemes in order of preference.
    pub auth: Vec<String>,
    /// `protocolSettings` (`{"h2": "eventstream"}`).
    pub protocol_settings: serde_json::Map<String, serde_json::Value>,
    /// `checksumFormat` (glacier).
    pub checksum_format: Option<String>,
    /// `awsQueryCompatible` is present: error codes may come from the
    /// `x-amzn-query-error` header.
    #[serde(deserialize_with = "present")]
    pub aws_query_compatible: bool,
    /// `globalEndpoint`.
    pub global_endpoint: Option<String>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| true)
}

impl Metadata {
    /// The protocol to speak: the first of [`PROTOCOL_PREFERENCE`] that the
    /// service lists in `protocols`, else `protocol` (as botocore 1.44.5).
    ///
    /// ```
    /// let m = boto_core::model::Metadata {
    ///     protocol: "query".into(),
    ///     protocols: vec!["smithy-rpc-v2-cbor".into(), "json".into(), "query".into()],
    ///     ..Default::default()
    /// };
    /// assert_eq!(m.resolved_protocol(), "json");
    /// ```
    pub fn resolved_protocol(&self) -> &str {
        if !self.protocols.is_empty() {
            if let Some(p) = PROTOCOL_PREFERENCE.iter().find(|p| self.protocols.iter().any(|x| x == *p)) {
                return p;
            }
        }
        &self.protocol
    }

    /// The name to sign with: `signingName`, else `endpointPrefix`.
    pub fn signing_name(&self) -> &str {
        self.signing_name.as_deref().unwrap_or(&self.endpoint_prefix)
    }
}

/// A client context parameter declared by the model (`clientContextParams`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClientContextParam {
    /// `string` or `boolean`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// One service's model, indexed for lazy access.
///
/// Metadata is parsed when the model loads; an operation is parsed the first
/// time it is asked for, together with every shape it reaches (input,
/// output, errors, transitively), so a client pays only for the operations
/// it calls. Once handed out, an operation or shape is resolved for good:
/// [`ServiceModel::shape`] on any id found in it never fails.
pub struct ServiceModel {
    service_name: String,
    api_version: String,
    source: String,
    data: Bytes,
    table: Table,
    metadata: Metadata,
    client_context_params: IndexMap<String, ClientContextParam>,
    /// Parsed operations and shapes, one slot per entry of the table. Boxed
    /// so that an unparsed slot costs a pointer, not a whole `Shape`: EC2
    /// has thousands of shapes and a call touches a few dozen.
    operations: Box<[OnceLock<Box<Operation>>]>,
    shapes: Box<[OnceLock<Box<Shape>>]>,
    error_codes: OnceLock<std::collections::HashMap<Box<str>, ShapeId>>,
    /// A chunked model's chunks, each read on first use.
    chunks: Option<Chunks>,
    /// Serializes shape resolution (see `resolve_closure`).
    resolving: std::sync::Mutex<()>,
}

impl std::fmt::Debug for ServiceModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceModel")
            .field("service", &self.service_name)
            .field("api_version", &self.api_version)
            .field("source", &self.source)
            .field("operations", &self.table.operations.len())
            .field("shapes", &self.table.shapes.len())
            .finish()
    }
}

/// The shape returned for an id that is not resolved; unreachable through
/// the public API, kept so that lookups never panic.
static UNRESOLVED: OnceLock<Shape> = OnceLock::new();

/// Where a chunked model gets its chunks (the bundle it came from).
pub(crate) trait ChunkSource: Send + Sync {
    /// The bytes of chunk `i`.
    fn chunk(&self, i: u32) -> Result<Vec<u8>, ModelError>;
}

/// The chunks of a chunked model.
struct Chunks {
    source: Box<dyn ChunkSource>,
    /// A chunk that cannot be read keeps its error's text.
    loaded: Box<[OnceLock<Result<Chunk, String>>]>,
}

/// A chunk read: its bytes and its lines.
struct Chunk {
    data: Vec<u8>,
    lines: Vec<(u32, u32)>,
}

impl ServiceModel {
    /// Indexes a service document: a frame from the bundle or plain
    /// `service-2.json` bytes. `source` names the file in errors.
    pub fn from_bytes(
        service_name: &str,
        api_version: &str,
        source: &str,
        data: impl Into<Bytes>,
    ) -> Result<ServiceModel, ModelError> {
        ServiceModel::build(service_name, api_version, source, data.into(), None)
    }

    /// Indexes a chunked model: `index` is its index frame, `chunks` gives
    /// the chunks it names.
    pub(crate) fn from_chunks(
        service_name: &str,
        api_version: &str,
        source: &str,
        index: Bytes,
        chunks: Box<dyn ChunkSource>,
    ) -> Result<ServiceModel, ModelError> {
        ServiceModel::build(service_name, api_version, source, index, Some(chunks))
    }

    fn build(
        service_name: &str,
        api_version: &str,
        source: &str,
        data: Bytes,
        chunk_source: Option<Box<dyn ChunkSource>>,
    ) -> Result<ServiceModel, ModelError> {
        let invalid = |e: frame::FrameError| ModelError::invalid(source, e.location, e.message);
        let table = if frame::is_frame(&data) { frame::read_frame(&data) } else { frame::index_json(&data) }
            .map_err(invalid)?;
        let chunks = match (table.chunks, chunk_source) {
            (0, _) => None,
            (_, None) => {
                return Err(ModelError::invalid(source, "header", "a chunked model read without its chunks"));
            }
            (n, Some(source)) => Some(Chunks { source, loaded: (0..n).map(|_| OnceLock::new()).collect() }),
        };
        let metadata: Metadata = parse_at(source, "metadata", slice(&data, table.metadata))?;
        let client_context_params = match table.extra {
            Some(range) => parse_at(source, "clientContextParams", slice(&data, range))?,
            None => IndexMap::new(),
        };
        let operations = (0..table.operations.len()).map(|_| OnceLock::new()).collect();
        let shapes = (0..table.shapes.len()).map(|_| OnceLock::new()).collect();
        Ok(ServiceModel {
            service_name: service_name.to_owned(),
            api_version: api_version.to_owned(),
            source: source.to_owned(),
            data,
            table,
            metadata,
            client_context_params,
            operations,
            shapes,
            error_codes: OnceLock::new(),
            chunks,
            resolving: std::sync::Mutex::new(()),
        })
    }

    /// How many chunks the model is stored in (0: not chunked).
    #[cfg(test)]
    pub(crate) fn chunk_count(&self) -> usize {
        self.chunks.as_ref().map_or(0, |c| c.loaded.len())
    }

    /// How many chunks have been read.
    #[cfg(test)]
    pub(crate) fn chunks_read(&self) -> usize {
        self.chunks.as_ref().map_or(0, |c| c.loaded.iter().filter(|l| l.get().is_some()).count())
    }

    /// The JSON text of an operation or shape entry, reading its chunk the
    /// first time one of its entries is asked for; `location` (made only for
    /// an error) names the entry in errors.
    fn value(&self, entry: &frame::Entry, location: impl Fn() -> String) -> Result<&[u8], ModelError> {
        let (chunk, line) = match entry.value {
            Place::Here(off, len) => return Ok(slice(&self.data, (off, len))),
            Place::Chunk(chunk, line) => (chunk, line),
        };
        let chunks = self.chunks.as_ref().ok_or_else(|| ModelError::invalid(&self.source, location(), "no chunks"))?;
        let slot = chunks
            .loaded
            .get(chunk as usize)
            .ok_or_else(|| ModelError::invalid(&self.source, location(), format!("chunk {chunk} does not exist")))?;
        let loaded = slot.get_or_init(|| {
            let data = chunks.source.chunk(chunk).map_err(|e| e.to_string())?;
            let lines = frame::read_chunk(&data);
            Ok(Chunk { data, lines })
        });
        let loaded = loaded.as_ref().map_err(|e| ModelError::invalid(&self.source, location(), e.clone()))?;
        let range = loaded.lines.get(line as usize).ok_or_else(|| {
            ModelError::invalid(&self.source, location(), format!("chunk {chunk} has no line {line}"))
        })?;
        Ok(slice(&loaded.data, *range))
    }

    /// The service name as botocore spells it (`dynamodb`, `s3`).
    pub fn service_name(&self) -> &str {
        &self.service_name
    }

    /// The API version this model describes.
    pub fn api_version(&self) -> &str {
        &self.api_version
    }

    /// Where the model came from (a file path, or `embedded:...`).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The metadata block.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The client context parameters the model declares.
    pub fn client_context_params(&self) -> &IndexMap<String, ClientContextParam> {
        &self.client_context_params
    }

    /// The names of every operation, sorted.
    pub fn operation_names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.table.operations.iter().map(|e| self.name_of(e.name))
    }

    /// The names of every shape, sorted.
    pub fn shape_names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.table.shapes.iter().map(|e| self.name_of(e.name))
    }

    fn name_of(&self, range: (u32, u32)) -> &str {
        // The ranges were checked to be UTF-8 when the table was built.
        std::str::from_utf8(self.name_bytes(range)).unwrap_or("")
    }

    fn name_bytes(&self, range: (u32, u32)) -> &[u8] {
        if self.table.names.is_empty() {
            slice(&self.data, range)
        } else {
            slice(&self.table.names, range)
        }
    }

    fn find(&self, entries: &[frame::Entry], name: &str) -> Option<usize> {
        entries.binary_search_by(|e| self.name_bytes(e.name).cmp(name.as_bytes())).ok()
    }

    /// True when the model has an operation called `name` (nothing is
    /// parsed).
    pub fn has_operation(&self, name: &str) -> bool {
        self.find(&self.table.operations, name).is_some()
    }

    /// The id of the shape called `name`, if the model has it. The shape is
    /// not parsed yet; use [`ServiceModel::shape_named`] for that.
    pub fn shape_id(&self, name: &str) -> Option<ShapeId> {
        self.find(&self.table.shapes, name).map(|i| ShapeId(i as u32))
    }

    /// The operation called `name` (model spelling, `GetItem`), parsed with
    /// every shape it reaches. `Ok(None)` if the service has no such
    /// operation; an error if its model text is invalid.
    pub fn operation(&self, name: &str) -> Result<Option<&Operation>, ModelError> {
        let Some(i) = self.find(&self.table.operations, name) else { return Ok(None) };
        if let Some(op) = self.operations[i].get() {
            return Ok(Some(&**op));
        }
        let entry = self.table.operations[i];
        let location = format!("operations.{name}");
        let raw: RawOperation = parse_at(&self.source, &location, self.value(&entry, || location.clone())?)?;
        let op = raw
            .build(name, &mut |s| self.shape_id(s))
            .map_err(|(path, msg)| ModelError::invalid(&self.source, join(&location, &path), msg))?;
        let roots =
            op.input.iter().map(|r| r.shape).chain(op.output.iter().map(|r| r.shape)).chain(op.errors.iter().copied());
        for id in roots.collect::<Vec<_>>() {
            self.resolve_closure(id)?;
        }
        Ok(Some(&**self.operations[i].get_or_init(|| Box::new(op))))
    }

    /// The shape called `name`, parsed with every shape it reaches.
    pub fn shape_named(&self, name: &str) -> Result<Option<&Shape>, ModelError> {
        let Some(id) = self.shape_id(name) else { return Ok(None) };
        self.resolve_closure(id)?;
        Ok(Some(self.shape(id)))
    }

    /// The shape with this id. Ids come from resolved operations and shapes,
    /// whose reachable shapes are all parsed, so this never fails for them.
    pub fn shape(&self, id: ShapeId) -> &Shape {
        match self.shapes.get(id.0 as usize).and_then(OnceLock::get) {
            Some(shape) => shape,
            None => UNRESOLVED.get_or_init(Shape::unresolved),
        }
    }

    /// The exception shape whose error code is `code`, searched over every
    /// shape of the service like botocore's `shape_for_error_code`: a
    /// shape's code is its `error.code` trait, else its name. The first
    /// call indexes the service's exception shapes (parsing them).
    pub fn error_shape_for_code(&self, code: &str) -> Result<Option<&Shape>, ModelError> {
        let index = match self.error_codes.get() {
            Some(index) => index,
            None => {
                let mut index = std::collections::HashMap::new();
                for (i, entry) in self.table.shapes.iter().enumerate() {
                    // Cheap filters (the index, the text) before parsing the shape.
                    if !entry.maybe_exception {
                        continue;
                    }
                    let text = self.value(entry, || format!("shapes.{}", self.name_of(entry.name)))?;
                    if memchr::memmem::find(text, b"\"exception\"").is_none() {
                        continue;
                    }
                    let id = ShapeId(i as u32);
                    self.resolve_closure(id)?;
                    let shape = self.shape(id);
                    if shape.traits.exception {
                        let code = shape.traits.error.as_ref().and_then(|e| e.code.clone());
                        index.insert(code.unwrap_or_else(|| shape.name.clone()), id);
                    }
                }
                self.error_codes.get_or_init(|| index)
            }
        };
        Ok(index.get(code).map(|&id| self.shape(id)))
    }

    /// Parses `root` and every shape reachable from it that is not parsed
    /// yet.
    ///
    /// Invariant: a shape is stored only once every shape it reaches is
    /// stored too. Resolutions are serialized and a batch is stored only
    /// after all of it parsed, so a thread never skips a shape that another
    /// thread has stored but whose members it has not resolved yet (which
    /// would leave [`ServiceModel::shape`] returning the placeholder), and
    /// a model error leaves nothing half resolved.
    fn resolve_closure(&self, root: ShapeId) -> Result<(), ModelError> {
        let _guard = self.resolving.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut stack = vec![root];
        let mut batch: Vec<(ShapeId, Shape)> = Vec::new();
        // A bit per shape of the model: queued (parsed or to be) in this
        // closure.
        let mut queued = vec![0u64; self.shapes.len().div_ceil(64)];
        let bit = |id: ShapeId| (id.0 as usize / 64, 1u64 << (id.0 % 64));
        while let Some(id) = stack.pop() {
            let (word, mask) = bit(id);
            if self.shapes[id.0 as usize].get().is_some() || queued[word] & mask != 0 {
                continue;
            }
            queued[word] |= mask;
            let shape = self.parse_shape(id)?;
            let targets = shape
                .members
                .iter()
                .chain(shape.member.iter())
                .chain(shape.key.iter())
                .chain(shape.value.iter())
                .map(|m| m.target);
            for t in targets {
                let (word, mask) = bit(t);
                if queued[word] & mask == 0 && self.shapes[t.0 as usize].get().is_none() {
                    stack.push(t);
                }
            }
            batch.push((id, shape));
        }
        for (id, shape) in batch {
            let _ = self.shapes[id.0 as usize].set(Box::new(shape));
        }
        Ok(())
    }

    fn parse_shape(&self, id: ShapeId) -> Result<Shape, ModelError> {
        let entry = self.table.shapes[id.0 as usize];
        let name = self.name_of(entry.name);
        let location = || format!("shapes.{name}");
        let text = self.value(&entry, location)?;
        let raw: RawShape = parse_lazy(&self.source, location, text)?;
        raw.build(id, name, &mut |s| self.shape_id(s))
            .map_err(|(path, msg)| ModelError::invalid(&self.source, join(&location(), &path), msg))
    }

    /// The whole model as a `service-2.json` document (documentation
    /// stripped when it came from the bundle), every chunk read.
    pub(crate) fn to_json(&self) -> Result<serde_json::Value, ModelError> {
        let mut doc = serde_json::Map::new();
        doc.insert("metadata".into(), parse_at(&self.source, "metadata", slice(&self.data, self.table.metadata))?);
        if let Some(range) = self.table.extra {
            doc.insert(
                "clientContextParams".into(),
                parse_at(&self.source, "clientContextParams", slice(&self.data, range))?,
            );
        }
        for (key, entries) in [("operations", &self.table.operations), ("shapes", &self.table.shapes)] {
            let mut all = serde_json::Map::new();
            for entry in entries {
                let name = self.name_of(entry.name);
                let location = format!("{key}.{name}");
                all.insert(
                    name.to_owned(),
                    parse_at(&self.source, &location, self.value(entry, || location.clone())?)?,
                );
            }
            doc.insert(key.into(), serde_json::Value::Object(all));
        }
        Ok(serde_json::Value::Object(doc))
    }

    /// The JSON text of an operation as the model has it (documentation
    /// stripped in the embedded bundle).
    pub fn operation_json(&self, name: &str) -> Option<&str> {
        let i = self.find(&self.table.operations, name)?;
        let text = self.value(&self.table.operations[i], || name.to_owned()).ok()?;
        std::str::from_utf8(text).ok()
    }

    /// The JSON text of a shape as the model has it.
    pub fn shape_json(&self, name: &str) -> Option<&str> {
        let i = self.find(&self.table.shapes, name)?;
        let text = self.value(&self.table.shapes[i], || name.to_owned()).ok()?;
        std::str::from_utf8(text).ok()
    }
}

fn join(a: &str, b: &str) -> String {
    if b.is_empty() {
        a.to_owned()
    } else {
        format!("{a}.{b}")
    }
}

/// Parses a piece of a model, naming the file and JSON location on failure.
pub(crate) fn parse_at<T: serde::de::DeserializeOwned>(
    source: &str,
    location: &str,
    text: &[u8],
) -> Result<T, ModelError> {
    parse_lazy(source, || location.to_owned(), text)
}

/// [`parse_at`] with the location made only for an error.
fn parse_lazy<T: serde::de::DeserializeOwned>(
    source: &str,
    location: impl FnOnce() -> String,
    text: &[u8],
) -> Result<T, ModelError> {
    match serde_json::from_slice(text) {
        Ok(v) => Ok(v),
        Err(_) => {
            let location = location();
            let location = location.as_str();
            // Parse again, slowly, to learn the path of the failure.
            let de = &mut serde_json::Deserializer::from_slice(text);
            let err = match serde_path_to_error::deserialize::<_, T>(de) {
                Ok(_) => return Err(ModelError::invalid(source, location, "inconsistent parse")),
                Err(e) => e,
            };
            let path = err.path().to_string();
            let path = if path == "." { String::new() } else { path };
            Err(ModelError::invalid(source, join(location, &path), err.into_inner().to_string()))
        }
    }
}
