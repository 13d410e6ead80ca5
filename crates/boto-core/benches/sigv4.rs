//! SigV4 signing benchmarks: a small DynamoDB GetItem-like request (the
//! signing-key cache keeps the per-request cost to hashing and one HMAC),
//! a 1 MiB body (dominated by SHA-256 of the payload), an S3 presigned URL
//! and a SigV4a signature.

use std::hint::black_box;

use boto_core::auth::{self, AuthScheme, Identity, SigV4Scheme, SigV4aScheme};
use boto_core::credentials::Credentials;
use boto_core::HttpRequest;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use time::macros::datetime;

fn get_item() -> HttpRequest {
    let mut req = HttpRequest::new(http::Method::POST, "https://dynamodb.us-east-1.amazonaws.com/");
    let h = &mut req.headers;
    h.insert("content-type", "application/x-amz-json-1.0".parse().unwrap());
    h.insert("x-amz-target", "DynamoDB_20120810.GetItem".parse().unwrap());
    h.insert("user-agent", "boto-rs/0.1.0 md/rust#1.95".parse().unwrap());
    h.insert("content-length", "98".parse().unwrap());
    req.body =
        r#"{"TableName":"Music","Key":{"Artist":{"S":"No One You Know"},"SongTitle":{"S":"Call Me Today"}}}"#.into();
    req
}

fn bench(c: &mut Criterion) {
    let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Some("token".into()));
    let now = datetime!(2024-05-01 12:00:00 UTC);
    let ddb = AuthScheme::SigV4(SigV4Scheme::new("dynamodb", "us-east-1"));

    let small = get_item();
    assert!(small.body.len().unwrap() < 128);
    let mut g = c.benchmark_group("sigv4");
    g.bench_function("sign_small_getitem", |b| {
        b.iter_batched_ref(
            || small.clone(),
            |req| auth::sign(req, &ddb, Identity::Credentials(&creds), now).unwrap(),
            BatchSize::SmallInput,
        )
    });

    let mut big = get_item();
    big.body = vec![b'x'; 1024 * 1024].into();
    g.throughput(Throughput::Bytes(1024 * 1024));
    g.bench_function("sign_1mib_body", |b| {
        b.iter_batched_ref(
            || big.clone(),
            |req| auth::sign(req, &ddb, Identity::Credentials(&creds), now).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("presign");
    let s3 = AuthScheme::SigV4(SigV4Scheme::s3("s3", "us-east-1"));
    let get = HttpRequest::new(http::Method::GET, "https://bucket.s3.us-east-1.amazonaws.com/photos/2024/cat.jpg");
    g.bench_function("s3_get_object_url", |b| {
        b.iter_batched(
            || get.clone(),
            |req| black_box(auth::presign::presigned_url(req, &s3, Identity::Credentials(&creds), now, 900).unwrap()),
            BatchSize::SmallInput,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("sigv4a");
    let v4a = AuthScheme::SigV4a(SigV4aScheme::new("dynamodb", vec!["*".into()]));
    g.bench_function("sign_small_getitem", |b| {
        b.iter_batched_ref(
            || small.clone(),
            |req| auth::sign(req, &v4a, Identity::Credentials(&creds), now).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
