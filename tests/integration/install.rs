//! Installing and starting: shell completions and man pages for every
//! command, the revision in `--version`, `init --empty`, and the container
//! image's binary on the demo.

use crate::support::{bin, bullpen, git_command, repo_root, require, require_program, runs};
use bullpen::cli::Cli;
use clap::CommandFactory;
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Every command's name, from the same clap definition the binary uses.
fn subcommands() -> Vec<String> {
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for expected in ["build", "check", "init", "completions", "man"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }
    names
}

#[test]
fn completions_name_every_command_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout(&run(&["completions", shell]));
        assert!(script.len() > 500, "{shell}: {script}");
        for name in subcommands() {
            assert!(script.contains(&name), "{shell} completion lacks `{name}`");
        }
        // Options of a command complete too (fish writes `-l audience`).
        assert!(script.contains("audience"), "{shell}: no --audience");
    }
    let bad = run(&["completions", "cmd.exe"]);
    assert!(!bad.status.success());
}

#[test]
fn the_man_page_names_every_command_and_each_has_its_own() {
    let page = stdout(&run(&["man"]));
    assert!(page.contains(".TH bullpen 1"), "{page}");
    for name in subcommands() {
        assert!(page.contains(&format!("bullpen\\-{name}(1)")), "no {name}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let said = stdout(&run(&["man", "--out", out.to_str().unwrap()]));
    assert!(said.contains("man pages"), "{said}");
    for sub in Cli::command().get_subcommands() {
        let name = sub.get_name();
        let page = std::fs::read_to_string(out.join(format!("bullpen-{name}.1")))
            .unwrap_or_else(|e| panic!("bullpen-{name}.1: {e}"));
        assert!(page.contains(&format!(".TH bullpen-{name} 1")), "{page}");
        // Each of the command's options is documented on its page.
        for arg in sub.get_arguments().filter_map(|a| a.get_long()) {
            let roff = arg.replace('-', "\\-");
            assert!(page.contains(&roff), "bullpen-{name}.1 lacks --{arg}");
        }
    }
}

#[test]
fn version_names_the_revision_built_from() {
    let version = stdout(&run(&["--version"]));
    let expected_start = format!("bullpen {} (revision ", env!("CARGO_PKG_VERSION"));
    assert!(version.starts_with(&expected_start), "{version}");
    require_program("git", "--version", "apt-get install git");
    let head = git_command(&repo_root())
        .args(["rev-parse", "--short=9", "HEAD"])
        .output()
        .unwrap();
    if head.status.success() {
        let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
        assert_eq!(version.trim(), format!("{expected_start}{head})"));
    } else {
        // Not a git checkout (the crate as published): the build says so.
        assert!(version.contains("(revision unknown)"), "{version}");
    }
}

#[test]
fn init_empty_writes_a_minimal_site_that_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let said = stdout(&run(&["init", "--empty", site.to_str().unwrap()]));
    for next in ["bullpen build", "bullpen serve", "bullpen check"] {
        assert!(said.contains(next), "{said}");
    }
    let mut content: Vec<String> = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(&site).unwrap();
            path.to_string_lossy().replace('\\', "/")
        })
        .collect();
    content.sort();
    assert_eq!(
        content,
        [
            "content/people/riley-rep.yaml",
            "content/people/sam-leader.yaml",
            "content/performance/2026-Q1.yaml",
            "content/playbooks/first-call.md",
            "content/site.yaml",
        ]
    );
    let checked = stdout(&bullpen(&["check"], &site));
    assert!(checked.contains("0 errors, 0 warnings"), "{checked}");
    for audience in ["team", "managers"] {
        let built = stdout(&bullpen(&["build", "--audience", audience], &site));
        assert!(built.contains("built "), "{built}");
    }
    let rep = std::fs::read_to_string(site.join("public/people/riley-rep/index.html")).unwrap();
    assert!(rep.contains("Riley Rep"));
    assert!(editor_settings_resolve(&site));
}

#[test]
fn init_prints_the_next_commands_and_sets_up_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("demo");
    let said = stdout(&run(&["init", site.to_str().unwrap()]));
    for next in ["bullpen build", "bullpen serve", "bullpen check"] {
        assert!(said.contains(&format!("{next} --root")), "{said}");
    }
    assert!(editor_settings_resolve(&site));
}

/// `.vscode/settings.json` maps schema files that exist onto globs that
/// match content files.
fn editor_settings_resolve(site: &Path) -> bool {
    let text = std::fs::read_to_string(site.join(".vscode/settings.json")).unwrap();
    let settings: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schemas = settings["yaml.schemas"].as_object().expect("yaml.schemas");
    assert!(schemas.len() >= 4, "{text}");
    let mut matching = 0;
    for (schema, files) in schemas {
        let schema_text =
            std::fs::read_to_string(site.join(schema)).unwrap_or_else(|e| panic!("{schema}: {e}"));
        let _: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
        let glob = globset::Glob::new(files.as_str().unwrap())
            .unwrap()
            .compile_matcher();
        if walkdir::WalkDir::new(site.join("content"))
            .into_iter()
            .map(|e| e.unwrap())
            .any(|e| glob.is_match(e.path().strip_prefix(site).unwrap()))
        {
            matching += 1;
        }
    }
    // site.yaml, people and periods at least; a small site may have no
    // per-rep period files or coaching logs yet.
    assert!(matching >= 3, "{text}");
    true
}

