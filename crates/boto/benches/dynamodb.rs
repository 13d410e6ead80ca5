//! DynamoDB's high-level hot paths: native values to and from the wire,
//! exact numbers, conditions, serde items.
//!
//! `cargo bench -p boto --bench dynamodb`

use boto::dynamodb::{
    item, to_item, Attr, ConditionExpressionBuilder, Item, Key, Number, NumberSet, StringSet, TypeDeserializer,
    TypeSerializer,
};
use criterion::{criterion_group, criterion_main, Criterion};
use serde::Serialize;
use std::hint::black_box;

fn order(i: i64) -> Item {
    item! {
        "customer" => format!("customer-{}", i % 97),
        "order" => i,
        "total" => Number::new("1234.56").unwrap(),
        "currency" => "EUR",
        "paid" => true,
        "tags" => StringSet::from(["gift", "priority"]),
        "scores" => NumberSet::from([1, 2, 3]),
        "address" => item! { "street" => "Main St 1", "city" => "Oslo", "zip" => "0150" },
        "lines" => vec![
            boto::dynamodb::DynamoValue::Map(item! { "sku" => "A-1", "qty" => 2 }),
            boto::dynamodb::DynamoValue::Map(item! { "sku" => "B-7", "qty" => 1 }),
        ],
    }
}

#[derive(Serialize)]
struct Order {
    customer: String,
    order: u64,
    total: Number,
    currency: &'static str,
    paid: bool,
    tags: StringSet,
    lines: Vec<Line>,
}

#[derive(Serialize)]
struct Line {
    sku: &'static str,
    qty: u32,
}

fn bench(c: &mut Criterion) {
    let batch: Vec<Item> = (0..25).map(order).collect();
    c.bench_function("serialize 25 items", |b| {
        b.iter(|| {
            for it in &batch {
                black_box(TypeSerializer.serialize_item(black_box(it)).unwrap());
            }
        })
    });
    let wire: Vec<_> = batch.iter().map(|it| TypeSerializer.serialize_item(it).unwrap()).collect();
    c.bench_function("deserialize 25 items", |b| {
        b.iter(|| {
            for w in &wire {
                black_box(TypeDeserializer.deserialize_item(black_box(w)).unwrap());
            }
        })
    });
    c.bench_function("Number::new 38 digits", |b| {
        b.iter(|| Number::new(black_box("1234567890123456789.0123456789012345678")).unwrap())
    });
    let condition = (Key::new("customer").eq("c-1") & Key::new("order").between(1, 100)).and(
        Attr::new("address.city").eq("Oslo") | (Attr::new("tags").contains("gift") & !Attr::new("paid").eq(false)),
    );
    c.bench_function("build a 6-clause condition", |b| {
        b.iter(|| ConditionExpressionBuilder::new().build_expression(black_box(&condition), false).unwrap())
    });
    let value = Order {
        customer: "c-1".into(),
        order: 7,
        total: Number::new("99.90").unwrap(),
        currency: "EUR",
        paid: true,
        tags: StringSet::from(["gift"]),
        lines: vec![Line { sku: "A-1", qty: 2 }, Line { sku: "B-7", qty: 1 }],
    };
    c.bench_function("to_item (serde struct)", |b| b.iter(|| to_item(black_box(&value)).unwrap()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
