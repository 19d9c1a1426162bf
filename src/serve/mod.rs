//! `bullpen serve`: builds the site into memory, serves it on 127.0.0.1,
//! watches `content/` and `themes/`, rebuilds what an edit affects and
//! reloads open tabs. Entry: [`run`].
//!
//! Three threads: the HTTP accept loop (a thread per open connection, up
//! to a bound; see `http`), the file watcher, and the builder, which owns
//! the [`live::Live`] site and publishes each result. `build`'s output
//! folder is never touched.

mod http;
pub mod live;
pub mod overlay;
mod wire;

use crate::error::{Diagnostic, Error, Result};
use crate::vocab::Audience;
use std::collections::{BTreeSet, HashMap};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

/// The port `serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8321;

/// How long the watcher waits for an editor's burst of writes to settle.
const DEBOUNCE: Duration = Duration::from_millis(20);

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// 0 for any free port.
    pub port: u16,
    pub audience: Audience,
    /// Open the site in the default browser once it is up.
    pub open: bool,
    /// `--private DIR`, over site.yaml's `private:` (managers only).
    pub private: Option<PathBuf>,
}

/// How a changed file of the private folder is named to a rebuild: under
/// this made-up folder, which no site has, so it is never taken for a file
/// of content/.
pub(crate) const PRIVATE: &str = "<private>";

/// What is being served, and its version, which every rebuild bumps.
pub struct Served {
    state: RwLock<State>,
    version: Mutex<u64>,
    changed: Condvar,
}

/// The files of the last good build, and the errors of the last rebuild
/// when it failed. A file's bytes are shared with the responses sending
/// them, never copied for one.
#[derive(Default)]
pub struct State {
    pub files: HashMap<String, Arc<Vec<u8>>>,
    pub errors: Vec<overlay::Shown>,
}

impl Served {
    fn new() -> Served {
        Served {
            state: RwLock::new(State::default()),
            version: Mutex::new(0),
            changed: Condvar::new(),
        }
    }

    pub fn state(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn version(&self) -> u64 {
        *self.version.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the version is past `seen`, or `timeout` passes.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> Option<u64> {
        let version = self.version.lock().unwrap_or_else(|e| e.into_inner());
        let (version, _) = self
            .changed
            .wait_timeout_while(version, timeout, |v| *v == seen)
            .unwrap_or_else(|e| e.into_inner());
        (*version != seen).then_some(*version)
    }

    /// Applies a rebuild's result and tells every open tab.
    fn publish(&self, change: impl FnOnce(&mut State)) {
        {
            let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
            change(&mut state);
        }
        let mut version = self.version.lock().unwrap_or_else(|e| e.into_inner());
        *version += 1;
        self.changed.notify_all();
    }
}

/// Serves the site until Ctrl-C. `log` receives each line to show the
/// user (the address, each rebuild, each error).
pub fn run(options: &Options, log: &(dyn Fn(&str) + Sync)) -> Result<()> {
    let root = options.root.canonicalize().map_err(|source| Error::Read {
        path: options.root.clone(),
        source,
    })?;
    if !root.join("content").is_dir() {
        return Err(Error::NoContent {
            root: options.root.clone(),
        });
    }
    let listen = |source| Error::Listen {
        port: options.port,
        source,
    };
    let listener = TcpListener::bind(("127.0.0.1", options.port)).map_err(listen)?;
    let local = listener.local_addr().map_err(listen)?;
    let address = local.to_string();
    let served = Arc::new(Served::new());

    // The first build; a broken site is served as its errors until fixed.
    let started = Instant::now();
    // The private folder: read and watched for the managers only.
    let private = match options.audience {
        Audience::Team => None,
        Audience::Managers => options
            .private
            .clone()
            .or_else(|| crate::load::private::configured(&root))
            .map(|dir| root.join(dir)),
    };
    let private = private.map(|dir| dir.canonicalize().unwrap_or(dir));
    let mut live = match live::Live::build_with(&root, options.audience, private.as_deref()) {
        Ok((live, update)) => {
            log(&format!(
                "built {} pages in {} ms",
                update.pages,
                started.elapsed().as_millis()
            ));
            report_warnings(&update.warnings, log);
            served.publish(|state| {
                state.files = update
                    .files
                    .into_iter()
                    .map(|f| (f.path, Arc::new(f.bytes)))
                    .collect()
            });
            Some(live)
        }
        Err(err) => {
            let errors = errors_of(err, &root, log);
            served.publish(|state| state.errors = errors);
            None
        }
    };

    // Watch; the builder thread waits for a burst of writes to settle.
    let (sender, batches) = mpsc::channel::<Vec<PathBuf>>();
    let watch_root = root.clone();
    let watch_private = private.clone();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        // Reads (the builder's own among them) are not changes.
        if let Ok(event) = result
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            let files: Vec<PathBuf> = event
                .paths
                .iter()
                .filter_map(|path| {
                    relevant(&watch_root, path).or_else(|| {
                        let inner = relevant(watch_private.as_deref()?, path)?;
                        Some(Path::new(PRIVATE).join(inner))
                    })
                })
                .collect();
            if !files.is_empty() {
                let _ = sender.send(files);
            }
        }
    })
    .map_err(|source| Error::Watch {
        path: root.clone(),
        source,
    })?;
    let folders = ["content", "themes"].map(|folder| root.join(folder));
    for path in folders.into_iter().chain(private.clone()) {
        if path.is_dir() {
            notify::Watcher::watch(&mut watcher, &path, notify::RecursiveMode::Recursive)
                .map_err(|source| Error::Watch { path, source })?;
        }
    }

    // Announced once watching, so an edit right after is seen.
    let url = format!("http://{address}/");
    log(&format!(
        "serving the {} site at {url} (Ctrl-C to stop)",
        options.audience.name()
    ));
    if options.open
        && let Err(err) = opener::open(&url)
    {
        log(&format!("could not open a browser: {err}"));
    }

    std::thread::scope(|scope| {
        let builder_served = Arc::clone(&served);
        let builder_root = root.clone();
        scope.spawn(move || {
            while let Ok(mut files) = batches.recv() {
                // One rebuild for a burst: wait until the writes settle.
                while let Ok(more) = batches.recv_timeout(DEBOUNCE) {
                    files.extend(more);
                }
                let files: Vec<PathBuf> = files
                    .into_iter()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                rebuild(
                    &mut live,
                    &files,
                    options.audience,
                    private.as_deref(),
                    &builder_root,
                    &builder_served,
                    log,
                );
            }
        });

        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let _ = ctrlc::set_handler(move || {
            stopping.store(true, Ordering::SeqCst);
            // Wakes the accept loop so that it sees the flag.
            let _ = TcpStream::connect(local);
        });
        http::serve(&listener, &served, &stop);
        // Ctrl-C: stop watching, which ends the builder thread.
        drop(watcher);
        log("stopped");
    });
    Ok(())
}

