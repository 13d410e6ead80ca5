//! Serializer tests against real service models (botocore 1.44.5's, from
//! the embedded bundle). Expected requests were checked against botocore's
//! own serializer.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use bytes::Bytes;
use time::macros::datetime;

use super::{serialize, serialize_with, SerializeError, SerializeOptions, SerializedRequest};
use crate::body::{Body, BoxError};
use crate::model::{Loader, ServiceModel};
use crate::params;
use crate::value::Value;

fn model(service: &str) -> Arc<ServiceModel> {
    static LOADER: OnceLock<Loader> = OnceLock::new();
    LOADER.get_or_init(Loader::embedded_only).service_model(service, None).unwrap()
}

fn call(service: &str, operation: &str, params: &Value) -> Result<SerializedRequest, SerializeError> {
    let m = model(service);
    let op = m.operation(operation).unwrap().unwrap();
    serialize(&m, op, params)
}

fn ok(service: &str, operation: &str, params: &Value) -> SerializedRequest {
    call(service, operation, params).unwrap_or_else(|e| panic!("{e}"))
}

fn header<'a>(out: &'a SerializedRequest, name: &str) -> Option<&'a str> {
    out.request.headers.get(name).map(|v| v.to_str().unwrap())
}

fn body_text(out: &SerializedRequest) -> &str {
    std::str::from_utf8(out.request.body.as_bytes().expect("in-memory body")).unwrap()
}

/// A stream that records whether anyone polled it.
struct Untouched(Arc<AtomicBool>);

impl futures_core::Stream for Untouched {
    type Item = Result<Bytes, BoxError>;
    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.store(true, Ordering::SeqCst);
        Poll::Ready(None)
    }
}

#[test]
fn s3_put_object_passes_a_stream_body_through_unread() {
    const GIB: u64 = 1 << 30;
    let polled = Arc::new(AtomicBool::new(false));
    let body = Body::from_stream(Untouched(polled.clone()), Some(GIB));
    let out = ok(
        "s3",
        "PutObject",
        &params!({
            "Bucket": "my-bucket",
            "Key": "big/file.bin",
            "Body": Value::Stream(body.clone()),
            "ContentType": "application/octet-stream",
            "Metadata": { "origin": "test" },
        }),
    );
    let req = &out.request;
    assert_eq!(req.method, http::Method::PUT);
    assert_eq!(req.url, "/my-bucket/big/file.bin");
    assert!(req.body.is_stream());
    assert!(req.body.same_stream(&body), "the caller's stream itself is the request body");
    assert_eq!(req.body.len(), Some(GIB));
    assert!(!polled.load(Ordering::SeqCst), "serializing must not read the stream");
    assert_eq!(header(&out, "content-type"), Some("application/octet-stream"));
    assert_eq!(header(&out, "x-amz-meta-origin"), Some("test"));
    // Streaming payloads get no Content-Length from the serializer: the
    // transport sets it from the body's length.
    assert_eq!(header(&out, "content-length"), None);

    // A 1 GiB file body is passed on as a file range, not read.
    let file = Body::from_file_range("/nonexistent/1gib.bin", 0, GIB);
    let out = ok("s3", "PutObject", &params!({"Bucket": "b", "Key": "k", "Body": Value::Stream(file.clone())}));
    assert!(out.request.body.same_stream(&file));
    assert_eq!(out.request.body.len(), Some(GIB));
}

#[test]
fn s3_put_object_blob_body_is_not_copied() {
    let data = Bytes::from(vec![7u8; 4096]);
    let out = ok(
        "s3",
        "PutObject",
        &params!({
            "Bucket": "b",
            "Key": "k",
            "Body": Value::Blob(data.clone()),
            "Expires": Value::Timestamp(datetime!(2015-01-25 08:00:00 UTC)),
        }),
    );
    let sent = out.request.body.as_bytes().unwrap();
    assert_eq!(sent.as_ptr(), data.as_ptr(), "the blob's buffer is shared, not copied");
    assert_eq!(sent.len(), 4096);
    assert_eq!(header(&out, "expires"), Some("Sun, 25 Jan 2015 08:00:00 GMT"));
    assert_eq!(header(&out, "content-type"), None, "botocore sets no Content-Type for raw payloads");
}

