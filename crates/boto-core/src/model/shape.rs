//! Shapes, members and their traits: the typed view of a model's `shapes`.

use serde::Deserialize;

/// The index of a shape in its service model. Cheap to copy; resolve it with
/// [`ServiceModel::shape`](super::ServiceModel::shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShapeId(pub(crate) u32);

/// The kind of a shape (its `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShapeKind {
    /// `structure` (also unions, with [`Traits::union`] set).
    Structure,
    /// `list`.
    List,
    /// `map`.
    Map,
    /// `string` (also enums).
    String,
    /// `character`: a one-character string.
    Character,
    /// `byte`.
    Byte,
    /// `short`.
    Short,
    /// `integer`.
    Integer,
    /// `long`.
    Long,
    /// `float`.
    Float,
    /// `double`.
    Double,
    /// `bigInteger`: kept as exact text.
    BigInteger,
    /// `bigDecimal`: kept as exact text.
    BigDecimal,
    /// `boolean`.
    Boolean,
    /// `blob`.
    Blob,
    /// `timestamp`.
    Timestamp,
}

impl ShapeKind {
    fn parse(s: &str) -> Option<ShapeKind> {
        Some(match s {
            "structure" => ShapeKind::Structure,
            "list" => ShapeKind::List,
            "map" => ShapeKind::Map,
            "string" => ShapeKind::String,
            "character" => ShapeKind::Character,
            "byte" => ShapeKind::Byte,
            "short" => ShapeKind::Short,
            "integer" => ShapeKind::Integer,
            "long" => ShapeKind::Long,
            "float" => ShapeKind::Float,
            "double" => ShapeKind::Double,
            "biginteger" | "bigInteger" => ShapeKind::BigInteger,
            "bigdecimal" | "bigDecimal" => ShapeKind::BigDecimal,
            "boolean" => ShapeKind::Boolean,
            "blob" => ShapeKind::Blob,
            "timestamp" => ShapeKind::Timestamp,
            _ => return None,
        })
    }

    /// The model's name for the kind (`"structure"`, `"integer"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ShapeKind::Structure => "structure",
            ShapeKind::List => "list",
            ShapeKind::Map => "map",
            ShapeKind::String => "string",
            ShapeKind::Character => "character",
            ShapeKind::Byte => "byte",
            ShapeKind::Short => "short",
            ShapeKind::Integer => "integer",
            ShapeKind::Long => "long",
            ShapeKind::Float => "float",
            ShapeKind::Double => "double",
            ShapeKind::BigInteger => "bigInteger",
            ShapeKind::BigDecimal => "bigDecimal",
            ShapeKind::Boolean => "boolean",
            ShapeKind::Blob => "blob",
            ShapeKind::Timestamp => "timestamp",
        }
    }

    /// True for the integral kinds (byte, short, integer, long).
    pub fn is_integer(self) -> bool {
        matches!(self, ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long)
    }

    /// True for float and double.
    pub fn is_float(self) -> bool {
        matches!(self, ShapeKind::Float | ShapeKind::Double)
    }

    /// True for everything but structure, list and map.
    pub fn is_scalar(self) -> bool {
        !matches!(self, ShapeKind::Structure | ShapeKind::List | ShapeKind::Map)
    }
}

/// Where an input member goes in an HTTP request, or comes from in a
/// response (`location`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// A URI path label.
    Uri,
    /// A query string parameter (or, for a map, all of its entries).
    QueryString,
    /// A header.
    Header,
    /// A map of headers sharing a prefix (`locationName`).
    Headers,
    /// The HTTP status code (output only).
    StatusCode,
}

impl Location {
    fn parse(s: &str) -> Option<Location> {
        Some(match s {
            "uri" => Location::Uri,
            "querystring" => Location::QueryString,
            "header" => Location::Header,
            "headers" => Location::Headers,
            "statusCode" => Location::StatusCode,
            _ => return None,
        })
    }
}

