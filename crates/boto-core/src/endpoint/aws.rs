//! The AWS functions of the rules engine: `aws.partition` (over
//! `partitions.json`), `aws.parseArn` and `aws.isVirtualHostableS3Bucket`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex_lite::Regex;
use serde_json::Value as Json;

use super::stdlib::{is_ipv4_address, is_valid_host_label};
use super::EndpointError;
use crate::model::Loader;

/// The partitions of `partitions.json`, prepared for `aws.partition`.
pub struct Partitions {
    list: Box<[Partition]>,
}

struct Partition {
    id: Box<str>,
    region_regex: RegionRegex,
    /// Regions listed explicitly, with their outputs when the region
    /// overrides any of the partition's.
    regions: HashMap<Box<str>, Option<Outputs>, BuildFnv>,
    /// The partition's outputs, `name` set to its id.
    outputs: Outputs,
}

/// A partition's `regionRegex`, anchored as Python's `re.match` anchors it:
/// at the start only. `regex-lite` compiles these short patterns in
/// microseconds (no automata are built), so they are compiled, and so
/// checked, when the partitions are loaded. Its `\w` and `\d` are ASCII,
/// where Python's are Unicode: a region with non-ASCII letters or digits,
/// which no endpoint would accept as a host label anyway, falls to the
/// default partition.
struct RegionRegex(Regex);

impl RegionRegex {
    fn new(pattern: &str) -> Result<RegionRegex, String> {
        Regex::new(&format!("^(?:{pattern})")).map(RegionRegex).map_err(|e| e.to_string())
    }

    fn is_match(&self, region: &str) -> bool {
        self.0.is_match(region)
    }
}

/// A partition's outputs, as JSON and as a short list of fields (faster to
/// search than a map for the half-dozen keys there are).
pub(crate) struct Outputs {
    json: Json,
    pub(crate) fields: Box<[(Box<str>, Json)]>,
}

impl Outputs {
    fn new(map: serde_json::Map<String, Json>) -> Outputs {
        let fields = map.iter().map(|(k, v)| (k.as_str().into(), v.clone())).collect();
        Outputs { json: Json::Object(map), fields }
    }
}

/// FNV-1a: region names are short, and the table is fixed.
#[derive(Default, Clone, Copy)]
pub(crate) struct BuildFnv;

pub(crate) struct Fnv(u64);

impl std::hash::BuildHasher for BuildFnv {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl std::fmt::Debug for Partitions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.list.iter().map(|p| &p.id)).finish()
    }
}

fn invalid(message: impl Into<String>) -> EndpointError {
    EndpointError::InvalidPartitions(message.into())
}

type PartitionsCache = Mutex<HashMap<usize, Arc<Partitions>>>;

