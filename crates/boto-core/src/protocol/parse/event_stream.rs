//! Event streams (`application/vnd.amazon.eventstream`): the binary message
//! framing, and events parsed by the operation's model.
//!
//! A message is a prelude (total length, headers length, CRC32 of those
//! eight bytes), headers (name, type, value), a payload and a CRC32 of the
//! whole message. Headers `:message-type` (`event`, `exception`, `error`),
//! `:event-type`, `:exception-type`, `:error-code`, `:error-message` say
//! what it carries; event members marked `eventheader` come from the other
//! headers, the `eventpayload` member (or else the event's members) from
//! the payload, encoded as the protocol's bodies are.
//!
//! [`parse`](super::parse) decodes a whole in-memory stream at once. For a
//! live stream, feed the body's chunks to an [`EventStreamDecoder`] and
//! give each [`Message`] to [`parse_event`].
//!
//! ```
//! use boto_core::protocol::parse::event_stream::{EventStreamDecoder, HeaderValue, Message};
//! let msg = Message {
//!     headers: vec![(":message-type".into(), HeaderValue::String("event".into()))],
//!     payload: bytes::Bytes::from_static(b"{}"),
//! };
//! let mut decoder = EventStreamDecoder::new();
//! let wire = msg.encode();
//! decoder.push(&wire[..5]);
//! assert!(decoder.next_message().unwrap().is_none());
//! decoder.push(&wire[5..]);
//! assert_eq!(decoder.next_message().unwrap(), Some(msg));
//! ```

use bytes::{Buf, Bytes, BytesMut};

use super::{cbor, event_stream_member, json, xml, Ctx, ParseError, Parsed, ServiceErrorData};
use crate::body::Body;
use crate::model::{Operation, ServiceModel, Shape, ShapeKind};
use crate::protocol::Protocol;
use crate::value::{Map, Value};

/// The largest message accepted (AWS limits payloads to 16 MiB and headers
/// to 128 KiB).
const MAX_MESSAGE: usize = 24 * 1024 * 1024;

/// A header value of an event-stream message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// Types 0 and 1.
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Short(i16),
    /// Type 4.
    Int(i32),
    /// Type 5.
    Long(i64),
    /// Type 6.
    Bytes(Bytes),
    /// Type 7.
    String(String),
    /// Type 8: milliseconds since the epoch.
    Timestamp(i64),
    /// Type 9.
    Uuid([u8; 16]),
}

/// One event-stream message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The headers, in order.
    pub headers: Vec<(String, HeaderValue)>,
    /// The payload.
    pub payload: Bytes,
}

