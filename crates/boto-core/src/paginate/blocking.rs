//! Paginators on the blocking client: the same pagination as
//! [`Paginator`](super::Paginator), as iterators.
//!
//! ```
//! use boto_core::paginate::PaginationConfig;
//! use boto_core::{blocking, params, Stubber};
//!
//! let client = blocking::Client::builder("s3").region("us-east-1")
//!     .credentials(boto_core::credentials::Credentials::new("AKID", "secret", None))
//!     .build().unwrap();
//! let stubber = Stubber::new();
//! let client = blocking::Client::from_async(stubber.activate(client.as_async()), client.runtime().clone());
//! stubber.add_response("ListObjectsV2", params!({
//!     "Contents": [{ "Key": "a" }, { "Key": "b" }], "IsTruncated": true, "NextContinuationToken": "t1" }), None);
//! stubber.add_response("ListObjectsV2", params!({ "Contents": [{ "Key": "c" }], "IsTruncated": false }), None);
//!
//! let pages = client.paginate("list_objects_v2", params!({ "Bucket": "b" }), PaginationConfig::default()).unwrap();
//! let keys: Vec<String> = pages.search("Contents[].Key").unwrap()
//!     .map(|k| k.unwrap().as_str().unwrap().to_owned()).collect();
//! assert_eq!(keys, ["a", "b", "c"]);
//! ```

use crate::blocking::{Client, Runtime};
use crate::error::Error;
use crate::value::Value;

use super::{PageSearch, PaginationConfig, PaginatorSpec};

/// The pages of one pagination on the blocking client: an [`Iterator`] of
/// `Result<Value, Error>` (see [`super::Paginator`]).
#[derive(Debug)]
pub struct Paginator {
    inner: super::Paginator,
    rt: Runtime,
}

impl Client {
    /// True when `operation` has a paginator (see
    /// [`crate::Client::can_paginate`]).
    pub fn can_paginate(&self, operation: &str) -> bool {
        self.as_async().can_paginate(operation)
    }

    /// The paginator of `operation`, `None` when it has none.
    pub fn paginator_spec(&self, operation: &str) -> Result<Option<PaginatorSpec>, Error> {
        self.as_async().paginator_spec(operation)
    }

    /// Paginates `operation` (see [`crate::Client::paginate`]).
    pub fn paginate(&self, operation: &str, params: Value, config: PaginationConfig) -> Result<Paginator, Error> {
        Ok(Paginator { inner: self.as_async().paginate(operation, params, config)?, rt: self.runtime().clone() })
    }
}

impl Paginator {
    /// The token to resume from once `max_items` stopped the pagination.
    pub fn resume_token(&self) -> Option<&str> {
        self.inner.resume_token()
    }

    /// The async paginator inside.
    pub fn as_async(&mut self) -> &mut super::Paginator {
        &mut self.inner
    }

    /// Reads every page and aggregates them (see
    /// [`super::Paginator::build_full_result`]).
    pub fn build_full_result(self) -> Result<Value, Error> {
        self.rt.block_on(self.inner.build_full_result())?
    }

    /// The matches of `expression` over every page, each element of a
    /// list result separately (see [`super::Paginator::search`]).
    pub fn search(self, expression: &str) -> Result<SearchIter, Error> {
        Ok(SearchIter { inner: self.inner.search(expression)?, rt: self.rt })
    }
}

impl Iterator for Paginator {
    type Item = Result<Value, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.rt.block_on(self.inner.next_page()) {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        }
    }
}

/// The matches of a search over every page (see [`Paginator::search`]).
#[derive(Debug)]
pub struct SearchIter {
    inner: PageSearch,
    rt: Runtime,
}

impl Iterator for SearchIter {
    type Item = Result<Value, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.rt.block_on(self.inner.next_item()) {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        }
    }
}
