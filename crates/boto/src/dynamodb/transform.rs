//! The high-level request and response transformation (boto3's
//! `TransformationInjector`), driven by the operation's shapes:
//!
//! * conditions given for members of shape `ConditionExpression`
//!   (`ConditionExpression`, `FilterExpression`) are built first, then
//!   those for members of shape `KeyExpression` (`KeyConditionExpression`),
//!   sharing one placeholder numbering, so a query's filter gets `#n0` and
//!   its key condition the next numbers, as in boto3;
//! * a projection (a list of paths) for a `ProjectionExpression` member
//!   is built last with the same numbering (boto3 leaves projections to
//!   you; this is an addition);
//! * the generated names and values are merged into
//!   `ExpressionAttributeNames` and `ExpressionAttributeValues` (generated
//!   ones win on a clash, as in boto3);
//! * native values are serialized wherever the input shape has an
//!   `AttributeValue`, and every `AttributeValue` of the output is
//!   deserialized.

use boto_core::model::{ServiceModel, Shape, ShapeKind};
use boto_core::{Map, Value};
use indexmap::IndexMap;

use super::conditions::{Condition, ConditionExpressionBuilder};
use super::number::Number;
use super::types::{DynamoValue, Item, TypeDeserializer, TypeSerializer};
use super::DynamoDbError;

/// One top-level parameter of a high-level request.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// Sent as it is (wire form: AttributeValues already serialized).
    Value(Value),
    /// A native value, serialized where the shape has AttributeValues.
    Native(DynamoValue),
    /// A condition, for `ConditionExpression`, `FilterExpression` and
    /// `KeyConditionExpression`.
    Condition(Condition),
    /// Attribute paths, for `ProjectionExpression`.
    Projection(Vec<String>),
}

/// The parameters of a high-level request, by member name, in order.
///
/// ```
/// use boto::dynamodb::{item, Attr, Params};
/// let p = Params::new()
///     .native("Item", item! { "id" => "u-1" })
///     .condition("ConditionExpression", Attr::new("id").not_exists())
///     .value("ReturnValues", "ALL_OLD");
/// assert_eq!(p.len(), 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(IndexMap<String, Param>);

impl Params {
    /// No parameters.
    pub fn new() -> Params {
        Params::default()
    }

    /// Sets a parameter sent as it is.
    pub fn value(mut self, name: impl Into<String>, value: impl Into<Value>) -> Params {
        self.0.insert(name.into(), Param::Value(value.into()));
        self
    }

    /// Sets a native parameter.
    pub fn native(mut self, name: impl Into<String>, value: impl Into<DynamoValue>) -> Params {
        self.0.insert(name.into(), Param::Native(value.into()));
        self
    }

    /// Sets a condition parameter.
    pub fn condition(mut self, name: impl Into<String>, condition: impl Into<Condition>) -> Params {
        self.0.insert(name.into(), Param::Condition(condition.into()));
        self
    }

    /// Sets a projection parameter.
    pub fn projection<S: Into<String>>(
        mut self,
        name: impl Into<String>,
        paths: impl IntoIterator<Item = S>,
    ) -> Params {
        self.0.insert(name.into(), Param::Projection(paths.into_iter().map(Into::into).collect()));
        self
    }

    /// Sets a parameter.
    pub fn set(&mut self, name: impl Into<String>, param: Param) {
        self.0.insert(name.into(), param);
    }

    /// A parameter.
    pub fn get(&self, name: &str) -> Option<&Param> {
        self.0.get(name)
    }

    /// Removes a parameter.
    pub fn remove(&mut self, name: &str) -> Option<Param> {
        self.0.shift_remove(name)
    }

    /// True when `name` is set.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds `name → attribute` to `ExpressionAttributeNames`.
    pub fn add_name(&mut self, placeholder: impl Into<String>, attribute: impl Into<String>) {
        let (p, a) = (placeholder.into(), Value::String(attribute.into()));
        match self.0.entry("ExpressionAttributeNames".into()).or_insert(Param::Value(Value::map())) {
            Param::Value(v) => {
                v.insert(p, a);
            }
            Param::Native(DynamoValue::Map(m)) => {
                m.insert(p, DynamoValue::String(a.as_str().unwrap_or_default().to_owned()));
            }
            other => *other = Param::Value(std::iter::once((p, a)).collect()),
        }
    }

    /// Adds `:placeholder → value` to `ExpressionAttributeValues`.
    pub fn add_value(&mut self, placeholder: impl Into<String>, value: impl Into<DynamoValue>) {
        let (p, v) = (placeholder.into(), value.into());
        match self.0.entry("ExpressionAttributeValues".into()).or_insert(Param::Native(DynamoValue::Map(Item::new()))) {
            Param::Native(DynamoValue::Map(m)) => {
                m.insert(p, v);
            }
            other => {
                let mut m = Item::new();
                m.insert(p, v);
                *other = Param::Native(DynamoValue::Map(m));
            }
        }
    }
}

