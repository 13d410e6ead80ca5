//! [`S3ClientExt`]: the methods boto3 injects into the S3 client
//! (`upload_file`, `download_file`, `upload_fileobj`, `download_fileobj`,
//! `copy`, `generate_presigned_url`, `generate_presigned_post`), over the
//! [`transfer`](super::transfer) engine and the [`presign`](super::presign)
//! helpers.

use std::future::Future;
use std::path::Path;

use boto_core::{Client, Value};
use indexmap::IndexMap;
use tokio::io::{AsyncRead, AsyncWrite};

use super::presign::{self, PresignOptions, PresignedPost};
use super::sealed::AsyncClient;
use super::transfer::{self, CopySource, TransferConfig, TransferError, TransferOptions, TransferOutput};

/// boto3's S3 client methods on a [`boto_core::Client`] for S3: managed
/// transfers and presigning. Import it to call them on the client.
///
/// Each transfer runs on its own [`TransferManager`](transfer::TransferManager)
/// made from `config` (boto3's `Config`); `options` carries boto3's
/// `ExtraArgs` and `Callback`. To share one concurrency limit between
/// transfers, use a `TransferManager` directly.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use boto::s3::transfer::{CopySource, ExtraArgs, TransferConfig, TransferOptions};
/// use boto::s3::S3ClientExt;
///
/// let s3 = boto::Session::builder().region("us-east-1").build()?.client("s3")?;
/// let config = TransferConfig::default();
/// let options = TransferOptions::new().extra_args(ExtraArgs::new().content_type("text/csv"));
/// s3.upload_file("data.csv", "my-bucket", "in/data.csv", &config, options).await?;
/// s3.copy(&CopySource::new("my-bucket", "in/data.csv"), "my-bucket", "archive/data.csv", &config, TransferOptions::new())
///     .await?;
/// s3.download_file("my-bucket", "archive/data.csv", "copy.csv", &config, TransferOptions::new()).await?;
/// let url = s3
///     .generate_presigned_url("get_object", boto::params!({ "Bucket": "my-bucket", "Key": "in/data.csv" }), 3600)
///     .await?;
/// # let _ = url; Ok(()) }
/// ```
///
/// This trait is sealed: it is implemented for [`boto_core::Client`] only
/// (the blocking client has [`super::blocking::S3ClientExt`]).
pub trait S3ClientExt: AsyncClient {
    /// Uploads a file to `bucket`/`key` (boto3's
    /// `upload_file(Filename, Bucket, Key, ExtraArgs, Callback, Config)`):
    /// one `PutObject` below `config.multipart_threshold`, a multipart
    /// upload above it. See [`transfer::TransferManager::upload_file`].
    fn upload_file(
        &self,
        filename: impl AsRef<Path> + Send,
        bucket: &str,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> impl Future<Output = Result<TransferOutput, TransferError>> + Send {
        transfer::upload_file(self.s3_client(), filename, bucket, key, config, options)
    }

    /// Uploads everything `fileobj` gives to `bucket`/`key` (boto3's
    /// `upload_fileobj`); the reader need not be seekable. See
    /// [`transfer::TransferManager::upload_fileobj`].
    fn upload_fileobj<R>(
        &self,
        fileobj: R,
        bucket: &str,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> impl Future<Output = Result<TransferOutput, TransferError>> + Send
    where
        R: AsyncRead + Unpin + Send,
    {
        transfer::upload_fileobj(self.s3_client(), fileobj, bucket, key, config, options)
    }

    /// Downloads `bucket`/`key` to a file (boto3's `download_file(Bucket,
    /// Key, Filename, ...)`); on failure nothing is left at `filename`. See
    /// [`transfer::TransferManager::download_file`].
    fn download_file(
        &self,
        bucket: &str,
        key: &str,
        filename: impl AsRef<Path> + Send,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> impl Future<Output = Result<TransferOutput, TransferError>> + Send {
        transfer::download_file(self.s3_client(), bucket, key, filename, config, options)
    }

    /// Downloads `bucket`/`key` into `fileobj`, in order (boto3's
    /// `download_fileobj`). See [`transfer::TransferManager::download_fileobj`].
    fn download_fileobj<W>(
        &self,
        bucket: &str,
        key: &str,
        fileobj: &mut W,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> impl Future<Output = Result<TransferOutput, TransferError>> + Send
    where
        W: AsyncWrite + Unpin + Send,
    {
        transfer::download_fileobj(self.s3_client(), bucket, key, fileobj, config, options)
    }

    /// Copies `copy_source` to `bucket`/`key` (boto3's `copy(CopySource,
    /// Bucket, Key, ExtraArgs, Callback, SourceClient, Config)`):
    /// `CopyObject`, or parallel `UploadPartCopy` above the threshold.
    /// boto3's `SourceClient` is [`TransferOptions::source_client`]: the
    /// client that reads the source (e.g. in the source bucket's region),
    /// while the copy goes through this one. See
    /// [`transfer::TransferManager::copy`].
    fn copy(
        &self,
        copy_source: &CopySource,
        bucket: &str,
        key: &str,
        config: &TransferConfig,
        options: TransferOptions,
    ) -> impl Future<Output = Result<TransferOutput, TransferError>> + Send {
        transfer::copy(self.s3_client(), copy_source, bucket, key, config, options)
    }

    /// A URL that performs `client_method` (`get_object`, `PutObject`, ...)
    /// with `params` without credentials for `expires_in` seconds (1 to
    /// 604800): boto3's `generate_presigned_url(ClientMethod, Params,
    /// ExpiresIn)`, the same as [`Client::presigned_url`]. The URL is for the
    /// operation's own HTTP method; for boto3's `HttpMethod`, see
    /// [`generate_presigned_url_with`](S3ClientExt::generate_presigned_url_with).
    fn generate_presigned_url(
        &self,
        client_method: &str,
        params: Value,
        expires_in: u64,
    ) -> impl Future<Output = Result<String, boto_core::Error>> + Send {
        self.s3_client().presigned_url(client_method, params, expires_in)
    }

    /// boto3's `generate_presigned_url(ClientMethod, Params, ExpiresIn,
    /// HttpMethod)`: `options` carries `ExpiresIn` and `HttpMethod`, the
    /// same as [`Client::presigned_url_with`].
    ///
    /// ```no_run
    /// # async fn demo(s3: boto::boto_core::Client) -> Result<(), boto::boto_core::Error> {
    /// use boto::s3::presign::{Method, PresignOptions};
    /// use boto::s3::S3ClientExt;
    ///
    /// // A get_object URL that accepts a PUT (boto3: HttpMethod="PUT").
    /// let options = PresignOptions::new().expires_in(600).http_method(Method::PUT);
    /// let url = s3
    ///     .generate_presigned_url_with("get_object", boto::params!({ "Bucket": "b", "Key": "k" }), options)
    ///     .await?;
    /// # let _ = url; Ok(()) }
    /// ```
    fn generate_presigned_url_with(
        &self,
        client_method: &str,
        params: Value,
        options: PresignOptions,
    ) -> impl Future<Output = Result<String, boto_core::Error>> + Send {
        self.s3_client().presigned_url_with(client_method, params, options)
    }

    /// The URL and form fields of a browser upload to `bucket`/`key`
    /// (boto3's `generate_presigned_post(Bucket, Key, Fields, Conditions,
    /// ExpiresIn)`). See [`presign::presign_post`].
    fn generate_presigned_post(
        &self,
        bucket: &str,
        key: &str,
        fields: IndexMap<String, String>,
        conditions: Vec<serde_json::Value>,
        expires_in: u64,
    ) -> impl Future<Output = Result<PresignedPost, boto_core::Error>> + Send {
        presign::presign_post(self.s3_client(), bucket, key, fields, conditions, expires_in)
    }
}

impl S3ClientExt for Client {}
