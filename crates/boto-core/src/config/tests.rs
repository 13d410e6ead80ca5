//! Configuration tests: botocore's `cfg` fixtures (expected results ported
//! from `tests/unit/test_configloader.py` and `test_session.py`), the
//! configured-endpoint-URL suite, and settings precedence.

// `ClientConfig` is `#[non_exhaustive]`: outside the crate it can only be
// built by assigning fields to a default, so the tests do it that way too.
#![allow(clippy::field_reassign_with_default)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;
use crate::testing::conformance_dir;

fn cfg(name: &str) -> Option<PathBuf> {
    Some(conformance_dir("config")?.join("cfg").join(name))
}

fn load_config(path: &Path) -> Result<ConfigFileContents, ConfigError> {
    multi_file_load_config(&[path])
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn env_with_files(config: &Path, credentials: &Path) -> Env {
    Env::from_map([
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
    ])
}

// ---- test_configloader.py ----

#[test]
fn config_not_found_is_skipped() {
    let Some(p) = cfg("aws_config_notfound") else { return };
    assert!(ini::read_ini(&p, true).unwrap().is_none());
}

#[test]
fn config_parse_error() {
    let Some(p) = cfg("aws_config_bad") else { return };
    let e = ini::read_ini(&p, true).unwrap_err();
    match &e {
        ConfigError::Syntax { path, line, .. } => {
            assert_eq!(path, &p);
            assert_eq!(*line, 1);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().contains("aws_config_bad"));
    assert!(!e.to_string().contains("foo"), "the line's value is not echoed: {e}");
}

#[test]
fn config_parse_error_bad_unicode() {
    let Some(p) = cfg("aws_config_badbytes") else { return };
    let e = ini::read_ini(&p, true).unwrap_err();
    assert!(matches!(e, ConfigError::InvalidUtf8 { line: 1, .. }), "{e:?}");
    assert!(e.to_string().contains("aws_config_badbytes"));
}

#[test]
fn config_sections() {
    let Some(p) = cfg("aws_config") else { return };
    let raw = ini::read_ini(&p, true).unwrap().unwrap();
    assert!(raw.sections.contains_key("default"));
    assert!(raw.sections.contains_key("profile \"personal\""));
}

#[test]
fn profile_map_conversion() {
    let Some(p) = cfg("aws_config") else { return };
    let loaded = load_config(&p).unwrap();
    let mut names: Vec<&str> = loaded.profiles.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["default", "personal"]);
    assert_eq!(loaded.profiles["personal"].get("aws_security_token"), Some("fiebaz"));
}

#[test]
fn bad_profiles_are_ignored() {
    let Some(p) = cfg("aws_bad_profile") else { return };
    let loaded = load_config(&p).unwrap();
    assert_eq!(loaded.profiles.len(), 3);
    for name in ["my profile", "personal1", "default"] {
        assert!(loaded.profiles.contains_key(name), "{name}");
    }
    assert_eq!(loaded.profiles["personal1"].get("aws_access_key_id"), Some("access_personal1"));
}

#[test]
fn nested_hierarchy_parsing() {
    let Some(p) = cfg("aws_config_nested") else { return };
    let loaded = load_config(&p).unwrap();
    let config = &loaded.profiles["default"];
    assert_eq!(config.get("aws_access_key_id"), Some("foo"));
    assert_eq!(config.get("region"), Some("us-west-2"));
    assert_eq!(config.nested("s3").unwrap()["signature_version"], "s3v4");
    assert_eq!(config.nested("s3").unwrap()["addressing_style"], "path");
    assert_eq!(config.nested("cloudwatch").unwrap()["signature_version"], "v4");
}

#[test]
fn nested_hierarchy_with_no_subsection_parsing() {
    let Some(p) = cfg("aws_config_nested") else { return };
    let raw = ini::read_ini(&p, false).unwrap().unwrap();
    let d = &raw.sections["default"].entries;
    assert_eq!(d["aws_access_key_id"].value.as_text(), Some("foo"));
    assert_eq!(d["region"].value.as_text(), Some("us-west-2"));
    assert_eq!(d["cloudwatch"].value.as_text(), Some("\nsignature_version = v4"));
    assert_eq!(d["s3"].value.as_text(), Some("\nsignature_version = s3v4\naddressing_style = path"));
}

#[test]
fn nested_bad_config() {
    let Some(p) = cfg("aws_config_nested_bad") else { return };
    let e = load_config(&p).unwrap_err();
    assert!(matches!(e, ConfigError::Syntax { line: 5, .. }), "{e:?}");
}

#[test]
fn multi_file_load() {
    let Some(other) = cfg("aws_config_other") else { return };
    let files =
        [other, cfg("aws_config").unwrap(), cfg("aws_third_config").unwrap(), cfg("aws_config_notfound").unwrap()];
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let loaded = multi_file_load_config(&refs).unwrap();
    let d = &loaded.profiles["default"];
    assert_eq!(d.get("aws_access_key_id"), Some("other_foo"));
    assert_eq!(d.get("aws_secret_access_key"), Some("other_bar"));
    let p = &loaded.profiles["personal"];
    assert_eq!(p.get("aws_access_key_id"), Some("fie"));
    assert_eq!(p.get("aws_secret_access_key"), Some("baz"));
    assert_eq!(p.get("aws_security_token"), Some("fiebaz"));
    let t = &loaded.profiles["third"];
    assert_eq!(t.get("aws_access_key_id"), Some("third_fie"));
    assert_eq!(t.get("aws_secret_access_key"), Some("third_baz"));
    assert_eq!(t.get("aws_security_token"), Some("third_fiebaz"));
}

#[test]
fn unicode_path() {
    let dir = tempfile::tempdir().unwrap();
    let p =
        write(dir.path(), "aws_config_unicode\u{2713}", "[default]\nregion = a\n[profile \"personal\"]\nregion = b\n");
    let loaded = load_config(&p).unwrap();
    assert!(loaded.profiles.contains_key("default"));
    assert!(loaded.profiles.contains_key("personal"));
    assert!(ini::read_ini(&dir.path().join("\u{2713}"), true).unwrap().is_none());
}

#[test]
fn sso_session_config() {
    let Some(p) = cfg("aws_sso_session_config") else { return };
    let loaded = load_config(&p).unwrap();
    assert!(loaded.profiles.contains_key("default"));
    let sso = &loaded.sso_sessions["sso"];
    assert_eq!(sso.get("sso_region"), Some("us-east-1"));
    assert_eq!(sso.get("sso_start_url"), Some("https://example.com"));
}

#[test]
fn services_config() {
    let Some(p) = cfg("aws_services_config") else { return };
    let loaded = load_config(&p).unwrap();
    assert!(loaded.profiles.contains_key("default"));
    let services = &loaded.services["my-services"];
    assert_eq!(services.nested("s3").unwrap()["endpoint_url"], "https://localhost:5678/");
    assert_eq!(services.nested("dynamodb").unwrap()["endpoint_url"], "https://localhost:8888/");
}

#[test]
fn services_config_resolves_endpoints() {
    let Some(p) = cfg("aws_services_config") else { return };
    let env =
        Env::from_map([("AWS_CONFIG_FILE", p.to_str().unwrap()), ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")]);
    let shared = SharedConfig::load(&env).unwrap();
    let s3 = SettingsResolver::new(&shared).service_id("S3").resolve().unwrap();
    assert_eq!(s3.endpoint_url.as_deref(), Some("https://localhost:5678/"));
    let ddb = SettingsResolver::new(&shared).service_id("DynamoDB").resolve().unwrap();
    assert_eq!(ddb.endpoint_url.as_deref(), Some("https://localhost:8888/"));
    let sqs = SettingsResolver::new(&shared).service_id("SQS").resolve().unwrap();
    assert_eq!(sqs.endpoint_url.as_deref(), Some("https://localhost:1234/"));
}

// ---- test_session.py (foo_config, boto_config_empty) ----

#[test]
fn session_profile_lookup() {
    let Some(foo) = cfg("foo_config") else { return };
    let dir = tempfile::tempdir().unwrap();
    let creds = write(
        dir.path(),
        "credentials",
        "[newprofile]\naws_access_key_id=FROM_CREDS_FILE_1\naws_secret_access_key=FROM_CREDS_FILE_2\n",
    );
    let env = env_with_files(&foo, &creds);
    let shared = SharedConfig::load(&env).unwrap();
    // No profile configured: the default profile.
    assert!(shared.scoped().unwrap().contains("aws_access_key_id"));
    // The credentials file's profiles are merged in.
    let mut names: Vec<&str> = shared.profiles().keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["default", "foo", "newprofile"]);
    let newp = shared.profile("newprofile").unwrap();
    assert_eq!(newp.get("aws_access_key_id"), Some("FROM_CREDS_FILE_1"));
    assert_eq!(newp.keys().count(), 2);
    // A profile named in the environment must exist.
    let missing = SharedConfig::load(&env.with_var("AWS_PROFILE", "profile_that_does_not_exist")).unwrap();
    assert!(matches!(missing.scoped(), Err(ConfigError::ProfileNotFound { .. })));
    // AWS_DEFAULT_PROFILE wins over AWS_PROFILE, as in botocore.
    let both =
        SharedConfig::load(&env.with_var("AWS_PROFILE", "default").with_var("AWS_DEFAULT_PROFILE", "foo")).unwrap();
    assert_eq!(both.profile_name(), "foo");
    assert_eq!(both.scoped().unwrap().get("aws_access_key_id"), Some("fie"));
}

#[test]
fn default_profile_specified_raises() {
    let Some(empty) = cfg("boto_config_empty") else { return };
    let env = Env::from_map([("AWS_CONFIG_FILE", empty.to_str().unwrap()), ("AWS_PROFILE", "default")]);
    let shared = SharedConfig::load(&env).unwrap();
    assert!(matches!(shared.scoped(), Err(ConfigError::ProfileNotFound { .. })));
    assert!(matches!(Settings::resolve(&shared), Err(ConfigError::ProfileNotFound { .. })));
}

#[test]
fn credentials_file_keys_override_config_keys() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "config", "[default]\nregion = us-east-2\naws_access_key_id = fromconfig\n");
    let creds = write(dir.path(), "credentials", "[default]\naws_access_key_id = fromcreds\n");
    let shared = SharedConfig::load(&env_with_files(&config, &creds)).unwrap();
    let d = shared.scoped().unwrap();
    assert_eq!(d.get("aws_access_key_id"), Some("fromcreds"));
    assert_eq!(d.get("region"), Some("us-east-2"));
    assert!(
        matches!(d.source_of("aws_access_key_id"), Source::Profile { file: Some(f), line: Some(2), .. } if f == creds)
    );
}