impl Message {
    /// The header called `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The string header called `name`.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        match self.header(name)? {
            HeaderValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The message in wire form (prelude, headers, payload, CRCs).
    pub fn encode(&self) -> Vec<u8> {
        let mut headers = Vec::new();
        for (name, value) in &self.headers {
            headers.push(name.len().min(255) as u8);
            headers.extend_from_slice(&name.as_bytes()[..name.len().min(255)]);
            match value {
                HeaderValue::Bool(true) => headers.push(0),
                HeaderValue::Bool(false) => headers.push(1),
                HeaderValue::Byte(b) => {
                    headers.push(2);
                    headers.push(*b as u8);
                }
                HeaderValue::Short(v) => {
                    headers.push(3);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Int(v) => {
                    headers.push(4);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Long(v) => {
                    headers.push(5);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Bytes(b) => {
                    headers.push(6);
                    headers.extend_from_slice(&(b.len() as u16).to_be_bytes());
                    headers.extend_from_slice(b);
                }
                HeaderValue::String(s) => {
                    headers.push(7);
                    headers.extend_from_slice(&(s.len() as u16).to_be_bytes());
                    headers.extend_from_slice(s.as_bytes());
                }
                HeaderValue::Timestamp(ms) => {
                    headers.push(8);
                    headers.extend_from_slice(&ms.to_be_bytes());
                }
                HeaderValue::Uuid(u) => {
                    headers.push(9);
                    headers.extend_from_slice(u);
                }
            }
        }
        let total = 16 + headers.len() + self.payload.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let prelude_crc = crc32fast::hash(&out);
        out.extend_from_slice(&prelude_crc.to_be_bytes());
        out.extend_from_slice(&headers);
        out.extend_from_slice(&self.payload);
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_be_bytes());
        out
    }
}

/// Why event-stream bytes are not a valid message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid event stream message at byte {offset}: {message}")]
pub struct EventStreamError {
    /// Offset in the stream of the message that broke.
    pub offset: u64,
    /// What is wrong.
    pub message: String,
}

/// Splits a byte stream into messages, chunk by chunk.
#[derive(Debug, Default)]
pub struct EventStreamDecoder {
    buf: BytesMut,
    offset: u64,
}

impl EventStreamDecoder {
    /// A decoder with nothing buffered.
    pub fn new() -> EventStreamDecoder {
        EventStreamDecoder::default()
    }

    /// Adds bytes read from the stream.
    pub fn push(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
    }

    /// True when no partial message is buffered (the stream may end here).
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The next complete message, `None` if more bytes are needed.
    pub fn next_message(&mut self) -> Result<Option<Message>, EventStreamError> {
        if self.buf.len() < 12 {
            return Ok(None);
        }
        let err = |message: String| EventStreamError { offset: self.offset, message };
        let total = u32::from_be_bytes([self.buf[0], self.buf[1], self.buf[2], self.buf[3]]) as usize;
        let headers_len = u32::from_be_bytes([self.buf[4], self.buf[5], self.buf[6], self.buf[7]]) as usize;
        let prelude_crc = u32::from_be_bytes([self.buf[8], self.buf[9], self.buf[10], self.buf[11]]);
        if crc32fast::hash(&self.buf[..8]) != prelude_crc {
            return Err(err("prelude checksum mismatch".into()));
        }
        if !(16..=MAX_MESSAGE).contains(&total) || headers_len > total - 16 {
            return Err(err(format!("bad lengths (total {total}, headers {headers_len})")));
        }
        if self.buf.len() < total {
            return Ok(None);
        }
        let frame = self.buf.split_to(total).freeze();
        let crc = u32::from_be_bytes([frame[total - 4], frame[total - 3], frame[total - 2], frame[total - 1]]);
        if crc32fast::hash(&frame[..total - 4]) != crc {
            return Err(err("message checksum mismatch".into()));
        }
        let headers = decode_headers(&frame[12..12 + headers_len]).map_err(err)?;
        let payload = frame.slice(12 + headers_len..total - 4);
        self.offset += total as u64;
        Ok(Some(Message { headers, payload }))
    }
}

fn decode_headers(mut b: &[u8]) -> Result<Vec<(String, HeaderValue)>, String> {
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Result<&'a [u8], String> {
        if b.len() < n {
            return Err("truncated header".into());
        }
        let (head, rest) = b.split_at(n);
        *b = rest;
        Ok(head)
    }
    let mut out = Vec::new();
    while !b.is_empty() {
        let name_len = take(&mut b, 1)?[0] as usize;
        let name = std::str::from_utf8(take(&mut b, name_len)?).map_err(|_| "header name is not UTF-8")?.to_owned();
        let kind = take(&mut b, 1)?[0];
        let value = match kind {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(take(&mut b, 1)?[0] as i8),
            3 => HeaderValue::Short(take(&mut b, 2)?.get_i16()),
            4 => HeaderValue::Int(take(&mut b, 4)?.get_i32()),
            5 => HeaderValue::Long(take(&mut b, 8)?.get_i64()),
            6 | 7 => {
                let len = take(&mut b, 2)?.get_u16() as usize;
                let data = take(&mut b, len)?;
                if kind == 6 {
                    HeaderValue::Bytes(Bytes::copy_from_slice(data))
                } else {
                    HeaderValue::String(
                        std::str::from_utf8(data).map_err(|_| format!("header {name} is not UTF-8"))?.to_owned(),
                    )
                }
            }
            8 => HeaderValue::Timestamp(take(&mut b, 8)?.get_i64()),
            9 => HeaderValue::Uuid(take(&mut b, 16)?.try_into().map_err(|_| "bad uuid")?),
            other => return Err(format!("unknown header type {other}")),
        };
        out.push((name, value));
    }
    Ok(out)
}

/// An event as the operation's model describes it.
// Errors are the rare case; boxing them would cost every caller a deref.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum StreamEvent {
    /// The `initial-response` of RPC protocols: the output's members other
    /// than the stream.
    InitialResponse(Value),
    /// An event: `{"EventName": {...members}}`, or an empty map for an
    /// event type the model does not know.
    Event(Value),
    /// An `exception` (modeled, with its fields) or `error` message.
    Error(ServiceErrorData),
}

/// How payloads are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Xml,
    Cbor,
}

