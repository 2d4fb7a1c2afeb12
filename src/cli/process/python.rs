//! A Python document (a `.py` file, a notebook's module, or `setup.py`'s code): parse, check,
//! fix until nothing changes, and the diff.

use std::collections::BTreeMap;
use std::sync::Arc;

use tree_sitter::Tree;

use super::super::noqa::{self, FileExemption};
use super::super::Mode;
use super::{cell_diffs, FileResult, Job};
use crate::config::{Selection, UNIGNORABLE};
use crate::diagnostic::{Diagnostic, Edit};
use crate::document::notebook::Notebook;
use crate::document::Kind;
use crate::files::unified_diff;
use crate::report::{Cells, FileReport};
use crate::rules::{self, RuleSet};
use crate::syntax::Source;
use crate::{fix, parse};

/// A Python document through the stages; `None` when it never names the SDK in code (nor can take a
/// conftest's SDK fixture) or a file-level `noqa` exempts it.
pub(super) fn process_python(
    name: String,
    kind: Kind,
    raw: Vec<u8>,
    job: &Job,
) -> Option<FileResult> {
    // (`process` set aside a module that never names the SDK, unless a conftest's SDK fixture
    // reaches it.)
    let selection = file_selection(&raw, job)?;
    let rules = job.rule_sets.get(&selection, job.project_on_v2);
    let (source, notebook) = match decode(&name, kind, raw) {
        Ok(decoded) => decoded,
        Err(report) => return Some(FileResult::reported(*report)),
    };
    let doc = Document {
        name,
        kind,
        notebook,
        selection,
        rules,
        job,
    };
    // What CPython's tokenizer refuses (too deep, bad indentation, bad encoding) is reported
    // before tree-sitter sees it: its C code asserts on some of it.
    let tokens = parse::cpython::scan_tokens(&source, b"replicate");
    if let Some(error) = tokens.errors.first() {
        let d = rejected_by_cpython(&doc.name, &source, error);
        return Some(FileResult::reported(doc.report(source, vec![d])));
    }
    if !doc.may_use_sdk(&source, tokens.has_name) {
        return None;
    }
    let tree = parse::parse(&source);
    if let Some(offset) = parse::first_error(&tree) {
        return Some(FileResult::reported(doc.syntax_error(source, offset)));
    }
    let preorder = parse::preorder(&tree);
    if let Some(d) = doc
        .too_deep(preorder.depth)
        .or_else(|| doc.compile_error(&source, &tree, &preorder.children))
    {
        return Some(FileResult::reported(doc.report(source, vec![d])));
    }
    let rules::Checks {
        findings: mut found,
        suppressed,
        v2_code,
        ..
    } = doc.check(&source, &tree, Some(preorder));
    found.extend(doc.unused_noqa(&source, &tree, &suppressed));
    found.sort_by_key(|d| (d.start, d.code.clone()));
    if job.add_noqa {
        return Some(doc.add_noqa(source, &tree, found));
    }
    if job.mode == Mode::Check || found.iter().all(|d| !d.fixable(job.unsafe_fixes)) {
        return Some(FileResult::reported(doc.report(source, found)));
    }
    Some(doc.fix(source, tree, found, suppressed, v2_code))
}

/// The job's selection less the codes a file-level `noqa` turns off; `None` when it turns off
/// everything.
fn file_selection(raw: &[u8], job: &Job) -> Option<Selection> {
    let mut selection = job.selection.clone();
    match noqa::file_exemption(raw, &job.rule_sets.codes()) {
        FileExemption::None => {}
        FileExemption::All => return None,
        FileExemption::Codes(off) => {
            Arc::make_mut(&mut selection.enabled)
                .retain(|c| UNIGNORABLE.contains(&c.as_str()) || !off.iter().any(|s| s.matches(c)));
        }
    }
    Some(selection)
}

