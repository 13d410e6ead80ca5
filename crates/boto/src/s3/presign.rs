//! Presigned S3 URLs and POSTs: thin helpers over the client's
//! [`presigned_url`](boto_core::Client::presigned_url) and
//! [`presigned_post`](boto_core::Client::presigned_post), as boto3's
//! `generate_presigned_url` and `generate_presigned_post`.
//!
//! ```no_run
//! # async fn demo(s3: boto::boto_core::Client) -> Result<(), boto::boto_core::Error> {
//! // Anyone holding these URLs can read / write the object for an hour.
//! let get = boto::s3::presign_get(&s3, "my-bucket", "report.pdf", 3600).await?;
//! let put = boto::s3::presign_put(&s3, "my-bucket", "upload.bin", 3600).await?;
//! // A browser form upload, limited to 10 MiB.
//! let post = boto::s3::presign_post(
//!     &s3,
//!     "my-bucket",
//!     "uploads/${filename}",
//!     Default::default(),
//!     vec![serde_json::json!(["content-length-range", 0, 10485760])],
//!     600,
//! )
//! .await?;
//! println!("{get}\n{put}\nPOST {} with {:?}", post.url, post.fields.keys().collect::<Vec<_>>());
//! // boto3's HttpMethod: a GetObject URL signed for PUT.
//! let options = boto::s3::PresignOptions::new().expires_in(600).http_method(boto::s3::presign::Method::PUT);
//! let upload = boto::s3::presign::presign_with(&s3, "GetObject", "my-bucket", "in.bin", boto::Value::Null, options).await?;
//! # let _ = upload;
//! # Ok(()) }
//! ```

use boto_core::{Client, Error, Value};
use indexmap::IndexMap;

pub use boto_core::auth::presign::PresignedPost;
pub use boto_core::{Method, PresignOptions};

/// The longest validity SigV4 allows: 7 days.
pub const MAX_EXPIRES_IN: u64 = 604_800;

/// A URL that GETs `bucket`/`key` without credentials for `expires_in`
/// seconds (1 to 604800).
pub async fn presign_get(client: &Client, bucket: &str, key: &str, expires_in: u64) -> Result<String, Error> {
    presign(client, "GetObject", bucket, key, Value::map(), expires_in).await
}

/// A URL that PUTs a body to `bucket`/`key` without credentials for
/// `expires_in` seconds (1 to 604800).
pub async fn presign_put(client: &Client, bucket: &str, key: &str, expires_in: u64) -> Result<String, Error> {
    presign(client, "PutObject", bucket, key, Value::map(), expires_in).await
}

/// A presigned URL for any object operation (`GetObject`, `PutObject`,
/// `HeadObject`, `DeleteObject`, `UploadPart`, ...), with more parameters
/// in `params` (a map: `ContentType`, `VersionId`, `PartNumber`, ...).
/// Parameters sent as headers must be sent with the same values by whoever
/// uses the URL.
pub async fn presign(
    client: &Client,
    operation: &str,
    bucket: &str,
    key: &str,
    params: Value,
    expires_in: u64,
) -> Result<String, Error> {
    presign_with(client, operation, bucket, key, params, PresignOptions::new().expires_in(expires_in)).await
}

/// [`presign`] with boto3's `ExpiresIn` and `HttpMethod` in `options`: with
/// an HTTP method set, the URL is signed for it instead of the operation's
/// own (see [`Client::presigned_url_with`]).
pub async fn presign_with(
    client: &Client,
    operation: &str,
    bucket: &str,
    key: &str,
    params: Value,
    options: PresignOptions,
) -> Result<String, Error> {
    let params = with_object(params, bucket, key)?;
    client.presigned_url_with(operation, params, options).await
}

