//! `conformance schema DIR`: the JSON Schemas of the fixture formats, written where an
//! adopter's `$schema` can point (`fixtures/schema/`, as in this repository), so editors
//! complete and check manifests, scenarios and ledgers. They are generated from the Rust types,
//! as the committed ones here are.

use std::io::Write;
use std::path::PathBuf;

use pyo3_conformance_model::schema::{
    ledger_schema, manifest_schema, report_schema, scenario_schema,
};

use crate::error::{Error, ErrorKind, Result};

#[derive(Debug, clap::Args)]
pub(super) struct SchemaArgs {
    /// Where to write them (`fixtures/schema`, so that `"$schema": "../schema/manifest.schema.json"` resolves).
    #[arg(default_value = "fixtures/schema")]
    dir: PathBuf,
}

pub(super) fn schema(args: &SchemaArgs) -> Result<bool> {
    std::fs::create_dir_all(&args.dir).map_err(|e| Error::in_file(&args.dir, ErrorKind::Io(e)))?;
    let mut out = std::io::stdout().lock();
    for (name, text) in [
        ("manifest.schema.json", manifest_schema()),
        ("scenario.schema.json", scenario_schema()),
        ("ledger.schema.json", ledger_schema()),
        ("report.schema.json", report_schema()),
    ] {
        let path = args.dir.join(name);
        std::fs::write(&path, text).map_err(|e| Error::in_file(&path, ErrorKind::Io(e)))?;
        let _ = writeln!(out, "wrote {}", path.display());
    }
    Ok(true)
}
