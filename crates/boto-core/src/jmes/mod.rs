//! JMESPath over [`Value`]s: the expressions of paginators (`output_token`,
//! `result_key`, `more_results`), waiters (`argument`), endpoint
//! `operationContextParams` and the CLI's `--query`.
//!
//! Expressions are parsed by the [`jmespath`] crate and
//! evaluated here, directly over the project's [`Value`]s, so results keep
//! what a JSON round trip would lose: the order of keys, timestamps, blobs
//! and exact numbers. Each distinct expression text is compiled once per
//! process ([`compile`] keeps a cache keyed by the text).
//!
//! ```
//! use boto_core::{jmes, params};
//!
//! let page = params!({ "Contents": [{ "Key": "a", "Size": 1 }, { "Key": "b", "Size": 20 }] });
//! let keys = jmes::search("Contents[?Size > `5`].Key", &page).unwrap();
//! assert_eq!(keys, params!(["b"]));
//! let expr = jmes::compile("length(Contents)").unwrap();
//! assert_eq!(expr.search(&page).unwrap(), params!(2));
//! ```

pub mod conformance;
mod eval;
mod functions;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use ::jmespath::ast::Ast;

use crate::value::Value;

/// Why an expression could not be compiled or evaluated. The kinds are
/// those of the JMESPath specification's compliance suite
/// ([`JmesError::kind`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JmesError {
    /// The expression is not valid JMESPath.
    #[error("invalid JMESPath expression {expression:?}: {message}")]
    Syntax {
        /// The expression.
        expression: String,
        /// What the parser said.
        message: String,
    },
    /// A function was given an argument of the wrong type.
    #[error("JMESPath type error in {expression:?}: {message}")]
    InvalidType {
        /// The expression.
        expression: String,
        /// What was wrong.
        message: String,
    },
    /// A value is not allowed (a slice step of 0).
    #[error("JMESPath invalid value in {expression:?}: {message}")]
    InvalidValue {
        /// The expression.
        expression: String,
        /// What was wrong.
        message: String,
    },
    /// A function was called with the wrong number of arguments.
    #[error("JMESPath arity error in {expression:?}: {message}")]
    InvalidArity {
        /// The expression.
        expression: String,
        /// What was wrong.
        message: String,
    },
    /// The expression calls a function JMESPath does not define.
    #[error("JMESPath unknown function in {expression:?}: {name}()")]
    UnknownFunction {
        /// The expression.
        expression: String,
        /// The function's name.
        name: String,
    },
}

impl JmesError {
    /// The compliance suite's name for this kind of error: `syntax`,
    /// `invalid-type`, `invalid-value`, `invalid-arity` or
    /// `unknown-function`.
    ///
    /// ```
    /// let err = boto_core::jmes::compile("foo[").unwrap_err();
    /// assert_eq!(err.kind(), "syntax");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            JmesError::Syntax { .. } => "syntax",
            JmesError::InvalidType { .. } => "invalid-type",
            JmesError::InvalidValue { .. } => "invalid-value",
            JmesError::InvalidArity { .. } => "invalid-arity",
            JmesError::UnknownFunction { .. } => "unknown-function",
        }
    }
}

/// An evaluation fault, before the expression text is attached.
#[derive(Debug)]
pub(crate) enum Fault {
    Type(String),
    Value(String),
    Arity(String),
    Unknown(String),
}

impl Fault {
    fn into_error(self, expression: &str) -> JmesError {
        let expression = expression.to_owned();
        match self {
            Fault::Type(message) => JmesError::InvalidType { expression, message },
            Fault::Value(message) => JmesError::InvalidValue { expression, message },
            Fault::Arity(message) => JmesError::InvalidArity { expression, message },
            Fault::Unknown(name) => JmesError::UnknownFunction { expression, name },
        }
    }
}

/// A compiled JMESPath expression. Get one from [`compile`] (cached) or
/// [`Expression::new`] (not cached).
#[derive(Debug, Clone)]
pub struct Expression {
    text: String,
    ast: Ast,
}

impl Expression {
    /// Parses `text` and checks every function it calls (name and number
    /// of arguments), without consulting or filling the cache.
    ///
    /// ```
    /// let e = boto_core::jmes::Expression::new("a.b").unwrap();
    /// assert_eq!(e.as_str(), "a.b");
    /// assert_eq!(boto_core::jmes::Expression::new("nope(a)").unwrap_err().kind(), "unknown-function");
    /// ```
    pub fn new(text: &str) -> Result<Expression, JmesError> {
        let ast = ::jmespath::parse(text)
            .map_err(|e| JmesError::Syntax { expression: text.to_owned(), message: e.to_string() })?;
        functions::check(&ast).map_err(|f| f.into_error(text))?;
        Ok(Expression { text: text.to_owned(), ast })
    }

    /// The expression's text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed expression.
    pub fn ast(&self) -> &Ast {
        &self.ast
    }

