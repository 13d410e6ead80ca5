use std::collections::BTreeMap;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use time::macros::datetime;

use crate::{from_value, params, to_value, Body, Map, Value};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct User {
    id: String,
    age: u8,
    score: f64,
    big: u64,
    huge: i128,
    tags: Vec<String>,
    nick: Option<String>,
    #[serde(with = "serde_bytes_like")]
    avatar: Vec<u8>,
    kind: Kind,
    attrs: BTreeMap<String, i32>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Kind {
    Admin,
    Guest { since: u32 },
    Named(String),
}

/// `serde_bytes` without the crate: serialize as bytes, read bytes back.
mod serde_bytes_like {
    pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
        }
        d.deserialize_bytes(V)
    }
}

fn user() -> User {
    User {
        id: "u-1".into(),
        age: 42,
        score: 0.5,
        big: u64::MAX,
        huge: -170141183460469231731687303715884105728,
        tags: vec!["a".into(), "b".into()],
        nick: None,
        avatar: vec![0, 255, 7],
        kind: Kind::Guest { since: 2020 },
        attrs: [("x".to_string(), 1)].into(),
    }
}

#[test]
fn serde_round_trip_keeps_every_kind() {
    let v = to_value(&user()).unwrap();
    assert_eq!(v["id"].as_str(), Some("u-1"));
    assert_eq!(v["big"], Value::Number(u64::MAX.to_string()));
    assert_eq!(v["huge"], Value::Number("-170141183460469231731687303715884105728".into()));
    assert_eq!(v["avatar"], Value::blob(vec![0u8, 255, 7]));
    assert!(v["nick"].is_null());
    assert_eq!(v["kind"]["Guest"]["since"].as_i64(), Some(2020));
    let keys: Vec<&str> = v.as_map().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys[..3], ["id", "age", "score"], "field order is kept");
    let back: User = from_value(v).unwrap();
    assert_eq!(back, user());
}

#[test]
fn plain_vec_u8_reads_from_a_blob() {
    let v: Vec<u8> = from_value(Value::blob(&b"hi"[..])).unwrap();
    assert_eq!(v, b"hi");
}

#[test]
fn timestamps_read_as_rfc3339() {
    #[derive(Deserialize)]
    struct T {
        #[serde(with = "time::serde::rfc3339")]
        at: time::OffsetDateTime,
        text: String,
    }
    let at = datetime!(2024-02-29 12:30:45.123456789 UTC);
    let v = params!({ "at": at, "text": at });
    let t: T = from_value(v).unwrap();
    assert_eq!(t.at, at);
    assert_eq!(t.text, "2024-02-29T12:30:45.123456789Z");
}

#[test]
fn conversion_errors_are_errors() {
    #[derive(Debug, Deserialize)]
    struct Need {
        #[allow(dead_code)]
        n: u8,
    }
    let err = from_value::<Need>(params!({ "n": 300 })).unwrap_err();
    assert!(err.to_string().contains("300"), "{err}");
    let err = from_value::<Need>(params!({ "n": "x" })).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
    let err = from_value::<Need>(Value::Stream(Body::from("x"))).unwrap_err();
    assert!(err.to_string().contains("stream"), "{err}");
}

#[test]
fn params_macro_handles_expressions_and_nesting() {
    let name = "t";
    let n: i64 = -3;
    let key = String::from("dyn");
    let v = params!({
        "TableName": name,
        "N": n * 2,
        "Neg": -1,
        "F": 1.5,
        "List": [1, "two", [3], { "four": 4 }, null],
        (key.clone()): true,
        "Opt": Some(5),
        "None": Option::<i32>::None,
        "Empty": {},
        "EmptyList": [],
    });
    assert_eq!(v["TableName"].as_str(), Some("t"));
    assert_eq!(v["N"].as_i64(), Some(-6));
    assert_eq!(v["Neg"].as_i64(), Some(-1));
    assert_eq!(v["F"].as_f64(), Some(1.5));
    assert_eq!(v["List"][1].as_str(), Some("two"));
    assert_eq!(v["List"][2][0].as_i64(), Some(3));
    assert_eq!(v["List"][3]["four"].as_i64(), Some(4));
    assert!(v["List"][4].is_null());
    assert_eq!(v["dyn"].as_bool(), Some(true));
    assert_eq!(v["Opt"].as_i64(), Some(5));
    assert!(v["None"].is_null());
    assert_eq!(v["Empty"], Value::Map(Map::new()));
    assert_eq!(v["EmptyList"], Value::List(vec![]));
    assert!(v["nope"]["deeper"][3].is_null(), "missing paths read as null");
}

#[test]
fn special_floats_and_exact_numbers() {
    assert_eq!(Value::Float(f64::NAN), Value::Float(f64::NAN));
    let v = params!({ "nan": f64::NAN, "inf": f64::INFINITY, "ninf": f64::NEG_INFINITY, "n": Value::Number("123456789012345678901234567890".into()) });
    let json = v.to_json();
    assert_eq!(json["nan"], "NaN");
    assert_eq!(json["inf"], "Infinity");
    assert_eq!(json["ninf"], "-Infinity");
    assert_eq!(json["n"], "123456789012345678901234567890", "beyond 64 bits: exact text");
    let text =
        serde_json::to_string(&params!({ "n": Value::Number("-170141183460469231731687303715884105728".into()) }))
            .unwrap();
    assert_eq!(text, r#"{"n":-170141183460469231731687303715884105728}"#, "JSON writers get the exact number");
    let back: f64 = from_value(Value::String("-Infinity".into())).unwrap();
    assert_eq!(back, f64::NEG_INFINITY);
}

#[test]
fn json_display_uses_base64_and_iso8601() {
    let v = params!({ "b": Bytes::from_static(b"hello"), "t": datetime!(2015-01-25 08:00:00.5 UTC) });
    assert_eq!(v.to_string(), r#"{"b":"aGVsbG8=","t":"2015-01-25T08:00:00.5Z"}"#);
}

#[test]
fn from_json_and_mutation() {
    let mut v = Value::from(serde_json::json!({ "a": [1, 2.5, "x", 18446744073709551615u64], "b": { "c": null } }));
    assert_eq!(v["a"][0], Value::Int(1));
    assert_eq!(v["a"][1], Value::Float(2.5));
    assert_eq!(v["a"][3], Value::Number("18446744073709551615".into()));
    v["b"]["d"] = Value::from("new");
    assert_eq!(v.pointer(&["b", "d"]).and_then(Value::as_str), Some("new"));
    assert_eq!(v.remove("a").and_then(|a| a.as_list().map(<[Value]>::len)), Some(4));
    let mut n = Value::Null;
    n.insert("k", 1);
    assert_eq!(n["k"].as_i64(), Some(1));
}

#[test]
fn debug_is_compact_and_never_dumps_blobs() {
    let v = params!({ "b": Value::blob(vec![0u8; 4096]), "s": "x" });
    let dbg = format!("{v:?}");
    assert!(dbg.contains("Blob(4096 bytes)"), "{dbg}");
    assert!(dbg.len() < 100, "{dbg}");
}
