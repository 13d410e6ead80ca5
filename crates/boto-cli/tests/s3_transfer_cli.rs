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

/// Which region each operation of a `--debug` run was signed for, from the
/// `signed request` log lines (`operation=HeadObject ... scope=DATE/REGION/s3/...`).
fn signing_regions(stderr: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(stderr);
    // Drop the log's colours (ESC [ ... m).
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
        .lines()
        .filter(|l| l.contains("signed request"))
        .filter_map(|l| {
            let op = l.split("operation=").nth(1)?.split(|c: char| !c.is_alphanumeric()).next()?;
            let region = l.split("scope=").nth(1)?.split('/').nth(1)?;
            Some((op.to_owned(), region.to_owned()))
        })
        .collect()
}

/// aws-cli's `--source-region`: the source of an S3-to-S3 copy is listed and
/// read in that region, the copy is made in `--region`.
#[test]
fn cp_source_region_reads_the_source_there() {
    let Some(url) = boto_core::testing::moto_endpoint("cp_source_region_reads_the_source_there") else { return };
    let bucket = format!("cli-src-{}", std::process::id());
    ok(&boto(&url, &["call", "s3", "CreateBucket", "--params", &format!("{{\"Bucket\": \"{bucket}\"}}")]));
    let dir = scratch("source-region");
    let file = dir.join("one.txt");
    std::fs::write(&file, b"one").unwrap();
    ok(&boto(&url, &["s3", "cp", p(&file), &format!("s3://{bucket}/src/one.txt")]));
    ok(&boto(&url, &["s3", "cp", p(&file), &format!("s3://{bucket}/src/two.txt")]));

    let src = format!("s3://{bucket}/src/one.txt");
    let out =
        boto(&url, &["--debug", "s3", "cp", &src, &format!("s3://{bucket}/dst/"), "--source-region", "eu-west-1"]);
    ok(&out);
    let regions = signing_regions(&out.stderr);
    assert!(regions.contains(&("HeadObject".into(), "eu-west-1".into())), "{regions:?}");
    assert!(regions.contains(&("CopyObject".into(), "us-east-1".into())), "{regions:?}");
    assert!(!regions.iter().any(|(op, r)| op == "HeadObject" && r == "us-east-1"), "{regions:?}");

    // Recursive: the listing too.
    let out = boto(
        &url,
        &["--debug", "s3", "cp", &format!("s3://{bucket}/src/"), &format!("s3://{bucket}/all/"), "--recursive"],
    );
    assert!(out.status.success());
    let regions = signing_regions(&out.stderr);
    assert!(regions.contains(&("ListObjectsV2".into(), "us-east-1".into())), "without: {regions:?}");
    let out = boto(
        &url,
        &[
            "--debug",
            "s3",
            "cp",
            &format!("s3://{bucket}/src/"),
            &format!("s3://{bucket}/all/"),
            "--recursive",
            "--source-region",
            "eu-west-1",
        ],
    );
    ok(&out);
    let regions = signing_regions(&out.stderr);
    let by_op = |name: &str| regions.iter().filter(|(op, _)| op == name).map(|(_, r)| r.as_str()).collect::<Vec<_>>();
    assert_eq!(by_op("ListObjectsV2"), ["eu-west-1"], "{regions:?}");
    assert_eq!(by_op("HeadObject"), ["eu-west-1", "eu-west-1"], "{regions:?}");
    assert_eq!(by_op("CopyObject"), ["us-east-1", "us-east-1"], "{regions:?}");
    let got = ok(&boto(&url, &["s3", "cp", &format!("s3://{bucket}/all/two.txt"), "-"]));
    assert_eq!(got, "one");

    // Other transfers ignore it, as aws-cli does.
    let back = dir.join("back.txt");
    ok(&boto(&url, &["s3", "cp", &src, p(&back), "--source-region", "eu-west-1"]));
    assert_eq!(std::fs::read(&back).unwrap(), b"one");
    std::fs::remove_dir_all(&dir).unwrap();
}
