//! Unit tests of the parsers against the real embedded models.

use std::sync::Arc;

use bytes::Bytes;

use super::event_stream::{parse_event, EventStreamDecoder, HeaderValue, Message, StreamEvent};
use super::*;
use crate::body::Body;
use crate::model::{Loader, ServiceModel};

fn model(service: &str) -> Arc<ServiceModel> {
    Loader::embedded_only().service_model(service, None).unwrap()
}

fn response(status: u16, headers: &[(&str, &str)], body: impl Into<Body>) -> HttpResponse {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.append(http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
    }
    HttpResponse { status, headers: map, body: body.into() }
}

fn run(service: &str, op: &str, r: HttpResponse) -> Result<Parsed, ParseError> {
    let m = model(service);
    let op = m.operation(op).unwrap().unwrap_or_else(|| panic!("no {op}"));
    parse(&m, op, r)
}

fn ok(service: &str, op: &str, r: HttpResponse) -> Value {
    match run(service, op, r) {
        Ok(Parsed::Ok(v)) => v,
        other => panic!("expected a result, got {other:?}"),
    }
}

fn err(service: &str, op: &str, r: HttpResponse) -> ServiceErrorData {
    match run(service, op, r) {
        Ok(Parsed::Err(e)) => e,
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn secs(v: &Value) -> i64 {
    v.as_timestamp().unwrap_or_else(|| panic!("not a timestamp: {v:?}")).unix_timestamp()
}

// ---- results ----

#[test]
fn dynamodb_get_item_types_and_request_id() {
    let body = r#"{"ConsumedCapacity": {"TableName": "t", "CapacityUnits": 0.5},
                   "Item": {"id": {"S": "u-1"}, "n": {"N": "12"}, "b": {"B": "AAEC"}, "ok": {"BOOL": true},
                   "l": {"L": [{"S": "a"}, {"NULL": true}]}}}"#;
    let out = ok("dynamodb", "GetItem", response(200, &[("x-amzn-requestid", "R1")], body));
    let item = &out["Item"];
    assert_eq!(item["id"]["S"].as_str(), Some("u-1"));
    assert_eq!(item["n"]["N"].as_str(), Some("12"));
    assert_eq!(item["b"]["B"].as_blob().map(|b| b.to_vec()), Some(vec![0, 1, 2]));
    assert_eq!(item["ok"]["BOOL"].as_bool(), Some(true));
    assert_eq!(item["l"]["L"][1]["NULL"].as_bool(), Some(true));
    assert_eq!(out["ConsumedCapacity"]["CapacityUnits"].as_f64(), Some(0.5));
    assert_eq!(out["ResponseMetadata"]["RequestId"].as_str(), Some("R1"));
    // Members come out in model order whatever the wire order.
    let keys: Vec<&String> = out.as_map().unwrap().keys().collect();
    assert_eq!(keys, ["Item", "ConsumedCapacity", "ResponseMetadata"].map(|s| s.to_owned()).iter().collect::<Vec<_>>());
}

#[test]
fn s3_list_objects_v2_page() {
    let mut body = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><Prefix></Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>tok</NextContinuationToken>"#,
    );
    for i in 0..3 {
        body.push_str(&format!(
            "<Contents><Key>k&amp;{i}</Key><LastModified>2024-05-01T10:00:0{i}.000Z</LastModified><ETag>&quot;e{i}&quot;</ETag><Size>{i}</Size><StorageClass>STANDARD</StorageClass></Contents>"
        ));
    }
    body.push_str("<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes></ListBucketResult>");
    let out = ok("s3", "ListObjectsV2", response(200, &[("x-amz-request-id", "RID"), ("x-amz-id-2", "HID")], body));
    let contents = out["Contents"].as_list().unwrap();
    assert_eq!(contents.len(), 3);
    assert_eq!(contents[2]["Key"].as_str(), Some("k&2"));
    assert_eq!(contents[1]["ETag"].as_str(), Some("\"e1\""));
    assert_eq!(contents[2]["Size"].as_i64(), Some(2));
    assert_eq!(secs(&contents[1]["LastModified"]), 1714557601);
    assert_eq!(out["IsTruncated"].as_bool(), Some(true));
    assert_eq!(out["KeyCount"].as_i64(), Some(3));
    assert_eq!(out["CommonPrefixes"][0]["Prefix"].as_str(), Some("a/"));
    assert_eq!(out["ResponseMetadata"]["RequestId"].as_str(), Some("RID"));
    assert_eq!(out["ResponseMetadata"]["HostId"].as_str(), Some("HID"));
}

