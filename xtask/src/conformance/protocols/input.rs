//! Input cases: serialize `params` and compare with `serialized`.
//!
//! The case's JSON `params` become typed [`Value`]s guided by the input
//! shape (epoch numbers for timestamps become `Value::Timestamp`, strings
//! for blobs `Value::Blob`, `"NaN"`/`"Infinity"`/`"-Infinity"` for float
//! shapes `Value::Float`, big numbers exact text). Idempotency tokens come
//! from a fixed source returning `00000000-0000-4000-8000-000000000000`,
//! the value the suites expect (botocore's own harness never reaches the
//! token handler, and lists those suites as ignored).
//!
//! The request is compared as botocore's `tests/unit/test_protocols.py`
//! does: method, URI (path and query), the expected headers (a subset),
//! `forbidHeaders` absent, `requireHeaders` present, the host after the
//! suite's `clientEndpoint` and the host prefix, and the body per protocol
//! (parsed JSON; canonical XML; the exact form for query/ec2; decoded CBOR).
//! Header expectations get botocore's harness adjustments: list headers
//! compare without the space after commas; query/ec2 Content-Type carries
//! `; charset=utf-8`; rest-xml Content-Type and rest-json non-JSON
//! Content-Type are not set by botocore and not checked.
//!
//! `Content-Length` is a transport header: the serializer leaves it out
//! (it must never appear in the serialized headers), and a case that
//! requires it passes when the body's length is known and non-zero, which
//! is when the transport sends one.

use base64::Engine as _;
use boto_core::model::{ServiceModel, Shape, ShapeKind};
use boto_core::protocol::serialize::{serialize_with, SerializeOptions, SerializedRequest};
use boto_core::{Map, Value};
use serde_json::Value as Json;

use super::Case;

const FIXED_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

pub fn run_case(case: &Case<'_>) -> Result<(), String> {
    let op = case
        .model
        .operation(&case.operation)
        .map_err(|e| format!("model: {e}"))?
        .ok_or_else(|| format!("no operation {}", case.operation))?;
    let empty = Json::Object(Default::default());
    let params_json = case.case.get("params").unwrap_or(&empty);
    let params = match &op.input {
        Some(input) => to_value(&case.model, case.model.shape(input.shape), params_json)?,
        None => generic(params_json),
    };
    let token = || FIXED_TOKEN.to_owned();
    let options = SerializeOptions { idempotency_token: Some(&token) };
    let out = serialize_with(&case.model, op, &params, &options).map_err(|e| format!("serialize failed: {e}"))?;
    let protocol = case.suite["metadata"]["protocol"].as_str().unwrap_or_default();
    let problems = compare(case, protocol, &out);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n      "))
    }
}

// ---- params -> Value ----

/// Converts case JSON to a `Value` as the shape says.
fn to_value(model: &ServiceModel, shape: &Shape, json: &Json) -> Result<Value, String> {
    if json.is_null() {
        return Ok(Value::Null);
    }
    if shape.traits.document {
        return Ok(generic(json));
    }
    Ok(match (shape.kind, json) {
        (ShapeKind::Structure, Json::Object(o)) => {
            let mut m = Map::with_capacity(o.len());
            for (k, v) in o {
                let v = match shape.member_named(k) {
                    Some(member) => to_value(model, model.shape(member.target), v)?,
                    // Leave unknown members for the serializer to reject.
                    None => generic(v),
                };
                m.insert(k.clone(), v);
            }
            Value::Map(m)
        }
        (ShapeKind::List, Json::Array(a)) => {
            let item = shape.member.as_ref().map(|m| model.shape(m.target)).ok_or("list without member")?;
            Value::List(a.iter().map(|v| to_value(model, item, v)).collect::<Result<_, _>>()?)
        }
        (ShapeKind::Map, Json::Object(o)) => {
            let item = shape.value.as_ref().map(|m| model.shape(m.target)).ok_or("map without value")?;
            let mut m = Map::with_capacity(o.len());
            for (k, v) in o {
                m.insert(k.clone(), to_value(model, item, v)?);
            }
            Value::Map(m)
        }
        (ShapeKind::Timestamp, Json::Number(n)) => {
            let x = n.as_f64().ok_or("bad timestamp")?;
            Value::Timestamp(epoch_to_datetime(x)?)
        }
        (ShapeKind::Blob, Json::String(s)) => Value::Blob(s.clone().into_bytes().into()),
        (ShapeKind::Float | ShapeKind::Double, Json::String(s)) => match s.as_str() {
            "NaN" => Value::Float(f64::NAN),
            "Infinity" => Value::Float(f64::INFINITY),
            "-Infinity" => Value::Float(f64::NEG_INFINITY),
            _ => Value::String(s.clone()),
        },
        (ShapeKind::BigInteger | ShapeKind::BigDecimal, Json::Number(n)) => Value::Number(n.to_string()),
        _ => generic(json),
    })
}

