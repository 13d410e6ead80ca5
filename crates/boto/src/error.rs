//! The error type of the boto3 layer.

use crate::resource::Category;

/// Everything a session, a resource or the DynamoDB helpers can fail with.
///
/// Service errors keep their code: `err.is("ConditionalCheckFailedException")`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A call failed, or a client could not be built (the botocore layer's
    /// error).
    #[error(transparent)]
    Core(#[from] boto_core::Error),
    /// The service has no resource model.
    #[error(
        "the {service:?} resource does not exist; the available resources are: {}{}",
        .available.join(", "),
        if *.has_client { format!(" (consider using a {service} client instead)", service = .service) } else { String::new() }
    )]
    ResourceNotExists {
        /// The service asked for.
        service: String,
        /// Services that have resources.
        available: Vec<String>,
        /// True when a low-level client exists for the service.
        has_client: bool,
    },
    /// A resource has no action, attribute, collection... of that name.
    #[error("{resource} has no {category} {name:?}; it has: {}", if .available.is_empty() { "none".to_owned() } else { .available.join(", ") })]
    Unknown {
        /// The resource (`s3.Bucket`).
        resource: String,
        /// What was looked up.
        category: Category,
        /// The name asked for.
        name: String,
        /// boto3's names of what exists.
        available: Vec<String>,
    },
    /// The resource's data was needed but it has no `load` (boto3's
    /// `ResourceLoadException`).
    #[error("{resource} has no load method")]
    ResourceLoad {
        /// The resource (`s3.ObjectVersion`).
        resource: String,
    },
    /// A resource was built without one of its identifiers (or with
    /// too many).
    #[error("{resource}: {message}")]
    Identifiers {
        /// The resource.
        resource: String,
        /// What is wrong.
        message: String,
    },
    /// The resource model cannot be used (a bad path or source).
    #[error("resource model {service}: {message}")]
    InvalidModel {
        /// The service.
        service: String,
        /// What is wrong.
        message: String,
    },
    /// A method for one type of resource was used with another: S3's
    /// transfer and presign methods ([`crate::s3::S3ResourceExt`]) with a
    /// resource that is not an `s3.Bucket` or an `s3.Object`.
    #[error("expected an {expected} resource, got {found}")]
    WrongResource {
        /// The resource type the method needs (`s3.Bucket`).
        expected: String,
        /// The resource type given (`dynamodb.Table`, `s3.ServiceResource`).
        found: String,
    },
    /// Parameters given to a resource method have the wrong form.
    #[error("{0}")]
    InvalidParams(String),
    /// A DynamoDB value, condition or number is invalid.
    #[error(transparent)]
    DynamoDb(#[from] crate::dynamodb::DynamoDbError),
    /// The session cannot be built (bad profile, bad setting).
    #[error("session error: {0}")]
    Session(String),
}

impl From<boto_core::model::ModelError> for Error {
    fn from(e: boto_core::model::ModelError) -> Error {
        Error::Core(boto_core::Error::Model(e))
    }
}

impl Error {
    /// True for a service error with this code.
    pub fn is(&self, code: &str) -> bool {
        self.code() == Some(code)
    }

    /// The service error code, for service errors.
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(|e| e.code.as_str())
    }

    /// The service error, if this is one.
    pub fn service_error(&self) -> Option<&boto_core::error::ServiceError> {
        match self {
            Error::Core(e) => e.service_error(),
            _ => None,
        }
    }
}
