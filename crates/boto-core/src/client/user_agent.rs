//! The `User-Agent` header.

use http::HeaderValue;

use crate::config::Settings;
use crate::model::ServiceModel;

/// `boto-rs/<version> ua/2.1 os/<os> lang/rust api/<service-id>#<version>`
/// plus the configured app id and extra, or the configured user agent.
pub(crate) fn header(settings: &Settings, model: &ServiceModel) -> HeaderValue {
    let mut ua = match &settings.user_agent {
        Some(custom) => custom.clone(),
        None => {
            let service_id = model.metadata().service_id.to_ascii_lowercase().replace(' ', "-");
            format!(
                "boto-rs/{} ua/2.1 os/{} lang/rust api/{}#{}",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                service_id,
                model.api_version()
            )
        }
    };
    if let Some(app) = &settings.user_agent_appid {
        ua.push_str(" app/");
        ua.push_str(app);
    }
    if let Some(extra) = &settings.user_agent_extra {
        ua.push(' ');
        ua.push_str(extra);
    }
    HeaderValue::from_str(&ua).unwrap_or_else(|_| HeaderValue::from_static("boto-rs"))
}
