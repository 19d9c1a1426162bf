//! Load stage: reads `content/` into raw, located documents. Entry: [`load`].
//!
//! Every file is classified by where it sits (the layout the README gives
//! under "The content"), read as UTF-8 (a BOM and CRLF accepted), split
//! into front matter and body, and deserialized into a `Raw*` type. Files
//! of no known kind are reported; dotfiles are ignored. Nothing is validated against other files here.

pub mod frontmatter;
pub mod history;
pub mod import;
pub mod limits;
mod pieces;
pub mod private;
pub mod raw;
pub mod theme;
pub mod yaml;

use crate::error::{Diagnostic, Error, Position, Result};
use raw::*;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use yaml::YamlSource;

/// A deserialized YAML document (a whole file or a front-matter block),
/// kept with its source so later stages can point into it.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The file, relative to the site root (`content/people/alice-chen.yaml`).
    pub file: PathBuf,
    pub yaml: String,
    /// The file line the YAML starts on.
    pub yaml_line: usize,
    pub value: T,
}

impl<T> Located<T> {
    /// Where the value of a key path sits in the file.
    pub fn locate(&self, path: &[&str]) -> Option<Position> {
        self.spot().locate(path)
    }

    /// An error about the field at `path`.
    pub fn error(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        self.spot().error(path, message)
    }

    /// A warning about the field at `path`.
    pub fn warning(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        self.spot().warning(path, message)
    }

    /// The source without the value, for pointing into the file.
    pub fn spot(&self) -> Spot<'_> {
        Spot {
            file: &self.file,
            yaml: &self.yaml,
            yaml_line: self.yaml_line,
        }
    }
}

/// A borrowed view of a YAML source: enough to point at a line in it.
#[derive(Debug, Clone, Copy)]
pub struct Spot<'a> {
    pub file: &'a Path,
    pub yaml: &'a str,
    pub yaml_line: usize,
}

impl Spot<'_> {
    pub fn locate(&self, path: &[&str]) -> Option<Position> {
        YamlSource {
            file: self.file,
            text: self.yaml,
            first_line: self.yaml_line,
        }
        .locate(path)
    }

    pub fn error(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, message)
            .at(self.locate(path).or(Some(Position::line(self.yaml_line))))
    }

    pub fn warning(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.file, message)
            .at(self.locate(path).or(Some(Position::line(self.yaml_line))))
    }
}

/// A Markdown document with its front matter.
#[derive(Debug, Clone)]
pub struct Markdown<T> {
    pub meta: Located<T>,
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
    /// Whether the file had front matter at all.
    pub has_front_matter: bool,
    /// Front-matter keys of other site generators left out of an imported
    /// page (reported once for the whole build).
    pub set_aside: Vec<String>,
}

/// A person file: `people/<id>.yaml`, or `people/<id>.md` with a bio.
#[derive(Debug, Clone)]
pub struct PersonDoc {
    pub id: String,
    pub doc: Markdown<RawPerson>,
}

/// A performance file: a whole period, or one person's record in a period folder.
#[derive(Debug, Clone)]
pub enum PerformanceDoc {
    /// `performance/<period>.yaml`; `name` is the file stem.
    Period {
        name: String,
        doc: Located<RawPeriodFile>,
    },
    /// `performance/<period>/<id>.yaml`.
    Person {
        period: String,
        id: String,
        doc: Located<RawRecord>,
    },
    /// `performance/<period>/calls/<date>.yaml`: one week's forecast calls.
    Calls {
        period: String,
        date: String,
        doc: Located<RawCalls>,
    },
}

impl PerformanceDoc {
    /// The file, relative to the site root.
    pub fn file(&self) -> &Path {
        match self {
            PerformanceDoc::Period { doc, .. } => &doc.file,
            PerformanceDoc::Person { doc, .. } => &doc.file,
            PerformanceDoc::Calls { doc, .. } => &doc.file,
        }
    }
}

