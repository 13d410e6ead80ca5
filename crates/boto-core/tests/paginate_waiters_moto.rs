//! Paginators and waiters against the local AWS stand-in (moto): S3,
//! DynamoDB, EC2, IAM (query protocol) and CloudFormation.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use boto_core::paginate::{token, PaginationConfig};
use boto_core::testing::{moto_endpoint, test_credentials};
use boto_core::waiter::{WaiterConfig, WaiterError, WaiterStop};
use boto_core::{params, Client, Error, Value};

fn client(service: &str, test: &str) -> Option<Client> {
    let url = moto_endpoint(test)?;
    Some(
        Client::builder(service).region("us-east-1").endpoint_url(url).credentials(test_credentials()).build().unwrap(),
    )
}

fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}-{}-{nanos}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

fn fast(max_attempts: u32) -> WaiterConfig {
    WaiterConfig { delay: Some(Duration::from_millis(100)), max_attempts: Some(max_attempts) }
}

fn waiter_error(e: Error) -> WaiterError {
    match e {
        Error::Waiter(w) => *w,
        other => panic!("expected a waiter error, got {other}"),
    }
}

async fn pages(mut p: boto_core::paginate::Paginator) -> Vec<Value> {
    let mut out = Vec::new();
    while let Some(page) = p.next_page().await {
        out.push(page.unwrap());
    }
    out
}

