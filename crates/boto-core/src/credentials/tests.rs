//! Credential provider tests: fakes for AWS calls, a tiny HTTP/1.1 server
//! and client on 127.0.0.1 for IMDS and container credentials, and
//! botocore's login provider cases.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::*;
use crate::config::{Env, ImdsSettings, SharedConfig};
use crate::request::{HttpRequest, HttpResponse};
use crate::value::Value;

// ---------------------------------------------------------------- helpers

/// A test environment: a temp HOME with `.aws/config` and
/// `.aws/credentials`, nothing from the real environment.
struct World {
    dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
        let home = dir.path().to_str().unwrap().to_string();
        let vars = vec![("HOME".to_string(), home.clone()), ("BOTO_CONFIG".to_string(), format!("{home}/no-boto"))];
        World { dir, vars }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn config(self, text: &str) -> World {
        std::fs::write(self.path(".aws/config"), text).unwrap();
        self
    }

    fn credentials(self, text: &str) -> World {
        std::fs::write(self.path(".aws/credentials"), text).unwrap();
        self
    }

    fn var(mut self, k: &str, v: &str) -> World {
        self.vars.push((k.to_string(), v.to_string()));
        self
    }

    fn file(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn env(&self) -> Env {
        Env::from_map(self.vars.clone())
    }

    fn shared(&self) -> SharedConfig {
        SharedConfig::load(&self.env()).unwrap()
    }

    fn shared_profile(&self, profile: &str) -> SharedConfig {
        SharedConfig::builder().env(self.env()).profile(profile).load().unwrap()
    }
}

type Responder = Box<dyn Fn(&ApiCall) -> Result<Value, ApiError> + Send + Sync>;

/// Records every call and answers with a closure.
struct FakeApi {
    calls: Mutex<Vec<ApiCall>>,
    respond: Responder,
}

impl FakeApi {
    fn new(respond: impl Fn(&ApiCall) -> Result<Value, ApiError> + Send + Sync + 'static) -> Arc<FakeApi> {
        Arc::new(FakeApi { calls: Mutex::new(Vec::new()), respond: Box::new(respond) })
    }

    fn calls(&self) -> Vec<ApiCall> {
        self.calls.lock().unwrap().clone()
    }
}

impl AwsApi for FakeApi {
    fn call(&self, call: ApiCall) -> BoxFuture<'_, Result<Value, ApiError>> {
        let result = (self.respond)(&call);
        self.calls.lock().unwrap().push(call);
        Box::pin(async move { result })
    }
}

fn in_an_hour() -> OffsetDateTime {
    OffsetDateTime::now_utc() + time::Duration::hours(1)
}

/// An STS AssumeRole response whose keys name the role.
fn sts_response(tag: &str) -> Value {
    Value::from(serde_json::json!({
        "Credentials": {
            "AccessKeyId": format!("AKID-{tag}"),
            "SecretAccessKey": format!("SECRET-{tag}"),
            "SessionToken": format!("TOKEN-{tag}"),
            "Expiration": format_timestamp(in_an_hour()),
        },
        "AssumedRoleUser": {"Arn": format!("arn:aws:sts::123456789012:assumed-role/{tag}/s"), "AssumedRoleId": "x"},
    }))
}

fn opts_with(api: &Arc<FakeApi>) -> ChainOptions {
    ChainOptions { api: Some(api.clone() as Arc<dyn AwsApi>), region: Some("us-west-2".into()), ..Default::default() }
}

async fn resolve(shared: &SharedConfig, opts: ChainOptions) -> Result<Credentials, CredentialsError> {
    CredentialsCache::from_config(shared, opts)?.credentials().await
}

// ------------------------------------------------------------ test HTTP

#[derive(Debug, Clone)]
struct SeenRequest {
    method: String,
    path: String,
    headers: HashMap<String, String>,
}

type Handler = Arc<dyn Fn(&SeenRequest) -> (u16, String) + Send + Sync>;

