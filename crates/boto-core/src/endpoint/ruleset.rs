//! Parsing and preparing a rule set: typed parameters, rules, conditions and
//! expressions, with every variable name interned to a scope slot, function
//! names resolved, `getAttr` paths pre-parsed and templates pre-split into
//! literal and variable parts. Done once per rule set; evaluation never looks
//! at JSON again (except for literal values it hands back as they are).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value as Json;

use super::aws::Partitions;
use super::{EndpointError, ParamValue};
use crate::model::Loader;

/// How deep rules, expressions and property values may nest. Real rule sets
/// stay far below (S3: 12 rule levels, 3 expression levels).
pub(crate) const MAX_DEPTH: usize = 64;

/// The type of a rule-set parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl ParamType {
    /// The Python type botocore checks parameter values against, as its
    /// error messages print it.
    pub(crate) fn python_class(self) -> &'static str {
        match self {
            ParamType::String => "<class 'str'>",
            ParamType::Boolean => "<class 'bool'>",
            ParamType::StringArray => "<class 'tuple'>",
        }
    }

    /// True if `value` has this type.
    pub fn accepts(self, value: &ParamValue) -> bool {
        matches!(
            (self, value),
            (ParamType::String, ParamValue::String(_))
                | (ParamType::Boolean, ParamValue::Bool(_))
                | (ParamType::StringArray, ParamValue::StringArray(_))
        )
    }
}

/// A parameter declared by a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name (`Region`, `Bucket`).
    pub name: Box<str>,
    /// The declared type.
    pub kind: ParamType,
    /// The builtIn that supplies it (`AWS::Region`), if any.
    pub built_in: Option<Box<str>>,
    /// The value used when none is given.
    pub default: Option<ParamValue>,
    /// True if resolution fails without a value (after the default).
    pub required: bool,
    /// The deprecation notice, if deprecated.
    pub deprecated: Option<Deprecation>,
}

/// The `deprecated` notice of a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecation {
    /// `message`.
    pub message: Option<Box<str>>,
    /// `since`.
    pub since: Option<Box<str>>,
}

/// A header of an endpoint and the expressions of its values.
pub(crate) type HeaderSpec = (Box<str>, Box<[Expr]>);

/// A prepared endpoint rule set, ready to resolve endpoints.
///
/// Prepare it once ([`RuleSet::from_json`], or [`RuleSet::for_service`] which
/// caches per process) and call [`RuleSet::resolve`] per request.
pub struct RuleSet {
    pub(crate) params: Arc<[Parameter]>,
    /// The rules, flattened into one program (see [`Op`]).
    pub(crate) program: Box<[Op]>,
    /// The name of every scope slot: parameters first, in declared order,
    /// then assigned and referenced names.
    pub(crate) slot_names: Box<[Box<str>]>,
    pub(crate) partitions: Arc<Partitions>,
    pub(crate) version: Option<Box<str>>,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("version", &self.version)
            .field("parameters", &self.params.len())
            .field("ops", &self.program.len())
            .field("slots", &self.slot_names.len())
            .finish()
    }
}

/// One step of a flattened rule set. A rule becomes
///
/// ```text
/// [Mark]  Cond..(on false: F)  <its endpoint, error, or sub-rules>  F: [Undo]
/// ```
///
/// with `Mark`/`Undo` only when its conditions assign. Sub-rules follow each
/// other, so a failed rule continues with its next sibling, and a tree whose
/// sub-rules all fail falls through to its own `F`. Running off the end
/// means no rule matched.
#[derive(Debug)]
pub(crate) enum Op {
    /// Remember how many assignments exist.
    Mark,
    /// Forget the assignments made since the last mark, and the mark.
    Undo,
    /// A condition: continue if it holds, else jump to `on_false`.
    Cond { call: Box<Call>, on_false: u32 },
    /// `booleanEquals(ref, literal)` assigning nothing: decided inline when
    /// the variable is a boolean (else `call` reports the error).
    BoolEq { slot: u32, value: bool, on_false: u32, call: Box<Call> },
    /// `isSet(ref)` assigning nothing.
    IsSet { slot: u32, on_false: u32 },
    /// The endpoint of a matching endpoint rule.
    Endpoint(Box<EndpointSpec>),
    /// The message of a matching error rule.
    Error(Box<Expr>),
}