/// Epoch seconds to a timestamp, rounded to the microsecond.
fn epoch_to_datetime(x: f64) -> Result<time::OffsetDateTime, String> {
    let secs = x.floor();
    let micros = ((x - secs) * 1e6).round() as i128;
    let nanos = secs as i128 * 1_000_000_000 + micros * 1000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|e| format!("timestamp {x}: {e}"))
}

/// JSON as an untyped value: integers stay integers.
fn generic(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::Int(i),
            (None, Some(f)) if !n.is_u64() => Value::Float(f),
            _ => Value::Number(n.to_string()),
        },
        Json::String(s) => Value::String(s.clone()),
        Json::Array(a) => Value::List(a.iter().map(generic).collect()),
        Json::Object(o) => Value::Map(o.iter().map(|(k, v)| (k.clone(), generic(v))).collect()),
    }
}

// ---- comparison ----

fn compare(case: &Case<'_>, protocol: &str, out: &SerializedRequest) -> Vec<String> {
    let expected = &case.case["serialized"];
    let req = &out.request;
    let mut problems = Vec::new();

    if let Some(method) = expected["method"].as_str() {
        if req.method.as_str() != method {
            problems.push(format!("method: got {} want {method}", req.method));
        }
    }
    let uri = expected["uri"].as_str().unwrap_or_default();
    if req.url != uri {
        problems.push(format!("uri:\n        got  {}\n        want {uri}", req.url));
    }

    let body = match req.body.as_bytes() {
        Some(b) => b,
        None => {
            problems.push(format!("body is not in memory: {:?}", req.body));
            &[]
        }
    };
    if let Some(want) = expected.get("body").and_then(Json::as_str) {
        if let Err(why) = compare_body(protocol, body, want) {
            problems.push(format!(
                "body: {why}\n        got  {}\n        want {}",
                show_body(protocol, body),
                want.replace('\n', "\\n")
            ));
        }
    }

    compare_headers(case, protocol, out, expected, &mut problems);

    if let Some(want) = expected["host"].as_str() {
        let endpoint = case.suite["clientEndpoint"].as_str().unwrap_or("https://example.com");
        let authority = endpoint.split_once("://").map_or(endpoint, |(_, rest)| rest);
        let authority = authority.split(['/', '?']).next().unwrap_or(authority);
        let host = format!("{}{authority}", out.host_prefix.as_deref().unwrap_or_default());
        if host != want {
            problems.push(format!("host: got {host} want {want}"));
        }
    }
    problems
}

fn show_body(protocol: &str, body: &[u8]) -> String {
    if protocol == "smithy-rpc-v2-cbor" {
        return format!(
            "{} (base64; {})",
            base64::engine::general_purpose::STANDARD.encode(body),
            match cbor::decode(body) {
                Ok(v) => format!("{v:?}"),
                Err(e) => e,
            }
        );
    }
    String::from_utf8_lossy(body).replace('\n', "\\n")
}