/// A one-request-per-connection HTTP/1.1 server on 127.0.0.1.
struct TestServer {
    addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    async fn start(handler: impl Fn(&SeenRequest) -> (u16, String) + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let seen2 = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let handler = handler.clone();
                let seen = seen2.clone();
                tokio::spawn(async move {
                    let Some(req) = read_request(&mut sock).await else { return };
                    seen.lock().unwrap().push(req.clone());
                    let (status, body) = handler(&req);
                    let head = format!(
                        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = sock.write_all(head.as_bytes()).await;
                    let _ = sock.write_all(body.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        TestServer { addr, seen, task }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn seen(&self) -> Vec<SeenRequest> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(sock: &mut TcpStream) -> Option<SeenRequest> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(SeenRequest { method, path, headers })
}

/// A minimal HTTP/1.1 client over a raw TCP stream (http:// only).
struct TestHttp;

impl HttpFetch for TestHttp {
    fn send(&self, request: HttpRequest, timeout: Duration) -> BoxFuture<'_, Result<HttpResponse, HttpFetchError>> {
        Box::pin(async move {
            let work = async {
                let authority =
                    request.authority().ok_or_else(|| HttpFetchError::Other("no authority".into()))?.to_string();
                let mut sock =
                    TcpStream::connect(&authority).await.map_err(|e| HttpFetchError::Connect(e.to_string()))?;
                let mut head = format!("{} {} HTTP/1.1\r\nHost: {authority}\r\n", request.method, {
                    let p = request.path().to_string();
                    match request.query() {
                        Some(q) => format!("{p}?{q}"),
                        None => p,
                    }
                });
                for (k, v) in &request.headers {
                    head.push_str(&format!("{}: {}\r\n", k, v.to_str().unwrap_or_default()));
                }
                head.push_str("Content-Length: 0\r\nConnection: close\r\n\r\n");
                sock.write_all(head.as_bytes()).await.map_err(|e| HttpFetchError::Connect(e.to_string()))?;
                let mut raw = Vec::new();
                sock.read_to_end(&mut raw).await.map_err(|e| HttpFetchError::Connect(e.to_string()))?;
                let end = raw
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .ok_or_else(|| HttpFetchError::Other("malformed response".into()))?;
                let head = String::from_utf8_lossy(&raw[..end]).into_owned();
                let status: u16 = head
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| HttpFetchError::Other("bad status line".into()))?;
                Ok(HttpResponse {
                    status,
                    headers: Default::default(),
                    body: crate::Body::from(raw[end + 4..].to_vec()),
                })
            };
            tokio::time::timeout(timeout, work).await.map_err(|_| HttpFetchError::Timeout)?
        })
    }
}

// ---------------------------------------------------------------- env

#[tokio::test]
async fn env_credentials() {
    let w = World::new()
        .var("AWS_ACCESS_KEY_ID", "AKIDENV")
        .var("AWS_SECRET_ACCESS_KEY", "SECRETENV")
        .var("AWS_SESSION_TOKEN", "SESSION")
        .var("AWS_SECURITY_TOKEN", "SECURITY")
        .var("AWS_ACCOUNT_ID", "111122223333")
        .var("AWS_CREDENTIAL_EXPIRATION", &format_timestamp(in_an_hour()));
    let c = resolve(&w.shared(), ChainOptions::default()).await.unwrap();
    assert_eq!(c.access_key_id(), "AKIDENV");
    assert_eq!(c.secret_access_key(), "SECRETENV");
    assert_eq!(c.session_token(), Some("SECURITY"), "AWS_SECURITY_TOKEN is checked first, as in botocore");
    assert_eq!(c.account_id(), Some("111122223333"));
    assert!(c.expiration().is_some());
    assert_eq!(c.provider(), "env");
}

#[tokio::test]
async fn env_partial_and_empty() {
    let w = World::new().var("AWS_ACCESS_KEY_ID", "AKID");
    let e = resolve(&w.shared(), ChainOptions::default()).await.unwrap_err();
    assert!(matches!(e, CredentialsError::Partial { provider: "env", .. }), "{e:?}");
    assert!(e.to_string().contains("AWS_SECRET_ACCESS_KEY"));
    // An empty access key means "not configured".
    let w = World::new()
        .var("AWS_ACCESS_KEY_ID", "")
        .credentials("[default]\naws_access_key_id=A\naws_secret_access_key=B\n");
    assert_eq!(resolve(&w.shared(), ChainOptions::default()).await.unwrap().provider(), "shared-credentials-file");
}

// -------------------------------------------------------------- files

#[tokio::test]
async fn file_precedence() {
    let w = World::new()
        .config("[default]\naws_access_key_id = CFG\naws_secret_access_key = CFGS\n[profile dev]\naws_access_key_id = CFGDEV\naws_secret_access_key = S\naws_session_token = T\naws_account_id = 999\n")
        .credentials("[default]\naws_access_key_id = CRED\naws_secret_access_key = CREDS\n");
    let c = resolve(&w.shared(), ChainOptions::default()).await.unwrap();
    assert_eq!((c.access_key_id(), c.provider()), ("CRED", "shared-credentials-file"));
    let c = resolve(&w.shared_profile("dev"), ChainOptions::default()).await.unwrap();
    assert_eq!((c.access_key_id(), c.provider()), ("CFGDEV", "config-file"));
    assert_eq!(c.session_token(), Some("T"));
    assert_eq!(c.account_id(), Some("999"));
    // Environment credentials win over files...
    let w = w.var("AWS_ACCESS_KEY_ID", "ENV").var("AWS_SECRET_ACCESS_KEY", "ENVS");
    assert_eq!(resolve(&w.shared(), ChainOptions::default()).await.unwrap().access_key_id(), "ENV");
    // ...unless the profile was chosen in code.
    assert_eq!(resolve(&w.shared_profile("default"), ChainOptions::default()).await.unwrap().access_key_id(), "CRED");
    // AWS_PROFILE from the environment does not disable env credentials.
    let w = w.var("AWS_PROFILE", "dev");
    assert_eq!(resolve(&w.shared(), ChainOptions::default()).await.unwrap().access_key_id(), "ENV");
}

#[tokio::test]
async fn partial_file_credentials() {
    let w = World::new().credentials("[default]\naws_access_key_id = X\n");
    let e = resolve(&w.shared(), ChainOptions::default()).await.unwrap_err();
    assert!(matches!(e, CredentialsError::Partial { provider: "shared-credentials-file", .. }), "{e}");
}

#[tokio::test]
async fn no_credentials_lists_providers() {
    let w = World::new();
    let e = resolve(&w.shared(), ChainOptions::default()).await.unwrap_err();
    match &e {
        CredentialsError::NoCredentials { tried } => {
            assert_eq!(
                tried,
                &[
                    "env",
                    "assume-role",
                    "assume-role-with-web-identity",
                    "sso",
                    "shared-credentials-file",
                    "login",
                    "custom-process",
                    "config-file",
                    "ec2-credentials-file",
                    "boto-config",
                    "container-role",
                    "iam-role"
                ]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn missing_named_profile_is_an_error() {
    let w = World::new().credentials("[default]\naws_access_key_id = A\naws_secret_access_key = B\n");
    let e = resolve(&w.shared_profile("nope"), ChainOptions::default()).await.unwrap_err();
    assert!(
        matches!(&e, CredentialsError::Config(c) if matches!(**c, crate::config::ConfigError::ProfileNotFound { .. })),
        "{e:?}"
    );
    let w = w.var("AWS_PROFILE", "nope");
    assert!(resolve(&w.shared(), ChainOptions::default()).await.is_err());
    // Another profile of the same files, on request.
    let w = World::new().credentials("[other]\naws_access_key_id = OTHER\naws_secret_access_key = B\n");
    let cache = CredentialsCache::for_profile(&w.shared(), "other", ChainOptions::default()).unwrap();
    assert_eq!(cache.credentials().await.unwrap().access_key_id(), "OTHER");
}

#[tokio::test]
async fn legacy_files() {
    let w = World::new();
    let ec2 = w.file("ec2creds", "AWSAccessKeyId=foo\nAWSSecretKey=bar\n");
    let w = w.var("AWS_CREDENTIAL_FILE", ec2.to_str().unwrap());
    let c = resolve(&w.shared(), ChainOptions::default()).await.unwrap();
    assert_eq!((c.access_key_id(), c.secret_access_key(), c.provider()), ("foo", "bar", "ec2-credentials-file"));
    let w = World::new();
    let boto = w.file("boto", "[Credentials]\naws_access_key_id = foo\naws_secret_access_key = bar\n");
    let w = w.var("BOTO_CONFIG", boto.to_str().unwrap());
    let c = resolve(&w.shared(), ChainOptions::default()).await.unwrap();
    assert_eq!((c.access_key_id(), c.provider()), ("foo", "boto-config"));
    // The conformance fixtures of the same formats.
    if let Some(dir) = crate::testing::conformance_dir("config") {
        let w = World::new().var("AWS_CREDENTIAL_FILE", dir.join("cfg/aws_credentials").to_str().unwrap());
        assert_eq!(resolve(&w.shared(), ChainOptions::default()).await.unwrap().access_key_id(), "foo");
        let w = World::new().var("BOTO_CONFIG", dir.join("cfg/boto_config").to_str().unwrap());
        assert_eq!(resolve(&w.shared(), ChainOptions::default()).await.unwrap().secret_access_key(), "bar");
        let w = World::new().var("BOTO_CONFIG", dir.join("cfg/boto_config_empty").to_str().unwrap());
        assert!(matches!(
            resolve(&w.shared(), ChainOptions::default()).await,
            Err(CredentialsError::NoCredentials { .. })
        ));
    }
}

#[tokio::test]
async fn explicit_credentials_win() {
    let w = World::new().var("AWS_ACCESS_KEY_ID", "ENV").var("AWS_SECRET_ACCESS_KEY", "S");
    let opts = ChainOptions { explicit: Some(Credentials::new("EXPLICIT", "S2", None)), ..Default::default() };
    let c = resolve(&w.shared(), opts).await.unwrap();
    assert_eq!((c.access_key_id(), c.provider()), ("EXPLICIT", "explicit"));
}

// -------------------------------------------------------- assume role

#[tokio::test]
async fn assume_role_chain_uses_each_hop_credentials() {
    let w = World::new()
        .config(
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = b\nrole_session_name = sess-a\nexternal_id = ext-a\nduration_seconds = 1800\n\
             [profile b]\nrole_arn = arn:aws:iam::123456789012:role/B\nsource_profile = c\n\
             [profile c]\nregion = us-east-1\n",
        )
        .credentials("[c]\naws_access_key_id = AKID-C\naws_secret_access_key = SECRET-C\n");
    let api = FakeApi::new(|call| {
        let arn = call.params.get("RoleArn").and_then(Value::as_str).unwrap_or_default().to_string();
        Ok(sts_response(arn.rsplit('/').next().unwrap()))
    });
    let c = resolve(&w.shared_profile("a"), opts_with(&api)).await.unwrap();
    assert_eq!(c.access_key_id(), "AKID-A");
    assert_eq!(c.session_token(), Some("TOKEN-A"));
    assert_eq!(c.account_id(), Some("123456789012"));
    assert_eq!(c.provider(), "assume-role");
    let calls = api.calls();
    assert_eq!(calls.len(), 2);
    // Hop 1: B is assumed with C's static keys.
    assert_eq!(calls[0].operation, "AssumeRole");
    assert_eq!(calls[0].params.get("RoleArn").and_then(Value::as_str), Some("arn:aws:iam::123456789012:role/B"));
    assert_eq!(calls[0].credentials.as_ref().unwrap().access_key_id(), "AKID-C");
    assert!(calls[0].params.get("RoleSessionName").and_then(Value::as_str).unwrap().starts_with("botocore-session-"));
    // Hop 2: A is assumed with B's temporary credentials.
    let hop2 = &calls[1];
    assert_eq!(hop2.credentials.as_ref().unwrap().access_key_id(), "AKID-B");
    assert_eq!(hop2.credentials.as_ref().unwrap().session_token(), Some("TOKEN-B"));
    assert_eq!(hop2.params.get("RoleSessionName").and_then(Value::as_str), Some("sess-a"));
    assert_eq!(hop2.params.get("ExternalId").and_then(Value::as_str), Some("ext-a"));
    assert_eq!(hop2.params.get("DurationSeconds").and_then(Value::as_i64), Some(1800));
    assert_eq!(hop2.region.as_deref(), Some("us-west-2"));
    assert_eq!(hop2.service, "sts");
}

#[tokio::test]
async fn assume_role_cycles_are_errors() {
    let w = World::new().config(
        "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n\
         [profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n\
         [profile self]\nrole_arn = arn:aws:iam::1:role/S\nsource_profile = self\n\
         [profile selfstatic]\nrole_arn = arn:aws:iam::1:role/SS\nsource_profile = selfstatic\naws_access_key_id = K\naws_secret_access_key = S\n",
    );
    let api = FakeApi::new(|_| Ok(sts_response("X")));
    let e = resolve(&w.shared_profile("a"), opts_with(&api)).await.unwrap_err();
    match &e {
        CredentialsError::InfiniteLoop { source_profile, visited } => {
            assert_eq!(source_profile, "a");
            assert_eq!(visited, &["a", "b"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("a -> b"), "{e}");
    let e = resolve(&w.shared_profile("self"), opts_with(&api)).await.unwrap_err();
    assert!(matches!(e, CredentialsError::InfiniteLoop { .. }), "{e:?}");
    assert!(api.calls().is_empty(), "nothing is called for a bad configuration");
    // A profile may source its own static keys.
    let c = resolve(&w.shared_profile("selfstatic"), opts_with(&api)).await.unwrap();
    assert_eq!(c.access_key_id(), "AKID-X");
    assert_eq!(api.calls()[0].credentials.as_ref().unwrap().access_key_id(), "K");
}

#[tokio::test]
async fn assume_role_configuration_errors() {
    let w = World::new().config(
        "[profile both]\nrole_arn = r\nsource_profile = x\ncredential_source = Environment\n\
         [profile neither]\nrole_arn = r\n\
         [profile missing]\nrole_arn = r\nsource_profile = nope\n\
         [profile badsource]\nrole_arn = r\ncredential_source = Somewhere\n\
         [profile empty]\nregion = x\n\
         [profile nocreds]\nrole_arn = r\nsource_profile = empty\n\
         [profile baddur]\nrole_arn = r\nsource_profile = empty\nduration_seconds = long\n",
    );
    let api = FakeApi::new(|_| Ok(sts_response("X")));
    let err = |p: &str| {
        let shared = w.shared_profile(p);
        let opts = opts_with(&api);
        async move { resolve(&shared, opts).await.unwrap_err() }
    };
    assert!(matches!(err("both").await, CredentialsError::InvalidProfile { .. }));
    assert!(matches!(err("neither").await, CredentialsError::Partial { provider: "assume-role", .. }));
    let e = err("missing").await;
    assert!(e.to_string().contains("\"nope\""), "{e}");
    let e = err("badsource").await;
    assert!(e.to_string().contains("Somewhere"), "{e}");
    let e = err("nocreds").await;
    assert!(e.to_string().contains("source profile must have credentials") && e.to_string().contains("empty"), "{e}");
    let e = err("baddur").await;
    assert!(e.to_string().contains("duration_seconds"), "{e}");
}

#[tokio::test]
async fn assume_role_credential_source_and_mfa() {
    let w = World::new()
        .config("[profile r]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = Environment\nmfa_serial = arn:aws:iam::1:mfa/me\n")
        .var("AWS_ACCESS_KEY_ID", "AKID-ENV")
        .var("AWS_SECRET_ACCESS_KEY", "S");
    let api = FakeApi::new(|_| Ok(sts_response("R")));
    let e = resolve(&w.shared_profile("r"), opts_with(&api)).await.unwrap_err();
    assert!(matches!(e, CredentialsError::MfaRequired { .. }), "{e:?}");
    let asked = Arc::new(Mutex::new(Vec::new()));
    let asked2 = asked.clone();
    let mut opts = opts_with(&api);
    opts.mfa_token = Some(Arc::new(move |serial: &str| {
        asked2.lock().unwrap().push(serial.to_string());
        Box::pin(async { Ok("123456".to_string()) })
    }));
    let c = resolve(&w.shared_profile("r"), opts).await.unwrap();
    assert_eq!(c.access_key_id(), "AKID-R");
    assert_eq!(asked.lock().unwrap().as_slice(), ["arn:aws:iam::1:mfa/me"]);
    let call = api.calls().pop().unwrap();
    assert_eq!(call.credentials.as_ref().unwrap().access_key_id(), "AKID-ENV");
    assert_eq!(call.params.get("SerialNumber").and_then(Value::as_str), Some("arn:aws:iam::1:mfa/me"));
    assert_eq!(call.params.get("TokenCode").and_then(Value::as_str), Some("123456"));
    // credential_source with nothing there.
    let w = World::new().config("[profile r]\nrole_arn = r\ncredential_source = Environment\n");
    let e = resolve(&w.shared_profile("r"), opts_with(&api)).await.unwrap_err();
    assert!(matches!(e, CredentialsError::NoCredentials { .. }), "{e:?}");
    // Without an API client the provider says what is missing.
    let w = World::new()
        .config("[profile r]\nrole_arn = r\nsource_profile = s\n[profile s]\naws_access_key_id = a\naws_secret_access_key = b\n");
    let e = resolve(&w.shared_profile("r"), ChainOptions::default()).await.unwrap_err();
    assert!(matches!(e, CredentialsError::ApiUnavailable { provider: "assume-role", service: "sts" }), "{e:?}");
}

#[tokio::test]
async fn assume_role_api_errors_propagate() {
    let w = World::new()
        .config("[profile r]\nrole_arn = r\nsource_profile = s\n[profile s]\naws_access_key_id = a\naws_secret_access_key = b\n");
    let api = FakeApi::new(|_| Err(ApiError::service("AccessDenied", "not allowed", Some(403))));
    let e = resolve(&w.shared_profile("r"), opts_with(&api)).await.unwrap_err();
    assert!(
        matches!(&e, CredentialsError::Api { provider: "assume-role", source } if source.code.as_deref() == Some("AccessDenied"))
    );
    assert!(e.to_string().contains("AccessDenied"), "{e}");
}

// ------------------------------------------------------- web identity

#[tokio::test]
async fn web_identity_from_env_and_profile() {
    let w = World::new();
    let token = w.file("token", "JWT-TOKEN-CONTENTS");
    let w = w
        .var("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap())
        .var("AWS_ROLE_ARN", "arn:aws:iam::1:role/Web")
        .var("AWS_ROLE_SESSION_NAME", "websess");
    let api = FakeApi::new(|_| Ok(sts_response("Web")));
    let c = resolve(&w.shared(), opts_with(&api)).await.unwrap();
    assert_eq!((c.access_key_id(), c.provider()), ("AKID-Web", "assume-role-with-web-identity"));
    let call = api.calls().pop().unwrap();
    assert_eq!(call.operation, "AssumeRoleWithWebIdentity");
    assert!(call.credentials.is_none(), "the call is unsigned");
    assert_eq!(call.params.get("WebIdentityToken").and_then(Value::as_str), Some("JWT-TOKEN-CONTENTS"));
    assert_eq!(call.params.get("RoleSessionName").and_then(Value::as_str), Some("websess"));
    assert!(!format!("{call:?}").contains("JWT-TOKEN-CONTENTS"), "ApiCall's Debug hides parameters");

    let w = World::new();
    let token = w.file("token", "PROFILE-JWT");
    let w = w.config(&format!(
        "[profile web]\nweb_identity_token_file = {}\nrole_arn = arn:aws:iam::1:role/P\n",
        token.display()
    ));
    let c = resolve(&w.shared_profile("web"), opts_with(&api)).await.unwrap();
    assert_eq!(c.access_key_id(), "AKID-Web");
    assert_eq!(api.calls().pop().unwrap().params.get("RoleArn").and_then(Value::as_str), Some("arn:aws:iam::1:role/P"));

    let w = World::new().var("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent");
    let e = resolve(&w.shared(), opts_with(&api)).await.unwrap_err();
    assert!(e.to_string().contains("role ARN"), "{e}");
    let w = w.var("AWS_ROLE_ARN", "r");
    let e = resolve(&w.shared(), opts_with(&api)).await.unwrap_err();
    assert!(matches!(e, CredentialsError::Io { .. }), "{e:?}");
}

// ---------------------------------------------------- credential_process

#[cfg(unix)]
fn script(w: &World, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = w.file(name, &format!("#!/bin/sh\n{body}\n"));
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[cfg(unix)]
#[tokio::test]
async fn credential_process() {
    let w = World::new();
    let ok = script(
        &w,
        "ok.sh",
        &format!(
            "echo '{{\"Version\": 1, \"AccessKeyId\": \"AKID-P\", \"SecretAccessKey\": \"SECRET-P\", \"SessionToken\": \"TOK-P\", \"Expiration\": \"{}\"}}'",
            format_timestamp(in_an_hour())
        ),
    );
    let fail = script(&w, "fail.sh", "echo 'SECRET-ON-STDOUT'; echo 'token expired, please log in' >&2; exit 3");
    let v2 = script(&w, "v2.sh", "echo '{\"Version\": 2, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"SECRET\"}'");
    let garbage = script(&w, "garbage.sh", "echo 'not json SECRETVALUE'");
    let w = w.config(&format!(
        "[profile ok]\ncredential_process = {} --flag \"quoted arg\"\naws_account_id = 222\n[profile fail]\ncredential_process = {}\n[profile v2]\ncredential_process = {}\n[profile garbage]\ncredential_process = {}\n[profile missing]\ncredential_process = /nonexistent/program\n",
        ok.display(),
        fail.display(),
        v2.display(),
        garbage.display()
    ));
    let c = resolve(&w.shared_profile("ok"), ChainOptions::default()).await.unwrap();
    assert_eq!((c.access_key_id(), c.secret_access_key(), c.session_token()), ("AKID-P", "SECRET-P", Some("TOK-P")));
    assert_eq!(c.account_id(), Some("222"));
    assert!(c.expiration().is_some());
    assert_eq!(c.provider(), "custom-process");

    let e = resolve(&w.shared_profile("fail"), ChainOptions::default()).await.unwrap_err();
    match &e {
        CredentialsError::Process { status, message, profile, .. } => {
            assert_eq!(*status, Some(3));
            assert_eq!(message, "token expired, please log in");
            assert_eq!(profile, "fail");
        }
        other => panic!("{other:?}"),
    }
    assert!(!e.to_string().contains("SECRET-ON-STDOUT"), "{e}");
    let e = resolve(&w.shared_profile("v2"), ChainOptions::default()).await.unwrap_err();
    assert!(e.to_string().contains("unsupported version '2'"), "{e}");
    let e = resolve(&w.shared_profile("garbage"), ChainOptions::default()).await.unwrap_err();
    assert!(e.to_string().contains("not valid JSON") && !e.to_string().contains("SECRETVALUE"), "{e}");
    let e = resolve(&w.shared_profile("missing"), ChainOptions::default()).await.unwrap_err();
    assert!(matches!(e, CredentialsError::Process { status: None, .. }), "{e:?}");
}

// ---------------------------------------------------------------- SSO

fn sso_api() -> Arc<FakeApi> {
    FakeApi::new(|call| match call.operation {
        "GetRoleCredentials" => {
            if call.params.get("accessToken").and_then(Value::as_str) == Some("revoked") {
                return Err(ApiError::service(
                    "UnauthorizedException",
                    "Session token not found or invalid",
                    Some(401),
                ));
            }
            Ok(Value::from(serde_json::json!({"roleCredentials": {
                "accessKeyId": "AKID-SSO", "secretAccessKey": "SECRET-SSO", "sessionToken": "TOKEN-SSO",
                "expiration": (in_an_hour().unix_timestamp() * 1000),
            }})))
        }
        "CreateToken" => Ok(Value::from(serde_json::json!({
            "accessToken": "refreshed-access-token", "expiresIn": 28800, "refreshToken": "new-refresh",
        }))),
        other => panic!("unexpected {other}"),
    })
}

#[tokio::test]
async fn sso_legacy_profile() {
    let start_url = "https://d-1234.awsapps.com/start";
    let w = World::new().config(&format!(
        "[profile sso]\nsso_start_url = {start_url}\nsso_region = us-east-2\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
    ));
    let key = cache::sha1_hex(start_url);
    w.file(
        &format!(".aws/sso/cache/{key}.json"),
        &serde_json::json!({"accessToken": "cached-access-token", "expiresAt": format_timestamp(in_an_hour())})
            .to_string(),
    );
    let api = sso_api();
    let c = resolve(&w.shared_profile("sso"), opts_with(&api)).await.unwrap();
    assert_eq!((c.access_key_id(), c.provider(), c.account_id()), ("AKID-SSO", "sso", Some("123456789012")));
    let call = api.calls().pop().unwrap();
    assert_eq!(
        (call.service, call.operation, call.region.as_deref()),
        ("sso", "GetRoleCredentials", Some("us-east-2"))
    );
    assert!(call.credentials.is_none());
    assert_eq!(call.params.get("accessToken").and_then(Value::as_str), Some("cached-access-token"));
    assert_eq!(call.params.get("roleName").and_then(Value::as_str), Some("Admin"));
    assert_eq!(call.params.get("accountId").and_then(Value::as_str), Some("123456789012"));

    // Expired token: the user is told to log in again, and nothing is called.
    let expired = OffsetDateTime::now_utc() - time::Duration::minutes(1);
    w.file(
        &format!(".aws/sso/cache/{key}.json"),
        &serde_json::json!({"accessToken": "old", "expiresAt": format_timestamp(expired)}).to_string(),
    );
    let api = sso_api();
    let e = resolve(&w.shared_profile("sso"), opts_with(&api)).await.unwrap_err();
    assert!(matches!(e, CredentialsError::SsoTokenExpired { .. }), "{e:?}");
    assert!(e.to_string().contains("aws sso login"), "{e}");
    assert!(api.calls().is_empty());
}

#[tokio::test]
async fn sso_session_profile_refreshes_token() {
    let w = World::new().config(
        "[profile dev]\nsso_session = corp\nsso_account_id = 111\nsso_role_name = Dev\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\
         [profile bad]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = x\n\
         [profile incomplete]\nsso_account_id = 1\n\
         [profile conflict]\nsso_session = corp\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = x\n",
    );
    let key = cache::sha1_hex("corp");
    let soon = OffsetDateTime::now_utc() + time::Duration::minutes(5);
    let registration = OffsetDateTime::now_utc() + time::Duration::days(30);
    let token_path = w.file(
        &format!(".aws/sso/cache/{key}.json"),
        &serde_json::json!({
            "startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1",
            "accessToken": "nearly-expired", "expiresAt": format_timestamp(soon),
            "refreshToken": "old-refresh", "clientId": "cid", "clientSecret": "csecret",
            "registrationExpiresAt": format_timestamp(registration),
        })
        .to_string(),
    );
    let api = sso_api();
    let c = resolve(&w.shared_profile("dev"), opts_with(&api)).await.unwrap();
    assert_eq!(c.access_key_id(), "AKID-SSO");
    let calls = api.calls();
    assert_eq!(calls[0].operation, "CreateToken");
    assert_eq!(calls[0].service, "sso-oidc");
    assert_eq!(calls[0].params.get("refreshToken").and_then(Value::as_str), Some("old-refresh"));
    assert_eq!(calls[1].params.get("accessToken").and_then(Value::as_str), Some("refreshed-access-token"));
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&token_path).unwrap()).unwrap();
    assert_eq!(saved["accessToken"], "refreshed-access-token");
    assert_eq!(saved["refreshToken"], "new-refresh");
    assert_eq!(saved["clientSecret"], "csecret");

    let e = resolve(&w.shared_profile("bad"), opts_with(&api)).await.unwrap_err();
    assert!(e.to_string().contains("sso-session does not exist"), "{e}");
    let e = resolve(&w.shared_profile("incomplete"), opts_with(&api)).await.unwrap_err();
    assert!(e.to_string().contains("sso_role_name, sso_start_url, sso_region"), "{e}");
    let e = resolve(&w.shared_profile("conflict"), opts_with(&api)).await.unwrap_err();
    assert!(e.to_string().contains("inconsistent"), "{e}");

    // A revoked token gives the "log in again" error.
    w.file(
        &format!(".aws/sso/cache/{key}.json"),
        &serde_json::json!({"accessToken": "revoked", "expiresAt": format_timestamp(in_an_hour())}).to_string(),
    );
    let e = resolve(&w.shared_profile("dev"), opts_with(&api)).await.unwrap_err();
    assert!(matches!(e, CredentialsError::SsoTokenExpired { .. }), "{e:?}");
    // No token at all.
    std::fs::remove_file(&token_path).unwrap();
    let e = resolve(&w.shared_profile("dev"), opts_with(&api)).await.unwrap_err();
    assert!(matches!(e, CredentialsError::SsoToken { .. }) && e.to_string().contains("aws sso login"), "{e:?}");
}

#[tokio::test]
async fn sso_session_fixture() {
    let Some(dir) = crate::testing::conformance_dir("config") else { return };
    let fixture = std::fs::read_to_string(dir.join("cfg/aws_sso_session_config")).unwrap();
    let w = World::new().config(&format!("{fixture}sso_account_id = 123\nsso_role_name = R\n"));
    // The fixture's [default] has sso_session = sso; the appended keys land in [sso-session sso],
    // so the profile has neither account nor role: SSO is not configured for it.
    let api = sso_api();
    let e = resolve(&w.shared(), opts_with(&api)).await.unwrap_err();
    assert!(matches!(e, CredentialsError::NoCredentials { .. }), "{e:?}");
}

// -------------------------------------------------------------- login

#[tokio::test]
async fn login_provider_cases() {
    let Some(dir) = crate::testing::conformance_dir("credentials") else { return };
    let cases: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("login/login-provider-test-cases.json")).unwrap()).unwrap();
    assert_eq!(cases.len(), 8);
    let frozen = OffsetDateTime::parse("2025-11-19T00:00:00Z", &time::format_description::well_known::Rfc3339).unwrap();
    for case in &cases {
        let doc = case["documentation"].as_str().unwrap();
        let w = World::new().config(case["configContents"].as_str().unwrap());
        let cache_dir = w.path("login-cache");
        std::fs::create_dir_all(&cache_dir).unwrap();
        for (name, contents) in case["cacheContents"].as_object().unwrap() {
            std::fs::write(cache_dir.join(name), contents.to_string()).unwrap();
        }
        let w = w.var("AWS_LOGIN_CACHE_DIRECTORY", cache_dir.to_str().unwrap());
        let mock = case.get("mockApiCalls").and_then(|m| m.as_array()).cloned().unwrap_or_default();
        let mock2 = mock.clone();
        let api = FakeApi::new(move |call| {
            assert_eq!((call.service, call.operation), ("signin", "CreateOAuth2Token"));
            let m = &mock2[0];
            if m.get("responseCode").and_then(|c| c.as_u64()).is_some_and(|c| c >= 400) {
                return Err(ApiError::service("ValidationException", "bad refresh token", Some(400)));
            }
            Ok(Value::from(m["response"].clone()))
        });
        let mut opts = opts_with(&api);
        opts.clock = Some(fixed_clock(frozen));
        let result = resolve(&w.shared_profile("signin"), opts).await;
        for outcome in case["outcomes"].as_array().unwrap() {
            match outcome["result"].as_str().unwrap() {
                "credentials" => {
                    let c = result.as_ref().unwrap_or_else(|e| panic!("{doc}: {e}"));
                    assert_eq!(c.access_key_id(), outcome["accessKeyId"], "{doc}");
                    assert_eq!(c.secret_access_key(), outcome["secretAccessKey"], "{doc}");
                    assert_eq!(c.session_token(), outcome["sessionToken"].as_str(), "{doc}");
                    assert_eq!(c.account_id(), outcome["accountId"].as_str(), "{doc}");
                    assert_eq!(c.expiration().map(format_timestamp).as_deref(), outcome["expiresAt"].as_str(), "{doc}");
                }
                "cacheContents" => {
                    for (name, expected) in outcome.as_object().unwrap() {
                        if name == "result" {
                            continue;
                        }
                        let actual: serde_json::Value =
                            serde_json::from_slice(&std::fs::read(cache_dir.join(name)).unwrap()).unwrap();
                        assert_eq!(&actual, expected, "{doc}");
                    }
                }
                "error" => {
                    let e = result.as_ref().err().unwrap_or_else(|| panic!("{doc}: expected an error"));
                    assert!(matches!(e, CredentialsError::Login { .. }), "{doc}: {e:?}");
                }
                other => panic!("unknown outcome {other}"),
            }
        }
        // The API was called exactly as the case's mocks say.
        let calls = api.calls();
        assert_eq!(calls.len(), mock.len(), "{doc}");
        for (call, m) in calls.iter().zip(&mock) {
            assert_eq!(call.params.get("tokenInput"), Some(&Value::from(m["request"]["tokenInput"].clone())), "{doc}");
            assert!(call.credentials.is_none(), "{doc}: unsigned");
            // The DPoP hook signs the final URL.
            let mut req = HttpRequest::new(http::Method::POST, "https://signin.us-east-1.amazonaws.com/v1/token");
            (call.before_send.as_ref().unwrap())(&mut req).unwrap();
            assert_eq!(req.headers["DPoP"].to_str().unwrap().split('.').count(), 3, "{doc}");
        }
    }
}

// ------------------------------------------------------------ refresh

/// Counts calls; each call returns credentials expiring `valid_for` from
/// the test clock, after a short delay.
#[derive(Debug)]
struct Counting {
    calls: AtomicUsize,
    valid_for: time::Duration,
    now: Arc<Mutex<OffsetDateTime>>,
    fail: std::sync::atomic::AtomicBool,
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(20)).await;
            if self.fail.load(Ordering::SeqCst) {
                return Err(CredentialsError::retrieval("counting", "refresh failed"));
            }
            let exp = *self.now.lock().unwrap() + self.valid_for;
            Ok(Some(Credentials::new(format!("AKID{n}"), "S", None).with_expiration(Some(exp))))
        })
    }

    fn name(&self) -> &'static str {
        "counting"
    }
}

fn counting(valid_for: time::Duration) -> (Arc<Counting>, CredentialsCache, Arc<Mutex<OffsetDateTime>>) {
    let now = Arc::new(Mutex::new(OffsetDateTime::now_utc()));
    let provider =
        Arc::new(Counting { calls: AtomicUsize::new(0), valid_for, now: now.clone(), fail: Default::default() });
    let clock_now = now.clone();
    let clock: Clock = Arc::new(move || *clock_now.lock().unwrap());
    let cache = CredentialsCache::with_options(provider.clone(), clock, ADVISORY_REFRESH, MANDATORY_REFRESH);
    (provider, cache, now)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refreshes_once_under_concurrency() {
    let (provider, cache, now) = counting(time::Duration::hours(1));
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.credentials().await.unwrap() })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().access_key_id(), "AKID1");
    }
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    // Still fresh: no refresh.
    assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID1");
    // Within the mandatory window (5 minutes left): every caller waits for one refresh.
    *now.lock().unwrap() += time::Duration::minutes(55);
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.credentials().await.unwrap() })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().access_key_id(), "AKID2");
    }
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn advisory_and_mandatory_failures() {
    let (provider, cache, now) = counting(time::Duration::hours(1));
    assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID1");
    provider.fail.store(true, Ordering::SeqCst);
    // 12 minutes left: advisory; the failure is logged and the current credentials used.
    *now.lock().unwrap() += time::Duration::minutes(48);
    assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    // 5 minutes left: mandatory; the failure is an error.
    *now.lock().unwrap() += time::Duration::minutes(7);
    assert!(cache.credentials().await.is_err());
    // Expired: never handed out.
    *now.lock().unwrap() += time::Duration::minutes(10);
    assert!(cache.credentials().await.is_err());
    provider.fail.store(false, Ordering::SeqCst);
    let fresh = cache.credentials().await.unwrap();
    assert!(fresh.expiration().unwrap() > *now.lock().unwrap());
}

