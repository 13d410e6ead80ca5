//! The query and ec2 protocols: XML results under the operation's
//! `resultWrapper` (query) or directly under the root (ec2), with the
//! request id in the body; errors as `<ErrorResponse><Error>` (query) or
//! `<Response><Errors><Error>` (ec2).

use super::error::{self, RawError};
use super::xml::{self, Elem, Xml, XmlError};
use super::{Ctx, ParseError, Parsed};
use crate::request::HttpResponse;
use crate::value::{Map, Value};

pub(crate) fn parse(ctx: &Ctx<'_>, response: &mut HttpResponse, ec2: bool) -> Result<Parsed, ParseError> {
    let body = ctx.body(response)?;
    if response.status >= 300 {
        return parse_error(ctx, response, body, ec2);
    }
    let output = ctx.op.output.as_ref();
    let shape = output.map(|o| ctx.shape(o.shape));
    let wrapper =
        output.and_then(|o| o.traits.result_wrapper.as_deref().or(ctx.shape(o.shape).traits.result_wrapper.as_deref()));
    let mut metadata = Map::new();
    let mut result = Value::map();
    xml::run(ctx, body, |x| {
        let Some(root) = x.root()? else { return Ok(()) };
        match (shape, wrapper) {
            (Some(shape), Some(wrapper)) => {
                if !root.empty {
                    while let Some(child) = x.next_child()? {
                        if child.local() == wrapper {
                            result = x.structure(shape, &child, &mut |_, _| Ok(false))?;
                        } else if !read_metadata(x, &child, ec2, &mut metadata)? {
                            x.skip(&child)?;
                        }
                    }
                }
            }
            (Some(shape), None) => {
                result = x.structure(shape, &root, &mut |x, child| read_metadata(x, child, ec2, &mut metadata))?
            }
            (None, _) => {
                if !root.empty {
                    while let Some(child) = x.next_child()? {
                        if !read_metadata(x, &child, ec2, &mut metadata)? {
                            x.skip(&child)?;
                        }
                    }
                }
            }
        }
        x.finish()
    })?;
    result.insert("ResponseMetadata", Value::Map(metadata));
    Ok(Parsed::Ok(result))
}

/// `<ResponseMetadata>` (query: every child as text) or `<requestId>`
/// (ec2), as botocore's `_inject_response_metadata`.
fn read_metadata<'a>(x: &mut Xml<'a, '_>, el: &Elem<'a>, ec2: bool, metadata: &mut Map) -> Result<bool, XmlError> {
    match (ec2, el.local()) {
        (false, "ResponseMetadata") => {
            for (k, v) in x.untyped_children(el)? {
                metadata.insert(k, if v.is_null() { Value::String(String::new()) } else { v });
            }
            Ok(true)
        }
        (true, "requestId") => {
            let id = x.text(el)?.into_owned();
            metadata.insert("RequestId".into(), Value::String(id));
            Ok(true)
        }
        _ => Ok(false),
    }
}

fn parse_error(ctx: &Ctx<'_>, response: &HttpResponse, body: &[u8], ec2: bool) -> Result<Parsed, ParseError> {
    let status = response.status;
    if error::is_generic(status, body) {
        let mut raw = error::from_status(status);
        raw.metadata = Map::new();
        return error::finish(ctx, status, raw, |_| Ok(Map::new()));
    }
    // botocore's QueryParser._do_error_parse: the root's children as text,
    // `Errors` unwrapped, `RequestId` (ec2: `RequestID`) into the metadata.
    let mut parsed = xml::run(ctx, body, |x| {
        let Some(root) = x.root()? else { return Ok(Map::new()) };
        let map = x.untyped_children(&root)?;
        x.finish()?;
        Ok(map)
    })?;
    if let Some(Value::Map(errors)) = parsed.shift_remove("Errors") {
        for (k, v) in errors {
            parsed.insert(k, v);
        }
    }
    let mut raw = RawError::default();
    for key in ["RequestId", "RequestID"] {
        if key == "RequestID" && !ec2 {
            continue;
        }
        if let Some(id) = parsed.shift_remove(key) {
            raw.metadata.insert("RequestId".into(), id);
        }
    }
    if let Some(Value::Map(e)) = parsed.shift_remove("Error") {
        error::split_error_map(e, &mut raw);
    }
    if raw.code.is_empty() {
        // No <Error> at all (an empty 4xx body): the status says it all.
        let from_status = error::from_status(status);
        raw.code = from_status.code;
        if raw.message.is_empty() {
            raw.message = from_status.message;
        }
    }
    error::finish(ctx, status, raw, |shape| {
        xml::run(ctx, body, |x| {
            let Some(root) = x.root()? else { return Ok(Map::new()) };
            let path: &[&str] = if ec2 { &["Errors", "Error"] } else { &["Error"] };
            let wrapped = if ec2 { root.local() == "Response" } else { root.local() == "ErrorResponse" };
            let value = if wrapped {
                descend(x, &root, path, &mut |x, el| x.structure(shape, el, &mut |_, _| Ok(false)))?
            } else {
                Some(x.structure(shape, &root, &mut |_, _| Ok(false))?)
            };
            Ok(match value {
                Some(Value::Map(m)) => m,
                _ => Map::new(),
            })
        })
    })
}

/// Follows `path` down from `el` (first matching child at each step) and
/// reads the element found with `f`.
fn descend<'a, 'm>(
    x: &mut Xml<'a, 'm>,
    el: &Elem<'a>,
    path: &[&str],
    f: &mut dyn FnMut(&mut Xml<'a, 'm>, &Elem<'a>) -> Result<Value, XmlError>,
) -> Result<Option<Value>, XmlError> {
    let Some((first, rest)) = path.split_first() else { return f(x, el).map(Some) };
    Ok(x.find_child(el, first, |x, child| descend(x, child, rest, f))?.flatten())
}
