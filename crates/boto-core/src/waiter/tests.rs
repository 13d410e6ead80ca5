use std::time::Duration;

use super::*;
use crate::credentials::Credentials;
use crate::{params, Stubber};

fn client(service: &str) -> (Client, Stubber) {
    let c = Client::builder(service)
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .build()
        .unwrap();
    let stubber = Stubber::new();
    (stubber.activate(&c), stubber)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn fast(max: u32) -> WaiterConfig {
    WaiterConfig { delay: Some(Duration::from_millis(1)), max_attempts: Some(max) }
}

fn waiter_error(e: Error) -> WaiterError {
    match e {
        Error::Waiter(w) => *w,
        other => panic!("not a waiter error: {other}"),
    }
}

#[test]
fn retries_until_success_with_error_and_path_acceptors() {
    let (c, stub) = client("dynamodb");
    stub.add_client_error(
        "DescribeTable",
        "ResourceNotFoundException",
        "no",
        400,
        Some(params!({ "TableName": "tbl" })),
    );
    stub.add_response("DescribeTable", params!({ "Table": { "TableStatus": "CREATING" } }), None);
    stub.add_response("DescribeTable", params!({ "Table": { "TableStatus": "ACTIVE" } }), None);
    let out = rt().block_on(c.wait("TableExists", params!({ "TableName": "tbl" }), fast(5))).unwrap();
    assert_eq!(out["Table"]["TableStatus"].as_str(), Some("ACTIVE"));
    stub.assert_no_pending_responses();
}

#[test]
fn error_matcher_success_for_not_exists() {
    let (c, stub) = client("dynamodb");
    stub.add_response("DescribeTable", params!({ "Table": { "TableStatus": "DELETING" } }), None);
    stub.add_client_error("DescribeTable", "ResourceNotFoundException", "gone", 400, None);
    let out = rt().block_on(c.wait("table_not_exists", params!({ "TableName": "tbl" }), fast(5))).unwrap();
    assert_eq!(out["Error"]["Code"].as_str(), Some("ResourceNotFoundException"));
}

#[test]
fn failure_state_is_reported_with_the_acceptor() {
    let (c, stub) = client("ec2");
    let reservations = params!({ "Reservations": [{ "Instances": [{ "State": { "Name": "terminated" } }] }] });
    stub.add_response("DescribeInstances", reservations, None);
    let err = waiter_error(rt().block_on(c.wait("instance_running", params!({}), fast(5))).unwrap_err());
    assert_eq!(err.stop, WaiterStop::FailureState);
    assert_eq!(err.attempts, 1);
    assert_eq!(
        err.to_string(),
        "Waiter InstanceRunning failed: Waiter encountered a terminal failure state: For expression \
         \"Reservations[].Instances[].State.Name\" we matched expected path: \"terminated\" at least once"
    );
    assert!(err.last_response.is_some());
}

#[test]
fn max_attempts_exceeded() {
    let (c, stub) = client("dynamodb");
    for _ in 0..3 {
        stub.add_response("DescribeTable", params!({ "Table": { "TableStatus": "CREATING" } }), None);
    }
    let err = waiter_error(rt().block_on(c.wait("TableExists", params!({ "TableName": "tbl" }), fast(3))).unwrap_err());
    assert_eq!(err.stop, WaiterStop::MaxAttempts);
    assert_eq!(err.attempts, 3);
    assert_eq!(err.reason, "Max attempts exceeded");
    stub.assert_no_pending_responses();

    // After a retry acceptor matched, botocore names the acceptor its loop
    // ended at.
    let (c, stub) = client("dynamodb");
    stub.add_client_error("DescribeTable", "ResourceNotFoundException", "no", 400, None);
    let err = waiter_error(rt().block_on(c.wait("TableExists", params!({ "TableName": "tbl" }), fast(1))).unwrap_err());
    assert_eq!(
        err.reason,
        "Max attempts exceeded. Previously accepted state: Matched expected service error code: ResourceNotFoundException"
    );
    assert!(err.last_error.as_ref().unwrap().is("ResourceNotFoundException"));
}

#[test]
fn unexpected_service_error_stops_at_once() {
    let (c, stub) = client("dynamodb");
    stub.add_client_error("DescribeTable", "AccessDeniedException", "nope", 400, None);
    let err = waiter_error(rt().block_on(c.wait("TableExists", params!({ "TableName": "tbl" }), fast(5))).unwrap_err());
    assert_eq!(err.stop, WaiterStop::UnexpectedError);
    assert_eq!(err.reason, "An error occurred (AccessDeniedException): nope");
    assert_eq!(err.last_response.as_ref().unwrap()["Error"]["Code"].as_str(), Some("AccessDeniedException"));
}

#[test]
fn status_matcher_and_error_true_false() {
    // s3 bucket_exists: status 200 -> success; 404 -> retry.
    let (c, stub) = client("s3");
    stub.add_client_error("HeadBucket", "404", "Not Found", 404, None);
    stub.add_response("HeadBucket", params!({}), None);
    rt().block_on(c.wait("bucket_exists", params!({ "Bucket": "bkt" }), fast(3))).unwrap();
    stub.assert_no_pending_responses();

    let spec = WaiterSpec::from_json(
        "W",
        &serde_json::json!({ "delay": 1, "maxAttempts": 2, "operation": "ListTables", "acceptors": [
            { "matcher": "error", "expected": false, "state": "success" },
            { "matcher": "error", "expected": true, "state": "failure" }
        ] }),
    )
    .unwrap();
    let ok = params!({ "TableNames": [] });
    let err = params!({ "Error": { "Code": "X", "Message": "m" } });
    assert!(spec.acceptors[0].matches(&ok) && !spec.acceptors[0].matches(&err));
    assert!(spec.acceptors[1].matches(&err) && !spec.acceptors[1].matches(&ok));
    // Path matchers never match error responses.
    let path = WaiterSpec::from_json(
        "P",
        &serde_json::json!({ "delay": 1, "maxAttempts": 1, "operation": "ListTables", "acceptors": [
            { "matcher": "path", "argument": "Error.Code", "expected": "X", "state": "success" }
        ] }),
    )
    .unwrap();
    assert!(!path.acceptors[0].matches(&err));
}

#[test]
fn waiter_config_in_params_and_unknown_names() {
    let (c, stub) = client("dynamodb");
    stub.add_response("DescribeTable", params!({ "Table": { "TableStatus": "CREATING" } }), None);
    let p = params!({ "TableName": "tbl", "WaiterConfig": { "Delay": 0.001, "MaxAttempts": 1 } });
    let err = waiter_error(rt().block_on(c.wait("TableExists", p, WaiterConfig::default())).unwrap_err());
    assert_eq!(err.attempts, 1);
    let e = c.waiter_spec("table_exploded").unwrap_err();
    assert!(e.to_string().contains("table_exists"), "{e}");
    assert!(c.waiter_names().unwrap().contains(&"TableNotExists".to_owned()));
}
