//! Presigned URLs for any operation, and S3 presigned POSTs.

use time::OffsetDateTime;

use super::call::join_url;
use super::Client;
use crate::auth::{self, AuthScheme, Identity};
use crate::error::Error;
use crate::protocol;
use crate::value::Value;

pub use crate::auth::presign::PresignedPost;

impl Client {
    /// A URL that performs `operation` with `params` without credentials,
    /// valid for `expires_in` seconds (1 to 604800), as boto3's
    /// `generate_presigned_url`.
    ///
    /// ```no_run
    /// # async fn demo(s3: boto_core::Client) -> Result<(), boto_core::Error> {
    /// let url = s3.presigned_url("get_object", boto_core::params!({ "Bucket": "b", "Key": "k" }), 3600).await?;
    /// # let _ = url; Ok(()) }
    /// ```
    pub async fn presigned_url(&self, operation: &str, params: Value, expires_in: u64) -> Result<String, Error> {
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
        auth::presign::presigned_url(request, &scheme, identity, OffsetDateTime::now_utc(), expires_in)
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