/// True if evaluating the call may assign a variable.
fn assigns(c: &Call) -> bool {
    fn expr_assigns(e: &Expr) -> bool {
        matches!(e, Expr::Call(c) if assigns(c))
    }
    c.assign.is_some() || c.args.iter().any(expr_assigns)
}

/// Appends the ops of `rule` (see [`Op`]).
fn compile(rule: Rule, out: &mut Vec<Op>) {
    let marks = rule.conditions.iter().any(assigns);
    if marks {
        out.push(Op::Mark);
    }
    let mut jumps = Vec::with_capacity(rule.conditions.len());
    for call in rule.conditions.into_vec() {
        jumps.push(out.len());
        out.push(match (&call.kind, call.assign) {
            (CallKind::BoolEqRef { slot, value, .. }, None) => {
                Op::BoolEq { slot: *slot, value: *value, on_false: 0, call: Box::new(call) }
            }
            (CallKind::IsSetRef(slot), None) => Op::IsSet { slot: *slot, on_false: 0 },
            _ => Op::Cond { call: Box::new(call), on_false: 0 },
        });
    }
    match rule.kind {
        RuleKind::Tree(rules) => {
            for r in rules.into_vec() {
                compile(r, out);
            }
        }
        RuleKind::Endpoint(spec) => out.push(Op::Endpoint(spec)),
        RuleKind::Error(e) => out.push(Op::Error(Box::new(e))),
    }
    let fail = out.len() as u32;
    if marks {
        out.push(Op::Undo);
    }
    for j in jumps {
        if let Op::Cond { on_false, .. } | Op::BoolEq { on_false, .. } | Op::IsSet { on_false, .. } = &mut out[j] {
            *on_false = fail;
        }
    }
}

/// A rule: conditions, then an endpoint, an error or sub-rules.
#[derive(Debug)]
pub(crate) struct Rule {
    pub conditions: Box<[Call]>,
    pub kind: RuleKind,
}

#[derive(Debug)]
pub(crate) enum RuleKind {
    Endpoint(Box<EndpointSpec>),
    Error(Expr),
    Tree(Box<[Rule]>),
}

/// The `endpoint` of an endpoint rule.
#[derive(Debug)]
pub(crate) struct EndpointSpec {
    pub url: Expr,
    /// The properties object.
    pub properties: Properties,
    pub headers: Box<[HeaderSpec]>,
}

/// An endpoint's properties.
#[derive(Debug)]
pub(crate) enum Properties {
    /// No templates: the same object every time.
    Fixed(Arc<serde_json::Map<String, Json>>),
    /// Templates somewhere: `tree` refers to `templates` by index. The
    /// object built last is kept with the rendered template values it was
    /// built from, and handed out again while they are the same.
    Templated { tree: Prop, templates: Box<[Template]>, last: Mutex<Option<RenderedProperties>> },
}

/// Properties built from these rendered template values.
pub(crate) type RenderedProperties = (Box<[String]>, Arc<serde_json::Map<String, Json>>);

/// A property value: literal JSON, or a tree holding templates somewhere.
/// Arrays and objects with templates keep their literal parts in a
/// skeleton (cloned whole, templated places null) and the templated places
/// by position.
#[derive(Debug)]
pub(crate) enum Prop {
    Json(Json),
    /// The template of this index in [`Properties::Templated`].
    Template(usize),
    Array {
        skeleton: Vec<Json>,
        holes: Box<[(usize, Prop)]>,
    },
    Object {
        skeleton: serde_json::Map<String, Json>,
        holes: Box<[(usize, Prop)]>,
    },
    /// A malformed template: an error if the endpoint is ever produced.
    Invalid(Box<str>),
}

