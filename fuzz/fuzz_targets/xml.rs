//! Fuzz target: xml response bodies (see the crate's harness).
#![cfg_attr(feature = "libfuzzer", no_main)]

#[cfg(feature = "libfuzzer")]
libfuzzer_sys::fuzz_target!(|data: &[u8]| boto_fuzz::check(boto_fuzz::Format::Xml, data));

#[cfg(not(feature = "libfuzzer"))]
fn main() {
    boto_fuzz::replay(boto_fuzz::Format::Xml);
}
