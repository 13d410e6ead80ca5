//! The client against the project's moto stand-in, through the async and
//! the blocking client: every protocol moto serves (rest-xml, json, ec2,
//! query, rest-json).

use boto_core::testing::{moto_endpoint, test_credentials};
use boto_core::{blocking, params, Body, Client, Error, Value};

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid_like())
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{:x}{}", t & 0xffff_ffff, N.fetch_add(1, Ordering::SeqCst))
}

fn client(url: &str, service: &str) -> Client {
    Client::builder(service).region("us-east-1").endpoint_url(url).credentials(test_credentials()).build().unwrap()
}

fn blocking_client(url: &str, service: &str) -> blocking::Client {
    blocking::Client::builder(service)
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(test_credentials())
        .build()
        .unwrap()
}

#[tokio::test]
async fn s3_rest_xml_async() {
    let Some(url) = moto_endpoint("s3_rest_xml_async") else { return };
    let s3 = client(&url, "s3");
    let bucket = unique("bkt");
    s3.call("CreateBucket", params!({ "Bucket": bucket.clone() })).await.unwrap();
    let key = "dir/a key+ü.txt";
    let data = vec![7u8; 300_000];
    s3.call("PutObject", params!({ "Bucket": bucket.clone(), "Key": key, "Body": Body::from(data.clone()), "Metadata": { "who": "me" } }))
        .await
        .unwrap();
    let got = s3.call("GetObject", params!({ "Bucket": bucket.clone(), "Key": key })).await.unwrap();
    let body = got["Body"].as_stream().expect("GetObject's Body streams").clone();
    assert!(body.is_stream());
    assert_eq!(got["ContentLength"].as_i64(), Some(300_000));
    assert_eq!(got["Metadata"]["who"].as_str(), Some("me"));
    assert_eq!(body.collect().await.unwrap(), data);
    let list = s3.call("list_objects_v2", params!({ "Bucket": bucket.clone(), "Prefix": "dir/" })).await.unwrap();
    assert_eq!(list["KeyCount"].as_i64(), Some(1));
    assert_eq!(list["Contents"][0]["Key"].as_str(), Some(key), "keys are URL-decoded again");
    let head = s3.call("HeadObject", params!({ "Bucket": bucket.clone(), "Key": "missing" })).await.unwrap_err();
    assert_eq!(head.service_error().map(|e| e.status), Some(404), "{head}");
    s3.call("DeleteObject", params!({ "Bucket": bucket.clone(), "Key": key })).await.unwrap();
    s3.call("DeleteBucket", params!({ "Bucket": bucket.clone() })).await.unwrap();
    let err = s3.call("GetObject", params!({ "Bucket": bucket, "Key": key })).await.unwrap_err();
    assert!(err.is("NoSuchBucket") || err.is("NoSuchKey"), "{err}");
}

#[test]
fn s3_rest_xml_blocking() {
    let Some(url) = moto_endpoint("s3_rest_xml_blocking") else { return };
    let s3 = blocking_client(&url, "s3");
    let bucket = unique("bkb");
    s3.call("create_bucket", params!({ "Bucket": bucket.clone() })).unwrap();
    s3.call("put_object", params!({ "Bucket": bucket.clone(), "Key": "k", "Body": Body::from("hello") })).unwrap();
    let got = s3.call("get_object", params!({ "Bucket": bucket.clone(), "Key": "k" })).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut s3.body_reader(got["Body"].as_stream().unwrap().clone()).unwrap(), &mut text)
        .unwrap();
    assert_eq!(text, "hello");
    let url = s3.presigned_url("get_object", params!({ "Bucket": bucket, "Key": "k" }), 60).unwrap();
    assert!(url.contains("X-Amz-Signature="));
}

#[tokio::test]
async fn dynamodb_json_async() {
    let Some(url) = moto_endpoint("dynamodb_json_async") else { return };
    let ddb = client(&url, "dynamodb");
    let table = unique("tbl");
    ddb.call(
        "CreateTable",
        params!({
            "TableName": table.clone(),
            "KeySchema": [ { "AttributeName": "pk", "KeyType": "HASH" }, { "AttributeName": "sk", "KeyType": "RANGE" } ],
            "AttributeDefinitions": [ { "AttributeName": "pk", "AttributeType": "S" }, { "AttributeName": "sk", "AttributeType": "N" } ],
            "BillingMode": "PAY_PER_REQUEST",
        }),
    )
    .await
    .unwrap();
    for i in 0..5 {
        ddb.call(
            "PutItem",
            params!({ "TableName": table.clone(), "Item": { "pk": { "S": "a" }, "sk": { "N": i.to_string() }, "big": { "N": "12345678901234567890.123456789" } } }),
        )
        .await
        .unwrap();
    }
    let item = ddb
        .call("GetItem", params!({ "TableName": table.clone(), "Key": { "pk": { "S": "a" }, "sk": { "N": "3" } } }))
        .await
        .unwrap();
    assert_eq!(item["Item"]["big"]["N"].as_str(), Some("12345678901234567890.123456789"));
    let q = ddb
        .call(
            "Query",
            params!({
                "TableName": table.clone(),
                "KeyConditionExpression": "pk = :p AND sk >= :s",
                "ExpressionAttributeValues": { ":p": { "S": "a" }, ":s": { "N": "2" } },
            }),
        )
        .await
        .unwrap();
    assert_eq!(q["Count"].as_i64(), Some(3));
    let err = ddb
        .call(
            "PutItem",
            params!({
                "TableName": table.clone(),
                "Item": { "pk": { "S": "a" }, "sk": { "N": "1" } },
                "ConditionExpression": "attribute_not_exists(pk)",
            }),
        )
        .await
        .unwrap_err();
    assert!(err.is("ConditionalCheckFailedException"), "{err}");
    assert!(err
        .to_string()
        .starts_with("An error occurred (ConditionalCheckFailedException) when calling the PutItem operation"));
    ddb.call("DeleteTable", params!({ "TableName": table })).await.unwrap();
}