#[test]
fn s3_get_object_encodes_keys_like_botocore() {
    let out = ok(
        "s3",
        "GetObject",
        &params!({
            "Bucket": "my-bucket",
            "Key": "dir/a b/été😹 ~+&=?.txt",
            "VersionId": "v 1",
            "PartNumber": 2,
            "Range": "bytes=0-9",
            "IfModifiedSince": Value::Timestamp(datetime!(2015-01-25 08:00:00.123 UTC)),
        }),
    );
    assert_eq!(out.request.method, http::Method::GET);
    assert_eq!(
        out.request.url,
        "/my-bucket/dir/a%20b/%C3%A9t%C3%A9%F0%9F%98%B9%20~%2B%26%3D%3F.txt?versionId=v%201&partNumber=2"
    );
    assert_eq!(header(&out, "range"), Some("bytes=0-9"));
    assert_eq!(header(&out, "if-modified-since"), Some("Sun, 25 Jan 2015 08:00:00 GMT"));
    assert!(out.request.body.is_empty());
    assert_eq!(out.host_prefix, None);

    // Dot segments stay as written: the URL is never normalised.
    let out = ok("s3", "GetObject", &params!({"Bucket": "b", "Key": "a/../b/./c"}));
    assert_eq!(out.request.url, "/b/a/../b/./c");
}

#[test]
fn dynamodb_put_item_body() {
    let out = ok(
        "dynamodb",
        "PutItem",
        &params!({
            "TableName": "users",
            "Item": {
                "id": { "S": "u-1" },
                "age": { "N": "42" },
                "pic": { "B": Value::blob(vec![0u8, 1, 255]) },
                "tags": { "SS": ["a", "b"] },
                "meta": { "M": {
                    "x": { "NULL": true },
                    "y": { "BOOL": false },
                    "l": { "L": [{ "S": "é" }, { "N": "1.5" }] },
                } },
            },
            "ConditionExpression": "attribute_not_exists(id)",
            "ReturnValues": "NONE",
        }),
    );
    assert_eq!(out.request.method, http::Method::POST);
    assert_eq!(out.request.url, "/");
    assert_eq!(header(&out, "x-amz-target"), Some("DynamoDB_20120810.PutItem"));
    assert_eq!(header(&out, "content-type"), Some("application/x-amz-json-1.0"));
    assert_eq!(header(&out, "x-amzn-query-mode"), None);
    assert_eq!(
        body_text(&out),
        concat!(
            r#"{"TableName":"users","Item":{"id":{"S":"u-1"},"age":{"N":"42"},"pic":{"B":"AAH/"},"#,
            r#""tags":{"SS":["a","b"]},"meta":{"M":{"x":{"NULL":true},"y":{"BOOL":false},"#,
            r#""l":{"L":[{"S":"é"},{"N":"1.5"}]}}}},"#,
            r#""ConditionExpression":"attribute_not_exists(id)","ReturnValues":"NONE"}"#
        )
    );
}

