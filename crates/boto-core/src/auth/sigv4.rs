//! SigV4: the canonical request, the string to sign, the signing key (with
//! a small cache of derived keys) and header and query signing.
//!
//! The engine here also serves SigV4a ([`super::sigv4a`]), which differs
//! only in the algorithm name, the credential scope (no region), the
//! `X-Amz-Region-Set` header or parameter and the signature itself.

use std::borrow::Cow;
use std::sync::Mutex;

use hmac::{Hmac, KeyInit, Mac};
use http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::encode::{self, hex};
use super::{
    PayloadSigning, SessionTokenMode, SigV4Scheme, SigningError, SigningOptions, SigningOutput, EMPTY_SHA256,
    UNSIGNED_PAYLOAD,
};
use crate::credentials::Credentials;
use crate::request::HttpRequest;

/// `AWS4-HMAC-SHA256`.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Signs `req` with an `Authorization` header.
pub fn sign_headers(
    req: &mut HttpRequest,
    scheme: &SigV4Scheme,
    creds: &Credentials,
    time: OffsetDateTime,
) -> Result<SigningOutput, SigningError> {
    let spec =
        Spec { v4a: false, signing_name: &scheme.signing_name, region: &scheme.region, options: &scheme.options };
    sign_request(req, &spec, creds, time, Mode::Headers, |sts, date| {
        let key = signing_key(creds.secret_access_key(), date, &scheme.region, &scheme.signing_name);
        Ok(hex(&hmac_sha256(&key, sts.as_bytes())))
    })
}

/// Presigns `req`: the signature goes into the query string, valid for
/// `expires_in` seconds (1 to 604800).
pub fn presign(
    req: &mut HttpRequest,
    scheme: &SigV4Scheme,
    creds: &Credentials,
    time: OffsetDateTime,
    expires_in: u64,
) -> Result<SigningOutput, SigningError> {
    let spec =
        Spec { v4a: false, signing_name: &scheme.signing_name, region: &scheme.region, options: &scheme.options };
    sign_request(req, &spec, creds, time, Mode::Query { expires_in }, |sts, date| {
        let key = signing_key(creds.secret_access_key(), date, &scheme.region, &scheme.signing_name);
        Ok(hex(&hmac_sha256(&key, sts.as_bytes())))
    })
}

/// HMAC-SHA256.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length: this never fails.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// SHA-256, hex.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

struct CachedKey {
    secret: Box<str>,
    date: [u8; 8],
    region: Box<str>,
    service: Box<str>,
    key: [u8; 32],
}

/// Derived signing keys, most recently used first. A key is valid for a
/// day, so a client signs thousands of requests with one entry.
static KEY_CACHE: Mutex<Vec<CachedKey>> = Mutex::new(Vec::new());
const KEY_CACHE_SIZE: usize = 16;

/// The SigV4 signing key for (secret, date `YYYYMMDD`, region, service):
/// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
/// "aws4_request")`, from a small cache when it was derived before.
pub(crate) fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut date_bytes = [0u8; 8];
    let db = date.as_bytes();
    date_bytes[..db.len().min(8)].copy_from_slice(&db[..db.len().min(8)]);
    if let Ok(mut cache) = KEY_CACHE.lock() {
        if let Some(i) = cache.iter().position(|e| {
            e.date == date_bytes && &*e.secret == secret && &*e.region == region && &*e.service == service
        }) {
            let key = cache[i].key;
            if i != 0 {
                let entry = cache.remove(i);
                cache.insert(0, entry);
            }
            return key;
        }
    }
    let mut k_secret = Vec::with_capacity(secret.len() + 4);
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret.as_bytes());
    let k_date = hmac_sha256(&k_secret, date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    let key = hmac_sha256(&k_service, b"aws4_request");
    if let Ok(mut cache) = KEY_CACHE.lock() {
        cache.insert(
            0,
            CachedKey { secret: secret.into(), date: date_bytes, region: region.into(), service: service.into(), key },
        );
        cache.truncate(KEY_CACHE_SIZE);
    }
    key
}

