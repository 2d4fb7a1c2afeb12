//! Wires the stages: discover → parse → understand + match → fix → validate → report.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use super::args::{Cli, Command, CommonArgs, FixArgs, RuleArgs};
use crate::diagnostic::Diagnostic;
use crate::discover;
use crate::fix;
use crate::parse;
use crate::report::{self, FileReport, OutputFormat};
use crate::rules::{self, RuleSet};
use crate::syntax::Source;

/// What happened to one file.
struct FileResult {
    report: FileReport,
    fixed: usize,
    /// New contents, when fixing changed the file.
    fixed_source: Option<Source>,
    write_error: Option<String>,
}

pub fn run(cli: Cli) -> ExitCode {
    let rules = match rules::load_embedded() {
        Ok(rules) => rules,
        Err(e) => {
            eprint_report(&format!("{:?}", miette::Report::new(e)));
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Check(args) => run_files(&rules, &args, None),
        Command::Fix(args) => {
            let FixArgs { common, diff } = args;
            run_files(&rules, &common, Some(diff))
        }
        Command::Rule(args) => run_rule(&rules, &args),
    }
}

#[allow(clippy::print_stderr)]
fn eprint_report(text: &str) {
    eprintln!("{text}");
}

fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// `fixing`: None for `check`, Some(diff) for `fix`.
fn run_files(rules: &RuleSet, args: &CommonArgs, fixing: Option<bool>) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let files = match discover::python_files(&paths, &args.exclude) {
        Ok(files) => files,
        Err(e) => {
            eprint_report(&format!("error: {e}"));
            return ExitCode::from(2);
        }
    };
    let unsafe_fixes = args.unsafe_fixes;
    let mut results: Vec<FileResult> = files
        .par_iter()
        .filter_map(|path| process(path, rules, fixing, unsafe_fixes))
        .collect();
    results.sort_by(|a, b| a.report.path.cmp(&b.report.path));

    let mut out = String::new();
    let mut would_change = false;
    if fixing == Some(true) {
        for r in &results {
            if let Some(new) = &r.fixed_source {
                would_change = true;
                out.push_str(&unified_diff(&r.report.path, &r.report.source, new));
            }
        }
    }
    let reports: Vec<FileReport> = results
        .iter_mut()
        .map(|r| FileReport {
            path: r.report.path.clone(),
            source: r
                .fixed_source
                .clone()
                .unwrap_or_else(|| r.report.source.clone()),
            diagnostics: std::mem::take(&mut r.report.diagnostics),
        })
        .collect();
    let show_unsafe = unsafe_fixes;
    match args.output_format {
        OutputFormat::Json => out.push_str(&report::json(&reports)),
        OutputFormat::Github => out.push_str(&report::github(&reports)),
        OutputFormat::Sarif => out.push_str(&report::sarif(&reports, rules)),
        OutputFormat::Concise => out.push_str(&report::concise(&reports, show_unsafe)),
        OutputFormat::Full => out.push_str(&report::full(&reports, show_unsafe)),
    }
    let remaining: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.diagnostics).collect();
    let fixed: usize = results.iter().map(|r| r.fixed).sum();
    let mut write_failed = false;
    for r in &results {
        if let Some(e) = &r.write_error {
            write_failed = true;
            eprint_report(&format!("error: {e}"));
        }
    }
    if !args.quiet && !args.output_format.is_machine() {
        if fixing == Some(true) {
            let files_changed = results.iter().filter(|r| r.fixed_source.is_some()).count();
            if files_changed > 0 {
                let _ = writeln!(
                    out,
                    "Would fix {fixed} {} in {files_changed} {}.",
                    if fixed == 1 { "error" } else { "errors" },
                    if files_changed == 1 { "file" } else { "files" }
                );
            }
        }
        // `--diff` ends with its "Would fix" line, as ruff's does.
        if fixing != Some(true) {
            let fixed_now = if fixing == Some(false) { fixed } else { 0 };
            out.push_str(&report::summary(
                &remaining,
                fixed_now,
                unsafe_fixes,
                fixing == Some(false),
            ));
        }
    }
    print_out(&out);
    if write_failed {
        return ExitCode::from(2);
    }
    let code = match fixing {
        Some(true) => u8::from(would_change),
        _ => u8::from(!remaining.is_empty()),
    };
    ExitCode::from(code)
}

