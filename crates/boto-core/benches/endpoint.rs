//! Endpoint resolution speed: an S3 virtual-hosted bucket endpoint and a
//! DynamoDB endpoint, through the engine alone (prepared rule set, ready
//! parameters) and through the whole per-call path (parameters built from
//! the configuration and the operation input, then resolved).
//!
//! `cargo bench -p boto-core --bench endpoint`

use std::hint::black_box;

use boto_core::endpoint::{BuiltIns, EndpointConfig, EndpointResolver, RuleSet};
use boto_core::model::Loader;
use boto_core::params;
use criterion::{criterion_group, criterion_main, Criterion};

fn engine(c: &mut Criterion) {
    let s3 = RuleSet::for_service("s3").unwrap();
    let mut p = s3.params();
    p.set("Region", "us-west-2");
    p.set("UseFIPS", false);
    p.set("UseDualStack", false);
    p.set("Accelerate", false);
    p.set("ForcePathStyle", false);
    p.set("Bucket", "my-bucket");
    assert_eq!(s3.resolve(&p).unwrap().url, "https://my-bucket.s3.us-west-2.amazonaws.com");
    c.bench_function("resolve/s3-virtual-hosted-bucket", |b| b.iter(|| black_box(&s3).resolve(black_box(&p)).unwrap()));

    let ddb = RuleSet::for_service("dynamodb").unwrap();
    let mut p = ddb.params();
    p.set("Region", "us-east-1");
    p.set("UseFIPS", false);
    p.set("UseDualStack", false);
    assert_eq!(ddb.resolve(&p).unwrap().url, "https://dynamodb.us-east-1.amazonaws.com");
    c.bench_function("resolve/dynamodb", |b| b.iter(|| black_box(&ddb).resolve(black_box(&p)).unwrap()));
}

fn per_call(c: &mut Criterion) {
    let loader = Loader::embedded_only();
    let config = EndpointConfig {
        builtins: BuiltIns {
            region: Some("us-west-2".into()),
            use_fips: Some(false),
            use_dual_stack: Some(false),
            s3_accelerate: Some(false),
            s3_force_path_style: Some(false),
            ..BuiltIns::default()
        },
        ..EndpointConfig::default()
    };
    let s3 = EndpointResolver::new(loader.service_model("s3", None).unwrap()).unwrap();
    let input = params!({ "Bucket": "my-bucket", "Key": "photos/2024/cat.jpg" });
    assert_eq!(s3.resolve("GetObject", &input, &config).unwrap().url, "https://my-bucket.s3.us-west-2.amazonaws.com");
    c.bench_function("call/s3-GetObject", |b| b.iter(|| s3.resolve("GetObject", black_box(&input), &config).unwrap()));

    let ddb = EndpointResolver::new(loader.service_model("dynamodb", None).unwrap()).unwrap();
    let input = params!({ "TableName": "users", "Key": { "id": { "S": "u-1" } } });
    assert_eq!(ddb.resolve("GetItem", &input, &config).unwrap().url, "https://dynamodb.us-west-2.amazonaws.com");
    c.bench_function("call/dynamodb-GetItem", |b| {
        b.iter(|| ddb.resolve("GetItem", black_box(&input), &config).unwrap())
    });
}

criterion_group!(benches, engine, per_call);
criterion_main!(benches);
