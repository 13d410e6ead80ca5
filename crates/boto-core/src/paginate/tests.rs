use super::token::{decode, encode};
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

fn strip_metadata(mut v: Value) -> Value {
    v.remove("ResponseMetadata");
    v
}

fn keys(n: std::ops::Range<u32>) -> Value {
    Value::List(n.map(|i| params!({ "Key": format!("k{i}") })).collect())
}

/// Tokens written by boto3 1.44.5's `TokenEncoder` (Python), byte for byte.
#[test]
fn tokens_match_botocore_bytes() {
    let mut t = Map::new();
    t.insert("ContinuationToken".into(), Value::Null);
    t.insert("boto_truncate_amount".into(), Value::Int(2));
    assert_eq!(encode(&t), "eyJDb250aW51YXRpb25Ub2tlbiI6IG51bGwsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDJ9");

    let mut t = Map::new();
    t.insert(
        "ExclusiveStartKey".into(),
        params!({ "id": { "B": Value::blob(vec![0u8, 0xff]) }, "n": { "S": "café \u{1F600}" } }),
    );
    t.insert("boto_truncate_amount".into(), Value::Int(1));
    let s = encode(&t);
    assert_eq!(
        s,
        "eyJFeGNsdXNpdmVTdGFydEtleSI6IHsiaWQiOiB7IkIiOiAiQVA4PSJ9LCAibiI6IHsiUyI6ICJjYWZcdTAwZTkgXHVkODNkXHVkZTAwIn19\
         LCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxLCAiYm90b19lbmNvZGVkX2tleXMiOiBbWyJFeGNsdXNpdmVTdGFydEtleSIsICJpZCIsICJCIl1dfQ=="
    );
    assert_eq!(decode(&s), Some(Ok(t)));

    let mut t = Map::new();
    t.insert("Marker".into(), Value::from("a\"b\\c\n"));
    t.insert("boto_truncate_amount".into(), Value::Int(3));
    assert_eq!(encode(&t), "eyJNYXJrZXIiOiAiYVwiYlxcY1xuIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogM30=");
    assert_eq!(decode("not base64 json!"), None);
}

#[test]
fn aggregates_pages_and_passes_tokens() {
    let (c, stub) = client("s3");
    stub.add_response(
        "ListObjectsV2",
        params!({ "Contents": keys(0..2), "IsTruncated": true, "NextContinuationToken": "t1", "Name": "b" }),
        Some(params!({ "Bucket": "b", "EncodingType": "url" })),
    );
    stub.add_response(
        "ListObjectsV2",
        params!({ "Contents": keys(2..3), "IsTruncated": false, "Name": "b" }),
        Some(params!({ "Bucket": "b", "ContinuationToken": "t1", "EncodingType": "url" })),
    );
    let full = rt()
        .block_on(
            c.paginate("ListObjectsV2", params!({ "Bucket": "b" }), PaginationConfig::default())
                .unwrap()
                .build_full_result(),
        )
        .unwrap();
    // S3's non-aggregate keys (from paginators-1.sdk-extras.json) are
    // RequestCharged and Prefix; null when absent, as in boto3.
    assert_eq!(full, params!({ "Contents": keys(0..3), "RequestCharged": null, "Prefix": null }));
    stub.assert_no_pending_responses();
}

#[test]
fn max_items_cuts_a_page_and_the_token_resumes_in_another_paginator() {
    let (c, stub) = client("s3");
    let config = PaginationConfig { max_items: Some(3), ..Default::default() };
    stub.add_response(
        "ListObjectsV2",
        params!({ "Contents": keys(0..2), "IsTruncated": true, "NextContinuationToken": "t1" }),
        None,
    );
    stub.add_response(
        "ListObjectsV2",
        params!({ "Contents": keys(2..4), "IsTruncated": true, "NextContinuationToken": "t2" }),
        Some(params!({ "Bucket": "b", "ContinuationToken": "t1", "EncodingType": "url" })),
    );
    let mut pager = c.paginate("list_objects_v2", params!({ "Bucket": "b" }), config).unwrap();
    let rt = rt();
    let pages: Vec<Value> = rt.block_on(async {
        let mut out = Vec::new();
        while let Some(p) = pager.next_page().await {
            out.push(p.unwrap());
        }
        out
    });
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1]["Contents"], keys(2..3));
    let token = pager.resume_token().unwrap().to_owned();
    // {"ContinuationToken": "t1", "boto_truncate_amount": 1}, as boto3 writes it
    let mut want = Map::new();
    want.insert("ContinuationToken".into(), Value::from("t1"));
    want.insert("boto_truncate_amount".into(), Value::Int(1));
    assert_eq!(token, encode(&want));

    // Resume: the first page is asked with t1 again and its first item skipped.
    stub.add_response(
        "ListObjectsV2",
        params!({ "Contents": keys(2..4), "IsTruncated": true, "NextContinuationToken": "t2" }),
        Some(params!({ "Bucket": "b", "ContinuationToken": "t1", "EncodingType": "url" })),
    );
    stub.add_response("ListObjectsV2", params!({ "Contents": keys(4..5), "IsTruncated": false }), None);
    let config = PaginationConfig { starting_token: Some(token), ..Default::default() };
    let full = rt
        .block_on(c.paginate("ListObjectsV2", params!({ "Bucket": "b" }), config).unwrap().build_full_result())
        .unwrap();
    assert_eq!(full, params!({ "Contents": keys(3..5), "RequestCharged": null, "Prefix": null }));
    stub.assert_no_pending_responses();
}