/// An expression (a function argument, a URL, a header value, an error).
#[derive(Debug)]
pub(crate) enum Expr {
    Null,
    Bool(bool),
    Int(i64),
    Str(Box<str>),
    /// Any other literal (arrays, objects, floats), handed back as it is.
    Json(Box<Json>),
    Template(Template),
    Ref(u32),
    Call(Box<Call>),
    /// An expression botocore would fail on when evaluating it (a malformed
    /// template): fails the same way, but only if reached.
    Invalid(Box<str>),
}

/// A function call, possibly assigning its result to a scope slot.
#[derive(Debug)]
pub(crate) struct Call {
    pub kind: CallKind,
    pub args: Box<[Expr]>,
    pub assign: Option<u32>,
}

#[derive(Debug)]
pub(crate) enum CallKind {
    Std(Func),
    /// `getAttr` with a literal path, parsed once.
    GetAttr(AttrPath),
    /// An unknown function or a wrong number of arguments: an error when
    /// reached (botocore fails only then too).
    Invalid(Box<str>),
    /// `booleanEquals` of a variable and a literal (most conditions).
    /// `ref_first` keeps the argument order for the error message.
    BoolEqRef {
        slot: u32,
        value: bool,
        ref_first: bool,
    },
    /// `isSet` of a variable.
    IsSetRef(u32),
    /// `stringEquals` of a variable and the literal in `args[lit]`.
    StrEqRef {
        slot: u32,
        lit: u8,
    },
}

/// The standard library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    BooleanEquals,
    StringEquals,
    IsSet,
    Not,
    GetAttr,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Func {
    fn lookup(name: &str) -> Option<(Func, usize)> {
        Some(match name {
            "booleanEquals" => (Func::BooleanEquals, 2),
            "stringEquals" => (Func::StringEquals, 2),
            "isSet" => (Func::IsSet, 1),
            "not" => (Func::Not, 1),
            "getAttr" => (Func::GetAttr, 2),
            "substring" => (Func::Substring, 4),
            "uriEncode" => (Func::UriEncode, 1),
            "parseURL" => (Func::ParseUrl, 1),
            "isValidHostLabel" => (Func::IsValidHostLabel, 2),
            "aws.partition" => (Func::Partition, 1),
            "aws.parseArn" => (Func::ParseArn, 1),
            "aws.isVirtualHostableS3Bucket" => (Func::IsVirtualHostableS3Bucket, 2),
            _ => return None,
        })
    }
}

/// A parsed `getAttr` path: `a.b`, `a[0]`, `[1]`. As in botocore, the first
/// part with an index ends the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttrPath(pub Box<[PathSeg]>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathSeg {
    Key(Box<str>),
    /// `name[index]` (name may be empty); always the last segment.
    Index(Option<Box<str>>, usize),
}

impl AttrPath {
    /// Parses a path the way botocore does: split on `.`; a part containing
    /// `\w*[digits]` indexes (after looking the name up, if any) and ends
    /// the path.
    pub(crate) fn parse(path: &str) -> AttrPath {
        let mut segs = Vec::new();
        for part in path.split('.') {
            if let Some((name, index)) = find_index(part) {
                segs.push(PathSeg::Index((!name.is_empty()).then(|| name.into()), index));
                break;
            }
            segs.push(PathSeg::Key(part.into()));
        }
        AttrPath(segs.into())
    }
}

