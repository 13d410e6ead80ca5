//! A shape seen through the reference that reaches it, with botocore's
//! trait merging: a trait written on the reference (structure member, list
//! member, map key or value, operation input) wins over the same trait on
//! the target shape.

use crate::model::{
    Location, Member, OperationRef, ServiceModel, Shape, ShapeKind, TimestampFormat, Traits, XmlNamespace,
};

/// A reference's traits together with the shape it targets.
#[derive(Clone, Copy)]
pub(crate) struct Ref<'a> {
    /// Traits written on the reference.
    pub traits: &'a Traits,
    /// The target shape.
    pub shape: &'a Shape,
}

impl<'a> Ref<'a> {
    /// The view of a member reference.
    pub fn member(model: &'a ServiceModel, member: &'a Member) -> Ref<'a> {
        Ref { traits: &member.traits, shape: model.shape(member.target) }
    }

    /// The view of an operation's input reference.
    pub fn input(model: &'a ServiceModel, input: &'a OperationRef) -> Ref<'a> {
        Ref { traits: &input.traits, shape: model.shape(input.shape) }
    }

    /// The target's kind.
    pub fn kind(&self) -> ShapeKind {
        self.shape.kind
    }

    /// `location`.
    pub fn location(&self) -> Option<Location> {
        self.traits.location.or(self.shape.traits.location)
    }

    /// `locationName`.
    pub fn location_name(&self) -> Option<&'a str> {
        self.traits.location_name.as_deref().or(self.shape.traits.location_name.as_deref())
    }

    /// `queryName` (ec2).
    pub fn query_name(&self) -> Option<&'a str> {
        self.traits.query_name.as_deref().or(self.shape.traits.query_name.as_deref())
    }

    /// `flattened`.
    pub fn flattened(&self) -> bool {
        self.traits.flattened || self.shape.traits.flattened
    }

    /// `xmlAttribute`.
    pub fn xml_attribute(&self) -> bool {
        self.traits.xml_attribute || self.shape.traits.xml_attribute
    }

    /// `xmlNamespace`.
    pub fn xml_namespace(&self) -> Option<&'a XmlNamespace> {
        self.traits.xml_namespace.as_ref().or(self.shape.traits.xml_namespace.as_ref())
    }

    /// `jsonvalue`.
    pub fn json_value(&self) -> bool {
        self.traits.json_value || self.shape.traits.json_value
    }

    /// `timestampFormat`.
    pub fn timestamp_format(&self) -> Option<TimestampFormat> {
        self.traits.timestamp_format.or(self.shape.traits.timestamp_format)
    }

    /// `idempotencyToken`.
    pub fn idempotency_token(&self) -> bool {
        self.traits.idempotency_token || self.shape.traits.idempotency_token
    }

    /// `hostLabel`.
    pub fn host_label(&self) -> bool {
        self.traits.host_label || self.shape.traits.host_label
    }

    /// `payload`: the member sent as the body (on an input reference or
    /// the input shape).
    pub fn payload(&self) -> Option<&'a str> {
        self.traits.payload.as_deref().or(self.shape.traits.payload.as_deref())
    }

    /// The target is a document (untyped JSON-like value).
    pub fn is_document(&self) -> bool {
        self.shape.traits.document || self.traits.document
    }

    /// The target is an event stream.
    pub fn is_event_stream(&self) -> bool {
        self.shape.traits.event_stream || self.traits.event_stream
    }
}

/// True if the structure `shape` has a member targeting an event stream.
pub(crate) fn has_event_stream(model: &ServiceModel, shape: &Shape) -> bool {
    shape.members.iter().any(|m| Ref::member(model, m).is_event_stream())
}
