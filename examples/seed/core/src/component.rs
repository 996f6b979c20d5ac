//! The postmortem's example, made right: a light stateful type with a constructor, one mutating
//! method and one read-only view, and two free functions that trade plain dictionaries.

use std::collections::BTreeMap;

/// A component that remembers the last data it processed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComponentA {
    output: String,
}

impl ComponentA {
    /// A component with empty output.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `data` as the output and returns it.
    pub fn process(&mut self, data: &str) -> String {
        self.output = data.to_owned();
        self.output.clone()
    }

    /// The last processed data (empty before the first call).
    pub fn output(&self) -> &str {
        &self.output
    }

    /// Replaces the output (a settable property in Python).
    pub fn set_output(&mut self, output: String) {
        self.output = output;
    }

    /// The component's state as a plain dictionary: `{"output": ...}`.
    pub fn run(&self) -> BTreeMap<String, String> {
        BTreeMap::from([("output".to_owned(), self.output.clone())])
    }
}

/// A fresh component's state as a dictionary.
pub fn component_a() -> BTreeMap<String, String> {
    ComponentA::new().run()
}

/// `data["output"]` if present; like Python's `data.get("output")`.
pub fn component_b(data: &BTreeMap<String, String>) -> Option<String> {
    data.get("output").cloned()
}
