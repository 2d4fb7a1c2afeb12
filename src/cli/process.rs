//! One document through the stages: read, prefilter, turn into Python (a notebook's cells
//! become one module), parse, then check or fix, and give back the bytes to write.

use std::collections::BTreeMap;

use super::Mode;
use crate::diagnostic::Diagnostic;
use crate::document::notebook::Notebook;
use crate::document::Kind;
use crate::files::unified_diff;
use crate::report::{Cells, FileReport};
use crate::rules::{self, RuleSet};
use crate::syntax::Source;
use crate::{discover, fix, parse};

/// What happened to one file.
pub struct FileResult {
    pub report: FileReport,
    /// How many findings the fixes resolved.
    pub fixed: usize,
    /// Per code, how many findings fixing removed (`--show-fixes`, the migration summary).
    pub fixed_by_code: BTreeMap<String, usize>,
    /// The findings before fixing (in `check` mode, the findings).
    pub found: Vec<Diagnostic>,
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
    pub fn reported(report: FileReport) -> Self {
        FileResult {
            found: report.diagnostics.clone(),
            report,
            fixed: 0,
            fixed_by_code: BTreeMap::new(),
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

/// Processes one document's bytes; `None` for one that never mentions the SDK. Writes nothing:
/// the caller writes `new_bytes` (to the file, or to stdout for `-`).
pub fn process(
    name: String,
    kind: Kind,
    raw: Vec<u8>,
    rules: &RuleSet,
    mode: Mode,
    unsafe_fixes: bool,
) -> Option<FileResult> {
    if !discover::mentions_sdk(&raw) {
        return None;
    }
    let (source, notebook) = match kind {
        Kind::Python => (Source::new(raw), None),
        Kind::Notebook => match Notebook::parse(&raw) {
            Ok(notebook) => (Source::new(notebook.module().to_vec()), Some(notebook)),
            Err(e) => {
                let d = Diagnostic {
                    help: Some(
                        "fix the notebook (open and save it in Jupyter); it is not changed until it reads".into(),
                    ),
                    ..Diagnostic::tool(
                        "RM005",
                        "invalid-notebook",
                        format!("cannot read notebook {name}: {e}"),
                        0,
                    )
                };
                return Some(FileResult::reported(FileReport::plain(
                    name,
                    kind,
                    Source::new(raw),
                    vec![d],
                )));
            }
        },
    };
    let cells_of = |module: &Source| -> Option<Cells> {
        let notebook = notebook.as_ref()?;
        Some(Cells {
            map: notebook.map(&module.bytes).ok()?,
            texts: notebook.cells_of(&module.bytes).ok()?,
        })
    };
    let report = |source: Source, diagnostics: Vec<Diagnostic>| {
        let cells = cells_of(&source);
        FileReport {
            path: name.clone(),
            kind,
            source,
            diagnostics,
            cells,
        }
    };
    let tree = parse::parse(&source);
    if let Some(offset) = parse::first_error(&tree) {
        let mut r = report(source, Vec::new());
        let location = r.location(offset);
        r.diagnostics.push(Diagnostic {
            help: Some("fix the syntax error; the file is not changed until it parses".into()),
            ..Diagnostic::tool(
                "RM000",
                "invalid-syntax",
                format!("SyntaxError: cannot parse {name} at {location}"),
                offset,
            )
        });
        return Some(FileResult::reported(r));
    }
    let found = rules::check_file(&source, &tree, rules);
    if mode == Mode::Check || found.is_empty() {
        return Some(FileResult::reported(report(source, found)));
    }
    let outcome = fix::fix_file(&source, rules, unsafe_fixes);
    if outcome.source.bytes == source.bytes {
        let mut result = FileResult::reported(report(source, outcome.remaining));
        result.found = found;
        return Some(result);
    }
    let (new_bytes, diff) = match &notebook {
        None => (
            outcome.source.to_file_bytes(),
            unified_diff(&name, &source, &outcome.source),
        ),
        Some(notebook) => {
            let written = notebook.with_module(&outcome.source.bytes);
            let changed = notebook.changed_cells(&outcome.source.bytes);
            match (written, changed) {
                (Ok(bytes), Ok(changed)) => (bytes, cell_diffs(&name, &changed)),
                (Err(e), _) | (_, Err(e)) => {
                    // Never write a notebook whose cells cannot be told apart again.
                    let mut diagnostics = found.clone();
                    diagnostics.push(Diagnostic::tool(
                        "RM005",
                        "invalid-notebook",
                        format!("{e}; the notebook was left unchanged"),
                        0,
                    ));
                    let mut result = FileResult::reported(report(source, diagnostics));
                    result.found = found;
                    return Some(result);
                }
            }
        }
    };
    let mut fixed_by_code: BTreeMap<String, usize> = BTreeMap::new();
    for d in &found {
        *fixed_by_code.entry(d.code.clone()).or_default() += 1;
    }
    for d in &outcome.remaining {
        if let Some(n) = fixed_by_code.get_mut(&d.code) {
            *n = n.saturating_sub(1);
        }
    }
    fixed_by_code.retain(|_, n| *n > 0);
    Some(FileResult {
        fixed: outcome.fixed,
        fixed_by_code,
        before: Some(report(source, found.clone())),
        found,
        new_bytes: Some(new_bytes),
        diff: Some(diff),
        write_error: None,
        report: report(outcome.source, outcome.remaining),
    })
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
