//! A Python document (a `.py` file, a notebook's module, or `setup.py`'s code): parse, check,
//! fix until nothing changes, and the diff.

use std::collections::BTreeMap;
use std::sync::Arc;

use tree_sitter::Tree;

use super::super::noqa::{self, FileExemption};
use super::super::Mode;
use super::{cell_diffs, FileResult, Job};
use crate::config::UNIGNORABLE;
use crate::diagnostic::{Diagnostic, Edit};
use crate::document::notebook::Notebook;
use crate::document::Kind;
use crate::files::unified_diff;
use crate::report::{Cells, FileReport};
use crate::rules::{self, RuleSet};
use crate::syntax::Source;
use crate::{discover, fix, parse};

pub(super) fn process_python(
    name: String,
    kind: Kind,
    raw: Vec<u8>,
    job: &Job,
) -> Option<FileResult> {
    // A test module that never names the SDK can still take a conftest's SDK fixture.
    if !discover::mentions_sdk(&raw) && job.context.fixtures.is_empty() {
        return None;
    }
    let mut selection = job.selection.clone();
    match noqa::file_exemption(&raw, &job.rule_sets.codes()) {
        FileExemption::None => {}
        FileExemption::All => return None,
        FileExemption::Codes(off) => {
            std::sync::Arc::make_mut(&mut selection.enabled)
                .retain(|c| UNIGNORABLE.contains(&c.as_str()) || !off.iter().any(|s| s.matches(c)));
        }
    }
    let rules = job.rule_sets.get(&selection, job.project_on_v2);
    let rules: &RuleSet = &rules;
    let (mode, unsafe_fixes) = (job.mode, job.unsafe_fixes);
    let (source, notebook) = match kind {
        Kind::Python | Kind::Manifest(_) => match Source::from_file(raw) {
            Ok(source) => (source, None),
            Err(e) => {
                // An encoding CPython rejects, or a codec the tool cannot read.
                let d = Diagnostic::tool(e.code(), e.name(), e.message(&name), e.offset);
                return Some(FileResult::reported(FileReport::plain(
                    name,
                    kind,
                    e.source,
                    vec![d],
                )));
            }
        },
        Kind::Notebook => match Notebook::parse(&raw) {
            Ok(notebook) => (Source::new(notebook.module().to_vec()), Some(notebook)),
            Err(e) => {
                let d = Diagnostic {
                    help: Some(
                        "fix the notebook (open and save it in Jupyter); it is not changed until it reads".into(),
                    ),
                    ..Diagnostic::tool(
                        "RM008",
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
        // Tool findings the selection turned off (RM002-RM004, RM009).
        diagnostics.retain(|d| !d.code.starts_with("RM0") || selection.is_enabled(&d.code));
        let cells = cells_of(&source);
        FileReport {
            path: name.clone(),
            kind,
            source,
            diagnostics,
            cells,
            lines: Default::default(),
        }
    };
    // The bytes to write: the file's codec for Python, the JSON with new cells for a notebook
    // (never written when its cells cannot be told apart again).
    let to_file = |module: &Source| -> Result<Vec<u8>, Box<Diagnostic>> {
        match &notebook {
            None => module
                .to_file_bytes()
                .map_err(|e| Box::new(Diagnostic::tool(e.code(), e.name(), e.message(&name), 0))),
            Some(nb) => nb.with_module(&module.bytes).map_err(|e| {
                Box::new(Diagnostic::tool(
                    "RM008",
                    "invalid-notebook",
                    format!("{e}; the notebook was left unchanged"),
                    0,
                ))
            }),
        }
    };
    // What CPython's tokenizer refuses (too deep, bad indentation, bad encoding) is reported
    // before tree-sitter sees it: its C code asserts on some of it.
    if let Some(error) = parse::cpython::token_errors(&source).into_iter().next() {
        let d = rejected_by_cpython(&name, &source, &error);
        return Some(FileResult::reported(report(source, vec![d])));
    }
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
    let preorder = parse::preorder(&tree);
    let depth = preorder.depth;
    if depth > parse::MAX_DEPTH {
        let d = Diagnostic {
            help: Some("split the expression; the file is not changed".into()),
            ..Diagnostic::tool(
                "RM010",
                "too-deeply-nested",
                format!(
                    "{name} nests {depth} levels deep (over {}); it was skipped",
                    parse::MAX_DEPTH
                ),
                0,
            )
        };
        return Some(FileResult::reported(report(source, vec![d])));
    }
    // Errors CPython reports that tree-sitter accepts (Python 2 code, bad indentation, a
    // keyword given twice): the file does not import, so it is not migrated either. Not in a
    // notebook, whose cells IPython compiles its own way (top-level `await`).
    if notebook.is_none() {
        if let Some(error) = parse::cpython::compile_errors(&source, &tree)
            .into_iter()
            .next()
        {
            let d = rejected_by_cpython(&name, &source, &error);
            return Some(FileResult::reported(report(source, vec![d])));
        }
    }
    let check = |source: &Source, tree: &Tree, preorder: Option<parse::Preorder>| {
        rules::check_file_with(
            source,
            tree,
            preorder,
            rules,
            Arc::clone(&job.context),
            true,
            |_, _, _| (),
        )
    };
    let rules::Checks {
        findings: mut found,
        suppressed,
        v2_code,
        ..
    } = check(&source, &tree, Some(preorder));
    let unused_noqa = |source: &Source, tree: &Tree, suppressed: &[Diagnostic]| {
        if !selection.is_enabled("RM009") {
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
    let checked = fix::Checked {
        source: source.clone(),
        tree,
        findings: found
            .iter()
            .filter(|d| d.code != "RM009")
            .cloned()
            .collect(),
        suppressed,
        context: Arc::clone(&job.context),
        // Checked above: a Python file CPython rejects is not fixed (a notebook is not checked).
        compile_errors: notebook.is_none().then(Default::default),
        v2_code,
    };
    let outcome = fix::fix_checked(&checked, rules, unsafe_fixes);
    let mut fixed_source = outcome.source;
    let mut remaining = outcome.remaining;
    let mut fixed_count = outcome.fixed;
    let mut anchors = outcome.anchors;
    // The fixes left some `noqa` unused (or it was so before): take the unused codes out.
    if selection.is_enabled("RM009") {
        let tree = outcome.tree;
        let unused = unused_noqa(&fixed_source, &tree, &outcome.suppressed);
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
                // The anchors point into the text before the `noqa` edits.
                anchors = None;
                let checks = check(&fixed_source, &candidate_tree, None);
                remaining = checks.findings;
                remaining.extend(unused_noqa(
                    &fixed_source,
                    &candidate_tree,
                    &checks.suppressed,
                ));
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
        None => Ok(unified_diff(
            &name,
            &source,
            &fixed_source,
            anchors.as_deref(),
        )),
        Some(nb) => nb
            .changed_cells(&fixed_source.bytes)
            .map(|changed| cell_diffs(&name, &changed))
            .map_err(|e| {
                Box::new(Diagnostic::tool(
                    "RM008",
                    "invalid-notebook",
                    format!("{e}; the notebook was left unchanged"),
                    0,
                ))
            }),
    };
    let (new_bytes, diff) = match (written, diff) {
        (Ok(bytes), Ok(diff)) => (bytes, diff),
        (Err(d), _) | (_, Err(d)) => {
            let mut diagnostics = found.clone();
            diagnostics.push(*d);
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

/// The finding for a file CPython rejects: RM000 at the error; the file is not changed.
fn rejected_by_cpython(
    name: &str,
    source: &Source,
    error: &parse::cpython::CompileError,
) -> Diagnostic {
    let (line, col) = source.line_col(error.offset);
    Diagnostic {
        help: Some(
            "CPython rejects this file; fix it first, it is not changed until it compiles".into(),
        ),
        ..Diagnostic::tool(
            "RM000",
            "invalid-syntax",
            format!("{}: {} ({name}:{line}:{col})", error.kind, error.message),
            error.offset,
        )
    }
}
