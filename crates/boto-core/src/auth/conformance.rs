//! The SigV4 conformance suites (`cargo xtask conformance sigv4 DIR` and
//! the crate's tests): botocore's `aws4_testsuite` and aws-c-auth's
//! `v4` and `v4a` suites.
//!
//! Raw requests are parsed as written: the request target is kept byte for
//! byte (spaces, UTF-8, `..` segments), folded header lines are joined with
//! a space, repeated headers stay separate and in order.

use std::path::{Path, PathBuf};

use http::{HeaderName, HeaderValue, Method};
use serde_json::Value;
use time::OffsetDateTime;

use super::{sigv4, sigv4a, SessionTokenMode, SigV4Scheme, SigV4aScheme, SigningOptions, SigningOutput};
use crate::credentials::Credentials;
use crate::request::HttpRequest;

/// The cases botocore's own test skips (`TESTS_TO_IGNORE`): reported as
/// skipped, though they are run and their result shown.
pub const BOTOCORE_SKIPS: [&str; 4] = [
    "normalize-path/get-space",
    "get-vanilla-query-order-key",
    "get-vanilla-query-order-key-case",
    "get-vanilla-query-order-value",
];

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every check passed.
    Passed,
    /// A check failed: what differed.
    Failed(String),
    /// Not counted: why (and how it went when it was run anyway).
    Skipped(String),
}

/// One case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The case, relative to its suite folder.
    pub name: String,
    /// How it went.
    pub outcome: Outcome,
    /// Extra information shown with the result.
    pub note: Option<String>,
}

/// One suite folder.
#[derive(Debug, Clone)]
pub struct SuiteReport {
    /// The folder, relative to the sigv4 directory.
    pub suite: String,
    /// Its cases, in name order.
    pub cases: Vec<CaseResult>,
}

impl SuiteReport {
    /// (passed, failed, skipped).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for r in &self.cases {
            match r.outcome {
                Outcome::Passed => c.0 += 1,
                Outcome::Failed(_) => c.1 += 1,
                Outcome::Skipped(_) => c.2 += 1,
            }
        }
        c
    }
}

/// Runs every suite found under `dir` (the `sigv4` conformance folder).
pub fn run_all(dir: &Path) -> Vec<SuiteReport> {
    let mut out = Vec::new();
    let aws4 = dir.join("aws4_testsuite");
    if aws4.is_dir() {
        out.push(run_aws4_testsuite(&aws4));
    }
    for (sub, v4a) in [("v4", false), ("v4a", true)] {
        let d = dir.join("aws-c-auth").join(sub);
        if d.is_dir() {
            out.push(run_aws_c_auth(&d, v4a));
        }
    }
    out
}

/// A raw HTTP request of a test case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    /// The method.
    pub method: String,
    /// The request target as written (path and query).
    pub target: String,
    /// The headers in order; folded lines joined with a space; values
    /// without surrounding whitespace.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// Parses a raw request (`METHOD target HTTP/1.1`, headers, blank line,
