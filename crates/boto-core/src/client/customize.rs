//! Service customizations botocore applies through its handlers, as one
//! built-in interceptor (S3, Glacier, EC2, Route 53, IAM, CloudFormation,
//! API Gateway) and the model patches S3 and S3 Control need.

use std::sync::Arc;

use base64::Engine as _;

use crate::error::Error;
use crate::hooks::{CallContext, Interceptor};
use crate::model::Operation;
use crate::request::HttpRequest;
use crate::validate::{Problem, ValidationError};
use crate::value::Value;

/// The built-in interceptor first, then the user's.
pub(super) fn builtin_hooks(user: &[Arc<dyn Interceptor>]) -> Arc<[Arc<dyn Interceptor>]> {
    let mut hooks: Vec<Arc<dyn Interceptor>> = vec![Arc::new(Builtin)];
    hooks.extend(user.iter().cloned());
    hooks.into()
}

/// The operation as serialized: S3 without the `/{Bucket}` path prefix,
/// S3 Control without the `{AccountId}.` host prefix (the endpoint rules put
/// those in the URL).
pub(super) fn patch_operation(service: &str, op: &Operation) -> Operation {
    let mut op = op.clone();
    match service {
        "s3" => {
            if let Some(rest) = op.http.request_uri.strip_prefix("/{Bucket}") {
                let rest = if rest.is_empty() || rest.starts_with('?') { format!("/{rest}") } else { rest.to_owned() };
                op.http.request_uri = rest.into();
            }
        }
        "s3control" => {
            let requires_account =
                op.static_context_params.get("RequiresAccountId") == Some(&serde_json::Value::Bool(true));
            if requires_account {
                if let Some(prefix) = &op.host_prefix {
                    let trimmed = prefix.replace("{AccountId}.", "");
                    op.host_prefix = (!trimmed.is_empty()).then(|| trimmed.into());
                }
            }
        }
        _ => {}
    }
    op
}

#[derive(Debug)]
struct Builtin;

const LIST_OPERATIONS: [&str; 3] = ["ListObjects", "ListObjectsV2", "ListObjectVersions"];
const SSE_OPERATIONS: [&str; 9] = [
    "HeadObject",
    "GetObject",
    "PutObject",
    "CopyObject",
    "CreateMultipartUpload",
    "UploadPart",
    "UploadPartCopy",
    "CompleteMultipartUpload",
    "SelectObjectContent",
];
/// The call-scratch flag set when boto-rs chose `EncodingType=url` itself
/// (so the keys in the answer are decoded again).
const AUTO_ENCODING: &str = "__boto_encoding_type_auto_set";

