//! [`ExtraArgs`]: boto3's `ExtraArgs`, checked against the arguments each
//! kind of transfer accepts and split between the calls it makes, as
//! s3transfer does.

use std::fmt;

use boto_core::{Map, Value};

use super::TransferError;

/// Arguments every transfer that writes an object accepts (checked against
/// the lists below).
#[cfg(test)]
const SHARED_ARGS: &[&str] = &[
    "ACL",
    "CacheControl",
    "ChecksumAlgorithm",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "ContentType",
    "ExpectedBucketOwner",
    "Expires",
    "GrantFullControl",
    "GrantRead",
    "GrantReadACP",
    "GrantWriteACP",
    "Metadata",
    "ObjectLockLegalHoldStatus",
    "ObjectLockMode",
    "ObjectLockRetainUntilDate",
    "RequestPayer",
    "ServerSideEncryption",
    "StorageClass",
    "SSECustomerAlgorithm",
    "SSECustomerKey",
    "SSECustomerKeyMD5",
    "SSEKMSKeyId",
    "SSEKMSEncryptionContext",
    "Tagging",
    "WebsiteRedirectLocation",
];

/// Full-object checksum values a caller may give for an upload.
pub(crate) const FULL_OBJECT_CHECKSUM_ARGS: &[&str] =
    &["ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumSHA1", "ChecksumSHA256"];

/// Arguments an upload accepts: the shared ones, `ChecksumType`,
/// `MpuObjectSize` and the full-object checksum values.
pub const ALLOWED_UPLOAD_ARGS: &[&str] = &[
    "ACL",
    "CacheControl",
    "ChecksumAlgorithm",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "ContentType",
    "ExpectedBucketOwner",
    "Expires",
    "GrantFullControl",
    "GrantRead",
    "GrantReadACP",
    "GrantWriteACP",
    "Metadata",
    "ObjectLockLegalHoldStatus",
    "ObjectLockMode",
    "ObjectLockRetainUntilDate",
    "RequestPayer",
    "ServerSideEncryption",
    "StorageClass",
    "SSECustomerAlgorithm",
    "SSECustomerKey",
    "SSECustomerKeyMD5",
    "SSEKMSKeyId",
    "SSEKMSEncryptionContext",
    "Tagging",
    "WebsiteRedirectLocation",
    "ChecksumType",
    "MpuObjectSize",
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumSHA1",
    "ChecksumSHA256",
];

/// Arguments a download accepts.
pub const ALLOWED_DOWNLOAD_ARGS: &[&str] = &[
    "ChecksumMode",
    "VersionId",
    "SSECustomerAlgorithm",
    "SSECustomerKey",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
];

/// Arguments a managed copy accepts: the shared ones and the copy-source
/// conditions, keys and directives.
pub const ALLOWED_COPY_ARGS: &[&str] = &[
    "ACL",
    "CacheControl",
    "ChecksumAlgorithm",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "ContentType",
    "ExpectedBucketOwner",
    "Expires",
    "GrantFullControl",
    "GrantRead",
    "GrantReadACP",
    "GrantWriteACP",
    "Metadata",
    "ObjectLockLegalHoldStatus",
    "ObjectLockMode",
    "ObjectLockRetainUntilDate",
    "RequestPayer",
    "ServerSideEncryption",
    "StorageClass",
    "SSECustomerAlgorithm",
    "SSECustomerKey",
    "SSECustomerKeyMD5",
    "SSEKMSKeyId",
    "SSEKMSEncryptionContext",
    "Tagging",
    "WebsiteRedirectLocation",
    "CopySourceIfMatch",
    "CopySourceIfModifiedSince",
    "CopySourceIfNoneMatch",
    "CopySourceIfUnmodifiedSince",
    "CopySourceSSECustomerAlgorithm",
    "CopySourceSSECustomerKey",
    "CopySourceSSECustomerKeyMD5",
    "MetadataDirective",
    "TaggingDirective",
];

/// Members whose values are secrets and never shown.
const SECRET_ARGS: &[&str] = &["SSECustomerKey", "CopySourceSSECustomerKey"];

/// Extra arguments of a transfer (boto3's `ExtraArgs`): members of the S3
/// calls the transfer makes, by their model names. Each kind of transfer
/// accepts a fixed set ([`ALLOWED_UPLOAD_ARGS`], [`ALLOWED_DOWNLOAD_ARGS`],
/// [`ALLOWED_COPY_ARGS`]) and hands each call the members it takes.
///
/// `Debug` never shows the value of an SSE-C key.
///
/// ```
/// use boto::s3::transfer::ExtraArgs;
/// let args = ExtraArgs::new()
///     .content_type("text/csv")
///     .metadata([("origin", "sensor-7")])
///     .storage_class("STANDARD_IA")
///     .server_side_encryption("AES256")
///     .set("SSECustomerKey", "not-shown");
/// assert_eq!(args.get("ContentType").and_then(|v| v.as_str()), Some("text/csv"));
/// assert!(!format!("{args:?}").contains("not-shown"));
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct ExtraArgs(Map);

impl ExtraArgs {
    /// No extra arguments.
    pub fn new() -> ExtraArgs {
        ExtraArgs(Map::new())
    }

    /// Arguments from a map value (boto3's dict).
    pub fn from_value(value: Value) -> Result<ExtraArgs, TransferError> {
        match value {
            Value::Map(m) => Ok(ExtraArgs(m)),
            Value::Null => Ok(ExtraArgs::new()),
            other => Err(TransferError::InvalidArgument(format!("extra args must be a map, not {}", other.kind()))),
        }
    }