#[test]
fn ec2_run_instances_naming() {
    let out = ok(
        "ec2",
        "RunInstances",
        &params!({
            "ImageId": "ami-1",
            "MinCount": 1,
            "MaxCount": 2,
            "SecurityGroupIds": ["sg-1", "sg-2"],
            "TagSpecifications": [{ "ResourceType": "instance", "Tags": [{ "Key": "Name", "Value": "web 1" }] }],
            "BlockDeviceMappings": [{ "DeviceName": "/dev/sda1", "Ebs": { "VolumeSize": 8, "DeleteOnTermination": true } }],
            "DryRun": false,
            "ClientToken": "tok",
        }),
    );
    assert_eq!(header(&out, "content-type"), Some("application/x-www-form-urlencoded; charset=utf-8"));
    assert_eq!(
        body_text(&out),
        concat!(
            "Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=2",
            "&SecurityGroupId.1=sg-1&SecurityGroupId.2=sg-2",
            "&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name",
            "&TagSpecification.1.Tag.1.Value=web%201",
            "&BlockDeviceMapping.1.DeviceName=%2Fdev%2Fsda1&BlockDeviceMapping.1.Ebs.VolumeSize=8",
            "&BlockDeviceMapping.1.Ebs.DeleteOnTermination=true&DryRun=false&ClientToken=tok"
        )
    );
}

#[test]
fn sns_publish_query_maps() {
    let out = ok(
        "sns",
        "Publish",
        &params!({
            "TopicArn": "arn",
            "Message": "hi",
            "MessageAttributes": {
                "a": { "DataType": "String", "StringValue": "x" },
                "b": { "DataType": "Binary", "BinaryValue": Value::blob(vec![1u8]) },
            },
        }),
    );
    assert_eq!(
        body_text(&out),
        concat!(
            "Action=Publish&Version=2010-03-31&TopicArn=arn&Message=hi",
            "&MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.DataType=String",
            "&MessageAttributes.entry.1.Value.StringValue=x&MessageAttributes.entry.2.Name=b",
            "&MessageAttributes.entry.2.Value.DataType=Binary&MessageAttributes.entry.2.Value.BinaryValue=AQ%3D%3D"
        )
    );
}

#[test]
fn query_compatible_json_and_fractional_timestamps() {
    // CloudWatch lists smithy-rpc-v2-cbor, json and query; botocore speaks
    // json, with the query-mode header.
    let out = ok(
        "cloudwatch",
        "GetMetricStatistics",
        &params!({
            "Namespace": "AWS/EC2",
            "MetricName": "CPU",
            "StartTime": Value::Timestamp(datetime!(2015-01-25 08:00:00.123456 UTC)),
            "EndTime": 1422172800,
            "Period": 60,
            "Statistics": ["Average", "Maximum"],
        }),
    );
    assert_eq!(header(&out, "x-amzn-query-mode"), Some("true"));
    assert_eq!(header(&out, "x-amz-target"), Some("GraniteServiceVersion20100801.GetMetricStatistics"));
    assert_eq!(
        body_text(&out),
        r#"{"Namespace":"AWS/EC2","MetricName":"CPU","StartTime":1422172800.123456,"EndTime":1422172800,"Period":60,"Statistics":["Average","Maximum"]}"#
    );
}

#[test]
fn s3_xml_bodies() {
    let out =
        ok("s3", "PutBucketTagging", &params!({"Bucket": "b", "Tagging": {"TagSet": [{"Key": "a", "Value": "<1>"}]}}));
    assert_eq!(out.request.url, "/b?tagging");
    assert_eq!(
        body_text(&out),
        r#"<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>a</Key><Value>&lt;1&gt;</Value></Tag></TagSet></Tagging>"#
    );
    assert_eq!(header(&out, "content-type"), None);

    // Flattened list named by the member's locationName; `\r` kept as a
    // character reference so that it survives XML parsing.
    let out = ok(
        "s3",
        "DeleteObjects",
        &params!({"Bucket": "b", "Delete": {"Objects": [{"Key": "a\r\nb"}, {"Key": "c", "VersionId": "v"}], "Quiet": true}}),
    );
    assert_eq!(out.request.url, "/b?delete");
    assert_eq!(
        body_text(&out),
        "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a&#13;\nb</Key></Object>\
         <Object><Key>c</Key><VersionId>v</VersionId></Object><Quiet>true</Quiet></Delete>"
    );
}

