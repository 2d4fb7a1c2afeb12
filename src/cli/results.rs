//! What becomes of a file's result: its report taken out for the report, and its fixed bytes
//! written back while the file is still what was read.

use std::path::Path;

use super::process::FileResult;
use crate::diagnostic::Diagnostic;
use crate::report::FileReport;

pub(super) fn take_report(r: &mut FileResult) -> FileReport {
    FileReport {
        path: r.report.path.clone(),
        kind: r.report.kind,
        source: std::mem::replace(&mut r.report.source, crate::syntax::Source::new(Vec::new())),
        diagnostics: std::mem::take(&mut r.report.diagnostics),
        cells: r.report.cells.take(),
        lines: Default::default(),
    }
}

/// Writes a fixed document, only while the file is still what was read; on failure the file
/// is reported as it still is, with why it was not written.
pub(super) fn write_back(
    path: &Path,
    snapshot: &crate::files::Snapshot,
    name: &str,
    result: &mut FileResult,
) {
    let Some(bytes) = result.new_bytes.as_ref() else {
        return;
    };
    let options = crate::files::WriteOptions::default();
    if let Err(e) = crate::files::write_fixed(path, snapshot, bytes, &options) {
        result.write_error = Some(e.message(name));
        if let Some(before) = result.before.take() {
            result.report = before;
        }
        let why = Diagnostic::tool(e.code(), e.name(), e.message(name), 0);
        if matches!(e, crate::files::WriteError::Changed) {
            // What was found no longer describes the file.
            result.report.diagnostics = vec![why];
        } else {
            result.report.diagnostics.insert(0, why);
        }
        result.fixed = 0;
        result.fixed_by_code.clear();
        result.new_bytes = None;
    }
}
