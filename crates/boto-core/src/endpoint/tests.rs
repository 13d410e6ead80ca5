//! Unit tests of the endpoint module: the standard library, the engine's
//! semantics, parameter building, the conformance suites and a property
//! test over mutated rule sets.

use std::sync::Arc;

use serde_json::{json, Value as Json};

use super::conformance::{self, EngineCalls};
use super::stdlib::is_ipv6_address;
use super::*;
use crate::model::Loader;
use crate::params;

fn rule_set(doc: Json) -> RuleSet {
    RuleSet::from_json(&doc, Partitions::embedded().unwrap()).unwrap()
}

fn resolve(rs: &RuleSet, params: Json) -> Result<Endpoint, String> {
    rs.resolve(&rs.params_from_json(params.as_object().unwrap())).map_err(|e| e.to_string())
}

/// A rule set with parameters `V` (string) and `B` (boolean) whose single
/// condition is `cond`: the endpoint is `https://yes` if it holds, else the
/// error "none".
fn condition_rule_set(cond: Json) -> RuleSet {
    rule_set(json!({
        "version": "1.0",
        "parameters": { "V": { "type": "string" }, "B": { "type": "boolean" } },
        "rules": [
            { "conditions": [cond], "endpoint": { "url": "https://yes" }, "type": "endpoint" },
            { "conditions": [], "error": "none", "type": "error" }
        ]
    }))
}

// ---- standard library ----

#[test]
fn host_labels() {
    assert!(is_valid_host_label("us-east-1", false));
    assert!(is_valid_host_label("3aws4", false));
    assert!(is_valid_host_label("a", false));
    assert!(is_valid_host_label(&"a".repeat(63), false));
    assert!(!is_valid_host_label(&"a".repeat(64), false));
    assert!(!is_valid_host_label("", false));
    assert!(!is_valid_host_label("-a", false));
    assert!(!is_valid_host_label("a-", false));
    assert!(!is_valid_host_label("a_b", false));
    assert!(!is_valid_host_label("part1 part2", false));
    assert!(!is_valid_host_label("part1.part2", false));
    assert!(is_valid_host_label("part1.part2", true));
    assert!(!is_valid_host_label("part1..part2", true));
    assert!(!is_valid_host_label(".part1", true));
    assert!(!is_valid_host_label("part1.", true));
    assert!(!is_valid_host_label("a.-b", true));
    assert!(!is_valid_host_label("abc\n", false), "no trailing newline (botocore's regex would take it)");
    assert!(!is_valid_host_label("ab\u{663}", false), "ASCII digits only");
}

