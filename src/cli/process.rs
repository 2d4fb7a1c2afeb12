//! One file through the stages: read, prefilter, parse, then check or fix (and write).

use std::path::Path;

use super::Mode;
use crate::diagnostic::Diagnostic;
use crate::files::{self, display_path, io_reason, WriteError, WriteOptions};
use crate::report::FileReport;
use crate::rules::{self, RuleSet};
use crate::syntax::Source;
use crate::{discover, fix, parse};

/// What happened to one file.
pub struct FileResult {
    pub report: FileReport,
    pub fixed: usize,
    /// New contents, when fixing changed the file.
    pub fixed_source: Option<Source>,
    pub write_error: Option<String>,
}

impl FileResult {
    /// A file whose processing panicked: reported (RM011), never written.
    pub fn crashed(path: &Path, panic: Box<dyn std::any::Any + Send>) -> Self {
        let name = display_path(path);
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
        FileResult::reported(name, Source::new(Vec::new()), vec![d])
    }

    fn reported(path: String, source: Source, diagnostics: Vec<Diagnostic>) -> Self {
        FileResult {
            report: FileReport {
                path,
                source,
                diagnostics,
            },
            fixed: 0,
            fixed_source: None,
            write_error: None,
        }
    }
}

/// `None` for a file that never mentions the SDK.
pub fn process(path: &Path, rules: &RuleSet, mode: Mode, unsafe_fixes: bool) -> Option<FileResult> {
    let name = display_path(path);
    let (raw, snapshot) = match files::read(path) {
        Ok(read) => (read.bytes, read.snapshot),
        Err(e) => {
            let d = Diagnostic::tool(
                "RM001",
                "io-error",
                format!("cannot read {name}: {}", io_reason(&e)),
                0,
            );
            return Some(FileResult::reported(name, Source::new(Vec::new()), vec![d]));
        }
    };
    if !discover::mentions_sdk(&raw) {
        return None;
    }
    let source = match Source::from_file(raw) {
        Ok(source) => source,
        Err(e) => {
            let d = Diagnostic::tool(e.code(), e.name(), e.message(&name), e.offset);
            return Some(FileResult::reported(name, e.source, vec![d]));
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
        return Some(FileResult::reported(name, source, vec![d]));
    }
    let tree = parse::parse(&source);
    if let Some(offset) = parse::first_error(&tree) {
        let (line, col) = source.line_col(offset);
        let d = Diagnostic {
            help: Some("fix the syntax error; the file is not changed until it parses".into()),
            ..Diagnostic::tool(
                "RM000",
                "invalid-syntax",
                format!("SyntaxError: cannot parse {name} at {line}:{col}"),
                offset,
            )
        };
        return Some(FileResult::reported(name, source, vec![d]));
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
        return Some(FileResult::reported(name, source, vec![d]));
    }
    // Errors CPython reports that tree-sitter accepts (Python 2 code, bad indentation, a
    // keyword given twice): the file does not import, so it is not migrated either.
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
        return Some(FileResult::reported(name, source, vec![d]));
    }
    if mode == Mode::Check {
        let diagnostics = rules::check_file(&source, &tree, rules);
        return Some(FileResult::reported(name, source, diagnostics));
    }
    let outcome = fix::fix_file(&source, rules, unsafe_fixes);
    let changed = outcome.source.bytes != source.bytes;
    if changed && mode == Mode::Fix {
        let options = WriteOptions::default();
        let written = (outcome.source.to_file_bytes().map_err(WriteError::from))
            .and_then(|bytes| files::write_fixed(path, &snapshot, &bytes, &options));
        if let Err(e) = written {
            // Nothing was written: report why, and the file as it still is (unless it changed).
            let mut diagnostics = vec![Diagnostic::tool(e.code(), e.name(), e.message(&name), 0)];
            if !matches!(e, WriteError::Changed) {
                diagnostics.extend(rules::check_file(&source, &tree, rules));
            }
            return Some(FileResult {
                write_error: Some(e.message(&name)),
                ..FileResult::reported(name, source, diagnostics)
            });
        }
    }
    Some(FileResult {
        fixed: outcome.fixed,
        fixed_source: changed.then_some(outcome.source),
        ..FileResult::reported(name, source, outcome.remaining)
    })
}
