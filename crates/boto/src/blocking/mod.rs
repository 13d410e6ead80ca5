//! The blocking API: sessions, resources and collections (iterators)
//! without async, on a private runtime per session
//! ([`boto_core::blocking::Runtime`]).
//!
//! ```no_run
//! use boto::{blocking::Session, params};
//!
//! let session = Session::builder().region("us-east-1").build()?;
//! let s3 = session.resource("s3")?;
//! let bucket = s3.bucket("my-bucket")?;
//! for object in bucket.collection("objects")?.filter(params!({ "Prefix": "logs/" })).iter() {
//!     let object = object?;
//!     println!("{:?} {}", object.identifier("key"), object.get("size")?);
//! }
//! # Ok::<(), boto::Error>(())
//! ```
//!
//! A blocking session has its own runtime and its own connection pool,
//! shared by its clients and resources. Calling it from inside an async
//! runtime fails with [`boto_core::Error::BlockingInAsync`].

pub mod dynamodb;

use boto_core::blocking::Runtime;
use boto_core::config::{ClientConfig, Env};
use boto_core::credentials::Credentials;
use boto_core::model::Loader;
use boto_core::Value;
use futures_util::StreamExt;

use crate::error::Error;
use crate::resource::{self, ActionOutput as AsyncOutput};

/// Runs a future on the runtime, flattening the two error layers.
pub(crate) fn run<T>(rt: &Runtime, fut: impl std::future::Future<Output = Result<T, Error>>) -> Result<T, Error> {
    rt.block_on(fut).map_err(Error::Core)?
}

/// A blocking session (see [`crate::Session`]).
#[derive(Clone, Debug)]
pub struct Session {
    inner: crate::Session,
    rt: Runtime,
}

/// Builds a blocking [`Session`]; the settings are
/// [`crate::SessionBuilder`]'s.
#[must_use]
#[derive(Debug, Default)]
pub struct SessionBuilder {
    builder: crate::SessionBuilder,
    rt: Option<Runtime>,
}

impl SessionBuilder {
    /// The profile.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.builder = self.builder.profile(profile);
        self
    }

    /// The region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.builder = self.builder.region(region);
        self
    }

    /// Static credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.builder = self.builder.credentials(credentials);
        self
    }

    /// One endpoint URL for every client.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.builder = self.builder.endpoint_url(url);
        self
    }

    /// Client settings.
    pub fn config(mut self, config: ClientConfig) -> Self {
        self.builder = self.builder.config(config);
        self
    }

    /// The environment to read instead of the process's.
    pub fn env(mut self, env: Env) -> Self {
        self.builder = self.builder.env(env);
        self
    }

    /// Where models come from.
    pub fn loader(mut self, loader: Loader) -> Self {
        self.builder = self.builder.loader(loader);
        self
    }

    /// Uses this runtime (and shares it with whoever else uses it).
    pub fn runtime(mut self, rt: Runtime) -> Self {
        self.rt = Some(rt);
        self
    }

    /// Builds the session, with a runtime and a connection pool of its
    /// own.
    pub fn build(self) -> Result<Session, Error> {
        let rt = match self.rt {
            Some(rt) => rt,
            None => Runtime::new()?,
        };
        Ok(Session { inner: self.builder.build()?, rt })
    }
}