/// `YYYYMMDDTHHMMSSZ` in UTC.
pub(crate) struct AmzDate([u8; 16]);

impl AmzDate {
    pub(crate) fn new(time: OffsetDateTime) -> AmzDate {
        let t = time.to_offset(time::UtcOffset::UTC);
        let mut b = [0u8; 16];
        let year = t.year().clamp(0, 9999) as u32;
        let put = |b: &mut [u8], v: u32| {
            let n = b.len();
            let mut v = v;
            for i in (0..n).rev() {
                b[i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(&mut b[0..4], year);
        put(&mut b[4..6], t.month() as u32);
        put(&mut b[6..8], t.day() as u32);
        b[8] = b'T';
        put(&mut b[9..11], t.hour() as u32);
        put(&mut b[11..13], t.minute() as u32);
        put(&mut b[13..15], t.second() as u32);
        b[15] = b'Z';
        AmzDate(b)
    }

    /// `YYYYMMDDTHHMMSSZ`.
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// `YYYYMMDD`.
    pub(crate) fn date(&self) -> &str {
        &self.as_str()[..8]
    }
}

/// What the engine signs for.
pub(crate) struct Spec<'a> {
    pub(crate) v4a: bool,
    pub(crate) signing_name: &'a str,
    /// The region (SigV4) or region set (SigV4a).
    pub(crate) region: &'a str,
    pub(crate) options: &'a SigningOptions,
}

impl Spec<'_> {
    fn algorithm(&self) -> &'static str {
        if self.v4a {
            super::sigv4a::ALGORITHM
        } else {
            ALGORITHM
        }
    }

    pub(crate) fn scope(&self, date: &str) -> String {
        let mut s = String::with_capacity(date.len() + self.region.len() + self.signing_name.len() + 16);
        s.push_str(date);
        s.push('/');
        if !self.v4a {
            s.push_str(self.region);
            s.push('/');
        }
        s.push_str(self.signing_name);
        s.push_str("/aws4_request");
        s
    }
}

/// Header or query signing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Headers,
    Query { expires_in: u64 },
}

const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
const X_AMZ_S3SESSION_TOKEN: HeaderName = HeaderName::from_static("x-amz-s3session-token");
const X_AMZ_REGION_SET: HeaderName = HeaderName::from_static("x-amz-region-set");

/// The query parameters a presigned URL adds; an existing one is replaced
/// when a URL is presigned again.
const AUTH_PARAMS: [&str; 9] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Security-Token",
    "X-Amz-S3session-Token",
    "X-Amz-Region-Set",
    "X-Amz-Signature",
];

fn header_value(name: &str, value: &str) -> Result<HeaderValue, SigningError> {
    HeaderValue::from_str(value).map_err(|_| SigningError::InvalidHeader { name: name.to_owned() })
}

/// A header value that `Debug` does not show (session tokens).
fn secret_header_value(name: &str, value: &str) -> Result<HeaderValue, SigningError> {
    let mut v = header_value(name, value)?;
    v.set_sensitive(true);
    Ok(v)
}

