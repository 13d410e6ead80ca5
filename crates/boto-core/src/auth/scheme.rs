//! Choosing the auth scheme of a call, as botocore 1.44.5 does.
//!
//! Precedence, from weakest to strongest:
//!
//! 1. the service: the client's `signature_version` config, else `s3v4`
//!    for `s3` and `s3-control`, else the first supported entry of the
//!    model's `metadata.auth`, else `metadata.signatureVersion`;
//! 2. the operation: its `auth` list (through `auth_scheme_preference` when
//!    configured), else its `authtype`;
//! 3. the endpoint: an `authSchemes` property from the endpoint rules
//!    replaces the scheme and sets the signing name, signing region (or
//!    SigV4a region set) and `disableDoubleEncoding`. One deliberate
//!    difference from botocore: an operation that is `noAuth` /
//!    `authtype: none` stays anonymous whatever the endpoint says
//!    (botocore would sign it).
//!
//! Then `v4` becomes S3's flavour for the signing names of
//! [`S3_SIGNING_NAMES`], and `v4a` takes its region set from
//! `sigv4a_signing_region_set`, else the endpoint's, else `*`. A client
//! configured unsigned (botocore's `UNSIGNED`) is anonymous throughout.

use serde_json::Value;

use super::{AuthScheme, PayloadSigning, SessionTokenMode, SigV4Scheme, SigV4aScheme, SigningOptions};
use crate::model::{Operation, ServiceModel, ShapeKind};

/// The signing names that get S3's signing rules (botocore's
/// `S3_SIGNING_NAMES`).
pub const S3_SIGNING_NAMES: [&str; 4] = ["s3", "s3-outposts", "s3-object-lambda", "s3express"];

/// Services whose bearer token can come from the environment
/// (`AWS_BEARER_TOKEN_<SERVICE>`), keyed by signing name.
const BEARER_ENV_SERVICES: [&str; 1] = ["bedrock"];

/// The client configuration that takes part in choosing the scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthConfig {
    /// `signature_version` set in config (`v4`, `s3v4`, `v4a`, `bearer`,
    /// ...); `None` lets the model decide.
    pub signature_version: Option<String>,
    /// botocore's `signature_version=UNSIGNED`: every request unsigned.
    pub unsigned: bool,
    /// `auth_scheme_preference`: scheme names without namespace, most
    /// preferred first (`sigv4a`, `sigv4`, `httpBearerAuth`, `noAuth`).
    pub auth_scheme_preference: Vec<String>,
    /// `sigv4a_signing_region_set`, comma-separated.
    pub sigv4a_signing_region_set: Option<String>,
    /// `s3.payload_signing_enabled`.
    pub s3_payload_signing_enabled: Option<bool>,
    /// A bearer token is available from the environment (for services that
    /// accept one, this makes bearer auth preferred).
    pub bearer_token_available: bool,
    /// Ignore the endpoint's signing region (botocore does when presigning,
    /// unless the bucket is an ARN).
    pub ignore_endpoint_signing_region: bool,
}

/// Why no auth scheme could be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// A scheme or signature version nobody knows.
    #[error("unknown signature version: {0}")]
    UnknownSignatureVersion(String),
    /// Known, but boto-rs does not implement it (SigV2, SigV3, HMAC-v1).
    #[error("signature version is not supported: {0}")]
    UnsupportedSignatureVersion(String),
    /// The endpoint's `authSchemes` property is not a list of schemes.
    #[error("invalid authSchemes endpoint property: {0}")]
    InvalidAuthSchemes(String),
    /// SigV4 needs a region and none is configured.
    #[error("you must specify a region")]
    NoRegion,
}

/// The signature versions boto-rs can sign with.
fn is_supported(sig: &str) -> bool {
    matches!(sig, "v4" | "s3v4" | "v4a" | "s3v4a" | "v4-unsigned-body" | "v4-s3express" | "bearer" | "none")
}

/// Known to botocore but not implemented here.
fn is_legacy(sig: &str) -> bool {
    matches!(sig, "v2" | "v3" | "v3https" | "s3" | "s3-query" | "s3-presign-post")
}

