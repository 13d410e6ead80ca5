//! Managed copies: `CopyObject` below the threshold, a multipart upload of
//! `UploadPartCopy` ranges above it (the source's metadata and tags carried
//! over as s3transfer does). The source is read (`HeadObject`,
//! `GetObjectTagging`) with the options' source client when there is one,
//! as s3transfer's `source_client`.

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
    let source_client = options.source_client.as_ref();
    let head = shared.call_source(source_client, "HeadObject", head_params).await?;
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
        match shared.call_source(options.source_client.as_ref(), "GetObjectTagging", params).await {
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
    use crate::s3::transfer::{SourceClient, TransferConfig, TransferManager, MIB};
    use boto_core::{params, Client, Stubber};

    /// A client in `region` whose calls only `Stubber` answers.
    fn stubbed(region: &str) -> (Client, Stubber) {
        let client = Client::builder("s3")
            .region(region)
            .endpoint_url("http://127.0.0.1:9")
            .credentials(boto_core::credentials::Credentials::new("AKID", "secret", None))
            .build()
            .unwrap();
        let stubber = Stubber::new();
        (stubber.activate(&client), stubber)
    }

    fn expect_head(source: &Stubber, size: u64) {
        let head = params!({ "ContentLength": size, "ETag": "\"src-etag\"" });
        source.add_response("HeadObject", head, Some(params!({ "Bucket": "src", "Key": "a" })));
    }

    async fn copy_with(dest: Client, source: Option<SourceClient>, config: TransferConfig) -> TransferOutput {
        let mut options = TransferOptions::new();
        options.source_client = source;
        let manager = TransferManager::new(dest, config).unwrap();
        manager.copy(&CopySource::new("src", "a"), "dst", "b", options).await.unwrap()
    }

    #[tokio::test]
    async fn the_source_client_reads_the_source_and_the_destination_client_copies() {
        let (dest, dest_stub) = stubbed("us-east-1");
        let (source, source_stub) = stubbed("eu-west-1");
        expect_head(&source_stub, 10);
        dest_stub.add_response("CopyObject", params!({ "CopyObjectResult": { "ETag": "\"copied\"" } }), None);
        let out = copy_with(dest, Some(source.into()), TransferConfig::default()).await;
        assert_eq!((out.bytes, out.parts, out.etag.as_deref()), (10, 0, Some("\"copied\"")));
        source_stub.assert_no_pending_responses();
        dest_stub.assert_no_pending_responses();
    }

    #[tokio::test]
    async fn without_a_source_client_the_destination_client_reads_the_source() {
        let (dest, dest_stub) = stubbed("us-east-1");
        expect_head(&dest_stub, 10);
        dest_stub.add_response("CopyObject", params!({ "CopyObjectResult": { "ETag": "\"copied\"" } }), None);
        copy_with(dest, None, TransferConfig::default()).await;
        dest_stub.assert_no_pending_responses();
    }

    #[tokio::test]
    async fn a_multipart_copy_reads_size_and_tags_with_the_source_client() {
        let (dest, dest_stub) = stubbed("us-east-1");
        let (source, source_stub) = stubbed("eu-west-1");
        expect_head(&source_stub, 12 * MIB);
        let tags = params!({ "TagSet": [{ "Key": "team", "Value": "data" }] });
        source_stub.add_response("GetObjectTagging", tags, Some(params!({ "Bucket": "src", "Key": "a" })));
        dest_stub.add_response("CreateMultipartUpload", params!({ "UploadId": "up-1" }), None);
        for n in 1..=3 {
            let part = params!({ "CopyPartResult": { "ETag": format!("\"part-{n}\"") } });
            dest_stub.add_response("UploadPartCopy", part, None);
        }
        dest_stub.add_response("CompleteMultipartUpload", params!({ "ETag": "\"whole\"" }), None);
        let put_tags = params!({
            "Bucket": "dst",
            "Key": "b",
            "Tagging": { "TagSet": [{ "Key": "team", "Value": "data" }] },
        });
        dest_stub.add_response("PutObjectTagging", params!({}), Some(put_tags));
        let config = TransferConfig {
            multipart_threshold: 5 * MIB,
            multipart_chunksize: 5 * MIB,
            max_concurrency: 1,
            ..TransferConfig::default()
        };
        let out = copy_with(dest, Some(source.into()), config).await;
        assert_eq!((out.bytes, out.parts), (12 * MIB, 3));
        source_stub.assert_no_pending_responses();
        dest_stub.assert_no_pending_responses();
    }

    #[tokio::test]
    async fn a_blocking_source_client_is_called_on_its_own_runtime() {
        let (dest, dest_stub) = stubbed("us-east-1");
        let (source, source_stub) = stubbed("eu-west-1");
        let source = boto_core::blocking::Client::from_async(source, boto_core::blocking::Runtime::new().unwrap());
        expect_head(&source_stub, 10);
        dest_stub.add_response("CopyObject", params!({ "CopyObjectResult": { "ETag": "\"copied\"" } }), None);
        copy_with(dest, Some(source.into()), TransferConfig::default()).await;
        source_stub.assert_no_pending_responses();
        dest_stub.assert_no_pending_responses();
    }

    #[test]
    fn blocking_copies_take_blocking_source_clients_on_any_runtime() {
        let (dest, dest_stub) = stubbed("us-east-1");
        let dest_rt = boto_core::blocking::Runtime::new().unwrap();
        let manager = crate::s3::transfer::blocking::TransferManager::new(
            boto_core::blocking::Client::from_async(dest, dest_rt.clone()),
            TransferConfig::default(),
        )
        .unwrap();
        let other_rt = boto_core::blocking::Runtime::new().unwrap();
        assert!(dest_rt.clone() == dest_rt && other_rt != dest_rt);
        // On the destination's runtime (called in place), and on one of its
        // own (called from a thread of its own).
        for rt in [dest_rt.clone(), other_rt] {
            let (source, source_stub) = stubbed("eu-west-1");
            expect_head(&source_stub, 10);
            dest_stub.add_response("CopyObject", params!({ "CopyObjectResult": { "ETag": "\"copied\"" } }), None);
            let options = TransferOptions::new().source_client(boto_core::blocking::Client::from_async(source, rt));
            manager.copy(&CopySource::new("src", "a"), "dst", "b", options).unwrap();
            source_stub.assert_no_pending_responses();
            dest_stub.assert_no_pending_responses();
        }
    }

    #[tokio::test]
    async fn only_copies_take_a_source_client() {
        let (dest, _) = stubbed("us-east-1");
        let (source, _) = stubbed("eu-west-1");
        let manager = TransferManager::new(dest, TransferConfig::default()).unwrap();
        let options = TransferOptions::new().source_client(source);
        let err = manager.upload_fileobj(&b"x"[..], "dst", "b", options.clone()).await.unwrap_err();
        assert!(matches!(err, TransferError::InvalidArgument(ref m) if m.contains("copies only")), "{err}");
        let err = manager.download_fileobj("src", "a", &mut Vec::new(), options).await.unwrap_err();
        assert!(matches!(err, TransferError::InvalidArgument(_)), "{err}");
    }

    #[test]
    fn tagging_strings_become_tag_sets() {
        let tags = parse_tagging("a=1&b%20c=x+y&empty=");
        assert_eq!(tags.len(), 3);
        assert_eq!(tags[1]["Key"].as_str(), Some("b c"));
        assert_eq!(tags[1]["Value"].as_str(), Some("x y"));
        assert_eq!(tags[2]["Value"].as_str(), Some(""));
    }
}