/// The URL and form fields of a browser upload to `bucket`/`key` (`key`
/// may end in `${filename}`), valid for `expires_in` seconds: `fields` are
/// added to the form and to the policy, `conditions` to the policy (JSON,
/// as boto3's `Conditions`).
pub async fn presign_post(
    client: &Client,
    bucket: &str,
    key: &str,
    fields: IndexMap<String, String>,
    conditions: Vec<serde_json::Value>,
    expires_in: u64,
) -> Result<PresignedPost, Error> {
    client.presigned_post(bucket, key, fields, conditions, expires_in).await
}

fn with_object(params: Value, bucket: &str, key: &str) -> Result<Value, Error> {
    let mut params = match params {
        Value::Null => Value::map(),
        v @ Value::Map(_) => v,
        other => return Err(Error::Other(format!("presign parameters must be a map, not {}", other.kind()))),
    };
    params.insert("Bucket", bucket);
    params.insert("Key", key);
    Ok(params)
}

/// The same helpers for a blocking client.
pub mod blocking {
    use boto_core::blocking::Client;
    use boto_core::{Error, Value};
    use indexmap::IndexMap;

    use super::{PresignOptions, PresignedPost};

    /// See [`super::presign_get`].
    pub fn presign_get(client: &Client, bucket: &str, key: &str, expires_in: u64) -> Result<String, Error> {
        presign(client, "GetObject", bucket, key, Value::map(), expires_in)
    }

    /// See [`super::presign_put`].
    pub fn presign_put(client: &Client, bucket: &str, key: &str, expires_in: u64) -> Result<String, Error> {
        presign(client, "PutObject", bucket, key, Value::map(), expires_in)
    }

    /// See [`super::presign`].
    pub fn presign(
        client: &Client,
        operation: &str,
        bucket: &str,
        key: &str,
        params: Value,
        expires_in: u64,
    ) -> Result<String, Error> {
        presign_with(client, operation, bucket, key, params, PresignOptions::new().expires_in(expires_in))
    }

    /// See [`super::presign_with`].
    pub fn presign_with(
        client: &Client,
        operation: &str,
        bucket: &str,
        key: &str,
        params: Value,
        options: PresignOptions,
    ) -> Result<String, Error> {
        client.presigned_url_with(operation, super::with_object(params, bucket, key)?, options)
    }

    /// See [`super::presign_post`].
    pub fn presign_post(
        client: &Client,
        bucket: &str,
        key: &str,
        fields: IndexMap<String, String>,
        conditions: Vec<serde_json::Value>,
        expires_in: u64,
    ) -> Result<PresignedPost, Error> {
        client.runtime().block_on(client.as_async().presigned_post(bucket, key, fields, conditions, expires_in))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::builder("s3")
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:9")
            .credentials(boto_core::credentials::Credentials::new("AKIDEXAMPLE", "secret-value", None))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn urls_are_signed_for_the_object() {
        let s3 = client();
        let url = presign_get(&s3, "bkt", "dir/a b.txt", 600).await.unwrap();
        assert!(url.starts_with("http://127.0.0.1:9/bkt/dir/a%20b.txt?"), "{url}");
        assert!(url.contains("X-Amz-Expires=600") && url.contains("X-Amz-Signature="), "{url}");
        assert!(!url.contains("secret-value"));
        let put = presign_put(&s3, "bkt", "k", 60).await.unwrap();
        assert_ne!(put, url);
        let options = PresignOptions::new().expires_in(60).http_method(Method::PUT);
        let get_as_put = presign_with(&s3, "GetObject", "bkt", "k", Value::Null, options).await.unwrap();
        assert!(get_as_put.contains("X-Amz-Expires=60&"), "{get_as_put}");
        assert!(presign(&s3, "GetObject", "bkt", "k", Value::from(1), 60).await.is_err());
        assert!(presign_get(&s3, "bkt", "k", MAX_EXPIRES_IN + 1).await.is_err());
        let post = presign_post(&s3, "bkt", "k", IndexMap::new(), Vec::new(), 60).await.unwrap();
        assert!(post.fields.contains_key("policy") && post.fields.contains_key("x-amz-signature"));
        assert!(!format!("{post:?}").contains("secret-value"));
    }
}