fn compare_headers(
    case: &Case<'_>,
    protocol: &str,
    out: &SerializedRequest,
    expected: &Json,
    problems: &mut Vec<String>,
) {
    let headers = &out.request.headers;
    let list_headers = list_header_names(case);
    let mut want: Vec<(String, String)> = expected["headers"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
        .unwrap_or_default();
    for (name, value) in want.iter_mut() {
        if list_headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(name)) {
            *value = value.replace(", ", ",");
        }
    }
    match protocol {
        "query" | "ec2" => {
            for (name, value) in want.iter_mut() {
                if name.eq_ignore_ascii_case("content-type") && !value.contains("charset=utf-8") {
                    value.push_str("; charset=utf-8");
                }
            }
        }
        "rest-xml" => want.retain(|(name, _)| !name.eq_ignore_ascii_case("content-type")),
        "rest-json" => {
            want.retain(|(name, value)| !name.eq_ignore_ascii_case("content-type") || value == "application/json")
        }
        _ => {}
    }
    for (name, value) in &want {
        let got = headers.get(name.as_str()).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let got = match got {
            Some(g) if list_headers.iter().any(|(h, ts)| *ts && h.eq_ignore_ascii_case(name)) => {
                Some(g.replace(", ", ","))
            }
            other => other,
        };
        match got {
            Some(g) if g == *value => {}
            Some(g) => problems.push(format!("header {name}: got {g:?} want {value:?}")),
            None => problems.push(format!("header {name}: missing (want {value:?})")),
        }
    }
    if headers.contains_key(http_content_length()) {
        problems.push("the serializer set Content-Length (the transport's job)".into());
    }
    for name in expected["forbidHeaders"].as_array().into_iter().flatten().filter_map(Json::as_str) {
        if let Some(v) = headers.get(name) {
            problems.push(format!("header {name} must be absent, got {v:?}"));
        }
    }
    let body_len = out.request.body.len();
    for name in expected["requireHeaders"].as_array().into_iter().flatten().filter_map(Json::as_str) {
        let present = if name.eq_ignore_ascii_case("content-length") {
            body_len.is_some_and(|n| n > 0)
        } else {
            headers.contains_key(name)
        };
        if !present {
            problems.push(format!("header {name} is required (body length {body_len:?})"));
        }
    }
}

fn http_content_length() -> &'static str {
    "content-length"
}

/// The `header`-located list members: (header name, holds timestamps).
fn list_header_names(case: &Case<'_>) -> Vec<(String, bool)> {
    let model = &case.model;
    let Ok(Some(op)) = model.operation(&case.operation) else { return Vec::new() };
    let Some(input) = &op.input else { return Vec::new() };
    let shape = model.shape(input.shape);
    let mut out = Vec::new();
    for m in shape.members.iter() {
        let target = model.shape(m.target);
        let location = m.traits.location.or(target.traits.location);
        if location != Some(boto_core::model::Location::Header) || target.kind != ShapeKind::List {
            continue;
        }
        let name = m.traits.location_name.as_deref().or(target.traits.location_name.as_deref()).unwrap_or(&m.name);
        let ts = target.member.as_ref().is_some_and(|i| model.shape(i.target).kind == ShapeKind::Timestamp);
        out.push((name.to_owned(), ts));
    }
    out
}

fn compare_body(protocol: &str, body: &[u8], want: &str) -> Result<(), String> {
    match protocol {
        "json" | "rest-json" => {
            if body.is_empty() && want.is_empty() {
                return Ok(());
            }
            let expected: Result<Json, _> = serde_json::from_str(want);
            match expected {
                Ok(expected) => {
                    let actual: Json = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
                    if json_eq(&actual, &expected) {
                        Ok(())
                    } else {
                        Err("JSON differs".into())
                    }
                }
                Err(e) if protocol == "json" => Err(format!("expected body is not JSON: {e}")),
                Err(_) => bytes_eq(body, want.as_bytes()),
            }
        }
        "rest-xml" => match (xml::canonical(body), xml::canonical(want.as_bytes())) {
            (Ok(a), Ok(b)) if a == b => Ok(()),
            (Ok(a), Ok(b)) => Err(format!("XML differs:\n        got  {a:?}\n        want {b:?}")),
            _ => bytes_eq(body, want.as_bytes()),
        },
        "smithy-rpc-v2-cbor" => {
            let want = base64::engine::general_purpose::STANDARD
                .decode(want)
                .map_err(|e| format!("expected body is not base64: {e}"))?;
            if body.is_empty() {
                return bytes_eq(body, &want);
            }
            let a = cbor::decode(body).map_err(|e| format!("invalid CBOR: {e}"))?;
            let b = cbor::decode(&want).map_err(|e| format!("expected body is not CBOR: {e}"))?;
            if a == b {
                Ok(())
            } else {
                Err(format!("CBOR differs:\n        got  {a:?}\n        want {b:?}"))
            }
        }
        _ => bytes_eq(body, want.as_bytes()),
    }
}

fn bytes_eq(a: &[u8], b: &[u8]) -> Result<(), String> {
    if a == b {
        Ok(())
    } else {
        Err("bytes differ".into())
    }
}

/// JSON equality with Python's number semantics (`1 == 1.0`) and objects
/// compared without order.
fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b)),
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// XML canonical form for comparison, after Python's
/// `ElementTree.canonicalize(strip_text=True)`: elements with their
/// attributes (namespace declarations included) sorted, text trimmed,
/// comments and the declaration dropped.
mod xml {
    use quick_xml::events::Event;
    use quick_xml::Reader;

