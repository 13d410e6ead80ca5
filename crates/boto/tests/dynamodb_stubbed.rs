//! DynamoDB's high-level interface against a stubbed client: the batch
//! writer with boto3's test vectors (tests/unit/dynamodb/test_table.py),
//! unprocessed items, backoff and errors; the table helpers' requests.

use std::time::Duration;

use boto::dynamodb::{item, Attr, Item, Key, Table};
use boto::{params, Error, Resource, Value};
use boto_core::model::Loader;
use boto_core::{Client, Stubber};

const TABLE: &str = "tablename";

fn stubbed() -> (Stubber, Table) {
    let client = Client::builder("dynamodb")
        .region("us-east-1")
        .credentials(boto_core::testing::test_credentials())
        .build()
        .unwrap();
    let stubber = Stubber::new();
    let ddb = Resource::from_client(stubber.activate(&client), &Loader::embedded_only()).unwrap();
    (stubber, ddb.table(TABLE).unwrap())
}

fn put(hash: &str) -> Value {
    params!({ "PutRequest": { "Item": { "Hash": { "S": hash } } } })
}

fn delete(hash: &str) -> Value {
    params!({ "DeleteRequest": { "Key": { "Hash": { "S": hash } } } })
}

fn batch(requests: Vec<Value>) -> Option<Value> {
    Some(params!({ "RequestItems": { (TABLE): requests } }))
}

fn ok() -> Value {
    params!({ "UnprocessedItems": {} })
}

fn unprocessed(requests: Vec<Value>) -> Value {
    params!({ "UnprocessedItems": { (TABLE): requests } })
}

fn h(x: &str) -> Item {
    item! { "Hash" => x }
}

