//! Unit tests of the parsers against small models and real embedded ones.
