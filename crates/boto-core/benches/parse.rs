//! Response parsing on the hot paths: a DynamoDB GetItem (JSON), a
//! 1,000-key S3 ListObjectsV2 page (XML) and a CBOR list.
//!
//! `cargo bench -p boto-core --bench parse`

use std::hint::black_box;

use boto_core::model::Loader;
use boto_core::protocol::parse::{parse, Parsed};
use boto_core::HttpResponse;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn get_item_body() -> String {
    let mut attrs = Vec::new();
    for i in 0..8 {
        attrs.push(format!(r#""s{i}": {{"S": "value number {i} with some text"}}"#));
        attrs.push(format!(r#""n{i}": {{"N": "{}"}}"#, 1000 + i * 7));
    }
    attrs.push(r#""blob": {"B": "aGVsbG8gd29ybGQ="}"#.into());
    attrs.push(r#""tags": {"SS": ["a", "b", "c", "d"]}"#.into());
    attrs.push(
        r#""nested": {"M": {"x": {"N": "1"}, "y": {"BOOL": true}, "z": {"L": [{"S": "p"}, {"NULL": true}]}}}"#.into(),
    );
    format!(r#"{{"Item": {{{}}}}}"#, attrs.join(", "))
}

fn list_objects_body(keys: usize) -> String {
    let mut body = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>my-bucket</Name><Prefix>logs/</Prefix><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"#,
    );
    for i in 0..keys {
        body.push_str(&format!(
            "<Contents><Key>logs/2024/05/01/app-{i:06}.log.gz</Key><LastModified>2024-05-01T10:{:02}:{:02}.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            (i / 60) % 60,
            i % 60,
            10_000 + i * 13
        ));
    }
    body.push_str("</ListBucketResult>");
    body
}

fn cbor_event_buses(n: usize) -> Vec<u8> {
    fn head(major: u8, len: usize, out: &mut Vec<u8>) {
        let m = major << 5;
        if len < 24 {
            out.push(m | len as u8);
        } else if len < 256 {
            out.extend([m | 24, len as u8]);
        } else {
            out.push(m | 25);
            out.extend((len as u16).to_be_bytes());
        }
    }
    fn text(s: &str, out: &mut Vec<u8>) {
        head(3, s.len(), out);
        out.extend(s.as_bytes());
    }
    let mut out = Vec::new();
    head(5, 1, &mut out);
    text("EventBuses", &mut out);
    head(4, n, &mut out);
    for i in 0..n {
        head(5, 4, &mut out);
        text("Name", &mut out);
        text(&format!("bus-{i}"), &mut out);
        text("EventBusArn", &mut out);
        text(&format!("arn:aws:events:us-east-1:123456789012:event-bus/bus-{i}"), &mut out);
        text("CreationTime", &mut out);
        out.extend([0xc1, 0xfb]);
        out.extend((1_700_000_000.25 + i as f64).to_be_bytes());
        text("State", &mut out);
        text("ACTIVE", &mut out);
    }
    out
}

fn bench(c: &mut Criterion) {
    let loader = Loader::embedded_only();
    let cases = [
        ("dynamodb", "GetItem", get_item_body().into_bytes()),
        ("s3", "ListObjectsV2", list_objects_body(1000).into_bytes()),
        ("eventbridgev2", "ListEventBuses", cbor_event_buses(100)),
    ];
    let mut group = c.benchmark_group("parse");
    for (service, op_name, body) in cases {
        let model = loader.service_model(service, None).unwrap();
        let op = model.operation(op_name).unwrap().unwrap();
        let body = bytes::Bytes::from(body);
        // Sanity: the body parses.
        let response = HttpResponse { status: 200, headers: Default::default(), body: body.clone().into() };
        assert!(matches!(parse(&model, op, response), Ok(Parsed::Ok(_))), "{service} {op_name}");
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(format!("{service}/{op_name}"), |b| {
            b.iter(|| {
                let response = HttpResponse { status: 200, headers: Default::default(), body: body.clone().into() };
                black_box(parse(&model, op, black_box(response)).unwrap())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