#[test]
fn substrings() {
    assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
    assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
    assert_eq!(substring("abc", 0, 4, false), None, "too short");
    assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
    assert_eq!(substring("defg", 1, 3, true), Some("ef"));
    assert_eq!(substring("def", 1, 3, false), Some("ef"));
    assert_eq!(substring("def", 1, 3, true), Some("de"));
    assert_eq!(substring("ab", 1, 3, true), None);
    assert_eq!(substring("abcdef\u{80}", 0, 4, false), None, "non-ASCII");
    assert_eq!(substring("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
    assert_eq!(substring("abcd", 2, 2, false), None, "start == stop");
    assert_eq!(substring("abcd", 3, 1, false), None, "start > stop");
    // Python slicing of negative indices.
    assert_eq!(substring("abc", -2, 1, false), Some(""));
    assert_eq!(substring("abc", -2, 1, true), Some("c"));
    assert_eq!(substring("abc", i64::MIN, i64::MAX, true), None);
    assert_eq!(substring("abc", i64::MIN, 3, true), Some("abc"));
}

#[test]
fn uri_encoding() {
    assert_eq!(uri_encode("abcdefg"), "abcdefg");
    assert_eq!(uri_encode("abc:defg"), "abc%3Adefg");
    assert_eq!(uri_encode("0123456789.underscore_dash-Tilda~"), "0123456789.underscore_dash-Tilda~");
    assert_eq!(
        uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
        "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
    );
    assert_eq!(uri_encode("\u{1F639}"), "%F0%9F%98%B9");
    assert_eq!(uri_encode(""), "");
}

#[test]
fn urls() {
    let u = parse_url("https://authority.com/custom-path").unwrap();
    assert_eq!(
        (u.scheme, u.authority, u.path, u.normalized_path.as_str(), u.is_ip),
        ("https", "authority.com", "/custom-path", "/custom-path/", false)
    );
    let u = parse_url("https://authority.com").unwrap();
    assert_eq!((u.path, u.normalized_path.as_str()), ("", "/"));
    let u = parse_url("http://authority.com:8000/port").unwrap();
    assert_eq!((u.scheme, u.authority), ("http", "authority.com:8000"));
    assert_eq!(parse_url("HTTPS://x.com").unwrap().scheme, "https");
    assert!(parse_url("acbd://example.com").is_none(), "other scheme");
    assert!(parse_url("http://abc.com:a/foo").is_none(), "port not a number");
    assert!(parse_url("http://abc.com:65536/").is_none(), "port out of range");
    assert!(parse_url("http://abc.com:99999999999999999999/").is_none());
    assert!(parse_url("http://abc.com:65535/").is_some());
    assert!(parse_url("https://example.com/path?query1=foo").is_none(), "query");
    assert!(parse_url("https://example.com/path?").is_some(), "an empty query is no query");
    assert!(parse_url("https://example.com/p#frag").is_some());
    assert!(parse_url("example.com").is_none(), "no scheme");
    assert!(parse_url("").is_none());
    assert!(parse_url("https://[::1").is_none(), "unbalanced bracket");
    assert!(parse_url("https://[nothost]/").is_none(), "bracketed non-address");
    assert!(parse_url(" https://x.com").is_none());
    assert!(parse_url("https://x\n.com").is_none());
    // IP addresses.
    assert!(parse_url("http://192.168.1.1/foo/").unwrap().is_ip);
    assert!(parse_url("http://192.168.1.1:1234/foo/").unwrap().is_ip);
    assert!(!parse_url("https://999.999.abc.blah").unwrap().is_ip);
    assert!(parse_url("https://999.999.999.999").unwrap().is_ip, "botocore's IPv4 pattern checks no ranges");
    let u = parse_url("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443").unwrap();
    assert!(u.is_ip);
    assert_eq!(u.authority, "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443");
    assert!(parse_url("https://[fe80::1%25en0]/").unwrap().is_ip);
    assert!(parse_url("https://user@10.0.0.1:80").unwrap().is_ip);
    // Paths: dot segments and empty segments go, the rest is quoted.
    assert_eq!(parse_url("https://h/a/./b/../c//d").unwrap().normalized_path, "/a/c/d/");
    assert_eq!(parse_url("https://h/a b/").unwrap().normalized_path, "/a%20b/");
    assert_eq!(parse_url("https://h/..").unwrap().normalized_path, "/");
    assert_eq!(parse_url("https://h/a;p=1").unwrap().path, "/a", "params are not path");
}

#[test]
fn ipv6_addresses() {
    for ok in [
        "::",
        "::1",
        "1::",
        "1:2:3:4:5:6:7:8",
        "1::8",
        "1:2:3:4:5:6::8",
        "::ffff:1.2.3.4",
        "1:2:3:4:5:6:1.2.3.4",
        "fe80::",
    ] {
        assert!(is_ipv6_address(ok), "{ok}");
    }
    for bad in [
        "",
        ":",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "12345::",
        "g::",
        "1.2.3.4::",
        "1:2:3:4:5:6:7::8",
        ":1:2",
    ] {
        assert!(!is_ipv6_address(bad), "{bad}");
    }
}

#[test]
fn arns() {
    let a = parse_arn("arn:aws:s3:us-east-2:012345678:outpost:op-1234").unwrap();
    assert_eq!((a.partition, a.service, a.region, a.account_id), ("aws", "s3", "us-east-2", "012345678"));
    assert_eq!(a.resource_id().collect::<Vec<_>>(), ["outpost", "op-1234"]);
    let a = parse_arn("arn:aws:s3:::bucket/key/with:colon").unwrap();
    assert_eq!(a.resource_id().collect::<Vec<_>>(), ["bucket", "key", "with", "colon"]);
    let a = parse_arn("arn:aws:s3:us-east-2:012345678:outpost::").unwrap();
    assert_eq!(a.resource_id().collect::<Vec<_>>(), ["outpost", "", ""]);
    assert!(parse_arn("asdf").is_none());
    assert!(parse_arn("arn:aws:s3:us-west-2:123456789012:").is_none(), "empty resource");
    assert!(parse_arn("arn:aws::us-west-2:123456789012:resource-id").is_none(), "empty service");
    assert!(parse_arn("arn::s3:us-west-2:123456789012:resource-id").is_none(), "empty partition");
    assert!(parse_arn("arn:aws:s3:us-west-2").is_none(), "too few parts");
    assert!(parse_arn("ARN:aws:s3:::x").is_none());
}

#[test]
fn virtual_hostable_buckets() {
    assert!(is_virtual_hostable_s3_bucket("bucket-name", false));
    assert!(is_virtual_hostable_s3_bucket("bucket-with-number-1", false));
    assert!(!is_virtual_hostable_s3_bucket("BucketName", false));
    assert!(!is_virtual_hostable_s3_bucket("bucket_name", false));
    assert!(!is_virtual_hostable_s3_bucket("bucket.name", false));
    assert!(is_virtual_hostable_s3_bucket("bucket.name", true));
    assert!(is_virtual_hostable_s3_bucket("bucket.name.multiple.dots1", true));
    assert!(!is_virtual_hostable_s3_bucket("-bucket-name", false));
    assert!(!is_virtual_hostable_s3_bucket("bucket-name-", false));
    assert!(!is_virtual_hostable_s3_bucket("aa", false));
    assert!(is_virtual_hostable_s3_bucket("aaa", false));
    assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
    assert!(!is_virtual_hostable_s3_bucket(".bucket-name", true));
    assert!(!is_virtual_hostable_s3_bucket("bucket-name.", true));
    assert!(!is_virtual_hostable_s3_bucket("192.168.5.4", true));
    assert!(!is_virtual_hostable_s3_bucket("bucket-.name", true));
    assert!(!is_virtual_hostable_s3_bucket("bucket.-name", true));
}

#[test]
fn partitions() {
    let p = Partitions::embedded().unwrap();
    let name = |r: Option<&str>| p.lookup(r)["name"].as_str().unwrap().to_owned();
    assert_eq!(name(Some("us-east-1")), "aws");
    assert_eq!(name(Some("us-east-10")), "aws", "by regex");
    assert_eq!(name(Some("cn-north-5")), "aws-cn");
    assert_eq!(name(Some("aws-cn-global")), "aws-cn", "listed");
    assert_eq!(name(Some("us-gov-west-1")), "aws-us-gov");
    assert_eq!(name(Some("us-isob-east-1")), "aws-iso-b");
    assert_eq!(name(Some("mars-global")), "aws", "default");
    assert_eq!(name(Some("us-isof-south-7")), "aws-iso-f", "by regex, escaped hyphens");
    assert_eq!(name(Some("eusc-de-east-9")), "aws-eusc", "by regex, a group in the prefix");
    // `\d` is ASCII in the patterns (Python's is Unicode): such a region
    // falls to the default partition.
    assert_eq!(name(Some("cn-north-\u{0665}")), "aws");
    assert_eq!(name(None), "aws");
    assert_eq!(p.lookup(Some("cn-north-1"))["dnsSuffix"], "amazonaws.com.cn");
    // A listed region's own values override the partition's.
    let custom = Partitions::from_json(&json!({"partitions": [{
        "id": "p", "regionRegex": "^x-\\w+$",
        "regions": {"x-special": {"description": "d", "supportsFIPS": false}, "x-plain": {"description": "e"}},
        "outputs": {"name": "p", "dnsSuffix": "example", "supportsFIPS": true}
    }]}))
    .unwrap();
    assert_eq!(custom.lookup(Some("x-special"))["supportsFIPS"], false);
    assert_eq!(custom.lookup(Some("x-special"))["dnsSuffix"], "example");
    assert_eq!(custom.lookup(Some("x-plain"))["supportsFIPS"], true);
    assert!(Partitions::from_json(&json!({"partitions": []})).is_err());
    assert!(Partitions::from_json(&json!({"partitions": [{"id": "p", "regionRegex": "(", "outputs": {}}]})).is_err());
}

// ---- the engine ----

#[test]
fn functions_through_the_engine() {
    let ok = |cond: Json, params: Json| resolve(&condition_rule_set(cond), params);
    // getAttr with nested paths and indexes.
    let arn = json!({"fn": "aws.parseArn", "argv": [{"ref": "V"}]});
    let get = |path: &str| json!({"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [arn.clone(), path]}, "x"]});
    assert!(ok(get("resourceId[1]"), json!({"V": "arn:aws:s3:r:a:t/x"})).is_ok());
    assert!(ok(get("resourceId[1]"), json!({"V": "arn:aws:s3:r:a:t/y"})).is_err());
    // A missing index gives None, which stringEquals refuses.
    let e = ok(get("resourceId[5]"), json!({"V": "arn:aws:s3:r:a:t/x"})).unwrap_err();
    assert_eq!(e, "Both values must be strings, not <class 'NoneType'> and <class 'str'>.");
    // booleanEquals refuses non-booleans with botocore's message.
    let e = ok(json!({"fn": "booleanEquals", "argv": [{"ref": "V"}, true]}), json!({"V": "s"})).unwrap_err();
    assert_eq!(e, "Both arguments must be bools, not <class 'str'> and <class 'bool'>.");
    // not: Python truthiness.
    assert!(ok(json!({"fn": "not", "argv": [{"ref": "V"}]}), json!({})).is_ok());
    assert!(ok(json!({"fn": "not", "argv": [{"ref": "V"}]}), json!({"V": ""})).is_ok());
    assert!(ok(json!({"fn": "not", "argv": [{"ref": "V"}]}), json!({"V": "x"})).is_err());
    // substring on a non-string.
    let e = ok(json!({"fn": "substring", "argv": [{"ref": "B"}, 0, 1, false]}), json!({"B": true})).unwrap_err();
    assert_eq!(e, "Input must be a string, not <class 'bool'>.");
    // Unknown functions fail when reached, with a message.
    let e = ok(json!({"fn": "coalesce", "argv": [{"ref": "V"}]}), json!({})).unwrap_err();
    assert!(e.contains("coalesce"), "{e}");
    let e = ok(json!({"fn": "isSet", "argv": []}), json!({})).unwrap_err();
    assert!(e.contains("isSet"), "{e}");
}

#[test]
fn templates_properties_and_headers() {
    let rs = rule_set(json!({
        "parameters": {"Region": {"type": "string", "required": true, "default": "us-west-5"}},
        "rules": [{
            "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
            "endpoint": {
                "url": "https://{Region}.{P#dnsSuffix}/{{literal}}",
                "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}", "n": 1, "deep": {"x": ["{P#name}"]}}], "plain": [true, null]},
                "headers": {"x-region": [{"ref": "Region"}, "{P#name}", "lit"]}
            },
            "type": "endpoint"
        }]
    }));
    let ep = resolve(&rs, json!({"Region": "cn-north-1"})).unwrap();
    assert_eq!(ep.url, "https://cn-north-1.amazonaws.com.cn/{literal}");
    assert_eq!(
        Json::Object((*ep.properties).clone()),
        json!({"authSchemes": [{"name": "sigv4", "signingRegion": "cn-north-1", "n": 1, "deep": {"x": ["aws-cn"]}}], "plain": [true, null]})
    );
    assert_eq!(ep.headers["x-region"], ["cn-north-1", "aws-cn", "lit"]);
    let scheme = &ep.auth_schemes()[0];
    assert_eq!((scheme.botocore_name(), scheme.region_for_signing().as_deref()), ("v4", Some("cn-north-1")));
    // The default applies.
    assert_eq!(resolve(&rs, json!({})).unwrap().url, "https://us-west-5.amazonaws.com/{literal}");
}

#[test]
fn parameters_are_checked() {
    let rs = rule_set(json!({
        "parameters": {
            "Region": {"type": "String", "required": true},
            "Flag": {"type": "Boolean", "default": false, "required": true},
            "List": {"type": "stringArray", "default": ["a", "b"], "required": true}
        },
        "rules": [{"conditions": [], "endpoint": {"url": "https://{Region}"}, "type": "endpoint"}]
    }));
    assert_eq!(resolve(&rs, json!({})).unwrap_err(), "Cannot find value for required parameter Region");
    assert_eq!(
        resolve(&rs, json!({"Region": true})).unwrap_err(),
        "Value (Region) is the wrong type. Must be <class 'str'>."
    );
    assert_eq!(
        resolve(&rs, json!({"Region": "r", "Flag": "x"})).unwrap_err(),
        "Value (Flag) is the wrong type. Must be <class 'bool'>."
    );
    assert_eq!(
        resolve(&rs, json!({"Region": "r", "List": 5})).unwrap_err(),
        "Value (List) is the wrong type. Must be <class 'tuple'>."
    );
    assert_eq!(resolve(&rs, json!({"Region": "r", "Unknown": 5})).unwrap().url, "https://r");
    let bad = |doc: Json| RuleSet::from_json(&doc, Partitions::embedded().unwrap()).unwrap_err().to_string();
    assert!(
        bad(json!({"parameters": {"X": {"type": "number"}}, "rules": []})).contains("Unknown parameter type: number")
    );
    assert!(bad(json!({"parameters": {}, "rules": [{"conditions": [], "type": "weird"}]}))
        .contains("Unknown rule type: weird"));
    assert!(bad(json!({"parameters": {}, "rules": [{"conditions": ["x"], "type": "tree", "rules": []}]}))
        .contains("rules[0].conditions[0]"));
    assert!(bad(json!([])).contains("expected an object"));
}

#[test]
fn scoping_and_no_match() {
    let rs = rule_set(json!({
        "parameters": {"V": {"type": "string"}, "L": {"type": "stringArray"}},
        "rules": [
            // Assigns `x`, then fails: the sibling may assign `x` again.
            {"conditions": [{"fn": "getAttr", "argv": [{"fn": "aws.partition", "argv": ["us-east-1"]}, "name"], "assign": "x"}, {"fn": "isSet", "argv": [{"ref": "V"}]}],
             "endpoint": {"url": "https://first-{x}"}, "type": "endpoint"},
            {"conditions": [{"fn": "stringEquals", "argv": ["y", "y"], "assign": "x"}, {"fn": "isSet", "argv": [{"ref": "L"}]}],
             "type": "tree", "rules": [
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "V"}], "assign": "x"}], "endpoint": {"url": "https://never"}, "type": "endpoint"}
             ]}
        ]
    }));
    assert_eq!(resolve(&rs, json!({"V": "v"})).unwrap().url, "https://first-aws");
    // Inside the tree, re-assigning `x` is an error, as in botocore.
    assert_eq!(
        resolve(&rs, json!({"L": ["a"]})).unwrap_err(),
        "Assignment x already exists in scoped variables and cannot be overwritten"
    );
    assert_eq!(resolve(&rs, json!({})).unwrap_err(), "No endpoint found for parameters:");
    let rs = rule_set(
        json!({"parameters": {"V": {"type": "string"}, "B": {"type": "boolean"}, "L": {"type": "stringArray"}}, "rules": []}),
    );
    assert_eq!(
        resolve(&rs, json!({"V": "v", "B": true, "L": ["a", "b"]})).unwrap_err(),
        "No endpoint found for parameters:\nV: v\nB: True\nL: ('a', 'b')"
    );
}

