//! # boto-core
//!
//! The botocore layer of boto-rs: AWS service models as data, the wire
//! protocols, signing, credentials, configuration, endpoint rules, retries,
//! the transport and the client.
//!
//! Data flows one way through a call: params → validate → serialize
//! (protocol) → resolve endpoint → sign → send → parse (protocol) → result.
//! Protocols, signing and endpoint rules are sans-IO: plain functions from
//! data to data.

#![warn(missing_docs)]

pub mod auth;
pub mod blocking;
pub mod body;
pub mod checksum;
pub mod client;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod hooks;
pub mod jmes;
pub mod model;
pub mod naming;
pub mod paginate;
pub mod protocol;
pub mod request;
pub mod retry;
#[doc(hidden)]
pub mod testing;
pub mod transport;
pub mod validate;
pub mod value;
pub mod waiter;

pub use body::Body;
pub use client::{Client, ClientBuilder, PresignOptions, Stubber};
pub use error::Error;
/// The HTTP method type of [`HttpRequest`] and [`PresignOptions::http_method`]
/// (the `http` crate's), re-exported so callers need not depend on it.
pub use http::Method;
pub use request::{HttpRequest, HttpResponse};
pub use value::{from_value, to_value, Map, Value};