#[test]
fn max_items_on_a_page_boundary_gives_the_service_token() {
    let (c, stub) = client("s3");
    stub.add_response(
        "ListObjectsV2",
        params!({ "Contents": keys(0..2), "IsTruncated": true, "NextContinuationToken": "t1" }),
        None,
    );
    let config = PaginationConfig { max_items: Some(2), ..Default::default() };
    let full = rt()
        .block_on(c.paginate("ListObjectsV2", params!({ "Bucket": "b" }), config).unwrap().build_full_result())
        .unwrap();
    // base64 of {"ContinuationToken": "t1"}, from botocore
    // Non-aggregate keys missing from the first page are null, as in boto3.
    assert_eq!(
        full,
        params!({ "Contents": keys(0..2), "RequestCharged": null, "Prefix": null,
                  "NextToken": "eyJDb250aW51YXRpb25Ub2tlbiI6ICJ0MSJ9" })
    );
}

#[test]
fn first_page_truncation_counts_from_the_starting_offset() {
    // botocore's example: page [0,1,2,3], start 1, max 1 -> [1], next start 2.
    let (c, stub) = client("dynamodb");
    let mut start = Map::new();
    start.insert("ExclusiveStartTableName".into(), Value::from("xyz"));
    start.insert("boto_truncate_amount".into(), Value::Int(1));
    stub.add_response(
        "ListTables",
        params!({ "TableNames": ["t0", "t1", "t2", "t3"], "LastEvaluatedTableName": "t3" }),
        Some(params!({ "ExclusiveStartTableName": "xyz" })),
    );
    let config = PaginationConfig { max_items: Some(1), starting_token: Some(encode(&start)), ..Default::default() };
    let full = rt().block_on(c.paginate("ListTables", params!({}), config).unwrap().build_full_result()).unwrap();
    start.insert("boto_truncate_amount".into(), Value::Int(2));
    assert_eq!(full, params!({ "TableNames": ["t1"], "NextToken": encode(&start) }));
}

#[test]
fn repeated_token_is_an_error_after_the_pages() {
    let (c, stub) = client("dynamodb");
    for _ in 0..2 {
        stub.add_response("ListTables", params!({ "TableNames": ["aaa"], "LastEvaluatedTableName": "aaa" }), None);
    }
    let pager = c.paginate("ListTables", params!({}), PaginationConfig::default()).unwrap();
    let err = rt().block_on(pager.build_full_result()).unwrap_err();
    assert!(matches!(err, Error::Pagination(PaginationError::RepeatedToken(_))), "{err}");
    assert!(err.to_string().starts_with("The same next token was received twice"), "{err}");
    stub.assert_no_pending_responses();
}

#[test]
fn more_results_false_stops_and_numbers_add_up() {
    let (c, stub) = client("dynamodb");
    stub.add_response("Scan", params!({ "Items": [{ "a": { "S": "1" } }], "Count": 1, "ScannedCount": 5, "LastEvaluatedKey": { "a": { "S": "1" } } }), None);
    stub.add_response(
        "Scan",
        params!({ "Items": [{ "a": { "S": "2" } }], "Count": 1, "ScannedCount": 3 }),
        Some(params!({ "TableName": "t", "ExclusiveStartKey": { "a": { "S": "1" } } })),
    );
    let full = rt()
        .block_on(
            c.paginate("Scan", params!({ "TableName": "t" }), PaginationConfig::default()).unwrap().build_full_result(),
        )
        .unwrap();
    assert_eq!(
        full,
        params!({ "Items": [{ "a": { "S": "1" } }, { "a": { "S": "2" } }], "Count": 2, "ScannedCount": 8, "ConsumedCapacity": null })
    );

    // IAM's more_results: IsTruncated false ends even with a Marker present.
    let (c, stub) = client("iam");
    stub.add_response(
        "ListUsers",
        params!({ "Users": [{ "UserName": "u" }], "IsTruncated": false, "Marker": "m" }),
        None,
    );
    let pages: Vec<_> =
        c.paginate("ListUsers", params!({}), PaginationConfig::default()).unwrap().collect_blocking(&rt());
    assert_eq!(pages.len(), 1);
    stub.assert_no_pending_responses();
}

#[test]
fn output_token_expressions_and_non_aggregate_keys() {
    // S3 ListObjects: NextMarker || Contents[-1].Key
    let (c, stub) = client("s3");
    stub.add_response(
        "ListObjects",
        params!({ "Contents": keys(0..2), "IsTruncated": true, "Name": "b", "Prefix": "k" }),
        None,
    );
    stub.add_response(
        "ListObjects",
        params!({ "Contents": keys(2..3), "IsTruncated": false, "Name": "b", "Prefix": "k" }),
        Some(params!({ "Bucket": "b", "Marker": "k1", "EncodingType": "url" })),
    );
    let full = rt()
        .block_on(
            c.paginate("ListObjects", params!({ "Bucket": "b" }), PaginationConfig::default())
                .unwrap()
                .build_full_result(),
        )
        .unwrap();
    assert_eq!(full["Contents"], keys(0..3));
    assert!(full.get("Name").is_none());
    assert_eq!(full["Prefix"].as_str(), Some("k"));
    stub.assert_no_pending_responses();
}

