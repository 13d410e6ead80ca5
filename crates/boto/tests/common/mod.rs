//! Helpers for the tests against the local AWS stand-in.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

/// A session against moto, or `None` (after a loud notice) without it.
pub fn session(test: &str) -> Option<boto::Session> {
    let url = boto_core::testing::moto_endpoint(test)?;
    Some(
        boto::Session::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials(boto_core::testing::test_credentials())
            .build()
            .expect("session"),
    )
}

/// A blocking session against moto.
pub fn blocking_session(test: &str) -> Option<boto::blocking::Session> {
    let url = boto_core::testing::moto_endpoint(test)?;
    Some(
        boto::blocking::Session::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials(boto_core::testing::test_credentials())
            .build()
            .expect("session"),
    )
}

/// A name no other test (or earlier run against the same moto) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}-{}-{nanos}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}