#[tokio::test]
async fn refreshed_but_expired_is_an_error() {
    let (_provider, cache, _now) = counting(time::Duration::minutes(-1));
    let e = cache.credentials().await.unwrap_err();
    assert!(matches!(e, CredentialsError::StillExpired { .. }), "{e:?}");
}

#[tokio::test]
async fn chain_sticks_to_the_first_provider_that_answered() {
    let w = World::new()
        .var("AWS_ACCESS_KEY_ID", "ENV")
        .var("AWS_SECRET_ACCESS_KEY", "S")
        .credentials("[default]\naws_access_key_id = FILE\naws_secret_access_key = S\n");
    let chain = CredentialsChain::from_config(&w.shared(), ChainOptions::default()).unwrap();
    assert_eq!(chain.selected(), None);
    let c = chain.provide_credentials().await.unwrap().unwrap();
    assert_eq!(c.access_key_id(), "ENV");
    assert_eq!(chain.selected(), Some("env"));
    assert_eq!(format!("{chain:?}").matches("env").count(), 2);
}

// ---------------------------------------------------------------- IMDS

fn imds_settings(server: &TestServer) -> ImdsSettings {
    let w = World::new().var("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url("/"));
    ImdsSettings::resolve(&w.shared()).unwrap()
}

fn imds_creds_json() -> String {
    serde_json::json!({
        "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "AKID-IMDS", "SecretAccessKey": "SECRET-IMDS",
        "Token": "TOKEN-IMDS", "Expiration": format_timestamp(OffsetDateTime::now_utc() + time::Duration::hours(6)),
    })
    .to_string()
}

#[tokio::test]
async fn imds_v2_over_a_socket_with_token_renewal() {
    let tokens = Arc::new(AtomicUsize::new(0));
    let t2 = tokens.clone();
    let server = TestServer::start(move |req| {
        match (req.method.as_str(), req.path.as_str()) {
            ("PUT", "/latest/api/token") => {
                assert_eq!(req.headers.get("x-aws-ec2-metadata-token-ttl-seconds").map(String::as_str), Some("21600"));
                let n = t2.fetch_add(1, Ordering::SeqCst) + 1;
                (200, format!("token-{n}"))
            }
            (_, path) => {
                let token = req.headers.get("x-aws-ec2-metadata-token").cloned().unwrap_or_default();
                // The first token is rejected, as after an instance's token rotation.
                if token != "token-2" {
                    return (401, String::new());
                }
                match path {
                    "/latest/meta-data/iam/security-credentials/" => (200, "my-role".into()),
                    "/latest/meta-data/iam/security-credentials/my-role" => (200, imds_creds_json()),
                    _ => (404, String::new()),
                }
            }
        }
    })
    .await;
    let mut settings = imds_settings(&server);
    settings.num_attempts = 2;
    let provider = ImdsProvider::new(Some(Arc::new(TestHttp)), settings, system_clock());
    let c = provider.provide_credentials().await.unwrap().unwrap();
    assert_eq!((c.access_key_id(), c.session_token(), c.provider()), ("AKID-IMDS", Some("TOKEN-IMDS"), "iam-role"));
    assert_eq!(tokens.load(Ordering::SeqCst), 2, "a 401 fetched a new token");
    let seen = server.seen();
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen.iter().filter(|r| r.method == "GET").count(), 3);
}

