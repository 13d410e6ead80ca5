use crate::model::Loader;
use crate::{params, Value};

use super::*;

fn check(service: &str, op: &str, params: &Value) -> Vec<String> {
    let model = Loader::embedded_only().service_model(service, None).unwrap();
    let op = model.operation(op).unwrap().unwrap();
    match validate(&model, op, params) {
        Ok(()) => Vec::new(),
        Err(e) => e.problems.into_iter().map(|p| p.message).collect(),
    }
}

#[test]
fn valid_params_pass() {
    let p = params!({ "TableName": "users", "Key": { "id": { "S": "u-1" } }, "ConsistentRead": true });
    assert!(check("dynamodb", "GetItem", &p).is_empty());
    let p = params!({ "Bucket": "b", "Key": "k", "Body": crate::Body::from("x"), "ContentLength": 1 });
    assert!(check("s3", "PutObject", &p).is_empty());
    let p = params!({ "MaxCount": 1, "MinCount": 1, "ImageId": "ami-1", "TagSpecifications": [ { "ResourceType": "instance", "Tags": [ { "Key": "k", "Value": "v" } ] } ] });
    assert!(check("ec2", "RunInstances", &p).is_empty());
}

#[test]
fn every_problem_is_reported_with_its_path() {
    let p = params!({
        "Key": { "id": { "S": 5 } },
        "Bogus": 1,
        "ConsistentRead": "yes",
    });
    let problems = check("dynamodb", "GetItem", &p);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(problems.contains(&r#"Missing required parameter in input: "TableName""#.to_string()));
    assert!(problems
        .iter()
        .any(|m| m.starts_with(r#"Unknown parameter in input: "Bogus", must be one of: TableName, Key"#)));
    assert!(problems
        .iter()
        .any(|m| m == "Invalid type for parameter Key.id.S, value: 5, type: integer, valid types: string"));
    assert!(problems.iter().any(|m| m.starts_with("Invalid type for parameter ConsistentRead")));
}

#[test]
fn lengths_and_ranges() {
    // TableName: min 1 (botocore checks it), max 1024.
    let problems = check("dynamodb", "GetItem", &params!({ "TableName": "", "Key": {} }));
    assert_eq!(problems, ["Invalid length for parameter TableName, value: , valid min length: 1"]);
    let long = "x".repeat(1025);
    let problems = check("dynamodb", "GetItem", &params!({ "TableName": long, "Key": {} }));
    assert_eq!(problems.len(), 1);
    assert!(problems[0].ends_with("valid max length: 1024"), "{problems:?}");
    // Limit: min 1.
    let problems = check("dynamodb", "Scan", &params!({ "TableName": "t", "Limit": 0 }));
    assert_eq!(problems, ["Invalid value for parameter Limit, value: 0, valid min value: 1"]);
    // List items get indices.
    let p = params!({ "ResourceArn": "arn", "Tags": [ { "Key": "ok", "Value": "v" }, { "Value": "v" } ] });
    let problems = check("sns", "TagResource", &p);
    assert_eq!(problems, [r#"Missing required parameter in Tags[1]: "Key""#]);
}

#[test]
fn unions_documents_and_sensitive_values() {
    let model = Loader::embedded_only().service_model("bedrock-runtime", None).unwrap();
    // ContentBlock is a union in Converse messages.
    let op = model.operation("Converse").unwrap().unwrap();
    let two = params!({ "modelId": "m", "messages": [ { "role": "user", "content": [ { "text": "hi", "image": { "format": "png", "source": { "bytes": Value::blob(vec![1u8]) } } } ] } ] });
    let err = validate(&model, op, &two).unwrap_err().to_string();
    assert!(err.contains("tagged union structure messages[0].content[0]"), "{err}");
    let empty = params!({ "modelId": "m", "messages": [ { "role": "user", "content": [ {} ] } ] });
    let err = validate(&model, op, &empty).unwrap_err().to_string();
    assert!(
        err.contains("Must set one of the following keys for tagged union structure messages[0].content[0]"),
        "{err}"
    );
    // A sensitive string is never echoed.
    let secrets = Loader::embedded_only().service_model("secretsmanager", None).unwrap();
    let op = secrets.operation("PutSecretValue").unwrap().unwrap();
    let err = validate(&secrets, op, &params!({ "SecretId": "s", "SecretString": 42 })).unwrap_err().to_string();
    assert!(err.contains("*** sensitive ***") && !err.contains("42"), "{err}");
}

#[test]
fn timestamps_accept_what_botocore_accepts() {
    let ok = ["2024-01-31", "2024-01-31T10:00:00Z", "2024-01-31T10:00:00.123+02:00", "1706695200"];
    for t in ok {
        let problems =
            check("cloudwatch", "GetMetricData", &params!({ "MetricDataQueries": [], "StartTime": t, "EndTime": 1 }));
        assert!(problems.is_empty(), "{t}: {problems:?}");
    }
    let problems =
        check("cloudwatch", "GetMetricData", &params!({ "MetricDataQueries": [], "StartTime": "soon", "EndTime": 1 }));
    assert_eq!(problems.len(), 1, "{problems:?}");
}
