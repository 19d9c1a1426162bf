//! Themes: a site's own partials draw the cells, the charts (in pages and
//! in Markdown) and the wrapper around Markdown tables; a partial that
//! cannot do its job fails the build as a template error.

use crate::audience::copy_dir;
use crate::support::{build, fixture};
use bullpen::error::Error;
use bullpen::vocab::Audience;
use std::path::{Path, PathBuf};

/// The small fixture (theme `acme`) with a report holding one chart block
/// of every kind, and the given partials in the theme.
fn site_with_partials(partials: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    std::fs::copy(
        fixture("charts/every-kind.md"),
        dir.path().join("content/reports/every-kind.md"),
    )
    .unwrap();
    let templates = dir.path().join("themes/acme/templates/partials");
    std::fs::create_dir_all(&templates).unwrap();
    for (name, text) in partials {
        std::fs::write(templates.join(name), text).unwrap();
    }
    dir
}

const CELL: &str = r#"<b class="acme-cell" data-class="{{ cell.class }}">{{ cell.text }}</b>"#;
const CHART: &str = r#"<div class="acme-chart" data-state="{{ chart.state }}">{{ chart.title }}: {{ chart.table.rows | length }} rows{{ chart.svg | safe }}</div>"#;
const TABLE_WRAP: &str = r#"<div class="acme-table">{{ table | safe }}</div>"#;

