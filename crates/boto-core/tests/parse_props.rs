//! Property tests of the response parsers on real operations: mutated,
//! truncated and arbitrary XML, JSON and CBOR bodies never panic, and a
//! body that is not well-formed is a `ParseError` naming the operation and
//! where the body broke.

use std::sync::Arc;

use boto_core::model::{Loader, ServiceModel};
use boto_core::protocol::parse::{parse, ParseError, Parsed};
use boto_core::HttpResponse;
use proptest::prelude::*;

struct Seed {
    service: &'static str,
    operation: &'static str,
    body: Vec<u8>,
    /// S3 turns an unreadable 200 into a retryable 500 error instead of a
    /// parse error (botocore's `_handle_200_error`).
    s3: bool,
}

// A minimal CBOR encoder for the seed body.
fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend([m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend((n as u16).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend(n.to_be_bytes());
        }
    }
}

fn text(s: &str, out: &mut Vec<u8>) {
    head(3, s.len() as u64, out);
    out.extend(s.as_bytes());
}

fn event_bus(i: u64, out: &mut Vec<u8>) {
    head(5, 4, out);
    text("Name", out);
    text(&format!("bus-{i}"), out);
    text("EventBusArn", out);
    text(&format!("arn:aws:events:us-east-1:123456789012:event-bus/bus-{i}"), out);
    text("CreationTime", out);
    out.push(0xc1); // tag 1: epoch seconds
    out.push(0xfb);
    out.extend((1_700_000_000.5 + i as f64).to_be_bytes());
    text("State", out);
    text("ACTIVE", out);
}

fn cbor_list_event_buses() -> Vec<u8> {
    let mut out = Vec::new();
    head(5, 2, &mut out);
    text("EventBuses", &mut out);
    head(4, 3, &mut out);
    for i in 0..3 {
        event_bus(i, &mut out);
    }
    text("NextToken", &mut out);
    text("tok", &mut out);
    out
}

fn seeds() -> Vec<Seed> {
    let list_objects = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>a&amp;b</Key><LastModified>2024-05-01T10:00:00.000Z</LastModified><ETag>"e"</ETag><Size>10</Size><StorageClass>STANDARD</StorageClass><Owner><ID>o</ID></Owner></Contents><Contents><Key>c</Key><LastModified>2024-05-01T10:00:01.000Z</LastModified><Size>3</Size></Contents><CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>"#;
    let hosted_zones = r#"<?xml version="1.0"?>
<ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones><HostedZone><Id>/hostedzone/Z1</Id><Name>example.com.</Name><CallerReference>r</CallerReference><Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone></HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>"#;
    let topic_attributes = r#"<GetTopicAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><GetTopicAttributesResult><Attributes><entry><key>Owner</key><value>123</value></entry><entry><key>Policy</key><value>{"a":1}</value></entry></Attributes></GetTopicAttributesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetTopicAttributesResponse>"#;
    let regions = r#"<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>q</requestId><regionInfo><item><regionName>us-east-1</regionName><regionEndpoint>e</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item></regionInfo></DescribeRegionsResponse>"#;
    let get_item = r#"{"Item":{"id":{"S":"u-1"},"n":{"N":"12"},"b":{"B":"AAEC"},"l":{"L":[{"S":"a"},{"NULL":true},{"M":{"x":{"BOOL":false}}}]}},"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5}}"#;
    let metric_data = r#"{"MetricDataResults":[{"Id":"m1","Label":"CPU","Timestamps":[1700000000,1700000060.5],"Values":[1.5,2],"StatusCode":"Complete"}],"Messages":[]}"#;
    vec![
        Seed { service: "s3", operation: "ListObjectsV2", body: list_objects.into(), s3: true },
        Seed { service: "route53", operation: "ListHostedZones", body: hosted_zones.into(), s3: false },
        Seed { service: "sns", operation: "GetTopicAttributes", body: topic_attributes.into(), s3: false },
        Seed { service: "ec2", operation: "DescribeRegions", body: regions.into(), s3: false },
        Seed { service: "dynamodb", operation: "GetItem", body: get_item.into(), s3: false },
        Seed { service: "cloudwatch", operation: "GetMetricData", body: metric_data.into(), s3: false },
        Seed { service: "eventbridgev2", operation: "ListEventBuses", body: cbor_list_event_buses(), s3: false },
    ]
}

