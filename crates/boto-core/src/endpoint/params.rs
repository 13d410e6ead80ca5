//! The endpoint parameters of an operation call, built as botocore's
//! `EndpointRulesetResolver` builds them. For each parameter the rule set
//! declares, the first of these that gives a value wins:
//!
//! 1. the operation's `staticContextParams`;
//! 2. the input member marked `contextParam` with the parameter's name;
//! 3. the operation's `operationContextParams` (a JMESPath over the input);
//! 4. the client context parameter of that name, if the model declares it;
//! 5. the builtIn the parameter names, from the client configuration.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use indexmap::IndexMap;
use serde_json::Value as Json;

use super::aws::BuildFnv;
use super::ruleset::RuleSet;
use super::stdlib::is_valid_host_label;
use super::{Endpoint, EndpointError, EndpointParams, ParamValue};
use crate::model::{Loader, ModelError, Operation, ServiceModel};
use crate::Value;

/// S3 parameters the S3 rule set declares but never reads; botocore leaves
/// them out of S3 resolutions.
pub const S3_UNREFERENCED_PARAMS: [&str; 3] = ["Key", "Prefix", "CopySource"];

/// The values the client configuration supplies for builtIn parameters.
/// `None` leaves the parameter to its default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuiltIns {
    /// `AWS::Region`: the client's region.
    pub region: Option<String>,
    /// `AWS::UseFIPS`: `use_fips_endpoint`.
    pub use_fips: Option<bool>,
    /// `AWS::UseDualStack`: `use_dualstack_endpoint`.
    pub use_dual_stack: Option<bool>,
    /// `SDK::Endpoint`: a configured `endpoint_url`.
    pub endpoint: Option<String>,
    /// `AWS::S3::Accelerate`: `s3.use_accelerate_endpoint`.
    pub s3_accelerate: Option<bool>,
    /// `AWS::S3::ForcePathStyle`: `s3.addressing_style == "path"`.
    pub s3_force_path_style: Option<bool>,
    /// `AWS::S3::UseArnRegion`: `s3.use_arn_region`.
    pub s3_use_arn_region: Option<bool>,
    /// `AWS::S3::DisableMultiRegionAccessPoints`:
    /// `s3.s3_disable_multiregion_access_points`.
    pub s3_disable_multi_region_access_points: Option<bool>,
    /// `AWS::S3::UseGlobalEndpoint`: us-east-1 with the legacy S3 regional
    /// endpoint setting.
    pub s3_use_global_endpoint: Option<bool>,
    /// `AWS::S3::DisableS3ExpressSessionAuth`.
    pub s3_disable_express_session_auth: Option<bool>,
    /// `AWS::S3Control::UseArnRegion`: `s3.use_arn_region` for S3 Control.
    pub s3_control_use_arn_region: Option<bool>,
    /// `AWS::STS::UseGlobalEndpoint`: the legacy `sts_regional_endpoints`
    /// setting in a global-endpoint region.
    pub sts_use_global_endpoint: Option<bool>,
    /// `AWS::Auth::AccountId`: the account of the credentials.
    pub account_id: Option<String>,
    /// `AWS::Auth::AccountIdEndpointMode`: `preferred`, `disabled` or
    /// `required`.
    pub account_id_endpoint_mode: Option<String>,
}

/// Every builtIn name botocore 1.44.5 knows, in its order.
pub const BUILT_IN_NAMES: [&str; 14] = [
    "AWS::Region",
    "AWS::UseFIPS",
    "AWS::UseDualStack",
    "AWS::STS::UseGlobalEndpoint",
    "AWS::S3::UseGlobalEndpoint",
    "AWS::S3::Accelerate",
    "AWS::S3::ForcePathStyle",
    "AWS::S3::UseArnRegion",
    "AWS::S3::DisableS3ExpressSessionAuth",
    "AWS::S3Control::UseArnRegion",
    "AWS::S3::DisableMultiRegionAccessPoints",
    "SDK::Endpoint",
    "AWS::Auth::AccountId",
    "AWS::Auth::AccountIdEndpointMode",
];

/// A builtIn, by position in [`BUILT_IN_NAMES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BuiltInId(u8);

impl BuiltInId {
    fn parse(name: &str) -> Option<BuiltInId> {
        BUILT_IN_NAMES.iter().position(|n| *n == name).map(|i| BuiltInId(i as u8))
    }
}

