//! The REST protocols (rest-json, rest-xml): members bound to headers,
//! prefixed header maps and the status code, the payload member or the
//! body members, and the errors of both.

use http::HeaderMap;

use super::error::{self, RawError};
use super::xml;
use super::{
    decode_base64, event_stream, explicit_location_name, header_text, header_value_text, is_event_stream, is_streaming,
    json, location, location_name, payload_member, scalar_from_text, Ctx, ParseError, Parsed,
};
use crate::model::{Location, Shape, ShapeKind};
use crate::request::HttpResponse;
use crate::value::{Map, Value};

/// The body encoding of a REST protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyFormat {
    Json,
    Xml,
}

impl BodyFormat {
    fn event_format(self) -> event_stream::Format {
        match self {
            BodyFormat::Json => event_stream::Format::Json,
            BodyFormat::Xml => event_stream::Format::Xml,
        }
    }
}

pub(crate) fn parse(ctx: &Ctx<'_>, response: &mut HttpResponse, format: BodyFormat) -> Result<Parsed, ParseError> {
    if response.status >= 300 {
        return parse_error(ctx, response, format);
    }
    let metadata = metadata(&response.headers);
    let mut result = Map::new();
    if let Some(shape) = ctx.output() {
        match payload_member(shape) {
            Some(member) if is_event_stream(member, ctx.shape(member.target)) => {
                non_payload(ctx, shape, response, &mut result)?;
                let target = ctx.shape(member.target);
                let body = std::mem::take(&mut response.body);
                match event_stream::parse_events(ctx, target, body, format.event_format())? {
                    Parsed::Ok(events) => {
                        result.insert(member.name.to_string(), events);
                    }
                    err => return Ok(err),
                }
            }
            _ => result = parse_shape(ctx, shape, response, format, false)?,
        }
    }
    result.insert("ResponseMetadata".into(), Value::Map(metadata));
    Ok(Parsed::Ok(Value::Map(result)))
}

/// botocore's `_populate_response_metadata`: `x-amzn-requestid`, else
/// `x-amz-request-id` with `x-amz-id-2` as `HostId`.
pub(crate) fn metadata(headers: &HeaderMap) -> Map {
    let mut out = Map::new();
    if let Some(id) = header_text(headers, "x-amzn-requestid") {
        out.insert("RequestId".into(), Value::String(id));
    } else if let Some(id) = header_text(headers, "x-amz-request-id") {
        out.insert("RequestId".into(), Value::String(id));
        out.insert("HostId".into(), Value::String(header_text(headers, "x-amz-id-2").unwrap_or_default()));
    }
    out
}

/// Reads the members of `shape` from the headers, status and body.
/// `error_root`: for an exception shape in XML, start at the `<Error>`
/// element of an `<ErrorResponse>`.
fn parse_shape(
    ctx: &Ctx<'_>,
    shape: &Shape,
    response: &mut HttpResponse,
    format: BodyFormat,
    error_root: bool,
) -> Result<Map, ParseError> {
    let mut out = Map::new();
    non_payload(ctx, shape, response, &mut out)?;
    if let Some(member) = payload_member(shape) {
        let target = ctx.shape(member.target);
        let name = member.name.to_string();
        match target.kind {
            ShapeKind::Blob | ShapeKind::String if is_streaming(member, target) => {
                out.insert(name, Value::Stream(std::mem::take(&mut response.body)));
            }
            ShapeKind::Blob | ShapeKind::String => {
                let body = ctx.body(response)?;
                if !body.is_empty() {
                    let v = if target.kind == ShapeKind::Blob {
                        Value::Blob(bytes::Bytes::copy_from_slice(body))
                    } else {
                        Value::String(
                            String::from_utf8(body.to_vec())
                                .map_err(|e| ctx.error("body", format!("the payload is not UTF-8: {e}")))?,
                        )
                    };
                    out.insert(name, v);
                }
            }
            _ => {
                let body = ctx.body(response)?;
                if !body.trim_ascii().is_empty() {
                    let v = match format {
                        BodyFormat::Json => json::parse_body(ctx, target, body)?,
                        BodyFormat::Xml => xml_payload(ctx, target, body, false)?,
                    };
                    out.insert(name, v);
                }
            }
        }
        return Ok(out);
    }
    let body = ctx.body(response)?;
    let parsed = match format {
        BodyFormat::Json => json::parse_body(ctx, shape, body)?,
        BodyFormat::Xml => xml_payload(ctx, shape, body, error_root)?,
    };
    if let Value::Map(members) = parsed {
        out.extend(members);
    }
    Ok(out)
}

