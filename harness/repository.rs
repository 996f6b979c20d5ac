//! Repository-level checks: `cargo test -p pyo3-conformance-repository`.
//!
//! This crate has no code of its own. It exists because the repository root must be a package
//! for `cargo insta review` to find the pending snapshots under the top-level `snapshots/`
//! (cargo-insta searches package directories only), and it carries the one check that spans
//! fixtures and snapshots: CI rejects unreferenced snapshots.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                json_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "json") {
                found.push(path);
            }
        }
    }

    /// Every `.snap` under `snapshots/<component>/` is the recorded result of a scenario file or
    /// the API surface, every scenario has its recorded result, and no pending `.snap.new` is
    /// committed (CI never writes them).
    #[test]
    fn snapshots_and_fixtures_match_exactly() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for entry in std::fs::read_dir(root.join("fixtures")).unwrap().flatten() {
            let component = entry.path();
            if !component.join("manifest.json").is_file() {
                continue;
            }
            let name = component
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let mut expected: BTreeSet<String> = BTreeSet::from(["api_surface".to_owned()]);
            for folder in ["scenarios", "regressions"] {
                let mut files = Vec::new();
                json_files(&component.join(folder), &mut files);
                for file in files {
                    let relative = file.strip_prefix(&component).unwrap().with_extension("");
                    let parts: Vec<String> = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    expected.insert(parts.join("__"));
                }
            }
            let snapshots = root.join("snapshots").join(&name);
            let mut present = BTreeSet::new();
            for entry in std::fs::read_dir(&snapshots).unwrap().flatten() {
                let file = entry.file_name().to_string_lossy().into_owned();
                assert!(
                    !file.ends_with(".snap.new"),
                    "pending snapshot committed: {}",
                    snapshots.join(&file).display()
                );
                if let Some(stem) = file.strip_suffix(".snap") {
                    present.insert(stem.to_owned());
                }
            }
            let unreferenced: Vec<_> = present.difference(&expected).collect();
            let missing: Vec<_> = expected.difference(&present).collect();
            assert!(
                unreferenced.is_empty() && missing.is_empty(),
                "snapshots/{name}: unreferenced {unreferenced:?}, missing {missing:?} (run `cargo test`, then `cargo insta review`)"
            );
            checked += 1;
        }
        assert!(checked >= 1, "no component found under fixtures/");
    }
}
