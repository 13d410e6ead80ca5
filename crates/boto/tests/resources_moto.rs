//! The resource engine on each of boto3's nine resource models, against
//! the local stand-in (moto): load, an action, a collection with a
//! filter, a reference or sub-resource, and a resource waiter where the
//! model has one.

mod common;

use boto::{params, ActionOutput, Resource, Value};
use futures_util::TryStreamExt;

fn ids(resources: &[Resource], name: &str) -> Vec<String> {
    resources.iter().map(|r| r.id_str(name).unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn s3() {
    let Some(session) = common::session("resources s3") else { return };
    let s3 = session.resource("s3").unwrap();
    let name = common::unique("bucket").to_lowercase();
    // Service action -> resource.
    let bucket =
        s3.action("create_bucket", params!({ "Bucket": name.clone() })).await.unwrap().into_resource().unwrap();
    assert_eq!(bucket, s3.bucket(name.as_str()).unwrap());
    bucket.wait_until("exists", params!({})).await.unwrap();
    // Bucket.load is boto3's ListBuckets lookup.
    assert!(bucket.get("creation_date").await.unwrap().as_timestamp().is_some());
    // Actions on a sub-resource.
    for key in ["logs/a.txt", "logs/b.txt", "data/c.txt"] {
        let object = bucket.object(key).unwrap();
        object.action("put", params!({ "Body": Value::blob(key.as_bytes().to_vec()) })).await.unwrap();
    }
    let object = bucket.object("logs/a.txt").unwrap();
    object.wait_until_exists().await.unwrap();
    assert_eq!(object.get("content_length").await.unwrap(), params!(10));
    assert_eq!(
        object.identifiers(),
        vec![("bucket_name".into(), params!(name.clone())), ("key".into(), params!("logs/a.txt"))]
    );
    // The object's bucket is a sub-resource built from its identifiers.
    assert_eq!(object.sub_resource("Bucket", Vec::<Value>::new()).unwrap(), bucket);
    // Collection with a filter; summaries carry their data.
    let logs = bucket.collection("objects").unwrap().filter(params!({ "Prefix": "logs/" })).to_vec().await.unwrap();
    assert_eq!(ids(&logs, "key"), ["logs/a.txt", "logs/b.txt"]);
    assert_eq!(logs[0].resource_name(), "ObjectSummary");
    assert_eq!(logs[0].data().unwrap()["Size"], params!(10));
    // ObjectSummary.load is boto3's HeadObject with Size.
    let summary = logs[1].clone();
    summary.set_data(None);
    assert_eq!(summary.get("size").await.unwrap(), params!(10));
    // Iterating as a stream, with a limit.
    let first: Vec<Resource> = bucket.collection("objects").unwrap().limit(1).stream().try_collect().await.unwrap();
    assert_eq!(first.len(), 1);
    // Paginated: ListObjects has a paginator; page_size becomes MaxKeys
    // and limit MaxItems, as in boto3.
    let pages: Vec<Vec<Resource>> =
        bucket.collection("objects").unwrap().page_size(2).pages().try_collect().await.unwrap();
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 1]);
    let pages: Vec<Vec<Resource>> =
        bucket.collection("objects").unwrap().page_size(1).limit(2).pages().try_collect().await.unwrap();
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1]);
    let all: Vec<Resource> = bucket.collection("objects").unwrap().page_size(1).stream().try_collect().await.unwrap();
    assert_eq!(ids(&all, "key"), ["data/c.txt", "logs/a.txt", "logs/b.txt"]);
    // Buckets collection.
    let buckets = s3.collection("buckets").unwrap().to_vec().await.unwrap();
    assert!(buckets.contains(&bucket));
    // Batch action: one DeleteObjects per page.
    let out = bucket.collection("objects").unwrap().page_size(2).batch_action("delete", params!({})).await.unwrap();
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].response().unwrap()["Deleted"].as_list().map(<[Value]>::len), Some(2));
    assert_eq!(out[1].response().unwrap()["Deleted"].as_list().map(<[Value]>::len), Some(1));
    assert!(bucket.collection("objects").unwrap().to_vec().await.unwrap().is_empty());
    bucket.action("delete", params!({})).await.unwrap();
    bucket.wait_until_not_exists().await.unwrap();
}