    /// Sets any member.
    pub fn set(mut self, name: &str, value: impl Into<Value>) -> ExtraArgs {
        self.insert(name, value);
        self
    }

    /// Sets any member in place.
    pub fn insert(&mut self, name: &str, value: impl Into<Value>) {
        self.0.insert(name.to_owned(), value.into());
    }

    /// A member's value.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// Removes a member.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.0.shift_remove(name)
    }

    /// True when no member is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The members.
    pub fn as_map(&self) -> &Map {
        &self.0
    }

    /// `ContentType`.
    pub fn content_type(self, value: impl Into<String>) -> ExtraArgs {
        self.set("ContentType", value.into())
    }

    /// `Metadata` (user metadata, `x-amz-meta-*`).
    pub fn metadata<K: Into<String>, V: Into<String>>(self, pairs: impl IntoIterator<Item = (K, V)>) -> ExtraArgs {
        let map: Map = pairs.into_iter().map(|(k, v)| (k.into(), Value::String(v.into()))).collect();
        self.set("Metadata", Value::Map(map))
    }

    /// `ACL` (`private`, `public-read`, `bucket-owner-full-control`, ...).
    pub fn acl(self, value: impl Into<String>) -> ExtraArgs {
        self.set("ACL", value.into())
    }

    /// `StorageClass` (`STANDARD_IA`, `GLACIER_IR`, ...).
    pub fn storage_class(self, value: impl Into<String>) -> ExtraArgs {
        self.set("StorageClass", value.into())
    }

    /// `ServerSideEncryption` (`AES256`, `aws:kms`, `aws:kms:dsse`).
    pub fn server_side_encryption(self, value: impl Into<String>) -> ExtraArgs {
        self.set("ServerSideEncryption", value.into())
    }

    /// `SSEKMSKeyId`.
    pub fn sse_kms_key_id(self, value: impl Into<String>) -> ExtraArgs {
        self.set("SSEKMSKeyId", value.into())
    }

    /// `ChecksumAlgorithm` (`CRC32`, the default, `CRC32C`, `CRC64NVME`,
    /// `SHA1`, `SHA256`).
    pub fn checksum_algorithm(self, value: impl Into<String>) -> ExtraArgs {
        self.set("ChecksumAlgorithm", value.into())
    }

    /// `ChecksumType`: `COMPOSITE` (a checksum of the part checksums, the
    /// default of multipart uploads) or `FULL_OBJECT` (a checksum of the
    /// whole object; for CRC algorithms the transfer computes it from the
    /// part checksums).
    pub fn checksum_type(self, value: impl Into<String>) -> ExtraArgs {
        self.set("ChecksumType", value.into())
    }

    /// Fails on a member not in `allowed`.
    pub(crate) fn check(&self, allowed: &[&str]) -> Result<(), TransferError> {
        match self.0.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(TransferError::InvalidArgument(format!(
                "invalid extra argument {k:?}, must be one of: {}",
                allowed.join(", ")
            ))),
            None => Ok(()),
        }
    }

    /// The members named in `names`.
    pub(crate) fn only(&self, names: &[&str]) -> Map {
        self.0.iter().filter(|(k, v)| names.contains(&k.as_str()) && !v.is_null()).map(clone_pair).collect()
    }

    /// The members not named in `names`.
    pub(crate) fn without(&self, names: &[&str]) -> Map {
        self.0.iter().filter(|(k, v)| !names.contains(&k.as_str()) && !v.is_null()).map(clone_pair).collect()
    }
}

fn clone_pair((k, v): (&String, &Value)) -> (String, Value) {
    (k.clone(), v.clone())
}

impl fmt::Debug for ExtraArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.0 {
            if SECRET_ARGS.contains(&k.as_str()) {
                m.entry(k, &"<redacted>");
            } else {
                m.entry(k, &v.to_json());
            }
        }
        m.finish()
    }
}

impl From<Map> for ExtraArgs {
    fn from(m: Map) -> ExtraArgs {
        ExtraArgs(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_lists_extend_the_shared_one() {
        for a in SHARED_ARGS {
            assert!(ALLOWED_UPLOAD_ARGS.contains(a) && ALLOWED_COPY_ARGS.contains(a), "{a}");
        }
        for a in FULL_OBJECT_CHECKSUM_ARGS {
            assert!(ALLOWED_UPLOAD_ARGS.contains(a));
        }
    }

    #[test]
    fn unknown_arguments_are_refused_and_secrets_hidden() {
        let args = ExtraArgs::new().set("ContentType", "a/b").set("Bogus", 1);
        let err = args.check(ALLOWED_UPLOAD_ARGS).unwrap_err().to_string();
        assert!(err.contains("\"Bogus\""), "{err}");
        let args = ExtraArgs::new().set("SSECustomerKey", "k3y-material").set("CopySourceSSECustomerKey", "other-k3y");
        let shown = format!("{args:?}");
        assert!(!shown.contains("k3y"), "{shown}");
        assert!(ExtraArgs::from_value(Value::from("x")).is_err());
    }

    #[test]
    fn filtering() {
        let args = ExtraArgs::new().set("ContentType", "a/b").set("ChecksumAlgorithm", "CRC32").set("X", Value::Null);
        assert_eq!(args.only(&["ChecksumAlgorithm", "X"]).len(), 1);
        assert_eq!(args.without(&["ChecksumAlgorithm"]).keys().collect::<Vec<_>>(), vec!["ContentType"]);
    }
}
