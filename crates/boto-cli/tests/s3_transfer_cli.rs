//! `boto s3 cp` and `boto s3 presign` against moto: uploads, downloads,
//! copies, recursive copies, stdin/stdout, presigned URLs, exit codes, and
//! no progress bar when stdout is not a terminal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn boto(endpoint: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_boto"))
        .args(args)
        .args(["--endpoint-url", endpoint, "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .stdin(Stdio::null())
        .output()
        .expect("run boto")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "boto failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("boto-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn data(len: usize) -> Vec<u8> {
    let mut rng = fastrand_like(len as u64);
    (0..len).map(|_| rng()).collect()
}

fn fastrand_like(seed: u64) -> impl FnMut() -> u8 {
    let mut x = seed | 1;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 24) as u8
    }
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn cp_uploads_downloads_and_copies() {
    let Some(url) = boto_core::testing::moto_endpoint("cp_uploads_downloads_and_copies") else { return };
    let dir = scratch("cp");
    let bucket = format!("cli-{}", std::process::id());
    ok(&boto(&url, &["call", "s3", "CreateBucket", "--params", &format!("{{\"Bucket\": \"{bucket}\"}}")]));
    let body = data(9 * 1024 * 1024 + 7);
    let file = dir.join("big.bin");
    std::fs::write(&file, &body).unwrap();

    // Upload into a prefix: the file name is appended. No progress bar: stdout is a pipe.
    let out = ok(&boto(&url, &["s3", "cp", p(&file), &format!("s3://{bucket}/in/"), "--multipart-chunksize", "5MB"]));
    assert_eq!(out, format!("upload: {} to s3://{bucket}/in/big.bin\n", file.display()));
    // Download, copy (multipart above the threshold), download the copy.
    let back = dir.join("back.bin");
    ok(&boto(&url, &["s3", "cp", &format!("s3://{bucket}/in/big.bin"), p(&back)]));
    assert_eq!(std::fs::read(&back).unwrap(), body);
    let out = ok(&boto(
        &url,
        &["s3", "cp", &format!("s3://{bucket}/in/big.bin"), &format!("s3://{bucket}/copy/"), "--quiet"],
    ));
    assert_eq!(out, "");
    let copy_dir = dir.join("copies");
    std::fs::create_dir_all(&copy_dir).unwrap();
    ok(&boto(&url, &["s3", "cp", &format!("s3://{bucket}/copy/big.bin"), p(&copy_dir)]));
    assert_eq!(std::fs::read(copy_dir.join("big.bin")).unwrap(), body);

    // Recursive both ways.
    let tree = dir.join("tree");
    std::fs::create_dir_all(tree.join("a/b")).unwrap();
    std::fs::write(tree.join("top.txt"), b"top").unwrap();
    std::fs::write(tree.join("a/b/leaf.txt"), b"leaf").unwrap();
    let out = ok(&boto(&url, &["s3", "cp", p(&tree), &format!("s3://{bucket}/tree"), "--recursive"]));
    assert_eq!(out.lines().count(), 2, "{out}");
    let down = dir.join("down");
    ok(&boto(&url, &["s3", "cp", &format!("s3://{bucket}/tree/"), p(&down), "--recursive"]));
    assert_eq!(std::fs::read(down.join("top.txt")).unwrap(), b"top");
    assert_eq!(std::fs::read(down.join("a/b/leaf.txt")).unwrap(), b"leaf");

    // stdout, and presign.
    let out = boto(&url, &["s3", "cp", &format!("s3://{bucket}/tree/top.txt"), "-"]);
    assert!(out.status.success());
    assert_eq!(out.stdout, b"top");
    let url_out = ok(&boto(&url, &["s3", "presign", &format!("s3://{bucket}/tree/top.txt"), "--expires-in", "60"]));
    assert!(url_out.starts_with(&url) && url_out.contains("X-Amz-Expires=60"), "{url_out}");

    // Failures: a missing object leaves no file; bad usage exits 252.
    let missing = dir.join("missing.bin");
    let out = boto(&url, &["s3", "cp", &format!("s3://{bucket}/nope"), p(&missing)]);
    assert_eq!(out.status.code(), Some(255));
    assert!(!missing.exists());
    let out = boto(&url, &["s3", "cp", "a", "b"]);
    assert_eq!(out.status.code(), Some(252));
    let out = boto(&url, &["s3", "cp", p(&file), "s3://x/y", "--multipart-chunksize", "lots"]);
    assert_eq!(out.status.code(), Some(252));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("boto-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
