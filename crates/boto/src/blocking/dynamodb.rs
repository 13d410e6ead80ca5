//! DynamoDB's high-level interface, blocking (see [`crate::dynamodb`]).
//!
//! ```no_run
//! use boto::blocking::Session;
//! use boto::dynamodb::{item, Key};
//!
//! let session = Session::builder().region("us-east-1").build()?;
//! let table = session.dynamodb()?.table("users")?;
//! table.put_item(item! { "id" => "u-1", "age" => 42 }).send()?;
//! let page = table.query(Key::new("id").eq("u-1")).send()?;
//! assert_eq!(page.items.len(), 1);
//! {
//!     let mut writer = table.batch_writer();
//!     for i in 0..100 {
//!         writer.put_item(item! { "id" => format!("u-{i}") })?;
//!     }
//!     writer.close()?; // or let it drop: Drop flushes, logging failures
//! }
//! # Ok::<(), boto::Error>(())
//! ```

use std::time::Duration;

use boto_core::blocking::Runtime;
use boto_core::Value;

use super::{run, Resource};
use crate::dynamodb::{
    self as ddb, BatchGetOutput, Condition, DynamoValue, FromResponse, Item, Params, QueryOutput, Response,
    WriteRequest,
};
use crate::error::Error;

/// The DynamoDB service resource, blocking.
#[derive(Clone, Debug)]
pub struct DynamoDb {
    inner: ddb::DynamoDb,
    rt: Runtime,
}

impl DynamoDb {
    /// Wraps an async one; use it only on `rt`.
    pub fn new(inner: ddb::DynamoDb, rt: Runtime) -> DynamoDb {
        DynamoDb { inner, rt }
    }

    /// The generic resource.
    pub fn resource(&self) -> Resource {
        Resource::from_async((*self.inner).clone(), self.rt.clone())
    }

    /// A table.
    pub fn table(&self, name: &str) -> Result<Table, Error> {
        Ok(Table::new(self.inner.table(name)?, self.rt.clone()))
    }

    /// CreateTable, returning the table.
    pub fn create_table(&self, params: Value) -> Result<Table, Error> {
        Ok(Table::new(run(&self.rt, self.inner.create_table(params))?, self.rt.clone()))
    }

    /// Any operation, high-level.
    pub fn call(&self, operation: &str, params: Params) -> Result<Response, Error> {
        run(&self.rt, self.inner.call(operation, params))
    }

    /// BatchGetItem with native keys.
    pub fn batch_get_item(&self) -> BatchGetItem {
        BatchGetItem { inner: self.inner.batch_get_item(), rt: self.rt.clone() }
    }
}

/// A table, blocking.
#[derive(Clone, Debug)]
pub struct Table {
    inner: ddb::Table,
    rt: Runtime,
}

impl Table {
    /// Wraps an async table; use it only on `rt`.
    pub fn new(inner: ddb::Table, rt: Runtime) -> Table {
        Table { inner, rt }
    }

    /// The table name.
    pub fn name(&self) -> &str {
        self.inner.name()
    }

    /// The generic resource (attributes, actions, waiters).
    pub fn resource(&self) -> Resource {
        Resource::from_async(self.inner.resource().clone(), self.rt.clone())
    }

    /// The async table inside.
    pub fn as_async(&self) -> &ddb::Table {
        &self.inner
    }

    /// Any operation, high-level (`TableName` added).
    pub fn call(&self, operation: &str, params: Params) -> Result<Response, Error> {
        run(&self.rt, self.inner.call(operation, params))
    }

    fn wrap<O>(&self, inner: ddb::Request<O>) -> Request<O> {
        Request { inner, rt: self.rt.clone() }
    }

    /// GetItem.
    pub fn get_item(&self, key: Item) -> Request<ddb::GetItemOutput> {
        self.wrap(self.inner.get_item(key))
    }

    /// PutItem.
    pub fn put_item(&self, item: Item) -> Request<ddb::WriteOutput> {
        self.wrap(self.inner.put_item(item))
    }

    /// UpdateItem.
    pub fn update_item(&self, key: Item) -> Request<ddb::WriteOutput> {
        self.wrap(self.inner.update_item(key))
    }

