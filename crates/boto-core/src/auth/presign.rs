//! Presigned URLs for any request, and S3 presigned POST (botocore's
//! `generate_presigned_url` and `generate_presigned_post`).

use indexmap::IndexMap;
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::encode::hex;
use super::sigv4::{hmac_sha256, signing_key, AmzDate};
use super::{AuthScheme, Identity, SessionTokenMode, SigV4Scheme, SigningError};
use crate::credentials::Credentials;
use crate::request::HttpRequest;
use crate::value::python_json;

/// botocore's default lifetime of presigned URLs and POSTs: one hour.
pub const DEFAULT_EXPIRES_IN: u64 = 3600;

const AUTO_FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Presigns a serialized request and returns its URL, as botocore's
/// `generate_presigned_url`: the content type the query serializer sets is
/// dropped and a form body (query and EC2 protocols) moves into the query
/// string, ahead of the auth parameters. S3 schemes sign
/// `UNSIGNED-PAYLOAD`.
///
/// ```
/// use boto_core::auth::{presign::presigned_url, AuthScheme, Identity, SigV4Scheme};
/// use boto_core::credentials::Credentials;
/// use boto_core::HttpRequest;
///
/// let req = HttpRequest::new(http::Method::GET, "https://bucket.s3.us-east-1.amazonaws.com/photos/cat.jpg");
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
/// let scheme = AuthScheme::SigV4(SigV4Scheme::s3("s3", "us-east-1"));
/// let now = time::macros::datetime!(2015-08-30 12:36:00 UTC);
/// let url = presigned_url(req, &scheme, Identity::Credentials(&creds), now, 900).unwrap();
/// assert!(url.starts_with("https://bucket.s3.us-east-1.amazonaws.com/photos/cat.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
/// assert!(url.contains("&X-Amz-Expires=900&"));
/// ```
pub fn presigned_url(
    mut req: HttpRequest,
    scheme: &AuthScheme,
    identity: Identity<'_>,
    time: OffsetDateTime,
    expires_in: u64,
) -> Result<String, SigningError> {
    let auto_form = req
        .headers
        .get(http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(AUTO_FORM_CONTENT_TYPE.as_bytes()));
    if auto_form {
        req.headers.remove(http::header::CONTENT_TYPE);
        if let Some(body) = req.body.as_bytes().filter(|b| !b.is_empty()) {
            let form = String::from_utf8_lossy(body).into_owned();
            let query = match req.query() {
                Some(q) if !q.is_empty() => format!("{q}&{form}"),
                _ => form,
            };
            super::sigv4::set_query(&mut req, &query);
            req.body = crate::Body::empty();
            req.headers.remove(http::header::CONTENT_LENGTH);
        }
    }
    super::presign(&mut req, scheme, identity, time, expires_in)?;
    Ok(req.url)
}

/// The URL and form fields of an S3 presigned POST.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedPost {
    /// Where to POST the form: the bucket's URL.
    pub url: String,
    /// The form fields, in order: the caller's, `key`, `x-amz-algorithm`,
    /// `x-amz-credential`, `x-amz-date`, `x-amz-security-token` (temporary
    /// credentials), `policy` (base64) and `x-amz-signature`.
    pub fields: IndexMap<String, String>,
}