enum Slot<'a> {
    Str(&'a Option<String>),
    Bool(&'a Option<bool>),
}

enum SlotMut<'a> {
    Str(&'a mut Option<String>),
    Bool(&'a mut Option<bool>),
}

impl BuiltIns {
    fn slot(&self, id: BuiltInId) -> Slot<'_> {
        match id.0 {
            0 => Slot::Str(&self.region),
            1 => Slot::Bool(&self.use_fips),
            2 => Slot::Bool(&self.use_dual_stack),
            3 => Slot::Bool(&self.sts_use_global_endpoint),
            4 => Slot::Bool(&self.s3_use_global_endpoint),
            5 => Slot::Bool(&self.s3_accelerate),
            6 => Slot::Bool(&self.s3_force_path_style),
            7 => Slot::Bool(&self.s3_use_arn_region),
            8 => Slot::Bool(&self.s3_disable_express_session_auth),
            9 => Slot::Bool(&self.s3_control_use_arn_region),
            10 => Slot::Bool(&self.s3_disable_multi_region_access_points),
            11 => Slot::Str(&self.endpoint),
            12 => Slot::Str(&self.account_id),
            _ => Slot::Str(&self.account_id_endpoint_mode),
        }
    }

    fn slot_mut(&mut self, id: BuiltInId) -> SlotMut<'_> {
        match id.0 {
            0 => SlotMut::Str(&mut self.region),
            1 => SlotMut::Bool(&mut self.use_fips),
            2 => SlotMut::Bool(&mut self.use_dual_stack),
            3 => SlotMut::Bool(&mut self.sts_use_global_endpoint),
            4 => SlotMut::Bool(&mut self.s3_use_global_endpoint),
            5 => SlotMut::Bool(&mut self.s3_accelerate),
            6 => SlotMut::Bool(&mut self.s3_force_path_style),
            7 => SlotMut::Bool(&mut self.s3_use_arn_region),
            8 => SlotMut::Bool(&mut self.s3_disable_express_session_auth),
            9 => SlotMut::Bool(&mut self.s3_control_use_arn_region),
            10 => SlotMut::Bool(&mut self.s3_disable_multi_region_access_points),
            11 => SlotMut::Str(&mut self.endpoint),
            12 => SlotMut::Str(&mut self.account_id),
            _ => SlotMut::Str(&mut self.account_id_endpoint_mode),
        }
    }

    fn value(&self, id: BuiltInId) -> Option<ParamValue> {
        match self.slot(id) {
            Slot::Str(v) => v.clone().map(ParamValue::String),
            Slot::Bool(v) => v.map(ParamValue::Bool),
        }
    }

    /// The value of the builtIn called `name` (`AWS::Region`), or `None`
    /// if unset; an error for a name botocore does not know.
    pub fn get(&self, name: &str) -> Result<Option<ParamValue>, EndpointError> {
        match BuiltInId::parse(name) {
            Some(id) => Ok(self.value(id)),
            None => Err(EndpointError::UnknownBuiltIn(name.to_owned())),
        }
    }

    /// Sets the builtIn called `name`; `None` unsets it. Fails for unknown
    /// names and values of the wrong type.
    pub fn set(&mut self, name: &str, value: Option<ParamValue>) -> Result<(), EndpointError> {
        let wrong = |kind: &str| EndpointError::Resolution(format!("builtIn {name} must be a {kind}"));
        let id = BuiltInId::parse(name).ok_or_else(|| EndpointError::UnknownBuiltIn(name.to_owned()))?;
        match (self.slot_mut(id), value) {
            (SlotMut::Str(slot), None) => *slot = None,
            (SlotMut::Bool(slot), None) => *slot = None,
            (SlotMut::Str(slot), Some(ParamValue::String(s))) => *slot = Some(s),
            (SlotMut::Bool(slot), Some(ParamValue::Bool(b))) => *slot = Some(b),
            (SlotMut::Str(_), Some(_)) => return Err(wrong("string")),
            (SlotMut::Bool(_), Some(_)) => return Err(wrong("boolean")),
        }
        Ok(())
    }

    /// BuiltIns from a JSON object of names and values (the conformance
    /// cases' `builtInParams`).
    pub fn from_json(obj: &serde_json::Map<String, Json>) -> Result<BuiltIns, EndpointError> {
        let mut b = BuiltIns::default();
        for (k, v) in obj {
            b.set(k, (!v.is_null()).then(|| ParamValue::from_json(v)))?;
        }
        Ok(b)
    }

    /// A copy to adjust if [`BuiltIns::customize_for_s3`] (without the
    /// presign case) would change anything.
    fn clone_if_s3_adjusts(&self, operation: &str, bucket: Option<&str>) -> Option<BuiltIns> {
        let changes = if operation == "GetBucketLocation" {
            self.s3_force_path_style != Some(true)
        } else {
            is_arn(bucket) && self.s3_force_path_style != Some(false)
        };
        changes.then(|| self.clone())
    }

    /// botocore's per-call S3 adjustments (the `before-endpoint-resolution.s3`
    /// handler): `GetBucketLocation` always uses path style; an ARN bucket
    /// never does; a presigned URL for the global endpoint
    /// (`use_global_endpoint`) goes to `aws-global` when the bucket allows
    /// virtual hosting.
    pub fn customize_for_s3(&mut self, operation: &str, bucket: Option<&str>, use_global_endpoint: bool) {
        let bucket_is_arn = is_arn(bucket);
        if operation == "GetBucketLocation" {
            self.s3_force_path_style = Some(true);
        } else if bucket_is_arn {
            self.s3_force_path_style = Some(false);
        }
        let path_style_required = bucket.is_some_and(|b| !is_valid_host_label(b, false));
        let path_style_requested = self.s3_force_path_style.unwrap_or(false);
        let s3_express = bucket.is_some_and(|b| b.ends_with("--x-s3"));
        if use_global_endpoint && !path_style_required && !path_style_requested && !bucket_is_arn && !s3_express {
            self.region = Some("aws-global".into());
            self.s3_use_global_endpoint = Some(true);
        }
    }
}