impl From<Value> for Params {
    /// Every member of a plain map, sent as it is.
    fn from(v: Value) -> Params {
        match v {
            Value::Map(m) => Params(m.into_iter().map(|(k, v)| (k, Param::Value(v))).collect()),
            _ => Params::default(),
        }
    }
}

/// A high-level response: the output with every AttributeValue made
/// native, and the raw output.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The whole output as native values. Members that are not
    /// AttributeValues convert plainly: numbers to [`Number`]s, blobs to
    /// binary, timestamps to RFC 3339 text.
    pub native: DynamoValue,
    /// The output as the client returned it (wire form, with
    /// `ResponseMetadata`).
    pub raw: Value,
}

/// Turns high-level parameters into the wire parameters of `operation`.
pub fn serialize_input(model: &ServiceModel, operation: &str, params: Params) -> Result<Value, DynamoDbError> {
    let op = model
        .operation(operation)
        .map_err(|e| DynamoDbError::Params(e.to_string()))?
        .ok_or_else(|| DynamoDbError::Params(format!("dynamodb has no operation {operation}")))?;
    let input = op.input.as_ref().map(|r| model.shape(r.shape));
    let mut params = params.0;
    let member_shape = |name: &str| -> Option<&Shape> {
        let input = input?;
        input.member_named(name).map(|m| model.shape(m.target))
    };

    // Conditions: ConditionExpression-shaped members first, then
    // KeyExpression ones, then projections; one numbering.
    let mut builder = ConditionExpressionBuilder::new();
    let mut names: IndexMap<String, String> = IndexMap::new();
    let mut values: IndexMap<String, DynamoValue> = IndexMap::new();
    for (is_key, shape_name) in [(false, "ConditionExpression"), (true, "KeyExpression")] {
        for (name, param) in params.iter_mut() {
            let Param::Condition(c) = param else { continue };
            if member_shape(name).map(|s| &*s.name) != Some(shape_name) {
                continue;
            }
            let built = builder.build_expression(c, is_key)?;
            names.extend(built.attribute_name_placeholders);
            values.extend(built.attribute_value_placeholders);
            *param = Param::Value(Value::String(built.condition_expression));
        }
    }
    for (name, param) in params.iter_mut() {
        match param {
            Param::Projection(paths) => {
                let built = builder.build_projection(paths);
                names.extend(built.attribute_name_placeholders);
                *param = Param::Value(Value::String(built.condition_expression));
            }
            Param::Condition(_) => {
                return Err(DynamoDbError::Params(format!(
                    "{operation}.{name} does not take a condition (only ConditionExpression, FilterExpression and KeyConditionExpression do)"
                )))
            }
            _ => {}
        }
    }
    if !names.is_empty() {
        let entry = params.entry("ExpressionAttributeNames".into()).or_insert(Param::Value(Value::map()));
        match entry {
            Param::Value(Value::Map(m)) => {
                for (k, v) in names {
                    m.insert(k, Value::String(v));
                }
            }
            Param::Native(DynamoValue::Map(m)) => {
                for (k, v) in names {
                    m.insert(k, DynamoValue::String(v));
                }
            }
            _ => return Err(DynamoDbError::Params("ExpressionAttributeNames must be a map".into())),
        }
    }
    if !values.is_empty() {
        let entry =
            params.entry("ExpressionAttributeValues".into()).or_insert(Param::Native(DynamoValue::Map(Item::new())));
        match entry {
            Param::Native(DynamoValue::Map(m)) => m.extend(values),
            // Wire form given: serialize the generated values into it.
            Param::Value(Value::Map(m)) => {
                for (k, v) in values {
                    m.insert(k, TypeSerializer.serialize(&v)?);
                }
            }
            _ => return Err(DynamoDbError::Params("ExpressionAttributeValues must be a map".into())),
        }
    }

    // Serialize natives by shape.
    let mut out = Map::with_capacity(params.len());
    for (name, param) in params {
        let value = match param {
            Param::Value(v) => v,
            Param::Native(v) => match member_shape(&name) {
                Some(shape) => to_wire(model, shape, &v)?,
                None => plain(&v),
            },
            Param::Condition(_) | Param::Projection(_) => continue,
        };
        out.insert(name, value);
    }
    Ok(Value::Map(out))
}

