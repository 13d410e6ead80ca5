//! Managed copies: `CopyObject` below the threshold, a multipart upload of
//! `UploadPartCopy` ranges above it (the source's metadata and tags carried
//! over as s3transfer does).

use std::sync::Arc;

use boto_core::checksum::Algorithm;
use boto_core::{Map, Value};

use super::args::ALLOWED_COPY_ARGS;
use super::progress::report;
use super::upload::{Multipart, PartSource, UploadPlan};
use super::{CopySource, Shared, TransferError, TransferOptions, TransferOutput};

/// Copy arguments that become `HeadObject` conditions on the source.
const HEAD_ARGS: &[(&str, &str)] = &[
    ("CopySourceIfMatch", "IfMatch"),
    ("CopySourceIfModifiedSince", "IfModifiedSince"),
    ("CopySourceIfNoneMatch", "IfNoneMatch"),
    ("CopySourceIfUnmodifiedSince", "IfUnmodifiedSince"),
    ("CopySourceSSECustomerKey", "SSECustomerKey"),
    ("CopySourceSSECustomerAlgorithm", "SSECustomerAlgorithm"),
    ("CopySourceSSECustomerKeyMD5", "SSECustomerKeyMD5"),
    ("RequestPayer", "RequestPayer"),
    ("ExpectedBucketOwner", "ExpectedBucketOwner"),
];

/// Members `UploadPartCopy` takes.
const UPLOAD_PART_COPY_ARGS: &[&str] = &[
    "CopySourceIfMatch",
    "CopySourceIfModifiedSince",
    "CopySourceIfNoneMatch",
    "CopySourceIfUnmodifiedSince",
    "CopySourceSSECustomerKey",
    "CopySourceSSECustomerAlgorithm",
    "CopySourceSSECustomerKeyMD5",
    "SSECustomerKey",
    "SSECustomerAlgorithm",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
];

/// Members `CreateMultipartUpload` does not take.
const CREATE_BLOCKLIST: &[&str] = &[
    "CopySourceIfMatch",
    "CopySourceIfModifiedSince",
    "CopySourceIfNoneMatch",
    "CopySourceIfUnmodifiedSince",
    "CopySourceSSECustomerKey",
    "CopySourceSSECustomerAlgorithm",
    "CopySourceSSECustomerKeyMD5",
    "MetadataDirective",
    "TaggingDirective",
    "Tagging",
];

/// Members `CompleteMultipartUpload` takes.
const COMPLETE_ARGS: &[&str] =
    &["SSECustomerKey", "SSECustomerAlgorithm", "SSECustomerKeyMD5", "RequestPayer", "ExpectedBucketOwner"];

/// The source's headers a multipart copy carries over (a single
/// `CopyObject` copies them itself).
const PRESERVED: &[&str] =
    &["CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage", "ContentType", "Expires", "Metadata"];