#[test]
fn deep_nesting_is_refused() {
    let mut expr = json!({"ref": "V"});
    for _ in 0..200 {
        expr = json!({"fn": "not", "argv": [expr]});
    }
    let doc =
        json!({"parameters": {}, "rules": [{"conditions": [expr], "endpoint": {"url": "x"}, "type": "endpoint"}]});
    let e = RuleSet::from_json(&doc, Partitions::embedded().unwrap()).unwrap_err();
    assert!(e.to_string().contains("deeper"), "{e}");
    let mut rule = json!({"conditions": [], "endpoint": {"url": "x"}, "type": "endpoint"});
    for _ in 0..200 {
        rule = json!({"conditions": [], "rules": [rule], "type": "tree"});
    }
    let e =
        RuleSet::from_json(&json!({"parameters": {}, "rules": [rule]}), Partitions::embedded().unwrap()).unwrap_err();
    assert!(e.to_string().contains("deeper"), "{e}");
}

// ---- parameters of an operation call ----

#[test]
fn operation_params_follow_botocore_precedence() {
    let model = Loader::embedded_only().service_model("s3", None).unwrap();
    let resolver = EndpointResolver::new(model).unwrap();
    let mut config = EndpointConfig {
        builtins: BuiltIns {
            region: Some("us-west-2".into()),
            s3_force_path_style: Some(false),
            ..BuiltIns::default()
        },
        ..EndpointConfig::default()
    };
    let input = params!({"Bucket": "my-bucket", "Key": "k"});
    let p = resolver.params_for("GetObject", &input, &config).unwrap();
    assert_eq!(p.get("Bucket"), Some(&ParamValue::from("my-bucket")), "contextParam member");
    assert_eq!(p.get("Region"), Some(&ParamValue::from("us-west-2")), "builtIn");
    assert_eq!(p.get("Key"), None, "S3 leaves Key out");
    assert_eq!(p.get("ForcePathStyle"), Some(&ParamValue::Bool(false)));
    // A client context parameter beats the builtIn.
    config.client_context.insert("ForcePathStyle".into(), true.into());
    let p = resolver.params_for("GetObject", &input, &config).unwrap();
    assert_eq!(p.get("ForcePathStyle"), Some(&ParamValue::Bool(true)));
    assert_eq!(
        resolver.resolve("GetObject", &input, &config).unwrap().url,
        "https://s3.us-west-2.amazonaws.com/my-bucket"
    );
    // A static context parameter.
    let p = resolver.params_for("CreateSession", &params!({"Bucket": "b--usw2-az1--x-s3"}), &config).unwrap();
    assert_eq!(p.get("DisableS3ExpressSessionAuth"), Some(&ParamValue::Bool(true)));
    // S3's per-call adjustment: GetBucketLocation uses path style.
    config.client_context.clear();
    let ep = resolver.resolve("GetBucketLocation", &params!({"Bucket": "my-bucket"}), &config).unwrap();
    assert_eq!(ep.url, "https://s3.us-west-2.amazonaws.com/my-bucket");
    assert!(matches!(resolver.resolve("NoSuchOperation", &input, &config), Err(EndpointError::UnknownOperation(_))));

    // operationContextParams through JMESPath.
    let ddb = EndpointResolver::new(Loader::embedded_only().service_model("dynamodb", None).unwrap()).unwrap();
    let input = params!({"RequestItems": {"arn:aws:dynamodb:us-east-1:333333333333:table/t": {"Keys": []}}});
    let cfg = EndpointConfig {
        builtins: BuiltIns {
            region: Some("us-east-1".into()),
            account_id_endpoint_mode: Some("preferred".into()),
            ..BuiltIns::default()
        },
        ..EndpointConfig::default()
    };
    let p = ddb.params_for("BatchGetItem", &input, &cfg).unwrap();
    assert_eq!(
        p.get("ResourceArnList"),
        Some(&ParamValue::StringArray(vec!["arn:aws:dynamodb:us-east-1:333333333333:table/t".into()]))
    );
    assert_eq!(
        ddb.resolve("BatchGetItem", &input, &cfg).unwrap().url,
        "https://333333333333.ddb.us-east-1.amazonaws.com"
    );
    // keys() keeps the caller's order, as botocore does.
    let input = params!({"RequestItems": {"zeta": {"Keys": []}, "alpha": {"Keys": []}}});
    let p = ddb.params_for("BatchGetItem", &input, &cfg).unwrap();
    assert_eq!(p.get("ResourceArnList"), Some(&ParamValue::StringArray(vec!["zeta".into(), "alpha".into()])));
    // Other paths go through JMESPath.
    let input = params!({"TransactItems": [{"Get": {"TableName": "t1"}}, {"Get": {"TableName": "t2"}}]});
    let p = ddb.params_for("TransactGetItems", &input, &cfg).unwrap();
    assert_eq!(p.get("ResourceArnList"), Some(&ParamValue::StringArray(vec!["t1".into(), "t2".into()])));
}

