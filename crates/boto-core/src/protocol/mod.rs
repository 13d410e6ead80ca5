//! The wire protocols: `query`, `ec2`, `json`, `rest-json`, `rest-xml` and
//! `smithy-rpc-v2-cbor`.
//!
//! Sans-IO: [`serialize()`] turns an operation's parameters into the parts of
//! an HTTP request; [`parse()`] turns an HTTP response into a result or a
//! modeled service error. No sockets here, so the upstream protocol suites
//! test this code directly.

pub mod parse;
pub mod serialize;

pub use parse::{parse, ParseError, Parsed, ServiceErrorData};
pub use serialize::{serialize, SerializeError, SerializedRequest};

use crate::model::ServiceModel;

/// A wire protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// AWS query (form-encoded requests, XML responses).
    Query,
    /// EC2 query (query with EC2's naming rules).
    Ec2,
    /// AWS JSON 1.0 / 1.1 (`X-Amz-Target`).
    Json,
    /// REST with JSON bodies.
    RestJson,
    /// REST with XML bodies.
    RestXml,
    /// Smithy RPC v2 with CBOR bodies.
    SmithyRpcV2Cbor,
}

impl Protocol {
    /// The protocol named as in a model (`rest-json`, ...).
    pub fn from_name(name: &str) -> Option<Protocol> {
        Some(match name {
            "query" => Protocol::Query,
            "ec2" => Protocol::Ec2,
            "json" => Protocol::Json,
            "rest-json" => Protocol::RestJson,
            "rest-xml" => Protocol::RestXml,
            "smithy-rpc-v2-cbor" => Protocol::SmithyRpcV2Cbor,
            _ => return None,
        })
    }

    /// The protocol a client for this model speaks (see
    /// [`Metadata::resolved_protocol`](crate::model::Metadata::resolved_protocol)).
    pub fn for_model(model: &ServiceModel) -> Option<Protocol> {
        Protocol::from_name(model.metadata().resolved_protocol())
    }

    /// The model's name for the protocol.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
            Protocol::Json => "json",
            Protocol::RestJson => "rest-json",
            Protocol::RestXml => "rest-xml",
            Protocol::SmithyRpcV2Cbor => "smithy-rpc-v2-cbor",
        }
    }
}