/// body). LF or CRLF line ends.
pub fn parse_raw_request(data: &[u8]) -> Result<RawRequest, String> {
    let text = String::from_utf8_lossy(data);
    let mut rest: &str = &text;
    let mut lines: Vec<&str> = Vec::new();
    let mut body: &str = "";
    loop {
        let (line, tail) = match rest.find('\n') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() && !lines.is_empty() {
            body = tail.unwrap_or("");
            break;
        }
        lines.push(line);
        match tail {
            Some(t) if !t.is_empty() => rest = t,
            _ => break,
        }
    }
    let request_line = lines.first().ok_or("empty request")?;
    let (method, after) = request_line.split_once(' ').ok_or("no request target")?;
    let target = match after.rsplit_once(' ') {
        Some((t, version)) if version.starts_with("HTTP/") => t,
        _ => after,
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in &lines[1..] {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().ok_or("continuation line before any header")?;
            last.1.push(' ');
            last.1.push_str(line.trim_end());
            continue;
        }
        let (name, value) = line.split_once(':').ok_or_else(|| format!("bad header line {line:?}"))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(RawRequest { method: method.to_owned(), target: target.to_owned(), headers, body: body.as_bytes().to_vec() })
}

impl RawRequest {
    /// The request as an [`HttpRequest`] to `https://<Host><target>`.
    pub fn to_http_request(&self) -> Result<HttpRequest, String> {
        let host = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("host"))
            .map(|(_, v)| v.as_str())
            .ok_or("no Host header")?;
        let method = Method::from_bytes(self.method.as_bytes()).map_err(|e| e.to_string())?;
        let mut req = HttpRequest::new(method, format!("https://{host}{}", self.target));
        for (n, v) in &self.headers {
            let name = HeaderName::from_bytes(n.to_ascii_lowercase().as_bytes()).map_err(|e| e.to_string())?;
            let value = HeaderValue::from_bytes(v.as_bytes()).map_err(|e| format!("header {n}: {e}"))?;
            req.headers.append(name, value);
        }
        req.body = self.body.clone().into();
        Ok(req)
    }

    /// Headers as sorted (lower-case name, value) pairs.
    fn header_set(&self) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> =
            self.headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.clone())).collect();
        h.sort();
        h
    }
}

/// The signed request in the same shape as a parsed expected one.
fn from_http_request(req: &HttpRequest) -> RawRequest {
    let after_authority = match req.url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => req.url.as_str(),
    };
    let headers = req
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).trim().to_owned()))
        .collect();
    RawRequest {
        method: req.method.as_str().to_owned(),
        target: after_authority.to_owned(),
        headers,
        body: req.body.as_bytes().map(<[u8]>::to_vec).unwrap_or_default(),
    }
}

fn split_target(target: &str) -> (&str, Vec<&str>) {
    match target.split_once('?') {
        Some((p, q)) => {
            let mut params: Vec<&str> = q.split('&').filter(|s| !s.is_empty()).collect();
            params.sort();
            (p, params)
        }
        None => (target, Vec::new()),
    }
}

/// How the signature inside a signed request is checked.
enum SigCheck<'a> {
    /// Compared as text.
    Exact,
    /// SigV4a: verified against the public key (X, Y hex) and the string
    /// to sign.
    Verify { x: &'a str, y: &'a str, sts: &'a str },
}

fn authz_split(v: &str) -> (&str, &str) {
    match v.rfind("Signature=") {
        Some(i) => (&v[..i], &v[i + "Signature=".len()..]),
        None => (v, ""),
    }
}

