//! The client against a local scriptable server: request shape, retries and
//! fault injection, streaming, concurrency, stubbing, CBOR.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use boto_test_support::{Action, TestServer};

use crate::retry::RetryMode;
use crate::testing::test_credentials;
use crate::{params, Body, Client, Error, Stubber, Value};

fn client(service: &str, url: &str) -> Client {
    Client::builder(service)
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(test_credentials())
        .read_timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

fn ddb_ok() -> Action {
    Action::ok(r#"{"Item":{"id":{"S":"1"}}}"#)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amzn-requestid", "REQ-1")
}

/// Answers with the actions in turn, then with the last one.
fn script(actions: Vec<Action>) -> impl Fn(&boto_test_support::Recorded) -> Action + Send + Sync + 'static {
    let n = AtomicUsize::new(0);
    move |_| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        actions[i.min(actions.len() - 1)].clone()
    }
}

const GET: &str = "GetItem";

fn get_params() -> Value {
    params!({ "TableName": "t", "Key": { "id": { "S": "1" } } })
}

#[tokio::test]
async fn a_call_sends_a_signed_request_and_parses_the_answer() {
    let server = TestServer::start(|_| ddb_ok()).await;
    let ddb = client("dynamodb", &server.url());
    let out = ddb.call("get_item", get_params()).await.unwrap();
    assert_eq!(out["Item"]["id"]["S"].as_str(), Some("1"));
    let meta = &out["ResponseMetadata"];
    assert_eq!(meta["RequestId"].as_str(), Some("REQ-1"));
    assert_eq!(meta["HTTPStatusCode"].as_i64(), Some(200));
    assert_eq!(meta["RetryAttempts"].as_i64(), Some(0));
    assert_eq!(meta["HTTPHeaders"]["content-type"].as_str(), Some("application/x-amz-json-1.0"));
    let req = &server.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.header("x-amz-target"), Some("DynamoDB_20120810.GetItem"));
    assert!(req.header("authorization").unwrap().starts_with("AWS4-HMAC-SHA256 Credential=testing/"));
    assert!(req.header("authorization").unwrap().contains("/us-east-1/dynamodb/aws4_request"));
    assert_eq!(req.header("amz-sdk-request"), Some("attempt=1; max=4"));
    assert!(req.header("amz-sdk-invocation-id").is_some());
    assert!(req.header("user-agent").unwrap().starts_with("boto-rs/"));
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body["TableName"], "t");
}

