//! Bound objects, callbacks and inherited operations in scenarios, misused: each misuse is bad
//! input (exit 2) naming the file and the line of the step (or the manifest), found before
//! anything runs.

use crate::run::{assert_bad_input, refs, with_scenario};
use crate::seed_manifest;

fn bad(steps: &str, expected: &str) {
    let files = with_scenario(&format!("{{\"steps\": [\n{steps}\n]}}"));
    assert_bad_input(
        &refs(&files),
        &format!("error: {{dir}}/seed/scenarios/bad.json:{expected}"),
    );
}

#[test]
fn an_unknown_object_argument() {
    bad(
        "  {\"new\": \"PVec\", \"bind\": \"v\"},\n  {\"call\": \"concat\", \"on\": \"v\", \"args\": [{\"$obj\": \"w\"}]}",
        "3: step 2: {\"$obj\": \"w\"} names no object an earlier step binds",
    );
}

#[test]
fn an_object_of_another_class() {
    bad(
        "  {\"new\": \"Store\", \"bind\": \"s\"},\n  {\"new\": \"PVec\", \"bind\": \"v\"},\n  {\"call\": \"concat\", \"on\": \"v\", \"args\": [{\"$obj\": \"s\"}]}",
        "4: step 3: parameter 'other' of 'PVec.concat' takes a 'PVec', but 's' is a 'Store'",
    );
}

#[test]
fn bind_on_a_step_whose_result_is_no_object() {
    bad(
        "  {\"call\": \"checked_mul\", \"args\": [2, 3], \"bind\": \"six\"}",
        "2: step 1: `bind` keeps an object of a declared class, but 'checked_mul' returns 'int': name a class of the manifest in its `returns` to bind its result",
    );
}

#[test]
fn an_instance_method_called_on_the_class() {
    bad(
        "  {\"call\": \"PVec.push\", \"args\": [1]}",
        "2: step 1: 'PVec.push' is an instance method: call it with `on`, or declare its `kind` classmethod or staticmethod",
    );
}

#[test]
fn an_object_reference_in_an_expectation() {
    bad(
        "  {\"new\": \"PVec\", \"bind\": \"v\"},\n  {\"call\": \"push\", \"on\": \"v\", \"args\": [1], \"expect\": {\"$obj\": \"v\"}}",
        "3: step 2: `expect` holds an object reference or a callback ({\"$obj\": ...}, {\"$callback\": ...}); expect a value instead",
    );
}

#[test]
fn a_setter_on_a_read_only_property() {
    bad(
        "  {\"new\": \"Store\", \"bind\": \"s\"},\n  {\"set\": \"size\", \"on\": \"s\", \"value\": 3}",
        "3: step 2: property 'Store.size' is read-only: the manifest does not mark it `settable`",
    );
}

#[test]
fn an_unknown_module_attribute() {
    bad(
        "  {\"get\": \"NO_SUCH_CONSTANT\"}",
        "2: step 1: unknown attribute 'NO_SUCH_CONSTANT': the manifest's `attributes` declares no such name",
    );
}

#[test]
fn a_set_step_without_a_value() {
    bad(
        "  {\"new\": \"ComponentA\", \"bind\": \"a\"},\n  {\"set\": \"output\", \"on\": \"a\"}",
        "3: step 2: `set` needs `value`, the value to assign",
    );
}

#[test]
fn an_unknown_callback() {
    bad(
        "  {\"new\": \"PVec\", \"bind\": \"v\"},\n  {\"call\": \"filter\", \"on\": \"v\", \"args\": [{\"$callback\": \"is_odd\"}]}",
        "3: step 2: {\"$callback\": \"is_odd\"} names no callback the manifest's `callbacks` declares",
    );
}

#[test]
fn a_callback_in_an_expectation() {
    bad(
        "  {\"new\": \"PVec\", \"bind\": \"v\"},\n  {\"call\": \"push\", \"on\": \"v\", \"args\": [1], \"expect\": [{\"$callback\": \"is_even\"}]}",
        "3: step 2: `expect` holds an object reference or a callback ({\"$obj\": ...}, {\"$callback\": ...}); expect a value instead",
    );
}

#[test]
fn a_callback_the_adapter_does_not_register() {
    let manifest = seed_manifest().replace(
        r#""callbacks": {"#,
        r#""callbacks": { "is_odd": { "source": "lambda x: x % 2 == 1" },"#,
    );
    let scenario = "{\"steps\": [\n  {\"new\": \"PVec\", \"bind\": \"v\"},\n  {\"call\": \"filter\", \"on\": \"v\", \"args\": [{\"$callback\": \"is_odd\"}]}\n]}";
    assert_bad_input(
        &[
            ("seed/manifest.json", &manifest),
            ("seed/scenarios/bad.json", scenario),
        ],
        "error: {dir}/seed/scenarios/bad.json:3: step 2: the Rust adapter of 'seed' registers no callback 'is_odd': add `.callback(\"is_odd\", |args| ...)`",
    );
}

#[test]
fn a_method_of_a_subclass_called_on_its_base() {
    bad(
        "  {\"new\": \"PVec\", \"bind\": \"v\"},\n  {\"call\": \"rank\", \"on\": \"v\", \"args\": [1]}",
        "3: step 2: unknown operation 'PVec.rank': the manifest declares no such method",
    );
}

#[test]
fn a_base_the_manifest_does_not_declare() {
    let manifest = seed_manifest().replace(r#""bases": ["PVec"]"#, r#""bases": ["Vector"]"#);
    let scenario = r#"{"steps": [{"call": "component_a"}]}"#;
    assert_bad_input(
        &[
            ("seed/manifest.json", &manifest),
            ("seed/scenarios/bad.json", scenario),
        ],
        "error: {dir}/seed/manifest.json: class 'SortedVec' names base 'Vector', which the manifest does not declare",
    );
}

#[test]
fn a_new_step_on_a_class_without_a_constructor() {
    bad(
        "  {\"new\": \"SortedVec\", \"bind\": \"s\"}",
        "2: step 1: class 'SortedVec' has no constructor (its manifest `constructor` is null): bind an object an operation returns instead",
    );
}
