//! Fuzzes chart specs: any YAML is parsed against the small fixture's model
//! and, when it checks out, drawn.
#![no_main]

// Each target uses one of the harness's entry points.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = harness::chart_spec(data);
});