#[test]
fn tilde_expansion_uses_env_home() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    write(&dir.path().join(".aws"), "config", "[default]\nregion = ap-south-1\n");
    let env = Env::from_map([("HOME", dir.path().to_str().unwrap())]);
    let shared = SharedConfig::load(&env).unwrap();
    assert_eq!(shared.files().config_path, dir.path().join(".aws/config"));
    assert_eq!(Settings::resolve(&shared).unwrap().region.as_deref(), Some("ap-south-1"));
}

#[test]
fn unreadable_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    // A directory is not a file: skipped, as botocore does.
    let env = Env::from_map([("AWS_CONFIG_FILE", dir.path().to_str().unwrap())]);
    assert!(SharedConfig::load(&env).is_ok());
}

#[test]
fn secrets_not_in_debug() {
    let dir = tempfile::tempdir().unwrap();
    let config =
        write(dir.path(), "config", "[default]\naws_secret_access_key = SECRETVALUE\naws_session_token = TOKENVALUE\n");
    let shared = SharedConfig::load(&env_with_files(&config, &dir.path().join("none"))).unwrap();
    let shown = format!("{shared:?}");
    assert!(!shown.contains("SECRETVALUE") && !shown.contains("TOKENVALUE"), "{shown}");
}

// ---- configured-endpoint-urls/profile-tests.json ----