/// A Markdown page under `playbooks/`, `reports/` or `coaching/`, with its
/// path inside that folder without `.md` (`discovery/first-call`).
#[derive(Debug, Clone)]
pub struct PageDoc<T> {
    pub path: String,
    pub doc: Markdown<T>,
}

/// A rep's coaching log, `coaching/<rep>/log.yaml`; `rep` is the folder.
#[derive(Debug, Clone)]
pub struct LogDoc {
    pub rep: String,
    pub doc: Located<RawCoachingLog>,
}

/// A file copied to the output as it is (an image beside a playbook).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Relative to the site root.
    pub file: PathBuf,
    pub bytes: Vec<u8>,
}

/// Everything under `content/`, deserialized but not yet validated.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub site: Option<Located<RawSite>>,
    pub people: Vec<PersonDoc>,
    pub performance: Vec<PerformanceDoc>,
    pub sections: Vec<PageDoc<RawSection>>,
    pub playbooks: Vec<PageDoc<RawPlaybook>>,
    pub coaching: Vec<PageDoc<RawCoaching>>,
    /// `coaching/<rep>/log.yaml` files.
    pub coaching_logs: Vec<LogDoc>,
    pub reports: Vec<PageDoc<RawReport>>,
    pub assets: Vec<Asset>,
    /// CRM exports under `deals/`, read by the model once the site's
    /// `deals:` settings are known.
    pub deals: Vec<Asset>,
    /// How many files were read.
    pub files: usize,
    /// Ids of person files that exist but did not load: references to them
    /// are not reported again.
    pub broken_people: std::collections::BTreeSet<String>,
    /// Managers-only bios from the private folder (`people/<id>.md`).
    pub bios: Vec<Bio>,
    /// Files read from the private folder, by their path as if under
    /// content/.
    pub private_files: std::collections::BTreeSet<PathBuf>,
    /// Every file that exists but did not load, by its path under
    /// `content/` (`playbooks/a.md`): its own error is reported, and links
    /// to it are not reported again as missing.
    pub unloaded: std::collections::BTreeSet<String>,
    /// The repository's CODEOWNERS file beside content/ (or in `.github/`,
    /// `.gitlab/` or `docs/`): its path from the site root and its text.
    pub codeowners: Option<(PathBuf, String)>,
}

/// A managers-only bio: `people/<id>.md` in the private folder, for a
/// person defined in content/.
#[derive(Debug, Clone)]
pub struct Bio {
    pub id: String,
    /// As if under content/ (`content/people/alice-chen.md`).
    pub file: PathBuf,
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
}

impl Content {
    /// Adds everything `more` holds (the private folder's files).
    pub fn absorb(&mut self, more: Content) {
        self.people.extend(more.people);
        self.performance.extend(more.performance);
        self.sections.extend(more.sections);
        self.playbooks.extend(more.playbooks);
        self.coaching.extend(more.coaching);
        self.coaching_logs.extend(more.coaching_logs);
        self.reports.extend(more.reports);
        self.assets.extend(more.assets);
        self.deals.extend(more.deals);
        self.bios.extend(more.bios);
        self.files += more.files;
        self.broken_people.extend(more.broken_people);
        self.unloaded.extend(more.unloaded);
    }
}

/// A content file's path under `content/`, with `/` between folders:
/// `content/playbooks/a.md` → `playbooks/a.md`. How links name files.
pub fn content_key(file: &Path) -> String {
    let text = file.to_string_lossy().replace('\\', "/");
    text.strip_prefix("content/").unwrap_or(&text).to_string()
}

/// File types copied as they are when they sit beside playbooks or reports.
pub const ASSET_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp", "pdf"];

/// The files that give a folder under `playbooks/` its section page, as
/// Hugo (`_index.md`), MkDocs and Docusaurus (`index.md`) and GitHub
/// (`README.md`) have it.
pub const SECTION_PAGES: &[&str] = &["_index.md", "index.md", "README.md"];

/// What a file under `content/` is, judged by its place.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Site,
    Person { id: String, markdown: bool },
    PeriodFile { name: String },
    PersonRecord { period: String, id: String },
    Calls { period: String, date: String },
    Section { path: String },
    Playbook { path: String },
    Coaching { path: String },
    CoachingLog { rep: String },
    Report { path: String },
    Asset,
    Deals,
}

