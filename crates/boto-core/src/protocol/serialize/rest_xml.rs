//! `rest-xml` bodies, written directly as text.
//!
//! * The body members form one root element named by the input's
//!   `locationName` (on the operation's input reference, else on the
//!   shape, else the shape's name), with its `xmlNamespace`.
//! * A structure payload is one element named by the member's
//!   `locationName` (else the target shape's name).
//! * Members are elements named by `locationName` (else their name);
//!   `xmlAttribute` members are attributes of their structure's element.
//! * Lists wrap items in `<member>` (or the list member's `locationName`);
//!   flattened lists repeat the list's own element. Maps are
//!   `<entry><key/><value/></entry>` (names from `locationName`); flattened
//!   maps repeat the map's element instead of `entry`.
//! * `xmlNamespace` adds `xmlns` / `xmlns:prefix` to the element it is on.
//!
//! No XML declaration and no Content-Type header are sent, as botocore.

use super::rest::RestBody;
use super::scalar::{write_text, TextUse};
use super::shape_ref::Ref;
use super::{expect_map, member_named, Fail, Res};
use crate::model::{ServiceModel, Shape, ShapeKind, XmlNamespace};
use crate::value::{Map, Value};

/// The rest-xml body format.
pub(crate) struct RestXml;

impl RestBody for RestXml {
    fn members(&self, model: &ServiceModel, input: Ref<'_>, params: &Map) -> Res<Vec<u8>> {
        let mut w = XmlWriter::new(model);
        let root = input.location_name().unwrap_or(&input.shape.name);
        w.structure(root, input, params, |r| r.location().is_none())?;
        Ok(w.out)
    }

    fn payload(&self, model: &ServiceModel, _name: &str, member: Ref<'_>, value: &Value) -> Res<Vec<u8>> {
        let mut w = XmlWriter::new(model);
        let root = member.location_name().unwrap_or(&member.shape.name);
        w.element(root, member, value)?;
        Ok(w.out)
    }

    fn empty_payload(&self) -> &'static [u8] {
        b""
    }

    fn empty_body(&self, _model: &ServiceModel, _shape: &Shape) -> Option<&'static [u8]> {
        None
    }

    fn content_type(&self) -> Option<&'static str> {
        None
    }
}

struct XmlWriter<'a> {
    model: &'a ServiceModel,
    out: Vec<u8>,
    /// Scratch space for scalar text.
    text: String,
}

