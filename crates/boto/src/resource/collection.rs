//! Collections (boto3's `hasMany`): iterable, filterable groups of
//! resources, paginated when the operation can paginate.

use std::pin::Pin;

use boto_core::{Map, Value};
use futures_core::Stream;
use futures_util::StreamExt;

use super::model::ActionDef;
use super::{params, response, ActionOutput, Category, Resource};
use crate::error::Error;

/// A stream of collection pages.
pub type PageStream = Pin<Box<dyn Stream<Item = Result<Vec<Resource>, Error>> + Send + 'static>>;

/// A stream of resources.
pub type ResourceStream = Pin<Box<dyn Stream<Item = Result<Resource, Error>> + Send + 'static>>;

use super::compat::RawPages;

/// A collection of resources (boto3's `bucket.objects`): the request
/// parameters come from the parent resource, [`Collection::filter`] adds
/// more, and iterating makes the requests (one per page). Every method
/// returns a new collection; nothing is sent until iteration.
///
/// ```no_run
/// # async fn demo(s3: boto::resource::Resource) -> Result<(), boto::Error> {
/// use futures_util::TryStreamExt;
/// let bucket = s3.bucket("b")?;
/// let logs: Vec<_> = bucket
///     .collection("objects")?
///     .filter(boto::params!({ "Prefix": "logs/" }))
///     .limit(100)
///     .stream()
///     .try_collect()
///     .await?;
/// # let _ = logs;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Collection {
    parent: Resource,
    name: String,
    def: ActionDef,
    params: Map,
    limit: Option<usize>,
    page_size: Option<usize>,
    /// A bad `filter` argument, reported when the collection is used.
    invalid: Option<String>,
}

impl Collection {
    pub(crate) fn new(parent: Resource, name: String, def: ActionDef) -> Result<Collection, Error> {
        if def.request.is_none() || def.resource.is_none() {
            return Err(parent.invalid(&format!("collection {name} lacks a request or a resource")));
        }
        Ok(Collection { parent, name, def, params: Map::new(), limit: None, page_size: None, invalid: None })
    }

    /// The collection's model name (`Objects`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The type of the resources it yields (`ObjectSummary`).
    pub fn resource_type(&self) -> &str {
        self.def.resource.as_ref().map_or("", |r| r.type_name.as_str())
    }

    /// The resource it belongs to.
    pub fn parent(&self) -> &Resource {
        &self.parent
    }

    /// The operation it calls (`ListObjects`).
    pub fn operation(&self) -> &str {
        self.def.request.as_ref().map_or("", |r| r.operation.as_str())
    }

    /// The extra request parameters given so far.
    pub fn params(&self) -> &Map {
        &self.params
    }

    /// The limit set with [`Collection::limit`].
    pub fn limit_value(&self) -> Option<usize> {
        self.limit
    }

    /// The page size set with [`Collection::page_size`].
    pub fn page_size_value(&self) -> Option<usize> {
        self.page_size
    }

    /// Every resource (boto3's `all()`): a copy of this collection.
    pub fn all(&self) -> Collection {
        self.clone()
    }

    /// Adds request parameters (a map), merged over the ones given before
    /// (lists are appended, as boto3 does).
    pub fn filter(&self, params: Value) -> Collection {
        let mut out = self.clone();
        match params {
            Value::Map(m) => params::merge_params(&mut out.params, &m),
            Value::Null => {}
            other => out.invalid = Some(format!("collection filters must be a map, not a {}", other.kind())),
        }
        out
    }

    /// At most `count` resources in all.
    pub fn limit(&self, count: usize) -> Collection {
        Collection { limit: Some(count), ..self.clone() }
    }

    /// Asks for `count` resources per page (when the operation paginates).
    pub fn page_size(&self, count: usize) -> Collection {
        Collection { page_size: Some(count), ..self.clone() }
    }

    /// The request parameters: from the parent, then the filters.
    async fn request_params(&self) -> Result<Value, Error> {
        if let Some(msg) = &self.invalid {
            return Err(Error::InvalidParams(msg.clone()));
        }
        let request = self.def.request.as_ref().ok_or_else(|| self.parent.invalid("collection without request"))?;
        let mut p = Value::map();
        self.parent.create_request_parameters(request, &mut p, None).await?;
        if let Some(map) = p.as_map_mut() {
            params::merge_params(map, &self.params);
        }
        Ok(p)
    }

    /// The raw response pages: the paginator's, or one call's.
    fn raw_pages(&self, params: Value) -> Result<RawPages, Error> {
        tracing::debug!(collection = %self.name, "collection request");
        super::compat::pages(self.parent.client(), self.operation(), params, self.limit, self.page_size)
    }

