//! Paginators: every operation that a service's `paginators-1.json`
//! describes, page by page, as botocore's `Paginator` and `PageIterator`
//! run them.
//!
//! [`Client::paginate`] returns a [`Paginator`]: an async
//! [`Stream`](futures_core::Stream) of pages (each page is the operation's
//! result, truncated where [`PaginationConfig::max_items`] cuts it), with
//! [`Paginator::build_full_result`] to aggregate the result keys of every
//! page into one result (with `NextToken` when truncated, exactly as
//! boto3's `build_full_result`), and [`Paginator::search`] to run a
//! JMESPath expression over every page. The blocking client has the same
//! methods returning iterators ([`blocking::Paginator`]).
//!
//! Resume tokens are botocore's: base64 of a JSON object with the
//! service's tokens and, when a page was cut by `max_items`,
//! `boto_truncate_amount`. A token from boto3 resumes here and the other
//! way round (see [`token`]).
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use boto_core::paginate::PaginationConfig;
//! use boto_core::{params, Client, Stubber};
//!
//! let client = Client::builder("dynamodb").region("us-east-1")
//!     .credentials(boto_core::credentials::Credentials::new("AKID", "secret", None))
//!     .build().unwrap();
//! let stubber = Stubber::new();
//! let client = stubber.activate(&client);
//! stubber.add_response("ListTables", params!({ "TableNames": ["t-a", "t-b"], "LastEvaluatedTableName": "t-b" }), None);
//! stubber.add_response("ListTables", params!({ "TableNames": ["t-c"] }), None);
//!
//! assert!(client.can_paginate("list_tables"));
//! let all = client.paginate("ListTables", params!({}), PaginationConfig::default()).unwrap()
//!     .build_full_result().await.unwrap();
//! assert_eq!(all, params!({ "TableNames": ["t-a", "t-b", "t-c"] }));
//! # });
//! ```

pub mod blocking;
mod spec;
pub mod token;

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

pub use spec::{paginator_document, PaginatorSpec};

use crate::client::Client;
use crate::error::Error;
use crate::jmes::{compile, Expression, JmesError};
use crate::model::ShapeKind;
use crate::value::{Map, Value};

/// Why pagination could not start or go on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PaginationError {
    /// The operation has no paginator (boto3's `OperationNotPageableError`).
    #[error("Operation cannot be paginated: {operation} ({service} has no paginator for it)")]
    NotPageable {
        /// The service.
        service: String,
        /// The operation asked for.
        operation: String,
    },
    /// `page_size` was given for a paginator without a `limit_key`.
    #[error("PageSize parameter is not supported for the pagination interface for this operation.")]
    PageSizeNotSupported,
    /// The starting token cannot be read, or a resume token would not have
    /// the paginator's input tokens.
    #[error("{0}")]
    BadStartingToken(String),
    /// The service sent the same next token twice in a row.
    #[error("The same next token was received twice: {0}")]
    RepeatedToken(String),
    /// The paginator's configuration is not usable.
    #[error("invalid paginator configuration: {0}")]
    Config(String),
    /// A paginator or search expression failed.
    #[error(transparent)]
    Expression(JmesError),
}

/// How to paginate (boto3's `PaginationConfig`).
///
/// ```
/// let config = boto_core::paginate::PaginationConfig { max_items: Some(10), ..Default::default() };
/// assert_eq!(config.page_size, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaginationConfig {
    /// Stop after this many items of the first result key, cutting a page
    /// if needed; the aggregated result then carries a `NextToken` to
    /// resume from.
    pub max_items: Option<u64>,
    /// Ask for pages of this many items (sets the paginator's
    /// `limit_key`).
    pub page_size: Option<u64>,
    /// Resume from a `NextToken` of an earlier pagination (ours or
    /// boto3's).
    pub starting_token: Option<String>,
}

