//! How property runs use the bundle: over generated state machines of the seed's persistent
//! `PVec`, the distribution of scenario lengths and how many steps drew a receiver or an
//! argument from an object an earlier step returned, and which callbacks were passed.
//!
//! `cargo run -p seed-conformance --example bundle_stats -- [CASES]` (default 10000); no
//! Python runs, only generation.

use std::collections::BTreeMap;

use pyo3_conformance::__private::{load_component, sample_scenarios};
use pyo3_conformance::Value;

fn main() {
    let cases: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../fixtures/seed");
    let component = load_component(&dir).expect("the seed fixtures load");
    let scenarios = sample_scenarios(&seed_conformance::adapter(), &component, "PVec", cases, 0)
        .expect("PVec has a state machine");
    let mut lengths: BTreeMap<usize, usize> = BTreeMap::new();
    let (mut steps, mut bound_receiver, mut bound_argument, mut bound_results) = (0, 0, 0, 0);
    let mut callbacks: BTreeMap<String, usize> = BTreeMap::new();
    for scenario in &scenarios {
        *lengths.entry(scenario.steps.len()).or_default() += 1;
        for step in &scenario.steps[1..] {
            steps += 1;
            // `obj` is the constructed object; `obj1`, `obj2`, ... are results of later steps.
            let returned = |name: &str| name.starts_with("obj") && name != "obj";
            bound_receiver += usize::from(step.on.as_deref().is_some_and(returned));
            bound_argument += usize::from(
                step.args
                    .iter()
                    .chain(step.kwargs.values())
                    .any(|v| matches!(v, Value::Ref(name) if returned(name))),
            );
            bound_results += usize::from(step.bind.is_some());
            for value in step.args.iter().chain(step.kwargs.values()) {
                for name in value.callbacks() {
                    *callbacks.entry(name.to_owned()).or_default() += 1;
                }
            }
        }
    }
    println!("{cases} PVec state machines (seed 0)");
    println!("scenario length (steps, constructor included): count");
    for (length, count) in &lengths {
        println!("  {length:>2}: {count}");
    }
    println!("generated steps after the constructor: {steps}");
    println!("  results put in the bundle: {bound_results}");
    println!("  receiver drawn from a returned object: {bound_receiver}");
    println!("  object argument drawn from a returned object: {bound_argument}");
    for (name, count) in &callbacks {
        println!("  callback '{name}' passed: {count}");
    }
}
