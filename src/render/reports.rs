//! Render stage: free-form report pages and their index. Entry: [`pages`].

use super::site::{period_path, report_path};
use super::{Ctx, Page};
use serde::Serialize;

#[derive(Serialize)]
struct Card {
    title: String,
    path: String,
    summary: Option<String>,
    period: Option<String>,
}

#[derive(Serialize)]
struct ReportView {
    title: String,
    summary: Option<String>,
    period: Option<String>,
    period_path: Option<String>,
    toc: Vec<super::markdown::TocEntry>,
    body: String,
}

pub fn pages(ctx: &Ctx) -> Vec<Page> {
    let visible: Vec<_> = ctx
        .model
        .reports
        .iter()
        .filter(|r| ctx.audience.may_see(r.visibility))
        .collect();
    #[derive(Serialize)]
    struct Index {
        reports: Vec<Card>,
    }
    let index = Index {
        reports: visible
            .iter()
            .map(|r| Card {
                title: r.title.clone(),
                path: report_path(&r.path),
                summary: r.summary.clone(),
                period: r.period.map(|p| p.label()),
            })
            .collect(),
    };
    let mut pages = vec![
        Page::new("reports/", "reports.html", "Reports", "reports", &index)
            .crumbs(&[("Dashboard", ""), ("Reports", "reports/")]),
    ];
    for report in visible {
        let rendered = ctx.rendered(&report.body.file);
        let path = report_path(&report.path);
        let view = ReportView {
            title: report.title.clone(),
            summary: report.summary.clone(),
            period: report.period.map(|p| p.label()),
            period_path: report
                .period
                .filter(|p| ctx.model.periods.contains(p))
                .map(period_path),
            toc: rendered.map(|r| r.toc.clone()).unwrap_or_default(),
            body: rendered.map(|r| r.html.clone()).unwrap_or_default(),
        };
        pages.push(
            Page::new(
                path.clone(),
                "report.html",
                report.title.clone(),
                "reports",
                &view,
            )
            .crumbs(&[
                ("Dashboard", ""),
                ("Reports", "reports/"),
                (&report.title, &path),
            ]),
        );
    }
    pages
}
