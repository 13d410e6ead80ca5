//! Endpoint resolution: the rules engine for `endpoint-rule-set-1.json`.
//!
//! A service's rule set is prepared once per process ([`RuleSet::for_service`]);
//! a call resolves its endpoint from parameters that the client's
//! configuration ([`BuiltIns`], client context parameters) and the call
//! itself (static and operation context parameters, `contextParam` input
//! members) supply. [`EndpointResolver`] does both for a client:
//!
//! ```
//! use boto_core::endpoint::{BuiltIns, EndpointConfig, EndpointResolver};
//! use boto_core::params;
//!
//! let model = boto_core::model::Loader::embedded_only().service_model("s3", None).unwrap();
//! let resolver = EndpointResolver::new(model).unwrap();
//! let config = EndpointConfig {
//!     builtins: BuiltIns { region: Some("us-west-2".into()), ..BuiltIns::default() },
//!     ..EndpointConfig::default()
//! };
//! let input = params!({ "Bucket": "my-bucket", "Key": "a.txt" });
//! let endpoint = resolver.resolve("GetObject", &input, &config).unwrap();
//! assert_eq!(endpoint.url, "https://my-bucket.s3.us-west-2.amazonaws.com");
//! let scheme = &endpoint.auth_schemes()[0];
//! assert_eq!((scheme.name.as_str(), scheme.signing_region.as_deref()), ("sigv4", Some("us-west-2")));
//! ```
//!
//! The engine follows botocore 1.44.5 (`endpoint_provider.py`): the same
//! standard library, the same scoping of assignments, the same error
//! messages.

mod aws;
pub mod conformance;
mod engine;
mod params;
mod ruleset;
mod stdlib;

use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::Value as Json;

pub use aws::{is_virtual_hostable_s3_bucket, parse_arn, Arn, Partitions};
pub use params::{BuiltIns, EndpointConfig, EndpointResolver, BUILT_IN_NAMES, S3_UNREFERENCED_PARAMS};
pub use ruleset::{Deprecation, ParamType, Parameter, RuleSet};
pub use stdlib::{is_ipv4_address, is_valid_host_label, parse_url, substring, uri_encode, Url};

use crate::model::ModelError;

/// Why an endpoint could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    /// The rule set is not a valid rule set.
    #[error("invalid endpoint rule set at {path}: {message}")]
    InvalidRuleSet {
        /// Where (`rules[3].conditions[0]`).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// `partitions.json` is not valid.
    #[error("invalid partitions data: {0}")]
    InvalidPartitions(String),
    /// Resolution failed: an error rule matched (its message, exactly),
    /// a parameter is missing or of the wrong type, or no rule matched.
    #[error("{0}")]
    Resolution(String),
    /// A rule-set parameter names a builtIn botocore does not know.
    #[error("unknown endpoint resolution builtIn name: {0}")]
    UnknownBuiltIn(String),
    /// An `operationContextParams` path is not valid JMESPath.
    #[error("invalid operationContextParams path {path:?} for {param}: {message}")]
    OperationContextParam {
        /// The parameter.
        param: String,
        /// The path.
        path: String,
        /// The JMESPath error.
        message: String,
    },
    /// The service has no such operation.
    #[error("unknown operation {0:?}")]
    UnknownOperation(String),
    /// The model or rule set could not be loaded.
    #[error(transparent)]
    Model(#[from] ModelError),
}

impl EndpointError {
    /// The message of a resolution error (what botocore's
    /// `EndpointResolutionError` would say), else `None`.
    pub fn resolution_message(&self) -> Option<&str> {
        match self {
            EndpointError::Resolution(m) => Some(m),
            _ => None,
        }
    }
}

/// The value of a rule-set parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings (`stringArray` parameters).
    StringArray(Vec<String>),
    /// Any other value (a number, an object): kept so that resolution can
    /// reject it with botocore's wrong-type message.
    Other(Json),
}

