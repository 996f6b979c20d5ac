//! Signature checks: a module and its stub that agree with a manifest, then one seeded drift
//! at a time, each caught with its own message.

use pyo3::prelude::*;

use crate::support::on_python_path;

const SIG_MODULE: &str = r#"
import typing

def scale(values, /, factor=1.0, *, digits=None):
    return values

def lookup(key, default=None):
    return default

@typing.final
class Map:
    def __init__(self, capacity=8):
        self._entries = {}
    def insert(self, key, value):
        return self
    def size(self):
        return len(self._entries)
    @property
    def capacity(self):
        return 8
"#;

const SIG_STUB: &str = r#"
import typing

def scale(values: list[float], /, factor: float = 1.0, *, digits: int | None = None) -> list[float]: ...
def lookup(key: str, default: int | None = None) -> int | None: ...

@typing.final
class Map:
    def __init__(self, capacity: int = 8) -> None: ...
    def insert(self, key: str, value: int) -> Map: ...
    def size(self) -> int: ...
    @property
    def capacity(self) -> int: ...
"#;

const SIG_MANIFEST: &str = r#"{
  "component": "sig",
  "module": "MODULE",
  "functions": {
    "scale": {
      "params": [
        {"name": "values", "kind": "positional_only", "type": "list[float]"},
        {"name": "factor", "type": "float", "default": 1.0},
        {"name": "digits", "kind": "keyword_only", "type": "int | None", "default": null}
      ],
      "returns": "list[float]"
    },
    "lookup": {"params": [{"name": "key", "type": "str"}, {"name": "default", "type": "int | None", "default": null}]}
  },
  "classes": {
    "Map": {
      "constructor": {"params": [{"name": "capacity", "type": "int", "default": 8}]},
      "methods": {"insert": {"params": [{"name": "key"}, {"name": "value"}]}, "size": {"returns": "int"}},
      "properties": {"capacity": {"type": "int"}}
    }
  }
}"#;

/// Writes `name.py` and `name.pyi` (after applying the edits) and returns every finding of the
/// three-way comparison.
fn signature_findings(
    name: &str,
    module_edit: (&str, &str),
    stub_edit: (&str, &str),
    manifest_edit: (&str, &str),
) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let edit = |text: &str, (from, to): (&str, &str)| {
        assert!(text.contains(from), "the edit must apply: {from}");
        text.replacen(from, to, 1)
    };
    std::fs::write(
        dir.path().join(format!("{name}.py")),
        edit(SIG_MODULE, module_edit),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(format!("{name}.pyi")),
        edit(SIG_STUB, stub_edit),
    )
    .unwrap();
    let manifest: pyo3_conformance::model::Manifest =
        serde_json::from_str(&edit(SIG_MANIFEST, manifest_edit).replace("MODULE", name)).unwrap();
    on_python_path(dir.path());
    let inspected = Python::attach(|py| {
        pyo3_conformance::__private::inspect_module(py, name, None, None).unwrap()
    });
    let views = pyo3_conformance::__private::SurfaceViews {
        module: name.to_owned(),
        declared: Some(pyo3_conformance::__private::declared_surface(&manifest)),
        runtime: inspected.runtime,
        stub: inspected.stub.map(|(_, surface)| surface),
    };
    pyo3_conformance::__private::compare_views(&views)
        .into_iter()
        .map(|f| f.message)
        .collect()
}

const SAME: (&str, &str) = ("", "");

#[test]
fn agreeing_views_have_no_signature_failure() {
    assert_eq!(
        signature_findings("sig_clean", SAME, SAME, SAME),
        Vec::<String>::new()
    );
}

#[test]
fn a_renamed_parameter_is_caught() {
    let found = signature_findings(
        "sig_renamed",
        SAME,
        ("key: str, value: int) -> Map", "key: str, val: int) -> Map"),
        SAME,
    );
    assert_eq!(
        found,
        ["sig_renamed.Map.insert: parameter 2 is 'value' at runtime, 'val' in the stub"]
    );
}

#[test]
fn a_changed_default_is_caught() {
    let found = signature_findings("sig_default", ("factor=1.0", "factor=2.0"), SAME, SAME);
    assert_eq!(
        found,
        [
            "sig_default.scale: parameter 2 'factor' defaults to 2.0 at runtime, 1.0 in the stub",
            "sig_default.scale: parameter 2 'factor' defaults to 1.0 in the manifest, 2.0 at runtime",
        ]
    );
}

#[test]
fn a_keyword_only_parameter_made_positional_is_caught() {
    let found = signature_findings(
        "sig_kwonly",
        ("factor=1.0, *, digits=None", "factor=1.0, digits=None"),
        SAME,
        SAME,
    );
    assert_eq!(
        found,
        [
            "sig_kwonly.scale: parameter 3 'digits' is positional-or-keyword at runtime, keyword-only in the stub",
            "sig_kwonly.scale: parameter 3 'digits' is keyword-only in the manifest, positional-or-keyword at runtime",
        ]
    );
}

