//! Request compression (the `requestcompression` trait): CloudWatch's
//! PutMetricData bodies (JSON) are gzipped above `request_min_compression_size_bytes`,
//! left alone below it or with `disable_request_compression`, as botocore does.

use std::io::Read;

use boto_core::config::ClientConfig;
use boto_core::testing::test_credentials;
use boto_core::{params, Client, Value};
use boto_test_support::{Action, Recorded, TestServer};

fn put_metric_data(metrics: usize) -> Value {
    let data: Vec<Value> =
        (0..metrics).map(|i| params!({ "MetricName": format!("m{i}"), "Value": i as f64, "Unit": "Count" })).collect();
    params!({ "Namespace": "bench", "MetricData": data })
}

async fn send(config: ClientConfig, params: Value) -> Recorded {
    let server = TestServer::start(|_| Action::ok("{}").header("content-type", "application/x-amz-json-1.0")).await;
    let client = Client::builder("cloudwatch")
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials(test_credentials())
        .config(config)
        .build()
        .unwrap();
    client.call("PutMetricData", params).await.unwrap();
    server.requests().pop().expect("one request")
}

fn header<'a>(r: &'a Recorded, name: &str) -> Option<&'a str> {
    r.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn gunzip(body: &[u8]) -> String {
    let mut out = String::new();
    flate2::read::GzDecoder::new(body).read_to_string(&mut out).expect("a gzip body");
    out
}

#[tokio::test]
async fn large_bodies_are_gzipped() {
    let mut config = ClientConfig::default();
    config.request_min_compression_size_bytes = Some(128);
    let r = send(config, put_metric_data(20)).await;
    assert_eq!(header(&r, "content-encoding"), Some("gzip"));
    let text = gunzip(&r.body);
    // botocore 1.44.5 speaks json (awsJson1_0) to CloudWatch.
    assert!(text.starts_with(r#"{"Namespace":"bench","MetricData":[{"MetricName":"m0""#), "{text}");
    assert!(text.contains(r#"{"MetricName":"m19","Value":19.0,"Unit":"Count"}"#), "{text}");
    assert_eq!(header(&r, "content-length"), Some(r.body.len().to_string().as_str()));
}

#[tokio::test]
async fn small_bodies_and_disabled_compression_are_sent_as_is() {
    let r = send(ClientConfig::default(), put_metric_data(1)).await;
    assert_eq!(header(&r, "content-encoding"), None);
    assert!(String::from_utf8(r.body).unwrap().starts_with(r#"{"Namespace":"bench""#));

    let mut config = ClientConfig::default();
    config.request_min_compression_size_bytes = Some(1);
    config.disable_request_compression = Some(true);
    let r = send(config, put_metric_data(20)).await;
    assert_eq!(header(&r, "content-encoding"), None);
    assert!(String::from_utf8(r.body).unwrap().starts_with(r#"{"Namespace":"bench""#));
}
