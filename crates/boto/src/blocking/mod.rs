//! Blocking sessions and resources.
