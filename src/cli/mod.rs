//! The run: wires the stages for a set of paths (discover → parse → check or fix → report) and
//! decides the exit code. Argument parsing lives in the binary (`src/args.rs`), which builds
//! `Options` and calls `run`.
//!
//! - `options`: what a run is asked to do (`Options`, `Mode`);
//! - `process`: one document through the stages;
//! - `results`: a file's report taken out of its result, and its fixed bytes written back;
//! - `output`: where the report goes (stdout or `--output-file`), colour, and write errors;
//! - `progress`: files done / total on a terminal's stderr;
//! - `project`: which files belong to a project that requires replicate v2;
//! - `v2_note`: what the run says about the files of those projects;
//! - `run`: the run's settings and its parallel part;
//! - `finish`: the run's report and exit code;
//! - `includes`: the files that requirements files pull in;
//! - `settings`: `--show-settings`;
//! - `rule`: `rule CODE`, `rule --coverage`.

mod conftest;
mod finish;
mod includes;
mod noqa;
mod options;
mod output;
mod process;
mod progress;
mod project;
mod results;
mod rule;
mod run;
mod settings;
mod v2_note;

pub use options::{Mode, Options};
pub use output::Color;
pub use rule::{explain_rules, print_coverage};

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use crate::config::{ConfigExclude, Resolver};
use crate::discover::{self, Candidate, ProblemKind, Walk};
use crate::document::Kind;
use crate::files::display_path;
use crate::rules::{self, RuleSet};
use finish::finish_run;
use includes::with_includes;
use output::Output;
use process::{unreadable, FileResult, RuleSets};
use run::{process_inputs, RunSettings};
use v2_note::v2_projects_note;

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

/// Prints to stdout; a failed write other than a closed pipe is reported (exit 2).
pub(crate) fn print_out(text: &str) -> Result<(), ExitCode> {
    output::write_stdout(text.as_bytes())
}

/// Runs `check`, `fix --diff` or `fix` over `options.paths`; the exit code follows ruff's.
pub fn run(options: &Options) -> ExitCode {
    let rules = match load_rules() {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    run_with(&rules, options)
}

/// One file of the run, read or not.
enum Input {
    File(Candidate),
    Stdin { name: PathBuf, kind: Kind },
    Problem(Box<FileResult>),
}

/// Prints a usage or configuration error (exit 2).
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprint_report(&format!("error: {message}"));
    ExitCode::from(2)
}

/// One run: its settings (`RunSettings`), its inputs (`gather_inputs`), every input processed
/// in parallel (`process_inputs`), and the report and exit code (`finish_run`).
fn run_with(all_rules: &RuleSet, options: &Options) -> ExitCode {
    let started = Instant::now();
    let rule_sets = RuleSets::new(all_rules.clone());
    let settings = match RunSettings::resolve(options, &rule_sets) {
        Ok(settings) => settings,
        Err(code) => return code,
    };
    if options.show_settings {
        return settings.show();
    }
    let out = out_for(options);
    let verbose = |text: &str| {
        if options.verbose {
            eprint_report(&format!("debug: {text}"));
        }
    };
    let inputs = match gather_inputs(
        options,
        &settings.resolver,
        settings.force_exclude,
        &out,
        &verbose,
    ) {
        Ok(inputs) => inputs,
        Err(code) => return code,
    };
    if inputs.is_empty() {
        // Nothing was read, so nothing passed: ruff warns and exits 0.
        eprint_report("warning: No Python files found under the given path(s)");
        return ExitCode::SUCCESS;
    }
    // Which files belong to a project that requires replicate v2: when the run writes, read
    // before any file is processed (and any pin fixed); else as files ask.
    let writes = options.mode == Mode::Fix || options.add_noqa;
    let projects = if writes {
        project::Projects::resolve(inputs.iter().filter_map(|input| match input {
            Input::File(candidate) => Some(candidate.path.as_path()),
            Input::Stdin { name, .. } => Some(name.as_path()),
            Input::Problem(_) => None,
        }))
    } else {
        project::Projects::on_demand()
    };
    if writes {
        // A signal now removes our temporary files and exits 130/143.
        crate::files::guard_signals();
    }
    let processed = match process_inputs(&settings, &projects, inputs) {
        Ok(processed) => processed,
        Err(e) => return fail(e),
    };
    verbose(&format!(
        "{} files read, {} never mention `replicate` in code, in {:.2?}",
        processed.results.len() + processed.skipped,
        processed.skipped,
        started.elapsed()
    ));
    if let Some(note) = v2_projects_note(&projects, &processed.on_v2_files, options.verbose) {
        if !options.quiet {
            eprint_report(&note);
        }
    }
    finish_run(
        &settings,
        all_rules,
        &out,
        processed.results,
        processed.stdin_output,
    )
}

fn out_for(options: &Options) -> Output {
    Output::new(options.output_file.as_deref(), options.color)
}

/// The inputs of the run: standard input, or the files the walk finds under the paths (with
/// the files they include, and the unreadable ones as problems). `Err` ends the run with that
/// exit code (a bad path or option; `--show-files`, which only lists them).
fn gather_inputs(
    options: &Options,
    resolver: &Arc<Resolver>,
    force_exclude: bool,
    out: &Output,
    verbose: &dyn Fn(&str),
) -> Result<Vec<Input>, ExitCode> {
    let stdin = options.paths.iter().any(|p| p.as_os_str() == "-");
    let mut inputs: Vec<Input> = Vec::new();
    if stdin {
        if options.paths.len() > 1 {
            eprint_report("error: `-` (standard input) cannot be combined with other paths");
            return Err(ExitCode::from(2));
        }
        let name = options
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        let kind = if options.stdin_filename.is_some() {
            match Kind::of_named(&name) {
                Some(kind) => kind,
                None => {
                    eprint_report(&format!(
                        "error: --stdin-filename {}: not a Python file, notebook or dependency manifest",
                        name.display()
                    ));
                    return Err(ExitCode::from(2));
                }
            }
        } else {
            Kind::Python
        };
        inputs.push(Input::Stdin { name, kind });
    } else {
        let paths = if options.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            options.paths.clone()
        };
        let exclude = match ConfigExclude::new(Arc::clone(resolver), &options.exclude) {
            Ok(exclude) => exclude,
            Err(e) => return Err(fail(format!("--exclude: {e}"))),
        };
        let walk = Walk {
            exclude: Arc::new(exclude),
            force_exclude,
        };
        let found = match discover::discover(&paths, &walk) {
            Ok(found) => found,
            Err(e) => return Err(fail(e)),
        };
        if let Some(e) = resolver.take_error() {
            return Err(fail(e));
        }
        for path in &found.excluded {
            verbose(&format!("{}: excluded", display_path(path)));
        }
        for problem in found.problems {
            let name = display_path(&problem.path);
            match problem.kind {
                ProblemKind::Unreadable(reason) => inputs.push(Input::Problem(Box::new(
                    unreadable(name, Kind::Python, &reason),
                ))),
                ProblemKind::Unsupported => eprint_report(&format!(
                    "warning: {name}: not a Python file, notebook or dependency manifest; skipped"
                )),
            }
        }
        if options.show_files {
            let mut text = String::new();
            for file in &found.files {
                let _ = writeln!(text, "{}", display_path(&file.path));
            }
            return Err(match out.write(&text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(code) => code,
            });
        }
        let files = with_includes(found.files);
        inputs.extend(files.into_iter().map(Input::File));
    }
    Ok(inputs)
}
