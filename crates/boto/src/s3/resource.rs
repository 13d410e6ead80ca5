//! [`Bucket`] and [`Object`]: the methods boto3 injects into S3's `Bucket`
//! and `Object` resources (`upload_file`, `download_file`, `copy`,
//! `upload_fileobj`, `download_fileobj`), and presigned URLs and POSTs for
//! them, reached from a generic [`Resource`] through [`S3ResourceExt`].

use std::ops::Deref;
use std::path::Path;

use boto_core::Value;
use indexmap::IndexMap;
use tokio::io::{AsyncRead, AsyncWrite};

use super::presign::{self, PresignOptions, PresignedPost};
use super::sealed::AnyResource;
use super::transfer::{CopySource, TransferConfig, TransferError, TransferOptions, TransferOutput};
use super::S3ClientExt;
use crate::error::Error;
use crate::resource::Resource;

/// Views of S3 resources with boto3's injected methods: turns an
/// `s3.Bucket` into a [`Bucket`] and an `s3.Object` into an [`Object`],
/// or fails with [`Error::WrongResource`] naming the type it got.
/// Implemented for [`Resource`] and for the blocking
/// [`crate::blocking::Resource`], whose views have the blocking methods.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use boto::s3::transfer::{TransferConfig, TransferOptions};
/// use boto::s3::S3ResourceExt;
///
/// let s3 = boto::Session::builder().region("us-east-1").build()?.resource("s3")?;
/// let config = TransferConfig::default();
/// // boto3: s3.Bucket("my-bucket").upload_file("big.bin", "data/big.bin")
/// let bucket = s3.bucket("my-bucket")?.as_s3_bucket()?;
/// bucket.upload_file("big.bin", "data/big.bin", &config, TransferOptions::new()).await?;
/// // boto3: s3.Object("my-bucket", "data/big.bin").download_file("copy.bin")
/// let object = bucket.object("data/big.bin")?;
/// object.download_file("copy.bin", &config, TransferOptions::new()).await?;
/// let url = object.presign_get(3600).await?;
/// // Not an S3 bucket: a typed error, not a panic.
/// let table = boto::Session::new()?.resource("dynamodb")?.sub_resource("Table", ["users"])?;
/// assert!(matches!(table.as_s3_bucket(), Err(boto::Error::WrongResource { .. })));
/// # let _ = url; Ok(()) }
/// ```
///
/// This trait is sealed.
pub trait S3ResourceExt: AnyResource {
    /// This `s3.Bucket` resource as a [`Bucket`].
    fn as_s3_bucket(&self) -> Result<Bucket<Self>, Error> {
        Bucket::new(self.clone())
    }

    /// This `s3.Object` resource as an [`Object`] (for an
    /// `s3.ObjectSummary`, take its `Object` sub-resource first).
    fn as_s3_object(&self) -> Result<Object<Self>, Error> {
        Object::new(self.clone())
    }
}

impl S3ResourceExt for Resource {}
impl S3ResourceExt for crate::blocking::Resource {}

/// Fails unless `resource` is an `s3.<expected>` resource.
fn check_type(resource: &Resource, expected: &str) -> Result<(), Error> {
    if resource.service_name() == "s3" && !resource.is_service_resource() && resource.resource_name() == expected {
        return Ok(());
    }
    Err(Error::WrongResource { expected: format!("s3.{expected}"), found: resource.display_name() })
}

/// Identifier `name` of `resource`, which must be a string.
fn string_id(resource: &Resource, name: &str) -> Result<String, Error> {
    match resource.identifier(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        other => Err(Error::Identifiers {
            resource: resource.display_name(),
            message: format!("identifier {name} must be a string, not {}", other.map_or("nothing", |v| v.kind())),
        }),
    }
}

/// An `s3.Bucket` resource with boto3's injected bucket methods: managed
/// transfers to and from keys of the bucket, and presigned POSTs.
/// Dereferences to the generic resource for the model's actions,
/// collections and attributes.
///
/// `R` is [`Resource`] (async methods) or [`crate::blocking::Resource`]
/// (blocking methods, [`super::blocking::Bucket`]). The transfer methods
/// take boto3's `Config` as `config` and its `ExtraArgs` and `Callback` as
/// `options`; see [`TransferManager`](super::TransferManager) for what
/// each does.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket<R = Resource> {
    pub(super) resource: R,
    pub(super) name: String,
}

