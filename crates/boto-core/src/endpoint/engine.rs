//! Evaluating a prepared rule set.
//!
//! Variables live in a slot vector (parameters first, then assigned names);
//! values borrow from the parameters, the rule set and the partitions
//! wherever they can, so the common path (partition lookup, boolean and
//! string comparisons, host-label checks) allocates nothing until the
//! endpoint itself is built. A rule's assignments are undone when the rule
//! is left, which gives every rule botocore's copy of its parent's scope
//! without copying anything.

use std::fmt::Write as _;
use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::Value as Json;

use super::aws;
use super::ruleset::{AttrPath, Call, CallKind, EndpointSpec, Expr, Func, PathSeg, Prop, Rule, RuleKind, Template};
use super::ruleset::{RuleSet, TemplatePart};
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
    /// A literal array, object or non-integer number (from the rule set or
    /// the partitions).
    Json(&'a Json),
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
            Val::Json(Json::Object(_)) | Val::Obj(_) => "<class 'dict'>",
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
            Val::Owned(s) => Json::String(s.to_string()),
            Val::StrList(l) => Json::Array(l.iter().map(|s| Json::String(s.clone())).collect()),
            Val::Json(j) => (*j).clone(),
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

fn fail(message: impl Into<String>) -> EndpointError {
    EndpointError::Resolution(message.into())
}

/// The outcome of a rule that matched.
enum Outcome {
    Endpoint(Endpoint),
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
        let mut scope: Vec<Option<Val<'_>>> = vec![None; self.slot_names.len()];
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
        for rule in self.rules.iter() {
            if let Some(Outcome::Endpoint(ep)) = eval.rule(rule)? {
                tracing::debug!(url = %ep.url, "resolved endpoint");
                return Ok(ep);
            }
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
    fn rule(&mut self, rule: &'a Rule) -> Result<Option<Outcome>, EndpointError> {
        let mark = self.assigned.len();
        let result = self.rule_inner(rule);
        for slot in self.assigned.drain(mark..) {
            self.scope[slot as usize] = None;
        }
        result
    }

    fn rule_inner(&mut self, rule: &'a Rule) -> Result<Option<Outcome>, EndpointError> {
        for cond in rule.conditions.iter() {
            let v = self.call(cond)?;
            if matches!(v, Val::Null | Val::Bool(false)) {
                return Ok(None);
            }
        }
        match &rule.kind {
            RuleKind::Tree(rules) => {
                for r in rules.iter() {
                    if let Some(out) = self.rule(r)? {
                        return Ok(Some(out));
                    }
                }
                Ok(None)
            }
            RuleKind::Error(e) => {
                let v = self.expr(e)?;
                let mut msg = String::new();
                if !v.write_python_str(&mut msg) {
                    msg = v.to_json().to_string();
                }
                Err(EndpointError::Resolution(msg))
            }
            RuleKind::Endpoint(spec) => Ok(Some(Outcome::Endpoint(self.endpoint(spec)?))),
        }
    }

    fn endpoint(&mut self, spec: &'a EndpointSpec) -> Result<Endpoint, EndpointError> {
        let url = match &spec.url {
            Expr::Template(t) => self.render(t)?,
            e => match self.expr(e)? {
                Val::Str(s) => s.to_owned(),
                Val::Owned(s) => s.to_string(),
                other => return Err(fail(format!("endpoint url must be a string, not {}", other.python_type()))),
            },
        };
        let mut properties = serde_json::Map::with_capacity(spec.properties.len());
        for (k, p) in spec.properties.iter() {
            properties.insert(k.to_string(), self.prop(p)?);
        }
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
            headers.insert(name.to_string(), out);
        }
        Ok(Endpoint { url, headers, properties })
    }

    fn prop(&mut self, p: &'a Prop) -> Result<Json, EndpointError> {
        Ok(match p {
            Prop::Json(j) => j.clone(),
            Prop::Template(t) => Json::String(self.render(t)?),
            Prop::Array(a) => Json::Array(a.iter().map(|x| self.prop(x)).collect::<Result<_, _>>()?),
            Prop::Object(o) => {
                let mut m = serde_json::Map::with_capacity(o.len());
                for (k, x) in o.iter() {
                    m.insert(k.to_string(), self.prop(x)?);
                }
                Json::Object(m)
            }
            Prop::Invalid(msg) => return Err(fail(msg.to_string())),
        })
    }

    /// Fills a template: each `{Var#a#b}` is the variable's value, then its
    /// attribute `a`, then that value's `b`.
    fn render(&self, t: &'a Template) -> Result<String, EndpointError> {
        let mut out = String::with_capacity(t.literal_len + 32);
        for part in t.parts.iter() {
            match part {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Var { slot, keys } => {
                    let name = &self.rule_set.slot_names[*slot as usize];
                    let mut v = match &self.scope[*slot as usize] {
                        Some(v) => v.clone(),
                        None => return Err(fail(format!("template variable {name} is not set"))),
                    };
                    for k in keys.iter() {
                        v = match v.key(k) {
                            Some(x) => x,
                            None => return Err(fail(format!("template variable {name} has no attribute {k}"))),
                        };
                    }
                    if v.is_null() || !v.write_python_str(&mut out) {
                        return Err(fail(format!("template variable {name} is {}, not a string", v.python_type())));
                    }
                }
            }
        }
        Ok(out)
    }

    fn expr(&mut self, e: &'a Expr) -> Result<Val<'a>, EndpointError> {
        Ok(match e {
            Expr::Ref(slot) => self.scope[*slot as usize].clone().unwrap_or(Val::Null),
            Expr::Bool(b) => Val::Bool(*b),
            Expr::Str(s) => Val::Str(s),
            Expr::Call(c) => self.call(c)?,
            Expr::Template(t) => Val::Owned(self.render(t)?.into()),
            Expr::Null => Val::Null,
            Expr::Int(i) => Val::Int(*i),
            Expr::Json(j) => Val::from_json(j),
            Expr::Invalid(msg) => return Err(fail(msg.to_string())),
        })
    }

    fn call(&mut self, c: &'a Call) -> Result<Val<'a>, EndpointError> {
        let v = match &c.kind {
            CallKind::GetAttr(path) => match &*c.args {
                [target] => {
                    let target = self.expr(target)?;
                    get_attr(target, path)
                }
                _ => return Err(fail("getAttr takes 2 arguments")),
            },
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

    fn std_call(&mut self, f: Func, args: &'a [Expr]) -> Result<Val<'a>, EndpointError> {
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
            (Func::Not, [a]) => Val::Bool(!self.expr(a)?.truthy()),
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
                Val::Json(self.rule_set.partitions.lookup(region))
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