#[test]
fn configured_endpoint_url_suite() {
    let Some(dir) = conformance_dir("config") else { return };
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("configured-endpoint-urls/profile-tests.json")).unwrap())
            .unwrap();
    let suite = &data["testSuites"][0];
    let cases = suite["endpointUrlTests"].as_array().unwrap();
    assert_eq!(cases.len(), 39);
    let tmp = tempfile::tempdir().unwrap();
    let mut passed = 0;
    for (i, case) in cases.iter().enumerate() {
        let name = case["name"].as_str().unwrap();
        let profile_name = case["profile"].as_str().unwrap();
        let profile = &suite["profiles"][profile_name];
        let mut text = ini_section(&format!("profile {profile_name}"), profile);
        if let Some(services) = profile.get("services").and_then(|s| s.as_str()) {
            text.push_str(&ini_section(&format!("services {services}"), &suite["services"][services]));
        }
        let config = write(tmp.path(), &format!("config{i}"), &text);
        let mut vars = vec![
            ("AWS_CONFIG_FILE".to_string(), config.to_str().unwrap().to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE".to_string(), "/nonexistent/credentials".to_string()),
        ];
        let envs = &suite["environments"][case["environment"].as_str().unwrap()];
        for (k, v) in envs.as_object().unwrap() {
            vars.push((k.clone(), v.as_str().unwrap().to_string()));
        }
        let env = Env::from_map(vars);
        let shared = SharedConfig::builder().env(env).profile(profile_name).load().unwrap();
        let client_json = &suite["client_configs"][case["client_config"].as_str().unwrap()];
        let mut client = ClientConfig::default();
        client.endpoint_url = client_json.get("endpoint_url").and_then(|v| v.as_str()).map(String::from);
        client.ignore_configured_endpoint_urls =
            client_json.get("ignore_configured_endpoint_urls").and_then(|v| v.as_bool());
        let service = case["service"].as_str().unwrap();
        let model = crate::model::Loader::embedded_only().service_model(service, None).unwrap();
        let service_id = model.metadata().service_id.clone();
        let settings = SettingsResolver::new(&shared).client_config(&client).service_id(&service_id).resolve().unwrap();
        let expected = case["output"]["endpointUrl"].as_str().unwrap();
        let got = match settings.endpoint_url {
            Some(url) => url,
            // No configured URL: endpoint rules decide. Stand in for them
            // with the plain regional pattern the suite expects.
            None => format!("https://{service}.{}.amazonaws.com", settings.region.as_deref().unwrap()),
        };
        assert_eq!(got, expected, "case {i}: {name}");
        passed += 1;
    }
    assert_eq!(passed, 39);
}