impl PaginationConfig {
    /// Takes boto3's `PaginationConfig` member (`MaxItems`, `PageSize`,
    /// `StartingToken`) out of `params`, if present, and fills the fields
    /// of `self` that are unset from it.
    ///
    /// ```
    /// use boto_core::{params, paginate::PaginationConfig};
    /// let mut p = params!({ "Bucket": "b", "PaginationConfig": { "MaxItems": 5, "StartingToken": "t" } });
    /// let c = PaginationConfig::default().merge_from_params(&mut p);
    /// assert_eq!((c.max_items, c.starting_token.as_deref()), (Some(5), Some("t")));
    /// assert!(p.get("PaginationConfig").is_none());
    /// ```
    pub fn merge_from_params(mut self, params: &mut Value) -> PaginationConfig {
        let Some(Value::Map(cfg)) = params.as_map_mut().and_then(|m| m.shift_remove("PaginationConfig")) else {
            return self;
        };
        let num = |v: Option<&Value>| -> Option<u64> {
            v.and_then(|v| match v {
                Value::String(s) => s.trim().parse().ok(),
                other => other.as_i64().and_then(|i| u64::try_from(i).ok()),
            })
        };
        self.max_items = self.max_items.or_else(|| num(cfg.get("MaxItems")));
        self.page_size = self.page_size.or_else(|| num(cfg.get("PageSize")));
        if self.starting_token.is_none() {
            self.starting_token = cfg.get("StartingToken").and_then(Value::as_str).map(str::to_owned);
        }
        self
    }
}

impl Client {
    /// True when `operation` (model or boto3 name) has a paginator.
    ///
    /// ```
    /// let s3 = boto_core::Client::builder("s3").region("us-east-1").build().unwrap();
    /// assert!(s3.can_paginate("list_objects_v2"));
    /// assert!(!s3.can_paginate("PutObject"));
    /// ```
    pub fn can_paginate(&self, operation: &str) -> bool {
        matches!(self.paginator_spec(operation), Ok(Some(_)))
    }

    /// The paginator of `operation` (model or boto3 name), `None` when it
    /// has none.
    pub fn paginator_spec(&self, operation: &str) -> Result<Option<PaginatorSpec>, Error> {
        let name = self.operation_name(operation)?;
        let model = self.model();
        let Some(doc) = paginator_document(self.loader(), model.service_name(), Some(model.api_version()))? else {
            return Ok(None);
        };
        Ok(PaginatorSpec::from_document(&doc, name)?)
    }

    /// The model names of every operation with a paginator, sorted.
    pub fn paginated_operations(&self) -> Result<Vec<String>, Error> {
        let model = self.model();
        let Some(doc) = paginator_document(self.loader(), model.service_name(), Some(model.api_version()))? else {
            return Ok(Vec::new());
        };
        let mut names: Vec<String> =
            doc.get("pagination").and_then(|p| p.as_object()).map(|o| o.keys().cloned().collect()).unwrap_or_default();
        names.sort();
        Ok(names)
    }

