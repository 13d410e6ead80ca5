//! Managed copies with boto3's `SourceClient` against the local S3
//! stand-ins: the source is read (`HeadObject`, `GetObjectTagging`) by a
//! client in another region, the copy (`CopyObject`, `UploadPartCopy`)
//! goes through the destination's client. Each client records the
//! operations it calls.

mod s3_transfer_common;

use std::sync::Arc;

use boto::boto_core::testing::test_credentials;
use boto::boto_core::{Client, Value};
use boto::s3::transfer::{CopySource, TransferConfig, TransferManager, TransferOptions};
use s3_transfer_common::*;

/// A client for `url` in `region` that records its calls.
fn client_in(url: &str, region: &str) -> (Client, Calls) {
    let calls = Calls::default();
    let client = Client::builder("s3")
        .region(region)
        .endpoint_url(url)
        .credentials(test_credentials())
        .interceptor(Arc::new(calls.clone()))
        .build()
        .unwrap();
    (client, calls)
}

fn config() -> TransferConfig {
    TransferConfig { multipart_threshold: 5 * MIB, multipart_chunksize: 5 * MIB, ..TransferConfig::default() }
}

async fn read(s3: &Client, bucket: &str, key: &str) -> Vec<u8> {
    let got = s3.call("GetObject", boto::params!({ "Bucket": bucket, "Key": key })).await.unwrap();
    got["Body"].as_stream().unwrap().collect().await.unwrap().to_vec()
}

#[tokio::test]
async fn copies_read_the_source_with_the_source_client() {
    for (backend, url) in backends("copies_read_the_source_with_the_source_client") {
        let (dest, dest_calls) = client_in(&url, "us-east-1");
        let (source, source_calls) = client_in(&url, "eu-west-1");
        assert_eq!((dest.region(), source.region()), (Some("us-east-1"), Some("eu-west-1")));
        let bucket = bucket(&dest, "source-client").await;
        let small = random_bytes(100_000, 21);
        let big = random_bytes((11 * MIB) as usize, 22);
        let mut put =
            boto::params!({ "Bucket": bucket.as_str(), "Key": "src/small", "Body": Value::blob(small.clone()) });
        dest.call("PutObject", put.clone()).await.unwrap();
        put.insert("Key", "src/big");
        put.insert("Body", Value::blob(big.clone()));
        // moto keeps tags; s3s-fs has no tagging (the copy then carries none).
        let tagged = backend == "moto";
        if tagged {
            put.insert("Tagging", "team=data");
        }
        dest.call("PutObject", put).await.unwrap();
        let manager = TransferManager::new(dest.clone(), config()).unwrap();

        // Below the threshold: HeadObject by the source client, CopyObject by the destination's.
        dest_calls.clear();
        let options = TransferOptions::new().source_client(source.clone());
        let out = manager.copy(&CopySource::new(&bucket, "src/small"), &bucket, "dst/small", options).await.unwrap();
        assert_eq!((out.bytes, out.parts), (small.len() as u64, 0), "{backend}");
        assert_eq!(source_calls.names(), ["HeadObject"], "{backend}");
        assert_eq!(dest_calls.names(), ["CopyObject"], "{backend}");
        assert_eq!(sha256(&read(&dest, &bucket, "dst/small").await), sha256(&small), "{backend}");

        // Above it: the source's size and tags come through the source client, every write
        // through the destination's.
        source_calls.clear();
        dest_calls.clear();
        let options = TransferOptions::new().source_client(source.clone());
        let out = manager.copy(&CopySource::new(&bucket, "src/big"), &bucket, "dst/big", options).await.unwrap();
        assert_eq!((out.bytes, out.parts), (11 * MIB, 3), "{backend}");
        assert_eq!(source_calls.names(), ["HeadObject", "GetObjectTagging"], "{backend}");
        let mut written = dest_calls.names();
        written.sort();
        let mut expected = vec!["CompleteMultipartUpload", "CreateMultipartUpload"];
        if tagged {
            expected.push("PutObjectTagging");
        }
        expected.extend(["UploadPartCopy"; 3]);
        assert_eq!(written, expected, "{backend}");
        assert_eq!(sha256(&read(&dest, &bucket, "dst/big").await), sha256(&big), "{backend}");
        if tagged {
            let tags = dest.call("GetObjectTagging", boto::params!({ "Bucket": bucket.as_str(), "Key": "dst/big" }));
            let tags = tags.await.unwrap();
            assert_eq!(tags["TagSet"][0]["Value"].as_str(), Some("data"), "{backend}");
        }

        // Without one, the destination's client reads the source too.
        source_calls.clear();
        dest_calls.clear();
        manager
            .copy(&CopySource::new(&bucket, "src/small"), &bucket, "dst/again", TransferOptions::new())
            .await
            .unwrap();
        assert!(source_calls.names().is_empty(), "{backend}");
        assert_eq!(dest_calls.names(), ["HeadObject", "CopyObject"], "{backend}");
    }
}

#[test]
fn blocking_copies_take_a_blocking_source_client() {
    use boto::s3::blocking::{S3ClientExt, S3ResourceExt};

    let Some(url) = boto::boto_core::testing::moto_endpoint("blocking_copies_take_a_blocking_source_client") else {
        return;
    };
    // Two sessions, so two runtimes: the source client's calls run on its own.
    let session = |region: &str| {
        boto::blocking::Session::builder()
            .region(region)
            .endpoint_url(url.as_str())
            .credentials(test_credentials())
            .build()
            .unwrap()
    };
    let (dest_session, source_session) = (session("us-east-1"), session("eu-west-1"));
    let source_calls = Calls::default();
    let source = boto::boto_core::blocking::Client::from_async(
        source_session.client("s3").unwrap().as_async().with_interceptor(Arc::new(source_calls.clone())),
        source_session.runtime().clone(),
    );
    let dest = dest_session.client("s3").unwrap();
    let name = format!("blocking-source-{:08x}", fastrand::u32(..));
    dest.call("CreateBucket", boto::params!({ "Bucket": name.as_str() })).unwrap();
    let body = b"read by the source client".to_vec();
    dest.call("PutObject", boto::params!({ "Bucket": name.as_str(), "Key": "src", "Body": Value::blob(body.clone()) }))
        .unwrap();

    // The client extension...
    let options = TransferOptions::new().source_client(source.clone());
    dest.copy(&CopySource::new(&name, "src"), &name, "by-client", &config(), options).unwrap();
    assert_eq!(source_calls.names(), ["HeadObject"]);
    // ... and the Object resource.
    let object = dest_session.resource("s3").unwrap().bucket(&name).unwrap().object("by-object").unwrap();
    let options = TransferOptions::new().source_client(source);
    object.as_s3_object().unwrap().copy(&CopySource::new(&name, "src"), &config(), options).unwrap();
    assert_eq!(source_calls.names(), ["HeadObject", "HeadObject"]);
    for key in ["by-client", "by-object"] {
        let got = dest.call("GetObject", boto::params!({ "Bucket": name.as_str(), "Key": key })).unwrap();
        assert_eq!(dest.read_body(got["Body"].as_stream().unwrap()).unwrap().to_vec(), body, "{key}");
    }
}