fn keys_of(v: &Value) -> Vec<String> {
    v["Contents"].as_list().unwrap_or(&[]).iter().map(|o| o["Key"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn s3_list_objects_v2_pages_max_items_and_resume() {
    let Some(s3) = client("s3", "s3_list_objects_v2_pages_max_items_and_resume") else { return };
    let bucket = unique("pg");
    s3.call("CreateBucket", params!({ "Bucket": bucket.clone() })).await.unwrap();
    s3.wait("bucket_exists", params!({ "Bucket": bucket.clone() }), fast(10)).await.unwrap();

    // 2,500 keys, 16 uploads at a time.
    let sem = Arc::new(tokio::sync::Semaphore::new(16));
    let mut tasks = Vec::new();
    for i in 0..2500 {
        let (s3, bucket, sem) = (s3.clone(), bucket.clone(), sem.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.unwrap();
            let key = format!("k{i:05}");
            s3.call("PutObject", params!({ "Bucket": bucket, "Key": key, "Body": Value::blob(&b"x"[..]) })).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    s3.wait("object_exists", params!({ "Bucket": bucket.clone(), "Key": "k02499" }), fast(10)).await.unwrap();

    let all_keys: Vec<String> = (0..2500).map(|i| format!("k{i:05}")).collect();
    let page_size = PaginationConfig { page_size: Some(1000), ..Default::default() };
    let got =
        pages(s3.paginate("list_objects_v2", params!({ "Bucket": bucket.clone() }), page_size.clone()).unwrap()).await;
    assert_eq!(got.iter().map(|p| keys_of(p).len()).collect::<Vec<_>>(), [1000, 1000, 500]);
    assert_eq!(got.iter().flat_map(keys_of).collect::<Vec<_>>(), all_keys);

    let full = s3
        .paginate("ListObjectsV2", params!({ "Bucket": bucket.clone() }), page_size.clone())
        .unwrap()
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(keys_of(&full), all_keys);
    assert!(full.get("NextToken").is_none());
    assert_eq!(full["Contents"][0]["Size"].as_i64(), Some(1));
    assert!(full["Contents"][0]["LastModified"].as_timestamp().is_some(), "timestamps stay timestamps");

    // MaxItems 1200: one full page and 200 of the second; the token says so.
    let config = PaginationConfig { max_items: Some(1200), ..page_size.clone() };
    let first = s3
        .paginate("ListObjectsV2", params!({ "Bucket": bucket.clone() }), config)
        .unwrap()
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(keys_of(&first), all_keys[..1200]);
    let next = first["NextToken"].as_str().unwrap().to_owned();
    let decoded = token::decode(&next).unwrap().unwrap();
    assert_eq!(decoded["boto_truncate_amount"].as_i64(), Some(200));
    assert!(decoded["ContinuationToken"].as_str().is_some());

    // Another paginator continues from the token: the rest, exactly.
    let config = PaginationConfig { starting_token: Some(next), ..page_size };
    let rest = s3
        .paginate("ListObjectsV2", params!({ "Bucket": bucket.clone() }), config)
        .unwrap()
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(keys_of(&rest), all_keys[1200..]);
    assert!(rest.get("NextToken").is_none());

    // search() across pages.
    let mut found = s3
        .paginate(
            "ListObjectsV2",
            params!({ "Bucket": bucket.clone(), "Prefix": "k0249" }),
            PaginationConfig::default(),
        )
        .unwrap()
        .search("Contents[].Key")
        .unwrap();
    let mut searched = Vec::new();
    while let Some(k) = found.next_item().await {
        searched.push(k.unwrap().as_str().unwrap().to_owned());
    }
    assert_eq!(searched, all_keys[2490..]);
}

#[tokio::test]
async fn dynamodb_query_scan_and_table_waiters() {
    let Some(ddb) = client("dynamodb", "dynamodb_query_scan_and_table_waiters") else { return };
    let table = unique("pgt");
    ddb.call(
        "CreateTable",
        params!({
            "TableName": table.clone(),
            "KeySchema": [{ "AttributeName": "pk", "KeyType": "HASH" }, { "AttributeName": "sk", "KeyType": "RANGE" }],
            "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "S" }, { "AttributeName": "sk", "AttributeType": "N" }],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    )
    .await
    .unwrap();
    let last = ddb.wait("table_exists", params!({ "TableName": table.clone() }), fast(20)).await.unwrap();
    assert_eq!(last["Table"]["TableStatus"].as_str(), Some("ACTIVE"));
    for i in 0..25 {
        let item = params!({ "pk": { "S": "p" }, "sk": { "N": i.to_string() } });
        ddb.call("PutItem", params!({ "TableName": table.clone(), "Item": item })).await.unwrap();
    }

    let query = params!({
        "TableName": table.clone(),
        "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": { ":p": { "S": "p" } }
    });
    let config = PaginationConfig { page_size: Some(10), ..Default::default() };
    let got = pages(ddb.paginate("Query", query.clone(), config.clone()).unwrap()).await;
    assert_eq!(got.iter().map(|p| p["Count"].as_i64().unwrap()).collect::<Vec<_>>(), [10, 10, 5]);
    let full = ddb.paginate("query", query, config.clone()).unwrap().build_full_result().await.unwrap();
    assert_eq!(full["Count"].as_i64(), Some(25), "Count is summed across pages");
    let sks: Vec<&str> = full["Items"].as_list().unwrap().iter().map(|i| i["sk"]["N"].as_str().unwrap()).collect();
    assert_eq!(sks, (0..25).map(|i| i.to_string()).collect::<Vec<_>>());

    // Scan: MaxItems 7, then resume (the token carries a map key).
    let scan = params!({ "TableName": table.clone() });
    let config7 = PaginationConfig { max_items: Some(7), ..config.clone() };
    let first = ddb.paginate("Scan", scan.clone(), config7).unwrap().build_full_result().await.unwrap();
    assert_eq!(first["Items"].as_list().unwrap().len(), 7);
    let token = first["NextToken"].as_str().unwrap().to_owned();
    let resumed = PaginationConfig { starting_token: Some(token), ..config };
    let rest = ddb.paginate("Scan", scan, resumed).unwrap().build_full_result().await.unwrap();
    let mut seen = BTreeSet::new();
    for item in first["Items"].as_list().unwrap().iter().chain(rest["Items"].as_list().unwrap()) {
        assert!(seen.insert(item["sk"]["N"].as_str().unwrap().to_owned()), "an item came twice");
    }
    assert_eq!(seen.len(), 25);

    ddb.call("DeleteTable", params!({ "TableName": table.clone() })).await.unwrap();
    ddb.wait("TableNotExists", params!({ "TableName": table.clone() }), fast(20)).await.unwrap();

    // A table that never comes: attempts run out, after the retry acceptor matched.
    let err =
        waiter_error(ddb.wait("table_exists", params!({ "TableName": unique("never") }), fast(2)).await.unwrap_err());
    assert_eq!(err.stop, WaiterStop::MaxAttempts);
    assert_eq!(err.attempts, 2);
    assert!(err.to_string().starts_with("Waiter TableExists failed: Max attempts exceeded. Previously accepted state"));
    assert_eq!(err.last_response.unwrap()["Error"]["Code"].as_str(), Some("ResourceNotFoundException"));
}

#[tokio::test]
async fn ec2_describe_instances_and_instance_waiters() {
    let Some(ec2) = client("ec2", "ec2_describe_instances_and_instance_waiters") else { return };
    let tag = unique("pgi");
    let mut ids = Vec::new();
    for _ in 0..6 {
        let out = ec2
            .call(
                "RunInstances",
                params!({
                    "ImageId": "ami-12c6146b", "MinCount": 1, "MaxCount": 1, "InstanceType": "t2.micro",
                    "TagSpecifications": [{ "ResourceType": "instance", "Tags": [{ "Key": "test", "Value": tag.clone() }] }]
                }),
            )
            .await
            .unwrap();
        ids.push(out["Instances"][0]["InstanceId"].as_str().unwrap().to_owned());
    }
    let filter = params!({ "Filters": [{ "Name": "tag:test", "Values": [tag.clone()] }] });
    let config = PaginationConfig { page_size: Some(5), ..Default::default() };
    let got = pages(ec2.paginate("DescribeInstances", filter.clone(), config.clone()).unwrap()).await;
    assert_eq!(got.len(), 2);
    let full =
        ec2.paginate("describe_instances", filter.clone(), config.clone()).unwrap().build_full_result().await.unwrap();
    let found = boto_core::jmes::search("Reservations[].Instances[].InstanceId", &full).unwrap();
    assert_eq!(found, Value::from(ids.clone()));

    let first = ec2
        .paginate("DescribeInstances", filter.clone(), PaginationConfig { max_items: Some(4), ..config.clone() })
        .unwrap()
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(first["Reservations"].as_list().unwrap().len(), 4);
    let rest = ec2
        .paginate(
            "DescribeInstances",
            filter,
            PaginationConfig { starting_token: first["NextToken"].as_str().map(str::to_owned), ..config },
        )
        .unwrap()
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(rest["Reservations"].as_list().unwrap().len(), 2);

    let one = params!({ "InstanceIds": [ids[0].clone()] });
    ec2.wait("instance_running", one.clone(), fast(20)).await.unwrap();
    ec2.call("TerminateInstances", one.clone()).await.unwrap();
    ec2.wait("InstanceTerminated", one.clone(), fast(20)).await.unwrap();

    // instance_running on a terminated instance: the failure acceptor.
    let err = waiter_error(ec2.wait("instance_running", one, fast(5)).await.unwrap_err());
    assert_eq!(err.stop, WaiterStop::FailureState);
    assert_eq!(err.attempts, 1);
    assert!(err.reason.contains("\"terminated\" at least once"), "{}", err.reason);
}

#[tokio::test]
async fn iam_list_users_query_protocol() {
    let Some(iam) = client("iam", "iam_list_users_query_protocol") else { return };
    let path = format!("/{}/", unique("pgu"));
    let mut names = Vec::new();
    for i in 0..5 {
        let name = format!("u{i}-{}", unique("x"));
        iam.call("CreateUser", params!({ "UserName": name.clone(), "Path": path.clone() })).await.unwrap();
        names.push(name);
    }
    let p = params!({ "PathPrefix": path.clone() });
    let full =
        iam.paginate("ListUsers", p.clone(), PaginationConfig::default()).unwrap().build_full_result().await.unwrap();
    let got: BTreeSet<&str> =
        full["Users"].as_list().unwrap().iter().map(|u| u["UserName"].as_str().unwrap()).collect();
    assert_eq!(got, names.iter().map(String::as_str).collect());

    // MaxItems cuts the page client-side; the token resumes after it.
    let first = iam
        .paginate("list_users", p.clone(), PaginationConfig { max_items: Some(3), ..Default::default() })
        .unwrap()
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(first["Users"].as_list().unwrap().len(), 3);
    let config =
        PaginationConfig { starting_token: first["NextToken"].as_str().map(str::to_owned), ..Default::default() };
    let rest = iam.paginate("ListUsers", p, config).unwrap().build_full_result().await.unwrap();
    assert_eq!(rest["Users"].as_list().unwrap().len(), 2);
    assert_eq!(first["Users"][0]["UserName"], full["Users"][0]["UserName"]);
    assert_eq!(rest["Users"][0]["UserName"], full["Users"][3]["UserName"]);
}

#[tokio::test]
async fn cloudformation_stack_create_complete() {
    let Some(cfn) = client("cloudformation", "cloudformation_stack_create_complete") else { return };
    let stack = unique("pgs");
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": { "Queue": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": stack.clone() } } }
    });
    cfn.call("CreateStack", params!({ "StackName": stack.clone(), "TemplateBody": template.to_string() }))
        .await
        .unwrap();
    let last = cfn.wait("stack_create_complete", params!({ "StackName": stack.clone() }), fast(30)).await.unwrap();
    assert_eq!(last["Stacks"][0]["StackStatus"].as_str(), Some("CREATE_COMPLETE"));

    // A stack that does not exist: the waiter's error acceptor for
    // ValidationError is a failure state.
    let err = waiter_error(
        cfn.wait("stack_create_complete", params!({ "StackName": unique("none") }), fast(3)).await.unwrap_err(),
    );
    assert_eq!(err.stop, WaiterStop::FailureState);
    assert_eq!(
        err.to_string(),
        "Waiter StackCreateComplete failed: Waiter encountered a terminal failure state: \
         Matched expected service error code: ValidationError"
    );

    // S3's object_exists retries on status 404 until attempts run out.
    let s3 = client("s3", "cloudformation_stack_create_complete").unwrap();
    let err = waiter_error(
        s3.wait("object_exists", params!({ "Bucket": unique("nobucket"), "Key": "k" }), fast(3)).await.unwrap_err(),
    );
    assert_eq!((err.stop, err.attempts), (WaiterStop::MaxAttempts, 3), "{err}");
    assert_eq!(err.reason, "Max attempts exceeded. Previously accepted state: Matched expected HTTP status code: 404");
}
