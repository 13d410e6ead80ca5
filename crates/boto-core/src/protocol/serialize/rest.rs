//! The HTTP bindings shared by `rest-json` and `rest-xml`.
//!
//! Each input member goes where its `location` says:
//!
//! * `uri`: fills `{Name}` (or greedy `{Name+}`, which keeps `/`) in the
//!   `requestUri`, percent-encoded;
//! * `querystring`: `name=value`, a list as repeated keys, a map as one
//!   parameter per entry (named members win over map entries); appended
//!   after any literal query in the `requestUri`;
//! * `header`: one header (lists joined with `,`, strings quoted when they
//!   hold `,` or `"`; timestamps as HTTP dates by default; `jsonvalue` as
//!   base64 JSON); `headers`: one header per map entry, named
//!   `{locationName}{key}`;
//! * no location: the body. When the input names a `payload` member, that
//!   member alone is the body: a blob or string as raw bytes (a
//!   `Value::Stream` passed through unread), a structure, union or document
//!   serialized by the protocol. Otherwise the body members form one
//!   document.

use std::borrow::Cow;

use http::{HeaderMap, HeaderName};

use super::encode::{base64_into, percent_encode_into};
use super::json::json_value_text;
use super::scalar::{write_text, TextUse};
use super::shape_ref::Ref;
use super::{header_value, member_named, method, Fail, Res};
use crate::body::Body;
use crate::model::{Location, Operation, ServiceModel, Shape, ShapeKind};
use crate::request::HttpRequest;
use crate::value::{Map, Value};

