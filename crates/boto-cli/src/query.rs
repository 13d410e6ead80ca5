//! `--query EXPR`: a JMESPath over a command's result, as aws-cli's
//! `--query`. The expression sees the result as it is printed (timestamps
//! as ISO 8601 text, blobs as base64), so it behaves as in aws-cli.

use boto_core::{jmes, Value};

use crate::common::CliError;

/// Applies `--query` if given. A bad expression is a usage error (252).
pub fn apply(query: Option<&str>, value: Value) -> Result<Value, CliError> {
    let Some(text) = query else { return Ok(value) };
    let expr = jmes::compile(text).map_err(|e| CliError::Usage(format!("bad value for --query: {e}")))?;
    let printed = Value::from(value.to_json());
    expr.search(&printed).map_err(|e| CliError::Other(e.to_string()))
}

/// Checks `--query` before any call is made.
pub fn check(query: Option<&str>) -> Result<(), CliError> {
    match query {
        None => Ok(()),
        Some(text) => {
            jmes::compile(text).map(|_| ()).map_err(|e| CliError::Usage(format!("bad value for --query: {e}")))
        }
    }
}
