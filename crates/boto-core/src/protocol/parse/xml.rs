//! XML bodies (query, ec2, rest-xml): read straight from the bytes into
//! [`Value`]s, guided by the shapes, with quick-xml's pull parser.
//!
//! The rules are botocore's `BaseXMLResponseParser`: namespaces are ignored
//! (tags are matched by local name); a structure's children are matched to
//! members by `locationName` (for a flattened list, the list member's
//! `locationName`), unknown children are skipped; a wrapped list takes
//! every child of its element whatever its tag; a flattened list or map
//! gathers every occurrence of its tag; map entries hold `key`/`value`
//! (or their `locationName`s); `xmlAttribute` members are read from the
//! attributes of the structure's element; an empty element is an empty
//! string, list or map.

use std::borrow::Cow;
use std::rc::Rc;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use super::{
    explicit_location_name, is_flattened, is_located, location_name, scalar_from_text, union_error,
    unknown_union_member, Ctx, ParseError, MAX_DEPTH,
};
use crate::model::{Member, ServiceModel, Shape, ShapeId, ShapeKind, Traits};
use crate::value::{Map, Value};

/// An error at a byte offset of the document.
#[derive(Debug)]
pub(crate) struct XmlError {
    pos: u64,
    message: String,
}

/// An element whose start tag was read.
pub(crate) struct Elem<'a> {
    start: BytesStart<'a>,
    /// `<tag/>`: no content and no end tag to read.
    pub empty: bool,
}

impl Elem<'_> {
    /// The tag without its namespace prefix.
    pub fn local(&self) -> &str {
        self.start.local_name().into_inner()
    }
}

/// A document being read.
pub(crate) struct Xml<'a, 'm> {
    reader: Reader<&'a [u8]>,
    model: &'m ServiceModel,
    depth: usize,
    raw_timestamps: bool,
    layouts: Vec<(ShapeId, Rc<Layout<'m>>)>,
}

/// Where the children of a structure's element go.
struct Layout<'m> {
    /// (tag, member index, how) for the members read from children.
    children: Vec<(&'m str, usize, Slot)>,
    /// (attribute name, member index) for `xmlAttribute` members.
    attributes: Vec<(&'m str, usize)>,
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    /// The child is the member's value.
    Value,
    /// The child is one item of a flattened list.
    FlatList,
    /// The child is one entry of a flattened map.
    FlatMap,
}

/// Reads `body` as XML with `f`, turning errors into [`ParseError`]s with a
/// line and column.
pub(crate) fn run<'m, T>(
    ctx: &Ctx<'m>,
    body: &[u8],
    f: impl for<'a> FnOnce(&mut Xml<'a, 'm>) -> Result<T, XmlError>,
) -> Result<T, ParseError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let text = std::str::from_utf8(body).map_err(|e| {
        ctx.error(super::line_column(body, e.valid_up_to()), "the XML body is not valid UTF-8".to_owned())
    })?;
    let mut xml = Xml {
        reader: Reader::from_str(text),
        model: ctx.model,
        depth: 0,
        raw_timestamps: ctx.options.raw_timestamps,
        layouts: Vec::new(),
    };
    f(&mut xml).map_err(|e| ctx.error(super::line_column(body, e.pos as usize), e.message))
}

impl<'a, 'm> Xml<'a, 'm> {
    fn error(&self, message: impl Into<String>) -> XmlError {
        XmlError { pos: self.reader.buffer_position(), message: message.into() }
    }

