//! Sessions: configuration loaded once, shared by clients and resources.

use boto::{Error, Session};
use boto_core::config::Env;

fn files() -> (tempfile::TempDir, Env) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config"),
        "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = ap-southeast-2\n\n[profile bare]\noutput = json\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("credentials"),
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s2\n",
    )
    .unwrap();
    let env = Env::from_map([
        ("AWS_CONFIG_FILE", dir.path().join("config").to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("credentials").to_str().unwrap()),
        ("HOME", dir.path().to_str().unwrap()),
    ]);
    (dir, env)
}

#[tokio::test]
async fn profiles_regions_and_credentials() {
    let (_dir, env) = files();
    let default = Session::builder().env(env.clone()).build().unwrap();
    assert_eq!(default.profile_name(), "default");
    assert_eq!(default.region_name(), Some("eu-west-1"));
    assert_eq!(default.credentials().await.unwrap().access_key_id(), "AKIDDEFAULT");
    let mut profiles = default.available_profiles();
    profiles.sort();
    assert_eq!(profiles, ["bare", "default", "dev"]);

    let dev = Session::builder().env(env.clone()).profile("dev").build().unwrap();
    assert_eq!(dev.profile_name(), "dev");
    assert_eq!(dev.region_name(), Some("ap-southeast-2"));
    assert_eq!(dev.credentials().await.unwrap().access_key_id(), "AKIDDEV");
    // Clients get the session's region and credentials cache.
    let client = dev.client("dynamodb").unwrap();
    assert_eq!(client.region(), Some("ap-southeast-2"));
    let cached = client.credentials_cache().unwrap().credentials().await.unwrap();
    assert_eq!(cached.access_key_id(), "AKIDDEV");

    // Explicit settings win over the files.
    let explicit = Session::builder()
        .env(env.clone())
        .profile("dev")
        .region("us-west-2")
        .credentials(boto_core::credentials::Credentials::new("AKIDCODE", "wJalrXUtnFEMIsecretvalue", None))
        .build()
        .unwrap();
    assert_eq!(explicit.region_name(), Some("us-west-2"));
    assert_eq!(explicit.client("s3").unwrap().region(), Some("us-west-2"));
    assert_eq!(explicit.credentials().await.unwrap().access_key_id(), "AKIDCODE");
    // Secrets stay out of Debug.
    let shown = format!("{explicit:?} {:?}", explicit.credentials().await.unwrap());
    assert!(!shown.contains("wJalrXUtnFEMIsecretvalue"), "{shown}");

    // A profile without a region: none.
    let bare = Session::builder().env(env.clone()).profile("bare").build().unwrap();
    assert_eq!(bare.region_name(), None);
    // A profile that does not exist fails at once.
    assert!(matches!(Session::builder().env(env).profile("nope").build(), Err(Error::Session(_))));
}

#[test]
fn available_services_resources_and_regions() {
    let (_dir, env) = files();
    let session = Session::builder().env(env).build().unwrap();
    let services = session.available_services();
    assert!(services.len() > 400);
    assert!(services.iter().any(|s| s == "s3"));
    assert_eq!(
        session.available_resources(),
        ["cloudformation", "cloudwatch", "dynamodb", "ec2", "glacier", "iam", "s3", "sns", "sqs"]
    );
    let regions = session.get_available_regions("ec2");
    assert!(regions.iter().any(|r| r == "us-east-1"));
    assert!(regions.iter().all(|r| !r.starts_with("cn-")));
    assert!(session.available_regions_in("ec2", "aws-cn", false).iter().any(|r| r == "cn-north-1"));
    assert!(session.get_available_regions("no-such-service").is_empty());
    assert_eq!(session.partition_for_region("cn-northwest-1").as_deref(), Some("aws-cn"));
    assert!(session.available_partitions().iter().any(|p| p == "aws-us-gov"));
}

#[test]
fn resources_that_do_not_exist() {
    let (_dir, env) = files();
    let session = Session::builder().env(env).build().unwrap();
    match session.resource("lambda") {
        Err(Error::ResourceNotExists { has_client: true, available, .. }) => assert_eq!(available.len(), 9),
        other => panic!("unexpected {other:?}"),
    }
    let err = session.resource("nosuch").unwrap_err();
    assert!(matches!(err, Error::ResourceNotExists { has_client: false, .. }));
    assert!(err.to_string().contains("the available resources are: cloudformation, cloudwatch"), "{err}");
    // Every resource model loads, and every resource of it is well formed.
    for service in session.available_resources() {
        let resource = session.resource(&service).unwrap();
        assert_eq!(resource.service_name(), service);
        assert!(resource.is_service_resource());
        for name in resource.available_subresources() {
            let sub = resource.sub_resource(&name, (0..8).map(|i| format!("id{i}")).take(8));
            // Too many identifiers for all of them; the error says so.
            assert!(matches!(sub, Err(Error::Identifiers { .. })), "{service}.{name}");
        }
    }
}

#[test]
fn blocking_session() {
    let (_dir, env) = files();
    let session = boto::blocking::Session::builder().env(env).profile("dev").build().unwrap();
    assert_eq!(session.region_name(), Some("ap-southeast-2"));
    assert_eq!(session.credentials().unwrap().access_key_id(), "AKIDDEV");
    let s3 = session.resource("s3").unwrap();
    assert_eq!(s3.bucket("b").unwrap().id_str("name"), Some("b"));
    // Inside an async runtime a blocking call is an error, not a hang.
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let err = rt.block_on(async { session.credentials() }).unwrap_err();
    assert!(matches!(err, Error::Core(boto_core::Error::BlockingInAsync)), "{err}");
}

#[test]
fn handles_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<Session>();
    send_sync::<boto::Resource>();
    send_sync::<boto::Collection>();
    send_sync::<boto::dynamodb::Table>();
    send_sync::<boto::dynamodb::BatchWriter>();
    send_sync::<boto::blocking::Session>();
    send_sync::<boto::blocking::Resource>();
    // Futures can move to other threads (tokio::spawn).
    let (_dir, env) = files();
    let session = Session::builder().env(env).region("us-east-1").build().unwrap();
    let s3 = session.resource("s3").unwrap();
    let bucket = s3.bucket("b").unwrap();
    send(&bucket.load());
    send(&bucket.get("creation_date"));
    send(&bucket.action("delete", boto::params!({})));
    send(&bucket.reference("x"));
    send(&bucket.wait_until_exists());
    send(&bucket.collection("objects").unwrap().to_vec());
    send(&bucket.collection("objects").unwrap().batch_action("delete", boto::params!({})));
    let table = session.resource("dynamodb").unwrap().table("t").unwrap();
    send(&table.get_item(boto::dynamodb::item! { "k" => 1 }).send());
    let mut writer = table.batch_writer();
    send(&writer.put_item(boto::dynamodb::item! { "k" => 1 }));
    writer.take_buffered();
}
