//! Fuzzes chart specs: any YAML is parsed against the small fixture's model
//! and, when it checks out, drawn.
#![no_main]

use bullpen::model::{Audience, Model};
use bullpen::render::charts::spec;
use bullpen::render::Ctx;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/small");
        bullpen::pipeline::load_model(&root).expect("the small fixture loads").0
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(yaml) = std::str::from_utf8(data) else { return };
    let model = model();
    if let Ok(spec) = spec::parse(yaml, model) {
        for audience in [Audience::Team, Audience::Managers] {
            let ctx = Ctx::new(model, audience, BTreeMap::new());
            let _ = spec::render(&ctx, &spec, "chart-1");
        }
    }
});