#[tokio::test]
async fn imds_v1_fallback_and_disabled() {
    let server = TestServer::start(|req| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", _) => (404, String::new()),
        (_, "/latest/meta-data/iam/security-credentials/") => (200, "role".into()),
        (_, "/latest/meta-data/iam/security-credentials/role") => {
            assert!(!req.headers.contains_key("x-aws-ec2-metadata-token"));
            (200, imds_creds_json())
        }
        _ => (404, String::new()),
    })
    .await;
    let settings = imds_settings(&server);
    let provider = ImdsProvider::new(Some(Arc::new(TestHttp)), settings.clone(), system_clock());
    assert_eq!(provider.provide_credentials().await.unwrap().unwrap().access_key_id(), "AKID-IMDS");
    let mut v1_off = settings.clone();
    v1_off.v1_disabled = true;
    let e =
        ImdsProvider::new(Some(Arc::new(TestHttp)), v1_off, system_clock()).provide_credentials().await.unwrap_err();
    assert!(e.to_string().contains("IMDSv1 has been disabled"), "{e}");
    let mut disabled = settings;
    disabled.disabled = true;
    let before = server.seen().len();
    assert!(ImdsProvider::new(Some(Arc::new(TestHttp)), disabled, system_clock())
        .provide_credentials()
        .await
        .unwrap()
        .is_none());
    assert_eq!(server.seen().len(), before, "disabled IMDS is never contacted");
}

