//! Resources: boto3's object-oriented layer, driven by its resource models
//! (`resources-1.json`; the bundle has them for s3, dynamodb, ec2, sqs,
//! sns, iam, cloudformation, cloudwatch and glacier).
//!
//! One generic [`Resource`] type serves every resource of every service,
//! including the service resource itself. What a resource can do comes
//! from its model, under boto3's names (snake_case; model names work too):
//!
//! | boto3 | boto-rs |
//! | --- | --- |
//! | `s3.Bucket("b")` | `s3.bucket("b")?` or `s3.sub_resource("Bucket", ["b"])?` |
//! | `bucket.name` | `bucket.identifier("name")` |
//! | `obj.content_length` | `obj.get("content_length").await?` (loads on first use) |
//! | `obj.load()` / `obj.reload()` | `obj.load().await?` / `obj.reload().await?` |
//! | `bucket.delete()` | `bucket.action("delete", params!({})).await?` |
//! | `bucket.objects.filter(Prefix="a/")` | `bucket.collection("objects")?.filter(params!({"Prefix": "a/"}))` |
//! | `bucket.objects.all().delete()` | `bucket.collection("objects")?.batch_action("delete", params!({})).await?` |
//! | `instance.vpc` | `instance.reference("vpc").await?` |
//! | `bucket.wait_until_exists()` | `bucket.wait_until("exists", params!({})).await?` |
//! | `resource.meta.client` | `resource.client()` |
//!
//! ```no_run
//! # async fn demo() -> Result<(), boto::Error> {
//! use boto::{params, Session};
//! use futures_util::StreamExt;
//!
//! let session = Session::builder().region("us-east-1").build()?;
//! let s3 = session.resource("s3")?;
//! let bucket = s3.bucket("my-bucket")?;
//! bucket.action("create", params!({})).await?;
//! let objects = bucket.collection("objects")?.filter(params!({ "Prefix": "logs/" }));
//! let mut stream = objects.stream();
//! while let Some(object) = stream.next().await {
//!     let object = object?;
//!     println!("{:?} {}", object.identifier("key"), object.get("size").await?);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Resource data (`meta.data`) is shared by clones of a resource handle,
//! as Python shares one object between references; actions on a resource
//! that has a `load` clear it, so the next attribute read loads again.

pub mod collection;
mod compat;
mod custom;
mod model;
mod params;
mod path;
mod response;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};

use boto_core::model::Loader;
use boto_core::naming::xform_name;
use boto_core::{Client, Map, Value};

pub use collection::Collection;
pub use model::{ActionDef, Category, IdentifierDef, ParamDef, RequestDef, ResponseResourceDef, WaiterDef};
pub use path::PathError;

use crate::error::Error;
use model::{ResourceDocument, ResourceModel};

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a service's resources share: the client and the parsed model.
pub(crate) struct ServiceContext {
    pub service: String,
    pub client: Client,
    pub doc: Arc<ResourceDocument>,
    /// The document as loaded.
    pub raw: Arc<serde_json::Value>,
    models: Mutex<HashMap<String, Arc<ResourceModel>>>,
}

impl ServiceContext {
    fn new(client: Client, doc: Arc<ResourceDocument>, raw: Arc<serde_json::Value>) -> ServiceContext {
        ServiceContext {
            service: client.service_name().to_owned(),
            client,
            doc,
            raw,
            models: Mutex::new(HashMap::new()),
        }
    }