#[test]
fn host_prefix_from_host_label() {
    let out = ok("s3control", "GetPublicAccessBlock", &params!({"AccountId": "123456789012"}));
    assert_eq!(out.host_prefix.as_deref(), Some("123456789012."));
    assert_eq!(out.request.url, "/v20180820/configuration/publicAccessBlock");
    assert_eq!(header(&out, "x-amz-account-id"), Some("123456789012"));

    let err = call("s3control", "GetPublicAccessBlock", &params!({"AccountId": "evil.com/x"})).unwrap_err();
    assert_eq!(err.operation, "GetPublicAccessBlock");
    assert_eq!(err.path, "AccountId");
    assert!(err.message.contains("alphanumeric"), "{err}");
}

#[test]
fn idempotency_tokens_are_filled_when_absent() {
    // ec2 RunInstances' ClientToken is an idempotency token.
    let base = params!({"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1});
    let text = body_text(&ok("ec2", "RunInstances", &base)).to_owned();
    let token = text.split("&ClientToken=").nth(1).expect("a token is added");
    let uuid = uuid::Uuid::parse_str(token).expect("a UUID");
    assert_eq!(uuid.get_version_num(), 4);

    let m = model("ec2");
    let op = m.operation("RunInstances").unwrap().unwrap();
    let fixed = || "fixed-token".to_owned();
    let options = SerializeOptions { idempotency_token: Some(&fixed) };
    let out = serialize_with(&m, op, &base, &options).unwrap();
    assert!(body_text(&out).ends_with("&MaxCount=1&ClientToken=fixed-token"), "{}", body_text(&out));
    // A caller's token is kept.
    let mut given = base.clone();
    given["ClientToken"] = "mine".into();
    let out = serialize_with(&m, op, &given, &options).unwrap();
    assert!(body_text(&out).ends_with("&ClientToken=mine"));
}

#[test]
fn errors_name_the_member_path() {
    let err = call(
        "dynamodb",
        "PutItem",
        &params!({"TableName": "t", "Item": {"id": {"S": "x"}, "tags": {"L": [{"S": "a"}, {"N": true}]}}}),
    )
    .unwrap_err();
    assert_eq!(err.operation, "PutItem");
    assert_eq!(err.path, "Item.tags.L[1].N");
    assert_eq!(err.message, "expected a string, got boolean");
    assert_eq!(err.to_string(), "cannot serialize PutItem: Item.tags.L[1].N: expected a string, got boolean");

    let err = call("dynamodb", "GetItem", &params!({"TableName": "t", "Keyz": {}})).unwrap_err();
    assert_eq!(err.path, "Keyz");
    assert!(err.message.contains("unknown member"), "{err}");

    let err = call("s3", "GetObject", &params!({"Bucket": "b"})).unwrap_err();
    assert_eq!((err.path.as_str(), err.message.as_str()), ("Key", "missing a value for a URI label"));

    let err = call("s3", "GetObject", &params!({"Bucket": "b", "Key": "k", "Range": "a\nb"})).unwrap_err();
    assert_eq!(err.path, "Range");

    let err = call("ec2", "RunInstances", &params!({"ImageId": "a", "MinCount": "one", "MaxCount": 1})).unwrap_err();
    assert_eq!((err.path.as_str(), err.message.as_str()), ("MinCount", "expected an integer, got string"));

    let err = call("s3", "PutObject", &params!({"Bucket": "b", "Key": "k", "Expires": "next tuesday"})).unwrap_err();
    assert_eq!(err.path, "Expires");

    let err = call("dynamodb", "GetItem", &Value::from("not a structure")).unwrap_err();
    assert_eq!(err.path, "");
}

// ---- every operation of real models, with generated parameters ----

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Generates parameters for `shape`: valid ones, or (with `wrong` > 0)
/// values of the wrong kind `wrong` percent of the time.
struct Gen<'a> {
    model: &'a ServiceModel,
    rng: Rng,
    wrong: u64,
}

impl Gen<'_> {
    fn value(&mut self, r: super::shape_ref::Ref<'_>, depth: usize) -> Value {
        use crate::model::ShapeKind::*;
        if self.wrong > 0 && self.rng.chance(self.wrong) {
            let wrong =
                [Value::Bool(true), Value::from("x"), Value::List(vec![Value::Int(1)]), Value::map(), Value::Int(7)];
            return wrong[self.rng.below(wrong.len())].clone();
        }
        if r.is_document() {
            return params!({"a": [1, 2.5, "x", null, {"b": true}]});
        }
        let shape = r.shape;
        match shape.kind {
            Structure => {
                let mut map = crate::value::Map::new();
                if shape.traits.union {
                    if let Some(m) = shape.members.get(self.rng.below(shape.members.len().max(1))) {
                        let mr = super::shape_ref::Ref::member(self.model, m);
                        if !mr.is_event_stream() {
                            map.insert(m.name.to_string(), self.value(mr, depth + 1));
                        }
                    }
                    return Value::Map(map);
                }
                for m in shape.members.iter() {
                    let mr = super::shape_ref::Ref::member(self.model, m);
                    if mr.is_event_stream() {
                        continue;
                    }
                    let required = shape.is_required(&m.name) || mr.location() == Some(crate::model::Location::Uri);
                    if required || (depth < 3 && self.rng.chance(60)) {
                        let v = if mr.host_label() {
                            Value::from(format!("lbl{}", self.rng.below(100)))
                        } else {
                            self.value(mr, depth + 1)
                        };
                        map.insert(m.name.to_string(), v);
                    }
                }
                Value::Map(map)
            }
            List => {
                let item = super::shape_ref::Ref::member(self.model, shape.member.as_ref().unwrap());
                let n = if depth < 4 { self.rng.below(3) } else { 0 };
                Value::List((0..n).map(|_| self.value(item, depth + 1)).collect())
            }
            Map => {
                let value = super::shape_ref::Ref::member(self.model, shape.value.as_ref().unwrap());
                let n = if depth < 4 { self.rng.below(3) } else { 0 };
                Value::Map((0..n).map(|i| (format!("k{i}"), self.value(value, depth + 1))).collect())
            }
            String | Character => {
                if r.json_value() {
                    return Value::from(r#"{"a": [1, "é"]}"#);
                }
                let pool = ["", "a", "hello world", "é😹/+&=?<>\"'~", "x,y\"z", "a/../b"];
                Value::from(pool[self.rng.below(pool.len())])
            }
            Boolean => Value::Bool(self.rng.chance(50)),
            Byte | Short | Integer => Value::Int(self.rng.below(200) as i64 - 100),
            Long => Value::Int(self.rng.next() as i64),
            BigInteger => Value::Number("123456789012345678901234567890".into()),
            BigDecimal => Value::Number("-1.5e-7".into()),
            Float | Double => {
                let pool = [1.5, -0.25, 1e20, 3.0, f64::NAN, f64::INFINITY];
                match self.rng.below(4) {
                    0 => Value::Int(2),
                    1 => Value::from("-Infinity"),
                    _ => Value::Float(pool[self.rng.below(pool.len())]),
                }
            }
            Blob => match self.rng.below(3) {
                0 => Value::from("text blob"),
                1 if r.traits.streaming || shape.traits.streaming => Value::Stream(Body::from_bytes(vec![1u8, 2, 3])),
                _ => Value::blob(vec![0u8, 159, 255]),
            },
            Timestamp => match self.rng.below(4) {
                0 => Value::Int(1_422_172_800),
                1 => Value::Float(1_422_172_800.25),
                2 => Value::from("2015-01-25T08:00:00.5+01:00"),
                _ => Value::Timestamp(datetime!(2015-01-25 08:00:00.123456 UTC)),
            },
        }
    }
}

/// Services that together speak every protocol, with S3 and EC2 in full.
const SWEEP: &[&str] = &[
    "s3",
    "s3control",
    "route53",
    "cloudfront",
    "ec2",
    "iam",
    "sns",
    "rds",
    "sts",
    "dynamodb",
    "kinesis",
    "sqs",
    "cloudwatch",
    "logs",
    "lambda",
    "apigateway",
    "glacier",
    "iot-data",
    "bedrock-runtime",
    "cloudwatchomni",
    "eventbridgev2",
    "partnercentral-revenue-measurement",
    "servicediscovery",
];

fn sweep(seed: u64, wrong: u64, each: usize, check: impl Fn(&str, &str, &Result<SerializedRequest, SerializeError>)) {
    let fixed = || "00000000-0000-4000-8000-000000000000".to_owned();
    let options = SerializeOptions { idempotency_token: Some(&fixed) };
    for service in SWEEP {
        let m = model(service);
        let names: Vec<String> = m.operation_names().map(str::to_owned).collect();
        for (i, name) in names.iter().enumerate() {
            let op = m.operation(name).unwrap().unwrap();
            let Some(input) = &op.input else { continue };
            let input_shape = m.shape(input.shape);
            if super::shape_ref::has_event_stream(&m, input_shape) {
                continue;
            }
            let mut g = Gen { model: &m, rng: Rng(seed ^ ((i as u64 + 1) * 0x9E37_79B9)), wrong };
            for _ in 0..each {
                let params = g.value(super::shape_ref::Ref::input(&m, input), 0);
                let out = serialize_with(&m, op, &params, &options);
                check(service, &op.name, &out);
            }
        }
    }
}

#[test]
fn every_operation_serializes_generated_valid_params() {
    let count = std::sync::atomic::AtomicUsize::new(0);
    sweep(0x5EED, 0, 4, |service, op, out| {
        let out = out.as_ref().unwrap_or_else(|e| panic!("{service}.{op}: {e}"));
        count.fetch_add(1, Ordering::Relaxed);
        let req = &out.request;
        assert!(req.url.starts_with('/'), "{service}.{op}: {}", req.url);
        assert!(
            req.url.bytes().all(|b| b.is_ascii_graphic() && b != b'#'),
            "{service}.{op}: URL is not percent-encoded: {}",
            req.url
        );
        let ct = req.headers.get(http::header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or_default().to_owned());
        if let (Some(bytes), Some(ct)) = (req.body.as_bytes(), ct.as_deref()) {
            if ct.contains("json") {
                serde_json::from_slice::<serde_json::Value>(bytes)
                    .unwrap_or_else(|e| panic!("{service}.{op}: body is not JSON: {e}"));
            } else if ct == "application/cbor" {
                let mut d = minicbor::Decoder::new(bytes);
                d.skip().unwrap_or_else(|e| panic!("{service}.{op}: body is not CBOR: {e}"));
                assert_eq!(d.position(), bytes.len(), "{service}.{op}: trailing CBOR bytes");
            } else if ct.starts_with("application/x-www-form-urlencoded") {
                let form = std::str::from_utf8(bytes).unwrap();
                assert!(form.starts_with(&format!("Action={op}&Version=")), "{service}.{op}");
                assert!(form.split('&').all(|kv| kv.split_once('=').is_some()), "{service}.{op}: {form}");
            }
        }
    });
    assert!(count.into_inner() > 4000, "the sweep covers thousands of calls");
}

#[test]
fn wrong_kinds_give_errors_not_panics() {
    let errors = std::sync::atomic::AtomicUsize::new(0);
    sweep(0xBAD, 15, 3, |service, op, out| {
        if let Err(e) = out {
            errors.fetch_add(1, Ordering::Relaxed);
            assert_eq!(e.operation, op, "{service}");
            assert!(!e.message.is_empty());
        }
    });
    assert!(errors.into_inner() > 500, "wrong kinds are reported");
}