#[tokio::test]
async fn imds_unreachable_or_failing_finds_nothing() {
    let server = TestServer::start(|req| match req.method.as_str() {
        "PUT" => (200, "tok".into()),
        _ => (500, "oops".into()),
    })
    .await;
    let mut settings = imds_settings(&server);
    settings.num_attempts = 3;
    let p = ImdsProvider::new(Some(Arc::new(TestHttp)), settings.clone(), system_clock());
    assert!(p.provide_credentials().await.unwrap().is_none());
    assert_eq!(server.seen().iter().filter(|r| r.method == "GET").count(), 3, "num_attempts GETs");
    // Nothing listening.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    settings.endpoint = Some(format!("http://127.0.0.1:{port}/"));
    let p = ImdsProvider::new(Some(Arc::new(TestHttp)), settings, system_clock());
    assert!(p.provide_credentials().await.unwrap().is_none());
    // In the chain, an answering IMDS is the last resort.
    let server = TestServer::start(|req| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", _) => (200, "t".into()),
        (_, "/latest/meta-data/iam/security-credentials/") => (200, "r".into()),
        (_, "/latest/meta-data/iam/security-credentials/r") => (200, imds_creds_json()),
        (_, "/latest/meta-data/placement/availability-zone/") => (200, "eu-west-3b".into()),
        _ => (404, String::new()),
    })
    .await;
    let w = World::new().var("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url(""));
    let opts = ChainOptions { http: Some(Arc::new(TestHttp)), ..Default::default() };
    assert_eq!(resolve(&w.shared(), opts).await.unwrap().provider(), "iam-role");
    let region = fetch_instance_region(&TestHttp, &ImdsSettings::resolve(&w.shared()).unwrap()).await;
    assert_eq!(region.as_deref(), Some("eu-west-3"));
}