#[tokio::test]
async fn dynamodb() {
    let Some(session) = common::session("resources dynamodb") else { return };
    let ddb = session.resource("dynamodb").unwrap();
    let name = common::unique("tbl");
    let out = ddb
        .action(
            "CreateTable",
            params!({
                "TableName": name.clone(),
                "KeySchema": [ { "AttributeName": "id", "KeyType": "HASH" } ],
                "AttributeDefinitions": [ { "AttributeName": "id", "AttributeType": "S" } ],
                "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 },
            }),
        )
        .await
        .unwrap();
    let table = out.into_resource().unwrap();
    // The response's TableDescription is the new table's data.
    assert_eq!(table.data().unwrap()["TableName"], params!(name.clone()));
    table.wait_until("exists", params!({ "WaiterConfig": { "Delay": 1, "MaxAttempts": 5 } })).await.unwrap();
    table.load().await.unwrap();
    assert_eq!(table.get("table_status").await.unwrap(), params!("ACTIVE"));
    assert_eq!(table.get("provisioned_throughput").await.unwrap()["ReadCapacityUnits"], params!(5));
    let tables = ddb.collection("tables").unwrap().filter(params!({ "Limit": 100 })).to_vec().await.unwrap();
    assert!(tables.iter().any(|t| t.id_str("name") == Some(name.as_str())));
    // Actions clear the loaded data.
    table
        .action("update", params!({ "ProvisionedThroughput": { "ReadCapacityUnits": 7, "WriteCapacityUnits": 5 } }))
        .await
        .unwrap();
    assert!(table.data().is_none());
    assert_eq!(table.get("provisioned_throughput").await.unwrap()["ReadCapacityUnits"], params!(7));
    table.action("delete", params!({})).await.unwrap();
    table.wait_until_not_exists().await.unwrap();
}

#[tokio::test]
async fn ec2() {
    let Some(session) = common::session("resources ec2") else { return };
    let ec2 = session.resource("ec2").unwrap();
    let vpc =
        ec2.action("create_vpc", params!({ "CidrBlock": "10.42.0.0/16" })).await.unwrap().into_resource().unwrap();
    assert_eq!(vpc.resource_name(), "Vpc");
    vpc.wait_until("available", params!({})).await.unwrap();
    vpc.load().await.unwrap();
    assert_eq!(vpc.get("cidr_block").await.unwrap(), params!("10.42.0.0/16"));
    let subnet =
        vpc.action("create_subnet", params!({ "CidrBlock": "10.42.1.0/24" })).await.unwrap().into_resource().unwrap();
    // A reference through the subnet's data.
    assert_eq!(subnet.reference("vpc").await.unwrap().into_resource().unwrap(), vpc);
    // A collection filtered by the parent (Filters from the model).
    let subnets = vpc.collection("subnets").unwrap().to_vec().await.unwrap();
    assert_eq!(subnets, vec![subnet.clone()]);

    // An image to run.
    let images =
        ec2.collection("images").unwrap().filter(params!({ "Owners": ["amazon"] })).limit(1).to_vec().await.unwrap();
    let image = images.first().expect("moto has images").id_str("id").unwrap().to_owned();
    let out = ec2
        .action(
            "create_instances",
            params!({ "ImageId": image, "MinCount": 2, "MaxCount": 2, "InstanceType": "t2.micro", "SubnetId": subnet.id_str("id") }),
        )
        .await
        .unwrap();
    let ActionOutput::Resources(instances) = out else { panic!("instances expected, got {out:?}") };
    assert_eq!(instances.len(), 2);
    let instance = &instances[0];
    // Data from the response path; attributes from it without a call.
    assert!(instance.data().is_some());
    assert_eq!(instance.get("subnet_id").await.unwrap(), params!(subnet.id_str("id")));
    instance.wait_until("running", params!({ "WaiterConfig": { "Delay": 1, "MaxAttempts": 10 } })).await.unwrap();
    instance.reload().await.unwrap();
    assert_eq!(instance.get("state").await.unwrap()["Name"], params!("running"));
    assert_eq!(instance.reference("vpc").await.unwrap().into_resource().unwrap(), vpc);
    assert_eq!(instance.reference("subnet").await.unwrap().into_resource().unwrap(), subnet);
    // Instance collection filtered by id.
    let instance_ids: Vec<Value> = instances.iter().map(|i| i.identifier("id").unwrap().clone()).collect();
    let found =
        ec2.collection("instances").unwrap().filter(params!({ "InstanceIds": instance_ids })).to_vec().await.unwrap();
    assert_eq!(found, instances);
    // boto3's injected create_tags / delete_tags.
    let tags = ec2
        .action(
            "create_tags",
            params!({ "Resources": [instance.id_str("id")], "Tags": [ { "Key": "team", "Value": "core" } ] }),
        )
        .await
        .unwrap()
        .into_resources();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].identifiers()[1], ("key".to_owned(), params!("team")));
    instance.reload().await.unwrap();
    assert_eq!(instance.get("tags").await.unwrap()[0]["Value"], params!("core"));
    instance.action("delete_tags", params!({ "Tags": [ { "Key": "team" } ] })).await.unwrap();
    instance.reload().await.unwrap();
    assert!(instance.get("tags").await.unwrap().as_list().is_none_or(<[Value]>::is_empty));
    // Batch action over a filtered collection: one StopInstances call.
    let selected = ec2.collection("instances").unwrap().filter(
        params!({ "InstanceIds": instances.iter().map(|i| i.identifier("id").unwrap().clone()).collect::<Vec<_>>() }),
    );
    let out = selected.batch_action("stop", params!({})).await.unwrap();
    assert_eq!(out[0].response().unwrap()["StoppingInstances"].as_list().map(<[Value]>::len), Some(2));
    instance.wait_until("stopped", params!({ "WaiterConfig": { "Delay": 1, "MaxAttempts": 10 } })).await.unwrap();
    selected.batch_action("terminate", params!({})).await.unwrap();
    instance.wait_until("terminated", params!({ "WaiterConfig": { "Delay": 1, "MaxAttempts": 10 } })).await.unwrap();
    subnet.action("delete", params!({})).await.unwrap();
    vpc.action("delete", params!({})).await.unwrap();
}

