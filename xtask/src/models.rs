//! `cargo xtask models [--check]`: builds `models/models.bin` from the pinned
//! botocore and boto3 wheels.
//!
//! For every service, the newest API version's service-2, paginators-1,
//! waiters-2 and endpoint-rule-set-1 (with `.sdk-extras.json` merged as
//! botocore merges them), boto3's resources-1, and the global partitions,
//! endpoints (the legacy endpoint data boto3's get_available_regions
//! reads), _retry and sdk-default-configuration documents. Documentation is
//! stripped; each document is compressed with zstd level 19 and a dictionary
//! trained on all of them, into a frame of its own.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

/// The pinned wheels: (file name, sha256).
const WHEELS: [(&str, &str); 2] = [
    ("botocore-1.44.5-py3-none-any.whl", "8f16a56d1dff125dd65322ae021efa7ba5195a6db5102b96862566055b748921"),
    ("boto3-1.44.5-py3-none-any.whl", "70c3e0409794b29ec1900bcaff0695b73234a2d32ffaed35045b94caa26212a5"),
];
const REQUIREMENTS: [&str; 2] = ["botocore==1.44.5", "boto3==1.44.5"];
const GLOBALS: [&str; 4] = ["partitions", "endpoints", "_retry", "sdk-default-configuration"];
const PER_SERVICE: [&str; 4] = ["service-2", "paginators-1", "waiters-2", "endpoint-rule-set-1"];
const LEVEL: i32 = 19;
const DICT_SIZE: usize = 112 * 1024;
const SAMPLE_SIZE: usize = 16 * 1024;
/// Service models larger than this (as a frame) are stored chunked.
const CHUNKED_ABOVE: usize = 256 * 1024;
/// The size a chunk of a chunked model grows to before the next starts.
const CHUNK_SIZE: usize = 16 * 1024;
/// A shape reached by at least this many operations goes to the chunks of
/// shared shapes, in front.
const SHARED_BY: usize = 4;

pub fn run(root: &Path, check: bool) -> Result<()> {
    let cache = root.join("target").join("xtask").join("wheels");
    let wheels = fetch_wheels(&cache)?;
    let files = read_wheels(&wheels)?;
    let docs = collect(&files)?;
    eprintln!(
        "models: {} documents, {} bytes before compression",
        docs.len(),
        docs.iter().map(|d| d.3.len()).sum::<usize>()
    );
    let bundle = compress(&docs)?;
    let out = root.join("models").join("models.bin");
    if check {
        let current = std::fs::read(&out).with_context(|| format!("reading {}", out.display()))?;
        if current != bundle {
            bail!("models/models.bin differs from what `cargo xtask models` generates ({} vs {} bytes); regenerate and commit it", current.len(), bundle.len());
        }
        eprintln!("models: models/models.bin is up to date ({} bytes)", bundle.len());
    } else {
        std::fs::write(&out, &bundle).with_context(|| format!("writing {}", out.display()))?;
        eprintln!("models: wrote {} ({} bytes)", out.display(), bundle.len());
    }
    Ok(())
}

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// Downloads the pinned wheels with pip (unless cached) and checks them.
fn fetch_wheels(cache: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(cache)?;
    let ok = |(name, sha): &(&str, &str)| std::fs::read(cache.join(name)).is_ok_and(|d| sha256_hex(&d) == *sha);
    if !WHEELS.iter().all(ok) {
        eprintln!("models: downloading {} from PyPI", REQUIREMENTS.join(" "));
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let status = Command::new(&python)
            .args([
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--disable-pip-version-check",
                "-q",
                "-d",
            ])
            .arg(cache)
            .args(REQUIREMENTS)
            .status()
            .with_context(|| format!("running {python} -m pip"))?;
        if !status.success() {
            bail!("pip download failed ({status})");
        }
    }
    WHEELS
        .iter()
        .map(|(name, sha)| {
            let path = cache.join(name);
            let data = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let got = sha256_hex(&data);
            if got != *sha {
                bail!("{name}: sha256 {got}, expected {sha}");
            }
            Ok(path)
        })
        .collect()
}

