//! The S3 client and resource methods for blocking code: [`S3ClientExt`]
//! on [`boto_core::blocking::Client`] and [`S3ResourceExt`] on
//! [`crate::blocking::Resource`], over the blocking
//! [`TransferManager`] and the
//! blocking [`presign`](super::presign::blocking) helpers.
//!
//! ```no_run
//! use boto::s3::blocking::{S3ClientExt, S3ResourceExt};
//! use boto::s3::transfer::{TransferConfig, TransferOptions};
//!
//! let session = boto::blocking::Session::builder().region("us-east-1").build()?;
//! let config = TransferConfig::default();
//! let object = session.resource("s3")?.bucket("my-bucket")?.object("report.pdf")?.as_s3_object()?;
//! object.upload_file("report.pdf", &config, TransferOptions::new())?;
//! let url = object.presign_get(3600)?;
//! session.client("s3")?.download_file("my-bucket", "report.pdf", "copy.pdf", &config, TransferOptions::new())?;
//! # let _ = url; Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Calling these from inside an async runtime fails with
//! [`boto_core::Error::BlockingInAsync`].

use std::io::{Read, Write};
use std::path::Path;

use boto_core::blocking::Client;
use boto_core::Value;
use indexmap::IndexMap;

use super::presign::{blocking as presign, PresignOptions, PresignedPost};
use super::sealed::BlockingClient;
use super::transfer::blocking::TransferManager;
use super::transfer::{CopySource, TransferConfig, TransferError, TransferOptions, TransferOutput};
pub use super::S3ResourceExt;
use crate::blocking::Resource;

/// boto3's S3 client methods on a blocking client (see
/// [`super::S3ClientExt`]). Sealed: implemented for
/// [`boto_core::blocking::Client`] only.
pub trait S3ClientExt: BlockingClient {
    /// Uploads a file (see [`super::S3ClientExt::upload_file`]).
    fn upload_file(
        &self,
        filename: impl AsRef<Path>,
        bucket: &str,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        manager(self.s3_client(), config)?.upload_file(filename, bucket, key, options)
    }

    /// Uploads what a `std::io::Read` gives (see
    /// [`super::S3ClientExt::upload_fileobj`]); it is read on a thread of
    /// its own.
    fn upload_fileobj<R: Read + Send>(
        &self,
        fileobj: R,
        bucket: &str,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        manager(self.s3_client(), config)?.upload_fileobj(fileobj, bucket, key, options)
    }

    /// Downloads to a file (see [`super::S3ClientExt::download_file`]).
    fn download_file(
        &self,
        bucket: &str,
        key: &str,
        filename: impl AsRef<Path>,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        manager(self.s3_client(), config)?.download_file(bucket, key, filename, options)
    }

    /// Downloads into a `std::io::Write`, in order (see
    /// [`super::S3ClientExt::download_fileobj`]).
    fn download_fileobj<W: Write + Send>(
        &self,
        bucket: &str,
        key: &str,
        fileobj: W,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        manager(self.s3_client(), config)?.download_fileobj(bucket, key, fileobj, options)
    }

    /// Copies an object (see [`super::S3ClientExt::copy`]); boto3's
    /// `SourceClient` is [`TransferOptions::source_client`], best given a
    /// blocking client.
    fn copy(
        &self,
        copy_source: &CopySource,
        bucket: &str,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        manager(self.s3_client(), config)?.copy(copy_source, bucket, key, options)
    }

    /// A presigned URL (see [`super::S3ClientExt::generate_presigned_url`]).
    fn generate_presigned_url(
        &self,
        client_method: &str,
        params: Value,
        expires_in: u64,
    ) -> Result<String, boto_core::Error> {
        self.s3_client().presigned_url(client_method, params, expires_in)
    }

    /// A presigned URL with boto3's `ExpiresIn` and `HttpMethod` (see
    /// [`super::S3ClientExt::generate_presigned_url_with`]).
    fn generate_presigned_url_with(
        &self,
        client_method: &str,
        params: Value,
        options: PresignOptions,
    ) -> Result<String, boto_core::Error> {
        self.s3_client().presigned_url_with(client_method, params, options)
    }

    /// A presigned POST (see [`super::S3ClientExt::generate_presigned_post`]).
    fn generate_presigned_post(
        &self,
        bucket: &str,
        key: &str,
        fields: IndexMap<String, String>,
        conditions: Vec<serde_json::Value>,
        expires_in: u64,
    ) -> Result<PresignedPost, boto_core::Error> {
        presign::presign_post(self.s3_client(), bucket, key, fields, conditions, expires_in)
    }
}

impl S3ClientExt for Client {}

fn manager(client: &Client, config: &TransferConfig) -> Result<TransferManager, TransferError> {
    TransferManager::new(client.clone(), config.clone())
}

/// A blocking `s3.Bucket` with boto3's injected bucket methods (see
/// [`super::Bucket`]).
pub type Bucket = super::Bucket<Resource>;

