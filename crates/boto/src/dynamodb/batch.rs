//! The batch writer (boto3's `table.batch_writer()`).

use std::time::Duration;

use boto_core::{Client, Map, Value};

use super::types::{Item, TypeDeserializer, TypeSerializer};
use super::DynamoDbError;
use crate::error::Error;

/// One buffered write.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteRequest {
    /// PutRequest with this item.
    Put(Item),
    /// DeleteRequest with this key.
    Delete(Item),
}

impl WriteRequest {
    fn attributes(&self) -> &Item {
        match self {
            WriteRequest::Put(i) | WriteRequest::Delete(i) => i,
        }
    }

    fn to_wire(&self) -> Result<Value, DynamoDbError> {
        let (kind, member, item) = match self {
            WriteRequest::Put(i) => ("PutRequest", "Item", i),
            WriteRequest::Delete(k) => ("DeleteRequest", "Key", k),
        };
        let mut inner = Map::new();
        inner.insert(member.into(), TypeSerializer.serialize_item(item)?);
        let mut outer = Map::new();
        outer.insert(kind.into(), Value::Map(inner));
        Ok(Value::Map(outer))
    }

    fn from_wire(v: &Value) -> Result<WriteRequest, DynamoDbError> {
        if let Some(item) = v.get("PutRequest").and_then(|p| p.get("Item")) {
            return Ok(WriteRequest::Put(TypeDeserializer.deserialize_item(item)?));
        }
        if let Some(key) = v.get("DeleteRequest").and_then(|d| d.get("Key")) {
            return Ok(WriteRequest::Delete(TypeDeserializer.deserialize_item(key)?));
        }
        Err(DynamoDbError::Deserialize(format!("not a write request: {v}")))
    }
}

/// Buffers puts and deletes for one table and sends them with
/// BatchWriteItem, 25 at a time (boto3's `BatchWriter`):
///
/// * items the service leaves unprocessed go back at the end of the buffer
///   and are sent again, after a pause that doubles while the service
///   keeps leaving items unprocessed (50 ms up to 5 s by default);
/// * with [`BatchWriter::overwrite_by_pkeys`], a new request replaces a
///   buffered one for the same key (DynamoDB refuses two in one batch);
/// * a failed request puts its items back in the buffer and returns the
///   error: nothing is dropped, and [`BatchWriter::flush`] or
///   [`BatchWriter::close`] can try again.
///
/// **Always finish with [`BatchWriter::close`]`.await`**, which sends
/// everything left and reports errors. An async writer cannot send from
/// `Drop`: dropping one with requests still buffered logs an error (with
/// `tracing`) naming how many were lost. The blocking writer
/// ([`crate::blocking::dynamodb::BatchWriter`]) flushes in `Drop`, best
/// effort, logging failures.
///
/// ```no_run
/// # async fn demo(table: boto::dynamodb::Table) -> Result<(), boto::Error> {
/// use boto::dynamodb::item;
/// let mut writer = table.batch_writer();
/// for i in 0..1000 {
///     writer.put_item(item! { "id" => i, "n" => i * 2 }).await?;
/// }
/// writer.delete_item(item! { "id" => 7 }).await?;
/// writer.close().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct BatchWriter {
    client: Client,
    table: String,
    buffer: Vec<WriteRequest>,
    flush_amount: usize,
    overwrite_by_pkeys: Option<Vec<String>>,
    base_delay: Duration,
    max_delay: Duration,
    max_stalled_rounds: u32,
    /// Consecutive rounds that left items unprocessed.
    unprocessed_rounds: u32,
    /// Consecutive rounds in which nothing at all was written.
    stalled_rounds: u32,
    requests_sent: u64,
}

impl BatchWriter {
    /// A writer for `table` through `client` (a DynamoDB client).
    pub fn new(client: Client, table: impl Into<String>) -> BatchWriter {
        BatchWriter {
            client,
            table: table.into(),
            buffer: Vec::new(),
            flush_amount: 25,
            overwrite_by_pkeys: None,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(5),
            max_stalled_rounds: 20,
            unprocessed_rounds: 0,
            stalled_rounds: 0,
            requests_sent: 0,
        }
    }

    /// Replace a buffered request whose values for these key attributes
    /// equal a new one's (boto3's `overwrite_by_pkeys`).
    pub fn overwrite_by_pkeys<S: Into<String>>(mut self, pkeys: impl IntoIterator<Item = S>) -> BatchWriter {
        self.overwrite_by_pkeys = Some(pkeys.into_iter().map(Into::into).collect());
        self
    }

    /// Requests per BatchWriteItem (1 to 25; default 25).
    pub fn flush_amount(mut self, n: usize) -> BatchWriter {
        self.flush_amount = n.clamp(1, 25);
        self
    }

    /// The pause before re-sending unprocessed items, doubling per round
    /// up to `max` (defaults 50 ms and 5 s).
    pub fn backoff(mut self, base: Duration, max: Duration) -> BatchWriter {
        self.base_delay = base;
        self.max_delay = max.max(base);
        self
    }

    /// How many rounds in a row may write nothing at all before
    /// [`BatchWriter::flush`] gives up with an error (default 20); the
    /// requests stay buffered.
    pub fn max_stalled_rounds(mut self, n: u32) -> BatchWriter {
        self.max_stalled_rounds = n.max(1);
        self
    }

    /// The table.
    pub fn table_name(&self) -> &str {
        &self.table
    }