    /// Paginates `operation` (model or boto3 name) with `params` (which
    /// may hold boto3's `PaginationConfig` member; `config` wins where
    /// both set a field). Fails at once when the operation has no
    /// paginator, the page size is not supported, or the starting token
    /// cannot be read; the calls happen as the pages are read.
    ///
    /// ```no_run
    /// # async fn demo(s3: boto_core::Client) -> Result<(), boto_core::Error> {
    /// use boto_core::{params, paginate::PaginationConfig};
    /// let config = PaginationConfig { page_size: Some(1000), ..Default::default() };
    /// let mut pages = s3.paginate("ListObjectsV2", params!({ "Bucket": "b" }), config)?;
    /// while let Some(page) = pages.next_page().await {
    ///     for obj in page?["Contents"].as_list().unwrap_or(&[]) {
    ///         println!("{}", obj["Key"]);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn paginate(&self, operation: &str, mut params: Value, config: PaginationConfig) -> Result<Paginator, Error> {
        let name = self.operation_name(operation)?.to_owned();
        let spec = self.paginator_spec(&name)?.ok_or_else(|| PaginationError::NotPageable {
            service: self.service_name().to_owned(),
            operation: operation.to_owned(),
        })?;
        if params.is_null() {
            params = Value::map();
        }
        let config = config.merge_from_params(&mut params);
        let page_size = match config.page_size {
            None => None,
            Some(size) => {
                let limit_key = spec.limit_key.as_deref().ok_or(PaginationError::PageSizeNotSupported)?;
                Some((limit_key.to_owned(), self.page_size_value(&name, limit_key, size)?))
            }
        };
        Paginator::new(self.clone(), spec, params, config, page_size)
    }

    /// The page size as the limit member's type wants it (a string for
    /// string members, as botocore does).
    fn page_size_value(&self, operation: &str, limit_key: &str, size: u64) -> Result<Value, Error> {
        let model = self.model();
        let is_string = model
            .operation(operation)?
            .and_then(|op| op.input.as_ref())
            .and_then(|input| model.shape(input.shape).member_named(limit_key))
            .is_some_and(|m| matches!(model.shape(m.target).kind, ShapeKind::String));
        Ok(if is_string { Value::String(size.to_string()) } else { Value::Int(size as i64) })
    }
}

/// Python's truthiness, which botocore applies to tokens and
/// `more_results`: false for null, `false`, zero and empty values.
fn py_truthy(v: &Value) -> bool {
    match v {
        Value::Int(0) => false,
        Value::Float(f) => *f != 0.0,
        Value::Number(n) => n.parse::<f64>().ok() != Some(0.0),
        other => crate::jmes::is_truthy(other),
    }
}

/// The length botocore takes of a result key's value (`len()`): items of
/// a list, characters of a string, entries of a map; 0 otherwise.
fn py_len(v: &Value) -> usize {
    match v {
        Value::List(l) => l.len(),
        Value::String(s) => s.chars().count(),
        Value::Map(m) => m.len(),
        _ => 0,
    }
}

/// Python's `seq[start:]` and `seq[:end]` bounds for a possibly negative
/// index.
fn py_index(i: i64, len: usize) -> usize {
    if i < 0 {
        len.saturating_sub(i.unsigned_abs() as usize)
    } else {
        (i as usize).min(len)
    }
}

/// `v[start..end]` for lists and strings (by characters); `None` for
/// anything else.
fn py_slice(v: &Value, start: i64, end: Option<i64>) -> Option<Value> {
    match v {
        Value::List(l) => {
            let (a, b) = (py_index(start, l.len()), end.map_or(l.len(), |e| py_index(e, l.len())));
            Some(Value::List(if a < b { l[a..b].to_vec() } else { Vec::new() }))
        }
        Value::String(s) => {
            let n = s.chars().count();
            let (a, b) = (py_index(start, n), end.map_or(n, |e| py_index(e, n)));
            Some(Value::String(s.chars().skip(a).take(b.saturating_sub(a)).collect()))
        }
        _ => None,
    }
}

/// botocore's `set_value_from_jmespath`: sets a dotted path, creating maps
/// on the way.
fn set_path(target: &mut Value, path: &str, value: Value) -> Result<(), PaginationError> {
    let mut cur = target;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        if part.is_empty() {
            return Err(PaginationError::Config(format!("cannot set {path:?}")));
        }
        if cur.is_null() {
            *cur = Value::map();
        }
        let Some(map) = cur.as_map_mut() else {
            return Err(PaginationError::Config(format!("cannot set {path:?}: {part} is inside a non-map")));
        };
        if parts.peek().is_none() {
            map.insert(part.to_owned(), value);
            return Ok(());
        }
        cur = map.entry(part.to_owned()).or_insert_with(Value::map);
    }
    Ok(())
}

/// A mutable reference to a dotted path's value, if present.
fn get_path_mut<'a>(target: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    path.split('.').try_fold(target, |cur, part| cur.get_mut(part))
}