/// The leftmost `\w*\[\d+\]` in `part`: the name before the bracket and the
/// index (saturating; an index beyond any list finds nothing).
fn find_index(part: &str) -> Option<(&str, usize)> {
    let bytes = part.as_bytes();
    let mut from = 0;
    while let Some(off) = part[from..].find('[') {
        let open = from + off;
        let digits = bytes[open + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 && bytes.get(open + 1 + digits) == Some(&b']') {
            let index = part[open + 1..open + 1 + digits]
                .bytes()
                .fold(0usize, |acc, d| acc.saturating_mul(10).saturating_add((d - b'0') as usize));
            let name_start = part[..open]
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
                .last()
                .map_or(open, |(i, _)| i);
            return Some((&part[name_start..open], index));
        }
        from = open + 1;
    }
    None
}

/// A string with `{Var}` / `{Var#attr}` placeholders, pre-split.
#[derive(Debug)]
pub(crate) struct Template {
    pub parts: Box<[TemplatePart]>,
    /// Total length of the literal parts, to size the output.
    pub literal_len: usize,
}

#[derive(Debug)]
pub(crate) enum TemplatePart {
    Literal(Box<str>),
    Var { slot: u32, keys: Box<[Box<str>]> },
}

/// True if botocore treats `s` as a template: it contains `{` followed by
/// one or more ASCII letters or `#`, then `}`.
pub(crate) fn is_template(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'{', &b[i..]) {
        let start = i + off + 1;
        let n = b[start..].iter().take_while(|c| c.is_ascii_alphabetic() || **c == b'#').count();
        if n > 0 && b.get(start + n) == Some(&b'}') {
            return true;
        }
        i = start;
    }
    false
}

/// Splits a template the way Python's `string.Formatter.parse` does:
/// `{{` and `}}` are literal braces, `{field!conv:spec}` is a field whose
/// conversion and spec botocore ignores. Returns the literal and field-name
/// pieces, or the message Python would fail with.
pub(crate) fn split_template(s: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '}' => return Err("Single '}' encountered in format string".into()),
            '{' => {
                let mut field = String::new();
                let mut depth = 1;
                loop {
                    match chars.next() {
                        None => return Err("expected '}' before end of string".into()),
                        Some('{') => {
                            depth += 1;
                            field.push('{');
                        }
                        Some('}') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            field.push('}');
                        }
                        Some(c) => field.push(c),
                    }
                }
                // The field name ends at `!` or `:` (outside `[...]`).
                let mut name_end = field.len();
                let mut in_bracket = false;
                for (i, c) in field.char_indices() {
                    match c {
                        '[' => in_bracket = true,
                        ']' => in_bracket = false,
                        '!' | ':' if !in_bracket => {
                            name_end = i;
                            break;
                        }
                        _ => {}
                    }
                }
                field.truncate(name_end);
                out.push((std::mem::take(&mut literal), Some(field)));
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        out.push((literal, None));
    }
    Ok(out)
}

/// Builds the prepared form; interns names to slots.
struct Builder {
    slots: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    /// The templates of the properties being prepared.
    prop_templates: Vec<Template>,
}

fn err(path: &str, message: impl Into<String>) -> EndpointError {
    EndpointError::InvalidRuleSet { path: path.to_owned(), message: message.into() }
}

fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

impl Builder {
    fn slot(&mut self, name: &str) -> u32 {
        if let Some(&s) = self.slots.get(name) {
            return s;
        }
        let s = self.names.len() as u32;
        self.names.push(name.into());
        self.slots.insert(name.into(), s);
        s
    }

    fn rules(&mut self, v: &Json, path: &str, depth: usize) -> Result<Box<[Rule]>, EndpointError> {
        let list =
            v.as_array().ok_or_else(|| err(path, format!("expected an array of rules, found {}", type_name(v))))?;
        list.iter().enumerate().map(|(i, r)| self.rule(r, &format!("{path}[{i}]"), depth)).collect()
    }

