//! Waiters on the blocking client.

use super::{WaiterConfig, WaiterSpec};
use crate::blocking::Client;
use crate::error::Error;
use crate::value::Value;

impl Client {
    /// Waits with the waiter called `name` (see [`crate::Client::wait`]).
    ///
    /// ```no_run
    /// use boto_core::{blocking, params, waiter::WaiterConfig};
    /// let ddb = blocking::Client::builder("dynamodb").region("us-east-1").build().unwrap();
    /// ddb.wait("table_exists", params!({ "TableName": "users" }), WaiterConfig::default()).unwrap();
    /// ```
    pub fn wait(&self, name: &str, params: Value, config: WaiterConfig) -> Result<Value, Error> {
        self.runtime().block_on(self.as_async().wait(name, params, config))?
    }

    /// The waiter called `name` (`TableExists` or `table_exists`).
    pub fn waiter_spec(&self, name: &str) -> Result<WaiterSpec, Error> {
        self.as_async().waiter_spec(name)
    }

    /// The model names of this service's waiters, sorted.
    pub fn waiter_names(&self) -> Result<Vec<String>, Error> {
        self.as_async().waiter_names()
    }
}