fn display_path(path: &Path) -> String {
    let s = path.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn process(
    path: &Path,
    rules: &RuleSet,
    fixing: Option<bool>,
    unsafe_fixes: bool,
) -> Option<FileResult> {
    let name = display_path(path);
    let raw = match std::fs::read(path) {
        Ok(raw) => raw,
        Err(e) => {
            let source = Source::new(Vec::new());
            let d = Diagnostic::tool(
                "RM001",
                "io-error",
                format!("cannot read {name}: {}", io_reason(&e)),
                0,
            );
            return Some(FileResult {
                report: FileReport {
                    path: name,
                    source,
                    diagnostics: vec![d],
                },
                fixed: 0,
                fixed_source: None,
                write_error: None,
            });
        }
    };
    if !discover::mentions_sdk(&raw) {
        return None;
    }
    let source = Source::new(raw);
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
        return Some(FileResult {
            report: FileReport {
                path: name,
                source,
                diagnostics: vec![d],
            },
            fixed: 0,
            fixed_source: None,
            write_error: None,
        });
    }
    let Some(diff_only) = fixing else {
        let diagnostics = rules::check_file(&source, &tree, rules);
        return Some(FileResult {
            report: FileReport {
                path: name,
                source,
                diagnostics,
            },
            fixed: 0,
            fixed_source: None,
            write_error: None,
        });
    };
    let outcome = fix::fix_file(&source, rules, unsafe_fixes);
    let changed = outcome.source.bytes != source.bytes;
    if changed && !diff_only {
        if let Err(e) = write_atomically(path, &outcome.source.to_file_bytes()) {
            // Nothing was written: report the file as it still is.
            let diagnostics = rules::check_file(&source, &tree, rules);
            return Some(FileResult {
                report: FileReport {
                    path: name.clone(),
                    source,
                    diagnostics,
                },
                fixed: 0,
                fixed_source: None,
                write_error: Some(format!("cannot write {name}: {}", io_reason(&e))),
            });
        }
    }
    let write_error = None;
    Some(FileResult {
        report: FileReport {
            path: name,
            source,
            diagnostics: outcome.remaining,
        },
        fixed: outcome.fixed,
        fixed_source: changed.then_some(outcome.source),
        write_error,
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}

/// Writes through a temporary file in the same directory and a rename, keeping permissions,
/// so a crash never leaves a half-written file.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path)?.permissions();
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.as_file().set_permissions(permissions)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn unified_diff(path: &str, old: &Source, new: &Source) -> String {
    let old_text = String::from_utf8_lossy(&old.bytes);
    let new_text = String::from_utf8_lossy(&new.bytes);
    let diff = similar::TextDiff::from_lines(old_text.as_ref(), new_text.as_ref());
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn run_rule(rules: &RuleSet, args: &RuleArgs) -> ExitCode {
    let selected: Vec<&crate::rules::schema::Rule> = if args.all {
        rules.rules.iter().collect()
    } else {
        let wanted = args.rule.as_deref().unwrap_or_default();
        match rules.by_code(wanted) {
            Some(rule) => vec![rule],
            None => {
                eprint_report(&format!(
                    "error: unknown rule `{wanted}`; `replicate-migrate rule --all` lists them"
                ));
                return ExitCode::from(2);
            }
        }
    };
    let mut out = String::new();
    match args.output_format.as_str() {
        "text" => {}
        "markdown" if args.all => {
            print_out(&crate::rules::markdown_table(rules));
            return ExitCode::SUCCESS;
        }
        other => {
            eprint_report(&format!(
                "error: unknown rule output format `{other}`; use `text`, or `markdown` with --all"
            ));
            return ExitCode::from(2);
        }
    }
    for rule in selected {
        out.push_str(&crate::rules::explain(rule));
        out.push('\n');
    }
    print_out(&out);
    ExitCode::SUCCESS
}
