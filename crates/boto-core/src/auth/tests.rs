//! Tests of the auth module: the conformance suites, presigning, S3
//! rules, aws-chunked framing, bearer and anonymous auth, scheme
//! selection, and that secrets stay out of errors and `Debug`.

use super::conformance::{run_all, Outcome};

#[test]
fn sigv4_conformance_suites() {
    let Some(dir) = crate::testing::conformance_dir("sigv4") else { return };
    let reports = run_all(&dir);
    assert_eq!(reports.len(), 3, "expected aws4_testsuite, aws-c-auth/v4 and aws-c-auth/v4a");
    let mut failures = Vec::new();
    let mut total = (0, 0, 0);
    for r in &reports {
        let (p, f, s) = r.counts();
        total = (total.0 + p, total.1 + f, total.2 + s);
        for c in &r.cases {
            if let Outcome::Failed(e) = &c.outcome {
                failures.push(format!("{}/{}: {e}", r.suite, c.name));
            }
            if let Outcome::Skipped(why) = &c.outcome {
                assert!(why.contains("passes here"), "{}/{}: {why}", r.suite, c.name);
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
    assert_eq!(total, (30 + 38 + 40, 0, 4));
}

use http::Method;
use indexmap::IndexMap;
use serde_json::json;
use time::macros::datetime;

use super::chunked::{apply_trailing_checksum, encoded_length, ChecksumAlgorithm};
use super::presign::{presigned_post, presigned_url};
use super::{
    presign, resolve, sign, AuthConfig, AuthError, AuthScheme, BearerToken, Identity, PayloadSigning, SessionTokenMode,
    SigV4Scheme, SigV4aScheme, SigningError, UNSIGNED_PAYLOAD,
};
use crate::credentials::Credentials;
use crate::model::Loader;
use crate::{Body, HttpRequest};

const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FQoGZXIvYXdzE+/token==";

fn creds() -> Credentials {
    Credentials::new(AKID, SECRET, None)
}

fn temp_creds() -> Credentials {
    Credentials::new(AKID, SECRET, Some(TOKEN.to_owned()))
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

// Expected values below come from botocore 1.44.5's signers (the first is
// also AWS's documented presigned URL example).

#[test]
fn presigned_s3_get_object_with_expiry() {
    let req = HttpRequest::new(Method::GET, "https://examplebucket.s3.amazonaws.com/test.txt");
    let scheme = AuthScheme::SigV4(SigV4Scheme::s3("s3", "us-east-1"));
    let url =
        presigned_url(req, &scheme, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC), 86400).unwrap();
    assert_eq!(
        url,
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
}

#[test]
fn query_signing_with_a_session_token() {
    let mut req = HttpRequest::new(
        Method::GET,
        "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
    );
    let scheme = AuthScheme::SigV4(SigV4Scheme::new("sts", "us-east-1"));
    let out =
        presign(&mut req, &scheme, Identity::Credentials(&temp_creds()), datetime!(2013-05-24 0:00 UTC), 60).unwrap();
    assert_eq!(
        req.url,
        "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15\
         &X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fsts%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host\
         &X-Amz-Security-Token=FQoGZXIvYXdzE%2B%2Ftoken%3D%3D\
         &X-Amz-Signature=7e6e39b8bb1db2229962750c277407946b86cb7c51bb7e1c885ab0d49acca00b"
    );
    assert!(out.canonical_request.contains("X-Amz-Security-Token=FQoGZXIvYXdzE%2B%2Ftoken%3D%3D"));
    assert!(req.headers.get("authorization").is_none() && req.headers.get("x-amz-date").is_none());
    // Presigning again replaces the earlier parameters instead of adding more.
    presign(&mut req, &scheme, Identity::Credentials(&temp_creds()), datetime!(2013-05-24 0:00 UTC), 60).unwrap();
    assert_eq!(req.url.matches("X-Amz-Signature=").count(), 1);
    assert!(req.url.contains("X-Amz-Signature=7e6e39b8bb1db2229962750c277407946b86cb7c51bb7e1c885ab0d49acca00b"));
}

#[test]
fn presigning_moves_a_form_body_into_the_query() {
    let mut req = HttpRequest::new(Method::POST, "https://rds.us-east-1.amazonaws.com/");
    req.headers.insert("content-type", "application/x-www-form-urlencoded; charset=utf-8".parse().unwrap());
    req.body = "Action=CopyDBSnapshot&Version=2014-10-31&SourceDBSnapshotIdentifier=a%20b".into();
    let scheme = AuthScheme::SigV4(SigV4Scheme::new("rds", "us-east-1"));
    let url =
        presigned_url(req, &scheme, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC), 3600).unwrap();
    assert_eq!(
        url,
        "https://rds.us-east-1.amazonaws.com/?Action=CopyDBSnapshot&Version=2014-10-31\
         &SourceDBSnapshotIdentifier=a%20b&X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Frds%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=2ef4169a0d4022af9a1f47fe4a00173832b06303c2644d38c974bc08d0a6a83e"
    );
}

#[test]
fn presign_rejects_out_of_range_expiry() {
    let scheme = AuthScheme::SigV4(SigV4Scheme::s3("s3", "us-east-1"));
    for bad in [0, 604_801] {
        let mut req = HttpRequest::new(Method::GET, "https://b.s3.amazonaws.com/k");
        let err = presign(&mut req, &scheme, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC), bad);
        assert!(matches!(err, Err(SigningError::InvalidExpiry(n)) if n == bad));
    }
    let mut req = HttpRequest::new(Method::GET, "https://b.s3.amazonaws.com/k");
    let err = presign(&mut req, &AuthScheme::Bearer, Identity::Anonymous, datetime!(2013-05-24 0:00 UTC), 60);
    assert!(matches!(err, Err(SigningError::CannotPresign("bearer"))));
}

#[test]
fn presigned_post_fields_and_policy() {
    let mut fields = IndexMap::new();
    fields.insert("acl".to_owned(), "public-read".to_owned());
    let conditions = vec![json!({"acl": "public-read"}), json!(["content-length-range", 2, 5])];
    let post = presigned_post(
        "https://mybucket.s3.amazonaws.com/",
        "mybucket",
        "uploads/${filename}",
        fields,
        conditions,
        3600,
        &SigV4Scheme::s3("s3", "us-east-1"),
        &temp_creds(),
        datetime!(2013-05-24 0:00 UTC),
    )
    .unwrap();
    assert_eq!(post.url, "https://mybucket.s3.amazonaws.com/");
    let keys: Vec<&str> = post.fields.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "acl",
            "key",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "x-amz-security-token",
            "policy",
            "x-amz-signature"
        ]
    );
    assert_eq!(post.fields["key"], "uploads/${filename}");
    assert_eq!(post.fields["x-amz-credential"], "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request");
    assert_eq!(post.fields["x-amz-date"], "20130524T000000Z");
    assert_eq!(post.fields["x-amz-security-token"], TOKEN);
    let policy = {
        use base64::Engine as _;
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(&post.fields["policy"]).unwrap()).unwrap()
    };
    assert_eq!(
        policy,
        r#"{"expiration": "2013-05-24T01:00:00Z", "conditions": [{"acl": "public-read"}, ["content-length-range", 2, 5], {"bucket": "mybucket"}, ["starts-with", "$key", "uploads/"], {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"}, {"x-amz-date": "20130524T000000Z"}, {"x-amz-security-token": "FQoGZXIvYXdzE+/token=="}]}"#
    );
    assert_eq!(post.fields["x-amz-signature"], "032d75cf90716ecac4fa9471456d00d73d3c7059e7a3d3797b1f5894a8b15cf1");
    // The token stays out of Debug.
    assert!(!format!("{post:?}").contains(TOKEN));
}