/// One file's contribution to [`Content`].
enum Parsed {
    Site(Located<RawSite>),
    Person(PersonDoc),
    Performance(PerformanceDoc),
    Section(PageDoc<RawSection>),
    Playbook(PageDoc<RawPlaybook>),
    Coaching(PageDoc<RawCoaching>),
    CoachingLog(LogDoc),
    Report(PageDoc<RawReport>),
    Asset(Asset),
    Deals(Asset),
}

/// Every entry under `dir`, in name order, leaving out editors' scratch
/// files and folders (`.git/`, swap and temporary files): the content
/// folder's walk, and the private folder's.
pub(crate) fn walk(
    dir: &Path,
) -> walkdir::FilterEntry<walkdir::IntoIter, impl FnMut(&walkdir::DirEntry) -> bool> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !crate::text::is_editor_scratch(&entry.file_name().to_string_lossy())
        })
}

/// Reads and deserializes every file under `<root>/content`, returning what
/// parsed and a diagnostic for everything that did not.
pub fn load(root: &Path) -> Result<(Content, Vec<Diagnostic>)> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Error::NoContent {
            root: root.to_path_buf(),
        });
    }
    let phase = crate::timings::phase("  list files");
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    // Files that exist but are not read: symbolic links, unreadable files.
    let mut unread = Vec::new();
    let walker = walk(&content_dir);
    for entry in walker {
        let entry = entry.map_err(|err| Error::Read {
            path: err.path().unwrap_or(&content_dir).to_path_buf(),
            source: err.into(),
        })?;
        // Symlinks are not followed, so content cannot reach outside the root.
        if entry.file_type().is_file() || entry.file_type().is_symlink() {
            let relative = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            if entry.file_type().is_symlink() {
                diagnostics.push(
                    Diagnostic::error(&relative, "symbolic links are not followed in content/")
                        .with_help("copy the file into content/ instead"),
                );
                unread.push(content_key(&relative));
                continue;
            }
            files.push(relative);
        }
    }

    drop(phase);
    let phase = crate::timings::phase("  read files");
    // site.yaml's `limits:` decide how large a file may be, so it is read
    // first (within the default limits).
    let site_file = Path::new("content/site.yaml");
    let limits = match files.iter().any(|f| f == site_file) {
        true => limits::Limits::default()
            .read(root, site_file)
            .map(|bytes| limits::Limits::of_site(&String::from_utf8_lossy(&bytes)))
            .unwrap_or_default(),
        false => limits::Limits::default(),
    };
    let read: Vec<Result<(PathBuf, Vec<u8>), Diagnostic>> = files
        .into_par_iter()
        .map(|file| limits.read(root, &file).map(|bytes| (file, bytes)))
        .collect();
    let mut sources = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(source) => sources.push(source),
            Err(diagnostic) => {
                unread.push(content_key(&diagnostic.file));
                diagnostics.push(diagnostic)
            }
        }
    }
    drop(phase);
    let _phase = crate::timings::phase("  parse files");
    let (mut content, more) = parse_files(sources);
    content.unloaded.extend(unread);
    content.codeowners = read_codeowners(root, &limits);
    diagnostics.extend(more);
    Ok((content, diagnostics))
}

/// The first CODEOWNERS file GitHub or GitLab would read, beside content/.
fn read_codeowners(root: &Path, limits: &limits::Limits) -> Option<(PathBuf, String)> {
    [
        "CODEOWNERS",
        ".github/CODEOWNERS",
        ".gitlab/CODEOWNERS",
        "docs/CODEOWNERS",
    ]
    .iter()
    .map(PathBuf::from)
    .filter(|file| root.join(file).is_file())
    .find_map(|file| {
        let bytes = limits.read(root, &file).ok()?;
        Some((file, String::from_utf8_lossy(&bytes).into_owned()))
    })
}

