//! Request signing: SigV4 (headers and presigned query strings), S3's
//! signing rules, aws-chunked bodies with trailing checksums, SigV4a,
//! bearer tokens and anonymous requests, and the choice between them.
//!
//! Signing is sans-IO: it rewrites an [`HttpRequest`] in place, given an
//! [`AuthScheme`], an [`Identity`] and the time. The client calls it after
//! endpoint resolution, because the endpoint's `authSchemes` property can
//! change the scheme, the signing name and the signing region:
//!
//! ```
//! use boto_core::auth::{self, AuthConfig, Identity};
//! use boto_core::credentials::Credentials;
//! use boto_core::model::Loader;
//! use boto_core::HttpRequest;
//!
//! let model = Loader::embedded_only().service_model("dynamodb", None).unwrap();
//! let op = model.operation("GetItem").unwrap().unwrap();
//! // After endpoint resolution (no authSchemes for DynamoDB):
//! let scheme = auth::resolve(&model, op, Some("us-west-2"), None, &AuthConfig::default()).unwrap();
//!
//! let mut req = HttpRequest::new(http::Method::POST, "https://dynamodb.us-west-2.amazonaws.com/");
//! req.body = r#"{"TableName":"t"}"#.into();
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
//! let now = time::macros::datetime!(2015-08-30 12:36:00 UTC);
//! auth::sign(&mut req, &scheme, Identity::Credentials(&creds), now).unwrap();
//! let authz = req.headers["authorization"].to_str().unwrap();
//! assert!(authz.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/dynamodb/aws4_request"));
//! ```
//!
//! Which headers are signed: every header of the request except a fixed
//! skip list, the union of botocore's (`SIGNED_HEADERS_BLACKLIST`) and
//! aws-c-auth's (`s_skipped_headers`): hop-by-hop and proxy headers,
//! `expect`, `user-agent`, `x-amzn-trace-id`, tracing headers and the
//! websocket handshake headers (see [`is_signable_header`]). `host` is
//! always signed: from the `Host` header when the request has one, else
//! from the URL (lower case, default port dropped), without adding the
//! header. Values are trimmed and inner runs of whitespace collapse to one
//! space; repeated headers join with `,` in request order.
//!
//! Secrets (the secret key, session tokens, derived keys, bearer tokens)
//! never appear in `Debug` output, logs or errors.

mod bearer;
pub mod chunked;
#[doc(hidden)]
pub mod conformance;
mod encode;
pub mod presign;
mod scheme;
pub mod sigv4;
pub mod sigv4a;

#[cfg(test)]
mod tests;

use std::fmt;

use time::OffsetDateTime;

use crate::credentials::Credentials;
use crate::request::HttpRequest;

pub use bearer::BearerToken;
pub use scheme::{resolve, resolve_auth_type, AuthConfig, AuthError, S3_SIGNING_NAMES};

/// `UNSIGNED-PAYLOAD`: the payload hash of a request whose body is not
/// signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: the payload hash of an
/// aws-chunked body with an unsigned trailing checksum.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/// The SHA-256 of the empty string, hex.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// How a request is authenticated: the outcome of [`resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// Signature Version 4 (`aws.auth#sigv4`).
    SigV4(SigV4Scheme),
    /// Signature Version 4a, ECDSA P-256 over a region set
    /// (`aws.auth#sigv4a`).
    SigV4a(SigV4aScheme),
    /// `Authorization: Bearer <token>` (`smithy.api#httpBearerAuth`).
    Bearer,
    /// No authentication (`smithy.api#noAuth`, `authtype: none`, or an
    /// unsigned client): the request is sent as it is.
    Anonymous,
}

impl AuthScheme {
    /// The scheme's name as the endpoint rules spell it (`sigv4`, `sigv4a`,
    /// `bearer`, `none`).
    pub fn name(&self) -> &'static str {
        match self {
            AuthScheme::SigV4(_) => "sigv4",
            AuthScheme::SigV4a(_) => "sigv4a",
            AuthScheme::Bearer => "bearer",
            AuthScheme::Anonymous => "none",
        }
    }
}

/// SigV4 parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigV4Scheme {
    /// The service name in the credential scope (`s3`, `dynamodb`).
    pub signing_name: String,
    /// The region in the credential scope.
    pub region: String,
    /// Everything else.
    pub options: SigningOptions,
}

/// SigV4a parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigV4aScheme {
    /// The service name in the credential scope.
    pub signing_name: String,
    /// The regions the signature is valid in (`*` for all); sent as
    /// `X-Amz-Region-Set`, comma-separated.
    pub region_set: Vec<String>,
    /// Everything else.
    pub options: SigningOptions,
}

impl SigV4Scheme {
    /// A SigV4 scheme with the default options of most services: path
    /// normalisation and double URI encoding on, payload signed.
    pub fn new(signing_name: impl Into<String>, region: impl Into<String>) -> SigV4Scheme {
        SigV4Scheme { signing_name: signing_name.into(), region: region.into(), options: SigningOptions::default() }
    }

