//! Defaults modes (`defaults_mode = standard | in-region | cross-region |
//! mobile | auto | legacy`), from botocore's `sdk-default-configuration`
//! document.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use super::env::Env;
use super::error::ConfigError;
use super::settings::{RegionalEndpoints, RetryMode};

/// A defaults mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DefaultsMode {
    /// Botocore's historical defaults (the default).
    Legacy,
    /// Standard recommended defaults.
    Standard,
    /// Calls stay in the region the code runs in.
    InRegion,
    /// Calls go to other regions.
    CrossRegion,
    /// Mobile applications.
    Mobile,
    /// Choose between in-region, cross-region and standard from the
    /// environment (`AWS_EXECUTION_ENV` and the region, or IMDS).
    Auto,
}

impl DefaultsMode {
    /// The name as written in config (`in-region`).
    pub fn as_str(self) -> &'static str {
        match self {
            DefaultsMode::Legacy => "legacy",
            DefaultsMode::Standard => "standard",
            DefaultsMode::InRegion => "in-region",
            DefaultsMode::CrossRegion => "cross-region",
            DefaultsMode::Mobile => "mobile",
            DefaultsMode::Auto => "auto",
        }
    }

    /// All modes, `legacy` and `auto` first as botocore lists them.
    pub const ALL: [DefaultsMode; 6] = [
        DefaultsMode::Legacy,
        DefaultsMode::Auto,
        DefaultsMode::Standard,
        DefaultsMode::InRegion,
        DefaultsMode::CrossRegion,
        DefaultsMode::Mobile,
    ];
}

impl fmt::Display for DefaultsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DefaultsMode {
    type Err = ();
    /// Case-insensitive, as botocore lower-cases the mode.
    fn from_str(s: &str) -> Result<DefaultsMode, ()> {
        let lower = s.to_ascii_lowercase();
        DefaultsMode::ALL.into_iter().find(|m| m.as_str() == lower).ok_or(())
    }
}

/// The values a (non-legacy) defaults mode supplies as defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModeDefaults {
    /// `retryMode`.
    pub retry_mode: RetryMode,
    /// `stsRegionalEndpoints`.
    pub sts_regional_endpoints: RegionalEndpoints,
    /// `s3UsEast1RegionalEndpoints`.
    pub s3_us_east_1_regional_endpoint: RegionalEndpoints,
    /// `connectTimeoutInMillis`.
    pub connect_timeout: Duration,
    /// `tlsNegotiationTimeoutInMillis` (botocore does not use it).
    pub tls_negotiation_timeout: Option<Duration>,
}

fn document() -> Result<&'static serde_json::Value, ConfigError> {
    static DOC: OnceLock<Result<serde_json::Value, String>> = OnceLock::new();
    DOC.get_or_init(|| {
        crate::model::Loader::embedded_only()
            .load_global("sdk-default-configuration")
            .map(|d| (*d).clone())
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| ConfigError::Invalid { message: format!("cannot load sdk-default-configuration: {e}") })
}

