//! `conformance gate`: the ledger rules, the reports, shards and merge, partial reports.
//!
//! Reports go to a temporary directory of their own (a folder inside the fixtures would be
//! taken for a component). Ledger tests run on a small fixtures tree (the seed manifest, one passing and one diverging
//! scenario) with the filters `seed/scenarios/` and `seed/ledger`, so only those cases run.

use std::path::Path;
use std::process::{Command, Output};

use crate::{fixtures, seed_manifest, text};

fn gate(fixtures: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["gate", "--fixtures"])
        .arg(fixtures)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

const FINE: &str =
    r#"{"steps": [{"call": "unique", "args": [[2, 1]], "expect": {"$set": [1, 2]}}]}"#;
const DIVERGE: &str = r#"{"steps": [{"call": "unique", "args": [[1]], "expect": {"$set": [2]}}]}"#;

/// The gate's output, its report.json, and the exit code, for a ledger (or none).
fn gate_with_ledger(ledger: Option<&str>) -> (i32, String, serde_json::Value) {
    let manifest = seed_manifest();
    let mut files = vec![
        ("seed/manifest.json", manifest.as_str()),
        ("seed/scenarios/fine.json", FINE),
        ("seed/scenarios/diverge.json", DIVERGE),
    ];
    if let Some(ledger) = ledger {
        files.push(("seed/ledger.json", ledger));
    }
    let dir = fixtures(&files);
    let reports = tempfile::tempdir().unwrap();
    let out = reports.path().to_owned();
    let output = gate(dir.path(), &out, &["seed/scenarios/", "seed/ledger"]);
    let report =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    (
        output.status.code().unwrap(),
        text(&output.stdout) + &text(&output.stderr),
        report,
    )
}

fn entry(case: &str, kind: &str, message: &str) -> String {
    format!(
        r#"{{"entries": [{{"selector": {{"case": "{case}"}}, "kind": "{kind}", "message": "{message}",
            "reason": "the fixture expects a different set on purpose", "link": "https://example.invalid/1"}}]}}"#
    )
}

fn status_of<'a>(report: &'a serde_json::Value, id: &str) -> &'a str {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()["status"]
        .as_str()
        .unwrap()
}

#[test]
fn without_a_ledger_a_divergence_fails_the_gate() {
    let (code, output, report) = gate_with_ledger(None);
    assert_eq!(code, 1, "{output}");
    assert!(output.ends_with("2 passed, 1 failed\n"), "{output}");
    assert_eq!(status_of(&report, "seed/scenarios/diverge"), "fail");
    assert_eq!(
        report["summary"],
        serde_json::json!({"total": 3, "passed": 2, "failed": 1, "known": 0, "skipped": 0})
    );
    assert_eq!(report["complete"], true);
}

#[test]
fn a_known_failure_passes_the_gate() {
    let (code, output, report) = gate_with_ledger(Some(&entry(
        "seed/scenarios/diverge",
        "output",
        "set elements differ",
    )));
    assert_eq!(code, 0, "{output}");
    assert!(
        output.ends_with("2 passed, 0 failed, 1 known\n"),
        "{output}"
    );
    let case = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "seed/scenarios/diverge")
        .unwrap();
    assert_eq!(case["status"], "known");
    assert_eq!(case["failures"][0]["known"], true);
    assert_eq!(
        case["failures"][0]["ledger"],
        "the fixture expects a different set on purpose (https://example.invalid/1)"
    );
}

#[test]
fn an_unexpected_pass_fails_the_gate() {
    let (code, output, report) =
        gate_with_ledger(Some(&entry("seed/scenarios/fine", "output", "anything")));
    assert_eq!(code, 1, "{output}");
    assert_eq!(status_of(&report, "seed/scenarios/fine"), "fail");
    assert!(
        output.contains(
            "ledger: unexpected pass — seed/scenarios/fine no longer fails with output /anything/"
        ),
        "{output}"
    );
}

#[test]
fn a_different_failure_fails_the_gate() {
    let (code, output, _) = gate_with_ledger(Some(&entry(
        "seed/scenarios/diverge",
        "exception",
        "set elements differ",
    )));
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("ledger: seed/scenarios/diverge fails differently than recorded — the entry expects exception /set elements differ/, the case has output"),
        "{output}"
    );
}

