//! DynamoDB's high-level interface against the local stand-in (moto).

mod common;

use std::collections::BTreeSet;

use boto::dynamodb::{
    from_item, item, to_item, Attr, BinarySet, DynamoValue, Item, Key, Number, NumberSet, StringSet, Table,
};
use boto::{params, Value};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};

async fn new_table(session: &boto::Session, prefix: &str) -> Table {
    let ddb = session.dynamodb().unwrap();
    let name = common::unique(prefix);
    let table = ddb
        .create_table(params!({
            "TableName": name.clone(),
            "KeySchema": [
                { "AttributeName": "pk", "KeyType": "HASH" },
                { "AttributeName": "sk", "KeyType": "RANGE" },
            ],
            "AttributeDefinitions": [
                { "AttributeName": "pk", "AttributeType": "S" },
                { "AttributeName": "sk", "AttributeType": "N" },
            ],
            "BillingMode": "PAY_PER_REQUEST",
        }))
        .await
        .unwrap();
    assert_eq!(table.name(), name);
    table
}

#[tokio::test]
async fn items_round_trip_natively() {
    let Some(session) = common::session("items_round_trip_natively") else { return };
    let table = new_table(&session, "native").await;
    let item = item! {
        "pk" => "user#1",
        "sk" => 1,
        "big" => Number::new("12345678901234567890123456789012345678").unwrap(),
        "tiny" => Number::new("-1.5E-100").unwrap(),
        "price" => Number::try_from(19.5).unwrap(),
        "name" => "Ann",
        "photo" => bytes::Bytes::from_static(b"\x00\xffbin"),
        "tags" => StringSet::from(["admin", "ops"]),
        "scores" => NumberSet::from([1, 2, 3]),
        "blobs" => BinarySet::from([bytes::Bytes::from_static(b"a"), bytes::Bytes::from_static(b"b")]),
        "list" => vec![DynamoValue::from(1), "two".into(), DynamoValue::Null, true.into()],
        "address" => item! { "city" => "Oslo", "zip" => "0150" },
    };
    table.put_item(item.clone()).send().await.unwrap();
    let got = table.get_item(item! { "pk" => "user#1", "sk" => 1 }).consistent_read(true).send().await.unwrap();
    assert_eq!(got.item.as_ref(), Some(&item));
    assert_eq!(got.item.unwrap()["big"].as_number().unwrap().as_str(), "12345678901234567890123456789012345678");

    // A projection with a nested path and a reserved word (`name`).
    // (moto 5.2.5 refuses `#n0[1]` in projections, which DynamoDB takes;
    // list indexes are covered by the stubbed tests.)
    let got = table
        .get_item(item! { "pk" => "user#1", "sk" => 1 })
        .projection(["name", "address.city"])
        .send()
        .await
        .unwrap();
    assert_eq!(got.item.unwrap(), item! { "name" => "Ann", "address" => item! { "city" => "Oslo" } });
    // Missing items.
    let none = table.get_item(item! { "pk" => "nobody", "sk" => 0 }).send().await.unwrap();
    assert!(none.item.is_none());
    table.action("delete", params!({})).await.unwrap();
}

