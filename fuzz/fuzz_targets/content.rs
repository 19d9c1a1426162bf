//! Fuzzes loading, validation and rendering: the input becomes one content
//! file (its kind chosen by the first byte) in the small fixture site, and
//! the site is loaded, validated and — when valid — rendered for managers.
#![no_main]

// Each target uses one of the harness's entry points.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::content(data);
});