/// A blocking `s3.Object` with boto3's injected object methods (see
/// [`super::Object`]). Uploads and copies to it clear its loaded data.
pub type Object = super::Object<Resource>;

impl Bucket {
    /// Uploads a file to `key` (see [`super::Bucket::upload_file`]).
    pub fn upload_file(
        &self,
        filename: impl AsRef<Path>,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().upload_file(filename, &self.name, key, config, options)
    }

    /// Uploads what `fileobj` gives to `key` (see
    /// [`super::Bucket::upload_fileobj`]).
    pub fn upload_fileobj<R: Read + Send>(
        &self,
        fileobj: R,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().upload_fileobj(fileobj, &self.name, key, config, options)
    }

    /// Downloads `key` to a file (see [`super::Bucket::download_file`]).
    pub fn download_file(
        &self,
        key: &str,
        filename: impl AsRef<Path>,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().download_file(&self.name, key, filename, config, options)
    }

    /// Downloads `key` into `fileobj` (see
    /// [`super::Bucket::download_fileobj`]).
    pub fn download_fileobj<W: Write + Send>(
        &self,
        key: &str,
        fileobj: W,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().download_fileobj(&self.name, key, fileobj, config, options)
    }

    /// Copies `copy_source` to `key` (see [`super::Bucket::copy`]).
    pub fn copy(
        &self,
        copy_source: &CopySource,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().copy(copy_source, &self.name, key, config, options)
    }

    /// A presigned browser upload to `key` (see
    /// [`super::Bucket::presign_post`]).
    pub fn presign_post(
        &self,
        key: &str,
        fields: IndexMap<String, String>,
        conditions: Vec<serde_json::Value>,
        expires_in: u64,
    ) -> Result<PresignedPost, boto_core::Error> {
        presign::presign_post(&self.client(), &self.name, key, fields, conditions, expires_in)
    }
}

impl Object {
    /// Uploads a file to this object (see [`super::Object::upload_file`]).
    pub fn upload_file(
        &self,
        filename: impl AsRef<Path>,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.written(self.client().upload_file(filename, &self.bucket_name, &self.key, config, options))
    }

    /// Uploads what `fileobj` gives to this object (see
    /// [`super::Object::upload_fileobj`]).
    pub fn upload_fileobj<R: Read + Send>(
        &self,
        fileobj: R,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.written(self.client().upload_fileobj(fileobj, &self.bucket_name, &self.key, config, options))
    }

    /// Downloads this object to a file (see
    /// [`super::Object::download_file`]).
    pub fn download_file(
        &self,
        filename: impl AsRef<Path>,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().download_file(&self.bucket_name, &self.key, filename, config, options)
    }

    /// Downloads this object into `fileobj` (see
    /// [`super::Object::download_fileobj`]).
    pub fn download_fileobj<W: Write + Send>(
        &self,
        fileobj: W,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.client().download_fileobj(&self.bucket_name, &self.key, fileobj, config, options)
    }

    /// Copies `copy_source` to this object (see [`super::Object::copy`]).
    pub fn copy(
        &self,
        copy_source: &CopySource,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> Result<TransferOutput, TransferError> {
        self.written(self.client().copy(copy_source, &self.bucket_name, &self.key, config, options))
    }

    /// A URL that GETs this object (see [`super::Object::presign_get`]).
    pub fn presign_get(&self, expires_in: u64) -> Result<String, boto_core::Error> {
        presign::presign_get(&self.client(), &self.bucket_name, &self.key, expires_in)
    }

    /// A URL that PUTs this object (see [`super::Object::presign_put`]).
    pub fn presign_put(&self, expires_in: u64) -> Result<String, boto_core::Error> {
        presign::presign_put(&self.client(), &self.bucket_name, &self.key, expires_in)
    }

    /// A presigned URL for any operation on this object (see
    /// [`super::Object::presign`]).
    pub fn presign(&self, operation: &str, params: Value, expires_in: u64) -> Result<String, boto_core::Error> {
        presign::presign(&self.client(), operation, &self.bucket_name, &self.key, params, expires_in)
    }

    /// A presigned URL with boto3's `ExpiresIn` and `HttpMethod` for any
    /// operation on this object (see [`super::Object::presign_with`]).
    pub fn presign_with(
        &self,
        operation: &str,
        params: Value,
        options: PresignOptions,
    ) -> Result<String, boto_core::Error> {
        presign::presign_with(&self.client(), operation, &self.bucket_name, &self.key, params, options)
    }

    /// A presigned browser upload to this object (see
    /// [`super::Object::presign_post`]).
    pub fn presign_post(
        &self,
        fields: IndexMap<String, String>,
        conditions: Vec<serde_json::Value>,
        expires_in: u64,
    ) -> Result<PresignedPost, boto_core::Error> {
        presign::presign_post(&self.client(), &self.bucket_name, &self.key, fields, conditions, expires_in)
    }
}