/// The first container runtime that answers, if any.
fn container_runtime() -> Option<&'static str> {
    ["docker", "podman"]
        .into_iter()
        .find(|tool| runs(tool, "info"))
}

#[test]
#[ignore = "needs a container runtime (docker or podman) that can build images; run with --ignored"]
fn the_container_image_builds_the_demo() {
    let runtime = container_runtime();
    require(
        if runtime.is_some() {
            &[]
        } else {
            &["docker or podman"]
        },
        "install docker or podman and start it, then run with --ignored",
    );
    let runtime = runtime.unwrap();
    let tag = "bullpen-test:latest";
    let built = Command::new(runtime)
        .args(["build", "-t", tag, "."])
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{runtime} build: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let site = tempfile::tempdir().unwrap();
    crate::audience::copy_dir(&repo_root().join("content"), &site.path().join("content"));
    let mount = format!("{}:/site", site.path().display());
    let in_container = |args: &[&str]| {
        Command::new(runtime)
            .args(["run", "--rm", "-v", &mount, tag])
            .args(args)
            .output()
            .unwrap()
    };
    let version = stdout(&in_container(&["--version"]));
    assert!(version.starts_with("bullpen "), "{version}");
    let checked = stdout(&in_container(&["check"]));
    assert!(checked.contains("0 errors"), "{checked}");
    let said = stdout(&in_container(&["build"]));
    assert!(said.contains("built "), "{said}");
    let index = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(index.contains("Halyard"), "the demo's dashboard");
}

/// Runs `install.sh` (a POSIX shell script) with a stand-in `curl` that serves a fake release from
/// `served`, installing into `into`.
#[cfg(unix)]
fn install_script(served: &Path, into: &Path, pinned: Option<&str>) -> Output {
    let tools = served.join("tools");
    std::fs::create_dir_all(&tools).unwrap();
    let curl = tools.join("curl");
    // The last URL argument names a file in the served folder; `-o` is where it goes.
    std::fs::write(
        &curl,
        "#!/bin/sh\nout=''; url=''\nwhile [ $# -gt 0 ]; do\n  case \"$1\" in\n    -o) out=\"$2\"; shift ;;\n    https://*) url=\"$1\" ;;\n  esac\n  shift\ndone\ncp \"$SERVED/${url##*/}\" \"$out\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&curl, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("sh");
    command
        .arg(repo_root().join("install.sh"))
        .env("PATH", path)
        .env("SERVED", served)
        .env("BULLPEN_VERSION", "9.9.9")
        .env("BULLPEN_INSTALL_DIR", into)
        .env_remove("BULLPEN_SHA256");
    if let Some(sum) = pinned {
        command.env("BULLPEN_SHA256", sum);
    }
    command.output().unwrap()
}

#[cfg(unix)]
#[test]
fn the_install_script_checks_the_checksum_before_installing() {
    let arch = String::from_utf8(Command::new("uname").arg("-m").output().unwrap().stdout).unwrap();
    let target = match arch.trim() {
        "x86_64" => "x86_64-unknown-linux-musl",
        "aarch64" => "aarch64-unknown-linux-musl",
        other => panic!("no release target for {other}"),
    };
    require_program("sha256sum", "--version", "apt-get install coreutils");
    // A release archive laid out as the release workflow makes it.
    let served = tempfile::tempdir().unwrap();
    let name = format!("bullpen-v9.9.9-{target}");
    std::fs::create_dir_all(served.path().join(&name)).unwrap();
    // A stand-in binary: copying the real one would only make the test slow.
    let fake = served.path().join(&name).join("bullpen");
    std::fs::write(&fake, "#!/bin/sh\necho 'bullpen 9.9.9 (revision test)'\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let archive = format!("{name}.tar.gz");
    let packed = Command::new("tar")
        .args(["-czf", &archive, &name])
        .current_dir(served.path())
        .status()
        .unwrap();
    assert!(packed.success());
    let summed = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(served.path())
        .output()
        .unwrap();
    let sums = String::from_utf8(summed.stdout).unwrap();
    std::fs::write(served.path().join(format!("{archive}.sha256")), &sums).unwrap();
    let sum = sums.split_whitespace().next().unwrap().to_string();

    let into = tempfile::tempdir().unwrap();
    let installed = install_script(served.path(), into.path(), None);
    let said = String::from_utf8_lossy(&installed.stderr);
    assert!(installed.status.success(), "{said}");
    assert!(said.contains("installed bullpen "), "{said}");
    let version = stdout(
        &Command::new(into.path().join("bullpen"))
            .arg("--version")
            .output()
            .unwrap(),
    );
    assert_eq!(version, "bullpen 9.9.9 (revision test)\n");

    // A pinned checksum is checked instead of the published one.
    let pinned_dir = tempfile::tempdir().unwrap();
    let pinned = install_script(served.path(), pinned_dir.path(), Some(&sum));
    assert!(
        pinned.status.success(),
        "{}",
        String::from_utf8_lossy(&pinned.stderr)
    );

    // A wrong checksum installs nothing.
    let wrong_dir = tempfile::tempdir().unwrap();
    let wrong = install_script(served.path(), wrong_dir.path(), Some(&"0".repeat(64)));
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("checksum mismatch"));
    assert!(!wrong_dir.path().join("bullpen").exists());
}