#[test]
fn s3_get_object_streams_the_body_and_reads_headers() {
    let stream = futures_stream(vec![Bytes::from_static(b"hello")]);
    let body = Body::from_stream(stream, Some(5));
    let r = HttpResponse {
        status: 200,
        headers: response(
            200,
            &[
                ("content-length", "5"),
                ("etag", "\"abc\""),
                ("last-modified", "Wed, 01 May 2024 10:00:00 GMT"),
                ("x-amz-meta-color", "blue"),
                ("x-amz-meta-size", "xl"),
                ("x-amz-request-id", "RID"),
            ],
            Body::empty(),
        )
        .headers,
        body: body.clone(),
    };
    let s3 = model("s3");
    let op = s3.operation("GetObject").unwrap().unwrap();
    assert!(has_streaming_output(&s3, op));
    let Parsed::Ok(out) = parse(&s3, op, r).unwrap() else { panic!() };
    let streamed = out["Body"].as_stream().expect("Body is a stream");
    assert!(streamed.same_stream(&body));
    // Nothing read it: the stream can still be taken.
    assert!(streamed.take_stream().is_some());
    assert_eq!(out["ContentLength"].as_i64(), Some(5));
    assert_eq!(out["ETag"].as_str(), Some("\"abc\""));
    assert_eq!(secs(&out["LastModified"]), 1714557600);
    assert_eq!(out["Metadata"]["color"].as_str(), Some("blue"));
    assert_eq!(out["Metadata"].as_map().unwrap().len(), 2);
    assert_eq!(out["ResponseMetadata"]["RequestId"].as_str(), Some("RID"));
}

fn futures_stream(chunks: Vec<Bytes>) -> impl futures_core::Stream<Item = Result<Bytes, crate::body::BoxError>> {
    struct S(std::vec::IntoIter<Bytes>);
    impl futures_core::Stream for S {
        type Item = Result<Bytes, crate::body::BoxError>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next().map(Ok))
        }
    }
    S(chunks.into_iter())
}

#[test]
fn streaming_output_is_detected() {
    let s3 = model("s3");
    let streaming = |m: &ServiceModel, name: &str| has_streaming_output(m, m.operation(name).unwrap().unwrap());
    assert!(streaming(&s3, "GetObject"));
    assert!(streaming(&s3, "SelectObjectContent"));
    assert!(!streaming(&s3, "ListObjectsV2"));
    assert!(!streaming(&s3, "PutObject"));
    assert!(!streaming(&model("dynamodb"), "GetItem"));
    let kinesis = model("kinesis");
    assert!(streaming(&kinesis, "SubscribeToShard"));
    assert!(has_event_stream_output(&kinesis, kinesis.operation("SubscribeToShard").unwrap().unwrap()));
    assert!(!has_event_stream_output(&s3, s3.operation("GetObject").unwrap().unwrap()));
}

#[test]
fn a_buffered_body_is_required_for_other_operations() {
    let body = Body::from_stream(futures_stream(vec![]), None);
    let r = HttpResponse { status: 200, headers: HeaderMap::new(), body };
    let e = run("dynamodb", "GetItem", r).unwrap_err();
    assert_eq!(e.operation, "GetItem");
    assert!(e.message.contains("buffer"), "{e}");
}