    fn rule(&mut self, v: &Json, path: &str, depth: usize) -> Result<Rule, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(err(path, format!("rules nest deeper than {MAX_DEPTH} levels")));
        }
        let obj = v.as_object().ok_or_else(|| err(path, format!("expected a rule object, found {}", type_name(v))))?;
        let kind = obj.get("type").and_then(Json::as_str).ok_or_else(|| err(path, "a rule needs a string `type`"))?;
        let conditions = match obj.get("conditions") {
            Some(Json::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, c)| self.condition(c, &format!("{path}.conditions[{i}]"), 0))
                .collect::<Result<Box<[Call]>, _>>()?,
            Some(other) => return Err(err(path, format!("`conditions` must be an array, found {}", type_name(other)))),
            None => return Err(err(path, "a rule needs `conditions`")),
        };
        let kind = match kind {
            "endpoint" => {
                let ep = obj.get("endpoint").ok_or_else(|| err(path, "an endpoint rule needs `endpoint`"))?;
                RuleKind::Endpoint(Box::new(self.endpoint(ep, &format!("{path}.endpoint"))?))
            }
            "error" => {
                let e = obj.get("error").ok_or_else(|| err(path, "an error rule needs `error`"))?;
                RuleKind::Error(self.expr(e, &format!("{path}.error"), 0)?)
            }
            "tree" => {
                let rules = obj.get("rules").ok_or_else(|| err(path, "a tree rule needs `rules`"))?;
                RuleKind::Tree(self.rules(rules, &format!("{path}.rules"), depth + 1)?)
            }
            other => {
                return Err(err(
                    path,
                    format!("Unknown rule type: {other}. A rule must be of type tree, endpoint or error."),
                ))
            }
        };
        Ok(Rule { conditions, kind })
    }

    fn condition(&mut self, v: &Json, path: &str, depth: usize) -> Result<Call, EndpointError> {
        match v.as_object() {
            Some(obj) if obj.contains_key("fn") => self.call(obj, path, depth),
            _ => Err(err(path, format!("a condition must be a function call, found {}", type_name(v)))),
        }
    }

    fn call(&mut self, obj: &serde_json::Map<String, Json>, path: &str, depth: usize) -> Result<Call, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(err(path, format!("expressions nest deeper than {MAX_DEPTH} levels")));
        }
        let name = obj.get("fn").and_then(Json::as_str).ok_or_else(|| err(path, "`fn` must be a string"))?;
        let argv = match obj.get("argv") {
            Some(Json::Array(a)) => a,
            Some(other) => return Err(err(path, format!("`argv` must be an array, found {}", type_name(other)))),
            None => return Err(err(path, "a function call needs `argv`")),
        };
        let args = argv
            .iter()
            .enumerate()
            .map(|(i, a)| self.expr(a, &format!("{path}.argv[{i}]"), depth + 1))
            .collect::<Result<Box<[Expr]>, _>>()?;
        let assign = match obj.get("assign") {
            None => None,
            Some(Json::String(s)) => Some(self.slot(s)),
            Some(other) => return Err(err(path, format!("`assign` must be a string, found {}", type_name(other)))),
        };
        let kind = match Func::lookup(name) {
            None => CallKind::Invalid(format!("Unknown function: {name}").into()),
            Some((_, arity)) if arity != args.len() => {
                CallKind::Invalid(format!("{name} takes {arity} arguments but {} were given", args.len()).into())
            }
            Some((Func::GetAttr, _)) => match &args[1] {
                Expr::Str(p) => CallKind::GetAttr(AttrPath::parse(p)),
                _ => CallKind::Std(Func::GetAttr),
            },
            Some((Func::BooleanEquals, _)) => match (&args[0], &args[1]) {
                (Expr::Ref(slot), Expr::Bool(value)) => {
                    CallKind::BoolEqRef { slot: *slot, value: *value, ref_first: true }
                }
                (Expr::Bool(value), Expr::Ref(slot)) => {
                    CallKind::BoolEqRef { slot: *slot, value: *value, ref_first: false }
                }
                _ => CallKind::Std(Func::BooleanEquals),
            },
            Some((Func::IsSet, _)) => match &args[0] {
                Expr::Ref(slot) => CallKind::IsSetRef(*slot),
                _ => CallKind::Std(Func::IsSet),
            },
            Some((Func::StringEquals, _)) => match (&args[0], &args[1]) {
                (Expr::Ref(slot), Expr::Str(_)) => CallKind::StrEqRef { slot: *slot, lit: 1 },
                (Expr::Str(_), Expr::Ref(slot)) => CallKind::StrEqRef { slot: *slot, lit: 0 },
                _ => CallKind::Std(Func::StringEquals),
            },
            Some((f, _)) => CallKind::Std(f),
        };
        let args = match kind {
            // The path lives in the kind now; keep only the target.
            CallKind::GetAttr(_) => args.into_vec().into_iter().take(1).collect(),
            _ => args,
        };
        Ok(Call { kind, args, assign })
    }

    fn expr(&mut self, v: &Json, path: &str, depth: usize) -> Result<Expr, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(err(path, format!("expressions nest deeper than {MAX_DEPTH} levels")));
        }
        Ok(match v {
            Json::Object(obj) if obj.contains_key("fn") => Expr::Call(Box::new(self.call(obj, path, depth)?)),
            Json::Object(obj) if obj.contains_key("ref") => match &obj["ref"] {
                Json::String(name) => Expr::Ref(self.slot(name)),
                // botocore looks any hashable key up and finds nothing.
                _ => Expr::Null,
            },
            Json::String(s) if is_template(s) => self.template(s),
            Json::String(s) => Expr::Str(s.as_str().into()),
            Json::Null => Expr::Null,
            Json::Bool(b) => Expr::Bool(*b),
            Json::Number(n) if n.is_i64() => Expr::Int(n.as_i64().unwrap_or_default()),
            other => Expr::Json(Box::new(other.clone())),
        })
    }

    fn template(&mut self, s: &str) -> Expr {
        match self.prepare_template(s) {
            Ok(t) => Expr::Template(t),
            Err(message) => Expr::Invalid(message.into()),
        }
    }

    fn prepare_template(&mut self, s: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut literal_len = 0;
        for (literal, field) in split_template(s)? {
            if !literal.is_empty() {
                literal_len += literal.len();
                parts.push(TemplatePart::Literal(literal.into()));
            }
            if let Some(field) = field {
                let mut names = field.split('#');
                let var = names.next().unwrap_or_default();
                let slot = self.slot(var);
                parts.push(TemplatePart::Var { slot, keys: names.map(Into::into).collect() });
            }
        }
        Ok(Template { parts: parts.into(), literal_len })
    }

    fn endpoint(&mut self, v: &Json, path: &str) -> Result<EndpointSpec, EndpointError> {
        let obj = v.as_object().ok_or_else(|| err(path, format!("expected an object, found {}", type_name(v))))?;
        let url = obj.get("url").ok_or_else(|| err(path, "an endpoint needs a `url`"))?;
        let url = self.expr(url, &format!("{path}.url"), 0)?;
        let properties = match obj.get("properties") {
            None | Some(Json::Null) => Properties::Fixed(Arc::default()),
            Some(props @ Json::Object(_)) => {
                self.prop_templates.clear();
                match self.prop(props, &format!("{path}.properties"), 0)? {
                    Prop::Json(Json::Object(m)) => Properties::Fixed(Arc::new(m)),
                    tree => Properties::Templated {
                        tree,
                        templates: std::mem::take(&mut self.prop_templates).into(),
                        last: Mutex::new(None),
                    },
                }
            }
            Some(other) => {
                return Err(err(path, format!("`properties` must be an object, found {}", type_name(other))))
            }
        };
        let headers = match obj.get("headers") {
            None | Some(Json::Null) => Box::default(),
            Some(Json::Object(h)) => h
                .iter()
                .map(|(name, values)| {
                    let hpath = format!("{path}.headers.{name}");
                    let values = values.as_array().ok_or_else(|| err(&hpath, "header values must be an array"))?;
                    let values = values
                        .iter()
                        .enumerate()
                        .map(|(i, x)| self.expr(x, &format!("{hpath}[{i}]"), 0))
                        .collect::<Result<Box<[Expr]>, _>>()?;
                    Ok((name.as_str().into(), values))
                })
                .collect::<Result<_, EndpointError>>()?,
            Some(other) => return Err(err(path, format!("`headers` must be an object, found {}", type_name(other)))),
        };
        Ok(EndpointSpec { url, properties, headers })
    }

    fn prop(&mut self, v: &Json, path: &str, depth: usize) -> Result<Prop, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(err(path, format!("properties nest deeper than {MAX_DEPTH} levels")));
        }
        if !has_template(v) {
            return Ok(Prop::Json(v.clone()));
        }
        Ok(match v {
            Json::String(s) => match self.prepare_template(s) {
                Ok(t) => {
                    self.prop_templates.push(t);
                    Prop::Template(self.prop_templates.len() - 1)
                }
                Err(message) => Prop::Invalid(message.into()),
            },
            Json::Array(a) => {
                let mut skeleton = Vec::with_capacity(a.len());
                let mut holes = Vec::new();
                for (i, x) in a.iter().enumerate() {
                    match self.prop(x, &format!("{path}[{i}]"), depth + 1)? {
                        Prop::Json(j) => skeleton.push(j),
                        p => {
                            skeleton.push(Json::Null);
                            holes.push((i, p));
                        }
                    }
                }
                Prop::Array { skeleton, holes: holes.into() }
            }
            Json::Object(o) => {
                let mut skeleton = serde_json::Map::with_capacity(o.len());
                let mut holes = Vec::new();
                for (i, (k, x)) in o.iter().enumerate() {
                    match self.prop(x, &format!("{path}.{k}"), depth + 1)? {
                        Prop::Json(j) => {
                            skeleton.insert(k.clone(), j);
                        }
                        p => {
                            skeleton.insert(k.clone(), Json::Null);
                            holes.push((i, p));
                        }
                    }
                }
                Prop::Object { skeleton, holes: holes.into() }
            }
            other => Prop::Json(other.clone()),
        })
    }
}