/// Classifies and deserializes files already in memory, each given by its
/// path relative to the site root (`content/people/a.yaml`) and its bytes.
pub fn parse_files(files: Vec<(PathBuf, Vec<u8>)>) -> (Content, Vec<Diagnostic>) {
    let mut content = Content {
        files: files.len(),
        ..Content::default()
    };
    // One file at a time per core, whichever core is free: a site's period
    // files sit side by side in the list, and a core handed a run of them
    // would parse them one after another while the other waits.
    let results: Vec<Result<Parsed, Diagnostic>> = files
        .into_par_iter()
        .with_max_len(1)
        .map(|(file, bytes)| parse_one(&file, bytes))
        .collect();
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Err(diagnostic) => {
                if let Ok(Kind::Person { id, .. }) = classify(&diagnostic.file) {
                    content.broken_people.insert(id);
                }
                content.unloaded.insert(content_key(&diagnostic.file));
                diagnostics.push(diagnostic)
            }
            Ok(parsed) => match parsed {
                Parsed::Site(site) => content.site = Some(site),
                Parsed::Person(person) => content.people.push(person),
                Parsed::Performance(doc) => content.performance.push(doc),
                Parsed::Section(doc) => content.sections.push(doc),
                Parsed::Playbook(doc) => content.playbooks.push(doc),
                Parsed::Coaching(doc) => content.coaching.push(doc),
                Parsed::CoachingLog(doc) => content.coaching_logs.push(doc),
                Parsed::Report(doc) => content.reports.push(doc),
                Parsed::Asset(asset) => content.assets.push(asset),
                Parsed::Deals(file) => content.deals.push(file),
            },
        }
    }
    (content, diagnostics)
}

/// Classifies and deserializes one file.
fn parse_one(file: &Path, bytes: Vec<u8>) -> Result<Parsed, Diagnostic> {
    let kind = classify(file).map_err(|message| Diagnostic::error(file, message))?;
    if matches!(
        kind,
        Kind::Playbook { .. } | Kind::Section { .. } | Kind::Report { .. } | Kind::Asset
    ) {
        check_published_name(file)?;
    }
    if kind == Kind::Deals {
        return Ok(Parsed::Deals(Asset {
            file: file.to_path_buf(),
            bytes,
        }));
    }
    if kind == Kind::Asset {
        return Ok(Parsed::Asset(Asset {
            file: file.to_path_buf(),
            bytes,
        }));
    }
    let text = decode(file, bytes)?;
    Ok(match kind {
        Kind::Site => Parsed::Site(parse_yaml(file, &text, "the site settings")?),
        Kind::Person { id, markdown } => {
            let doc = if markdown {
                parse_markdown(file, &text, "a person's front matter", true)?
            } else {
                let meta = parse_yaml(file, &text, "a person")?;
                Markdown {
                    meta,
                    body: String::new(),
                    body_line: 1,
                    has_front_matter: true,
                    set_aside: Vec::new(),
                }
            };
            Parsed::Person(PersonDoc { id, doc })
        }
        Kind::PeriodFile { name } => Parsed::Performance(PerformanceDoc::Period {
            name,
            doc: parse_period(file, &text)?,
        }),
        Kind::Calls { period, date } => Parsed::Performance(PerformanceDoc::Calls {
            period,
            date,
            doc: parse_yaml(file, &text, "a week's forecast calls")?,
        }),
        Kind::PersonRecord { period, id } => Parsed::Performance(PerformanceDoc::Person {
            period,
            id,
            doc: parse_yaml(file, &text, "a person's figures")?,
        }),
        Kind::Section { path } => Parsed::Section(PageDoc {
            path,
            doc: parse_page(
                file,
                &text,
                "a section's front matter",
                SECTION_KEYS,
                SECTION_OWN_KEYS,
            )?,
        }),
        Kind::Playbook { path } => Parsed::Playbook(PageDoc {
            path,
            doc: parse_page(
                file,
                &text,
                "a playbook's front matter",
                PLAYBOOK_KEYS,
                PLAYBOOK_OWN_KEYS,
            )?,
        }),
        Kind::Coaching { path } => Parsed::Coaching(PageDoc {
            path,
            doc: parse_markdown(file, &text, "a coaching plan's front matter", true)?,
        }),
        Kind::CoachingLog { rep } => Parsed::CoachingLog(LogDoc {
            rep,
            doc: parse_yaml(file, &text, "a coaching log")?,
        }),
        Kind::Report { path } => Parsed::Report(PageDoc {
            path,
            doc: parse_markdown(file, &text, "a report's front matter", true)?,
        }),
        Kind::Asset | Kind::Deals => unreachable!("assets and deals are returned above"),
    })
}