#[test]
fn query_and_ec2_results_and_metadata() {
    // SNS speaks query; its GetTopicAttributes returns a non-flattened map.
    let sns_body = r#"<GetTopicAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
      <GetTopicAttributesResult><Attributes>
        <entry><key>Owner</key><value>123</value></entry>
        <entry><key>TopicArn</key><value>arn:aws:sns:us-east-1:123:t</value></entry>
      </Attributes></GetTopicAttributesResult>
      <ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata>
    </GetTopicAttributesResponse>"#;
    let out = ok("sns", "GetTopicAttributes", response(200, &[], sns_body));
    assert_eq!(out["Attributes"]["Owner"].as_str(), Some("123"));
    assert_eq!(out["Attributes"].as_map().unwrap().len(), 2);
    assert_eq!(out["ResponseMetadata"]["RequestId"].as_str(), Some("req-2"));
    // ec2: members directly under the root, lists of <item>, requestId.
    let ec2_body = r#"<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
      <requestId>ec2-req</requestId>
      <regionInfo><item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint></item>
      <item><regionName>eu-west-1</regionName></item></regionInfo>
    </DescribeRegionsResponse>"#;
    let out = ok("ec2", "DescribeRegions", response(200, &[], ec2_body));
    assert_eq!(out["Regions"][1]["RegionName"].as_str(), Some("eu-west-1"));
    assert_eq!(out["ResponseMetadata"]["RequestId"].as_str(), Some("ec2-req"));
}

#[test]
fn s3_get_bucket_location_reads_the_bare_element() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>"#;
    let out = ok("s3", "GetBucketLocation", response(200, &[], body));
    assert_eq!(out["LocationConstraint"].as_str(), Some("eu-west-1"));
    let out = ok("s3", "GetBucketLocation", response(200, &[], "<LocationConstraint/>"));
    assert!(out["LocationConstraint"].is_null());
}

// ---- errors ----

#[test]
fn json_errors_find_the_code_and_the_modeled_fields() {
    let body = r#"{"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                   "message": "The conditional request failed", "Item": {"id": {"S": "x"}}}"#;
    let e = err("dynamodb", "PutItem", response(400, &[("x-amzn-requestid", "R9")], body));
    assert_eq!(e.code, "ConditionalCheckFailedException");
    assert_eq!(e.message, "The conditional request failed");
    assert_eq!(e.status, 400);
    assert_eq!(e.request_id.as_deref(), Some("R9"));
    assert_eq!(e.shape.as_deref(), Some("ConditionalCheckFailedException"));
    assert_eq!(e.fields["Item"]["id"]["S"].as_str(), Some("x"));
    let full = e.to_response();
    assert_eq!(full["Error"]["Code"].as_str(), Some("ConditionalCheckFailedException"));
    assert_eq!(full["ResponseMetadata"]["RequestId"].as_str(), Some("R9"));
    assert_eq!(full["Item"]["id"]["S"].as_str(), Some("x"));
}

#[test]
fn json_errors_without_a_json_body_keep_the_text() {
    let e = err("dynamodb", "GetItem", response(400, &[], "not json at all"));
    assert_eq!(e.code, "400");
    assert_eq!(e.message, "not json at all");
}

#[test]
fn query_compatible_errors_use_the_query_code() {
    let body = r#"{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "no queue"}"#;
    let headers = [("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")];
    let e = err("sqs", "GetQueueUrl", response(400, &headers, body));
    assert_eq!(e.code, "AWS.SimpleQueueService.NonExistentQueue");
    assert_eq!(e.details["QueryErrorCode"].as_str(), Some("QueueDoesNotExist"));
    assert_eq!(e.details["Type"].as_str(), Some("Sender"));
    assert_eq!(e.message, "no queue");
}

#[test]
fn generic_5xx_pages_use_the_status() {
    let e = err("dynamodb", "GetItem", response(503, &[], "<html><body>busy</body></html>"));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("503", "Service Unavailable"));
    let e = err("sns", "Publish", response(502, &[], ""));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("502", "Bad Gateway"));
}

