//! Render stage: the site's pages before they are made — what each page is
//! about, its address, and what it shows. Entry: [`plan`].
//!
//! What a page shows of playbooks and figures is what `serve` reads to
//! rebuild only the pages an edit touches. It follows from the page's
//! [`Subject`] in one place, [`Subject::shows`], rather than being declared
//! beside each page; a test renders a site before and after changing each
//! playbook and every figure, and fails on any page that changed without
//! showing what changed.

pub use super::reach::Reach;
use super::site::{coaching_path, period_path, person_path, playbook_path, report_path};
use super::site::{not_found, section_path};
use super::{Ctx, Page, coaching, dashboard, goals, people, playbooks, reports};
use crate::model::{CoachingPlan, Person, Playbook, Report, Section};
use crate::vocab::period::Period;
use std::collections::BTreeSet;

/// What a page of the site is about: its kind and the item it presents.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// The home page: the latest period's dashboard.
    Home,
    /// A period's dashboard.
    Period(Period),
    /// The periods index.
    Periods,
    /// The teams index.
    Teams,
    /// The people directory.
    People,
    /// A rep's page, or a manager's or leader's team page.
    Person(&'a Person),
    /// The playbook index.
    Playbooks,
    /// A section of playbooks (not the top level, which is the index).
    Section(&'a Section),
    /// A playbook, with its neighbours in the same section, which it links to
    /// by title.
    Playbook {
        playbook: &'a Playbook,
        previous: Option<&'a Playbook>,
        next: Option<&'a Playbook>,
    },
    /// The tags page.
    Tags,
    /// The coaching index.
    Coaching,
    /// A coaching plan.
    CoachingPlan(&'a CoachingPlan),
    /// The reports index.
    Reports,
    /// A report.
    Report(&'a Report),
    /// The 404 page.
    NotFound,
}

impl Subject<'_> {
    /// The page's site path: `` for the home page, `people/alice-chen/`,
    /// or `404.html`.
    pub fn path(&self) -> String {
        match self {
            Subject::Home => String::new(),
            Subject::Period(period) => period_path(*period),
            Subject::Periods => "periods/".into(),
            Subject::Teams => "teams/".into(),
            Subject::People => "people/".into(),
            Subject::Person(person) => person_path(&person.id),
            Subject::Playbooks => "playbooks/".into(),
            Subject::Section(section) => section_path(&section.path),
            Subject::Playbook { playbook, .. } => playbook_path(&playbook.path),
            Subject::Tags => "tags/".into(),
            Subject::Coaching => "coaching/".into(),
            Subject::CoachingPlan(plan) => coaching_path(&plan.rep, plan.period),
            Subject::Reports => "reports/".into(),
            Subject::Report(report) => report_path(&report.path),
            Subject::NotFound => "404.html".into(),
        }
    }

    /// What the page shows of playbooks and figures, so that `serve` knows
    /// which pages an edit touches. Saying more than the page shows costs a
    /// needless rebuild; saying less leaves a stale page, which the tests
    /// below catch.
    pub fn shows(&self, ctx: &Ctx) -> Shows {
        // Markdown with chart blocks or quoted figures may show anyone's.
        let charted =
            |file: &std::path::Path| ctx.rendered(file).is_some_and(|r| r.shows_figures());
        let all_if = |charted: bool| match charted {
            true => Whose::All,
            false => Whose::None,
        };
        match *self {
            Subject::Home => match ctx.model.latest_period() {
                Some(latest) => Shows {
                    figures: Whose::Period(latest),
                    ..Shows::default()
                },
                None => Shows::default(),
            },
            Subject::Period(period) => Shows {
                figures: Whose::Period(period),
                ..Shows::default()
            },
            Subject::Periods | Subject::Teams => Shows::figures(),
            Subject::People | Subject::Reports | Subject::NotFound => Shows::default(),
            Subject::Person(person) => Shows {
                figures: match [person.bio.as_ref(), person.private_bio.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|bio| charted(&bio.file))
                {
                    true => Whose::All,
                    false => Whose::Of(person.id.clone()),
                },
                // A rep page shows the goals of the rep's coaching plans.
                playbooks: if ctx.managers() {
                    ctx.model
                        .coaching
                        .iter()
                        .filter(|plan| plan.rep == person.id)
                        .flat_map(goals::skill_playbooks)
                        .map(str::to_string)
                        .collect()
                } else {
                    Vec::new()
                },
                ..Shows::default()
            },
            Subject::Playbooks | Subject::Tags => Shows::playbook_list(),
            Subject::Section(section) => Shows {
                figures: all_if(section.intro.as_ref().is_some_and(|i| charted(&i.file))),
                ..Shows::playbook_list()
            },
            Subject::Playbook {
                playbook,
                previous,
                next,
            } => Shows {
                figures: all_if(charted(&playbook.body.file)),
                playbooks: [Some(playbook), previous, next]
                    .into_iter()
                    .flatten()
                    .map(|p| p.path.clone())
                    .collect(),
                ..Shows::default()
            },
            Subject::Coaching => Shows::figures(),
            Subject::CoachingPlan(plan) => Shows {
                figures: match charted(&plan.body.file) {
                    true => Whose::All,
                    false => Whose::Of(plan.rep.clone()),
                },
                playbooks: goals::skill_playbooks(plan).map(str::to_string).collect(),
                ..Shows::default()
            },
            // A report's charts may show figures.
            Subject::Report(_) => Shows::figures(),
        }
    }
}

/// Whose figures a page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Whose {
    #[default]
    None,
    /// One person's: a rep's own, or a manager's or leader's team (anyone
    /// who reported to them, directly or not, in any period).
    Of(String),
    /// The organisation's, in the periods up to this one: a period's
    /// dashboard.
    Period(Period),
    /// Anyone's: the periods, teams and coaching indexes, reports, and
    /// Markdown with charts or quoted figures.
    All,
}

impl Whose {
    /// Whether the page shows any figures.
    pub fn any(&self) -> bool {
        *self != Whose::None
    }

    /// Whether the page shows figures an edit that reached `reach` changed.
    pub fn touched_by(&self, reach: &Reach) -> bool {
        match (self, reach) {
            (Whose::None, _) => false,
            (_, Reach::All) | (Whose::All, _) => true,
            (Whose::Of(id), Reach::Within { people, .. }) => people.contains(id),
            (Whose::Period(period), Reach::Within { from, .. }) => period >= from,
        }
    }
}

/// What a planned page shows, so `serve` knows which pages an edit touches.
#[derive(Debug, Clone, Default)]
pub struct Shows {
    /// Whose figures: dashboards, periods, teams, rep pages, goals.
    pub figures: Whose,
    /// The list of playbooks: the index, the sections, the tags.
    pub playbook_list: bool,
    /// Playbooks (paths under `playbooks/`) whose text or title it shows.
    pub playbooks: Vec<String>,
}

impl Shows {
    fn figures() -> Shows {
        Shows {
            figures: Whose::All,
            ..Shows::default()
        }
    }

    fn playbook_list() -> Shows {
        Shows {
            playbook_list: true,
            ..Shows::default()
        }
    }

    /// Whether it shows any of the playbooks at `paths` (or their list).
    pub fn any_playbook(&self, paths: &BTreeSet<String>) -> bool {
        self.playbook_list || self.playbooks.iter().any(|p| paths.contains(p))
    }
}

/// A page of the site before it is built: what it is about, where it goes,
/// and how to make its data. Making is deferred, so a build holds only the
/// pages being rendered at the moment, and `serve` can rebuild just the
/// pages an edit affects.
pub struct Planned<'c> {
    pub subject: Subject<'c>,
    /// The subject's site path.
    pub path: String,
    make: Box<dyn Fn() -> Page + Send + Sync + 'c>,
}