/// The signing engine shared by SigV4 and SigV4a: `signature` turns the
/// string to sign (and the `YYYYMMDD` date) into the signature.
pub(crate) fn sign_request(
    req: &mut HttpRequest,
    spec: &Spec<'_>,
    creds: &Credentials,
    time: OffsetDateTime,
    mode: Mode,
    signature: impl FnOnce(&str, &str) -> Result<String, SigningError>,
) -> Result<SigningOutput, SigningError> {
    if let Mode::Query { expires_in } = mode {
        if !(1..=604_800).contains(&expires_in) {
            return Err(SigningError::InvalidExpiry(expires_in));
        }
    }
    let url = UrlParts::parse(&req.url);
    let https = url.scheme.is_some_and(|s| s.eq_ignore_ascii_case("https"));
    let amz_date = AmzDate::new(time);
    let date = amz_date.date();
    let scope = spec.scope(date);
    let token = creds.session_token().filter(|t| !t.is_empty());
    let (token_header, token_param) = match spec.options.session_token {
        SessionTokenMode::S3Express => (X_AMZ_S3SESSION_TOKEN, "X-Amz-S3session-Token"),
        _ => (X_AMZ_SECURITY_TOKEN, "X-Amz-Security-Token"),
    };
    let sign_token = spec.options.session_token != SessionTokenMode::Unsigned;

    // A retry signs again: drop what an earlier signature added.
    let headers = &mut req.headers;
    headers.remove(AUTHORIZATION);
    headers.remove(X_AMZ_DATE);
    headers.remove(X_AMZ_SECURITY_TOKEN);
    headers.remove(X_AMZ_S3SESSION_TOKEN);
    headers.remove(X_AMZ_REGION_SET);
    let existing_sha = headers.get(X_AMZ_CONTENT_SHA256).and_then(|v| v.to_str().ok()).map(str::to_owned);

    let (payload, sentinel) = payload_hash(req, https, spec.options, mode, existing_sha.as_deref())?;

    let headers = &mut req.headers;
    match mode {
        Mode::Headers => {
            headers.insert(X_AMZ_DATE, header_value("x-amz-date", amz_date.as_str())?);
            if let (Some(t), true) = (token, sign_token) {
                headers.insert(token_header.clone(), secret_header_value(token_header.as_str(), t)?);
            }
            if spec.v4a {
                headers.insert(X_AMZ_REGION_SET, header_value("x-amz-region-set", spec.region)?);
            }
            if spec.options.content_sha256_header || sentinel || existing_sha.is_some() {
                headers.insert(X_AMZ_CONTENT_SHA256, header_value("x-amz-content-sha256", &payload)?);
            }
        }
        Mode::Query { .. } => {
            headers.remove(X_AMZ_CONTENT_SHA256);
        }
    }

    let host_fallback = if req.headers.contains_key(http::header::HOST) {
        None
    } else {
        Some(url.host().ok_or_else(|| SigningError::NoHost { url: url_without_query(&req.url) })?)
    };
    let (canonical_headers, signed_headers) = canonical_headers(&req.headers, host_fallback.as_deref());

    // Query signing: the auth parameters, in botocore's order.
    let mut auth_params: Vec<(&str, Cow<'_, str>)> = Vec::new();
    let mut unsigned_params: Vec<(&str, &str)> = Vec::new();
    let mut credential = String::with_capacity(creds.access_key_id().len() + scope.len() + 1);
    credential.push_str(creds.access_key_id());
    credential.push('/');
    credential.push_str(&scope);
    if let Mode::Query { expires_in } = mode {
        auth_params.push(("X-Amz-Algorithm", Cow::Borrowed(spec.algorithm())));
        auth_params.push(("X-Amz-Credential", Cow::Borrowed(&credential)));
        auth_params.push(("X-Amz-Date", Cow::Borrowed(amz_date.as_str())));
        auth_params.push(("X-Amz-Expires", Cow::Owned(expires_in.to_string())));
        auth_params.push(("X-Amz-SignedHeaders", Cow::Borrowed(&signed_headers)));
        if let Some(t) = token {
            if sign_token {
                auth_params.push((token_param, Cow::Borrowed(t)));
            } else {
                unsigned_params.push((token_param, t));
            }
        }
        if spec.v4a {
            auth_params.push(("X-Amz-Region-Set", Cow::Borrowed(spec.region)));
        }
    }

    let existing_query = match mode {
        Mode::Query { .. } => strip_auth_params(url.query),
        Mode::Headers => url.query.map(Cow::Borrowed),
    };
    let canonical_query = canonical_query(existing_query.as_deref(), &auth_params);

    let mut creq = Vec::with_capacity(256 + canonical_headers.len() + canonical_query.len());
    creq.extend_from_slice(req.method.as_str().as_bytes());
    creq.push(b'\n');
    canonical_path(url.path, spec.options.normalize_path, spec.options.double_uri_encode, &mut creq);
    creq.push(b'\n');
    creq.extend_from_slice(canonical_query.as_bytes());
    creq.push(b'\n');
    creq.extend_from_slice(&canonical_headers);
    creq.push(b'\n');
    creq.extend_from_slice(signed_headers.as_bytes());
    creq.push(b'\n');
    creq.extend_from_slice(payload.as_bytes());

    let mut sts = String::with_capacity(160);
    sts.push_str(spec.algorithm());
    sts.push('\n');
    sts.push_str(amz_date.as_str());
    sts.push('\n');
    sts.push_str(&scope);
    sts.push('\n');
    encode::hex_into(&mut sts, &Sha256::digest(&creq));

    let sig = signature(&sts, date)?;
    tracing::debug!(
        algorithm = spec.algorithm(),
        scope = %scope,
        signed_headers = %signed_headers,
        payload = if sentinel { payload.as_str() } else { "sha256" },
        "signed request"
    );

    match mode {
        Mode::Headers => {
            let algorithm = spec.algorithm();
            let mut authz =
                String::with_capacity(algorithm.len() + credential.len() + signed_headers.len() + sig.len() + 48);
            authz.push_str(algorithm);
            authz.push_str(" Credential=");
            authz.push_str(&credential);
            authz.push_str(", SignedHeaders=");
            authz.push_str(&signed_headers);
            authz.push_str(", Signature=");
            authz.push_str(&sig);
            req.headers.insert(AUTHORIZATION, header_value("authorization", &authz)?);
            if let (Some(t), false) = (token, sign_token) {
                req.headers.insert(token_header.clone(), secret_header_value(token_header.as_str(), t)?);
            }
        }
        Mode::Query { .. } => {
            let mut query = existing_query.map(Cow::into_owned).unwrap_or_default();
            let append = |q: &mut String, k: &str, v: &str| {
                if !q.is_empty() {
                    q.push('&');
                }
                encode::encode_into(q, k.as_bytes(), false);
                q.push('=');
                encode::encode_into(q, v.as_bytes(), false);
            };
            for (k, v) in &auth_params {
                append(&mut query, k, v);
            }
            for (k, v) in &unsigned_params {
                append(&mut query, k, v);
            }
            append(&mut query, "X-Amz-Signature", &sig);
            set_query(req, &query);
        }
    }

    Ok(SigningOutput {
        canonical_request: String::from_utf8(creq)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        string_to_sign: sts,
        signature: sig,
        signed_headers,
    })
}

/// The payload hash, and whether it is a fixed string (`UNSIGNED-PAYLOAD`,
/// `STREAMING-...`) rather than a body hash.
fn payload_hash(
    req: &HttpRequest,
    https: bool,
    options: &SigningOptions,
    mode: Mode,
    existing: Option<&str>,
) -> Result<(String, bool), SigningError> {
    if let Some(e) = existing {
        if e.starts_with("STREAMING-") {
            return Ok((e.to_owned(), true));
        }
    }
    let unsigned = || Ok((UNSIGNED_PAYLOAD.to_owned(), true));
    match &options.payload {
        PayloadSigning::Unsigned => return unsigned(),
        PayloadSigning::S3 { explicit, streaming_input } => {
            if matches!(mode, Mode::Query { .. }) {
                return unsigned();
            }
            let sign = match explicit {
                Some(b) => *b,
                None => !(https && has_checksum_header(req) && *streaming_input),
            };
            if !sign {
                return unsigned();
            }
        }
        PayloadSigning::Signed => {
            if let (Some(e), Mode::Headers) = (existing, mode) {
                return Ok((e.to_owned(), false));
            }
        }
    }
    match hash_body(req)? {
        Some(h) => Ok((h, false)),
        None if https => {
            tracing::debug!("streaming body cannot be hashed; signing with UNSIGNED-PAYLOAD");
            unsigned()
        }
        None => Err(SigningError::UnhashableBody),
    }
}

fn has_checksum_header(req: &HttpRequest) -> bool {
    req.headers.keys().any(|k| {
        let k = k.as_str();
        k == "content-md5"
            || (k.starts_with("x-amz-checksum-")
                && !matches!(k, "x-amz-checksum-mode" | "x-amz-checksum-type" | "x-amz-checksum-algorithm"))
    })
}

/// The SHA-256 of an in-memory or file body; `None` for a one-shot stream.
fn hash_body(req: &HttpRequest) -> Result<Option<String>, SigningError> {
    if let Some(bytes) = req.body.as_bytes() {
        if bytes.is_empty() {
            return Ok(Some(EMPTY_SHA256.to_owned()));
        }
        return Ok(Some(sha256_hex(bytes)));
    }
    if let Some((path, offset, len)) = req.body.file() {
        use std::io::{Read, Seek, SeekFrom};
        let err = |source| crate::body::BodyError::File { path: path.to_owned(), source };
        let mut f = std::fs::File::open(path).map_err(err)?;
        f.seek(SeekFrom::Start(offset)).map_err(err)?;
        let mut f = f.take(len);
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut read = 0u64;
        loop {
            let n = f.read(&mut buf).map_err(err)?;
            if n == 0 {
                break;
            }
            read += n as u64;
            hasher.update(&buf[..n]);
        }
        if read < len {
            return Err(
                err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "file is shorter than expected")).into()
            );
        }
        return Ok(Some(hex(&hasher.finalize())));
    }
    Ok(None)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Appends a header value trimmed, with inner whitespace runs collapsed.