/// botocore's `merge_dicts` (without list appending).
fn merge_maps(into: &mut Map, from: &Map) {
    for (k, v) in from {
        match (v, into.get_mut(k)) {
            (Value::Map(src), Some(Value::Map(dst))) => merge_maps(dst, src),
            _ => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

fn search(expr: &Expression, v: &Value) -> Result<Value, Error> {
    expr.search(v).map_err(|e| PaginationError::Expression(e).into())
}

/// The state of a pagination between pages: what botocore's
/// `PageIterator.__iter__` keeps in its local variables.
struct PageState {
    client: Client,
    spec: Arc<PaginatorSpec>,
    kwargs: Value,
    next_token: Map,
    previous_next_token: Option<Map>,
    /// The starting token's service tokens and truncation amount.
    starting: Option<(Map, i64)>,
    starting_truncation: i64,
    max_items: Option<u64>,
    total_items: u64,
    first_request: bool,
    resume_token: Option<String>,
    non_aggregate_part: Map,
    /// An error to yield after the page that revealed it.
    pending: Option<Error>,
    done: bool,
}

type PageFuture = Pin<Box<dyn Future<Output = (Box<PageState>, Result<Value, Error>)> + Send>>;

/// The pages of one pagination: an async [`Stream`](futures_core::Stream)
/// of `Result<Value, Error>` (see the [module documentation](self)).
/// After an error the stream ends.
pub struct Paginator {
    state: Option<Box<PageState>>,
    in_flight: Option<PageFuture>,
}

impl std::fmt::Debug for Paginator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Paginator");
        if let Some(s) = &self.state {
            d.field("operation", &s.spec.operation).field("done", &s.done).field("resume_token", &s.resume_token);
        } else {
            d.field("in_flight", &true);
        }
        d.finish()
    }
}

/// botocore's fallback for starting tokens that are not base64 JSON:
/// `token1___token2___index`, or the service's own token.
fn parse_deprecated_token(token: &str, input_token: &[String]) -> Result<(Map, i64), PaginationError> {
    let mut parts: Vec<&str> = token.split("___").collect();
    let mut index = 0;
    if parts.len() == input_token.len() + 1 {
        match parts.last().and_then(|p| p.trim().parse::<i64>().ok()) {
            Some(i) => {
                index = i;
                parts.pop();
            }
            None => parts = vec![token],
        }
    }
    if parts.len() > input_token.len() {
        return Err(PaginationError::BadStartingToken(format!("Bad starting token: {token}")));
    }
    let mut map = Map::new();
    for (i, name) in input_token.iter().enumerate() {
        let v = match parts.get(i) {
            Some(&"None") | None => Value::Null,
            Some(p) => Value::String((*p).to_owned()),
        };
        map.insert(name.clone(), v);
    }
    Ok((map, index))
}

/// The service tokens and truncation amount of a starting token.
fn parse_starting_token(token: &str, input_token: &[String]) -> Result<(Map, i64), PaginationError> {
    match token::decode(token) {
        None => parse_deprecated_token(token, input_token),
        Some(Err(e)) => Err(PaginationError::BadStartingToken(e)),
        Some(Ok(mut map)) => {
            let index = match map.shift_remove(token::TRUNCATE_AMOUNT) {
                None => 0,
                Some(v) => v.as_i64().ok_or_else(|| {
                    PaginationError::BadStartingToken(format!("Bad starting token: {token}: bad boto_truncate_amount"))
                })?,
            };
            Ok((map, index))
        }
    }
}

/// Sets or removes the service tokens in the call's parameters.
fn inject_tokens(kwargs: &mut Value, tokens: &Map) {
    let Some(m) = kwargs.as_map_mut() else { return };
    for (name, t) in tokens {
        if !t.is_null() && t.as_str() != Some("None") {
            m.insert(name.clone(), t.clone());
        } else {
            m.shift_remove(name);
        }
    }
}

impl Paginator {
    fn new(
        client: Client,
        spec: PaginatorSpec,
        mut kwargs: Value,
        config: PaginationConfig,
        page_size: Option<(String, Value)>,
    ) -> Result<Paginator, Error> {
        let starting = match &config.starting_token {
            Some(t) => Some(parse_starting_token(t, &spec.input_token)?),
            None => None,
        };
        let next_token = match &starting {
            Some((tokens, _)) => tokens.clone(),
            None => spec.input_token.iter().map(|k| (k.clone(), Value::Null)).collect(),
        };
        if let Some((tokens, _)) = &starting {
            inject_tokens(&mut kwargs, tokens);
        }
        if let (Some((key, size)), Some(m)) = (page_size, kwargs.as_map_mut()) {
            m.insert(key, size);
        }
        let state = PageState {
            client,
            spec: Arc::new(spec),
            kwargs,
            next_token,
            previous_next_token: None,
            starting,
            starting_truncation: 0,
            max_items: config.max_items,
            total_items: 0,
            first_request: true,
            resume_token: None,
            non_aggregate_part: Map::new(),
            pending: None,
            done: false,
        };
        Ok(Paginator { state: Some(Box::new(state)), in_flight: None })
    }

    /// The paginator's configuration.
    pub fn spec(&self) -> Option<&PaginatorSpec> {
        self.state.as_ref().map(|s| &*s.spec)
    }

    /// The token to resume from, once pagination stopped at `max_items`
    /// (botocore's `resume_token`); `None` before that or when every page
    /// was read.
    pub fn resume_token(&self) -> Option<&str> {
        self.state.as_ref().and_then(|s| s.resume_token.as_deref())
    }

    /// The non-aggregate keys of the first page (botocore's
    /// `non_aggregate_part`).
    pub fn non_aggregate_part(&self) -> Option<&Map> {
        self.state.as_ref().map(|s| &s.non_aggregate_part)
    }

    /// The next page; `None` after the last one (or after an error).
    pub async fn next_page(&mut self) -> Option<Result<Value, Error>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Value, Error>>> {
        if let Some(fut) = self.in_flight.as_mut() {
            let (state, result) = match fut.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(r) => r,
            };
            self.in_flight = None;
            self.state = Some(state);
            return Poll::Ready(Some(result));
        }
        let Some(state) = self.state.as_mut() else { return Poll::Ready(None) };
        if let Some(e) = state.pending.take() {
            return Poll::Ready(Some(Err(e)));
        }
        if state.done {
            return Poll::Ready(None);
        }
        let Some(mut state) = self.state.take() else { return Poll::Ready(None) };
        self.in_flight = Some(Box::pin(async move {
            let result = state.fetch().await;
            if result.is_err() {
                state.done = true;
            }
            (state, result)
        }));
        self.poll_page(cx)
    }

    /// Reads every page and aggregates them as boto3's
    /// `build_full_result`: each result key's values concatenated (lists)
    /// or added (numbers, strings), the first page's non-aggregate keys,
    /// and `NextToken` when `max_items` stopped the pagination early.
    pub async fn build_full_result(mut self) -> Result<Value, Error> {
        let mut complete = Value::map();
        let result_keys = self.spec().map(|s| s.result_key.clone()).unwrap_or_default();
        while let Some(page) = self.next_page().await {
            aggregate(&mut complete, &page?, &result_keys)?;
        }
        Ok(self.finish_full_result(complete))
    }

    fn finish_full_result(&self, mut complete: Value) -> Value {
        if let (Some(m), Some(part)) = (complete.as_map_mut(), self.non_aggregate_part()) {
            merge_maps(m, part);
        }
        if let (Some(m), Some(t)) = (complete.as_map_mut(), self.resume_token()) {
            m.insert("NextToken".into(), Value::String(t.to_owned()));
        }
        complete
    }

    /// Runs `expression` over every page and yields what it finds, each
    /// element separately when the result is a list (botocore's
    /// `PageIterator.search`).
    ///
    /// ```no_run
    /// # async fn demo(s3: boto_core::Client) -> Result<(), boto_core::Error> {
    /// use boto_core::{params, paginate::PaginationConfig};
    /// let mut keys = s3.paginate("ListObjectsV2", params!({ "Bucket": "b" }), PaginationConfig::default())?
    ///     .search("Contents[?Size > `100`].Key")?;
    /// while let Some(key) = keys.next_item().await {
    ///     println!("{}", key?);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn search(self, expression: &str) -> Result<PageSearch, Error> {
        let expr = compile(expression).map_err(PaginationError::Expression)?;
        Ok(PageSearch { pages: self, expr, buffer: VecDeque::new() })
    }
}

