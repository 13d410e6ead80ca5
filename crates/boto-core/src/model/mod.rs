//! Service models: loading (embedded bundle and search path) and the typed,
//! lazily resolved index over them.
//!
//! ```
//! use boto_core::model::Loader;
//!
//! let loader = Loader::embedded_only();
//! let ddb = loader.service_model("dynamodb", None).unwrap();
//! assert_eq!(ddb.metadata().resolved_protocol(), "json");
//! let op = ddb.operation("GetItem").unwrap().unwrap();
//! let input = ddb.shape(op.input.as_ref().unwrap().shape);
//! assert!(input.is_required("TableName"));
//! ```

pub mod bundle;
pub mod frame;
mod loader;
pub use loader::merge_json;
mod operation;
mod service;
mod shape;

pub use bundle::Bundle;
pub use loader::{Loader, DOCUMENT_TYPES};
pub use operation::{EndpointDiscovery, HttpBinding, HttpChecksum, Operation, OperationRef};
pub use service::{ClientContextParam, Metadata, ServiceModel, PROTOCOL_PREFERENCE};
pub use shape::{
    ErrorTrait, Location, Member, Shape, ShapeId, ShapeKind, StrList, TimestampFormat, Traits, XmlNamespace,
};

use std::path::PathBuf;

/// Why model data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// No search path or the bundle has this service.
    #[error("unknown service: {service:?}{}", suggestion(.suggestions))]
    UnknownService {
        /// The name asked for.
        service: String,
        /// Known services with a similar name.
        suggestions: Vec<String>,
    },
    /// The service exists but not in this API version.
    #[error("service {service:?} has no API version {api_version:?} (available: {})", .available.join(", "))]
    UnknownApiVersion {
        /// The service.
        service: String,
        /// The version asked for.
        api_version: String,
        /// The versions that exist.
        available: Vec<String>,
    },
    /// A document that does not exist (`Unable to load data for: ...`).
    #[error("unable to load data for: {0}")]
    DataNotFound(String),
    /// A model file could not be read.
    #[error("cannot read model file {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A model file is not a valid model.
    #[error("invalid model {file}: at {location}: {message}")]
    Invalid {
        /// The file (a path, or `embedded:<service>/<version>/<type>`).
        file: String,
        /// The JSON location (`shapes.GetItemInput.members.Key.shape`).
        location: String,
        /// What is wrong.
        message: String,
    },
    /// The embedded bundle is damaged.
    #[error("corrupt model bundle: {0}")]
    Bundle(String),
}

fn suggestion(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.join(" or "))
    }
}

impl ModelError {
    pub(crate) fn invalid(file: &str, location: impl Into<String>, message: impl Into<String>) -> ModelError {
        ModelError::Invalid { file: file.to_owned(), location: location.into(), message: message.into() }
    }
}

#[cfg(test)]
mod tests;
