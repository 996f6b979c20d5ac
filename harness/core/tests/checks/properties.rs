//! Property-run checks on stand-in modules: a faithful one passes; a fault is found, shrunk
//! and kept as a regression that replays it; a known divergence does not stop the search
//! for the next one; what cannot be generated is a loud skip unless the manifest opts it out;
//! a generated case that cannot run is a skip, never a divergence or a regression; defaults
//! shrink to being omitted; state machines say which operations a divergence needed.

use pyo3_conformance::__private::{
    Budget, CaseRunner, PropertyConfig, TargetReport, judged_run, load_component, run_properties,
    run_scenario, sample_scenarios,
};
use pyo3_conformance::Adapter;
use pyo3_conformance::model::{CaseStatus, FailureKind, Scenario};

use crate::support::{on_python_path, run_component, write_component};

fn adapter() -> Adapter {
    Adapter::new("props")
        .function("halve", |(x,): (i64,)| x / 2)
        .function("shout", |(text,): (String,)| text.to_uppercase())
        .class::<Vec<i64>>("Stack", |class| {
            class
                .constructor(|()| Vec::new())
                .method("push", |stack, (x,): (i64,)| stack.push(x))
                .method("pop", |stack, ()| stack.pop())
                .property("depth", |stack| stack.len())
        })
}

const MANIFEST: &str = r#"{
  "component": "props",
  "module": "MODULE",
  "functions": {
    "halve": {"params": [{"name": "x", "type": "int", "constraints": {"min": -1000, "max": 1000}}]},
    "shout": {"params": [{"name": "text", "type": "str"}]}
  },
  "classes": {
    "Stack": {
      "methods": {"push": {"params": [{"name": "x", "type": "int", "constraints": {"min": 0, "max": 9}}]}, "pop": {}},
      "properties": {"depth": {}}
    }
  }
}"#;

const GOOD: &str = r#"
def halve(x): return int(x / 2)
def shout(text): return text.upper()
class Stack:
    def __init__(self): self._items = []
    def push(self, x): self._items.append(x)
    def pop(self): return self._items.pop() if self._items else None
    @property
    def depth(self): return len(self._items)
"#;

fn setup(name: &str, source: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    setup_with(name, source, MANIFEST)
}

fn setup_with(name: &str, source: &str, manifest: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(format!("{name}.py")), source).unwrap();
    let component = dir.path().join(name).join("props");
    write_component(&component, &manifest.replace("MODULE", name), &[]);
    on_python_path(dir.path());
    (dir, component)
}

fn config() -> PropertyConfig {
    PropertyConfig {
        budget: Budget::cases(300),
        seed: 7,
    }
}

fn target<'r>(reports: &'r [TargetReport], id: &str) -> &'r TargetReport {
    reports.iter().find(|r| r.id == id).unwrap()
}

fn clean(report: &TargetReport) -> bool {
    report.divergences.is_empty() && report.skipped.is_none() && report.gaps.is_empty()
}

fn int_arg(scenario: &Scenario, step: usize, arg: usize) -> i64 {
    serde_json::from_value(scenario.steps[step].args[arg].to_json()).unwrap()
}

#[test]
fn a_faithful_binding_passes_every_target() {
    let (_dir, component) = setup("props_good", GOOD);
    let reports =
        run_properties(&adapter(), &load_component(&component).unwrap(), &config()).unwrap();
    assert_eq!(reports.len(), 3);
    for report in reports {
        assert!(clean(&report), "{report:?}");
        assert_eq!(report.cases, 300, "{}", report.id);
    }
}

/// A property run keeps what it can between cases (the planned step shapes, the Python
/// session's lookups): every case must still be judged exactly as the same scenario is as a
/// fixture file, planned and run from nothing. Checked on a binding with faults in a function
/// and in a state machine, so the verdicts compared hold failures.
#[test]
fn a_case_is_judged_by_a_property_run_as_by_a_fixture_file() {
    let faulty = GOOD.replace("int(x / 2)", "x // 2").replace(
        "self._items.pop() if self._items else None",
        "self._items.pop()",
    );
    let (_dir, path) = setup("props_same_verdict", &faulty);
    let (adapter, component) = (adapter(), load_component(&path).unwrap());
    let mut failing = 0;
    for target in ["halve", "Stack"] {
        let runner = CaseRunner::new(&adapter, &component, target);
        for (index, scenario) in sample_scenarios(&adapter, &component, target, 150, 3)
            .unwrap()
            .iter()
            .enumerate()
        {
            let warm = runner.run(scenario.clone()).unwrap().unwrap();
            let cold = run_scenario(&adapter, &component, "cold", scenario).unwrap();
            assert_eq!(
                warm.failures, cold.failures,
                "{target} case {index}: {scenario:?}"
            );
            assert_eq!(
                warm.steps, cold.steps,
                "{target} case {index}: {scenario:?}"
            );
            failing += usize::from(!cold.failures.is_empty());
        }
    }
    assert!(failing > 10, "the faults show in {failing} cases only");
}