// ------------------------------------------------------------ container

#[tokio::test]
async fn container_credentials_with_token_file() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let a2 = attempts.clone();
    let server = TestServer::start(move |req| {
        assert_eq!(req.path, "/v1/credentials");
        assert_eq!(req.headers.get("accept").map(String::as_str), Some("application/json"));
        if a2.fetch_add(1, Ordering::SeqCst) == 0 {
            return (500, "busy".into());
        }
        if req.headers.get("authorization").map(String::as_str) != Some("Bearer pod-token") {
            return (401, "no".into());
        }
        (
            200,
            serde_json::json!({
                "AccessKeyId": "AKID-CT", "SecretAccessKey": "SECRET-CT", "Token": "TOKEN-CT",
                "Expiration": format_timestamp(in_an_hour()), "AccountId": "444",
            })
            .to_string(),
        )
    })
    .await;
    let w = World::new();
    let token_file = w.file("pod-token", "Bearer pod-token\n");
    let w = w
        .var("AWS_CONTAINER_CREDENTIALS_FULL_URI", &server.url("/v1/credentials"))
        .var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.to_str().unwrap())
        .var("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-a-file-is-set");
    let opts = ChainOptions {
        http: Some(Arc::new(TestHttp)),
        container_retry_delay: Some(Duration::from_millis(5)),
        ..Default::default()
    };
    let c = resolve(&w.shared(), opts.clone()).await.unwrap();
    assert_eq!((c.access_key_id(), c.session_token(), c.account_id()), ("AKID-CT", Some("TOKEN-CT"), Some("444")));
    assert_eq!(c.provider(), "container-role");
    assert_eq!(attempts.load(Ordering::SeqCst), 2, "one retry after the 500");

    // A host that is neither loopback nor an ECS/EKS address is refused.
    let w = World::new().var("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://evil.example.com/creds");
    let e = resolve(&w.shared(), opts.clone()).await.unwrap_err();
    assert!(e.to_string().contains("unsupported host"), "{e}");
    // Without an HTTP client.
    let w = World::new().var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds");
    let e = resolve(&w.shared(), ChainOptions::default()).await.unwrap_err();
    assert!(matches!(e, CredentialsError::HttpUnavailable { .. }), "{e:?}");
}

