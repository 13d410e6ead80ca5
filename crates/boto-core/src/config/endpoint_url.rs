//! Configured endpoint URLs: `AWS_ENDPOINT_URL_<SERVICE>`,
//! `AWS_ENDPOINT_URL`, a profile's `services` section and its
//! `endpoint_url` (botocore's `ConfiguredEndpointProvider`).

use super::error::ConfigError;
use super::files::Section;
use super::shared::SharedConfig;

/// `AWS_ENDPOINT_URL_<ID>` for a `serviceId`: spaces become underscores,
/// upper case (`API Gateway` -> `AWS_ENDPOINT_URL_API_GATEWAY`).
pub fn service_env_var(service_id: &str) -> String {
    format!("AWS_ENDPOINT_URL_{}", service_id.replace(' ', "_").to_uppercase())
}

/// The key of a service inside a `[services name]` section: spaces become
/// underscores, lower case (`API Gateway` -> `api_gateway`).
pub fn service_config_key(service_id: &str) -> String {
    service_id.replace(' ', "_").to_lowercase()
}

/// The endpoint URL for a client, or `None` to let endpoint rules decide.
///
/// `explicit` (the client's `endpoint_url`) always wins. Otherwise, unless
/// `ignore` (`ignore_configured_endpoint_urls`) is set, the first non-empty
/// of: the service's environment variable, `AWS_ENDPOINT_URL`, the
/// service's `endpoint_url` in the profile's `services` section, the
/// profile's `endpoint_url`. A profile naming a `services` section that
/// does not exist is an error (only raised when that step is reached).
pub fn resolve_configured_endpoint_url(
    shared: &SharedConfig,
    profile: &Section,
    service_id: Option<&str>,
    explicit: Option<&str>,
    ignore: bool,
) -> Result<Option<String>, ConfigError> {
    if let Some(url) = explicit {
        return Ok(Some(url.to_string()));
    }
    if ignore {
        tracing::debug!("ignoring configured endpoint URLs");
        return Ok(None);
    }
    let env = shared.env();
    if let Some(id) = service_id {
        if let Some(url) = env.get_non_empty(&service_env_var(id)) {
            tracing::info!(service = id, "found endpoint URL in the service's environment variable");
            return Ok(Some(url.to_string()));
        }
    }
    if let Some(url) = env.get_non_empty("AWS_ENDPOINT_URL") {
        return Ok(Some(url.to_string()));
    }
    if let (Some(id), Some(section_name)) = (service_id, profile.get("services")) {
        let section =
            shared.services_section(section_name).filter(|s| !s.is_empty()).ok_or_else(|| ConfigError::Invalid {
                message: format!(
                    "the profile `{}` is configured to use the services section `{section_name}`, but that services \
                     section does not exist",
                    profile.name()
                ),
            })?;
        if let Some(url) = section.nested(&service_config_key(id)).and_then(|m| m.get("endpoint_url")) {
            if !url.is_empty() {
                return Ok(Some(url.clone()));
            }
        }
    }
    Ok(profile.get("endpoint_url").filter(|u| !u.is_empty()).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(service_env_var("API Gateway"), "AWS_ENDPOINT_URL_API_GATEWAY");
        assert_eq!(service_env_var("DynamoDB"), "AWS_ENDPOINT_URL_DYNAMODB");
        assert_eq!(service_config_key("Elastic Load Balancing v2"), "elastic_load_balancing_v2");
    }
}