/// A `timestampFormat` trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// ISO 8601 (`2015-01-25T08:00:00Z`).
    Iso8601,
    /// RFC 822 / HTTP date (`Sun, 25 Jan 2015 08:00:00 GMT`).
    Rfc822,
    /// Seconds since the epoch, possibly fractional.
    UnixTimestamp,
}

impl TimestampFormat {
    fn parse(s: &str) -> Option<TimestampFormat> {
        Some(match s {
            "iso8601" => TimestampFormat::Iso8601,
            "rfc822" => TimestampFormat::Rfc822,
            "unixTimestamp" => TimestampFormat::UnixTimestamp,
            _ => return None,
        })
    }
}

/// An `xmlNamespace` trait: `{"prefix": ..., "uri": ...}` or a bare URI.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "XmlNamespaceRaw")]
pub struct XmlNamespace {
    /// The prefix (`xmlns:prefix`), if any.
    pub prefix: Option<Box<str>>,
    /// The namespace URI.
    pub uri: Box<str>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum XmlNamespaceRaw {
    Uri(String),
    Full { prefix: Option<String>, uri: String },
}

impl From<XmlNamespaceRaw> for XmlNamespace {
    fn from(raw: XmlNamespaceRaw) -> XmlNamespace {
        match raw {
            XmlNamespaceRaw::Uri(uri) => XmlNamespace { prefix: None, uri: uri.into() },
            XmlNamespaceRaw::Full { prefix, uri } => XmlNamespace { prefix: prefix.map(Into::into), uri: uri.into() },
        }
    }
}

/// An `error` trait on an exception shape.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    /// The wire error code, when it differs from the shape name.
    pub code: Option<Box<str>>,
    /// The HTTP status for this error.
    pub http_status_code: Option<u16>,
    /// True when the caller is at fault (a 4xx error).
    #[serde(default)]
    pub sender_fault: bool,
}

/// The traits of a shape or of a member reference. Botocore merges a
/// member's traits over its target shape's for serialization; the protocol
/// code asks the member first, then the shape.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traits {
    /// `location`.
    pub location: Option<Location>,
    /// `locationName`.
    pub location_name: Option<Box<str>>,
    /// `queryName` (ec2).
    pub query_name: Option<Box<str>>,
    /// `flattened` (XML and query lists and maps).
    pub flattened: bool,
    /// `xmlNamespace`.
    pub xml_namespace: Option<XmlNamespace>,
    /// `xmlAttribute`.
    pub xml_attribute: bool,
    /// `jsonvalue`: a string holding JSON (base64 in headers).
    pub json_value: bool,
    /// `timestampFormat`.
    pub timestamp_format: Option<TimestampFormat>,
    /// `hostLabel`: the member fills a label of the endpoint host prefix.
    pub host_label: bool,
    /// `idempotencyToken`: filled with a UUID v4 when absent.
    pub idempotency_token: bool,
    /// `streaming`: a blob or string payload sent or received as a stream.
    pub streaming: bool,
    /// `eventstream`: a union of events on a stream.
    pub event_stream: bool,
    /// `event`: an event structure of an event stream.
    pub event: bool,
    /// `eventpayload`: the member is an event's payload.
    pub event_payload: bool,
    /// `eventheader`: the member is an event header.
    pub event_header: bool,
    /// `requiresLength`: a streaming payload whose length must be known.
    pub requires_length: bool,
    /// `sensitive`: never logged or shown.
    pub sensitive: bool,
    /// `document`: an untyped JSON-like document.
    pub document: bool,
    /// `union`: exactly one member is set.
    pub union: bool,
    /// `exception`: an error shape.
    pub exception: bool,
    /// `fault`: a server-side error shape.
    pub fault: bool,
    /// `error`: code and status of an error shape.
    pub error: Option<ErrorTrait>,
    /// `retryable` (`Some(true)` when marked throttling).
    pub retryable: Option<bool>,
    /// `min`: minimum length, size or value.
    pub min: Option<f64>,
    /// `max`: maximum length, size or value.
    pub max: Option<f64>,
    /// `pattern`.
    pub pattern: Option<Box<str>>,
    /// `enum`: the allowed values of a string.
    pub enum_values: Option<StrList>,
    /// `contextParam`: the endpoint rule-set parameter this member feeds.
    pub context_param: Option<Box<str>>,
    /// `payload`: the member sent as the HTTP body.
    pub payload: Option<Box<str>>,
    /// `sparse`: lists and maps may hold nulls.
    pub sparse: bool,
    /// `box`.
    pub boxed: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `wrapper` (query/xml output wrappers).
    pub wrapper: bool,
    /// `resultWrapper`: the element wrapping a query output.
    pub result_wrapper: Option<Box<str>>,
    /// `xmlOrder`: the member order in XML output.
    pub xml_order: Option<StrList>,
    /// `endpointdiscoveryid`.
    pub endpoint_discovery_id: bool,
}