/// True if a template string occurs anywhere in `v` (bounded by the
/// nesting limit of the caller).
fn has_template(v: &Json) -> bool {
    fn walk(v: &Json, depth: usize) -> bool {
        match v {
            Json::String(s) => is_template(s),
            _ if depth > MAX_DEPTH => true, // let `prop` report the depth
            Json::Array(a) => a.iter().any(|x| walk(x, depth + 1)),
            Json::Object(o) => o.values().any(|x| walk(x, depth + 1)),
            _ => false,
        }
    }
    walk(v, 0)
}

fn parse_param(name: &str, spec: &Json) -> Result<Parameter, EndpointError> {
    let path = format!("parameters.{name}");
    let obj = spec.as_object().ok_or_else(|| err(&path, format!("expected an object, found {}", type_name(spec))))?;
    let ty = obj.get("type").and_then(Json::as_str).ok_or_else(|| err(&path, "a parameter needs a string `type`"))?;
    let kind = match ty.to_ascii_lowercase().as_str() {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        _ => {
            return Err(err(
                &path,
                format!("Unknown parameter type: {ty}. A parameter must be of type string, boolean, or stringarray."),
            ))
        }
    };
    let built_in = match obj.get("builtIn") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s.as_str().into()),
        Some(other) => return Err(err(&path, format!("`builtIn` must be a string, found {}", type_name(other)))),
    };
    let default = match obj.get("default") {
        None | Some(Json::Null) => None,
        Some(d) => Some(ParamValue::from_json(d)),
    };
    let required = obj.get("required").is_some_and(json_truthy);
    let deprecated = match obj.get("deprecated") {
        None | Some(Json::Null) => None,
        Some(Json::Object(d)) => Some(Deprecation {
            message: d.get("message").and_then(Json::as_str).map(Into::into),
            since: d.get("since").and_then(Json::as_str).map(Into::into),
        }),
        Some(_) => Some(Deprecation::default()),
    };
    Ok(Parameter { name: name.into(), kind, built_in, default, required, deprecated })
}