#[test]
fn a_divergence_is_found_shrunk_and_kept_as_a_regression() {
    let faulty = GOOD.replace(
        "def halve(x): return int(x / 2)",
        "def halve(x): return x // 2",
    );
    let (_dir, component) = setup("props_floor", &faulty);
    let fixtures = load_component(&component).unwrap();
    let run = judged_run(&adapter(), &fixtures, Budget::cases(300), 7, true).unwrap();
    let halve = target(&run.reports, "props/prop/halve");
    assert_eq!(halve.divergences.len(), 1, "{halve:?}");
    let divergence = &halve.divergences[0];
    assert!(!divergence.known);
    // The search goes on after the first divergence: every case runs, many show it.
    assert_eq!(halve.cases, 300);
    assert!(divergence.cases > 1, "{}", divergence.cases);
    // Shrinking keeps the case failing: one step, a negative odd argument (the binary search
    // need not reach -1, since oddness is not monotonic).
    let minimal = &divergence.minimal;
    assert_eq!(minimal.steps.len(), 1);
    let x = int_arg(minimal, 0, 0);
    assert!(x < 0 && x % 2 != 0, "{x}");
    assert_eq!(
        divergence.failure.message,
        format!(
            "halve(): at $: {} on rust, {} on python",
            x / 2,
            x.div_euclid(2)
        )
    );
    // The other targets are unaffected.
    assert!(
        run.reports
            .iter()
            .filter(|r| r.id != "props/prop/halve")
            .all(clean)
    );
    assert_eq!(run.case.status, CaseStatus::Fail);

    // The regression is an ordinary scenario: it parses, and replays the divergence.
    assert_eq!(run.kept.len(), 1);
    let path = &run.kept[0].1;
    assert!(
        path.starts_with(component.join("regressions")),
        "{}",
        path.display()
    );
    let kept: Scenario = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(kept.steps, minimal.steps);
    let verdicts = run_component(&adapter(), &component);
    assert_eq!(verdicts.len(), 1);
    assert_eq!(verdicts[0].failures[0].message, divergence.failure.message);
}

/// Two faults in one target, one of them in the ledger: the known one is counted and the
/// search goes on to find, shrink and keep the other.
#[test]
fn a_known_divergence_does_not_hide_a_second_one() {
    let faulty = GOOD.replace(
        "def halve(x): return int(x / 2)",
        "def halve(x):\n    if x > 500: raise ValueError('too big')\n    return x // 2",
    );
    let (_dir, component) = setup("props_two_faults", &faulty);
    std::fs::write(
        component.join("ledger.json"),
        r#"{"entries": [{"selector": {"case": "props/properties"}, "kind": "output",
            "message": "^halve\\(\\): at \\$", "reason": "Python floors"}]}"#,
    )
    .unwrap();
    let fixtures = load_component(&component).unwrap();
    let run = judged_run(&adapter(), &fixtures, Budget::cases(300), 7, true).unwrap();
    let halve = target(&run.reports, "props/prop/halve");
    assert_eq!(halve.cases, 300);
    let (known, new): (Vec<_>, Vec<_>) = halve.divergences.iter().partition(|d| d.known);
    assert_eq!(known.len(), 1, "{halve:?}");
    assert_eq!(known[0].failure.kind, FailureKind::Output);
    assert_eq!(new.len(), 1, "{halve:?}");
    assert_eq!(new[0].failure.kind, FailureKind::Exception);
    // Shrunk to the smallest argument that raises.
    assert_eq!(int_arg(&new[0].minimal, 0, 0), 501);
    // Only the new one is kept; the case fails on it alone.
    assert_eq!(run.kept.len(), 1);
    assert_eq!(run.case.status, CaseStatus::Fail);
    let unaccepted: Vec<_> = run.case.failures.iter().filter(|f| !f.known).collect();
    assert_eq!(unaccepted.len(), 1);
    assert_eq!(unaccepted[0].kind, "exception");

    // With both in the ledger the case is known, and nothing is kept.
    std::fs::write(
        component.join("ledger.json"),
        r#"{"entries": [
            {"selector": {"case": "props/properties"}, "kind": "output", "message": "^halve", "reason": "floors"},
            {"selector": {"case": "props/properties"}, "kind": "exception", "message": "^halve", "reason": "too big"}]}"#,
    )
    .unwrap();
    std::fs::remove_dir_all(component.join("regressions")).unwrap();
    let run = judged_run(&adapter(), &fixtures, Budget::cases(300), 7, true).unwrap();
    assert_eq!(run.case.status, CaseStatus::Known);
    assert!(run.kept.is_empty());
}