impl<R: AnyResource> Deref for Bucket<R> {
    type Target = R;
    fn deref(&self) -> &R {
        &self.resource
    }
}

impl<R: AnyResource> Bucket<R> {
    /// Wraps an `s3.Bucket` resource; fails with [`Error::WrongResource`]
    /// for any other.
    pub fn new(resource: R) -> Result<Bucket<R>, Error> {
        check_type(resource.async_resource(), "Bucket")?;
        let name = string_id(resource.async_resource(), "name")?;
        Ok(Bucket { resource, name })
    }

    /// The bucket name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The generic resource.
    pub fn resource(&self) -> &R {
        &self.resource
    }

    /// Takes the generic resource out.
    pub fn into_resource(self) -> R {
        self.resource
    }

    /// The object `key` of this bucket (boto3's `bucket.Object(key)`), as
    /// an [`Object`].
    pub fn object(&self, key: &str) -> Result<Object<R>, Error> {
        Object::new(self.resource.object_resource(key)?)
    }
}

impl Bucket {
    /// Uploads a file to `key` (boto3's `Bucket.upload_file(Filename,
    /// Key, ...)`).
    pub async fn upload_file(
        &self,
        filename: impl AsRef<Path> + Send,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().upload_file(filename, &self.name, key, config, options).await
    }