/// Every `*/data/**.json[.gz]` file of the wheels, by path below `data/`
/// (botocore and boto3 paths are kept apart by a `botocore:`/`boto3:` prefix).
fn read_wheels(wheels: &[PathBuf]) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    for wheel in wheels {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(wheel)?)?;
        for i in 0..zip.len() {
            let mut f = zip.by_index(i)?;
            let name = f.name()?.into_owned();
            let Some((pkg, rest)) = name.split_once("/data/") else { continue };
            if !(rest.ends_with(".json") || rest.ends_with(".json.gz")) {
                continue;
            }
            let mut data = Vec::new();
            f.read_to_end(&mut data)?;
            if rest.ends_with(".gz") {
                let mut plain = Vec::new();
                flate2_gunzip(&data, &mut plain).with_context(|| name.clone())?;
                data = plain;
            }
            out.insert(format!("{pkg}:{}", rest.trim_end_matches(".gz")), data);
        }
    }
    Ok(out)
}

fn flate2_gunzip(data: &[u8], out: &mut Vec<u8>) -> Result<()> {
    flate2::read::GzDecoder::new(data).read_to_end(out)?;
    Ok(())
}

type Doc = (String, String, String, Vec<u8>);

fn parse(files: &BTreeMap<String, Vec<u8>>, key: &str) -> Result<Json> {
    let data = files.get(key).with_context(|| format!("{key} missing from the wheel"))?;
    serde_json::from_slice(data).with_context(|| format!("parsing {key}"))
}

/// Removes documentation, documentation URLs and examples, except inside a
/// `members` map (where those words could be member names).
fn strip(v: &mut Json, in_members: bool) {
    match v {
        Json::Object(map) => {
            if !in_members {
                map.shift_remove("documentation");
                map.shift_remove("documentationUrl");
                map.shift_remove("examples");
            }
            for (k, child) in map.iter_mut() {
                strip(child, k == "members" && !in_members);
            }
        }
        Json::Array(list) => list.iter_mut().for_each(|c| strip(c, false)),
        _ => {}
    }
}

