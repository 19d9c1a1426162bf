//! Broken inputs are reported with their file and line, all in one run,
//! and a failed build leaves the previous output whole.
//! Each case under `tests/fixtures/invalid/<case>/` is laid over the small
//! fixture, so it holds only the files that break it.

use crate::audience::copy_dir;
use crate::support::fixture;
use bullpen::error::{Diagnostic, Error, Severity};
use bullpen::vocab::Audience;

fn errors_of(case: &str) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    copy_dir(&fixture("invalid").join(case), dir.path());
    let sink = bullpen::render::MemorySink::default();
    match bullpen::pipeline::render(dir.path(), Audience::Managers, None, &sink) {
        Err(Error::Content(diagnostics)) => diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect(),
        Err(other) => panic!("{case}: expected content errors, got {other}"),
        Ok(_) => panic!("{case}: the build should fail"),
    }
}

fn assert_error(errors: &[Diagnostic], file: &str, line: usize, text: &str) {
    assert!(
        errors.iter().any(|e| e.file == std::path::Path::new(file)
            && e.line == Some(line)
            && e.message.contains(text)),
        "expected `{text}` at {file}:{line}, got {errors:#?}"
    );
}

#[test]
fn unknown_manager_names_file_line_and_suggests() {
    let errors = errors_of("unknown-manager");
    assert_error(
        &errors,
        "content/people/eve-stone.yaml",
        3,
        "`mia-frod` is not a person",
    );
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `mia-ford`?"));
}

#[test]
fn manager_cycle_is_reported() {
    let errors = errors_of("manager-cycle");
    assert!(
        errors.iter().any(|e| e.message.contains("loops back")),
        "{errors:#?}"
    );
}

#[test]
fn duplicate_figures_name_both_files() {
    let errors = errors_of("duplicate-record");
    let error = errors
        .iter()
        .find(|e| e.message.contains("given twice"))
        .expect("a duplicate error");
    let both = format!("{} {}", error.file.display(), error.message);
    assert!(
        both.contains("content/performance/2026-Q2.yaml")
            && both.contains("content/performance/2026-Q2/ann-lee.yaml"),
        "{both}"
    );
}

#[test]
fn period_file_must_match_its_name_and_kind() {
    let errors = errors_of("period-mismatch");
    assert_error(
        &errors,
        "content/performance/2026-Q3.yaml",
        1,
        "does not match the file name",
    );
    assert!(
        errors.iter().any(|e| e
            .message
            .contains("is a month, but this site reports by quarter")),
        "{errors:#?}"
    );
}

#[test]
fn field_errors_count_lines_from_the_top_of_the_file() {
    let errors = errors_of("bad-coaching");
    // Front matter starts on line 2; `assessment:` is line 6, the unknown field line 8.
    assert_error(
        &errors,
        "content/coaching/ann-lee/2026-Q3.md",
        8,
        "unknown field `goal`",
    );
    assert_eq!(
        errors
            .iter()
            .find(|e| e.message.contains("unknown field"))
            .unwrap()
            .help
            .as_deref(),
        Some("did you mean `goals`?")
    );
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let errors = errors_of("many");
    assert!(errors.len() >= 3, "{errors:#?}");
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("`quota` must be above 0")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e.message.contains("no known kind")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e.message.contains("not-there.md")),
        "{errors:#?}"
    );
    let mut sorted = errors.clone();
    sorted.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    assert_eq!(sorted, errors, "errors come sorted by file and line");
}

#[test]
fn a_failed_build_leaves_the_previous_output_whole() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let out = dir.path().join("public");
    bullpen::pipeline::build(dir.path(), &out, Audience::Team, None).unwrap();
    let before = std::fs::read(out.join("index.html")).unwrap();
    copy_dir(&fixture("invalid/unknown-manager"), dir.path());
    assert!(bullpen::pipeline::build(dir.path(), &out, Audience::Team, None).is_err());
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), before);
}

