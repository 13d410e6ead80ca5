//! Amazon S3 helpers of the boto3 layer: managed transfers ([`transfer`],
//! boto3's `upload_file`, `download_file`, `copy` and their file-object
//! variants) and presigned URLs and POSTs ([`presign`]).
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

pub mod presign;
pub mod transfer;

pub use presign::{presign_get, presign_post, presign_put};
pub use transfer::{
    CopySource, ExtraArgs, Progress, TransferConfig, TransferError, TransferManager, TransferOptions, TransferOutput,
};
