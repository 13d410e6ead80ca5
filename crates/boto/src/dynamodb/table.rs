//! The DynamoDB resource's high-level methods: [`Table`] (boto3's
//! `dynamodb.Table`) and [`DynamoDb`] (the service resource), taking and
//! returning native values, with conditions built and injected.

use std::marker::PhantomData;
use std::ops::Deref;
use std::pin::Pin;

use boto_core::{Client, Value};
use futures_core::Stream;
use indexmap::IndexMap;
use serde::de::DeserializeOwned;

use super::batch::BatchWriter;
use super::conditions::Condition;
use super::convert::from_item;
use super::transform::{deserialize_output, serialize_input, Param, Params, Response};
use super::types::{DynamoValue, Item};
use super::DynamoDbError;
use crate::error::Error;
use crate::resource::Resource;

/// Runs a high-level call: serialize, call, deserialize.
pub(crate) async fn call(client: &Client, operation: &str, params: Params) -> Result<Response, Error> {
    let operation = client.operation_name(operation)?.to_owned();
    let wire = serialize_input(client.model(), &operation, params)?;
    let raw = client.call(&operation, wire).await?;
    let native = deserialize_output(client.model(), &operation, &raw)?;
    Ok(Response { native, raw })
}

/// A DynamoDB table resource with boto3's high-level methods. Derefs to
/// the generic [`Resource`] (attributes such as `item_count`, actions,
/// waiters).
///
/// ```no_run
/// # async fn demo(ddb: boto::Resource) -> Result<(), boto::Error> {
/// use boto::dynamodb::{item, Attr, Key};
/// let table = ddb.table("users")?;
/// table.put_item(item! { "id" => "u-1", "age" => 42 })
///     .condition(Attr::new("id").not_exists())
///     .send()
///     .await?;
/// let got = table.get_item(item! { "id" => "u-1" }).send().await?;
/// assert_eq!(got.item.unwrap()["age"].as_i64(), Some(42));
/// let adults = table.scan().filter(Attr::new("age").gte(18)).send().await?;
/// # let _ = adults;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    resource: Resource,
    name: String,
}

impl Deref for Table {
    type Target = Resource;
    fn deref(&self) -> &Resource {
        &self.resource
    }
}

impl Table {
    /// Wraps a `dynamodb.Table` resource.
    pub fn new(resource: Resource) -> Result<Table, Error> {
        if resource.service_name() != "dynamodb" || resource.resource_name() != "Table" {
            return Err(Error::InvalidParams(format!("{} is not a dynamodb.Table", resource.display_name())));
        }
        let name = resource.id_str("name").unwrap_or_default().to_owned();
        Ok(Table { resource, name })
    }

    /// The table name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The generic resource.
    pub fn resource(&self) -> &Resource {
        &self.resource
    }

    /// Any operation, high-level: `TableName` is added unless given;
    /// native values, conditions and projections in `params` are handled
    /// as boto3's resource client handles them.
    pub async fn call(&self, operation: &str, mut params: Params) -> Result<Response, Error> {
        if !params.contains("TableName") {
            params.set("TableName", Param::Value(Value::String(self.name.clone())));
        }
        call(self.resource.client(), operation, params).await
    }

    fn request<O>(&self, operation: &'static str, first: Option<(&str, Param)>) -> Request<O> {
        let mut params = Params::new().value("TableName", self.name.clone());
        if let Some((k, v)) = first {
            params.set(k, v);
        }
        Request { client: self.resource.client().clone(), operation, params, _out: PhantomData }
    }

    /// GetItem by key.
    pub fn get_item(&self, key: Item) -> Request<GetItemOutput> {
        self.request("GetItem", Some(("Key", Param::Native(DynamoValue::Map(key)))))
    }

    /// PutItem.
    pub fn put_item(&self, item: Item) -> Request<WriteOutput> {
        self.request("PutItem", Some(("Item", Param::Native(DynamoValue::Map(item)))))
    }

    /// UpdateItem by key; give the update with
    /// [`Request::update_expression`] and its values with
    /// [`Request::value`].
    pub fn update_item(&self, key: Item) -> Request<WriteOutput> {
        self.request("UpdateItem", Some(("Key", Param::Native(DynamoValue::Map(key)))))
    }

    /// DeleteItem by key.
    pub fn delete_item(&self, key: Item) -> Request<WriteOutput> {
        self.request("DeleteItem", Some(("Key", Param::Native(DynamoValue::Map(key)))))
    }

