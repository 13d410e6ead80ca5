//! Request serialization on the hot path: the serializer's share of a
//! DynamoDB GetItem / PutItem call (json), an S3 GetObject (rest-xml URI,
//! query and headers), an SNS Publish (query) and an EC2
//! DescribeInstances (ec2). Models and operations are loaded once, outside
//! the loop.
//!
//! Run: `cargo bench -p boto-core --bench serialize`

use boto_core::model::Loader;
use boto_core::protocol::serialize;
use boto_core::{params, Value};
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let loader = Loader::embedded_only();
    let cases: Vec<(&str, &str, Value)> = vec![
        ("dynamodb", "GetItem", params!({"TableName": "users", "Key": {"id": {"S": "u-1"}}})),
        (
            "dynamodb",
            "PutItem",
            params!({
                "TableName": "users",
                "Item": {
                    "id": {"S": "u-1"}, "name": {"S": "Ada Lovelace"}, "age": {"N": "36"},
                    "tags": {"SS": ["math", "engines"]}, "active": {"BOOL": true},
                },
                "ConditionExpression": "attribute_not_exists(id)",
            }),
        ),
        ("s3", "GetObject", params!({"Bucket": "my-bucket", "Key": "photos/2024/a b.jpg", "Range": "bytes=0-1023"})),
        ("sns", "Publish", params!({"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "hello"})),
        (
            "ec2",
            "DescribeInstances",
            params!({"Filters": [{"Name": "instance-state-name", "Values": ["running"]}], "MaxResults": 50}),
        ),
    ];
    let mut group = c.benchmark_group("serialize");
    for (service, operation, params) in &cases {
        let model = loader.service_model(service, None).expect("model");
        let op = model.operation(operation).expect("parse").expect("operation");
        group.bench_function(format!("{service}.{operation}"), |b| {
            b.iter(|| black_box(serialize(&model, op, black_box(params)).expect("serialize")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