fn push_trimmed(out: &mut Vec<u8>, value: &[u8]) {
    let start = value.iter().position(|&b| !is_space(b)).unwrap_or(value.len());
    let end = value.iter().rposition(|&b| !is_space(b)).map_or(start, |e| e + 1);
    let mut in_space = false;
    for &b in &value[start..end] {
        if is_space(b) {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            out.push(b);
            in_space = false;
        }
    }
}

/// The canonical header block (`name:value\n` per header) and the signed
/// header list.
pub(crate) fn canonical_headers(headers: &http::HeaderMap, host: Option<&str>) -> (Vec<u8>, String) {
    let mut list: Vec<(&str, &[u8])> = Vec::with_capacity(headers.len() + 1);
    for (name, value) in headers.iter() {
        if super::is_signable_header(name.as_str()) {
            list.push((name.as_str(), value.as_bytes()));
        }
    }
    if let Some(h) = host {
        list.push(("host", h.as_bytes()));
    }
    list.sort_by(|a, b| a.0.cmp(b.0));
    let mut block = Vec::with_capacity(list.iter().map(|(n, v)| n.len() + v.len() + 2).sum());
    let mut signed = String::with_capacity(list.len() * 16);
    let mut last: Option<&str> = None;
    for (name, value) in list {
        if last == Some(name) {
            block.push(b',');
        } else {
            if last.is_some() {
                block.push(b'\n');
                signed.push(';');
            }
            block.extend_from_slice(name.as_bytes());
            block.push(b':');
            signed.push_str(name);
            last = Some(name);
        }
        push_trimmed(&mut block, value);
    }
    if last.is_some() {
        block.push(b'\n');
    }
    (block, signed)
}