#[test]
fn presigned_post_with_a_plain_key() {
    let post = presigned_post(
        "https://b.s3.amazonaws.com/",
        "b",
        "k.txt",
        IndexMap::new(),
        Vec::new(),
        60,
        &SigV4Scheme::s3("s3", "eu-west-1"),
        &creds(),
        datetime!(2013-05-24 0:00 UTC),
    )
    .unwrap();
    assert!(!post.fields.contains_key("x-amz-security-token"));
    let policy = {
        use base64::Engine as _;
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(&post.fields["policy"]).unwrap()).unwrap()
    };
    assert!(policy
        .starts_with(r#"{"expiration": "2013-05-24T00:01:00Z", "conditions": [{"bucket": "b"}, {"key": "k.txt"}, "#));
}

#[test]
fn s3_put_signs_the_payload_and_sends_its_hash() {
    let mut req = HttpRequest::new(Method::PUT, "https://examplebucket.s3.amazonaws.com/test%24file.text");
    req.body = "Welcome to Amazon S3.".into();
    let scheme = AuthScheme::SigV4(SigV4Scheme::s3("s3", "us-east-1"));
    sign(&mut req, &scheme, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC)).unwrap();
    assert_eq!(req.headers["x-amz-content-sha256"], "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    assert_eq!(
        req.headers["authorization"],
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
         SignedHeaders=host;x-amz-content-sha256;x-amz-date, \
         Signature=1e15d288c066d54cc20d8f664ade3fa96e6744b2861304671f6eb633045a2d4a"
    );
}

