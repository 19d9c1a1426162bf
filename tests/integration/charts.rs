//! Charts: every kind renders for normal data, a single period, all zeros
//! and undefined values; every SVG is well-formed XML with a title and a
//! description; bars are proportional to the data; a bad chart block fails
//! the build with its file and line.

use crate::audience::copy_dir;
use crate::support::{Site, build, fixture};
use bullpen::error::Error;
use bullpen::vocab::Audience;
use std::path::Path;

/// The small fixture with a report holding one chart block of every kind,
/// its figures changed by `edit`, built for the managers.
fn site_with_charts(edit: impl Fn(&Path)) -> Site {
    site_with_charts_for(Audience::Managers, edit)
}

fn site_with_charts_for(audience: Audience, edit: impl Fn(&Path)) -> Site {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    std::fs::copy(
        fixture("charts/every-kind.md"),
        dir.path().join("content/reports/every-kind.md"),
    )
    .unwrap();
    edit(dir.path());
    build(dir.path(), audience)
}

/// Every `<figure class="chart">` of a page, in order.
fn figures(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<figure class=\"chart") {
        let end = rest[start..].find("</figure>").unwrap() + start + "</figure>".len();
        found.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    found
}

fn svg_of(figure: &str) -> &str {
    let start = figure
        .find("<svg")
        .unwrap_or_else(|| panic!("no svg in {figure}"));
    let end = figure.find("</svg>").unwrap() + "</svg>".len();
    &figure[start..end]
}

/// Parses a figure's SVG and checks what every chart must have.
fn check_svg(figure: &str) {
    let svg = svg_of(figure);
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("SVG does not parse: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(root.attribute("viewBox").is_some());
    assert!(
        root.attribute("width").is_none(),
        "a fixed width would not scale down"
    );
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .expect("a <title>");
    assert!(!title.text().unwrap_or("").is_empty());
    assert!(root.children().any(|n| n.has_tag_name("desc")), "a <desc>");
    for bad in ["NaN", "inf"] {
        assert!(!svg.contains(bad), "{bad} in {svg}");
    }
    assert!(
        figure.contains("<details class=\"chart-data\">"),
        "a data table beside the chart"
    );
}

fn every_kind(site: &Site) -> Vec<String> {
    let figures = figures(&site.main("reports/every-kind/index.html"));
    assert_eq!(figures.len(), 10, "one figure per chart block");
    figures
}

#[test]
fn every_kind_renders_for_normal_data() {
    let site = site_with_charts(|_| {});
    for (index, figure) in every_kind(&site).iter().enumerate() {
        check_svg(figure);
        crate::support::snapshot_settings().bind(|| {
            insta::assert_snapshot!(format!("chart_{:02}", index + 1), figure);
        });
    }
}

#[test]
fn every_kind_renders_for_a_single_period() {
    let site = site_with_charts(|root| {
        std::fs::remove_dir_all(root.join("content/performance/2026-Q2")).unwrap()
    });
    for figure in every_kind(&site) {
        check_svg(&figure);
    }
}

#[test]
fn every_kind_renders_when_everything_is_zero() {
    let site = site_with_charts(|root| {
        let zero = "{quota: 1000, closed_won: 0, deals_won: 0, deals_lost: 0, pipeline: 0, forecast: 0, activities: {calls: 0, emails: 0, meetings: 0, demos: 0}}";
        let people = ["ann-lee", "ben-cole", "cal-dunn", "dee-hart"];
        for period in ["2026-Q1", "2026-Q2"] {
            let mut text = format!("period: {period}\npeople:\n");
            for person in people {
                text.push_str(&format!("  {person}: {zero}\n"));
            }
            std::fs::write(
                root.join(format!("content/performance/{period}.yaml")),
                text,
            )
            .unwrap();
        }
        std::fs::remove_dir_all(root.join("content/performance/2026-Q2")).unwrap();
    });
    let figures = every_kind(&site);
    for figure in &figures {
        check_svg(figure);
    }
    // Zero attainment is a value (a zero-length bar), not a gap.
    assert!(figures[0].contains("0.0%"), "{}", figures[0]);
}

#[test]
fn undefined_values_are_gaps_with_a_note_never_zero() {
    let site = site_with_charts(|root| {
        // Q1 without deals, pipeline, forecast or activities.
        let text = "period: 2026-Q1\npeople:\n  ann-lee: {quota: 1000, closed_won: 500}\n  ben-cole: {quota: 1000, closed_won: 900}\n  cal-dunn: {quota: 1000, closed_won: 1200}\n";
        std::fs::write(root.join("content/performance/2026-Q1.yaml"), text).unwrap();
        std::fs::write(
            root.join("content/performance/2026-Q2/cal-dunn.yaml"),
            "quota: 1000\nclosed_won: 100\n",
        )
        .unwrap();
    });
    let figures = every_kind(&site);
    for figure in &figures {
        check_svg(figure);
    }
    // Coverage over the last two periods: no pipeline in Q1 → a gap and a note.
    assert!(
        figures[3].contains("no value for Q1 2026 (shown as a gap)"),
        "{}",
        figures[3]
    );
    // Win rate by team: South decided deals only through Dee in Q2, North has its own.
    let by_team = &figures[1];
    assert!(!by_team.contains("NaN"));
    // Cal's funnel-less record leaves Ann's funnel intact.
    assert!(figures[6].contains("Calls"), "{}", figures[6]);
}

/// Widths of the filled bars of a horizontal bar chart, top to bottom.
fn bar_widths(svg: &str) -> Vec<f64> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let mut bars: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter(|n| {
            n.attribute("fill")
                .is_some_and(|f| f != "none" && f != "#FFFFFF")
        })
        .filter_map(|n| {
            Some((
                n.attribute("y")?.parse().ok()?,
                n.attribute("width")?.parse().ok()?,
            ))
        })
        .collect();
    bars.sort_by(|a, b| a.0.total_cmp(&b.0));
    bars.into_iter().map(|(_, w)| w).collect()
}

