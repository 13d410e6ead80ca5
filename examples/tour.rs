//! A tour of boto-rs against a local AWS stand-in (`scripts/demo.sh`).
//!
//! It reads the usual environment (`AWS_ENDPOINT_URL`, credentials, the
//! region), then walks DynamoDB through the client and the resource
//! (create a table, wait for it, put, get, query, scan, batch write,
//! delete), S3 objects through collections, and EC2 instances through the
//! resource.

use boto::boto_core::model::Loader;
use boto::dynamodb::{item, Attr, Key, Number, StringSet};
use boto::{params, ActionOutput, Session, Value};
use futures_util::TryStreamExt;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> Result<()> {
    let loader = Loader::from_env();
    let services = loader.list_services()?;
    println!("boto-rs knows {} AWS services. A few of them:", services.len());
    for name in ["dynamodb", "s3", "ec2", "sqs", "lambda"] {
        let model = loader.service_model(name, None)?;
        println!(
            "  {:<10} {:<40} {:>4} operations, protocol {}",
            name,
            model.metadata().service_full_name,
            model.operation_names().len(),
            model.metadata().resolved_protocol()
        );
    }

    let mut session = Session::new()?;
    if session.region_name().is_none() {
        // botocore reads AWS_DEFAULT_REGION; accept AWS_REGION too.
        let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
        session = Session::builder().region(region).build()?;
    }
    println!(
        "\nSession: profile {}, region {}, endpoint {}",
        session.profile_name(),
        session.region_name().unwrap_or("-"),
        std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "(AWS)".into())
    );
    println!("  resources for: {}", session.available_resources().join(", "));

    dynamodb(&session).await?;
    s3(&session).await?;
    ec2(&session).await?;
    println!("\nTour complete.");
    Ok(())
}

/// A value for printing: strings bare, anything else as JSON.
fn text(v: &Value) -> String {
    v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())
}

fn suffix() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    format!("{}-{}", std::process::id(), nanos)
}

async fn dynamodb(session: &Session) -> Result<()> {
    println!("\n== DynamoDB through the client ==");
    let client = session.client("dynamodb")?;
    let name = format!("tour-orders-{}", suffix());
    let created = client
        .call(
            "create_table",
            params!({
                "TableName": name.clone(),
                "KeySchema": [
                    { "AttributeName": "customer", "KeyType": "HASH" },
                    { "AttributeName": "order", "KeyType": "RANGE" },
                ],
                "AttributeDefinitions": [
                    { "AttributeName": "customer", "AttributeType": "S" },
                    { "AttributeName": "order", "AttributeType": "N" },
                ],
                "BillingMode": "PAY_PER_REQUEST",
            }),
        )
        .await?;
    println!("CreateTable {name}: status {}", text(&created["TableDescription"]["TableStatus"]));

    println!("\n== DynamoDB through the resource ==");
    let ddb = session.dynamodb()?;
    let table = ddb.table(&name)?;
    table.wait_until_exists().await?;
    println!("waited until the table exists: {}", text(&table.get("table_status").await?));
    println!("key schema: {}", table.get("key_schema").await?);

    let orders = [
        item! { "customer" => "c-1", "order" => 1, "total" => Number::new("19.99")?, "tags" => StringSet::from(["gift"]) },
        item! { "customer" => "c-1", "order" => 2, "total" => Number::new("250.00")?, "tags" => StringSet::from(["bulk", "priority"]) },
        item! { "customer" => "c-1", "order" => 3, "total" => Number::new("42.5")?, "note" => "leave at door" },
        item! { "customer" => "c-2", "order" => 1, "total" => Number::new("7")? },
    ];
    for order in &orders {
        table.put_item(order.clone()).send().await?;
    }
    println!("put_item: {} orders (exact decimals, string sets)", orders.len());

    let again = table.put_item(orders[0].clone()).condition(Attr::new("customer").not_exists()).send().await;
    match again {
        Err(e) if e.is("ConditionalCheckFailedException") => {
            println!("put_item with attribute_not_exists(customer): refused, as it should be")
        }
        other => println!("put_item with a condition: unexpected {other:?}"),
    }

    let got = table.get_item(item! { "customer" => "c-1", "order" => 2 }).send().await?;
    if let Some(order) = got.item {
        println!("get_item c-1/2: total {:?}, tags {:?}", order["total"], order["tags"]);
    }

    let page = table.query(Key::new("customer").eq("c-1") & Key::new("order").between(1, 2)).send().await?;
    println!("query customer = c-1 AND order BETWEEN 1 AND 2: {} items", page.items.len());
    for order in &page.items {
        println!("  order {:?}: total {:?}", order["order"], order["total"]);
    }

    let big = table.scan().filter(Attr::new("total").gt(Number::new("40")?)).send().await?;
    println!("scan total > 40: {} of {} items", big.count, big.scanned_count);

    let updated = table
        .update_item(item! { "customer" => "c-2", "order" => 1 })
        .update_expression("SET #t = #t + :extra")
        .name("#t", "total")
        .value(":extra", Number::new("0.01")?)
        .return_values("UPDATED_NEW")
        .send()
        .await?;
    println!("update_item c-2/1: total now {:?}", updated.attributes.unwrap_or_default()["total"]);

    let mut writer = table.batch_writer();
    for i in 0..100 {
        writer.put_item(item! { "customer" => "bulk", "order" => i, "total" => i }).await?;
    }
    writer.close().await?;
    let bulk = table.query(Key::new("customer").eq("bulk")).select("COUNT").send().await?;
    println!("batch_writer: 100 puts in {} BatchWriteItem calls; query counts {}", writer.requests_sent(), bulk.count);

    table.action("delete", params!({})).await?;
    table.wait_until_not_exists().await?;
    println!("deleted the table and waited until it is gone");
    Ok(())
}

