//! `boto paginate`, `boto wait` and `--query`, run as a user runs them,
//! against the local AWS stand-in.

use std::process::{Command, Output};

use boto_core::testing::{moto_endpoint, test_credentials};
use boto_core::{blocking, params, Value};

fn boto(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_boto"))
        .args(args)
        .args(["--endpoint-url", url, "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/nonexistent/boto-test-config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/boto-test-credentials")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn bucket_with_objects(url: &str, n: usize) -> String {
    let s3 = blocking::Client::builder("s3")
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(test_credentials())
        .build()
        .unwrap();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let bucket = format!("cli-{}-{nanos}", std::process::id());
    s3.call("CreateBucket", params!({ "Bucket": bucket.clone() })).unwrap();
    for i in 0..n {
        let put = params!({ "Bucket": bucket.clone(), "Key": format!("k{i:03}"), "Body": Value::blob(&b"x"[..]) });
        s3.call("PutObject", put).unwrap();
    }
    bucket
}

#[test]
fn paginate_with_max_items_and_starting_token() {
    let Some(url) = moto_endpoint("paginate_with_max_items_and_starting_token") else { return };
    let bucket = bucket_with_objects(&url, 25);
    let p = format!("{{\"Bucket\": \"{bucket}\"}}");
    let first = json(&boto(
        &url,
        &["paginate", "s3", "list_objects_v2", "--params", &p, "--max-items", "10", "--page-size", "4"],
    ));
    let keys: Vec<&str> = first["Contents"].as_array().unwrap().iter().map(|o| o["Key"].as_str().unwrap()).collect();
    assert_eq!(keys, (0..10).map(|i| format!("k{i:03}")).collect::<Vec<_>>());
    let token = first["NextToken"].as_str().unwrap();

    let rest = json(&boto(
        &url,
        &["paginate", "s3", "ListObjectsV2", "--params", &p, "--starting-token", token, "--query", "Contents[].Key"],
    ));
    assert_eq!(rest, serde_json::json!((10..25).map(|i| format!("k{i:03}")).collect::<Vec<_>>()));

    // --query on call, and a bad expression is a usage error.
    let count = json(&boto(&url, &["call", "s3", "ListObjectsV2", "--params", &p, "--query", "length(Contents)"]));
    assert_eq!(count, serde_json::json!(25));
    let bad = boto(&url, &["call", "s3", "ListObjectsV2", "--params", &p, "--query", "Contents[?"]);
    assert_eq!(bad.status.code(), Some(252));
    // An operation without a paginator.
    let no = boto(&url, &["paginate", "s3", "GetObject", "--params", &p]);
    assert_eq!(no.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&no.stderr).contains("cannot be paginated"));
}

#[test]
fn wait_exit_codes() {
    let Some(url) = moto_endpoint("wait_exit_codes") else { return };
    let bucket = bucket_with_objects(&url, 1);
    let ok = boto(
        &url,
        &["wait", "s3", "object_exists", "--params", &format!("{{\"Bucket\": \"{bucket}\", \"Key\": \"k000\"}}")],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(ok.stdout.is_empty());

    let missing = format!("{{\"Bucket\": \"{bucket}\", \"Key\": \"nope\"}}");
    let fail =
        boto(&url, &["wait", "s3", "ObjectExists", "--params", &missing, "--delay", "0.1", "--max-attempts", "2"]);
    assert_eq!(fail.status.code(), Some(255));
    let stderr = String::from_utf8_lossy(&fail.stderr);
    assert!(stderr.contains("Waiter ObjectExists failed: Max attempts exceeded"), "{stderr}");

    let unknown = boto(&url, &["wait", "s3", "object_exploded", "--params", &missing]);
    assert_eq!(unknown.status.code(), Some(252));
}
