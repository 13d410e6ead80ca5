//! The built-in functions of the JMESPath specification.

use std::borrow::Cow;
use std::cmp::Ordering;

use ::jmespath::ast::Ast;

use super::eval::{compare_numbers, eval, number, Eval};
use super::{values_equal, Fault};
use crate::value::{Map, Value};

/// The argument types a function accepts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum T {
    Any,
    Number,
    String,
    Array,
    Object,
    Expref,
    ArrayNumber,
    ArrayString,
}

/// Each function: its name, the types of its fixed arguments (one slice
/// of alternatives per argument) and whether more arguments like the last
/// one may follow.
const FUNCTIONS: &[(&str, &[&[T]], bool)] = &[
    ("abs", &[&[T::Number]], false),
    ("avg", &[&[T::ArrayNumber]], false),
    ("ceil", &[&[T::Number]], false),
    ("contains", &[&[T::Array, T::String], &[T::Any]], false),
    ("ends_with", &[&[T::String], &[T::String]], false),
    ("floor", &[&[T::Number]], false),
    ("join", &[&[T::String], &[T::ArrayString]], false),
    ("keys", &[&[T::Object]], false),
    ("length", &[&[T::String, T::Array, T::Object]], false),
    ("map", &[&[T::Expref], &[T::Array]], false),
    ("max", &[&[T::ArrayNumber, T::ArrayString]], false),
    ("max_by", &[&[T::Array], &[T::Expref]], false),
    ("merge", &[&[T::Object]], true),
    ("min", &[&[T::ArrayNumber, T::ArrayString]], false),
    ("min_by", &[&[T::Array], &[T::Expref]], false),
    ("not_null", &[&[T::Any]], true),
    ("reverse", &[&[T::String, T::Array]], false),
    ("sort", &[&[T::ArrayNumber, T::ArrayString]], false),
    ("sort_by", &[&[T::Array], &[T::Expref]], false),
    ("starts_with", &[&[T::String], &[T::String]], false),
    ("sum", &[&[T::ArrayNumber]], false),
    ("to_array", &[&[T::Any]], false),
    ("to_number", &[&[T::Any]], false),
    ("to_string", &[&[T::Any]], false),
    ("type", &[&[T::Any]], false),
    ("values", &[&[T::Object]], false),
];

type Signature = (&'static [&'static [T]], bool);

fn signature(name: &str) -> Option<Signature> {
    FUNCTIONS.iter().find(|(n, _, _)| *n == name).map(|(_, args, variadic)| (*args, *variadic))
}

fn check_arity(name: &str, given: usize) -> Result<Signature, Fault> {
    let (args, variadic) = signature(name).ok_or_else(|| Fault::Unknown(name.to_owned()))?;
    let ok = if variadic { given >= args.len() } else { given == args.len() };
    if !ok {
        let at_least = if variadic { "at least " } else { "" };
        return Err(Fault::Arity(format!("{name}() takes {at_least}{} argument(s), {given} given", args.len())));
    }
    Ok((args, variadic))
}

/// Checks every function call in an expression: known name, right number
/// of arguments.
pub(crate) fn check(ast: &Ast) -> Result<(), Fault> {
    match ast {
        Ast::Function { name, args, .. } => {
            check_arity(name, args.len())?;
            args.iter().try_for_each(check)
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. }
        | Ast::Condition { predicate: lhs, then: rhs, .. } => {
            check(lhs)?;
            check(rhs)
        }
        Ast::Expref { ast: node, .. }
        | Ast::Flatten { node, .. }
        | Ast::Not { node, .. }
        | Ast::ObjectValues { node, .. } => check(node),
        Ast::MultiList { elements, .. } => elements.iter().try_for_each(check),
        Ast::MultiHash { elements, .. } => elements.iter().try_for_each(|kv| check(&kv.value)),
        Ast::Identity { .. } | Ast::Field { .. } | Ast::Index { .. } | Ast::Literal { .. } | Ast::Slice { .. } => {
            Ok(())
        }
    }
}

