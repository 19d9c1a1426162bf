//! The `bullpen` binary as a user runs it: exit codes and messages.

use crate::support::fixture;
use std::process::Command;

fn bullpen() -> Command {
    Command::new(crate::support::bin())
}

#[test]
fn build_succeeds_and_reports_what_it_wrote() {
    let out = tempfile::tempdir().unwrap();
    let output = bullpen()
        .args(["build", "--root"])
        .arg(fixture("small"))
        .arg("--out")
        .arg(out.path().join("site"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("built "));
    assert!(out.path().join("site/index.html").is_file());
}

#[test]
fn a_content_error_exits_non_zero_with_file_line_and_caret() {
    let dir = tempfile::tempdir().unwrap();
    crate::audience::copy_dir(&fixture("small"), dir.path());
    crate::audience::copy_dir(&fixture("invalid/unknown-manager"), dir.path());
    let output = bullpen()
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: the manager `mia-frod` is not a person"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/people/eve-stone.yaml:3:10"),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 | manager: mia-frod") && stderr.contains("^"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `mia-ford`?"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("public").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn init_writes_the_demo_and_refuses_a_non_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-site");
    let output = bullpen().arg("init").arg(&site).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(site.join("content/site.yaml").is_file());
    let built = bullpen()
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(site.join("public/index.html").is_file());

    let again = bullpen().arg("init").arg(&site).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not empty"));
}

#[test]
fn refuses_to_build_over_the_site_root() {
    let output = bullpen()
        .args(["build", "--root"])
        .arg(fixture("small"))
        .args(["--out", "."])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("refusing to build into"));
}

#[test]
fn help_describes_the_commands() {
    let output = bullpen().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("build") && help.contains("init"), "{help}");
    let build_help =
        String::from_utf8_lossy(&bullpen().args(["build", "--help"]).output().unwrap().stdout)
            .into_owned();
    assert!(
        build_help.contains("--audience") && build_help.contains("managers"),
        "{build_help}"
    );
}

#[test]
fn a_base_url_flag_that_is_not_a_web_address_is_refused() {
    for bad in [
        "javascript:alert(1)",
        "ftp://files.example.com/",
        "/sales/",
        "https://",
    ] {
        let out = tempfile::tempdir().unwrap();
        let output = bullpen()
            .args(["build", "--root"])
            .arg(fixture("small"))
            .arg("--out")
            .arg(out.path().join("site"))
            .args(["--base-url", bad])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{bad}: {stderr}");
        assert!(
            stderr.contains("--base-url") && stderr.contains("http:// or https://"),
            "{bad}: {stderr}"
        );
        assert!(!out.path().join("site").exists(), "{bad}");
    }
}