    /// Requests buffered and not yet written.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }

    /// BatchWriteItem calls made so far.
    pub fn requests_sent(&self) -> u64 {
        self.requests_sent
    }

    /// The buffered requests.
    pub fn buffered(&self) -> &[WriteRequest] {
        &self.buffer
    }

    /// Buffers a put (sending a batch when 25 are buffered).
    pub async fn put_item(&mut self, item: Item) -> Result<(), Error> {
        self.add(WriteRequest::Put(item)).await
    }

    /// Buffers a delete (sending a batch when 25 are buffered).
    pub async fn delete_item(&mut self, key: Item) -> Result<(), Error> {
        self.add(WriteRequest::Delete(key)).await
    }

    /// Adds a request without sending anything (the blocking writer's
    /// building block).
    pub(crate) fn push(&mut self, request: WriteRequest) {
        if let Some(pkeys) = &self.overwrite_by_pkeys {
            let key_of = |r: &WriteRequest| -> Vec<Option<super::DynamoValue>> {
                pkeys.iter().map(|k| r.attributes().get(k).cloned()).collect()
            };
            let new_key = key_of(&request);
            self.buffer.retain(|old| {
                let same = key_of(old) == new_key;
                if same {
                    tracing::debug!(table = %self.table, "overwrite_by_pkeys: replacing a buffered request");
                }
                !same
            });
        }
        self.buffer.push(request);
    }

    async fn add(&mut self, request: WriteRequest) -> Result<(), Error> {
        self.push(request);
        if self.buffer.len() >= self.flush_amount {
            self.flush_once().await?;
        }
        Ok(())
    }

    /// Sends one batch of up to `flush_amount` requests (boto3's
    /// `_flush`): unprocessed ones go back at the end of the buffer.
    pub(crate) async fn flush_once(&mut self) -> Result<(), Error> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        if self.unprocessed_rounds > 0 {
            let factor = 1u32 << (self.unprocessed_rounds - 1).min(16);
            let delay = self.base_delay.saturating_mul(factor).min(self.max_delay);
            tracing::debug!(table = %self.table, ?delay, "backing off before re-sending unprocessed items");
            tokio::time::sleep(delay).await;
        }
        let n = self.flush_amount.min(self.buffer.len());
        let batch: Vec<WriteRequest> = self.buffer.drain(..n).collect();
        let wire: Result<Vec<Value>, DynamoDbError> = batch.iter().map(WriteRequest::to_wire).collect();
        let wire = match wire {
            Ok(w) => w,
            Err(e) => {
                self.restore(batch);
                return Err(e.into());
            }
        };
        let mut items = Map::new();
        items.insert(self.table.clone(), Value::List(wire));
        let mut params = Map::new();
        params.insert("RequestItems".into(), Value::Map(items));
        self.requests_sent += 1;
        let response = match self.client.call("BatchWriteItem", Value::Map(params)).await {
            Ok(r) => r,
            Err(e) => {
                self.restore(batch);
                return Err(e.into());
            }
        };
        let unprocessed: Vec<WriteRequest> = match response["UnprocessedItems"][self.table.as_str()].as_list() {
            Some(list) => list.iter().map(WriteRequest::from_wire).collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        if unprocessed.is_empty() {
            self.unprocessed_rounds = 0;
            self.stalled_rounds = 0;
        } else {
            self.unprocessed_rounds += 1;
            if unprocessed.len() >= batch.len() {
                self.stalled_rounds += 1;
            } else {
                self.stalled_rounds = 0;
            }
        }
        tracing::debug!(table = %self.table, sent = batch.len(), unprocessed = unprocessed.len(), "batch write");
        self.buffer.extend(unprocessed);
        Ok(())
    }

    /// Puts a failed batch back at the front, in order.
    fn restore(&mut self, batch: Vec<WriteRequest>) {
        let rest = std::mem::take(&mut self.buffer);
        self.buffer = batch;
        self.buffer.extend(rest);
    }

    /// Sends everything buffered, re-sending unprocessed items until all
    /// are written (boto3's `__exit__`). Fails after
    /// [`BatchWriter::max_stalled_rounds`] rounds that wrote nothing, or
    /// on a request error; the unsent requests stay buffered.
    pub async fn flush(&mut self) -> Result<(), Error> {
        while !self.buffer.is_empty() {
            self.flush_once().await?;
            if self.stalled_rounds >= self.max_stalled_rounds {
                let pending = self.buffer.len();
                self.stalled_rounds = 0;
                return Err(DynamoDbError::Unprocessed {
                    table: self.table.clone(),
                    rounds: self.max_stalled_rounds,
                    pending,
                }
                .into());
            }
        }
        Ok(())
    }

    /// Sends everything left (the end of boto3's `with` block). On error
    /// the unsent requests stay buffered: call it again, or take them out
    /// with [`BatchWriter::take_buffered`]; nothing is lost silently.
    pub async fn close(&mut self) -> Result<(), Error> {
        self.flush().await
    }

    /// Takes the buffered requests out (after a failed close, say).
    pub fn take_buffered(&mut self) -> Vec<WriteRequest> {
        std::mem::take(&mut self.buffer)
    }
}

impl Drop for BatchWriter {
    fn drop(&mut self) {
        if !self.buffer.is_empty() {
            tracing::error!(
                table = %self.table,
                unsent = self.buffer.len(),
                "dynamodb BatchWriter dropped with unsent requests: call close().await to send them"
            );
        }
    }
}
