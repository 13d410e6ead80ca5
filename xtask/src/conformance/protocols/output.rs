//! Output cases: parse `response` and compare with `result` or the error.
//!
//! As botocore's `test_output_compliance`: a query output with members gets
//! the `resultWrapper` `<Operation>Result`; a query response without a body
//! is `<xml/>`; CBOR and event-stream bodies are base64. Results are
//! compared without `ResponseMetadata`, with timestamps as epoch seconds,
//! blobs as UTF-8 text and special floats as `"NaN"`, `"Infinity"`,
//! `"-Infinity"`; errors as `errorCode`, `errorMessage` and the modeled
//! members in `error`.

use base64::Engine as _;
use boto_core::model::ServiceModel;
use boto_core::protocol::parse::{self, Parsed};
use boto_core::{HttpResponse, Value};
use serde_json::{json, Value as Json};

use super::Case;

pub fn run_case(case: &Case<'_>) -> Result<(), String> {
    let c = case.case;
    let protocol = case.suite["metadata"]["protocol"].as_str().unwrap_or_default();
    let rebuilt;
    let mut model = &case.model;
    if protocol == "query" && c.get("error").is_none() {
        if let Some(m) = with_result_wrapper(case)? {
            rebuilt = m;
            model = &rebuilt;
        }
    }
    let op = model
        .operation(&case.operation)
        .map_err(|e| format!("model: {e}"))?
        .ok_or_else(|| format!("no operation {}", case.operation))?;
    let response = build_response(c, protocol, parse::has_event_stream_output(model, op))?;
    // The suites give header names as a case-preserving HTTP/1.1 client
    // reads them.
    let options = parse::ParseOptions {
        original_header_names: c["response"]["headers"]
            .as_object()
            .map(|h| h.keys().cloned().collect())
            .unwrap_or_default(),
        ..Default::default()
    };
    let parsed = parse::parse_with(model, op, response, &options).map_err(|e| format!("parse failed: {e}"))?;
    match (c.get("error"), parsed) {
        (Some(expected), Parsed::Err(err)) => {
            let expected = json!({
                "Code": c.get("errorCode").cloned().unwrap_or(json!("")),
                "Message": c.get("errorMessage").cloned().unwrap_or(json!("")),
                "fields": expected,
            });
            let actual = json!({"Code": err.code, "Message": err.message, "fields": normalize(&err.fields)});
            compare(&actual, &expected)
        }
        (Some(_), Parsed::Ok(v)) => Err(format!("expected an error, got a result: {}", normalize(&v))),
        (None, Parsed::Err(err)) => Err(format!("expected a result, got error {} ({:?})", err.code, err.message)),
        (None, Parsed::Ok(mut v)) => {
            let metadata = v.remove("ResponseMetadata");
            if metadata.is_none() {
                return Err("the result has no ResponseMetadata".into());
            }
            compare(&normalize(&v), c.get("result").unwrap_or(&json!({})))
        }
    }
}

/// The case's service again with `resultWrapper: <Operation>Result` on the
/// output, when the output has members (botocore's runner does this).
fn with_result_wrapper(case: &Case<'_>) -> Result<Option<ServiceModel>, String> {
    let mut given = case.case["given"].clone();
    let Some(shape_name) = given["output"]["shape"].as_str().map(str::to_owned) else { return Ok(None) };
    let has_members = case.suite["shapes"][&shape_name]["members"].as_object().is_some_and(|m| !m.is_empty());
    if !has_members {
        return Ok(None);
    }
    given["output"]["resultWrapper"] = json!(format!("{}Result", case.operation));
    let doc = json!({
        "metadata": case.suite["metadata"],
        "operations": { case.operation.clone(): given },
        "shapes": case.suite.get("shapes").cloned().unwrap_or_else(|| json!({})),
    });
    let bytes = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
    ServiceModel::from_bytes("conformance", "2000-01-01", "query-wrapper", bytes)
        .map(Some)
        .map_err(|e| format!("model: {e}"))
}

fn build_response(c: &Json, protocol: &str, event_stream: bool) -> Result<HttpResponse, String> {
    let r = &c["response"];
    let status = r["status_code"].as_u64().ok_or("response without status_code")? as u16;
    let mut headers = http::HeaderMap::new();
    for (name, value) in r["headers"].as_object().into_iter().flatten() {
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| format!("header {name}: {e}"))?;
        let value = http::HeaderValue::from_str(value.as_str().unwrap_or_default())
            .map_err(|e| format!("header {name}: {e}"))?;
        headers.append(name, value);
    }
    let body: Vec<u8> = match r["body"].as_str() {
        Some(text) if protocol == "smithy-rpc-v2-cbor" || event_stream => {
            base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| format!("base64 body: {e}"))?
        }
        Some(text) => text.as_bytes().to_vec(),
        None if protocol == "query" => b"<xml/>".to_vec(),
        None => Vec::new(),
    };
    Ok(HttpResponse { status, headers, body: body.into() })
}

/// A result in the suites' conventions.
fn normalize(v: &Value) -> Json {
    match v {
        Value::Null | Value::Stream(_) => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(x) if x.is_nan() => json!("NaN"),
        Value::Float(x) if x.is_infinite() => json!(if *x > 0.0 { "Infinity" } else { "-Infinity" }),
        Value::Float(x) => json!(x),
        Value::Number(n) => {
            n.parse::<i64>().map(Json::from).or_else(|_| n.parse::<f64>().map(Json::from)).unwrap_or(json!(n))
        }
        Value::String(s) => json!(s),
        Value::Blob(b) => json!(String::from_utf8_lossy(b)),
        Value::Timestamp(t) => {
            let nanos = t.unix_timestamp_nanos();
            if nanos % 1_000_000_000 == 0 {
                json!(nanos / 1_000_000_000)
            } else {
                json!(nanos as f64 / 1e9)
            }
        }
        Value::List(l) => Json::Array(l.iter().map(normalize).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), normalize(v))).collect()),
    }
}

fn compare(actual: &Json, expected: &Json) -> Result<(), String> {
    let mut diffs = Vec::new();
    diff("$", actual, expected, &mut diffs);
    if diffs.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}\n    expected: {}\n    actual:   {}",
        diffs.iter().map(|d| format!("\n    {d}")).collect::<String>(),
        expected,
        actual
    ))
}

fn numbers_match(a: &serde_json::Number, e: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), e.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), e.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), e.as_f64()) {
        (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-6_f64.max(y.abs() * 1e-12),
        _ => false,
    }
}

fn diff(path: &str, a: &Json, e: &Json, out: &mut Vec<String>) {
    match (a, e) {
        (Json::Object(am), Json::Object(em)) => {
            for (k, ev) in em {
                match am.get(k) {
                    Some(av) => diff(&format!("{path}.{k}"), av, ev, out),
                    None => out.push(format!("{path}.{k}: missing (expected {ev})")),
                }
            }
            for k in am.keys().filter(|k| !em.contains_key(*k)) {
                out.push(format!("{path}.{k}: unexpected {}", am[k]));
            }
        }
        (Json::Array(al), Json::Array(el)) => {
            if al.len() != el.len() {
                out.push(format!("{path}: {} items, expected {}", al.len(), el.len()));
            }
            for (i, (av, ev)) in al.iter().zip(el).enumerate() {
                diff(&format!("{path}[{i}]"), av, ev, out);
            }
        }
        (Json::Number(x), Json::Number(y)) if numbers_match(x, y) => {}
        _ if a == e => {}
        _ => out.push(format!("{path}: {a}, expected {e}")),
    }
}