/// A list of strings held in one allocation (a shape's `enum` values:
/// EC2's `InstanceType` has over 1,400).
///
/// ```
/// # use boto_core::model::StrList;
/// let list: StrList = serde_json::from_str(r#"["t3.micro", "m5.large"]"#).unwrap();
/// assert_eq!(list.len(), 2);
/// assert_eq!(list.get(1), Some("m5.large"));
/// assert!(list.contains("t3.micro"));
/// assert_eq!(list.iter().collect::<Vec<_>>(), ["t3.micro", "m5.large"]);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StrList {
    text: Box<str>,
    /// The end of each string in `text`.
    ends: Box<[u32]>,
}

impl StrList {
    /// How many strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The string at `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i] as usize);
        self.text.get(start..end)
    }

    /// The strings, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    /// True when `value` is one of the strings.
    pub fn contains(&self, value: &str) -> bool {
        self.iter().any(|v| v == value)
    }
}

impl std::fmt::Debug for StrList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: AsRef<str>> FromIterator<S> for StrList {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> StrList {
        let mut text = String::new();
        let mut ends = Vec::new();
        for s in iter {
            text.push_str(s.as_ref());
            ends.push(text.len() as u32);
        }
        StrList { text: text.into(), ends: ends.into() }
    }
}

impl<'de> Deserialize<'de> for StrList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<StrList, D::Error> {
        /// Appends one JSON string to the list's text (no allocation of
        /// its own).
        struct Append<'a>(&'a mut String);
        impl<'de> serde::de::DeserializeSeed<'de> for Append<'_> {
            type Value = ();
            fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
                deserializer.deserialize_str(self)
            }
        }
        impl serde::de::Visitor<'_> for Append<'_> {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
                self.0.push_str(v);
                Ok(())
            }
        }
        struct Strings;
        impl<'de> serde::de::Visitor<'de> for Strings {
            type Value = StrList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<StrList, A::Error> {
                let mut text = String::new();
                let mut ends = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while seq.next_element_seed(Append(&mut text))?.is_some() {
                    let end = u32::try_from(text.len()).map_err(|_| serde::de::Error::custom("list too long"))?;
                    ends.push(end);
                }
                Ok(StrList { text: text.into(), ends: ends.into() })
            }
        }
        deserializer.deserialize_seq(Strings)
    }
}

/// A reference to a shape: a structure member, a list's `member`, a map's
/// `key` or `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The member name (`member`, `key` and `value` for lists and maps).
    pub name: Box<str>,
    /// The target shape.
    pub target: ShapeId,
    /// The traits written on the reference itself.
    pub traits: Traits,
}

/// A shape of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Its index.
    pub id: ShapeId,
    /// Its name.
    pub name: Box<str>,
    /// Its kind.
    pub kind: ShapeKind,
    /// Structure members, in model order.
    pub members: Box<[Member]>,
    /// The list member.
    pub member: Option<Member>,
    /// The map key.
    pub key: Option<Member>,
    /// The map value.
    pub value: Option<Member>,
    /// Names of required structure members.
    pub required: Box<[Box<str>]>,
    /// The shape's own traits.
    pub traits: Traits,
    /// Member indices sorted by name, for lookup.
    by_name: Box<[u32]>,
}

