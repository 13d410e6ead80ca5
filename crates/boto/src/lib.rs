//! # boto
//!
//! The boto3 layer of boto-rs. For now it re-exports the botocore layer,
//! [`boto_core`]; sessions, resources, S3 transfers and DynamoDB helpers
//! build on it.

pub use boto_core;
pub use boto_core::{from_value, params, to_value, Body, Map, Value};

pub mod s3;