#[test]
fn builtins_by_name() {
    let mut b = BuiltIns::default();
    for name in BUILT_IN_NAMES {
        assert_eq!(b.get(name).unwrap(), None);
    }
    b.set("AWS::Region", Some("eu-west-1".into())).unwrap();
    b.set("AWS::S3::Accelerate", Some(true.into())).unwrap();
    assert_eq!(b.region.as_deref(), Some("eu-west-1"));
    assert_eq!(b.s3_accelerate, Some(true));
    assert!(b.set("AWS::UseFIPS", Some("yes".into())).is_err());
    assert!(matches!(b.get("AWS::Nope"), Err(EndpointError::UnknownBuiltIn(_))));
    b.set("AWS::Region", None).unwrap();
    assert_eq!(b.region, None);
}

#[test]
fn resolver_from_a_loader() {
    let loader = Loader::embedded_only();
    let model = loader.service_model("sts", None).unwrap();
    let r = EndpointResolver::with_loader(&loader, model).unwrap();
    assert!(Arc::ptr_eq(r.rule_set(), &RuleSet::for_service("sts").unwrap()));
    let config = EndpointConfig {
        builtins: BuiltIns { region: Some("eu-west-1".into()), ..BuiltIns::default() },
        ..EndpointConfig::default()
    };
    assert_eq!(
        r.resolve("GetCallerIdentity", &params!({}), &config).unwrap().url,
        "https://sts.eu-west-1.amazonaws.com"
    );
}

