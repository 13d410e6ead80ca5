//! The CBOR decoder against the shared vectors (`conformance/cbor`, as
//! botocore's `tests/unit/cbor`): every success vector decodes to the
//! expected item, every error vector is refused, by the generic decoder
//! and by the typed response parser alike, without panicking.
//!
//! Unlike botocore we run all vectors: the tag cases (botocore supports
//! only tag 1) and the null map values (which its typed parser drops) are
//! decoded as they are written.

use std::collections::BTreeMap;

use boto_core::model::ServiceModel;
use boto_core::protocol::parse::cbor::{decode_item, Item};
use boto_core::protocol::parse::{parse, Parsed};
use boto_core::HttpResponse;
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
struct Case {
    description: String,
    input: String,
    expect: Option<Box<RawValue>>,
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex input")).collect()
}

/// Numbers are read from the raw text: the vectors hold integers beyond
/// what an f64 keeps exactly.
fn int(raw: &RawValue) -> i128 {
    raw.get().trim().parse().unwrap_or_else(|_| panic!("not an integer: {}", raw.get()))
}

/// Checks `item` against an expectation such as `{"uint": 1}`.
fn check(item: &Item, expect: &RawValue) -> Result<(), String> {
    let expect: BTreeMap<String, Box<RawValue>> =
        serde_json::from_str(expect.get()).map_err(|e| format!("bad expectation: {e}"))?;
    let (kind, value) = expect.iter().next().ok_or("empty expectation")?;
    let fail = || Err(format!("decoded {item:?}, expected {kind}: {}", value.get()));
    match (kind.as_str(), item) {
        ("uint", Item::Unsigned(n)) if i128::from(*n) == int(value) => Ok(()),
        ("negint", Item::Negative(n)) if -1 - i128::from(*n) == int(value) => Ok(()),
        ("bytestring", Item::Bytes(b)) if *b == serde_json::from_str::<Vec<u8>>(value.get()).unwrap() => Ok(()),
        ("string", Item::Text(s)) if *s == serde_json::from_str::<String>(value.get()).unwrap() => Ok(()),
        ("bool", Item::Bool(b)) if *b == serde_json::from_str::<bool>(value.get()).unwrap() => Ok(()),
        ("null", Item::Null) => Ok(()),
        ("undefined", Item::Undefined) => Ok(()),
        ("float32", Item::Float32(x)) if i128::from(x.to_bits()) == int(value) => Ok(()),
        ("float64", Item::Float64(x)) if i128::from(x.to_bits()) == int(value) => Ok(()),
        ("list", Item::Array(items)) => {
            let expected: Vec<Box<RawValue>> = serde_json::from_str(value.get()).unwrap();
            if items.len() != expected.len() {
                return fail();
            }
            items.iter().zip(&expected).try_for_each(|(i, e)| check(i, e))
        }
        ("map", Item::Map(entries)) => {
            let expected: BTreeMap<String, Box<RawValue>> = serde_json::from_str(value.get()).unwrap();
            if entries.len() != expected.len() {
                return fail();
            }
            for (k, v) in entries {
                let Item::Text(k) = k else { return fail() };
                check(v, expected.get(k).ok_or_else(|| format!("unexpected key {k}"))?)?;
            }
            Ok(())
        }
        ("tag", Item::Tag(id, inner)) => {
            #[derive(Deserialize)]
            struct Tag {
                id: Box<RawValue>,
                value: Box<RawValue>,
            }
            let tag: Tag = serde_json::from_str(value.get()).unwrap();
            if i128::from(*id) != int(&tag.id) {
                return fail();
            }
            check(inner, &tag.value)
        }
        _ => fail(),
    }
}

/// A one-operation smithy-rpc-v2-cbor service whose output has a document
/// member, to push the error vectors through the typed parser.
fn cbor_service() -> ServiceModel {
    let doc = serde_json::json!({
        "metadata": {"protocol": "smithy-rpc-v2-cbor", "protocols": ["smithy-rpc-v2-cbor"], "apiVersion": "2020-01-01",
                     "targetPrefix": "Svc"},
        "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"},
                              "output": {"shape": "Out"}}},
        "shapes": {
            "Out": {"type": "structure", "members": {"doc": {"shape": "Doc"}, "n": {"shape": "Long"}}},
            "Doc": {"type": "structure", "members": {}, "document": true},
            "Long": {"type": "long"}
        }
    });
    ServiceModel::from_bytes("svc", "2020-01-01", "test", serde_json::to_vec(&doc).unwrap()).unwrap()
}

fn load(dir: &std::path::Path, file: &str) -> Vec<Case> {
    serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap()
}

#[test]
fn decode_success_vectors() {
    let Some(dir) = boto_core::testing::conformance_dir("cbor") else { return };
    let cases = load(&dir, "decode-success-tests.json");
    let mut failures = Vec::new();
    for case in &cases {
        let expect = case.expect.as_ref().expect("success vectors have an expectation");
        let outcome = decode_item(&hex(&case.input)).map_err(|e| e.to_string()).and_then(|item| check(&item, expect));
        if let Err(why) = outcome {
            failures.push(format!("  FAIL {} ({}): {why}", case.description, case.input));
        }
    }
    println!("cbor decode-success: {} passed, {} failed", cases.len() - failures.len(), failures.len());
    for f in &failures {
        println!("{f}");
    }
    assert!(failures.is_empty());
    assert_eq!(cases.len(), 151);
}

#[test]
fn decode_error_vectors() {
    let Some(dir) = boto_core::testing::conformance_dir("cbor") else { return };
    let cases = load(&dir, "decode-error-tests.json");
    let model = cbor_service();
    let op = model.operation("Op").unwrap().unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let bytes = hex(&case.input);
        if let Ok(item) = decode_item(&bytes) {
            failures.push(format!("  FAIL {} ({}): decoded {item:?}", case.description, case.input));
        }
        // As a whole response body, and as the value of a document member.
        let mut wrapped = vec![0xa1, 0x63, b'd', b'o', b'c'];
        wrapped.extend_from_slice(&bytes);
        for body in [bytes.clone(), wrapped] {
            let response = HttpResponse { status: 200, body: body.into(), ..Default::default() };
            match parse(&model, op, response) {
                Err(e) => assert!(e.to_string().contains("Op") && e.location.starts_with("byte "), "{e}"),
                Ok(Parsed::Ok(v)) => failures.push(format!("  FAIL {} ({}): parsed {v}", case.description, case.input)),
                Ok(Parsed::Err(e)) => failures.push(format!("  FAIL {}: error {}", case.description, e.code)),
            }
        }
    }
    println!("cbor decode-error: {} passed, {} failed", cases.len() - failures.len(), failures.len());
    for f in &failures {
        println!("{f}");
    }
    assert!(failures.is_empty());
    assert_eq!(cases.len(), 56);
}
