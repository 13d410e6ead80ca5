//! Finding model documents, as botocore's loader does: the directories of
//! `AWS_DATA_PATH`, then `~/.aws/models`, then the embedded bundle.
//!
//! A document is `<dir>/<service>/<api-version>/<type>.json` (or `.json.gz`);
//! global documents are `<dir>/<name>.json`. The newest API version wins
//! unless one is asked for, and a file on the path overrides the embedded
//! copy. `<type>.sdk-extras.json` documents are merged in, as botocore does.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;

use super::bundle::Bundle;
use super::service::ServiceModel;
use super::ModelError;

/// The per-service document types the bundle carries.
pub const DOCUMENT_TYPES: [&str; 5] = ["service-2", "paginators-1", "waiters-2", "endpoint-rule-set-1", "resources-1"];

/// Finds and loads model documents. Cheap to create; loaded models are
/// cached for the whole process, keyed by where they came from.
#[derive(Debug, Clone)]
pub struct Loader {
    search_paths: Vec<PathBuf>,
    embedded: bool,
}

type Cache<T> = Mutex<HashMap<String, Arc<T>>>;

fn model_cache() -> &'static Cache<ServiceModel> {
    static CACHE: OnceLock<Cache<ServiceModel>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn document_cache() -> &'static Cache<serde_json::Value> {
    static CACHE: OnceLock<Cache<serde_json::Value>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn cached<T>(
    cache: &'static Cache<T>,
    key: &str,
    load: impl FnOnce() -> Result<T, ModelError>,
) -> Result<Arc<T>, ModelError> {
    if let Some(hit) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
        return Ok(hit.clone());
    }
    let value = Arc::new(load()?);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    Ok(map.entry(key.to_owned()).or_insert(value).clone())
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from).or_else(std::env::home_dir)
}

fn expand_user(p: &str) -> PathBuf {
    match (p.strip_prefix('~'), home_dir()) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => home.join(rest.trim_start_matches('/')),
        _ => PathBuf::from(p),
    }
}

/// Where a document was found.
enum Found {
    File(PathBuf),
    Embedded(&'static super::bundle::BundleEntry),
}

impl Loader {
    /// A loader with botocore's search path: each directory of
    /// `AWS_DATA_PATH` (`:`-separated, `~` expanded), then `~/.aws/models`,
    /// then the embedded bundle.
    pub fn from_env() -> Loader {
        let mut search_paths: Vec<PathBuf> = std::env::var("AWS_DATA_PATH")
            .ok()
            .map(|v| v.split(':').filter(|s| !s.is_empty()).map(expand_user).collect())
            .unwrap_or_default();
        if let Some(home) = home_dir() {
            search_paths.push(home.join(".aws").join("models"));
        }
        Loader { search_paths, embedded: true }
    }

    /// A loader that reads only the embedded bundle.
    pub fn embedded_only() -> Loader {
        Loader { search_paths: Vec::new(), embedded: true }
    }

    /// A loader over these directories, then (if `embedded`) the bundle.
    pub fn new(search_paths: Vec<PathBuf>, embedded: bool) -> Loader {
        Loader { search_paths, embedded }
    }

    /// The directories searched before the bundle, in order.
    pub fn search_paths(&self) -> &[PathBuf] {
        &self.search_paths
    }