#[tokio::test]
async fn transient_errors_are_retried_until_success() {
    let server = TestServer::start(script(vec![
        Action::status(503, "busy"),
        Action::status(500, r#"{"__type":"InternalServerError","message":"oops"}"#),
        ddb_ok(),
    ]))
    .await;
    let out = client("dynamodb", &server.url()).call(GET, get_params()).await.unwrap();
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"].as_i64(), Some(2));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[2].header("amz-sdk-request"), Some("attempt=3; max=4"));
    // Each attempt is signed afresh and carries the same body.
    assert_eq!(reqs[0].body, reqs[2].body);
}

#[tokio::test]
async fn attempts_run_out_with_the_last_error() {
    let server = TestServer::start(|_| Action::status(503, "")).await;
    let ddb = Client::builder("dynamodb")
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials(test_credentials())
        .retries(RetryMode::Standard, 2)
        .build()
        .unwrap();
    let err = ddb.call(GET, get_params()).await.unwrap_err();
    let service = err.service_error().unwrap();
    assert_eq!(service.status, 503);
    assert_eq!(service.attempts, 2);
    assert!(err.to_string().contains("reached max retries: 1"), "{err}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn client_errors_are_not_retried_and_keep_their_code() {
    let server = TestServer::start(|_| {
        Action::status(
            400,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#,
        )
    })
    .await;
    let err =
        client("dynamodb", &server.url()).call("PutItem", params!({ "TableName": "t", "Item": {} })).await.unwrap_err();
    assert!(err.is("ConditionalCheckFailedException"), "{err}");
    assert_eq!(
        err.to_string(),
        "An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: The conditional request failed"
    );
    let fields = &err.service_error().unwrap().fields;
    assert_eq!(fields["Error"]["Code"].as_str(), Some("ConditionalCheckFailedException"));
    assert_eq!(fields["ResponseMetadata"]["HTTPStatusCode"].as_i64(), Some(400));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn throttling_is_retried() {
    let server = TestServer::start(script(vec![
        Action::status(400, r#"{"__type":"ThrottlingException","message":"slow down"}"#),
        ddb_ok(),
    ]))
    .await;
    let ddb = client("dynamodb", &server.url());
    let quota_before = ddb.retry_strategy().available_quota();
    ddb.call(GET, get_params()).await.unwrap();
    assert_eq!(server.requests().len(), 2);
    assert_eq!(ddb.retry_strategy().available_quota(), quota_before, "a retried success refunds its cost");
}

#[tokio::test]
async fn resets_truncations_and_stalls_are_retried() {
    for fault in [
        Action::Reset,
        Action::Truncate { status: 200, declared: 100, body: b"{\"Item\"".to_vec() },
        Action::Delay(Duration::from_secs(3), Box::new(ddb_ok())),
    ] {
        let server = TestServer::start(script(vec![fault.clone(), ddb_ok()])).await;
        let out = client("dynamodb", &server.url()).call(GET, get_params()).await;
        let out = out.unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(out["ResponseMetadata"]["RetryAttempts"].as_i64(), Some(1), "{fault:?}");
        assert_eq!(server.requests().len(), 2);
    }
}

#[tokio::test]
async fn persistent_faults_end_in_clear_errors() {
    let server = TestServer::start(|_| Action::Reset).await;
    let err = client("dynamodb", &server.url()).call(GET, get_params()).await.unwrap_err();
    assert!(matches!(err, Error::Dispatch { attempts: 4, .. }), "{err:?}");
    assert!(err.to_string().contains("after 4 attempts"), "{err}");

    let server = TestServer::start(|_| Action::Delay(Duration::from_secs(3), Box::new(ddb_ok()))).await;
    let err = client("dynamodb", &server.url()).call(GET, get_params()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 4, .. }), "{err:?}");

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = client("dynamodb", &format!("http://127.0.0.1:{port}")).call(GET, get_params()).await.unwrap_err();
    assert!(matches!(err, Error::Dispatch { .. }), "{err:?}");
    assert!(err.to_string().contains("could not connect"), "{err}");
}

#[tokio::test]
async fn legacy_and_adaptive_modes_retry_too() {
    for mode in [RetryMode::Legacy, RetryMode::Adaptive] {
        let server = TestServer::start(script(vec![Action::status(503, ""), Action::status(503, ""), ddb_ok()])).await;
        let ddb = Client::builder("dynamodb")
            .region("us-east-1")
            .endpoint_url(server.url())
            .credentials(test_credentials())
            .retries(mode, 3)
            .build()
            .unwrap();
        ddb.call(GET, get_params()).await.unwrap();
        assert_eq!(server.requests().len(), 3, "{mode:?}");
    }
}

#[tokio::test]
async fn a_stream_body_is_not_replayed() {
    let server = TestServer::start(|_| Action::status(503, "")).await;
    let s3 = Client::builder("s3")
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials(test_credentials())
        .s3_addressing_style(crate::config::AddressingStyle::Path)
        .build()
        .unwrap();
    let chunks: Vec<Result<bytes::Bytes, crate::body::BoxError>> = vec![Ok(bytes::Bytes::from_static(b"hello"))];
    let body = Body::from_stream(futures_stream(chunks), Some(5));
    let err = s3.call("PutObject", params!({ "Bucket": "b", "Key": "k", "Body": body })).await.unwrap_err();
    assert!(matches!(err, Error::NotReplayable { attempts: 1, .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.requests()[0].path, "/b/k");
    // A file body is replayed.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    std::fs::write(&path, b"hello").unwrap();
    let body = Body::from_file(&path).unwrap();
    let err = s3.call("PutObject", params!({ "Bucket": "b", "Key": "k", "Body": body })).await.unwrap_err();
    assert_eq!(err.service_error().map(|e| e.attempts), Some(3));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 4);
    assert!(reqs[1..].iter().all(|r| r.body == b"hello"));
}

fn futures_stream(
    items: Vec<Result<bytes::Bytes, crate::body::BoxError>>,
) -> impl futures_core::Stream<Item = Result<bytes::Bytes, crate::body::BoxError>> + Send + 'static {
    struct Iter(std::vec::IntoIter<Result<bytes::Bytes, crate::body::BoxError>>);
    impl futures_core::Stream for Iter {
        type Item = Result<bytes::Bytes, crate::body::BoxError>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    Iter(items.into_iter())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_on_one_client() {
    let server = TestServer::start(|_| ddb_ok()).await;
    let ddb = Client::builder("dynamodb")
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials(test_credentials())
        .max_pool_connections(100)
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..1000 {
        let ddb = ddb.clone();
        tasks.push(tokio::spawn(async move { ddb.call(GET, get_params()).await }));
    }
    let mut ok = 0;
    for t in tasks {
        let out = t.await.unwrap().unwrap();
        assert_eq!(out["Item"]["id"]["S"].as_str(), Some("1"));
        ok += 1;
    }
    assert_eq!(ok, 1000);
    assert_eq!(server.requests().len(), 1000);
}

#[test]
fn the_blocking_client_works_and_refuses_to_run_inside_a_runtime() {
    let server = TestServer::start_blocking(|_| ddb_ok());
    let ddb = crate::blocking::Client::builder("dynamodb")
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials(test_credentials())
        .build()
        .unwrap();
    let out = ddb.call("GetItem", get_params()).unwrap();
    assert_eq!(out["Item"]["id"]["S"].as_str(), Some("1"));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let err = rt.block_on(async { ddb.call("GetItem", get_params()) }).unwrap_err();
    assert!(matches!(err, Error::BlockingInAsync), "{err:?}");
    assert!(err.to_string().contains("spawn_blocking"));
    // Nor does dropping its last clone there panic (tokio refuses to block
    // on a runtime's shutdown inside another runtime).
    rt.block_on(async move { drop(ddb) });
}

#[tokio::test]
async fn validation_fails_before_anything_is_sent() {
    let server = TestServer::start(|_| ddb_ok()).await;
    let ddb = client("dynamodb", &server.url());
    let err = ddb.call(GET, params!({ "Key": { "id": { "S": 1 } } })).await.unwrap_err();
    let Error::Validation(v) = &err else { panic!("{err:?}") };
    assert_eq!(v.problems.len(), 2);
    assert!(server.requests().is_empty());
    let err = ddb.call("GetIten", get_params()).await.unwrap_err();
    assert!(matches!(err, Error::UnknownOperation { .. }));
    assert!(err.to_string().contains("GetItem"), "suggests the near miss: {err}");
    // Validation can be turned off: the request goes out.
    let lax = Client::builder("dynamodb")
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials(test_credentials())
        .parameter_validation(false)
        .build()
        .unwrap();
    lax.call(GET, params!({ "Key": { "id": { "S": "1" } } })).await.unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_stubber_answers_and_says_what_it_expected() {
    let ddb = Client::builder("dynamodb").region("us-east-1").credentials(test_credentials()).build().unwrap();
    let stubber = Stubber::new();
    let ddb = stubber.activate(&ddb);
    stubber.add_response("GetItem", params!({ "Item": { "id": { "S": "1" } } }), Some(get_params()));
    stubber.add_client_error("PutItem", "ConditionalCheckFailedException", "nope", 400, None);
    let out = ddb.call("get_item", get_params()).await.unwrap();
    assert_eq!(out["Item"]["id"]["S"].as_str(), Some("1"));
    let err = ddb.call("DeleteItem", params!({ "TableName": "t", "Key": {} })).await.unwrap_err();
    assert!(err.to_string().contains("expected a call to put_item, got delete_item"), "{err}");
    let err = ddb.call("PutItem", params!({ "TableName": "t", "Item": {} })).await.unwrap_err();
    assert!(err.is("ConditionalCheckFailedException"));
    stubber.assert_no_pending_responses();
    stubber.add_response("GetItem", Value::Null, Some(get_params()));
    let err = ddb.call("GetItem", params!({ "TableName": "other", "Key": { "id": { "S": "1" } } })).await.unwrap_err();
    assert!(err.to_string().contains("expected"), "{err}");
    assert_eq!(stubber.pending(), 1);
}

#[tokio::test]
async fn a_cbor_only_service_round_trips() {
    let mut body = Vec::new();
    {
        let mut e = minicbor::Encoder::new(&mut body);
        e.map(1).unwrap().str("EventBuses").unwrap().array(1).unwrap();
        e.map(2).unwrap().str("Name").unwrap().str("default").unwrap();
        e.str("CreationTime").unwrap().tag(minicbor::data::Tag::new(1)).unwrap().f64(1_700_000_000.5).unwrap();
    }
    let server = TestServer::start(move |_| {
        Action::ok(body.clone()).header("smithy-protocol", "rpc-v2-cbor").header("content-type", "application/cbor")
    })
    .await;
    let events = client("eventbridgev2", &server.url());
    let out = events.call("ListEventBuses", params!({ "NamePrefix": "d" })).await.unwrap();
    assert_eq!(out["EventBuses"][0]["Name"].as_str(), Some("default"));
    let t = out["EventBuses"][0]["CreationTime"].as_timestamp().unwrap();
    assert_eq!(t.unix_timestamp(), 1_700_000_000);
    let req = &server.requests()[0];
    assert_eq!(req.path, "/service/AWSEventsV2/operation/ListEventBuses");
    assert_eq!(req.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert!(req.header("authorization").unwrap().contains("/events/aws4_request"), "signs as `events`");
    // A modeled error in CBOR.
    let mut err_body = Vec::new();
    {
        let mut e = minicbor::Encoder::new(&mut err_body);
        e.map(2).unwrap().str("__type").unwrap().str("ResourceNotFoundException").unwrap();
        e.str("Message").unwrap().str("no bus").unwrap();
    }
    let server =
        TestServer::start(move |_| Action::status(404, err_body.clone()).header("smithy-protocol", "rpc-v2-cbor"))
            .await;
    let err = client("eventbridgev2", &server.url())
        .call("DescribeEventBus", params!({ "EventBusArn": "arn:x" }))
        .await
        .unwrap_err();
    assert!(err.is("ResourceNotFoundException"), "{err}");
    assert!(err.to_string().ends_with("no bus"), "{err}");
}

#[tokio::test]
async fn hooks_see_and_change_the_call() {
    #[derive(Debug)]
    struct Tag(Arc<AtomicUsize>);
    impl crate::hooks::Interceptor for Tag {
        fn before_parameter_build(
            &self,
            _ctx: &crate::hooks::CallContext<'_>,
            params: &mut Value,
        ) -> Result<(), Error> {
            params.insert("TableName", "from-hook");
            Ok(())
        }
        fn request_created(
            &self,
            _ctx: &crate::hooks::CallContext<'_>,
            _params: &Value,
            request: &mut crate::HttpRequest,
        ) -> Result<(), Error> {
            request.headers.insert("x-test", http::HeaderValue::from_static("yes"));
            Ok(())
        }
        fn after_call(&self, _ctx: &crate::hooks::CallContext<'_>, _params: &Value, result: &mut Result<Value, Error>) {
            self.0.fetch_add(1, Ordering::SeqCst);
            if let Ok(v) = result {
                v.insert("Seen", true);
            }
        }
    }
    let server = TestServer::start(|_| ddb_ok()).await;
    let count = Arc::new(AtomicUsize::new(0));
    let ddb = client("dynamodb", &server.url()).with_interceptor(Arc::new(Tag(count.clone())));
    let out = ddb.call(GET, params!({ "Key": { "id": { "S": "1" } } })).await.unwrap();
    assert_eq!(out["Seen"].as_bool(), Some(true));
    assert_eq!(count.load(Ordering::SeqCst), 1);
    let req = &server.requests()[0];
    assert_eq!(req.header("x-test"), Some("yes"));
    assert!(String::from_utf8_lossy(&req.body).contains("from-hook"));
}

#[tokio::test]
async fn presigned_urls_carry_a_query_signature() {
    let s3 = Client::builder("s3").region("eu-west-1").credentials(test_credentials()).build().unwrap();
    let url =
        s3.presigned_url("get_object", params!({ "Bucket": "my-bucket", "Key": "a b/c.txt" }), 900).await.unwrap();
    assert!(url.starts_with("https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c.txt?"), "{url}");
    assert!(url.contains("X-Amz-Algorithm=AWS4-HMAC-SHA256"));
    assert!(url.contains("X-Amz-Expires=900"));
    assert!(url.contains("X-Amz-Credential=testing%2F"));
    assert!(!url.contains("x-amz-checksum"), "no default checksum on presigned URLs: {url}");
    let err = s3.presigned_url("get_object", params!({ "Bucket": "b", "Key": "k" }), 0).await.unwrap_err();
    assert!(err.to_string().contains("expiry"), "{err}");
}

#[tokio::test]
async fn a_presigned_url_is_signed_for_the_http_method_it_is_given() {
    use crate::auth::{presign::presigned_url, AuthScheme, Identity, SigV4Scheme};
    use crate::{HttpRequest, Method, PresignOptions};

    let s3 = Client::builder("s3").region("eu-west-1").credentials(test_credentials()).build().unwrap();
    let now = time::macros::datetime!(2024-05-01 12:00:00 UTC);
    let params = || params!({ "Bucket": "my-bucket", "Key": "up/load.bin" });
    let get = s3.presigned_url_at("get_object", params(), &PresignOptions::new().expires_in(600), now).await.unwrap();
    let put = s3
        .presigned_url_at("get_object", params(), &PresignOptions::new().expires_in(600).http_method(Method::PUT), now)
        .await
        .unwrap();
    // The same URL but for the signature, which covers the method.
    let signature = |url: &str| url.split("X-Amz-Signature=").nth(1).unwrap().to_owned();
    let unsigned = |url: &str| url.split("&X-Amz-Signature=").next().unwrap().to_owned();
    assert_eq!(unsigned(&get), unsigned(&put));
    assert_ne!(signature(&get), signature(&put));
    // Each matches a signature computed apart for its method.
    let creds = test_credentials();
    let scheme = AuthScheme::SigV4(SigV4Scheme::s3("s3", "eu-west-1"));
    let expected = |method: Method| {
        let req = HttpRequest::new(method, "https://my-bucket.s3.eu-west-1.amazonaws.com/up/load.bin");
        presigned_url(req, &scheme, Identity::Credentials(&creds), now, 600).unwrap()
    };
    assert_eq!(get, expected(Method::GET));
    assert_eq!(put, expected(Method::PUT));
    // The public entry points take the option too.
    let url =
        s3.presigned_url_with("GetObject", params(), PresignOptions::new().http_method(Method::DELETE)).await.unwrap();
    assert!(url.contains("X-Amz-Expires=3600&"), "{url}");
}

#[tokio::test]
async fn snake_case_and_model_names_are_the_same_operation() {
    let ddb = Client::builder("dynamodb").region("us-east-1").credentials(test_credentials()).build().unwrap();
    assert_eq!(ddb.operation_name("batch_write_item").unwrap(), "BatchWriteItem");
    assert_eq!(ddb.operation_name("BatchWriteItem").unwrap(), "BatchWriteItem");
    let s3 = Client::builder("s3").region("us-east-1").credentials(test_credentials()).build().unwrap();
    assert_eq!(s3.operation_name("list_objects_v2").unwrap(), "ListObjectsV2");
}

#[tokio::test]
async fn a_repeated_call_resolves_its_endpoint_from_the_cache() {
    let server = TestServer::start(|_| ddb_ok()).await;
    let ddb = client("dynamodb", &server.url());
    for _ in 0..3 {
        ddb.call("GetItem", get_params()).await.unwrap();
    }
    assert_eq!(ddb.inner.endpoints.cached_endpoints(), 1);
}
