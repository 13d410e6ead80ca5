//! Tests of the auth module: the conformance suites, presigning, S3
//! rules, aws-chunked framing, bearer and anonymous auth, scheme
//! selection, and that secrets stay out of errors and `Debug`.

use super::conformance::{run_all, Outcome};

#[test]
fn sigv4_conformance_suites() {
    let Some(dir) = crate::testing::conformance_dir("sigv4") else { return };
    let reports = run_all(&dir);
    assert_eq!(reports.len(), 3, "expected aws4_testsuite, aws-c-auth/v4 and aws-c-auth/v4a");
    let mut failures = Vec::new();
    let mut total = (0, 0, 0);
    for r in &reports {
        let (p, f, s) = r.counts();
        total = (total.0 + p, total.1 + f, total.2 + s);
        for c in &r.cases {
            if let Outcome::Failed(e) = &c.outcome {
                failures.push(format!("{}/{}: {e}", r.suite, c.name));
            }
            if let Outcome::Skipped(why) = &c.outcome {
                assert!(why.contains("passes here"), "{}/{}: {why}", r.suite, c.name);
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
    assert_eq!(total, (30 + 38 + 40, 0, 4));
}