impl std::fmt::Debug for PresignedPost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown: Vec<(&str, &str)> = self
            .fields
            .iter()
            .map(|(k, v)| {
                let secret =
                    k.eq_ignore_ascii_case("x-amz-security-token") || k.eq_ignore_ascii_case("x-amz-s3session-token");
                (k.as_str(), if secret { "** redacted **" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("PresignedPost").field("url", &self.url).field("fields", &shown).finish()
    }
}

/// Builds an S3 presigned POST as botocore's `generate_presigned_post`:
/// the policy document is `{"expiration": ..., "conditions": [...]}` with
/// the caller's conditions, then `{"bucket": bucket}`, the key condition
/// (`["starts-with", "$key", prefix]` for a key ending in `${filename}`,
/// else `{"key": key}`) and the signing conditions; it is serialized as
/// Python's `json.dumps` does and base64-encoded, and `x-amz-signature` is
/// the SigV4 HMAC of that base64 text.
///
/// `url` is the bucket URL from endpoint resolution (botocore resolves it
/// for `CreateBucket`); `scheme` gives the signing name (`s3`) and region.
#[allow(clippy::too_many_arguments)]
pub fn presigned_post(
    url: &str,
    bucket: &str,
    key: &str,
    fields: IndexMap<String, String>,
    conditions: Vec<Value>,
    expires_in: u64,
    scheme: &SigV4Scheme,
    creds: &Credentials,
    time: OffsetDateTime,
) -> Result<PresignedPost, SigningError> {
    if creds.access_key_id().is_empty() {
        return Err(SigningError::NoCredentials { scheme: "sigv4" });
    }
    let mut fields = fields;
    let mut conditions = conditions;
    conditions.push(json!({ "bucket": bucket }));
    match key.strip_suffix("${filename}") {
        Some(prefix) => conditions.push(json!(["starts-with", "$key", prefix])),
        None => conditions.push(json!({ "key": key })),
    }
    fields.insert("key".to_owned(), key.to_owned());

    let expires = i64::try_from(expires_in)
        .ok()
        .and_then(|s| time.checked_add(time::Duration::seconds(s)))
        .ok_or(SigningError::InvalidExpiry(expires_in))?;
    let amz_date = AmzDate::new(time);
    let credential =
        format!("{}/{}/{}/{}/aws4_request", creds.access_key_id(), amz_date.date(), scheme.region, scheme.signing_name);
    fields.insert("x-amz-algorithm".to_owned(), super::sigv4::ALGORITHM.to_owned());
    fields.insert("x-amz-credential".to_owned(), credential.clone());
    fields.insert("x-amz-date".to_owned(), amz_date.as_str().to_owned());
    conditions.push(json!({ "x-amz-algorithm": super::sigv4::ALGORITHM }));
    conditions.push(json!({ "x-amz-credential": credential }));
    conditions.push(json!({ "x-amz-date": amz_date.as_str() }));
    if let Some(token) = creds.session_token().filter(|t| !t.is_empty()) {
        let name = match scheme.options.session_token {
            SessionTokenMode::S3Express => "X-Amz-S3session-Token",
            _ => "x-amz-security-token",
        };
        fields.insert(name.to_owned(), token.to_owned());
        conditions.push(json!({ name: token }));
    }

    let mut policy = serde_json::Map::new();
    policy.insert("expiration".to_owned(), Value::String(iso8601(expires)));
    policy.insert("conditions".to_owned(), Value::Array(conditions));
    let policy_json = python_json_dumps(&Value::Object(policy));
    let policy_b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(policy_json.as_bytes())
    };
    let key = signing_key(creds.secret_access_key(), amz_date.date(), &scheme.region, &scheme.signing_name);
    let signature = hex(&hmac_sha256(&key, policy_b64.as_bytes()));
    fields.insert("policy".to_owned(), policy_b64);
    fields.insert("x-amz-signature".to_owned(), signature);
    Ok(PresignedPost { url: url.to_owned(), fields })
}

/// `%Y-%m-%dT%H:%M:%SZ` in UTC.
fn iso8601(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// JSON as Python's `json.dumps` writes it by default: `", "` and `": "`
/// separators, non-ASCII as `\uXXXX`.
pub fn python_json_dumps(value: &Value) -> String {
    let mut out = String::new();
    write_py(value, &mut out);
    out
}

fn write_py(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => python_json::write_str(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_py(v, out);
            }
            out.push(']');
        }
        Value::Object(o) => {
            out.push('{');
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_json::write_str(k, out);
                out.push_str(": ");
                write_py(v, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_json_matches_json_dumps() {
        let v = json!({"expiration": "2020-01-01T00:00:00Z", "conditions": [{"bucket": "b"}, ["starts-with", "$key", "x/"], ["content-length-range", 2, 5], "é😀\n\"\u{1}"]});
        assert_eq!(
            python_json_dumps(&v),
            r#"{"expiration": "2020-01-01T00:00:00Z", "conditions": [{"bucket": "b"}, ["starts-with", "$key", "x/"], ["content-length-range", 2, 5], "\u00e9\ud83d\ude00\n\"\u0001"]}"#
        );
    }
}
