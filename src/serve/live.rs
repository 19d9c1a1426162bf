//! The site `serve` keeps in memory, and its rebuilds: everything on the
//! first build, then only what an edit affects. Entry: [`Live`].
//!
//! - A playbook edit re-reads that file alone, validates it against the
//!   model, re-renders its Markdown, and re-renders the pages that show it:
//!   its own, its neighbours, the index, sections and tags, the coaching
//!   plans and rep pages citing it, the search index and the feed.
//! - A figures edit reloads the model and re-renders the pages that show
//!   figures (dashboards, periods, teams, people, coaching, charts in
//!   Markdown), reusing every other text's rendered Markdown.
//! - Anything else rebuilds the whole site.
//!
//! Nothing is changed until an update has succeeded, so a broken edit
//! leaves the last good site in place.

use crate::error::{self, Diagnostic, Error, Result};
use crate::load::{self, Change, theme::Theme};
use crate::model::Model;
use crate::render::markdown::Rendered;
use crate::render::site::{self, LinkMap};
use crate::render::{self, Ctx, MemorySink, OutputFile, Planned, Renderer, search};
use crate::vocab::Audience;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The images and attachments among the files a rendered text uses.
fn assets_used<'d>(doc: Option<&'d Rendered>, assets: &BTreeSet<&str>) -> BTreeSet<&'d str> {
    doc.into_iter()
        .flat_map(|d| d.uses.iter().map(String::as_str))
        .filter(|file| assets.contains(file))
        .collect()
}

/// The model and everything rendered from it that a rebuild may reuse.
pub struct Live {
    root: PathBuf,
    audience: Audience,
    /// The private folder given by `--private`, for the managers.
    private: Option<PathBuf>,
    model: Model,
    /// What the model was made from, for a figures edit to read only the
    /// files it changed; `None` after a read that failed part way, when the
    /// next figures edit reads everything again.
    sources: Option<crate::pipeline::Sources>,
    theme: Theme,
    docs: BTreeMap<String, Rendered>,
    /// The audience's link map, for rendering.
    links: LinkMap,
    /// Every page's link map, for checking links as `check` does.
    all_links: LinkMap,
    search: search::Index,
    /// The theme's templates, compiled once per theme.
    engine: std::sync::Arc<crate::render::templates::Engine>,
    /// Whether the last update failed: the site served is then behind the
    /// files (the failed edit was never applied), and the next update
    /// rebuilds everything.
    behind: bool,
}

/// What a rebuild produced: the files to serve (all of them, or only the
/// changed ones), and the warnings.
pub struct Update {
    pub files: Vec<OutputFile>,
    /// Whether `files` is the whole site (replacing what was served).
    pub whole: bool,
    /// How many pages were rendered.
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

impl Live {
    /// Loads and renders the whole site.
    pub fn build(root: &Path, audience: Audience) -> Result<(Live, Update)> {
        Live::build_with(root, audience, None)
    }

    /// [`Live::build`] with the private folder given by `--private`: the
    /// managers' preview reads it, the team's never opens it.
    pub fn build_with(
        root: &Path,
        audience: Audience,
        private: Option<&Path>,
    ) -> Result<(Live, Update)> {
        let folder = crate::pipeline::PrivateFolder::for_audience(audience, private);
        let mut sources = crate::pipeline::read_sources(root, folder)?;
        let (model, mut warnings) = sources.model()?;
        let theme = load::theme::load_theme(root, &model.site.theme)?;
        let sink = MemorySink::default();
        let summary = render::render(render::Input {
            model: &model,
            theme: &theme,
            audience,
            product: render::Product::Site,
            sink: &sink,
        })?;
        let kept = summary.kept;
        warnings.extend(summary.warnings);
        let live = Live {
            root: root.to_path_buf(),
            audience,
            private: private.map(Path::to_path_buf),
            all_links: site::link_map(&model, Audience::Managers),
            model,
            sources: Some(sources),
            theme,
            docs: kept.docs,
            links: kept.links,
            search: kept.search,
            engine: kept.engine,
            behind: false,
        };
        let update = Update {
            files: sink.into_files(),
            whole: true,
            pages: summary.pages,
            warnings: error::sorted(warnings),
        };
        Ok((live, update))
    }

    /// Rebuilds after `changed` files (relative to the site root) changed.
    /// On an error nothing changes: the caller keeps serving the last site.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update> {
        if self.behind {
            let (live, update) =
                Live::build_with(&self.root, self.audience, self.private.as_deref())?;
            *self = live;
            return Ok(update);
        }
        let result = self.apply(changed);
        self.behind = result.is_err();
        result
    }