impl<'c> Planned<'c> {
    pub fn new(subject: Subject<'c>, make: impl Fn() -> Page + Send + Sync + 'c) -> Planned<'c> {
        Planned {
            path: subject.path(),
            subject,
            make: Box::new(make),
        }
    }

    pub fn make(&self) -> Page {
        (self.make)()
    }
}

/// Every page of the site for the context's audience, in a fixed order.
pub fn plan<'c>(ctx: &'c Ctx) -> Vec<Planned<'c>> {
    let mut plan = Vec::new();
    plan.extend(dashboard::plan(ctx));
    plan.extend(people::plan(ctx));
    plan.extend(playbooks::plan(ctx));
    plan.push(Planned::new(Subject::Tags, move || {
        playbooks::tags_page(ctx)
    }));
    plan.extend(coaching::plan(ctx));
    plan.extend(reports::plan(ctx));
    plan.push(Planned::new(Subject::NotFound, not_found));
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{MemorySink, Renderer, render_docs, site};
    use crate::vocab::Audience;
    use rayon::prelude::*;
    use std::collections::BTreeMap;
    use std::path::Path;

    /// The name of a subject's kind, for checking that a test covers them all.
    fn kind(subject: &Subject) -> &'static str {
        match subject {
            Subject::Home => "home",
            Subject::Period(_) => "period",
            Subject::Periods => "periods",
            Subject::Teams => "teams",
            Subject::People => "people",
            Subject::Person(_) => "person",
            Subject::Playbooks => "playbooks",
            Subject::Section(_) => "section",
            Subject::Playbook { .. } => "playbook",
            Subject::Tags => "tags",
            Subject::Coaching => "coaching",
            Subject::CoachingPlan(_) => "coaching plan",
            Subject::Reports => "reports",
            Subject::Report(_) => "report",
            Subject::NotFound => "not found",
        }
    }

    /// Every kind of [`Subject`]: a new kind fails the coverage test until
    /// it is named here and the site below has a page of it.
    const KINDS: [&str; 15] = [
        "home",
        "period",
        "periods",
        "teams",
        "people",
        "person",
        "playbooks",
        "section",
        "playbook",
        "tags",
        "coaching",
        "coaching plan",
        "reports",
        "report",
        "not found",
    ];

    const CHART: &str =
        "\n\n```chart\nkind: bar\nmetric: attainment\nby: rep\nperiods: 2026-Q2\n```\n";

    /// The small fixture, with chart blocks in a playbook, a section's
    /// introduction and a person's bio, so that Markdown shows figures too.
    fn site_with_charts() -> tempfile::TempDir {
        let dir = crate::text::tests_support::small_fixture_copy();
        let content = dir.path().join("content");
        for file in [
            "playbooks/basics/second-call.md",
            "playbooks/basics/_index.md",
        ] {
            append(&content.join(file), CHART);
        }
        let person = content.join("people/ann-lee.yaml");
        let record = std::fs::read_to_string(&person).unwrap();
        std::fs::remove_file(&person).unwrap();
        std::fs::write(
            person.with_extension("md"),
            format!("---\n{record}---\nAnn's bio.{CHART}"),
        )
        .unwrap();
        dir
    }

    fn append(file: &Path, text: &str) {
        let mut whole = std::fs::read_to_string(file).unwrap();
        whole.push_str(text);
        std::fs::write(file, whole).unwrap();
    }

    type Pages = BTreeMap<String, (Vec<u8>, Shows, &'static str)>;

    /// Every page of the site at `root` for `audience`: its HTML and what
    /// it says it shows, by site path.
    fn pages(root: &Path, audience: Audience) -> Pages {
        pages_and_model(root, audience).0
    }

    /// [`pages`], and the model they were made from.
    fn pages_and_model(root: &Path, audience: Audience) -> (Pages, crate::model::Model) {
        let (model, _) = crate::pipeline::load_model(root).unwrap();
        let theme = crate::load::theme::load_theme(root, &model.site.theme).unwrap();
        let links = site::link_map(&model, audience);
        let mut ctx = Ctx::new(&model, audience, BTreeMap::new());
        let engine = crate::render::templates::engine(&theme).unwrap();
        ctx.docs = render_docs(
            &ctx,
            &engine,
            &links,
            site::markdown_sources(&model, audience),
        )
        .unwrap()
        .0;
        let renderer = Renderer::new(&ctx, &theme).unwrap();
        let plan = plan(&ctx);
        let sink = MemorySink::default();
        renderer.pages(plan.par_iter(), &sink).unwrap();
        let mut html: BTreeMap<String, Vec<u8>> = sink
            .into_files()
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect();
        let pages = plan
            .iter()
            .map(|page| {
                let bytes = html.remove(&super::super::output_path(&page.path)).unwrap();
                let shows = page.subject.shows(&ctx);
                (page.path.clone(), (bytes, shows, kind(&page.subject)))
            })
            .collect();
        drop(plan);
        drop(renderer);
        drop(ctx);
        (pages, model)
    }

    /// The pages that differ between two renders of a site.
    fn changed<'a>(before: &Pages, after: &'a Pages) -> Vec<(&'a String, &'a Shows)> {
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>(),
            "the edit keeps every page"
        );
        after
            .iter()
            .filter(|(path, (bytes, ..))| before[*path].0 != *bytes)
            .map(|(path, (_, shows, _))| (path, shows))
            .collect()
    }

    #[test]
    fn the_test_site_has_a_page_of_every_kind() {
        let site = site_with_charts();
        let pages = pages(site.path(), Audience::Managers);
        let found: BTreeSet<&str> = pages.values().map(|(.., kind)| *kind).collect();
        assert_eq!(found, KINDS.into_iter().collect::<BTreeSet<_>>());
        // The chart blocks drew: the playbook and section say they show figures.
        for path in ["playbooks/basics/second-call/", "playbooks/basics/"] {
            assert_eq!(pages[path].1.figures, Whose::All, "{path}");
        }
        assert!(!pages["playbooks/basics/first-call/"].1.figures.any());
        // Ann's bio has a chart: her page may show anyone's figures.
        assert_eq!(pages["people/ann-lee/"].1.figures, Whose::All);
        assert_eq!(
            pages["people/ben-cole/"].1.figures,
            Whose::Of("ben-cole".into())
        );
    }

    #[test]
    fn every_page_a_playbook_edit_changes_says_it_shows_that_playbook() {
        for audience in [Audience::Team, Audience::Managers] {
            let site = site_with_charts();
            let before = pages(site.path(), audience);
            let folder = site.path().join("content/playbooks/basics");
            for name in ["first-call", "second-call"] {
                let file = folder.join(format!("{name}.md"));
                let text = std::fs::read_to_string(&file).unwrap();
                let edited = text.replacen("title: ", "title: Edited ", 1).replacen(
                    "summary: ",
                    "summary: Edited ",
                    1,
                ) + "\n\nAn edited paragraph.\n";
                std::fs::write(&file, &edited).unwrap();
                let after = pages(site.path(), audience);
                std::fs::write(&file, &text).unwrap();

                let path = format!("basics/{name}");
                let changed = changed(&before, &after);
                assert!(
                    changed.iter().any(|(page, _)| page.contains(name)),
                    "{audience:?}: the edit shows on the playbook's page"
                );
                for (page, shows) in changed {
                    assert!(
                        shows.any_playbook(&BTreeSet::from([path.clone()])),
                        "{audience:?}: {page} changed with {path} but does not say it shows it: {shows:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_page_a_figures_edit_changes_says_it_shows_figures() {
        for audience in [Audience::Team, Audience::Managers] {
            let site = site_with_charts();
            let before = pages(site.path(), audience);
            // Every figure of every record grows (`quota: 5` → `quota: 15`).
            let performance = site.path().join("content/performance");
            for entry in walkdir::WalkDir::new(&performance) {
                let entry = entry.unwrap();
                if !entry.file_type().is_file() {
                    continue;
                }
                let text = std::fs::read_to_string(entry.path()).unwrap();
                let mut edited = String::new();
                for (index, piece) in text.split(": ").enumerate() {
                    if index > 0 {
                        edited.push_str(": ");
                        if piece.starts_with(|c: char| c.is_ascii_digit())
                            && !edited.ends_with("period: ")
                        {
                            edited.push('1');
                        }
                    }
                    edited.push_str(piece);
                }
                std::fs::write(entry.path(), edited).unwrap();
            }
            let after = pages(site.path(), audience);
            let changed = changed(&before, &after);
            assert!(
                changed.iter().any(|(page, _)| page.is_empty()),
                "{audience:?}: the edit shows on the home page"
            );
            for (page, shows) in changed {
                assert!(
                    shows.figures.any(),
                    "{audience:?}: {page} changed with the figures but does not say it shows them"
                );
            }
        }
    }

    /// Each record of the small site, one at a time: its file, and the
    /// file with one figure of that record grown (`quota: 5` → `quota: 15`).
    fn one_record_edits(root: &Path) -> Vec<(std::path::PathBuf, String, String)> {
        let performance = root.join("content/performance");
        let mut edits = Vec::new();
        for entry in walkdir::WalkDir::new(&performance).sort_by_file_name() {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            // A period file has a record per line under `people:`; a
            // person's record file is one record.
            let records: Vec<usize> = match text.contains("people:") {
                true => text.match_indices("\n  ").map(|(at, _)| at + 1).collect(),
                false => vec![0],
            };
            for start in records {
                let number = start
                    + text[start..]
                        .find(|c: char| c.is_ascii_digit())
                        .expect("a record has a figure");
                let mut edited = text.clone();
                edited.insert(number, '1');
                edits.push((entry.path().to_path_buf(), text.clone(), edited));
            }
        }
        edits
    }

    #[test]
    fn every_page_an_edit_of_one_record_changes_is_one_that_edit_reaches() {
        for audience in [Audience::Team, Audience::Managers] {
            let site = site_with_charts();
            let (before, model) = pages_and_model(site.path(), audience);
            let edits = one_record_edits(site.path());
            assert!(edits.len() >= 8, "the site has records to edit: {edits:?}");
            for (file, text, edited) in edits {
                std::fs::write(&file, &edited).unwrap();
                let (after, edited_model) = pages_and_model(site.path(), audience);
                std::fs::write(&file, &text).unwrap();

                let reach = Reach::between(&model, &edited_model).expect("a figure changed");
                let Reach::Within { people, .. } = &reach else {
                    panic!("{file:?}: one record's edit reaches every page: {reach:?}");
                };
                let changed = changed(&before, &after);
                assert!(
                    changed.iter().any(|(page, _)| page.starts_with("people/")
                        && people.iter().any(|id| page.contains(id.as_str()))),
                    "{audience:?} {file:?}: the edit shows on a person's page"
                );
                for (page, shows) in changed {
                    assert!(
                        shows.figures.touched_by(&reach),
                        "{audience:?}: {page} changed with {file:?}, which reached {reach:?}, but says it shows {:?}",
                        shows.figures
                    );
                }
            }
        }
    }
}