/// How a REST protocol writes its bodies.
pub(crate) trait RestBody {
    /// The document of the body members of `input` (those without a
    /// location) present in `params`.
    fn members(&self, model: &ServiceModel, input: Ref<'_>, params: &Map) -> Res<Vec<u8>>;

    /// The document for a structure, union or document payload member
    /// (`name` is the member's name).
    fn payload(&self, model: &ServiceModel, name: &str, member: Ref<'_>, value: &Value) -> Res<Vec<u8>>;

    /// The body when a structure payload member is absent.
    fn empty_payload(&self) -> &'static [u8];

    /// The body when no body member is set, if the protocol sends one for
    /// `shape`.
    fn empty_body(&self, model: &ServiceModel, shape: &Shape) -> Option<&'static [u8]>;

    /// The Content-Type of a serialized (not raw payload) body.
    fn content_type(&self) -> Option<&'static str>;
}

pub(crate) fn serialize(
    model: &ServiceModel,
    operation: &Operation,
    params: Option<&Map>,
    format: &dyn RestBody,
) -> Res<HttpRequest> {
    let method = method(operation)?;
    let template = &*operation.http.request_uri;
    let Some(input) = &operation.input else {
        return Ok(HttpRequest::new(method, template));
    };
    let input = Ref::input(model, input);
    let shape = input.shape;
    let empty;
    let params = match params {
        Some(p) => p,
        None => {
            empty = Map::new();
            &empty
        }
    };

    let mut headers = HeaderMap::new();
    let mut labels: Vec<(&str, String)> = Vec::new();
    let mut query = Query::default();
    let mut has_body_members = false;
    for (key, value) in params {
        if value.is_null() {
            continue;
        }
        let member = member_named(shape, key)?;
        let r = Ref::member(model, member);
        let name = r.location_name().unwrap_or(key);
        let result = match r.location() {
            Some(Location::Uri) => {
                let mut text = String::new();
                write_text(&mut text, r, value, TextUse::Uri).map(|()| labels.push((name, text)))
            }
            Some(Location::QueryString) => query.add_member(model, name, r, value),
            Some(Location::Header) => add_header(model, &mut headers, name, r, value),
            Some(Location::Headers) => add_prefixed_headers(model, &mut headers, name, r, value),
            Some(Location::StatusCode) => Ok(()),
            None => {
                has_body_members = true;
                Ok(())
            }
        };
        result.map_err(|e| e.at(key))?;
    }

    let mut url = render_uri(model, shape, template, &labels)?;
    query.append_to(&mut url);

    let mut raw_payload = false;
    let body = match input.payload() {
        Some(name) => {
            let member = shape.member_named(name).ok_or_else(|| {
                Fail::new(format!("the model names payload member {name:?}, which {} does not have", shape.name))
            })?;
            let r = Ref::member(model, member);
            let value = params.get(name).filter(|v| !v.is_null());
            if r.is_event_stream() {
                return Err(Fail::new("event stream input is not supported").at(name));
            }
            match r.kind() {
                ShapeKind::Blob | ShapeKind::String => {
                    raw_payload = true;
                    raw_body(value).map_err(|e| e.at(name))?
                }
                _ => match value {
                    Some(v) => Body::from(format.payload(model, name, r, v).map_err(|e| e.at(name))?),
                    None => Body::from(format.empty_payload()),
                },
            }
        }
        None if has_body_members => Body::from(format.members(model, input, params)?),
        None => format.empty_body(model, shape).map(Body::from).unwrap_or_default(),
    };

    if !raw_payload && !body.is_empty() && !headers.contains_key(http::header::CONTENT_TYPE) {
        if let Some(ct) = format.content_type() {
            headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(ct));
        }
    }
    let mut request = HttpRequest::new(method, url);
    request.headers = headers;
    request.body = body;
    Ok(request)
}

/// The body for a blob or string payload: the bytes as they are, a stream
/// passed through without reading it, or nothing.
fn raw_body(value: Option<&Value>) -> Res<Body> {
    Ok(match value {
        None => Body::empty(),
        Some(Value::Stream(body)) => body.clone(),
        Some(Value::Blob(b)) => Body::from(b.clone()),
        Some(Value::String(s)) => Body::from(s.clone()),
        Some(other) => return Err(Fail::expected("a blob, string or stream", other)),
    })
}

/// Fills the `{Label}` and `{Label+}` placeholders of the request URI.
fn render_uri(model: &ServiceModel, shape: &Shape, template: &str, labels: &[(&str, String)]) -> Res<String> {
    let mut out = String::with_capacity(template.len() + labels.iter().map(|(_, v)| v.len() * 3).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| Fail::new(format!("unterminated label in requestUri {template:?}")))?;
        let label = &rest[open + 1..close];
        let (label, greedy) = match label.strip_suffix('+') {
            Some(l) => (l, true),
            None => (label, false),
        };
        let Some((_, value)) = labels.iter().find(|(n, _)| *n == label) else {
            // Name the member, not the label, in the error.
            let member = shape
                .members
                .iter()
                .find(|m| {
                    let r = Ref::member(model, m);
                    r.location() == Some(Location::Uri) && r.location_name().unwrap_or(&m.name) == label
                })
                .map_or(label, |m| &*m.name);
            return Err(Fail::new("missing a value for a URI label").at(member));
        };
        percent_encode_into(&mut out, value, greedy);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Query string parameters in the order they were given, with named
/// members taking precedence over entries of a map member.
#[derive(Default)]
struct Query<'a> {
    params: Vec<QueryParam<'a>>,
}

struct QueryParam<'a> {
    key: Cow<'a, str>,
    values: Vec<String>,
    from_map: bool,
}

impl<'a> Query<'a> {
    fn add_member(&mut self, model: &ServiceModel, name: &'a str, r: Ref<'_>, value: &'a Value) -> Res<()> {
        match (r.kind(), value) {
            (ShapeKind::Map, Value::Map(entries)) => {
                let Some(value_member) = r.shape.value.as_ref() else {
                    return Err(Fail::new("map shape without a value"));
                };
                let value_ref = Ref::member(model, value_member);
                for (k, v) in entries {
                    if v.is_null() {
                        continue;
                    }
                    let values = texts(model, value_ref, v).map_err(|e| e.at(k))?;
                    self.insert(Cow::Borrowed(k), values, true);
                }
                Ok(())
            }
            (ShapeKind::Map, other) => Err(Fail::expected("a map", other)),
            _ => {
                let values = texts(model, r, value)?;
                self.insert(Cow::Borrowed(name), values, false);
                Ok(())
            }
        }
    }

