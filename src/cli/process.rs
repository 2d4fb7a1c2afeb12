//! One document through the stages: read, prefilter, turn into Python (a notebook's cells
//! become one module), parse, then check or fix, and give back the bytes to write.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use tree_sitter::Tree;

use super::noqa::{self, FileExemption};
use super::Mode;
use crate::config::{Selection, TOOL_CODES, UNIGNORABLE};
use crate::diagnostic::{Diagnostic, Edit};
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

/// What a file is processed with, beside its bytes.
pub struct Job<'a> {
    pub mode: Mode,
    pub unsafe_fixes: bool,
    /// `--add-noqa`: add `# noqa: CODE` where there are findings instead of reporting them.
    pub add_noqa: bool,
    /// The rules and tool codes on for this file (before its own file-level `noqa`).
    pub selection: Selection,
    pub rule_sets: &'a RuleSets,
}

/// Processes one document's bytes; `None` for one that never mentions the SDK (or that a
/// file-level `# replicate-migrate: noqa` exempts). Writes nothing: the caller writes
/// `new_bytes` (to the file, or to stdout for `-`).
pub fn process(name: String, kind: Kind, raw: Vec<u8>, job: &Job) -> Option<FileResult> {
    if !discover::mentions_sdk(&raw) {
        return None;
    }
    let mut selection = job.selection.clone();
    match noqa::file_exemption(&raw, &job.rule_sets.codes()) {
        FileExemption::None => {}
        FileExemption::All => return None,
        FileExemption::Codes(off) => {
            selection
                .enabled
                .retain(|c| UNIGNORABLE.contains(&c.as_str()) || !off.iter().any(|s| s.matches(c)));
        }
    }
    let rules = job.rule_sets.get(&selection);
    let rules: &RuleSet = &rules;
    let (mode, unsafe_fixes) = (job.mode, job.unsafe_fixes);
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
    let report = |source: Source, mut diagnostics: Vec<Diagnostic>| {
        // Tool findings the selection turned off (RM002-RM004, RM006).
        diagnostics.retain(|d| !d.code.starts_with("RM0") || selection.is_enabled(&d.code));
        let cells = cells_of(&source);
        FileReport {
            path: name.clone(),
            kind,
            source,
            diagnostics,
            cells,
        }
    };
    let to_file = |module: &Source| -> Result<Vec<u8>, String> {
        match &notebook {
            None => Ok(module.to_file_bytes()),
            Some(nb) => nb.with_module(&module.bytes).map_err(|e| e.to_string()),
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
    let (mut found, suppressed) = rules::check_file_with_suppressed(&source, &tree, rules);
    let unused_noqa = |source: &Source, tree: &Tree, suppressed: &[Diagnostic]| {
        if !selection.is_enabled("RM006") {
            return Vec::new();
        }
        noqa::unused(source, tree, suppressed, job.rule_sets.known(), &|c| {
            selection.is_enabled(c)
        })
    };
    found.extend(unused_noqa(&source, &tree, &suppressed));
    found.sort_by_key(|d| (d.start, d.code.clone()));
    if job.add_noqa {
        let rule_findings: Vec<Diagnostic> = found
            .iter()
            .filter(|d| !d.code.starts_with("RM0"))
            .cloned()
            .collect();
        let (edits, _refused) = noqa::add_noqa_edits(&source, &tree, &rule_findings);
        let mut result = FileResult::reported(report(source.clone(), found.clone()));
        if edits.is_empty() {
            return Some(result);
        }
        let new = source.with_bytes(noqa::apply(&source.bytes, &edits));
        let new_tree = parse::parse(&new);
        // Never write a file that parses worse than it did.
        if parse::error_count(&new_tree) > parse::error_count(&tree) {
            return Some(result);
        }
        if let Ok(bytes) = to_file(&new) {
            result.fixed = edits.len();
            result.new_bytes = Some(bytes);
        }
        return Some(result);
    }
    if mode == Mode::Check || found.iter().all(|d| !d.fixable(unsafe_fixes)) {
        return Some(FileResult::reported(report(source, found)));
    }
    let outcome = fix::fix_file(&source, rules, unsafe_fixes);
    let mut fixed_source = outcome.source;
    let mut remaining = outcome.remaining;
    let mut fixed_count = outcome.fixed;
    // The fixes left some `noqa` unused (or it was so before): take the unused codes out.
    if selection.is_enabled("RM006") {
        let tree = parse::parse(&fixed_source);
        let (_, suppressed) = rules::check_file_with_suppressed(&fixed_source, &tree, rules);
        let unused = unused_noqa(&fixed_source, &tree, &suppressed);
        let edits: Vec<Edit> = unused
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        if !edits.is_empty() {
            let candidate = fixed_source.with_bytes(noqa::apply(&fixed_source.bytes, &edits));
            let candidate_tree = parse::parse(&candidate);
            if parse::error_count(&candidate_tree) <= parse::error_count(&tree) {
                fixed_count += unused.len();
                fixed_source = candidate;
                remaining = rules::check_file(&fixed_source, &candidate_tree, rules);
                let (_, suppressed) =
                    rules::check_file_with_suppressed(&fixed_source, &candidate_tree, rules);
                remaining.extend(unused_noqa(&fixed_source, &candidate_tree, &suppressed));
            } else {
                remaining.extend(unused);
            }
        }
        remaining.sort_by_key(|d| (d.start, d.code.clone()));
    }
    if fixed_source.bytes == source.bytes {
        let mut result = FileResult::reported(report(source, remaining));
        result.found = found;
        return Some(result);
    }
    let written = to_file(&fixed_source);
    let diff = match &notebook {
        None => Ok(unified_diff(&name, &source, &fixed_source)),
        Some(nb) => nb
            .changed_cells(&fixed_source.bytes)
            .map(|changed| cell_diffs(&name, &changed))
            .map_err(|e| e.to_string()),
    };
    let (new_bytes, diff) = match (written, diff) {
        (Ok(bytes), Ok(diff)) => (bytes, diff),
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
    };
    let mut fixed_by_code: BTreeMap<String, usize> = BTreeMap::new();
    for d in &found {
        *fixed_by_code.entry(d.code.clone()).or_default() += 1;
    }
    for d in &remaining {
        if let Some(n) = fixed_by_code.get_mut(&d.code) {
            *n = n.saturating_sub(1);
        }
    }
    fixed_by_code.retain(|_, n| *n > 0);
    Some(FileResult {
        fixed: fixed_count,
        fixed_by_code,
        before: Some(report(source, found.clone())),
        found,
        new_bytes: Some(new_bytes),
        diff: Some(diff),
        write_error: None,
        report: report(fixed_source, remaining),
    })
}

/// The rule sets of the selections met in a run, each built once.
pub struct RuleSets {
    all: RuleSet,
    codes: Vec<String>,
    known: BTreeSet<String>,
    cache: Mutex<HashMap<Selection, Arc<RuleSet>>>,
}

impl RuleSets {
    pub fn new(all: RuleSet) -> RuleSets {
        let mut codes: Vec<String> = TOOL_CODES.iter().map(|(c, _, _)| c.to_string()).collect();
        codes.extend(all.rules.iter().map(|r| r.code.clone()));
        let known = codes.iter().cloned().collect();
        RuleSets {
            all,
            codes,
            known,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Every code: the tool's and the rules'.
    pub fn codes(&self) -> Vec<&str> {
        self.codes.iter().map(String::as_str).collect()
    }

    pub fn known(&self) -> &BTreeSet<String> {
        &self.known
    }

    pub fn get(&self, selection: &Selection) -> Arc<RuleSet> {
        let mut cache = self.cache.lock().expect("not poisoned");
        Arc::clone(
            cache
                .entry(selection.clone())
                .or_insert_with(|| Arc::new(self.all.only(|code| selection.is_enabled(code)))),
        )
    }
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
