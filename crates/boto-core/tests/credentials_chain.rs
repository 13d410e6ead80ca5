//! The credential chain end to end, through the project's own client: STS
//! calls against moto, and IMDS, container and SSO endpoints played by local
//! test servers over real sockets.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use boto_core::config::{Env, SharedConfig};
use boto_core::testing::moto_endpoint;
use boto_core::{params, Client};
use boto_test_support::{Action, TestServer};

fn shared(vars: Vec<(&str, String)>, home: &Path) -> Arc<SharedConfig> {
    let env = Env::from_map(vars).with_home(home);
    Arc::new(SharedConfig::builder().env(env).load().unwrap())
}

/// A client whose credentials come from the chain of `shared`.
fn sts(shared: Arc<SharedConfig>, url: &str) -> Client {
    Client::builder("sts").shared_config(shared).region("us-east-1").endpoint_url(url).build().unwrap()
}

#[tokio::test]
async fn assume_role_through_a_source_profile_chain() {
    let Some(url) = moto_endpoint("assume_role_through_a_source_profile_chain") else { return };
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile base]\naws_access_key_id = testing\naws_secret_access_key = testing\n\n\
             [profile hop1]\nrole_arn = arn:aws:iam::123456789012:role/hop1\nsource_profile = base\n\
             role_session_name = first\n\n\
             [profile hop2]\nrole_arn = arn:aws:iam::123456789012:role/hop2\nsource_profile = hop1\n\
             role_session_name = second\nduration_seconds = 900\n\n\
             [services local]\nsts =\n  endpoint_url = {url}\n"
        ),
    )
    .unwrap();
    let vars = vec![
        ("AWS_CONFIG_FILE", config.display().to_string()),
        ("AWS_PROFILE", "hop2".to_owned()),
        ("AWS_DEFAULT_REGION", "us-east-1".to_owned()),
        ("AWS_ENDPOINT_URL_STS", url.clone()),
    ];
    let client = sts(shared(vars, home.path()), &url);
    let creds = client.credentials_cache().unwrap().credentials().await.unwrap();
    assert_eq!(creds.provider(), "assume-role");
    assert!(creds.expiration().is_some());
    assert!(creds.session_token().is_some());
    let who = client.call("GetCallerIdentity", params!({})).await.unwrap();
    let arn = who["Arn"].as_str().unwrap();
    assert!(arn.contains("assumed-role/hop2/second"), "signed as the role of the last hop: {arn}");

    // A cycle is a typed error naming the profiles.
    std::fs::write(
        &config,
        "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n\n\
         [profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n",
    )
    .unwrap();
    let vars = vec![("AWS_CONFIG_FILE", config.display().to_string()), ("AWS_PROFILE", "a".to_owned())];
    let client = sts(shared(vars, home.path()), &url);
    let err = client.call("GetCallerIdentity", params!({})).await.unwrap_err();
    assert!(err.to_string().contains("infinite loop"), "{err}");
}

#[tokio::test]
async fn web_identity_from_a_token_file() {
    let Some(url) = moto_endpoint("web_identity_from_a_token_file") else { return };
    let home = tempfile::tempdir().unwrap();
    let token = home.path().join("token");
    std::fs::write(&token, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJib3RvLXJzIn0.").unwrap();
    let vars = vec![
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.display().to_string()),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web".to_owned()),
        ("AWS_ROLE_SESSION_NAME", "websession".to_owned()),
        ("AWS_ENDPOINT_URL_STS", url.clone()),
        ("AWS_DEFAULT_REGION", "us-east-1".to_owned()),
    ];
    let client = sts(shared(vars, home.path()), &url);
    let creds = client.credentials_cache().unwrap().credentials().await.unwrap();
    assert!(creds.session_token().is_some());
    let who = client.call("GetCallerIdentity", params!({})).await.unwrap();
    assert!(who["Arn"].as_str().unwrap().contains("assumed-role/web/websession"), "{}", who["Arn"]);
}

