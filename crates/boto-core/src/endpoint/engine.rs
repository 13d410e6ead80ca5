//! Evaluating a prepared rule set.
//!
//! The rules run as a flat program (see `ruleset::Op`): conditions jump to
//! the next sibling rule when they fail, so there is no recursion over the
//! rule tree. Variables live in a slot vector (parameters first, then
//! assigned names); values borrow from the parameters, the rule set and the
//! partitions wherever they can, so the common path (partition lookup,
//! boolean and string comparisons, host-label checks) allocates nothing
//! until the endpoint itself is built. A rule's assignments are undone when
//! the rule is left, which gives every rule botocore's copy of its parent's
//! scope without copying anything.

use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::Value as Json;

use super::aws;
use super::ruleset::{AttrPath, Call, CallKind, EndpointSpec, Expr, Func, Op, PathSeg, Prop, Properties};
use super::ruleset::{RuleSet, TemplatePart};
use super::ruleset::{Template, MAX_DEPTH};
use super::stdlib;
use super::{Endpoint, EndpointError, EndpointParams, ParamValue};

/// A value during evaluation.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Str(&'a str),
    Owned(Rc<str>),
    /// A `stringArray` parameter.
    StrList(&'a [String]),
    /// A literal array, object or non-integer number (from the rule set).
    Json(&'a Json),
    /// An object as a list of fields (partition outputs).
    Fields(&'a [(Box<str>, Json)]),
    List(Rc<[Val<'a>]>),
    Obj(Rc<[(&'static str, Val<'a>)]>),
}

impl<'a> Val<'a> {
    fn from_json(j: &'a Json) -> Val<'a> {
        match j {
            Json::Null => Val::Null,
            Json::Bool(b) => Val::Bool(*b),
            Json::String(s) => Val::Str(s),
            Json::Number(n) if n.is_i64() => Val::Int(n.as_i64().unwrap_or_default()),
            other => Val::Json(other),
        }
    }

    fn from_param(p: &'a ParamValue) -> Val<'a> {
        match p {
            ParamValue::String(s) => Val::Str(s),
            ParamValue::Bool(b) => Val::Bool(*b),
            ParamValue::StringArray(a) => Val::StrList(a),
            ParamValue::Other(j) => Val::from_json(j),
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            Val::Owned(s) => Some(s),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    /// Python truthiness.
    fn truthy(&self) -> bool {
        match self {
            Val::Null => false,
            Val::Bool(b) => *b,
            Val::Int(i) => *i != 0,
            Val::Str(s) => !s.is_empty(),
            Val::Owned(s) => !s.is_empty(),
            Val::StrList(l) => !l.is_empty(),
            Val::Json(j) => super::ruleset::json_truthy(j),
            Val::Fields(f) => !f.is_empty(),
            Val::List(l) => !l.is_empty(),
            Val::Obj(o) => !o.is_empty(),
        }
    }

    /// The Python type botocore's error messages would name.
    fn python_type(&self) -> &'static str {
        match self {
            Val::Null => "<class 'NoneType'>",
            Val::Bool(_) => "<class 'bool'>",
            Val::Int(_) => "<class 'int'>",
            Val::Str(_) | Val::Owned(_) => "<class 'str'>",
            Val::StrList(_) => "<class 'tuple'>",
            Val::Json(Json::Array(_)) | Val::List(_) => "<class 'list'>",
            Val::Json(Json::Object(_)) | Val::Obj(_) | Val::Fields(_) => "<class 'dict'>",
            Val::Json(Json::Number(n)) if n.is_f64() => "<class 'float'>",
            Val::Json(Json::Number(_)) => "<class 'int'>",
            Val::Json(Json::String(_)) => "<class 'str'>",
            Val::Json(Json::Bool(_)) => "<class 'bool'>",
            Val::Json(Json::Null) => "<class 'NoneType'>",
        }
    }

    /// The attribute `key` of an object.
    fn key(&self, key: &str) -> Option<Val<'a>> {
        match self {
            Val::Fields(f) => f.iter().find(|(k, _)| &**k == key).map(|(_, v)| Val::from_json(v)),
            Val::Json(Json::Object(o)) => o.get(key).map(Val::from_json),
            Val::Obj(o) => o.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()),
            _ => None,
        }
    }

    /// Element `i` of a list.
    fn index(&self, i: usize) -> Option<Val<'a>> {
        match self {
            Val::StrList(l) => l.get(i).map(|s| Val::Str(s)),
            Val::Json(Json::Array(a)) => a.get(i).map(Val::from_json),
            Val::List(l) => l.get(i).cloned(),
            _ => None,
        }
    }

    /// The value as JSON (for properties and headers).
    fn to_json(&self) -> Json {
        match self {
            Val::Null => Json::Null,
            Val::Bool(b) => Json::Bool(*b),
            Val::Int(i) => Json::from(*i),
            Val::Str(s) => Json::String((*s).to_owned()),
            Val::Owned(s) => Json::String(String::from(&**s)),
            Val::StrList(l) => Json::Array(l.iter().map(|s| Json::String(s.clone())).collect()),
            Val::Json(j) => (*j).clone(),
            Val::Fields(f) => Json::Object(f.iter().map(|(k, v)| (String::from(&**k), v.clone())).collect()),
            Val::List(l) => Json::Array(l.iter().map(Val::to_json).collect()),
            Val::Obj(o) => Json::Object(o.iter().map(|(k, v)| ((*k).to_owned(), v.to_json())).collect()),
        }
    }

    /// Python's `str(value)` for the scalar values a template or message
    /// may hold; `None` for containers.
    fn write_python_str(&self, out: &mut String) -> bool {
        match self {
            Val::Str(s) => out.push_str(s),
            Val::Owned(s) => out.push_str(s),
            Val::Bool(true) => out.push_str("True"),
            Val::Bool(false) => out.push_str("False"),
            Val::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Val::Null => out.push_str("None"),
            _ => return false,
        }
        true
    }
}

/// A resolution error's message (kept small: results move through every
/// call of the evaluator).
/// (Boxed: a thin pointer keeps `Result<bool, Fail>` in registers.)
type Fail = Box<String>;

#[cold]
fn fail(message: impl Into<String>) -> Fail {
    Box::new(message.into())
}

struct Eval<'a> {
    rule_set: &'a RuleSet,
    scope: Vec<Option<Val<'a>>>,
    /// Slots assigned so far, in order, for undoing.
    assigned: Vec<u32>,
}

impl RuleSet {
    /// Resolves the endpoint for these parameters: applies defaults,
    /// checks required parameters and types, then evaluates the rules in
    /// order. An error rule's message (or a type error) comes back as
    /// [`EndpointError::Resolution`] with botocore's exact message.
    pub fn resolve(&self, params: &EndpointParams) -> Result<Endpoint, EndpointError> {
        if std::sync::Arc::ptr_eq(&params.specs, &self.params) {
            self.resolve_values(&params.values, params)
        } else {
            // Parameters built for another rule set: match them by name.
            let values: Vec<Option<ParamValue>> = self.params.iter().map(|p| params.get(&p.name).cloned()).collect();
            self.resolve_values(&values, params)
        }
    }

    fn resolve_values(&self, values: &[Option<ParamValue>], given: &EndpointParams) -> Result<Endpoint, EndpointError> {
        self.evaluate(values, given).map_err(|e| EndpointError::Resolution(*e))
    }

    fn evaluate(&self, values: &[Option<ParamValue>], given: &EndpointParams) -> Result<Endpoint, Fail> {
        let mut scope: Vec<Option<Val<'_>>> = Vec::with_capacity(self.slot_names.len());
        scope.resize_with(self.slot_names.len(), || None);
        for (i, spec) in self.params.iter().enumerate() {
            match values.get(i).and_then(Option::as_ref) {
                None => match &spec.default {
                    Some(d) => scope[i] = Some(Val::from_param(d)),
                    None if spec.required => {
                        return Err(fail(format!("Cannot find value for required parameter {}", spec.name)))
                    }
                    None => {}
                },
                Some(v) => {
                    if !spec.kind.accepts(v) {
                        return Err(fail(format!(
                            "Value ({}) is the wrong type. Must be {}.",
                            spec.name,
                            spec.kind.python_class()
                        )));
                    }
                    if let Some(d) = &spec.deprecated {
                        tracing::info!(
                            parameter = &*spec.name,
                            message = d.message.as_deref().unwrap_or(""),
                            since = d.since.as_deref().unwrap_or(""),
                            "deprecated endpoint parameter is set"
                        );
                    }
                    scope[i] = Some(Val::from_param(v));
                }
            }
        }
        let mut eval = Eval { rule_set: self, scope, assigned: Vec::with_capacity(16) };
        if let Some(ep) = eval.run()? {
            tracing::debug!(url = %ep.url, "resolved endpoint");
            return Ok(ep);
        }
        Err(fail(no_endpoint_message(given)))
    }
}

/// botocore's message when no rule matches, listing the parameters given.
fn no_endpoint_message(params: &EndpointParams) -> String {
    let mut msg = String::from("No endpoint found for parameters:");
    for (name, value) in params.iter() {
        msg.push('\n');
        msg.push_str(name);
        msg.push_str(": ");
        value.write_python(&mut msg);
    }
    msg
}

impl<'a> Eval<'a> {
    /// Runs the program: the endpoint of the first endpoint rule reached,
    /// the message of the first error rule reached, or `None`.
    fn run(&mut self) -> Result<Option<Endpoint>, Fail> {
        let program = &self.rule_set.program;
        // Marks nest no deeper than rules do (MAX_DEPTH, checked when
        // preparing).
        let mut marks = [0u32; MAX_DEPTH + 2];
        let mut depth = 0;
        let mut pc = 0;
        while let Some(op) = program.get(pc) {
            pc += 1;
            match op {
                Op::BoolEq { slot, value, on_false, call } => match self.scope.get(*slot as usize) {
                    Some(Some(Val::Bool(b))) => {
                        if *b != *value {
                            pc = *on_false as usize;
                        }
                    }
                    // Not a boolean: the general path reports the error.
                    _ => {
                        if !self.condition(call)? {
                            pc = *on_false as usize;
                        }
                    }
                },
                Op::IsSet { slot, on_false } => {
                    if !matches!(self.scope.get(*slot as usize), Some(Some(v)) if !v.is_null()) {
                        pc = *on_false as usize;
                    }
                }
                Op::Cond { call, on_false } => {
                    if !self.condition(call)? {
                        pc = *on_false as usize;
                    }
                }
                Op::Mark => match marks.get_mut(depth) {
                    Some(m) => {
                        *m = self.assigned.len() as u32;
                        depth += 1;
                    }
                    None => return Err(fail("rules nest too deeply")),
                },
                Op::Undo => {
                    depth = depth.saturating_sub(1);
                    let mark = marks.get(depth).map_or(0, |m| *m as usize);
                    for slot in self.assigned.drain(mark..) {
                        self.scope[slot as usize] = None;
                    }
                }
                Op::Endpoint(spec) => return self.endpoint(spec).map(Some),
                Op::Error(e) => {
                    let v = self.expr(e)?;
                    let mut msg = String::new();
                    if !v.write_python_str(&mut msg) {
                        msg = v.to_json().to_string();
                    }
                    return Err(Box::new(msg));
                }
            }
        }
        Ok(None)
    }

    /// The boolean value of the common condition shapes (a variable
    /// compared with a literal, `isSet` of a variable) when they assign
    /// nothing and cannot fail; `None` for anything else.
    #[inline]
    fn fast_bool(&self, c: &'a Call) -> Option<bool> {
        if c.assign.is_some() {
            return None;
        }
        match &c.kind {
            CallKind::BoolEqRef { slot, value, .. } => match &self.scope[*slot as usize] {
                Some(Val::Bool(b)) => Some(*b == *value),
                _ => None,
            },
            CallKind::IsSetRef(slot) => Some(self.scope[*slot as usize].as_ref().is_some_and(|v| !v.is_null())),
            CallKind::StrEqRef { slot, lit } => {
                match (self.scope[*slot as usize].as_ref().and_then(Val::as_str), c.args.get(*lit as usize)) {
                    (Some(v), Some(Expr::Str(l))) => Some(v == &**l),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Evaluates a condition: false if its value is `None` or `False`.
    #[inline]
    fn condition(&mut self, c: &'a Call) -> Result<bool, Fail> {
        if let Some(b) = self.fast_bool(c) {
            return Ok(b);
        }
        let v = self.call(c)?;
        Ok(!matches!(v, Val::Null | Val::Bool(false)))
    }

    #[inline(never)]
    fn endpoint(&mut self, spec: &'a EndpointSpec) -> Result<Endpoint, Fail> {
        let url = match &spec.url {
            Expr::Template(t) => self.render(t)?,
            e => match self.expr(e)? {
                Val::Str(s) => s.to_owned(),
                Val::Owned(s) => String::from(&*s),
                other => return Err(fail(format!("endpoint url must be a string, not {}", other.python_type()))),
            },
        };
        let properties = self.properties(&spec.properties)?;
        let mut headers = IndexMap::with_capacity(spec.headers.len());
        for (name, values) in spec.headers.iter() {
            let mut out = Vec::with_capacity(values.len());
            for v in values.iter() {
                let v = match v {
                    Expr::Template(t) => self.render(t)?,
                    e => {
                        let v = self.expr(e)?;
                        let mut s = String::new();
                        if !v.write_python_str(&mut s) || v.is_null() {
                            return Err(fail(format!("header {name} value must be a string, not {}", v.python_type())));
                        }
                        s
                    }
                };
                out.push(v);
            }
            headers.insert(String::from(&**name), out);
        }
        Ok(Endpoint { url, headers, properties })
    }

    fn properties(&self, spec: &'a Properties) -> Result<Arc<serde_json::Map<String, Json>>, Fail> {
        let (tree, templates, last) = match spec {
            Properties::Fixed(m) => return Ok(m.clone()),
            Properties::Templated { tree, templates, last } => (tree, templates, last),
        };
        if let Ok(guard) = last.try_lock() {
            if let Some((key, value)) = &*guard {
                if key.len() == templates.len() && self.all_render_as(templates, key)? {
                    return Ok(value.clone());
                }
            }
        }
        let rendered = templates.iter().map(|t| self.render(t)).collect::<Result<Vec<String>, Fail>>()?;
        let built = match prop(tree, &rendered)? {
            Json::Object(m) => Arc::new(m),
            _ => Arc::default(),
        };
        if let Ok(mut guard) = last.try_lock() {
            *guard = Some((rendered.into(), built.clone()));
        }
        Ok(built)
    }

    /// Fills a template: each `{Var#a#b}` is the variable's value, then its
    /// attribute `a`, then that value's `b`.
    fn render(&self, t: &'a Template) -> Result<String, Fail> {
        let mut out = String::with_capacity(t.literal_len + 32);
        for part in t.parts.iter() {
            match part {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Var { slot, keys } => {
                    let v = self.template_var(*slot, keys)?;
                    if !v.write_python_str(&mut out) {
                        return Err(self.not_a_string(*slot, &v));
                    }
                }
            }
        }
        Ok(out)
    }

    /// The value a template variable (`{name#key#key}`) stands for.
    fn template_var(&self, slot: u32, keys: &[Box<str>]) -> Result<Val<'a>, Fail> {
        let name = &self.rule_set.slot_names[slot as usize];
        let mut v = match &self.scope[slot as usize] {
            Some(v) => v.clone(),
            None => return Err(fail(format!("template variable {name} is not set"))),
        };
        for k in keys.iter() {
            v = match v.key(k) {
                Some(x) => x,
                None => return Err(fail(format!("template variable {name} has no attribute {k}"))),
            };
        }
        if v.is_null() {
            return Err(self.not_a_string(slot, &v));
        }
        Ok(v)
    }

    #[cold]
    fn not_a_string(&self, slot: u32, v: &Val<'_>) -> Fail {
        let name = &self.rule_set.slot_names[slot as usize];
        fail(format!("template variable {name} is {}, not a string", v.python_type()))
    }

    /// True if each template renders exactly as the string at its index,
    /// checked without building the strings.
    fn all_render_as(&self, templates: &'a [Template], expected: &[String]) -> Result<bool, Fail> {
        for (t, want) in templates.iter().zip(expected) {
            let mut rest = want.as_str();
            for part in t.parts.iter() {
                let piece = match part {
                    TemplatePart::Literal(s) => rest.strip_prefix(&**s),
                    TemplatePart::Var { slot, keys } => match self.template_var(*slot, keys)? {
                        v @ (Val::Str(_) | Val::Owned(_)) => rest.strip_prefix(v.as_str().unwrap_or_default()),
                        // Rare: compare the rendered text.
                        _ => return Ok(self.render(t)? == *want),
                    },
                };
                match piece {
                    Some(r) => rest = r,
                    None => return Ok(false),
                }
            }
            if !rest.is_empty() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    #[inline]
    fn expr(&mut self, e: &'a Expr) -> Result<Val<'a>, Fail> {
        Ok(match e {
            Expr::Ref(slot) => self.scope[*slot as usize].clone().unwrap_or(Val::Null),
            Expr::Bool(b) => Val::Bool(*b),
            Expr::Str(s) => Val::Str(s),
            Expr::Int(i) => Val::Int(*i),
            Expr::Null => Val::Null,
            _ => return self.expr_slow(e),
        })
    }

    #[inline(never)]
    fn expr_slow(&mut self, e: &'a Expr) -> Result<Val<'a>, Fail> {
        Ok(match e {
            Expr::Call(c) => self.call(c)?,
            Expr::Template(t) => Val::Owned(self.render(t)?.into()),
            Expr::Json(j) => Val::from_json(j),
            Expr::Invalid(msg) => return Err(fail(msg.to_string())),
            Expr::Ref(_) | Expr::Bool(_) | Expr::Str(_) | Expr::Int(_) | Expr::Null => self.expr(e)?,
        })
    }

    fn call(&mut self, c: &'a Call) -> Result<Val<'a>, Fail> {
        let v = match &c.kind {
            CallKind::GetAttr(path) => match &*c.args {
                [target] => {
                    let target = self.expr(target)?;
                    get_attr(target, path)
                }
                _ => return Err(fail("getAttr takes 2 arguments")),
            },
            CallKind::BoolEqRef { slot, value, ref_first } => match &self.scope[*slot as usize] {
                Some(Val::Bool(b)) => Val::Bool(*b == *value),
                other => {
                    let v = other.as_ref().map_or("<class 'NoneType'>", Val::python_type);
                    let (x, y) = if *ref_first { (v, "<class 'bool'>") } else { ("<class 'bool'>", v) };
                    return Err(fail(format!("Both arguments must be bools, not {x} and {y}.")));
                }
            },
            CallKind::IsSetRef(slot) => Val::Bool(self.scope[*slot as usize].as_ref().is_some_and(|v| !v.is_null())),
            CallKind::StrEqRef { slot, lit } => {
                let lit = match c.args.get(*lit as usize) {
                    Some(Expr::Str(s)) => &**s,
                    _ => return Err(fail("stringEquals: bad literal")),
                };
                match self.scope[*slot as usize].as_ref().and_then(Val::as_str) {
                    Some(v) => Val::Bool(v == lit),
                    None => {
                        let v = self.scope[*slot as usize].as_ref().map_or("<class 'NoneType'>", Val::python_type);
                        let (x, y) = if lit_is_second(c) { (v, "<class 'str'>") } else { ("<class 'str'>", v) };
                        return Err(fail(format!("Both values must be strings, not {x} and {y}.")));
                    }
                }
            }
            CallKind::Std(f) => self.std_call(*f, &c.args)?,
            CallKind::Invalid(msg) => return Err(fail(msg.to_string())),
        };
        if let Some(slot) = c.assign {
            let cell = &mut self.scope[slot as usize];
            if cell.is_some() {
                return Err(fail(format!(
                    "Assignment {} already exists in scoped variables and cannot be overwritten",
                    self.rule_set.slot_names[slot as usize]
                )));
            }
            *cell = Some(v.clone());
            self.assigned.push(slot);
        }
        Ok(v)
    }

    fn std_call(&mut self, f: Func, args: &'a [Expr]) -> Result<Val<'a>, Fail> {
        Ok(match (f, args) {
            (Func::BooleanEquals, [a, b]) => {
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                match (&a, &b) {
                    (Val::Bool(x), Val::Bool(y)) => Val::Bool(x == y),
                    _ => {
                        return Err(fail(format!(
                            "Both arguments must be bools, not {} and {}.",
                            a.python_type(),
                            b.python_type()
                        )))
                    }
                }
            }
            (Func::StringEquals, [a, b]) => {
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                match (a.as_str(), b.as_str()) {
                    (Some(x), Some(y)) => Val::Bool(x == y),
                    _ => {
                        return Err(fail(format!(
                            "Both values must be strings, not {} and {}.",
                            a.python_type(),
                            b.python_type()
                        )))
                    }
                }
            }
            (Func::IsSet, [a]) => Val::Bool(!self.expr(a)?.is_null()),
            (Func::Not, [a]) => {
                let fast = match a {
                    Expr::Call(inner) => self.fast_bool(inner),
                    _ => None,
                };
                Val::Bool(!match fast {
                    Some(b) => b,
                    None => self.expr(a)?.truthy(),
                })
            }
            (Func::GetAttr, [target, path]) => {
                let target = self.expr(target)?;
                let path = self.expr(path)?;
                match path.as_str() {
                    Some(p) => get_attr(target, &AttrPath::parse(p)),
                    None => return Err(fail(format!("getAttr path must be a string, not {}", path.python_type()))),
                }
            }
            (Func::Substring, [value, start, stop, reverse]) => {
                let value = self.expr(value)?;
                let (start, stop, reverse) = (self.expr(start)?, self.expr(stop)?, self.expr(reverse)?);
                let Some(s) = value.as_str() else {
                    return Err(fail(format!("Input must be a string, not {}.", value.python_type())));
                };
                let (Some(start), Some(stop)) = (as_int(&start), as_int(&stop)) else {
                    return Err(fail("substring indices must be integers"));
                };
                match stdlib::substring_range(s, start, stop, matches!(reverse, Val::Bool(true))) {
                    None => Val::Null,
                    Some(r) => match value {
                        Val::Str(whole) => Val::Str(&whole[r]),
                        _ => Val::Owned(s[r].into()),
                    },
                }
            }
            (Func::UriEncode, [a]) => {
                let v = self.expr(a)?;
                match &v {
                    Val::Null => Val::Null,
                    _ => match v.as_str() {
                        Some(s) => Val::Owned(stdlib::uri_encode(s).into()),
                        None => {
                            let mut s = String::new();
                            if !v.write_python_str(&mut s) {
                                return Err(fail(format!("uriEncode takes a string, not {}", v.python_type())));
                            }
                            Val::Owned(stdlib::uri_encode(&s).into())
                        }
                    },
                }
            }
            (Func::ParseUrl, [a]) => {
                let v = self.expr(a)?;
                match v {
                    Val::Null => Val::Null,
                    _ => {
                        let Some(s) = v.as_str() else {
                            return Err(fail(format!("parseURL takes a string, not {}", v.python_type())));
                        };
                        match stdlib::parse_url(s) {
                            None => Val::Null,
                            Some(u) => Val::Obj(Rc::new([
                                ("scheme", Val::Str(u.scheme)),
                                ("authority", Val::Owned(u.authority.into())),
                                ("path", Val::Owned(u.path.into())),
                                ("normalizedPath", Val::Owned(u.normalized_path.into())),
                                ("isIp", Val::Bool(u.is_ip)),
                            ])),
                        }
                    }
                }
            }
            (Func::IsValidHostLabel, [a, allow]) => {
                let (v, allow) = (self.expr(a)?, self.expr(allow)?);
                match v {
                    Val::Null => Val::Bool(false),
                    _ => match v.as_str() {
                        Some(s) => Val::Bool(stdlib::is_valid_host_label(s, matches!(allow, Val::Bool(true)))),
                        None => return Err(fail(format!("isValidHostLabel takes a string, not {}", v.python_type()))),
                    },
                }
            }
            (Func::Partition, [a]) => {
                let v = self.expr(a)?;
                let region = match &v {
                    Val::Null => None,
                    _ => match v.as_str() {
                        Some(s) => Some(s),
                        None => return Err(fail(format!("aws.partition takes a string, not {}", v.python_type()))),
                    },
                };
                Val::Fields(&self.rule_set.partitions.find(region).fields)
            }
            (Func::ParseArn, [a]) => {
                let v = self.expr(a)?;
                match v {
                    Val::Null => Val::Null,
                    Val::Str(s) => arn_value(s, Val::Str),
                    Val::Owned(ref s) => arn_value(s, |x| Val::Owned(x.into())),
                    other => return Err(fail(format!("aws.parseArn takes a string, not {}", other.python_type()))),
                }
            }
            (Func::IsVirtualHostableS3Bucket, [a, allow]) => {
                let (v, allow) = (self.expr(a)?, self.expr(allow)?);
                match v {
                    Val::Null => Val::Bool(false),
                    _ => match v.as_str() {
                        Some(s) => Val::Bool(aws::is_virtual_hostable_s3_bucket(s, matches!(allow, Val::Bool(true)))),
                        None => {
                            return Err(fail(format!(
                                "aws.isVirtualHostableS3Bucket takes a string, not {}",
                                v.python_type()
                            )))
                        }
                    },
                }
            }
            (f, args) => return Err(fail(format!("{f:?} cannot take {} arguments", args.len()))),
        })
    }
}

/// Builds a property value, templates taken from `rendered`.
fn prop(p: &Prop, rendered: &[String]) -> Result<Json, Fail> {
    Ok(match p {
        Prop::Json(j) => j.clone(),
        Prop::Template(i) => Json::String(rendered.get(*i).cloned().unwrap_or_default()),
        Prop::Array { skeleton, holes } => {
            let mut a = skeleton.clone();
            for (i, p) in holes.iter() {
                if let Some(slot) = a.get_mut(*i) {
                    *slot = prop(p, rendered)?;
                }
            }
            Json::Array(a)
        }
        Prop::Object { skeleton, holes } => {
            let mut m = skeleton.clone();
            // Holes are in key order: one pass places them all.
            let mut values = m.values_mut().enumerate();
            for (i, p) in holes.iter() {
                if let Some((_, slot)) = values.by_ref().find(|(j, _)| j == i) {
                    *slot = prop(p, rendered)?;
                }
            }
            Json::Object(m)
        }
        Prop::Invalid(msg) => return Err(fail(msg.to_string())),
    })
}

/// True if a `StrEqRef` call has its literal second.
fn lit_is_second(c: &Call) -> bool {
    matches!(c.kind, CallKind::StrEqRef { lit: 1, .. })
}

fn as_int(v: &Val<'_>) -> Option<i64> {
    match v {
        Val::Int(i) => Some(*i),
        Val::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

/// The `aws.parseArn` object for `s`, strings made by `mk`.
fn arn_value<'a, 's>(s: &'s str, mk: impl Fn(&'s str) -> Val<'a>) -> Val<'a> {
    match aws::parse_arn(s) {
        None => Val::Null,
        Some(arn) => {
            let resource_id: Rc<[Val<'a>]> = arn.resource_id().map(&mk).collect();
            Val::Obj(Rc::new([
                ("partition", mk(arn.partition)),
                ("service", mk(arn.service)),
                ("region", mk(arn.region)),
                ("accountId", mk(arn.account_id)),
                ("resourceId", Val::List(resource_id)),
            ]))
        }
    }
}

/// `getAttr`: follows the path; anything missing (or of the wrong shape)
/// gives `None`.
fn get_attr<'a>(mut v: Val<'a>, path: &AttrPath) -> Val<'a> {
    for seg in path.0.iter() {
        match seg {
            PathSeg::Key(k) => match v.key(k) {
                Some(x) => v = x,
                None => return Val::Null,
            },
            PathSeg::Index(name, i) => {
                if let Some(name) = name {
                    match v.key(name) {
                        Some(x) => v = x,
                        None => return Val::Null,
                    }
                }
                return v.index(*i).unwrap_or(Val::Null);
            }
        }
    }
    v
}