#[test]
fn a_run_is_deterministic_for_a_seed() {
    let faulty = GOOD.replace(
        "def shout(text): return text.upper()",
        "def shout(text): return text.upper() if text.isascii() else text",
    );
    let (_dir, component) = setup("props_seeded", &faulty);
    let fixtures = load_component(&component).unwrap();
    let minimal = |seed| {
        let config = PropertyConfig {
            budget: Budget::cases(300),
            seed,
        };
        let reports = run_properties(&adapter(), &fixtures, &config).unwrap();
        let shout = target(&reports, "props/prop/shout");
        assert_eq!(shout.divergences.len(), 1, "{shout:?}");
        serde_json::to_string(&shout.divergences[0].minimal).unwrap()
    };
    assert_eq!(minimal(11), minimal(11));
}

/// A time budget alone runs as many cases as fit, and says how many.
#[test]
fn a_time_budget_runs_cases_and_counts_them() {
    let (_dir, component) = setup("props_timed", GOOD);
    let config = PropertyConfig {
        budget: Budget {
            cases: None,
            time: Some(std::time::Duration::from_millis(300)),
        },
        seed: 1,
    };
    let reports =
        run_properties(&adapter(), &load_component(&component).unwrap(), &config).unwrap();
    for report in &reports {
        assert!(clean(report), "{report:?}");
        assert!(report.cases >= 1, "{}", report.id);
    }
}

/// `*args` with a type gets 0 to 4 generated elements; `**kwargs` needs no type; a faithful
/// binding passes with them.
#[test]
fn star_args_are_generated_from_their_type_and_kwargs_need_none() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("props_star.py"),
        "def total(*numbers, **options): return sum(numbers)\n",
    )
    .unwrap();
    let component = dir.path().join("props_star").join("star");
    let manifest = r#"{"component": "star", "module": "props_star", "functions": {"total": {"params": [
        {"name": "numbers", "kind": "var_positional", "type": "int", "constraints": {"min": -9, "max": 9}},
        {"name": "options", "kind": "var_keyword"}
    ]}}}"#;
    write_component(&component, manifest, &[]);
    on_python_path(dir.path());
    let adapter = Adapter::new("star").function(
        "total",
        |(numbers, _options): (Vec<i64>, std::collections::BTreeMap<String, i64>)| {
            numbers.iter().sum::<i64>()
        },
    );
    let component = load_component(&component).unwrap();
    let lengths: std::collections::BTreeSet<usize> =
        pyo3_conformance::__private::sample_scenarios(&adapter, &component, "total", 200, 7)
            .unwrap()
            .iter()
            .map(|scenario| scenario.steps[0].args.len())
            .collect();
    assert_eq!(lengths, (0..=4).collect());
    let reports = run_properties(&adapter, &component, &config()).unwrap();
    assert!(clean(&reports[0]), "{:?}", reports[0]);
    assert_eq!(reports[0].cases, 300);
}