    fn bundle(&self) -> Result<Option<&'static Bundle>, ModelError> {
        if self.embedded {
            Bundle::embedded().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Every service that has a `service-2` model, sorted.
    pub fn list_services(&self) -> Result<Vec<String>, ModelError> {
        self.list_available_services("service-2")
    }

    /// Every service that has a document of `type_name`, sorted.
    pub fn list_available_services(&self, type_name: &str) -> Result<Vec<String>, ModelError> {
        let mut out = BTreeSet::new();
        for dir in &self.search_paths {
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            for service in entries.flatten() {
                let name = service.file_name().to_string_lossy().into_owned();
                if !self.versions_in(&service.path(), type_name).is_empty() {
                    out.insert(name);
                }
            }
        }
        if let Some(bundle) = self.bundle()? {
            out.extend(
                bundle
                    .entries()
                    .iter()
                    .filter(|e| e.type_name() == type_name && !e.service().is_empty())
                    .map(|e| e.service().to_owned()),
            );
        }
        Ok(out.into_iter().collect())
    }

    fn versions_in(&self, service_dir: &Path, type_name: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(service_dir) else { return Vec::new() };
        entries
            .flatten()
            .filter(|v| file_for(&v.path().join(type_name)).is_some())
            .map(|v| v.file_name().to_string_lossy().into_owned())
            .collect()
    }

    /// The API versions of `service` that have a document of `type_name`,
    /// sorted oldest first.
    pub fn list_api_versions(&self, service: &str, type_name: &str) -> Result<Vec<String>, ModelError> {
        let mut out = BTreeSet::new();
        for dir in &self.search_paths {
            out.extend(self.versions_in(&dir.join(service), type_name));
        }
        if let Some(bundle) = self.bundle()? {
            out.extend(bundle.find(service, type_name).map(|e| e.api_version().to_owned()));
        }
        Ok(out.into_iter().collect())
    }

    fn find(&self, service: &str, type_name: &str, api_version: Option<&str>) -> Result<(String, Found), ModelError> {
        let versions = self.list_api_versions(service, type_name)?;
        let version = match api_version {
            Some(v) if versions.iter().any(|x| x == v) => v.to_owned(),
            Some(v) if !versions.is_empty() => {
                return Err(ModelError::UnknownApiVersion {
                    service: service.to_owned(),
                    api_version: v.to_owned(),
                    available: versions,
                })
            }
            Some(_) | None => match versions.last() {
                Some(v) => v.clone(),
                None if type_name == "service-2" => return Err(self.unknown_service(service)),
                None => return Err(ModelError::DataNotFound(format!("{service}/{type_name}"))),
            },
        };
        for dir in &self.search_paths {
            if let Some(path) = file_for(&dir.join(service).join(&version).join(type_name)) {
                return Ok((version, Found::File(path)));
            }
        }
        if let Some(entry) =
            self.bundle()?.and_then(|b| b.find(service, type_name)).filter(|e| e.api_version() == version)
        {
            return Ok((version, Found::Embedded(entry)));
        }
        Err(ModelError::DataNotFound(format!("{service}/{version}/{type_name}")))
    }

    fn unknown_service(&self, service: &str) -> ModelError {
        let known = self.list_services().unwrap_or_default();
        let suggestions = crate::naming::closest(known.iter().map(String::as_str), service, 3);
        ModelError::UnknownService { service: service.to_owned(), suggestions }
    }

    fn read(&self, found: &Found) -> Result<(String, Bytes), ModelError> {
        let data = match found {
            Found::File(path) => read_file(path)?,
            Found::Embedded(entry) => Bundle::embedded()?.read(entry)?.into(),
        };
        Ok((found_key(found), data))
    }

    /// The service model of `service`, newest API version unless one is
    /// given, with `service-2.sdk-extras.json` merged in. Cached per
    /// process: a second call costs a lookup.
    pub fn service_model(&self, service: &str, api_version: Option<&str>) -> Result<Arc<ServiceModel>, ModelError> {
        let (version, found) = self.find(service, "service-2", api_version)?;
        let extras = self.extras(service, &version, "service-2");
        let key = match (&found, &extras) {
            (Found::Embedded(_), None) => format!("embedded:{service}/{version}"),
            (Found::File(p), None) => p.display().to_string(),
            (_, Some(x)) => format!("{}+{}", found_key(&found), x.display()),
        };
        cached(model_cache(), &key, || {
            // With extras, the model as a JSON document they merge into,
            // indexed again afterwards.
            let merged = |source: &str, mut doc: serde_json::Value, extras_path: &Path| {
                merge_extras(&mut doc, extras_path)?;
                let text = serde_json::to_vec(&doc).map_err(|e| ModelError::invalid(source, "", e.to_string()))?;
                ServiceModel::from_bytes(service, &version, source, text)
            };
            if let Found::Embedded(entry) = found {
                let source = found_key(&found);
                let model = Bundle::embedded()?.service_model(entry, &source)?;
                return match &extras {
                    None => Ok(model),
                    Some(extras_path) => merged(&source, model.to_json()?, extras_path),
                };
            }
            let (source, data) = self.read(&found)?;
            match &extras {
                None => ServiceModel::from_bytes(service, &version, &source, data),
                Some(extras_path) => merged(&source, parse_json(&source, &data)?, extras_path),
            }
        })
    }

    /// A per-service JSON document (`paginators-1`, `waiters-2`,
    /// `endpoint-rule-set-1`, `resources-1`) for the given or newest API
    /// version, with its `.sdk-extras.json` merged in. Cached per process.
    pub fn load_document(
        &self,
        service: &str,
        type_name: &str,
        api_version: Option<&str>,
    ) -> Result<Arc<serde_json::Value>, ModelError> {
        let (version, found) = self.find(service, type_name, api_version)?;
        let extras = self.extras(service, &version, type_name);
        let key =
            format!("{}+{}", found_key(&found), extras.as_ref().map(|p| p.display().to_string()).unwrap_or_default());
        cached(document_cache(), &key, || {
            let (source, data) = self.read(&found)?;
            let mut doc = parse_json(&source, &data)?;
            if let Some(extras) = extras {
                merge_extras(&mut doc, &extras)?;
            }
            Ok(doc)
        })
    }

    /// A global document (`partitions`, `_retry`,
    /// `sdk-default-configuration`), from the first search directory that
    /// has `<name>.json`, else the bundle. Cached per process.
    pub fn load_global(&self, name: &str) -> Result<Arc<serde_json::Value>, ModelError> {
        let found = self.search_paths.iter().find_map(|dir| file_for(&dir.join(name)));
        let key = match &found {
            Some(p) => p.display().to_string(),
            None => format!("embedded:{name}"),
        };
        cached(document_cache(), &key, || {
            let (source, data) = match found {
                Some(path) => (path.display().to_string(), read_file(&path)?),
                None => {
                    let bundle = self.bundle()?.ok_or_else(|| ModelError::DataNotFound(name.to_owned()))?;
                    let entry = bundle.find("", name).ok_or_else(|| ModelError::DataNotFound(name.to_owned()))?;
                    (format!("embedded:{name}"), Bytes::from(bundle.read(entry)?))
                }
            };
            parse_json(&source, &data)
        })
    }

    /// The `.sdk-extras.json` file for a document, from the search path (the
    /// bundle has them merged already).
    fn extras(&self, service: &str, version: &str, type_name: &str) -> Option<PathBuf> {
        let name = format!("{type_name}.sdk-extras");
        self.search_paths.iter().find_map(|dir| file_for(&dir.join(service).join(version).join(&name)))
    }
}

fn found_key(found: &Found) -> String {
    match found {
        Found::File(p) => p.display().to_string(),
        Found::Embedded(e) => format!("embedded:{}/{}/{}", e.service(), e.api_version(), e.type_name()),
    }
}

/// `base.json` or `base.json.gz`, whichever exists first.
fn file_for(base: &Path) -> Option<PathBuf> {
    let mut json = base.as_os_str().to_owned();
    json.push(".json");
    let json = PathBuf::from(json);
    if json.is_file() {
        return Some(json);
    }
    let mut gz = json.into_os_string();
    gz.push(".gz");
    let gz = PathBuf::from(gz);
    gz.is_file().then_some(gz)
}

fn read_file(path: &Path) -> Result<Bytes, ModelError> {
    let io = |source| ModelError::Io { path: path.to_owned(), source };
    let raw = std::fs::read(path).map_err(io)?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out).map_err(io)?;
        Ok(out.into())
    } else {
        Ok(raw.into())
    }
}

fn parse_json(source: &str, data: &[u8]) -> Result<serde_json::Value, ModelError> {
    super::service::parse_at(source, "", data)
}

/// Merges the `merge` object of an extras file into `doc`, recursively for
/// objects, replacing everything else (botocore's `merge_dicts`).
fn merge_extras(doc: &mut serde_json::Value, extras: &Path) -> Result<(), ModelError> {
    let source = extras.display().to_string();
    let extra = parse_json(&source, &read_file(extras)?)?;
    if let Some(merge) = extra.get("merge") {
        merge_json(doc, merge);
    }
    Ok(())
}

/// Deep-merges `from` into `into`: objects key by key, anything else
/// replaced.
pub fn merge_json(into: &mut serde_json::Value, from: &serde_json::Value) {
    match (into, from) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge_json(existing, v),
                    _ => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (into, from) => *into = from.clone(),
    }
}