#[test]
fn unsafe_site_addresses_name_site_yaml_and_their_lines() {
    let errors = errors_of("unsafe-urls");
    assert_error(&errors, "content/site.yaml", 2, "`base_url`");
    assert_error(&errors, "content/site.yaml", 6, "`repo_url`");
    assert!(
        errors
            .iter()
            .all(|e| e.message.contains("http:// or https://")),
        "{errors:#?}"
    );
}

#[test]
fn a_link_of_a_refused_scheme_says_so() {
    let errors = errors_of("unsafe-link-scheme");
    let file = "content/playbooks/basics/first-call.md";
    assert_error(
        &errors,
        file,
        7,
        "links with the `javascript:` scheme are not allowed",
    );
    assert_error(
        &errors,
        file,
        9,
        "links with the `data:` scheme are not allowed",
    );
    assert!(
        !errors.iter().any(|e| e.message.contains("does not exist")),
        "{errors:#?}"
    );
}

#[test]
fn a_page_that_fails_to_load_is_reported_once_not_at_every_link() {
    let errors = errors_of("unloaded-linked-page");
    for file in [
        "content/playbooks/basics/broken.md",
        "content/playbooks/basics/untitled.md",
        "content/reports/bad-period.md",
    ] {
        let own: Vec<_> = errors
            .iter()
            .filter(|e| e.file == std::path::Path::new(file))
            .collect();
        assert_eq!(own.len(), 1, "{file}: {errors:#?}");
    }
    assert!(
        !errors.iter().any(|e| e.message.contains("does not exist")),
        "{errors:#?}"
    );
}

#[test]
fn a_broken_site_yaml_is_reported_once_not_as_missing() {
    let errors = errors_of("site-settings-error");
    assert_error(
        &errors,
        "content/site.yaml",
        4,
        "unknown variant `quarterly`",
    );
    assert!(
        !errors.iter().any(|e| e.message.contains("missing")),
        "{errors:#?}"
    );
}

#[test]
fn names_that_break_links_are_refused_with_the_characters_allowed() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let names = [
        "playbooks/basics/q3#plan.md",
        "playbooks/basics/what?.md",
        "playbooks/basics/100%.md",
        "playbooks/basics/don't.md",
        "playbooks/basics/say \"hi\".md",
        "playbooks/basics/back\\slash.md",
        "playbooks/basics/first call.md",
        "playbooks/my section/intro.md",
        "reports/q3#review.md",
        "playbooks/basics/flow#1.png",
    ];
    for name in names {
        let file = dir.path().join("content").join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, "---\ntitle: A page\n---\nText.\n").unwrap();
    }
    let checked = bullpen::pipeline::check(dir.path()).unwrap();
    for name in names {
        let file = std::path::Path::new("content").join(name);
        let found = checked.diagnostics.iter().find(|d| d.file == file);
        let found = found.unwrap_or_else(|| panic!("{name}: {:#?}", checked.diagnostics));
        assert_eq!(found.severity, Severity::Error, "{name}");
        assert!(
            found.message.contains("letters, digits, `-`, `_` and `.`"),
            "{name}: {found:?}"
        );
    }
    let out = tempfile::tempdir().unwrap();
    assert!(
        bullpen::pipeline::build(dir.path(), &out.path().join("site"), Audience::Team, None)
            .is_err()
    );
}

/// Counts in the billions and `1e308` days were accepted, and a team's sum
/// stopped at 4,294,967,295 or printed as `inf`: each number a content file
/// holds has a documented range, and the error gives the line and range.
#[test]
fn numbers_out_of_their_range_name_their_line_and_the_range() {
    let errors = errors_of("number-out-of-range");
    let file = "content/performance/2026-Q2/ben-cole.yaml";
    assert_error(
        &errors,
        file,
        3,
        "`deals_won` is 4000000000; expected 0 to 1000000 (a count)",
    );
    assert_error(
        &errors,
        file,
        6,
        "`cycle_days` is 1e308; expected 0 to 3650 (days)",
    );
}