/// A native value at a position of shape `shape`, in wire form.
fn to_wire(model: &ServiceModel, shape: &Shape, v: &DynamoValue) -> Result<Value, DynamoDbError> {
    if &*shape.name == "AttributeValue" {
        return TypeSerializer.serialize(v);
    }
    Ok(match (shape.kind, v) {
        (ShapeKind::Structure, DynamoValue::Map(m)) => {
            let mut out = Map::with_capacity(m.len());
            for (k, x) in m {
                let value = match shape.member_named(k) {
                    Some(member) => to_wire(model, model.shape(member.target), x)?,
                    None => plain(x),
                };
                out.insert(k.clone(), value);
            }
            Value::Map(out)
        }
        (ShapeKind::Map, DynamoValue::Map(m)) => {
            let value_shape = shape.value.as_ref().map(|m| model.shape(m.target));
            let mut out = Map::with_capacity(m.len());
            for (k, x) in m {
                let value = match value_shape {
                    Some(s) => to_wire(model, s, x)?,
                    None => plain(x),
                };
                out.insert(k.clone(), value);
            }
            Value::Map(out)
        }
        (ShapeKind::List, DynamoValue::List(l)) => {
            let member = shape.member.as_ref().map(|m| model.shape(m.target));
            Value::List(
                l.iter()
                    .map(|x| match member {
                        Some(s) => to_wire(model, s, x),
                        None => Ok(plain(x)),
                    })
                    .collect::<Result<_, _>>()?,
            )
        }
        (kind, DynamoValue::Number(n)) if kind.is_integer() => match n.to_i64() {
            Some(i) => Value::Int(i),
            None => Value::Number(n.as_str().to_owned()),
        },
        (kind, DynamoValue::Number(n)) if kind.is_float() => Value::Float(n.to_f64()),
        (_, other) => plain(other),
    })
}

/// A native value as a plain value (outside AttributeValues).
fn plain(v: &DynamoValue) -> Value {
    match v {
        DynamoValue::Null => Value::Null,
        DynamoValue::Bool(b) => Value::Bool(*b),
        DynamoValue::Number(n) => match n.to_i64() {
            Some(i) => Value::Int(i),
            None => Value::Number(n.as_str().to_owned()),
        },
        DynamoValue::String(s) => Value::String(s.clone()),
        DynamoValue::Binary(b) => Value::Blob(b.clone()),
        DynamoValue::StringSet(s) => Value::List(s.iter().map(|x| Value::String(x.clone())).collect()),
        DynamoValue::NumberSet(s) => Value::List(s.iter().map(|x| Value::String(x.as_str().to_owned())).collect()),
        DynamoValue::BinarySet(s) => Value::List(s.iter().map(|x| Value::Blob(x.clone())).collect()),
        DynamoValue::List(l) => Value::List(l.iter().map(plain).collect()),
        DynamoValue::Map(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), plain(v))).collect()),
    }
}

/// Turns the output of `operation` into native values (every
/// AttributeValue deserialized, everything else converted plainly).
pub fn deserialize_output(model: &ServiceModel, operation: &str, output: &Value) -> Result<DynamoValue, DynamoDbError> {
    let op = model
        .operation(operation)
        .map_err(|e| DynamoDbError::Params(e.to_string()))?
        .ok_or_else(|| DynamoDbError::Params(format!("dynamodb has no operation {operation}")))?;
    let shape = op.output.as_ref().map(|r| model.shape(r.shape));
    from_wire(model, shape, output)
}

