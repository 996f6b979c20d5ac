//! The planner's memo of step shapes: what planning decides from a step's shape alone.
//!
//! A property run plans thousands of generated cases, and they come in a few shapes: the same
//! operation, on an object of the same class. Checking a shape against the manifest and the
//! adapter (does the operation exist on both, is it inherited with the right Rust type, does
//! the adapter return an object where the manifest declares one) gives the same answer every
//! time, so `Shapes` keeps each shape that passed, and a case re-checks only what its values
//! decide. The key compares in place, without allocating; only a passing shape is kept, so
//! every error is found and worded as before. A test holds every property case's verdict to
//! the one the same scenario gets as a fixture file, planned from nothing.

use std::collections::HashMap;

use pyo3_conformance_model::{Signature, Step};

use super::Action;

/// What planning decides from a step's shape alone, never from its argument values: its
/// action checked against the manifest and the adapter, its label, signature and result
/// class. A property run plans thousands of cases of a few shapes; `Shapes` remembers each
/// shape that passed, so a case re-checks only what its values decide (binding, references,
/// callbacks).
#[derive(Clone)]
pub(super) struct Shape<'m> {
    pub(super) action: std::sync::Arc<Action>,
    pub(super) label: std::sync::Arc<str>,
    pub(super) signature: Option<&'m Signature>,
    pub(super) result_class: Option<String>,
}

/// Everything a shape's checks read: the step's operation fields, the class of its `on`
/// object, and whether it has arguments or a value (some steps take none).
pub(super) struct ShapeKey {
    operation: [Option<String>; 5],
    on_class: Option<String>,
    bare: bool,
    valued: bool,
}

impl ShapeKey {
    pub(super) fn of(step: &Step, objects: &HashMap<String, String>) -> Self {
        Self {
            operation: Self::operation(step).map(Option::<&String>::cloned),
            on_class: step.on.as_ref().and_then(|on| objects.get(on)).cloned(),
            bare: step.args.is_empty() && step.kwargs.is_empty(),
            valued: step.value.is_some(),
        }
    }

    fn operation(step: &Step) -> [Option<&String>; 5] {
        [&step.call, &step.new, &step.get, &step.set, &step.on].map(Option::as_ref)
    }

    /// Whether `step` has this shape, compared in place (a key is built only to remember).
    fn matches(&self, step: &Step, objects: &HashMap<String, String>) -> bool {
        self.bare == (step.args.is_empty() && step.kwargs.is_empty())
            && self.valued == step.value.is_some()
            && self
                .operation
                .iter()
                .zip(Self::operation(step))
                .all(|(known, field)| known.as_ref() == field)
            && self.on_class.as_ref() == step.on.as_ref().and_then(|on| objects.get(on))
    }
}

/// The shapes planned so far (a handful per target: searched in order).
#[derive(Default)]
pub(crate) struct Shapes<'m>(Vec<(ShapeKey, Shape<'m>)>);

impl<'m> Shapes<'m> {
    /// At most this many shapes are remembered: a state machine's are its operations times
    /// the names it binds, and a scan of more would cost what it saves.
    const LIMIT: usize = 64;

    pub(super) fn find(
        &self,
        step: &Step,
        objects: &HashMap<String, String>,
    ) -> Option<&Shape<'m>> {
        self.0
            .iter()
            .find_map(|(key, shape)| key.matches(step, objects).then_some(shape))
    }

    pub(super) fn remember(&mut self, key: ShapeKey, shape: Shape<'m>) {
        if self.0.len() < Self::LIMIT {
            self.0.push((key, shape));
        }
    }
}