/// Adds one page to an aggregated result (the loop body of botocore's
/// `build_full_result`).
fn aggregate(complete: &mut Value, page: &Value, result_keys: &[Arc<Expression>]) -> Result<(), Error> {
    for expr in result_keys {
        let value = search(expr, page)?;
        if value.is_null() {
            continue;
        }
        let path = expr.as_str();
        let Some(existing) = get_path_mut(complete, path).filter(|v| !v.is_null()) else {
            set_path(complete, path, value)?;
            continue;
        };
        match (existing, value) {
            (Value::List(have), Value::List(more)) => have.extend(more),
            (Value::Int(a), Value::Int(b)) => *a = a.saturating_add(b),
            (Value::String(a), Value::String(b)) => a.push_str(&b),
            (a @ (Value::Int(_) | Value::Float(_)), b @ (Value::Int(_) | Value::Float(_))) => {
                *a = Value::Float(a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0));
            }
            _ => {}
        }
    }
    Ok(())
}

impl futures_core::Stream for Paginator {
    type Item = Result<Value, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The matches of a JMESPath expression over every page (see
/// [`Paginator::search`]): an async [`Stream`](futures_core::Stream).
pub struct PageSearch {
    pages: Paginator,
    expr: Arc<Expression>,
    buffer: VecDeque<Value>,
}

impl std::fmt::Debug for PageSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageSearch").field("expression", &self.expr.as_str()).field("pages", &self.pages).finish()
    }
}

