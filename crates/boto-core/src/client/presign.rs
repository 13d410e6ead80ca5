//! Presigned URLs for any operation, and S3 presigned POSTs.

use time::OffsetDateTime;

use super::call::join_url;
use super::Client;
use crate::auth::{self, AuthScheme, Identity};
use crate::error::Error;
use crate::protocol;
use crate::value::Value;

pub use crate::auth::presign::PresignedPost;

/// The settings of a presigned URL beyond the operation and its parameters:
/// boto3's `ExpiresIn` and `HttpMethod` arguments of
/// `generate_presigned_url`. See [`Client::presigned_url_with`].
///
/// ```
/// use boto_core::{Method, PresignOptions};
///
/// let options = PresignOptions::new().expires_in(600).http_method(Method::PUT);
/// assert_eq!((options.expires_in, options.http_method), (600, Some(Method::PUT)));
/// // boto3's defaults: an hour, the operation's own method.
/// assert_eq!(PresignOptions::default(), PresignOptions { expires_in: 3600, http_method: None });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignOptions {
    /// How long the URL is valid, in seconds (1 to 604800); boto3's
    /// `ExpiresIn`, 3600 by default.
    pub expires_in: u64,
    /// The HTTP method the URL is signed for, instead of the operation's
    /// modeled one (boto3's `HttpMethod`); `None` keeps the operation's.
    /// Whoever uses the URL must send this method: the signature covers it.
    pub http_method: Option<http::Method>,
}

impl PresignOptions {
    /// The URL lives an hour and uses the operation's own method.
    pub fn new() -> PresignOptions {
        PresignOptions::default()
    }

    /// Sets how long the URL is valid, in seconds (1 to 604800).
    #[must_use]
    pub fn expires_in(mut self, seconds: u64) -> PresignOptions {
        self.expires_in = seconds;
        self
    }

    /// Signs the URL for `method` instead of the operation's own
    /// (boto3's `HttpMethod="PUT"` is `.http_method(Method::PUT)`).
    #[must_use]
    pub fn http_method(mut self, method: http::Method) -> PresignOptions {
        self.http_method = Some(method);
        self
    }
}

impl Default for PresignOptions {
    fn default() -> PresignOptions {
        PresignOptions { expires_in: 3600, http_method: None }
    }
}

impl Client {
    /// A URL that performs `operation` with `params` without credentials,
    /// valid for `expires_in` seconds (1 to 604800), as boto3's
    /// `generate_presigned_url`. For boto3's `HttpMethod`, see
    /// [`presigned_url_with`](Client::presigned_url_with).
    ///
    /// ```no_run
    /// # async fn demo(s3: boto_core::Client) -> Result<(), boto_core::Error> {
    /// let url = s3.presigned_url("get_object", boto_core::params!({ "Bucket": "b", "Key": "k" }), 3600).await?;
    /// # let _ = url; Ok(()) }
    /// ```
    pub async fn presigned_url(&self, operation: &str, params: Value, expires_in: u64) -> Result<String, Error> {
        self.presigned_url_with(operation, params, PresignOptions::new().expires_in(expires_in)).await
    }

    /// A presigned URL with every setting of boto3's
    /// `generate_presigned_url(ClientMethod, Params, ExpiresIn, HttpMethod)`:
    /// `options` carries `ExpiresIn` and `HttpMethod`. With an HTTP method
    /// set, the URL is signed for that method instead of the operation's
    /// (the parameters still shape the URL as for `operation`).
    ///
    /// ```no_run
    /// # async fn demo(s3: boto_core::Client) -> Result<(), boto_core::Error> {
    /// use boto_core::{params, Method, PresignOptions};
    ///
    /// // boto3: s3.generate_presigned_url("get_object", Params={...}, ExpiresIn=600, HttpMethod="PUT")
    /// let options = PresignOptions::new().expires_in(600).http_method(Method::PUT);
    /// let url = s3.presigned_url_with("get_object", params!({ "Bucket": "b", "Key": "k" }), options).await?;
    /// // Anyone may now `PUT` a body to `url` (a `GET` with it is refused).
    /// # let _ = url; Ok(()) }
    /// ```
    pub async fn presigned_url_with(
        &self,
        operation: &str,
        params: Value,
        options: PresignOptions,
    ) -> Result<String, Error> {
        self.presigned_url_at(operation, params, &options, OffsetDateTime::now_utc()).await
    }