    /// Query with a key condition made of [`super::Key`]s.
    pub fn query(&self, key_condition: impl Into<Condition>) -> Request<QueryOutput> {
        self.request("Query", Some(("KeyConditionExpression", Param::Condition(key_condition.into()))))
    }

    /// Scan.
    pub fn scan(&self) -> Request<QueryOutput> {
        self.request("Scan", None)
    }

    /// A batch writer for this table (boto3's `table.batch_writer()`).
    pub fn batch_writer(&self) -> BatchWriter {
        BatchWriter::new(self.resource.client().clone(), self.name.clone())
    }

    /// boto3's `batch_writer(overwrite_by_pkeys=[...])`.
    pub fn batch_writer_with_pkeys<S: Into<String>>(&self, pkeys: impl IntoIterator<Item = S>) -> BatchWriter {
        self.batch_writer().overwrite_by_pkeys(pkeys)
    }
}

/// A high-level request being built; [`Request::send`] runs it. `O` is
/// the output type.
#[must_use = "a request does nothing until sent"]
#[derive(Debug, Clone)]
pub struct Request<O> {
    client: Client,
    operation: &'static str,
    params: Params,
    _out: PhantomData<fn() -> O>,
}

/// Builds an output from a [`Response`].
pub trait FromResponse: Sized {
    /// The output.
    fn from_response(response: Response) -> Result<Self, DynamoDbError>;
}

impl<O: FromResponse> Request<O> {
    /// A `ConditionExpression`.
    pub fn condition(mut self, condition: impl Into<Condition>) -> Self {
        self.params.set("ConditionExpression", Param::Condition(condition.into()));
        self
    }

    /// A `ProjectionExpression` from attribute paths, with name
    /// placeholders.
    pub fn projection<S: Into<String>>(mut self, paths: impl IntoIterator<Item = S>) -> Self {
        self.params.set("ProjectionExpression", Param::Projection(paths.into_iter().map(Into::into).collect()));
        self
    }

    /// Adds to `ExpressionAttributeNames`.
    pub fn name(mut self, placeholder: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.params.add_name(placeholder, attribute);
        self
    }

    /// Adds to `ExpressionAttributeValues` (native).
    pub fn value(mut self, placeholder: impl Into<String>, value: impl Into<DynamoValue>) -> Self {
        self.params.add_value(placeholder, value);
        self
    }

    /// Any parameter, sent as it is (`ReturnConsumedCapacity`, ...).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.params.set(name, Param::Value(value.into()));
        self
    }

    /// Any parameter, native (serialized where the shape has
    /// AttributeValues).
    pub fn native(mut self, name: impl Into<String>, value: impl Into<DynamoValue>) -> Self {
        self.params.set(name, Param::Native(value.into()));
        self
    }

    /// `ReturnValues` (`ALL_OLD`, `ALL_NEW`, `UPDATED_NEW`, ...).
    pub fn return_values(self, which: &str) -> Self {
        self.param("ReturnValues", which)
    }

    /// `UpdateExpression` (UpdateItem).
    pub fn update_expression(self, expression: impl Into<String>) -> Self {
        self.param("UpdateExpression", Value::String(expression.into()))
    }

    /// `ConsistentRead`.
    pub fn consistent_read(self, on: bool) -> Self {
        self.param("ConsistentRead", on)
    }

    /// The parameters so far.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Sends the request.
    pub async fn send(self) -> Result<O, Error> {
        let response = call(&self.client, self.operation, self.params).await?;
        Ok(O::from_response(response)?)
    }
}

impl Request<QueryOutput> {
    /// A `FilterExpression`.
    pub fn filter(mut self, condition: impl Into<Condition>) -> Self {
        self.params.set("FilterExpression", Param::Condition(condition.into()));
        self
    }

    /// `Limit`: items evaluated per request.
    pub fn limit(self, limit: u32) -> Self {
        self.param("Limit", limit)
    }

    /// `IndexName`.
    pub fn index(self, index: impl Into<String>) -> Self {
        self.param("IndexName", Value::String(index.into()))
    }

    /// `ScanIndexForward` (Query): false for descending order.
    pub fn scan_index_forward(self, forward: bool) -> Self {
        self.param("ScanIndexForward", forward)
    }

    /// `ExclusiveStartKey`: continue after this key.
    pub fn exclusive_start_key(mut self, key: Item) -> Self {
        self.params.set("ExclusiveStartKey", Param::Native(DynamoValue::Map(key)));
        self
    }

