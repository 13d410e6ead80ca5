//! TLS settings: the webpki root certificates, or a CA bundle file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use super::TransportError;

/// A rustls client configuration trusting the built-in roots, or only the
/// certificates of `ca_bundle` when given. Built once per process and CA
/// bundle (parsing a bundle of a few hundred certificates takes about a
/// millisecond, and a process makes several clients).
pub(super) fn client_config(ca_bundle: Option<&Path>) -> Result<rustls::ClientConfig, TransportError> {
    type Configs = Mutex<HashMap<Option<PathBuf>, rustls::ClientConfig>>;
    static CONFIGS: OnceLock<Configs> = OnceLock::new();
    let configs = CONFIGS.get_or_init(Default::default);
    let key = ca_bundle.map(Path::to_path_buf);
    if let Some(hit) = configs.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(hit.clone());
    }
    let config = build(ca_bundle)?;
    configs.lock().unwrap_or_else(|e| e.into_inner()).insert(key, config.clone());
    Ok(config)
}

fn build(ca_bundle: Option<&Path>) -> Result<rustls::ClientConfig, TransportError> {
    let mut roots = rustls::RootCertStore::empty();
    match ca_bundle {
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Some(path) => {
            let pem = std::fs::read(path)
                .map_err(|e| TransportError::Tls(format!("cannot read CA bundle {}: {e}", path.display())))?;
            let mut count = 0;
            for cert in CertificateDer::pem_slice_iter(&pem) {
                let cert = cert.map_err(|e| TransportError::Tls(format!("CA bundle {}: {e}", path.display())))?;
                roots.add(cert).map_err(|e| TransportError::Tls(format!("CA bundle {}: {e}", path.display())))?;
                count += 1;
            }
            if count == 0 {
                return Err(TransportError::Tls(format!("CA bundle {} holds no certificates", path.display())));
            }
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}