    /// A SigV4 scheme with S3's rules ([`SigningOptions::s3`]).
    pub fn s3(signing_name: impl Into<String>, region: impl Into<String>) -> SigV4Scheme {
        SigV4Scheme { signing_name: signing_name.into(), region: region.into(), options: SigningOptions::s3() }
    }
}

impl SigV4aScheme {
    /// A SigV4a scheme with the default options.
    pub fn new(signing_name: impl Into<String>, region_set: Vec<String>) -> SigV4aScheme {
        SigV4aScheme { signing_name: signing_name.into(), region_set, options: SigningOptions::default() }
    }

    /// The region set as sent: the regions joined with `,`.
    pub fn region_set_value(&self) -> String {
        if self.region_set.is_empty() {
            "*".to_owned()
        } else {
            self.region_set.join(",")
        }
    }
}

/// The knobs shared by SigV4 and SigV4a.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningOptions {
    /// URI-encode the (already encoded) path once more in the canonical
    /// request. On for every service but S3 and endpoints whose auth scheme
    /// says `disableDoubleEncoding`.
    pub double_uri_encode: bool,
    /// Remove `.`, `..` and empty segments from the path in the canonical
    /// request. Off for S3.
    pub normalize_path: bool,
    /// Whether the body is hashed or sent as `UNSIGNED-PAYLOAD`.
    pub payload: PayloadSigning,
    /// Always send `x-amz-content-sha256` (S3 does; others only need it for
    /// unsigned or streaming payloads, when it is sent anyway).
    pub content_sha256_header: bool,
    /// Where the session token goes.
    pub session_token: SessionTokenMode,
}

impl Default for SigningOptions {
    fn default() -> SigningOptions {
        SigningOptions {
            double_uri_encode: true,
            normalize_path: true,
            payload: PayloadSigning::Signed,
            content_sha256_header: false,
            session_token: SessionTokenMode::Signed,
        }
    }
}

impl SigningOptions {
    /// S3's rules: no path normalisation, no double encoding,
    /// `x-amz-content-sha256` always, botocore's S3 payload rule.
    pub fn s3() -> SigningOptions {
        SigningOptions {
            double_uri_encode: false,
            normalize_path: false,
            payload: PayloadSigning::S3 { explicit: None, streaming_input: false },
            content_sha256_header: true,
            session_token: SessionTokenMode::Signed,
        }
    }
}

/// How the payload hash of the canonical request is chosen.
///
/// Whatever the mode, an `x-amz-content-sha256` header that already says
/// `STREAMING-...` (set by [`chunked::apply_trailing_checksum`]) is kept,
/// and a one-shot stream body that cannot be hashed is sent as
/// `UNSIGNED-PAYLOAD` over HTTPS (and is an error over plain HTTP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadSigning {
    /// Hash the body (an `x-amz-content-sha256` header set by the caller is
    /// used as the hash instead, as botocore does).
    Signed,
    /// `UNSIGNED-PAYLOAD` (`unsignedPayload` / `authtype:
    /// v4-unsigned-body` operations), sent as `x-amz-content-sha256` too.
    Unsigned,
    /// botocore's S3 rule: sign unless `explicit` says otherwise, or the
    /// request goes over HTTPS with a checksum header (`Content-MD5` or a
    /// `x-amz-checksum-*`) and has streaming input. Presigned URLs use
    /// `UNSIGNED-PAYLOAD`.
    S3 {
        /// The client's `s3.payload_signing_enabled`.
        explicit: Option<bool>,
        /// The operation has a blob payload (`PutObject`, `UploadPart`).
        streaming_input: bool,
    },
}

/// Where temporary credentials' session token is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionTokenMode {
    /// `X-Amz-Security-Token`, part of the signature.
    #[default]
    Signed,
    /// `X-Amz-Security-Token`, added after signing and not part of the
    /// signature (aws-c-auth's `omit_session_token`, used by IoT).
    Unsigned,
    /// `x-amz-s3session-token` (S3 Express `CreateSession` credentials).
    S3Express,
}

/// Who the request is sent as.
#[derive(Clone, Copy)]
pub enum Identity<'a> {
    /// AWS credentials, for SigV4 and SigV4a.
    Credentials(&'a Credentials),
    /// A bearer token.
    Token(&'a BearerToken),
    /// Nobody: only [`AuthScheme::Anonymous`] accepts it.
    Anonymous,
}

impl fmt::Debug for Identity<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identity::Credentials(c) => f.debug_tuple("Credentials").field(c).finish(),
            Identity::Token(t) => f.debug_tuple("Token").field(t).finish(),
            Identity::Anonymous => f.write_str("Anonymous"),
        }
    }
}