impl ParamValue {
    /// The value of a JSON parameter: strings, booleans and arrays of
    /// strings map to their variants, anything else to
    /// [`ParamValue::Other`].
    pub fn from_json(v: &Json) -> ParamValue {
        match v {
            Json::String(s) => ParamValue::String(s.clone()),
            Json::Bool(b) => ParamValue::Bool(*b),
            Json::Array(a) if a.iter().all(Json::is_string) => {
                ParamValue::StringArray(a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
            }
            other => ParamValue::Other(other.clone()),
        }
    }

    /// The value as JSON.
    pub fn to_json(&self) -> Json {
        match self {
            ParamValue::String(s) => Json::String(s.clone()),
            ParamValue::Bool(b) => Json::Bool(*b),
            ParamValue::StringArray(a) => Json::Array(a.iter().cloned().map(Json::String).collect()),
            ParamValue::Other(j) => j.clone(),
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ParamValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ParamValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Writes the value as Python's `str()` would (botocore's "no endpoint
    /// found" message lists parameters that way).
    pub(crate) fn write_python(&self, out: &mut String) {
        match self {
            ParamValue::String(s) => out.push_str(s),
            ParamValue::Bool(true) => out.push_str("True"),
            ParamValue::Bool(false) => out.push_str("False"),
            ParamValue::StringArray(a) => {
                out.push('(');
                for (i, s) in a.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push('\'');
                    out.push_str(&s.replace('\\', "\\\\").replace('\'', "\\'"));
                    out.push('\'');
                }
                if a.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            ParamValue::Other(j) => out.push_str(&j.to_string()),
        }
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> ParamValue {
        ParamValue::String(s.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> ParamValue {
        ParamValue::String(s)
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> ParamValue {
        ParamValue::Bool(b)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(a: Vec<String>) -> ParamValue {
        ParamValue::StringArray(a)
    }
}

/// The parameter values of one resolution, one slot per parameter the
/// rule set declares. Make them with [`RuleSet::params`] (or
/// [`EndpointResolver::params_for`]); unset parameters take their default.
#[derive(Debug, Clone)]
pub struct EndpointParams {
    specs: Arc<[Parameter]>,
    values: Vec<Option<ParamValue>>,
}

impl RuleSet {
    /// Empty parameters for this rule set.
    pub fn params(&self) -> EndpointParams {
        let mut values = Vec::with_capacity(self.params.len());
        values.resize_with(self.params.len(), || None);
        EndpointParams { specs: self.params.clone(), values }
    }

    /// Parameters from a JSON object (`{"Region": "us-east-1", ...}`), as
    /// the conformance cases give them. Names the rule set does not declare
    /// are ignored.
    pub fn params_from_json(&self, obj: &serde_json::Map<String, Json>) -> EndpointParams {
        let mut p = self.params();
        for (k, v) in obj {
            if !v.is_null() {
                p.set(k, ParamValue::from_json(v));
            }
        }
        p
    }
}

impl EndpointParams {
    /// Sets a parameter; returns false (and does nothing) if the rule set
    /// declares no parameter of that name. The type is checked when
    /// resolving, as botocore does.
    pub fn set(&mut self, name: &str, value: impl Into<ParamValue>) -> bool {
        match self.specs.iter().position(|p| &*p.name == name) {
            Some(i) => {
                self.values[i] = Some(value.into());
                true
            }
            None => false,
        }
    }

    /// Unsets a parameter.
    pub fn remove(&mut self, name: &str) -> Option<ParamValue> {
        let i = self.specs.iter().position(|p| &*p.name == name)?;
        self.values[i].take()
    }

    /// The value of a parameter, if set.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        let i = self.specs.iter().position(|p| &*p.name == name)?;
        self.values[i].as_ref()
    }

    /// The parameters that are set, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.specs.iter().zip(&self.values).filter_map(|(p, v)| v.as_ref().map(|v| (&*p.name, v)))
    }

    /// True if nothing is set.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Endpoint {
    /// The URL (scheme, host, optional port and base path).
    pub url: String,
    /// Headers to add to the request, each with its values in order.
    /// (botocore sends only the first value of each.)
    pub headers: IndexMap<String, Vec<String>>,
    /// The endpoint's properties: `authSchemes` (see
    /// [`Endpoint::auth_schemes`]), `backend`, `metricValues`, ...
    /// Shared: resolutions that produce the same properties share one
    /// object.
    pub properties: Arc<serde_json::Map<String, Json>>,
}

/// One entry of an endpoint's `authSchemes` property.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuthScheme {
    /// The scheme as the rule set names it (`sigv4`, `sigv4a`,
    /// `sigv4-s3express`, ...).
    pub name: String,
    /// `signingName`, overriding the model's signing name.
    pub signing_name: Option<String>,
    /// `signingRegion` (SigV4).
    pub signing_region: Option<String>,
    /// `signingRegionSet` (SigV4a).
    pub signing_region_set: Option<Vec<String>>,
    /// `disableDoubleEncoding` (S3: do not encode the path twice).
    pub disable_double_encoding: Option<bool>,
    /// The whole entry, including any other keys.
    pub raw: serde_json::Map<String, Json>,
}

impl AuthScheme {
    /// The name botocore's signer registry uses: the rule-set name without
    /// its `sig` prefix (`v4`, `v4a`, `v4-s3express`).
    pub fn botocore_name(&self) -> &str {
        self.name.strip_prefix("sig").unwrap_or(&self.name)
    }

    /// The region to sign for, as botocore picks it: `signingRegion`, else
    /// the `signingRegionSet` joined with commas (if not empty).
    pub fn region_for_signing(&self) -> Option<String> {
        match (&self.signing_region, &self.signing_region_set) {
            (Some(r), _) => Some(r.clone()),
            (None, Some(set)) if !set.is_empty() => Some(set.join(",")),
            _ => None,
        }
    }
}

impl Endpoint {
    /// The `authSchemes` property, in the rule set's order of preference
    /// (entries without a string `name` are skipped).
    pub fn auth_schemes(&self) -> Vec<AuthScheme> {
        let Some(Json::Array(list)) = self.properties.get("authSchemes") else { return Vec::new() };
        list.iter()
            .filter_map(|entry| {
                let obj = entry.as_object()?;
                let string = |k: &str| obj.get(k).and_then(Json::as_str).map(str::to_owned);
                Some(AuthScheme {
                    name: string("name")?,
                    signing_name: string("signingName"),
                    signing_region: string("signingRegion"),
                    signing_region_set: obj
                        .get("signingRegionSet")
                        .and_then(Json::as_array)
                        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()),
                    disable_double_encoding: obj.get("disableDoubleEncoding").and_then(Json::as_bool),
                    raw: obj.clone(),
                })
            })
            .collect()
    }

    /// The first value of each header (what botocore sends).
    pub fn first_header_values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().filter_map(|(k, v)| v.first().map(|v| (k.as_str(), v.as_str())))
    }

    /// The endpoint for a client that does not use TLS: `https://` becomes
    /// `http://` unless the URL came from a configured endpoint (botocore
    /// does this when `use_ssl` is off and `Endpoint` was not set).
    pub fn without_tls(mut self, endpoint_was_configured: bool) -> Endpoint {
        if !endpoint_was_configured {
            if let Some(rest) = self.url.strip_prefix("https://") {
                self.url = format!("http://{rest}");
            }
        }
        self
    }
}

#[cfg(test)]
mod tests;
