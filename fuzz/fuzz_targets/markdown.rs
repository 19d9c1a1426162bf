//! Fuzzes Markdown rendering: heading ids, the table of contents, link
//! rewriting and sanitising, on any text.
#![no_main]

use bullpen::model::MarkdownText;
use bullpen::render::markdown::{LinkMap, Target, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut links = LinkMap::default();
    links.targets.insert("playbooks/closing/negotiation.md".into(), Some("playbooks/closing/negotiation/".into()));
    links.targets.insert("reports/private.md".into(), None);
    let markdown = MarkdownText { file: "content/playbooks/discovery/first-call.md".into(), text: text.to_string(), first_line: 3 };
    let charts = |yaml: &str, _: usize| -> Result<String, String> {
        if yaml.contains("fail") { Err("bad chart".into()) } else { Ok("<figure></figure>".into()) }
    };
    for drop_title in [false, true] {
        let target = Target { source: "playbooks/discovery/first-call.md", root: "../../../", drop_title, charts: Some(&charts) };
        let rendered = render(&markdown, target, &links);
        assert!(!rendered.html.contains("<script"), "a script survived sanitising");
    }
});