/// The document as Python source (a notebook's cells as one module, the notebook kept to map
/// back), or the report of one that does not read.
fn decode(
    name: &str,
    kind: Kind,
    raw: Vec<u8>,
) -> Result<(Source, Option<Notebook>), Box<FileReport>> {
    match kind {
        Kind::Python | Kind::Manifest(_) => match Source::from_file(raw) {
            Ok(source) => Ok((source, None)),
            Err(e) => {
                // An encoding CPython rejects, or a codec the tool cannot read.
                let d = Diagnostic::tool(e.code(), e.name(), e.message(name), e.offset);
                Err(Box::new(FileReport::plain(
                    name.to_string(),
                    kind,
                    e.source,
                    vec![d],
                )))
            }
        },
        Kind::Notebook => match Notebook::parse(&raw) {
            Ok(notebook) => Ok((Source::new(notebook.module().to_vec()), Some(notebook))),
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
                Err(Box::new(FileReport::plain(
                    name.to_string(),
                    kind,
                    Source::new(raw),
                    vec![d],
                )))
            }
        },
    }
}

/// One decoded document and what it is checked with.
struct Document<'j, 'r> {
    name: String,
    kind: Kind,
    /// The notebook the module came from, if it did.
    notebook: Option<Notebook>,
    /// The job's selection after the file's own `noqa`.
    selection: Selection,
    rules: Arc<RuleSet>,
    job: &'j Job<'r>,
}

/// A document after its fixes: the source, the findings left, how many were fixed, and the
/// line anchors for the diff (when known).
struct Fixed {
    source: Source,
    remaining: Vec<Diagnostic>,
    count: usize,
    anchors: Option<Vec<Option<usize>>>,
}

impl Document<'_, '_> {
    /// Whether anything in the module can be the SDK. A module none of whose names (as CPython's
    /// tokenizer reads them: code and f-string replacement fields, not strings and comments) is
    /// `replicate` has no name that resolves to it: it gets what a file that never mentions it
    /// gets, without the parse, the CPython check, the semantic model and the rules (in a big
    /// tree, most of the files that pass the byte prefilter: a docstring's "replicate the
    /// setup"). A notebook, a conftest's fixtures, a `noqa` directive (which may be unused) and
    /// a file the tokenizer could not read (a declared non-UTF-8 codec) keep the whole path.
    fn may_use_sdk(&self, source: &Source, names_replicate: Option<bool>) -> bool {
        self.kind != Kind::Python
            || !self.job.context.fixtures.is_empty()
            || memchr::memmem::find(&source.bytes, b"noqa").is_some()
            || names_replicate != Some(false)
    }

    /// The report of `source` (the document or a fixed text of it) with `diagnostics`.
    fn report(&self, source: Source, mut diagnostics: Vec<Diagnostic>) -> FileReport {
        // Tool findings the selection turned off (RM002-RM004, RM009).
        diagnostics.retain(|d| !d.code.starts_with("RM0") || self.selection.is_enabled(&d.code));
        let cells = self.cells_of(&source);
        FileReport {
            path: self.name.clone(),
            kind: self.kind,
            source,
            diagnostics,
            cells,
            lines: Default::default(),
        }
    }

    fn cells_of(&self, module: &Source) -> Option<Cells> {
        let notebook = self.notebook.as_ref()?;
        Some(Cells {
            map: notebook.map(&module.bytes).ok()?,
            texts: notebook.cells_of(&module.bytes).ok()?,
        })
    }

    /// The bytes to write: the file's codec for Python, the JSON with new cells for a notebook
    /// (never written when its cells cannot be told apart again).
    fn to_file(&self, module: &Source) -> Result<Vec<u8>, Box<Diagnostic>> {
        match &self.notebook {
            None => module.to_file_bytes().map_err(|e| {
                Box::new(Diagnostic::tool(
                    e.code(),
                    e.name(),
                    e.message(&self.name),
                    0,
                ))
            }),
            Some(nb) => nb.with_module(&module.bytes).map_err(|e| {
                Box::new(Diagnostic::tool(
                    "RM008",
                    "invalid-notebook",
                    format!("{e}; the notebook was left unchanged"),
                    0,
                ))
            }),
        }
    }

