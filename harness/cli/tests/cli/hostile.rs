//! The hostile-binding self-test: a stand-in for the seed binding (`hostile_binding.py`) whose
//! `checked_mul(n, 1)` misbehaves in way number n, against the seed adapter, which returns n.
//!
//! Each behaviour gets its exact verdict, and the run goes on to the next: values the model
//! cannot hold are `output` failures naming where; exceptions that cannot be printed,
//! `SystemExit` and `KeyboardInterrupt` are exceptions like any other; a process that exits,
//! crashes or hangs is a `crash` or `timeout` of that scenario alone; what the binding prints is
//! shown with its failure only, and a forged protocol line is just output.

use std::process::Command;

use super::{fixtures, seed_manifest, text};

/// The expected verdict of scenario `hNN`: its first lines, as `conformance run` prints them.
const VERDICTS: [(u32, &str); 22] = [
    (
        1,
        "  step 1 [output] checked_mul(): Python gave a list that contains itself (at $[1]), \
         which no canonical value can hold",
    ),
    (
        2,
        "  step 1 [output] checked_mul(): Python gave a dict that contains itself (at $.self), \
         which no canonical value can hold",
    ),
    (
        3,
        "  step 1 [output] checked_mul(): Python gave a value nested deeper than 32 containers (at $[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]), which no canonical value can hold",
    ),
    (
        4,
        r#"  step 1 [output] checked_mul(): at $: int 4 on rust, object {"$object":{"class":"object","state":{}}} on python"#,
    ),
    (
        5,
        r#"  step 1 [output] checked_mul(): at $: int 5 on rust, object {"$object":{"class":"generator","state":{}}} on python"#,
    ),
    (
        6,
        r#"  step 1 [output] checked_mul(): at $: int 6 on rust, dict {"$dict":[[{"$float":"nan"},1],[{"$float":"nan"},2]]} on python"#,
    ),
    (
        7,
        r#"  step 1 [output] checked_mul(): at $: 7 on rust, {"$int":"1000000000000000000000000000000000000000000000000000000000000000000000… on python"#,
    ),
    (
        8,
        r#"  step 1 [output] checked_mul(): at $: int 8 on rust, str {"$utf16":"d800"} on python"#,
    ),
    (
        9,
        "  step 1 [exception] checked_mul(): Python raised hostile_binding.Unprintable where \
         Rust returned a value\n    rust     9\n    python   raised hostile_binding.Unprintable: \
         <exception str() failed>",
    ),
    (
        10,
        "  step 1 [exception] checked_mul(): Python raised builtins.SystemExit where Rust \
         returned a value",
    ),
    (
        11,
        "  step 1 [exception] checked_mul(): Python raised builtins.KeyboardInterrupt where \
         Rust returned a value",
    ),
    (
        12,
        "  scenario [crash] the process running this scenario died (exit code 0)",
    ),
    (13, "PASS"),
    (
        14,
        "  scenario [crash] the process running this scenario died (killed by SIGSEGV (11))",
    ),
    (
        15,
        "  scenario [crash] the process running this scenario died (killed by SIGABRT (6))",
    ),
    (
        16,
        "  scenario [timeout] the scenario did not finish within 5 s; the worker was killed",
    ),
    (
        17,
        "  scenario [timeout] the scenario did not finish within 5 s; the worker was killed",
    ),
    (
        18,
        "  step 1 [exception] checked_mul(): Python raised builtins.RecursionError where Rust \
         returned a value",
    ),
    (
        19,
        "  scenario [crash] the process running this scenario died (exit code 3)",
    ),
    (20, "PASS"),
    (
        21,
        r#"  step 1 [output] checked_mul(): at $: int 21 on rust, str "forged" on python"#,
    ),
    (
        22,
        "  step 1 [output] checked_mul(): at $: 22 on rust, -1 on python\n    rust     22\n    \
         python   -1\n  file:  FILE\n  rerun: conformance run --component seed \
         'seed/scenarios/h22'\n  --- stdout ---\n  | said on stdout before diverging\n  --- \
         stderr ---\n  | said on stderr before diverging",
    ),
];

