//! Endpoint conformance through real client calls: each `operationInputs`
//! case becomes a client configured from its builtIns, whose call is
//! stopped right before sending, and the signed request is compared.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Client;
use crate::config::{ClientConfig, Env, SharedConfig};
use crate::endpoint::conformance::{CallRunner, Observation, OperationInput};
use crate::endpoint::BuiltIns;
use crate::error::Error;
use crate::hooks::{CallContext, Interceptor};
use crate::request::{HttpRequest, HttpResponse};
use crate::value::Value;

/// Runs `operationInputs` through [`Client::call`], stopping at the signed
/// request (nothing is sent).
#[derive(Debug, Default)]
pub struct ClientCalls {
    shared: HashMap<String, Arc<SharedConfig>>,
}

/// A captured request: URL and headers.
type Captured = (String, Vec<(String, String)>);

/// Stops the call before sending and keeps the request; replaces the
/// endpoint builtIns with the case's, exactly (as botocore's test does).
#[derive(Debug, Default)]
struct Capture {
    request: Mutex<Option<Captured>>,
    builtins: BuiltIns,
}

impl Interceptor for Capture {
    fn endpoint_builtins(&self, _ctx: &CallContext<'_>, _params: &Value, _builtins: &BuiltIns) -> Option<BuiltIns> {
        Some(self.builtins.clone())
    }

    fn before_send(&self, _ctx: &CallContext<'_>, request: &HttpRequest) -> Option<Result<HttpResponse, Error>> {
        let headers = request
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        *self.request.lock().unwrap_or_else(|e| e.into_inner()) = Some((request.url.clone(), headers));
        Some(Err(Error::Hook("stopped before sending".into())))
    }
}

impl ClientCalls {
    /// A hermetic shared configuration (no files, no environment).
    fn shared(&mut self) -> Result<Arc<SharedConfig>, String> {
        if let Some(s) = self.shared.get("") {
            return Ok(s.clone());
        }
        let shared = Arc::new(SharedConfig::builder().env(Env::empty()).load().map_err(|e| e.to_string())?);
        self.shared.insert(String::new(), shared.clone());
        Ok(shared)
    }
}

impl CallRunner for ClientCalls {
    fn call(&mut self, input: &OperationInput) -> Result<Observation, String> {
        let b = &input.builtins;
        let config = ClientConfig {
            region: Some(b.region.clone().unwrap_or_else(|| "us-east-1".into())),
            parameter_validation: Some(false),
            inject_host_prefix: Some(false),
            ..ClientConfig::default()
        };
        let mut creds = crate::credentials::Credentials::new("AKIDEXAMPLE", "secret", None);
        if let Some(account) = &b.account_id {
            creds = creds.with_account_id(Some(account.clone()));
        }
        let capture = Arc::new(Capture { request: Mutex::new(None), builtins: b.clone() });
        let client = Client::builder(&input.service)
            .shared_config(self.shared()?)
            .config(config)
            .credentials(creds)
            .interceptor(capture.clone())
            .build()
            .map_err(|e| e.to_string())?;
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        match rt.block_on(client.call(&input.operation, input.params.clone())) {
            Err(Error::Endpoint(message)) => Err(message),
            Err(Error::Hook(_)) => {
                let captured = capture.request.lock().unwrap_or_else(|e| e.into_inner()).take();
                let (url, headers) = captured.ok_or("nothing captured")?;
                Ok(Observation::Request { url, headers })
            }
            Err(other) => Ok(Observation::Refused(other.to_string())),
            Ok(_) => Err("the call was not stopped".into()),
        }
    }
}