#[tokio::test]
async fn does_not_write_before_flush_amount() {
    let (stubber, table) = stubbed();
    let mut w = table.batch_writer().flush_amount(2);
    w.put_item(h("foo")).await.unwrap();
    assert_eq!(w.requests_sent(), 0);
    assert_eq!(w.pending(), 1);
    stubber.add_response("BatchWriteItem", ok(), batch(vec![put("foo")]));
    w.close().await.unwrap();
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn flushes_puts_and_deletes_in_order() {
    // test_multiple_flushes_reset_items_to_put, test_multiple_batch_calls_with_mixed_deletes.
    let (stubber, table) = stubbed();
    let mut w = table.batch_writer().flush_amount(2);
    stubber.add_response("BatchWriteItem", ok(), batch(vec![put("foo1"), delete("foo2")]));
    stubber.add_response("BatchWriteItem", ok(), batch(vec![delete("foo3"), put("foo4")]));
    w.put_item(h("foo1")).await.unwrap();
    w.delete_item(h("foo2")).await.unwrap();
    w.delete_item(h("foo3")).await.unwrap();
    w.put_item(h("foo4")).await.unwrap();
    assert_eq!(w.requests_sent(), 2);
    w.close().await.unwrap();
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn unprocessed_items_go_to_the_next_batch() {
    // test_unprocessed_items_added_to_next_batch.
    let (stubber, table) = stubbed();
    let mut w = table.batch_writer().flush_amount(2).backoff(Duration::ZERO, Duration::ZERO);
    stubber.add_response("BatchWriteItem", unprocessed(vec![put("foo2")]), batch(vec![put("foo1"), put("foo2")]));
    stubber.add_response("BatchWriteItem", ok(), batch(vec![put("foo2"), put("foo3")]));
    w.put_item(h("foo1")).await.unwrap();
    w.put_item(h("foo2")).await.unwrap();
    w.put_item(h("foo3")).await.unwrap();
    assert_eq!(w.pending(), 0);
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn never_more_than_flush_amount() {
    // test_never_send_more_than_max_batch_size.
    let (stubber, table) = stubbed();
    let mut w = table.batch_writer().flush_amount(2).backoff(Duration::ZERO, Duration::ZERO);
    stubber.add_response(
        "BatchWriteItem",
        unprocessed(vec![put("foo1"), put("foo2")]),
        batch(vec![put("foo1"), put("foo2")]),
    );
    stubber.add_response("BatchWriteItem", unprocessed(vec![put("foo2")]), batch(vec![put("foo1"), put("foo2")]));
    stubber.add_response("BatchWriteItem", ok(), batch(vec![put("foo3"), put("foo2")]));
    for x in ["foo1", "foo2", "foo3"] {
        w.put_item(h(x)).await.unwrap();
    }
    w.close().await.unwrap();
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn repeated_flushing_on_close() {
    // test_repeated_flushing_on_exit.
    let (stubber, table) = stubbed();
    let mut w = table.batch_writer().flush_amount(4).backoff(Duration::ZERO, Duration::ZERO);
    stubber.add_response(
        "BatchWriteItem",
        unprocessed(vec![put("foo2"), put("foo3")]),
        batch(vec![put("foo1"), put("foo2"), put("foo3")]),
    );
    stubber.add_response("BatchWriteItem", unprocessed(vec![put("foo3")]), batch(vec![put("foo2"), put("foo3")]));
    stubber.add_response("BatchWriteItem", ok(), batch(vec![put("foo3")]));
    for x in ["foo1", "foo2", "foo3"] {
        w.put_item(h(x)).await.unwrap();
    }
    w.close().await.unwrap();
    assert_eq!(w.requests_sent(), 3);
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn dedup_by_pkeys() {
    // test_auto_dedup_for_dup_requests.
    let (stubber, table) = stubbed();
    let mut w = table.batch_writer_with_pkeys(["pkey", "skey"]).flush_amount(5);
    let p = |pk: &str, sk: &str, other: &str| item! { "pkey" => pk, "skey" => sk, "other" => other };
    let k = |pk: &str, sk: &str| item! { "pkey" => pk, "skey" => sk };
    let wp = |pk: &str, sk: &str, other: &str| params!({ "PutRequest": { "Item": { "pkey": { "S": pk }, "skey": { "S": sk }, "other": { "S": other } } } });
    let wd = |pk: &str, sk: &str| params!({ "DeleteRequest": { "Key": { "pkey": { "S": pk }, "skey": { "S": sk } } } });
    stubber.add_response(
        "BatchWriteItem",
        ok(),
        batch(vec![
            wp("foo1", "bar1", "other2"),
            wp("foo1", "bar2", "other3"),
            wd("foo2", "bar2"),
            wd("foo2", "bar3"),
            wd("foo3", "bar3"),
        ]),
    );
    stubber.add_response("BatchWriteItem", ok(), batch(vec![wp("foo1", "bar1", "other2")]));
    w.put_item(p("foo1", "bar1", "other1")).await.unwrap();
    w.put_item(p("foo1", "bar1", "other2")).await.unwrap();
    w.delete_item(k("foo1", "bar2")).await.unwrap();
    w.put_item(p("foo1", "bar2", "other3")).await.unwrap();
    w.put_item(p("foo2", "bar2", "other3")).await.unwrap();
    w.delete_item(k("foo2", "bar2")).await.unwrap();
    w.delete_item(k("foo2", "bar3")).await.unwrap();
    w.delete_item(k("foo2", "bar3")).await.unwrap();
    w.delete_item(k("foo3", "bar3")).await.unwrap();
    w.put_item(p("foo1", "bar1", "other1")).await.unwrap();
    w.put_item(p("foo1", "bar1", "other2")).await.unwrap();
    w.close().await.unwrap();
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn added_unsent_request_not_lost() {
    // test_added_unsent_request_not_flushed_put.
    let (stubber, table) = stubbed();
    let mut w = table.batch_writer().flush_amount(2).backoff(Duration::ZERO, Duration::ZERO);
    let first = batch(vec![put("foo1"), put("foo2")]);
    stubber.add_response("BatchWriteItem", unprocessed(vec![put("foo1"), put("foo2")]), first.clone());
    stubber.add_response("BatchWriteItem", ok(), first);
    stubber.add_response("BatchWriteItem", ok(), batch(vec![put("foo3"), put("foo4")]));
    w.put_item(h("foo1")).await.unwrap();
    w.put_item(h("foo2")).await.unwrap();
    w.put_item(h("foo3")).await.unwrap();
    assert_eq!(w.buffered(), &[boto::dynamodb::WriteRequest::Put(h("foo3"))]);
    w.put_item(h("foo4")).await.unwrap();
    assert_eq!(w.pending(), 0);
    stubber.assert_no_pending_responses();
}

#[tokio::test(start_paused = true)]
async fn unprocessed_items_are_retried_with_backoff_and_nothing_is_lost() {
    let (stubber, table) = stubbed();
    let mut w = table.batch_writer();
    let first: Vec<Value> = (0..25).map(|i| put(&format!("k{i}"))).collect();
    // The service leaves five items of the first batch, then three of
    // them, then everything goes through.
    let left5: Vec<Value> = (20..25).map(|i| put(&format!("k{i}"))).collect();
    let left3: Vec<Value> = (22..25).map(|i| put(&format!("k{i}"))).collect();
    stubber.add_response("BatchWriteItem", unprocessed(left5.clone()), batch(first));
    // Second batch (at close): the five left over went back into the
    // buffer before k25..k29 were added.
    let mut second = left5;
    second.extend((25..30).map(|i| put(&format!("k{i}"))));
    stubber.add_response("BatchWriteItem", unprocessed(left3.clone()), batch(second));
    stubber.add_response("BatchWriteItem", ok(), batch(left3));
    let start = tokio::time::Instant::now();
    for i in 0..30 {
        w.put_item(h(&format!("k{i}"))).await.unwrap();
    }
    w.close().await.unwrap();
    assert_eq!(w.pending(), 0);
    assert_eq!(w.requests_sent(), 3);
    stubber.assert_no_pending_responses();
    // Virtual time: 50 ms before the second batch, 100 ms before the third.
    assert_eq!(start.elapsed(), Duration::from_millis(150));
}

#[tokio::test]
async fn failed_requests_keep_their_items() {
    let (stubber, table) = stubbed();
    let mut w = table.batch_writer().flush_amount(2);
    stubber.add_client_error("BatchWriteItem", "ProvisionedThroughputExceededException", "slow down", 400, None);
    w.put_item(h("a")).await.unwrap();
    let err = w.put_item(h("b")).await.unwrap_err();
    assert!(err.is("ProvisionedThroughputExceededException"));
    // Both are still buffered, in order.
    assert_eq!(w.buffered().len(), 2);
    stubber.add_response("BatchWriteItem", ok(), batch(vec![put("a"), put("b")]));
    w.close().await.unwrap();
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn gives_up_when_nothing_is_ever_processed() {
    let (stubber, table) = stubbed();
    let mut w = table.batch_writer().backoff(Duration::ZERO, Duration::ZERO).max_stalled_rounds(3);
    for _ in 0..3 {
        stubber.add_response("BatchWriteItem", unprocessed(vec![put("x")]), batch(vec![put("x")]));
    }
    w.put_item(h("x")).await.unwrap();
    let err = w.close().await.unwrap_err();
    assert!(matches!(err, Error::DynamoDb(boto::dynamodb::DynamoDbError::Unprocessed { pending: 1, .. })), "{err}");
    assert_eq!(w.pending(), 1);
    stubber.add_response("BatchWriteItem", ok(), batch(vec![put("x")]));
    w.close().await.unwrap();
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn table_helpers_build_the_wire_request() {
    let (stubber, table) = stubbed();
    // GetItem with a projection: names numbered from #n0.
    stubber.add_response(
        "GetItem",
        params!({ "Item": { "id": { "S": "u-1" }, "tags": { "SS": ["a", "b"] }, "n": { "N": "1.50" } } }),
        Some(params!({
            "TableName": TABLE,
            "Key": { "id": { "S": "u-1" } },
            "ProjectionExpression": "#n0, #n1.#n2",
            "ExpressionAttributeNames": { "#n0": "tags", "#n1": "n", "#n2": "x" },
        })),
    );
    let got = table.get_item(item! { "id" => "u-1" }).projection(["tags", "n.x"]).send().await.unwrap();
    let it = got.item.unwrap();
    assert_eq!(it["tags"].type_tag(), "SS");
    assert_eq!(it["n"].as_number().unwrap().as_str(), "1.50");

    // Query: the filter is numbered before the key condition (boto3).
    stubber.add_response(
        "Query",
        params!({ "Items": [ { "id": { "S": "u-1" } } ], "Count": 1, "ScannedCount": 3 }),
        Some(params!({
            "TableName": TABLE,
            "KeyConditionExpression": "(#n1 = :v1 AND #n2 BETWEEN :v2 AND :v3)",
            "FilterExpression": "#n0 > :v0",
            "Limit": 10,
            "ExpressionAttributeNames": { "#n0": "age", "#n1": "id", "#n2": "sk" },
            "ExpressionAttributeValues": {
                ":v0": { "N": "20" }, ":v1": { "S": "u-1" }, ":v2": { "N": "1" }, ":v3": { "N": "5" },
            },
        })),
    );
    let page = table
        .query(Key::new("id").eq("u-1") & Key::new("sk").between(1, 5))
        .filter(Attr::new("age").gt(20))
        .limit(10)
        .send()
        .await
        .unwrap();
    assert_eq!((page.count, page.scanned_count, page.items.len()), (1, 3, 1));
    assert!(page.last_evaluated_key.is_none());

    // UpdateItem: user names and values merged with generated ones.
    stubber.add_response(
        "UpdateItem",
        params!({ "Attributes": { "n": { "N": "2" } } }),
        Some(params!({
            "TableName": TABLE,
            "Key": { "id": { "S": "u-1" } },
            "UpdateExpression": "SET #c = #c + :one",
            "ConditionExpression": "attribute_exists(#n0)",
            "ReturnValues": "UPDATED_NEW",
            "ExpressionAttributeNames": { "#c": "n", "#n0": "id" },
            "ExpressionAttributeValues": { ":one": { "N": "1" } },
        })),
    );
    let out = table
        .update_item(item! { "id" => "u-1" })
        .update_expression("SET #c = #c + :one")
        .name("#c", "n")
        .value(":one", 1)
        .condition(Attr::new("id").exists())
        .return_values("UPDATED_NEW")
        .send()
        .await
        .unwrap();
    assert_eq!(out.attributes.unwrap()["n"].as_i64(), Some(2));

    // An Attr in a key condition fails before any call.
    let err = table.query(Attr::new("id").eq("x")).send().await.unwrap_err();
    assert!(err.to_string().contains("only supports Attribute objects of type Key"), "{err}");
    // Conditional failure keeps its code.
    stubber.add_client_error("PutItem", "ConditionalCheckFailedException", "The conditional request failed", 400, None);
    let err = table.put_item(item! { "id" => "u-1" }).condition(Attr::new("id").not_exists()).send().await.unwrap_err();
    assert!(err.is("ConditionalCheckFailedException"));
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn query_pages_follow_last_evaluated_key() {
    use futures_util::TryStreamExt;
    let (stubber, table) = stubbed();
    stubber.add_response(
        "Scan",
        params!({ "Items": [ { "id": { "S": "a" } } ], "LastEvaluatedKey": { "id": { "S": "a" } } }),
        Some(params!({ "TableName": TABLE })),
    );
    stubber.add_response(
        "Scan",
        params!({ "Items": [ { "id": { "S": "b" } } ] }),
        Some(params!({ "TableName": TABLE, "ExclusiveStartKey": { "id": { "S": "a" } } })),
    );
    let items: Vec<Item> = table.scan().items().try_collect().await.unwrap();
    assert_eq!(items, vec![item! { "id" => "a" }, item! { "id" => "b" }]);
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn batch_get_item_on_the_resource() {
    let client = Client::builder("dynamodb")
        .region("us-east-1")
        .credentials(boto_core::testing::test_credentials())
        .build()
        .unwrap();
    let stubber = Stubber::new();
    let ddb = boto::dynamodb::DynamoDb::new(
        Resource::from_client(stubber.activate(&client), &Loader::embedded_only()).unwrap(),
    )
    .unwrap();
    stubber.add_response(
        "BatchGetItem",
        params!({
            "Responses": { "t": [ { "id": { "N": "1" } } ] },
            "UnprocessedKeys": { "t": { "Keys": [ { "id": { "N": "2" } } ] } },
        }),
        Some(params!({
            "RequestItems": { "t": {
                "Keys": [ { "id": { "N": "1" } }, { "id": { "N": "2" } } ],
                "ProjectionExpression": "#n0",
                "ExpressionAttributeNames": { "#n0": "id" },
            } },
        })),
    );
    let out = ddb
        .batch_get_item()
        .keys("t", [item! { "id" => 1 }, item! { "id" => 2 }])
        .projection("t", &["id"])
        .send()
        .await
        .unwrap();
    assert_eq!(out.responses["t"], vec![item! { "id" => 1 }]);
    assert_eq!(out.unprocessed_keys["t"], vec![item! { "id" => 2 }]);
    stubber.assert_no_pending_responses();
}

#[test]
fn blocking_writer_flushes_on_drop() {
    let rt = boto_core::blocking::Runtime::new().unwrap();
    let (stubber, table) = stubbed();
    let table = boto::blocking::dynamodb::Table::new(table, rt);
    stubber.add_response("BatchWriteItem", ok(), batch(vec![put("a"), put("b")]));
    {
        let mut w = table.batch_writer();
        w.put_item(h("a")).unwrap();
        w.put_item(h("b")).unwrap();
        assert_eq!(w.pending(), 2);
    }
    // Dropped: the batch went out.
    stubber.assert_no_pending_responses();
}
