//! The plain HTTP request and response that flow between the sans-IO layers
//! (protocols, endpoint resolution, signing) and the transport.

use http::{HeaderMap, Method};

use crate::body::Body;

/// An HTTP request, before or after signing.
///
/// `url` is percent-encoded text, never normalised: S3 keys like `a/../b`
/// must reach the wire as written. Protocol serializers produce a relative
/// URL (path and query); endpoint resolution makes it absolute.
///
/// ```
/// use boto_core::HttpRequest;
/// let req = HttpRequest::new(http::Method::GET, "https://example.com/a%20b?x=1");
/// assert_eq!(req.path(), "/a%20b");
/// assert_eq!(req.query(), Some("x=1"));
/// assert_eq!(req.authority(), Some("example.com"));
/// ```
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The URL: `scheme://authority/path?query`, or just `/path?query`.
    pub url: String,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Body,
}

impl HttpRequest {
    /// A request with no headers and an empty body.
    pub fn new(method: Method, url: impl Into<String>) -> HttpRequest {
        HttpRequest { method, url: url.into(), headers: HeaderMap::new(), body: Body::empty() }
    }

    fn split(&self) -> (Option<&str>, Option<&str>, &str) {
        let (scheme, rest) = match self.url.split_once("://") {
            Some((s, r)) => (Some(s), r),
            None => (None, self.url.as_str()),
        };
        if scheme.is_some() {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            (scheme, Some(&rest[..end]), &rest[end..])
        } else {
            (None, None, rest)
        }
    }

    /// The scheme (`https`), for an absolute URL.
    pub fn scheme(&self) -> Option<&str> {
        self.split().0
    }

    /// The authority (`host[:port]`), for an absolute URL.
    pub fn authority(&self) -> Option<&str> {
        self.split().1
    }

    /// The host without the port, for an absolute URL.
    pub fn host(&self) -> Option<&str> {
        let auth = self.authority()?;
        if auth.starts_with('[') {
            return Some(auth.split_once(']').map_or(auth, |(h, _)| &auth[..h.len() + 1]));
        }
        Some(auth.rsplit_once(':').map_or(auth, |(h, _)| h))
    }

    /// The path, percent-encoded as sent (`/` when empty).
    pub fn path(&self) -> &str {
        let rest = self.split().2;
        let end = rest.find(['?', '#']).unwrap_or(rest.len());
        if end == 0 {
            "/"
        } else {
            &rest[..end]
        }
    }

    /// The query string without the `?`, if any.
    pub fn query(&self) -> Option<&str> {
        let rest = self.split().2;
        let q = &rest[rest.find('?')? + 1..];
        Some(q.split_once('#').map_or(q, |(q, _)| q))
    }
}

/// An HTTP response as the protocol parsers see it.
#[derive(Debug, Clone, Default)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body: in memory for most operations, a stream for streaming
    /// output members.
    pub body: Body,
}
