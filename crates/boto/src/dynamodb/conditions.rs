//! Condition builders (boto3's `boto3.dynamodb.conditions`): [`Key`] and
//! [`Attr`] make [`Condition`]s, combined with `&`, `|` and `!` (boto3's
//! `~`), and [`ConditionExpressionBuilder`] turns them into expression text
//! with `#n0` name and `:v0` value placeholders, numbered exactly as boto3
//! numbers them.
//!
//! ```
//! use boto::dynamodb::{Attr, ConditionExpressionBuilder, Key};
//!
//! let cond = Key::new("pk").eq("user#1") & Key::new("sk").begins_with("order#");
//! let mut builder = ConditionExpressionBuilder::new();
//! let built = builder.build_expression(&cond, true).unwrap();
//! assert_eq!(built.condition_expression, "(#n0 = :v0 AND begins_with(#n1, :v1))");
//! assert_eq!(built.attribute_name_placeholders["#n1"], "sk");
//!
//! let filter = Attr::new("tags").contains("red") | !Attr::new("a.b[2].c").exists();
//! let built = builder.build_expression(&filter, false).unwrap();
//! assert_eq!(built.condition_expression, "(contains(#n2, :v2) OR (NOT attribute_exists(#n3.#n4[2].#n5)))");
//! ```

use std::fmt;

use bytes::Bytes;
use indexmap::IndexMap;

use super::number::Number;
use super::types::{BinarySet, DynamoValue, Item, NumberSet, StringSet};
use super::DynamoDbError;

/// Which builder named an attribute: key conditions accept only [`Key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrKind {
    /// Made by [`Key`].
    Key,
    /// Made by [`Attr`].
    Attr,
}

/// An attribute path (`a.b[2].c`) named by [`Key`] or [`Attr`].
#[derive(Debug, Clone, PartialEq)]
pub struct AttrPath {
    /// The path as written.
    pub name: String,
    /// Who named it.
    pub kind: AttrKind,
}

/// Something a condition compares: an attribute, `size(attribute)`, or a
/// value.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// An attribute (`#n0`).
    Path(AttrPath),
    /// `size(attribute)`.
    Size(AttrPath),
    /// A value (`:v0`).
    Value(DynamoValue),
}

impl From<Key> for Operand {
    fn from(k: Key) -> Operand {
        Operand::Path(AttrPath { name: k.name, kind: AttrKind::Key })
    }
}

impl From<&Key> for Operand {
    fn from(k: &Key) -> Operand {
        k.clone().into()
    }
}

impl From<Attr> for Operand {
    fn from(a: Attr) -> Operand {
        Operand::Path(AttrPath { name: a.name, kind: AttrKind::Attr })
    }
}

impl From<&Attr> for Operand {
    fn from(a: &Attr) -> Operand {
        a.clone().into()
    }
}

impl From<Size> for Operand {
    fn from(s: Size) -> Operand {
        Operand::Size(s.0)
    }
}

macro_rules! operand_values {
    ($($t:ty),*) => {$(
        impl From<$t> for Operand {
            fn from(v: $t) -> Operand {
                Operand::Value(DynamoValue::from(v))
            }
        }
    )*};
}
operand_values!(
    DynamoValue,
    bool,
    Number,
    String,
    &str,
    &String,
    Bytes,
    Item,
    StringSet,
    NumberSet,
    BinarySet,
    i8,
    i16,
    i32,
    i64,
    isize,
    u8,
    u16,
    u32,
    u64,
    usize
);

impl<T: Into<DynamoValue>> From<Vec<T>> for Operand {
    fn from(v: Vec<T>) -> Operand {
        Operand::Value(DynamoValue::from(v))
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
}

impl Comparator {
    /// The operator's text.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Eq => "=",
            Comparator::Ne => "<>",
            Comparator::Lt => "<",
            Comparator::Lte => "<=",
            Comparator::Gt => ">",
            Comparator::Gte => ">=",
        }
    }
}