#[test]
fn query_and_ec2_errors() {
    let body = r#"<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
      <Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error>
      <RequestId>r-1</RequestId></ErrorResponse>"#;
    let e = err("sns", "GetTopicAttributes", response(404, &[], body));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("NotFound", "Topic does not exist"));
    assert_eq!(e.details["Type"].as_str(), Some("Sender"));
    assert_eq!(e.request_id.as_deref(), Some("r-1"));
    assert_eq!(e.shape.as_deref(), Some("NotFoundException"));
    let body = r#"<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>gone</Message></Error></Errors>
      <RequestID>r-2</RequestID></Response>"#;
    let e = err("ec2", "DescribeInstances", response(400, &[], body));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("InvalidInstanceID.NotFound", "gone"));
    assert_eq!(e.request_id.as_deref(), Some("r-2"));
    // Without a body the status gives the code.
    let e = err("sns", "Publish", response(403, &[], ""));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("403", "Forbidden"));
}

#[test]
fn s3_head_errors_come_from_the_status() {
    let headers = [("x-amz-request-id", "RID"), ("x-amz-id-2", "HID")];
    let e = err("s3", "HeadObject", response(404, &headers, ""));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("404", "Not Found"));
    assert_eq!(e.metadata["RequestId"].as_str(), Some("RID"));
    assert_eq!(e.metadata["HostId"].as_str(), Some("HID"));
    let e = err("s3", "HeadBucket", response(403, &headers, ""));
    assert_eq!(e.code, "403");
}

#[test]
fn s3_error_documents() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a/b</Key>
<RequestId>BODY-RID</RequestId><HostId>BODY-HID</HostId></Error>"#;
    let headers = [("x-amz-request-id", "RID"), ("x-amz-id-2", "HID")];
    let e = err("s3", "GetObject", response(404, &headers, body));
    assert_eq!(e.code, "NoSuchKey");
    assert_eq!(e.details["Key"].as_str(), Some("a/b"));
    assert!(e.details.get("RequestId").is_none());
    assert_eq!(e.request_id.as_deref(), Some("RID"));
    assert_eq!(e.shape.as_deref(), Some("NoSuchKey"));
    // A redirect is an error too.
    let body = "<Error><Code>PermanentRedirect</Code><Message>Use the right endpoint</Message><Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint></Error>";
    let e = err("s3", "ListObjectsV2", response(301, &headers, body));
    assert_eq!(e.code, "PermanentRedirect");
    assert_eq!(e.details["Endpoint"].as_str(), Some("b.s3.eu-west-1.amazonaws.com"));
    // Unreadable XML on an error status falls back to the status.
    let e = err("s3", "PutObject", response(400, &headers, "<Error><Code>Oops"));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("400", "Bad Request"));
}

#[test]
fn s3_200_with_an_error_body_is_an_error() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>"#;
    let headers = [("x-amz-request-id", "RID")];
    for op in ["CopyObject", "UploadPartCopy", "CompleteMultipartUpload", "DeleteObjects", "PutObject"] {
        let e = err("s3", op, response(200, &headers, body));
        assert_eq!((e.code.as_str(), e.status), ("InternalError", 500), "{op}");
        assert_eq!(e.request_id.as_deref(), Some("RID"));
    }
    // A body cut short is a 500 as well (retryable).
    let e = err("s3", "CompleteMultipartUpload", response(200, &headers, "<CompleteMultipartUploadResult><Loc"));
    assert_eq!((e.code.as_str(), e.status), ("500", 500));
    // As in botocore, operations without an output are not checked.
    let out = ok("s3", "PutBucketPolicy", response(200, &headers, body));
    assert_eq!(out.as_map().map(|m| m.len()), Some(1));
    // A good CopyObject answer stays a result.
    let good =
        "<CopyObjectResult><LastModified>2024-05-01T10:00:00.000Z</LastModified><ETag>\"e\"</ETag></CopyObjectResult>";
    let out = ok("s3", "CopyObject", response(200, &headers, good));
    assert_eq!(out["CopyObjectResult"]["ETag"].as_str(), Some("\"e\""));
    // GetObject's payload is the object: an <Error> document there is data.
    let s3 = model("s3");
    let op = s3.operation("GetObject").unwrap().unwrap();
    let Parsed::Ok(out) = parse(&s3, op, response(200, &[], body)).unwrap() else { panic!() };
    assert!(out["Body"].as_stream().is_some());
}