/// Refuses a page or image whose name, or a folder's name, could not be
/// put in a link as it is: each becomes part of a URL in every link to it,
/// the sitemap and the feed, where `#`, `?`, `%`, quotes, backslashes and
/// spaces break or change the address.
fn check_published_name(file: &Path) -> Result<(), Diagnostic> {
    // `content/` and the kind's folder (`playbooks/`) are not the author's.
    let Some(name) = file
        .iter()
        .skip(2)
        .map(|part| part.to_string_lossy())
        .find(|part| !crate::text::is_link_safe(part))
    else {
        return Ok(());
    };
    let what = if file
        .file_name()
        .is_some_and(|last| last.to_string_lossy() == name)
    {
        "file"
    } else {
        "folder"
    };
    let mut holds: Vec<String> = Vec::new();
    for c in name
        .chars()
        .filter(|&c| !crate::text::is_link_safe(&c.to_string()))
    {
        let shown = if c == ' ' {
            "spaces".to_string()
        } else {
            format!("`{c}`")
        };
        if !holds.contains(&shown) {
            holds.push(shown);
        }
    }
    Err(Diagnostic::error(
        file,
        format!(
            "the {what} name `{name}` holds {}, which would break every link to it: names of playbooks, reports, their folders and images may hold only {}",
            holds.join(" and "),
            crate::text::LINK_SAFE
        ),
    )
    .with_help(format!(
        "rename it to `{}`, and the links to it",
        crate::text::link_safe_name(&name)
    )))
}

/// UTF-8 text with a BOM removed, CRLF line endings turned into LF, and
/// control characters no page or feed may carry replaced (U+FFFD).
fn decode(file: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = offset
            - bytes[..offset]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        Diagnostic::error(file, "the file is not valid UTF-8 text")
            .at(Some(Position { line, column }))
            .with_help("save the file with UTF-8 encoding")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    // A binary file can be valid UTF-8 (NULs are); its control characters
    // would reach pages and terminals. Say where the first one is.
    if let Some(offset) = crate::text::first_control(&text) {
        return Err(yaml::control_character(file, &text, offset, 1));
    }
    Ok(text)
}

/// Deserializes a whole `.yaml` file; an empty file is an error.
fn parse_yaml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    what: &str,
) -> Result<Located<T>, Diagnostic> {
    let meaningful = text.lines().any(|line| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#') && line != "---"
    });
    if !meaningful {
        return Err(
            Diagnostic::error(file, format!("the file is empty; expected {what}"))
                .at(Some(Position::line(1))),
        );
    }
    let value = YamlSource {
        file,
        text,
        first_line: 1,
    }
    .parse(what)?;
    Ok(Located {
        file: file.to_path_buf(),
        yaml: text.to_string(),
        yaml_line: 1,
        value,
    })
}

/// Above this size a period's figures are parsed in pieces, on every core:
/// a large organisation's period file is megabytes of YAML.
const SPLIT_ABOVE: usize = 256 * 1024;

/// A period's figures file (`performance/<period>.yaml`).
fn parse_period(file: &Path, text: &str) -> Result<Located<RawPeriodFile>, Diagnostic> {
    if text.len() > SPLIT_ABOVE
        && let Some(value) = pieces::period_in_pieces(text)
    {
        return Ok(Located {
            file: file.to_path_buf(),
            yaml: text.to_string(),
            yaml_line: 1,
            value,
        });
    }
    parse_yaml(file, text, "a period's figures")
}

