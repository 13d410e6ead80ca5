//! `cargo xtask stats`: what the embedded bundle holds, as one JSON line.

use anyhow::Result;
use boto_core::model::{Bundle, Loader};

pub fn run() -> Result<()> {
    let bundle = Bundle::embedded()?;
    let loader = Loader::embedded_only();
    let (mut services, mut operations, mut paginators, mut waiters, mut resource_models) = (0, 0, 0, 0, 0);
    let count = |doc: &serde_json::Value, key: &str| doc.get(key).and_then(|v| v.as_object()).map_or(0, |m| m.len());
    for entry in bundle.entries() {
        let (service, version) = (entry.service(), Some(entry.api_version()));
        match entry.type_name() {
            "service-2" => {
                services += 1;
                operations += loader.service_model(service, version)?.operation_names().len();
            }
            "paginators-1" => {
                paginators += count(&*loader.load_document(service, "paginators-1", version)?, "pagination")
            }
            "waiters-2" => waiters += count(&*loader.load_document(service, "waiters-2", version)?, "waiters"),
            "resources-1" => resource_models += 1,
            _ => {}
        }
    }
    println!(
        "{}",
        serde_json::json!({
            "services": services,
            "operations": operations,
            "paginators": paginators,
            "waiters": waiters,
            "resource_models": resource_models,
        })
    );
    Ok(())
}