#[tokio::test]
async fn credential_process_output_signs_calls() {
    let Some(url) = moto_endpoint("credential_process_output_signs_calls") else { return };
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("creds.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"s3cr3t\", \"SessionToken\": \"tok\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = home.path().join("config");
    std::fs::write(&config, format!("[default]\ncredential_process = {}\n", script.display())).unwrap();
    let vars = vec![("AWS_CONFIG_FILE", config.display().to_string())];
    let client = sts(shared(vars, home.path()), &url);
    let creds = client.credentials_cache().unwrap().credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDPROCESS");
    assert!(!format!("{creds:?}").contains("s3cr3t"));
    client.call("GetCallerIdentity", params!({})).await.unwrap();

    // A failing process is an error naming the profile, without secrets.
    std::fs::write(&script, "#!/bin/sh\necho 'boom' >&2\nexit 3\n").unwrap();
    let client = sts(shared(vec![("AWS_CONFIG_FILE", config.display().to_string())], home.path()), &url);
    let err = client.call("GetCallerIdentity", params!({})).await.unwrap_err();
    assert!(err.to_string().contains("boom") || err.to_string().contains('3'), "{err}");
}

#[tokio::test]
async fn imds_v2_and_container_credentials_over_sockets() {
    let Some(url) = moto_endpoint("imds_v2_and_container_credentials_over_sockets") else { return };
    let home = tempfile::tempdir().unwrap();
    // IMDSv2: a token is required; the first credentials request answers 401
    // (an expired token), which must lead to a fresh token.
    let tokens = Arc::new(AtomicUsize::new(0));
    let unauthorized_once = Arc::new(AtomicUsize::new(0));
    let (t, u) = (tokens.clone(), unauthorized_once.clone());
    let imds = TestServer::start(move |req| {
        if req.method == "PUT" && req.path == "/latest/api/token" {
            assert!(req.header("x-aws-ec2-metadata-token-ttl-seconds").is_some());
            let n = t.fetch_add(1, Ordering::SeqCst);
            return Action::ok(format!("token-{n}")).header("x-aws-ec2-metadata-token-ttl-seconds", "21600");
        }
        let Some(token) = req.header("x-aws-ec2-metadata-token") else { return Action::status(401, "") };
        if req.path.starts_with("/latest/meta-data/iam/security-credentials/role") && u.fetch_add(1, Ordering::SeqCst) == 0 {
            return Action::status(401, "");
        }
        let _ = token;
        match req.path.as_str() {
            "/latest/meta-data/iam/security-credentials/" => Action::ok("role"),
            "/latest/meta-data/iam/security-credentials/role" => Action::ok(
                r#"{"Code":"Success","AccessKeyId":"AKIDIMDS","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2099-01-01T00:00:00Z"}"#,
            ),
            _ => Action::status(404, ""),
        }
    })
    .await;
    let vars = vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url())];
    let client = sts(shared(vars, home.path()), &url);
    let creds = client.credentials_cache().unwrap().credentials().await;
    let creds = creds.unwrap_or_else(|e| {
        panic!("{e}: {:?}", imds.requests().iter().map(|r| format!("{} {}", r.method, r.path)).collect::<Vec<_>>())
    });
    assert_eq!(creds.access_key_id(), "AKIDIMDS");
    assert!(tokens.load(Ordering::SeqCst) >= 2, "a 401 led to a new token");
    client.call("GetCallerIdentity", params!({})).await.unwrap();

    // Container credentials with the authorization token from a file.
    let token_file = home.path().join("auth");
    std::fs::write(&token_file, "Bearer secret-auth\n").unwrap();
    let container = TestServer::start(|req| {
        if req.header("authorization") != Some("Bearer secret-auth") {
            return Action::status(401, "");
        }
        Action::ok(r#"{"AccessKeyId":"AKIDECS","SecretAccessKey":"ecs-secret","Token":"ecs-token","Expiration":"2099-01-01T00:00:00Z"}"#)
    })
    .await;
    let vars = vec![
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/creds", container.url())),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.display().to_string()),
    ];
    let client = sts(shared(vars, home.path()), &url);
    let creds = client.credentials_cache().unwrap().credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDECS");
    assert_eq!(container.requests()[0].path, "/creds");
    client.call("GetCallerIdentity", params!({})).await.unwrap();
}

#[tokio::test]
async fn sso_token_cache_to_get_role_credentials() {
    let Some(url) = moto_endpoint("sso_token_cache_to_get_role_credentials") else { return };
    let home = tempfile::tempdir().unwrap();
    let portal = TestServer::start(|req| {
        if req.header("x-amz-sso_bearer_token") != Some("cached-access-token") {
            return Action::status(401, r#"{"message":"bad token"}"#).header("x-amzn-errortype", "UnauthorizedException");
        }
        if !req.path.starts_with("/federation/credentials?") || !req.path.contains("role_name=Dev") {
            return Action::status(400, "");
        }
        Action::ok(r#"{"roleCredentials":{"accessKeyId":"AKIDSSO","secretAccessKey":"sso-secret","sessionToken":"sso-token","expiration":4102444800000}}"#)
            .header("content-type", "application/json")
    })
    .await;
    let config = home.path().join("config");
    std::fs::write(
        &config,
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n\n\
         [sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n",
    )
    .unwrap();
    // The token cache file is named by the SHA-1 of the session name.
    use sha1::Digest as _;
    let name: String = sha1::Sha1::digest(b"corp").iter().map(|b| format!("{b:02x}")).collect();
    let cache = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join(format!("{name}.json")),
        r#"{"accessToken":"cached-access-token","expiresAt":"2099-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://corp.awsapps.com/start"}"#,
    )
    .unwrap();
    let vars = vec![
        ("AWS_CONFIG_FILE", config.display().to_string()),
        ("AWS_PROFILE", "dev".to_owned()),
        ("AWS_ENDPOINT_URL_SSO", portal.url()),
    ];
    let client = sts(shared(vars, home.path()), &url);
    let creds = client.credentials_cache().unwrap().credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDSSO");
    assert_eq!(portal.requests().len(), 1);
    client.call("GetCallerIdentity", params!({})).await.unwrap();
}