/// Python truthiness of a JSON value.
pub(crate) fn json_truthy(v: &Json) -> bool {
    match v {
        Json::Null => false,
        Json::Bool(b) => *b,
        Json::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Json::String(s) => !s.is_empty(),
        Json::Array(a) => !a.is_empty(),
        Json::Object(o) => !o.is_empty(),
    }
}

type RuleSetCache = Mutex<HashMap<(usize, usize), Arc<RuleSet>>>;

fn rule_set_cache() -> &'static RuleSetCache {
    static CACHE: OnceLock<RuleSetCache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

impl RuleSet {
    /// Prepares a rule set (`endpoint-rule-set-1.json`) for resolution with
    /// the given partitions. Fails if its structure is not a rule set
    /// (unknown rule or parameter types, missing keys, too deep nesting);
    /// unknown functions and malformed templates fail only when a
    /// resolution reaches them, as in botocore.
    pub fn from_json(doc: &Json, partitions: Arc<Partitions>) -> Result<RuleSet, EndpointError> {
        let obj = doc.as_object().ok_or_else(|| err("", format!("expected an object, found {}", type_name(doc))))?;
        let params_obj = match obj.get("parameters") {
            Some(Json::Object(p)) => p,
            Some(other) => return Err(err("parameters", format!("expected an object, found {}", type_name(other)))),
            None => return Err(err("", "a rule set needs `parameters`")),
        };
        let params: Vec<Parameter> = params_obj.iter().map(|(n, s)| parse_param(n, s)).collect::<Result<_, _>>()?;
        let mut b = Builder { slots: HashMap::new(), names: Vec::new(), prop_templates: Vec::new() };
        for p in &params {
            b.slot(&p.name);
        }
        let rules = b.rules(obj.get("rules").ok_or_else(|| err("", "a rule set needs `rules`"))?, "rules", 0)?;
        let mut program = Vec::new();
        for rule in rules.into_vec() {
            compile(rule, &mut program);
        }
        if b.names.len() > u32::MAX as usize / 2 {
            return Err(err("", "too many variables"));
        }
        Ok(RuleSet {
            params: params.into(),
            program: program.into(),
            slot_names: b.names.into(),
            partitions,
            version: obj.get("version").and_then(Json::as_str).map(Into::into),
        })
    }