/// A page under `playbooks/`, which may come from another site generator:
/// when its front matter has none of Bullpen's own keys (`own`), keys it
/// does not read (`known`) are set aside rather than refused.
fn parse_page<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    what: &str,
    known: &[&str],
    own: &[&str],
) -> Result<Markdown<T>, Diagnostic> {
    let imported = frontmatter::split(text)
        .ok()
        .and_then(|split| split.yaml)
        .filter(|yaml| {
            !frontmatter::top_keys(yaml)
                .iter()
                .any(|(key, _)| own.contains(&key.as_str()))
        });
    let Some(yaml) = imported else {
        return parse_markdown(file, text, what, false);
    };
    let (kept, set_aside) = frontmatter::set_aside(yaml, known);
    if set_aside.is_empty() {
        return parse_markdown(file, text, what, false);
    }
    // The YAML sits after the opening `---` line; the body is untouched.
    let start = "---\n".len();
    let rebuilt = format!("{}{kept}{}", &text[..start], &text[start + yaml.len()..]);
    let mut doc = parse_markdown(file, &rebuilt, what, false)?;
    doc.set_aside = set_aside;
    Ok(doc)
}

/// Splits and deserializes a Markdown file. Without front matter the meta
/// comes from an empty mapping, which fails on required fields when
/// `front_matter_required` (and then says so).
fn parse_markdown<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    what: &str,
    front_matter_required: bool,
) -> Result<Markdown<T>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(file, "the file is empty").at(Some(Position::line(1))));
    }
    let split = frontmatter::split(text).map_err(|_| {
        Diagnostic::error(file, "the front matter is never closed")
            .at(Some(Position::line(1)))
            .with_help("end the front matter with a line holding only `---`")
    })?;
    if split.yaml.is_none() && front_matter_required {
        return Err(Diagnostic::error(
            file,
            format!("expected front matter ({what}) between `---` lines at the top"),
        )
        .at(Some(Position::line(1))));
    }
    let yaml = split.yaml.unwrap_or("").to_string();
    let value = YamlSource {
        file,
        text: &yaml,
        first_line: split.yaml_line,
    }
    .parse(what)?;
    Ok(Markdown {
        meta: Located {
            file: file.to_path_buf(),
            yaml,
            yaml_line: split.yaml_line,
            value,
        },
        body: split.body.to_string(),
        body_line: split.body_line,
        has_front_matter: split.yaml.is_some(),
        set_aside: Vec::new(),
    })
}

