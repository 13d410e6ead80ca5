//! Helpers shared by the `s3_transfer*` integration tests: clients for the
//! local S3 stand-ins (moto, s3s-fs), buckets, random files, hashes, and an
//! interceptor that records the operations called.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use boto::boto_core::hooks::{CallContext, Interceptor};
use boto::boto_core::testing::{moto_endpoint, s3s_endpoint, test_credentials};
use boto::boto_core::{Client, Value};
use boto::s3::transfer::Progress;
use sha2::Digest as _;

pub const MIB: u64 = 1024 * 1024;

/// The stand-ins this run has: `("moto", url)`, `("s3s-fs", url)`.
pub fn backends(test: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(url) = moto_endpoint(test) {
        out.push(("moto", url));
    }
    if let Some(url) = s3s_endpoint(test) {
        out.push(("s3s-fs", url));
    }
    out
}

/// An S3 client for `url` with the test credentials.
pub fn client(url: &str) -> Client {
    Client::builder("s3").region("us-east-1").endpoint_url(url).credentials(test_credentials()).build().expect("client")
}

/// Records every operation a client calls.
#[derive(Debug, Default, Clone)]
pub struct Calls(pub Arc<Mutex<Vec<String>>>);

impl Calls {
    pub fn names(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
    pub fn count(&self, op: &str) -> usize {
        self.names().iter().filter(|n| *n == op).count()
    }
    pub fn clear(&self) {
        self.0.lock().unwrap().clear();
    }
}

impl Interceptor for Calls {
    fn before_call(&self, ctx: &CallContext<'_>, _params: &Value) -> Option<Result<Value, boto::boto_core::Error>> {
        self.0.lock().unwrap().push(ctx.operation.to_owned());
        None
    }
}

/// A client that records its calls.
pub fn recording_client(url: &str) -> (Client, Calls) {
    let calls = Calls::default();
    (client(url).with_interceptor(Arc::new(calls.clone())), calls)
}

/// A fresh bucket.
pub async fn bucket(s3: &Client, prefix: &str) -> String {
    let name = format!("{prefix}-{:08x}", fastrand::u32(..));
    s3.call("CreateBucket", boto::params!({ "Bucket": name.as_str() })).await.expect("CreateBucket");
    name
}

/// Random bytes.
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = vec![0u8; len];
    for chunk in out.chunks_mut(8) {
        let v = rng.u64(..).to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
    out
}

/// A file of `len` random bytes in `dir`, and its SHA-256.
pub fn random_file(dir: &Path, name: &str, len: u64) -> (PathBuf, String) {
    let data = random_bytes(len as usize, len ^ 0x5eed);
    let path = dir.join(name);
    std::fs::write(&path, &data).expect("write test file");
    (path, sha256(&data))
}

pub fn sha256(data: &[u8]) -> String {
    let digest = sha2::Sha256::digest(data);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_file(path: &Path) -> String {
    sha256(&std::fs::read(path).expect("read file"))
}

/// Files in `dir` (names), sorted.
pub fn dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A progress callback and the running total it keeps.
pub fn counter() -> (Progress, Arc<AtomicI64>) {
    let total = Arc::new(AtomicI64::new(0));
    let seen = total.clone();
    (
        Progress::new(move |n| {
            seen.fetch_add(n, Ordering::Relaxed);
        }),
        total,
    )
}