    /// The model of resource `name`, or of the service resource for `None`.
    pub(crate) fn model(&self, name: Option<&str>) -> Result<Arc<ResourceModel>, Error> {
        let key = name.unwrap_or("");
        if let Some(m) = self.models.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
            return Ok(m.clone());
        }
        let (def, is_service, display) = match name {
            None => (self.doc.service.clone(), true, self.service.clone()),
            Some(n) => match self.doc.resources.get(n) {
                Some(d) => (d.clone(), false, n.to_owned()),
                None => {
                    return Err(Error::InvalidModel {
                        service: self.service.clone(),
                        message: format!("no resource named {n:?}"),
                    })
                }
            },
        };
        let members = match &def.shape {
            Some(shape) => match self.client.model().shape_named(shape)? {
                Some(s) => s.members.iter().map(|m| m.name.to_string()).collect(),
                None => {
                    return Err(Error::InvalidModel {
                        service: self.service.clone(),
                        message: format!("resource {display} names shape {shape:?}, which the service model lacks"),
                    })
                }
            },
            None => Vec::new(),
        };
        let model = Arc::new(ResourceModel::new(&display, is_service, def, &self.doc.resources, members));
        let mut cache = self.models.lock().unwrap_or_else(|e| e.into_inner());
        Ok(cache.entry(key.to_owned()).or_insert(model).clone())
    }
}

/// Parses a resource document once per loaded document.
fn parse_document(service: &str, json: &Arc<serde_json::Value>) -> Result<Arc<ResourceDocument>, Error> {
    type Cache = Mutex<HashMap<usize, (Arc<serde_json::Value>, Arc<ResourceDocument>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = Arc::as_ptr(json) as usize;
    if let Some((_, doc)) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(doc.clone());
    }
    let doc: ResourceDocument = serde_json::from_value((**json).clone())
        .map_err(|e| Error::InvalidModel { service: service.to_owned(), message: e.to_string() })?;
    let doc = Arc::new(doc);
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, (json.clone(), doc.clone()));
    Ok(doc)
}

/// What an action, a reference or a batch action gives back.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionOutput {
    /// The response (or the part of it the model's `path` selects), for
    /// actions that make no resource.
    Response(Value),
    /// One resource.
    Resource(Resource),
    /// Resources (`hasMany`-like results: `create_instances`, a reference
    /// through a list).
    Resources(Vec<Resource>),
    /// Nothing: the identifiers of the resource were not in the response,
    /// or a reference's data did not name one.
    None,
}

impl ActionOutput {
    /// The resource, when this is one.
    pub fn resource(&self) -> Option<&Resource> {
        match self {
            ActionOutput::Resource(r) => Some(r),
            _ => None,
        }
    }

    /// Takes the resource out, when this is one.
    pub fn into_resource(self) -> Option<Resource> {
        match self {
            ActionOutput::Resource(r) => Some(r),
            _ => None,
        }
    }

    /// The resources: one for [`ActionOutput::Resource`], all of them for
    /// [`ActionOutput::Resources`], none otherwise.
    pub fn into_resources(self) -> Vec<Resource> {
        match self {
            ActionOutput::Resource(r) => vec![r],
            ActionOutput::Resources(r) => r,
            _ => Vec::new(),
        }
    }

    /// The response, when this is one.
    pub fn response(&self) -> Option<&Value> {
        match self {
            ActionOutput::Response(v) => Some(v),
            _ => None,
        }
    }

    /// True for [`ActionOutput::None`].
    pub fn is_none(&self) -> bool {
        matches!(self, ActionOutput::None)
    }
}

/// A resource: the service resource (`session.resource("s3")`) or one of
/// its resources (a bucket, an object, a table, an instance).
///
/// Cheap to clone; clones share the loaded data. See the [module
/// documentation](self).
#[derive(Clone)]
pub struct Resource {
    ctx: Arc<ServiceContext>,
    model: Arc<ResourceModel>,
    ids: Arc<[Value]>,
    data: Arc<Mutex<Option<Value>>>,
}

impl std::fmt::Debug for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}(", self.display_name())?;
        for (i, (name, value)) in self.identifiers().iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if is_secret(name) {
                write!(f, "{name}=** redacted **")?;
            } else {
                write!(f, "{name}={value}")?;
            }
        }
        f.write_str(")")
    }
}

/// Resources are equal when they are the same type of the same service
/// with the same identifiers (boto3's `__eq__`).
impl PartialEq for Resource {
    fn eq(&self, other: &Resource) -> bool {
        self.ctx.service == other.ctx.service && self.model.name == other.model.name && self.ids == other.ids
    }
}