/// The root element of an XML body read as `shape`; an empty body is an
/// empty structure.
fn xml_payload(ctx: &Ctx<'_>, shape: &Shape, body: &[u8], error_root: bool) -> Result<Value, ParseError> {
    xml::run(ctx, body, |x| {
        let Some(root) = x.root()? else { return Ok(Value::map()) };
        let value = if error_root && root.local() == "ErrorResponse" {
            x.find_child(&root, "Error", |x, el| x.value(&Default::default(), shape, el))?.unwrap_or_else(Value::map)
        } else {
            x.value(&Default::default(), shape, &root)?
        };
        x.finish()?;
        Ok(value)
    })
}

/// Members bound to headers, prefixed headers and the status code.
fn non_payload(ctx: &Ctx<'_>, shape: &Shape, response: &HttpResponse, out: &mut Map) -> Result<(), ParseError> {
    for member in shape.members.iter() {
        let target = ctx.shape(member.target);
        match location(member, target) {
            Some(Location::StatusCode) => {
                out.insert(member.name.to_string(), Value::Int(i64::from(response.status)));
            }
            Some(Location::Headers) => {
                let prefix = explicit_location_name(member, target).unwrap_or("").to_ascii_lowercase();
                let mut map = Map::new();
                for name in response.headers.keys() {
                    if !name.as_str().starts_with(prefix.as_str()) {
                        continue;
                    }
                    let text = header_text(&response.headers, name.as_str()).unwrap_or_default();
                    let spelled = ctx
                        .options
                        .original_header_names
                        .iter()
                        .find(|n| n.eq_ignore_ascii_case(name.as_str()))
                        .map_or(name.as_str(), String::as_str);
                    map.insert(spelled.get(prefix.len()..).unwrap_or_default().to_owned(), Value::String(text));
                }
                out.insert(member.name.to_string(), Value::Map(map));
            }
            Some(Location::Header) => {
                let header = location_name(member, target);
                let values: Vec<String> = response.headers.get_all(header).iter().map(header_value_text).collect();
                if values.is_empty() {
                    continue;
                }
                let v = header_value(ctx, target, member.traits.json_value || target.traits.json_value, &values)
                    .map_err(|m| ctx.error(format!("header {header}"), m))?;
                out.insert(member.name.to_string(), v);
            }
            _ => {}
        }
    }
    Ok(())
}

/// A header's value as `shape`. Lists split the comma-separated values
/// (keeping commas inside quoted strings and HTTP dates).
fn header_value(ctx: &Ctx<'_>, shape: &Shape, json_value: bool, values: &[String]) -> Result<Value, String> {
    match shape.kind {
        ShapeKind::List => {
            let item = shape.member.as_ref().ok_or("list without a member")?;
            let target = ctx.shape(item.target);
            let mut items = Vec::new();
            for v in values {
                for piece in split_header_list(v, target.kind == ShapeKind::Timestamp) {
                    items.push(scalar_from_text(target, &piece, ctx.options.raw_timestamps)?);
                }
            }
            Ok(Value::List(items))
        }
        ShapeKind::String if json_value => {
            let decoded = decode_base64(values.join(", ").trim())?;
            json::parse_untyped(&decoded).map_err(|e| format!("invalid JSON in a jsonvalue header: {e}"))
        }
        _ => scalar_from_text(shape, &values.join(", "), ctx.options.raw_timestamps),
    }
}