/// The JMESPath type name of a value (`type()`); timestamps and blobs,
/// which JSON does not have, are their own kinds.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null | Value::Stream(_) => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::Float(_) | Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "array",
        Value::Map(_) => "object",
        Value::Timestamp(_) => "timestamp",
        Value::Blob(_) => "blob",
    }
}

fn is_number(v: &Value) -> bool {
    type_name(v) == "number"
}

fn fits(t: T, v: &Arg<'_, '_>) -> bool {
    match (t, v) {
        (T::Expref, Arg::Expr(_)) => true,
        (_, Arg::Expr(_)) => false,
        (T::Expref, Arg::Val(_)) => false,
        (T::Any, _) => true,
        (T::Number, Arg::Val(v)) => is_number(v),
        (T::String, Arg::Val(v)) => matches!(**v, Value::String(_)),
        (T::Array, Arg::Val(v)) => matches!(**v, Value::List(_)),
        (T::Object, Arg::Val(v)) => matches!(**v, Value::Map(_)),
        (T::ArrayNumber, Arg::Val(v)) => v.as_list().is_some_and(|l| l.iter().all(is_number)),
        (T::ArrayString, Arg::Val(v)) => v.as_list().is_some_and(|l| l.iter().all(|x| matches!(x, Value::String(_)))),
    }
}

/// An evaluated argument: a value, or an expression reference.
enum Arg<'a, 'n> {
    Val(Cow<'a, Value>),
    Expr(&'n Ast),
}

const NULL: &Value = &Value::Null;
const IDENTITY: &Ast = &Ast::Identity { offset: 0 };

impl<'a> Arg<'a, '_> {
    fn val(&self) -> &Value {
        match self {
            Arg::Val(v) => v,
            Arg::Expr(_) => NULL,
        }
    }

    fn into_val(self) -> Cow<'a, Value> {
        match self {
            Arg::Val(v) => v,
            Arg::Expr(_) => Cow::Owned(Value::Null),
        }
    }

    fn expr(&self) -> &Ast {
        match self {
            Arg::Expr(a) => a,
            Arg::Val(_) => IDENTITY,
        }
    }

    fn list(&self) -> &[Value] {
        self.val().as_list().unwrap_or(&[])
    }

    fn str(&self) -> &str {
        self.val().as_str().unwrap_or("")
    }
}

fn describe(a: &Arg<'_, '_>) -> &'static str {
    match a {
        Arg::Expr(_) => "expref",
        Arg::Val(v) => type_name(v),
    }
}

/// Calls function `name` with `args` evaluated over `data`.
pub(crate) fn call<'a>(name: &str, args: &[Ast], data: &'a Value) -> Eval<'a> {
    let (sig, variadic) = check_arity(name, args.len())?;
    let mut vals = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        let arg = match a {
            Ast::Expref { ast, .. } => Arg::Expr(ast),
            other => Arg::Val(eval(other, data)?),
        };
        let allowed = sig.get(i).or(if variadic { sig.last() } else { None }).copied().unwrap_or(&[]);
        if !allowed.iter().any(|t| fits(*t, &arg)) {
            return Err(Fault::Type(format!(
                "{name}() argument {} must be {}, got {}",
                i + 1,
                allowed.iter().map(|t| format!("{t:?}").to_lowercase()).collect::<Vec<_>>().join(" or "),
                describe(&arg)
            )));
        }
        vals.push(arg);
    }
    run(name, vals)
}

fn owned<'a>(v: Value) -> Eval<'a> {
    Ok(Cow::Owned(v))
}

fn float_or_int(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::Int(f as i64)
    } else {
        Value::Float(f)
    }
}