#[test]
fn bar_lengths_are_proportional_to_the_data() {
    let site = site_with_charts(|_| {});
    let figure = &every_kind(&site)[0];
    // Q2 attainment, highest first: Ben 120%, Ann 110%, Cal 80%, Dee 25%.
    let widths = bar_widths(svg_of(figure));
    assert_eq!(widths.len(), 4, "{widths:?}");
    let expected = [1.2, 1.1, 0.8, 0.25];
    for (width, value) in widths.iter().zip(expected) {
        let ratio = width / widths[0];
        assert!(
            (ratio - value / expected[0]).abs() < 0.01,
            "{widths:?} against {expected:?}"
        );
    }
}

#[test]
fn the_same_input_gives_byte_identical_svg() {
    let a = site_with_charts(|_| {});
    let b = site_with_charts(|_| {});
    assert_eq!(
        a.page("reports/every-kind/index.html"),
        b.page("reports/every-kind/index.html")
    );
}

#[test]
fn coaching_charts_stay_out_of_the_team_build() {
    let site = site_with_charts_for(Audience::Team, |_| {});
    let page = site.main("reports/every-kind/index.html");
    assert_eq!(figures(&page).len(), 8);
    assert!(page.contains("appears only in the managers' edition"));
    assert!(!page.contains("Skills assessment for"));
}

#[test]
fn a_bad_chart_block_fails_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let report = "---\ntitle: Broken\n---\nIntro.\n\n```chart\nkind: pie\n```\n\n```chart\nkind: bar\nmetric: winrate\n```\n\n```chart\nkind: line\nteam: nobody\n```\n\n```chart\nkind: bar\nperiods: 2030-Q1\n```\n\n```chart\nkind: [\n```\n";
    std::fs::write(dir.path().join("content/reports/broken.md"), report).unwrap();
    let sink = bullpen::render::MemorySink::default();
    let Err(Error::Content(errors)) =
        bullpen::pipeline::render(dir.path(), Audience::Team, None, &sink)
    else {
        panic!("a bad chart block must fail the build");
    };
    let at = |line: usize, text: &str| {
        assert!(
            errors
                .iter()
                .any(|e| e.file == Path::new("content/reports/broken.md")
                    && e.line == Some(line)
                    && e.message.contains(text)),
            "expected `{text}` at line {line}: {errors:#?}"
        )
    };
    // Each at the line inside its block that is wrong, not the fence.
    at(7, "`pie` is not a chart kind");
    at(12, "`winrate` is not a metric");
    at(17, "`team: nobody` is not a person");
    at(22, "no figures for the period `2030-Q1`");
    at(26, "the chart spec is not valid");
    // And at the column of the value.
    assert!(
        errors
            .iter()
            .any(|e| e.line == Some(12) && e.column == Some(9)),
        "{errors:#?}"
    );
}