/// Why a request could not be signed. Never carries a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SigningError {
    /// The scheme needs credentials and none were given.
    #[error("unable to locate credentials: {scheme} signing needs AWS credentials")]
    NoCredentials {
        /// The scheme.
        scheme: &'static str,
    },
    /// Bearer auth needs a token and none was given.
    #[error("unable to locate an authorization token for bearer auth")]
    NoAuthToken,
    /// Bearer tokens are sent in clear text, so only over HTTPS.
    #[error("bearer authorization requires an HTTPS endpoint, got {url}")]
    BearerRequiresHttps {
        /// The URL (without query string).
        url: String,
    },
    /// The request URL has no host and the request no `Host` header.
    #[error("cannot sign a request without a host: {url:?}")]
    NoHost {
        /// The URL.
        url: String,
    },
    /// A header value built while signing is not a valid HTTP header value.
    #[error("invalid value for header {name}")]
    InvalidHeader {
        /// The header.
        name: String,
    },
    /// The body cannot be hashed: a one-shot stream over plain HTTP.
    #[error("cannot sign the payload of a streaming body over plain HTTP; send it over HTTPS or give its SHA-256 in x-amz-content-sha256")]
    UnhashableBody,
    /// Reading a file body to hash it failed.
    #[error("cannot hash the request body: {0}")]
    Body(#[from] crate::body::BodyError),
    /// A presigned URL's lifetime is out of range.
    #[error("presigned URL expiry must be between 1 and 604800 seconds (7 days), got {0}")]
    InvalidExpiry(u64),
    /// The SigV4a key could not be derived from the credentials.
    #[error("cannot derive a SigV4a signing key from the credentials of {access_key_id}")]
    KeyDerivation {
        /// The access key id.
        access_key_id: String,
    },
    /// The operation cannot be presigned with this scheme.
    #[error("cannot presign with auth scheme {0}")]
    CannotPresign(&'static str),
}

/// The intermediate products of a SigV4/SigV4a signature, for debugging and
/// conformance tests. `Debug` leaves the canonical request out (it holds the
/// session token).
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature: hex HMAC for SigV4, hex DER ECDSA for SigV4a.
    pub signature: String,
    /// The signed headers, `;`-separated.
    pub signed_headers: String,
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("canonical_request", &format_args!("({} bytes, redacted)", self.canonical_request.len()))
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .field("signed_headers", &self.signed_headers)
            .finish()
    }
}

/// True for headers that take part in the signature: everything but the
/// skip list (`authorization` itself is replaced by the signer).
///
/// ```
/// assert!(boto_core::auth::is_signable_header("content-type"));
/// assert!(!boto_core::auth::is_signable_header("user-agent"));
/// ```
pub fn is_signable_header(lower_name: &str) -> bool {
    !matches!(
        lower_name,
        "authorization"
            | "baggage"
            | "connection"
            | "expect"
            | "keep-alive"
            | "proxy-authenticate"
            | "proxy-authorization"
            | "te"
            | "traceparent"
            | "tracestate"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "user-agent"
            | "x-amzn-trace-id"
            | "sec-websocket-key"
            | "sec-websocket-protocol"
            | "sec-websocket-version"
    )
}

/// Signs `req` in place with `scheme` as `identity` at `time`: SigV4 and
/// SigV4a add `X-Amz-Date`, `Authorization` and friends; bearer adds
/// `Authorization: Bearer`; anonymous leaves the request as it is.
///
/// Returns the intermediate products for SigV4 and SigV4a.
pub fn sign(
    req: &mut HttpRequest,
    scheme: &AuthScheme,
    identity: Identity<'_>,
    time: OffsetDateTime,
) -> Result<Option<SigningOutput>, SigningError> {
    match scheme {
        AuthScheme::SigV4(s) => {
            let creds = credentials(identity, "sigv4")?;
            sigv4::sign_headers(req, s, creds, time).map(Some)
        }
        AuthScheme::SigV4a(s) => {
            let creds = credentials(identity, "sigv4a")?;
            sigv4a::sign_headers(req, s, creds, time).map(Some)
        }
        AuthScheme::Bearer => {
            let token = match identity {
                Identity::Token(t) => t,
                _ => return Err(SigningError::NoAuthToken),
            };
            bearer::sign(req, token)?;
            Ok(None)
        }
        AuthScheme::Anonymous => {
            tracing::debug!("auth scheme is anonymous; request sent unsigned");
            Ok(None)
        }
    }
}

/// Presigns `req` in place: moves the signature into the query string
/// (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-SignedHeaders`, `X-Amz-Security-Token`, `X-Amz-Signature`), valid
/// for `expires_in` seconds. Only SigV4 and SigV4a can presign. See
/// [`presign::presigned_url`] for the botocore-style helper that also
/// moves a form body into the query string.
pub fn presign(
    req: &mut HttpRequest,
    scheme: &AuthScheme,
    identity: Identity<'_>,
    time: OffsetDateTime,
    expires_in: u64,
) -> Result<SigningOutput, SigningError> {
    match scheme {
        AuthScheme::SigV4(s) => sigv4::presign(req, s, credentials(identity, "sigv4")?, time, expires_in),
        AuthScheme::SigV4a(s) => sigv4a::presign(req, s, credentials(identity, "sigv4a")?, time, expires_in),
        other => Err(SigningError::CannotPresign(other.name())),
    }
}

fn credentials<'a>(identity: Identity<'a>, scheme: &'static str) -> Result<&'a Credentials, SigningError> {
    match identity {
        Identity::Credentials(c) if !c.access_key_id().is_empty() => Ok(c),
        _ => Err(SigningError::NoCredentials { scheme }),
    }
}
