//! The methods boto3 adds to resources beyond their models:
//!
//! * `s3.Bucket.load()`: finds the bucket in ListBuckets (boto3's
//!   `bucket_load`; an `AccessDenied` leaves the data empty);
//! * `s3.ObjectSummary.load()`: HeadObject, with `ContentLength` renamed
//!   `Size` (boto3's `object_summary_load`);
//! * `ec2.ServiceResource.create_tags(**params)`: CreateTags, returning
//!   the `Tag` resources made (boto3's `ec2.createtags`);
//! * `ec2.Instance.delete_tags(**params)`: DeleteTags on this instance
//!   (boto3's `ec2.deletetags`).
//!
//! S3's transfer and presign methods (boto3's injected `upload_file`,
//! `download_file`, `copy`, `upload_fileobj`, `download_fileobj`) are not
//! actions: they take files, readers and callbacks, so they are typed
//! methods of [`crate::s3::Bucket`] and [`crate::s3::Object`] (reached with
//! [`crate::s3::S3ResourceExt`]). [`custom_method_names`] lists them in
//! [`super::ResourceMeta::methods`].

use boto_core::naming::xform_name;
use boto_core::{params, Map, Value};

use super::{ActionOutput, BoxFuture, Resource};
use crate::error::Error;

/// A load that replaces the model's, if boto3 defines one.
pub(crate) fn custom_load(resource: &Resource) -> Option<BoxFuture<'_, Result<Value, Error>>> {
    match (resource.service_name(), resource.resource_name()) {
        ("s3", "Bucket") => Some(Box::pin(bucket_load(resource))),
        ("s3", "ObjectSummary") => Some(Box::pin(object_summary_load(resource))),
        _ => None,
    }
}

/// The names of the extra actions of a resource (boto3 spelling).
pub(crate) fn custom_action_names(resource: &Resource) -> &'static [&'static str] {
    match (resource.service_name(), resource.resource_name(), resource.is_service_resource()) {
        ("ec2", _, true) => &["create_tags"],
        ("ec2", "Instance", false) => &["delete_tags"],
        _ => &[],
    }
}

/// The names of the methods a resource has beyond its model and its
/// actions (S3's injected transfer methods and the presign helpers), as
/// the typed views name them.
pub(crate) fn custom_method_names(resource: &Resource) -> &'static [&'static str] {
    match (resource.service_name(), resource.resource_name(), resource.is_service_resource()) {
        ("s3", "Bucket", false) => {
            &["copy", "download_file", "download_fileobj", "presign_post", "upload_file", "upload_fileobj"]
        }
        ("s3", "Object", false) => &[
            "copy",
            "download_file",
            "download_fileobj",
            "presign",
            "presign_get",
            "presign_post",
            "presign_put",
            "upload_file",
            "upload_fileobj",
        ],
        _ => &[],
    }
}

/// An extra action, if `name` is one of this resource's.
pub(crate) fn custom_action<'a>(
    resource: &'a Resource,
    name: &str,
    user: &Map,
) -> Option<BoxFuture<'a, Result<ActionOutput, Error>>> {
    let snake = xform_name(name);
    if !custom_action_names(resource).contains(&snake.as_str()) {
        return None;
    }
    let user = user.clone();
    match snake.as_str() {
        "create_tags" => Some(Box::pin(create_tags(resource, user))),
        "delete_tags" => Some(Box::pin(delete_tags(resource, user))),
        _ => None,
    }
}

async fn bucket_load(bucket: &Resource) -> Result<Value, Error> {
    let name = bucket.identifier("name").cloned().unwrap_or(Value::Null);
    match bucket.client().call("ListBuckets", params!({})).await {
        Ok(response) => Ok(response["Buckets"]
            .as_list()
            .and_then(|list| list.iter().find(|b| b["Name"] == name).cloned())
            .unwrap_or_else(Value::map)),
        Err(e) if e.is("AccessDenied") => Ok(Value::map()),
        Err(e) => Err(e.into()),
    }
}

async fn object_summary_load(summary: &Resource) -> Result<Value, Error> {
    let params = params!({
        "Bucket": summary.identifier("bucket_name").cloned(),
        "Key": summary.identifier("key").cloned(),
    });
    let mut response = summary.client().call("HeadObject", params).await?;
    if let Some(length) = response.remove("ContentLength") {
        response.insert("Size", length);
    }
    Ok(response)
}

async fn create_tags(ec2: &Resource, user: Map) -> Result<ActionOutput, Error> {
    let params = Value::Map(user);
    ec2.client().call("CreateTags", params.clone()).await?;
    let mut tags = Vec::new();
    for id in params["Resources"].as_list().unwrap_or_default() {
        for tag in params["Tags"].as_list().unwrap_or_default() {
            tags.push(ec2.new_resource("Tag", [id.clone(), tag["Key"].clone(), tag["Value"].clone()])?);
        }
    }
    Ok(ActionOutput::Resources(tags))
}

async fn delete_tags(instance: &Resource, mut user: Map) -> Result<ActionOutput, Error> {
    let id = instance.identifier("id").cloned().unwrap_or(Value::Null);
    user.insert("Resources".into(), Value::List(vec![id]));
    let response = instance.client().call("DeleteTags", Value::Map(user)).await?;
    Ok(ActionOutput::Response(response))
}