/// Compares a signed request with the expected one: method, path, query
/// parameters and headers as sets, body.
fn compare_signed(expected: &RawRequest, actual: &RawRequest, check: &SigCheck<'_>) -> Result<(), String> {
    if expected.method != actual.method {
        return Err(format!("method: expected {}, got {}", expected.method, actual.method));
    }
    let (ep, mut eq) = split_target(&expected.target);
    let (ap, mut aq) = split_target(&actual.target);
    if ep != ap {
        return Err(format!("path: expected {ep:?}, got {ap:?}"));
    }
    let mut eh = expected.header_set();
    let mut ah = actual.header_set();
    if let SigCheck::Verify { x, y, sts } = check {
        // The signature differs every time: verify it, compare the rest.
        let take_sig = |params: &mut Vec<&str>| -> Option<String> {
            let i = params.iter().position(|p| p.starts_with("X-Amz-Signature="))?;
            Some(params.remove(i)["X-Amz-Signature=".len()..].to_owned())
        };
        let es = take_sig(&mut eq);
        let asig = take_sig(&mut aq);
        match (&es, &asig) {
            (Some(_), Some(a)) if !sigv4a::verify(x, y, sts, a) => {
                return Err("query signature does not verify".into());
            }
            (Some(_), None) | (None, Some(_)) => return Err("X-Amz-Signature presence differs".into()),
            _ => {}
        }
        for (n, v) in eh.iter_mut() {
            if n == "authorization" {
                *v = authz_split(v).0.to_owned();
            }
        }
        for (n, v) in ah.iter_mut() {
            if n == "authorization" {
                let (prefix, sig) = authz_split(v);
                if !sigv4a::verify(x, y, sts, sig) {
                    return Err("authorization signature does not verify".into());
                }
                *v = prefix.to_owned();
            }
        }
        eh.sort();
        ah.sort();
    }
    if eq != aq {
        return Err(format!("query parameters:\n  expected {eq:?}\n  got      {aq:?}"));
    }
    if eh != ah {
        return Err(format!("headers:\n  expected {eh:?}\n  got      {ah:?}"));
    }
    if expected.body != actual.body {
        return Err("body differs".into());
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map(|s| s.replace('\r', ""))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn expect_eq(what: &str, expected: &str, actual: &str) -> Result<(), String> {
    if expected.trim_end_matches('\n') == actual {
        Ok(())
    } else {
        Err(format!("{what} differs:\n--- expected\n{expected}\n--- got\n{actual}"))
    }
}

fn suite_time() -> OffsetDateTime {
    time::macros::datetime!(2015-08-30 12:36:00 UTC)
}

/// Runs botocore's `aws4_testsuite` (service `service`, region
/// `us-east-1`, header signing).
pub fn run_aws4_testsuite(dir: &Path) -> SuiteReport {
    let mut cases = Vec::new();
    for case_dir in find_case_dirs(dir) {
        let name = case_dir.strip_prefix(dir).unwrap_or(&case_dir).to_string_lossy().replace('\\', "/");
        let result = run_aws4_case(&case_dir);
        let (outcome, note) = if BOTOCORE_SKIPS.contains(&name.as_str()) {
            let why = match &result {
                Ok(_) => "skipped by botocore; passes here".to_owned(),
                Err(e) => format!("skipped by botocore; fails here: {e}"),
            };
            (Outcome::Skipped(why), None)
        } else {
            match result {
                Ok(note) => (Outcome::Passed, note),
                Err(e) => (Outcome::Failed(e), None),
            }
        };
        cases.push(CaseResult { name, outcome, note });
    }
    SuiteReport { suite: "aws4_testsuite".to_owned(), cases }
}

fn find_case_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                let base = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if p.join(format!("{base}.req")).is_file() {
                    out.push(p.clone());
                }
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

fn run_aws4_case(dir: &Path) -> Result<Option<String>, String> {
    let base = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = |ext: &str| dir.join(format!("{base}.{ext}"));
    let raw = std::fs::read(file("req")).map_err(|e| e.to_string())?;
    let creq = read(&file("creq"))?;
    let sts = read(&file("sts"))?;
    let authz = read(&file("authz"))?;
    let sreq = std::fs::read(file("sreq")).map_err(|e| e.to_string())?;

    let raw = parse_raw_request(&raw)?;
    let expected_signed = parse_raw_request(&sreq)?;
    let token_in_creq = creq.lines().find_map(|l| l.strip_prefix("x-amz-security-token:")).map(|t| t.trim().to_owned());
    let token_after = expected_signed
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-amz-security-token"))
        .map(|(_, v)| v.clone());
    let mut options = SigningOptions::default();
    let token = match (token_in_creq, token_after) {
        (Some(t), _) => Some(t),
        (None, Some(t)) => {
            options.session_token = SessionTokenMode::Unsigned;
            Some(t)
        }
        (None, None) => None,
    };
    let creds = Credentials::new(ACCESS_KEY, SECRET_KEY, token);
    let scheme = SigV4Scheme { signing_name: "service".into(), region: "us-east-1".into(), options };
    let mut req = raw.to_http_request()?;
    let out = sigv4::sign_headers(&mut req, &scheme, &creds, suite_time()).map_err(|e| e.to_string())?;
    expect_eq("canonical request", &creq, &out.canonical_request)?;
    expect_eq("string to sign", &sts, &out.string_to_sign)?;
    let actual_authz = req.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    expect_eq("authorization", &authz, actual_authz)?;
    // The .authz file is authoritative: upstream, the .sreq of
    // get-vanilla-with-session-token carries a corrupt signature.
    let mut expected_signed = expected_signed;
    let mut note = None;
    for (n, v) in expected_signed.headers.iter_mut() {
        if n.eq_ignore_ascii_case("authorization") && v.as_str() != authz.trim_end() {
            note = Some(".sreq Authorization differs from .authz upstream; compared with .authz".to_owned());
            *v = authz.trim_end().to_owned();
        }
    }
    compare_signed(&expected_signed, &from_http_request(&req), &SigCheck::Exact)
        .map_err(|e| format!("signed request: {e}"))?;
    Ok(note)
}

/// Runs one aws-c-auth suite folder (`v4` or `v4a`), header and query
/// signing.
pub fn run_aws_c_auth(dir: &Path, v4a: bool) -> SuiteReport {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.join("request.txt").is_file()).collect())
        .unwrap_or_default();
    names.sort();
    let cases = names
        .iter()
        .map(|case| {
            let name = case.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            match run_c_auth_case(case, v4a) {
                Ok(note) => CaseResult { name, outcome: Outcome::Passed, note },
                Err(e) => CaseResult { name, outcome: Outcome::Failed(e), note: None },
            }
        })
        .collect();
    SuiteReport { suite: format!("aws-c-auth/{}", if v4a { "v4a" } else { "v4" }), cases }
}

