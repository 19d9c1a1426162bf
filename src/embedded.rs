//! The defaults compiled into the binary: the built-in theme, the demo
//! site and the minimal starter site, as one name → bytes table each. A site's own file of the same name
//! overrides a built-in one.

use include_dir::{Dir, DirEntry, include_dir};

static THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
static DEMO: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");
static DEMO_PRIVATE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/private");
static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starter/content");

/// The built-in theme's files, keyed by their path inside the theme
/// (`templates/base.html`, `static/style.css`), in name order.
pub fn theme_files() -> Vec<(String, &'static [u8])> {
    files(&THEME)
}

/// The demo site's content files, keyed by their path inside `content/`.
pub fn demo_files() -> Vec<(String, &'static [u8])> {
    files(&DEMO)
}

/// The demo's private material (coaching, the compensation review,
/// managers' notes), keyed by their path inside the private folder.
pub fn demo_private_files() -> Vec<(String, &'static [u8])> {
    files(&DEMO_PRIVATE)
}

/// The minimal site `init --empty` writes (one leader, one rep, one period,
/// one playbook), keyed by their path inside `content/`.
pub fn starter_files() -> Vec<(String, &'static [u8])> {
    files(&STARTER)
}

fn files(dir: &'static Dir<'static>) -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    collect(dir, &mut out);
    out.sort();
    out
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(sub) => collect(sub, out),
            DirEntry::File(file) => {
                let name = file.path().to_string_lossy().replace('\\', "/");
                out.push((name, file.contents()));
            }
        }
    }
}
