//! # boto
//!
//! The boto3 layer of boto-rs, over the botocore layer ([`boto_core`]):
//!
//! * [`Session`]: configuration, credentials and a connection pool loaded
//!   once and shared by its clients and resources;
//! * [`resource`]: boto3's resources for every service that has a resource
//!   model (s3, dynamodb, ec2, sqs, sns, iam, cloudformation, cloudwatch,
//!   glacier), one generic engine driven by the models;
//! * [`dynamodb`]: native values, condition builders, table helpers and
//!   the batch writer;
//! * [`s3`]: managed transfers and presigning, also as methods of the S3
//!   client ([`s3::S3ClientExt`]) and of `Bucket` and `Object` resources
//!   ([`s3::S3ResourceExt`]);
//! * [`blocking`]: the same, without async.
//!
//! ```no_run
//! # async fn demo() -> Result<(), boto::Error> {
//! use boto::dynamodb::{item, Key};
//! use boto::Session;
//!
//! let session = Session::builder().region("us-east-1").build()?;
//! let table = session.resource("dynamodb")?.table("users")?;
//! table.put_item(item! { "id" => "u-1", "age" => 42 }).send().await?;
//! let found = table.query(Key::new("id").eq("u-1")).send().await?;
//! println!("{:?}", found.items);
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod blocking;
pub mod dynamodb;
mod error;
pub mod regions;
pub mod resource;
pub mod s3;
mod session;

pub use boto_core;
pub use boto_core::{from_value, params, to_value, Body, Client, Map, Value};
pub use error::Error;
pub use resource::{ActionOutput, Collection, Resource};
pub use session::{Session, SessionBuilder};
