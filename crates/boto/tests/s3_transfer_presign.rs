//! Presigned URLs and POSTs against moto: what a PUT with the URL stores, a
//! GET with the URL reads back; a form POST stores an object.

mod s3_transfer_common;

use boto::boto_core::transport::{HttpClient, TransportConfig};
use boto::boto_core::{Body, HttpRequest};
use s3_transfer_common::*;

async fn send(method: http::Method, url: &str, body: Body, headers: &[(&str, &str)]) -> (u16, Vec<u8>) {
    let http = HttpClient::new(TransportConfig::default()).unwrap();
    let mut req = HttpRequest::new(method, url);
    req.body = body;
    for (k, v) in headers {
        req.headers.insert(http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
    }
    let resp = http.send(req, false).await.unwrap();
    (resp.status, resp.body.bytes().unwrap_or_default().to_vec())
}

#[tokio::test]
async fn presigned_put_then_get_round_trips() {
    let Some(url) = boto::boto_core::testing::moto_endpoint("presigned_put_then_get_round_trips") else { return };
    let s3 = client(&url);
    let bucket = bucket(&s3, "presign").await;
    let data = random_bytes(100_000, 3);

    let put = boto::s3::presign_put(&s3, &bucket, "dir/pre signed.bin", 300).await.unwrap();
    assert!(put.contains("X-Amz-Signature="));
    let (status, _) = send(http::Method::PUT, &put, Body::from(data.clone()), &[]).await;
    assert_eq!(status, 200);

    // The object is there, for the client and for the presigned GET.
    let got =
        s3.call("GetObject", boto::params!({ "Bucket": bucket.as_str(), "Key": "dir/pre signed.bin" })).await.unwrap();
    let body = got["Body"].as_stream().unwrap().collect().await.unwrap();
    assert_eq!(sha256(&body), sha256(&data));
    let get = boto::s3::presign_get(&s3, &bucket, "dir/pre signed.bin", 300).await.unwrap();
    let (status, body) = send(http::Method::GET, &get, Body::empty(), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(sha256(&body), sha256(&data));

    // Any operation, with more parameters.
    let head = boto::s3::presign::presign(&s3, "HeadObject", &bucket, "dir/pre signed.bin", boto::Value::Null, 60)
        .await
        .unwrap();
    let (status, _) = send(http::Method::HEAD, &head, Body::empty(), &[]).await;
    assert_eq!(status, 200);
}

/// boto3's `HttpMethod`: a `get_object` URL presigned for `PUT` uploads.
/// moto does not check signatures, so there the test shows the URL and
/// method reach the server as an upload; s3s-fs checks them, and refuses
/// the URL for any other method (the signature covers the method).
#[tokio::test]
async fn a_get_object_url_presigned_for_put_uploads() {
    use boto::s3::presign::{Method, PresignOptions};
    use boto::s3::S3ClientExt;

    let backends = backends("a_get_object_url_presigned_for_put_uploads");
    for (name, url) in backends {
        let s3 = client(&url);
        let bucket = bucket(&s3, "method").await;
        let data = random_bytes(50_000, 11);
        let params = || boto::params!({ "Bucket": bucket.as_str(), "Key": "via-get.bin" });
        let options = PresignOptions::new().expires_in(300).http_method(Method::PUT);
        let put = s3.generate_presigned_url_with("get_object", params(), options).await.unwrap();
        let (status, body) = send(http::Method::PUT, &put, Body::from(data.clone()), &[]).await;
        assert_eq!(status, 200, "{name}: {}", String::from_utf8_lossy(&body));
        let got = s3.call("GetObject", params()).await.unwrap();
        let stored = got["Body"].as_stream().unwrap().collect().await.unwrap();
        assert_eq!(sha256(&stored), sha256(&data), "{name}");

        if name == "s3s-fs" {
            // The URL is signed for PUT only ...
            let (status, _) = send(http::Method::GET, &put, Body::empty(), &[]).await;
            assert_eq!(status, 403, "{name}: a GET with a URL signed for PUT");
            // ... and without the override, for GET only.
            let get = s3.generate_presigned_url("get_object", params(), 300).await.unwrap();
            let (status, _) = send(http::Method::PUT, &get, Body::from(data.clone()), &[]).await;
            assert_eq!(status, 403, "{name}: a PUT with a URL signed for GET");
            let (status, body) = send(http::Method::GET, &get, Body::empty(), &[]).await;
            assert_eq!((status, sha256(&body)), (200, sha256(&data)), "{name}");
        }
    }
}

#[tokio::test]
async fn presigned_post_stores_an_object() {
    let Some(url) = boto::boto_core::testing::moto_endpoint("presigned_post_stores_an_object") else { return };
    let s3 = client(&url);
    let bucket = bucket(&s3, "post").await;
    let mut fields = indexmap::IndexMap::new();
    fields.insert("Content-Type".to_owned(), "text/plain".to_owned());
    let conditions = vec![serde_json::json!(["content-length-range", 0, 1_000_000])];
    let post = boto::s3::presign_post(&s3, &bucket, "posted.txt", fields, conditions, 300).await.unwrap();

    let boundary = "----boto-rs-test-boundary";
    let mut form = Vec::new();
    for (name, value) in &post.fields {
        form.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    form.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"posted.txt\"\r\n\
             Content-Type: text/plain\r\n\r\nhello from a form\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let (status, body) =
        send(http::Method::POST, &post.url, Body::from(form), &[("content-type", content_type.as_str())]).await;
    assert!((200..300).contains(&status), "{status}: {}", String::from_utf8_lossy(&body));

    let got = s3.call("GetObject", boto::params!({ "Bucket": bucket.as_str(), "Key": "posted.txt" })).await.unwrap();
    let body = got["Body"].as_stream().unwrap().collect().await.unwrap();
    assert_eq!(&body[..], b"hello from a form");
}

#[test]
fn blocking_presign_helpers() {
    let Some(url) = boto::boto_core::testing::moto_endpoint("blocking_presign_helpers") else { return };
    let s3 = boto::boto_core::blocking::Client::builder("s3")
        .region("us-east-1")
        .endpoint_url(url.as_str())
        .credentials(boto::boto_core::testing::test_credentials())
        .build()
        .unwrap();
    let get = boto::s3::presign::blocking::presign_get(&s3, "b", "k", 60).unwrap();
    let put = boto::s3::presign::blocking::presign_put(&s3, "b", "k", 60).unwrap();
    assert!(get.starts_with(&url) && put.starts_with(&url) && get != put);
    let options = boto::s3::PresignOptions::new().expires_in(60).http_method(boto::s3::presign::Method::PUT);
    let get_as_put = boto::s3::presign::blocking::presign_with(&s3, "GetObject", "b", "k", boto::Value::Null, options);
    let get_as_put = get_as_put.unwrap();
    // (Signed as presign_put's URL is: the same request but for the operation.)
    assert!(get_as_put.starts_with(&url) && get_as_put != get, "{get_as_put}");
    let post = boto::s3::presign::blocking::presign_post(&s3, "b", "k", Default::default(), Vec::new(), 60).unwrap();
    assert!(post.fields.contains_key("policy"));
}