#[tokio::test]
async fn sqs() {
    let Some(session) = common::session("resources sqs") else { return };
    let sqs = session.resource("sqs").unwrap();
    let name = common::unique("queue");
    let queue =
        sqs.action("create_queue", params!({ "QueueName": name.clone() })).await.unwrap().into_resource().unwrap();
    let same =
        sqs.action("get_queue_by_name", params!({ "QueueName": name.clone() })).await.unwrap().into_resource().unwrap();
    assert_eq!(queue, same);
    queue.load().await.unwrap();
    assert!(queue.get("attributes").await.unwrap()["QueueArn"].as_str().unwrap().ends_with(&name));
    queue.action("send_message", params!({ "MessageBody": "hello" })).await.unwrap();
    let messages = queue
        .action("receive_messages", params!({ "MaxNumberOfMessages": 10, "WaitTimeSeconds": 1 }))
        .await
        .unwrap()
        .into_resources();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.resource_name(), "Message");
    assert_eq!(message.get("body").await.unwrap(), params!("hello"));
    // The message's queue is a sub-resource.
    assert_eq!(message.sub_resource("Queue", Vec::<Value>::new()).unwrap(), queue);
    message.action("delete", params!({})).await.unwrap();
    let queues =
        sqs.collection("queues").unwrap().filter(params!({ "QueueNamePrefix": name.clone() })).to_vec().await.unwrap();
    assert_eq!(queues, vec![queue.clone()]);
    queue.action("delete", params!({})).await.unwrap();
}