impl Shape {
    /// The structure member called `name`.
    pub fn member_named(&self, name: &str) -> Option<&Member> {
        let pos = self.by_name.binary_search_by(|&i| (*self.members[i as usize].name).cmp(name)).ok()?;
        Some(&self.members[self.by_name[pos] as usize])
    }

    pub(crate) fn unresolved() -> Shape {
        Shape {
            id: ShapeId(u32::MAX),
            name: "<unresolved>".into(),
            kind: ShapeKind::Structure,
            members: Box::new([]),
            member: None,
            key: None,
            value: None,
            required: Box::new([]),
            traits: Traits::default(),
            by_name: Box::new([]),
        }
    }

    /// True if `name` is a required member.
    pub fn is_required(&self, name: &str) -> bool {
        self.required.iter().any(|r| &**r == name)
    }
}

// ---- parsing ----

/// Defines a raw (serde) struct with the given fields plus every trait
/// field, and a method turning its trait fields into [`Traits`]. (Written
/// out rather than `#[serde(flatten)]`, which is slower and loses the JSON
/// path of errors.)
macro_rules! raw_with_traits {
    ($name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub(crate) struct $name {
            $($(#[$fm])* pub(crate) $field: $ty,)*
            location: Option<String>,
            location_name: Option<String>,
            query_name: Option<String>,
            #[serde(default)]
            flattened: bool,
            xml_namespace: Option<XmlNamespace>,
            #[serde(default)]
            xml_attribute: bool,
            #[serde(default, rename = "jsonvalue")]
            json_value: bool,
            timestamp_format: Option<String>,
            #[serde(default)]
            host_label: bool,
            #[serde(default)]
            idempotency_token: bool,
            #[serde(default)]
            streaming: bool,
            #[serde(default, rename = "eventstream")]
            event_stream: bool,
            #[serde(default)]
            event: bool,
            #[serde(default, rename = "eventpayload")]
            event_payload: bool,
            #[serde(default, rename = "eventheader")]
            event_header: bool,
            #[serde(default)]
            requires_length: bool,
            #[serde(default)]
            sensitive: bool,
            #[serde(default)]
            document: bool,
            #[serde(default)]
            union: bool,
            #[serde(default)]
            exception: bool,
            #[serde(default)]
            fault: bool,
            error: Option<ErrorTrait>,
            retryable: Option<Retryable>,
            min: Option<f64>,
            max: Option<f64>,
            pattern: Option<String>,
            #[serde(rename = "enum")]
            enum_values: Option<StrList>,
            context_param: Option<ContextParam>,
            payload: Option<String>,
            #[serde(default)]
            sparse: bool,
            #[serde(default, rename = "box")]
            boxed: bool,
            #[serde(default)]
            deprecated: bool,
            #[serde(default)]
            wrapper: bool,
            result_wrapper: Option<String>,
            xml_order: Option<StrList>,
            #[serde(default, rename = "endpointdiscoveryid")]
            endpoint_discovery_id: bool,
        }

        impl $name {
            /// Moves the trait fields out into [`Traits`].
            pub(crate) fn take_traits(&mut self) -> Result<Traits, String> {
                RawTraits {
                    location: std::mem::take(&mut self.location),
                    location_name: std::mem::take(&mut self.location_name),
                    query_name: std::mem::take(&mut self.query_name),
                    flattened: std::mem::take(&mut self.flattened),
                    xml_namespace: std::mem::take(&mut self.xml_namespace),
                    xml_attribute: std::mem::take(&mut self.xml_attribute),
                    json_value: std::mem::take(&mut self.json_value),
                    timestamp_format: std::mem::take(&mut self.timestamp_format),
                    host_label: std::mem::take(&mut self.host_label),
                    idempotency_token: std::mem::take(&mut self.idempotency_token),
                    streaming: std::mem::take(&mut self.streaming),
                    event_stream: std::mem::take(&mut self.event_stream),
                    event: std::mem::take(&mut self.event),
                    event_payload: std::mem::take(&mut self.event_payload),
                    event_header: std::mem::take(&mut self.event_header),
                    requires_length: std::mem::take(&mut self.requires_length),
                    sensitive: std::mem::take(&mut self.sensitive),
                    document: std::mem::take(&mut self.document),
                    union: std::mem::take(&mut self.union),
                    exception: std::mem::take(&mut self.exception),
                    fault: std::mem::take(&mut self.fault),
                    error: std::mem::take(&mut self.error),
                    retryable: std::mem::take(&mut self.retryable),
                    min: std::mem::take(&mut self.min),
                    max: std::mem::take(&mut self.max),
                    pattern: std::mem::take(&mut self.pattern),
                    enum_values: std::mem::take(&mut self.enum_values),
                    context_param: std::mem::take(&mut self.context_param),
                    payload: std::mem::take(&mut self.payload),
                    sparse: std::mem::take(&mut self.sparse),
                    boxed: std::mem::take(&mut self.boxed),
                    deprecated: std::mem::take(&mut self.deprecated),
                    wrapper: std::mem::take(&mut self.wrapper),
                    result_wrapper: std::mem::take(&mut self.result_wrapper),
                    xml_order: std::mem::take(&mut self.xml_order),
                    endpoint_discovery_id: std::mem::take(&mut self.endpoint_discovery_id),
                }
                .into_traits()
            }
        }
    };
}

/// The trait fields of a raw struct, moved out of it.
#[derive(Default)]
struct RawTraits {
    location: Option<String>,
    location_name: Option<String>,
    query_name: Option<String>,
    flattened: bool,
    xml_namespace: Option<XmlNamespace>,
    xml_attribute: bool,
    json_value: bool,
    timestamp_format: Option<String>,
    host_label: bool,
    idempotency_token: bool,
    streaming: bool,
    event_stream: bool,
    event: bool,
    event_payload: bool,
    event_header: bool,
    requires_length: bool,
    sensitive: bool,
    document: bool,
    union: bool,
    exception: bool,
    fault: bool,
    error: Option<ErrorTrait>,
    retryable: Option<Retryable>,
    min: Option<f64>,
    max: Option<f64>,
    pattern: Option<String>,
    enum_values: Option<StrList>,
    context_param: Option<ContextParam>,
    payload: Option<String>,
    sparse: bool,
    boxed: bool,
    deprecated: bool,
    wrapper: bool,
    result_wrapper: Option<String>,
    xml_order: Option<StrList>,
    endpoint_discovery_id: bool,
}

#[derive(Deserialize, Default)]
struct Retryable {
    #[serde(default)]
    throttling: bool,
}

#[derive(Deserialize, Default)]
struct ContextParam {
    name: String,
}

impl RawTraits {
    fn into_traits(self) -> Result<Traits, String> {
        Ok(Traits {
            location: match self.location {
                None => None,
                Some(l) => Some(Location::parse(&l).ok_or_else(|| format!("unknown location {l:?}"))?),
            },
            location_name: self.location_name.map(Into::into),
            query_name: self.query_name.map(Into::into),
            flattened: self.flattened,
            xml_namespace: self.xml_namespace,
            xml_attribute: self.xml_attribute,
            json_value: self.json_value,
            timestamp_format: match self.timestamp_format {
                None => None,
                Some(f) => Some(TimestampFormat::parse(&f).ok_or_else(|| format!("unknown timestampFormat {f:?}"))?),
            },
            host_label: self.host_label,
            idempotency_token: self.idempotency_token,
            streaming: self.streaming,
            event_stream: self.event_stream,
            event: self.event,
            event_payload: self.event_payload,
            event_header: self.event_header,
            requires_length: self.requires_length,
            sensitive: self.sensitive,
            document: self.document,
            union: self.union,
            exception: self.exception,
            fault: self.fault,
            error: self.error,
            retryable: self.retryable.map(|r| r.throttling),
            min: self.min,
            max: self.max,
            pattern: self.pattern.map(Into::into),
            enum_values: self.enum_values,
            context_param: self.context_param.map(|c| c.name.into()),
            payload: self.payload.map(Into::into),
            sparse: self.sparse,
            boxed: self.boxed,
            deprecated: self.deprecated,
            wrapper: self.wrapper,
            result_wrapper: self.result_wrapper.map(Into::into),
            xml_order: self.xml_order,
            endpoint_discovery_id: self.endpoint_discovery_id,
        })
    }
}

raw_with_traits!(RawRef { shape: String });

raw_with_traits!(RawShape {
    #[serde(rename = "type")]
    kind: String,
    members: Option<RawMembers>,
    member: Option<Box<RawRef>>,
    key: Option<Box<RawRef>>,
    value: Option<Box<RawRef>>,
    #[serde(default)]
    required: Vec<String>,
});

/// A structure's members in model order (a plain list: they are only
/// walked once, into the shape).
pub(crate) struct RawMembers(Vec<(String, RawRef)>);

impl<'de> Deserialize<'de> for RawMembers {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<RawMembers, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = RawMembers;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of members")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawMembers, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(RawMembers(out))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

impl RawShape {
    /// Builds the typed shape, resolving member targets with `resolve`
    /// (which returns the target's id, or `None` if the model has no such
    /// shape). Errors name the JSON location inside the shape.
    pub(crate) fn build(
        mut self,
        id: ShapeId,
        name: &str,
        resolve: &mut dyn FnMut(&str) -> Option<ShapeId>,
    ) -> Result<Shape, (String, String)> {
        let kind = ShapeKind::parse(&self.kind)
            .ok_or_else(|| ("type".to_owned(), format!("unknown shape type {:?}", self.kind)))?;
        // `label` (the member's place in the shape, for errors) is only
        // formatted for an error.
        let mut member =
            |name: &str, label: &dyn Fn() -> String, mut raw: RawRef| -> Result<Member, (String, String)> {
                let target = resolve(&raw.shape).ok_or_else(|| {
                    (format!("{}.shape", label()), format!("reference to unknown shape {:?}", raw.shape))
                })?;
                let traits = raw.take_traits().map_err(|e| (label(), e))?;
                Ok(Member { name: name.into(), target, traits })
            };
        let raw_members = self.members.take().map(|m| m.0).unwrap_or_default();
        let mut members = Vec::with_capacity(raw_members.len());
        for (mname, raw) in raw_members {
            members.push(member(&mname, &|| format!("members.{mname}"), raw)?);
        }
        let mut single = |name: &'static str, raw: Option<Box<RawRef>>| {
            raw.map(|r| member(name, &|| name.to_owned(), *r)).transpose()
        };
        let list_member = single("member", self.member.take())?;
        let key = single("key", self.key.take())?;
        let value = single("value", self.value.take())?;
        match kind {
            ShapeKind::List if list_member.is_none() => return Err(("member".into(), "list without a member".into())),
            ShapeKind::Map if key.is_none() || value.is_none() => {
                return Err(("key".into(), "map without a key or value".into()))
            }
            _ => {}
        }
        let mut by_name: Vec<u32> = (0..members.len() as u32).collect();
        by_name.sort_by(|&a, &b| members[a as usize].name.cmp(&members[b as usize].name));
        if let Some(pair) = by_name.windows(2).find(|w| members[w[0] as usize].name == members[w[1] as usize].name) {
            let name = &members[pair[0] as usize].name;
            return Err((format!("members.{name}"), "member named twice".into()));
        }
        let traits = self.take_traits().map_err(|e| (String::new(), e))?;
        Ok(Shape {
            id,
            name: name.into(),
            kind,
            members: members.into(),
            member: list_member,
            key,
            value,
            required: std::mem::take(&mut self.required).into_iter().map(Into::into).collect(),
            traits,
            by_name: by_name.into(),
        })
    }
}