/// The fixtures: the seed manifest pointed at the hostile module, one scenario per behaviour.
fn hostile_fixtures() -> tempfile::TempDir {
    let manifest = seed_manifest().replace(
        r#""module": "seed_components""#,
        r#""module": "hostile_binding""#,
    );
    let scenarios: Vec<(String, String)> = VERDICTS
        .iter()
        .map(|(n, _)| {
            (
                format!("seed/scenarios/h{n:02}.json"),
                format!(r#"{{"steps": [{{"call": "checked_mul", "args": [{n}, 1]}}]}}"#),
            )
        })
        .collect();
    let mut files: Vec<(&str, &str)> = vec![("seed/manifest.json", &manifest)];
    files.extend(scenarios.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let dir = fixtures(&files);
    std::fs::write(
        dir.path().join("hostile_binding.py"),
        include_str!("hostile_binding.py"),
    )
    .unwrap();
    dir
}

fn conformance(dir: &tempfile::TempDir, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(args)
        // Room for a debug build under load; the hangs cost this much each.
        .arg("--timeout")
        .arg("5")
        .arg("--fixtures")
        .arg(dir.path())
        .arg("seed/scenarios/")
        .env("PYTHONPATH", dir.path())
        // A backtrace, if any panic reached the terminal, would show here.
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap()
}

#[test]
fn every_hostile_behaviour_gets_its_verdict_and_the_run_goes_on() {
    let dir = hostile_fixtures();
    let output = conformance(&dir, &["run"]);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stderr, "", "nothing reaches the terminal's stderr");
    for (n, expected) in VERDICTS {
        let id = format!("seed/scenarios/h{n:02}");
        let start = stdout
            .find(&format!(" {id}"))
            .unwrap_or_else(|| panic!("{id} has a verdict: {stdout}"));
        let block = &stdout[start..];
        if expected == "PASS" {
            assert!(
                stdout.contains(&format!("PASS {id} (1 step)")),
                "{id}: {stdout}"
            );
            continue;
        }
        let file = dir.path().join(format!("{id}.json"));
        let expected = expected.replace("FILE", &file.display().to_string());
        let body = &block[block.find('\n').unwrap() + 1..];
        assert!(
            body.starts_with(&expected),
            "{id}:\nexpected {expected}\n     got {}",
            &body[..body.len().min(expected.len() + 200)]
        );
    }
    assert_eq!(stdout.lines().last(), Some("2 passed, 20 failed"));
    // Passing cases stay quiet; a forged event is output, never a verdict.
    assert!(!stdout.contains("quiet on"), "{stdout}");
    assert_eq!(stdout.matches("PASS ").count(), 2, "{stdout}");
    // A 200,000-digit int is cut on the terminal.
    assert!(
        stdout.lines().all(|line| line.len() < 2_200),
        "a line floods the terminal"
    );
}

#[test]
fn the_gate_reports_each_case_with_its_own_output() {
    let dir = hostile_fixtures();
    let reports = tempfile::tempdir().unwrap();
    let out = reports.path().to_owned();
    let output = conformance(
        &dir,
        &["gate", "--out", out.to_str().unwrap(), "--cases", "1"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let case = |id: &str| {
        report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id} in the report"))
            .clone()
    };
    let diverging = case("seed/scenarios/h22");
    assert_eq!(
        diverging["output"]["stdout"],
        "said on stdout before diverging\n"
    );
    assert_eq!(
        diverging["output"]["stderr"],
        "said on stderr before diverging\n"
    );
    // A passing case keeps what it wrote in the report, and only there.
    assert_eq!(
        case("seed/scenarios/h20")["output"]["stdout"],
        "quiet on stdout\n"
    );
    assert!(!text(&output.stdout).contains("quiet on"));
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(
        junit.contains("<system-out>said on stdout before diverging"),
        "{junit}"
    );
    assert!(
        junit.contains("<system-err>said on stderr before diverging"),
        "{junit}"
    );
    // The forged lines are that case's output; they made no verdict of their own.
    let forged = case("seed/scenarios/h21");
    assert_eq!(forged["status"], "fail");
    assert!(
        forged["output"]["stdout"]
            .as_str()
            .unwrap()
            .contains(r#""event": "finished""#)
    );
    assert!(
        report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != "seed/scenarios/h21_forge")
    );
}

/// SIGINT or SIGTERM while a case runs: the gate stops, its reports are whole (report.json
/// valid against its schema, junit.xml well-formed XML) and say the run was interrupted, and it
/// exits 128 + the signal.
#[test]
fn an_interrupted_gate_leaves_whole_reports_and_exits_128_plus_the_signal() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures/schema/report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let dir = hostile_fixtures();
    for (signal, name, code) in [("-INT", "SIGINT", 130), ("-TERM", "SIGTERM", 143)] {
        let reports = tempfile::tempdir().unwrap();
        // h01 finishes at once; h17 sleeps for ten minutes.
        let gate = Command::new(env!("CARGO_BIN_EXE_conformance"))
            .args(["gate", "--timeout", "600", "--fixtures"])
            .arg(dir.path())
            .arg("--out")
            .arg(reports.path())
            .args(["seed/scenarios/h01", "seed/scenarios/h17"])
            .env("PYTHONPATH", dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let report_path = reports.path().join("report.json");
        let finished_one = || {
            std::fs::read_to_string(&report_path)
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                .is_some_and(|report| report["summary"]["total"] == 1)
        };
        let waited = std::time::Instant::now();
        while !finished_one() {
            assert!(waited.elapsed().as_secs() < 60, "h01 never finished");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        // Well inside h17's sleep.
        std::thread::sleep(std::time::Duration::from_millis(500));
        let status = Command::new("kill")
            .arg(signal)
            .arg(gate.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
        let output = gate.wait_with_output().unwrap();
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{name}: {stderr}");
        assert_eq!(stderr, format!("interrupted by {name}\n"));
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(report["interrupted"], name);
        assert_eq!(report["complete"], false);
        assert_eq!(report["summary"]["total"], 1);
        let junit = std::fs::read_to_string(reports.path().join("junit.xml")).unwrap();
        roxmltree::Document::parse(&junit).expect("junit.xml is well-formed");
        let summary = std::fs::read_to_string(reports.path().join("summary.md")).unwrap();
        assert!(
            summary.contains(&format!(
                "partial report: the run was interrupted by {name}"
            )),
            "{summary}"
        );
    }
}

/// `--no-capture`: what the binding writes goes through as it writes it, passing cases too.
#[test]
fn no_capture_shows_the_binding_s_output_live() {
    let dir = hostile_fixtures();
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["run", "--no-capture", "--fixtures"])
        .arg(dir.path())
        .args(["seed/scenarios/h20", "seed/scenarios/h22"])
        .env("PYTHONPATH", dir.path())
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("quiet on stdout\n"), "{stdout}");
    assert!(stderr.contains("quiet on stderr\n"), "{stderr}");
    assert!(!stdout.contains("--- stdout ---"), "{stdout}");
}