impl Session {
    /// A builder.
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }

    /// A session from the environment and the default profile.
    pub fn new() -> Result<Session, Error> {
        Session::builder().build()
    }

    /// The async session inside (use it only on this session's runtime).
    pub fn as_async(&self) -> &crate::Session {
        &self.inner
    }

    /// The runtime.
    pub fn runtime(&self) -> &Runtime {
        &self.rt
    }

    /// The profile in use.
    pub fn profile_name(&self) -> &str {
        self.inner.profile_name()
    }

    /// The region, if configured.
    pub fn region_name(&self) -> Option<&str> {
        self.inner.region_name()
    }

    /// A blocking client.
    pub fn client(&self, service: &str) -> Result<boto_core::blocking::Client, Error> {
        Ok(boto_core::blocking::Client::from_async(self.inner.client(service)?, self.rt.clone()))
    }

    /// A service resource.
    pub fn resource(&self, service: &str) -> Result<Resource, Error> {
        Ok(Resource { inner: self.inner.resource(service)?, rt: self.rt.clone() })
    }

    /// The DynamoDB service resource with the high-level methods.
    pub fn dynamodb(&self) -> Result<dynamodb::DynamoDb, Error> {
        Ok(dynamodb::DynamoDb::new(self.inner.dynamodb()?, self.rt.clone()))
    }

    /// The resolved credentials.
    pub fn credentials(&self) -> Result<Credentials, Error> {
        run(&self.rt, self.inner.credentials())
    }

    /// Services with clients.
    pub fn available_services(&self) -> Vec<String> {
        self.inner.available_services()
    }

    /// Services with resources.
    pub fn available_resources(&self) -> Vec<String> {
        self.inner.available_resources()
    }

    /// Profiles of the config files.
    pub fn available_profiles(&self) -> Vec<String> {
        self.inner.available_profiles()
    }

    /// The `aws` regions where `service` has an endpoint.
    pub fn get_available_regions(&self, service: &str) -> Vec<String> {
        self.inner.get_available_regions(service)
    }
}

/// What a blocking action returns (see [`crate::ActionOutput`]).
#[derive(Debug, Clone)]
pub enum ActionOutput {
    /// The response.
    Response(Value),
    /// One resource.
    Resource(Resource),
    /// Resources.
    Resources(Vec<Resource>),
    /// Nothing.
    None,
}

impl ActionOutput {
    fn wrap(out: AsyncOutput, rt: &Runtime) -> ActionOutput {
        let w = |r: resource::Resource| Resource { inner: r, rt: rt.clone() };
        match out {
            AsyncOutput::Response(v) => ActionOutput::Response(v),
            AsyncOutput::Resource(r) => ActionOutput::Resource(w(r)),
            AsyncOutput::Resources(r) => ActionOutput::Resources(r.into_iter().map(w).collect()),
            AsyncOutput::None => ActionOutput::None,
        }
    }

    /// The resource, when this is one.
    pub fn into_resource(self) -> Option<Resource> {
        match self {
            ActionOutput::Resource(r) => Some(r),
            _ => None,
        }
    }

    /// The resources (one, many or none).
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

    /// True for nothing.
    pub fn is_none(&self) -> bool {
        matches!(self, ActionOutput::None)
    }
}

/// A blocking resource (see [`crate::Resource`]).
#[derive(Clone, Debug)]
pub struct Resource {
    inner: resource::Resource,
    rt: Runtime,
}

impl PartialEq for Resource {
    fn eq(&self, other: &Resource) -> bool {
        self.inner == other.inner
    }
}

impl Resource {
    /// Wraps an async resource; use it only on `rt`.
    pub fn from_async(inner: resource::Resource, rt: Runtime) -> Resource {
        Resource { inner, rt }
    }

    /// The async resource inside.
    pub fn as_async(&self) -> &resource::Resource {
        &self.inner
    }

    /// The blocking client.
    pub fn client(&self) -> boto_core::blocking::Client {
        boto_core::blocking::Client::from_async(self.inner.client().clone(), self.rt.clone())
    }

    /// The service.
    pub fn service_name(&self) -> &str {
        self.inner.service_name()
    }

    /// The resource type.
    pub fn resource_name(&self) -> &str {
        self.inner.resource_name()
    }

    /// The identifiers, with boto3's names.
    pub fn identifiers(&self) -> Vec<(String, Value)> {
        self.inner.identifiers()
    }

    /// One identifier.
    pub fn identifier(&self, name: &str) -> Option<&Value> {
        self.inner.identifier(name)
    }

    /// One identifier as a string.
    pub fn id_str(&self, name: &str) -> Option<&str> {
        self.inner.id_str(name)
    }

    /// The loaded data, if loaded.
    pub fn data(&self) -> Option<Value> {
        self.inner.data()
    }

    /// The metadata snapshot.
    pub fn meta(&self) -> resource::ResourceMeta {
        self.inner.meta()
    }

