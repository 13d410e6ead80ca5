//! The `query` and `ec2` protocols: every parameter becomes a form field of
//! a `POST /` body, `Action=Op&Version=2014-01-01&Name.Path=value...`.
//!
//! Keys are built from member names joined with dots:
//!
//! * query: a member's `locationName`, else its name. Lists are
//!   `Name.member.1` (`member` being the list member's `locationName` if
//!   any) or, flattened, `Name.1` (with the last key segment replaced by
//!   the list member's `locationName`, if any); an empty list is sent as
//!   `Name=`. Maps are `Name.entry.1.key` / `Name.entry.1.value` (`entry`
//!   dropped when flattened; `key`/`value` renamed by `locationName`).
//! * ec2: a member's `queryName`, else its `locationName` capitalised,
//!   else its name capitalised. Lists are always `Name.1` and empty lists
//!   are left out.

use super::encode::percent_encode_into;
use super::scalar::{write_text, TextUse};
use super::shape_ref::Ref;
use super::{expect_map, member_named, method, Fail, Res};
use crate::body::Body;
use crate::model::{Member, Operation, ServiceModel, Shape, ShapeKind};
use crate::request::HttpRequest;
use crate::value::{Map, Value};

const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

pub(crate) fn serialize(
    model: &ServiceModel,
    operation: &Operation,
    params: Option<&Map>,
    ec2: bool,
) -> Res<HttpRequest> {
    let mut form =
        Form { model, ec2, body: String::with_capacity(256), key: String::with_capacity(64), text: String::new() };
    form.body.push_str("Action=");
    percent_encode_into(&mut form.body, &operation.name, false);
    form.body.push_str("&Version=");
    percent_encode_into(&mut form.body, &model.metadata().api_version, false);
    if let (Some(input), Some(params)) = (&operation.input, params) {
        form.structure(model.shape(input.shape), params)?;
    }
    let mut request = HttpRequest::new(method(operation)?, "/");
    request.headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(CONTENT_TYPE));
    request.body = Body::from(form.body);
    Ok(request)
}

struct Form<'a> {
    model: &'a ServiceModel,
    ec2: bool,
    /// The form being written.
    body: String,
    /// The key of the current value (`Foo.member.1.Bar`), not yet encoded.
    key: String,
    /// Scratch space for a value's text.
    text: String,
}

impl<'a> Form<'a> {
    /// Appends `.segment` (or `segment` at the top) to the key; returns
    /// the length to truncate back to.
    fn push_key(&mut self, segment: &str) -> usize {
        let mark = self.key.len();
        if !self.key.is_empty() {
            self.key.push('.');
        }
        self.key.push_str(segment);
        mark
    }

    fn push_index(&mut self, i: usize) -> usize {
        let mark = self.key.len();
        self.key.push('.');
        self.key.push_str(itoa(i).as_str());
        mark
    }

    /// The key segment for a reference: see the module docs.
    fn name<'n>(&self, r: Ref<'n>, default: &'n str, capitalise_default: bool) -> NameSeg<'n> {
        if !self.ec2 {
            return NameSeg::Plain(r.location_name().unwrap_or(default));
        }
        if let Some(q) = r.query_name() {
            return NameSeg::Plain(q);
        }
        match r.location_name() {
            Some(l) => NameSeg::Capitalised(l),
            None if capitalise_default => NameSeg::Capitalised(default),
            None => NameSeg::Plain(default),
        }
    }

    fn push_name(&mut self, seg: NameSeg<'_>) -> usize {
        match seg {
            NameSeg::Plain(s) => self.push_key(s),
            NameSeg::Capitalised(s) => {
                let mark = self.push_key("");
                let mut chars = s.chars();
                if let Some(first) = chars.next() {
                    if first.is_ascii() {
                        self.key.push(first.to_ascii_uppercase());
                    } else {
                        self.key.extend(first.to_uppercase());
                    }
                    self.key.push_str(chars.as_str());
                }
                mark
            }
        }
    }