fn from_wire(model: &ServiceModel, shape: Option<&Shape>, v: &Value) -> Result<DynamoValue, DynamoDbError> {
    if let Some(shape) = shape {
        if &*shape.name == "AttributeValue" && !v.is_null() {
            return TypeDeserializer.deserialize(v);
        }
    }
    Ok(match v {
        Value::Map(m) => {
            let mut out = Item::new();
            for (k, x) in m {
                let sub = shape.and_then(|s| match s.kind {
                    ShapeKind::Structure => s.member_named(k).map(|m| model.shape(m.target)),
                    ShapeKind::Map => s.value.as_ref().map(|m| model.shape(m.target)),
                    _ => None,
                });
                out.insert(k.clone(), from_wire(model, sub, x)?);
            }
            DynamoValue::Map(out)
        }
        Value::List(l) => {
            let member = shape.and_then(|s| s.member.as_ref()).map(|m| model.shape(m.target));
            DynamoValue::List(l.iter().map(|x| from_wire(model, member, x)).collect::<Result<_, _>>()?)
        }
        Value::Null | Value::Stream(_) => DynamoValue::Null,
        Value::Bool(b) => DynamoValue::Bool(*b),
        Value::Int(i) => DynamoValue::Number((*i).into()),
        Value::Float(x) => Number::from_f64_shortest(*x).map(DynamoValue::Number).unwrap_or(DynamoValue::Null),
        Value::Number(n) => match Number::new(n) {
            Ok(n) => DynamoValue::Number(n),
            Err(_) => DynamoValue::String(n.clone()),
        },
        Value::String(s) => DynamoValue::String(s.clone()),
        Value::Blob(b) => DynamoValue::Binary(b.clone()),
        Value::Timestamp(_) => DynamoValue::String(v.to_json().as_str().unwrap_or_default().to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::{item, Attr, Key};
    use boto_core::model::Loader;
    use boto_core::params;

    fn model() -> std::sync::Arc<ServiceModel> {
        Loader::embedded_only().service_model("dynamodb", None).unwrap()
    }

    #[test]
    fn query_filter_numbered_before_key_condition() {
        // boto3's test_key_and_attr_conditon_expression_with_placeholders,
        // on the real Query shapes.
        let p = Params::new()
            .value("TableName", "t")
            .condition("KeyConditionExpression", Key::new("foo").eq("bar"))
            .condition("FilterExpression", Attr::new("biz").eq("baz"))
            .value("ExpressionAttributeNames", params!({ "#a": "b" }))
            .native("ExpressionAttributeValues", item! { ":c" => "d" });
        let wire = serialize_input(&model(), "Query", p).unwrap();
        assert_eq!(
            wire,
            params!({
                "TableName": "t",
                "KeyConditionExpression": "#n1 = :v1",
                "FilterExpression": "#n0 = :v0",
                "ExpressionAttributeNames": { "#a": "b", "#n0": "biz", "#n1": "foo" },
                "ExpressionAttributeValues": { ":c": { "S": "d" }, ":v0": { "S": "baz" }, ":v1": { "S": "bar" } },
            })
        );
    }

    #[test]
    fn natives_serialized_by_shape() {
        let p = Params::new()
            .value("TableName", "t")
            .native("Item", item! { "id" => "u-1", "n" => 5, "nested" => item! { "x" => true } })
            .condition("ConditionExpression", Attr::new("id").not_exists())
            .value("ReturnValues", "ALL_OLD");
        let wire = serialize_input(&model(), "PutItem", p).unwrap();
        assert_eq!(
            wire,
            params!({
                "TableName": "t",
                "Item": { "id": { "S": "u-1" }, "n": { "N": "5" }, "nested": { "M": { "x": { "BOOL": true } } } },
                "ConditionExpression": "attribute_not_exists(#n0)",
                "ReturnValues": "ALL_OLD",
                "ExpressionAttributeNames": { "#n0": "id" },
            })
        );
        // Nested AttributeValues: BatchWriteItem's RequestItems, and plain
        // integers where the shape wants them (Limit).
        let p = Params::new().native(
            "RequestItems",
            item! { "t" => vec![DynamoValue::Map(item! { "PutRequest" => item! { "Item" => item! { "k" => 1 } } })] },
        );
        let wire = serialize_input(&model(), "BatchWriteItem", p).unwrap();
        assert_eq!(wire["RequestItems"]["t"][0]["PutRequest"]["Item"]["k"], params!({ "N": "1" }));
        let p = Params::new()
            .value("TableName", "t")
            .native("Limit", 10)
            .projection("ProjectionExpression", ["a.b", "c[1]"]);
        let wire = serialize_input(&model(), "Scan", p).unwrap();
        assert_eq!(wire["Limit"], params!(10));
        assert_eq!(wire["ProjectionExpression"], params!("#n0.#n1, #n2[1]"));
        assert_eq!(wire["ExpressionAttributeNames"], params!({ "#n0": "a", "#n1": "b", "#n2": "c" }));
    }

    #[test]
    fn errors() {
        let p = Params::new().value("TableName", "t").condition("KeyConditionExpression", Attr::new("a").eq(1));
        let err = serialize_input(&model(), "Query", p).unwrap_err();
        assert!(
            err.to_string().contains("KeyConditionExpression only supports Attribute objects of type Key"),
            "{err}"
        );
        let p = Params::new().value("TableName", "t").condition("TableName", Attr::new("a").eq(1));
        assert!(serialize_input(&model(), "Scan", p).is_err());
        assert!(serialize_input(&model(), "NoSuchOp", Params::new()).is_err());
    }

    #[test]
    fn outputs_deserialized() {
        let raw = params!({
            "Items": [ { "id": { "S": "a" }, "tags": { "SS": ["x"] } } ],
            "Count": 1,
            "LastEvaluatedKey": { "id": { "S": "a" } },
            "ConsumedCapacity": { "TableName": "t", "CapacityUnits": 0.5 },
        });
        let native = deserialize_output(&model(), "Query", &raw).unwrap();
        assert_eq!(native["Items"][0]["id"].as_str(), Some("a"));
        assert_eq!(native["Items"][0]["tags"].type_tag(), "SS");
        assert_eq!(native["Count"].as_i64(), Some(1));
        assert_eq!(native["LastEvaluatedKey"]["id"].as_str(), Some("a"));
        assert_eq!(native["ConsumedCapacity"]["CapacityUnits"].as_number().unwrap().as_str(), "0.5");
    }
}