/// A section as botocore's test writes it (`key = value`, sub-sections as
/// indented lines).
fn ini_section(header: &str, values: &serde_json::Value) -> String {
    let mut s = format!("[{header}]\n");
    for (k, v) in values.as_object().unwrap() {
        match v {
            serde_json::Value::Object(inner) => {
                s.push_str(&format!("{k} =\n"));
                for (ik, iv) in inner {
                    s.push_str(&format!("  {ik}={}\n", iv.as_str().unwrap()));
                }
            }
            other => s.push_str(&format!("{k}={}\n", other.as_str().unwrap())),
        }
    }
    s.push('\n');
    s
}

#[test]
fn missing_services_section_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "config", "[default]\nservices = nope\n");
    let shared = SharedConfig::load(&env_with_files(&config, &dir.path().join("x"))).unwrap();
    let e = SettingsResolver::new(&shared).service_id("S3").resolve().unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
    // The environment variable is consulted first, so no error then.
    let shared = SharedConfig::load(&shared.env().with_var("AWS_ENDPOINT_URL", "http://e")).unwrap();
    assert_eq!(
        SettingsResolver::new(&shared).service_id("S3").resolve().unwrap().endpoint_url.as_deref(),
        Some("http://e")
    );
}

// ---- settings ----

fn settings_from(config: &str, vars: &[(&str, &str)], client: &ClientConfig) -> Result<Settings, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "config", config);
    let mut env = env_with_files(&config, &dir.path().join("none"));
    for (k, v) in vars {
        env = env.with_var(*k, *v);
    }
    let shared = SharedConfig::load(&env)?;
    SettingsResolver::new(&shared).client_config(client).service_id("S3").resolve()
}

