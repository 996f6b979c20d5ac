//! `conformance run`: exit codes, reports of divergences, bad input, crashes and hangs.

use std::path::PathBuf;
use std::process::Command;

use crate::{fixtures, run, seed_manifest, text};

#[test]
fn wrong_expectation_exits_1_and_shows_both_sides_and_the_path() {
    let manifest = seed_manifest();
    let dir = fixtures(&[
        ("seed/manifest.json", &manifest),
        (
            "seed/scenarios/wrong.json",
            r#"{"steps": [
                {"new": "Store", "bind": "s"},
                {"call": "put", "on": "s", "args": ["a", 1]},
                {"call": "items", "on": "s", "expect": [{"$tuple": ["a", 2]}]}
            ]}"#,
        ),
        (
            "seed/scenarios/right.json",
            r#"{"steps": [{"call": "unique", "args": [[2, 1]], "expect": {"$set": [1, 2]}}]}"#,
        ),
    ]);
    // Scenarios and signatures; the error-contract case would (rightly) fail on coverage here.
    let output = run(dir.path(), &["seed/s"]);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("FAIL seed/scenarios/wrong"), "{stdout}");
    assert!(stdout.contains("PASS seed/scenarios/right"), "{stdout}");
    assert!(
        stdout.contains(r#"expected [{"$tuple":["a",2]}]"#),
        "{stdout}"
    );
    assert!(
        stdout.contains(r#"rust     [{"$tuple":["a",1]}]"#)
            && stdout.contains(r#"python   [{"$tuple":["a",1]}]"#),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("step 3 [output] s.items(): at $[0][1]: 2 on expected, 1 on rust and python"),
        "{stdout}"
    );
    assert!(
        stdout.contains("rerun: conformance run --component seed 'seed/scenarios/wrong'"),
        "{stdout}"
    );
    assert!(stdout.contains("PASS seed/signatures"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("2 passed, 1 failed"));
}

#[test]
fn a_filter_runs_only_matching_scenarios() {
    let manifest = seed_manifest();
    let dir = fixtures(&[
        ("seed/manifest.json", &manifest),
        (
            "seed/scenarios/one.json",
            r#"{"steps": [{"call": "component_a"}]}"#,
        ),
        (
            "seed/scenarios/two.json",
            r#"{"steps": [{"call": "component_a"}]}"#,
        ),
    ]);
    let output = run(dir.path(), &["two"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "PASS seed/scenarios/two (1 step)\n1 passed, 0 failed\n"
    );
}

/// Bad input: exit 2, one line on stderr naming the file (and line), nothing on stdout, no panic.
pub(crate) fn assert_bad_input(files: &[(&str, &str)], expected: &str) {
    let dir = fixtures(files);
    let output = run(dir.path(), &[]);
    let stderr = text(&output.stderr);
    let expected = expected.replace("{dir}", &dir.path().display().to_string());
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line, got: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    assert_eq!(stderr.trim_end(), expected);
    assert_eq!(text(&output.stdout), "", "bad input runs nothing");
}

pub(crate) fn with_scenario(scenario: &str) -> Vec<(&'static str, String)> {
    vec![
        ("seed/manifest.json", seed_manifest()),
        ("seed/scenarios/bad.json", scenario.to_owned()),
    ]
}

pub(crate) fn refs<'a>(files: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    files
        .iter()
        .map(|(path, text)| (*path, text.as_str()))
        .collect()
}

#[test]
fn invalid_json_names_file_and_line() {
    let files = with_scenario("{\"steps\": [\n  {\"call\": \"component_a\",}\n]}");
    assert_bad_input(
        &refs(&files),
        "error: {dir}/seed/scenarios/bad.json:2: trailing comma",
    );
}

#[test]
fn unknown_operation_names_file_and_line_of_the_step() {
    let files = with_scenario(
        "{\"steps\": [\n  {\"call\": \"component_a\"},\n  {\"call\": \"component_c\"}\n]}",
    );
    assert_bad_input(
        &refs(&files),
        "error: {dir}/seed/scenarios/bad.json:3: step 2: unknown operation 'component_c': the manifest declares no such function",
    );
}

#[test]
fn wrong_number_of_arguments_names_file_and_line() {
    let files = with_scenario("{\"steps\": [\n  {\"call\": \"checked_mul\", \"args\": [1]}\n]}");
    assert_bad_input(
        &refs(&files),
        "error: {dir}/seed/scenarios/bad.json:2: step 1: wrong arguments for 'checked_mul': checked_mul() missing required argument 'b'",
    );
}

#[test]
fn malformed_value_tag_names_file_line_and_tag() {
    let files =
        with_scenario("{\"steps\": [\n  {\"call\": \"unique\",\n   \"args\": [{\"$set\": 7}]}\n]}");
    assert_bad_input(
        &refs(&files),
        "error: {dir}/seed/scenarios/bad.json:3: malformed $set value (a dict whose only key is \"$set\" is written {\"$plain\": {\"$set\": ...}} or {\"$dict\": [[\"$set\", ...]]}): invalid type: integer `7`, expected a sequence",
    );
}

#[test]
fn missing_manifest_names_the_file() {
    assert_bad_input(
        &[("seed/scenarios/a.json", r#"{"steps": []}"#)],
        "error: {dir}/seed/manifest.json: missing manifest: every component directory needs one",
    );
}

#[test]
fn malformed_manifest_names_file_and_line() {
    assert_bad_input(
        &[(
            "seed/manifest.json",
            "{\n  \"component\": \"seed\",\n  \"module\": 3\n}",
        )],
        "error: {dir}/seed/manifest.json:3: invalid type: integer `3`, expected a string",
    );
}

#[test]
fn unknown_component_and_missing_fixtures_are_usage_errors() {
    let manifest = seed_manifest();
    let dir = fixtures(&[("seed/manifest.json", &manifest)]);
    let output = run(dir.path(), &["--component", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no component named 'nope'"));
    let missing: PathBuf = dir.path().join("absent");
    let output = run(&missing, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).starts_with(&format!("error: {}: cannot read", missing.display()))
    );
}

#[test]
fn a_component_without_an_adapter_is_a_usage_error() {
    let dir = fixtures(&[(
        "other/manifest.json",
        r#"{"component": "other", "module": "json"}"#,
    )]);
    let output = run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("no Rust adapter is registered for component 'other'"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_crash_and_a_hang_are_verdicts_and_the_run_goes_on() {
    // A stand-in binding (pure Python, found through PYTHONPATH) that aborts the process in one
    // function and never returns from another.
    let manifest = seed_manifest().replace(
        r#""module": "seed_components""#,
        r#""module": "crashing_binding""#,
    );
    let dir = fixtures(&[
        ("seed/manifest.json", &manifest),
        (
            "seed/scenarios/a_fine.json",
            r#"{"steps": [{"call": "component_a"}]}"#,
        ),
        (
            "seed/scenarios/b_crash.json",
            r#"{"steps": [{"call": "component_b", "args": [{}]}]}"#,
        ),
        (
            "seed/scenarios/c_hang.json",
            r#"{"steps": [{"call": "checked_mul", "args": [1, 2]}]}"#,
        ),
        (
            "seed/scenarios/d_fine.json",
            r#"{"steps": [{"call": "component_a"}]}"#,
        ),
    ]);
    let module = "import os, time\n\
                  def component_a():\n    print('noise on stdout')\n    return {'output': ''}\n\
                  def component_b(data):\n    os.abort()\n\
                  def checked_mul(a, b):\n    time.sleep(600)\n";
    std::fs::write(dir.path().join("crashing_binding.py"), module).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["run", "--timeout", "1", "--fixtures"])
        .arg(dir.path())
        .arg("seed/scenarios/")
        .env("PYTHONPATH", dir.path())
        .output()
        .unwrap();
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("PASS seed/scenarios/a_fine"), "{stdout}");
    assert!(
        stdout.contains("[crash] the process running this scenario died (killed by SIGABRT (6))"),
        "{stdout}"
    );
    assert!(
        stdout.contains("[timeout] the scenario did not finish within 1 s"),
        "{stdout}"
    );
    assert!(
        stdout.contains("PASS seed/scenarios/d_fine"),
        "the run goes on: {stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("2 passed, 2 failed"));
    assert!(
        !stdout.contains("noise on stdout"),
        "the binding's prints stay out of the report"
    );
}