/// The documents of the bundle: (service, version, type, raw bytes).
fn collect(files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<Doc>> {
    // service -> versions that have a service-2.
    let mut versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for key in files.keys() {
        if let Some(rest) = key.strip_prefix("botocore:") {
            let parts: Vec<&str> = rest.split('/').collect();
            if parts.len() == 3 && parts[2] == "service-2.json" {
                versions.entry(parts[0]).or_default().push(parts[1]);
            }
        }
    }
    let mut docs = Vec::new();
    for name in GLOBALS {
        let mut doc = parse(files, &format!("botocore:{name}.json"))?;
        strip(&mut doc, false);
        docs.push((String::new(), String::new(), name.to_owned(), serde_json::to_vec(&doc)?));
    }
    for (service, vs) in &versions {
        let version = vs.iter().max().expect("at least one version");
        for type_name in PER_SERVICE {
            let key = format!("botocore:{service}/{version}/{type_name}.json");
            if !files.contains_key(&key) {
                continue;
            }
            let mut doc = parse(files, &key)?;
            let extras_key = format!("botocore:{service}/{version}/{type_name}.sdk-extras.json");
            if files.contains_key(&extras_key) {
                let extras = parse(files, &extras_key)?;
                if let Some(merge) = extras.get("merge") {
                    boto_core::model::merge_json(&mut doc, merge);
                }
            }
            strip(&mut doc, false);
            if type_name != "service-2" {
                docs.push((service.to_string(), version.to_string(), type_name.to_owned(), serde_json::to_vec(&doc)?));
                continue;
            }
            let frame = service_frame(&doc).with_context(|| key.clone())?;
            if frame.len() <= CHUNKED_ABOVE {
                docs.push((service.to_string(), version.to_string(), type_name.to_owned(), frame));
                continue;
            }
            // The index, then its chunks right after it (the reader finds
            // them there).
            let (index, chunks) = chunked_service(&doc).with_context(|| key.clone())?;
            docs.push((service.to_string(), version.to_string(), type_name.to_owned(), index));
            for (i, chunk) in chunks.into_iter().enumerate() {
                docs.push((
                    service.to_string(),
                    version.to_string(),
                    boto_core::model::bundle::chunk_type(i as u32),
                    chunk,
                ));
            }
        }
    }
    // boto3's resource models, newest version of each.
    let mut resources: BTreeMap<&str, &str> = BTreeMap::new();
    for key in files.keys() {
        if let Some(rest) = key.strip_prefix("boto3:") {
            let parts: Vec<&str> = rest.split('/').collect();
            if parts.len() == 3 && parts[2] == "resources-1.json" {
                let v = resources.entry(parts[0]).or_insert(parts[1]);
                if parts[1] > *v {
                    *v = parts[1];
                }
            }
        }
    }
    for (service, version) in resources {
        let newest = versions.get(service).and_then(|v| v.iter().max()).copied();
        if newest != Some(version) {
            bail!("boto3 resources for {service} are {version}, but the newest service model is {newest:?}");
        }
        let mut doc = parse(files, &format!("boto3:{service}/{version}/resources-1.json"))?;
        strip(&mut doc, false);
        docs.push((service.to_owned(), version.to_owned(), "resources-1".into(), serde_json::to_vec(&doc)?));
    }
    Ok(docs)
}

/// The indexed frame of a service model (see `boto_core::model::frame`).
fn service_frame(doc: &Json) -> Result<Vec<u8>> {
    let compact = |v: &Json| serde_json::to_string(v).expect("JSON serializes");
    let metadata = compact(doc.get("metadata").context("no metadata")?);
    let extra = doc.get("clientContextParams").map(compact).unwrap_or_default();
    let pairs = |key: &str| -> Vec<(String, String)> {
        doc.get(key)
            .and_then(Json::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), compact(v))).collect())
            .unwrap_or_default()
    };
    Ok(boto_core::model::frame::encode_frame(&metadata, &extra, &pairs("operations"), &pairs("shapes")))
}