fn auth_trait_to_signature_version(t: &str) -> Option<&'static str> {
    match t {
        "aws.auth#sigv4" => Some("v4"),
        "aws.auth#sigv4a" => Some("v4a"),
        "smithy.api#httpBearerAuth" => Some("bearer"),
        "smithy.api#noAuth" => Some("none"),
        _ => None,
    }
}

fn preference_to_signature_version(t: &str) -> Option<&'static str> {
    match t {
        "sigv4" => Some("v4"),
        "sigv4a" => Some("v4a"),
        "httpBearerAuth" => Some("bearer"),
        "noAuth" => Some("none"),
        _ => None,
    }
}

/// The signature version of an `auth` list (model `metadata.auth` or an
/// operation's `auth`): the first supported entry, as botocore's
/// `resolve_auth_type`.
///
/// ```
/// use boto_core::auth::resolve_auth_type;
/// assert_eq!(resolve_auth_type(&["aws.auth#sigv4a", "aws.auth#sigv4"]).unwrap(), "v4a");
/// assert_eq!(resolve_auth_type(&["smithy.api#noAuth"]).unwrap(), "none");
/// assert!(resolve_auth_type(&["custom#auth"]).is_err());
/// ```
pub fn resolve_auth_type<S: AsRef<str>>(auth: &[S]) -> Result<&'static str, AuthError> {
    for t in auth {
        match auth_trait_to_signature_version(t.as_ref()) {
            Some(sig) if is_supported(sig) => return Ok(sig),
            Some(_) => {}
            None => return Err(AuthError::UnknownSignatureVersion(t.as_ref().to_owned())),
        }
    }
    Err(AuthError::UnsupportedSignatureVersion(auth.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", ")))
}

/// botocore's `resolve_auth_scheme_preference`: the first scheme of the
/// preference list the service supports, else the service's own order.
fn resolve_preference<S: AsRef<str>>(preference: &[String], options: &[S]) -> Result<&'static str, AuthError> {
    let supported: Vec<&str> = options.iter().map(|o| o.as_ref().rsplit('#').next().unwrap_or("")).collect();
    let mut seen: Vec<&str> = Vec::new();
    for s in preference.iter().map(|s| s.trim()).chain(supported.iter().copied()) {
        if supported.contains(&s) && !seen.contains(&s) {
            seen.push(s);
        }
    }
    for s in seen {
        if let Some(sig) = preference_to_signature_version(s) {
            if is_supported(sig) {
                return Ok(sig);
            }
        }
    }
    let mut sorted = supported.clone();
    sorted.sort();
    Err(AuthError::UnsupportedSignatureVersion(sorted.join(", ")))
}

/// Signing details from the endpoint's chosen auth scheme.
#[derive(Debug, Default)]
struct SigningContext {
    region: Option<String>,
    region_set: Option<Vec<String>>,
    signing_name: Option<String>,
    disable_double_encoding: Option<bool>,
}

fn strip_sig(name: &str) -> &str {
    name.strip_prefix("sig").unwrap_or(name)
}

/// botocore's `_does_botocore_authname_match_ruleset_authname`.
fn authname_matches(botoname: &str, rsname: &str) -> bool {
    let rsname = strip_sig(rsname);
    let mut botoname = botoname.split('-').next().unwrap_or("");
    if botoname != "s3" && botoname.starts_with("s3") {
        botoname = &botoname[2..];
    }
    rsname == botoname
}

