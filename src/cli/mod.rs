//! The run: wires the stages for a set of paths (discover → parse → check or fix → report) and
//! decides the exit code. Argument parsing lives in the binary (`src/args.rs`), which builds
//! `Options` and calls `run`.

mod process;
mod rule;

pub use rule::explain_rules;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::discover;
use crate::files::unified_diff;
use crate::report::{self, FileReport, Format};
use crate::rules::{self, RuleSet};
use process::{process, FileResult};

/// Stack of each worker thread.
const WORKER_STACK: usize = 256 << 20;

/// What the run does with the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report; change nothing.
    Check,
    /// Print the fixes as unified diffs; write nothing.
    Diff,
    /// Apply the fixes and report what remains.
    Fix,
}

/// Everything a run needs from the command line.
#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    /// Files or directories; `.` when empty.
    pub paths: Vec<PathBuf>,
    pub format: Format,
    /// Glob patterns of paths to skip, beside the defaults.
    pub exclude: Vec<String>,
    /// No summary lines.
    pub quiet: bool,
    /// Unsafe fixes count as applicable (and `fix` applies them).
    pub unsafe_fixes: bool,
}

/// Loads the embedded rules, or prints why they do not load (exit 2).
pub fn load_rules() -> Result<RuleSet, ExitCode> {
    rules::load_embedded().map_err(|e| {
        eprint_report(&format!("{:?}", miette::Report::new(e)));
        ExitCode::from(2)
    })
}

#[allow(clippy::print_stderr)]
pub(crate) fn eprint_report(text: &str) {
    eprintln!("{text}");
}

pub(crate) fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Runs `check`, `fix --diff` or `fix` over `options.paths`; the exit code follows ruff's.
pub fn run(options: &Options) -> ExitCode {
    let rules = match load_rules() {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    run_with(&rules, options)
}

fn run_with(rules: &RuleSet, options: &Options) -> ExitCode {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let files = match discover::python_files(&paths, &options.exclude) {
        Ok(files) => files,
        Err(e) => {
            eprint_report(&format!("error: {e}"));
            return ExitCode::from(2);
        }
    };
    let mode = options.mode;
    let unsafe_fixes = options.unsafe_fixes;
    if mode == Mode::Fix {
        // A signal now removes our temporary files and exits 130/143.
        crate::files::guard_signals();
    }
    // Deep (valid) expressions recurse deep in the semantic model: workers get stacks sized for
    // `parse::MAX_DEPTH` (only the pages used are committed). A panic in one file is that
    // file's failure, reported; the others go on.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build()
        .expect("a thread pool");
    let mut results: Vec<FileResult> = pool.install(|| {
        files
            .par_iter()
            .filter_map(|path| {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    process(path, rules, mode, unsafe_fixes)
                })) {
                    Ok(result) => result,
                    Err(panic) => Some(FileResult::crashed(path, panic)),
                }
            })
            .collect()
    });
    results.sort_by(|a, b| a.report.path.cmp(&b.report.path));

    let mut out = String::new();
    let mut would_change = false;
    if mode == Mode::Diff {
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
    out.push_str(&report::render(
        options.format,
        &reports,
        rules,
        unsafe_fixes,
    ));
    let remaining: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.diagnostics).collect();
    let fixed: usize = results.iter().map(|r| r.fixed).sum();
    let mut write_failed = false;
    for r in &results {
        if let Some(e) = &r.write_error {
            write_failed = true;
            eprint_report(&format!("error: {e}"));
        }
    }
    if !options.quiet && !options.format.is_machine() {
        match mode {
            // `--diff` ends with its "Would fix" line, as ruff's does.
            Mode::Diff => {
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
            Mode::Check => out.push_str(&report::summary(&remaining, 0, unsafe_fixes, false)),
            Mode::Fix => out.push_str(&report::summary(&remaining, fixed, unsafe_fixes, true)),
        }
    }
    print_out(&out);
    if write_failed {
        return ExitCode::from(2);
    }
    let code = match mode {
        Mode::Diff => would_change,
        Mode::Check | Mode::Fix => !remaining.is_empty(),
    };
    ExitCode::from(u8::from(code))
}