/// botocore's `ArnParser.is_arn`: `arn:` and six `:`-separated parts.
fn is_arn(s: Option<&str>) -> bool {
    s.is_some_and(|b| b.starts_with("arn:") && b.splitn(6, ':').count() == 6)
}

/// What the client supplies for endpoint parameters beyond the call's
/// input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EndpointConfig {
    /// BuiltIn values from the configuration.
    pub builtins: BuiltIns,
    /// Client context parameters, keyed by the names the model's
    /// `clientContextParams` declares (`ForcePathStyle`,
    /// `DisableS3ExpressSessionAuth`); parameters the model does not
    /// declare are ignored, as in botocore.
    pub client_context: IndexMap<String, ParamValue>,
}

/// Where one rule-set parameter comes from for one operation.
#[derive(Default)]
struct ParamSource {
    index: usize,
    static_value: Option<ParamValue>,
    member: Option<Box<str>>,
    path: Option<ContextPath>,
    client_context: bool,
    /// The builtIn, or the unknown name botocore would fail on.
    built_in: Option<Result<BuiltInId, Box<str>>>,
}

/// An `operationContextParams` path, compiled once (the shared,
/// process-wide cache of [`crate::jmes`]) and evaluated over the input
/// itself, so `keys()` keeps the caller's key order as botocore does.
type ContextPath = Arc<crate::jmes::Expression>;

/// The parameter sources of one operation, worked out once.
struct OperationPlan {
    sources: Vec<ParamSource>,
}

/// Resolves endpoints for the operations of one service: the rule set,
/// the service model, and a per-operation plan of where each parameter
/// comes from. A client holds one and calls [`EndpointResolver::resolve`]
/// per call. Cheap to share across threads.
pub struct EndpointResolver {
    rule_set: Arc<RuleSet>,
    model: Arc<ServiceModel>,
    is_s3: bool,
    plans: Mutex<HashMap<String, Arc<OperationPlan>, BuildFnv>>,
    /// Endpoints already resolved, by their parameter values (resolution is
    /// a pure function of them).
    resolved: Mutex<HashMap<Vec<u8>, Arc<Endpoint>, BuildFnv>>,
}

/// Resolved endpoints kept per resolver; the cache starts over when full.
const RESOLVED_CACHE_SIZE: usize = 512;

/// A cache key for parameter values, or `None` when a value is not a plain
/// string, boolean or string list (such calls are not cached). Values are
/// written with their lengths, so no two parameter sets share a key.
pub(crate) fn cache_key(params: &EndpointParams) -> Option<Vec<u8>> {
    let mut key = Vec::with_capacity(64);
    let text = |key: &mut Vec<u8>, s: &str| {
        key.extend_from_slice(&(s.len() as u32).to_le_bytes());
        key.extend_from_slice(s.as_bytes());
    };
    for (index, v) in params.values.iter().enumerate() {
        let Some(v) = v else { continue };
        key.extend_from_slice(&(index as u32).to_le_bytes());
        match v {
            ParamValue::Bool(b) => key.push(if *b { b'T' } else { b'F' }),
            ParamValue::String(s) => {
                key.push(b'S');
                text(&mut key, s);
            }
            ParamValue::StringArray(a) => {
                key.push(b'A');
                key.extend_from_slice(&(a.len() as u32).to_le_bytes());
                for s in a {
                    text(&mut key, s);
                }
            }
            ParamValue::Other(_) => return None,
        }
    }
    Some(key)
}