// ---- malformed bodies ----

#[test]
fn malformed_bodies_are_parse_errors_with_a_location() {
    let e = run("dynamodb", "GetItem", response(200, &[], r#"{"Item": {"id": {"S": "x"}"#)).unwrap_err();
    assert_eq!(e.operation, "GetItem");
    assert!(e.location.starts_with("line 1, column"), "{e}");
    let e = run("dynamodb", "GetItem", response(200, &[], r#"{"Item": "not a map"}"#)).unwrap_err();
    assert!(e.message.contains("AttributeMap") || e.message.contains("object"), "{e}");
    let e = run("sns", "GetTopicAttributes", response(200, &[], "<A>\n<B></C></A>")).unwrap_err();
    assert_eq!(e.operation, "GetTopicAttributes");
    assert!(e.location.starts_with("line 2"), "{e}");
    let e =
        run("s3", "ListObjectsV2", response(200, &[], "<ListBucketResult><KeyCount>x</KeyCount></ListBucketResult>"));
    // An S3 200 that cannot be read is a retryable 500, as botocore makes it.
    assert!(matches!(e, Ok(Parsed::Err(ref e)) if e.status == 500), "{e:?}");
    let e = run("ec2", "DescribeRegions", response(200, &[], "<R><requestId>x</requestId></R>trailing")).unwrap_err();
    assert!(e.message.contains("after the root"), "{e}");
    let bad_ts = "<DescribeInstancesResponse><reservationSet><item><instancesSet><item><launchTime>soon</launchTime></item></instancesSet></item></reservationSet></DescribeInstancesResponse>";
    let e = match run("ec2", "DescribeInstances", response(200, &[], bad_ts)) {
        Err(e) => e,
        other => panic!("parsed: {other:?}"),
    };
    assert!(e.message.contains("invalid timestamp \"soon\" in <launchTime>"), "{e}");
    let e = run("cloudwatch", "GetMetricData", response(200, &[], r#"{"MetricDataResults": [{"Timestamps": ["x"]}]}"#))
        .unwrap_err();
    assert!(e.message.contains("timestamp"), "{e}");
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 50_000;
    // XML: a recursive shape (ec2 has none handy; use the protocol suites'
    // style with a tiny model).
    let doc = serde_json::json!({
        "metadata": {"protocol": "rest-xml", "apiVersion": "2020-01-01"},
        "operations": {"Op": {"name": "Op", "http": {"method": "GET", "requestUri": "/"}, "output": {"shape": "Node"}}},
        "shapes": {"Node": {"type": "structure", "members": {"n": {"shape": "Node"}, "d": {"shape": "Doc"}}},
                   "Doc": {"type": "structure", "members": {}, "document": true}}
    });
    let m = ServiceModel::from_bytes("t", "2020-01-01", "t", serde_json::to_vec(&doc).unwrap()).unwrap();
    let op = m.operation("Op").unwrap().unwrap();
    let xml = format!("<Node>{}{}</Node>", "<n>".repeat(depth), "</n>".repeat(depth));
    let e = parse(&m, op, response(200, &[], xml)).unwrap_err();
    assert!(e.message.contains("nested"), "{e}");
    // Deep but legal nesting parses.
    let xml = format!("<Node>{}{}</Node>", "<n>".repeat(50), "</n>".repeat(50));
    assert!(matches!(parse(&m, op, response(200, &[], xml)), Ok(Parsed::Ok(_))));
    // JSON documents and CBOR.
    let json = format!("{{\"Item\": {{\"x\": {{\"L\": {}{}}}}}}}", "[".repeat(depth), "]".repeat(depth));
    assert!(run("dynamodb", "GetItem", response(200, &[], json)).is_err());
    let mut cbor = vec![0xa1, 0x64, b'd', b'a', b't', b'a'];
    cbor.extend(std::iter::repeat_n(0x81u8, depth));
    cbor.push(0x01);
    let doc = serde_json::json!({
        "metadata": {"protocol": "smithy-rpc-v2-cbor", "apiVersion": "2020-01-01"},
        "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"}, "output": {"shape": "Out"}}},
        "shapes": {"Out": {"type": "structure", "members": {"data": {"shape": "Doc"}}},
                   "Doc": {"type": "structure", "members": {}, "document": true}}
    });
    let m = ServiceModel::from_bytes("t", "2020-01-01", "t", serde_json::to_vec(&doc).unwrap()).unwrap();
    let op = m.operation("Op").unwrap().unwrap();
    let e = parse(&m, op, response(200, &[], cbor)).unwrap_err();
    assert!(e.message.contains("nested"), "{e}");
}

#[test]
fn numbers_keep_their_precision() {
    let doc = serde_json::json!({
        "metadata": {"protocol": "json", "apiVersion": "2020-01-01", "jsonVersion": "1.0", "targetPrefix": "T"},
        "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"}, "output": {"shape": "Out"}}},
        "shapes": {"Out": {"type": "structure", "members": {
            "big": {"shape": "Big"}, "dec": {"shape": "Dec"}, "long": {"shape": "Long"}, "f": {"shape": "F"},
            "ts": {"shape": "Ts"}}},
            "Big": {"type": "bigInteger"}, "Dec": {"type": "bigDecimal"}, "Long": {"type": "long"},
            "F": {"type": "double"}, "Ts": {"type": "timestamp"}}
    });
    let m = ServiceModel::from_bytes("t", "2020-01-01", "t", serde_json::to_vec(&doc).unwrap()).unwrap();
    let op = m.operation("Op").unwrap().unwrap();
    let body = r#"{"big": 123456789012345678901234567890, "dec": 1.000000000000000000001, "long": 18446744073709551615,
                   "f": "-Infinity", "ts": 1700000000.123456}"#;
    let Parsed::Ok(out) = parse(&m, op, response(200, &[], body)).unwrap() else { panic!() };
    assert_eq!(out["big"], Value::Number("123456789012345678901234567890".into()));
    assert_eq!(out["dec"], Value::Number("1.000000000000000000001".into()));
    assert_eq!(out["long"], Value::Number("18446744073709551615".into()));
    assert_eq!(out["f"].as_f64(), Some(f64::NEG_INFINITY));
    assert_eq!(out["ts"].as_timestamp().unwrap().unix_timestamp_nanos(), 1_700_000_000_123_456_000);
}

