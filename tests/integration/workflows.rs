//! The CI examples a team copies, the GitHub Action and Bullpen's own
//! workflows are valid YAML with the steps they promise, and none of them
//! compiles Bullpen to install it.

use crate::support::repo_root;
use std::path::PathBuf;

/// Every workflow, the action and the GitLab example.
fn files() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(repo_root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.push(repo_root().join("action.yml"));
    files.push(repo_root().join("examples/gitlab-ci.yml"));
    assert!(files.len() >= 6, "{files:?}");
    files
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap()
}

#[test]
fn every_workflow_file_parses_as_yaml() {
    for file in files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let value: serde_norway::Value =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(value.is_mapping(), "{}", file.display());
    }
    for shipped in [
        ".github/workflows/bullpen-pull-request.yml",
        ".github/workflows/bullpen-publish.yml",
        "action.yml",
        "examples/gitlab-ci.yml",
    ] {
        assert!(read(shipped).contains("bullpen "), "{shipped} runs bullpen");
    }
    let review = read(".github/workflows/bullpen-pull-request.yml");
    assert!(review.contains("command: check") && review.contains("args: --format github"));
    assert!(review.contains("bullpen diff --base"));
    let publish = read(".github/workflows/bullpen-publish.yml");
    assert!(publish.contains("--audience team") && publish.contains("deploy-pages"));
}

#[test]
fn nothing_installs_bullpen_by_compiling_it() {
    for file in files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines() {
            let line = line.to_lowercase();
            assert!(
                !(line.contains("cargo install") && line.contains("bullpen")),
                "{}: {line}",
                file.display()
            );
            assert!(!line.contains("bullpen_git"), "{}: {line}", file.display());
        }
    }
}

#[test]
fn the_shipped_workflows_use_a_pinned_release_through_the_action() {
    let action: serde_norway::Value = serde_norway::from_str(&read("action.yml")).unwrap();
    let inputs = action["inputs"].as_mapping().expect("inputs");
    for input in ["command", "root", "audience", "version", "sha256"] {
        assert!(inputs.contains_key(input), "action.yml lacks input {input}");
    }
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let version = action["inputs"]["version"]["default"].as_str().unwrap();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    // The install script checks the archive's SHA-256 before installing it.
    let install = read("install.sh");
    assert!(install.contains("checksum mismatch") && install.contains("BULLPEN_SHA256"));
    for shipped in ["bullpen-pull-request.yml", "bullpen-publish.yml"] {
        let text = read(&format!(".github/workflows/{shipped}"));
        assert!(
            text.contains(&format!("@v{version}")) && text.contains(&format!("version: {version}")),
            "{shipped} pins release {version}"
        );
    }
    let gitlab = read("examples/gitlab-ci.yml");
    assert!(gitlab.contains(&format!("bullpen:{version}")), "{gitlab}");
}

#[test]
fn the_release_builds_every_platform_with_checksums() {
    let release = read(".github/workflows/release.yml");
    let value: serde_norway::Value = serde_norway::from_str(&release).unwrap();
    let targets: Vec<&str> = value["jobs"]["binaries"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|entry| entry["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-musl",
            "x86_64-apple-darwin",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc",
        ]
    );
    assert!(release.contains("SHA256SUMS") && release.contains(".sha256"));
    assert!(release.contains("install.sh"));
    let manifest = read("Cargo.toml");
    assert!(manifest.contains("[package.metadata.binstall]"));
}

/// Whether a workflow step or a GitLab script line builds or reviews for
/// the managers.
fn for_managers(text: &str) -> bool {
    text.contains("--audience managers") || text.contains("audience: managers")
}

/// The shipped GitHub workflows build the managers' edition only in a job
/// that checks out the private repository with its own secret token, and no
/// step of that job uploads anything anyone with read access could download
/// (an artifact, a Pages artifact, a cache); no step anywhere uploads a
/// managers' output folder.
#[test]
fn no_workflow_step_uploads_the_managers_edition() {
    let uploads = [
        "actions/upload-artifact",
        "actions/upload-pages-artifact",
        "actions/cache",
    ];
    let mut managers_jobs = 0;
    for file in files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let value: serde_norway::Value = serde_norway::from_str(&text).unwrap();
        let Some(jobs) = value["jobs"].as_mapping() else {
            continue;
        };
        for (name, job) in jobs {
            let steps = job["steps"].as_sequence().cloned().unwrap_or_default();
            let step_text = |step: &serde_norway::Value| serde_norway::to_string(step).unwrap();
            let builds_managers = steps.iter().any(|s| for_managers(&step_text(s)));
            for step in &steps {
                let uses = step["uses"].as_str().unwrap_or_default();
                if uploads.iter().any(|u| uses.starts_with(u)) {
                    assert!(
                        !builds_managers,
                        "{}: job {name:?} builds the managers' edition and uploads with {uses}",
                        file.display()
                    );
                    let path = step["with"]["path"].as_str().unwrap_or_default();
                    assert!(
                        !path.contains("managers") && !path.contains("private"),
                        "{}: {uses} uploads {path}",
                        file.display()
                    );
                }
            }
            if builds_managers {
                managers_jobs += 1;
                assert!(
                    job["if"].as_str().is_some_and(|c| c.contains("PRIVATE")),
                    "{}: job {name:?} runs only where the private repository is configured",
                    file.display()
                );
                let private_checkout = steps.iter().any(|s| {
                    s["uses"]
                        .as_str()
                        .is_some_and(|u| u.starts_with("actions/checkout"))
                        && s["with"]["repository"].as_str().is_some()
                        && s["with"]["token"]
                            .as_str()
                            .is_some_and(|t| t.contains("secrets."))
                });
                assert!(
                    private_checkout,
                    "{}: job {name:?} checks out the private repository with its own secret token",
                    file.display()
                );
                assert!(
                    steps.iter().any(|s| step_text(s).contains("--private")),
                    "{}: job {name:?} builds from the private checkout",
                    file.display()
                );
            }
        }
    }
    assert!(
        managers_jobs >= 1,
        "the publish workflow builds the managers' edition"
    );
}

/// The GitLab example: the job that builds for the managers clones the
/// private repository with its own token and keeps no artifacts or cache;
/// the Pages job builds for the team only.
#[test]
fn the_gitlab_example_keeps_the_managers_edition_out_of_artifacts() {
    let value: serde_norway::Value =
        serde_norway::from_str(&read("examples/gitlab-ci.yml")).unwrap();
    let mut managers_jobs = 0;
    for (name, job) in value.as_mapping().unwrap() {
        let Some(script) = job["script"].as_sequence() else {
            continue;
        };
        let lines: Vec<&str> = script.iter().filter_map(|l| l.as_str()).collect();
        if !lines.iter().any(|l| for_managers(l)) {
            continue;
        }
        managers_jobs += 1;
        assert_ne!(name.as_str(), Some("pages"), "Pages publishes to everyone");
        assert!(
            job.get("artifacts").is_none(),
            "job {name:?} keeps artifacts"
        );
        assert!(job.get("cache").is_none(), "job {name:?} keeps a cache");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("git clone") && l.contains("BULLPEN_PRIVATE_TOKEN")),
            "job {name:?} clones the private repository with its own token"
        );
        assert!(lines.iter().any(|l| l.contains("--private")));
    }
    assert_eq!(managers_jobs, 1);
    let pages = &value["pages"]["script"];
    assert!(!for_managers(&serde_norway::to_string(pages).unwrap()));
}
