//! Property-run throughput and harness overhead, on the seed's `checked_mul`:
//! `cargo bench -p seed-conformance --bench property --profile cli` (or `ci/bench`).
//!
//! In one run it measures, on the same 10,000 generated inputs:
//! - a full differential property run of the `checked_mul` target (generation, both languages,
//!   judging): wall time and cases per second;
//! - the harness per case (check, Rust side, Python side, judge) on the sampled scenarios, two
//!   ways: each case timed on its own with its scenario's data just read, as a property run
//!   has it (the case was generated a moment before); and all 10,000 back to back, whose data
//!   is then cold (in `perf`, planning took a fifth of that loop's time, reading scenarios);
//! - a direct Rust call and a direct Python call (from embedded CPython, as the harness makes
//!   it) per input;
//!
//! and prints the overhead ratio: harness time per case ÷ (direct Rust + direct Python), from
//! the first way (the second's beside it). It also times how a `Value` argument (a 16-key
//! dict) reaches an adapter closure: handed over
//! as it is, against the round trip through `serde_json::Value` it used to make (which also
//! sorted the keys). And what standard-library values cost: a property run of `shift` (an
//! aware datetime in and out, through chrono in Rust and `datetime` in Python) beside
//! `checked_mul`'s, and one datetime's trip canonical → Python → canonical beside an int's.
//! Last, the same differential test written with Hypothesis (`ci/bench_hypothesis.py`: the
//! binding against a Python oracle, 10,000 examples), run by the venv's Python, and the ratio
//! of the two throughputs. Times are best of 5 passes (of 15 for the harness and the direct
//! calls, whose ratio is the overhead figure). Speed is reported, never asserted. The
//! allocator is the `conformance` binary's (mimalloc).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use pyo3_conformance::__private::{
    Budget, CaseRunner, PropertyConfig, load_component, prepare, python_to_value, run_properties,
    sample_scenarios, value_to_python,
};
use pyo3_conformance::model::Value;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CASES: usize = 10_000;
const PASSES: usize = 5;
/// The harness and the two direct calls are timed in this many passes, each keeping its best:
/// on a shared machine, the best of five still varied by a quarter from run to run.
const RATIO_PASSES: usize = 15;

fn best(mut f: impl FnMut()) -> Duration {
    (0..PASSES)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .expect("at least one pass")
}