impl PageSearch {
    /// The next match; `None` after the last page.
    pub async fn next_item(&mut self) -> Option<Result<Value, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Value, Error>>> {
        loop {
            if let Some(v) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(v)));
            }
            let page = match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => page,
            };
            match search(&self.expr, &page) {
                Err(e) => return Poll::Ready(Some(Err(e))),
                Ok(Value::List(items)) => self.buffer.extend(items),
                Ok(other) => return Poll::Ready(Some(Ok(other))),
            }
        }
    }

    /// The pagination underneath (for its resume token).
    pub fn paginator(&self) -> &Paginator {
        &self.pages
    }
}

impl futures_core::Stream for PageSearch {
    type Item = Result<Value, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl PageState {
    async fn fetch(&mut self) -> Result<Value, Error> {
        let operation = self.spec.operation.clone();
        let mut parsed = self.client.call(&operation, self.kwargs.clone()).await?;
        self.after_page(&mut parsed)?;
        Ok(parsed)
    }

    /// What botocore's `PageIterator.__iter__` does with a page: trim the
    /// first page of a resumed pagination, cut the page at `max_items`,
    /// and work out the next request (or why there is none).
    fn after_page(&mut self, parsed: &mut Value) -> Result<(), Error> {
        let spec = self.spec.clone();
        let primary = spec.result_key.first();
        if self.first_request {
            if let (Some((_, truncation)), Some(primary)) = (&self.starting, primary) {
                self.starting_truncation = *truncation;
                self.handle_first_request(parsed, primary)?;
            }
            self.first_request = false;
            self.record_non_aggregate(parsed)?;
        } else {
            self.starting_truncation = 0;
        }
        let count = match primary {
            Some(p) => py_len(&search(p, parsed)?) as u64,
            None => 0,
        };
        if let Some(max) = self.max_items {
            let over = (self.total_items + count).saturating_sub(max);
            if over > 0 {
                if let Some(primary) = primary {
                    self.truncate(parsed, primary, count, over)?;
                }
                self.done = true;
                return Ok(());
            }
        }
        self.total_items += count;
        let next = self.next_tokens(parsed)?;
        self.next_token = next.clone();
        if next.values().all(Value::is_null) {
            self.done = true;
        } else if self.max_items == Some(self.total_items) {
            self.resume_token = Some(self.encode_resume(&next)?);
            self.done = true;
        } else if self.previous_next_token.as_ref() == Some(&next) {
            self.pending = Some(PaginationError::RepeatedToken(Value::Map(next).to_string()).into());
            self.done = true;
        } else {
            inject_tokens(&mut self.kwargs, &next);
            self.previous_next_token = Some(next);
        }
        Ok(())
    }

    fn handle_first_request(&mut self, parsed: &mut Value, primary: &Expression) -> Result<(), Error> {
        let all = search(primary, parsed)?;
        let data = py_slice(&all, self.starting_truncation, None).unwrap_or(Value::Null);
        set_path(parsed, primary.as_str(), data)?;
        for other in self.spec.result_key.iter().skip(1) {
            let sample = search(other, parsed)?;
            let empty = match sample {
                Value::List(_) => Value::List(Vec::new()),
                Value::String(_) => Value::String(String::new()),
                n @ (Value::Int(_) | Value::Float(_) | Value::Number(_) | Value::Bool(_)) => n,
                _ => Value::Null,
            };
            set_path(parsed, other.as_str(), empty)?;
        }
        Ok(())
    }

    fn record_non_aggregate(&mut self, parsed: &Value) -> Result<(), Error> {
        let mut part = Value::map();
        for expr in &self.spec.non_aggregate_keys {
            let v = search(expr, parsed)?;
            set_path(&mut part, expr.as_str(), v)?;
        }
        if let Value::Map(m) = part {
            self.non_aggregate_part = m;
        }
        Ok(())
    }

    fn truncate(&mut self, parsed: &mut Value, primary: &Expression, count: u64, over: u64) -> Result<(), Error> {
        let original = search(primary, parsed)?;
        let keep = count as i64 - over as i64;
        let truncated = py_slice(&original, 0, Some(keep)).unwrap_or(Value::List(Vec::new()));
        set_path(parsed, primary.as_str(), truncated)?;
        let mut token = self.next_token.clone();
        token.insert(token::TRUNCATE_AMOUNT.into(), Value::Int(keep + self.starting_truncation));
        self.resume_token = Some(self.encode_resume(&token)?);
        Ok(())
    }

    /// botocore's `resume_token` setter: the token must hold exactly the
    /// input tokens (and the truncation amount).
    fn encode_resume(&self, token: &Map) -> Result<String, Error> {
        let mut want: Vec<&str> = self.spec.input_token.iter().map(String::as_str).collect();
        if token.contains_key(token::TRUNCATE_AMOUNT) {
            want.push(token::TRUNCATE_AMOUNT);
        }
        want.sort_unstable();
        let mut have: Vec<&str> = token.keys().map(String::as_str).collect();
        have.sort_unstable();
        if want != have {
            return Err(PaginationError::BadStartingToken(format!(
                "Bad starting token: {}",
                Value::Map(token.clone())
            ))
            .into());
        }
        Ok(token::encode(token))
    }

    fn next_tokens(&self, parsed: &Value) -> Result<Map, Error> {
        if let Some(more) = &self.spec.more_results {
            if !py_truthy(&search(more, parsed)?) {
                return Ok(Map::new());
            }
        }
        let mut tokens = Map::new();
        for (output, input) in self.spec.output_token.iter().zip(&self.spec.input_token) {
            let t = search(output, parsed)?;
            tokens.insert(input.clone(), if py_truthy(&t) { t } else { Value::Null });
        }
        Ok(tokens)
    }
}

#[cfg(test)]
mod tests;