/// botocore's `auth_schemes_to_signing_ctx`: the signature version (None:
/// keep the model's) and signing context of an endpoint's `authSchemes`.
fn endpoint_auth_scheme(schemes: &Value, config: &AuthConfig) -> Result<(Option<String>, SigningContext), AuthError> {
    let list = schemes
        .as_array()
        .filter(|l| !l.is_empty())
        .ok_or_else(|| AuthError::InvalidAuthSchemes("expected a non-empty list".into()))?;
    let mut named: Vec<(String, &serde_json::Map<String, Value>)> = Vec::with_capacity(list.len());
    for s in list {
        let obj = s.as_object().ok_or_else(|| AuthError::InvalidAuthSchemes("a scheme is not an object".into()))?;
        let name = obj
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| AuthError::InvalidAuthSchemes("a scheme has no name".into()))?;
        named.push((name.rsplit('#').next().unwrap_or(name).to_owned(), obj));
    }
    let (name, scheme) = if let Some(requested) = config.signature_version.as_deref() {
        match named.iter().find(|(n, _)| authname_matches(requested, n)) {
            Some((_, s)) => (requested.to_owned(), *s),
            None => return Ok((None, SigningContext::default())),
        }
    } else if !config.auth_scheme_preference.is_empty() {
        let names: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
        let sig = resolve_preference(&config.auth_scheme_preference, &names)?;
        match named.iter().find(|(n, _)| strip_sig(n) == sig) {
            Some((_, s)) => (sig.to_owned(), *s),
            None => return Err(AuthError::UnsupportedSignatureVersion(names.join(", "))),
        }
    } else {
        match named.iter().find(|(n, _)| is_supported(strip_sig(n))) {
            Some((n, s)) => (strip_sig(n).to_owned(), *s),
            None => {
                let names: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
                return Err(AuthError::UnknownSignatureVersion(names.join(", ")));
            }
        }
    };
    let mut ctx = SigningContext::default();
    if let Some(r) = scheme.get("signingRegion").and_then(Value::as_str) {
        ctx.region = Some(r.to_owned());
    } else if let Some(set) = scheme.get("signingRegionSet").and_then(Value::as_array) {
        let set: Vec<String> = set.iter().filter_map(Value::as_str).map(str::to_owned).collect();
        if !set.is_empty() {
            ctx.region = Some(set.join(","));
            ctx.region_set = Some(set);
        }
    }
    if let Some(n) = scheme.get("signingName").and_then(Value::as_str) {
        ctx.signing_name = Some(n.to_owned());
    }
    ctx.disable_double_encoding = match scheme.get("disableDoubleEncoding") {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => Some(s.eq_ignore_ascii_case("true")),
        _ => None,
    };
    Ok((Some(name), ctx))
}

/// True when the operation's input has a blob payload (botocore's
/// `has_streaming_input`).
fn has_streaming_input(model: &ServiceModel, operation: &Operation) -> bool {
    let Some(input) = &operation.input else { return false };
    let shape = model.shape(input.shape);
    let Some(payload) = shape.traits.payload.as_deref() else { return false };
    shape.member_named(payload).is_some_and(|m| model.shape(m.target).kind == ShapeKind::Blob)
}

