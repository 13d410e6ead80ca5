//! JSON token caches on disk (`~/.aws/sso/cache`, `~/.aws/login/cache`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha1::Digest;

/// A directory of `<key>.json` files, as botocore's `JSONFileCache`.
/// Writes go to a temporary file (mode 0600 on Unix) renamed into place.
#[derive(Debug, Clone)]
pub struct JsonFileCache {
    dir: PathBuf,
}

impl JsonFileCache {
    /// A cache in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> JsonFileCache {
        JsonFileCache { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file for a key.
    pub fn path_for(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The cached value, `Ok(None)` when absent or not valid JSON.
    pub async fn get(&self, key: &str) -> std::io::Result<Option<serde_json::Value>> {
        let path = self.path_for(key);
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Stores a value.
    pub async fn set(&self, key: &str, value: &serde_json::Value) -> std::io::Result<()> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        tokio::fs::create_dir_all(&self.dir).await?;
        let text = serde_json::to_vec(value).map_err(std::io::Error::other)?;
        let tmp =
            self.dir.join(format!(".{key}.{}.{}.tmp", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        let mut file = options.open(&tmp).await?;
        use tokio::io::AsyncWriteExt;
        let written = async {
            file.write_all(&text).await?;
            file.sync_all().await
        }
        .await;
        drop(file);
        if let Err(e) = written {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(e);
        }
        tokio::fs::rename(&tmp, self.path_for(key)).await
    }
}

/// Lower-case hex SHA-1 of a string (SSO token cache file names).
pub(crate) fn sha1_hex(s: &str) -> String {
    hex(&sha1::Sha1::digest(s.as_bytes()))
}

/// Lower-case hex SHA-256 of a string (login token cache file names).
pub(crate) fn sha256_hex(s: &str) -> String {
    hex(&sha2::Sha256::digest(s.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes() {
        assert_eq!(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            sha256_hex("arn:aws:sts::012345678910:assumed-role/Admin/admin"),
            "4b0ba8f99f075c0633e122fd73346ce203a3faf18ea0310eb2d29df1bab2e255"
        );
    }

    #[tokio::test]
    async fn roundtrip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = JsonFileCache::new(dir.path().join("sub"));
        assert_eq!(cache.get("k").await.unwrap(), None);
        cache.set("k", &serde_json::json!({"a": 1})).await.unwrap();
        assert_eq!(cache.get("k").await.unwrap(), Some(serde_json::json!({"a": 1})));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(cache.path_for("k")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