async fn s3(session: &Session) -> Result<()> {
    println!("\n== S3 objects through collections ==");
    let s3 = session.resource("s3")?;
    let bucket = s3.bucket(format!("tour-bucket-{}", suffix()))?;
    bucket.action("create", params!({})).await?;
    bucket.wait_until_exists().await?;
    println!("created bucket {}", bucket.id_str("name").unwrap_or_default());
    for key in ["logs/2024-01.txt", "logs/2024-02.txt", "logs/2024-03.txt", "img/cat.png", "readme.txt"] {
        let object = bucket.object(key)?;
        object.action("put", params!({ "Body": Value::blob(format!("contents of {key}").into_bytes()) })).await?;
    }
    println!("put 5 objects");

    let logs = bucket.collection("objects")?.filter(params!({ "Prefix": "logs/" }));
    let mut stream = logs.stream();
    println!("objects.filter(Prefix=\"logs/\"):");
    while let Some(summary) = stream.try_next().await? {
        println!("  {} ({} bytes)", summary.id_str("key").unwrap_or_default(), summary.get("size").await?);
    }
    let pages: Vec<Vec<boto::Resource>> = bucket.collection("objects")?.page_size(2).pages().try_collect().await?;
    let sizes: Vec<String> = pages.iter().map(|p| p.len().to_string()).collect();
    println!("objects.page_size(2).pages(): {} pages of {} (ListObjects paginated)", pages.len(), sizes.join(", "));
    let first_two = bucket.collection("objects")?.page_size(2).limit(2).to_vec().await?;
    let keys: Vec<&str> = first_two.iter().filter_map(|o| o.id_str("key")).collect();
    println!("objects.page_size(2).limit(2): {}", keys.join(", "));

    let readme = bucket.object("readme.txt")?;
    println!(
        "readme.txt: content_length {}, etag {}",
        readme.get("content_length").await?,
        text(&readme.get("e_tag").await?)
    );

    let deleted = bucket.collection("objects")?.batch_action("delete", params!({})).await?;
    let n: usize = deleted
        .iter()
        .filter_map(ActionOutput::response)
        .map(|r| r["Deleted"].as_list().map_or(0, <[Value]>::len))
        .sum();
    println!("objects.all().delete(): {n} objects deleted in {} request(s)", deleted.len());
    bucket.action("delete", params!({})).await?;
    println!("deleted the bucket");
    Ok(())
}

async fn ec2(session: &Session) -> Result<()> {
    println!("\n== EC2 instances through the resource ==");
    let ec2 = session.resource("ec2")?;
    let image = ec2.collection("images")?.filter(params!({ "Owners": ["amazon"] })).limit(1).to_vec().await?;
    let Some(image) = image.first() else {
        println!("no images to run; skipping EC2");
        return Ok(());
    };
    println!("image {} ({})", image.id_str("id").unwrap_or_default(), text(&image.get("name").await?));
    let launched = ec2
        .action(
            "create_instances",
            params!({ "ImageId": image.id_str("id"), "MinCount": 2, "MaxCount": 2, "InstanceType": "t3.micro" }),
        )
        .await?
        .into_resources();
    let ids: Vec<Value> = launched.iter().filter_map(|i| i.identifier("id").cloned()).collect();
    let names: Vec<&str> = launched.iter().filter_map(|i| i.id_str("id")).collect();
    println!("create_instances: {}", names.join(", "));
    for instance in &launched {
        instance.wait_until("running", params!({ "WaiterConfig": { "Delay": 1, "MaxAttempts": 30 } })).await?;
        instance.reload().await?;
        let vpc = instance.reference("vpc").await?;
        println!(
            "  {} is {}: {} in {}, vpc {}",
            instance.id_str("id").unwrap_or_default(),
            text(&instance.get("state").await?["Name"]),
            text(&instance.get("instance_type").await?),
            text(&instance.get("placement").await?["AvailabilityZone"]),
            vpc.resource().and_then(|v| v.id_str("id")).unwrap_or("-")
        );
    }
    let run = suffix();
    ec2.action(
        "create_tags",
        params!({ "Resources": ids.clone(), "Tags": [ { "Key": "tour", "Value": run.clone() } ] }),
    )
    .await?;
    let tagged = ec2
        .collection("instances")?
        .filter(params!({ "Filters": [ { "Name": "tag:tour", "Values": [run.clone()] } ] }))
        .to_vec()
        .await?;
    println!("create_tags tour={run}; instances.filter(tag:tour={run}): {} instances", tagged.len());
    let ours = ec2.collection("instances")?.filter(params!({ "InstanceIds": ids }));
    ours.batch_action("terminate", params!({})).await?;
    for instance in &launched {
        instance.wait_until("terminated", params!({ "WaiterConfig": { "Delay": 1, "MaxAttempts": 30 } })).await?;
    }
    println!("terminated them and waited until they were gone");
    Ok(())
}