/// Chooses how to authenticate a call of `operation`, after endpoint
/// resolution: `region` is the client's region, `endpoint_auth_schemes` the
/// endpoint's `authSchemes` property when the rules gave one (a JSON list
/// like `[{"name":"sigv4","signingName":"s3","signingRegion":"us-east-1",
/// "disableDoubleEncoding":true}]`).
///
/// ```
/// use boto_core::auth::{resolve, AuthConfig, AuthScheme};
/// use boto_core::model::Loader;
///
/// let s3 = Loader::embedded_only().service_model("s3", None).unwrap();
/// let op = s3.operation("GetObject").unwrap().unwrap();
/// let schemes = serde_json::json!([{"name": "sigv4", "signingName": "s3",
///     "signingRegion": "eu-west-1", "disableDoubleEncoding": true}]);
/// let AuthScheme::SigV4(v4) = resolve(&s3, op, Some("us-east-1"), Some(&schemes), &AuthConfig::default()).unwrap()
/// else { panic!() };
/// assert_eq!((v4.signing_name.as_str(), v4.region.as_str()), ("s3", "eu-west-1"));
/// assert!(!v4.options.double_uri_encode && !v4.options.normalize_path && v4.options.content_sha256_header);
/// ```
pub fn resolve(
    model: &ServiceModel,
    operation: &Operation,
    region: Option<&str>,
    endpoint_auth_schemes: Option<&Value>,
    config: &AuthConfig,
) -> Result<AuthScheme, AuthError> {
    if config.unsigned {
        return Ok(AuthScheme::Anonymous);
    }
    let meta = model.metadata();
    let service = model.service_name();

    // 1. The client's signature version.
    let client_sig: String = if let Some(v) = &config.signature_version {
        v.clone()
    } else if service == "s3" || service == "s3-control" {
        "s3v4".to_owned()
    } else if !meta.auth.is_empty() {
        resolve_auth_type(&meta.auth)?.to_owned()
    } else {
        meta.signature_version.clone().unwrap_or_else(|| "v4".to_owned())
    };

    // 2. The operation's auth type.
    let mut auth_type: Option<String> = match (&operation.auth, &operation.auth_type) {
        (Some(auth), _) if !config.auth_scheme_preference.is_empty() => {
            Some(resolve_preference(&config.auth_scheme_preference, auth)?.to_owned())
        }
        (Some(auth), _) => Some(resolve_auth_type(auth)?.to_owned()),
        (None, Some(t)) => Some(t.to_string()),
        (None, None) => None,
    };
    let unsigned_payload = operation.unsigned_payload || auth_type.as_deref() == Some("v4-unsigned-body");
    let op_is_anonymous = auth_type.as_deref() == Some("none");

    // 3. The endpoint's auth schemes.
    let mut ctx = SigningContext::default();
    if let (Some(schemes), false) = (endpoint_auth_schemes, op_is_anonymous) {
        let (name, c) = endpoint_auth_scheme(schemes, config)?;
        if let Some(name) = name {
            auth_type = Some(name);
            ctx = c;
        }
    }
    if config.ignore_endpoint_signing_region {
        ctx.region = None;
        ctx.region_set = None;
    }

    let mut signing_name = ctx.signing_name.clone().unwrap_or_else(|| meta.signing_name().to_owned());
    if signing_name.is_empty() {
        signing_name = service.to_owned();
    }

    // 4. The signer: the operation's (or endpoint's) auth type, else the
    // client's, with the service-level preference and bearer rules.
    let mut sig = match &auth_type {
        Some(t) => t.clone(),
        None => {
            if config.signature_version.is_none() && !config.auth_scheme_preference.is_empty() && !meta.auth.is_empty()
            {
                resolve_preference(&config.auth_scheme_preference, &meta.auth)?.to_owned()
            } else {
                client_sig.clone()
            }
        }
    };
    let in_code = config.signature_version.is_some() || !config.auth_scheme_preference.is_empty();
    if config.bearer_token_available
        && BEARER_ENV_SERVICES.contains(&signing_name.as_str())
        && meta.auth.iter().any(|a| a == "smithy.api#httpBearerAuth")
        && (sig == "bearer" || !in_code)
    {
        sig = "bearer".to_owned();
    }

    let s3_flavour = sig.starts_with("s3") || S3_SIGNING_NAMES.contains(&signing_name.as_str());
    let mut options = if s3_flavour { SigningOptions::s3() } else { SigningOptions::default() };
    if let PayloadSigning::S3 { explicit, streaming_input } = &mut options.payload {
        *explicit = config.s3_payload_signing_enabled;
        *streaming_input = has_streaming_input(model, operation);
    }
    if unsigned_payload && !s3_flavour {
        options.payload = PayloadSigning::Unsigned;
    }
    if ctx.disable_double_encoding == Some(true) {
        options.double_uri_encode = false;
    }

    let scheme = match sig.as_str() {
        "none" => AuthScheme::Anonymous,
        "bearer" => AuthScheme::Bearer,
        "v4" | "s3v4" | "v4-unsigned-body" | "v4-s3express" => {
            if sig == "v4-s3express" {
                options.session_token = SessionTokenMode::S3Express;
            }
            let region = ctx.region.clone().or_else(|| region.map(str::to_owned)).ok_or(AuthError::NoRegion)?;
            AuthScheme::SigV4(SigV4Scheme { signing_name, region, options })
        }
        "v4a" | "s3v4a" => {
            let region_set: Vec<String> = match (&config.sigv4a_signing_region_set, ctx.region_set) {
                (Some(configured), _) if !configured.trim().is_empty() => {
                    configured.split(',').map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect()
                }
                (_, Some(set)) => set,
                _ => vec!["*".to_owned()],
            };
            AuthScheme::SigV4a(SigV4aScheme { signing_name, region_set, options })
        }
        other if is_legacy(other) => return Err(AuthError::UnsupportedSignatureVersion(other.to_owned())),
        other => return Err(AuthError::UnknownSignatureVersion(other.to_owned())),
    };
    tracing::debug!(service, operation = %operation.name, scheme = scheme.name(), "resolved auth scheme");
    Ok(scheme)
}
