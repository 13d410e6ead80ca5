//! The JMESPath subset resource models use for response, data and request
//! parameter paths (`Reservations[].Instances[].InstanceId`, `Stacks[0]`,
//! `@`), evaluated directly on [`Value`]s so blobs, timestamps and exact
//! numbers keep their types.
//!
//! Grammar: `path := "@" | "$" | segment ("." segment)*`, `segment := name
//! bracket*`, `bracket := "[" integer "]" | "[]"`. Semantics follow
//! JMESPath: a field of a non-map is null, `[n]` indexes (negative from the
//! end), `[]` flattens one level and projects the rest of the path (up to
//! the next `[]`) over the elements, dropping nulls.

use boto_core::Value;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Field(String),
    Index(i64),
    Flatten,
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Path {
    steps: Vec<Step>,
}

/// A path that is not in the supported subset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported path expression {path:?}: {reason}")]
pub struct PathError {
    /// The path.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

impl Path {
    /// Parses a path.
    pub(crate) fn parse(text: &str) -> Result<Path, PathError> {
        let err = |reason: &str| PathError { path: text.to_owned(), reason: reason.to_owned() };
        let text_trim = text.trim();
        if text_trim == "@" || text_trim == "$" || text_trim.is_empty() {
            return Ok(Path { steps: Vec::new() });
        }
        let mut steps = Vec::new();
        for segment in text_trim.split('.') {
            let (name, mut rest) = match segment.find('[') {
                Some(i) => (&segment[..i], &segment[i..]),
                None => (segment, ""),
            };
            if name.is_empty() && steps.is_empty() && rest.is_empty() {
                return Err(err("empty segment"));
            }
            if !name.is_empty() {
                if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(err("field names are letters, digits and underscores"));
                }
                steps.push(Step::Field(name.to_owned()));
            } else if rest.is_empty() {
                return Err(err("empty segment"));
            }
            while !rest.is_empty() {
                let close = rest.find(']').ok_or_else(|| err("unclosed bracket"))?;
                if !rest.starts_with('[') {
                    return Err(err("text after a bracket"));
                }
                let inner = &rest[1..close];
                if inner.is_empty() {
                    steps.push(Step::Flatten);
                } else {
                    let i: i64 = inner.parse().map_err(|_| err("brackets hold an integer or nothing"))?;
                    steps.push(Step::Index(i));
                }
                rest = &rest[close + 1..];
            }
        }
        Ok(Path { steps })
    }

    /// Evaluates the path on `value`; `Null` when nothing matches.
    pub(crate) fn search(&self, value: &Value) -> Value {
        eval(&self.steps, value)
    }
}

/// Parses and evaluates in one go.
pub(crate) fn search(path: &str, value: &Value) -> Result<Value, PathError> {
    Ok(Path::parse(path)?.search(value))
}

fn eval(steps: &[Step], value: &Value) -> Value {
    let mut current = value.clone();
    let mut i = 0;
    while i < steps.len() {
        match &steps[i] {
            Step::Field(name) => current = current.get(name).cloned().unwrap_or(Value::Null),
            Step::Index(n) => {
                current = match current.as_list() {
                    Some(list) => {
                        let len = list.len() as i64;
                        let at = if *n < 0 { len + n } else { *n };
                        if (0..len).contains(&at) {
                            list[at as usize].clone()
                        } else {
                            Value::Null
                        }
                    }
                    None => Value::Null,
                }
            }
            Step::Flatten => {
                let Value::List(list) = current else { return Value::Null };
                let mut flat = Vec::with_capacity(list.len());
                for element in list {
                    match element {
                        Value::List(inner) => flat.extend(inner),
                        other => flat.push(other),
                    }
                }
                // The projection runs up to the next flatten, which then
                // applies to the collected result.
                let end = steps[i + 1..].iter().position(|s| *s == Step::Flatten).map_or(steps.len(), |p| i + 1 + p);
                let sub = &steps[i + 1..end];
                let projected: Vec<Value> = flat.iter().map(|e| eval(sub, e)).filter(|v| !v.is_null()).collect();
                current = Value::List(projected);
                i = end;
                continue;
            }
        }
        if current.is_null() {
            return Value::Null;
        }
        i += 1;
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_core::params;

    #[test]
    fn subset() {
        let v = params!({
            "Reservations": [
                { "Instances": [ { "InstanceId": "i-1" }, { "InstanceId": "i-2" } ] },
                { "Instances": [ { "InstanceId": "i-3" }, { "Other": 1 } ] },
                { "NoInstances": true }
            ],
            "Stacks": [ { "StackName": "a" }, { "StackName": "b" } ],
            "Key": "k"
        });
        let s = |p: &str| search(p, &v).unwrap();
        assert_eq!(s("Key"), params!("k"));
        assert_eq!(s("@"), v);
        assert_eq!(s("Stacks[0].StackName"), params!("a"));
        assert_eq!(s("Stacks[-1].StackName"), params!("b"));
        assert_eq!(s("Stacks[5]"), Value::Null);
        assert_eq!(s("Stacks[].StackName"), params!(["a", "b"]));
        assert_eq!(s("Reservations[].Instances[].InstanceId"), params!(["i-1", "i-2", "i-3"]));
        assert_eq!(s("Reservations[].Instances[]").as_list().map(|l| l.len()), Some(4));
        assert_eq!(s("Reservations[0].Instances[0]"), params!({ "InstanceId": "i-1" }));
        assert_eq!(s("Missing[].X"), Value::Null);
        assert_eq!(s("Key.Deeper"), Value::Null);
        assert!(search("a[x]", &v).is_err());
        assert!(search("a[0", &v).is_err());
        assert!(search("a | b", &v).is_err());
    }
}