/// Parses one message of the event stream that `operation` outputs.
pub fn parse_event(model: &ServiceModel, operation: &Operation, message: &Message) -> Result<StreamEvent, ParseError> {
    let options = super::ParseOptions::default();
    let ctx = Ctx { model, op: operation, options: &options };
    let output = ctx.output().ok_or_else(|| ctx.error("output", "the operation has no output"))?;
    let member =
        event_stream_member(model, output).ok_or_else(|| ctx.error("output", "the output has no event stream"))?;
    let format = match Protocol::for_model(model) {
        Some(Protocol::Json | Protocol::RestJson) => Format::Json,
        Some(Protocol::SmithyRpcV2Cbor) => Format::Cbor,
        _ => Format::Xml,
    };
    parse_message(&ctx, ctx.shape(member.target), output, message, format)
}

fn parse_payload(ctx: &Ctx<'_>, shape: &Shape, payload: &[u8], format: Format) -> Result<Value, ParseError> {
    match format {
        Format::Json => json::parse_body(ctx, shape, payload),
        Format::Cbor => cbor::parse_body(ctx, shape, payload),
        Format::Xml => xml::run(ctx, payload, |x| {
            let Some(root) = x.root()? else { return Ok(Value::map()) };
            let v = x.value(&Default::default(), shape, &root)?;
            x.finish()?;
            Ok(v)
        }),
    }
}

fn header_to_value(shape: &Shape, value: &HeaderValue, raw_timestamps: bool) -> Option<Value> {
    let millis = |ms: i64| {
        if raw_timestamps {
            return Some(Value::Float(ms as f64 / 1000.0));
        }
        super::timestamp::from_epoch_seconds(ms.div_euclid(1000))
            .map(|t| Value::Timestamp(t + time::Duration::milliseconds(ms.rem_euclid(1000))))
    };
    Some(match (shape.kind, value) {
        (ShapeKind::Timestamp, HeaderValue::Timestamp(ms) | HeaderValue::Long(ms)) => millis(*ms)?,
        (ShapeKind::Timestamp, HeaderValue::Int(ms)) => millis(i64::from(*ms))?,
        (_, HeaderValue::Bool(b)) => Value::Bool(*b),
        (_, HeaderValue::Byte(v)) => Value::Int(i64::from(*v)),
        (_, HeaderValue::Short(v)) => Value::Int(i64::from(*v)),
        (_, HeaderValue::Int(v)) => Value::Int(i64::from(*v)),
        (_, HeaderValue::Long(v)) => Value::Int(*v),
        (ShapeKind::Blob, HeaderValue::String(s)) => Value::Blob(Bytes::copy_from_slice(s.as_bytes())),
        (_, HeaderValue::String(s)) => Value::String(s.clone()),
        (_, HeaderValue::Bytes(b)) => Value::Blob(b.clone()),
        (_, HeaderValue::Timestamp(ms)) => millis(*ms)?,
        (_, HeaderValue::Uuid(u)) => Value::Blob(Bytes::copy_from_slice(u)),
    })
}

/// Parses a message of the event stream `stream` (a union of events) of
/// the output `output`.
pub(crate) fn parse_message(
    ctx: &Ctx<'_>,
    stream: &Shape,
    output: &Shape,
    message: &Message,
    format: Format,
) -> Result<StreamEvent, ParseError> {
    match message.header_str(":message-type").unwrap_or("event") {
        "event" => {
            let event_type = message.header_str(":event-type").unwrap_or_default();
            if event_type == "initial-response" {
                return parse_payload(ctx, output, &message.payload, format).map(StreamEvent::InitialResponse);
            }
            let Some(member) = stream.member_named(event_type) else {
                tracing::debug!(event_type, "event type unknown to the model");
                return Ok(StreamEvent::Event(Value::map()));
            };
            let shape = ctx.shape(member.target);
            let mut fields = Map::new();
            let mut has_payload_member = false;
            for m in shape.members.iter() {
                let target = ctx.shape(m.target);
                if m.traits.event_header || target.traits.event_header {
                    if let Some(v) =
                        message.header(&m.name).and_then(|v| header_to_value(target, v, ctx.options.raw_timestamps))
                    {
                        fields.insert(m.name.to_string(), v);
                    }
                } else if m.traits.event_payload || target.traits.event_payload {
                    has_payload_member = true;
                    let v = match target.kind {
                        ShapeKind::Blob => Value::Blob(message.payload.clone()),
                        ShapeKind::String => Value::String(
                            String::from_utf8(message.payload.to_vec())
                                .map_err(|_| ctx.error(format!("event {event_type}"), "payload is not UTF-8"))?,
                        ),
                        _ => parse_payload(ctx, target, &message.payload, format)?,
                    };
                    fields.insert(m.name.to_string(), v);
                }
            }
            if !has_payload_member {
                if let Value::Map(members) = parse_payload(ctx, shape, &message.payload, format)? {
                    fields.extend(members);
                }
            }
            let mut event = Map::new();
            event.insert(member.name.to_string(), Value::Map(fields));
            Ok(StreamEvent::Event(Value::Map(event)))
        }
        "exception" => {
            let exception_type = message.header_str(":exception-type").unwrap_or_default().to_owned();
            let mut error = ServiceErrorData { code: exception_type.clone(), status: 400, ..Default::default() };
            let fields = match stream.member_named(&exception_type) {
                Some(member) => {
                    let shape = ctx.shape(member.target);
                    error.shape = Some(shape.name.to_string());
                    parse_payload(ctx, shape, &message.payload, format)?
                }
                None => Value::map(),
            };
            error.message = ["Message", "message"]
                .iter()
                .find_map(|k| fields.get(k).and_then(Value::as_str))
                .unwrap_or_default()
                .to_owned();
            error.fields = fields;
            Ok(StreamEvent::Error(error))
        }
        "error" => Ok(StreamEvent::Error(ServiceErrorData {
            code: message.header_str(":error-code").unwrap_or_default().to_owned(),
            message: message.header_str(":error-message").unwrap_or_default().to_owned(),
            status: 400,
            fields: Value::map(),
            ..Default::default()
        })),
        other => Err(ctx.error("event stream", format!("unknown message type {other:?}"))),
    }
}