/// Decides a file's kind from its place under `content/`, or says what was
/// expected there.
fn classify(file: &Path) -> Result<Kind, String> {
    let parts: Vec<&str> = file
        .iter()
        .skip(1)
        .map(|p| p.to_str().unwrap_or("\u{fffd}"))
        .collect();
    let name = *parts.last().unwrap_or(&"");
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let stem = stem.to_string();
    let inner_path = |parts: &[&str]| -> String {
        let mut path = parts.join("/");
        path.truncate(path.len() - ".md".len());
        path
    };
    match parts.as_slice() {
        ["site.yaml"] => Ok(Kind::Site),
        ["people", _] if extension == "yaml" => Ok(Kind::Person { id: stem, markdown: false }),
        ["people", _] if extension == "md" => Ok(Kind::Person { id: stem, markdown: true }),
        ["performance", _] if extension == "yaml" => Ok(Kind::PeriodFile { name: stem }),
        ["performance", period, "calls", _] if extension == "yaml" => {
            Ok(Kind::Calls { period: period.to_string(), date: stem })
        }
        ["performance", period, _] if extension == "yaml" => {
            Ok(Kind::PersonRecord { period: period.to_string(), id: stem })
        }
        ["playbooks", rest @ ..] if SECTION_PAGES.contains(&name) => {
            Ok(Kind::Section { path: rest[..rest.len() - 1].join("/") })
        }
        ["playbooks", rest @ ..] if extension == "md" => Ok(Kind::Playbook { path: inner_path(rest) }),
        ["coaching", rep, "log.yaml"] => Ok(Kind::CoachingLog { rep: rep.to_string() }),
        ["coaching", _, _] if extension == "md" => Ok(Kind::Coaching { path: inner_path(&parts[1..]) }),
        ["reports", rest @ ..] if extension == "md" => Ok(Kind::Report { path: inner_path(rest) }),
        ["playbooks" | "reports", ..] if ASSET_EXTENSIONS.contains(&extension.to_lowercase().as_str()) => {
            Ok(Kind::Asset)
        }
        ["people", ..] => Err("expected a person as people/<id>.yaml or people/<id>.md".into()),
        ["performance", ..] => Err(
            "expected figures as performance/<period>.yaml or performance/<period>/<person-id>.yaml, or forecast calls as performance/<period>/calls/<YYYY-MM-DD>.yaml".into(),
        ),
        ["coaching", ..] => Err(
            "expected a coaching plan as coaching/<rep-id>/<period>.md or a coaching log as coaching/<rep-id>/log.yaml".into(),
        ),
        ["playbooks", ..] => Err(format!(
            "expected a playbook (.md) or an image ({}) in playbooks/",
            ASSET_EXTENSIONS.join(", ")
        )),
        ["reports", ..] => Err(format!("expected a report (.md) or an image ({}) in reports/", ASSET_EXTENSIONS.join(", "))),
        ["deals", ..] if extension.eq_ignore_ascii_case("csv") => Ok(Kind::Deals),
        ["deals", ..] => Err("expected a CRM export as deals/<name>.csv".into()),
        _ => Err("this file is of no known kind; expected site.yaml, people/, performance/, playbooks/, coaching/ or reports/".into()),
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    fn kind(path: &str) -> Result<Kind, String> {
        classify(Path::new(path))
    }

    #[test]
    fn classifies_by_place() {
        assert_eq!(kind("content/site.yaml"), Ok(Kind::Site));
        assert_eq!(
            kind("content/people/alice-chen.md"),
            Ok(Kind::Person {
                id: "alice-chen".into(),
                markdown: true
            })
        );
        assert_eq!(
            kind("content/performance/2026-Q3.yaml"),
            Ok(Kind::PeriodFile {
                name: "2026-Q3".into()
            })
        );
        assert_eq!(
            kind("content/performance/2026-Q3/alice-chen.yaml"),
            Ok(Kind::PersonRecord {
                period: "2026-Q3".into(),
                id: "alice-chen".into()
            })
        );
        assert_eq!(
            kind("content/performance/2026-Q4/calls/2026-11-09.yaml"),
            Ok(Kind::Calls {
                period: "2026-Q4".into(),
                date: "2026-11-09".into()
            })
        );
        assert_eq!(
            kind("content/playbooks/discovery/_index.md"),
            Ok(Kind::Section {
                path: "discovery".into()
            })
        );
        assert_eq!(
            kind("content/playbooks/discovery/first-call.md"),
            Ok(Kind::Playbook {
                path: "discovery/first-call".into()
            })
        );
        assert_eq!(
            kind("content/coaching/alice-chen/2026-Q3.md"),
            Ok(Kind::Coaching {
                path: "alice-chen/2026-Q3".into()
            })
        );
        assert_eq!(
            kind("content/coaching/alice-chen/log.yaml"),
            Ok(Kind::CoachingLog {
                rep: "alice-chen".into()
            })
        );
        assert_eq!(
            kind("content/reports/qbr.md"),
            Ok(Kind::Report { path: "qbr".into() })
        );
        assert_eq!(
            kind("content/playbooks/discovery/flow.png"),
            Ok(Kind::Asset)
        );
    }

    #[test]
    fn unknown_files_are_explained() {
        assert!(
            kind("content/notes.txt")
                .unwrap_err()
                .contains("no known kind")
        );
        assert!(
            kind("content/people/alice.json")
                .unwrap_err()
                .contains("people/<id>.yaml")
        );
        assert!(
            kind("content/coaching/alice.md")
                .unwrap_err()
                .contains("coaching/<rep-id>/<period>.md")
        );
    }

    #[test]
    fn decodes_bom_and_crlf() {
        let text = decode(
            Path::new("a"),
            b"\xef\xbb\xbfname: A\r\nrole: rep\r\n".to_vec(),
        )
        .unwrap();
        assert_eq!(text, "name: A\nrole: rep\n");
        let err = decode(Path::new("a"), b"ok\nbad \xff".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(5)));
        // Valid UTF-8 that is not text: the first control character, placed.
        let err = decode(Path::new("a.md"), b"# Title\r\n\nab\x00\x1b[2J".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(3)));
        assert!(err.message.contains("U+0000"), "{}", err.message);
    }

    #[test]
    fn names_that_break_links_are_refused() {
        for good in [
            "content/playbooks/discovery/first-call.md",
            "content/playbooks/Q3_plans/v2.0.md",
        ] {
            assert!(check_published_name(Path::new(good)).is_ok(), "{good}");
        }
        let err =
            check_published_name(Path::new("content/playbooks/basics/q3#plan.md")).unwrap_err();
        assert!(
            err.message
                .starts_with("the file name `q3#plan.md` holds `#`, which would break"),
            "{err:?}"
        );
        assert_eq!(
            err.help.as_deref(),
            Some("rename it to `q3-plan.md`, and the links to it")
        );
        let err = check_published_name(Path::new("content/reports/Q3 review/a.md")).unwrap_err();
        assert!(
            err.message
                .starts_with("the folder name `Q3 review` holds spaces, which"),
            "{err:?}"
        );
    }
}