/// A 200 MB playbook was read whole and peaked at 3.6 GB: a file over the
/// limit is measured, never read, and the error says how to raise it.
#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let big = dir.path().join("content/playbooks/basics/huge.md");
    // Sparse: 200 MiB on paper, nothing on disk.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let checked = bullpen::pipeline::check(dir.path()).unwrap();
    let error = checked
        .diagnostics
        .iter()
        .find(|d| d.file == std::path::Path::new("content/playbooks/basics/huge.md"))
        .expect("an error for the large file");
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(
        error.message,
        "the file is 200.0 MiB; the largest Markdown or YAML file Bullpen reads is 10 MiB"
    );
    assert!(
        error
            .help
            .as_deref()
            .is_some_and(|h| h.contains("`limits: {max_file_mb: 200}`")),
        "{error:?}"
    );
    // The setting must itself be in range.
    let site = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("{text}limits: {{max_file_mb: 0}}\n")).unwrap();
    std::fs::remove_file(&big).unwrap();
    let checked = bullpen::pipeline::check(dir.path()).unwrap();
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.file == std::path::Path::new("content/site.yaml")
                && d.line == Some(6)
                && d.message == "`max_file_mb` is 0; expected 1 to 1024 (MiB)"),
        "{:#?}",
        checked.diagnostics
    );
}

/// The error of building the small fixture with `tests/fixtures/theme-errors/<case>/` laid over it.
fn theme_error_of(case: &str, audience: Audience) -> Error {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    copy_dir(&fixture("theme-errors").join(case), dir.path());
    let sink = bullpen::render::MemorySink::default();
    match bullpen::pipeline::render(dir.path(), audience, None, &sink) {
        Err(err) => err,
        Ok(_) => panic!("{case}: the build should fail"),
    }
}

#[test]
fn a_template_that_does_not_compile_is_named_with_its_file_and_line() {
    let err = theme_error_of("syntax", Audience::Team);
    let Error::Template {
        template,
        file,
        position,
        rendering,
        ..
    } = &err
    else {
        panic!("expected a template error, got {err}");
    };
    assert_eq!(template.as_deref(), Some("rep.html"));
    assert_eq!(
        file.as_deref(),
        Some(std::path::Path::new("themes/acme/templates/rep.html"))
    );
    assert_eq!(position.map(|p| p.line), Some(3));
    assert_eq!(*rendering, None);
    assert!(
        err.to_string()
            .starts_with("template rep.html (themes/acme/templates/rep.html:3:"),
        "{err}"
    );
}

#[test]
fn a_failing_included_template_is_named_beside_the_page_template() {
    let err = theme_error_of("included", Audience::Managers);
    let Error::Template {
        template,
        file,
        position,
        rendering,
        message,
    } = &err
    else {
        panic!("expected a template error, got {err}");
    };
    assert_eq!(template.as_deref(), Some("partials/goals.html"));
    assert_eq!(
        file.as_deref(),
        Some(std::path::Path::new(
            "themes/acme/templates/partials/goals.html"
        ))
    );
    assert_eq!(position.map(|p| (p.line, p.column)), Some((2, 4)));
    // Both a rep's page and a coaching plan include the goals.
    assert!(
        matches!(rendering.as_deref(), Some("rep.html" | "coaching.html")),
        "{err}"
    );
    assert!(message.contains("no_such_variable"), "{message}");
}

#[test]
fn a_missing_theme_names_its_folder() {
    let err = theme_error_of("missing-theme", Audience::Team);
    let Error::Theme { name, dir } = &err else {
        panic!("expected a missing theme, got {err}");
    };
    assert_eq!(name, "nowhere");
    assert_eq!(dir, std::path::Path::new("themes/nowhere"));
    assert!(
        err.to_string().contains("no themes/nowhere/ folder"),
        "{err}"
    );
}