fn per_case(total: Duration, cases: usize) -> f64 {
    total.as_secs_f64() * 1e9 / cases as f64
}

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../fixtures/seed");
    let component = load_component(&fixtures).expect("the seed fixtures load");
    let adapter = seed_conformance::adapter();
    prepare(None).expect("the Python environment is ready (run ci/setup)");

    // 1. A whole property run of one target, 10,000 cases.
    let property_run = |target: &str| {
        let mut only = component.clone();
        only.manifest.functions.retain(|name, _| name == target);
        only.manifest.classes.clear();
        let config = PropertyConfig {
            budget: Budget::cases(CASES as u32),
            seed: 0,
        };
        best(|| {
            let reports = run_properties(&adapter, &only, &config).expect("the run works");
            assert!(
                reports[0].divergences.is_empty() && reports[0].skipped.is_none(),
                "{:?}",
                reports[0]
            );
        })
    };
    let run = property_run("checked_mul");

    // 2. The harness per case, on scenarios sampled from the same strategy and seed.
    let scenarios =
        sample_scenarios(&adapter, &component, "checked_mul", CASES, 0).expect("sampling works");
    // As the property run does: one case runner for the target, reused from case to case,
    // with the thread attached to the interpreter once for the whole search.
    let runner = CaseRunner::new(&adapter, &component, "checked_mul");

    // 3. Direct calls on the same inputs. Inputs beyond i64 cannot reach the Rust API at all
    //    (PyO3 refuses them too), so the direct Rust loop skips them.
    let inputs: Vec<(Value, Value)> = scenarios
        .iter()
        .map(|s| (s.steps[0].args[0].clone(), s.steps[0].args[1].clone()))
        .collect();
    let as_i64 = |v: &Value| serde_json::from_value::<i64>(v.to_json()).ok();
    let rust_inputs: Vec<(i64, i64)> = inputs
        .iter()
        .filter_map(|(a, b)| Some((as_i64(a)?, as_i64(b)?)))
        .collect();

    // The four are timed in turn within each pass, so a machine that slows down for a while
    // slows the ratio's numerator and denominator alike; each keeps its best pass.
    let (harness, harness_cold, rust, python) = Python::attach(|py| {
        let function = py
            .import("seed_components")
            .and_then(|m| m.getattr("checked_mul"))
            .expect("installed");
        let int = |v: &Value| {
            py.eval(
                &std::ffi::CString::new(
                    v.to_json_string()
                        .replace(['{', '}', '"'], "")
                        .replace("$int:", ""),
                )
                .unwrap(),
                None,
                None,
            )
            .unwrap()
        };
        let py_inputs: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> =
            inputs.iter().map(|(a, b)| (int(a), int(b))).collect();
        let timed = |f: &mut dyn FnMut()| {
            let start = Instant::now();
            f();
            start.elapsed()
        };
        let mut best = [Duration::MAX; 4];
        for _ in 0..RATIO_PASSES {
            let passes = [
                // Case by case, each case made just before (a copy of the sample), as a
                // property run has a case it just generated; the runner takes the case over
                // and drops it, as a property run does. The two clock readings per case are
                // counted in.
                {
                    let mut total = Duration::ZERO;
                    for scenario in &scenarios {
                        let case = black_box(scenario.clone());
                        let start = Instant::now();
                        let verdict = runner.run(case).expect("runs").expect("plans");
                        black_box(verdict);
                        total += start.elapsed();
                    }
                    total
                },
                {
                    let mut cases = scenarios.clone();
                    timed(&mut || {
                        for case in cases.drain(..) {
                            let verdict = runner.run(case).expect("runs").expect("plans");
                            black_box(verdict);
                        }
                    })
                },
                timed(&mut || {
                    for (a, b) in &rust_inputs {
                        let _ =
                            black_box(seed_components::checked_mul(black_box(*a), black_box(*b)));
                    }
                }),
                timed(&mut || {
                    for (a, b) in &py_inputs {
                        let _ = black_box(function.call1((a, b)));
                    }
                }),
            ];
            for (kept, this) in best.iter_mut().zip(passes) {
                *kept = (*kept).min(this);
            }
        }
        (best[0], best[1], best[2], best[3])
    });

    let (harness_ns, harness_cold_ns, rust_ns, python_ns) = (
        per_case(harness, CASES),
        per_case(harness_cold, CASES),
        per_case(rust, rust_inputs.len().max(1)),
        per_case(python, CASES),
    );
    println!(
        "checked_mul, {CASES} cases, seed 0, best of {PASSES} passes ({RATIO_PASSES} for the harness and the direct calls)"
    );
    println!(
        "  property run (generate, both languages, judge): {:.3} s, {:.0} cases/s",
        run.as_secs_f64(),
        CASES as f64 / run.as_secs_f64()
    );
    println!(
        "  harness per case (check, Rust, Python, judge):  {harness_ns:.0} ns (each case's data just read, as in a property run)"
    );
    println!(
        "  the same, 10,000 cases back to back:           {harness_cold_ns:.0} ns (their data cold)"
    );
    println!(
        "  direct Rust call:                               {rust_ns:.1} ns ({} of {CASES} inputs fit i64)",
        rust_inputs.len()
    );
    println!("  direct Python call (from embedded CPython):     {python_ns:.0} ns");
    println!(
        "  overhead ratio: harness per case / (Rust + Python) = {:.1} (back to back: {:.1})",
        harness_ns / (rust_ns + python_ns),
        harness_cold_ns / (rust_ns + python_ns)
    );

    // 4. The same differential test in Hypothesis, by the venv's Python.
    let cases_per_second = CASES as f64 / run.as_secs_f64();
    match hypothesis_examples_per_second() {
        Ok(hypothesis) => println!(
            "  Hypothesis, the same differential test (binding vs a Python oracle, {CASES} examples): {hypothesis:.0} examples/s; the harness runs {:.0}x as many cases per second",
            cases_per_second / hypothesis
        ),
        Err(why) => println!("  Hypothesis comparison skipped: {why}"),
    }

    // 5. A `Value` argument into an adapter closure: the hand-over, and the JSON round trip.
    let dict = Value::Dict(
        (0..16)
            .map(|i| (Value::str(format!("key{}", 15 - i)), Value::int(i)))
            .collect(),
    );
    let handed = best(|| {
        for _ in 0..CASES {
            black_box(
                pyo3_conformance::model::from_value::<Value>(black_box(dict.clone())).unwrap(),
            );
        }
    });
    let round_trip = best(|| {
        for _ in 0..CASES {
            let json = black_box(dict.clone()).to_json();
            black_box(serde_json::from_value::<Value>(json).unwrap());
        }
    });
    println!(
        "  a 16-key dict as a Value argument: {:.0} ns handed over, {:.0} ns through serde_json::Value ({:.1}x)",
        per_case(handed, CASES),
        per_case(round_trip, CASES),
        round_trip.as_secs_f64() / handed.as_secs_f64()
    );

    // 6. Standard-library values: a whole property run of `shift`, and one value's trip
    //    through Python and back.
    let shift = property_run("shift");
    println!(
        "shift (an aware datetime in and out), {CASES} cases: {:.3} s, {:.0} cases/s ({:.2}x checked_mul's time per case)",
        shift.as_secs_f64(),
        CASES as f64 / shift.as_secs_f64(),
        shift.as_secs_f64() / run.as_secs_f64()
    );
    let trip = |value: Value| {
        Python::attach(|py| {
            best(|| {
                for _ in 0..CASES {
                    let object = value_to_python(py, black_box(&value)).unwrap();
                    black_box(python_to_value(&object).unwrap());
                }
            })
        })
    };
    let datetime: Value =
        serde_json::from_str(r#"{"$datetime": "2024-02-29T12:30:00.000001+05:30"}"#)
            .expect("a datetime");
    let (datetime_trip, int_trip) = (trip(datetime), trip(Value::int(123_456_789)));
    println!(
        "  canonical -> Python -> canonical: an aware datetime {:.0} ns, an int {:.0} ns",
        per_case(datetime_trip, CASES),
        per_case(int_trip, CASES)
    );
}

/// Runs `ci/bench_hypothesis.py` with the project's venv and reads its throughput.
fn hypothesis_examples_per_second() -> Result<f64, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let venv = std::env::var_os("VIRTUAL_ENV")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join(".venv"));
    let output = std::process::Command::new(venv.join("bin/python"))
        .arg(root.join("ci/bench_hypothesis.py"))
        .arg(CASES.to_string())
        .output()
        .map_err(|e| format!("cannot run the venv's python: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "ci/bench_hypothesis.py failed: {}{}",
            text,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    text.split_whitespace()
        .find_map(|field| field.strip_prefix("per_second="))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("unexpected output: {text}"))
}