impl<'a> XmlWriter<'a> {
    fn new(model: &'a ServiceModel) -> XmlWriter<'a> {
        XmlWriter { model, out: Vec::with_capacity(256), text: String::new() }
    }

    /// `<name xmlns...` (the caller closes the start tag).
    fn open(&mut self, name: &str, ns: Option<&XmlNamespace>) {
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        if let Some(ns) = ns {
            self.out.extend_from_slice(b" xmlns");
            if let Some(prefix) = ns.prefix.as_deref().filter(|p| !p.is_empty()) {
                self.out.push(b':');
                self.out.extend_from_slice(prefix.as_bytes());
            }
            self.out.extend_from_slice(b"=\"");
            escape(&mut self.out, &ns.uri, true);
            self.out.push(b'"');
        }
    }

    fn close(&mut self, name: &str) {
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
    }

    /// The element `name` for `value` of shape `r`.
    fn element(&mut self, name: &str, r: Ref<'_>, value: &Value) -> Res<()> {
        if r.is_document() {
            return Err(Fail::new("documents cannot be sent in XML"));
        }
        match r.kind() {
            ShapeKind::Structure => self.structure(name, r, expect_map(value)?, |_| true),
            ShapeKind::List => self.list(name, r, value),
            ShapeKind::Map => self.map(name, r, value),
            _ => {
                self.text.clear();
                let mut text = std::mem::take(&mut self.text);
                let result = write_text(&mut text, r, value, TextUse::Body);
                if result.is_ok() {
                    self.scalar(name, r.xml_namespace(), &text);
                }
                self.text = text;
                result
            }
        }
    }

    fn scalar(&mut self, name: &str, ns: Option<&XmlNamespace>, text: &str) {
        self.open(name, ns);
        self.out.push(b'>');
        escape(&mut self.out, text, false);
        self.close(name);
    }

    /// A structure element: attributes from `xmlAttribute` members, then
    /// one child per other member that `keep` accepts.
    fn structure(&mut self, name: &str, r: Ref<'_>, map: &Map, keep: impl Fn(Ref<'_>) -> bool) -> Res<()> {
        let shape = r.shape;
        self.open(name, r.xml_namespace());
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            let m = Ref::member(self.model, member_named(shape, key)?);
            if !keep(m) || !m.xml_attribute() {
                continue;
            }
            self.text.clear();
            let mut text = std::mem::take(&mut self.text);
            let result = write_text(&mut text, m, value, TextUse::Body);
            if result.is_ok() {
                self.out.push(b' ');
                self.out.extend_from_slice(m.location_name().unwrap_or(key).as_bytes());
                self.out.extend_from_slice(b"=\"");
                escape(&mut self.out, &text, true);
                self.out.push(b'"');
            }
            self.text = text;
            result.map_err(|e| e.at(key))?;
        }
        self.out.push(b'>');
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            let m = Ref::member(self.model, member_named(shape, key)?);
            if !keep(m) || m.xml_attribute() {
                continue;
            }
            self.element(m.location_name().unwrap_or(key), m, value).map_err(|e| e.at(key))?;
        }
        self.close(name);
        Ok(())
    }

    fn list(&mut self, name: &str, r: Ref<'_>, value: &Value) -> Res<()> {
        let Value::List(items) = value else { return Err(Fail::expected("a list", value)) };
        let Some(member) = r.shape.member.as_ref() else { return Err(Fail::new("list shape without a member")) };
        let item = Ref::member(self.model, member);
        if r.flattened() {
            for (i, v) in items.iter().enumerate().filter(|(_, v)| !v.is_null()) {
                self.element(name, item, v).map_err(|e| e.at_index(i))?;
            }
            return Ok(());
        }
        self.open(name, r.xml_namespace());
        self.out.push(b'>');
        let item_name = item.location_name().unwrap_or("member");
        for (i, v) in items.iter().enumerate().filter(|(_, v)| !v.is_null()) {
            self.element(item_name, item, v).map_err(|e| e.at_index(i))?;
        }
        self.close(name);
        Ok(())
    }

    fn map(&mut self, name: &str, r: Ref<'_>, value: &Value) -> Res<()> {
        let Value::Map(entries) = value else { return Err(Fail::expected("a map", value)) };
        let (Some(key_member), Some(value_member)) = (r.shape.key.as_ref(), r.shape.value.as_ref()) else {
            return Err(Fail::new("map shape without a key or value"));
        };
        let key_ref = Ref::member(self.model, key_member);
        let value_ref = Ref::member(self.model, value_member);
        let key_name = key_ref.location_name().unwrap_or("key");
        let value_name = value_ref.location_name().unwrap_or("value");
        let flattened = r.flattened();
        if !flattened {
            self.open(name, r.xml_namespace());
            self.out.push(b'>');
        }
        let entry = if flattened { name } else { "entry" };
        for (k, v) in entries {
            if v.is_null() {
                continue;
            }
            self.out.push(b'<');
            self.out.extend_from_slice(entry.as_bytes());
            self.out.push(b'>');
            self.scalar(key_name, key_ref.xml_namespace(), k);
            self.element(value_name, value_ref, v).map_err(|e| e.at(k))?;
            self.close(entry);
        }
        if !flattened {
            self.close(name);
        }
        Ok(())
    }
}

/// Appends `text` escaped for XML character data, or for a double-quoted
/// attribute value. `\r` is written as a character reference so that it
/// survives XML line-end normalisation.
fn escape(out: &mut Vec<u8>, text: &str, attribute: bool) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'\r' => b"&#13;",
            b'"' if attribute => b"&quot;",
            b'\n' if attribute => b"&#10;",
            b'\t' if attribute => b"&#9;",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(rep);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escaping() {
        let mut out = Vec::new();
        escape(&mut out, "a<b>&\"c\r\n\t", false);
        assert_eq!(out, b"a&lt;b&gt;&amp;\"c&#13;\n\t");
        out.clear();
        escape(&mut out, "a<b>&\"c\r\n\t", true);
        assert_eq!(out, b"a&lt;b&gt;&amp;&quot;c&#13;&#10;&#9;");
    }
}
