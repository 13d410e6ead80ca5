//! boto3's injected S3 methods against moto: managed transfers and presigning
//! from `Bucket` and `Object` resources (`S3ResourceExt`) and from the S3
//! client (`S3ClientExt`), async and blocking; presigned URLs and POSTs are
//! used with a plain HTTP client; non-S3 resources are a typed error.

mod common;
mod s3_transfer_common;

use std::sync::atomic::Ordering;

use boto::s3::transfer::{CopySource, TransferConfig, TransferOptions, MIB};
use boto::s3::{S3ClientExt, S3ResourceExt};
use boto::{params, Error, Value};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use indexmap::IndexMap;
use s3_transfer_common::{counter, random_bytes, random_file, sha256, sha256_file};

/// Parts of 5 MiB from 5 MiB up, so a 9 MiB file goes in two parts.
fn small_parts() -> TransferConfig {
    TransferConfig { multipart_threshold: 5 * MIB, multipart_chunksize: 5 * MIB, ..TransferConfig::default() }
}

/// One request with hyper, nothing of boto-rs: (status, body).
async fn http(method: &str, url: &str, body: Vec<u8>, content_type: Option<&str>) -> (u16, Vec<u8>) {
    let client =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut request = http::Request::builder().method(method).uri(url);
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    let response = client.request(request.body(Full::new(Bytes::from(body))).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    (status, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// [`http`] from synchronous code, on a runtime of its own.
fn http_blocking(method: &str, url: &str, body: Vec<u8>, content_type: Option<&str>) -> (u16, Vec<u8>) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(http(method, url, body, content_type))
}

/// The `multipart/form-data` body of a browser upload of `content` as
/// `filename` with the presigned `fields`: (content type, body).
fn form(fields: &IndexMap<String, String>, filename: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----boto-rs-resource-test";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The object's bytes, read with the client.
async fn read_object(s3: &boto::Client, bucket: &str, key: &str) -> Vec<u8> {
    let got = s3.call("GetObject", params!({ "Bucket": bucket, "Key": key })).await.unwrap();
    got["Body"].as_stream().unwrap().collect().await.unwrap().to_vec()
}

/// A new bucket through the service resource, as a `Bucket` view.
async fn new_bucket(session: &boto::Session) -> boto::s3::Bucket {
    let s3 = session.resource("s3").unwrap();
    let name = common::unique("s3res").to_lowercase();
    let created = s3.action("create_bucket", params!({ "Bucket": name.as_str() })).await.unwrap();
    created.into_resource().unwrap().as_s3_bucket().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bucket_upload_file_multipart_then_object_download_file_and_copy() {
    let Some(session) = common::session("bucket_upload_file_multipart_then_object_download_file_and_copy") else {
        return;
    };
    let bucket = new_bucket(&session).await;
    let dir = tempfile::tempdir().unwrap();
    let size = 9 * MIB;
    let (path, hash) = random_file(dir.path(), "nine.bin", size);
    let config = small_parts();

    let (progress, total) = counter();
    let out =
        bucket.upload_file(&path, "big/nine.bin", &config, TransferOptions::new().progress(progress)).await.unwrap();
    assert_eq!(out.bytes, size);
    assert_eq!(out.parts, 2, "a 9 MiB file in 5 MiB parts");
    assert!(out.etag.as_deref().unwrap_or_default().trim_matches('"').ends_with("-2"), "{:?}", out.etag);
    assert_eq!(total.load(Ordering::Relaxed), size as i64);

    // The object the bucket wrote, read through an Object view.
    let object = bucket.object("big/nine.bin").unwrap();
    assert_eq!((object.bucket_name(), object.key()), (bucket.name(), "big/nine.bin"));
    assert_eq!(object.get("content_length").await.unwrap(), params!(size));
    let target = dir.path().join("down.bin");
    let out = object.download_file(&target, &config, TransferOptions::new()).await.unwrap();
    assert_eq!(out.bytes, size);
    assert_eq!(out.parts, 2, "ranged download");
    assert_eq!(sha256_file(&target), hash);

    // Object.copy writes this object from a source: parallel UploadPartCopy
    // above the threshold.
    let copy = bucket.object("copies/nine.bin").unwrap();
    let out =
        copy.copy(&CopySource::new(bucket.name(), "big/nine.bin"), &config, TransferOptions::new()).await.unwrap();
    assert_eq!(out.parts, 2);
    let copied = dir.path().join("copied.bin");
    bucket.download_file("copies/nine.bin", &copied, &TransferConfig::default(), TransferOptions::new()).await.unwrap();
    assert_eq!(sha256_file(&copied), hash);

    // An upload to an Object replaces it and clears its loaded data.
    let small = random_bytes(1000, 7);
    std::fs::write(dir.path().join("small.bin"), &small).unwrap();
    assert!(object.data().is_some());
    object.upload_file(dir.path().join("small.bin"), &config, TransferOptions::new()).await.unwrap();
    assert!(object.data().is_none(), "stale data kept after an upload");
    assert_eq!(object.get("content_length").await.unwrap(), params!(1000));

    // Bucket.copy to a key of the bucket.
    let out = bucket
        .copy(&CopySource::new(bucket.name(), "big/nine.bin"), "copies/small.bin", &config, TransferOptions::new())
        .await
        .unwrap();
    assert_eq!(out.parts, 0, "a single CopyObject");
    assert_eq!(sha256(&read_object(bucket.client(), bucket.name(), "copies/small.bin").await), sha256(&small));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fileobj_transfers_through_bucket_and_object() {
    let Some(session) = common::session("fileobj_transfers_through_bucket_and_object") else { return };
    let bucket = new_bucket(&session).await;
    let config = small_parts();
    let data = random_bytes(6 * MIB as usize + 123, 11);

    // From memory through the bucket (multipart: 6 MiB is above 5 MiB).
    let out = bucket.upload_fileobj(&data[..], "mem/a.bin", &config, TransferOptions::new()).await.unwrap();
    assert_eq!((out.bytes, out.parts), (data.len() as u64, 2));
    let object = bucket.object("mem/a.bin").unwrap();
    let mut back = Vec::new();
    object.download_fileobj(&mut back, &config, TransferOptions::new()).await.unwrap();
    assert_eq!(sha256(&back), sha256(&data));

    // From memory through the object, back through the bucket.
    let small = b"small object from a reader".to_vec();
    let other = bucket.object("mem/b.txt").unwrap();
    let out = other.upload_fileobj(&small[..], &config, TransferOptions::new()).await.unwrap();
    assert_eq!((out.bytes, out.parts), (small.len() as u64, 0));
    let mut back = Vec::new();
    bucket.download_fileobj("mem/b.txt", &mut back, &config, TransferOptions::new()).await.unwrap();
    assert_eq!(back, small);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_extension_transfers_and_presigning() {
    let Some(session) = common::session("client_extension_transfers_and_presigning") else { return };
    let s3 = session.client("s3").unwrap();
    let bucket = common::unique("s3client").to_lowercase();
    s3.call("CreateBucket", params!({ "Bucket": bucket.as_str() })).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (path, hash) = random_file(dir.path(), "up.bin", 9 * MIB);
    let config = small_parts();

    let out = s3.upload_file(&path, &bucket, "a/up.bin", &config, TransferOptions::new()).await.unwrap();
    assert_eq!(out.parts, 2);
    let out =
        s3.copy(&CopySource::new(&bucket, "a/up.bin"), &bucket, "b/copy.bin", &config, TransferOptions::new()).await;
    assert_eq!(out.unwrap().parts, 2);
    let target = dir.path().join("copy.bin");
    s3.download_file(&bucket, "b/copy.bin", &target, &config, TransferOptions::new()).await.unwrap();
    assert_eq!(sha256_file(&target), hash);

    let data = b"fileobj through the client".to_vec();
    s3.upload_fileobj(&data[..], &bucket, "c/mem.txt", &config, TransferOptions::new()).await.unwrap();
    let mut back = Vec::new();
    s3.download_fileobj(&bucket, "c/mem.txt", &mut back, &config, TransferOptions::new()).await.unwrap();
    assert_eq!(back, data);

    // generate_presigned_url takes boto3's snake_case method names.
    let url = s3
        .generate_presigned_url("get_object", params!({ "Bucket": bucket.as_str(), "Key": "c/mem.txt" }), 300)
        .await
        .unwrap();
    assert!(url.contains("X-Amz-Signature="), "{url}");
    let (status, body) = http("GET", &url, Vec::new(), None).await;
    assert_eq!((status, body), (200, data.clone()));

    let post = s3.generate_presigned_post(&bucket, "d/posted.txt", IndexMap::new(), Vec::new(), 300).await.unwrap();
    let (content_type, body) = form(&post.fields, "posted.txt", b"posted through the client");
    let (status, answer) = http("POST", &post.url, body, Some(&content_type)).await;
    assert!((200..300).contains(&status), "{status}: {}", String::from_utf8_lossy(&answer));
    assert_eq!(read_object(&s3, &bucket, "d/posted.txt").await, b"posted through the client");
}

#[tokio::test]
async fn object_presigned_urls_and_bucket_presigned_post() {
    let Some(session) = common::session("object_presigned_urls_and_bucket_presigned_post") else { return };
    let bucket = new_bucket(&session).await;
    let object = bucket.object("dir/pre signed.bin").unwrap();
    let data = random_bytes(70_000, 5);

    // A PUT with the object's presigned URL stores the bytes...
    let put = object.presign_put(300).await.unwrap();
    let (status, _) = http("PUT", &put, data.clone(), None).await;
    assert_eq!(status, 200);
    assert_eq!(sha256(&read_object(bucket.client(), bucket.name(), object.key()).await), sha256(&data));
    // ... and a GET with its presigned URL reads them back.
    let get = object.presign_get(300).await.unwrap();
    assert_ne!(get, put);
    let (status, body) = http("GET", &get, Vec::new(), None).await;
    assert_eq!(status, 200);
    assert_eq!(sha256(&body), sha256(&data));
    // Any operation on the object.
    let head = object.presign("HeadObject", Value::Null, 60).await.unwrap();
    assert_eq!(http("HEAD", &head, Vec::new(), None).await.0, 200);
    // boto3's HttpMethod: a GetObject URL signed for PUT stores a body.
    let options = boto::s3::PresignOptions::new().expires_in(60).http_method(boto::s3::presign::Method::PUT);
    let get_as_put = object.presign_with("GetObject", Value::Null, options).await.unwrap();
    assert_eq!(http("PUT", &get_as_put, b"replaced".to_vec(), None).await.0, 200);
    assert_eq!(read_object(bucket.client(), bucket.name(), object.key()).await, b"replaced");
    assert!(object.presign_get(boto::s3::presign::MAX_EXPIRES_IN + 1).await.is_err());

    // A browser upload to a key of the bucket, named by the form's file.
    let mut fields = IndexMap::new();
    fields.insert("Content-Type".to_owned(), "text/plain".to_owned());
    let conditions =
        vec![serde_json::json!(["content-length-range", 0, 1000]), serde_json::json!({ "Content-Type": "text/plain" })];
    let post = bucket.presign_post("uploads/${filename}", fields, conditions, 300).await.unwrap();
    assert_eq!(post.fields["key"], "uploads/${filename}");
    let (content_type, body) = form(&post.fields, "note.txt", b"hello from a bucket form");
    let (status, answer) = http("POST", &post.url, body, Some(&content_type)).await;
    assert!((200..300).contains(&status), "{status}: {}", String::from_utf8_lossy(&answer));
    assert_eq!(read_object(bucket.client(), bucket.name(), "uploads/note.txt").await, b"hello from a bucket form");

    // And one to the object itself.
    let target = bucket.object("posted/by-object.txt").unwrap();
    let post = target.presign_post(IndexMap::new(), Vec::new(), 300).await.unwrap();
    let (content_type, body) = form(&post.fields, "ignored.txt", b"object form");
    let (status, _) = http("POST", &post.url, body, Some(&content_type)).await;
    assert!((200..300).contains(&status));
    assert_eq!(read_object(bucket.client(), bucket.name(), target.key()).await, b"object form");
}

/// Sessions that never reach a server: the checks are local.
fn offline_session() -> boto::Session {
    boto::Session::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .credentials(boto::boto_core::testing::test_credentials())
        .build()
        .unwrap()
}

#[test]
fn non_s3_resources_are_a_typed_error() {
    let session = offline_session();
    let table = session.resource("dynamodb").unwrap().sub_resource("Table", ["users"]).unwrap();
    let err = table.as_s3_bucket().unwrap_err();
    match &err {
        Error::WrongResource { expected, found } => {
            assert_eq!((expected.as_str(), found.as_str()), ("s3.Bucket", "dynamodb.Table"));
        }
        other => panic!("not a WrongResource error: {other:?}"),
    }
    assert_eq!(err.to_string(), "expected an s3.Bucket resource, got dynamodb.Table");
    assert!(matches!(table.as_s3_object(), Err(Error::WrongResource { .. })));
    assert!(matches!(boto::s3::Bucket::new(table.clone()), Err(Error::WrongResource { .. })));

    // S3 resources of the wrong type.
    let s3 = session.resource("s3").unwrap();
    let bucket = s3.bucket("b").unwrap();
    let object = bucket.object("k").unwrap();
    let err = s3.as_s3_bucket().unwrap_err().to_string();
    assert_eq!(err, "expected an s3.Bucket resource, got s3.ServiceResource");
    let err = bucket.as_s3_object().unwrap_err().to_string();
    assert_eq!(err, "expected an s3.Object resource, got s3.Bucket");
    let err = object.as_s3_bucket().unwrap_err().to_string();
    assert_eq!(err, "expected an s3.Bucket resource, got s3.Object");
    let summary = s3.sub_resource("ObjectSummary", ["b", "k"]).unwrap();
    assert!(matches!(summary.as_s3_object(), Err(Error::WrongResource { .. })));
    // The right types convert, keeping their identifiers.
    assert_eq!(bucket.as_s3_bucket().unwrap().name(), "b");
    let view = object.as_s3_object().unwrap();
    assert_eq!((view.bucket_name(), view.key()), ("b", "k"));
    assert_eq!(*view, object);
    assert_eq!(summary.sub_resource("Object", Vec::<Value>::new()).unwrap().as_s3_object().unwrap().key(), "k");

    // A key that is not a string is refused, not a panic.
    let odd = s3.sub_resource("Object", [Value::from("b"), Value::from(7)]).unwrap();
    assert!(matches!(odd.as_s3_object(), Err(Error::Identifiers { .. })));

    // The injected methods are listed in the metadata, not as actions, and
    // action dispatch is unchanged.
    let meta = bucket.meta();
    assert!(meta.methods.contains(&"upload_file".to_owned()) && meta.methods.contains(&"presign_post".to_owned()));
    assert!(!meta.actions.contains(&"upload_file".to_owned()));
    assert!(object.meta().methods.contains(&"presign_get".to_owned()));
    assert!(table.meta().methods.is_empty() && s3.meta().methods.is_empty());
    assert!(format!("{meta:?}").contains("download_fileobj"));

    // Blocking resources: the same error.
    let blocking = boto::blocking::Session::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .credentials(boto::boto_core::testing::test_credentials())
        .build()
        .unwrap();
    use boto::s3::blocking::S3ResourceExt as _;
    let table = blocking.resource("dynamodb").unwrap().sub_resource("Table", ["users"]).unwrap();
    assert!(matches!(
        table.as_s3_object(),
        Err(Error::WrongResource { ref expected, ref found }) if expected == "s3.Object" && found == "dynamodb.Table"
    ));
    assert_eq!(blocking.resource("s3").unwrap().bucket("b").unwrap().as_s3_bucket().unwrap().name(), "b");
}

#[test]
fn blocking_resource_and_client_methods() {
    use boto::s3::blocking::{S3ClientExt as _, S3ResourceExt as _};

    let Some(session) = common::blocking_session("blocking_resource_and_client_methods") else { return };
    let name = common::unique("s3block").to_lowercase();
    let s3 = session.resource("s3").unwrap();
    s3.action("create_bucket", params!({ "Bucket": name.as_str() })).unwrap();
    let bucket = s3.bucket(name.as_str()).unwrap().as_s3_bucket().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (path, hash) = random_file(dir.path(), "nine.bin", 9 * MIB);
    let config = small_parts();

    // Bucket upload (multipart), Object download.
    let (progress, total) = counter();
    let out = bucket.upload_file(&path, "big.bin", &config, TransferOptions::new().progress(progress)).unwrap();
    assert_eq!((out.bytes, out.parts), (9 * MIB, 2));
    assert_eq!(total.load(Ordering::Relaxed), (9 * MIB) as i64);
    let object = bucket.object("big.bin").unwrap();
    let target = dir.path().join("down.bin");
    object.download_file(&target, &config, TransferOptions::new()).unwrap();
    assert_eq!(sha256_file(&target), hash);

    // Readers and writers.
    let data = random_bytes(3000, 9);
    let small = bucket.object("small.bin").unwrap();
    small.upload_fileobj(&data[..], &config, TransferOptions::new()).unwrap();
    let mut back = Vec::new();
    bucket.download_fileobj("small.bin", &mut back, &config, TransferOptions::new()).unwrap();
    assert_eq!(back, data);
    let copy = bucket.object("copy.bin").unwrap();
    copy.copy(&CopySource::new(bucket.name(), "small.bin"), &config, TransferOptions::new()).unwrap();

    // Presigned URLs from the object, used with a plain HTTP client.
    let (status, body) = http_blocking("GET", &copy.presign_get(300).unwrap(), Vec::new(), None);
    assert_eq!((status, sha256(&body)), (200, sha256(&data)));
    let put = small.presign_put(300).unwrap();
    assert_eq!(http_blocking("PUT", &put, b"replaced".to_vec(), None).0, 200);
    let mut back = Vec::new();
    small.download_fileobj(&mut back, &config, TransferOptions::new()).unwrap();
    assert_eq!(back, b"replaced");
    let post = bucket.presign_post("form.txt", IndexMap::new(), Vec::new(), 300).unwrap();
    let (content_type, body) = form(&post.fields, "form.txt", b"blocking form");
    let (status, _) = http_blocking("POST", &post.url, body, Some(&content_type));
    assert!((200..300).contains(&status));

    // The blocking client extension.
    let client = session.client("s3").unwrap();
    let target = dir.path().join("form.txt");
    client.download_file(&name, "form.txt", &target, &config, TransferOptions::new()).unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"blocking form");
    client.upload_file(&path, &name, "again.bin", &config, TransferOptions::new()).unwrap();
    client
        .copy(&CopySource::new(&name, "again.bin"), &name, "again-copy.bin", &config, TransferOptions::new())
        .unwrap();
    let mut back = Vec::new();
    client.download_fileobj(&name, "again-copy.bin", &mut back, &config, TransferOptions::new()).unwrap();
    assert_eq!(sha256(&back), hash);
    client.upload_fileobj(&b"via client"[..], &name, "c.txt", &config, TransferOptions::new()).unwrap();
    let url =
        client.generate_presigned_url("GetObject", params!({ "Bucket": name.as_str(), "Key": "c.txt" }), 60).unwrap();
    assert_eq!(http_blocking("GET", &url, Vec::new(), None), (200, b"via client".to_vec()));
    let put = boto::s3::PresignOptions::new().expires_in(60).http_method(boto::s3::presign::Method::PUT);
    let params = params!({ "Bucket": name.as_str(), "Key": "c.txt" });
    let url = client.generate_presigned_url_with("get_object", params, put.clone()).unwrap();
    assert_eq!(http_blocking("PUT", &url, b"put via a get_object URL".to_vec(), None).0, 200);
    let url = small.presign_with("GetObject", Value::Null, put).unwrap();
    assert_eq!(http_blocking("PUT", &url, b"and via the object".to_vec(), None).0, 200);
    let mut back = Vec::new();
    client.download_fileobj(&name, "c.txt", &mut back, &config, TransferOptions::new()).unwrap();
    assert_eq!(back, b"put via a get_object URL");
    let mut back = Vec::new();
    small.download_fileobj(&mut back, &config, TransferOptions::new()).unwrap();
    assert_eq!(back, b"and via the object");
    let post = client.generate_presigned_post(&name, "k", IndexMap::new(), Vec::new(), 60).unwrap();
    assert!(post.fields.contains_key("policy") && post.fields.contains_key("x-amz-signature"));
}