/// True for identifier names that hold secrets (iam's
/// `AccessKeyPair.secret`), kept out of `Debug`.
fn is_secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("secret") || n.contains("password")
}

/// A snapshot of a resource's metadata (boto3's `resource.meta`). Its
/// `Debug` leaves out the data, which may hold secrets.
#[derive(Clone)]
pub struct ResourceMeta {
    /// The service (`s3`).
    pub service_name: String,
    /// The resource type (`Bucket`), or the service name for the service
    /// resource.
    pub resource_name: String,
    /// boto3's identifier names (`bucket_name`, `key`).
    pub identifiers: Vec<String>,
    /// The loaded data, if any.
    pub data: Option<Value>,
    /// The shape the attributes come from.
    pub shape: Option<String>,
    /// boto3's action names.
    pub actions: Vec<String>,
    /// boto3's attribute names.
    pub attributes: Vec<String>,
    /// boto3's collection names.
    pub collections: Vec<String>,
    /// boto3's reference names.
    pub references: Vec<String>,
    /// boto3's sub-resource names (model names, as boto3 keeps them).
    pub sub_resources: Vec<String>,
    /// boto3's waiter method names (`wait_until_exists`).
    pub waiters: Vec<String>,
    /// True when the resource can load its data.
    pub has_load: bool,
    /// Methods beyond the model that are not actions: boto3's injected
    /// S3 transfer methods (`upload_file`, `copy`, ...) and the presign
    /// helpers, methods of [`crate::s3::Bucket`] and [`crate::s3::Object`]
    /// (see [`crate::s3::S3ResourceExt`]); [`Resource::action`] does not
    /// run them.
    pub methods: Vec<String>,
}

impl std::fmt::Debug for ResourceMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResourceMeta")
            .field("service_name", &self.service_name)
            .field("resource_name", &self.resource_name)
            .field("identifiers", &self.identifiers)
            .field("data", &self.data.as_ref().map(|_| "(loaded)"))
            .field("shape", &self.shape)
            .field("actions", &self.actions)
            .field("attributes", &self.attributes)
            .field("collections", &self.collections)
            .field("references", &self.references)
            .field("sub_resources", &self.sub_resources)
            .field("waiters", &self.waiters)
            .field("has_load", &self.has_load)
            .field("methods", &self.methods)
            .finish()
    }
}

impl Resource {
    /// The service resource of `client`'s service, with the resource model
    /// found by `loader`. Use this to put resources over a client you built
    /// (a stubbed one, say); [`crate::Session::resource`] is the usual way.
    pub fn from_client(client: Client, loader: &Loader) -> Result<Resource, Error> {
        let service = client.service_name().to_owned();
        let json = loader.load_document(&service, "resources-1", None).map_err(|e| match e {
            boto_core::model::ModelError::DataNotFound(_) | boto_core::model::ModelError::UnknownService { .. } => {
                Error::ResourceNotExists {
                    available: loader.list_available_services("resources-1").unwrap_or_default(),
                    has_client: true,
                    service: service.clone(),
                }
            }
            other => other.into(),
        })?;
        let doc = parse_document(&service, &json)?;
        let ctx = Arc::new(ServiceContext::new(client, doc, json));
        let model = ctx.model(None)?;
        Ok(Resource { ctx, model, ids: Arc::from(Vec::new()), data: Arc::new(Mutex::new(None)) })
    }

    /// This resource over another client of the same service (for
    /// instance one activated by a [`boto_core::Stubber`]). Resources made
    /// from the result use that client too.
    pub fn with_client(&self, client: Client) -> Resource {
        let ctx = Arc::new(ServiceContext::new(client, self.ctx.doc.clone(), self.ctx.raw.clone()));
        Resource { ctx, model: self.model.clone(), ids: self.ids.clone(), data: Arc::new(Mutex::new(self.data())) }
    }

    /// A resource of type `type_name` with these identifier values, in
    /// the model's order (boto3's `ResourceType(*identifiers)`).
    pub fn new_resource(
        &self,
        type_name: &str,
        identifiers: impl IntoIterator<Item = impl Into<Value>>,
    ) -> Result<Resource, Error> {
        let model = self.ctx.model(Some(type_name))?;
        self.make_positional(model, identifiers.into_iter().map(Into::into).collect())
    }