impl Partitions {
    /// Prepares `partitions.json`: `{partitions: [{id, regionRegex,
    /// regions: {name: {description?, <output overrides>?}}, outputs}]}`.
    /// The first partition is the default for regions no partition claims.
    pub fn from_json(doc: &Json) -> Result<Partitions, EndpointError> {
        let list =
            doc.get("partitions").and_then(Json::as_array).ok_or_else(|| invalid("`partitions` must be an array"))?;
        if list.is_empty() {
            return Err(invalid("no partitions"));
        }
        let mut out = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            let id = p.get("id").and_then(Json::as_str).ok_or_else(|| invalid(format!("partitions[{i}] has no id")))?;
            let regex = p
                .get("regionRegex")
                .and_then(Json::as_str)
                .ok_or_else(|| invalid(format!("partition {id} has no regionRegex")))?;
            let region_regex =
                RegionRegex::new(regex).map_err(|e| invalid(format!("partition {id}: bad regionRegex: {e}")))?;
            let mut outputs = match p.get("outputs") {
                Some(Json::Object(o)) => o.clone(),
                _ => return Err(invalid(format!("partition {id} has no outputs object"))),
            };
            outputs.insert("name".into(), Json::String(id.into()));
            let mut regions = HashMap::with_hasher(BuildFnv);
            if let Some(r) = p.get("regions").and_then(Json::as_object) {
                for (name, entry) in r {
                    let overrides = entry
                        .as_object()
                        .map(|e| e.iter().filter(|(k, _)| *k != "description").collect::<Vec<_>>())
                        .unwrap_or_default();
                    let merged = (!overrides.is_empty()).then(|| {
                        let mut o = outputs.clone();
                        for (k, v) in overrides {
                            o.insert(k.clone(), v.clone());
                        }
                        o.insert("name".into(), Json::String(id.into()));
                        Outputs::new(o)
                    });
                    regions.insert(name.as_str().into(), merged);
                }
            }
            out.push(Partition { id: id.into(), region_regex, regions, outputs: Outputs::new(outputs) });
        }
        Ok(Partitions { list: out.into() })
    }

    /// The partitions of the embedded bundle, prepared once per process.
    pub fn embedded() -> Result<Arc<Partitions>, EndpointError> {
        Partitions::cached(&Loader::embedded_only().load_global("partitions")?)
    }

    /// Prepares a loaded document once per process (documents from the
    /// loader live for the whole process, so the address identifies them).
    pub(crate) fn cached(doc: &Arc<Json>) -> Result<Arc<Partitions>, EndpointError> {
        static CACHE: OnceLock<PartitionsCache> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let key = Arc::as_ptr(doc) as usize;
        if let Some(hit) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(hit.clone());
        }
        let prepared = Arc::new(Partitions::from_json(doc)?);
        Ok(cache.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_insert(prepared).clone())
    }

    /// The ids of the partitions, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|p| &*p.id)
    }

    /// `aws.partition(region)`: the outputs (`name`, `dnsSuffix`,
    /// `dualStackDnsSuffix`, `supportsFIPS`, `supportsDualStack`,
    /// `implicitGlobalRegion`) of the first partition that lists the region
    /// or whose regex matches it, else of the first partition. A listed
    /// region's own values override the partition's.
    pub fn lookup(&self, region: Option<&str>) -> &Json {
        &self.find(region).json
    }

    pub(crate) fn find(&self, region: Option<&str>) -> &Outputs {
        if let Some(region) = region {
            for p in self.list.iter() {
                if let Some(entry) = p.regions.get(region) {
                    return entry.as_ref().unwrap_or(&p.outputs);
                }
                if p.region_regex.is_match(region) {
                    return &p.outputs;
                }
            }
        }
        // `from_json` refuses an empty list.
        &self.list[0].outputs
    }
}

/// The parts of an ARN (`arn:partition:service:region:account:resource`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'s> {
    /// The partition (`aws`).
    pub partition: &'s str,
    /// The service (`s3`).
    pub service: &'s str,
    /// The region, possibly empty.
    pub region: &'s str,
    /// The account id, possibly empty.
    pub account_id: &'s str,
    /// Everything after the fifth `:`.
    pub resource: &'s str,
}

impl<'s> Arn<'s> {
    /// `resourceId`: the resource split on `:` and `/`.
    pub fn resource_id(&self) -> impl Iterator<Item = &'s str> {
        self.resource.split([':', '/'])
    }
}

/// `aws.parseArn`: the ARN's parts, or `None` unless it starts with `arn:`,
/// has six `:`-separated parts and a non-empty partition, service and
/// resource.
pub fn parse_arn(s: &str) -> Option<Arn<'_>> {
    if !s.starts_with("arn:") {
        return None;
    }
    let mut it = s.splitn(6, ':');
    let _arn = it.next()?;
    let arn = Arn {
        partition: it.next()?,
        service: it.next()?,
        region: it.next()?,
        account_id: it.next()?,
        resource: it.next()?,
    };
    if arn.partition.is_empty() || arn.service.is_empty() || arn.resource.is_empty() {
        return None;
    }
    Some(arn)
}

/// `aws.isVirtualHostableS3Bucket`: at least 3 characters, no upper case,
/// not an IPv4 address, and a valid host label (each `.`-separated label,
/// when `allow_subdomains`).
pub fn is_virtual_hostable_s3_bucket(bucket: &str, allow_subdomains: bool) -> bool {
    // Host labels are ASCII, so anything else fails anyway.
    bucket.is_ascii()
        && bucket.len() >= 3
        && !bucket.bytes().any(|b| b.is_ascii_uppercase())
        && !is_ipv4_address(bucket)
        && is_valid_host_label(bucket, allow_subdomains)
}