struct Context {
    creds: Credentials,
    region: String,
    service: String,
    time: OffsetDateTime,
    options: SigningOptions,
    expires: u64,
}

fn read_context(case: &Path) -> Result<Context, String> {
    let v: Value = serde_json::from_str(&read(&case.join("context.json"))?).map_err(|e| e.to_string())?;
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let c = v.get("credentials").ok_or("no credentials")?;
    let creds = Credentials::new(
        s(c, "access_key_id").ok_or("no access key")?,
        s(c, "secret_access_key").ok_or("no secret key")?,
        s(c, "token"),
    );
    let ts = s(&v, "timestamp").ok_or("no timestamp")?;
    let time = OffsetDateTime::parse(&ts, &time::format_description::well_known::Rfc3339).map_err(|e| e.to_string())?;
    let flag = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
    let options = SigningOptions {
        double_uri_encode: true,
        normalize_path: v.get("normalize").and_then(Value::as_bool).unwrap_or(true),
        payload: super::PayloadSigning::Signed,
        content_sha256_header: flag("sign_body"),
        session_token: if flag("omit_session_token") { SessionTokenMode::Unsigned } else { SessionTokenMode::Signed },
    };
    Ok(Context {
        creds,
        region: s(&v, "region").ok_or("no region")?,
        service: s(&v, "service").ok_or("no service")?,
        time,
        options,
        expires: v.get("expiration_in_seconds").and_then(Value::as_u64).unwrap_or(3600),
    })
}

