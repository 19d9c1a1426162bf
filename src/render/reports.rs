//! Render stage: free-form report pages and their index. Entry: [`pages`].

use super::site::{period_path, report_path};
use super::{Ctx, Page, Planned, Subject};
use crate::model::Report;
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

/// The reports index and a page per report.
pub fn plan<'c>(ctx: &'c Ctx) -> Vec<Planned<'c>> {
    let visible: Vec<&'c Report> = ctx
        .model
        .reports
        .iter()
        .filter(|r| ctx.audience.may_see(r.visibility))
        .collect();
    let mut plan = vec![Planned::new(Subject::Reports, move || index(ctx))];
    for report in visible {
        plan.push(Planned::new(Subject::Report(report), move || {
            report_page(ctx, report)
        }));
    }
    plan
}

fn index(ctx: &Ctx) -> Page {
    let visible: Vec<&Report> = ctx
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
    Page::new("reports/", "reports.html", "Reports", "reports", &index)
        .crumbs(&[("Dashboard", ""), ("Reports", "reports/")])
}

fn report_page(ctx: &Ctx, report: &Report) -> Page {
    {
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
        ])
    }
}