    /// The report of a document tree-sitter cannot parse (RM000 at `offset`, kept whatever the
    /// selection).
    fn syntax_error(&self, source: Source, offset: usize) -> FileReport {
        let mut r = self.report(source, Vec::new());
        let location = r.location(offset);
        r.diagnostics.push(Diagnostic {
            help: Some("fix the syntax error; the file is not changed until it parses".into()),
            ..Diagnostic::tool(
                "RM000",
                "invalid-syntax",
                format!("SyntaxError: cannot parse {} at {location}", self.name),
                offset,
            )
        });
        r
    }

    /// RM010 for a tree nested deeper than the semantic model goes.
    fn too_deep(&self, depth: usize) -> Option<Diagnostic> {
        if depth <= parse::MAX_DEPTH {
            return None;
        }
        Some(Diagnostic {
            help: Some("split the expression; the file is not changed".into()),
            ..Diagnostic::tool(
                "RM010",
                "too-deeply-nested",
                format!(
                    "{} nests {depth} levels deep (over {}); it was skipped",
                    self.name,
                    parse::MAX_DEPTH
                ),
                0,
            )
        })
    }

    /// Errors CPython reports that tree-sitter accepts (Python 2 code, bad indentation, a
    /// keyword given twice): the file does not import, so it is not migrated either. Not in a
    /// notebook, whose cells IPython compiles its own way (top-level `await`).
    fn compile_error(
        &self,
        source: &Source,
        tree: &Tree,
        children: &parse::Children,
    ) -> Option<Diagnostic> {
        if self.notebook.is_some() {
            return None;
        }
        let error = parse::cpython::tree_errors(source, tree, children)
            .into_iter()
            .next()?;
        Some(rejected_by_cpython(&self.name, source, &error))
    }

    fn check(
        &self,
        source: &Source,
        tree: &Tree,
        preorder: Option<parse::Preorder>,
    ) -> rules::Checks<()> {
        rules::check_file_with(
            source,
            tree,
            preorder,
            &self.rules,
            Arc::clone(&self.job.context),
            true,
            |_, _, _| (),
        )
    }

    /// RM009: the `noqa` codes that suppressed nothing (when RM009 is on).
    fn unused_noqa(
        &self,
        source: &Source,
        tree: &Tree,
        suppressed: &[Diagnostic],
    ) -> Vec<Diagnostic> {
        if !self.selection.is_enabled("RM009") {
            return Vec::new();
        }
        noqa::unused(source, tree, suppressed, self.job.rule_sets.known(), &|c| {
            self.selection.is_enabled(c)
        })
    }

    /// `--add-noqa`: the findings reported, and the document with a `# noqa: CODE` for each rule
    /// finding to write (unless it would parse worse).
    fn add_noqa(&self, source: Source, tree: &Tree, found: Vec<Diagnostic>) -> FileResult {
        let rule_findings: Vec<Diagnostic> = found
            .iter()
            .filter(|d| !d.code.starts_with("RM0"))
            .cloned()
            .collect();
        let (edits, _refused) = noqa::add_noqa_edits(&source, tree, &rule_findings);
        let mut result = FileResult::reported(self.report(source.clone(), found.clone()));
        if edits.is_empty() {
            return result;
        }
        let new = source.with_bytes(noqa::apply(&source.bytes, &edits));
        let new_tree = parse::parse(&new);
        // Never write a file that parses worse than it did.
        if parse::error_count(&new_tree) > parse::error_count(tree) {
            return result;
        }
        if let Ok(bytes) = self.to_file(&new) {
            result.fixed = edits.len();
            result.new_bytes = Some(bytes);
        }
        result
    }

