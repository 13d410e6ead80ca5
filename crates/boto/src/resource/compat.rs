//! The botocore layer's paginators and waiters, as resources use them.

use std::pin::Pin;

use boto_core::paginate::PaginationConfig;
use boto_core::waiter::WaiterConfig;
use boto_core::{Client, Value};
use futures_core::Stream;
use futures_util::StreamExt;

use crate::error::Error;

/// Raw response pages.
pub(crate) type RawPages = Pin<Box<dyn Stream<Item = Result<Value, Error>> + Send + 'static>>;

/// Runs client waiter `waiter` with `params` (which may hold boto3's
/// `WaiterConfig` member).
pub(crate) async fn wait(client: &Client, waiter: &str, params: Value) -> Result<(), Error> {
    client.wait(waiter, params, WaiterConfig::default()).await?;
    Ok(())
}

/// The pages of `operation`: through its paginator when it has one
/// (boto3's `PaginationConfig={'MaxItems': limit, 'PageSize': page_size}`),
/// else one call.
pub(crate) fn pages(
    client: &Client,
    operation: &str,
    params: Value,
    limit: Option<usize>,
    page_size: Option<usize>,
) -> Result<RawPages, Error> {
    if client.can_paginate(operation) {
        let config = PaginationConfig {
            max_items: limit.map(|n| n as u64),
            page_size: page_size.map(|n| n as u64),
            starting_token: None,
        };
        tracing::debug!(operation, ?config, "collection: paginated");
        let paginator = client.paginate(operation, params, config)?;
        return Ok(Box::pin(paginator.map(|page| page.map_err(Error::from))));
    }
    tracing::debug!(operation, "collection: one request");
    let client = client.clone();
    let operation = operation.to_owned();
    Ok(Box::pin(futures_util::stream::once(async move { client.call(&operation, params).await.map_err(Error::from) })))
}
