//! Cold load of a service model from the embedded bundle to a ready index:
//! decompress the service's frame and index it (what a process pays the
//! first time it makes a client for the service). The process-wide cache
//! is bypassed on purpose.
//!
//! Run: `cargo bench -p boto-core --bench model_load`

use boto_core::model::Bundle;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

fn cold_load(c: &mut Criterion) {
    let bundle = Bundle::embedded().expect("bundle");
    let mut group = c.benchmark_group("model_cold_load");
    for service in ["ec2", "s3", "dynamodb"] {
        let entry = bundle.find(service, "service-2").expect("entry");
        group.bench_function(service, |b| {
            b.iter(|| {
                let model = bundle.service_model(entry, "bench").expect("index");
                let n = model.operation_names().len();
                black_box(n)
            })
        });
    }
    // Including the first operation a client calls (parsing it and every
    // shape it reaches).
    for (service, op) in [("ec2", "DescribeInstances"), ("dynamodb", "GetItem")] {
        let entry = bundle.find(service, "service-2").expect("entry");
        group.bench_function(format!("{service}+{op}"), |b| {
            b.iter(|| {
                let model = bundle.service_model(entry, "bench").expect("index");
                let found = model.operation(op).expect("parse").is_some();
                black_box(found)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, cold_load);
criterion_main!(benches);
