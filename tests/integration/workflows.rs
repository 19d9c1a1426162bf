//! The CI examples a team copies are valid YAML with the steps they promise.

use crate::support::repo_root;

#[test]
fn every_workflow_file_parses_as_yaml() {
    let mut files: Vec<_> = std::fs::read_dir(repo_root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push(repo_root().join("examples/gitlab-ci.yml"));
    assert!(files.len() >= 3);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let value: serde_norway::Value =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(value.is_mapping(), "{}", file.display());
        assert!(text.contains("bullpen "), "{} runs bullpen", file.display());
    }
    let review =
        std::fs::read_to_string(repo_root().join(".github/workflows/bullpen-pull-request.yml"))
            .unwrap();
    assert!(
        review.contains("bullpen check --format github") && review.contains("bullpen diff --base")
    );
    let publish =
        std::fs::read_to_string(repo_root().join(".github/workflows/bullpen-publish.yml")).unwrap();
    assert!(publish.contains("--audience team") && publish.contains("deploy-pages"));
}
