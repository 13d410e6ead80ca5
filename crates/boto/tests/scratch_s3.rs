use boto::{params, Session};
use futures_util::TryStreamExt;

#[tokio::test]
async fn scratch() {
    let Some(url) = boto_core::testing::moto_endpoint("scratch") else { return };
    let session = Session::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(boto_core::testing::test_credentials())
        .build()
        .unwrap();
    let s3 = session.resource("s3").unwrap();
    let bucket = s3.bucket("scratch-bucket").unwrap();
    println!("{:?}", bucket.action("create", params!({})).await.unwrap());
    let obj = bucket.object("a/b.txt").unwrap();
    println!("{:?}", obj.action("put", params!({"Body": boto::Value::blob(&b"hello"[..])})).await.unwrap());
    println!("len {:?}", obj.get("content_length").await.unwrap());
    let objs: Vec<_> =
        bucket.collection("objects").unwrap().filter(params!({"Prefix": "a/"})).stream().try_collect().await.unwrap();
    println!("{:?}", objs);
    println!("{:?}", objs[0].get("size").await.unwrap());
    println!("{:?}", bucket.get("creation_date").await.unwrap());
    println!("{:?}", s3.collection("buckets").unwrap().to_vec().await.unwrap());
    println!("{:?}", bucket.collection("objects").unwrap().batch_action("delete", params!({})).await.unwrap());
    println!("{:?}", bucket.meta());
}
