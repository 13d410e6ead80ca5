//! The evaluator: a walk over the parsed expression, borrowing from the
//! data wherever the result is a part of it.

use std::borrow::Cow;
use std::cmp::Ordering;

use ::jmespath::ast::{Ast, Comparator};

use super::{functions, is_truthy, values_equal, Fault};
use crate::value::{Map, Value};

pub(crate) type Eval<'a> = Result<Cow<'a, Value>, Fault>;

fn null<'a>() -> Cow<'a, Value> {
    Cow::Owned(Value::Null)
}

/// The value of a number, for comparisons; `None` for non-numbers.
pub(crate) fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Number(n) => n.parse().ok(),
        _ => None,
    }
}

/// Orders two numbers, exactly for two integers.
pub(crate) fn compare_numbers(a: &Value, b: &Value) -> Option<Ordering> {
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        return Some(x.cmp(y));
    }
    number(a)?.partial_cmp(&number(b)?)
}

/// Evaluates `rhs` over a value that is either borrowed from the data (the
/// result may borrow too) or computed (the result must be owned).
pub(crate) fn eval_on<'a>(node: &Ast, v: Cow<'a, Value>) -> Eval<'a> {
    match v {
        Cow::Borrowed(b) => eval(node, b),
        Cow::Owned(o) => eval(node, &o).map(|r| Cow::Owned(r.into_owned())),
    }
}

pub(crate) fn eval<'a>(node: &Ast, data: &'a Value) -> Eval<'a> {
    match node {
        Ast::Identity { .. } => Ok(Cow::Borrowed(data)),
        Ast::Field { name, .. } => Ok(match data {
            Value::Map(m) => m.get(name.as_str()).map_or_else(null, Cow::Borrowed),
            _ => null(),
        }),
        Ast::Index { idx, .. } => Ok(match data {
            Value::List(l) => {
                let i = if *idx >= 0 { Some(*idx as usize) } else { l.len().checked_sub(idx.unsigned_abs() as usize) };
                i.and_then(|i| l.get(i)).map_or_else(null, Cow::Borrowed)
            }
            _ => null(),
        }),
        Ast::Slice { start, stop, step, .. } => {
            if *step == 0 {
                return Err(Fault::Value("a slice step cannot be 0".into()));
            }
            Ok(match data {
                Value::List(l) => Cow::Owned(Value::List(slice(l, *start, *stop, *step))),
                _ => null(),
            })
        }
        Ast::Subexpr { lhs, rhs, .. } => {
            let left = eval(lhs, data)?;
            eval_on(rhs, left)
        }
        Ast::Projection { lhs, rhs, .. } => {
            let left = eval(lhs, data)?;
            let project = |items: &[Value]| -> Result<Value, Fault> {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let r = eval(rhs, item)?;
                    if !r.is_null() {
                        out.push(r.into_owned());
                    }
                }
                Ok(Value::List(out))
            };
            match &*left {
                Value::List(items) => Ok(Cow::Owned(project(items)?)),
                _ => Ok(null()),
            }
        }
        Ast::ObjectValues { node, .. } => {
            let v = eval(node, data)?;
            Ok(match &*v {
                Value::Map(m) => Cow::Owned(Value::List(m.values().cloned().collect())),
                _ => null(),
            })
        }
        Ast::Flatten { node, .. } => {
            let v = eval(node, data)?;
            Ok(match v {
                Cow::Borrowed(Value::List(items)) => Cow::Owned(Value::List(flatten(items.iter().cloned()))),
                Cow::Owned(Value::List(items)) => Cow::Owned(Value::List(flatten(items.into_iter()))),
                _ => null(),
            })
        }
        Ast::Comparison { comparator, lhs, rhs, .. } => {
            let l = eval(lhs, data)?;
            let r = eval(rhs, data)?;
            let result = match comparator {
                Comparator::Equal => Some(values_equal(&l, &r)),
                Comparator::NotEqual => Some(!values_equal(&l, &r)),
                ordered => compare_numbers(&l, &r).map(|o| match ordered {
                    Comparator::LessThan => o == Ordering::Less,
                    Comparator::LessThanEqual => o != Ordering::Greater,
                    Comparator::GreaterThan => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                }),
            };
            Ok(result.map_or_else(null, |b| Cow::Owned(Value::Bool(b))))
        }
        Ast::Condition { predicate, then, .. } => {
            if is_truthy(&*eval(predicate, data)?) {
                eval(then, data)
            } else {
                Ok(null())
            }
        }
        Ast::Not { node, .. } => Ok(Cow::Owned(Value::Bool(!is_truthy(&*eval(node, data)?)))),
        Ast::And { lhs, rhs, .. } => {
            let l = eval(lhs, data)?;
            if is_truthy(&l) {
                eval(rhs, data)
            } else {
                Ok(l)
            }
        }
        Ast::Or { lhs, rhs, .. } => {
            let l = eval(lhs, data)?;
            if is_truthy(&l) {
                Ok(l)
            } else {
                eval(rhs, data)
            }
        }
        Ast::Literal { value, .. } => Ok(Cow::Owned(literal(value))),
        Ast::MultiList { elements, .. } => {
            if data.is_null() {
                return Ok(null());
            }
            let mut out = Vec::with_capacity(elements.len());
            for e in elements {
                out.push(eval(e, data)?.into_owned());
            }
            Ok(Cow::Owned(Value::List(out)))
        }
        Ast::MultiHash { elements, .. } => {
            if data.is_null() {
                return Ok(null());
            }
            let mut out = Map::with_capacity(elements.len());
            for kv in elements {
                out.insert(kv.key.clone(), eval(&kv.value, data)?.into_owned());
            }
            Ok(Cow::Owned(Value::Map(out)))
        }
        Ast::Function { name, args, .. } => functions::call(name, args, data),
        Ast::Expref { .. } => {
            Err(Fault::Type("an expression reference (&expr) is only allowed as a function argument".into()))
        }
    }
}

