//! The stages depend on each other one way only: a module may use the
//! modules of lower layers, never its own layer's others nor a higher one.
//! ARCHITECTURE.md draws the same layers; this test keeps them true.

use std::path::Path;

/// Layers from the bottom up. A module name not listed fails the test, so
/// a new module must be given its place.
const LAYERS: &[&[&str]] = &[
    &["error", "text", "timings", "embedded", "vocab"],
    &["load"],
    &["metrics"],
    &["model"],
    &["format"],
    &["rollup"],
    &["prose"],
    &["export", "diff"],
    &["render"],
    &["output"],
    &["sitecheck"],
    &["pipeline", "schema", "report"],
    &["serve"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Every `crate::NAME` a file's non-test code names, with its line.
fn uses(text: &str) -> Vec<(usize, String)> {
    // Unit tests may reach anywhere (a test of the model may load a site);
    // they sit at the end of the file, after `#[cfg(test)] mod …`.
    let code = match text.find("#[cfg(test)]\nmod ") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push((number + 1, name));
            rest = after;
        }
    }
    found
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn modules_use_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    all.sort();
    let mut wrong = Vec::new();
    for file in &all {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_str().unwrap().trim_end_matches(".rs");
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = layer(module) else {
            wrong.push(format!(
                "{}: module `{module}` has no layer",
                relative.display()
            ));
            continue;
        };
        for (line, used) in uses(&std::fs::read_to_string(file).unwrap()) {
            if used == module {
                continue;
            }
            match layer(&used) {
                Some(theirs) if theirs < own => {}
                _ => wrong.push(format!(
                    "{}:{line}: `{module}` uses `{used}`, which is not below it",
                    relative.display()
                )),
            }
        }
    }
    assert!(wrong.is_empty(), "layers crossed:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_a_crossing() {
    let text =
        "use crate::render::Page;\nfn f() {}\n#[cfg(test)]\nmod tests {\n use crate::cli;\n}\n";
    assert_eq!(uses(text), vec![(1, "render".to_string())]);
}
