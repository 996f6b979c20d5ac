//! Interpreters: each case records the one it ran in, ledger entries scope to some, and
//! `merge` joins runs on several into one report whose matrix shows a case that diverges on
//! one interpreter only.

use std::path::Path;
use std::process::Command;

use crate::{fixtures, seed_manifest, text};

const DIVERGE: &str = r#"{"steps": [{"call": "unique", "args": [[1]], "expect": {"$set": [2]}}]}"#;

/// The project venv's interpreter as major.minor: the one the gate embeds.
fn current_minor() -> String {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    let output = Command::new(python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .unwrap();
    text(&output.stdout).trim().to_owned()
}

fn gate_with_scope(scope: &str) -> (i32, String, serde_json::Value) {
    let manifest = seed_manifest();
    let ledger = format!(
        r#"{{"entries": [{{"selector": {{"case": "seed/scenarios/diverge", "interpreters": [{scope}]}},
            "kind": "output", "message": "set elements differ", "reason": "on purpose"}}]}}"#
    );
    let dir = fixtures(&[
        ("seed/manifest.json", &manifest),
        ("seed/scenarios/diverge.json", DIVERGE),
        ("seed/ledger.json", &ledger),
    ]);
    let reports = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["gate", "--fixtures"])
        .arg(dir.path())
        .arg("--out")
        .arg(reports.path())
        .args(["seed/scenarios/", "seed/ledger"])
        .output()
        .unwrap();
    let report = std::fs::read_to_string(reports.path().join("report.json"))
        .map(|text| serde_json::from_str(&text).unwrap())
        .unwrap_or_default();
    (
        output.status.code().unwrap(),
        text(&output.stdout) + &text(&output.stderr),
        report,
    )
}

#[test]
fn a_ledger_entry_holds_on_the_interpreters_it_names_and_nowhere_else() {
    let minor = current_minor();
    let (code, output, report) = gate_with_scope(&format!(r#""{minor}""#));
    assert_eq!(code, 0, "{output}");
    let case = &report["cases"][1];
    assert_eq!(case["id"], "seed/scenarios/diverge");
    assert_eq!(case["status"], "known");
    assert_eq!(
        case["interpreter"]["version"].as_str().unwrap()[..minor.len()],
        minor
    );
    assert_eq!(case["interpreter"]["implementation"], "CPython");
    // Scoped elsewhere: it accepts nothing here, and is not stale either.
    let (code, output, report) = gate_with_scope(r#""2.7""#);
    assert_eq!(code, 1, "{output}");
    assert_eq!(report["cases"][1]["status"], "fail");
    assert_eq!(report["cases"][0]["id"], "seed/ledger");
    assert_eq!(report["cases"][0]["status"], "pass", "{output}");
    // A scope that names no interpreter is bad input.
    let (code, output, _) = gate_with_scope(r#""3.x""#);
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains(r#"interpreters are named major.minor, such as "3.9", not "3.x""#),
        "{output}"
    );
}

/// A report of one run, with each case's status on one interpreter.
fn report_on(version: &str, cases: &[(&str, &str)]) -> String {
    let minor: String = version.split('.').take(2).collect::<Vec<_>>().join("");
    let cases: Vec<serde_json::Value> = cases
        .iter()
        .map(|(id, status)| {
            let failures = if *status == "pass" {
                serde_json::json!([])
            } else {
                serde_json::json!([{"kind": "output", "message": "at $: 1 on rust, 1.0 on python",
                    "path": "$", "rust": "1", "python": "1.0", "known": false}])
            };
            serde_json::json!({
                "id": id, "component": "seed", "file": format!("{id}.json"), "status": status,
                "failures": failures, "rerun": {"conformance": format!("conformance run '{id}'")},
                "interpreter": {"version": version, "implementation": "CPython", "abi": format!("cp{minor}")}
            })
        })
        .collect();
    serde_json::json!({
        "summary": {"total": 0, "passed": 0, "failed": 0, "known": 0},
        "complete": true,
        "cases": cases
    })
    .to_string()
}

#[test]
fn merge_shows_a_case_that_diverges_on_one_interpreter_only() {
    let dir = tempfile::tempdir().unwrap();
    let runs = [("3.9.18", "fail"), ("3.12.1", "pass"), ("3.10.13", "pass")];
    let mut paths = Vec::new();
    for (version, status) in runs {
        let path = dir.path().join(format!("report-{version}.json"));
        std::fs::write(
            &path,
            report_on(
                version,
                &[
                    ("seed/scenarios/floats", status),
                    ("seed/scenarios/ints", "pass"),
                ],
            ),
        )
        .unwrap();
        paths.push(path);
    }
    let out = dir.path().join("merged");
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("merge")
        .arg("--out")
        .arg(&out)
        .args(&paths)
        .output()
        .unwrap();
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[1..4],
        [
            "case                   3.9     3.10    3.12  ",
            "seed/scenarios/floats  FAIL    PASS    PASS    <- fails on 3.9 only",
            "seed/scenarios/ints    PASS    PASS    PASS  ",
        ],
        "{stdout}"
    );
    assert_eq!(lines[4], "5 passed, 1 failed");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["total"], 6);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("fails on 3.9 only"), "the page says so too");
    assert!(html.contains(r#"<details id="case-seed-scenarios-floats@3.9" open>"#));
}