#[test]
fn page_size_sets_the_limit_key_with_its_type() {
    let (c, stub) = client("dynamodb");
    stub.add_response("ListTables", params!({ "TableNames": [] }), Some(params!({ "Limit": 7 })));
    let config = PaginationConfig { page_size: Some(7), ..Default::default() };
    rt().block_on(c.paginate("ListTables", params!({}), config).unwrap().build_full_result()).unwrap();
    // Route 53's MaxItems is a string member.
    let (c, stub) = client("route53");
    stub.add_response(
        "ListHostedZones",
        params!({ "HostedZones": [], "IsTruncated": false, "MaxItems": "5", "Marker": "" }),
        Some(params!({ "MaxItems": "5" })),
    );
    let config = PaginationConfig { page_size: Some(5), ..Default::default() };
    rt().block_on(c.paginate("ListHostedZones", params!({}), config).unwrap().build_full_result()).unwrap();
    stub.assert_no_pending_responses();
}

#[test]
fn unpageable_and_unsupported() {
    let (c, _) = client("dynamodb");
    assert!(c.can_paginate("Query") && c.can_paginate("list_tables"));
    assert!(!c.can_paginate("GetItem"));
    let err = c.paginate("GetItem", params!({}), PaginationConfig::default()).unwrap_err();
    assert!(matches!(err, Error::Pagination(PaginationError::NotPageable { .. })), "{err}");
    let (c, _) = client("ec2");
    let names = c.paginated_operations().unwrap();
    assert!(names.contains(&"DescribeInstances".to_owned()));
    let config = PaginationConfig { page_size: Some(5), ..Default::default() };
    // DescribeAccountAttributes has no paginator at all.
    assert!(c.paginate("DescribeAccountAttributes", params!({}), config).is_err());
}

#[test]
fn deprecated_tokens_are_read_as_botocore_reads_them() {
    let input = vec!["Marker".to_owned()];
    let (m, i) = parse_starting_token("abc___2", &input).unwrap();
    assert_eq!((m["Marker"].as_str(), i), (Some("abc"), 2));
    let (m, i) = parse_starting_token("plain-service-token", &input).unwrap();
    assert_eq!((m["Marker"].as_str(), i), (Some("plain-service-token"), 0));
    assert!(parse_starting_token("a___b___c", &input).is_err());
}

#[test]
fn search_yields_each_match_and_pagination_config_in_params_works() {
    let (c, stub) = client("s3");
    stub.add_response(
        "ListObjectsV2",
        params!({ "Contents": keys(0..2), "IsTruncated": true, "NextContinuationToken": "t" }),
        None,
    );
    stub.add_response("ListObjectsV2", params!({ "Contents": keys(2..4), "IsTruncated": false }), None);
    let params = params!({ "Bucket": "b", "PaginationConfig": { "MaxItems": 3 } });
    let mut found =
        c.paginate("ListObjectsV2", params, PaginationConfig::default()).unwrap().search("Contents[].Key").unwrap();
    let keys: Vec<Value> = rt().block_on(async {
        let mut out = Vec::new();
        while let Some(k) = found.next_item().await {
            out.push(k.unwrap());
        }
        out
    });
    assert_eq!(keys, vec![Value::from("k0"), Value::from("k1"), Value::from("k2")]);
    assert!(found.paginator().resume_token().is_some());
}

#[test]
fn service_errors_end_the_stream() {
    let (c, stub) = client("dynamodb");
    stub.add_client_error("ListTables", "ThrottlingException", "slow down", 400, None);
    let pages = c.paginate("ListTables", params!({}), PaginationConfig::default()).unwrap().collect_blocking(&rt());
    assert_eq!(pages.len(), 1);
    assert!(pages[0].as_ref().unwrap_err().is("ThrottlingException"));
}

#[test]
fn pages_keep_their_metadata() {
    let (c, stub) = client("dynamodb");
    stub.add_response("ListTables", params!({ "TableNames": ["a"] }), None);
    let pages = c.paginate("ListTables", params!({}), PaginationConfig::default()).unwrap().collect_blocking(&rt());
    let page = pages.into_iter().next().unwrap().unwrap();
    assert_eq!(page["ResponseMetadata"]["HTTPStatusCode"].as_i64(), Some(200));
    assert_eq!(strip_metadata(page), params!({ "TableNames": ["a"] }));
}

impl Paginator {
    fn collect_blocking(mut self, rt: &tokio::runtime::Runtime) -> Vec<Result<Value, Error>> {
        rt.block_on(async {
            let mut out = Vec::new();
            while let Some(p) = self.next_page().await {
                out.push(p);
            }
            out
        })
    }
}
