//! Amazon S3 helpers of the boto3 layer: managed transfers ([`transfer`],
//! boto3's `upload_file`, `download_file`, `copy` and their file-object
//! variants) and presigned URLs and POSTs ([`presign`]), also reachable
//! as boto3 injects them:
//!
//! * on the S3 client, through [`S3ClientExt`] (`s3.upload_file(...)`,
//!   `s3.generate_presigned_url(...)`);
//! * on the `Bucket` and `Object` resources, through [`S3ResourceExt`]
//!   (`bucket.as_s3_bucket()?.upload_file(...)`, see [`Bucket`] and
//!   [`Object`]);
//! * for blocking code, through [`blocking::S3ClientExt`] and
//!   [`blocking::S3ResourceExt`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use boto::s3::transfer::{TransferConfig, TransferManager, TransferOptions};
//!
//! let s3 = boto::boto_core::Client::builder("s3").region("us-east-1").build()?;
//! let manager = TransferManager::new(s3.clone(), TransferConfig::default())?;
//! manager.upload_file("big.bin", "my-bucket", "data/big.bin", TransferOptions::default()).await?;
//! manager.download_file("my-bucket", "data/big.bin", "copy.bin", TransferOptions::default()).await?;
//! let url = boto::s3::presign_get(&s3, "my-bucket", "data/big.bin", 3600).await?;
//! # let _ = url; Ok(()) }
//! ```

pub mod blocking;
mod client;
pub mod presign;
mod resource;
pub mod transfer;

pub use client::S3ClientExt;
pub use presign::{presign_get, presign_post, presign_put, PresignOptions};
pub use resource::{Bucket, Object, S3ResourceExt};
pub use transfer::{
    CopySource, ExtraArgs, Progress, SourceClient, TransferConfig, TransferError, TransferManager, TransferOptions,
    TransferOutput,
};

/// The sealed supertraits of the extension traits: they keep the traits to
/// the types of this crate and boto-core, and give their provided methods
/// what they work on.
mod sealed {
    use crate::error::Error;

    /// An async S3 client.
    pub trait AsyncClient {
        fn s3_client(&self) -> &boto_core::Client;
    }

    impl AsyncClient for boto_core::Client {
        fn s3_client(&self) -> &boto_core::Client {
            self
        }
    }

    /// A blocking S3 client.
    pub trait BlockingClient {
        fn s3_client(&self) -> &boto_core::blocking::Client;
    }

    impl BlockingClient for boto_core::blocking::Client {
        fn s3_client(&self) -> &boto_core::blocking::Client {
            self
        }
    }

    /// A resource, async or blocking.
    pub trait AnyResource: Clone + Sized {
        /// The async resource (itself, or the one inside).
        fn async_resource(&self) -> &crate::Resource;
        /// Its sub-resource `Object` for `key` (on an `s3.Bucket`).
        fn object_resource(&self, key: &str) -> Result<Self, Error>;
    }

    impl AnyResource for crate::Resource {
        fn async_resource(&self) -> &crate::Resource {
            self
        }
        fn object_resource(&self, key: &str) -> Result<Self, Error> {
            self.object(key)
        }
    }

    impl AnyResource for crate::blocking::Resource {
        fn async_resource(&self) -> &crate::Resource {
            self.as_async()
        }
        fn object_resource(&self, key: &str) -> Result<Self, Error> {
            self.object(key)
        }
    }
}
