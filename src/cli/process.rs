//! One document through the stages: read, prefilter, turn into Python (a notebook's cells
//! become one module), parse, then check or fix, and give back the bytes to write.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use tree_sitter::Tree;

use super::noqa::{self, FileExemption};
use super::Mode;
use crate::config::{Selection, TOOL_CODES, UNIGNORABLE};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::document::manifest::{self, ManifestKind};
use crate::document::notebook::Notebook;
use crate::document::Kind;
use crate::files::unified_diff;
use crate::report::{Cells, FileReport};
use crate::rules::{self, RuleSet};
use crate::semantic::Context;
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

/// Processes one document's bytes; `None` for one that never mentions the SDK (or that a
/// file-level `# replicate-migrate: noqa` exempts). Writes nothing: the caller writes
/// `new_bytes` (to the file, or to stdout for `-`).
pub fn process(name: String, kind: Kind, raw: Vec<u8>, job: &Job) -> Option<FileResult> {
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

fn process_python(name: String, kind: Kind, raw: Vec<u8>, job: &Job) -> Option<FileResult> {
    // A test module that never names the SDK can still take a conftest's SDK fixture.
    if !discover::mentions_sdk(&raw) && job.context.fixtures.is_empty() {
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
        let (line, col) = source.line_col(error.offset);
        let d = Diagnostic {
            help: Some(
                "CPython rejects this file; fix it first, it is not changed until it compiles"
                    .into(),
            ),
            ..Diagnostic::tool(
                "RM000",
                "invalid-syntax",
                format!("{}: {} ({name}:{line}:{col})", error.kind, error.message),
                error.offset,
            )
        };
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
    let depth = parse::depth(&tree);
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
            let (line, col) = source.line_col(error.offset);
            let d = Diagnostic {
                help: Some(
                    "CPython rejects this file; fix it first, it is not changed until it compiles"
                        .into(),
                ),
                ..Diagnostic::tool(
                    "RM000",
                    "invalid-syntax",
                    format!("{}: {} ({name}:{line}:{col})", error.kind, error.message),
                    error.offset,
                )
            };
            return Some(FileResult::reported(report(source, vec![d])));
        }
    }
    let check = |source: &Source, tree: &Tree| {
        rules::check_file_with(
            source,
            tree,
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
    } = check(&source, &tree);
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
                let checks = check(&fixed_source, &candidate_tree);
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

/// A dependency manifest: its `replicate` pins (RM950), locks (RM951) and requirements that
/// cannot be checked (RM952); `fix` rewrites only the specifiers. Lock files are never edited.
fn process_manifest(
    name: String,
    kind: ManifestKind,
    raw: Vec<u8>,
    job: &Job,
) -> Option<FileResult> {
    if !manifest::mentions_replicate(&raw) {
        return None;
    }
    let selection = &job.selection;
    let source = Source::new(raw.clone());
    let report = |source: Source, diagnostics: Vec<Diagnostic>| {
        FileReport::plain(name.clone(), Kind::Manifest(kind), source, diagnostics)
    };
    let diagnose = |bytes: &[u8]| manifest_findings(&name, kind, bytes, selection);
    let found = match diagnose(&raw) {
        Ok(found) => found,
        Err(d) => return Some(FileResult::reported(report(source, vec![*d]))),
    };
    let fixable = found.iter().any(|d| d.fix.is_some());
    if job.mode == Mode::Check || job.add_noqa || !fixable {
        return Some(FileResult::reported(report(source, found)));
    }
    let checked = manifest::check(kind, &raw).ok()?;
    let wanted: Vec<manifest::Finding> = checked
        .findings
        .into_iter()
        .filter(|f| selection.is_enabled(f.code))
        .collect();
    let new_raw = manifest::apply_fixes(&raw, &wanted);
    let new_source = Source::new(new_raw.clone());
    let remaining = match diagnose(&new_raw) {
        Ok(remaining) => remaining,
        // A fix that would make the file unreadable is never written.
        Err(_) => return Some(FileResult::reported(report(source, found))),
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
    let fixed = fixed_by_code.values().sum();
    Some(FileResult {
        fixed,
        fixed_by_code,
        before: Some(report(source.clone(), found.clone())),
        found,
        diff: Some(unified_diff(&name, &source, &new_source, None)),
        new_bytes: Some(new_raw),
        write_error: None,
        report: report(new_source, remaining),
    })
}

/// The findings of a manifest's bytes, offsets in the bytes without a BOM (as `Source` holds
/// them); a manifest that cannot be read is one RM952.
fn manifest_findings(
    name: &str,
    kind: ManifestKind,
    bytes: &[u8],
    selection: &Selection,
) -> Result<Vec<Diagnostic>, Box<Diagnostic>> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let checked = manifest::check(kind, bytes).map_err(|e| {
        Box::new(Diagnostic {
            help: Some("fix the file; it is not changed until it reads".into()),
            ..Diagnostic::tool(
                manifest::RM952,
                "dependency-unchecked",
                format!("cannot read {name}: {e}"),
                e.offset.saturating_sub(bom),
            )
        })
    })?;
    Ok(checked
        .findings
        .into_iter()
        .filter(|f| selection.is_enabled(f.code))
        .map(|f| manifest_diagnostic(f, bom))
        .collect())
}

fn manifest_diagnostic(f: manifest::Finding, bom: usize) -> Diagnostic {
    let name = manifest::CODES
        .iter()
        .find(|(c, _, _)| *c == f.code)
        .map_or("dependency", |(_, n, _)| *n);
    let fix = f.fix.map(|r| Fix {
        title: f
            .help
            .clone()
            .unwrap_or_else(|| format!("Require `{}`", r.content)),
        applicability: Applicability::Safe,
        edits: vec![Edit::replace(
            r.start.saturating_sub(bom),
            r.end.saturating_sub(bom),
            r.content.into_bytes(),
        )],
        imports: Vec::new(),
        defer_while_unfixed: false,
    });
    Diagnostic {
        code: f.code.to_string(),
        name: name.to_string(),
        message: f.message,
        severity: Severity::Error,
        start: f.start.saturating_sub(bom),
        end: f.end.saturating_sub(bom),
        help: if fix.is_some() { None } else { f.help },
        fix,
        url: Some(
            "https://github.com/replicate/replicate-python-beta/blob/main/UPGRADING.md#installing-the-v2-sdk".into(),
        ),
    }
}

/// The rule sets of the selections met in a run, each built once.
pub struct RuleSets {
    all: RuleSet,
    codes: Vec<String>,
    known: BTreeSet<String>,
    cache: Mutex<HashMap<(Selection, bool), Arc<RuleSet>>>,
}

impl RuleSets {
    pub fn new(all: RuleSet) -> RuleSets {
        let mut codes: Vec<String> = TOOL_CODES.iter().map(|(c, _, _)| c.to_string()).collect();
        codes.extend(manifest::CODES.iter().map(|(c, _, _)| c.to_string()));
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

    /// The rules `selection` turns on, for a file of a project on v2 or not (`project_on_v2`).
    pub fn get(&self, selection: &Selection, project_on_v2: bool) -> Arc<RuleSet> {
        let mut cache = self.cache.lock().expect("not poisoned");
        Arc::clone(
            cache
                .entry((selection.clone(), project_on_v2))
                .or_insert_with(|| {
                    let mut set = self.all.only(|code| selection.is_enabled(code));
                    set.project_on_v2 = project_on_v2;
                    Arc::new(set)
                }),
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