/// The canonical URI: optionally normalised (no empty, `.` or `..`
/// segments), optionally encoded once more.
pub(crate) fn canonical_path(path: &str, normalize: bool, double_encode: bool, out: &mut Vec<u8>) {
    let normalized: Cow<'_, str> =
        if normalize && needs_normalizing(path) { Cow::Owned(normalize_path(path)) } else { Cow::Borrowed(path) };
    if double_encode && !normalized.bytes().all(|b| b == b'/' || b.is_ascii_alphanumeric() || b"-_.~".contains(&b)) {
        let mut s = String::with_capacity(normalized.len() + 8);
        encode::encode_into(&mut s, normalized.as_bytes(), true);
        out.extend_from_slice(s.as_bytes());
    } else {
        out.extend_from_slice(normalized.as_bytes());
    }
}

/// True unless the path is already normal: starts with `/`, no empty, `.`
/// or `..` segment (a trailing `/` is fine).
fn needs_normalizing(path: &str) -> bool {
    if !path.starts_with('/') {
        return true;
    }
    let inner = path[1..].strip_suffix('/').unwrap_or(&path[1..]);
    !inner.is_empty() && inner.split('/').any(|seg| seg.is_empty() || seg == "." || seg == "..") || path == "//"
}

fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = String::with_capacity(path.len());
    out.push('/');
    out.push_str(&parts.join("/"));
    if !parts.is_empty() && path.ends_with('/') {
        out.push('/');
    }
    out
}

