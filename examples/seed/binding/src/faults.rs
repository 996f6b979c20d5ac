//! Seeded faults: drifts real bindings have, built in only with the `faults` feature and
//! switched on one at a time at run time by `SEED_FAULT=<name>`, so one build carries them all.
//! `ci/mutants` runs the gate once per fault (the list, with the failure kind each must cause,
//! is `faults.json`) and once with none, to prove that every check bites and none cries wolf.
//!
//! Faults of the Rust code sit where the binding converts or maps (`active("…")` guards, which
//! compile to `false` without the feature). Faults of the Python-visible surface that PyO3 fixes
//! at compile time (a parameter name, a default, a method turned property, an extra member) are
//! made at import, by replacing module attributes with Python wrappers.

use pyo3::prelude::*;
use pyo3::types::PyModule;

/// Whether the fault `name` is switched on.
#[cfg(feature = "faults")]
pub(crate) fn active(name: &str) -> bool {
    static SELECTED: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    SELECTED
        .get_or_init(|| std::env::var("SEED_FAULT").ok())
        .as_deref()
        == Some(name)
}

/// Without the `faults` feature, no fault exists.
#[cfg(not(feature = "faults"))]
pub(crate) const fn active(_: &str) -> bool {
    false
}

/// Faults of the Python surface, made by rebinding module attributes at import.
const SURFACE_FAULTS: &[(&str, &std::ffi::CStr)] = &[
    (
        "renamed_parameter",
        cr#"
_checked_mul = checked_mul
def checked_mul(a, factor):
    return _checked_mul(a, factor)
"#,
    ),
    (
        "changed_default",
        cr#"
_scale = scale
def scale(values, /, factor=2.0, *, digits=None):
    return _scale(values, factor, digits=digits)
"#,
    ),
    (
        "keyword_only_made_positional",
        cr#"
_scale = scale
def scale(values, /, factor=1.0, digits=None):
    return _scale(values, factor, digits=digits)
"#,
    ),
    (
        "stale_stub",
        cr#"
def component_c():
    return None
__all__.append("component_c")
"#,
    ),
    (
        "method_made_property",
        cr#"
_ComponentA = ComponentA
class ComponentA:
    def __init__(self):
        self._inner = _ComponentA()
    def process(self, data):
        return self._inner.process(data)
    @property
    def output(self):
        return self._inner.output
    @property
    def run(self):
        return self._inner.run()
"#,
    ),
    (
        "missing_classmethod",
        cr#"
del PVec.of
"#,
    ),
];

/// Makes the selected surface fault, if any, in the freshly initialised module.
pub(crate) fn install(module: &Bound<'_, PyModule>) -> PyResult<()> {
    for (name, code) in SURFACE_FAULTS {
        if active(name) {
            module.py().run(code, Some(&module.dict()), None)?;
        }
    }
    Ok(())
}