    fn make_positional(&self, model: Arc<ResourceModel>, values: Vec<Value>) -> Result<Resource, Error> {
        let display = format!("{}.{}", self.ctx.service, model.name);
        let wanted = model.identifiers().len();
        if values.len() > wanted {
            return Err(Error::Identifiers {
                resource: display,
                message: format!("takes {wanted} identifiers, {} were given", values.len()),
            });
        }
        let mut ids = values;
        ids.resize(wanted, Value::Null);
        for (def, value) in model.identifiers().iter().zip(&ids) {
            if value.is_null() {
                return Err(Error::Identifiers {
                    resource: display,
                    message: format!("required parameter {} not set", xform_name(&def.name)),
                });
            }
        }
        Ok(Resource { ctx: self.ctx.clone(), model, ids: ids.into(), data: Arc::new(Mutex::new(None)) })
    }

    /// A resource of `type_name` from named identifiers (boto3's
    /// `ResourceType(name=value, ...)`: names are snake_case).
    pub(crate) fn make_named(
        &self,
        type_name: &str,
        named: Vec<(String, Value)>,
        data: Option<Value>,
    ) -> Result<Resource, Error> {
        let model = self.ctx.model(Some(type_name))?;
        let display = format!("{}.{}", self.ctx.service, model.name);
        let mut ids = vec![Value::Null; model.identifiers().len()];
        for (name, value) in named {
            let Some(i) = model.identifiers().iter().position(|d| xform_name(&d.name) == name) else {
                return Err(Error::Identifiers { resource: display, message: format!("unknown identifier {name}") });
            };
            ids[i] = value;
        }
        for (def, value) in model.identifiers().iter().zip(&ids) {
            if value.is_null() {
                return Err(Error::Identifiers {
                    resource: display,
                    message: format!("required parameter {} not set", xform_name(&def.name)),
                });
            }
        }
        Ok(Resource { ctx: self.ctx.clone(), model, ids: ids.into(), data: Arc::new(Mutex::new(data)) })
    }

    /// The service (`s3`).
    pub fn service_name(&self) -> &str {
        &self.ctx.service
    }

    /// The resource type (`Bucket`); the service name for the service
    /// resource.
    pub fn resource_name(&self) -> &str {
        &self.model.name
    }

    /// True for the service resource.
    pub fn is_service_resource(&self) -> bool {
        self.model.is_service
    }

    /// `s3.Bucket`, `s3.ServiceResource`.
    pub fn display_name(&self) -> String {
        if self.model.is_service {
            format!("{}.ServiceResource", self.ctx.service)
        } else {
            format!("{}.{}", self.ctx.service, self.model.name)
        }
    }

    /// The low-level client (boto3's `resource.meta.client`).
    pub fn client(&self) -> &Client {
        &self.ctx.client
    }

    /// The identifiers with boto3's names (`[("bucket_name", "b"), ("key",
    /// "k")]`), in model order.
    pub fn identifiers(&self) -> Vec<(String, Value)> {
        self.model.identifiers().iter().zip(self.ids.iter()).map(|(d, v)| (xform_name(&d.name), v.clone())).collect()
    }

    /// One identifier, by boto3 name (`bucket_name`) or model name
    /// (`BucketName`).
    pub fn identifier(&self, name: &str) -> Option<&Value> {
        self.model.identifier_index(name).and_then(|i| self.ids.get(i))
    }

    /// An identifier as a string, for the common case.
    pub fn id_str(&self, name: &str) -> Option<&str> {
        self.identifier(name).and_then(Value::as_str)
    }