#[test]
fn dynamodb_json_blocking() {
    let Some(url) = moto_endpoint("dynamodb_json_blocking") else { return };
    let ddb = blocking_client(&url, "dynamodb");
    let err = ddb.call("describe_table", params!({ "TableName": unique("nope") })).unwrap_err();
    assert!(err.is("ResourceNotFoundException"), "{err}");
    let tables = ddb.call("ListTables", params!({})).unwrap();
    assert!(tables["TableNames"].as_list().is_some());
}

#[tokio::test]
async fn ec2_query_async() {
    let Some(url) = moto_endpoint("ec2_query_async") else { return };
    let ec2 = client(&url, "ec2");
    let run = ec2
        .call(
            "RunInstances",
            params!({
                "ImageId": "ami-12c6146b", "MinCount": 2, "MaxCount": 2, "InstanceType": "t3.micro",
                "UserData": "#!/bin/sh\necho hi",
                "TagSpecifications": [ { "ResourceType": "instance", "Tags": [ { "Key": "Name", "Value": "boto-rs" } ] } ],
            }),
        )
        .await
        .unwrap();
    let ids: Vec<String> =
        run["Instances"].as_list().unwrap().iter().map(|i| i["InstanceId"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 2);
    let described = ec2.call("DescribeInstances", params!({ "InstanceIds": ids.clone() })).await.unwrap();
    let instances = described["Reservations"][0]["Instances"].as_list().unwrap();
    assert_eq!(instances.len(), 2);
    assert_eq!(instances[0]["Tags"][0]["Value"].as_str(), Some("boto-rs"));
    let attr = ec2
        .call("DescribeInstanceAttribute", params!({ "InstanceId": ids[0].clone(), "Attribute": "userData" }))
        .await
        .unwrap();
    assert!(attr["UserData"]["Value"].as_str().is_some(), "UserData was base64-encoded on the way: {}", attr);
    ec2.call("TerminateInstances", params!({ "InstanceIds": ids })).await.unwrap();
    let err = ec2.call("DescribeInstances", params!({ "InstanceIds": ["i-0123456789abcdef0"] })).await.unwrap_err();
    assert!(err.is("InvalidInstanceID.NotFound"), "{err}");
}

#[test]
fn ec2_query_blocking() {
    let Some(url) = moto_endpoint("ec2_query_blocking") else { return };
    let ec2 = blocking_client(&url, "ec2");
    let vpcs = ec2.call("describe_vpcs", params!({})).unwrap();
    assert!(!vpcs["Vpcs"].as_list().unwrap().is_empty());
    let err = ec2.call("TerminateInstances", params!({ "InstanceIds": ["i-0000000000000000f"] })).unwrap_err();
    assert!(err.is("InvalidInstanceID.NotFound"), "{err}");
}

#[tokio::test]
async fn sqs_json_sns_and_iam_query() {
    let Some(url) = moto_endpoint("sqs_json_sns_and_iam_query") else { return };
    let sqs = client(&url, "sqs");
    let queue_name = unique("q");
    let q = sqs.call("CreateQueue", params!({ "QueueName": queue_name.clone() })).await.unwrap();
    let queue_url = q["QueueUrl"].as_str().unwrap().to_owned();
    sqs.call("SendMessage", params!({ "QueueUrl": queue_url.clone(), "MessageBody": "hello sqs" })).await.unwrap();
    let got =
        sqs.call("ReceiveMessage", params!({ "QueueUrl": queue_url.clone(), "MaxNumberOfMessages": 1 })).await.unwrap();
    assert_eq!(got["Messages"][0]["Body"].as_str(), Some("hello sqs"));
    let err = sqs.call("GetQueueUrl", params!({ "QueueName": unique("missing") })).await.unwrap_err();
    assert!(err.is("AWS.SimpleQueueService.NonExistentQueue") || err.is("QueueDoesNotExist"), "{err}");

    let sns = client(&url, "sns");
    let topic = sns.call("CreateTopic", params!({ "Name": unique("t") })).await.unwrap();
    let arn = topic["TopicArn"].as_str().unwrap().to_owned();
    sns.call("Subscribe", params!({ "TopicArn": arn.clone(), "Protocol": "sqs", "Endpoint": format!("arn:aws:sqs:us-east-1:123456789012:{queue_name}") }))
        .await
        .unwrap();
    let subs = sns.call("ListSubscriptionsByTopic", params!({ "TopicArn": arn.clone() })).await.unwrap();
    assert_eq!(subs["Subscriptions"].as_list().map(<[Value]>::len), Some(1));
    sns.call("Publish", params!({ "TopicArn": arn, "Message": "m", "MessageAttributes": { "k": { "DataType": "String", "StringValue": "v" } } }))
        .await
        .unwrap();

    let iam = client(&url, "iam");
    let name = unique("user");
    iam.call("CreateUser", params!({ "UserName": name.clone(), "Tags": [ { "Key": "team", "Value": "rs" } ] }))
        .await
        .unwrap();
    let user = iam.call("GetUser", params!({ "UserName": name.clone() })).await.unwrap();
    assert_eq!(user["User"]["UserName"].as_str(), Some(name.as_str()));
    assert!(user["User"]["CreateDate"].as_timestamp().is_some(), "timestamps parse");
    let err = iam.call("GetUser", params!({ "UserName": unique("ghost") })).await.unwrap_err();
    assert!(err.is("NoSuchEntity"), "{err}");
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role =
        iam.call("CreateRole", params!({ "RoleName": unique("role"), "AssumeRolePolicyDocument": doc })).await.unwrap();
    assert_eq!(
        role["Role"]["AssumeRolePolicyDocument"]["Version"].as_str(),
        Some("2012-10-17"),
        "policies are decoded"
    );
}

#[tokio::test]
async fn sts_lambda_cloudformation_kms_secrets_logs() {
    let Some(url) = moto_endpoint("sts_lambda_cloudformation_kms_secrets_logs") else { return };
    let who = client(&url, "sts").call("GetCallerIdentity", params!({})).await.unwrap();
    assert_eq!(who["Account"].as_str(), Some("123456789012"));

    let lambda = client(&url, "lambda");
    let fns = lambda.call("ListFunctions", params!({})).await.unwrap();
    assert!(fns["Functions"].as_list().is_some());
    let err = lambda.call("GetFunction", params!({ "FunctionName": unique("nofn") })).await.unwrap_err();
    assert!(err.is("ResourceNotFoundException"), "{err}");

    let cfn = client(&url, "cloudformation");
    let template = r#"{"Resources":{"Q":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":"cfn-q"}}}}"#;
    let stack = unique("stack");
    cfn.call("CreateStack", params!({ "StackName": stack.clone(), "TemplateBody": template })).await.unwrap();
    let described = cfn.call("DescribeStacks", params!({ "StackName": stack.clone() })).await.unwrap();
    assert_eq!(described["Stacks"][0]["StackName"].as_str(), Some(stack.as_str()));
    let got = cfn.call("GetTemplate", params!({ "StackName": stack })).await.unwrap();
    assert!(got["TemplateBody"]["Resources"]["Q"].as_map().is_some(), "GetTemplate's JSON body is decoded");

    let kms = client(&url, "kms");
    let key = kms.call("CreateKey", params!({ "Description": "boto-rs" })).await.unwrap();
    let key_id = key["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
    let enc = kms
        .call("Encrypt", params!({ "KeyId": key_id.clone(), "Plaintext": Value::blob(&b"secret bytes"[..]) }))
        .await
        .unwrap();
    assert!(matches!(enc["CiphertextBlob"], Value::Blob(_)));
    let dec = kms
        .call("Decrypt", params!({ "CiphertextBlob": enc["CiphertextBlob"].clone(), "KeyId": key_id }))
        .await
        .unwrap();
    assert_eq!(dec["Plaintext"].as_blob().map(|b| &b[..]), Some(&b"secret bytes"[..]));

    let secrets = client(&url, "secretsmanager");
    let name = unique("sec");
    secrets.call("CreateSecret", params!({ "Name": name.clone(), "SecretString": "hunter2" })).await.unwrap();
    let value = secrets.call("GetSecretValue", params!({ "SecretId": name })).await.unwrap();
    assert_eq!(value["SecretString"].as_str(), Some("hunter2"));
    let shown = format!("{:?}", Error::Validation(boto_core::validate::ValidationError { problems: vec![] }));
    assert!(!shown.contains("hunter2"));

    let logs = client(&url, "logs");
    let group = unique("/boto/group");
    logs.call("CreateLogGroup", params!({ "logGroupName": group.clone() })).await.unwrap();
    logs.call("CreateLogStream", params!({ "logGroupName": group.clone(), "logStreamName": "s" })).await.unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    logs.call(
        "PutLogEvents",
        params!({ "logGroupName": group.clone(), "logStreamName": "s", "logEvents": [ { "timestamp": now, "message": "hello logs" } ] }),
    )
    .await
    .unwrap();
    let events = logs.call("GetLogEvents", params!({ "logGroupName": group, "logStreamName": "s" })).await.unwrap();
    assert_eq!(events["events"][0]["message"].as_str(), Some("hello logs"));
}