/// A condition: a key condition, a filter or a condition expression.
/// Combine with `&` (AND), `|` (OR) and `!` (NOT).
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `a = b`, `a <> b`, `a < b`, ...
    Compare(Comparator, Operand, Operand),
    /// `a IN (:v0, :v1)`.
    In(Operand, Vec<DynamoValue>),
    /// `a BETWEEN low AND high`.
    Between(Operand, Operand, Operand),
    /// `begins_with(a, prefix)`.
    BeginsWith(Operand, Operand),
    /// `contains(a, value)`.
    Contains(Operand, Operand),
    /// `size(a)` on its own.
    Size(Operand),
    /// `attribute_type(a, type)`.
    AttributeType(Operand, Operand),
    /// `attribute_exists(a)`.
    AttributeExists(Operand),
    /// `attribute_not_exists(a)`.
    AttributeNotExists(Operand),
    /// `(x AND y)`.
    And(Box<Condition>, Box<Condition>),
    /// `(x OR y)`.
    Or(Box<Condition>, Box<Condition>),
    /// `(NOT x)`.
    Not(Box<Condition>),
}

impl std::ops::BitAnd for Condition {
    type Output = Condition;
    fn bitand(self, rhs: Condition) -> Condition {
        Condition::And(Box::new(self), Box::new(rhs))
    }
}

impl std::ops::BitOr for Condition {
    type Output = Condition;
    fn bitor(self, rhs: Condition) -> Condition {
        Condition::Or(Box::new(self), Box::new(rhs))
    }
}

impl std::ops::Not for Condition {
    type Output = Condition;
    fn not(self) -> Condition {
        Condition::Not(Box::new(self))
    }
}

impl Condition {
    /// `self AND other` (the same as `&`).
    pub fn and(self, other: Condition) -> Condition {
        self & other
    }

    /// `self OR other` (the same as `|`).
    pub fn or(self, other: Condition) -> Condition {
        self | other
    }

    /// `NOT self` (the same as `!`).
    pub fn negate(self) -> Condition {
        !self
    }
}

impl From<Size> for Condition {
    /// `size(a)` as a condition on its own (boto3 allows it).
    fn from(s: Size) -> Condition {
        Condition::Size(Operand::Size(s.0))
    }
}

macro_rules! comparisons {
    () => {
        /// `self = value`.
        pub fn eq(&self, value: impl Into<Operand>) -> Condition {
            Condition::Compare(Comparator::Eq, self.operand(), value.into())
        }
        /// `self < value`.
        pub fn lt(&self, value: impl Into<Operand>) -> Condition {
            Condition::Compare(Comparator::Lt, self.operand(), value.into())
        }
        /// `self <= value`.
        pub fn lte(&self, value: impl Into<Operand>) -> Condition {
            Condition::Compare(Comparator::Lte, self.operand(), value.into())
        }
        /// `self > value`.
        pub fn gt(&self, value: impl Into<Operand>) -> Condition {
            Condition::Compare(Comparator::Gt, self.operand(), value.into())
        }
        /// `self >= value`.
        pub fn gte(&self, value: impl Into<Operand>) -> Condition {
            Condition::Compare(Comparator::Gte, self.operand(), value.into())
        }
        /// `begins_with(self, prefix)`.
        pub fn begins_with(&self, prefix: impl Into<Operand>) -> Condition {
            Condition::BeginsWith(self.operand(), prefix.into())
        }
        /// `self BETWEEN low AND high`.
        pub fn between(&self, low: impl Into<Operand>, high: impl Into<Operand>) -> Condition {
            Condition::Between(self.operand(), low.into(), high.into())
        }
    };
}

/// A key attribute, for key conditions (`KeyConditionExpression`) and
/// anywhere else. boto3's `Key`.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    name: String,
}

impl Key {
    /// The key attribute `name` (a path: `a.b[0]`).
    pub fn new(name: impl Into<String>) -> Key {
        Key { name: name.into() }
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn operand(&self) -> Operand {
        self.into()
    }

    comparisons!();
}

/// An attribute, for filters and condition expressions. boto3's `Attr`.
/// Using one in a key condition is an error.
#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    name: String,
}