#[tokio::test]
async fn conditions_queries_scans_and_updates() {
    let Some(session) = common::session("conditions_queries_scans_and_updates") else { return };
    let table = new_table(&session, "cond").await;
    for (pk, sk, age) in [("a", 1, 10), ("a", 2, 25), ("a", 3, 40), ("b", 1, 30)] {
        table
            .put_item(item! { "pk" => pk, "sk" => sk, "age" => age, "name" => format!("{pk}{sk}") })
            .send()
            .await
            .unwrap();
    }
    // A conditional put that fails keeps the service's code.
    let err = table
        .put_item(item! { "pk" => "a", "sk" => 1 })
        .condition(Attr::new("pk").not_exists())
        .send()
        .await
        .unwrap_err();
    assert!(err.is("ConditionalCheckFailedException"), "{err}");

    // Query with key conditions.
    let page = table.query(Key::new("pk").eq("a") & Key::new("sk").between(2, 3)).send().await.unwrap();
    let sks: Vec<i64> = page.items.iter().map(|i| i["sk"].as_i64().unwrap()).collect();
    assert_eq!(sks, [2, 3]);
    // ... with a filter, descending.
    let page = table
        .query(Key::new("pk").eq("a"))
        .filter(Attr::new("age").gte(20))
        .scan_index_forward(false)
        .send()
        .await
        .unwrap();
    let sks: Vec<i64> = page.items.iter().map(|i| i["sk"].as_i64().unwrap()).collect();
    assert_eq!(sks, [3, 2]);
    // Scan with an Attr filter (OR, NOT, begins_with).
    let page = table
        .scan()
        .filter(Attr::new("age").lt(15) | (Attr::new("name").begins_with("b") & !Attr::new("age").eq(99)))
        .send()
        .await
        .unwrap();
    let names: BTreeSet<String> = page.items.iter().map(|i| i["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, BTreeSet::from(["a1".to_owned(), "b1".to_owned()]));
    // Attr used as a key condition: refused before sending.
    assert!(table.query(Attr::new("pk").eq("a")).send().await.is_err());

    // Update with a condition, returning the new values.
    let out = table
        .update_item(item! { "pk" => "a", "sk" => 1 })
        .update_expression("SET age = age + :inc, tags = :tags")
        .value(":inc", 5)
        .value(":tags", StringSet::from(["x"]))
        .condition(Attr::new("age").eq(10))
        .return_values("ALL_NEW")
        .send()
        .await
        .unwrap();
    let new = out.attributes.unwrap();
    assert_eq!(new["age"].as_i64(), Some(15));
    assert_eq!(new["tags"], StringSet::from(["x"]).into());

    // Delete returning the old item.
    let out = table.delete_item(item! { "pk" => "b", "sk" => 1 }).return_values("ALL_OLD").send().await.unwrap();
    assert_eq!(out.attributes.unwrap()["name"].as_str(), Some("b1"));
    let left: Vec<Item> = table.scan().items().try_collect().await.unwrap();
    assert_eq!(left.len(), 3);
    table.action("delete", params!({})).await.unwrap();
}

#[tokio::test]
async fn batch_writer_writes_a_thousand_items() {
    let Some(session) = common::session("batch_writer_writes_a_thousand_items") else { return };
    let table = new_table(&session, "batch").await;
    let mut writer = table.batch_writer();
    for i in 0..1000 {
        writer.put_item(item! { "pk" => format!("p{}", i % 7), "sk" => i, "double" => i * 2 }).await.unwrap();
    }
    writer.close().await.unwrap();
    assert_eq!(writer.pending(), 0);
    assert_eq!(writer.requests_sent(), 40);

    // Every item is there, with its values (Scan paginates at 1 MB; the
    // pages are followed).
    let items: Vec<Item> = table.scan().items().try_collect().await.unwrap();
    assert_eq!(items.len(), 1000);
    let mut seen = BTreeSet::new();
    for it in &items {
        let sk = it["sk"].as_i64().unwrap();
        assert_eq!(it["double"].as_i64(), Some(sk * 2));
        assert_eq!(it["pk"].as_str(), Some(format!("p{}", sk % 7).as_str()));
        seen.insert(sk);
    }
    assert_eq!(seen, (0..1000).collect());

    // Deletes through the writer, with overwrite_by_pkeys de-duplicating.
    let mut writer = table.batch_writer_with_pkeys(["pk", "sk"]);
    for i in 0..100 {
        writer.delete_item(item! { "pk" => format!("p{}", i % 7), "sk" => i }).await.unwrap();
        writer.delete_item(item! { "pk" => format!("p{}", i % 7), "sk" => i }).await.unwrap();
    }
    writer.close().await.unwrap();
    let count = table.scan().select("COUNT").send().await.unwrap();
    assert_eq!(count.count, 900);

    // BatchGetItem on the service resource.
    let ddb = session.dynamodb().unwrap();
    let out = ddb
        .batch_get_item()
        .keys(table.name(), (100..110).map(|i| item! { "pk" => format!("p{}", i % 7), "sk" => i }))
        .send()
        .await
        .unwrap();
    let mut got: Vec<i64> = out.responses[table.name()].iter().map(|i| i["sk"].as_i64().unwrap()).collect();
    got.sort();
    assert_eq!(got, (100..110).collect::<Vec<_>>());
    table.action("delete", params!({})).await.unwrap();
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Order {
    pk: String,
    sk: u32,
    total: Number,
    lines: Vec<Line>,
    tags: StringSet,
    note: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Line {
    sku: String,
    qty: u16,
}

#[tokio::test]
async fn serde_types_round_trip() {
    let Some(session) = common::session("serde_types_round_trip") else { return };
    let table = new_table(&session, "serde").await;
    let order = Order {
        pk: "c-1".into(),
        sk: 7,
        total: Number::new("1234.50").unwrap(),
        lines: vec![Line { sku: "x".into(), qty: 2 }],
        tags: StringSet::from(["gift"]),
        note: None,
    };
    table.put_item(to_item(&order).unwrap()).send().await.unwrap();
    let got = table.get_item(item! { "pk" => "c-1", "sk" => 7 }).send().await.unwrap();
    let back: Order = got.item_as().unwrap().unwrap();
    assert_eq!(back, order);
    let page = table.query(Key::new("pk").eq("c-1")).send().await.unwrap();
    let orders: Vec<Order> = page.items_as().unwrap();
    assert_eq!(orders, vec![order]);
    let _: Order = from_item(page.items[0].clone()).unwrap();
    table.action("delete", params!({})).await.unwrap();
}

#[tokio::test]
async fn table_resource_attributes_and_generic_calls() {
    let Some(session) = common::session("table_resource_attributes_and_generic_calls") else { return };
    let table = new_table(&session, "attrs").await;
    table.load().await.unwrap();
    assert_eq!(table.get("table_status").await.unwrap(), params!("ACTIVE"));
    assert_eq!(table.get("key_schema").await.unwrap()[0]["AttributeName"], params!("pk"));
    // The generic resource surface speaks the wire form.
    table.action("put_item", params!({ "Item": { "pk": { "S": "w" }, "sk": { "N": "1" } } })).await.unwrap();
    // Any operation, high-level, through Table::call.
    let out = table
        .call("GetItem", boto::dynamodb::Params::new().native("Key", item! { "pk" => "w", "sk" => 1 }))
        .await
        .unwrap();
    assert_eq!(out.native["Item"]["pk"].as_str(), Some("w"));
    assert!(out.raw["ResponseMetadata"]["HTTPStatusCode"] == Value::Int(200));
    table.action("delete", params!({})).await.unwrap();
}

#[test]
fn blocking_table() {
    let Some(session) = common::blocking_session("blocking_table") else { return };
    let ddb = session.dynamodb().unwrap();
    let name = common::unique("blocking");
    let table = ddb
        .create_table(params!({
            "TableName": name,
            "KeySchema": [ { "AttributeName": "id", "KeyType": "HASH" } ],
            "AttributeDefinitions": [ { "AttributeName": "id", "AttributeType": "N" } ],
            "BillingMode": "PAY_PER_REQUEST",
        }))
        .unwrap();
    {
        let mut writer = table.batch_writer();
        for i in 0..60 {
            writer.put_item(item! { "id" => i }).unwrap();
        }
        // Dropped without close: Drop flushes the last 10.
    }
    let all: Vec<Item> = table.scan().items().collect::<Result<_, _>>().unwrap();
    assert_eq!(all.len(), 60);
    let got = table.get_item(item! { "id" => 59 }).send().unwrap();
    assert!(got.item.is_some());
    table.resource().action("delete", params!({})).unwrap();
}