    #[derive(Debug, PartialEq)]
    pub struct Element {
        name: String,
        attributes: Vec<(String, String)>,
        text: String,
        children: Vec<Element>,
    }

    pub fn canonical(doc: &[u8]) -> Result<Element, String> {
        let text = std::str::from_utf8(doc).map_err(|e| e.to_string())?;
        let mut reader = Reader::from_str(text);
        let mut stack: Vec<Element> = Vec::new();
        let mut root = None;
        loop {
            let event = reader.read_event().map_err(|e| e.to_string())?;
            match event {
                Event::Start(_) | Event::Empty(_) if root.is_some() => {
                    return Err("content after the root element".into());
                }
                Event::Start(e) => stack.push(open(&e)?),
                Event::Empty(e) => {
                    let el = open(&e)?;
                    close(&mut stack, &mut root, el);
                }
                Event::End(_) => {
                    let el = stack.pop().ok_or("unbalanced end tag")?;
                    close(&mut stack, &mut root, el);
                }
                Event::Text(t) => add_text(&mut stack, &t.xml10_content())?,
                Event::CData(t) => add_text(&mut stack, &t.xml10_content())?,
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_predefined_entity(&r)
                            .ok_or_else(|| format!("unknown entity &{};", &*r))?
                            .to_owned(),
                    };
                    add_text(&mut stack, &resolved)?
                }
                Event::Eof => break,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
        if !stack.is_empty() {
            return Err("unclosed element".into());
        }
        let mut root: Element = root.ok_or("no root element")?;
        trim(&mut root);
        Ok(root)
    }

    fn open(e: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
        let mut attributes = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|e| e.to_string())?;
            let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|e| e.to_string())?;
            attributes.push((a.key.as_ref().to_owned(), value.into_owned()));
        }
        attributes.sort();
        Ok(Element { name: e.name().as_ref().to_owned(), attributes, text: String::new(), children: Vec::new() })
    }

    fn close(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
        match stack.last_mut() {
            Some(parent) => parent.children.push(el),
            None => *root = Some(el),
        }
    }

    fn add_text(stack: &mut [Element], text: &str) -> Result<(), String> {
        match stack.last_mut() {
            Some(el) => {
                el.text.push_str(text);
                Ok(())
            }
            None if text.trim().is_empty() => Ok(()),
            None => Err("text outside the root element".into()),
        }
    }

    fn trim(el: &mut Element) {
        el.text = el.text.trim().to_owned();
        el.children.iter_mut().for_each(trim);
    }
}

/// A small CBOR decoder for comparing bodies.
mod cbor {
    #[derive(Debug)]
    pub enum Item {
        Int(i128),
        Float(f64),
        Bytes(Vec<u8>),
        Text(String),
        Array(Vec<Item>),
        Map(Vec<(Item, Item)>),
        Tag(u64, Box<Item>),
        Bool(bool),
        Null,
        Undefined,
        Simple(u8),
    }

    impl PartialEq for Item {
        fn eq(&self, other: &Item) -> bool {
            use Item::*;
            match (self, other) {
                (Int(a), Int(b)) => a == b,
                (Float(a), Float(b)) => a == b || (a.is_nan() && b.is_nan()),
                (Int(a), Float(b)) | (Float(b), Int(a)) => *a as f64 == *b,
                (Bytes(a), Bytes(b)) => a == b,
                (Text(a), Text(b)) => a == b,
                (Array(a), Array(b)) => a == b,
                (Map(a), Map(b)) => {
                    a.len() == b.len() && a.iter().all(|(k, v)| b.iter().any(|(k2, v2)| k == k2 && v == v2))
                }
                (Tag(t, a), Tag(u, b)) => t == u && a == b,
                (Bool(a), Bool(b)) => a == b,
                (Null, Null) | (Undefined, Undefined) => true,
                (Simple(a), Simple(b)) => a == b,
                _ => false,
            }
        }
    }

    pub fn decode(data: &[u8]) -> Result<Item, String> {
        let mut pos = 0;
        let item = read(data, &mut pos)?.ok_or("unexpected break")?;
        if pos != data.len() {
            return Err(format!("{} trailing bytes", data.len() - pos));
        }
        Ok(item)
    }