#[test]
fn s3_streaming_upload_with_checksum_over_https_is_unsigned() {
    let mut scheme = SigV4Scheme::s3("s3", "us-east-1");
    scheme.options.payload = PayloadSigning::S3 { explicit: None, streaming_input: true };
    let scheme = AuthScheme::SigV4(scheme);
    let mut req = HttpRequest::new(Method::PUT, "https://b.s3.amazonaws.com/k");
    req.body = "data".into();
    req.headers.insert("content-md5", "jXd/OF09/siBXSD3SWAm3A==".parse().unwrap());
    sign(&mut req, &scheme, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC)).unwrap();
    assert_eq!(req.headers["x-amz-content-sha256"], UNSIGNED_PAYLOAD);
    // Over plain HTTP the payload is always signed.
    let mut req = HttpRequest::new(Method::PUT, "http://b.s3.amazonaws.com/k");
    req.body = "data".into();
    req.headers.insert("content-md5", "jXd/OF09/siBXSD3SWAm3A==".parse().unwrap());
    sign(&mut req, &scheme, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC)).unwrap();
    assert_eq!(req.headers["x-amz-content-sha256"], super::sigv4::sha256_hex(b"data").as_str());
}

#[test]
fn unsigned_payload_operation_sends_unsigned_payload() {
    let mut req = HttpRequest::new(Method::POST, "https://ebs.us-east-1.amazonaws.com/snapshots/snap-1/blocks/0");
    req.body = "abc".into();
    let mut scheme = SigV4Scheme::new("ebs", "us-east-1");
    scheme.options.payload = PayloadSigning::Unsigned;
    sign(&mut req, &AuthScheme::SigV4(scheme), Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC))
        .unwrap();
    assert_eq!(req.headers["x-amz-content-sha256"], UNSIGNED_PAYLOAD);
    assert_eq!(
        req.headers["authorization"],
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ebs/aws4_request, \
         SignedHeaders=host;x-amz-content-sha256;x-amz-date, \
         Signature=4ad4d88e5874fe461fbcb71aa3fcf6aa13f4e64e3c90ebc87a76db0843a692ce"
    );
}

#[test]
fn stream_bodies_are_unsigned_over_https_and_refused_over_http() {
    let scheme = AuthScheme::SigV4(SigV4Scheme::new("svc", "us-east-1"));
    let stream = || Body::from_stream(futures_stream(vec![b"abc".to_vec()]), Some(3));
    let mut req = HttpRequest::new(Method::PUT, "https://svc.amazonaws.com/x");
    req.body = stream();
    let out =
        sign(&mut req, &scheme, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC)).unwrap().unwrap();
    assert!(out.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
    assert_eq!(req.headers["x-amz-content-sha256"], UNSIGNED_PAYLOAD);
    let mut req = HttpRequest::new(Method::PUT, "http://svc.amazonaws.com/x");
    req.body = stream();
    let err = sign(&mut req, &scheme, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC));
    assert!(matches!(err, Err(SigningError::UnhashableBody)));
}

#[test]
fn file_bodies_are_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body");
    std::fs::write(&path, b"xxWelcome to Amazon S3.yy").unwrap();
    let mut req = HttpRequest::new(Method::PUT, "https://examplebucket.s3.amazonaws.com/test%24file.text");
    req.body = Body::from_file_range(&path, 2, 21);
    let scheme = AuthScheme::SigV4(SigV4Scheme::s3("s3", "us-east-1"));
    sign(&mut req, &scheme, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC)).unwrap();
    assert_eq!(req.headers["x-amz-content-sha256"], "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
}

fn futures_stream(
    chunks: Vec<Vec<u8>>,
) -> impl futures_core::Stream<Item = Result<bytes::Bytes, crate::body::BoxError>> {
    struct S(std::collections::VecDeque<Vec<u8>>);
    impl futures_core::Stream for S {
        type Item = Result<bytes::Bytes, crate::body::BoxError>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.pop_front().map(|c| Ok(c.into())))
        }
    }
    S(chunks.into())
}