/// The canonical query string: every parameter decoded and encoded again,
/// sorted by key, then value.
pub(crate) fn canonical_query(query: Option<&str>, extra: &[(&str, Cow<'_, str>)]) -> String {
    let mut params: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    if let Some(q) = query {
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            params.push((encode::canonical_component(k), encode::canonical_component(v)));
        }
    }
    for (k, v) in extra {
        params.push((Cow::Owned(encode::encode(k)), Cow::Owned(encode::encode(v))));
    }
    params.sort();
    let mut out = String::with_capacity(params.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// The query without any presigning parameter (compared case-insensitively
/// on the decoded key).
fn strip_auth_params(query: Option<&str>) -> Option<Cow<'_, str>> {
    let q = query?;
    let is_auth = |pair: &str| {
        let key = pair.split_once('=').map_or(pair, |(k, _)| k);
        let key = encode::decode(key);
        AUTH_PARAMS.iter().any(|p| p.as_bytes().eq_ignore_ascii_case(&key))
    };
    if !q.split('&').any(is_auth) {
        return Some(Cow::Borrowed(q));
    }
    let kept: Vec<&str> = q.split('&').filter(|p| !is_auth(p)).collect();
    Some(Cow::Owned(kept.join("&")))
}

/// Replaces the query string of the URL (keeping any fragment).
pub(crate) fn set_query(req: &mut HttpRequest, query: &str) {
    let url = &req.url;
    let frag_at = url.find('#').unwrap_or(url.len());
    let q_at = url[..frag_at].find('?').unwrap_or(frag_at);
    let mut new = String::with_capacity(url.len() + query.len() + 1);
    new.push_str(&url[..q_at]);
    if !query.is_empty() {
        new.push('?');
        new.push_str(query);
    }
    new.push_str(&url[frag_at..]);
    req.url = new;
}

pub(crate) fn url_without_query(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or("").to_owned()
}

/// The parts of a request URL, found in one pass (the same split as
/// [`HttpRequest::scheme`], [`HttpRequest::authority`],
/// [`HttpRequest::path`] and [`HttpRequest::query`]).
pub(crate) struct UrlParts<'a> {
    pub(crate) scheme: Option<&'a str>,
    pub(crate) authority: Option<&'a str>,
    /// `/` when empty.
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
}

impl<'a> UrlParts<'a> {
    pub(crate) fn parse(url: &'a str) -> UrlParts<'a> {
        let (scheme, rest) = match url.split_once("://") {
            Some((s, r)) => (Some(s), r),
            None => (None, url),
        };
        let (authority, rest) = if scheme.is_some() {
            let end = rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
            (Some(&rest[..end]), &rest[end..])
        } else {
            (None, rest)
        };
        let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (rest, None),
        };
        UrlParts { scheme, authority, path: if path.is_empty() { "/" } else { path }, query }
    }

    /// The host to sign when the request has no `Host` header: the URL's
    /// host in lower case, without user info, with the port unless it is
    /// the scheme's default.
    pub(crate) fn host(&self) -> Option<String> {
        let scheme = self.scheme?;
        let authority = self.authority?;
        let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if authority.is_empty() {
            return None;
        }
        let (host, port) = if authority.starts_with('[') {
            match authority.find(']') {
                Some(end) => (&authority[..=end], authority[end + 1..].strip_prefix(':')),
                None => (authority, None),
            }
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        let default = if scheme.eq_ignore_ascii_case("http") {
            Some("80")
        } else if scheme.eq_ignore_ascii_case("https") {
            Some("443")
        } else {
            None
        };
        let mut out = host.to_ascii_lowercase();
        if let Some(p) = port.filter(|p| !p.is_empty() && Some(*p) != default) {
            out.push(':');
            out.push_str(p);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths_like_aws_c_auth() {
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path("//"), "/");
        assert_eq!(normalize_path("//example//"), "/example/");
        assert_eq!(normalize_path("/example/.."), "/");
        assert_eq!(normalize_path("/example1/example2/../.."), "/");
        assert_eq!(normalize_path("/./example"), "/example");
        assert_eq!(normalize_path("/a/./b/../c/"), "/a/c/");
        for p in ["/", "//", "/a", "/a/", "/a//b", "/./", "/a/.", "/a/..", "/.", "/a/b/", "a/b", "/.a/b..c/"] {
            let mut out = Vec::new();
            canonical_path(p, true, false, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), normalize_path(p), "{p}");
        }
    }

    #[test]
    fn canonical_query_sorts_by_key_then_value() {
        assert_eq!(canonical_query(Some("b=2&a=2&a=1&c"), &[]), "a=1&a=2&b=2&c=");
        assert_eq!(canonical_query(Some("Param1=value2&Param1=Value1"), &[]), "Param1=Value1&Param1=value2");
        assert_eq!(
            canonical_query(Some("k=a b&x=%2f"), &[("X-Amz-Date", Cow::Borrowed("d"))]),
            "X-Amz-Date=d&k=a%20b&x=%2F"
        );
        assert_eq!(canonical_query(None, &[]), "");
    }

    #[test]
    fn host_from_url_drops_default_port_and_userinfo() {
        let r = |u: &str| UrlParts::parse(u).host();
        assert_eq!(r("https://Example.COM/x").as_deref(), Some("example.com"));
        assert_eq!(r("https://example.com:443/x").as_deref(), Some("example.com"));
        assert_eq!(r("http://example.com:8080").as_deref(), Some("example.com:8080"));
        assert_eq!(r("https://user:pw@example.com:80/").as_deref(), Some("example.com:80"));
        assert_eq!(r("https://[::1]:443/").as_deref(), Some("[::1]"));
        assert_eq!(r("http://[::1]:8000/").as_deref(), Some("[::1]:8000"));
        assert_eq!(r("/relative"), None);
    }

    #[test]
    fn url_parts_split_like_http_request() {
        for u in ["https://h:1/a%20b/?x=1&y#frag", "https://h", "https://h?q", "/rel?q=1", "/", ""] {
            let req = HttpRequest::new(http::Method::GET, u);
            let p = UrlParts::parse(u);
            assert_eq!(
                (p.scheme, p.authority, p.path, p.query),
                (req.scheme(), req.authority(), req.path(), req.query()),
                "{u}"
            );
        }
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        let mut out = Vec::new();
        push_trimmed(&mut out, b"  a   b\t\tc  ");
        assert_eq!(out, b"a b c");
    }

    #[test]
    fn signing_key_matches_the_documented_example() {
        // AWS's documented derivation example (secret, 20120215, us-east-1, iam).
        let key = signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
        assert_eq!(hex(&key), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
        // Served from the cache the second time, same value.
        let again = signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
        assert_eq!(key, again);
    }

    #[test]
    fn amz_date_formats_utc() {
        let t = time::macros::datetime!(2015-08-30 14:36:00 +02:00);
        let d = AmzDate::new(t);
        assert_eq!(d.as_str(), "20150830T123600Z");
        assert_eq!(d.date(), "20150830");
    }

    #[test]
    fn strips_existing_auth_params() {
        assert_eq!(strip_auth_params(Some("a=1&X-Amz-Signature=x&x-amz-date=2")).as_deref(), Some("a=1"));
        assert_eq!(strip_auth_params(Some("a=1")).as_deref(), Some("a=1"));
    }
}
