//! The harness's own errors: bad input or configuration, never a verdict.
//!
//! Following nextest's `errors.rs`, an [`Error`] is a context (the file, and the line where
//! there is one) around a [`ErrorKind`]. Messages are lowercase and name what is at fault; the
//! CLI prints them on one line and exits 2. A divergence between the languages is *not* an
//! error: it is a `Failure` inside a verdict.

use std::fmt;
use std::path::{Path, PathBuf};

/// A harness error: where, and what.
#[derive(Debug, thiserror::Error)]
pub struct Error {
    file: Option<PathBuf>,
    line: Option<usize>,
    kind: ErrorKind,
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read.
    #[error("cannot read: {0}")]
    Io(#[source] std::io::Error),
    /// A fixture or manifest is not valid JSON or does not fit its format.
    #[error("{0}")]
    Format(String),
    /// A fixture does not fit its manifest or adapter (unknown operation, wrong arguments).
    #[error("{0}")]
    Invalid(String),
    /// The Python environment is unusable (no venv, module not importable, version mismatch).
    #[error("{0}")]
    Python(String),
    /// A worker process reported an error of its own (already located).
    #[error("{0}")]
    Worker(String),
    /// The command line asks for something that is not there.
    #[error("{0}")]
    Usage(String),
    /// SIGINT or SIGTERM (the number) stopped the run between two events; what had finished
    /// is reported.
    #[error("interrupted by {}", crate::interrupt::name(*.0))]
    Interrupted(i32),
}

impl Error {
    /// An error with no file.
    pub fn new(kind: ErrorKind) -> Self {
        Self {
            file: None,
            line: None,
            kind,
        }
    }

    /// An error in `file`.
    pub fn in_file(file: &Path, kind: ErrorKind) -> Self {
        Self {
            file: Some(file.to_owned()),
            line: None,
            kind,
        }
    }

    /// Sets the line (1-based).
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The file at fault, if any.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The line at fault, if known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{}:{line}: {}", file.display(), self.kind),
            (Some(file), None) => write!(f, "{}: {}", file.display(), self.kind),
            _ => write!(f, "{}", self.kind),
        }
    }
}

/// The harness's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