impl std::fmt::Debug for EndpointResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EndpointResolver")
            .field("service", &self.model.service_name())
            .field("rule_set", &self.rule_set)
            .finish()
    }
}

/// An operation parameter value as a rule-set parameter value; `None` for
/// null.
fn param_from_value(v: &Value) -> Option<ParamValue> {
    Some(match v {
        Value::Null => return None,
        Value::String(s) => ParamValue::String(s.clone()),
        Value::Bool(b) => ParamValue::Bool(*b),
        Value::List(items) if items.iter().all(|x| matches!(x, Value::String(_))) => {
            ParamValue::StringArray(items.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
        }
        other => ParamValue::Other(other.to_json()),
    })
}

impl EndpointResolver {
    /// A resolver for `model`'s service with the rule set of the embedded
    /// bundle.
    pub fn new(model: Arc<ServiceModel>) -> Result<EndpointResolver, EndpointError> {
        let rule_set = RuleSet::for_service(model.service_name())?;
        Ok(EndpointResolver::with_rule_set(model, rule_set))
    }

    /// A resolver for `model`'s service with the rule set `loader` finds
    /// for the model's API version (else the newest it has), so that a
    /// rule set on `AWS_DATA_PATH` overrides the embedded one as in
    /// botocore.
    pub fn with_loader(loader: &Loader, model: Arc<ServiceModel>) -> Result<EndpointResolver, EndpointError> {
        let service = model.service_name();
        let rule_set = match RuleSet::load(loader, service, Some(model.api_version())) {
            Ok(r) => r,
            Err(EndpointError::Model(ModelError::UnknownApiVersion { .. } | ModelError::DataNotFound(_))) => {
                RuleSet::load(loader, service, None)?
            }
            Err(e) => return Err(e),
        };
        Ok(EndpointResolver::with_rule_set(model, rule_set))
    }

    /// A resolver with a given rule set.
    pub fn with_rule_set(model: Arc<ServiceModel>, rule_set: Arc<RuleSet>) -> EndpointResolver {
        let is_s3 = model.service_name() == "s3";
        EndpointResolver {
            rule_set,
            model,
            is_s3,
            plans: Mutex::new(HashMap::with_hasher(BuildFnv)),
            resolved: Mutex::new(HashMap::with_hasher(BuildFnv)),
        }
    }

    /// The rule set.
    pub fn rule_set(&self) -> &Arc<RuleSet> {
        &self.rule_set
    }

    /// The service model.
    pub fn model(&self) -> &Arc<ServiceModel> {
        &self.model
    }

    fn plan(&self, operation_name: &str) -> Result<Arc<OperationPlan>, EndpointError> {
        if let Some(p) = self.plans.lock().unwrap_or_else(|e| e.into_inner()).get(operation_name) {
            return Ok(p.clone());
        }
        let op = self
            .model
            .operation(operation_name)?
            .ok_or_else(|| EndpointError::UnknownOperation(operation_name.to_owned()))?;
        let plan = Arc::new(self.make_plan(op)?);
        let mut plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
        Ok(plans.entry(operation_name.to_owned()).or_insert(plan).clone())
    }

    fn make_plan(&self, op: &Operation) -> Result<OperationPlan, EndpointError> {
        let input = op.input.as_ref().map(|r| self.model.shape(r.shape));
        let is_s3 = self.is_s3;
        let mut sources = Vec::new();
        for (index, p) in self.rule_set.parameters().iter().enumerate() {
            if is_s3 && S3_UNREFERENCED_PARAMS.contains(&&*p.name) {
                continue;
            }
            let member = input.and_then(|shape| {
                shape
                    .members
                    .iter()
                    .find(|m| m.traits.context_param.as_deref() == Some(&*p.name))
                    .map(|m| m.name.clone())
            });
            let path = match op.operation_context_params.get(&*p.name) {
                None => None,
                Some(path) => Some(crate::jmes::compile(path).map_err(|e| EndpointError::OperationContextParam {
                    param: p.name.to_string(),
                    path: path.clone(),
                    message: e.to_string(),
                })?),
            };
            sources.push(ParamSource {
                index,
                static_value: op
                    .static_context_params
                    .get(&*p.name)
                    .filter(|v| !v.is_null())
                    .map(ParamValue::from_json),
                member,
                path,
                client_context: self.model.client_context_params().contains_key(&*p.name),
                built_in: p.built_in.as_deref().map(|n| BuiltInId::parse(n).ok_or_else(|| n.into())),
            });
        }
        Ok(OperationPlan { sources })
    }

    /// The endpoint parameters of a call, as botocore builds them: the
    /// configuration's builtIns (adjusted per call for S3, as botocore's
    /// S3 handler does) and client context, the operation's static and
    /// operation context parameters, and the input's `contextParam`
    /// members.
    pub fn params_for(
        &self,
        operation: &str,
        input: &Value,
        config: &EndpointConfig,
    ) -> Result<EndpointParams, EndpointError> {
        if self.is_s3 {
            // Copy the builtIns only when the adjustment changes them.
            let bucket = input.get("Bucket").and_then(Value::as_str);
            let mut adjusted = config.builtins.clone_if_s3_adjusts(operation, bucket);
            if let Some(b) = &mut adjusted {
                b.customize_for_s3(operation, bucket, false);
            }
            let builtins = adjusted.as_ref().unwrap_or(&config.builtins);
            self.params_with_builtins(operation, input, builtins, &config.client_context)
        } else {
            self.params_with_builtins(operation, input, &config.builtins, &config.client_context)
        }
    }

    /// The endpoint parameters of a call with exactly these builtIns (no
    /// per-call adjustment).
    pub fn params_with_builtins(
        &self,
        operation: &str,
        input: &Value,
        builtins: &BuiltIns,
        client_context: &IndexMap<String, ParamValue>,
    ) -> Result<EndpointParams, EndpointError> {
        let plan = self.plan(operation)?;
        let mut params = self.rule_set.params();
        for src in &plan.sources {
            let mut value = src.static_value.clone();
            if value.is_none() {
                if let Some(member) = &src.member {
                    value = input.get(member).and_then(param_from_value);
                }
            }
            if value.is_none() {
                let param = || self.rule_set.parameters()[src.index].name.to_string();
                if let Some(path) = &src.path {
                    let found = path.search(input).map_err(|e| EndpointError::OperationContextParam {
                        param: param(),
                        path: path.as_str().to_owned(),
                        message: e.to_string(),
                    })?;
                    value = param_from_value(&found);
                }
            }
            if value.is_none() && src.client_context {
                value = client_context.get(&*self.rule_set.parameters()[src.index].name).cloned();
            }
            if value.is_none() {
                match &src.built_in {
                    None => {}
                    Some(Ok(id)) => value = builtins.value(*id),
                    Some(Err(name)) => return Err(EndpointError::UnknownBuiltIn(name.to_string())),
                }
            }
            if let Some(v) = value {
                params.values[src.index] = Some(v);
            }
        }
        Ok(params)
    }

    /// Resolves the endpoint of a call: [`EndpointResolver::params_for`]
    /// then [`RuleSet::resolve`].
    pub fn resolve(&self, operation: &str, input: &Value, config: &EndpointConfig) -> Result<Endpoint, EndpointError> {
        let params = self.params_for(operation, input, config)?;
        self.resolve_params(&params)
    }

    /// [`EndpointResolver::resolve`], sharing a cached endpoint.
    pub(crate) fn resolve_shared(
        &self,
        operation: &str,
        input: &Value,
        config: &EndpointConfig,
    ) -> Result<Arc<Endpoint>, EndpointError> {
        let params = self.params_for(operation, input, config)?;
        self.resolve_params_shared(&params)
    }

    /// How many resolved endpoints the cache holds.
    #[cfg(test)]
    pub(crate) fn cached_endpoints(&self) -> usize {
        self.resolved.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Resolves parameters, from the cache when they were resolved before.
    pub fn resolve_params(&self, params: &EndpointParams) -> Result<Endpoint, EndpointError> {
        self.resolve_params_shared(params).map(Arc::unwrap_or_clone)
    }

    /// [`EndpointResolver::resolve_params`] without copying a cached
    /// endpoint: calls share it.
    pub(crate) fn resolve_params_shared(&self, params: &EndpointParams) -> Result<Arc<Endpoint>, EndpointError> {
        let Some(key) = cache_key(params) else { return self.rule_set.resolve(params).map(Arc::new) };
        if let Some(hit) = self.resolved.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(hit.clone());
        }
        tracing::debug!(params = ?params, "resolving endpoint");
        let endpoint = Arc::new(self.rule_set.resolve(params)?);
        let mut cache = self.resolved.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= RESOLVED_CACHE_SIZE {
            cache.clear();
        }
        cache.insert(key, endpoint.clone());
        Ok(endpoint)
    }
}
