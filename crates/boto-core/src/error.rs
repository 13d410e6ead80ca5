//! The one error type of a call.

use std::fmt;

use crate::value::Value;

/// A service's error answer: `An error occurred (Code) when calling the Op
/// operation: message`.
#[derive(Clone)]
pub struct ServiceError {
    /// The operation called.
    pub operation: String,
    /// The error code (`ConditionalCheckFailedException`).
    pub code: String,
    /// The message, possibly empty.
    pub message: String,
    /// The HTTP status.
    pub status: u16,
    /// The request id, when the service sent one.
    pub request_id: Option<String>,
    /// The modeled error members (a map), as botocore's `Error` dict plus
    /// the modeled fields.
    pub fields: Value,
    /// The attempts made (1 when not retried).
    pub attempts: u32,
}

impl ServiceError {
    /// True if the code is `code`.
    pub fn is(&self, code: &str) -> bool {
        self.code == code
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "An error occurred ({}) when calling the {} operation", self.code, self.operation)?;
        if self.attempts > 1 {
            write!(f, " (reached max retries: {})", self.attempts - 1)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("operation", &self.operation)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl std::error::Error for ServiceError {}

/// Everything a call can fail with.
///
/// ```
/// # use boto_core::error::{Error, ServiceError};
/// let err = Error::Service(Box::new(ServiceError {
///     operation: "PutItem".into(),
///     code: "ConditionalCheckFailedException".into(),
///     message: "The conditional request failed".into(),
///     status: 400,
///     request_id: None,
///     fields: boto_core::Value::Null,
///     attempts: 1,
/// }));
/// assert!(err.is("ConditionalCheckFailedException"));
/// assert_eq!(
///     err.to_string(),
///     "An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: The conditional request failed"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error.
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// The parameters do not fit the operation's input shape.
    #[error("{0}")]
    Validation(#[from] crate::validate::ValidationError),
    /// The service has no such operation.
    #[error("{service} has no operation {operation:?}{}", suggest(.suggestions))]
    UnknownOperation {
        /// The service.
        service: String,
        /// The name asked for.
        operation: String,
        /// Operations with a similar name.
        suggestions: Vec<String>,
    },
    /// A model could not be loaded.
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    /// Configuration is invalid (bad setting, unreadable file, missing
    /// region).
    #[error("configuration error: {0}")]
    Config(String),
    /// No credentials, or the provider failed.
    #[error("credentials error: {0}")]
    Credentials(String),
    /// No endpoint could be resolved.
    #[error("endpoint error: {0}")]
    Endpoint(String),
    /// The request could not be signed.
    #[error("signing error: {0}")]
    Signing(String),
    /// The parameters could not be serialized.
    #[error(transparent)]
    Serialize(#[from] crate::protocol::SerializeError),
    /// The response could not be parsed.
    #[error(transparent)]
    Parse(#[from] crate::protocol::ParseError),
    /// No response within the timeout (after all retries).
    #[error("{source} (after {attempts} attempt{})", if *.attempts == 1 { "" } else { "s" })]
    Timeout {
        /// The transport error.
        source: crate::transport::TransportError,
        /// Attempts made.
        attempts: u32,
    },
    /// The request could not be sent or the response not read (connection
    /// refused or reset, truncated body), after all retries.
    #[error("{source} (after {attempts} attempt{})", if *.attempts == 1 { "" } else { "s" })]
    Dispatch {
        /// The transport error.
        source: crate::transport::TransportError,
        /// Attempts made.
        attempts: u32,
    },
    /// A checksum did not match.
    #[error("checksum mismatch for {what}: expected {expected}, computed {actual}")]
    Checksum {
        /// What was checked (`response body (crc32)`).
        what: String,
        /// The checksum the service sent.
        expected: String,
        /// The checksum computed locally.
        actual: String,
    },
    /// The request failed and needed a retry, but its body is a one-shot
    /// stream that was already sent.
    #[error("the request failed and cannot be retried because its streaming body cannot be sent again (after {attempts} attempt{}): {source}", if *.attempts == 1 { "" } else { "s" })]
    NotReplayable {
        /// Attempts made.
        attempts: u32,
        /// The last attempt's error.
        source: Box<Error>,
    },
    /// A body could not be read.
    #[error(transparent)]
    Body(#[from] crate::body::BodyError),
    /// A blocking client was used from inside an async runtime.
    #[error(
        "the blocking client was called from inside an async runtime; use the async client there, or move the call into tokio::task::spawn_blocking"
    )]
    BlockingInAsync,
    /// Pagination could not start or go on.
    #[error(transparent)]
    Pagination(#[from] crate::paginate::PaginationError),
    /// A waiter did not reach its success state.
    #[error(transparent)]
    Waiter(Box<crate::waiter::WaiterError>),
    /// A hook refused the call or failed.
    #[error("hook error: {0}")]
    Hook(String),
    /// Any other failure, described.
    #[error("{0}")]
    Other(String),
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.join(" or "))
    }
}

impl Error {
    /// True for a service error with this code.
    pub fn is(&self, code: &str) -> bool {
        self.code() == Some(code)
    }

    /// The service error code, for service errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Service(e) => Some(&e.code),
            _ => None,
        }
    }

    /// The service error, if this is one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }
}
