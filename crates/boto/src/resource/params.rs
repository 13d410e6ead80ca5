//! Building request parameters from a resource (boto3's
//! `create_request_parameters` and `build_param_structure`) and merging
//! user parameters (`merge_dicts` with list appending).

use boto_core::{Map, Value};

use crate::error::Error;

/// Sets `value` at `target` inside `params` (a map), creating the
/// structures and lists on the way, as boto3's `build_param_structure`:
///
/// * `A.B` nests structures;
/// * `A[0]` sets (or extends the list to) index 0;
/// * `A[]` appends;
/// * `A[*]` uses `index`, the position of the resource in a batch.
///
/// An explicit index also becomes the index for later `[*]` parts, as in
/// boto3.
pub(crate) fn build_param_structure(
    params: &mut Value,
    target: &str,
    value: Value,
    index: Option<usize>,
) -> Result<(), Error> {
    if params.is_null() {
        *params = Value::map();
    }
    let parts: Vec<&str> = target.split('.').collect();
    set_at(params, &parts, value, index)
        .map_err(|why| Error::InvalidParams(format!("cannot set parameter {target:?}: {why}")))
}

fn set_at(pos: &mut Value, parts: &[&str], value: Value, mut index: Option<usize>) -> Result<(), &'static str> {
    let Some((part, rest)) = parts.split_first() else { return Ok(()) };
    let last = rest.is_empty();
    let map = pos.as_map_mut().ok_or("a parent is not a structure")?;
    match part.find('[').filter(|_| part.ends_with(']')) {
        Some(open) => {
            let inner = &part[open + 1..part.len() - 1];
            let name = &part[..open];
            if inner.is_empty() {
                index = None;
            } else if inner != "*" {
                index = Some(inner.parse().map_err(|_| "bad list index")?);
            }
            let entry = map.entry(name.to_owned()).or_insert_with(|| Value::List(Vec::new()));
            if !matches!(entry, Value::List(_)) {
                *entry = Value::List(Vec::new());
            }
            let Value::List(list) = entry else { return Err("not a list") };
            let at = index.unwrap_or(list.len());
            if at > 100_000 {
                return Err("list index out of range");
            }
            while list.len() <= at {
                list.push(Value::map());
            }
            if last {
                list[at] = value;
                Ok(())
            } else {
                set_at(&mut list[at], rest, value, index)
            }
        }
        None => {
            let entry = map.entry((*part).to_owned()).or_insert_with(Value::map);
            if last {
                *entry = value;
                Ok(())
            } else {
                set_at(entry, rest, value, index)
            }
        }
    }
}

/// Deep-merges `from` into `into` (botocore's `merge_dicts` with
/// `append_lists=True`): maps merge key by key, lists present on both sides
/// are concatenated, anything else is replaced.
pub(crate) fn merge_params(into: &mut Map, from: &Map) {
    for (k, v) in from {
        match (into.get_mut(k), v) {
            (Some(Value::Map(a)), Value::Map(b)) => merge_params(a, b),
            (Some(Value::List(a)), Value::List(b)) => a.extend(b.iter().cloned()),
            _ => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

/// The user's parameters as a map; `Null` is an empty map.
pub(crate) fn user_params(params: Value) -> Result<Map, Error> {
    match params {
        Value::Null => Ok(Map::new()),
        Value::Map(m) => Ok(m),
        other => Err(Error::InvalidParams(format!("parameters must be a map, not a {}", other.kind()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_core::params;

    fn build(targets: &[(&str, Value, Option<usize>)]) -> Value {
        let mut p = Value::map();
        for (t, v, i) in targets {
            build_param_structure(&mut p, t, v.clone(), *i).unwrap();
        }
        p
    }

    #[test]
    fn structures_lists_and_indexes() {
        // Vectors from boto3's tests/unit/resources/test_params.py.
        assert_eq!(build(&[("foo", params!(123), None)]), params!({ "foo": 123 }));
        assert_eq!(build(&[("foo.bar.baz", params!(123), None)]), params!({ "foo": { "bar": { "baz": 123 } } }));
        assert_eq!(build(&[("foo.bar[0].baz", params!(123), None)]), params!({ "foo": { "bar": [ { "baz": 123 } ] } }));
        assert_eq!(
            build(&[("foo.bar[1].baz", params!(123), None)]),
            params!({ "foo": { "bar": [ {}, { "baz": 123 } ] } })
        );
        assert_eq!(build(&[("foo.bar[0]", params!(123), None)]), params!({ "foo": { "bar": [123] } }));
        assert_eq!(build(&[("foo.bar[]", params!(123), None)]), params!({ "foo": { "bar": [123] } }));
        assert_eq!(
            build(&[("foo.bar[]", params!(123), None), ("foo.bar[]", params!(456), None)]),
            params!({ "foo": { "bar": [123, 456] } })
        );
        assert_eq!(
            build(&[("foo.bar[*].baz", params!(123), Some(0)), ("foo.bar[*].baz", params!(456), Some(1))]),
            params!({ "foo": { "bar": [ { "baz": 123 }, { "baz": 456 } ] } })
        );
        assert_eq!(
            build(&[("Filters[0].Name", params!("vpc-id"), None), ("Filters[0].Values[0]", params!("vpc-1"), None)]),
            params!({ "Filters": [ { "Name": "vpc-id", "Values": ["vpc-1"] } ] })
        );
        assert_eq!(build(&[("foo[2]", params!("test"), None)]), params!({ "foo": [ {}, {}, "test" ] }));
        let mut p = params!({ "foo": [ { "key": "abc" } ] });
        build_param_structure(&mut p, "foo[0].secret", params!(123), None).unwrap();
        assert_eq!(p, params!({ "foo": [ { "key": "abc", "secret": 123 } ] }));
        assert_eq!(
            build(&[
                ("foo[*].bar", params!(123), Some(0)),
                ("foo[*].baz", params!(456), Some(0)),
                ("foo[*].bar", params!(789), Some(1)),
                ("foo[*].baz", params!(123), Some(1)),
            ]),
            params!({ "foo": [ { "bar": 123, "baz": 456 }, { "bar": 789, "baz": 123 } ] })
        );
        // A scalar in the way is an error, not a panic.
        let mut p = params!({ "a": 1 });
        assert!(build_param_structure(&mut p, "a.b", params!(2), None).is_err());
    }

    #[test]
    fn merge_appends_lists() {
        let mut a = params!({ "Filters": [ { "Name": "a" } ], "X": { "Y": 1 }, "Z": 1 });
        let b = params!({ "Filters": [ { "Name": "b" } ], "X": { "W": 2 }, "Z": 2 });
        merge_params(a.as_map_mut().unwrap(), b.as_map().unwrap());
        assert_eq!(a, params!({ "Filters": [ { "Name": "a" }, { "Name": "b" } ], "X": { "Y": 1, "W": 2 }, "Z": 2 }));
    }
}
