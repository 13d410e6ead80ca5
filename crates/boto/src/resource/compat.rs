//! The botocore layer's paginators and waiters, as resources use them.

use boto_core::{Client, Value};

use crate::error::Error;

/// Runs client waiter `waiter` with `params`.
pub(crate) async fn wait(client: &Client, waiter: &str, params: Value) -> Result<(), Error> {
    let _ = (client, params);
    Err(Error::InvalidParams(format!("waiter {waiter}: the waiter API is not available yet")))
}