#[test]
fn defaults() {
    let s = settings_from("", &[], &ClientConfig::default()).unwrap();
    assert_eq!(s.region, None);
    assert_eq!(s.retry_mode, RetryMode::Standard);
    assert_eq!(s.max_attempts, None);
    assert_eq!(s.defaults_mode, DefaultsMode::Legacy);
    assert_eq!(s.connect_timeout, Duration::from_secs(60));
    assert_eq!(s.read_timeout, Duration::from_secs(60));
    assert_eq!(s.max_pool_connections, 10);
    assert!(s.parameter_validation);
    assert_eq!(s.sts_regional_endpoints, RegionalEndpoints::Regional);
    assert_eq!(s.s3.us_east_1_regional_endpoint, None);
    assert_eq!(s.request_min_compression_size_bytes, 10240);
    assert!(!s.disable_request_compression);
    assert_eq!(s.request_checksum_calculation, ChecksumMode::WhenSupported);
    assert_eq!(s.response_checksum_validation, ChecksumMode::WhenSupported);
    assert_eq!(s.account_id_endpoint_mode, AccountIdEndpointMode::Preferred);
    assert!(s.inject_host_prefix);
    assert_eq!(s.endpoint_discovery_enabled, EndpointDiscovery::Auto);
    assert_eq!(s.imds, ImdsSettings::default());
    assert_eq!(s.imds.base_url(), "http://169.254.169.254/");
    assert_eq!(s.csm.port, 31000);
    assert!(!s.use_fips_endpoint && !s.use_dualstack_endpoint && !s.tcp_keepalive);
}

#[test]
fn precedence_explicit_env_profile_default() {
    let config = "[default]\nregion = from-profile\nretry_mode = legacy\nmax_attempts = 3\n";
    let s = settings_from(config, &[], &ClientConfig::default()).unwrap();
    assert_eq!(s.region.as_deref(), Some("from-profile"));
    assert_eq!(s.retry_mode, RetryMode::Legacy);
    assert_eq!(s.max_attempts, Some(3));
    assert!(matches!(&s.sources["region"], Source::Profile { key, line: Some(2), .. } if key == "region"));

    let env = [("AWS_DEFAULT_REGION", "from-env"), ("AWS_RETRY_MODE", "adaptive"), ("AWS_MAX_ATTEMPTS", "7")];
    let s = settings_from(config, &env, &ClientConfig::default()).unwrap();
    assert_eq!(s.region.as_deref(), Some("from-env"));
    assert_eq!(s.retry_mode, RetryMode::Adaptive);
    assert_eq!(s.max_attempts, Some(7));
    assert_eq!(s.sources["region"], Source::Environment("AWS_DEFAULT_REGION".into()));

    let mut client = ClientConfig::default();
    client.region = Some("explicit".into());
    client.retries.mode = Some(RetryMode::Standard);
    client.retries.max_attempts = Some(2);
    let s = settings_from(config, &env, &client).unwrap();
    assert_eq!(s.region.as_deref(), Some("explicit"));
    assert_eq!(s.retry_mode, RetryMode::Standard);
    assert_eq!(s.max_attempts, Some(3), "retries.max_attempts counts retries");
    client.retries.total_max_attempts = Some(5);
    assert_eq!(settings_from(config, &env, &client).unwrap().max_attempts, Some(5));
}

