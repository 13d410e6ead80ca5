//! Interceptors: typed hooks at botocore's event points, so service
//! customizations (S3's among them) and user code sit outside the core
//! call path.
//!
//! The points, in call order:
//!
//! | hook | botocore event | may |
//! | --- | --- | --- |
//! | [`Interceptor::before_parameter_build`] | `before-parameter-build` | change the parameters |
//! | [`Interceptor::before_call`] | `before-call` | answer the call without sending (stubbing) |
//! | [`Interceptor::endpoint_builtins`] | `before-endpoint-resolution` | replace the endpoint builtIns |
//! | [`Interceptor::request_created`] | `request-created` / `before-sign` | change the request before signing |
//! | [`Interceptor::before_send`] | `before-send` | answer with an HTTP response without sending |
//! | [`Interceptor::needs_retry`] | `needs-retry` | force or forbid a retry |
//! | [`Interceptor::after_call`] | `after-call` | change the result |
//!
//! ```
//! use boto_core::hooks::{CallContext, Interceptor};
//! use boto_core::{Error, Value};
//!
//! /// Adds a default to every PutItem.
//! #[derive(Debug)]
//! struct DefaultTable;
//! impl Interceptor for DefaultTable {
//!     fn before_parameter_build(&self, ctx: &CallContext<'_>, params: &mut Value) -> Result<(), Error> {
//!         if ctx.operation == "PutItem" && params.get("TableName").is_none() {
//!             params.insert("TableName", "default");
//!         }
//!         Ok(())
//!     }
//! }
//! ```

use std::fmt;
use std::sync::Mutex;

use crate::error::Error;
use crate::model::{Operation, ServiceModel};
use crate::request::{HttpRequest, HttpResponse};
use crate::value::{Map, Value};

/// What a hook knows about the call.
#[derive(Clone, Copy)]
pub struct CallContext<'a> {
    /// The service (botocore's name: `s3`).
    pub service: &'a str,
    /// The operation's model name (`GetObject`).
    pub operation: &'a str,
    /// The service model.
    pub model: &'a ServiceModel,
    /// The operation model.
    pub operation_model: &'a Operation,
    /// The attempt (1 for the first; 0 before sending).
    pub attempt: u32,
    /// Per-call scratch space shared by the hooks of one call (botocore's
    /// request `context`).
    pub scratch: &'a Mutex<Map>,
}

impl CallContext<'_> {
    /// Stores a value in the call's scratch space.
    pub fn scratch_insert(&self, key: &str, value: Value) {
        self.scratch.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_owned(), value);
    }

    /// A value from the call's scratch space.
    pub fn scratch_get(&self, key: &str) -> Option<Value> {
        self.scratch.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    /// Sets a flag in the call's scratch space.
    pub fn scratch_set(&self, flag: &str) {
        self.scratch_insert(flag, Value::Bool(true));
    }

    /// True if the flag is set.
    pub fn scratch_has(&self, flag: &str) -> bool {
        self.scratch_get(flag).is_some_and(|v| v.as_bool() == Some(true))
    }
}

impl fmt::Debug for CallContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallContext")
            .field("service", &self.service)
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .finish()
    }
}

/// What a hook says about retrying a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryVerdict {
    /// Let the retry strategy decide.
    Default,
    /// Retry (within max attempts).
    Retry,
    /// Do not retry.
    Stop,
}

/// A hook. Every method has a do-nothing default; implement the ones you
/// need. Hooks run in the order they were added.
pub trait Interceptor: Send + Sync + fmt::Debug + 'static {
    /// Before validation and serialization: may change the parameters.
    fn before_parameter_build(&self, ctx: &CallContext<'_>, params: &mut Value) -> Result<(), Error> {
        let _ = (ctx, params);
        Ok(())
    }

    /// After validation, before serialization: returning `Some` answers the
    /// call without sending anything (the stubber does this).
    fn before_call(&self, ctx: &CallContext<'_>, params: &Value) -> Option<Result<Value, Error>> {
        let _ = (ctx, params);
        None
    }

    /// Before endpoint resolution: returning `Some` replaces the builtIn
    /// endpoint parameters of this call, used exactly as given (without the
    /// per-call S3 adjustments). botocore's `before-endpoint-resolution`.
    fn endpoint_builtins(
        &self,
        ctx: &CallContext<'_>,
        params: &Value,
        builtins: &crate::endpoint::BuiltIns,
    ) -> Option<crate::endpoint::BuiltIns> {
        let _ = (ctx, params, builtins);
        None
    }

    /// The serialized request with its endpoint, before signing: may change
    /// URL, headers and body.
    fn request_created(&self, ctx: &CallContext<'_>, params: &Value, request: &mut HttpRequest) -> Result<(), Error> {
        let _ = (ctx, params, request);
        Ok(())
    }

    /// The signed request, about to be sent: returning `Some` uses that
    /// response instead of the network.
    fn before_send(&self, ctx: &CallContext<'_>, request: &HttpRequest) -> Option<Result<HttpResponse, Error>> {
        let _ = (ctx, request);
        None
    }

    /// After a failed attempt: force or forbid a retry.
    fn needs_retry(&self, ctx: &CallContext<'_>, error: &Error) -> RetryVerdict {
        let _ = (ctx, error);
        RetryVerdict::Default
    }

    /// The call's outcome: may change the result or the error.
    fn after_call(&self, ctx: &CallContext<'_>, params: &Value, result: &mut Result<Value, Error>) {
        let _ = (ctx, params, result);
    }
}