#[test]
fn a_method_declared_as_a_property_is_caught() {
    let found = signature_findings(
        "sig_property",
        SAME,
        (
            "    def size(self) -> int: ...",
            "    @property\n    def size(self) -> int: ...",
        ),
        SAME,
    );
    assert_eq!(
        found,
        ["sig_property.Map.size: is a method at runtime, a property in the stub"]
    );
}

#[test]
fn a_member_missing_from_the_stub_is_caught() {
    let found = signature_findings(
        "sig_nostub",
        SAME,
        (
            "def lookup(key: str, default: int | None = None) -> int | None: ...",
            "",
        ),
        SAME,
    );
    assert_eq!(
        found,
        ["sig_nostub.lookup: present at runtime, missing in the stub"]
    );
}

#[test]
fn a_member_missing_at_runtime_is_caught() {
    let found = signature_findings(
        "sig_noruntime",
        ("def lookup(key, default=None):\n    return default", ""),
        SAME,
        SAME,
    );
    assert_eq!(
        found,
        [
            "sig_noruntime.lookup: present in the stub, missing at runtime",
            "sig_noruntime.lookup: present in the manifest, missing at runtime",
        ]
    );
}

#[test]
fn a_manifest_that_drifted_from_rust_is_caught_with_its_annotations() {
    let found = signature_findings(
        "sig_manifest",
        SAME,
        SAME,
        (
            r#"{"name": "key", "type": "str"}"#,
            r#"{"name": "name", "type": "bytes"}"#,
        ),
    );
    assert_eq!(
        found,
        [
            "sig_manifest.lookup: parameter 1 is 'name' in the manifest, 'key' at runtime",
            "sig_manifest.lookup: parameter 1 'name' is annotated 'bytes' in the manifest, 'str' in the stub"
        ]
    );
}

#[test]
fn a_class_marked_final_in_the_stub_but_subclassable_is_caught() {
    let found = signature_findings(
        "sig_final",
        ("@typing.final\nclass Map:", "class Map:"),
        SAME,
        SAME,
    );
    assert_eq!(
        found,
        ["sig_final.Map: is subclassable at runtime, final (cannot be subclassed) in the stub"]
    );
}

const CLASSMETHOD_MODULE: (&str, &str) = (
    "    def size(self):",
    "    @classmethod\n    def empty(cls):\n        return cls()\n    def size(self):",
);
const CLASSMETHOD_STUB: (&str, &str) = (
    "    def size(self) -> int: ...",
    "    @classmethod\n    def empty(cls) -> Map: ...\n    def size(self) -> int: ...",
);

#[test]
fn a_classmethod_declared_as_one_agrees() {
    let found = signature_findings(
        "sig_classmethod",
        CLASSMETHOD_MODULE,
        CLASSMETHOD_STUB,
        (
            r#""size": {"returns": "int"}"#,
            r#""size": {"returns": "int"}, "empty": {"kind": "classmethod"}"#,
        ),
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_classmethod_declared_as_a_method_is_caught() {
    let found = signature_findings(
        "sig_classmethod_kind",
        CLASSMETHOD_MODULE,
        CLASSMETHOD_STUB,
        (
            r#""size": {"returns": "int"}"#,
            r#""size": {"returns": "int"}, "empty": {}"#,
        ),
    );
    assert_eq!(
        found,
        ["sig_classmethod_kind.Map.empty: is a method in the manifest, a classmethod at runtime"]
    );
}

#[test]
fn module_attributes_are_members_with_types() {
    let found = signature_findings(
        "sig_attributes",
        (
            "import typing\n",
            "import typing\nVERSION = '1'\nLIMIT = 'ten'\n",
        ),
        (
            "import typing\n",
            "import typing\nVERSION: str\nLIMIT: int\nALIAS = int | str\n",
        ),
        (
            r#""module": "MODULE","#,
            r#""module": "MODULE", "attributes": {"VERSION": {"type": "str"}, "LIMIT": {"type": "int"}, "GONE": {}},"#,
        ),
    );
    assert_eq!(
        found,
        [
            "sig_attributes.LIMIT: is a str at runtime, which its annotation 'int' in the stub does not admit",
            "sig_attributes.ALIAS: present in the stub, missing at runtime",
            "sig_attributes.GONE: present in the manifest, missing at runtime",
            "sig_attributes.LIMIT: is a str at runtime, which its annotation 'int' in the manifest does not admit",
        ]
    );
}

#[test]
fn dunders_the_manifest_declares_are_looked_up_at_runtime() {
    // `__len__` is no public name, and `vars()` of a subclass would not list it either: it is
    // found because the manifest names it.
    let found = signature_findings(
        "sig_dunder",
        (
            "    def size(self):",
            "    def __len__(self):\n        return 0\n    def size(self):",
        ),
        (
            "    def size(self) -> int: ...",
            "    def __len__(self) -> int: ...\n    def size(self) -> int: ...",
        ),
        (
            r#""size": {"returns": "int"}"#,
            r#""size": {"returns": "int"}, "__len__": {"returns": "int"}"#,
        ),
    );
    assert_eq!(found, Vec::<String>::new());
}