impl Attr {
    /// The attribute `name` (a path: `a.b[2].c`).
    pub fn new(name: impl Into<String>) -> Attr {
        Attr { name: name.into() }
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn operand(&self) -> Operand {
        self.into()
    }

    comparisons!();

    /// `self <> value`.
    pub fn ne(&self, value: impl Into<Operand>) -> Condition {
        Condition::Compare(Comparator::Ne, self.operand(), value.into())
    }

    /// `self IN (v0, v1, ...)`.
    pub fn is_in<V: Into<DynamoValue>>(&self, values: impl IntoIterator<Item = V>) -> Condition {
        Condition::In(self.operand(), values.into_iter().map(Into::into).collect())
    }

    /// `attribute_exists(self)`.
    pub fn exists(&self) -> Condition {
        Condition::AttributeExists(self.operand())
    }

    /// `attribute_not_exists(self)`.
    pub fn not_exists(&self) -> Condition {
        Condition::AttributeNotExists(self.operand())
    }

    /// `attribute_exists(self)` (the same as [`Attr::exists`]).
    pub fn attribute_exists(&self) -> Condition {
        self.exists()
    }

    /// `attribute_not_exists(self)` (the same as [`Attr::not_exists`]).
    pub fn attribute_not_exists(&self) -> Condition {
        self.not_exists()
    }

    /// `contains(self, value)`.
    pub fn contains(&self, value: impl Into<Operand>) -> Condition {
        Condition::Contains(self.operand(), value.into())
    }

    /// `size(self)`, to compare (`Attr::new("a").size().gt(3)`) or use
    /// as a condition on its own.
    pub fn size(&self) -> Size {
        Size(AttrPath { name: self.name.clone(), kind: AttrKind::Attr })
    }

    /// `attribute_type(self, type)` (`"S"`, `"N"`, `"SS"`, `"M"`, ...).
    pub fn attribute_type(&self, value: impl Into<Operand>) -> Condition {
        Condition::AttributeType(self.operand(), value.into())
    }
}

/// `size(attribute)`, made by [`Attr::size`].
#[derive(Debug, Clone, PartialEq)]
pub struct Size(AttrPath);

impl Size {
    fn operand(&self) -> Operand {
        Operand::Size(self.0.clone())
    }

    comparisons!();

    /// `size(a) <> value`.
    pub fn ne(&self, value: impl Into<Operand>) -> Condition {
        Condition::Compare(Comparator::Ne, self.operand(), value.into())
    }
}

/// A built expression: the text and its placeholders (boto3's
/// `BuiltConditionExpression`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BuiltExpression {
    /// `#n0 = :v0`.
    pub condition_expression: String,
    /// `#n0` → attribute name.
    pub attribute_name_placeholders: IndexMap<String, String>,
    /// `:v0` → value.
    pub attribute_value_placeholders: IndexMap<String, DynamoValue>,
}

/// Builds expressions, numbering placeholders across calls until
/// [`ConditionExpressionBuilder::reset`] (boto3's
/// `ConditionExpressionBuilder`).
#[derive(Debug, Clone, Default)]
pub struct ConditionExpressionBuilder {
    name_count: usize,
    value_count: usize,
}

impl ConditionExpressionBuilder {
    /// A builder starting at `#n0` and `:v0`.
    pub fn new() -> ConditionExpressionBuilder {
        ConditionExpressionBuilder::default()
    }

    /// Starts numbering from zero again.
    pub fn reset(&mut self) {
        self.name_count = 0;
        self.value_count = 0;
    }

    /// The expression for `condition`. With `is_key_condition`, every
    /// attribute must come from [`Key`] (boto3's
    /// `DynamoDBNeedsKeyConditionError` otherwise).
    pub fn build_expression(
        &mut self,
        condition: &Condition,
        is_key_condition: bool,
    ) -> Result<BuiltExpression, DynamoDbError> {
        let mut out = BuiltExpression::default();
        out.condition_expression = self.condition(condition, &mut out, is_key_condition)?;
        Ok(out)
    }

    /// A projection expression for `paths` (`["a", "b.c[1]"]` →
    /// `#n0, #n1.#n2[1]`), with name placeholders numbered as conditions'
    /// are.
    pub fn build_projection(&mut self, paths: &[impl AsRef<str>]) -> BuiltExpression {
        let mut out = BuiltExpression::default();
        let parts: Vec<String> = paths.iter().map(|p| self.name(p.as_ref(), &mut out)).collect();
        out.condition_expression = parts.join(", ");
        out
    }