    /// The prepared rule set of `service` from the embedded model bundle,
    /// with the embedded partitions. Prepared once per process.
    pub fn for_service(service: &str) -> Result<Arc<RuleSet>, EndpointError> {
        RuleSet::load(&Loader::embedded_only(), service, None)
    }

    /// The prepared rule set of `service` (the given or newest API version)
    /// as `loader` finds it, with `loader`'s partitions. Prepared once per
    /// process for each distinct pair of documents.
    pub fn load(loader: &Loader, service: &str, api_version: Option<&str>) -> Result<Arc<RuleSet>, EndpointError> {
        let doc = loader.load_document(service, "endpoint-rule-set-1", api_version)?;
        let partitions_doc = loader.load_global("partitions")?;
        // The loader caches documents for the whole process, so their
        // addresses identify them.
        let key = (Arc::as_ptr(&doc) as usize, Arc::as_ptr(&partitions_doc) as usize);
        if let Some(hit) = rule_set_cache().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(hit.clone());
        }
        let partitions = Partitions::cached(&partitions_doc)?;
        let rule_set = Arc::new(RuleSet::from_json(&doc, partitions).map_err(|e| match e {
            EndpointError::InvalidRuleSet { path, message } => {
                EndpointError::InvalidRuleSet { path: format!("{service}: {path}"), message }
            }
            other => other,
        })?);
        tracing::debug!(service, slots = rule_set.slot_names.len(), "prepared endpoint rule set");
        let mut cache = rule_set_cache().lock().unwrap_or_else(|e| e.into_inner());
        Ok(cache.entry(key).or_insert(rule_set).clone())
    }

    /// The declared parameters, in declaration order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.params
    }

    /// The declared parameter called `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.params.iter().find(|p| &*p.name == name)
    }

    /// The rule set's `version`.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The partitions `aws.partition` consults.
    pub fn partitions(&self) -> &Arc<Partitions> {
        &self.partitions
    }
}
