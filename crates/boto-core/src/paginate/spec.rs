//! One paginator of `paginators-1.json`, with its expressions compiled.

use std::sync::Arc;

use serde_json::Value as Json;

use super::PaginationError;
use crate::jmes::{compile, Expression};
use crate::model::Loader;

/// A paginator's configuration (one entry of a service's
/// `paginators-1.json`), with every expression compiled.
#[derive(Debug, Clone)]
pub struct PaginatorSpec {
    /// The operation's model name (`ListObjectsV2`).
    pub operation: String,
    /// The input members that carry the token(s) (`ContinuationToken`).
    pub input_token: Vec<String>,
    /// Where the next token(s) are in a result, one per input token
    /// (`NextContinuationToken`, `NextMarker || Contents[-1].Key`).
    pub output_token: Vec<Arc<Expression>>,
    /// When set, a result for which it is false is the last page
    /// (`IsTruncated`).
    pub more_results: Option<Arc<Expression>>,
    /// The input member that sets the page size (`MaxKeys`).
    pub limit_key: Option<String>,
    /// The members aggregated across pages, the first one counting items
    /// for `max_items` (`Contents`, `CommonPrefixes`).
    pub result_key: Vec<Arc<Expression>>,
    /// Members taken from the first page only (`Name`, `Prefix`).
    pub non_aggregate_keys: Vec<Arc<Expression>>,
}

fn strings(v: Option<&Json>) -> Vec<String> {
    match v {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect(),
        Some(Json::String(s)) => vec![s.clone()],
        Some(_) => Vec::new(),
    }
}

impl PaginatorSpec {
    /// Reads one paginator entry (`{"input_token": ..., "output_token":
    /// ..., "result_key": ...}`).
    ///
    /// ```
    /// let spec = boto_core::paginate::PaginatorSpec::from_json("ListTables", &serde_json::json!({
    ///     "input_token": "ExclusiveStartTableName",
    ///     "output_token": "LastEvaluatedTableName",
    ///     "limit_key": "Limit",
    ///     "result_key": "TableNames"
    /// })).unwrap();
    /// assert_eq!(spec.input_token, ["ExclusiveStartTableName"]);
    /// assert_eq!(spec.result_key[0].as_str(), "TableNames");
    /// ```
    pub fn from_json(operation: &str, config: &Json) -> Result<PaginatorSpec, PaginationError> {
        let bad = |what: &str| PaginationError::Config(format!("paginator for {operation}: {what}"));
        if !config.is_object() {
            return Err(bad("not an object"));
        }
        let exprs = |key: &str| -> Result<Vec<Arc<Expression>>, PaginationError> {
            strings(config.get(key)).iter().map(|s| compile(s).map_err(PaginationError::Expression)).collect()
        };
        let input_token = strings(config.get("input_token"));
        let output_token = exprs("output_token")?;
        if input_token.is_empty() || output_token.is_empty() {
            return Err(bad("input_token and output_token are required"));
        }
        let more_results = match config.get("more_results").and_then(Json::as_str) {
            Some(s) => Some(compile(s).map_err(PaginationError::Expression)?),
            None => None,
        };
        Ok(PaginatorSpec {
            operation: operation.to_owned(),
            input_token,
            output_token,
            more_results,
            limit_key: config.get("limit_key").and_then(Json::as_str).map(str::to_owned),
            result_key: exprs("result_key")?,
            non_aggregate_keys: exprs("non_aggregate_keys")?,
        })
    }

    /// The paginator of `operation` (model name) in a `paginators-1`
    /// document; `Ok(None)` when the operation has none.
    pub fn from_document(doc: &Json, operation: &str) -> Result<Option<PaginatorSpec>, PaginationError> {
        match doc.get("pagination").and_then(|p| p.get(operation)) {
            None => Ok(None),
            Some(c) => PaginatorSpec::from_json(operation, c).map(Some),
        }
    }
}

/// The `paginators-1` document of a service for an API version (else its
/// newest); `None` when the service has none.
pub fn paginator_document(
    loader: &Loader,
    service: &str,
    api_version: Option<&str>,
) -> Result<Option<Arc<Json>>, crate::Error> {
    use crate::model::ModelError;
    match loader.load_document(service, "paginators-1", api_version) {
        Ok(d) => Ok(Some(d)),
        Err(ModelError::UnknownApiVersion { .. }) if api_version.is_some() => paginator_document(loader, service, None),
        Err(ModelError::DataNotFound(_)) | Err(ModelError::UnknownApiVersion { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