    fn condition(&mut self, c: &Condition, out: &mut BuiltExpression, key: bool) -> Result<String, DynamoDbError> {
        Ok(match c {
            Condition::Compare(op, a, b) => {
                let a = self.operand(a, out, key)?;
                let b = self.operand(b, out, key)?;
                format!("{a} {} {b}", op.as_str())
            }
            Condition::In(a, values) => {
                let a = self.operand(a, out, key)?;
                let placeholders: Vec<String> = values.iter().map(|v| self.value(v.clone(), out)).collect();
                format!("{a} IN ({})", placeholders.join(", "))
            }
            Condition::Between(a, low, high) => {
                let a = self.operand(a, out, key)?;
                let low = self.operand(low, out, key)?;
                let high = self.operand(high, out, key)?;
                format!("{a} BETWEEN {low} AND {high}")
            }
            Condition::BeginsWith(a, b) => self.function("begins_with", &[a, b], out, key)?,
            Condition::Contains(a, b) => self.function("contains", &[a, b], out, key)?,
            Condition::AttributeType(a, b) => self.function("attribute_type", &[a, b], out, key)?,
            Condition::AttributeExists(a) => self.function("attribute_exists", &[a], out, key)?,
            Condition::AttributeNotExists(a) => self.function("attribute_not_exists", &[a], out, key)?,
            Condition::Size(a) => self.operand(a, out, key)?,
            Condition::And(a, b) => {
                let a = self.condition(a, out, key)?;
                let b = self.condition(b, out, key)?;
                format!("({a} AND {b})")
            }
            Condition::Or(a, b) => {
                let a = self.condition(a, out, key)?;
                let b = self.condition(b, out, key)?;
                format!("({a} OR {b})")
            }
            Condition::Not(a) => format!("(NOT {})", self.condition(a, out, key)?),
        })
    }

    fn function(
        &mut self,
        name: &str,
        args: &[&Operand],
        out: &mut BuiltExpression,
        key: bool,
    ) -> Result<String, DynamoDbError> {
        let mut parts = Vec::with_capacity(args.len());
        for a in args {
            parts.push(self.operand(a, out, key)?);
        }
        Ok(format!("{name}({})", parts.join(", ")))
    }

    fn operand(&mut self, o: &Operand, out: &mut BuiltExpression, key: bool) -> Result<String, DynamoDbError> {
        match o {
            Operand::Path(p) => {
                check_key(p, key)?;
                Ok(self.name(&p.name, out))
            }
            Operand::Size(p) => {
                if key {
                    // size() is made by Attr: not a key attribute.
                    return Err(needs_key(&p.name, "Size"));
                }
                Ok(format!("size({})", self.name(&p.name, out)))
            }
            Operand::Value(v) => Ok(self.value(v.clone(), out)),
        }
    }

    /// Placeholders for each name part of a path, keeping the dots and
    /// list indexes (boto3's `ATTR_NAME_REGEX` substitution).
    fn name(&mut self, path: &str, out: &mut BuiltExpression) -> String {
        let mut text = String::with_capacity(path.len() + 8);
        let mut part = String::new();
        let mut in_brackets = false;
        let mut flush = |part: &mut String, text: &mut String, me: &mut ConditionExpressionBuilder| {
            if !part.is_empty() {
                let placeholder = format!("#n{}", me.name_count);
                me.name_count += 1;
                out.attribute_name_placeholders.insert(placeholder.clone(), std::mem::take(part));
                text.push_str(&placeholder);
            }
        };
        for c in path.chars() {
            match c {
                '.' if !in_brackets => {
                    flush(&mut part, &mut text, self);
                    text.push('.');
                }
                '[' => {
                    flush(&mut part, &mut text, self);
                    in_brackets = true;
                    text.push('[');
                }
                ']' => {
                    in_brackets = false;
                    text.push(']');
                }
                _ if in_brackets => text.push(c),
                _ => part.push(c),
            }
        }
        flush(&mut part, &mut text, self);
        text
    }

    fn value(&mut self, v: DynamoValue, out: &mut BuiltExpression) -> String {
        let placeholder = format!(":v{}", self.value_count);
        self.value_count += 1;
        out.attribute_value_placeholders.insert(placeholder.clone(), v);
        placeholder
    }
}

fn check_key(p: &AttrPath, key: bool) -> Result<(), DynamoDbError> {
    if key && p.kind != AttrKind::Key {
        return Err(needs_key(&p.name, "Attr"));
    }
    Ok(())
}

fn needs_key(name: &str, kind: &str) -> DynamoDbError {
    DynamoDBNeedsKeyCondition {
        message: format!(
            "Attribute object {name} is of type {kind}. KeyConditionExpression only supports Attribute objects of type Key"
        ),
    }
    .into()
}

/// A key condition used something other than [`Key`] (boto3's
/// `DynamoDBNeedsKeyConditionError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DynamoDBNeedsKeyCondition {
    /// boto3's message.
    pub message: String,
}

