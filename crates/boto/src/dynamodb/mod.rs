//! DynamoDB's high-level interface (boto3's `boto3.dynamodb`):
//!
//! * native values ([`DynamoValue`], [`Item`], [`Number`] exact to 38
//!   digits, [`StringSet`], [`NumberSet`], [`BinarySet`]) and their
//!   conversion to and from AttributeValue maps ([`TypeSerializer`],
//!   [`TypeDeserializer`]) and your own serde types ([`to_item`],
//!   [`from_item`]);
//! * condition builders ([`Key`], [`Attr`], `&`, `|`, `!`) and the
//!   expression builder with boto3's placeholder names
//!   ([`ConditionExpressionBuilder`]);
//! * the table helpers ([`Table::get_item`], [`Table::put_item`],
//!   [`Table::update_item`], [`Table::delete_item`], [`Table::query`],
//!   [`Table::scan`], [`DynamoDb::batch_get_item`]) that build and inject
//!   the expressions and (de)serialize as boto3's `TransformationInjector`
//!   does ([`transform`]);
//! * the [`BatchWriter`].
//!
//! The generic resource surface (`table.action("PutItem", params)`)
//! speaks the wire form, like a client; the helpers here speak native
//! values.
//!
//! ```no_run
//! # async fn demo() -> Result<(), boto::Error> {
//! use boto::dynamodb::{item, Attr, Key};
//! let session = boto::Session::builder().region("us-east-1").build()?;
//! let table = session.dynamodb()?.table("orders")?;
//! table.put_item(item! { "customer" => "c-1", "order" => 1, "total" => 25 }).send().await?;
//! let page = table
//!     .query(Key::new("customer").eq("c-1") & Key::new("order").between(1, 10))
//!     .filter(Attr::new("total").gt(20))
//!     .send()
//!     .await?;
//! for order in &page.items {
//!     println!("{:?}", order["total"]);
//! }
//! # Ok(())
//! # }
//! ```

mod batch;
mod conditions;
mod convert;
mod number;
mod table;
pub mod transform;
mod types;

pub use crate::__dynamodb_item as item;
pub use batch::{BatchWriter, WriteRequest};
pub use conditions::{
    Attr, AttrKind, AttrPath, BuiltExpression, Comparator, Condition, ConditionExpressionBuilder,
    DynamoDBNeedsKeyCondition, Key, Operand, Size,
};
pub use convert::{from_dynamo_value, from_item, to_dynamo_value, to_item};
pub use number::{Number, NumberError};
pub use table::{
    BatchGetItem, BatchGetOutput, DynamoDb, FromResponse, GetItemOutput, QueryOutput, Request, Table, WriteOutput,
};
pub use transform::{Param, Params, Response};
pub use types::{BinarySet, DynamoValue, Item, NumberSet, StringSet, TypeDeserializer, TypeSerializer};

/// What can go wrong with DynamoDB values, conditions and high-level
/// requests.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DynamoDbError {
    /// A number that is not a valid DynamoDB number.
    #[error(transparent)]
    Number(#[from] NumberError),
    /// An empty set (DynamoDB cannot store one).
    #[error("an empty {0} set cannot be stored: DynamoDB sets must have at least one element")]
    EmptySet(String),
    /// A value with no DynamoDB type.
    #[error("unsupported type: {0}")]
    Unsupported(String),
    /// An AttributeValue that cannot be read.
    #[error("{0}")]
    Deserialize(String),
    /// A serde conversion failed.
    #[error("{0}")]
    Serde(String),
    /// A key condition used an [`Attr`].
    #[error(transparent)]
    NeedsKeyCondition(#[from] DynamoDBNeedsKeyCondition),
    /// High-level parameters that do not fit the operation.
    #[error("{0}")]
    Params(String),
    /// The batch writer kept getting every item back unprocessed.
    #[error("batch writer for {table}: DynamoDB left every item unprocessed {rounds} times in a row; {pending} requests are still buffered")]
    Unprocessed {
        /// The table.
        table: String,
        /// Rounds in a row without progress.
        rounds: u32,
        /// Requests still buffered.
        pending: usize,
    },
}