    /// Uploads what `fileobj` gives to `key` (boto3's
    /// `Bucket.upload_fileobj(Fileobj, Key, ...)`).
    pub async fn upload_fileobj<R>(
        &self,
        fileobj: R,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError>
    where
        R: AsyncRead + Unpin + Send,
    {
        self.client().upload_fileobj(fileobj, &self.name, key, config, options).await
    }

    /// Downloads `key` to a file (boto3's `Bucket.download_file(Key,
    /// Filename, ...)`).
    pub async fn download_file(
        &self,
        key: &str,
        filename: impl AsRef<Path> + Send,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().download_file(&self.name, key, filename, config, options).await
    }

    /// Downloads `key` into `fileobj` (boto3's
    /// `Bucket.download_fileobj(Key, Fileobj, ...)`).
    pub async fn download_fileobj<W>(
        &self,
        key: &str,
        fileobj: &mut W,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError>
    where
        W: AsyncWrite + Unpin + Send,
    {
        self.client().download_fileobj(&self.name, key, fileobj, config, options).await
    }

    /// Copies `copy_source` to `key` of this bucket (boto3's
    /// `Bucket.copy(CopySource, Key, ...)`; its `SourceClient` is
    /// [`TransferOptions::source_client`]).
    pub async fn copy(
        &self,
        copy_source: &CopySource,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().copy(copy_source, &self.name, key, config, options).await
    }

    /// A presigned browser upload to `key` of this bucket (`key` may end
    /// in `${filename}`); see [`presign::presign_post`].
    pub async fn presign_post(
        &self,
        key: &str,
        fields: IndexMap<String, String>,
        conditions: Vec<serde_json::Value>,
        expires_in: u64,
    ) -> Result<PresignedPost, boto_core::Error> {
        presign::presign_post(self.client(), &self.name, key, fields, conditions, expires_in).await
    }
}

/// An `s3.Object` resource with boto3's injected object methods: managed
/// transfers to and from this object, and presigned URLs and POSTs for it.
/// Dereferences to the generic resource for the model's actions and
/// attributes.
///
/// `R` is [`Resource`] (async methods) or [`crate::blocking::Resource`]
/// (blocking methods, [`super::blocking::Object`]). Uploads and copies to
/// the object clear its loaded data, as actions do, so the next attribute
/// read loads the new object.
#[derive(Debug, Clone, PartialEq)]
pub struct Object<R = Resource> {
    pub(super) resource: R,
    pub(super) bucket_name: String,
    pub(super) key: String,
}

impl<R: AnyResource> Deref for Object<R> {
    type Target = R;
    fn deref(&self) -> &R {
        &self.resource
    }
}

impl<R: AnyResource> Object<R> {
    /// Wraps an `s3.Object` resource; fails with [`Error::WrongResource`]
    /// for any other.
    pub fn new(resource: R) -> Result<Object<R>, Error> {
        check_type(resource.async_resource(), "Object")?;
        let bucket_name = string_id(resource.async_resource(), "bucket_name")?;
        let key = string_id(resource.async_resource(), "key")?;
        Ok(Object { resource, bucket_name, key })
    }

    /// The bucket name.
    pub fn bucket_name(&self) -> &str {
        &self.bucket_name
    }

    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The generic resource.
    pub fn resource(&self) -> &R {
        &self.resource
    }

    /// Takes the generic resource out.
    pub fn into_resource(self) -> R {
        self.resource
    }

    /// Clears the loaded data after a write to the object.
    pub(crate) fn written<T>(&self, result: T) -> T {
        self.resource.async_resource().set_data(None);
        result
    }
}

impl Object {
    /// Uploads a file to this object (boto3's `Object.upload_file(Filename,
    /// ...)`).
    pub async fn upload_file(
        &self,
        filename: impl AsRef<Path> + Send,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.written(self.client().upload_file(filename, &self.bucket_name, &self.key, config, options).await)
    }

    /// Uploads what `fileobj` gives to this object (boto3's
    /// `Object.upload_fileobj(Fileobj, ...)`).
    pub async fn upload_fileobj<R>(
        &self,
        fileobj: R,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError>
    where
        R: AsyncRead + Unpin + Send,
    {
        self.written(self.client().upload_fileobj(fileobj, &self.bucket_name, &self.key, config, options).await)
    }

    /// Downloads this object to a file (boto3's
    /// `Object.download_file(Filename, ...)`).
    pub async fn download_file(
        &self,
        filename: impl AsRef<Path> + Send,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().download_file(&self.bucket_name, &self.key, filename, config, options).await
    }

    /// Downloads this object into `fileobj` (boto3's
    /// `Object.download_fileobj(Fileobj, ...)`).
    pub async fn download_fileobj<W>(
        &self,
        fileobj: &mut W,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError>
    where
        W: AsyncWrite + Unpin + Send,
    {
        self.client().download_fileobj(&self.bucket_name, &self.key, fileobj, config, options).await
    }

    /// Copies `copy_source` to this object (boto3's
    /// `Object.copy(CopySource, ...)`; its `SourceClient` is
    /// [`TransferOptions::source_client`]).
    pub async fn copy(
        &self,
        copy_source: &CopySource,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.written(self.client().copy(copy_source, &self.bucket_name, &self.key, config, options).await)
    }

    /// A URL that GETs this object without credentials for `expires_in`
    /// seconds (1 to 604800); see [`presign::presign_get`].
    pub async fn presign_get(&self, expires_in: u64) -> Result<String, boto_core::Error> {
        presign::presign_get(self.client(), &self.bucket_name, &self.key, expires_in).await
    }

    /// A URL that PUTs a body to this object without credentials for
    /// `expires_in` seconds; see [`presign::presign_put`].
    pub async fn presign_put(&self, expires_in: u64) -> Result<String, boto_core::Error> {
        presign::presign_put(self.client(), &self.bucket_name, &self.key, expires_in).await
    }

    /// A presigned URL for any object operation on this object
    /// (`HeadObject`, `DeleteObject`, ...), with more parameters in
    /// `params`; see [`presign::presign`].
    pub async fn presign(&self, operation: &str, params: Value, expires_in: u64) -> Result<String, boto_core::Error> {
        presign::presign(self.client(), operation, &self.bucket_name, &self.key, params, expires_in).await
    }

    /// [`presign`](Object::presign) with boto3's `ExpiresIn` and
    /// `HttpMethod` in `options`; see [`presign::presign_with`].
    pub async fn presign_with(
        &self,
        operation: &str,
        params: Value,
        options: PresignOptions,
    ) -> Result<String, boto_core::Error> {
        presign::presign_with(self.client(), operation, &self.bucket_name, &self.key, params, options).await
    }

    /// A presigned browser upload to this object; see
    /// [`presign::presign_post`].
    pub async fn presign_post(
        &self,
        fields: IndexMap<String, String>,
        conditions: Vec<serde_json::Value>,
        expires_in: u64,
    ) -> Result<PresignedPost, boto_core::Error> {
        presign::presign_post(self.client(), &self.bucket_name, &self.key, fields, conditions, expires_in).await
    }
}