/// A required parameter whose type cannot be generated makes its target a skip that fails the
/// run, worded for the reader; `"properties": false` with a reason opts it out.
#[test]
fn an_ungeneratable_target_is_a_loud_skip_unless_opted_out() {
    let source = "def render(template, context): return str(template)\n";
    let manifest = r#"{"component": "props", "module": "MODULE", "functions": {"render": {"params": [
        {"name": "template", "type": "str"}, {"name": "context", "type": "Any"}]OPT}}}"#;
    let adapter = Adapter::new("props").function("render", |(template, _): (String, i64)| template);
    let (_dir, component) = setup_with("props_skip", source, &manifest.replace("OPT", ""));
    let fixtures = load_component(&component).unwrap();
    let run = judged_run(&adapter, &fixtures, Budget::cases(50), 0, true).unwrap();
    let render = target(&run.reports, "props/prop/render");
    let gap = render.skipped.as_ref().expect("a skip");
    assert!(!gap.opted_out);
    assert_eq!(render.cases, 0);
    assert_eq!(run.case.status, CaseStatus::Fail);
    let failure = &run.case.failures[0];
    assert_eq!(failure.kind, "skip");
    assert!(
        failure
            .message
            .starts_with("property runs cannot generate render: ")
            && failure.message.contains("\"properties\": false"),
        "{}",
        failure.message
    );

    // Under `cargo test`, the properties test fails, and says why.
    let error =
        pyo3_conformance::testing::check_properties(&adapter, &component.join("manifest.json"))
            .unwrap_err()
            .to_string();
    assert!(
        error.contains("SKIP property runs cannot generate render: "),
        "{error}"
    );
    assert!(error.contains("props/prop/render: 0 cases"), "{error}");

    let opted = manifest.replace(
        "OPT",
        r#", "properties": false, "properties_reason": "a context is any object""#,
    );
    let (_dir, component) = setup_with("props_opted", source, &opted);
    let fixtures = load_component(&component).unwrap();
    let run = judged_run(&adapter, &fixtures, Budget::cases(50), 0, true).unwrap();
    assert_eq!(run.case.status, CaseStatus::Pass, "{:?}", run.case);
    assert!(
        run.case
            .notes
            .iter()
            .any(|n| n.contains("a context is any object")),
        "{:?}",
        run.case.notes
    );
}

/// A generated case the planner rejects (here: an operation the adapter lacks) makes the
/// target a skip with the planner's reason; it is never a divergence, never a regression.
#[test]
fn a_case_that_cannot_run_is_a_skip_not_a_regression() {
    let (_dir, component) = setup("props_unrunnable", GOOD);
    let lacking = Adapter::new("props")
        .function("shout", |(text,): (String,)| text.to_uppercase())
        .class::<Vec<i64>>("Stack", |class| {
            class
                .constructor(|()| Vec::new())
                .method("push", |stack, (x,): (i64,)| stack.push(x))
                .method("pop", |stack, ()| stack.pop())
                .property("depth", |stack| stack.len())
        });
    let fixtures = load_component(&component).unwrap();
    let run = judged_run(&lacking, &fixtures, Budget::cases(50), 0, true).unwrap();
    let halve = target(&run.reports, "props/prop/halve");
    assert!(halve.divergences.is_empty());
    let gap = halve.skipped.as_ref().expect("a skip");
    assert!(gap.reason.contains("halve"), "{}", gap.reason);
    assert!(run.kept.is_empty());
    assert!(!component.join("regressions").exists());
}

/// A parameter with a default shrinks to being omitted: the kept case carries only the
/// arguments the divergence needs.
#[test]
fn defaults_shrink_to_omitted() {
    let source =
        "def scale(x, factor=2, offset=0):\n    return x * factor + offset + (1 if x < 0 else 0)\n";
    let manifest = r#"{"component": "props", "module": "MODULE", "functions": {"scale": {"params": [
        {"name": "x", "type": "int", "constraints": {"min": -100, "max": 100}},
        {"name": "factor", "type": "int", "default": 2, "constraints": {"min": -5, "max": 5}},
        {"name": "offset", "type": "int", "default": 0, "constraints": {"min": -5, "max": 5}}]}}}"#;
    let adapter = Adapter::new("props")
        .function("scale", |(x, factor, offset): (i64, i64, i64)| {
            x * factor + offset
        });
    let (_dir, component) = setup_with("props_defaults", source, manifest);
    let fixtures = load_component(&component).unwrap();
    let samples =
        pyo3_conformance::__private::sample_scenarios(&adapter, &fixtures, "scale", 300, 3)
            .unwrap();
    // Both ways are generated: omitted, positional, and by keyword after an omission.
    assert!(samples.iter().any(|s| s.steps[0].args.len() == 1));
    assert!(samples.iter().any(|s| s.steps[0].args.len() == 3));
    assert!(
        samples
            .iter()
            .any(|s| s.steps[0].kwargs.contains_key("offset"))
    );
    let reports = run_properties(&adapter, &fixtures, &config()).unwrap();
    let scale = &reports[0];
    assert_eq!(scale.divergences.len(), 1, "{scale:?}");
    let step = &scale.divergences[0].minimal.steps[0];
    assert_eq!(step.args.len(), 1, "{step:?}");
    assert!(step.kwargs.is_empty(), "{step:?}");
}