#[tokio::test]
async fn sns() {
    let Some(session) = common::session("resources sns") else { return };
    let sns = session.resource("sns").unwrap();
    let topic = sns
        .action("create_topic", params!({ "Name": common::unique("topic") }))
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    topic.load().await.unwrap();
    let arn = topic.id_str("arn").unwrap().to_owned();
    assert_eq!(topic.get("attributes").await.unwrap()["TopicArn"], params!(arn.clone()));
    let sub = topic
        .action(
            "subscribe",
            params!({ "Protocol": "email", "Endpoint": "someone@example.com", "ReturnSubscriptionArn": true }),
        )
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(sub.resource_name(), "Subscription");
    let subs = topic.collection("subscriptions").unwrap().to_vec().await.unwrap();
    assert_eq!(subs, vec![sub.clone()]);
    let published = topic.action("publish", params!({ "Message": "hi" })).await.unwrap();
    assert!(published.response().unwrap()["MessageId"].as_str().is_some());
    let topics = sns.collection("topics").unwrap().filter(params!({})).to_vec().await.unwrap();
    assert!(topics.contains(&topic));
    assert_eq!(sns.topic(arn.as_str()).unwrap(), topic);
    sub.action("delete", params!({})).await.unwrap();
    topic.action("delete", params!({})).await.unwrap();
}

#[tokio::test]
async fn iam() {
    let Some(session) = common::session("resources iam") else { return };
    let iam = session.resource("iam").unwrap();
    let name = common::unique("user");
    let path = format!("/{}/", common::unique("path"));
    let user = iam
        .action("create_user", params!({ "UserName": name.clone(), "Path": path.clone() }))
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    user.load().await.unwrap();
    assert!(user.get("arn").await.unwrap().as_str().unwrap().ends_with(&name));
    let pair = user.action("create_access_key_pair", params!({})).await.unwrap().into_resource().unwrap();
    assert_eq!(pair.resource_name(), "AccessKeyPair");
    // The secret is an identifier; Debug keeps it out.
    let secret = pair.id_str("secret").unwrap().to_owned();
    assert!(!secret.is_empty());
    assert!(!format!("{pair:?} {:?}", pair.meta()).contains(&secret));
    let keys = user.collection("access_keys").unwrap().to_vec().await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].id_str("id"), pair.id_str("id"));
    let users =
        iam.collection("users").unwrap().filter(params!({ "PathPrefix": path.clone() })).to_vec().await.unwrap();
    assert_eq!(users, vec![user.clone()]);
    // A sub-resource from the user's identifiers.
    let key = user.sub_resource("AccessKey", [pair.id_str("id").unwrap()]).unwrap();
    key.action("delete", params!({})).await.unwrap();
    user.action("delete", params!({})).await.unwrap();
}