    /// `fix` and `fix --diff`: the fixes applied until nothing changes, then the result.
    fn fix(
        &self,
        source: Source,
        tree: Tree,
        found: Vec<Diagnostic>,
        suppressed: Vec<Diagnostic>,
        v2_code: Vec<(usize, usize)>,
    ) -> FileResult {
        let checked = fix::Checked {
            source: source.clone(),
            tree,
            findings: found
                .iter()
                .filter(|d| d.code != "RM009")
                .cloned()
                .collect(),
            suppressed,
            context: Arc::clone(&self.job.context),
            // Checked above: a Python file CPython rejects is not fixed (a notebook is not checked).
            compile_errors: self.notebook.is_none().then(Default::default),
            v2_code,
        };
        let outcome = fix::fix_checked(&checked, &self.rules, self.job.unsafe_fixes);
        let fixed = self.without_unused_noqa(outcome);
        self.fixed_result(source, found, fixed)
    }

    /// The fixes left some `noqa` unused (or it was so before): the unused codes taken out, when
    /// the text parses no worse for it (else reported).
    fn without_unused_noqa(&self, outcome: fix::FixOutcome) -> Fixed {
        let mut fixed = Fixed {
            source: outcome.source,
            remaining: outcome.remaining,
            count: outcome.fixed,
            anchors: outcome.anchors,
        };
        if !self.selection.is_enabled("RM009") {
            return fixed;
        }
        let tree = outcome.tree;
        let unused = self.unused_noqa(&fixed.source, &tree, &outcome.suppressed);
        let edits: Vec<Edit> = unused
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        if !edits.is_empty() {
            let candidate = fixed
                .source
                .with_bytes(noqa::apply(&fixed.source.bytes, &edits));
            let candidate_tree = parse::parse(&candidate);
            if parse::error_count(&candidate_tree) <= parse::error_count(&tree) {
                fixed.count += unused.len();
                fixed.source = candidate;
                // The anchors point into the text before the `noqa` edits.
                fixed.anchors = None;
                let checks = self.check(&fixed.source, &candidate_tree, None);
                fixed.remaining = checks.findings;
                fixed.remaining.extend(self.unused_noqa(
                    &fixed.source,
                    &candidate_tree,
                    &checks.suppressed,
                ));
            } else {
                fixed.remaining.extend(unused);
            }
        }
        fixed.remaining.sort_by_key(|d| (d.start, d.code.clone()));
        fixed
    }

    /// The result of fixing: the fixed text's report, bytes and diff, or the document's report
    /// when nothing changed or the fixed text cannot be written (with why).
    fn fixed_result(&self, source: Source, found: Vec<Diagnostic>, fixed: Fixed) -> FileResult {
        if fixed.source.bytes == source.bytes {
            let mut result = FileResult::reported(self.report(source, fixed.remaining));
            result.found = found;
            return result;
        }
        let written = self.to_file(&fixed.source);
        let diff = match &self.notebook {
            None => Ok(unified_diff(
                &self.name,
                &source,
                &fixed.source,
                fixed.anchors.as_deref(),
            )),
            Some(nb) => nb
                .changed_cells(&fixed.source.bytes)
                .map(|changed| cell_diffs(&self.name, &changed))
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
                let mut result = FileResult::reported(self.report(source, diagnostics));
                result.found = found;
                return result;
            }
        };
        FileResult {
            fixed: fixed.count,
            fixed_by_code: fixed_by_code(&found, &fixed.remaining),
            before: Some(self.report(source, found.clone())),
            found,
            found_by_code: BTreeMap::new(),
            new_bytes: Some(new_bytes),
            diff: Some(diff),
            write_error: None,
            report: self.report(fixed.source, fixed.remaining),
        }
    }
}

/// Per code, how many of the findings fixing removed (those found less those remaining).
fn fixed_by_code(found: &[Diagnostic], remaining: &[Diagnostic]) -> BTreeMap<String, usize> {
    let mut fixed_by_code: BTreeMap<String, usize> = BTreeMap::new();
    for d in found {
        *fixed_by_code.entry(d.code.clone()).or_default() += 1;
    }
    for d in remaining {
        if let Some(n) = fixed_by_code.get_mut(&d.code) {
            *n = n.saturating_sub(1);
        }
    }
    fixed_by_code.retain(|_, n| *n > 0);
    fixed_by_code
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