    fn take<'a>(data: &'a [u8], pos: &mut usize, n: usize) -> Result<&'a [u8], String> {
        let s = data.get(*pos..*pos + n).ok_or("truncated")?;
        *pos += n;
        Ok(s)
    }

    fn argument(data: &[u8], pos: &mut usize, info: u8) -> Result<Option<u64>, String> {
        Ok(Some(match info {
            0..=23 => u64::from(info),
            24 => u64::from(take(data, pos, 1)?[0]),
            25 => u64::from(u16::from_be_bytes(take(data, pos, 2)?.try_into().map_err(|_| "bad length")?)),
            26 => u64::from(u32::from_be_bytes(take(data, pos, 4)?.try_into().map_err(|_| "bad length")?)),
            27 => u64::from_be_bytes(take(data, pos, 8)?.try_into().map_err(|_| "bad length")?),
            31 => return Ok(None),
            _ => return Err(format!("reserved additional info {info}")),
        }))
    }

    /// One item; `None` for a break.
    fn read(data: &[u8], pos: &mut usize) -> Result<Option<Item>, String> {
        let initial = take(data, pos, 1)?[0];
        let (major, info) = (initial >> 5, initial & 31);
        if initial == 0xff {
            return Ok(None);
        }
        let arg = argument(data, pos, info)?;
        let item = match (major, arg) {
            (0, Some(n)) => Item::Int(i128::from(n)),
            (1, Some(n)) => Item::Int(-1 - i128::from(n)),
            (2 | 3, Some(n)) => {
                let bytes = take(data, pos, n as usize)?.to_vec();
                chunk(major, bytes)?
            }
            (2 | 3, None) => {
                let mut all = Vec::new();
                while let Some(part) = read(data, pos)? {
                    match part {
                        Item::Bytes(b) => all.extend(b),
                        Item::Text(t) => all.extend(t.into_bytes()),
                        _ => return Err("bad chunk in indefinite string".into()),
                    }
                }
                chunk(major, all)?
            }
            (4, n) => {
                let mut items = Vec::new();
                loop {
                    if n.is_some_and(|n| items.len() as u64 == n) {
                        break;
                    }
                    match read(data, pos)? {
                        Some(i) => items.push(i),
                        None if n.is_none() => break,
                        None => return Err("break in a definite array".into()),
                    }
                }
                Item::Array(items)
            }
            (5, n) => {
                let mut entries = Vec::new();
                loop {
                    if n.is_some_and(|n| entries.len() as u64 == n) {
                        break;
                    }
                    let Some(k) = read(data, pos)? else {
                        if n.is_none() {
                            break;
                        }
                        return Err("break in a definite map".into());
                    };
                    let v = read(data, pos)?.ok_or("break after a map key")?;
                    entries.push((k, v));
                }
                Item::Map(entries)
            }
            (6, Some(t)) => Item::Tag(t, Box::new(read(data, pos)?.ok_or("break after a tag")?)),
            (7, Some(n)) => match info {
                20 => Item::Bool(false),
                21 => Item::Bool(true),
                22 => Item::Null,
                23 => Item::Undefined,
                25 => Item::Float(half(n as u16)),
                26 => Item::Float(f64::from(f32::from_bits(n as u32))),
                27 => Item::Float(f64::from_bits(n)),
                _ => Item::Simple(n as u8),
            },
            _ => return Err(format!("bad initial byte {initial:#x}")),
        };
        Ok(Some(item))
    }

    fn chunk(major: u8, bytes: Vec<u8>) -> Result<Item, String> {
        if major == 2 {
            Ok(Item::Bytes(bytes))
        } else {
            String::from_utf8(bytes).map(Item::Text).map_err(|e| e.to_string())
        }
    }

    fn half(bits: u16) -> f64 {
        let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
        let exp = i32::from((bits >> 10) & 0x1f);
        let mant = f64::from(bits & 0x3ff);
        sign * match exp {
            0 => mant * 2f64.powi(-24),
            31 if mant == 0.0 => f64::INFINITY,
            31 => f64::NAN,
            e => (1.0 + mant / 1024.0) * 2f64.powi(e - 15),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value as Json};

    use super::super::{build_model, Case, IgnoreList};
    use super::{compare_body, run_case};

    /// Runs every input case of botocore's protocol suites (the runner's
    /// acceptance, as a test).
    #[test]
    fn botocore_input_suites_pass() {
        let Some(dir) = boto_core::testing::conformance_dir("protocols") else { return };
        let ignore = IgnoreList::load(&dir).unwrap();
        let (mut passed, mut failures) = (0, Vec::new());
        for sub in ["input", "legacy/input"] {
            for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
                let path = entry.unwrap().path();
                let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
                let suites: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                for suite in suites.as_array().unwrap() {
                    for case in suite["cases"].as_array().unwrap() {
                        if ignore.skips(&stem, "input", suite, case) {
                            continue;
                        }
                        let (model, operation) = build_model(&stem, suite, case).unwrap();
                        match run_case(&Case { suite, case, model, operation }) {
                            Ok(()) => passed += 1,
                            Err(why) => failures.push(format!("{sub}/{stem}: {}: {why}", case["id"])),
                        }
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), failures.join("\n"));
        assert!(passed >= 420, "only {passed} cases ran");
    }

    fn run(suite: &Json, case: &Json) -> Result<(), String> {
        let (model, operation) = build_model("test", suite, case).unwrap();
        run_case(&Case { suite, case, model, operation })
    }

    /// The runner reports each kind of mismatch.
    #[test]
    fn mismatches_are_reported() {
        let suite = json!({
            "description": "t",
            "metadata": {"protocol": "rest-json", "protocols": ["rest-json"], "apiVersion": "2020-01-01"},
            "clientEndpoint": "https://example.com",
            "shapes": {
                "In": {"type": "structure", "members": {
                    "Id": {"shape": "S", "location": "uri", "locationName": "Id"},
                    "H": {"shape": "S", "location": "header", "locationName": "X-H"},
                    "B": {"shape": "S"}
                }},
                "S": {"type": "string"}
            }
        });
        let case = |serialized: Json| {
            json!({
                "given": {"name": "Op", "http": {"method": "POST", "requestUri": "/x/{Id}"}, "input": {"shape": "In"},
                          "endpoint": {"hostPrefix": "api."}},
                "params": {"Id": "a b", "H": "h", "B": "body"},
                "serialized": serialized,
            })
        };
        let good = json!({"method": "POST", "uri": "/x/a%20b", "body": "{\"B\": \"body\"}",
                          "headers": {"X-H": "h", "Content-Type": "application/json"},
                          "requireHeaders": ["Content-Length"], "host": "api.example.com"});
        run(&suite, &case(good.clone())).unwrap();
        let mut bad = Vec::new();
        for (key, value) in [
            ("method", json!("PUT")),
            ("uri", json!("/x/a+b")),
            ("body", json!("{\"B\": \"other\"}")),
            ("headers", json!({"X-H": "nope"})),
            ("forbidHeaders", json!(["X-H"])),
            ("requireHeaders", json!(["X-Missing"])),
            ("host", json!("example.com")),
        ] {
            let mut expected = good.clone();
            expected[key] = value;
            let err = run(&suite, &case(expected)).expect_err(key);
            bad.push(err);
        }
        assert!(bad[0].contains("method") && bad[1].contains("uri") && bad[2].contains("body"), "{bad:?}");
    }

    #[test]
    fn body_comparisons() {
        assert!(compare_body("json", br#"{"a": 1, "b": [1.0]}"#, r#"{"b": [1], "a": 1.0}"#).is_ok());
        assert!(compare_body("json", br#"{"a": 1}"#, r#"{"a": 2}"#).is_err());
        assert!(compare_body("rest-json", b"raw", "raw").is_ok());
        assert!(compare_body("rest-json", b"raw", "Raw").is_err());
        let xml = "<A xmlns=\"u\" b=\"1\">\n  <C>x &amp; y</C>\n</A>";
        assert!(compare_body("rest-xml", br#"<A b="1" xmlns="u"><C>x &amp; y</C></A>"#, xml).is_ok());
        assert!(compare_body("rest-xml", br#"<A b="1" xmlns="u"><C>x &amp; z</C></A>"#, xml).is_err());
        assert!(compare_body("rest-xml", br#"<A b="2" xmlns="u"><C>x &amp; y</C></A>"#, xml).is_err());
        assert!(compare_body("query", b"Action=A&X=1", "Action=A&X=1").is_ok());
        assert!(compare_body("query", b"Action=A&X=1", "Action=A&X=2").is_err());
        // CBOR: {"a": 1, "b": 1.5} definite vs indefinite map, keys reordered.
        let ours = [0xa2, 0x61, b'a', 0x01, 0x61, b'b', 0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0];
        let theirs = "v2Fi+T4AYWEB/w=="; // bf 61 62 f9 3e00 61 61 01 ff: {"b": 1.5 (half), "a": 1}
        assert!(compare_body("smithy-rpc-v2-cbor", &ours, theirs).is_ok());
        assert!(compare_body("smithy-rpc-v2-cbor", &ours[..7], theirs).is_err());
    }
}
