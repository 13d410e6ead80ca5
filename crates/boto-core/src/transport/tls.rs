//! TLS settings: the webpki root certificates, or a CA bundle file.

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};

use http::Uri;
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use tower_service::Service;

use super::proxy::{ProxyConnector, ProxyStream};

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

/// The client's connector: plain connections for `http://` endpoints, TLS
/// for `https://` ones, with the TLS configuration (the roots, or a CA
/// bundle to read and parse) prepared on the first https connection, as
/// botocore does. A client that only talks to a local `http://` endpoint
/// never pays for it.
#[derive(Clone)]
pub(super) struct Connector {
    plain: ProxyConnector,
    ca_bundle: Option<PathBuf>,
    https: Arc<OnceLock<Result<HttpsConnector<ProxyConnector>, String>>>,
}

impl Connector {
    pub(super) fn new(plain: ProxyConnector, ca_bundle: Option<PathBuf>) -> Connector {
        Connector { plain, ca_bundle, https: Arc::new(OnceLock::new()) }
    }

    /// The TLS connector, prepared on first use; a bad CA bundle is a
    /// [`TransportError::Tls`] (the client checks this before sending to
    /// an https URL, so connections never see the error).
    pub(super) fn tls(&self) -> Result<&HttpsConnector<ProxyConnector>, TransportError> {
        let https = self.https.get_or_init(|| match client_config(self.ca_bundle.as_deref()) {
            Ok(config) => Ok(hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(config)
                .https_or_http()
                .enable_http1()
                .wrap_connector(self.plain.clone())),
            Err(TransportError::Tls(message)) => Err(message),
            Err(other) => Err(other.to_string()),
        });
        https.as_ref().map_err(|message| TransportError::Tls(message.clone()))
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Service<Uri> for Connector {
    type Response = MaybeHttpsStream<ProxyStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.plain.poll_ready(cx)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        if dst.scheme_str() == Some("https") {
            return match self.tls() {
                Ok(https) => Box::pin(https.clone().call(dst)),
                Err(e) => Box::pin(std::future::ready(Err(e.into()))),
            };
        }
        let connecting = self.plain.call(dst);
        Box::pin(async move { Ok(MaybeHttpsStream::Http(connecting.await?)) })
    }
}