/// What a changed file under the site root is, for `serve`'s rebuilds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A playbook (its path under `playbooks/`, without `.md`).
    Playbook(String),
    /// Figures: a period's file, a person's record in a period folder, or
    /// a week's forecast calls.
    Figures,
    /// Anything else: settings, people, sections, coaching, reports,
    /// assets, deals, themes.
    Other,
}

/// Classifies `file` (relative to the site root, like
/// `content/playbooks/a.md`).
pub fn change_of(file: &Path) -> Change {
    match classify(file) {
        Ok(Kind::Playbook { path }) => Change::Playbook(path),
        Ok(Kind::PeriodFile { .. } | Kind::PersonRecord { .. } | Kind::Calls { .. }) => {
            Change::Figures
        }
        _ => Change::Other,
    }
}

/// Reads the figures files among `changed` (relative to `root`) again,
/// each in place of what `content` held of it: what `serve` does for a
/// figures edit instead of reading every file. `false` when that cannot
/// stand for a whole read: a file that is new, gone or not a figures file,
/// one that did not load before, or one that does not load now (a whole
/// read then reports what is wrong). Files before the one that failed may
/// have been replaced already; the caller reads everything again.
pub fn reread_figures(content: &mut Content, root: &Path, changed: &[PathBuf]) -> bool {
    let limits =
        limits::Limits::from_raw(content.site.as_ref().and_then(|s| s.value.limits.as_ref()));
    for file in changed {
        if content.unloaded.contains(&content_key(file)) {
            return false;
        }
        let Some(index) = content
            .performance
            .iter()
            .position(|doc| doc.file() == file)
        else {
            return false;
        };
        let Ok(bytes) = limits.read(root, file) else {
            return false;
        };
        let Ok(Parsed::Performance(doc)) = parse_one(file, bytes) else {
            return false;
        };
        content.performance[index] = doc;
    }
    true
}

/// Reads and parses one playbook file (relative to `root`), within the
/// site's file size limits.
pub fn read_playbook(
    root: &Path,
    file: &Path,
    limits: &limits::Limits,
) -> std::result::Result<PageDoc<RawPlaybook>, Diagnostic> {
    let bytes = limits.read(root, file)?;
    match parse_one(file, bytes)? {
        Parsed::Playbook(doc) => Ok(doc),
        _ => Err(Diagnostic::error(file, "this is not a playbook file")),
    }
}