#[test]
fn a_stale_entry_fails_the_gate() {
    let (code, output, report) =
        gate_with_ledger(Some(&entry("seed/scenarios/gone", "output", "x")));
    assert_eq!(code, 1, "{output}");
    assert_eq!(status_of(&report, "seed/ledger"), "fail");
    assert!(
        output.contains("ledger: stale entry — case seed/scenarios/gone does not exist"),
        "{output}"
    );
}

#[test]
fn a_malformed_ledger_is_bad_input() {
    let manifest = seed_manifest();
    let dir = fixtures(&[
        ("seed/manifest.json", &manifest),
        (
            "seed/ledger.json",
            "{\"entries\": [\n  {\"selector\": {}}\n]}",
        ),
    ]);
    let reports = tempfile::tempdir().unwrap();
    let output = gate(dir.path(), reports.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(&format!(
            "error: {}/seed/ledger.json:2: missing field `kind`",
            dir.path().display()
        )),
        "{stderr}"
    );
}

#[test]
fn ledger_update_writes_entries_that_make_the_failures_known() {
    let manifest = seed_manifest();
    let dir = fixtures(&[
        ("seed/manifest.json", &manifest),
        ("seed/scenarios/diverge.json", DIVERGE),
    ]);
    let reports = tempfile::tempdir().unwrap();
    let out = reports.path().to_owned();
    assert_eq!(
        gate(dir.path(), &out, &["seed/scenarios/", "seed/ledger"])
            .status
            .code(),
        Some(1)
    );
    let update = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["ledger", "update", "--fixtures"])
        .arg(dir.path())
        .arg("--report")
        .arg(out.join("report.json"))
        .output()
        .unwrap();
    assert_eq!(update.status.code(), Some(0), "{}", text(&update.stderr));
    let ledger = std::fs::read_to_string(dir.path().join("seed/ledger.json")).unwrap();
    assert!(
        ledger.contains("TODO: why this divergence is accepted"),
        "{ledger}"
    );
    let again = gate(dir.path(), &out, &["seed/scenarios/", "seed/ledger"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
    assert!(text(&again.stdout).ends_with("1 passed, 0 failed, 1 known\n"));
}

#[test]
fn four_shards_merged_give_the_report_of_one_run() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let out = tempfile::tempdir().unwrap();
    let whole = gate(&fixtures, &out.path().join("whole"), &[]);
    assert_eq!(whole.status.code(), Some(0), "{}", text(&whole.stdout));
    let mut shards = Vec::new();
    for k in 1..=4 {
        let dir = out.path().join(format!("shard{k}"));
        let shard = gate(&fixtures, &dir, &["--shard", &format!("{k}/4")]);
        assert_eq!(shard.status.code(), Some(0), "{}", text(&shard.stdout));
        shards.push(dir);
    }
    let merged = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("merge")
        .arg("--out")
        .arg(out.path().join("merged"))
        .args(&shards)
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(0), "{}", text(&merged.stderr));
    for file in ["report.json", "junit.xml", "summary.md"] {
        let one = std::fs::read_to_string(out.path().join("whole").join(file)).unwrap();
        let four = std::fs::read_to_string(out.path().join("merged").join(file)).unwrap();
        assert_eq!(
            one, four,
            "{file} differs between one run and four merged shards"
        );
    }
    let sizes: Vec<usize> = shards
        .iter()
        .map(|d| {
            let report: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(d.join("report.json")).unwrap())
                    .unwrap();
            report["cases"].as_array().unwrap().len()
        })
        .collect();
    assert!(
        sizes.iter().all(|n| *n > 0),
        "every shard gets cases: {sizes:?}"
    );
}