#[test]
fn rule_sets_are_cached_per_process() {
    let a = RuleSet::for_service("dynamodb").unwrap();
    let b = RuleSet::for_service("dynamodb").unwrap();
    assert!(Arc::ptr_eq(&a, &b));
}

#[test]
fn every_embedded_rule_set_prepares() {
    let loader = Loader::embedded_only();
    let services = loader.list_available_services("endpoint-rule-set-1").unwrap();
    assert!(services.len() > 400);
    for s in services {
        RuleSet::load(&loader, &s, None).unwrap_or_else(|e| panic!("{s}: {e}"));
    }
}

// ---- the conformance suites ----

#[test]
fn conformance_endpoint_rules() {
    let Some(dir) = crate::testing::conformance_dir("endpoint-rules") else { return };
    let reports = conformance::run_endpoint_tests(&dir, &mut EngineCalls::default(), |_| {}).unwrap();
    let failures: Vec<String> =
        reports.iter().flat_map(|r| r.failures.iter().map(move |f| format!("{}: {f}", r.name))).collect();
    let passed: usize = reports.iter().map(|r| r.passed).sum();
    assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), failures[..failures.len().min(30)].join("\n"));
    assert!(passed > 0, "no cases in {}", dir.display());
}

#[test]
fn conformance_rules_engine() {
    let Some(dir) = crate::testing::conformance_dir("endpoint-rules-engine") else { return };
    let reports = conformance::run_rules_engine_tests(&dir, |_| {}).unwrap();
    let failures: Vec<String> =
        reports.iter().flat_map(|r| r.failures.iter().map(move |f| format!("{}: {f}", r.name))).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(reports.iter().map(|r| r.passed).sum::<usize>() > 0, "no cases in {}", dir.display());
}