    fn next(&mut self) -> Result<Event<'a>, XmlError> {
        self.reader
            .read_event()
            .map_err(|e| XmlError { pos: self.reader.error_position(), message: format!("invalid XML: {e}") })
    }

    /// Skips the prolog (declaration, comments, doctype, whitespace) and
    /// returns the root element, or `None` for a document without one.
    pub fn root(&mut self) -> Result<Option<Elem<'a>>, XmlError> {
        loop {
            match self.next()? {
                Event::Start(start) => return Ok(Some(Elem { start, empty: false })),
                Event::Empty(start) => return Ok(Some(Elem { start, empty: true })),
                Event::Text(t) if t.trim().is_empty() => {}
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => return Ok(None),
                Event::End(_) => return Err(self.error("end tag without a start tag")),
                _ => return Err(self.error("text before the root element")),
            }
        }
    }

    /// Checks that nothing but comments and whitespace follow the root.
    pub fn finish(&mut self) -> Result<(), XmlError> {
        loop {
            match self.next()? {
                Event::Eof => return Ok(()),
                Event::Text(t) if t.trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.error("content after the root element")),
            }
        }
    }

    /// The next child element of the element being read, or `None` once
    /// its end tag is read. Call only inside a non-empty element; each
    /// child returned must be read to its end (parsed or skipped).
    pub fn next_child(&mut self) -> Result<Option<Elem<'a>>, XmlError> {
        loop {
            match self.next()? {
                Event::Start(start) => return Ok(Some(Elem { start, empty: false })),
                Event::Empty(start) => return Ok(Some(Elem { start, empty: true })),
                Event::End(_) => return Ok(None),
                Event::Eof => return Err(self.error("unexpected end of the document")),
                Event::Decl(_) | Event::DocType(_) => return Err(self.error("misplaced declaration")),
                _ => {}
            }
        }
    }

    /// Reads past the end of `el`.
    pub fn skip(&mut self, el: &Elem<'a>) -> Result<(), XmlError> {
        if el.empty {
            return Ok(());
        }
        let mut depth = 1usize;
        loop {
            match self.next()? {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.error("unexpected end of the document")),
                _ => {}
            }
        }
    }

    /// The text of `el` up to its first child element (as ElementTree's
    /// `.text`), entities and CDATA resolved, and reads past its end.
    pub fn text(&mut self, el: &Elem<'a>) -> Result<Cow<'a, str>, XmlError> {
        if el.empty {
            return Ok(Cow::Borrowed(""));
        }
        let mut out: Option<Cow<'a, str>> = None;
        let mut done = false;
        loop {
            let piece = match self.next()? {
                Event::Text(t) if !done => t.xml10_content(),
                Event::CData(c) if !done => c.xml10_content(),
                Event::GeneralRef(r) if !done => Cow::Owned(self.resolve(&r)?),
                Event::Start(start) => {
                    done = true;
                    self.skip(&Elem { start, empty: false })?;
                    continue;
                }
                Event::Empty(_) => {
                    done = true;
                    continue;
                }
                Event::End(_) => break,
                Event::Eof => return Err(self.error("unexpected end of the document")),
                _ => continue,
            };
            match &mut out {
                None => out = Some(piece),
                Some(text) => text.to_mut().push_str(&piece),
            }
        }
        Ok(out.unwrap_or(Cow::Borrowed("")))
    }

    fn resolve(&self, r: &BytesRef<'_>) -> Result<String, XmlError> {
        if r.is_char_ref() {
            return match r.resolve_char_ref() {
                Ok(Some(c)) => Ok(c.to_string()),
                _ => Err(self.error(format!("invalid character reference &{};", &**r))),
            };
        }
        Ok(match &**r {
            "lt" => "<",
            "gt" => ">",
            "amp" => "&",
            "apos" => "'",
            "quot" => "\"",
            other => return Err(self.error(format!("undefined entity &{other};"))),
        }
        .to_owned())
    }

    fn enter(&mut self) -> Result<(), XmlError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("elements nested more than {MAX_DEPTH} deep")));
        }
        Ok(())
    }

    // ---- typed ----

    /// Reads `el` as a value of `shape` (`traits`: those of the reference).
    pub fn value(&mut self, traits: &Traits, shape: &'m Shape, el: &Elem<'a>) -> Result<Value, XmlError> {
        self.enter()?;
        let value = match shape.kind {
            ShapeKind::Structure => self.structure(shape, el, &mut |_, _| Ok(false))?,
            ShapeKind::List => self.list(shape, is_flattened(traits, shape), el)?,
            ShapeKind::Map => self.map(shape, is_flattened(traits, shape), el)?,
            _ => {
                let text = self.text(el)?;
                scalar_from_text(shape, &text, self.raw_timestamps)
                    .map_err(|m| self.error(format!("{m} in <{}>", el.local())))?
            }
        };
        self.depth -= 1;
        Ok(value)
    }

    /// How the children and attributes of `shape`'s element map to its
    /// members, worked out once per shape per document.
    fn layout(&mut self, shape: &'m Shape) -> Rc<Layout<'m>> {
        if let Some((_, layout)) = self.layouts.iter().find(|(id, _)| *id == shape.id) {
            return layout.clone();
        }
        let mut children = Vec::with_capacity(shape.members.len());
        let mut attributes = Vec::new();
        for (i, m) in shape.members.iter().enumerate() {
            let target = self.model.shape(m.target);
            if is_located(m, target) || m.traits.event_header {
                continue;
            }
            let flattened = is_flattened(&m.traits, target);
            let (tag, how) = match target.kind {
                ShapeKind::List if flattened => {
                    let item_name = target.member.as_ref().and_then(|lm| lm.traits.location_name.as_deref());
                    (item_name.unwrap_or(location_name(m, target)), Slot::FlatList)
                }
                ShapeKind::Map if flattened => (location_name(m, target), Slot::FlatMap),
                _ => (location_name(m, target), Slot::Value),
            };
            children.push((tag, i, how));
            if m.traits.xml_attribute || target.traits.xml_attribute {
                attributes.push((location_name(m, target), i));
            }
        }
        let layout = Rc::new(Layout { children, attributes });
        self.layouts.push((shape.id, layout.clone()));
        layout
    }

    /// Reads a structure from `el`. `extra` is offered each child that is
    /// not a member and returns true if it read it (the query parser takes
    /// `ResponseMetadata` this way); other children are skipped.
    pub fn structure(
        &mut self,
        shape: &'m Shape,
        el: &Elem<'a>,
        extra: &mut dyn FnMut(&mut Self, &Elem<'a>) -> Result<bool, XmlError>,
    ) -> Result<Value, XmlError> {
        let layout = self.layout(shape);
        let members = &shape.members;
        // The members read so far, by index; `seen` (for the first 64
        // members) spares a search when a member is not there yet.
        let mut found: Vec<(usize, Value)> = Vec::with_capacity(layout.children.len().min(16));
        let mut seen = 0u64;
        let mut in_order = true;
        let mut unknown: Option<String> = None;
        if !el.empty {
            while let Some(child) = self.next_child()? {
                let tag = child.local();
                let Some(&(_, i, how)) = layout.children.iter().find(|(t, _, _)| *t == tag) else {
                    if shape.traits.union && unknown.is_none() {
                        unknown = Some(tag.to_owned());
                    }
                    if !extra(self, &child)? {
                        self.skip(&child)?;
                    }
                    continue;
                };
                let member = &members[i];
                let target = self.model.shape(member.target);
                let bit = if i < 64 { 1u64 << i } else { 0 };
                let pos = if bit != 0 && seen & bit == 0 { None } else { found.iter().rposition(|(j, _)| *j == i) };
                let value = match how {
                    Slot::FlatList => {
                        let item = list_member(target).ok_or_else(|| self.error("list without a member"))?;
                        let v = self.value(&item.traits, self.model.shape(item.target), &child)?;
                        if let Some(Value::List(list)) = pos.map(|p| &mut found[p].1) {
                            list.push(v);
                            continue;
                        }
                        Value::List(vec![v])
                    }
                    Slot::FlatMap => {
                        self.enter()?;
                        let entry = self.map_entry(target, &child)?;
                        self.depth -= 1;
                        let mut map = match pos.map(|p| std::mem::take(&mut found[p].1)) {
                            Some(Value::Map(m)) => m,
                            _ => Map::new(),
                        };
                        if let Some((k, v)) = entry {
                            map.insert(k, v);
                        }
                        Value::Map(map)
                    }
                    Slot::Value => self.value(&member.traits, target, &child)?,
                };
                match pos {
                    Some(p) => found[p].1 = value,
                    None => {
                        in_order &= found.last().is_none_or(|&(j, _)| j < i);
                        seen |= bit;
                        found.push((i, value));
                    }
                }
            }
        }
        for &(name, i) in &layout.attributes {
            if found.iter().any(|(j, _)| *j == i) {
                continue;
            }
            if let Some(v) = self.attribute(el, name)? {
                in_order &= found.last().is_none_or(|&(j, _)| j < i);
                found.push((i, Value::String(v)));
            }
        }
        if shape.traits.union {
            match (found.len(), unknown) {
                (1, _) => {}
                (0, Some(tag)) => return Ok(unknown_union_member(&tag)),
                _ => return Err(self.error(union_error(shape))),
            }
        }
        if !in_order {
            found.sort_by_key(|&(i, _)| i);
        }
        let mut out = Map::with_capacity(found.len());
        for (i, v) in found {
            out.insert(members[i].name.to_string(), v);
        }
        Ok(Value::Map(out))
    }

    /// The attribute `name` of `el`. A prefixed name (`xsi:type`) matches
    /// an attribute of that local name with any namespace prefix, as
    /// botocore maps ElementTree's `{uri}type` back to the model's prefix.
    fn attribute(&self, el: &Elem<'a>, name: &str) -> Result<Option<String>, XmlError> {
        let (want_prefix, want_local) = match name.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, name),
        };
        for attr in el.start.attributes() {
            let attr = attr.map_err(|e| self.error(format!("invalid attribute: {e}")))?;
            let (local, prefix) = attr.key.decompose();
            let prefix = prefix.map(|p| p.into_inner());
            if prefix == Some("xmlns") || (prefix.is_none() && local.into_inner() == "xmlns") {
                continue;
            }
            if local.into_inner() == want_local && prefix.is_some() == want_prefix.is_some() {
                let value = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|e| self.error(format!("invalid attribute value: {e}")))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    fn list(&mut self, shape: &'m Shape, flattened: bool, el: &Elem<'a>) -> Result<Value, XmlError> {
        let item = list_member(shape).ok_or_else(|| self.error("list without a member"))?;
        let target = self.model.shape(item.target);
        if flattened {
            return Ok(Value::List(vec![self.value(&item.traits, target, el)?]));
        }
        let mut items = Vec::new();
        if !el.empty {
            while let Some(child) = self.next_child()? {
                items.push(self.value(&item.traits, target, &child)?);
            }
        }
        Ok(Value::List(items))
    }

    fn map(&mut self, shape: &'m Shape, flattened: bool, el: &Elem<'a>) -> Result<Value, XmlError> {
        let mut out = Map::new();
        if flattened {
            if let Some((k, v)) = self.map_entry(shape, el)? {
                out.insert(k, v);
            }
        } else if !el.empty {
            while let Some(entry) = self.next_child()? {
                self.enter()?;
                if let Some((k, v)) = self.map_entry(shape, &entry)? {
                    out.insert(k, v);
                }
                self.depth -= 1;
            }
        }
        Ok(Value::Map(out))
    }

    /// One `<entry><key/><value/></entry>`; `None` without a key or value.
    fn map_entry(&mut self, shape: &'m Shape, entry: &Elem<'a>) -> Result<Option<(String, Value)>, XmlError> {
        let (Some(key), Some(value)) = (&shape.key, &shape.value) else {
            return Err(self.error("map without a key or value"));
        };
        let key_target = self.model.shape(key.target);
        let value_target = self.model.shape(value.target);
        let key_name = explicit_location_name(key, key_target).unwrap_or("key");
        let value_name = explicit_location_name(value, value_target).unwrap_or("value");
        let (mut k, mut v) = (None, None);
        if !entry.empty {
            while let Some(child) = self.next_child()? {
                let tag = child.local();
                if tag == key_name {
                    k = Some(self.text(&child)?.into_owned());
                } else if tag == value_name {
                    v = Some(self.value(&value.traits, value_target, &child)?);
                } else {
                    self.skip(&child)?;
                }
            }
        }
        Ok(k.zip(v))
    }

    // ---- untyped (error bodies) ----

    /// `el` as botocore's `_replace_nodes` sees it: an element with child
    /// elements is a map of them (a repeated tag keeps the last), any other
    /// its text.
    pub fn untyped(&mut self, el: &Elem<'a>) -> Result<Value, XmlError> {
        if el.empty {
            return Ok(Value::String(String::new()));
        }
        self.enter()?;
        let mut text = String::new();
        let mut map: Option<Map> = None;
        loop {
            match self.next()? {
                Event::Start(start) => {
                    let child = Elem { start, empty: false };
                    let v = self.untyped(&child)?;
                    map.get_or_insert_with(Map::new).insert(child.local().to_owned(), v);
                }
                Event::Empty(start) => {
                    let child = Elem { start, empty: true };
                    map.get_or_insert_with(Map::new).insert(child.local().to_owned(), Value::String(String::new()));
                }
                Event::Text(t) if map.is_none() => text.push_str(&t.xml10_content()),
                Event::CData(c) if map.is_none() => text.push_str(&c.xml10_content()),
                Event::GeneralRef(r) if map.is_none() => text.push_str(&self.resolve(&r)?),
                Event::End(_) => break,
                Event::Eof => return Err(self.error("unexpected end of the document")),
                _ => {}
            }
        }
        self.depth -= 1;
        Ok(match map {
            Some(m) => Value::Map(m),
            None => Value::String(text),
        })
    }

    /// The children of `el` as an untyped map.
    pub fn untyped_children(&mut self, el: &Elem<'a>) -> Result<Map, XmlError> {
        match self.untyped(el)? {
            Value::Map(m) => Ok(m),
            _ => Ok(Map::new()),
        }
    }

    /// Reads the element named `name` among the children of `el` with `f`
    /// (skipping the others); `None` if there is none.
    pub fn find_child<T>(
        &mut self,
        el: &Elem<'a>,
        name: &str,
        f: impl FnOnce(&mut Self, &Elem<'a>) -> Result<T, XmlError>,
    ) -> Result<Option<T>, XmlError> {
        let mut f = Some(f);
        let mut out = None;
        if !el.empty {
            while let Some(child) = self.next_child()? {
                match (child.local() == name, f.take()) {
                    (true, Some(f)) => out = Some(f(self, &child)?),
                    (_, rest) => {
                        f = rest;
                        self.skip(&child)?;
                    }
                }
            }
        }
        Ok(out)
    }
}

fn list_member(shape: &Shape) -> Option<&Member> {
    shape.member.as_ref()
}

/// The local name of the root element of `body`, or `None` if the body
/// does not start like an XML document. Only the start is read (and
/// checked for UTF-8) when the root tag is in it.
pub(crate) fn root_name(body: &[u8]) -> Option<String> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.len() > 1024 {
        let head = &body[..1024];
        let head = match std::str::from_utf8(head) {
            Ok(text) => text,
            Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
            Err(_) => return None,
        };
        if let Some(name) = first_element(head) {
            return Some(name);
        }
    }
    first_element(std::str::from_utf8(body).ok()?)
}

fn first_element(text: &str) -> Option<String> {
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event().ok()? {
            Event::Start(s) | Event::Empty(s) => return Some(s.local_name().into_inner().to_owned()),
            Event::Text(t) if t.trim().is_empty() => {}
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            _ => return None,
        }
    }
}