#[test]
fn an_interrupted_gate_leaves_a_readable_partial_report() {
    // A stand-in binding that never returns from one function: the gate is killed while it
    // waits, after the first case has been reported.
    let manifest = seed_manifest().replace(
        r#""module": "seed_components""#,
        r#""module": "slow_binding""#,
    );
    let dir = fixtures(&[
        ("seed/manifest.json", &manifest),
        (
            "seed/scenarios/a_fine.json",
            r#"{"steps": [{"call": "component_a"}]}"#,
        ),
        (
            "seed/scenarios/b_slow.json",
            r#"{"steps": [{"call": "checked_mul", "args": [1, 2]}]}"#,
        ),
    ]);
    std::fs::write(
        dir.path().join("slow_binding.py"),
        "import time\ndef component_a():\n    return {'output': ''}\ndef checked_mul(a, b):\n    time.sleep(600)\n",
    )
    .unwrap();
    let reports = tempfile::tempdir().unwrap();
    let out = reports.path().to_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["gate", "--fixtures"])
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .arg("seed/scenarios/")
        .env("PYTHONPATH", dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let report_path = out.join("report.json");
    let has_a_case = || {
        std::fs::read_to_string(&report_path)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|r| r["cases"].as_array().is_some_and(|c| !c.is_empty()))
    };
    // Waits for a condition, not for a time: the first case is written before the slow one
    // starts. (The bound only keeps a broken gate from hanging the test forever.)
    for _ in 0..600 {
        if has_a_case() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert_eq!(report["complete"], false);
    assert_eq!(report["cases"][0]["id"], "seed/scenarios/a_fine");
    let summary = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        summary.contains("partial report: the run has not finished"),
        "{summary}"
    );
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(
        junit.contains(r#"<testcase name="seed/scenarios/a_fine""#),
        "{junit}"
    );
}

/// Copies `from` into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn ledger_update_drafts_few_general_entries_that_turn_a_real_pair_green() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    copy_tree(&root.join("fixtures/uuid"), &fixtures.join("uuid"));
    copy_tree(&root.join("fixtures/schema"), &fixtures.join("schema"));
    copy_tree(
        &root.join("snapshots/uuid"),
        &dir.path().join("snapshots/uuid"),
    );
    std::fs::remove_file(fixtures.join("uuid/ledger.json")).unwrap();
    // A missing snapshot is a setup condition to fix, never an entry to draft.
    std::fs::remove_file(dir.path().join("snapshots/uuid/scenarios__bad_input.snap")).unwrap();

    let out = dir.path().join("out");
    let first = gate(&fixtures, &out, &[]);
    assert_eq!(first.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let failures: usize = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| case["failures"].as_array().unwrap().len())
        .sum();
    // The hint for the missing snapshot is the command that records it.
    assert!(
        text(&first.stdout).contains(
            "record it with `INSTA_UPDATE=always cargo test -p uuid-conformance --test scenarios -- --exact 'scenario::scenarios/bad_input.json'`"
        ),
        "{}",
        text(&first.stdout)
    );
    let update = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["ledger", "update", "--fixtures"])
        .arg(&fixtures)
        .arg("--report")
        .arg(out.join("report.json"))
        .output()
        .unwrap();
    assert_eq!(update.status.code(), Some(0), "{}", text(&update.stderr));
    let ledger_text = std::fs::read_to_string(fixtures.join("uuid/ledger.json")).unwrap();
    let ledger: serde_json::Value = serde_json::from_str(&ledger_text).unwrap();
    let entries = ledger["entries"].as_array().unwrap();
    assert!(
        entries.len() * 3 <= failures,
        "{} entries for {failures} failures: {ledger_text}",
        entries.len()
    );
    assert_eq!(ledger["$schema"], "../schema/ledger.schema.json");
    assert!(
        !ledger_text.contains(&*dir.path().to_string_lossy()),
        "{ledger_text}"
    );
    assert!(!ledger_text.contains("uuid/snapshots"), "{ledger_text}");
    assert!(
        entries.iter().all(|e| e["selector"]["step"].is_null()),
        "{ledger_text}"
    );

    // Applied unchanged, the drafted ledger turns the run green, but for the missing snapshot.
    std::fs::copy(
        root.join("snapshots/uuid/scenarios__bad_input.snap"),
        dir.path().join("snapshots/uuid/scenarios__bad_input.snap"),
    )
    .unwrap();
    let again = gate(&fixtures, &dir.path().join("again"), &[]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
}