    fn insert(&mut self, key: Cow<'a, str>, values: Vec<String>, from_map: bool) {
        match self.params.iter_mut().find(|p| p.key == key) {
            // A map entry never overrides a named member.
            Some(p) if from_map && !p.from_map => {}
            Some(p) => {
                p.values = values;
                p.from_map = from_map;
            }
            None => self.params.push(QueryParam { key, values, from_map }),
        }
    }

    /// Appends `?k=v&...` (or `&k=v...` after a literal query).
    fn append_to(&self, url: &mut String) {
        let mut sep = if url.contains('?') { '&' } else { '?' };
        for p in &self.params {
            for v in &p.values {
                url.push(sep);
                sep = '&';
                percent_encode_into(url, &p.key, false);
                url.push('=');
                percent_encode_into(url, v, false);
            }
        }
    }
}

/// The query values of one member: a scalar's text, or one text per list
/// item.
fn texts(model: &ServiceModel, r: Ref<'_>, value: &Value) -> Res<Vec<String>> {
    if r.kind() == ShapeKind::List {
        let Value::List(items) = value else { return Err(Fail::expected("a list", value)) };
        let Some(member) = r.shape.member.as_ref() else { return Err(Fail::new("list shape without a member")) };
        let item = Ref::member(model, member);
        let mut out = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            if v.is_null() {
                continue;
            }
            let mut text = String::new();
            write_text(&mut text, item, v, TextUse::Uri).map_err(|e| e.at_index(i))?;
            out.push(text);
        }
        return Ok(out);
    }
    let mut text = String::new();
    write_text(&mut text, r, value, TextUse::Uri)?;
    Ok(vec![text])
}

fn header_name(name: &str) -> Res<HeaderName> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| Fail::new(format!("{name:?} is not a valid header name")))
}

/// A `header` member.
fn add_header(model: &ServiceModel, headers: &mut HeaderMap, name: &str, r: Ref<'_>, value: &Value) -> Res<()> {
    let mut text = String::new();
    if r.kind() == ShapeKind::List {
        let Value::List(items) = value else { return Err(Fail::expected("a list", value)) };
        let Some(member) = r.shape.member.as_ref() else { return Err(Fail::new("list shape without a member")) };
        if items.iter().all(Value::is_null) {
            // Empty lists are not sent.
            return Ok(());
        }
        let item = Ref::member(model, member);
        for (i, v) in items.iter().filter(|v| !v.is_null()).enumerate() {
            if i > 0 {
                text.push(',');
            }
            match (item.kind(), v) {
                (ShapeKind::String, Value::String(s)) if s.contains([',', '"']) => {
                    text.push('"');
                    text.push_str(&s.replace('"', "\\\""));
                    text.push('"');
                }
                _ => write_text(&mut text, item, v, TextUse::Header).map_err(|e| e.at_index(i))?,
            }
        }
    } else if r.json_value() && r.kind() == ShapeKind::String {
        base64_into(&mut text, &json_value_text(value)?);
    } else {
        write_text(&mut text, r, value, TextUse::Header)?;
    }
    headers.insert(header_name(name)?, header_value(text.as_bytes())?);
    Ok(())
}

/// A `headers` member: one header per map entry, named prefix + key.
fn add_prefixed_headers(
    model: &ServiceModel,
    headers: &mut HeaderMap,
    prefix: &str,
    r: Ref<'_>,
    value: &Value,
) -> Res<()> {
    let Value::Map(entries) = value else { return Err(Fail::expected("a map", value)) };
    let Some(value_member) = r.shape.value.as_ref() else { return Err(Fail::new("map shape without a value")) };
    let value_ref = Ref::member(model, value_member);
    let mut name = String::with_capacity(prefix.len() + 16);
    let mut text = String::new();
    for (k, v) in entries {
        if v.is_null() {
            continue;
        }
        name.clear();
        name.push_str(prefix);
        name.push_str(k);
        text.clear();
        write_text(&mut text, value_ref, v, TextUse::Header).map_err(|e| e.at(k))?;
        headers.insert(header_name(&name).map_err(|e| e.at(k))?, header_value(text.as_bytes()).map_err(|e| e.at(k))?);
    }
    Ok(())
}