impl Interceptor for Builtin {
    fn before_parameter_build(&self, ctx: &CallContext<'_>, params: &mut Value) -> Result<(), Error> {
        match (ctx.service, ctx.operation) {
            ("s3", op) => {
                validate_bucket_name(params)?;
                if LIST_OPERATIONS.contains(&op) && params.get("EncodingType").is_none_or(Value::is_null) {
                    params.insert("EncodingType", "url");
                    ctx.scratch_set(AUTO_ENCODING);
                }
                if op == "CopyObject" || op == "UploadPartCopy" {
                    copy_source(params)?;
                    sse_md5(params, "CopySourceSSECustomer");
                }
                if SSE_OPERATIONS.contains(&op) {
                    sse_md5(params, "SSECustomer");
                }
            }
            ("glacier", _) if params.get("accountId").is_none_or(Value::is_null) => {
                params.insert("accountId", "-");
            }
            ("ec2", "RunInstances") => {
                if let Some(data) = params.get("UserData") {
                    let bytes = match data {
                        Value::String(s) => Some(s.as_bytes().to_vec()),
                        Value::Blob(b) => Some(b.to_vec()),
                        _ => None,
                    };
                    if let Some(bytes) = bytes {
                        params.insert("UserData", base64::engine::general_purpose::STANDARD.encode(bytes));
                    }
                }
            }
            ("route53", _) => {
                let Some(input) = ctx.operation_model.input.as_ref() else { return Ok(()) };
                let shape = ctx.model.shape(input.shape);
                for member in shape.members.iter() {
                    let target = &ctx.model.shape(member.target).name;
                    if matches!(&**target, "ResourceId" | "DelegationSetId" | "ChangeId") {
                        if let Some(Value::String(id)) = params.get_mut(&member.name) {
                            if let Some(last) = id.rsplit('/').next() {
                                *id = last.to_owned();
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn request_created(&self, ctx: &CallContext<'_>, _params: &Value, request: &mut HttpRequest) -> Result<(), Error> {
        match ctx.service {
            "glacier" => {
                set_header(request, "x-amz-glacier-version", ctx.model.metadata().api_version.as_str());
                if matches!(ctx.operation, "UploadArchive" | "UploadMultipartPart") {
                    glacier_checksums(request)?;
                }
            }
            "apigateway" if !request.headers.contains_key(http::header::ACCEPT) => {
                set_header(request, "accept", "application/json");
            }
            _ => {}
        }
        Ok(())
    }

    fn after_call(&self, ctx: &CallContext<'_>, _params: &Value, result: &mut Result<Value, Error>) {
        let Ok(value) = result else { return };
        match (ctx.service, ctx.operation) {
            ("s3", op)
                if LIST_OPERATIONS.contains(&op)
                    && ctx.scratch_has(AUTO_ENCODING)
                    && value["EncodingType"].as_str() == Some("url") =>
            {
                decode_list_keys(op, value);
            }
            ("iam", _) => decode_policies(value),
            ("cloudformation", "GetTemplate") => {
                if let Some(Value::String(body)) = value.get("TemplateBody") {
                    if let Ok(json) = serde_json::from_str::<serde_json::Value>(body) {
                        value.insert("TemplateBody", Value::from(json));
                    }
                }
            }
            ("ec2", "GetConsoleOutput") => {
                if let Some(Value::String(out)) = value.get("Output") {
                    if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(out.trim()) {
                        value.insert("Output", String::from_utf8_lossy(&bytes).into_owned());
                    }
                }
            }
            _ => {}
        }
    }
}

fn set_header(request: &mut HttpRequest, name: &'static str, value: &str) {
    if let Ok(v) = http::HeaderValue::from_str(value) {
        request.headers.insert(name, v);
    }
}

fn invalid(path: &str, message: String) -> Error {
    Error::Validation(ValidationError { problems: vec![Problem { path: path.to_owned(), message }] })
}

/// botocore's `validate_bucket_name`: a plain name or an access point /
/// outposts ARN.
fn validate_bucket_name(params: &Value) -> Result<(), Error> {
    let Some(bucket) = params.get("Bucket").and_then(Value::as_str) else { return Ok(()) };
    let plain = !bucket.is_empty()
        && bucket.len() <= 255
        && bucket.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    let arn = bucket.starts_with("arn:") && (bucket.contains(":accesspoint") || bucket.contains(":outpost"));
    if plain || arn {
        return Ok(());
    }
    Err(invalid(
        "Bucket",
        format!(
            "Invalid bucket name \"{bucket}\": Bucket name must match the regex \"^[a-zA-Z0-9.\\-_]{{1,255}}$\" or be an ARN matching the regex \"^arn:(aws).*:(s3|s3-object-lambda):[a-z\\-0-9]*:[0-9]{{12}}:accesspoint[/:][a-zA-Z0-9\\-.]{{1,63}}$|^arn:(aws).*:s3-outposts:[a-z\\-0-9]+:[0-9]{{12}}:outpost[/:][a-zA-Z0-9\\-]{{1,63}}[/:]accesspoint[/:][a-zA-Z0-9\\-]{{1,63}}$\""
        ),
    ))
}

/// Percent-encodes all but unreserved characters and `/`.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `CopySource` as a string (`bucket/key[?versionId=v]`, key quoted) or a map
/// (`{Bucket, Key, VersionId}`).
fn copy_source(params: &mut Value) -> Result<(), Error> {
    let encoded = match params.get("CopySource") {
        Some(Value::String(s)) => match s.rfind("?versionId=") {
            Some(i) if !s[i..].contains(char::is_whitespace) => format!("{}{}", quote(&s[..i]), &s[i..]),
            _ => quote(s),
        },
        Some(Value::Map(m)) => {
            let field = |k: &str| m.get(k).and_then(Value::as_str);
            let (Some(bucket), Some(key)) = (field("Bucket"), field("Key")) else {
                return Err(invalid(
                    "CopySource",
                    "Missing required parameter: CopySource needs Bucket and Key".into(),
                ));
            };
            let arn = bucket.starts_with("arn:");
            let mut out = quote(&if arn { format!("{bucket}/object/{key}") } else { format!("{bucket}/{key}") });
            if let Some(v) = field("VersionId") {
                out.push_str("?versionId=");
                out.push_str(v);
            }
            out
        }
        _ => return Ok(()),
    };
    params.insert("CopySource", encoded);
    Ok(())
}

/// SSE-C: the key goes base64-encoded, with its MD5, unless the caller gave
/// the MD5.
fn sse_md5(params: &mut Value, prefix: &str) {
    let key_member = format!("{prefix}Key");
    let md5_member = format!("{prefix}KeyMD5");
    if params.get(&md5_member).is_some() {
        return;
    }
    let key = match params.get(&key_member) {
        Some(Value::String(s)) => s.as_bytes().to_vec(),
        Some(Value::Blob(b)) => b.to_vec(),
        _ => return,
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let md5 = crate::checksum::Algorithm::Md5.checksum(&key);
    params.insert(key_member, b64.encode(&key));
    params.insert(md5_member, md5);
}

fn unquote(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// URL-decodes the keys S3 encoded because boto-rs asked for
/// `EncodingType=url`.
fn decode_list_keys(op: &str, value: &mut Value) {
    let (top, nested): (&[&str], &[(&str, &str)]) = match op {
        "ListObjects" => (&["Delimiter", "Marker", "NextMarker"], &[("Contents", "Key"), ("CommonPrefixes", "Prefix")]),
        "ListObjectsV2" => {
            (&["Delimiter", "Prefix", "StartAfter"], &[("Contents", "Key"), ("CommonPrefixes", "Prefix")])
        }
        _ => (
            &["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
            &[("Versions", "Key"), ("DeleteMarkers", "Key"), ("CommonPrefixes", "Prefix")],
        ),
    };
    for key in top {
        if let Some(Value::String(s)) = value.get_mut(key) {
            *s = unquote(s);
        }
    }
    for (list, child) in nested {
        if let Some(items) = value.get_mut(list).and_then(Value::as_list_mut) {
            for item in items {
                if let Some(Value::String(s)) = item.get_mut(child) {
                    *s = unquote(s);
                }
            }
        }
    }
}

/// IAM returns policy documents URL-encoded; botocore decodes them into
/// JSON.
fn decode_policies(value: &mut Value) {
    fn walk(v: &mut Value) {
        match v {
            Value::Map(m) => {
                for (k, child) in m.iter_mut() {
                    if k.ends_with("PolicyDocument") {
                        if let Value::String(s) = child {
                            let text = unquote(s);
                            if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
                                *child = Value::from(json);
                                continue;
                            }
                        }
                    }
                    walk(child);
                }
            }
            Value::List(l) => l.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(value);
}

/// Glacier wants `x-amz-content-sha256` and `x-amz-sha256-tree-hash` (SHA-256
/// of 1 MiB chunks, combined pairwise).
fn glacier_checksums(request: &mut HttpRequest) -> Result<(), Error> {
    use sha2::Digest as _;
    let Some(body) = request.body.as_bytes() else { return Ok(()) };
    if !request.headers.contains_key("x-amz-content-sha256") {
        let linear = hex(&sha2::Sha256::digest(body));
        set_header(request, "x-amz-content-sha256", &linear);
    }
    let body = request.body.as_bytes().unwrap_or_default();
    if !request.headers.contains_key("x-amz-sha256-tree-hash") {
        let mut level: Vec<Vec<u8>> = body.chunks(1024 * 1024).map(|c| sha2::Sha256::digest(c).to_vec()).collect();
        if level.is_empty() {
            level.push(sha2::Sha256::digest(b"").to_vec());
        }
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => {
                        let mut h = sha2::Sha256::new();
                        h.update(a);
                        h.update(b);
                        h.finalize().to_vec()
                    }
                    [a] => a.clone(),
                    _ => Vec::new(),
                })
                .collect();
        }
        let tree = hex(&level[0]);
        set_header(request, "x-amz-sha256-tree-hash", &tree);
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params;

    #[test]
    fn copy_source_forms() {
        let mut p = params!({ "CopySource": "bucket/a key+?versionId=v1" });
        copy_source(&mut p).unwrap();
        assert_eq!(p["CopySource"].as_str(), Some("bucket/a%20key%2B?versionId=v1"));
        let mut p = params!({ "CopySource": { "Bucket": "b", "Key": "dir/ü", "VersionId": "7" } });
        copy_source(&mut p).unwrap();
        assert_eq!(p["CopySource"].as_str(), Some("b/dir/%C3%BC?versionId=7"));
        let mut p = params!({ "CopySource": { "Bucket": "b" } });
        assert!(copy_source(&mut p).is_err());
    }

    #[test]
    fn sse_keys_get_their_md5() {
        let mut p = params!({ "SSECustomerKey": "0123456789abcdef0123456789abcdef" });
        sse_md5(&mut p, "SSECustomer");
        assert_eq!(p["SSECustomerKey"].as_str(), Some("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));
        assert_eq!(p["SSECustomerKeyMD5"].as_str().map(str::len), Some(24));
    }

    #[test]
    fn bucket_names() {
        assert!(validate_bucket_name(&params!({ "Bucket": "my.bucket-1" })).is_ok());
        assert!(
            validate_bucket_name(&params!({ "Bucket": "arn:aws:s3:us-west-2:123456789012:accesspoint/ap" })).is_ok()
        );
        let err = validate_bucket_name(&params!({ "Bucket": "bad/name" })).unwrap_err().to_string();
        assert!(err.contains("Invalid bucket name \"bad/name\""), "{err}");
    }

    #[test]
    fn s3_paths_lose_the_bucket() {
        let s3 = crate::model::Loader::embedded_only().service_model("s3", None).unwrap();
        for (op, uri) in [
            ("GetObject", "/{Key+}"),
            ("ListObjectsV2", "/?list-type=2"),
            ("CreateBucket", "/"),
            ("GetBucketAcl", "/?acl"),
        ] {
            let patched = patch_operation("s3", s3.operation(op).unwrap().unwrap());
            assert_eq!(&*patched.http.request_uri, uri, "{op}");
        }
    }

    #[test]
    fn unquote_and_policies() {
        assert_eq!(unquote("a%20b%2Fc%"), "a b/c%");
        let mut v = params!({ "Role": { "AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%7D" } });
        decode_policies(&mut v);
        assert_eq!(v["Role"]["AssumeRolePolicyDocument"]["Version"].as_str(), Some("2012-10-17"));
    }

    #[test]
    fn glacier_tree_hash_of_small_body() {
        let mut req =
            HttpRequest::new(http::Method::POST, "https://glacier.us-east-1.amazonaws.com/-/vaults/v/archives");
        req.body = crate::Body::from("hello");
        glacier_checksums(&mut req).unwrap();
        let linear = req.headers["x-amz-content-sha256"].to_str().unwrap().to_owned();
        assert_eq!(linear, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assert_eq!(req.headers["x-amz-sha256-tree-hash"].to_str().unwrap(), linear, "one chunk: tree = linear");
    }
}