    /// [`Live::update`] when the site served is up to date with the files
    /// but for `changed`.
    fn apply(&mut self, changed: &[PathBuf]) -> Result<Update> {
        // A file of the private folder is read only by a whole rebuild,
        // which lays the folder over content/ again.
        let changes: Vec<Change> = changed
            .iter()
            .map(|f| match f.starts_with(crate::serve::PRIVATE) {
                true => Change::Other,
                false => load::change_of(f),
            })
            .collect();
        if changes.iter().all(|c| matches!(c, Change::Playbook(_)))
            && let Some(update) = self.playbooks(changed)?
        {
            return Ok(update);
        }
        if changes.iter().all(|c| *c == Change::Figures) {
            return self.figures(changed);
        }
        let (live, update) = Live::build_with(&self.root, self.audience, self.private.as_deref())?;
        *self = live;
        Ok(update)
    }

    /// Edited playbooks, when each was a playbook already and keeps its
    /// visibility; `None` when the change needs a whole rebuild.
    fn playbooks(&mut self, changed: &[PathBuf]) -> Result<Option<Update>> {
        // Until the edit has gone through, what was read is not what is on
        // disk: a figures edit meanwhile reads everything, and so reports
        // a broken playbook again.
        let kept_sources = self.sources.take();
        let mut edited = Vec::new();
        let mut read = Vec::new();
        let mut diagnostics = Vec::new();
        for file in changed {
            if !self.root.join(file).is_file() {
                return Ok(None); // deleted or renamed: pages come and go
            }
            let doc = match load::read_playbook(&self.root, file, &self.model.site.limits) {
                Ok(doc) => doc,
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    continue;
                }
            };
            let Some(index) = self
                .model
                .playbooks
                .iter()
                .position(|p| p.file_path == doc.path)
            else {
                return Ok(None); // a new playbook
            };
            let (playbook, found) = crate::model::playbooks::revalidate(&doc, &self.model);
            diagnostics.extend(found);
            if let Some(playbook) = playbook {
                let key = render::content_key(&playbook.body.file);
                diagnostics.extend(render::check_text(
                    &self.model,
                    &self.all_links,
                    &key,
                    &playbook.body,
                    &crate::prose::Page {
                        period: None,
                        visibility: playbook.visibility,
                    },
                ));
                if playbook.visibility != self.model.playbooks[index].visibility {
                    return Ok(None); // it joins or leaves this audience's pages
                }
                edited.push((index, playbook));
            }
            read.push(doc);
        }
        let diagnostics = error::sorted(diagnostics);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Content(diagnostics));
        }

        // Valid: apply, render what shows these playbooks, and put the
        // previous playbooks and their Markdown back if rendering fails.
        let mut paths = BTreeSet::new();
        let mut sources = Vec::new();
        let mut replaced = Vec::new();
        for (index, playbook) in edited {
            paths.insert(playbook.path.clone());
            if self.audience.may_see(playbook.visibility) {
                sources.push(site::MarkdownSource {
                    key: render::content_key(&playbook.body.file),
                    text: std::borrow::Cow::Owned(playbook.body.clone()),
                    page: site::playbook_path(&playbook.path),
                    drop_title: playbook.title_from_heading,
                    figures: crate::prose::Page {
                        period: None,
                        visibility: playbook.visibility,
                    },
                });
            }
            replaced.push((
                index,
                std::mem::replace(&mut self.model.playbooks[index], playbook),
            ));
        }
        let mut previous_docs = Vec::new();
        let result =
            self.render_playbooks(&paths, &replaced, sources, diagnostics, &mut previous_docs);
        // Undone on an error, and when a whole rebuild follows (which keeps
        // the current site if it fails).
        if !matches!(result, Ok(Some(_))) {
            for (key, doc) in previous_docs {
                match doc {
                    Some(doc) => self.docs.insert(key, doc),
                    None => self.docs.remove(&key),
                };
            }
            for (index, playbook) in replaced {
                self.model.playbooks[index] = playbook;
            }
        } else if let Some(mut kept) = kept_sources {
            // What a later figures edit makes the model from.
            if read.into_iter().all(|doc| kept.replace_playbook(doc)) {
                self.sources = Some(kept);
            }
        }
        result
    }

    /// Renders the pages that show the playbooks at `paths` (already in the
    /// model), recording in `previous_docs` the Markdown each new rendering
    /// replaced so that the caller can undo a failure; `previous_playbooks`
    /// are the edited playbooks as they were (by index), which tell whether
    /// the lists of playbooks changed. The search index is changed only
    /// once every page has rendered.
    fn render_playbooks(
        &mut self,
        paths: &BTreeSet<String>,
        previous_playbooks: &[(usize, crate::model::Playbook)],
        sources: Vec<site::MarkdownSource<'_>>,
        diagnostics: Vec<Diagnostic>,
        previous_docs: &mut Vec<(String, Option<Rendered>)>,
    ) -> Result<Option<Update>> {
        let mut ctx = Ctx::new(&self.model, self.audience, std::mem::take(&mut self.docs));
        let rendered = render::render_docs(&ctx, &self.engine, &self.links, sources);
        let (docs, warnings) = match rendered {
            Ok(done) => done,
            Err(err) => {
                self.docs = std::mem::take(&mut ctx.docs);
                return Err(err);
            }
        };
        // The team build carries only the images and attachments its pages
        // use: when an edit changes which, files come or go, not only pages.
        if self.audience == Audience::Team {
            let assets: BTreeSet<&str> =
                self.model.assets.iter().map(|a| a.path.as_str()).collect();
            if docs.iter().any(|(key, doc)| {
                assets_used(Some(doc), &assets) != assets_used(ctx.docs.get(key), &assets)
            }) {
                self.docs = std::mem::take(&mut ctx.docs);
                return Ok(None);
            }
        }
        for (key, doc) in docs {
            let old = ctx.docs.insert(key.clone(), doc);
            previous_docs.push((key, old));
        }
        let result = (|| {
            let renderer = Renderer::with_engine(&ctx, &self.theme, self.engine.clone());
            let plan = render::plan(&ctx);
            // The lists of playbooks are drawn again only when an edit
            // changed what they show of a playbook (its title, summary,
            // tags, owner, stage or place), not for an edit of its text.
            let lists_changed = previous_playbooks.iter().any(|(index, before)| {
                let after = &ctx.model.playbooks[*index];
                render::playbooks::as_listed(&ctx, before)
                    != render::playbooks::as_listed(&ctx, after)
            });
            let showing: Vec<&Planned> = plan
                .iter()
                .filter(|p| {
                    let shows = p.subject.shows(&ctx);
                    shows.playbooks.iter().any(|path| paths.contains(path))
                        || (shows.playbook_list && lists_changed)
                })
                .collect();
            let sink = MemorySink::default();
            renderer.pages(showing.par_iter().copied(), &sink)?;
            let pages = showing.len();
            for playbook in ctx
                .model
                .playbooks
                .iter()
                .filter(|p| paths.contains(&p.path))
            {
                self.search.replace(search::playbook_entry(&ctx, playbook));
            }
            let mut files = sink.into_files();
            files.extend(self.search.files());
            files.push(renderer.feed());
            Ok(Update {
                files,
                whole: false,
                pages,
                warnings: error::sorted(diagnostics.into_iter().chain(warnings).collect()),
            })
        })();
        self.docs = std::mem::take(&mut ctx.docs);
        result.map(Some)
    }

    /// Edited figures files (`changed`): read them again, and re-render
    /// the pages that show the figures they changed.
    fn figures(&mut self, changed: &[PathBuf]) -> Result<Update> {
        // Only the edited files are read again, when that will do; else
        // everything is (and a failure there leaves nothing to trust).
        let reread = self.sources.take().and_then(|mut sources| {
            sources
                .reread_figures(&self.root, changed)
                .then_some(sources)
        });
        let sources = match reread {
            Some(sources) => self.sources.insert(sources),
            None => {
                let folder = crate::pipeline::PrivateFolder::for_audience(
                    self.audience,
                    self.private.as_deref(),
                );
                self.sources
                    .insert(crate::pipeline::read_sources(&self.root, folder)?)
            }
        };
        let (model, warnings) = sources.model()?;
        // What every page of figures reads (the org chart's index, which
        // columns have data) is made while what changed is worked out.
        let mut ctx = Ctx::new(&model, self.audience, BTreeMap::new());
        let ((same_pages, reach), ()) = rayon::join(
            || {
                (
                    site::link_map(&model, self.audience) == self.links,
                    render::Reach::between(&self.model, &model),
                )
            },
            || ctx.prepare(),
        );
        if !same_pages {
            drop(ctx);
            let (live, update) =
                Live::build_with(&self.root, self.audience, self.private.as_deref())?;
            *self = live;
            return Ok(update);
        }
        let Some(reach) = reach else {
            // Nothing shown changed (a comment, the order of records).
            drop(ctx);
            self.model = model;
            return Ok(Update {
                files: Vec::new(),
                whole: false,
                pages: 0,
                warnings,
            });
        };
        // Markdown with chart blocks is drawn again; the rest is reused.
        let charted: Vec<_> = site::markdown_sources(&model, self.audience)
            .into_iter()
            .filter(|source| {
                self.docs
                    .get(&source.key)
                    .is_some_and(Rendered::shows_figures)
            })
            .collect();
        let (charts, more) = render::render_docs(&ctx, &self.engine, &self.links, charted)?;
        // Borrowed for this render and given back whatever its outcome; the
        // texts with charts are replaced only when it succeeds.
        ctx.docs = std::mem::take(&mut self.docs);
        let previous: Vec<(String, Rendered)> = charts
            .into_iter()
            .filter_map(|(key, doc)| Some((key.clone(), ctx.docs.insert(key, doc)?)))
            .collect();
        let rendered = (|| {
            let renderer = Renderer::with_engine(&ctx, &self.theme, self.engine.clone());
            let plan = render::plan(&ctx);
            let showing: Vec<&Planned> = plan
                .iter()
                .filter(|p| p.subject.shows(&ctx).figures.touched_by(&reach))
                .collect();
            let sink = MemorySink::default();
            renderer.pages(showing.par_iter().copied(), &sink)?;
            let pages = showing.len();
            Ok((sink, pages))
        })();
        self.docs = std::mem::take(&mut ctx.docs);
        drop(ctx);
        let (sink, pages) = match rendered {
            Ok(done) => done,
            Err(err) => {
                self.docs.extend(previous);
                return Err(err);
            }
        };
        self.model = model;
        Ok(Update {
            files: sink.into_files(),
            whole: false,
            pages,
            warnings: error::sorted(warnings.into_iter().chain(more).collect()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The small fixture with a theme whose playbook page fails to render
    /// for a playbook titled `BOOM`: validation passes, rendering does not.
    fn site_with_a_fragile_theme() -> tempfile::TempDir {
        let dir = crate::text::tests_support::small_fixture_copy();
        let templates = dir.path().join("themes/acme/templates");
        std::fs::create_dir_all(&templates).unwrap();
        let page = crate::embedded::theme_files()
            .into_iter()
            .find(|(path, _)| path == "templates/playbook.html")
            .map(|(_, bytes)| String::from_utf8(bytes.to_vec()).unwrap())
            .unwrap()
            .replacen(
                "{% block content %}",
                "{% block content %}{% if data.title == \"BOOM\" %}{{ throw(message=\"refused\") }}{% endif %}",
                1,
            );
        std::fs::write(templates.join("playbook.html"), page).unwrap();
        dir
    }

    #[test]
    fn a_failed_render_leaves_the_model_and_the_markdown_as_they_were() {
        let site = site_with_a_fragile_theme();
        let file = PathBuf::from("content/playbooks/basics/first-call.md");
        let (mut live, _) = Live::build(site.path(), Audience::Team).unwrap();
        let key = render::content_key(&file);
        let before = live.docs.get(&key).map(|d| d.html.clone());
        assert!(before.is_some(), "the playbook's Markdown is kept");

        let path = site.path().join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let broken = text
            .replace("title: First call", "title: BOOM")
            .replace("Set the agenda", "Set the new agenda");
        std::fs::write(&path, &broken).unwrap();
        assert!(live.update(std::slice::from_ref(&file)).is_err());

        let playbook = live
            .model
            .playbooks
            .iter()
            .find(|p| p.title == "First call" || p.title == "BOOM")
            .unwrap();
        assert_eq!(playbook.title, "First call", "the model is unchanged");
        let after = live.docs.get(&key).map(|d| d.html.clone());
        assert_eq!(after, before, "the rendered Markdown is unchanged");
        assert!(!after.unwrap().contains("new agenda"));

        // A good edit afterwards goes through as usual.
        std::fs::write(&path, text.replace("Set the agenda", "Set the new agenda")).unwrap();
        let update = live.update(std::slice::from_ref(&file)).unwrap();
        let page = update
            .files
            .iter()
            .find(|f| f.path == "playbooks/basics/first-call/index.html")
            .expect("the playbook page is rendered again");
        assert!(String::from_utf8_lossy(&page.bytes).contains("new agenda"));
    }
}
