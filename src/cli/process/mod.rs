//! One document through the stages: read, prefilter, turn into Python (a notebook's cells
//! become one module), parse, then check or fix, and give back the bytes to write.
//!
//! Here the file's result and the job; `python` takes a Python document (or a notebook's
//! module) through the stages, `dependencies` a manifest, and `rule_sets` builds the rule sets.

mod dependencies;
mod python;
mod rule_sets;

pub use rule_sets::RuleSets;

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Mode;
use crate::config::Selection;
use crate::diagnostic::Diagnostic;
use crate::discover;
use crate::document::manifest::{self, ManifestKind};
use crate::document::Kind;
use crate::files::unified_diff;
use crate::report::FileReport;
use crate::semantic::Context;
use crate::syntax::Source;
use dependencies::{manifest_findings, process_manifest};
use python::process_python;

/// What happened to one file.
pub struct FileResult {
    pub report: FileReport,
    /// How many findings the fixes resolved.
    pub fixed: usize,
    /// Per code, how many findings fixing removed (`--show-fixes`, the migration summary).
    pub fixed_by_code: BTreeMap<String, usize>,
    /// The findings before fixing (in `check` mode, the findings); counted into
    /// `found_by_code` once the file is done (`settle`).
    pub found: Vec<Diagnostic>,
    /// Per code, how many findings there were before fixing (the migration summary).
    pub found_by_code: BTreeMap<String, usize>,
    /// The report of the document as it was, when fixing changed it (reported instead if the
    /// fixed document cannot be written).
    pub before: Option<FileReport>,
    /// The bytes to write when fixing changed the document.
    pub new_bytes: Option<Vec<u8>>,
    /// `--diff`: what fixing changes, as unified diffs (one per changed cell in a notebook).
    pub diff: Option<String>,
    pub write_error: Option<String>,
}

impl FileResult {
    /// What is held of a file once it is done (and written): what the report prints from and
    /// the counts. A run holds every file's result until the end, so nothing more.
    pub fn settle(&mut self) {
        for d in std::mem::take(&mut self.found) {
            *self.found_by_code.entry(d.code).or_default() += 1;
        }
        self.new_bytes = None;
        self.before = None;
        if self.report.diagnostics.is_empty() {
            self.report.source = Source::new(Vec::new());
        }
    }

    /// A file whose processing panicked: reported (RM011), never written.
    pub fn crashed(name: String, kind: Kind, panic: Box<dyn std::any::Any + Send>) -> Self {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        let d = Diagnostic {
            help: Some("please report this with the file; it was not changed".into()),
            ..Diagnostic::tool(
                "RM011",
                "internal-error",
                format!("internal error while processing {name}: {why}; the file was skipped"),
                0,
            )
        };
        FileResult::reported(FileReport::plain(
            name,
            kind,
            Source::new(Vec::new()),
            vec![d],
        ))
    }

    pub fn reported(report: FileReport) -> Self {
        FileResult {
            found: report.diagnostics.clone(),
            report,
            fixed: 0,
            fixed_by_code: BTreeMap::new(),
            found_by_code: BTreeMap::new(),
            before: None,
            new_bytes: None,
            diff: None,
            write_error: None,
        }
    }
}

/// An RM001 finding: a path that could not be read.
pub fn unreadable(name: String, kind: Kind, reason: &str) -> FileResult {
    let d = Diagnostic::tool(
        "RM001",
        "io-error",
        format!("cannot read {name}: {reason}"),
        0,
    );
    FileResult::reported(FileReport::plain(
        name,
        kind,
        Source::new(Vec::new()),
        vec![d],
    ))
}

/// What a file is processed with, beside its bytes.
pub struct Job<'a> {
    pub mode: Mode,
    pub unsafe_fixes: bool,
    /// `--add-noqa`: add `# noqa: CODE` where there are findings instead of reporting them.
    pub add_noqa: bool,
    /// The rules and tool codes on for this file (before its own file-level `noqa`).
    pub selection: Selection,
    pub rule_sets: &'a RuleSets,
    /// Documents larger than this (in bytes) are reported and skipped.
    pub max_file_size: u64,
    /// What other files tell about this one (the fixtures of the conftest.py files above it).
    pub context: Arc<Context>,
    /// The file belongs to a project whose dependencies require replicate v2.
    pub project_on_v2: bool,
}