/// Every message of an in-memory stream body.
fn messages(ctx: &Ctx<'_>, bytes: &[u8]) -> Result<Vec<Message>, ParseError> {
    let mut decoder = EventStreamDecoder::new();
    decoder.push(bytes);
    let mut out = Vec::new();
    while let Some(message) = decoder.next_message().map_err(|e| ctx.error(format!("byte {}", e.offset), e.message))? {
        out.push(message);
    }
    if !decoder.is_empty() {
        return Err(ctx.error(format!("byte {}", decoder.offset), "the stream ends inside a message"));
    }
    Ok(out)
}

/// The events of the stream `stream` in `body` (REST protocols, whose
/// stream is the payload): a list of events for an in-memory body, the
/// body itself when it is a stream.
pub(crate) fn parse_events(ctx: &Ctx<'_>, stream: &Shape, body: Body, format: Format) -> Result<Parsed, ParseError> {
    let Some(bytes) = body.as_bytes() else { return Ok(Parsed::Ok(Value::Stream(body))) };
    let output = ctx.output().unwrap_or(stream);
    let mut events = Vec::new();
    for message in messages(ctx, bytes)? {
        match parse_message(ctx, stream, output, &message, format)? {
            StreamEvent::Event(v) => events.push(v),
            StreamEvent::InitialResponse(_) => {}
            StreamEvent::Error(e) => return Ok(Parsed::Err(e)),
        }
    }
    Ok(Parsed::Ok(Value::List(events)))
}

/// The output of an RPC operation (json, cbor) whose body is an event
/// stream: the `initial-response` event gives the other members, the
/// events fill the stream member. A streaming body is left in the member
/// for the caller to decode (initial response included).
pub(crate) fn parse_rpc_output(
    ctx: &Ctx<'_>,
    output: &Shape,
    response: &mut crate::request::HttpResponse,
    format: Format,
) -> Result<Parsed, ParseError> {
    let member = event_stream_member(ctx.model, output).ok_or_else(|| ctx.error("output", "no event stream"))?;
    let stream = ctx.shape(member.target);
    let mut result = Map::new();
    let Some(bytes) = response.body.as_bytes() else {
        result.insert(member.name.to_string(), Value::Stream(std::mem::take(&mut response.body)));
        return Ok(Parsed::Ok(Value::Map(result)));
    };
    let mut events = Vec::new();
    for message in messages(ctx, bytes)? {
        match parse_message(ctx, stream, output, &message, format)? {
            StreamEvent::InitialResponse(Value::Map(members)) => {
                for (k, v) in members {
                    if k != *member.name {
                        result.insert(k, v);
                    }
                }
            }
            StreamEvent::InitialResponse(_) => {}
            StreamEvent::Event(v) => events.push(v),
            StreamEvent::Error(e) => return Ok(Parsed::Err(e)),
        }
    }
    result.insert(member.name.to_string(), Value::List(events));
    Ok(Parsed::Ok(Value::Map(result)))
}
