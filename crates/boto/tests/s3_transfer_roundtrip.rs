//! Managed transfers against the local S3 stand-ins (moto and s3s-fs):
//! byte-exact round trips across the multipart threshold, multipart use,
//! managed copies, uploads from non-seekable readers, extra arguments and
//! checksums.

mod s3_transfer_common;

use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use boto::s3::transfer::{self, CopySource, ExtraArgs, TransferConfig, TransferManager, TransferOptions};
use s3_transfer_common::*;
use tokio::io::{AsyncRead, ReadBuf};

const SIZES: [u64; 6] = [0, 1, 8 * MIB - 1, 8 * MIB, 8 * MIB + 1, 100 * MIB];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_round_trip_byte_exact_with_multipart_above_the_threshold() {
    for (backend, url) in backends("files_round_trip_byte_exact_with_multipart_above_the_threshold") {
        let (s3, calls) = recording_client(&url);
        let bucket = bucket(&s3, "roundtrip").await;
        let manager = TransferManager::new(s3.clone(), TransferConfig::default()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        for size in SIZES {
            let (path, hash) = random_file(dir.path(), &format!("up-{size}"), size);
            let key = format!("dir/object-{size}");
            let multipart = size >= 8 * MIB;
            let parts = size.div_ceil(8 * MIB) as usize;

            calls.clear();
            let (progress, total) = counter();
            let out = manager
                .upload_file(&path, &bucket, &key, TransferOptions::new().progress(progress))
                .await
                .unwrap_or_else(|e| panic!("{backend}: upload of {size} bytes: {e}"));
            assert_eq!(out.bytes, size);
            assert_eq!(total.load(Ordering::Relaxed), size as i64, "{backend}: upload progress");
            if multipart {
                assert_eq!(calls.count("CreateMultipartUpload"), 1, "{backend} {size}: {:?}", calls.names());
                assert_eq!(calls.count("UploadPart"), parts, "{backend} {size}");
                assert_eq!(calls.count("CompleteMultipartUpload"), 1, "{backend} {size}");
                assert_eq!(calls.count("PutObject"), 0, "{backend} {size}");
                assert_eq!(out.parts as usize, parts);
                let etag = out.etag.clone().unwrap_or_default();
                assert!(etag.trim_matches('"').ends_with(&format!("-{parts}")), "{backend}: multipart ETag {etag}");
            } else {
                assert_eq!(calls.names(), vec!["PutObject"], "{backend} {size}");
            }

            calls.clear();
            let target = dir.path().join(format!("down-{size}"));
            let (progress, total) = counter();
            let out = manager
                .download_file(&bucket, &key, &target, TransferOptions::new().progress(progress))
                .await
                .unwrap_or_else(|e| panic!("{backend}: download of {size} bytes: {e}"));
            assert_eq!(out.bytes, size);
            assert_eq!(sha256_file(&target), hash, "{backend}: downloaded {size} bytes differ");
            assert_eq!(total.load(Ordering::Relaxed), size as i64, "{backend}: download progress");
            assert_eq!(calls.count("GetObject"), if multipart { parts } else { 1 }, "{backend} {size}");

            let mut buf = Vec::new();
            manager.download_fileobj(&bucket, &key, &mut buf, TransferOptions::new()).await.unwrap();
            assert_eq!(buf.len() as u64, size);
            assert_eq!(sha256(&buf), hash, "{backend}: download_fileobj of {size} bytes differs");
        }
        // No temporary file is left beside the targets.
        let names = dir_names(dir.path());
        assert!(names.iter().all(|n| n.starts_with("up-") || n.starts_with("down-")), "{names:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managed_copy_of_a_100_mib_object_uses_upload_part_copy() {
    for (backend, url) in backends("managed_copy_of_a_100_mib_object_uses_upload_part_copy") {
        let (s3, calls) = recording_client(&url);
        let bucket = bucket(&s3, "copy").await;
        let manager = TransferManager::new(s3.clone(), TransferConfig::default()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (path, hash) = random_file(dir.path(), "src", 100 * MIB);
        let args = ExtraArgs::new().content_type("application/x-test").metadata([("origin", "copy-test")]);
        manager.upload_file(&path, &bucket, "src", TransferOptions::new().extra_args(args)).await.unwrap();

        calls.clear();
        let (progress, total) = counter();
        let source = CopySource::new(bucket.as_str(), "src");
        let out = manager.copy(&source, &bucket, "dst", TransferOptions::new().progress(progress)).await.unwrap();
        assert_eq!(out.bytes, 100 * MIB);
        assert_eq!(out.parts, 13);
        assert_eq!(calls.count("UploadPartCopy"), 13, "{backend}: {:?}", calls.names());
        assert_eq!(calls.count("CopyObject"), 0);
        assert_eq!(total.load(Ordering::Relaxed), (100 * MIB) as i64);

        let target = dir.path().join("dst");
        manager.download_file(&bucket, "dst", &target, TransferOptions::new()).await.unwrap();
        assert_eq!(sha256_file(&target), hash, "{backend}: the copy differs");
        let head = s3.call("HeadObject", boto::params!({ "Bucket": bucket.as_str(), "Key": "dst" })).await.unwrap();
        if backend == "moto" {
            // The source's headers are carried over to the multipart copy.
            assert_eq!(head["ContentType"].as_str(), Some("application/x-test"));
            assert_eq!(head["Metadata"]["origin"].as_str(), Some("copy-test"));
        }

        // Below the threshold: one CopyObject.
        let (small, small_hash) = random_file(dir.path(), "small", 1000);
        manager.upload_file(&small, &bucket, "small", TransferOptions::new()).await.unwrap();
        calls.clear();
        let out = manager
            .copy(&CopySource::new(bucket.as_str(), "small"), &bucket, "small-copy", TransferOptions::new())
            .await
            .unwrap();
        assert_eq!(calls.names(), vec!["HeadObject", "CopyObject"]);
        assert!(out.etag.is_some());
        let mut buf = Vec::new();
        manager.download_fileobj(&bucket, "small-copy", &mut buf, TransferOptions::new()).await.unwrap();
        assert_eq!(sha256(&buf), small_hash);
    }
}

/// A reader that cannot seek and gives its bytes in odd-sized pieces.
struct Trickle {
    data: Vec<u8>,
    pos: usize,
    step: usize,
}

impl AsyncRead for Trickle {
    fn poll_read(mut self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let n = self.step.min(buf.remaining()).min(self.data.len() - self.pos);
        let start = self.pos;
        buf.put_slice(&self.data[start..start + n]);
        self.pos += n;
        Poll::Ready(Ok(()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_fileobj_from_a_non_seekable_reader() {
    for (backend, url) in backends("upload_fileobj_from_a_non_seekable_reader") {
        let (s3, calls) = recording_client(&url);
        let bucket = bucket(&s3, "fileobj").await;
        let manager = TransferManager::new(s3.clone(), TransferConfig::default()).unwrap();
        for (size, parts) in [(20 * MIB as usize + 3, 3), (16 * MIB as usize, 2), (1000, 0)] {
            let data = random_bytes(size, 7 + size as u64);
            calls.clear();
            let (progress, total) = counter();
            let reader = Trickle { data: data.clone(), pos: 0, step: 77_777 };
            let out = manager
                .upload_fileobj(reader, &bucket, "streamed", TransferOptions::new().progress(progress))
                .await
                .unwrap_or_else(|e| panic!("{backend}: {e}"));
            assert_eq!((out.bytes, out.parts), (size as u64, parts));
            assert_eq!(calls.count("UploadPart"), parts as usize, "{backend}: {:?}", calls.names());
            assert_eq!(total.load(Ordering::Relaxed), size as i64);
            let mut back = Vec::new();
            manager.download_fileobj(&bucket, "streamed", &mut back, TransferOptions::new()).await.unwrap();
            assert_eq!(sha256(&back), sha256(&data), "{backend}: {size} bytes");
        }
    }
}

#[test]
fn blocking_transfers_round_trip() {
    for (backend, url) in backends("blocking_transfers_round_trip") {
        let s3 = boto::boto_core::blocking::Client::builder("s3")
            .region("us-east-1")
            .endpoint_url(url.as_str())
            .credentials(boto::boto_core::testing::test_credentials())
            .build()
            .unwrap();
        let bucket = format!("blocking-{:08x}", fastrand::u32(..));
        s3.call("CreateBucket", boto::params!({ "Bucket": bucket.as_str() })).unwrap();
        let manager = transfer::blocking::TransferManager::new(s3, TransferConfig::default()).unwrap();
        let data = random_bytes(17 * MIB as usize + 5, 99);
        // A std::io::Read that is not a file: a chain of slices.
        let reader = std::io::Read::chain(&data[..MIB as usize], &data[MIB as usize..]);
        let out = manager.upload_fileobj(reader, &bucket, "blocking", TransferOptions::new()).unwrap();
        assert_eq!(out.parts, 3, "{backend}");
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("blocking.bin");
        manager.download_file(&bucket, "blocking", &target, TransferOptions::new()).unwrap();
        assert_eq!(sha256_file(&target), sha256(&data), "{backend}");
        let mut out = Vec::new();
        manager.download_fileobj(&bucket, "blocking", &mut out, TransferOptions::new()).unwrap();
        assert_eq!(sha256(&out), sha256(&data));
        manager.upload_file(&target, &bucket, "again", TransferOptions::new()).unwrap();
        manager.copy(&CopySource::new(bucket.as_str(), "again"), &bucket, "copied", TransferOptions::new()).unwrap();
        let mut copied = Vec::new();
        manager.download_fileobj(&bucket, "copied", &mut copied, TransferOptions::new()).unwrap();
        assert_eq!(sha256(&copied), sha256(&data), "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extra_args_and_checksums_reach_s3() {
    let Some(url) = boto::boto_core::testing::moto_endpoint("extra_args_and_checksums_reach_s3") else { return };
    let (s3, calls) = recording_client(&url);
    let bucket = bucket(&s3, "args").await;
    let manager = TransferManager::new(s3.clone(), TransferConfig::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (path, hash) = random_file(dir.path(), "f", 20 * MIB);
    let args = ExtraArgs::new()
        .content_type("text/plain")
        .metadata([("k", "v")])
        .storage_class("STANDARD_IA")
        .server_side_encryption("AES256")
        .acl("private");
    for (key, size_path) in [("multi", &path), ("single", &random_file(dir.path(), "s", 1000).0)] {
        manager.upload_file(size_path, &bucket, key, TransferOptions::new().extra_args(args.clone())).await.unwrap();
        let head = s3.call("HeadObject", boto::params!({ "Bucket": bucket.as_str(), "Key": key })).await.unwrap();
        assert_eq!(head["ContentType"].as_str(), Some("text/plain"), "{key}");
        assert_eq!(head["Metadata"]["k"].as_str(), Some("v"), "{key}");
        assert_eq!(head["StorageClass"].as_str(), Some("STANDARD_IA"), "{key}");
        assert_eq!(head["ServerSideEncryption"].as_str(), Some("AES256"), "{key}");
    }

    // Composite CRC32 (the default) is checked on download: one more HeadObject for the part size.
    calls.clear();
    let target = dir.path().join("composite");
    let out = manager.download_file(&bucket, "multi", &target, TransferOptions::new()).await.unwrap();
    assert_eq!(sha256_file(&target), hash);
    assert_eq!(calls.count("HeadObject"), 2, "{:?}", calls.names());
    assert_eq!(out.checksum_verified.as_deref(), Some("crc32 composite of 3 parts"));

    // A full-object CRC computed from the part CRCs, and given by the caller. (moto
    // without its optional crc32c/awscrt packages answers CRC32 for CRC32C and CRC64NVME,
    // so only CRC32 can be checked against it; the combination itself is unit-tested.)
    for algorithm in ["CRC32"] {
        let args = ExtraArgs::new().checksum_algorithm(algorithm).checksum_type("FULL_OBJECT");
        let key = format!("full-{algorithm}");
        manager.upload_file(&path, &bucket, &key, TransferOptions::new().extra_args(args)).await.unwrap();
        let head = s3
            .call(
                "HeadObject",
                boto::params!({ "Bucket": bucket.as_str(), "Key": key.as_str(), "ChecksumMode": "ENABLED" }),
            )
            .await
            .unwrap();
        let algo = boto::boto_core::checksum::Algorithm::parse(algorithm).unwrap();
        let whole = algo.checksum(&std::fs::read(&path).unwrap());
        assert_eq!(head[format!("Checksum{algorithm}").as_str()].as_str(), Some(whole.as_str()), "{algorithm}");
        let target = dir.path().join(&key);
        let out = manager.download_file(&bucket, &key, &target, TransferOptions::new()).await.unwrap();
        assert_eq!(sha256_file(&target), hash);
        assert!(out.checksum_verified.is_some());
    }
    // A single-request object has a full-object CRC, checked over its ranges.
    let single = TransferConfig { multipart_threshold: 64 * MIB, ..Default::default() };
    transfer::upload_file(&s3, &path, &bucket, "one-put", &single, TransferOptions::new()).await.unwrap();
    let target = dir.path().join("one-put");
    let out = manager.download_file(&bucket, "one-put", &target, TransferOptions::new()).await.unwrap();
    assert_eq!((out.parts, out.checksum_verified.as_deref()), (3, Some("crc32")));
    assert_eq!(sha256_file(&target), hash);

    let whole = boto::boto_core::checksum::Algorithm::Crc32.checksum(&std::fs::read(&path).unwrap());
    let args = ExtraArgs::new().set("ChecksumCRC32", whole.as_str());
    manager.upload_file(&path, &bucket, "given", TransferOptions::new().extra_args(args)).await.unwrap();

    // Unknown arguments are refused before anything is sent.
    calls.clear();
    let bad = ExtraArgs::new().set("Bogus", "x");
    let err = manager.upload_file(&path, &bucket, "bad", TransferOptions::new().extra_args(bad)).await.unwrap_err();
    assert!(err.to_string().contains("Bogus"));
    assert!(calls.names().is_empty());

    // The free functions take a client, bucket and key.
    let config = TransferConfig { multipart_threshold: 5 * MIB, multipart_chunksize: 5 * MIB, ..Default::default() };
    let out = transfer::upload_file(&s3, &path, &bucket, "free", &config, TransferOptions::new()).await.unwrap();
    assert_eq!(out.parts, 4);
    let target = dir.path().join("free");
    transfer::download_file(&s3, &bucket, "free", &target, &config, TransferOptions::new()).await.unwrap();
    assert_eq!(sha256_file(&target), hash);
}