/// Whether `process` has nothing to do with a document: Python code (or a notebook) that never
/// mentions `replicate`, which no conftest fixture reaches. Asked first, before anything else
/// about the file is looked up.
pub fn never_mentions_sdk(name: &str, kind: Kind, raw: &[u8], context: &Context) -> bool {
    if matches!(kind, Kind::Manifest(_)) || !context.fixtures.is_empty() {
        return false;
    }
    let setup_py_names_it = kind == Kind::Python
        && manifest::kind_of(std::path::Path::new(name)) == Some(ManifestKind::SetupPy)
        && manifest::mentions_replicate(raw);
    !setup_py_names_it && !discover::mentions_sdk(raw)
}

/// Processes one document's bytes; `None` for one that never mentions the SDK (or that a
/// file-level `# replicate-migrate: noqa` exempts). Writes nothing: the caller writes
/// `new_bytes` (to the file, or to stdout for `-`).
pub fn process(name: String, kind: Kind, raw: Vec<u8>, job: &Job) -> Option<FileResult> {
    if never_mentions_sdk(&name, kind, &raw, &job.context) {
        return None;
    }
    // Too large to analyse within memory: said so, unless it could not hold v1 code anyway.
    if raw.len() as u64 > job.max_file_size && discover::mentions_sdk(&raw) {
        let d = Diagnostic {
            help: Some(
                "raise `max-file-size` (or `--max-file-size`) to check it; it was not changed"
                    .into(),
            ),
            ..Diagnostic::tool(
                "RM012",
                "file-too-large",
                format!(
                    "{name} is {} bytes, over the {}-byte `max-file-size`; it was skipped",
                    raw.len(),
                    job.max_file_size
                ),
                0,
            )
        };
        return Some(FileResult::reported(FileReport::plain(
            name,
            kind,
            Source::new(Vec::new()),
            vec![d],
        )));
    }
    if let Kind::Manifest(manifest_kind) = kind {
        return process_manifest(name, manifest_kind, raw, job);
    }
    let is_setup_py = kind == Kind::Python
        && manifest::kind_of(std::path::Path::new(&name)) == Some(ManifestKind::SetupPy);
    if is_setup_py && manifest::mentions_replicate(&raw) {
        return process_setup_py(name, raw, job);
    }
    process_python(name, kind, raw, job)
}

/// `setup.py` is Python and a manifest: its `install_requires` pins are fixed first, then its
/// code, and every finding is located in the final bytes.
fn process_setup_py(name: String, raw: Vec<u8>, job: &Job) -> Option<FileResult> {
    let pins = process_manifest(name.clone(), ManifestKind::SetupPy, raw.clone(), job);
    let after_pins = pins
        .as_ref()
        .and_then(|r| r.new_bytes.clone())
        .unwrap_or_else(|| raw.clone());
    let code = process_python(name.clone(), Kind::Python, after_pins.clone(), job);
    let final_bytes = code
        .as_ref()
        .and_then(|r| r.new_bytes.clone())
        .unwrap_or(after_pins);
    let final_source = Source::new(final_bytes.clone());
    let pins_left = manifest_findings(&name, ManifestKind::SetupPy, &final_bytes, &job.selection)
        .unwrap_or_else(|d| vec![*d]);
    let mut result = match code {
        Some(code) => code,
        None => FileResult::reported(FileReport::plain(
            name.clone(),
            Kind::Python,
            final_source.clone(),
            Vec::new(),
        )),
    };
    result.report.diagnostics.extend(pins_left);
    result
        .report
        .diagnostics
        .sort_by_key(|d| (d.start, d.code.clone()));
    if let Some(pins) = pins {
        result.found.extend(pins.found);
        result.fixed += pins.fixed;
        for (code, n) in pins.fixed_by_code {
            *result.fixed_by_code.entry(code).or_default() += n;
        }
    }
    if final_bytes != raw {
        let original = Source::new(raw);
        result.diff = Some(unified_diff(&name, &original, &final_source, None));
        result.before = Some(FileReport::plain(
            name,
            Kind::Python,
            original,
            result.found.clone(),
        ));
        result.new_bytes = Some(final_bytes);
    }
    Some(result)
}

/// One diff per changed cell, headed `--- path:cell 3` as ruff prints them (with no "No newline
/// at end of file" hint: a cell's last line has no newline in nbformat).
fn cell_diffs(name: &str, changed: &[crate::document::notebook::CellChange]) -> String {
    let mut out = String::new();
    for cell in changed {
        let header = crate::document::notebook::diff_header(name, cell.cell);
        let diff = similar::TextDiff::from_lines(cell.before.as_str(), cell.after.as_str());
        let text = diff
            .unified_diff()
            .context_radius(3)
            .missing_newline_hint(false)
            .header(&header, &header)
            .to_string();
        out.push_str(&text);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
