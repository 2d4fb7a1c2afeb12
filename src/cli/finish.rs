//! The end of a run: the `--add-noqa` count, or the diffs, the report and the summary in the
//! chosen format (the fixed document itself on stdout for `fix -`), and the exit code.

use std::fmt::Write as _;
use std::process::ExitCode;

use super::output::{self, Output};
use super::process::FileResult;
use super::results::take_report;
use super::run::RunSettings;
use super::{eprint_report, Mode};
use crate::diagnostic::Diagnostic;
use crate::report::{self, FileReport};
use crate::rules::RuleSet;

/// Prints the run's report and gives its exit code (ruff's).
pub(super) fn finish_run(
    settings: &RunSettings,
    rules: &RuleSet,
    out: &Output,
    mut results: Vec<FileResult>,
    stdin_output: Option<Vec<u8>>,
) -> ExitCode {
    let options = settings.options;
    let (mode, unsafe_fixes) = (options.mode, settings.unsafe_fixes);
    if options.add_noqa {
        return report_added_noqa(&results);
    }
    let fixed: usize = results.iter().map(|r| r.fixed).sum();
    let write_failed = results.iter().any(|r| r.write_error.is_some());
    for r in &results {
        if let Some(e) = &r.write_error {
            eprint_report(&format!("error: {e}"));
        }
    }
    // `fix -` writes the document to stdout; the report goes to stderr (or `--output-file`).
    let to_stderr = match stdin_output.as_deref() {
        Some(bytes) if mode == Mode::Fix => {
            if let Err(code) = output::write_stdout(bytes) {
                return code;
            }
            settings.options.output_file.is_none()
        }
        _ => false,
    };
    let mut sink = match out.sink(to_stderr) {
        Ok(sink) => sink,
        Err(code) => return code,
    };
    if mode == Mode::Diff {
        for r in &results {
            if let Some(diff) = &r.diff {
                sink.push(diff);
            }
        }
    }
    let reports: Vec<FileReport> = results.iter_mut().map(take_report).collect();
    let remaining: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.diagnostics).collect();
    let migration = migration_of(&results, mode, unsafe_fixes, &remaining);
    if !options.fix_only {
        if options.statistics {
            sink.push(&report::statistics(
                settings.format,
                &remaining,
                rules,
                unsafe_fixes,
            ));
        } else {
            report::render_run_into(
                settings.format,
                &reports,
                rules,
                unsafe_fixes,
                &migration,
                out.color(),
                &mut |text| sink.push(text),
            );
        }
    }
    if !settings.format.is_machine() && !options.quiet {
        let closing = closing_lines(
            settings, rules, out, &results, fixed, &remaining, &migration,
        );
        sink.push(&closing);
    }
    if let Err(code) = sink.finish() {
        return code;
    }
    if write_failed {
        return ExitCode::from(2);
    }
    let failing = match mode {
        Mode::Diff => results.iter().any(|r| r.diff.is_some()),
        Mode::Fix if options.fix_only => false,
        Mode::Check | Mode::Fix => !remaining.is_empty(),
    };
    let failing = (failing && !options.exit_zero)
        || (options.exit_non_zero_on_fix && mode == Mode::Fix && fixed > 0);
    ExitCode::from(u8::from(failing))
}

/// `--add-noqa`: the write errors and how many directives were added (exit 2 if a write failed).
fn report_added_noqa(results: &[FileResult]) -> ExitCode {
    let added: usize = results
        .iter()
        .filter(|r| r.write_error.is_none())
        .map(|r| r.fixed)
        .sum();
    for r in results {
        if let Some(e) = &r.write_error {
            eprint_report(&format!("error: {e}"));
        }
    }
    eprint_report(&format!(
        "Added {added} noqa directive{}.",
        if added == 1 { "" } else { "s" }
    ));
    let failed = results.iter().any(|r| r.write_error.is_some());
    ExitCode::from(if failed { 2 } else { 0 })
}

/// Per code, what was found, fixed and is left (the summary table, the JSON report's summary).
fn migration_of(
    results: &[FileResult],
    mode: Mode,
    unsafe_fixes: bool,
    remaining: &[&Diagnostic],
) -> report::Migration {
    let mut migration = report::Migration {
        fixing: mode == Mode::Fix,
        unsafe_fixes,
        ..Default::default()
    };
    for r in results {
        for (code, n) in &r.found_by_code {
            *migration.found.entry(code.clone()).or_default() += n;
        }
        if mode == Mode::Fix {
            for (code, n) in &r.fixed_by_code {
                *migration.fixed.entry(code.clone()).or_default() += n;
            }
        }
    }
    migration.add_remaining(remaining.iter().copied());
    migration
}

/// What a human report ends with: `--show-fixes`, the summary line of the mode, and on a
/// terminal the migration table.
fn closing_lines(
    settings: &RunSettings,
    rules: &RuleSet,
    out: &Output,
    results: &[FileResult],
    fixed: usize,
    remaining: &[&Diagnostic],
    migration: &report::Migration,
) -> String {
    let options = settings.options;
    let (mode, unsafe_fixes) = (options.mode, settings.unsafe_fixes);
    let mut text = String::new();
    if options.show_fixes && mode == Mode::Fix {
        text.push_str(&report::show_fixes(
            results
                .iter()
                .map(|r| (r.report.path.as_str(), &r.fixed_by_code)),
            rules,
        ));
    }
    match mode {
        // `--diff` ends with its "Would fix" line, as ruff's does.
        Mode::Diff => {
            let files_changed = results.iter().filter(|r| r.diff.is_some()).count();
            if files_changed > 0 {
                let _ = writeln!(
                    text,
                    "Would fix {fixed} {} in {files_changed} {}.",
                    if fixed == 1 { "error" } else { "errors" },
                    if files_changed == 1 { "file" } else { "files" }
                );
            }
        }
        _ if options.fix_only => {
            text.push_str(&report::fix_only_summary(fixed, remaining, unsafe_fixes))
        }
        Mode::Check => text.push_str(&report::summary(
            remaining,
            0,
            unsafe_fixes,
            false,
            out.color(),
        )),
        Mode::Fix => text.push_str(&report::summary(
            remaining,
            fixed,
            unsafe_fixes,
            true,
            out.color(),
        )),
    }
    // On a terminal, `check` and `fix` end with the migration table (not in pipes: scripts
    // read the summary lines).
    if out.is_terminal() && mode != Mode::Diff {
        text.push_str(&report::summary_table(migration, rules));
    }
    text
}