// ---- property test: mutated rule sets never panic ----

mod mutations {
    use proptest::prelude::*;
    use serde_json::{json, Value as Json};

    use super::super::*;

    /// Replacement nodes: other types, malformed calls, deep values.
    fn replacement() -> impl Strategy<Value = Json> {
        prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i64>().prop_map(Json::from),
            any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
            "[a-zA-Z{}#\\[\\]0-9.:/-]{0,12}".prop_map(Json::String),
            Just(json!("{Region}")),
            Just(json!("{PartitionResult#dnsSuffix}")),
            Just(json!("{Unclosed")),
            Just(json!({"ref": "Region"})),
            Just(json!({"ref": 5})),
            Just(json!({"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "name"]})),
            Just(json!({"fn": "getAttr", "argv": [{"ref": "Region"}, 7]})),
            Just(json!({"fn": "substring", "argv": [{"ref": "Bucket"}, -3, 99, true]})),
            Just(json!({"fn": "aws.parseArn", "argv": [{"ref": "Bucket"}], "assign": "Region"})),
            Just(json!({"fn": "nope", "argv": []})),
            Just(json!({"fn": "isSet"})),
            Just(json!([])),
            Just(json!({})),
            Just(json!({"type": "tree", "conditions": [], "rules": []})),
            Just(json!({"type": "error", "conditions": [], "error": {"ref": "Region"}})),
        ]
    }

    /// Every path into a JSON tree (object keys and array indexes).
    fn paths(v: &Json, here: &mut Vec<Json>, out: &mut Vec<Vec<Json>>) {
        out.push(here.clone());
        match v {
            Json::Object(o) => {
                for (k, x) in o {
                    here.push(Json::String(k.clone()));
                    paths(x, here, out);
                    here.pop();
                }
            }
            Json::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    here.push(Json::from(i));
                    paths(x, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }

    fn base() -> &'static (Json, Vec<Vec<Json>>) {
        static BASE: std::sync::OnceLock<(Json, Vec<Vec<Json>>)> = std::sync::OnceLock::new();
        BASE.get_or_init(|| {
            // S3's rule set is big; the route53 and dynamodb ones exercise
            // the common shapes. Use a mid-sized real one.
            let doc =
                crate::model::Loader::embedded_only().load_document("s3control", "endpoint-rule-set-1", None).unwrap();
            let mut out = Vec::new();
            paths(&doc, &mut Vec::new(), &mut out);
            ((*doc).clone(), out)
        })
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Replace(usize, Json),
        Drop(usize),
        Retype(usize),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (any::<usize>(), replacement()).prop_map(|(i, v)| Mutation::Replace(i, v)),
            any::<usize>().prop_map(Mutation::Drop),
            any::<usize>().prop_map(Mutation::Retype),
        ]
    }

    fn apply(doc: &mut Json, all: &[Vec<Json>], m: &Mutation) {
        let pick = |i: &usize| &all[i % all.len()];
        match m {
            Mutation::Replace(i, v) => {
                // Earlier mutations may have changed the tree under the path.
                if let Some(node) = try_node(doc, pick(i)) {
                    *node = v.clone();
                }
            }
            Mutation::Drop(i) => {
                let path = pick(i);
                if let Some((last, parent)) = path.split_last() {
                    // Earlier mutations may have changed the parent.
                    match (try_node(doc, parent), last) {
                        (Some(Json::Object(o)), Json::String(k)) => {
                            o.shift_remove(k);
                        }
                        (Some(Json::Array(a)), Json::Number(n)) => {
                            let n = n.as_u64().unwrap_or(0) as usize;
                            if n < a.len() {
                                a.remove(n);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Retype(i) => {
                if let Some(node) = try_node(doc, pick(i)) {
                    *node = match node.take() {
                        Json::String(s) => Json::Bool(s.len() % 2 == 0),
                        Json::Bool(b) => Json::String(b.to_string()),
                        Json::Array(a) => {
                            Json::Object(a.into_iter().enumerate().map(|(i, x)| (i.to_string(), x)).collect())
                        }
                        Json::Object(o) => Json::Array(o.into_iter().map(|(_, x)| x).collect()),
                        Json::Number(_) => Json::String("1".into()),
                        Json::Null => json!({}),
                    };
                }
            }
        }
    }

    fn try_node<'a>(mut v: &'a mut Json, path: &[Json]) -> Option<&'a mut Json> {
        for p in path {
            v = match (v, p) {
                (Json::Object(o), Json::String(k)) => o.get_mut(k)?,
                (Json::Array(a), Json::Number(i)) => a.get_mut(i.as_u64()? as usize)?,
                _ => return None,
            };
        }
        Some(v)
    }

    fn param_value() -> impl Strategy<Value = Json> {
        prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            "[a-z0-9.:/-]{0,20}".prop_map(Json::String),
            Just(json!(
                "arn:aws:s3-outposts:us-west-2:123456789012:outpost:op-01234567890123456:accesspoint:myaccesspoint"
            )),
            Just(json!("https://example.com:8443/path")),
            Just(json!("us-east-1")),
            Just(json!(["a", "b"])),
            any::<i64>().prop_map(Json::from),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn mutated_rule_sets_error_but_never_panic(
            mutations in proptest::collection::vec(mutation(), 1..6),
            values in proptest::collection::vec(("(Region|UseFIPS|UseDualStack|Endpoint|AccountId|Bucket|OutpostId|UseArnRegion|RequiresAccountId|AccessPointName|ResourceArn)", param_value()), 0..8),
        ) {
            let (base, all) = base();
            let mut doc = base.clone();
            for m in &mutations {
                apply(&mut doc, all, m);
            }
            let partitions = Partitions::embedded().unwrap();
            if let Ok(rs) = RuleSet::from_json(&doc, partitions) {
                let params: serde_json::Map<String, Json> = values.into_iter().collect();
                if let Err(e) = rs.resolve(&rs.params_from_json(&params)) {
                    prop_assert!(matches!(e, EndpointError::Resolution(_)), "{e}");
                    prop_assert!(!e.to_string().is_empty());
                }
            }
        }

        #[test]
        fn random_parameters_on_real_rule_sets(
            service in prop_oneof![Just("s3"), Just("s3control"), Just("dynamodb"), Just("sts"), Just("events")],
            values in proptest::collection::vec(("(Region|UseFIPS|UseDualStack|Endpoint|AccountId|Bucket|ForcePathStyle|Accelerate|UseArnRegion|UseGlobalEndpoint|ResourceArnList|AccountIdEndpointMode|EndpointId)", param_value()), 0..10),
        ) {
            let rs = RuleSet::for_service(service).unwrap();
            let params: serde_json::Map<String, Json> = values.into_iter().collect();
            if let Err(e) = rs.resolve(&rs.params_from_json(&params)) {
                prop_assert!(matches!(e, EndpointError::Resolution(_)), "{e}");
            }
        }
    }
}

#[test]
fn templated_properties_are_shared_while_equal() {
    let rs = RuleSet::for_service("s3").unwrap();
    let ep = |region: &str| {
        let mut p = rs.params();
        p.set("Region", region);
        p.set("Bucket", "my-bucket");
        rs.resolve(&p).unwrap()
    };
    let (a, b, c) = (ep("us-west-2"), ep("us-west-2"), ep("eu-west-1"));
    assert!(Arc::ptr_eq(&a.properties, &b.properties));
    assert_eq!(a.auth_schemes()[0].signing_region.as_deref(), Some("us-west-2"));
    assert_eq!(c.auth_schemes()[0].signing_region.as_deref(), Some("eu-west-1"));
    assert_eq!(ep("us-west-2").auth_schemes()[0].signing_region.as_deref(), Some("us-west-2"));
}

#[test]
fn shared_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<RuleSet>();
    check::<EndpointResolver>();
    check::<Endpoint>();
    check::<EndpointParams>();
    check::<EndpointError>();
}

#[test]
fn repeated_resolutions_come_from_the_cache() {
    let ddb = EndpointResolver::new(Loader::embedded_only().service_model("dynamodb", None).unwrap()).unwrap();
    let cfg = EndpointConfig {
        builtins: BuiltIns { region: Some("us-east-1".into()), ..BuiltIns::default() },
        ..EndpointConfig::default()
    };
    let input = params!({"TableName": "t", "Key": {"id": {"S": "1"}}});
    let first = ddb.resolve("GetItem", &input, &cfg).unwrap();
    let params = ddb.params_for("GetItem", &input, &cfg).unwrap();
    assert!(super::params::cache_key(&params).is_some(), "{params:?}");
    assert_eq!(ddb.cached_endpoints(), 1);
    let second = ddb.resolve("GetItem", &input, &cfg).unwrap();
    assert_eq!(first.url, second.url);
    assert_eq!(ddb.cached_endpoints(), 1);
    // Another table name is another key.
    ddb.resolve("GetItem", &params!({"TableName": "u", "Key": {}}), &cfg).unwrap();
    assert_eq!(ddb.cached_endpoints(), 2);
}

#[test]
fn cache_keys_tell_which_parameter_holds_a_value() {
    let s3 = EndpointResolver::new(Loader::embedded_only().service_model("s3", None).unwrap()).unwrap();
    let params = |json: serde_json::Value| s3.rule_set().params_from_json(json.as_object().unwrap());
    let key = |json| super::params::cache_key(&params(json)).unwrap();
    // The same text in another parameter, or a boolean instead of a string, is another key.
    assert_ne!(key(serde_json::json!({"Bucket": "x"})), key(serde_json::json!({"Region": "x"})));
    assert_ne!(
        key(serde_json::json!({"Bucket": "ab", "Key": "c"})),
        key(serde_json::json!({"Bucket": "a", "Key": "bc"}))
    );
    assert_ne!(key(serde_json::json!({"UseFIPS": true})), key(serde_json::json!({"UseFIPS": false})));
    assert_eq!(key(serde_json::json!({"Bucket": "x"})), key(serde_json::json!({"Bucket": "x"})));
}