/// Swarm testing: a state machine's case enables a subset of the class's rules; a divergence
/// says which subset its minimal case needed.
#[test]
fn a_state_machine_divergence_names_the_operations_it_needed() {
    let faulty = GOOD.replace(
        "def pop(self): return self._items.pop() if self._items else None",
        "def pop(self): return self._items.pop(0) if self._items else None",
    );
    let (_dir, component) = setup("props_swarm", &faulty);
    let fixtures = load_component(&component).unwrap();
    let reports = run_properties(&adapter(), &fixtures, &config()).unwrap();
    let stack = target(&reports, "props/prop/Stack");
    assert_eq!(stack.divergences.len(), 1, "{stack:?}");
    let divergence = &stack.divergences[0];
    let operations = divergence.operations.as_deref().unwrap();
    // Popping the wrong end needs two pushes and a pop: nothing else.
    assert_eq!(operations, "pop, push", "{:?}", divergence.minimal);
    let calls: Vec<&str> = divergence.minimal.steps[1..]
        .iter()
        .filter_map(|s| s.call.as_deref())
        .collect();
    assert_eq!(calls, ["push", "push", "pop"], "{:?}", divergence.minimal);
    // Cases enable different subsets.
    let subsets: std::collections::BTreeSet<String> =
        pyo3_conformance::__private::sample_scenarios(&adapter(), &fixtures, "Stack", 100, 3)
            .unwrap()
            .into_iter()
            .filter_map(|s| s.description)
            .collect();
    assert!(subsets.len() > 3, "{subsets:?}");
}

/// A parameter of one of the module's classes is made by the case (its constructor, with
/// generated arguments) and passed by reference; a case whose object was refused stops before
/// the call, and the report says how many cases reached it.
#[test]
fn objects_are_constructed_for_arguments_and_reaching_the_call_is_counted() {
    let source = r#"
class Meters:
    def __init__(self, value):
        if value < 0: raise ValueError("negative")
        self.value = value
def double(length): return length.value * 2
"#;
    let manifest = r#"{"component": "props", "module": "MODULE",
      "functions": {"double": {"params": [{"name": "length", "type": "Meters"}], "returns": "int"}},
      "classes": {"Meters": {"constructor": {"params": [{"name": "value", "type": "int",
          "constraints": {"min": -100, "max": 100}}]}, "properties": {"value": {"type": "int"}},
          "state": ["value"]}},
      "errors": {"Negative": {"exception": "builtins.ValueError", "message": "ignore"}}}"#;
    #[derive(Debug, Clone)]
    struct Meters(i64);
    #[derive(Debug, thiserror::Error)]
    enum LengthError {
        #[error("negative")]
        Negative,
    }
    let adapter = Adapter::new("props")
        .function("double", |(length,): (pyo3_conformance::Obj<Meters>,)| {
            length.0.0 * 2
        })
        .class::<Meters>("Meters", |class| {
            class
                .try_constructor(|(value,): (i64,)| {
                    if value < 0 {
                        Err(LengthError::Negative)
                    } else {
                        Ok(Meters(value))
                    }
                })
                .property("value", |m| m.0)
        });
    let (_dir, component) = setup_with("props_objects", source, manifest);
    let fixtures = load_component(&component).unwrap();
    let sample =
        pyo3_conformance::__private::sample_scenarios(&adapter, &fixtures, "double", 1, 0).unwrap();
    let steps = &sample[0].steps;
    assert_eq!(steps[0].new.as_deref(), Some("Meters"), "{steps:?}");
    assert_eq!(steps[0].bind.as_deref(), Some("arg1"));
    assert_eq!(
        steps[1].args[0],
        pyo3_conformance::model::Value::Ref("arg1".to_owned())
    );
    let run = judged_run(&adapter, &fixtures, Budget::cases(200), 0, false).unwrap();
    let double = target(&run.reports, "props/prop/double");
    assert!(double.divergences.is_empty(), "{double:?}");
    assert_eq!(double.cases, 200);
    assert!(
        double.reached > 20 && double.reached < 200,
        "about half the lengths are negative: {}",
        double.reached
    );
    let note = format!(
        "props/prop/double: 200 cases, {} of them reaching the last step",
        double.reached
    );
    assert!(run.case.notes.contains(&note), "{:?}", run.case.notes);
}