#[tokio::test]
async fn container_as_credential_source() {
    let server = TestServer::start(|req| {
        assert_eq!(req.headers.get("authorization").map(String::as_str), Some("tok"));
        (
            200,
            serde_json::json!({"AccessKeyId": "AKID-CT", "SecretAccessKey": "S", "Token": "T", "Expiration": format_timestamp(in_an_hour())})
                .to_string(),
        )
    })
    .await;
    let w = World::new()
        .config("[profile r]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = EcsContainer\n")
        .var("AWS_CONTAINER_CREDENTIALS_FULL_URI", &server.url("/c"))
        .var("AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok");
    let api = FakeApi::new(|_| Ok(sts_response("R")));
    let mut opts = opts_with(&api);
    opts.http = Some(Arc::new(TestHttp));
    let c = resolve(&w.shared_profile("r"), opts).await.unwrap();
    assert_eq!(c.access_key_id(), "AKID-R");
    assert_eq!(api.calls()[0].credentials.as_ref().unwrap().access_key_id(), "AKID-CT");
}

// ------------------------------------------------------------ redaction

#[tokio::test]
async fn secrets_never_shown() {
    let creds = Credentials::new("AKIDSHOWN", "SECRETHIDDEN", Some("TOKENHIDDEN".into()));
    let cache = CredentialsCache::from_static(creds.clone());
    cache.credentials().await.unwrap();
    let opts = ChainOptions { explicit: Some(creds.clone()), ..Default::default() };
    let call = ApiCall::new(
        "sts",
        "AssumeRoleWithWebIdentity",
        Value::from(serde_json::json!({"WebIdentityToken": "TOKENHIDDEN"})),
    )
    .signed_with(creds.clone());
    let w = World::new()
        .var("AWS_SECRET_ACCESS_KEY", "SECRETHIDDEN")
        .var("AWS_SESSION_TOKEN", "TOKENHIDDEN")
        .credentials("[default]\naws_secret_access_key = SECRETHIDDEN\naws_session_token = TOKENHIDDEN\n");
    let chain = CredentialsChain::from_config(&w.shared(), ChainOptions::default()).unwrap();
    for shown in [
        format!("{creds:?}"),
        format!("{cache:?}"),
        format!("{opts:?}"),
        format!("{call:?}"),
        format!("{:?}", w.env()),
        format!("{:?}", w.shared()),
        format!("{chain:?}"),
        format!("{:?}", StaticProvider::new(creds.clone())),
    ] {
        assert!(!shown.contains("SECRETHIDDEN") && !shown.contains("TOKENHIDDEN"), "{shown}");
    }
    assert!(format!("{creds:?}").contains("AKIDSHOWN"));
}

#[test]
fn arn_account() {
    assert_eq!(
        assume_role::account_from_arn("arn:aws:sts::123456789012:assumed-role/R/s").as_deref(),
        Some("123456789012")
    );
    assert_eq!(assume_role::account_from_arn("invalid-arn"), None);
}
