use http::HeaderMap;

use super::*;
use crate::model::Loader;
use crate::{params, Body};

#[test]
fn known_checksums() {
    // Values from the S3 documentation / botocore's tests.
    assert_eq!(Algorithm::Crc32.checksum(b"Hello world"), "i9aeUg==");
    assert_eq!(Algorithm::Crc32c.checksum(b"Hello world"), "crUfeA==");
    assert_eq!(Algorithm::Sha1.checksum(b"Hello world"), "e1AsOh9IyGCa4hLN+2Od7jlnP14=");
    assert_eq!(Algorithm::Sha256.checksum(b"Hello world"), "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=");
    assert_eq!(Algorithm::Md5.checksum(b"Hello world"), "PiWWCnnbxptnTNTsZ6csYg==");
    assert_eq!(Algorithm::Crc64Nvme.checksum(b"Hello world").len(), 12, "8 bytes in base64");
    let mut h = Algorithm::Crc32.hasher();
    h.update(b"Hello ");
    h.update(b"world");
    assert_eq!(h.finish_base64(), "i9aeUg==");
}

#[test]
fn plans_follow_botocore() {
    let s3 = Loader::embedded_only().service_model("s3", None).unwrap();
    let put = s3.operation("PutObject").unwrap().unwrap();
    let none = HeaderMap::new();
    let p = params!({ "Bucket": "b", "Key": "k" });
    // when_supported: CRC32 by default, with the algorithm header set for the caller.
    let plan = request_plan(&s3, put, &p, &none, ChecksumMode::WhenSupported, false, false).unwrap().unwrap();
    assert_eq!(plan.algorithm, Algorithm::Crc32);
    assert_eq!(plan.location, Location::Header);
    assert_eq!(plan.algorithm_header, Some(("x-amz-sdk-checksum-algorithm".into(), "CRC32".into())));
    // Streaming input over https: trailer.
    let plan = request_plan(&s3, put, &p, &none, ChecksumMode::WhenSupported, true, false).unwrap().unwrap();
    assert_eq!(plan.location, Location::Trailer);
    // when_required: PutObject does not require one.
    assert!(request_plan(&s3, put, &p, &none, ChecksumMode::WhenRequired, false, false).unwrap().is_none());
    // The caller's choice wins; an unknown one is an error.
    let p2 = params!({ "Bucket": "b", "Key": "k", "ChecksumAlgorithm": "SHA256" });
    let plan = request_plan(&s3, put, &p2, &none, ChecksumMode::WhenRequired, false, false).unwrap().unwrap();
    assert_eq!((plan.algorithm, plan.algorithm_header), (Algorithm::Sha256, None));
    let p3 = params!({ "ChecksumAlgorithm": "XXHASH9" });
    assert!(matches!(
        request_plan(&s3, put, &p3, &none, ChecksumMode::WhenSupported, false, false),
        Err(ChecksumError::Unsupported(_))
    ));
    // A checksum header already present: nothing to do. Presigned: no default.
    let mut set = HeaderMap::new();
    set.insert("x-amz-checksum-crc32", "AAAAAA==".parse().unwrap());
    assert!(request_plan(&s3, put, &p, &set, ChecksumMode::WhenSupported, false, false).unwrap().is_none());
    assert!(request_plan(&s3, put, &p, &none, ChecksumMode::WhenSupported, false, true).unwrap().is_none());
    // DeleteObjects requires a checksum even when_required.
    let del = s3.operation("DeleteObjects").unwrap().unwrap();
    let plan = request_plan(&s3, del, &p, &none, ChecksumMode::WhenRequired, true, false).unwrap().unwrap();
    assert_eq!((plan.algorithm, plan.location), (Algorithm::Crc32, Location::Header));
    // Operations without the trait: nothing.
    let ddb = Loader::embedded_only().service_model("dynamodb", None).unwrap();
    let get = ddb.operation("GetItem").unwrap().unwrap();
    assert!(request_plan(&ddb, get, &p, &none, ChecksumMode::WhenSupported, true, false).unwrap().is_none());
}

#[test]
fn response_validation() {
    let s3 = Loader::embedded_only().service_model("s3", None).unwrap();
    let get = s3.operation("GetObject").unwrap().unwrap();
    let mut p = params!({ "Bucket": "b", "Key": "k" });
    assert!(response_algorithms(get, &p).is_empty());
    set_validation_mode(get, &mut p, ChecksumMode::WhenRequired);
    assert!(p.get("ChecksumMode").is_none());
    set_validation_mode(get, &mut p, ChecksumMode::WhenSupported);
    assert_eq!(p["ChecksumMode"].as_str(), Some("ENABLED"));
    let algs = response_algorithms(get, &p);
    assert_eq!(algs[0], Algorithm::Crc64Nvme);
    assert!(algs.contains(&Algorithm::Crc32));

    let mut headers = HeaderMap::new();
    headers.insert("x-amz-checksum-crc32", "i9aeUg==".parse().unwrap());
    assert_eq!(validate_bytes(&headers, b"Hello world", &algs), Ok(Some(Algorithm::Crc32)));
    let err = validate_bytes(&headers, b"Hello World", &algs).unwrap_err();
    assert!(err.to_string().contains("i9aeUg=="), "{err}");
    headers.insert("x-amz-checksum-crc32", "i9aeUg==-2".parse().unwrap());
    assert_eq!(validate_bytes(&headers, b"anything", &algs), Ok(None), "composite checksums are skipped");
}

#[tokio::test]
async fn streamed_bodies_fail_at_the_end_on_mismatch() {
    let mut headers = HeaderMap::new();
    headers.insert("x-amz-checksum-crc32", "i9aeUg==".parse().unwrap());
    for (data, ok) in [(&b"Hello world"[..], true), (&b"Hello there"[..], false)] {
        let stream = Body::from_bytes(data.to_vec()).into_stream(4).unwrap();
        let wrapped = ValidatingStream::wrap(stream, &headers, &[Algorithm::Crc32]);
        let body = Body::from_stream(wrapped, None);
        assert_eq!(body.collect().await.is_ok(), ok);
    }
}
