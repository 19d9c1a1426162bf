//! Model stage: the site's settings from `content/site.yaml`, checked and
//! with defaults filled in. Entry: [`site`].

use super::{PeriodKind, Site};
use crate::error::Diagnostic;
use crate::load::Located;
use crate::load::raw::{RawNamedBy, RawSite};
use crate::vocab::period::Calendar;

/// The checked settings, with defaults for what site.yaml leaves out.
pub fn site(doc: &Located<RawSite>, diagnostics: &mut Vec<Diagnostic>) -> Site {
    let raw = &doc.value;
    let fiscal_year_start = raw.fiscal_year_start.unwrap_or(1);
    if !(1..=12).contains(&fiscal_year_start) {
        diagnostics.push(doc.error(
            &["fiscal_year_start"],
            "expected the month the fiscal year starts in, 1 to 12",
        ));
    }
    let ramp_threshold = raw.ramp_threshold.unwrap_or(1.0);
    if !(ramp_threshold > 0.0 && ramp_threshold <= super::bounds::MAX_ATTAINMENT) {
        diagnostics.push(doc.error(
            &["ramp_threshold"],
            format!(
                "`ramp_threshold` is {}; expected above 0 and at most {}, like 1.0 for 100% of quota",
                super::bounds::number(ramp_threshold),
                super::bounds::MAX_ATTAINMENT
            ),
        ));
    }
    let max_days_between = check_sizes_and_days(doc, diagnostics);
    let currency = raw
        .currency
        .clone()
        .unwrap_or_else(|| "USD".into())
        .to_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        diagnostics.push(doc.error(
            &["currency"],
            "expected an ISO 4217 currency code, like USD or EUR",
        ));
    }
    let base_url = check_addresses(doc, diagnostics);
    let theme = raw.theme.clone().unwrap_or_else(|| "default".into());
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        diagnostics.push(doc.error(&["theme"], "expected the name of a folder under themes/"));
    }
    Site {
        title: raw.title.clone(),
        description: raw.description.clone(),
        base_url,
        currency,
        period_kind: raw.period.unwrap_or(PeriodKind::Quarter),
        calendar: Calendar::new(
            fiscal_year_start,
            raw.fiscal_year_named_by == Some(RawNamedBy::End),
        ),
        ramp_threshold,
        review_every_days: raw.review_every_days.unwrap_or(180),
        theme,
        team_leaderboard: raw.team_leaderboard.unwrap_or(true),
        rep_pages: super::build::visibility(raw.rep_pages),
        repo_url: raw
            .repo_url
            .as_ref()
            .map(|u| u.trim_end_matches('/').to_string()),
        repo_branch: raw.repo_branch.clone().unwrap_or_else(|| "main".into()),
        limits: crate::load::limits::Limits::from_raw(raw.limits.as_ref()),
        coaching_max_days_between: max_days_between,
        links_outside: links_outside(doc, diagnostics),
        links_base: links_base(doc, diagnostics),
        links_missing_warn: raw.links.as_ref().and_then(|l| l.missing)
            == Some(crate::load::raw::RawMissing::Warn),
    }
}

/// `links.base`: a path from the old site's root, like `/handbook/sales/`,
/// starting and ending with `/`.
fn links_base(doc: &Located<RawSite>, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let base = doc.value.links.as_ref()?.base.as_ref()?;
    if !base.starts_with('/') || base.starts_with("//") || base.contains(['?', '#', '\\']) {
        diagnostics.push(doc.error(
            &["links", "base"],
            format!("`links.base` must be a path from the old site's root, like /handbook/sales/, but `{base}` is not"),
        ));
        return None;
    }
    let mut base = base.clone();
    if !base.ends_with('/') {
        base.push('/');
    }
    Some(base)
}

/// `links.outside`: an http(s) address, ending with `/`.
fn links_outside(doc: &Located<RawSite>, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let outside = doc.value.links.as_ref()?.outside.as_ref()?;
    if let Err(reason) = crate::text::check_web_address(outside) {
        diagnostics.push(doc.error(
            &["links", "outside"],
            format!("`links.outside` must be an absolute http:// or https:// address, like https://handbook.example.com/, but `{outside}` is not: {reason}"),
        ));
        return None;
    }
    let mut outside = outside.clone();
    if !outside.ends_with('/') {
        outside.push('/');
    }
    Some(outside)
}

/// The size limits and day counts of site.yaml, each within its range.
/// Returns `coaching.max_days_between` (default 30).
fn check_sizes_and_days(doc: &Located<RawSite>, diagnostics: &mut Vec<Diagnostic>) -> u32 {
    let raw = &doc.value;
    if let Some(limits) = &raw.limits {
        use crate::load::limits::{MAX_DEALS_FILE_MB, MAX_FILE_MB};
        let sizes = [
            ("max_file_mb", limits.max_file_mb, MAX_FILE_MB),
            (
                "max_deals_file_mb",
                limits.max_deals_file_mb,
                MAX_DEALS_FILE_MB,
            ),
        ];
        for (field, value, most) in sizes {
            let Some(value) = value else { continue };
            super::bounds::check(
                doc.spot(),
                &[super::bounds::Bound {
                    path: &["limits", field],
                    value: f64::from(value),
                    low: 1.0,
                    high: f64::from(most),
                    unit: "MiB",
                }],
                diagnostics,
            );
        }
    }
    let max_days_between = raw
        .coaching
        .as_ref()
        .and_then(|c| c.max_days_between)
        .unwrap_or(30);
    super::bounds::check(
        doc.spot(),
        &[super::bounds::Bound {
            path: &["coaching", "max_days_between"],
            value: f64::from(max_days_between),
            low: 1.0,
            high: f64::from(super::bounds::MAX_DAYS),
            unit: "days",
        }],
        diagnostics,
    );
    super::bounds::check_review_every_days(doc.spot(), raw.review_every_days, diagnostics);
    max_days_between
}

/// `base_url` and `repo_url` must be http(s) addresses: both end up in the
/// href of links on every page. Returns the base URL, ending with `/`.
fn check_addresses(doc: &Located<RawSite>, diagnostics: &mut Vec<Diagnostic>) -> String {
    let raw = &doc.value;
    let mut base_url = raw.base_url.clone().unwrap_or_else(|| "/".into());
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    // Both end up in the href of links on every page.
    for (field, address) in [("base_url", &raw.base_url), ("repo_url", &raw.repo_url)] {
        if let Some(address) = address
            && let Err(reason) = crate::text::check_web_address(address)
        {
            diagnostics.push(doc.error(
                &[field],
                format!(
                    "`{field}` must be an absolute http:// or https:// address, like https://sales.example.com/, but `{address}` is not: {reason}"
                ),
            ));
        }
    }
    base_url
}