    /// `Select` (`COUNT`, `ALL_ATTRIBUTES`, ...).
    pub fn select(self, select: &str) -> Self {
        self.param("Select", select)
    }

    /// Every page, following `LastEvaluatedKey` until the last.
    pub fn pages(self) -> Pin<Box<dyn Stream<Item = Result<QueryOutput, Error>> + Send>> {
        let state = Some(self);
        Box::pin(futures_util::stream::unfold(state, |state| async move {
            let request = state?;
            let next = request.clone();
            match request.send().await {
                Ok(page) => {
                    let following = page.last_evaluated_key.clone().map(|k| next.exclusive_start_key(k));
                    Some((Ok(page), following))
                }
                Err(e) => Some((Err(e), None)),
            }
        }))
    }

    /// Every item of every page.
    pub fn items(self) -> Pin<Box<dyn Stream<Item = Result<Item, Error>> + Send>> {
        use futures_util::StreamExt;
        Box::pin(self.pages().flat_map(|page| {
            let items: Vec<Result<Item, Error>> = match page {
                Ok(p) => p.items.into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            futures_util::stream::iter(items)
        }))
    }
}

fn item_at(native: &DynamoValue, key: &str) -> Option<Item> {
    native.get(key).and_then(DynamoValue::as_map).cloned()
}

/// GetItem's output.
#[derive(Debug, Clone, PartialEq)]
pub struct GetItemOutput {
    /// The item, if found.
    pub item: Option<Item>,
    /// The whole response.
    pub response: Response,
}

impl GetItemOutput {
    /// The item as your type (see [`super::from_item`]).
    pub fn item_as<T: DeserializeOwned>(&self) -> Result<Option<T>, DynamoDbError> {
        self.item.clone().map(from_item).transpose()
    }
}

impl FromResponse for GetItemOutput {
    fn from_response(response: Response) -> Result<Self, DynamoDbError> {
        Ok(GetItemOutput { item: item_at(&response.native, "Item"), response })
    }
}

/// PutItem's, UpdateItem's and DeleteItem's output.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteOutput {
    /// `Attributes`, when `ReturnValues` asked for them.
    pub attributes: Option<Item>,
    /// The whole response.
    pub response: Response,
}

impl FromResponse for WriteOutput {
    fn from_response(response: Response) -> Result<Self, DynamoDbError> {
        Ok(WriteOutput { attributes: item_at(&response.native, "Attributes"), response })
    }
}

/// Query's and Scan's output (one page).
#[derive(Debug, Clone, PartialEq)]
pub struct QueryOutput {
    /// The items.
    pub items: Vec<Item>,
    /// `Count`.
    pub count: i64,
    /// `ScannedCount`.
    pub scanned_count: i64,
    /// Where the next page starts, if there is one.
    pub last_evaluated_key: Option<Item>,
    /// The whole response.
    pub response: Response,
}

impl QueryOutput {
    /// The items as your type.
    pub fn items_as<T: DeserializeOwned>(&self) -> Result<Vec<T>, DynamoDbError> {
        self.items.iter().cloned().map(from_item).collect()
    }
}

impl FromResponse for QueryOutput {
    fn from_response(response: Response) -> Result<Self, DynamoDbError> {
        let n = &response.native;
        let items = n["Items"].as_list().unwrap_or_default().iter().filter_map(|i| i.as_map().cloned()).collect();
        Ok(QueryOutput {
            items,
            count: n["Count"].as_i64().unwrap_or(0),
            scanned_count: n["ScannedCount"].as_i64().unwrap_or(0),
            last_evaluated_key: item_at(n, "LastEvaluatedKey"),
            response,
        })
    }
}

/// The response itself.
impl FromResponse for Response {
    fn from_response(response: Response) -> Result<Self, DynamoDbError> {
        Ok(response)
    }
}

/// The DynamoDB service resource with boto3's high-level methods. Derefs
/// to the generic [`Resource`] (`tables` collection, `create_table`).
#[derive(Clone, Debug)]
pub struct DynamoDb {
    resource: Resource,
}

impl Deref for DynamoDb {
    type Target = Resource;
    fn deref(&self) -> &Resource {
        &self.resource
    }
}

impl DynamoDb {
    /// Wraps the `dynamodb` service resource.
    pub fn new(resource: Resource) -> Result<DynamoDb, Error> {
        if resource.service_name() != "dynamodb" || !resource.is_service_resource() {
            return Err(Error::InvalidParams(format!(
                "{} is not the dynamodb service resource",
                resource.display_name()
            )));
        }
        Ok(DynamoDb { resource })
    }