impl fmt::Display for DynamoDBNeedsKeyCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DynamoDBNeedsKeyCondition {}

#[cfg(test)]
mod tests {
    use super::*;

    type Names<'a> = &'a [(&'a str, &'a str)];
    type Values<'a> = &'a [(&'a str, DynamoValue)];
    type Case<'a> = (Condition, &'a str, Names<'a>, Vec<(&'a str, DynamoValue)>);

    fn check(
        builder: &mut ConditionExpressionBuilder,
        c: Condition,
        text: &str,
        names: Names,
        values: Values,
        key: bool,
    ) {
        let built = builder.build_expression(&c, key).unwrap();
        assert_eq!(built.condition_expression, text);
        let want_names: IndexMap<String, String> = names.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(built.attribute_name_placeholders, want_names, "{text}");
        let want_values: IndexMap<String, DynamoValue> =
            values.iter().map(|(a, b)| (a.to_string(), b.clone())).collect();
        assert_eq!(built.attribute_value_placeholders, want_values, "{text}");
    }

    /// Vectors from boto3's tests/unit/dynamodb/test_conditions.py
    /// (TestConditionExpressionBuilder), each on a fresh builder.
    #[test]
    fn boto3_vectors() {
        let a = || Attr::new("myattr");
        let a2 = || Attr::new("myattr2");
        let s = |x: &str| DynamoValue::from(x);
        let n = |x: i64| DynamoValue::from(x);
        let cases: Vec<Case> = vec![
            (a().eq("foo"), "#n0 = :v0", &[("#n0", "myattr")], vec![(":v0", s("foo"))]),
            (a().lt("foo"), "#n0 < :v0", &[("#n0", "myattr")], vec![(":v0", s("foo"))]),
            (a().lte("foo"), "#n0 <= :v0", &[("#n0", "myattr")], vec![(":v0", s("foo"))]),
            (a().gt("foo"), "#n0 > :v0", &[("#n0", "myattr")], vec![(":v0", s("foo"))]),
            (a().gte("foo"), "#n0 >= :v0", &[("#n0", "myattr")], vec![(":v0", s("foo"))]),
            (a().begins_with("foo"), "begins_with(#n0, :v0)", &[("#n0", "myattr")], vec![(":v0", s("foo"))]),
            (
                a().between("foo", "foo2"),
                "#n0 BETWEEN :v0 AND :v1",
                &[("#n0", "myattr")],
                vec![(":v0", s("foo")), (":v1", s("foo2"))],
            ),
            (a().ne("foo"), "#n0 <> :v0", &[("#n0", "myattr")], vec![(":v0", s("foo"))]),
            (
                a().is_in([1, 2, 3]),
                "#n0 IN (:v0, :v1, :v2)",
                &[("#n0", "myattr")],
                vec![(":v0", n(1)), (":v1", n(2)), (":v2", n(3))],
            ),
            (a().exists(), "attribute_exists(#n0)", &[("#n0", "myattr")], vec![]),
            (a().not_exists(), "attribute_not_exists(#n0)", &[("#n0", "myattr")], vec![]),
            (a().contains("foo"), "contains(#n0, :v0)", &[("#n0", "myattr")], vec![(":v0", s("foo"))]),
            (a().size().into(), "size(#n0)", &[("#n0", "myattr")], vec![]),
            (a().size().eq(5), "size(#n0) = :v0", &[("#n0", "myattr")], vec![(":v0", n(5))]),
            (a().attribute_type("foo"), "attribute_type(#n0, :v0)", &[("#n0", "myattr")], vec![(":v0", s("foo"))]),
            (
                a().eq("foo") & a2().eq("bar"),
                "(#n0 = :v0 AND #n1 = :v1)",
                &[("#n0", "myattr"), ("#n1", "myattr2")],
                vec![(":v0", s("foo")), (":v1", s("bar"))],
            ),
            (
                a().eq("foo") | a2().eq("bar"),
                "(#n0 = :v0 OR #n1 = :v1)",
                &[("#n0", "myattr"), ("#n1", "myattr2")],
                vec![(":v0", s("foo")), (":v1", s("bar"))],
            ),
            (!a().eq("foo"), "(NOT #n0 = :v0)", &[("#n0", "myattr")], vec![(":v0", s("foo"))]),
            (a().eq(Attr::new("myreference")), "#n0 = #n1", &[("#n0", "myattr"), ("#n1", "myreference")], vec![]),
            (
                Attr::new("MyMap.MyKey").eq("foo"),
                "#n0.#n1 = :v0",
                &[("#n0", "MyMap"), ("#n1", "MyKey")],
                vec![(":v0", s("foo"))],
            ),
            (Attr::new("MyList[0]").eq("foo"), "#n0[0] = :v0", &[("#n0", "MyList")], vec![(":v0", s("foo"))]),
            (
                Attr::new("MyMap.MyList[2].MyElement").eq("foo"),
                "#n0.#n1[2].#n2 = :v0",
                &[("#n0", "MyMap"), ("#n1", "MyList"), ("#n2", "MyElement")],
                vec![(":v0", s("foo"))],
            ),
            (
                (a().eq("foo") & a2().eq("foo2")) | (a().eq("bar") & a2().eq("bar2")),
                "((#n0 = :v0 AND #n1 = :v1) OR (#n2 = :v2 AND #n3 = :v3))",
                &[("#n0", "myattr"), ("#n1", "myattr2"), ("#n2", "myattr"), ("#n3", "myattr2")],
                vec![(":v0", s("foo")), (":v1", s("foo2")), (":v2", s("bar")), (":v3", s("bar2"))],
            ),
        ];
        for (cond, text, names, values) in cases {
            check(&mut ConditionExpressionBuilder::new(), cond, text, names, &values, false);
        }
    }

