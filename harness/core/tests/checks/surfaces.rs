//! The API-surface reader on the patterns of real PyO3 packages: one directory under
//! `surfaces/` per pattern (a module beside its stub, or a package), scanned as
//! `conformance scan` does (runtime against stub). Each snapshot holds every finding, which must
//! be exactly the drifts the fixture seeds (marked `# seeded:`): no other. Review changes with
//! `cargo insta review`; run one with `INSTA_GLOB_FILTER=surf_overloads`.

use std::path::Path;

use pyo3::prelude::*;

use crate::support::on_python_path;

/// Every finding of the runtime-against-stub comparison of the module in `dir`.
fn findings(dir: &Path) -> String {
    let module = dir.file_name().unwrap().to_str().unwrap().to_owned();
    on_python_path(dir);
    let inspected =
        Python::attach(|py| pyo3_conformance::__private::inspect_module(py, &module, None, None))
            .unwrap_or_else(|e| panic!("{module}: {e}"));
    let (_, stub) = inspected
        .stub
        .unwrap_or_else(|| panic!("{module}: no stub found"));
    let views = pyo3_conformance::__private::SurfaceViews {
        module: module.clone(),
        declared: None,
        runtime: inspected.runtime,
        stub: Some(stub),
    };
    let lines: Vec<String> = pyo3_conformance::__private::compare_views(&views)
        .into_iter()
        .map(|f| f.message)
        .collect();
    lines.join("\n") + "\n"
}

#[test]
fn each_surface_fixture_finds_exactly_its_seeded_drifts() {
    insta::glob!("surfaces/surf_*", |dir| {
        let found = findings(dir);
        insta::assert_snapshot!("findings", found);
        // The fixture says what it seeds; the snapshot must not hold more or fewer findings.
        let seeded = seeded_count(dir);
        assert_eq!(
            found.lines().count(),
            seeded,
            "{}: {seeded} seeded drifts, findings:\n{found}",
            dir.display()
        );
    });
}

/// How many `# seeded:` marks the fixture's files carry.
fn seeded_count(dir: &Path) -> usize {
    let mut count = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("py" | "pyi")
            ) {
                count += std::fs::read_to_string(&path)
                    .unwrap()
                    .matches("# seeded:")
                    .count();
            }
        }
    }
    count
}