    /// `s3.Bucket`, `ec2.Instance`.
    pub fn display_name(&self) -> String {
        self.inner.display_name()
    }

    /// Replaces the loaded data.
    pub fn set_data(&self, data: Option<Value>) {
        self.inner.set_data(data)
    }

    /// True when the resource can load its data.
    pub fn has_load(&self) -> bool {
        self.inner.has_load()
    }

    /// The sub-resource names, sorted.
    pub fn available_subresources(&self) -> Vec<String> {
        self.inner.available_subresources()
    }

    /// The resource's definition in the resource model.
    pub fn definition(&self) -> &serde_json::Value {
        self.inner.definition()
    }

    /// Loads the data.
    pub fn load(&self) -> Result<(), Error> {
        run(&self.rt, self.inner.load())
    }

    /// Loads again.
    pub fn reload(&self) -> Result<(), Error> {
        run(&self.rt, self.inner.reload())
    }

    /// An attribute (loads on first use).
    pub fn get(&self, name: &str) -> Result<Value, Error> {
        run(&self.rt, self.inner.get(name))
    }

    /// All attributes.
    pub fn attributes(&self) -> Result<Value, Error> {
        run(&self.rt, self.inner.attributes())
    }

    /// Runs an action.
    pub fn action(&self, name: &str, params: Value) -> Result<ActionOutput, Error> {
        let out = run(&self.rt, self.inner.action(name, params))?;
        Ok(ActionOutput::wrap(out, &self.rt))
    }

    /// A reference.
    pub fn reference(&self, name: &str) -> Result<ActionOutput, Error> {
        let out = run(&self.rt, self.inner.reference(name))?;
        Ok(ActionOutput::wrap(out, &self.rt))
    }

    /// A sub-resource.
    pub fn sub_resource(
        &self,
        name: &str,
        identifiers: impl IntoIterator<Item = impl Into<Value>>,
    ) -> Result<Resource, Error> {
        Ok(self.wrap(self.inner.sub_resource(name, identifiers)?))
    }

    fn wrap(&self, inner: resource::Resource) -> Resource {
        Resource { inner, rt: self.rt.clone() }
    }

    /// A collection.
    pub fn collection(&self, name: &str) -> Result<Collection, Error> {
        Ok(Collection { inner: self.inner.collection(name)?, rt: self.rt.clone() })
    }

    /// Waits with resource waiter `name` (`exists`).
    pub fn wait_until(&self, name: &str, params: Value) -> Result<(), Error> {
        run(&self.rt, self.inner.wait_until(name, params))
    }

    /// `wait_until("exists", {})`.
    pub fn wait_until_exists(&self) -> Result<(), Error> {
        run(&self.rt, self.inner.wait_until_exists())
    }

    /// `wait_until("not_exists", {})`.
    pub fn wait_until_not_exists(&self) -> Result<(), Error> {
        run(&self.rt, self.inner.wait_until_not_exists())
    }

    /// `sns.Topic(arn)`.
    pub fn topic(&self, arn: impl Into<Value>) -> Result<Resource, Error> {
        Ok(self.wrap(self.inner.topic(arn)?))
    }

    /// `iam.User(name)`.
    pub fn user(&self, name: impl Into<Value>) -> Result<Resource, Error> {
        Ok(self.wrap(self.inner.user(name)?))
    }

    /// `cloudformation.Stack(name)`.
    pub fn stack(&self, name: impl Into<Value>) -> Result<Resource, Error> {
        Ok(self.wrap(self.inner.stack(name)?))
    }

    /// `cloudwatch.Alarm(name)`.
    pub fn alarm(&self, name: impl Into<Value>) -> Result<Resource, Error> {
        Ok(self.wrap(self.inner.alarm(name)?))
    }

    /// `glacier.Vault(account_id, name)`.
    pub fn vault(&self, account_id: impl Into<Value>, name: impl Into<Value>) -> Result<Resource, Error> {
        Ok(self.wrap(self.inner.vault(account_id, name)?))
    }

    /// `s3.Bucket(name)`.
    pub fn bucket(&self, name: impl Into<Value>) -> Result<Resource, Error> {
        Ok(self.wrap(self.inner.bucket(name)?))
    }

