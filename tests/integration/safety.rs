//! A build never leaks or injects anything: content text is escaped, raw
//! HTML is sanitised, symlinks are not followed, and the output folder is
//! chosen with care.

use crate::audience::copy_dir;
use crate::support::{build, fixture};
use bullpen::vocab::Audience;

#[test]
fn content_text_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let person =
        "name: <script>alert('name')</script>\nrole: rep\nmanager: mia-ford\nteam: <b>North</b>\n";
    std::fs::write(dir.path().join("content/people/ben-cole.yaml"), person).unwrap();
    let playbook = "---\ntitle: <script>alert('title')</script>\nowner: mia-ford\nsummary: \"<img src=x onerror=alert(1)>\"\ntags: [\"<i>tag</i>\"]\n---\n## <script>x</script> heading\n\nText.\n";
    std::fs::write(
        dir.path().join("content/playbooks/basics/first-call.md"),
        playbook,
    )
    .unwrap();
    let report = "---\ntitle: Charts\n---\n```chart\nkind: bar\ntitle: <script>alert('chart')</script>\n```\n";
    std::fs::write(dir.path().join("content/reports/charts.md"), report).unwrap();
    for audience in [Audience::Team, Audience::Managers] {
        let site = build(dir.path(), audience);
        for (path, bytes) in &site.files {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains("<script>alert"),
                "an unescaped script in {path}"
            );
            assert!(!text.contains("<img src=x"), "an unescaped tag in {path}");
            assert!(
                !text.contains("<i>tag</i>") && !text.contains("<b>North</b>"),
                "unescaped markup in {path}"
            );
        }
        let page = site.page("people/ben-cole/index.html");
        assert!(
            page.contains("&lt;script&gt;alert("),
            "the name is shown, escaped"
        );
        assert!(
            site.page("reports/charts/index.html")
                .contains("&lt;script&gt;alert("),
            "the chart title is shown, escaped"
        );
    }
}

#[test]
fn raw_html_in_markdown_is_sanitised_but_keeps_what_writers_need() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let body = "---\ntitle: Raw\nowner: mia-ford\n---\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"steal()\">click</a>\n\n<img src=\"flow.png\" onerror=\"alert(1)\" alt=\"Flow\">\n\n<details><summary>More</summary>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n</details>\n\n<iframe src=\"https://evil.example\"></iframe>\n";
    std::fs::write(dir.path().join("content/playbooks/basics/raw.md"), body).unwrap();
    let site = build(dir.path(), Audience::Team);
    let page = site.main("playbooks/basics/raw/index.html");
    for banned in ["<script", "javascript:", "onclick", "onerror", "<iframe"] {
        assert!(!page.contains(banned), "{banned} survived: {page}");
    }
    for kept in [
        "<details>",
        "<summary>More</summary>",
        "<table>",
        "alt=\"Flow\"",
    ] {
        assert!(page.contains(kept), "{kept} was removed: {page}");
    }
}

#[cfg(unix)]
#[test]
fn symlinks_in_content_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\nSECRET-OUTSIDE-ROOT\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        dir.path().join("content/reports/secret.md"),
    )
    .unwrap();
    let checked = bullpen::pipeline::check(dir.path()).unwrap();
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.message.contains("symbolic links are not followed")),
        "{:#?}",
        checked.diagnostics
    );
    let sink = bullpen::render::MemorySink::default();
    assert!(bullpen::pipeline::render(dir.path(), Audience::Team, None, &sink).is_err());
}

#[test]
fn the_output_folder_is_never_the_content_or_above_the_root() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    for out in [
        dir.path().to_path_buf(),
        dir.path().join("content"),
        dir.path().join("content/people"),
        dir.path().join("themes"),
        dir.path().parent().unwrap().to_path_buf(),
    ] {
        let result = bullpen::pipeline::build(dir.path(), &out, Audience::Team, None);
        assert!(
            matches!(result, Err(bullpen::error::Error::OutputFolder { .. })),
            "{} was not refused",
            out.display()
        );
    }
    assert!(
        dir.path().join("content/site.yaml").is_file(),
        "nothing was deleted"
    );
}

/// `bullpen metrics --format csv` opened in a spreadsheet: a rep whose name
/// is a formula must not run.
#[test]
fn the_metrics_csv_never_hands_a_spreadsheet_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let person =
        "name: '=HYPERLINK(\"http://evil.example/\",\"Click\")'\nrole: rep\nmanager: mia-ford\n";
    std::fs::write(dir.path().join("content/people/ben-cole.yaml"), person).unwrap();
    let out = crate::support::bullpen(&["metrics", "--format", "csv"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .filter(|name| name.contains("HYPERLINK"))
        .collect();
    assert!(!names.is_empty(), "{text}");
    for name in names {
        assert_eq!(name, "'=HYPERLINK(\"http://evil.example/\",\"Click\")");
    }
}