fn run_c_auth_case(case: &Path, v4a: bool) -> Result<Option<String>, String> {
    let ctx = read_context(case)?;
    let raw = parse_raw_request(&std::fs::read(case.join("request.txt")).map_err(|e| e.to_string())?)?;

    let public_key = if v4a {
        let (x, y) = sigv4a::public_key(&ctx.creds).map_err(|e| e.to_string())?;
        let (x, y) = (super::encode::hex(&x), super::encode::hex(&y));
        let file = case.join("public-key.json");
        if file.is_file() {
            let v: Value = serde_json::from_str(&read(&file)?).map_err(|e| e.to_string())?;
            let ex = v.get("X").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
            let ey = v.get("Y").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
            if ex != x || ey != y {
                return Err(format!("derived public key ({x}, {y}) differs from public-key.json ({ex}, {ey})"));
            }
        }
        Some((x, y))
    } else {
        None
    };

    let mut ran = Vec::new();
    for variant in ["header", "query"] {
        let creq_file = case.join(format!("{variant}-canonical-request.txt"));
        let mut req = raw.to_http_request()?;
        let out: SigningOutput = if v4a {
            let scheme = SigV4aScheme {
                signing_name: ctx.service.clone(),
                region_set: vec![ctx.region.clone()],
                options: ctx.options.clone(),
            };
            match variant {
                "header" => sigv4a::sign_headers(&mut req, &scheme, &ctx.creds, ctx.time),
                _ => sigv4a::presign(&mut req, &scheme, &ctx.creds, ctx.time, ctx.expires),
            }
        } else {
            let scheme = SigV4Scheme {
                signing_name: ctx.service.clone(),
                region: ctx.region.clone(),
                options: ctx.options.clone(),
            };
            match variant {
                "header" => sigv4::sign_headers(&mut req, &scheme, &ctx.creds, ctx.time),
                _ => sigv4::presign(&mut req, &scheme, &ctx.creds, ctx.time, ctx.expires),
            }
        }
        .map_err(|e| format!("{variant}: {e}"))?;

        if !creq_file.is_file() {
            // No expected output (two v4a cases): the signature must verify.
            if let Some((x, y)) = &public_key {
                if !sigv4a::verify(x, y, &out.string_to_sign, &out.signature) {
                    return Err(format!("{variant}: signature does not verify"));
                }
                ran.push(format!("{variant}: sign+verify only"));
            }
            continue;
        }
        let pre = |what: &str| format!("{variant} {what}");
        expect_eq(&pre("canonical request"), &read(&creq_file)?, &out.canonical_request)?;
        let sts = read(&case.join(format!("{variant}-string-to-sign.txt")))?;
        expect_eq(&pre("string to sign"), &sts, &out.string_to_sign)?;
        let expected_sig = read(&case.join(format!("{variant}-signature.txt")))?;
        let check = match &public_key {
            None => {
                expect_eq(&pre("signature"), &expected_sig, &out.signature)?;
                SigCheck::Exact
            }
            Some((x, y)) => {
                if !sigv4a::verify(x, y, sts.trim_end(), expected_sig.trim()) {
                    return Err(pre("expected signature does not verify against public-key.json"));
                }
                if !sigv4a::verify(x, y, &out.string_to_sign, &out.signature) {
                    return Err(pre("signature does not verify against public-key.json"));
                }
                SigCheck::Verify { x, y, sts: &out.string_to_sign }
            }
        };
        let signed_file = case.join(format!("{variant}-signed-request.txt"));
        let expected = parse_raw_request(&std::fs::read(&signed_file).map_err(|e| e.to_string())?)?;
        compare_signed(&expected, &from_http_request(&req), &check)
            .map_err(|e| pre(&format!("signed request: {e}")))?;
        // The older single-variant files of v4a/get-vanilla.
        if variant == "header" {
            for (file, what) in
                [("canonical-request.txt", "canonical request"), ("string-to-sign.txt", "string to sign")]
            {
                let p = case.join(file);
                if p.is_file() {
                    let actual =
                        if file.starts_with("canonical") { &out.canonical_request } else { &out.string_to_sign };
                    expect_eq(what, &read(&p)?, actual)?;
                }
            }
        }
    }
    Ok((!ran.is_empty()).then(|| ran.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_folded_and_repeated_headers_and_unusual_targets() {
        let raw = b"GET /example space/?a=b HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\n  value2\nMy-Header1: x \n\nbody";
        let r = parse_raw_request(raw).unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.target, "/example space/?a=b");
        assert_eq!(
            r.headers,
            vec![
                ("Host".to_owned(), "example.amazonaws.com".to_owned()),
                ("My-Header1".to_owned(), "value1   value2".to_owned()),
                ("My-Header1".to_owned(), "x".to_owned()),
            ]
        );
        assert_eq!(r.body, b"body");
        let req = r.to_http_request().unwrap();
        assert_eq!(req.path(), "/example space/");
        assert_eq!(req.headers.get_all("my-header1").iter().count(), 2);
    }
}