// ---- event streams ----

fn event(event_type: &str, content_type: &str, payload: &'static [u8]) -> Message {
    Message {
        headers: vec![
            (":message-type".into(), HeaderValue::String("event".into())),
            (":event-type".into(), HeaderValue::String(event_type.into())),
            (":content-type".into(), HeaderValue::String(content_type.into())),
        ],
        payload: Bytes::from_static(payload),
    }
}

#[test]
fn s3_select_events_from_memory_and_from_a_stream() {
    let mut wire = Vec::new();
    wire.extend(event("Records", "application/octet-stream", b"a,b\n").encode());
    wire.extend(
        event("Stats", "text/xml", b"<Stats><BytesScanned>10</BytesScanned><BytesReturned>4</BytesReturned></Stats>")
            .encode(),
    );
    wire.extend(event("End", "", b"").encode());
    let out = ok("s3", "SelectObjectContent", response(200, &[], wire.clone()));
    let events = out["Payload"].as_list().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["Records"]["Payload"].as_blob().map(|b| &b[..]), Some(&b"a,b\n"[..]));
    assert_eq!(events[1]["Stats"]["Details"]["BytesScanned"].as_i64(), Some(10));
    assert!(events[2]["End"].as_map().is_some_and(|m| m.is_empty()));

    // The same bytes as a live stream, decoded chunk by chunk.
    let s3 = model("s3");
    let op = s3.operation("SelectObjectContent").unwrap().unwrap();
    let body = Body::from_stream(futures_stream(vec![Bytes::from(wire.clone())]), None);
    let Parsed::Ok(out) = parse(&s3, op, HttpResponse { status: 200, headers: HeaderMap::new(), body }).unwrap() else {
        panic!()
    };
    assert!(out["Payload"].as_stream().is_some());
    let mut decoder = EventStreamDecoder::new();
    let mut seen = Vec::new();
    for chunk in wire.chunks(7) {
        decoder.push(chunk);
        while let Some(message) = decoder.next_message().unwrap() {
            match parse_event(&s3, op, &message).unwrap() {
                StreamEvent::Event(v) => seen.push(v),
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(decoder.is_empty());
    assert_eq!(seen, events);
}

#[test]
fn event_stream_exceptions_and_corruption() {
    let s3 = model("s3");
    let op = s3.operation("SelectObjectContent").unwrap().unwrap();
    let error = Message {
        headers: vec![
            (":message-type".into(), HeaderValue::String("error".into())),
            (":error-code".into(), HeaderValue::String("InternalError".into())),
            (":error-message".into(), HeaderValue::String("boom".into())),
        ],
        payload: Bytes::new(),
    };
    let StreamEvent::Error(e) = parse_event(&s3, op, &error).unwrap() else { panic!() };
    assert_eq!((e.code.as_str(), e.message.as_str()), ("InternalError", "boom"));
    let mut wire = event("Records", "application/octet-stream", b"x").encode();
    wire.extend(error.encode());
    let e = err("s3", "SelectObjectContent", response(200, &[], wire.clone()));
    assert_eq!(e.code, "InternalError");
    // A flipped bit fails the checksum; a cut stream is reported.
    let mut bad = wire.clone();
    bad[20] ^= 1;
    assert!(run("s3", "SelectObjectContent", response(200, &[], bad)).is_err());
    let cut = wire[..wire.len() - 3].to_vec();
    let e = run("s3", "SelectObjectContent", response(200, &[], cut)).unwrap_err();
    assert!(e.message.contains("ends inside"), "{e}");
}

#[test]
fn rpc_event_streams_take_the_initial_response() {
    let kinesis = model("kinesis");
    let op = kinesis.operation("SubscribeToShard").unwrap().unwrap();
    let initial = event("initial-response", "application/json", b"{}");
    assert!(matches!(parse_event(&kinesis, op, &initial).unwrap(), StreamEvent::InitialResponse(_)));
    let records = event(
        "SubscribeToShardEvent",
        "application/json",
        br#"{"Records": [{"SequenceNumber": "1", "Data": "aGk=", "PartitionKey": "p", "ApproximateArrivalTimestamp": 1700000000}], "ContinuationSequenceNumber": "1", "MillisBehindLatest": 0}"#,
    );
    let StreamEvent::Event(v) = parse_event(&kinesis, op, &records).unwrap() else { panic!() };
    let record = &v["SubscribeToShardEvent"]["Records"][0];
    assert_eq!(record["Data"].as_blob().map(|b| &b[..]), Some(&b"hi"[..]));
    assert_eq!(secs(&record["ApproximateArrivalTimestamp"]), 1700000000);
}

#[test]
fn cbor_typed_values() {
    let doc = serde_json::json!({
        "metadata": {"protocol": "smithy-rpc-v2-cbor", "apiVersion": "2020-01-01"},
        "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"}, "output": {"shape": "Out"}}},
        "shapes": {"Out": {"type": "structure", "members": {
            "big": {"shape": "Big"}, "neg": {"shape": "Big"}, "dec": {"shape": "Dec"}, "ts": {"shape": "Ts"},
            "half": {"shape": "F"}, "blob": {"shape": "B"}, "huge": {"shape": "Long"}, "u": {"shape": "U"}}},
            "Big": {"type": "bigInteger"}, "Dec": {"type": "bigDecimal"}, "Ts": {"type": "timestamp"},
            "F": {"type": "float"}, "B": {"type": "blob"}, "Long": {"type": "long"},
            "U": {"type": "structure", "union": true, "members": {"a": {"shape": "F"}}}}
    });
    let m = ServiceModel::from_bytes("t", "2020-01-01", "t", serde_json::to_vec(&doc).unwrap()).unwrap();
    let op = m.operation("Op").unwrap().unwrap();
    let mut body = vec![0xa8];
    let key = |k: &str, out: &mut Vec<u8>| {
        out.push(0x60 | k.len() as u8);
        out.extend(k.as_bytes());
    };
    key("big", &mut body); // tag 2, 2^64
    body.extend([0xc2, 0x49, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    key("neg", &mut body); // tag 3, -1 - 2^64
    body.extend([0xc3, 0x49, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    key("dec", &mut body); // tag 4 [-2, 27315] = 273.15
    body.extend([0xc4, 0x82, 0x21, 0x19, 0x6a, 0xb3]);
    key("ts", &mut body); // tag 1, 1.5
    body.extend([0xc1, 0xf9, 0x3e, 0x00]);
    key("half", &mut body); // float16 -2.5
    body.extend([0xf9, 0xc1, 0x00]);
    key("blob", &mut body); // indefinite byte string in two chunks
    body.extend([0x5f, 0x41, b'h', 0x41, b'i', 0xff]);
    key("huge", &mut body); // -2^64
    body.extend([0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    key("u", &mut body); // a union with an unknown member
    body.extend([0xa1, 0x61, b'z', 0x01]);
    let Parsed::Ok(out) = parse(&m, op, response(200, &[], body)).unwrap() else { panic!() };
    assert_eq!(out["big"], Value::Number("18446744073709551616".into()));
    assert_eq!(out["neg"], Value::Number("-18446744073709551617".into()));
    assert_eq!(out["dec"], Value::Number("273.15".into()));
    assert_eq!(out["ts"].as_timestamp().unwrap().unix_timestamp_nanos(), 1_500_000_000);
    assert_eq!(out["half"].as_f64(), Some(-2.5));
    assert_eq!(out["blob"].as_blob().map(|b| &b[..]), Some(&b"hi"[..]));
    assert_eq!(out["huge"], Value::Number("-18446744073709551616".into()));
    assert_eq!(out["u"]["SDK_UNKNOWN_MEMBER"]["name"].as_str(), Some("z"));
    // A union with two members set is refused.
    let body = [0xa1, 0x61, b'u', 0xa2, 0x61, b'a', 0x01, 0x61, b'z', 0x02];
    let e = parse(&m, op, response(200, &[], body.to_vec())).unwrap_err();
    assert!(e.message.contains("one and only one"), "{e}");
}

#[test]
fn tags_on_aggregates_are_looked_through() {
    // Found by fuzzing: a tagged bignum as the whole body gave a result
    // that was not a map.
    let e = run("eventbridgev2", "ListEventBuses", response(200, &[], vec![0xc3, 0x43, 0x45, 0xc3, 0xd4])).unwrap_err();
    assert!(e.message.contains("expected a map"), "{e}");
    // A tagged map is still the structure.
    let body = vec![0xd9, 0xd9, 0xf7, 0xa1, 0x69, b'N', b'e', b'x', b't', b'T', b'o', b'k', b'e', b'n', 0x61, b't'];
    let out = ok("eventbridgev2", "ListEventBuses", response(200, &[], body));
    assert_eq!(out["NextToken"].as_str(), Some("t"));
}