/// Splits a list header: `a, b`; `"b,c", "\"def\"", a`; and HTTP dates,
/// whose own comma follows the weekday (`Mon, 16 Dec 2019 23:48:18 GMT,
/// Tue, ...`).
pub(crate) fn split_header_list(text: &str, timestamps: bool) -> Vec<String> {
    let mut out = Vec::new();
    if timestamps && text.contains("GMT") {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let mut i = 0;
        while i < parts.len() {
            let weekday = parts[i].len() == 3 && parts[i].bytes().all(|b| b.is_ascii_alphabetic());
            if weekday && i + 1 < parts.len() {
                out.push(format!("{}, {}", parts[i], parts[i + 1]));
                i += 2;
            } else {
                out.push(parts[i].to_owned());
                i += 1;
            }
        }
        return out;
    }
    let mut rest = text;
    loop {
        let t = rest.trim_start();
        if let Some(quoted) = t.strip_prefix('"') {
            let mut item = String::new();
            let mut end = quoted.len();
            let mut chars = quoted.char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => item.extend(chars.next().map(|(_, c)| c)),
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => item.push(c),
                }
            }
            out.push(item);
            // Anything between the closing quote and the next comma is dropped.
            match quoted[end..].find(',') {
                Some(p) => rest = &quoted[end + p + 1..],
                None => break,
            }
        } else {
            match t.find(',') {
                Some(p) => {
                    out.push(t[..p].trim().to_owned());
                    rest = &t[p + 1..];
                }
                None => {
                    out.push(t.trim().to_owned());
                    break;
                }
            }
        }
    }
    if out.len() == 1 && out[0].is_empty() {
        out.clear();
    }
    out
}

// ---- errors ----

fn parse_error(ctx: &Ctx<'_>, response: &HttpResponse, format: BodyFormat) -> Result<Parsed, ParseError> {
    let body = ctx.body(response)?;
    let status = response.status;
    let raw = match format {
        BodyFormat::Json => json::error_raw(response, body, true),
        BodyFormat::Xml => xml_error_raw(ctx, response, body),
    };
    error::finish(ctx, status, raw, |shape| {
        let mut copy = HttpResponse { status, headers: response.headers.clone(), body: response.body.clone() };
        parse_shape(ctx, shape, &mut copy, format, true)
    })
}

/// As botocore's `RestXMLParser._do_error_parse`: S3's `<Error>` documents
/// (request id from the headers), other services' `<ErrorResponse>`; a
/// body that is not XML, or none, gives the status as the code.
fn xml_error_raw(ctx: &Ctx<'_>, response: &HttpResponse, body: &[u8]) -> RawError {
    let status = response.status;
    if !error::is_generic(status, body) && !body.is_empty() {
        match xml_error_from_body(ctx, response, body) {
            Ok(raw) => return raw,
            Err(e) => tracing::debug!(error = %e, "cannot parse the XML error body"),
        }
    }
    let mut raw = error::from_status(status);
    if !error::is_generic(status, body) {
        raw.metadata.insert(
            "RequestId".into(),
            Value::String(header_text(&response.headers, "x-amz-request-id").unwrap_or_default()),
        );
        raw.metadata
            .insert("HostId".into(), Value::String(header_text(&response.headers, "x-amz-id-2").unwrap_or_default()));
    }
    raw
}

fn xml_error_from_body(ctx: &Ctx<'_>, response: &HttpResponse, body: &[u8]) -> Result<RawError, ParseError> {
    let (root_name, mut parsed) = xml::run(ctx, body, |x| {
        let Some(root) = x.root()? else { return Ok((String::new(), Map::new())) };
        let name = root.local().to_owned();
        let map = x.untyped_children(&root)?;
        x.finish()?;
        Ok((name, map))
    })?;
    let mut raw = RawError::default();
    if root_name == "Error" {
        raw.metadata = metadata(&response.headers);
        parsed.shift_remove("RequestId");
        parsed.shift_remove("HostId");
        error::split_error_map(parsed, &mut raw);
    } else {
        if let Some(id) = parsed.shift_remove("RequestId") {
            raw.metadata.insert("RequestId".into(), id);
        }
        if let Some(Value::Map(e)) = parsed.shift_remove("Error") {
            error::split_error_map(e, &mut raw);
        }
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::split_header_list;

    #[test]
    fn list_headers_split_like_the_spec() {
        assert_eq!(split_header_list("a, b, c", false), ["a", "b", "c"]);
        assert_eq!(split_header_list("a,b", false), ["a", "b"]);
        assert_eq!(split_header_list(r#""b,c", "\"def\"", a"#, false), ["b,c", "\"def\"", "a"]);
        assert_eq!(split_header_list("", false), Vec::<String>::new());
        assert_eq!(split_header_list("a, , b", false), ["a", "", "b"]);
        assert_eq!(
            split_header_list("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT", true),
            ["Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"]
        );
        assert_eq!(split_header_list("1576540098, 1576540099", true), ["1576540098", "1576540099"]);
    }
}