#[test]
fn aws_chunked_framing_with_a_trailing_crc32() {
    let mut req = HttpRequest::new(Method::PUT, "https://b.s3.amazonaws.com/k");
    req.body = "hello world".into();
    req.headers.insert("content-length", "11".parse().unwrap());
    apply_trailing_checksum(&mut req, ChecksumAlgorithm::Crc32, 4).unwrap();
    let expected: &[u8] = b"4\r\nhell\r\n4\r\no wo\r\n3\r\nrld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
    assert_eq!(req.headers["content-encoding"], "aws-chunked");
    assert_eq!(req.headers["x-amz-trailer"], "x-amz-checksum-crc32");
    assert_eq!(req.headers["x-amz-decoded-content-length"], "11");
    assert_eq!(req.headers["x-amz-content-sha256"], "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    assert_eq!(req.headers["content-length"], expected.len().to_string().as_str());
    assert!(req.headers.get("transfer-encoding").is_none());
    assert_eq!(req.body.len(), Some(expected.len() as u64));
    let bytes = block_on(req.body.collect()).unwrap();
    assert_eq!(&bytes[..], expected);

    // Signing keeps the streaming payload marker as the payload hash.
    let scheme = AuthScheme::SigV4(SigV4Scheme::s3("s3", "us-east-1"));
    let mut req = HttpRequest::new(Method::PUT, "https://b.s3.amazonaws.com/k");
    req.body = Body::from_stream(futures_stream(vec![b"hello ".to_vec(), b"world".to_vec()]), Some(11));
    req.headers.insert("content-encoding", "gzip".parse().unwrap());
    apply_trailing_checksum(&mut req, ChecksumAlgorithm::Crc32, 1024).unwrap();
    assert_eq!(req.headers["content-encoding"], "gzip,aws-chunked");
    let out =
        sign(&mut req, &scheme, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC)).unwrap().unwrap();
    assert!(out.canonical_request.ends_with("\nSTREAMING-UNSIGNED-PAYLOAD-TRAILER"));
    assert!(out.signed_headers.contains("x-amz-trailer") && out.signed_headers.contains("content-encoding"));
    let bytes = block_on(req.body.collect()).unwrap();
    assert_eq!(&bytes[..], b"b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n");
}

#[test]
fn aws_chunked_empty_body_and_unknown_length() {
    let mut req = HttpRequest::new(Method::PUT, "https://b.s3.amazonaws.com/k");
    apply_trailing_checksum(&mut req, ChecksumAlgorithm::Sha256, 1024).unwrap();
    let bytes = block_on(req.body.collect()).unwrap();
    assert_eq!(&bytes[..], b"0\r\nx-amz-checksum-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r\n\r\n");
    assert_eq!(encoded_length(0, 1024, Some(ChecksumAlgorithm::Sha256)), bytes.len() as u64);

    let mut req = HttpRequest::new(Method::PUT, "https://b.s3.amazonaws.com/k");
    req.body = Body::from_stream(futures_stream(vec![b"abc".to_vec()]), None);
    apply_trailing_checksum(&mut req, ChecksumAlgorithm::Crc32c, 1024).unwrap();
    assert_eq!(req.headers["transfer-encoding"], "chunked");
    assert!(req.headers.get("content-length").is_none());
    assert!(req.headers.get("x-amz-decoded-content-length").is_none());
}

#[test]
fn aws_chunked_keeps_a_checksum_the_caller_set() {
    let mut req = HttpRequest::new(Method::PUT, "https://b.s3.amazonaws.com/k");
    req.body = "abc".into();
    req.headers.insert("x-amz-checksum-crc32", "NSRBwg==".parse().unwrap());
    apply_trailing_checksum(&mut req, ChecksumAlgorithm::Crc32, 1024).unwrap();
    assert!(req.headers.get("content-encoding").is_none());
    assert_eq!(req.body.as_bytes(), Some(&b"abc"[..]));
}