    /// The loaded data, if loaded (boto3's `meta.data`).
    pub fn data(&self) -> Option<Value> {
        self.data.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the loaded data.
    pub fn set_data(&self, data: Option<Value>) {
        *self.data.lock().unwrap_or_else(|e| e.into_inner()) = data;
    }

    /// True when the resource can load its data (it has a `load`).
    pub fn has_load(&self) -> bool {
        self.model.def.load.is_some() || custom::custom_load(self).is_some()
    }

    /// The resource's metadata (boto3's `resource.meta`), as a snapshot.
    pub fn meta(&self) -> ResourceMeta {
        let mut actions = self.model.boto3_names(Category::Action);
        actions.extend(custom::custom_action_names(self).iter().map(|s| s.to_string()));
        ResourceMeta {
            service_name: self.ctx.service.clone(),
            resource_name: self.model.name.clone(),
            identifiers: self.model.boto3_names(Category::Identifier),
            data: self.data(),
            shape: self.model.def.shape.clone(),
            actions,
            attributes: self.model.boto3_names(Category::Attribute),
            collections: self.model.boto3_names(Category::Collection),
            references: self.model.boto3_names(Category::Reference),
            sub_resources: self.model.boto3_names(Category::SubResource),
            waiters: self.model.boto3_names(Category::Waiter),
            has_load: self.has_load(),
            methods: custom::custom_method_names(self).iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The resource's definition in the resource model (`resources-1.json`:
    /// the `service` object for the service resource).
    pub fn definition(&self) -> &serde_json::Value {
        if self.model.is_service {
            &self.ctx.raw["service"]
        } else {
            &self.ctx.raw["resources"][self.model.name.as_str()]
        }
    }

    /// boto3's `get_available_subresources()`: the sub-resource names,
    /// sorted.
    pub fn available_subresources(&self) -> Vec<String> {
        let mut names = self.model.boto3_names(Category::SubResource);
        names.sort();
        names
    }

    fn unknown(&self, category: Category, name: &str) -> Error {
        Error::Unknown {
            resource: self.display_name(),
            category,
            name: name.to_owned(),
            available: self.model.boto3_names(category),
        }
    }

    // ---- load and attributes ----

    /// Loads the resource's data with its `load` request (boto3's
    /// `load()`); fails with [`Error::ResourceLoad`] when the resource has
    /// none.
    pub async fn load(&self) -> Result<(), Error> {
        self.load_boxed().await
    }

    /// Loads again (boto3's `reload()`, the same as [`Resource::load`]).
    pub async fn reload(&self) -> Result<(), Error> {
        self.load_boxed().await
    }

    fn load_boxed(&self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            if let Some(custom) = custom::custom_load(self) {
                let data = custom.await?;
                self.set_data(Some(data));
                return Ok(());
            }
            let Some(load) = &self.model.def.load else {
                return Err(Error::ResourceLoad { resource: self.display_name() });
            };
            let request = load.request.as_ref().ok_or_else(|| self.invalid("load has no request"))?;
            let mut params = Value::map();
            self.create_request_parameters(request, &mut params, None).await?;
            tracing::debug!(resource = %self.display_name(), operation = %request.operation, "load");
            let response = self.ctx.client.call(&request.operation, params).await?;
            let data = response::raw(load.path.as_deref(), response).map_err(|e| self.invalid(&e.to_string()))?;
            self.set_data(Some(data));
            Ok(())
        })
    }

    /// An attribute (a member of the resource's shape), by boto3 name
    /// (`content_length`) or model name (`ContentLength`). Loads the data
    /// on first use; `Null` when the data lacks it. Identifiers are
    /// attributes too.
    pub async fn get(&self, name: &str) -> Result<Value, Error> {
        if let Some(v) = self.identifier(name) {
            return Ok(v.clone());
        }
        // A member aliasing an identifier (`memberName`) is the identifier,
        // with no load (boto3's identifier alias).
        let alias = self
            .model
            .identifiers()
            .iter()
            .position(|d| d.member_name.as_deref().is_some_and(|m| m == name || xform_name(m) == name));
        if let Some(i) = alias {
            return Ok(self.ids[i].clone());
        }
        let Some(member) = self.model.resolve(Category::Attribute, name).map(str::to_owned) else {
            return Err(self.unknown(Category::Attribute, name));
        };
        if self.data().is_none() {
            self.load_boxed().await?;
        }
        Ok(self.data().and_then(|d| d.get(&member).cloned()).unwrap_or(Value::Null))
    }

    /// All attributes, loading the data first if needed: the data as
    /// loaded (a map of the shape's members).
    pub async fn attributes(&self) -> Result<Value, Error> {
        if self.data().is_none() {
            self.load_boxed().await?;
        }
        Ok(self.data().unwrap_or(Value::Null))
    }

    /// boto3's names of the resource's attributes.
    pub fn attribute_names(&self) -> Vec<String> {
        self.model.boto3_names(Category::Attribute)
    }

    fn invalid(&self, message: &str) -> Error {
        Error::InvalidModel {
            service: self.ctx.service.clone(),
            message: format!("{}: {message}", self.display_name()),
        }
    }

    /// The value of identifier `name` (model name), as `source:
    /// identifier` asks for it.
    fn identifier_value(&self, name: &str) -> Result<Value, Error> {
        self.identifier(name).cloned().ok_or_else(|| self.invalid(&format!("no identifier {name:?}")))
    }

    /// boto3's `get_data_member`: loads if needed, then searches the data.
    async fn data_member(&self, path: &str) -> Result<Value, Error> {
        if self.data().is_none() {
            if !self.has_load() {
                return Err(Error::ResourceLoad { resource: self.display_name() });
            }
            self.load_boxed().await?;
        }
        let data = self.data().unwrap_or(Value::Null);
        path::search(path, &data).map_err(|e| self.invalid(&e.to_string()))
    }

    /// boto3's `create_request_parameters`: fills `params` from this
    /// resource for `request`.
    pub(crate) async fn create_request_parameters(
        &self,
        request: &RequestDef,
        params: &mut Value,
        index: Option<usize>,
    ) -> Result<(), Error> {
        for p in &request.params {
            let value = match p.source.as_str() {
                "identifier" => self.identifier_value(p.name.as_deref().unwrap_or_default())?,
                "data" => self.data_member(p.path.as_deref().unwrap_or("@")).await?,
                "string" | "integer" | "boolean" => p.value.clone().map(Value::from).unwrap_or(Value::Null),
                "input" => continue,
                other => return Err(self.invalid(&format!("unsupported parameter source {other:?}"))),
            };
            params::build_param_structure(params, &p.target, value, index)?;
        }
        Ok(())
    }

    // ---- actions ----

    /// Runs an action (boto3's `bucket.delete(**params)`): the request's
    /// parameters come from the resource, `params` (a map) are added over
    /// them. The result is a resource, resources, or the raw response, as
    /// the model says. Loaded data is cleared afterwards.
    pub async fn action(&self, name: &str, params: Value) -> Result<ActionOutput, Error> {
        let user = params::user_params(params)?;
        if let Some(custom) = custom::custom_action(self, name, &user) {
            return custom.await;
        }
        let Some(model_name) = self.model.resolve(Category::Action, name) else {
            return Err(self.unknown(Category::Action, name));
        };
        let def = self.model.def.actions.get(model_name).cloned().unwrap_or_default();
        let out = self.run_action(&def, user).await?;
        if self.has_load() {
            self.set_data(None);
        }
        Ok(out)
    }

    /// boto3's names of the resource's actions.
    pub fn action_names(&self) -> Vec<String> {
        self.meta().actions
    }

    async fn run_action(&self, def: &ActionDef, user: Map) -> Result<ActionOutput, Error> {
        let request = def.request.as_ref().ok_or_else(|| self.invalid("an action has no request"))?;
        let mut params = Value::map();
        self.create_request_parameters(request, &mut params, None).await?;
        if let Some(map) = params.as_map_mut() {
            // boto3's params.update(kwargs): top-level keys replaced.
            for (k, v) in user {
                map.insert(k, v);
            }
        }
        tracing::debug!(resource = %self.display_name(), operation = %request.operation, "action");
        let response = self.ctx.client.call(&request.operation, params.clone()).await?;
        match &def.resource {
            Some(target) => {
                response::handle(self, target, target.path.as_deref(), Some(&request.operation), &params, &response)
                    .await
            }
            None => Ok(ActionOutput::Response(
                response::raw(def.path.as_deref(), response).map_err(|e| self.invalid(&e.to_string()))?,
            )),
        }
    }

    // ---- relations ----

    /// A sub-resource (boto3's `bucket.Object("key")`): a resource whose
    /// identifiers come from this one plus `identifiers` (the rest, in
    /// order).
    pub fn sub_resource(
        &self,
        name: &str,
        identifiers: impl IntoIterator<Item = impl Into<Value>>,
    ) -> Result<Resource, Error> {
        let Some(model_name) = self.model.resolve(Category::SubResource, name) else {
            return Err(self.unknown(Category::SubResource, name));
        };
        let has = self.model.has.get(model_name).cloned().unwrap_or_default();
        let target = has.resource.as_ref().ok_or_else(|| self.invalid("a has relation names no resource"))?;
        let model = self.ctx.model(Some(&target.type_name))?;
        // Values from this resource first, then the caller's for the
        // `input` ones, in order (boto3's positional arguments).
        let mut inputs = identifiers.into_iter().map(Into::into);
        let mut from_self = Vec::new();
        let mut from_input = Vec::new();
        for p in &target.identifiers {
            match p.source.as_str() {
                "input" => from_input.push((p.target.as_str(), inputs.next().unwrap_or(Value::Null))),
                "identifier" => {
                    from_self.push((p.target.as_str(), self.identifier_value(p.name.as_deref().unwrap_or_default())?))
                }
                // Sub-resources never need data; the other sources have no
                // response to read here.
                _ => from_self.push((p.target.as_str(), Value::Null)),
            }
        }
        let extra: Vec<Value> = inputs.collect();
        let mut pairs = from_self;
        pairs.extend(from_input);
        // boto3 assigns these positionally; where every target names an
        // identifier of the new resource, assign by name instead, which
        // is the same for every model but cloudformation's
        // StackResourceSummary.Resource, whose targets come in the other
        // order (boto3 swaps its identifiers).
        let by_name: Option<Vec<Value>> = model
            .identifiers()
            .iter()
            .map(|d| pairs.iter().find(|(t, _)| xform_name(t) == xform_name(&d.name)).map(|(_, v)| v.clone()))
            .collect();
        let mut values = match by_name {
            Some(v) if pairs.len() == model.identifiers().len() => v,
            _ => pairs.into_iter().map(|(_, v)| v).collect(),
        };
        values.extend(extra);
        self.make_positional(model, values)
    }

    /// A reference (boto3's `instance.vpc`): a related resource named by
    /// this resource's data, which is loaded first if needed.
    /// [`ActionOutput::None`] when the data names none.
    pub async fn reference(&self, name: &str) -> Result<ActionOutput, Error> {
        let Some(model_name) = self.model.resolve(Category::Reference, name) else {
            return Err(self.unknown(Category::Reference, name));
        };
        let has = self.model.has.get(model_name).cloned().unwrap_or_default();
        let target = has.resource.as_ref().ok_or_else(|| self.invalid("a has relation names no resource"))?;
        if self.data().is_none() && self.has_load() {
            self.load_boxed().await?;
        }
        let data = self.data().unwrap_or(Value::Null);
        response::handle(self, target, target.path.as_deref(), None, &Value::map(), &data).await
    }

    /// A collection (boto3's `bucket.objects`).
    pub fn collection(&self, name: &str) -> Result<Collection, Error> {
        let Some(model_name) = self.model.resolve(Category::Collection, name) else {
            return Err(self.unknown(Category::Collection, name));
        };
        let def = self.model.def.has_many.get(model_name).cloned().unwrap_or_default();
        Collection::new(self.clone(), model_name.to_owned(), def)
    }

    /// boto3's names of the resource's collections.
    pub fn collection_names(&self) -> Vec<String> {
        self.model.boto3_names(Category::Collection)
    }

    // ---- waiters ----

    /// The client waiter and parameters of resource waiter `name`
    /// (`exists`, `Exists` or `wait_until_exists`), with `params` added
    /// over the ones from the resource.
    pub async fn waiter_request(&self, name: &str, params: Value) -> Result<(String, Value), Error> {
        let user = params::user_params(params)?;
        let Some(model_name) = self.model.resolve(Category::Waiter, name) else {
            return Err(self.unknown(Category::Waiter, name));
        };
        let def = self.model.def.waiters.get(model_name).cloned().ok_or_else(|| self.invalid("missing waiter"))?;
        let request = RequestDef { operation: def.waiter_name.clone(), params: def.params.clone() };
        let mut p = Value::map();
        self.create_request_parameters(&request, &mut p, None).await?;
        if let Some(map) = p.as_map_mut() {
            for (k, v) in user {
                map.insert(k, v);
            }
        }
        Ok((def.waiter_name, p))
    }

    /// Waits with resource waiter `name` (boto3's
    /// `bucket.wait_until_exists(**params)`): the client waiter the model
    /// names, with parameters from the resource and `params` over them
    /// (boto3's `WaiterConfig` member sets the delay and attempts).
    pub async fn wait_until(&self, name: &str, params: Value) -> Result<(), Error> {
        let (waiter, params) = self.waiter_request(name, params).await?;
        tracing::debug!(resource = %self.display_name(), waiter = %waiter, "wait");
        compat::wait(&self.ctx.client, &waiter, params).await
    }

    /// `wait_until("exists", {})`.
    pub async fn wait_until_exists(&self) -> Result<(), Error> {
        self.wait_until("Exists", Value::map()).await
    }

    /// `wait_until("not_exists", {})`.
    pub async fn wait_until_not_exists(&self) -> Result<(), Error> {
        self.wait_until("NotExists", Value::map()).await
    }

    // ---- conveniences where boto3 users look ----

    fn sub_one(&self, name: &str, id: impl Into<Value>) -> Result<Resource, Error> {
        self.sub_resource(name, [id.into()])
    }

    /// `s3.Bucket(name)`.
    pub fn bucket(&self, name: impl Into<Value>) -> Result<Resource, Error> {
        self.sub_one("Bucket", name)
    }

    /// `bucket.Object(key)` (or `s3.Object(bucket, key)` with
    /// [`Resource::sub_resource`]).
    pub fn object(&self, key: impl Into<Value>) -> Result<Resource, Error> {
        self.sub_one("Object", key)
    }

    /// `dynamodb.Table(name)`, with DynamoDB's high-level methods.
    pub fn table(&self, name: impl Into<Value>) -> Result<crate::dynamodb::Table, Error> {
        crate::dynamodb::Table::new(self.sub_one("Table", name)?)
    }

    /// `ec2.Instance(id)`.
    pub fn instance(&self, id: impl Into<Value>) -> Result<Resource, Error> {
        self.sub_one("Instance", id)
    }

    /// `sqs.Queue(url)`.
    pub fn queue(&self, url: impl Into<Value>) -> Result<Resource, Error> {
        self.sub_one("Queue", url)
    }

    /// `sns.Topic(arn)`.
    pub fn topic(&self, arn: impl Into<Value>) -> Result<Resource, Error> {
        self.sub_one("Topic", arn)
    }

    /// `iam.User(name)`.
    pub fn user(&self, name: impl Into<Value>) -> Result<Resource, Error> {
        self.sub_one("User", name)
    }

    /// `cloudformation.Stack(name)`.
    pub fn stack(&self, name: impl Into<Value>) -> Result<Resource, Error> {
        self.sub_one("Stack", name)
    }

    /// `cloudwatch.Alarm(name)`.
    pub fn alarm(&self, name: impl Into<Value>) -> Result<Resource, Error> {
        self.sub_one("Alarm", name)
    }

    /// `glacier.Vault(account_id, name)`.
    pub fn vault(&self, account_id: impl Into<Value>, name: impl Into<Value>) -> Result<Resource, Error> {
        self.sub_resource("Vault", [account_id.into(), name.into()])
    }
}