/// Rebuilds after `files` changed and publishes the result.
fn rebuild(
    live: &mut Option<live::Live>,
    files: &[PathBuf],
    audience: Audience,
    private: Option<&Path>,
    root: &Path,
    served: &Served,
    log: &(dyn Fn(&str) + Sync),
) {
    let started = Instant::now();
    let result = match live {
        Some(live) => live.update(files).map(|update| (None, update)),
        None => live::Live::build_with(root, audience, private)
            .map(|(live, update)| (Some(live), update)),
    };
    let what = files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    match result {
        Ok((new, update)) => {
            if let Some(new) = new {
                *live = Some(new);
            }
            served.publish(|state| {
                state.errors.clear();
                let files = update
                    .files
                    .into_iter()
                    .map(|f| (f.path, Arc::new(f.bytes)));
                if update.whole {
                    state.files = files.collect();
                } else {
                    state.files.extend(files);
                }
            });
            log(&format!(
                "{what}: rebuilt {} pages in {} ms",
                update.pages,
                started.elapsed().as_millis()
            ));
            report_warnings(&update.warnings, log);
        }
        Err(err) => {
            let errors = errors_of(err, root, log);
            log(&format!(
                "{what}: the site could not be rebuilt; still serving the last good build"
            ));
            served.publish(|state| state.errors = errors);
        }
    }
}

/// The errors to show in the overlay, each printed as `check` prints it.
/// An error that is not one content file's (a template that does not
/// compile, a file that cannot be read, a missing theme) is shown against
/// the file or folder it concerns, at its line when it has one.
fn errors_of(err: Error, root: &Path, log: &(dyn Fn(&str) + Sync)) -> Vec<overlay::Shown> {
    let errors = match err {
        Error::Content(diagnostics) => diagnostics,
        other => {
            // Every error a rebuild can end in has a place; `content/` is
            // a last resort.
            let (file, position) = other
                .place(root)
                .unwrap_or_else(|| ("content".into(), None));
            vec![Diagnostic::error(file, other.to_string()).at(position)]
        }
    };
    let errors: Vec<Diagnostic> = errors.into_iter().filter(Diagnostic::is_error).collect();
    for error in &errors {
        log(crate::report::human(error, root).trim_end());
    }
    errors
        .into_iter()
        .map(|error| overlay::Shown::new(error, root))
        .collect()
}

fn report_warnings(warnings: &[Diagnostic], log: &(dyn Fn(&str) + Sync)) {
    if !warnings.is_empty() {
        log(&format!(
            "{} (run `bullpen check` to see them)",
            crate::error::plural(warnings.len(), "warning")
        ));
    }
}

/// A watched path worth a rebuild, relative to the root: not a folder, not
/// an editor's swap or backup file.
fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let relative = path.strip_prefix(root).ok()?;
    let name = relative.file_name()?.to_string_lossy();
    if crate::text::is_editor_scratch(&name) || path.is_dir() {
        return None;
    }
    Some(relative.to_path_buf())
}