    fn structure(&mut self, shape: &Shape, map: &Map) -> Res<()> {
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            let member = member_named(shape, key)?;
            self.member(member, key, value).map_err(|e| e.at(key))?;
        }
        Ok(())
    }

    fn member(&mut self, member: &Member, key: &str, value: &Value) -> Res<()> {
        let r = Ref::member(self.model, member);
        let mark = self.push_name(self.name(r, key, true));
        let result = self.value(r, value);
        self.key.truncate(mark);
        result
    }

    fn value(&mut self, r: Ref<'_>, value: &Value) -> Res<()> {
        match r.kind() {
            ShapeKind::Structure => self.structure(r.shape, expect_map(value)?),
            ShapeKind::List => self.list(r, value),
            ShapeKind::Map => self.map(r, value),
            _ => {
                self.text.clear();
                let mut text = std::mem::take(&mut self.text);
                let result = write_text(&mut text, r, value, TextUse::Body);
                if result.is_ok() {
                    self.field(&text);
                }
                self.text = text;
                result
            }
        }
    }

    /// Appends `&key=text`.
    fn field(&mut self, text: &str) {
        self.body.push('&');
        percent_encode_into(&mut self.body, &self.key, false);
        self.body.push('=');
        percent_encode_into(&mut self.body, text, false);
    }

    fn list(&mut self, r: Ref<'_>, value: &Value) -> Res<()> {
        let Value::List(items) = value else { return Err(Fail::expected("a list", value)) };
        let Some(member) = r.shape.member.as_ref() else { return Err(Fail::new("list shape without a member")) };
        let item = Ref::member(self.model, member);
        if self.ec2 {
            // EC2 lists are always flattened: Name.1, Name.2, ...
            return self.items(item, items, self.key.len());
        }
        if items.is_empty() {
            self.field("");
            return Ok(());
        }
        let mark = self.key.len();
        if r.flattened() {
            if let Some(name) = item.location_name() {
                // Flattened with a member name: the name replaces the last
                // key segment (`Foo.Bar` becomes `Foo.Item`).
                let cut = self.key.rfind('.').map_or(0, |i| i + 1);
                self.key.truncate(cut);
                self.key.push_str(name);
            }
        } else {
            self.push_key(item.location_name().unwrap_or("member"));
        }
        let result = self.items(item, items, mark);
        self.key.truncate(mark);
        result
    }

    /// Serializes list items under `key.1`, `key.2`...; restores the key
    /// to `restore` afterwards.
    fn items(&mut self, item: Ref<'_>, items: &[Value], restore: usize) -> Res<()> {
        let base = self.key.len();
        let mut result = Ok(());
        for (i, v) in items.iter().enumerate() {
            if v.is_null() {
                continue;
            }
            self.push_index(i + 1);
            result = self.value(item, v).map_err(|e| e.at_index(i));
            self.key.truncate(base);
            if result.is_err() {
                break;
            }
        }
        self.key.truncate(restore);
        result
    }

    fn map(&mut self, r: Ref<'_>, value: &Value) -> Res<()> {
        let Value::Map(entries) = value else { return Err(Fail::expected("a map", value)) };
        let (Some(key_member), Some(value_member)) = (r.shape.key.as_ref(), r.shape.value.as_ref()) else {
            return Err(Fail::new("map shape without a key or value"));
        };
        let key_ref = Ref::member(self.model, key_member);
        let value_ref = Ref::member(self.model, value_member);
        let key_name = self.name(key_ref, "key", false);
        let value_name = self.name(value_ref, "value", false);
        let mark = self.key.len();
        if !r.flattened() {
            self.push_key("entry");
        }
        let base = self.key.len();
        let mut result = Ok(());
        for (i, (k, v)) in entries.iter().enumerate() {
            if v.is_null() {
                continue;
            }
            self.push_index(i + 1);
            let entry = self.key.len();
            self.push_name(key_name);
            self.field(k);
            self.key.truncate(entry);
            self.push_name(value_name);
            result = self.value(value_ref, v).map_err(|e| e.at(k));
            self.key.truncate(base);
            if result.is_err() {
                break;
            }
        }
        self.key.truncate(mark);
        result
    }
}

#[derive(Clone, Copy)]
enum NameSeg<'n> {
    Plain(&'n str),
    Capitalised(&'n str),
}

/// Small-integer formatting without allocation.
struct Itoa {
    buf: [u8; 20],
    start: usize,
}

impl Itoa {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or("0")
    }
}

fn itoa(mut n: usize) -> Itoa {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    Itoa { buf, start: i }
}