fn flatten(items: impl Iterator<Item = Value>) -> Vec<Value> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::List(inner) => out.extend(inner),
            other => out.push(other),
        }
    }
    out
}

/// A literal of the parsed expression as a value.
fn literal(v: &::jmespath::Variable) -> Value {
    use ::jmespath::Variable as V;
    match v {
        V::Null | V::Expref(_) => Value::Null,
        V::Bool(b) => Value::Bool(*b),
        V::String(s) => Value::String(s.clone()),
        V::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::Int(i),
            (None, Some(f)) => Value::Float(f),
            _ => Value::Number(n.to_string()),
        },
        V::Array(items) => Value::List(items.iter().map(|i| literal(i)).collect()),
        V::Object(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), literal(v))).collect()),
    }
}

/// Python's slice semantics over a list.
fn slice(items: &[Value], start: Option<i32>, stop: Option<i32>, step: i32) -> Vec<Value> {
    let len = items.len() as i64;
    let step = i64::from(step);
    let adjust = |end: i64| -> i64 {
        if end < 0 {
            let e = end + len;
            if e >= 0 {
                e
            } else if step < 0 {
                -1
            } else {
                0
            }
        } else if end < len {
            end
        } else if step < 0 {
            len - 1
        } else {
            len
        }
    };
    let a = match start {
        Some(s) => adjust(i64::from(s)),
        None if step < 0 => len - 1,
        None => 0,
    };
    let b = match stop {
        Some(s) => adjust(i64::from(s)),
        None if step < 0 => -1,
        None => len,
    };
    let mut out = Vec::new();
    let mut i = a;
    while (step > 0 && i < b) || (step < 0 && i > b) {
        if let Some(v) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
            out.push(v.clone());
        }
        i += step;
    }
    out
}