    /// DeleteItem.
    pub fn delete_item(&self, key: Item) -> Request<ddb::WriteOutput> {
        self.wrap(self.inner.delete_item(key))
    }

    /// Query.
    pub fn query(&self, key_condition: impl Into<Condition>) -> Request<QueryOutput> {
        self.wrap(self.inner.query(key_condition))
    }

    /// Scan.
    pub fn scan(&self) -> Request<QueryOutput> {
        self.wrap(self.inner.scan())
    }

    /// A batch writer; it flushes when dropped.
    pub fn batch_writer(&self) -> BatchWriter {
        BatchWriter { inner: Some(self.inner.batch_writer()), rt: self.rt.clone() }
    }

    /// A batch writer de-duplicating by these key attributes.
    pub fn batch_writer_with_pkeys<S: Into<String>>(&self, pkeys: impl IntoIterator<Item = S>) -> BatchWriter {
        BatchWriter { inner: Some(self.inner.batch_writer_with_pkeys(pkeys)), rt: self.rt.clone() }
    }

    /// Waits with a table waiter (`exists`, `not_exists`).
    pub fn wait_until(&self, name: &str, params: Value) -> Result<(), Error> {
        run(&self.rt, self.inner.wait_until(name, params))
    }
}

/// A high-level request, blocking (see [`crate::dynamodb::Request`]).
#[must_use = "a request does nothing until sent"]
#[derive(Debug, Clone)]
pub struct Request<O> {
    inner: ddb::Request<O>,
    rt: Runtime,
}

macro_rules! forward {
    ($($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        $(#[$doc])*
        pub fn $name(self, $($arg: $ty),*) -> Self {
            Request { inner: self.inner.$name($($arg),*), rt: self.rt }
        }
    )*};
}

impl<O: FromResponse> Request<O> {
    forward! {
        /// A `ConditionExpression`.
        condition(condition: impl Into<Condition>);
        /// Adds to `ExpressionAttributeNames`.
        name(placeholder: impl Into<String>, attribute: impl Into<String>);
        /// Adds to `ExpressionAttributeValues`.
        value(placeholder: impl Into<String>, value: impl Into<DynamoValue>);
        /// Any parameter, as it is.
        param(name: impl Into<String>, value: impl Into<Value>);
        /// Any parameter, native.
        native(name: impl Into<String>, value: impl Into<DynamoValue>);
        /// `ReturnValues`.
        return_values(which: &str);
        /// `UpdateExpression`.
        update_expression(expression: impl Into<String>);
        /// `ConsistentRead`.
        consistent_read(on: bool);
    }

    /// A `ProjectionExpression` from attribute paths.
    pub fn projection<S: Into<String>>(self, paths: impl IntoIterator<Item = S>) -> Self {
        Request { inner: self.inner.projection(paths), rt: self.rt }
    }

    /// Sends the request.
    pub fn send(self) -> Result<O, Error> {
        run(&self.rt, self.inner.send())
    }
}

impl Request<QueryOutput> {
    forward! {
        /// A `FilterExpression`.
        filter(condition: impl Into<Condition>);
        /// `Limit`.
        limit(limit: u32);
        /// `IndexName`.
        index(index: impl Into<String>);
        /// `ScanIndexForward`.
        scan_index_forward(forward: bool);
        /// `ExclusiveStartKey`.
        exclusive_start_key(key: Item);
        /// `Select`.
        select(select: &str);
    }

    /// Every item of every page, following `LastEvaluatedKey`.
    pub fn items(self) -> impl Iterator<Item = Result<Item, Error>> {
        use futures_util::StreamExt;
        let rt = self.rt.clone();
        let mut stream = self.inner.items();
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            match rt.block_on(stream.next()) {
                Ok(Some(item)) => {
                    done = item.is_err();
                    Some(item)
                }
                Ok(None) => {
                    done = true;
                    None
                }
                Err(e) => {
                    done = true;
                    Some(Err(Error::Core(e)))
                }
            }
        })
    }
}