    /// Evaluates the expression over `data`.
    ///
    /// ```
    /// let e = boto_core::jmes::compile("Table.TableStatus").unwrap();
    /// let v = boto_core::params!({ "Table": { "TableStatus": "ACTIVE" } });
    /// assert_eq!(e.search(&v).unwrap().as_str(), Some("ACTIVE"));
    /// ```
    pub fn search(&self, data: &Value) -> Result<Value, JmesError> {
        eval::eval(&self.ast, data).map(|c| c.into_owned()).map_err(|f| f.into_error(&self.text))
    }

    /// The identifiers the expression starts with: the top-level member
    /// names a value must have for the expression to find anything
    /// (`["NextMarker", "Contents"]` for `NextMarker || Contents[-1].Key`).
    /// Empty for expressions that start elsewhere (`@`, literals).
    ///
    /// ```
    /// let e = boto_core::jmes::compile("NextMarker || Contents[-1].Key").unwrap();
    /// assert_eq!(e.first_identifiers(), vec!["NextMarker", "Contents"]);
    /// ```
    pub fn first_identifiers(&self) -> Vec<&str> {
        let mut out = Vec::new();
        first_fields(&self.ast, &mut out);
        out
    }

    /// True when the expression is a plain dotted path of identifiers
    /// (`a`, `a.b.c`): the only kind botocore can also assign to.
    pub fn is_dotted_path(&self) -> bool {
        fn walk(a: &Ast) -> bool {
            match a {
                Ast::Field { .. } => true,
                Ast::Subexpr { lhs, rhs, .. } => walk(lhs) && matches!(**rhs, Ast::Field { .. }),
                _ => false,
            }
        }
        walk(&self.ast)
    }
}

fn first_fields<'a>(ast: &'a Ast, out: &mut Vec<&'a str>) {
    match ast {
        Ast::Field { name, .. } => out.push(name),
        Ast::Subexpr { lhs, .. }
        | Ast::Projection { lhs, .. }
        | Ast::Comparison { lhs, .. }
        | Ast::Condition { predicate: lhs, .. } => first_fields(lhs, out),
        Ast::Or { lhs, rhs, .. } | Ast::And { lhs, rhs, .. } => {
            first_fields(lhs, out);
            first_fields(rhs, out);
        }
        Ast::Flatten { node, .. } | Ast::ObjectValues { node, .. } | Ast::Not { node, .. } => first_fields(node, out),
        Ast::Function { args, .. } | Ast::MultiList { elements: args, .. } => {
            args.iter().for_each(|a| first_fields(a, out))
        }
        Ast::MultiHash { elements, .. } => elements.iter().for_each(|kv| first_fields(&kv.value, out)),
        Ast::Identity { .. } | Ast::Expref { .. } | Ast::Index { .. } | Ast::Literal { .. } | Ast::Slice { .. } => {}
    }
}

/// The most expressions the process-wide cache keeps; past that it starts
/// afresh (expressions in use stay alive through their `Arc`s).
const CACHE_LIMIT: usize = 4096;

fn cache() -> &'static Mutex<HashMap<String, Arc<Expression>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Expression>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Compiles `text`, once per process: later calls with the same text
/// return the same [`Arc`].
///
/// ```
/// let a = boto_core::jmes::compile("Reservations[].Instances[].State.Name").unwrap();
/// let b = boto_core::jmes::compile("Reservations[].Instances[].State.Name").unwrap();
/// assert!(std::sync::Arc::ptr_eq(&a, &b));
/// ```
pub fn compile(text: &str) -> Result<Arc<Expression>, JmesError> {
    if let Some(e) = cache().lock().unwrap_or_else(|e| e.into_inner()).get(text) {
        return Ok(e.clone());
    }
    let compiled = Arc::new(Expression::new(text)?);
    let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    Ok(map.entry(text.to_owned()).or_insert(compiled).clone())
}

/// Compiles (cached) and evaluates `text` over `data`.
///
/// ```
/// let v = boto_core::params!({ "a": [1, 2, 3] });
/// assert_eq!(boto_core::jmes::search("sum(a)", &v).unwrap(), boto_core::params!(6));
/// ```
pub fn search(text: &str, data: &Value) -> Result<Value, JmesError> {
    compile(text)?.search(data)
}

/// JMESPath truthiness: false for null, `false`, and empty strings, lists
/// and maps; true for everything else (numbers included).
///
/// ```
/// use boto_core::{jmes::is_truthy, Value};
/// assert!(!is_truthy(&Value::from("")));
/// assert!(is_truthy(&Value::Int(0)));
/// ```
pub fn is_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Blob(b) => !b.is_empty(),
        Value::List(l) => !l.is_empty(),
        Value::Map(m) => !m.is_empty(),
        _ => true,
    }
}

/// JMESPath equality: numbers compare by value (`1 == 1.0`), lists by
/// elements in order, maps by keys and values regardless of order.
///
/// ```
/// use boto_core::{jmes::values_equal, params};
/// assert!(values_equal(&params!({ "a": 1, "b": [2.0] }), &params!({ "b": [2], "a": 1.0 })));
/// ```
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (eval::number(a), eval::number(b)) {
        (Some(_), Some(_)) => return eval::compare_numbers(a, b) == Some(std::cmp::Ordering::Equal),
        (Some(_), None) | (None, Some(_)) => return false,
        (None, None) => {}
    }
    match (a, b) {
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests;
