//! DynamoDB.

/// Errors.
#[derive(Debug, thiserror::Error)]
pub enum DynamoDbError {
    /// x
    #[error("x")]
    X,
}

/// A table.
#[derive(Debug, Clone)]
pub struct Table(crate::Resource);
impl Table {
    /// new
    pub fn new(r: crate::Resource) -> Result<Table, crate::Error> { Ok(Table(r)) }
}
