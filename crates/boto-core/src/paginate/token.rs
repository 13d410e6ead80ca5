//! botocore's resume tokens (`TokenEncoder`/`TokenDecoder`): the service
//! tokens as a JSON object, written exactly as Python's `json.dumps`
//! writes it, then base64. Blobs are base64 text inside, their paths
//! listed under `boto_encoded_keys`. A token from boto3 resumes here and
//! the other way round.

use base64::Engine as _;

use crate::value::{python_json, Map, Value};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The key botocore uses to list the paths of base64-encoded blobs.
pub const ENCODED_KEYS: &str = "boto_encoded_keys";

/// The key botocore uses for the items of a page already returned.
pub const TRUNCATE_AMOUNT: &str = "boto_truncate_amount";

/// A path step of `boto_encoded_keys`.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn find_blobs(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Blob(_) => out.push(path.clone()),
        Value::List(l) => {
            for (i, x) in l.iter().enumerate() {
                path.push(Step::Index(i));
                find_blobs(x, path, out);
                path.pop();
            }
        }
        Value::Map(m) => {
            for (k, x) in m {
                path.push(Step::Key(k.clone()));
                find_blobs(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Encodes a token map as botocore's `TokenEncoder.encode` does.
///
/// ```
/// use boto_core::paginate::token::{decode, encode};
/// use boto_core::{params, Value};
/// let mut t = boto_core::Map::new();
/// t.insert("Marker".into(), Value::from("abc"));
/// t.insert("boto_truncate_amount".into(), Value::Int(2));
/// let s = encode(&t);
/// // base64 of {"Marker": "abc", "boto_truncate_amount": 2}, as boto3 writes it
/// assert_eq!(s, "eyJNYXJrZXIiOiAiYWJjIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMn0=");
/// assert_eq!(decode(&s), Some(Ok(t)));
/// ```
pub fn encode(token: &Map) -> String {
    let value = Value::Map(token.clone());
    let mut blobs = Vec::new();
    find_blobs(&value, &mut Vec::new(), &mut blobs);
    let mut json = String::new();
    if blobs.is_empty() {
        py_dumps(&value, &mut json);
    } else {
        let mut map = token.clone();
        let keys: Vec<Value> = blobs
            .iter()
            .map(|p| {
                Value::List(
                    p.iter()
                        .map(|s| match s {
                            Step::Key(k) => Value::String(k.clone()),
                            Step::Index(i) => Value::Int(*i as i64),
                        })
                        .collect(),
                )
            })
            .collect();
        map.insert(ENCODED_KEYS.into(), Value::List(keys));
        py_dumps(&Value::Map(map), &mut json);
    }
    B64.encode(json.as_bytes())
}

/// Decodes a token as botocore's `TokenDecoder.decode` does: `None` when
/// the text is not base64 of JSON (botocore then tries its older
/// `a___b___3` format), `Some(Err)` when it is JSON but not an object or
/// its `boto_encoded_keys` do not fit.
pub fn decode(token: &str) -> Option<Result<Map, String>> {
    // Python's b64decode drops characters outside the alphabet first.
    let cleaned: String = token.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')).collect();
    let bytes = B64.decode(cleaned.as_bytes()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let serde_json::Value::Object(obj) = json else {
        return Some(Err(format!("Bad starting token: {token}")));
    };
    let mut map: Map = obj.into_iter().map(|(k, v)| (k, Value::from(v))).collect();
    let Some(keys) = map.shift_remove(ENCODED_KEYS) else { return Some(Ok(map)) };
    let mut value = Value::Map(map);
    for path in keys.as_list().unwrap_or(&[]) {
        if let Err(e) = decode_at(&mut value, path.as_list().unwrap_or(&[])) {
            return Some(Err(format!("Bad starting token: {token}: {e}")));
        }
    }
    match value {
        Value::Map(m) => Some(Ok(m)),
        _ => Some(Err(format!("Bad starting token: {token}"))),
    }
}

fn decode_at(value: &mut Value, path: &[Value]) -> Result<(), String> {
    let mut cur = value;
    for step in path {
        cur = match (step, cur) {
            (Value::String(k), Value::Map(m)) => m.get_mut(k.as_str()).ok_or_else(|| format!("no key {k:?}"))?,
            (Value::Int(i), Value::List(l)) => {
                l.get_mut(usize::try_from(*i).map_err(|_| "bad index")?).ok_or("index out of range")?
            }
            _ => return Err("path does not fit".into()),
        };
    }
    let text = cur.as_str().ok_or("encoded value is not text")?;
    let bytes = B64.decode(text.as_bytes()).map_err(|e| e.to_string())?;
    *cur = Value::Blob(bytes.into());
    Ok(())
}

/// Writes `v` as Python's `json.dumps(v)` does with its defaults: `", "`
/// and `": "` separators, non-ASCII as `\uXXXX`. Timestamps (which
/// Python cannot dump) are written as their ISO 8601 text.
pub fn py_dumps(v: &Value, out: &mut String) {
    match v {
        Value::Null | Value::Stream(_) => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Number(n) => out.push_str(n),
        Value::Float(f) => out.push_str(&py_float(*f)),
        Value::String(s) => python_json::write_str(s, out),
        Value::Blob(_) | Value::Timestamp(_) => match v.to_json() {
            serde_json::Value::String(s) => python_json::write_str(&s, out),
            _ => out.push_str("null"),
        },
        Value::List(l) => {
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                py_dumps(x, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_json::write_str(k, out);
                out.push_str(": ");
                py_dumps(x, out);
            }
            out.push('}');
        }
    }
}

/// Python's `repr` of a float, as `json.dumps` writes it.
fn py_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // Python: shortest digits, exponent with a sign and two digits.
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    let s = format!("{f}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}
