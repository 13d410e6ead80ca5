//! Helpers for tests that read the upstream conformance data.
//!
//! The data lives in one directory, `BOTO_CONFORMANCE_DIR`, by default
//! `../shared/conformance` beside the repository. When a suite's folder is
//! missing, [`conformance_dir`] fails the test if `BOTO_REQUIRE_CONFORMANCE`
//! is set (CI sets it) and otherwise says loudly on stderr that the suite
//! did not run.

use std::path::PathBuf;

/// The conformance data root: `BOTO_CONFORMANCE_DIR`, else
/// `<repository>/../shared/conformance`.
pub fn conformance_root() -> PathBuf {
    match std::env::var_os("BOTO_CONFORMANCE_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance"),
    }
}

/// The folder of one suite (`protocols`, `cbor`, `sigv4/aws-c-auth`, ...),
/// or `None` after a loud notice when it is missing and not required.
///
/// # Panics
/// When the folder is missing and `BOTO_REQUIRE_CONFORMANCE` is set.
pub fn conformance_dir(suite: &str) -> Option<PathBuf> {
    let dir = conformance_root().join(suite);
    if dir.is_dir() {
        return Some(dir);
    }
    let msg = format!("conformance suite {suite:?} NOT RUN: {} is missing (set BOTO_CONFORMANCE_DIR)", dir.display());
    if std::env::var_os("BOTO_REQUIRE_CONFORMANCE").is_some_and(|v| !v.is_empty() && v != "0") {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!! {msg}\n");
    None
}

/// The local AWS stand-in's URL (`BOTO_TEST_ENDPOINT`, set by the test
/// command), or `None` after a loud notice when it is not set and not
/// required.
///
/// # Panics
/// When it is not set and `BOTO_REQUIRE_CONFORMANCE` is set (CI).
pub fn moto_endpoint(test: &str) -> Option<String> {
    endpoint_from_env(test, "BOTO_TEST_ENDPOINT")
}

/// The local s3s-fs server's URL (`BOTO_TEST_S3_ENDPOINT`, set by the test
/// command from `scripts/aws-local.sh start-s3s-fs`), or `None` after a
/// loud notice when it is not set and not required. s3s-fs checks
/// signatures: use [`test_credentials`].
///
/// # Panics
/// When it is not set and `BOTO_REQUIRE_CONFORMANCE` is set (CI).
pub fn s3s_endpoint(test: &str) -> Option<String> {
    endpoint_from_env(test, "BOTO_TEST_S3_ENDPOINT")
}

fn endpoint_from_env(test: &str, var: &str) -> Option<String> {
    if let Ok(url) = std::env::var(var) {
        if !url.is_empty() {
            return Some(url.trim_end_matches('/').to_owned());
        }
    }
    let msg = format!("integration test {test:?} NOT RUN: {var} is not set (run scripts/test.sh)");
    if std::env::var_os("BOTO_REQUIRE_CONFORMANCE").is_some_and(|v| !v.is_empty() && v != "0") {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!! {msg}\n");
    None
}

/// The credentials the stand-in accepts (`testing`/`testing`).
pub fn test_credentials() -> crate::credentials::Credentials {
    crate::credentials::Credentials::new("testing", "testing", None)
}