/// A service model stored chunked (see `boto_core::model::frame`): the
/// index and the chunks. The pieces are ordered so that an operation and
/// the shapes it reaches lie in few chunks: first the shapes many
/// operations share, then each operation (sorted by name) followed by the
/// shapes it reaches that are not placed yet (depth first), then the
/// shapes no operation reaches, and last the exception shapes, in chunks
/// of their own (an error lookup reads only those).
fn chunked_service(doc: &Json) -> Result<(Vec<u8>, Vec<Vec<u8>>)> {
    use boto_core::model::frame::Piece;
    use std::collections::{BTreeSet, HashMap};
    let compact = |v: &Json| serde_json::to_string(v).expect("JSON serializes");
    let metadata = compact(doc.get("metadata").context("no metadata")?);
    let extra = doc.get("clientContextParams").map(compact).unwrap_or_default();
    let empty = serde_json::Map::new();
    let ops = doc.get("operations").and_then(Json::as_object).unwrap_or(&empty);
    let shapes = doc.get("shapes").and_then(Json::as_object).unwrap_or(&empty);
    let target = |r: &Json| r.get("shape").and_then(Json::as_str).map(str::to_owned);
    let refs = |shape: &Json| -> Vec<String> {
        let mut out: Vec<String> =
            ["member", "key", "value"].iter().filter_map(|k| shape.get(*k)).filter_map(target).collect();
        if let Some(members) = shape.get("members").and_then(Json::as_object) {
            out.extend(members.values().filter_map(target));
        }
        out
    };
    let roots = |op: &Json| -> Vec<String> {
        let mut out: Vec<String> = ["input", "output"].iter().filter_map(|k| op.get(*k)).filter_map(target).collect();
        if let Some(errors) = op.get("errors").and_then(Json::as_array) {
            out.extend(errors.iter().filter_map(target));
        }
        out
    };
    // Depth first from `start`, in member order: every shape reached once.
    let walk = |start: Vec<String>| -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut order = Vec::new();
        let mut stack: Vec<String> = start.into_iter().rev().collect();
        while let Some(name) = stack.pop() {
            let Some(shape) = shapes.get(&name) else { continue };
            if !seen.insert(name.clone()) {
                continue;
            }
            stack.extend(refs(shape).into_iter().rev());
            order.push(name);
        }
        order
    };
    let reached: Vec<(&String, Vec<String>)> = ops.iter().map(|(name, op)| (name, walk(roots(op)))).collect();
    let mut users: HashMap<&str, usize> = HashMap::new();
    for (_, names) in &reached {
        for n in names {
            *users.entry(n.as_str()).or_default() += 1;
        }
    }
    let is_exception =
        |name: &str| shapes.get(name).and_then(|s| s.get("exception")).and_then(Json::as_bool) == Some(true);
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    let mut order: Vec<(bool, &str)> = Vec::new();
    for (_, names) in &reached {
        for n in names {
            if users[n.as_str()] >= SHARED_BY && !is_exception(n) && placed.insert(n) {
                order.push((false, n));
            }
        }
    }
    for (op, names) in &reached {
        order.push((true, op.as_str()));
        for n in names {
            if !is_exception(n) && placed.insert(n) {
                order.push((false, n));
            }
        }
    }
    for n in shapes.keys() {
        if !is_exception(n) && placed.insert(n) {
            order.push((false, n));
        }
    }
    let first_exception = order.len();
    order.extend(shapes.keys().filter(|n| is_exception(n)).map(|n| (false, n.as_str())));
    let mut chunks: Vec<Vec<Piece>> = vec![Vec::new()];
    let mut size = 0;
    for (i, (operation, name)) in order.into_iter().enumerate() {
        let json = compact(if operation { &ops[name] } else { &shapes[name] });
        if (size >= CHUNK_SIZE || i == first_exception) && !chunks.last().is_some_and(Vec::is_empty) {
            chunks.push(Vec::new());
            size = 0;
        }
        size += name.len() + json.len() + 2;
        let exception = !operation && is_exception(name);
        chunks.last_mut().expect("one chunk").push(Piece { operation, name: name.to_owned(), json, exception });
    }
    Ok(boto_core::model::frame::encode_chunked(&metadata, &extra, &chunks))
}

fn compress(docs: &[Doc]) -> Result<Vec<u8>> {
    let mut samples: Vec<&[u8]> = Vec::new();
    for d in docs {
        samples.extend(d.3.chunks(SAMPLE_SIZE));
    }
    let dict = zstd::dict::from_samples(&samples, DICT_SIZE).context("training the zstd dictionary")?;
    let mut compressor = zstd::bulk::Compressor::with_dictionary(LEVEL, &dict)?;
    let mut frames = Vec::with_capacity(docs.len());
    for (service, version, type_name, data) in docs {
        let frame = compressor.compress(data)?;
        frames.push((service.clone(), version.clone(), type_name.clone(), frame, data.len()));
    }
    let mut by_type: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for f in &frames {
        let kind = if f.2.starts_with("service-2.") { "service-2 chunks" } else { f.2.as_str() };
        let e = by_type.entry(kind).or_default();
        e.0 += f.4;
        e.1 += f.3.len();
    }
    for (t, (raw, packed)) in by_type {
        eprintln!("models: {t:>22}: {raw:>9} -> {packed:>8} bytes");
    }
    eprintln!("models: {:>22}: {:>8} bytes", "dictionary", dict.len());
    Ok(boto_core::model::bundle::write_bundle(&dict, &frames))
}