pub(crate) async fn copy(
    shared: &Arc<Shared>,
    source: &CopySource,
    bucket: &str,
    key: &str,
    options: TransferOptions,
) -> Result<TransferOutput, TransferError> {
    let args = &options.extra_args;
    args.check(ALLOWED_COPY_ARGS)?;
    if args.get("Metadata").is_some() && args.get("MetadataDirective").is_none() {
        tracing::warn!("Metadata without MetadataDirective=REPLACE is ignored: the source's metadata is kept");
    }
    if args.get("Tagging").is_some() && args.get("TaggingDirective").is_none() {
        tracing::warn!("Tagging without TaggingDirective=REPLACE is ignored: the source's tags are kept");
    }
    let mut head_params = source.to_value();
    for (from, to) in HEAD_ARGS {
        if let Some(v) = args.get(from) {
            head_params.insert(*to, v.clone());
        }
    }
    let head = shared.call("HeadObject", head_params).await?;
    let size = head["ContentLength"]
        .as_i64()
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| TransferError::UnexpectedResponse("HeadObject gave no ContentLength".into()))?;
    let etag = head["ETag"].as_str().map(str::to_owned);
    let progress = options.progress.as_ref();

    if size < shared.config.multipart_threshold {
        let mut params = Value::Map(args.as_map().clone());
        params.insert("Bucket", bucket);
        params.insert("Key", key);
        params.insert("CopySource", source.to_value());
        let response = shared.call("CopyObject", params).await?;
        report(progress, size, 1);
        let mut out = TransferOutput::new(size, 0, response);
        out.etag = out.response["CopyObjectResult"]["ETag"].as_str().map(str::to_owned);
        return Ok(out);
    }

    let mut merged = args.clone();
    if args.get("MetadataDirective").and_then(Value::as_str) != Some("REPLACE") {
        for name in PRESERVED {
            merged.remove(name);
            if let Some(v) = head.get(name).filter(|v| !v.is_null()) {
                merged.insert(name, v.clone());
            }
        }
    }
    let mut part = args.only(UPLOAD_PART_COPY_ARGS);
    part.insert("CopySource".into(), source.to_value());
    if let Some(etag) = &etag {
        part.insert("CopySourceIfMatch".into(), Value::from(etag.as_str()));
    }
    let algorithm = match args.get("ChecksumAlgorithm").and_then(Value::as_str) {
        Some(name) => Some(
            Algorithm::parse(name)
                .ok_or_else(|| TransferError::InvalidArgument(format!("unsupported ChecksumAlgorithm {name:?}")))?,
        ),
        None => None,
    };
    let plan = UploadPlan {
        put: Map::new(),
        create: merged.without(CREATE_BLOCKLIST),
        part,
        complete: args.only(COMPLETE_ARGS),
        abort: args.only(&["RequestPayer", "ExpectedBucketOwner"]),
        algorithm,
        full_object: None,
    };
    let part_size = shared.config.part_size(Some(size));
    tracing::debug!(bucket, key, size, part_size, "multipart copy");
    let mut mpu = Multipart::start(shared, bucket, key, &plan, "UploadPartCopy", options.progress.clone()).await?;
    let submitted: Result<(), TransferError> = async {
        let mut offset = 0;
        while offset < size {
            let len = part_size.min(size - offset);
            let range = format!("bytes={}-{}", offset, offset + len - 1);
            let permit = mpu.permit().await?;
            mpu.submit(permit, PartSource::Copy { range, len })?;
            offset += len;
        }
        Ok(())
    }
    .await;
    let out = match submitted {
        Ok(()) => mpu.complete(size).await?,
        Err(e) => return Err(mpu.fail(e).await),
    };
    copy_tags(shared, source, bucket, key, &options).await?;
    Ok(out)
}

/// Tags after a multipart copy: the source's (unless `TaggingDirective` is
/// `REPLACE`), or the `Tagging` given with `REPLACE`.
async fn copy_tags(
    shared: &Shared,
    source: &CopySource,
    bucket: &str,
    key: &str,
    options: &TransferOptions,
) -> Result<(), TransferError> {
    let args = &options.extra_args;
    let owner_args = args.only(&["RequestPayer", "ExpectedBucketOwner"]);
    let tag_set = if args.get("TaggingDirective").and_then(Value::as_str) == Some("REPLACE") {
        match args.get("Tagging").and_then(Value::as_str) {
            Some(query) => parse_tagging(query),
            None => return Ok(()),
        }
    } else {
        let mut params = Value::Map(owner_args.clone());
        params.insert("Bucket", source.bucket.as_str());
        params.insert("Key", source.key.as_str());
        if let Some(v) = &source.version_id {
            params.insert("VersionId", v.as_str());
        }
        match shared.call("GetObjectTagging", params).await {
            Ok(tags) => tags["TagSet"].as_list().map(<[Value]>::to_vec).unwrap_or_default(),
            // S3 stand-ins without tagging: there are no tags to carry over.
            Err(e) if e.code() == Some("NotImplemented") => {
                tracing::debug!("the server does not implement GetObjectTagging: no tags copied");
                return Ok(());
            }
            Err(e) => return Err(e),
        }
    };
    if tag_set.is_empty() {
        return Ok(());
    }
    let mut params = Value::Map(owner_args);
    params.insert("Bucket", bucket);
    params.insert("Key", key);
    params.insert("Tagging", boto_core::params!({ "TagSet": tag_set }));
    shared.call("PutObjectTagging", params).await?;
    Ok(())
}

/// `k1=v1&k2=v2` (URL-encoded) as a `TagSet`.
fn parse_tagging(query: &str) -> Vec<Value> {
    let decode = |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            boto_core::params!({ "Key": decode(k), "Value": decode(v) })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagging_strings_become_tag_sets() {
        let tags = parse_tagging("a=1&b%20c=x+y&empty=");
        assert_eq!(tags.len(), 3);
        assert_eq!(tags[1]["Key"].as_str(), Some("b c"));
        assert_eq!(tags[1]["Value"].as_str(), Some("x y"));
        assert_eq!(tags[2]["Value"].as_str(), Some(""));
    }
}