    #[test]
    fn numbering_continues_until_reset() {
        // boto3's test_reset.
        let mut b = ConditionExpressionBuilder::new();
        let a = Attr::new("myattr");
        let foo = || [(":v0", DynamoValue::from("foo"))];
        check(&mut b, a.eq("foo"), "#n0 = :v0", &[("#n0", "myattr")], &foo(), false);
        check(&mut b, a.eq("foo"), "#n1 = :v1", &[("#n1", "myattr")], &[(":v1", "foo".into())], false);
        b.reset();
        check(&mut b, a.eq("foo"), "#n0 = :v0", &[("#n0", "myattr")], &foo(), false);
    }

    #[test]
    fn key_conditions() {
        // boto3's test_build_with_is_key_condition and ..._throws_error.
        let mut b = ConditionExpressionBuilder::new();
        check(&mut b, Key::new("myattr").eq("foo"), "#n0 = :v0", &[("#n0", "myattr")], &[(":v0", "foo".into())], true);
        let err = b.build_expression(&Attr::new("myattr").eq("foo"), true).unwrap_err();
        assert!(matches!(err, DynamoDbError::NeedsKeyCondition(_)));
        assert!(err.to_string().contains("Attribute object myattr is of type Attr"));
        // Anywhere in the tree, and on either side.
        let mixed = Key::new("k").eq(1) & Key::new("s").eq(Attr::new("other"));
        assert!(b.build_expression(&mixed, true).is_err());
        assert!(b.build_expression(&Attr::new("a").size().gt(1), true).is_err());
        // Key works in filters.
        let mut b = ConditionExpressionBuilder::new();
        assert!(b.build_expression(&Key::new("k").eq(1), false).is_ok());
        // Key methods: between and begins_with.
        check(
            &mut ConditionExpressionBuilder::new(),
            Key::new("k").between(1, 9) & Key::new("s").begins_with("p"),
            "(#n0 BETWEEN :v0 AND :v1 AND begins_with(#n1, :v2))",
            &[("#n0", "k"), ("#n1", "s")],
            &[(":v0", 1.into()), (":v1", 9.into()), (":v2", "p".into())],
            true,
        );
    }

    #[test]
    fn projections_and_odd_paths() {
        let mut b = ConditionExpressionBuilder::new();
        let built = b.build_projection(&["a", "b.c", "d[3].e", "f[1][2]"]);
        assert_eq!(built.condition_expression, "#n0, #n1.#n2, #n3[3].#n4, #n5[1][2]");
        assert_eq!(built.attribute_name_placeholders.len(), 6);
        assert_eq!(built.attribute_name_placeholders["#n3"], "d");
        // Names with characters DynamoDB reserves or cannot parse are just
        // placeholders.
        let built =
            ConditionExpressionBuilder::new().build_expression(&Attr::new("my-attr name").eq(1), false).unwrap();
        assert_eq!(built.condition_expression, "#n0 = :v0");
        assert_eq!(built.attribute_name_placeholders["#n0"], "my-attr name");
    }
}