fn models() -> Vec<(Arc<ServiceModel>, Seed)> {
    let loader = Loader::embedded_only();
    seeds().into_iter().map(|s| (loader.service_model(s.service, None).unwrap(), s)).collect()
}

fn run(model: &ServiceModel, op: &str, status: u16, body: Vec<u8>) -> Result<Parsed, ParseError> {
    let operation = model.operation(op).unwrap().unwrap();
    parse(model, operation, HttpResponse { status, headers: Default::default(), body: body.into() })
}

/// A parse error must say which operation and where.
fn check_error(e: &ParseError, op: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(&e.operation, op);
    prop_assert!(!e.location.is_empty(), "no location: {}", e);
    prop_assert!(!e.message.is_empty());
    prop_assert!(e.to_string().contains(op));
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop::sample::select(b"<>/&;\"'{}[]:,\\ \x00\xff\x9f\xbf\xc1\xfb\x1b-0123456789eEtnfu".to_vec());
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Flip(p, b)),
        (any::<usize>(), interesting).prop_map(|(p, b)| Mutation::Insert(p, b)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut body: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = body.len().max(1);
        match *m {
            Mutation::Flip(p, b) if !body.is_empty() => body[p % len] ^= b | 1,
            Mutation::Insert(p, b) => body.insert(p % (body.len() + 1), b),
            Mutation::Delete(p) if !body.is_empty() => {
                body.remove(p % len);
            }
            Mutation::Truncate(p) => body.truncate(p % (body.len() + 1)),
            _ => {}
        }
    }
    body
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 320, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_bodies_never_panic(
        which in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
        status in prop::sample::select(vec![200u16, 200, 200, 400, 404, 500, 503]),
    ) {
        let all = models();
        let (model, seed) = &all[which.index(all.len())];
        let body = apply(seed.body.clone(), &mutations);
        if let Err(e) = run(model, seed.operation, status, body) {
            check_error(&e, seed.operation)?;
        }
    }

    #[test]
    fn truncated_bodies_are_parse_errors(which in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>()) {
        let all = models();
        let (model, seed) = &all[which.index(all.len())];
        let len = cut.index(seed.body.len() - 1) + 1; // a strict, non-empty prefix
        let outcome = run(model, seed.operation, 200, seed.body[..len].to_vec());
        match outcome {
            Err(e) => check_error(&e, seed.operation)?,
            Ok(Parsed::Err(e)) if seed.s3 => prop_assert_eq!(e.status, 500),
            Ok(other) => prop_assert!(false, "{} bytes of {} parsed: {:?}", len, seed.operation, other),
        }
    }

    #[test]
    fn arbitrary_bodies_never_panic(
        which in any::<prop::sample::Index>(),
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            "[<>/a-z0-9\"=:{},\\[\\] \n&;#x]{0,300}".prop_map(String::into_bytes),
        ],
        status in prop::sample::select(vec![200u16, 400, 500]),
    ) {
        let all = models();
        let (model, seed) = &all[which.index(all.len())];
        if let Err(e) = run(model, seed.operation, status, body) {
            check_error(&e, seed.operation)?;
        }
    }
}

#[test]
fn the_seeds_parse() {
    for (model, seed) in models() {
        match run(&model, seed.operation, 200, seed.body.clone()) {
            Ok(Parsed::Ok(v)) => assert!(v.as_map().is_some_and(|m| m.len() > 1), "{}: {v}", seed.operation),
            other => panic!("{}: {other:?}", seed.operation),
        }
    }
}