fn run<'a>(name: &str, mut a: Vec<Arg<'a, '_>>) -> Eval<'a> {
    match name {
        "abs" => owned(match a[0].val() {
            Value::Int(i) => i.checked_abs().map_or(Value::Float((*i as f64).abs()), Value::Int),
            v => Value::Float(number(v).unwrap_or(0.0).abs()),
        }),
        "avg" => {
            let l = a[0].list();
            if l.is_empty() {
                return owned(Value::Null);
            }
            owned(Value::Float(l.iter().filter_map(number).sum::<f64>() / l.len() as f64))
        }
        "ceil" => owned(match a[0].val() {
            Value::Int(i) => Value::Int(*i),
            v => float_or_int(number(v).unwrap_or(0.0).ceil()),
        }),
        "floor" => owned(match a[0].val() {
            Value::Int(i) => Value::Int(*i),
            v => float_or_int(number(v).unwrap_or(0.0).floor()),
        }),
        "contains" => owned(Value::Bool(match a[0].val() {
            Value::List(l) => l.iter().any(|x| values_equal(x, a[1].val())),
            Value::String(s) => a[1].val().as_str().is_some_and(|n| s.contains(n)),
            _ => false,
        })),
        "ends_with" => owned(Value::Bool(a[0].str().ends_with(a[1].str()))),
        "starts_with" => owned(Value::Bool(a[0].str().starts_with(a[1].str()))),
        "join" => {
            let parts: Vec<&str> = a[1].list().iter().filter_map(Value::as_str).collect();
            owned(Value::String(parts.join(a[0].str())))
        }
        "keys" => owned(Value::List(
            a[0].val().as_map().map(|m| m.keys().map(|k| Value::String(k.clone())).collect()).unwrap_or_default(),
        )),
        "values" => owned(Value::List(match a.swap_remove(0).into_val() {
            Cow::Owned(Value::Map(m)) => m.into_values().collect(),
            other => other.as_map().map(|m| m.values().cloned().collect()).unwrap_or_default(),
        })),
        "length" => owned(Value::Int(match a[0].val() {
            Value::String(s) => s.chars().count(),
            Value::List(l) => l.len(),
            Value::Map(m) => m.len(),
            _ => 0,
        } as i64)),
        "map" => {
            let expr = a[0].expr();
            let mut out = Vec::new();
            for item in a[1].list() {
                out.push(eval(expr, item)?.into_owned());
            }
            owned(Value::List(out))
        }
        "max" | "min" => {
            let l = a[0].list();
            let want = if name == "max" { Ordering::Greater } else { Ordering::Less };
            let mut best: Option<&Value> = None;
            for x in l {
                best = match best {
                    Some(b) if order(x, b, name)? != want => Some(b),
                    _ => Some(x),
                };
            }
            owned(best.cloned().unwrap_or(Value::Null))
        }
        "max_by" | "min_by" => {
            let expr = a[1].expr();
            let want = if name == "max_by" { Ordering::Greater } else { Ordering::Less };
            let mut best: Option<(&Value, Value)> = None;
            for x in a[0].list() {
                let k = sort_key(expr, x, name, None)?;
                best = match best {
                    Some((b, bk)) if order(&k, &bk, name)? != want => Some((b, bk)),
                    _ => Some((x, k)),
                };
            }
            owned(best.map(|(b, _)| b.clone()).unwrap_or(Value::Null))
        }
        "merge" => {
            let mut out = Map::new();
            for m in &a {
                if let Some(m) = m.val().as_map() {
                    for (k, v) in m {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            owned(Value::Map(out))
        }
        "not_null" => {
            for arg in a {
                if !arg.val().is_null() {
                    return Ok(arg.into_val());
                }
            }
            owned(Value::Null)
        }
        "reverse" => owned(match a[0].val() {
            Value::String(s) => Value::String(s.chars().rev().collect()),
            Value::List(l) => Value::List(l.iter().rev().cloned().collect()),
            _ => Value::Null,
        }),
        "sort" => {
            let mut l = a[0].list().to_vec();
            let mut fault = None;
            l.sort_by(|x, y| {
                order(x, y, name).unwrap_or_else(|f| {
                    fault.get_or_insert(f);
                    Ordering::Equal
                })
            });
            match fault {
                Some(f) => Err(f),
                None => owned(Value::List(l)),
            }
        }
        "sort_by" => {
            let expr = a[1].expr();
            let items = a[0].list();
            let Some(first) = items.first() else { return owned(Value::List(Vec::new())) };
            let required = type_name(&*eval(expr, first)?).to_owned();
            let mut keyed = Vec::with_capacity(items.len());
            for x in items {
                keyed.push((sort_key(expr, x, name, Some(&required))?, x));
            }
            let mut fault = None;
            keyed.sort_by(|(k1, _), (k2, _)| {
                order(k1, k2, name).unwrap_or_else(|f| {
                    fault.get_or_insert(f);
                    Ordering::Equal
                })
            });
            match fault {
                Some(f) => Err(f),
                None => owned(Value::List(keyed.into_iter().map(|(_, x)| x.clone()).collect())),
            }
        }
        "sum" => {
            let l = a[0].list();
            if l.iter().all(|x| matches!(x, Value::Int(_))) {
                let total = l.iter().try_fold(0i64, |t, x| t.checked_add(x.as_i64().unwrap_or(0)));
                if let Some(t) = total {
                    return owned(Value::Int(t));
                }
            }
            owned(Value::Float(l.iter().filter_map(number).sum()))
        }
        "to_array" => owned(match a.swap_remove(0).into_val().into_owned() {
            Value::List(l) => Value::List(l),
            other => Value::List(vec![other]),
        }),
        "to_number" => {
            let v = a.swap_remove(0).into_val();
            match &*v {
                Value::Int(_) | Value::Float(_) | Value::Number(_) => Ok(v),
                Value::String(s) => owned(parse_number(s).unwrap_or(Value::Null)),
                _ => owned(Value::Null),
            }
        }
        "to_string" => {
            let v = a.swap_remove(0).into_val();
            match &*v {
                Value::String(_) => Ok(v),
                other => owned(Value::String(other.to_json().to_string())),
            }
        }
        "type" => owned(Value::String(type_name(a[0].val()).to_owned())),
        _ => Err(Fault::Unknown(name.to_owned())),
    }
}

/// Python's `int()` then `float()` of a string, as JMESPath's
/// `to_number` does; `None` when neither parses.
fn parse_number(s: &str) -> Option<Value> {
    let t = s.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Some(Value::Int(i));
    }
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if body.is_empty() || !body.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite()).map(Value::Float)
}

/// The key `expr` gives for `item`, checked to be a number or a string
/// (or, when given, of the type of the first key).
fn sort_key(expr: &Ast, item: &Value, name: &str, required: Option<&str>) -> Result<Value, Fault> {
    let k = eval(expr, item)?.into_owned();
    let t = type_name(&k);
    let ok = match required {
        Some(r) => t == r && matches!(r, "number" | "string" | "timestamp"),
        None => matches!(t, "number" | "string" | "timestamp"),
    };
    if !ok {
        return Err(Fault::Type(format!("{name}() keys must be numbers or strings, got {t}")));
    }
    Ok(k)
}

/// Orders two values of one comparable kind (numbers, strings or
/// timestamps); an invalid-type fault otherwise.
fn order(a: &Value, b: &Value, name: &str) -> Result<Ordering, Fault> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Ok(x.cmp(y)),
        (Value::Timestamp(x), Value::Timestamp(y)) => Ok(x.cmp(y)),
        _ => match compare_numbers(a, b) {
            Some(o) => Ok(o),
            None if is_number(a) && is_number(b) => Ok(Ordering::Equal),
            None => Err(Fault::Type(format!("{name}() cannot compare {} with {}", type_name(a), type_name(b)))),
        },
    }
}