#[tokio::test]
async fn cloudformation() {
    let Some(session) = common::session("resources cloudformation") else { return };
    let cfn = session.resource("cloudformation").unwrap();
    let name = common::unique("stack");
    let template = serde_json::json!({
        "Resources": { "Queue": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": common::unique("cfnq") } } }
    })
    .to_string();
    let stack = cfn
        .action("create_stack", params!({ "StackName": name.clone(), "TemplateBody": template }))
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    // The identifier came from the request parameter.
    assert_eq!(stack.id_str("name"), Some(name.as_str()));
    stack.load().await.unwrap();
    assert_eq!(stack.get("stack_status").await.unwrap(), params!("CREATE_COMPLETE"));
    let stacks =
        cfn.collection("stacks").unwrap().filter(params!({ "StackName": name.clone() })).to_vec().await.unwrap();
    assert_eq!(stacks, vec![stack.clone()]);
    let summaries = stack.collection("resource_summaries").unwrap().to_vec().await.unwrap();
    assert_eq!(ids(&summaries, "logical_id"), ["Queue"]);
    let resource = stack.sub_resource("Resource", ["Queue"]).unwrap();
    // A member aliasing an identifier reads the identifier, without a load.
    assert_eq!(resource.get("logical_resource_id").await.unwrap(), params!("Queue"));
    assert!(resource.data().is_none());
    assert_eq!(resource.get("resource_type").await.unwrap(), params!("AWS::SQS::Queue"));
    // The summary's resource, and the resource's stack.
    assert_eq!(summaries[0].sub_resource("Resource", Vec::<Value>::new()).unwrap(), resource);
    assert_eq!(resource.sub_resource("Stack", Vec::<Value>::new()).unwrap(), stack);
    stack.action("delete", params!({})).await.unwrap();
}

#[tokio::test]
async fn cloudwatch() {
    let Some(session) = common::session("resources cloudwatch") else { return };
    let cw = session.resource("cloudwatch").unwrap();
    let namespace = common::unique("ns");
    let metric = cw.sub_resource("Metric", [namespace.as_str(), "Latency"]).unwrap();
    // boto3 replaces the model's MetricData with the caller's: the name
    // goes in again.
    metric
        .action(
            "put_data",
            params!({ "MetricData": [ { "MetricName": "Latency", "Value": 12.5, "Unit": "Milliseconds" } ] }),
        )
        .await
        .unwrap();
    metric.load().await.unwrap();
    assert_eq!(metric.get("metric_name").await.unwrap(), params!("Latency"));
    let metrics =
        cw.collection("metrics").unwrap().filter(params!({ "Namespace": namespace.clone() })).to_vec().await.unwrap();
    assert_eq!(metrics, vec![metric.clone()]);
    let alarm_name = common::unique("alarm");
    let alarm = metric
        .action(
            "put_alarm",
            params!({
                "AlarmName": alarm_name.clone(),
                "ComparisonOperator": "GreaterThanThreshold",
                "EvaluationPeriods": 1,
                "Period": 60,
                "Statistic": "Average",
                "Threshold": 100.0,
            }),
        )
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    alarm.load().await.unwrap();
    assert_eq!(alarm.get("threshold").await.unwrap(), params!(100.0));
    // The alarm's metric is named by its data: a reference, not a
    // sub-resource.
    assert!(alarm.sub_resource("Metric", Vec::<Value>::new()).is_err());
    assert_eq!(alarm.reference("metric").await.unwrap().into_resource().unwrap(), metric);
    let alarms = metric.collection("alarms").unwrap().to_vec().await.unwrap();
    assert_eq!(alarms, vec![alarm.clone()]);
    let by_name =
        cw.collection("alarms").unwrap().filter(params!({ "AlarmNames": [alarm_name] })).to_vec().await.unwrap();
    assert_eq!(by_name, vec![alarm.clone()]);
    alarm.action("delete", params!({})).await.unwrap();
}

#[tokio::test]
async fn glacier() {
    let Some(session) = common::session("resources glacier") else { return };
    let glacier = session.resource("glacier").unwrap();
    let name = common::unique("vault");
    let vault =
        glacier.action("create_vault", params!({ "vaultName": name.clone() })).await.unwrap().into_resource().unwrap();
    assert_eq!(vault.identifiers(), vec![("account_id".into(), params!("-")), ("name".into(), params!(name.clone()))]);
    vault.load().await.unwrap();
    assert_eq!(vault.get("vault_name").await.unwrap(), params!(name.clone()));
    let archive = vault
        .action("upload_archive", params!({ "body": Value::blob(&b"archive bytes"[..]) }))
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(archive.resource_name(), "Archive");
    let vaults = glacier.collection("vaults").unwrap().to_vec().await.unwrap();
    assert!(vaults.contains(&vault));
    // The account is a sub-resource; its vaults a collection.
    let account = glacier.sub_resource("Account", ["-"]).unwrap();
    assert!(account.collection("vaults").unwrap().to_vec().await.unwrap().contains(&vault));
    assert_eq!(archive.sub_resource("Vault", Vec::<Value>::new()).unwrap(), vault);
    archive.action("delete", params!({})).await.unwrap();
    vault.action("delete", params!({})).await.unwrap();
}

#[test]
fn blocking_resources() {
    let Some(session) = common::blocking_session("blocking resources") else { return };
    let s3 = session.resource("s3").unwrap();
    let name = common::unique("bbucket").to_lowercase();
    let bucket = s3.bucket(name.as_str()).unwrap();
    bucket.action("create", params!({})).unwrap();
    for key in ["a", "b", "c"] {
        bucket.object(key).unwrap().action("put", params!({ "Body": Value::blob(&b"x"[..]) })).unwrap();
    }
    let objects = bucket.collection("objects").unwrap();
    let keys: Vec<String> = (&objects).into_iter().map(|o| o.unwrap().id_str("key").unwrap().to_owned()).collect();
    assert_eq!(keys, ["a", "b", "c"]);
    assert_eq!(objects.limit(2).to_vec().unwrap().len(), 2);
    assert_eq!(bucket.object("a").unwrap().get("content_length").unwrap(), params!(1));
    objects.batch_action("delete", params!({})).unwrap();
    bucket.action("delete", params!({})).unwrap();
}