    /// [`presigned_url_with`](Client::presigned_url_with) signing at `now`.
    pub(crate) async fn presigned_url_at(
        &self,
        operation: &str,
        params: Value,
        options: &PresignOptions,
        now: OffsetDateTime,
    ) -> Result<String, Error> {
        let inner = &*self.inner;
        let name = inner.operation_name(operation)?;
        let model = &*inner.model;
        let op = model.operation(name)?.ok_or_else(|| Error::UnknownOperation {
            service: inner.service.clone(),
            operation: name.to_owned(),
            suggestions: Vec::new(),
        })?;
        let mut params = params;
        let scratch = std::sync::Mutex::new(crate::value::Map::new());
        let ctx = crate::hooks::CallContext {
            service: &inner.service,
            operation: name,
            model,
            operation_model: op,
            attempt: 0,
            scratch: &scratch,
        };
        for hook in inner.hooks.iter() {
            hook.before_parameter_build(&ctx, &mut params)?;
        }
        if inner.settings.parameter_validation {
            crate::validate::validate(model, op, &params)?;
        }
        let credentials = match &inner.credentials {
            Some(cache) => Some(cache.credentials().await.map_err(|e| Error::Credentials(e.to_string()))?),
            None => None,
        };
        let serialize_op = inner.patched_operation_for(op);
        let serialized = protocol::serialize(model, &serialize_op, &params)?;
        let endpoint = inner.resolve_endpoint_for(&ctx, &params, credentials.as_ref())?;
        let mut request = serialized.request;
        // botocore's generate_presigned_url sets request_dict['method'].
        if let Some(method) = &options.http_method {
            request.method = method.clone();
        }
        let prefix = serialized.host_prefix.filter(|_| inner.settings.inject_host_prefix);
        request.url = join_url(&endpoint.url, &request.url, prefix.as_deref());
        for (k, v) in endpoint.first_header_values() {
            if let (Ok(k), Ok(v)) = (http::HeaderName::from_bytes(k.as_bytes()), http::HeaderValue::from_str(v)) {
                request.headers.insert(k, v);
            }
        }
        let mut config = inner.auth_config.clone();
        // botocore presigns in the client's region unless the bucket is an ARN.
        let arn_bucket = params.get("Bucket").and_then(Value::as_str).is_some_and(|b| b.starts_with("arn:"));
        config.ignore_endpoint_signing_region = !arn_bucket;
        let scheme =
            auth::resolve(model, op, inner.settings.region.as_deref(), endpoint.properties.get("authSchemes"), &config)
                .map_err(|e| Error::Signing(e.to_string()))?;
        let identity = match (&scheme, &credentials) {
            (AuthScheme::Anonymous, _) | (_, None) => Identity::Anonymous,
            (_, Some(c)) => Identity::Credentials(c),
        };
        if matches!(scheme, AuthScheme::Anonymous) {
            return Ok(request.url);
        }
        auth::presign::presigned_url(request, &scheme, identity, now, options.expires_in)
            .map_err(|e| Error::Signing(e.to_string()))
    }

    /// The URL and form fields of an S3 presigned POST, as boto3's
    /// `generate_presigned_post`: `fields` are added to the form and
    /// `conditions` to the policy (both may be empty).
    pub async fn presigned_post(
        &self,
        bucket: &str,
        key: &str,
        fields: indexmap::IndexMap<String, String>,
        conditions: Vec<serde_json::Value>,
        expires_in: u64,
    ) -> Result<PresignedPost, Error> {
        let inner = &*self.inner;
        let credentials = match &inner.credentials {
            Some(cache) => cache.credentials().await.map_err(|e| Error::Credentials(e.to_string()))?,
            None => return Err(Error::Credentials("presigned POSTs need credentials".into())),
        };
        let params = crate::params!({ "Bucket": bucket });
        let model = &*inner.model;
        let op = model.operation("CreateBucket")?.ok_or_else(|| Error::Other("s3 has no CreateBucket".into()))?;
        let scratch = std::sync::Mutex::new(crate::value::Map::new());
        let ctx = crate::hooks::CallContext {
            service: &inner.service,
            operation: "CreateBucket",
            model,
            operation_model: op,
            attempt: 0,
            scratch: &scratch,
        };
        let endpoint = inner.resolve_endpoint_for(&ctx, &params, Some(&credentials))?;
        let region = endpoint
            .auth_schemes()
            .first()
            .and_then(|s| s.signing_region.clone())
            .or_else(|| inner.settings.region.clone())
            .unwrap_or_else(|| "us-east-1".to_owned());
        let scheme = auth::SigV4Scheme::s3("s3", region);
        let url = join_url(&endpoint.url, "/", None);
        auth::presign::presigned_post(
            &url,
            bucket,
            key,
            fields,
            conditions,
            expires_in,
            &scheme,
            &credentials,
            OffsetDateTime::now_utc(),
        )
        .map_err(|e| Error::Signing(e.to_string()))
    }
}