/// A theme that loops over an object gets its fields in the order Bullpen
/// made them, in every cell of every build: Tera's maps keep that order
/// (a hash map would give each map an order of its own).
#[test]
fn a_loop_over_an_objects_fields_is_in_one_order_every_build() {
    let keys = r#"<b class="keys">{% for key, value in cell %}{{ key }} {% endfor %}</b>"#;
    let dir = site_with_partials(&[("cell.html", keys)]);
    let first = build(dir.path(), Audience::Managers).main("people/ann-lee/index.html");
    let cells = first.matches(r#"<b class="keys">"#).count();
    assert!(cells > 20, "{first}");
    assert_eq!(
        first
            .matches(r#"<b class="keys">text note class detail </b>"#)
            .count(),
        cells,
        "{first}"
    );
    let second = build(dir.path(), Audience::Managers).main("people/ann-lee/index.html");
    assert_eq!(first, second);
}

#[test]
fn a_theme_draws_cells_charts_and_markdown_tables_with_its_own_partials() {
    let dir = site_with_partials(&[
        ("cell.html", CELL),
        ("chart.html", CHART),
        ("table-wrap.html", TABLE_WRAP),
    ]);
    let site = build(dir.path(), Audience::Managers);

    // Cells: in tables, tiles and facts alike.
    let rep = site.main("people/ann-lee/index.html");
    assert!(
        rep.contains(r#"<dd class="ramp"><b class="acme-cell""#),
        "{rep}"
    );
    assert!(rep.contains(r#"<span class="tile-value"><b class="acme-cell""#));
    assert!(rep.contains(r#"<td class="num"><b class="acme-cell" data-class="">"#));
    assert!(!rep.contains(r#"<span class="undefined""#), "{rep}");

    // Charts on pages: the theme's markup around Bullpen's drawn SVG.
    assert!(rep.contains(r#"<div class="acme-chart" data-state="drawn">"#));
    assert!(rep.contains("<svg class=\"chart-wide\" role=\"img\""));
    assert!(!rep.contains("<figure"), "{rep}");
    let home = site.main("index.html");
    assert!(home.contains("acme-chart") && !home.contains("<figure"));

    // Charts in Markdown: the same partial, with the same data.
    let report = site.main("reports/every-kind/index.html");
    assert_eq!(report.matches(r#"<div class="acme-chart""#).count(), 10);
    assert!(report.contains("Attainment by rep: "), "{report}");
    assert!(!report.contains("<figure"), "{report}");

    // Markdown tables in the theme's wrapper; page tables keep their own.
    let playbook = site.main("playbooks/basics/first-call/index.html");
    assert!(
        playbook.contains(r#"<div class="acme-table"><table>"#),
        "{playbook}"
    );
    assert!(!playbook.contains("table-wrap"), "{playbook}");
}

#[test]
fn a_chart_withheld_from_the_team_edition_says_so_through_the_theme() {
    let dir = site_with_partials(&[("chart.html", CHART)]);
    let site = build(dir.path(), Audience::Team);
    let report = site.main("reports/every-kind/index.html");
    assert_eq!(
        report
            .matches(r#"<div class="acme-chart" data-state="managers-only">"#)
            .count(),
        2,
        "the skills and goal charts: {report}"
    );
    assert!(!report.contains("chart-withheld"), "{report}");
}

/// The template error of building the site at `root`: the template that
/// failed, the site's file of it, and the message.
fn template_error(root: &Path) -> (Option<String>, Option<PathBuf>, String) {
    let sink = bullpen::render::MemorySink::default();
    match bullpen::pipeline::render(root, Audience::Managers, None, &sink) {
        Err(Error::Template {
            template,
            file,
            message,
            ..
        }) => (template, file, message),
        Err(other) => panic!("expected a template error, got {other:?}"),
        Ok(_) => panic!("expected a template error, the build succeeded"),
    }
}

#[test]
fn a_table_wrapper_that_leaves_out_the_table_fails_the_build() {
    let dir = site_with_partials(&[("table-wrap.html", "<div class=\"scroll\"></div>")]);
    let (template, file, message) = template_error(dir.path());
    assert_eq!(template.as_deref(), Some("partials/table-wrap.html"));
    assert!(
        file.is_some_and(|f| f.ends_with("themes/acme/templates/partials/table-wrap.html")),
        "the site's file is named"
    );
    assert!(message.contains("`table` exactly once"), "{message}");
}

#[test]
fn a_chart_partial_that_fails_on_a_chart_in_markdown_is_a_theme_error() {
    let dir = site_with_partials(&[("chart.html", "{{ chart.no_such_field }}")]);
    let (template, file, message) = template_error(dir.path());
    assert_eq!(template.as_deref(), Some("partials/chart.html"));
    assert!(file.is_some_and(|f| f.ends_with("themes/acme/templates/partials/chart.html")));
    assert!(message.contains("no_such_field"), "{message}");
}

/// An imported handbook table once came out thousands of pixels tall: the
/// default theme's no-wrap and pinned-column rules are for dashboard
/// tables, never for tables in prose. (The browser tests check the
/// computed style on a real page too.)
#[test]
fn dashboard_table_rules_leave_prose_tables_alone() {
    let site = build(&fixture("small"), Audience::Team);
    let mut css = std::str::from_utf8(&site.files["static/style.css"])
        .unwrap()
        .to_string();
    // Comments out, so that only selectors and declarations remain.
    while let Some(start) = css.find("/*") {
        let end = css[start..].find("*/").map_or(css.len(), |e| start + e + 2);
        css.replace_range(start..end, "");
    }
    for rule in css.split('}') {
        let Some((selectors, body)) = rule.split_once('{') else {
            continue;
        };
        if !(body.contains("nowrap") || body.contains("sticky")) {
            continue;
        }
        // The innermost block's selectors (after an `@media … {`).
        let selectors = selectors.rsplit('{').next().unwrap_or(selectors);
        // Commas inside `:is(td, th)` do not separate selectors.
        let mut depth = 0;
        let list = selectors.split(|c: char| {
            depth += i32::from(c == '(') - i32::from(c == ')');
            c == ',' && depth == 0
        });
        for selector in list {
            let selector = selector.trim();
            let about_cells = selector.contains("td") || selector.contains("th");
            assert!(
                !about_cells
                    || selector.contains(":not(.prose")
                    || selector.contains(".leaderboard")
                    || selector.starts_with("td.")
                    || selector.starts_with("th."),
                "`{selector}` would reach tables in prose"
            );
        }
    }
    assert!(css.contains(".table-wrap:not(.prose .table-wrap) td:first-child"));
}