    /// `bucket.Object(key)`.
    pub fn object(&self, key: impl Into<Value>) -> Result<Resource, Error> {
        Ok(self.wrap(self.inner.object(key)?))
    }

    /// `ec2.Instance(id)`.
    pub fn instance(&self, id: impl Into<Value>) -> Result<Resource, Error> {
        Ok(self.wrap(self.inner.instance(id)?))
    }

    /// `sqs.Queue(url)`.
    pub fn queue(&self, url: impl Into<Value>) -> Result<Resource, Error> {
        Ok(self.wrap(self.inner.queue(url)?))
    }

    /// `dynamodb.Table(name)`, with the high-level methods.
    pub fn table(&self, name: impl Into<Value>) -> Result<dynamodb::Table, Error> {
        Ok(dynamodb::Table::new(self.inner.table(name)?, self.rt.clone()))
    }
}

/// A blocking collection (see [`crate::Collection`]); iterate it with
/// [`Collection::iter`] or `for x in &collection`.
#[derive(Clone, Debug)]
pub struct Collection {
    inner: resource::Collection,
    rt: Runtime,
}

impl Collection {
    /// Every resource.
    pub fn all(&self) -> Collection {
        Collection { inner: self.inner.all(), rt: self.rt.clone() }
    }

    /// Adds request parameters.
    pub fn filter(&self, params: Value) -> Collection {
        Collection { inner: self.inner.filter(params), rt: self.rt.clone() }
    }

    /// At most `count` resources.
    pub fn limit(&self, count: usize) -> Collection {
        Collection { inner: self.inner.limit(count), rt: self.rt.clone() }
    }

    /// Resources per page.
    pub fn page_size(&self, count: usize) -> Collection {
        Collection { inner: self.inner.page_size(count), rt: self.rt.clone() }
    }

    /// The pages.
    pub fn pages(&self) -> Pages {
        Pages { stream: self.inner.pages(), rt: self.rt.clone(), done: false }
    }

    /// The resources.
    pub fn iter(&self) -> Iter {
        Iter { pages: self.pages(), current: Vec::new().into_iter() }
    }

    /// Every resource, collected.
    pub fn to_vec(&self) -> Result<Vec<Resource>, Error> {
        self.iter().collect()
    }

    /// Runs a batch action.
    pub fn batch_action(&self, name: &str, params: Value) -> Result<Vec<ActionOutput>, Error> {
        let out = run(&self.rt, self.inner.batch_action(name, params))?;
        Ok(out.into_iter().map(|o| ActionOutput::wrap(o, &self.rt)).collect())
    }

    /// The async collection inside.
    pub fn as_async(&self) -> &resource::Collection {
        &self.inner
    }
}

impl IntoIterator for &Collection {
    type Item = Result<Resource, Error>;
    type IntoIter = Iter;
    fn into_iter(self) -> Iter {
        self.iter()
    }
}

/// The pages of a blocking collection.
pub struct Pages {
    stream: resource::collection::PageStream,
    rt: Runtime,
    done: bool,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("done", &self.done).finish()
    }
}

impl Iterator for Pages {
    type Item = Result<Vec<Resource>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = match self.rt.block_on(self.stream.next()) {
            Ok(n) => n,
            Err(e) => {
                self.done = true;
                return Some(Err(Error::Core(e)));
            }
        };
        match next {
            None => {
                self.done = true;
                None
            }
            Some(Err(e)) => {
                self.done = true;
                Some(Err(e))
            }
            Some(Ok(page)) => Some(Ok(page.into_iter().map(|inner| Resource { inner, rt: self.rt.clone() }).collect())),
        }
    }
}

/// The resources of a blocking collection.
#[derive(Debug)]
pub struct Iter {
    pages: Pages,
    current: std::vec::IntoIter<Resource>,
}

impl Iterator for Iter {
    type Item = Result<Resource, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(r) = self.current.next() {
                return Some(Ok(r));
            }
            match self.pages.next()? {
                Ok(page) => self.current = page.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}