/// The defaults of a concrete mode (not `legacy`, not `auto`: resolve
/// `auto` with [`resolve_auto_mode`] first). `None` for `legacy`.
pub fn mode_defaults(mode: DefaultsMode) -> Result<Option<ModeDefaults>, ConfigError> {
    if matches!(mode, DefaultsMode::Legacy | DefaultsMode::Auto) {
        return Ok(None);
    }
    let doc = document()?;
    let bad = |what: &str| ConfigError::Invalid { message: format!("sdk-default-configuration: {what}") };
    let mut values = doc.get("base").and_then(|b| b.as_object()).cloned().ok_or_else(|| bad("no base"))?;
    let modes = doc.get("modes").and_then(|m| m.as_object()).ok_or_else(|| bad("no modes"))?;
    let changes = modes.get(mode.as_str()).and_then(|m| m.as_object()).ok_or_else(|| bad("mode missing"))?;
    for (name, change) in changes {
        let Some((op, operand)) = change.as_object().and_then(|c| c.iter().next()) else { continue };
        let current = values.get(name).cloned().unwrap_or(serde_json::Value::Null);
        let new = match (op.as_str(), current.as_f64(), operand.as_f64()) {
            ("multiply", Some(a), Some(b)) => serde_json::json!(a * b),
            ("add", Some(a), Some(b)) => serde_json::json!(a + b),
            ("override", _, _) => operand.clone(),
            _ => return Err(bad(&format!("unsupported modification {op} of {name}"))),
        };
        values.insert(name.clone(), new);
    }
    let text = |k: &str| values.get(k).and_then(|v| v.as_str()).ok_or_else(|| bad(&format!("{k} missing")));
    let millis = |k: &str| values.get(k).and_then(|v| v.as_f64()).map(|ms| Duration::from_secs_f64(ms / 1000.0));
    Ok(Some(ModeDefaults {
        retry_mode: text("retryMode")?.parse().map_err(|_| bad("retryMode"))?,
        sts_regional_endpoints: text("stsRegionalEndpoints")?.parse().map_err(|_| bad("stsRegionalEndpoints"))?,
        s3_us_east_1_regional_endpoint: text("s3UsEast1RegionalEndpoints")?
            .parse()
            .map_err(|_| bad("s3UsEast1RegionalEndpoints"))?,
        connect_timeout: millis("connectTimeoutInMillis").ok_or_else(|| bad("connectTimeoutInMillis"))?,
        tls_negotiation_timeout: millis("tlsNegotiationTimeoutInMillis"),
    }))
}

/// Resolves `auto`: when `AWS_EXECUTION_ENV` is set, the current region is
/// `AWS_REGION` (else `AWS_DEFAULT_REGION`); otherwise the region IMDS
/// reported (`instance_region`, fetched by the caller). Same region as the
/// client: `in-region`; another: `cross-region`; unknown: `standard`.
pub fn resolve_auto_mode(env: &Env, client_region: Option<&str>, instance_region: Option<&str>) -> DefaultsMode {
    let mut current = None;
    if env.get_non_empty("AWS_EXECUTION_ENV").is_some() {
        current = env.get("AWS_REGION").or_else(|| env.get("AWS_DEFAULT_REGION")).filter(|r| !r.is_empty());
    }
    let current = current.or(instance_region.filter(|r| !r.is_empty()));
    match current {
        Some(r) if Some(r) == client_region => DefaultsMode::InRegion,
        Some(_) => DefaultsMode::CrossRegion,
        None => DefaultsMode::Standard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_from_document() {
        assert_eq!(mode_defaults(DefaultsMode::Legacy).unwrap(), None);
        let std = mode_defaults(DefaultsMode::Standard).unwrap().unwrap();
        assert_eq!(std.retry_mode, RetryMode::Standard);
        assert_eq!(std.sts_regional_endpoints, RegionalEndpoints::Regional);
        assert_eq!(std.s3_us_east_1_regional_endpoint, RegionalEndpoints::Regional);
        assert_eq!(std.connect_timeout, Duration::from_millis(3100));
        let in_region = mode_defaults(DefaultsMode::InRegion).unwrap().unwrap();
        assert_eq!(in_region.connect_timeout, Duration::from_millis(1100));
        let mobile = mode_defaults(DefaultsMode::Mobile).unwrap().unwrap();
        assert_eq!(mobile.connect_timeout, Duration::from_secs(30));
        assert_eq!(mode_defaults(DefaultsMode::CrossRegion).unwrap().unwrap().connect_timeout.as_millis(), 3100);
    }

    #[test]
    fn auto_mode() {
        let env = Env::from_map([("AWS_EXECUTION_ENV", "AWS_Lambda"), ("AWS_REGION", "us-west-2")]);
        assert_eq!(resolve_auto_mode(&env, Some("us-west-2"), None), DefaultsMode::InRegion);
        assert_eq!(resolve_auto_mode(&env, Some("eu-west-1"), None), DefaultsMode::CrossRegion);
        let env = Env::from_map([("AWS_REGION", "us-west-2")]);
        assert_eq!(resolve_auto_mode(&env, Some("us-west-2"), None), DefaultsMode::Standard);
        assert_eq!(resolve_auto_mode(&env, Some("us-west-2"), Some("us-west-2")), DefaultsMode::InRegion);
        assert_eq!("In-Region".parse::<DefaultsMode>(), Ok(DefaultsMode::InRegion));
    }
}