    /// The pages (boto3's `pages()`): each a list of resources, limited
    /// to [`Collection::limit`] in all.
    pub fn pages(&self) -> PageStream {
        struct State {
            collection: Collection,
            raw: Option<RawPages>,
            params: Value,
            count: usize,
            done: bool,
        }
        let state = State { collection: self.clone(), raw: None, params: Value::Null, count: 0, done: false };
        Box::pin(futures_util::stream::unfold(state, |mut st| async move {
            if st.done {
                return None;
            }
            if st.collection.limit == Some(0) {
                return None;
            }
            if st.raw.is_none() {
                let started =
                    st.collection.request_params().await.and_then(|p| Ok((st.collection.raw_pages(p.clone())?, p)));
                match started {
                    Ok((raw, p)) => {
                        st.raw = Some(raw);
                        st.params = p;
                    }
                    Err(e) => {
                        st.done = true;
                        return Some((Err(e), st));
                    }
                }
            }
            let page = st.raw.as_mut()?.next().await?;
            let page = match page {
                Ok(p) => p,
                Err(e) => {
                    st.done = true;
                    return Some((Err(e), st));
                }
            };
            let target = st.collection.def.resource.clone()?;
            let op = st.collection.operation().to_owned();
            let made =
                response::handle(&st.collection.parent, &target, target.path.as_deref(), Some(&op), &st.params, &page)
                    .await;
            let mut items = match made {
                Ok(out) => out.into_resources(),
                Err(e) => {
                    st.done = true;
                    return Some((Err(e), st));
                }
            };
            if let Some(limit) = st.collection.limit {
                let room = limit.saturating_sub(st.count);
                items.truncate(room);
                if st.count + items.len() >= limit {
                    st.done = true;
                }
            }
            st.count += items.len();
            Some((Ok(items), st))
        }))
    }

    /// The resources one by one (boto3's iteration).
    pub fn stream(&self) -> ResourceStream {
        Box::pin(self.pages().flat_map(|page| {
            let items: Vec<Result<Resource, Error>> = match page {
                Ok(items) => items.into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            futures_util::stream::iter(items)
        }))
    }

    /// Every resource, collected (boto3's `list(collection)`).
    pub async fn to_vec(&self) -> Result<Vec<Resource>, Error> {
        let mut out = Vec::new();
        let mut pages = self.pages();
        while let Some(page) = pages.next().await {
            out.extend(page?);
        }
        Ok(out)
    }

    /// boto3's names of the batch actions (`delete`).
    pub fn batch_action_names(&self) -> Vec<String> {
        self.target_model().map(|m| m.boto3_names(Category::BatchAction)).unwrap_or_default()
    }

    fn target_model(&self) -> Option<std::sync::Arc<super::ResourceModel>> {
        self.parent.ctx.model(Some(self.resource_type())).ok()
    }

    /// Runs a batch action (boto3's `bucket.objects.all().delete()`): one
    /// request per page, with every resource of the page in it; `params`
    /// are added over each request. Returns one output per request.
    pub async fn batch_action(&self, name: &str, params: Value) -> Result<Vec<ActionOutput>, Error> {
        let user = params::user_params(params)?;
        let model = self.parent.ctx.model(Some(self.resource_type()))?;
        let Some(model_name) = model.resolve(Category::BatchAction, name) else {
            return Err(Error::Unknown {
                resource: format!("{} collection {}", self.parent.display_name(), self.name),
                category: Category::BatchAction,
                name: name.to_owned(),
                available: model.boto3_names(Category::BatchAction),
            });
        };
        let def = model.def.batch_actions.get(model_name).cloned().unwrap_or_default();
        let request = def.request.as_ref().ok_or_else(|| self.parent.invalid("batch action without request"))?;
        let mut outputs = Vec::new();
        let mut pages = self.pages();
        while let Some(page) = pages.next().await {
            let page = page?;
            let mut p = Value::map();
            for (index, resource) in page.iter().enumerate() {
                resource.create_request_parameters(request, &mut p, Some(index)).await?;
            }
            if p.as_map().is_none_or(|m| m.is_empty()) {
                break;
            }
            if let Some(map) = p.as_map_mut() {
                for (k, v) in &user {
                    map.insert(k.clone(), v.clone());
                }
            }
            tracing::debug!(operation = %request.operation, resources = page.len(), "batch action");
            let response = self.parent.client().call(&request.operation, p.clone()).await?;
            outputs.push(match &def.resource {
                Some(target) => {
                    response::handle(
                        &self.parent,
                        target,
                        target.path.as_deref(),
                        Some(&request.operation),
                        &p,
                        &response,
                    )
                    .await?
                }
                None => ActionOutput::Response(
                    response::raw(def.path.as_deref(), response).map_err(|e| self.parent.invalid(&e.to_string()))?,
                ),
            });
        }
        Ok(outputs)
    }
}