#[test]
fn checksum_algorithms_match_their_check_values() {
    let check = b"123456789";
    let be = |a: ChecksumAlgorithm| {
        let mut h = a.hasher();
        h.update(&check[..4]);
        h.update(&check[4..]);
        h.finish()
    };
    assert_eq!(be(ChecksumAlgorithm::Crc32), 0xCBF43926u32.to_be_bytes());
    assert_eq!(be(ChecksumAlgorithm::Crc32c), 0xE3069283u32.to_be_bytes());
    assert_eq!(be(ChecksumAlgorithm::Crc64Nvme), 0xAE8B14860A799888u64.to_be_bytes());
    assert_eq!(ChecksumAlgorithm::Sha1.checksum(b""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    assert_eq!(ChecksumAlgorithm::parse("CRC64NVME"), Some(ChecksumAlgorithm::Crc64Nvme));
    assert_eq!(ChecksumAlgorithm::parse("xxhash"), None);
    for a in [ChecksumAlgorithm::Crc32, ChecksumAlgorithm::Crc64Nvme, ChecksumAlgorithm::Sha256] {
        let mut req = HttpRequest::new(Method::PUT, "https://b.s3.amazonaws.com/k");
        req.body = vec![7u8; 3000].into();
        apply_trailing_checksum(&mut req, a, 1000).unwrap();
        let expected = req.body.len().unwrap();
        assert_eq!(block_on(req.body.collect()).unwrap().len() as u64, expected, "{a:?}");
    }
}

#[test]
fn bearer_sets_the_authorization_header_over_https_only() {
    let token = BearerToken::new("tok-123", None);
    let mut req = HttpRequest::new(Method::GET, "https://codecatalyst.global.api.aws/userInfo");
    req.headers.insert("authorization", "old".parse().unwrap());
    assert!(sign(&mut req, &AuthScheme::Bearer, Identity::Token(&token), datetime!(2013-05-24 0:00 UTC))
        .unwrap()
        .is_none());
    assert_eq!(req.headers["authorization"], "Bearer tok-123");
    assert!(!format!("{req:?}").contains("tok-123"));

    let mut req = HttpRequest::new(Method::GET, "http://example.com/?q=secret");
    let err = sign(&mut req, &AuthScheme::Bearer, Identity::Token(&token), datetime!(2013-05-24 0:00 UTC));
    assert!(matches!(&err, Err(SigningError::BearerRequiresHttps { url }) if url == "http://example.com/"));
    let err = sign(&mut req, &AuthScheme::Bearer, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC));
    assert!(matches!(err, Err(SigningError::NoAuthToken)));
}

#[test]
fn anonymous_leaves_the_request_unsigned() {
    let mut req = HttpRequest::new(Method::POST, "https://cognito-identity.us-east-1.amazonaws.com/");
    req.headers.insert("x-amz-target", "AWSCognitoIdentityService.GetId".parse().unwrap());
    req.body = "{}".into();
    let before = (req.url.clone(), req.headers.clone());
    let out = sign(&mut req, &AuthScheme::Anonymous, Identity::Anonymous, datetime!(2013-05-24 0:00 UTC)).unwrap();
    assert!(out.is_none());
    assert_eq!((req.url.clone(), req.headers.clone()), before);
    // Even when credentials are at hand.
    sign(&mut req, &AuthScheme::Anonymous, Identity::Credentials(&creds()), datetime!(2013-05-24 0:00 UTC)).unwrap();
    assert_eq!((req.url, req.headers), before);
}

#[test]
fn credentials_never_appear_in_errors_or_debug() {
    let c = temp_creds();
    let scheme = AuthScheme::SigV4(SigV4Scheme::new("svc", "us-east-1"));
    let mut req = HttpRequest::new(Method::GET, "/relative/only");
    let err = sign(&mut req, &scheme, Identity::Credentials(&c), datetime!(2013-05-24 0:00 UTC)).unwrap_err();
    let mut shown = vec![format!("{err}"), format!("{err:?}"), format!("{:?}", Identity::Credentials(&c))];

    let mut req = HttpRequest::new(Method::GET, "https://svc.us-east-1.amazonaws.com/");
    let out = sign(&mut req, &scheme, Identity::Credentials(&c), datetime!(2013-05-24 0:00 UTC)).unwrap().unwrap();
    assert!(out.canonical_request.contains(TOKEN));
    shown.push(format!("{out:?}"));
    shown.push(format!("{req:?}"));
    shown.push(format!("{:?}", req.headers));
    let err = sign(&mut req, &scheme, Identity::Anonymous, datetime!(2013-05-24 0:00 UTC)).unwrap_err();
    shown.push(format!("{err} {err:?}"));
    let v4a = AuthScheme::SigV4a(SigV4aScheme::new("svc", vec!["*".into()]));
    sign(&mut req, &v4a, Identity::Credentials(&c), datetime!(2013-05-24 0:00 UTC)).unwrap();
    shown.push(format!("{req:?} {v4a:?}"));
    for s in shown {
        assert!(!s.contains(SECRET), "secret leaked: {s}");
        assert!(!s.contains(TOKEN), "token leaked: {s}");
    }
}

#[test]
fn session_token_can_be_left_out_of_the_signature() {
    let mut scheme = SigV4Scheme::new("iotdevicegateway", "us-east-1");
    scheme.options.session_token = SessionTokenMode::Unsigned;
    let mut req = HttpRequest::new(Method::GET, "https://data.iot.us-east-1.amazonaws.com/mqtt");
    let out = presign(
        &mut req,
        &AuthScheme::SigV4(scheme.clone()),
        Identity::Credentials(&temp_creds()),
        datetime!(2013-05-24 0:00 UTC),
        300,
    )
    .unwrap();
    assert!(!out.canonical_request.contains("Security-Token"));
    let token_at = req.url.find("X-Amz-Security-Token=").unwrap();
    assert!(token_at < req.url.find("X-Amz-Signature=").unwrap());

    let mut req = HttpRequest::new(Method::GET, "https://data.iot.us-east-1.amazonaws.com/mqtt");
    let out = sign(
        &mut req,
        &AuthScheme::SigV4(scheme),
        Identity::Credentials(&temp_creds()),
        datetime!(2013-05-24 0:00 UTC),
    )
    .unwrap()
    .unwrap();
    assert_eq!(out.signed_headers, "host;x-amz-date");
    assert_eq!(req.headers["x-amz-security-token"], TOKEN);
}

#[test]
fn resigning_replaces_the_earlier_signature() {
    let scheme = AuthScheme::SigV4(SigV4Scheme::new("svc", "us-east-1"));
    let mut req = HttpRequest::new(Method::GET, "https://svc.us-east-1.amazonaws.com/");
    req.headers.insert("user-agent", "boto-rs".parse().unwrap());
    sign(&mut req, &scheme, Identity::Credentials(&temp_creds()), datetime!(2013-05-24 0:00 UTC)).unwrap();
    let first = req.headers["authorization"].clone();
    sign(&mut req, &scheme, Identity::Credentials(&temp_creds()), datetime!(2013-05-24 0:00 UTC)).unwrap();
    assert_eq!(req.headers["authorization"], first);
    assert_eq!(req.headers.get_all("authorization").iter().count(), 1);
    assert_eq!(req.headers.get_all("x-amz-security-token").iter().count(), 1);
    assert!(!first.to_str().unwrap().contains("user-agent"));
    // A new time, a new date header and signature.
    sign(&mut req, &scheme, Identity::Credentials(&temp_creds()), datetime!(2013-05-25 0:00 UTC)).unwrap();
    assert_eq!(req.headers["x-amz-date"], "20130525T000000Z");
    assert_ne!(req.headers["authorization"], first);
}

#[test]
fn sigv4a_header_signing_verifies() {
    let c = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
    let mut scheme = SigV4aScheme::new("s3", vec!["us-east-1".into(), "us-west-2".into()]);
    scheme.options = super::SigningOptions::s3();
    let mut req = HttpRequest::new(Method::GET, "https://mrap.accesspoint.s3-global.amazonaws.com/k");
    let out = sign(&mut req, &AuthScheme::SigV4a(scheme), Identity::Credentials(&c), datetime!(2015-08-30 12:36 UTC))
        .unwrap()
        .unwrap();
    assert_eq!(req.headers["x-amz-region-set"], "us-east-1,us-west-2");
    assert!(out.string_to_sign.starts_with("AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/s3/aws4_request\n"));
    let authz = req.headers["authorization"].to_str().unwrap();
    assert!(authz.starts_with("AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, Signature="));
    let (x, y) = super::sigv4a::public_key(&c).unwrap();
    let (x, y) = (super::encode::hex(&x), super::encode::hex(&y));
    assert!(super::sigv4a::verify(&x, &y, &out.string_to_sign, &out.signature));
}

// Scheme selection.

fn model(service: &str) -> std::sync::Arc<crate::model::ServiceModel> {
    Loader::embedded_only().service_model(service, None).unwrap()
}

#[test]
fn resolve_defaults_to_sigv4_with_the_model_signing_name() {
    let m = model("dynamodb");
    let op = m.operation("GetItem").unwrap().unwrap();
    let scheme = resolve(&m, op, Some("us-west-2"), None, &AuthConfig::default()).unwrap();
    assert_eq!(scheme, AuthScheme::SigV4(SigV4Scheme::new("dynamodb", "us-west-2")));
    assert_eq!(resolve(&m, op, None, None, &AuthConfig::default()), Err(AuthError::NoRegion));
    let unsigned = AuthConfig { unsigned: true, ..Default::default() };
    assert_eq!(resolve(&m, op, None, None, &unsigned).unwrap(), AuthScheme::Anonymous);
}

#[test]
fn resolve_uses_the_operation_auth_and_authtype() {
    let m = model("cognito-identity");
    let op = m.operation("GetId").unwrap().unwrap();
    assert_eq!(resolve(&m, op, Some("us-east-1"), None, &AuthConfig::default()).unwrap(), AuthScheme::Anonymous);
    // noAuth operations stay anonymous whatever the endpoint says.
    let schemes = json!([{"name": "sigv4", "signingRegion": "us-east-1"}]);
    assert_eq!(
        resolve(&m, op, Some("us-east-1"), Some(&schemes), &AuthConfig::default()).unwrap(),
        AuthScheme::Anonymous
    );

    let m = model("ebs");
    let op = m.operation("PutSnapshotBlock").unwrap().unwrap();
    let AuthScheme::SigV4(s) = resolve(&m, op, Some("us-east-1"), None, &AuthConfig::default()).unwrap() else {
        panic!("expected sigv4")
    };
    assert_eq!(s.options.payload, PayloadSigning::Unsigned);
}

#[test]
fn resolve_takes_the_endpoint_auth_schemes() {
    let m = model("s3");
    let put = m.operation("PutObject").unwrap().unwrap();
    let schemes =
        json!([{"name": "sigv4", "signingName": "s3", "signingRegion": "eu-central-1", "disableDoubleEncoding": true}]);
    let AuthScheme::SigV4(s) = resolve(&m, put, Some("us-east-1"), Some(&schemes), &AuthConfig::default()).unwrap()
    else {
        panic!()
    };
    assert_eq!((s.signing_name.as_str(), s.region.as_str()), ("s3", "eu-central-1"));
    assert!(!s.options.double_uri_encode && !s.options.normalize_path && s.options.content_sha256_header);
    assert_eq!(s.options.payload, PayloadSigning::S3 { explicit: None, streaming_input: true });

    let presign = AuthConfig { ignore_endpoint_signing_region: true, ..Default::default() };
    let AuthScheme::SigV4(s) = resolve(&m, put, Some("us-east-1"), Some(&schemes), &presign).unwrap() else { panic!() };
    assert_eq!(s.region, "us-east-1");

    // Multi-region access points: SigV4a over the endpoint's region set.
    let mrap =
        json!([{"name": "sigv4a", "signingName": "s3", "signingRegionSet": ["*"], "disableDoubleEncoding": true}]);
    let AuthScheme::SigV4a(a) = resolve(&m, put, Some("us-east-1"), Some(&mrap), &AuthConfig::default()).unwrap()
    else {
        panic!()
    };
    assert_eq!(a.region_set, vec!["*".to_owned()]);
    assert!(!a.options.double_uri_encode && a.options.content_sha256_header);
    let configured =
        AuthConfig { sigv4a_signing_region_set: Some("us-west-2, us-east-1".into()), ..Default::default() };
    let AuthScheme::SigV4a(a) = resolve(&m, put, Some("us-east-1"), Some(&mrap), &configured).unwrap() else {
        panic!()
    };
    assert_eq!(a.region_set, vec!["us-west-2".to_owned(), "us-east-1".to_owned()]);

    // The first supported scheme wins; S3 Express tokens go to their own header.
    let express = json!([{"name": "sigv4-s3express", "signingName": "s3express", "signingRegion": "us-west-2"}, {"name": "sigv4"}]);
    let AuthScheme::SigV4(s) = resolve(&m, put, Some("us-west-2"), Some(&express), &AuthConfig::default()).unwrap()
    else {
        panic!()
    };
    assert_eq!(s.options.session_token, SessionTokenMode::S3Express);
    assert_eq!(s.signing_name, "s3express");

    let bad = json!([{"name": "sigv9"}]);
    assert!(matches!(
        resolve(&m, put, Some("us-east-1"), Some(&bad), &AuthConfig::default()),
        Err(AuthError::UnknownSignatureVersion(_))
    ));
    assert!(matches!(
        resolve(&m, put, Some("us-east-1"), Some(&json!([])), &AuthConfig::default()),
        Err(AuthError::InvalidAuthSchemes(_))
    ));
    let get = m.operation("GetObject").unwrap().unwrap();
    let AuthScheme::SigV4(s) = resolve(&m, get, Some("us-east-1"), Some(&schemes), &AuthConfig::default()).unwrap()
    else {
        panic!()
    };
    assert_eq!(s.options.payload, PayloadSigning::S3 { explicit: None, streaming_input: false });
}

#[test]
fn resolve_honours_configured_versions_and_preferences() {
    let m = model("s3");
    let op = m.operation("GetObject").unwrap().unwrap();
    let both = json!([{"name": "sigv4a", "signingRegionSet": ["*"]}, {"name": "sigv4", "signingRegion": "us-east-1"}]);
    let prefer_v4 = AuthConfig { auth_scheme_preference: vec!["sigv4".into()], ..Default::default() };
    assert!(matches!(resolve(&m, op, Some("us-east-1"), Some(&both), &prefer_v4).unwrap(), AuthScheme::SigV4(_)));
    assert!(matches!(
        resolve(&m, op, Some("us-east-1"), Some(&both), &AuthConfig::default()).unwrap(),
        AuthScheme::SigV4a(_)
    ));
    let s3v4 = AuthConfig { signature_version: Some("s3v4".into()), ..Default::default() };
    assert!(matches!(resolve(&m, op, Some("us-east-1"), Some(&both), &s3v4).unwrap(), AuthScheme::SigV4(_)));
    let v2 = AuthConfig { signature_version: Some("s3".into()), ..Default::default() };
    assert_eq!(resolve(&m, op, Some("us-east-1"), None, &v2), Err(AuthError::UnsupportedSignatureVersion("s3".into())));

    // A preference for a scheme the service lacks falls back to the service order.
    let ddb = model("dynamodb");
    let get_item = ddb.operation("GetItem").unwrap().unwrap();
    let prefer_bearer = AuthConfig { auth_scheme_preference: vec!["httpBearerAuth".into()], ..Default::default() };
    assert!(matches!(resolve(&ddb, get_item, Some("us-east-1"), None, &prefer_bearer).unwrap(), AuthScheme::SigV4(_)));
}

#[test]
fn resolve_bearer_services() {
    let m = model("codecatalyst");
    let name = m.operation_names().next().unwrap().to_owned();
    let op = m.operation(&name).unwrap().unwrap();
    assert_eq!(resolve(&m, op, Some("us-east-1"), None, &AuthConfig::default()).unwrap(), AuthScheme::Bearer);

    let m = model("bedrock-runtime");
    let op = m.operation("InvokeModel").unwrap().unwrap();
    assert!(matches!(resolve(&m, op, Some("us-east-1"), None, &AuthConfig::default()).unwrap(), AuthScheme::SigV4(_)));
    let with_token = AuthConfig { bearer_token_available: true, ..Default::default() };
    assert_eq!(resolve(&m, op, Some("us-east-1"), None, &with_token).unwrap(), AuthScheme::Bearer);
}

proptest::proptest! {
    /// Arbitrary URLs, header values and bodies never make the signers
    /// panic, and header signing is deterministic.
    #[test]
    fn signing_never_panics(
        url in "(https?://[a-zA-Z0-9.:@\\[\\]-]{0,20})?[ -~\u{80}-\u{10ffff}]{0,40}",
        value in "[ -~\t]{0,30}",
        body in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
        v4a in proptest::bool::ANY,
        query in proptest::bool::ANY,
    ) {
        let mut req = HttpRequest::new(Method::PUT, url.clone());
        if let Ok(v) = value.parse() {
            req.headers.insert("x-custom", v);
        }
        req.body = body.into();
        let scheme = if v4a {
            AuthScheme::SigV4a(SigV4aScheme::new("svc", vec!["*".into()]))
        } else {
            AuthScheme::SigV4(SigV4Scheme::new("svc", "us-east-1"))
        };
        let id = Identity::Credentials(&creds());
        let t = datetime!(2013-05-24 0:00 UTC);
        if query {
            let _ = presign(&mut req, &scheme, id, t, 60);
        } else if let Ok(Some(first)) = sign(&mut req.clone(), &scheme, id, t) {
            let again = sign(&mut req, &scheme, id, t).unwrap().unwrap();
            proptest::prop_assert_eq!(first.canonical_request, again.canonical_request);
        }
    }
}