#[test]
fn invalid_values_name_their_source() {
    let e = settings_from("[default]\nmax_attempts = abc\n", &[], &ClientConfig::default()).unwrap_err();
    match &e {
        ConfigError::InvalidValue {
            setting: "max_attempts",
            value,
            origin: Source::Profile { line: Some(2), key, .. },
            ..
        } => {
            assert_eq!(value, "abc");
            assert_eq!(key, "max_attempts");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("line 2"), "{e}");
    let e = settings_from("", &[("AWS_RETRY_MODE", "sometimes")], &ClientConfig::default()).unwrap_err();
    assert!(
        matches!(&e, ConfigError::InvalidValue { setting: "retry_mode", origin: Source::Environment(v), .. } if v == "AWS_RETRY_MODE"),
        "{e:?}"
    );
    assert!(e.to_string().contains("AWS_RETRY_MODE"));
    let bad = [
        "[default]\nuse_fips_endpoint = yes\n",
        "[default]\ndefaults_mode = fast\n",
        "[default]\nsts_regional_endpoints = global\n",
        "[default]\nrequest_min_compression_size_bytes = 0\n",
        "[default]\nrequest_min_compression_size_bytes = 1048577\n",
        "[default]\nrequest_checksum_calculation = always\n",
        "[default]\naccount_id_endpoint_mode = sometimes\n",
        "[default]\ns3 =\n  addressing_style = sideways\n",
        "[default]\ns3 =\n  us_east_1_regional_endpoint = global\n",
        "[default]\nmetadata_service_num_attempts = 0\n",
        "[default]\nmetadata_service_timeout = soon\n",
        "[default]\nec2_metadata_service_endpoint_mode = ipv5\n",
        "[default]\nec2_metadata_service_endpoint = 169.254.169.254\n",
        "[default]\nregion = -bad-\n",
        "[default]\nendpoint_discovery_enabled = maybe\n",
        "[default]\nmax_attempts = 0\n",
    ];
    for config in bad {
        let e = settings_from(config, &[], &ClientConfig::default()).unwrap_err();
        assert!(matches!(e, ConfigError::InvalidValue { .. }), "{config}: {e:?}");
    }
}

#[test]
fn booleans() {
    let s = settings_from(
        "[default]\nuse_fips_endpoint = TRUE\ntcp_keepalive = true\n",
        &[("AWS_USE_DUALSTACK_ENDPOINT", "")],
        &ClientConfig::default(),
    )
    .unwrap();
    assert!(s.use_fips_endpoint);
    assert!(s.tcp_keepalive);
    assert!(!s.use_dualstack_endpoint);
    let s = settings_from(
        "[default]\nuse_fips_endpoint = true\n",
        &[("AWS_USE_FIPS_ENDPOINT", "false")],
        &ClientConfig::default(),
    )
    .unwrap();
    assert!(!s.use_fips_endpoint, "env wins over profile");
    let s = settings_from("[default]\ndisable_host_prefix_injection = true\n", &[], &ClientConfig::default()).unwrap();
    assert!(!s.inject_host_prefix);
}

#[test]
fn s3_settings() {
    let config = "[default]\ns3 =\n  addressing_style = path\n  use_accelerate_endpoint = true\n  use_dualstack_endpoint = true\n  signature_version = s3v4\n  max_concurrent_requests = 20\ns3_use_arn_region = false\n";
    let s =
        settings_from(config, &[("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "legacy")], &ClientConfig::default()).unwrap();
    assert_eq!(s.s3.addressing_style, Some(AddressingStyle::Path));
    assert_eq!(s.s3.use_accelerate_endpoint, Some(true));
    assert_eq!(s.s3.use_arn_region, Some(false));
    assert_eq!(s.s3.us_east_1_regional_endpoint, Some(RegionalEndpoints::Legacy));
    assert_eq!(s.s3.extra["signature_version"], "s3v4");
    assert_eq!(s.s3.extra["max_concurrent_requests"], "20");
    assert!(s.use_dualstack_endpoint, "s3 section dualstack applies to S3");
    let mut client = ClientConfig::default();
    client.s3 = Some(S3Settings { addressing_style: Some(AddressingStyle::Virtual), ..Default::default() });
    let s = settings_from(config, &[], &client).unwrap();
    assert_eq!(s.s3.addressing_style, Some(AddressingStyle::Virtual));
    assert_eq!(s.s3.use_accelerate_endpoint, Some(true), "client s3 settings merge over the profile's");
}

#[test]
fn defaults_mode_supplies_defaults() {
    let s = settings_from("[default]\ndefaults_mode = standard\n", &[], &ClientConfig::default()).unwrap();
    assert_eq!(s.defaults_mode, DefaultsMode::Standard);
    assert_eq!(s.connect_timeout, Duration::from_millis(3100));
    assert_eq!(s.s3.us_east_1_regional_endpoint, Some(RegionalEndpoints::Regional));
    assert_eq!(s.sources["connect_timeout"], Source::DefaultsMode("standard".into()));
    // Configured values still win over the mode's defaults.
    let s = settings_from(
        "[default]\ndefaults_mode = in-region\nretry_mode = legacy\nsts_regional_endpoints = legacy\n",
        &[],
        &ClientConfig::default(),
    )
    .unwrap();
    assert_eq!(s.connect_timeout, Duration::from_millis(1100));
    assert_eq!(s.retry_mode, RetryMode::Legacy);
    assert_eq!(s.sts_regional_endpoints, RegionalEndpoints::Legacy);
    // auto.
    let env = [
        ("AWS_DEFAULTS_MODE", "auto"),
        ("AWS_EXECUTION_ENV", "x"),
        ("AWS_REGION", "us-west-2"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ];
    let s = settings_from("", &env, &ClientConfig::default()).unwrap();
    assert_eq!(s.defaults_mode, DefaultsMode::Auto);
    assert_eq!(s.effective_defaults_mode, DefaultsMode::CrossRegion);
    let mut client = ClientConfig::default();
    client.connect_timeout = Some(Duration::from_secs(5));
    client.defaults_mode = Some(DefaultsMode::Mobile);
    let s = settings_from("", &[], &client).unwrap();
    assert_eq!(s.connect_timeout, Duration::from_secs(5));
}

#[test]
fn imds_settings() {
    let s = settings_from(
        "[default]\nmetadata_service_timeout = 3\nmetadata_service_num_attempts = 4\nimds_use_ipv6 = true\nec2_metadata_v1_disabled = true\n",
        &[("AWS_EC2_METADATA_DISABLED", "TRUE")],
        &ClientConfig::default(),
    )
    .unwrap();
    assert_eq!(s.imds.timeout, Duration::from_secs(3));
    assert_eq!(s.imds.num_attempts, 4);
    assert_eq!(s.imds.endpoint_mode, ImdsEndpointMode::Ipv6);
    assert_eq!(s.imds.base_url(), "http://[fd00:ec2::254]/");
    assert!(s.imds.v1_disabled);
    assert!(s.imds.disabled);
    let s = settings_from(
        "[default]\nec2_metadata_service_endpoint_mode = IPv4\nimds_use_ipv6 = true\n",
        &[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338")],
        &ClientConfig::default(),
    )
    .unwrap();
    assert_eq!(s.imds.endpoint_mode, ImdsEndpointMode::Ipv4);
    assert_eq!(s.imds.base_url(), "http://127.0.0.1:1338");
}

#[test]
fn misc_settings() {
    let s = settings_from(
        "[default]\nsdk_ua_app_id = myapp\nsigv4a_signing_region_set = us-east-1, us-west-2\nauth_scheme_preference = sigv4a, sigv4 ,,\nca_bundle = ~/ca.pem\napi_versions =\n  ec2 = 2015-03-01\n",
        &[("HOME", "/home/u")],
        &ClientConfig::default(),
    )
    .unwrap();
    assert_eq!(s.user_agent_appid.as_deref(), Some("myapp"));
    assert_eq!(s.sigv4a_signing_region_set, Some(vec!["us-east-1".to_string(), "us-west-2".to_string()]));
    assert_eq!(s.auth_scheme_preference, Some(vec!["sigv4a".to_string(), "sigv4".to_string()]));
    assert_eq!(s.verify, Some(Verify::CaBundle(PathBuf::from("/home/u/ca.pem"))));
    assert_eq!(s.api_versions["ec2"], "2015-03-01");
    let mut client = ClientConfig::default();
    client.signature_version = Some("unsigned".into());
    let s = settings_from("[default]\naccount_id_endpoint_mode = required\n", &[], &client).unwrap();
    assert_eq!(s.account_id_endpoint_mode, AccountIdEndpointMode::Disabled);
}

#[test]
fn client_config_merge() {
    let mut base = ClientConfig::default();
    base.region = Some("a".into());
    base.read_timeout = Some(Duration::from_secs(1));
    let mut over = ClientConfig::default();
    over.region = Some("b".into());
    let merged = base.merge(&over);
    assert_eq!(merged.region.as_deref(), Some("b"));
    assert_eq!(merged.read_timeout, Some(Duration::from_secs(1)));
}
