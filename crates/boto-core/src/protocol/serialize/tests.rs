//! Serializer tests against real service models.