/// BatchGetItem, blocking.
#[must_use = "a request does nothing until sent"]
#[derive(Debug, Clone)]
pub struct BatchGetItem {
    inner: ddb::BatchGetItem,
    rt: Runtime,
}

impl BatchGetItem {
    /// Keys to read from `table`.
    pub fn keys(self, table: &str, keys: impl IntoIterator<Item = Item>) -> Self {
        BatchGetItem { inner: self.inner.keys(table, keys), rt: self.rt }
    }

    /// `ConsistentRead` for `table`.
    pub fn consistent_read(self, table: &str, on: bool) -> Self {
        BatchGetItem { inner: self.inner.consistent_read(table, on), rt: self.rt }
    }

    /// `ProjectionExpression` for `table`.
    pub fn projection<S: AsRef<str>>(self, table: &str, paths: &[S]) -> Self {
        BatchGetItem { inner: self.inner.projection(table, paths), rt: self.rt }
    }

    /// Sends one request.
    pub fn send(self) -> Result<BatchGetOutput, Error> {
        run(&self.rt, self.inner.send())
    }
}

/// The batch writer, blocking (see [`crate::dynamodb::BatchWriter`]).
///
/// Dropping it flushes what is buffered, best effort: failures (and being
/// dropped inside an async runtime, where it cannot block) are logged with
/// `tracing` at error level, naming how many requests were not written.
/// Call [`BatchWriter::close`] to get the errors instead.
#[derive(Debug)]
pub struct BatchWriter {
    inner: Option<ddb::BatchWriter>,
    rt: Runtime,
}

impl BatchWriter {
    fn writer(&mut self) -> Result<&mut ddb::BatchWriter, Error> {
        self.inner.as_mut().ok_or_else(|| Error::InvalidParams("the batch writer is closed".into()))
    }

    /// Replace buffered requests with the same values for these keys.
    pub fn overwrite_by_pkeys<S: Into<String>>(mut self, pkeys: impl IntoIterator<Item = S>) -> Self {
        self.inner = self.inner.take().map(|w| w.overwrite_by_pkeys(pkeys));
        self
    }

    /// Requests per BatchWriteItem (1 to 25).
    pub fn flush_amount(mut self, n: usize) -> Self {
        self.inner = self.inner.take().map(|w| w.flush_amount(n));
        self
    }

    /// The pause before re-sending unprocessed items.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.inner = self.inner.take().map(|w| w.backoff(base, max));
        self
    }

    /// Requests not yet written.
    pub fn pending(&self) -> usize {
        self.inner.as_ref().map_or(0, ddb::BatchWriter::pending)
    }

    /// Buffers a put.
    pub fn put_item(&mut self, item: Item) -> Result<(), Error> {
        let rt = self.rt.clone();
        let w = self.writer()?;
        run(&rt, w.put_item(item))
    }

    /// Buffers a delete.
    pub fn delete_item(&mut self, key: Item) -> Result<(), Error> {
        let rt = self.rt.clone();
        let w = self.writer()?;
        run(&rt, w.delete_item(key))
    }

    /// Sends everything buffered.
    pub fn flush(&mut self) -> Result<(), Error> {
        let rt = self.rt.clone();
        let w = self.writer()?;
        run(&rt, w.flush())
    }

    /// Sends everything left; on error the requests stay buffered (and
    /// `Drop` tries once more).
    pub fn close(&mut self) -> Result<(), Error> {
        self.flush()
    }

    /// Takes the unsent requests out.
    pub fn take_buffered(&mut self) -> Vec<WriteRequest> {
        self.inner.as_mut().map(ddb::BatchWriter::take_buffered).unwrap_or_default()
    }
}

impl Drop for BatchWriter {
    fn drop(&mut self) {
        let Some(mut writer) = self.inner.take() else { return };
        if writer.pending() == 0 {
            return;
        }
        match self.rt.block_on(writer.flush()) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(
                table = writer.table_name(),
                unsent = writer.pending(),
                error = %e,
                "dynamodb BatchWriter: flushing on drop failed"
            ),
            Err(e) => tracing::error!(
                table = writer.table_name(),
                unsent = writer.pending(),
                error = %e,
                "dynamodb BatchWriter: cannot flush on drop"
            ),
        }
    }
}