    /// A table (boto3's `dynamodb.Table(name)`).
    pub fn table(&self, name: &str) -> Result<Table, Error> {
        self.resource.table(name)
    }

    /// CreateTable (boto3's `dynamodb.create_table(**params)`), returning
    /// the table; wait for it with `table.wait_until("exists", ...)`.
    pub async fn create_table(&self, params: Value) -> Result<Table, Error> {
        let out = self.resource.action("CreateTable", params).await?;
        match out.into_resource() {
            Some(r) => Table::new(r),
            None => Err(Error::InvalidParams("CreateTable returned no table".into())),
        }
    }

    /// Any operation, high-level.
    pub async fn call(&self, operation: &str, params: Params) -> Result<Response, Error> {
        call(self.resource.client(), operation, params).await
    }

    /// BatchGetItem with native keys: add tables with
    /// [`BatchGetItem::keys`].
    pub fn batch_get_item(&self) -> BatchGetItem {
        BatchGetItem { client: self.resource.client().clone(), tables: IndexMap::new(), params: Params::new() }
    }
}

/// A BatchGetItem request (boto3's `dynamodb.batch_get_item`).
#[must_use = "a request does nothing until sent"]
#[derive(Debug, Clone)]
pub struct BatchGetItem {
    client: Client,
    tables: IndexMap<String, Item>,
    params: Params,
}

impl BatchGetItem {
    /// Keys to read from `table`.
    pub fn keys(mut self, table: &str, keys: impl IntoIterator<Item = Item>) -> Self {
        let entry = self.tables.entry(table.to_owned()).or_default();
        let mut list: Vec<DynamoValue> =
            entry.get("Keys").and_then(|k| k.as_list()).map(<[_]>::to_vec).unwrap_or_default();
        list.extend(keys.into_iter().map(DynamoValue::Map));
        entry.insert("Keys", DynamoValue::List(list));
        self
    }

    /// `ConsistentRead` for `table`.
    pub fn consistent_read(mut self, table: &str, on: bool) -> Self {
        self.tables.entry(table.to_owned()).or_default().insert("ConsistentRead", on);
        self
    }

    /// `ProjectionExpression` for `table`, with its own name placeholders.
    pub fn projection<S: AsRef<str>>(mut self, table: &str, paths: &[S]) -> Self {
        let built = super::conditions::ConditionExpressionBuilder::new().build_projection(paths);
        let entry = self.tables.entry(table.to_owned()).or_default();
        entry.insert("ProjectionExpression", built.condition_expression);
        let names: Item = built.attribute_name_placeholders.into_iter().collect();
        entry.insert("ExpressionAttributeNames", names);
        self
    }

    /// Any other top-level parameter, as it is.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.params.set(name, Param::Value(value.into()));
        self
    }

    /// Sends one request.
    pub async fn send(self) -> Result<BatchGetOutput, Error> {
        let tables: Item = self.tables.into_iter().map(|(k, v)| (k, DynamoValue::Map(v))).collect();
        let mut params = self.params;
        params.set("RequestItems", Param::Native(DynamoValue::Map(tables)));
        let response = call(&self.client, "BatchGetItem", params).await?;
        Ok(BatchGetOutput::from_response(response)?)
    }
}

/// BatchGetItem's output.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchGetOutput {
    /// Items read, by table.
    pub responses: IndexMap<String, Vec<Item>>,
    /// Keys not read this time, by table (send them again).
    pub unprocessed_keys: IndexMap<String, Vec<Item>>,
    /// The whole response.
    pub response: Response,
}

impl FromResponse for BatchGetOutput {
    fn from_response(response: Response) -> Result<Self, DynamoDbError> {
        let n = &response.native;
        let list = |v: &DynamoValue| -> Vec<Item> {
            v.as_list().unwrap_or_default().iter().filter_map(|i| i.as_map().cloned()).collect()
        };
        let responses = n["Responses"].as_map().map(|m| m.iter().map(|(k, v)| (k.clone(), list(v))).collect());
        let unprocessed =
            n["UnprocessedKeys"].as_map().map(|m| m.iter().map(|(k, v)| (k.clone(), list(&v["Keys"]))).collect());
        Ok(BatchGetOutput {
            responses: responses.unwrap_or_default(),
            unprocessed_keys: unprocessed.unwrap_or_default(),
            response,
        })
    }
}
