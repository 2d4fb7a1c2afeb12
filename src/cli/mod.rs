//! The run: wires the stages for a set of paths (discover → parse → check or fix → report) and
//! decides the exit code. Argument parsing lives in the binary (`src/args.rs`), which builds
//! `Options` and calls `run`.
//!
//! - `process`: one document through the stages;
//! - `output`: where the report goes (stdout or `--output-file`), colour, and write errors;
//! - `progress`: files done / total on a terminal's stderr;
//! - `project`: which files belong to a project that requires replicate v2;
//! - `rule`: `rule CODE`, `rule --coverage`.

mod conftest;
mod noqa;
mod output;
mod process;
mod progress;
mod project;
mod rule;

pub use output::Color;
pub use rule::{explain_rules, print_coverage};

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{ConfigExclude, Layer, Resolver, Selection, Sources};
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Candidate, ProblemKind, Walk};
use crate::document::Kind;
use crate::files::{display_path, io_reason};
use crate::report::{self, FileReport, Format};
use crate::rules::{self, RuleSet};
use output::Output;
use process::{process, unreadable, FileResult, Job, RuleSets};

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

/// Everything a run needs from the command line. `Default` is `check .` with no options.
#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    /// Files or directories; `.` when empty; `-` reads standard input.
    pub paths: Vec<PathBuf>,
    /// `None`: the configured one, else `full`.
    pub format: Option<Format>,
    /// Glob patterns of paths to skip, beside the defaults.
    pub exclude: Vec<String>,
    /// Excludes apply to files named on the command line too.
    pub force_exclude: bool,
    /// No summary lines.
    pub quiet: bool,
    /// Unsafe fixes count as applicable (and `fix` applies them); `None`: as configured.
    pub unsafe_fixes: Option<bool>,
    /// Apply fixes and report nothing that remains (`--fix-only`).
    pub fix_only: bool,
    /// Exit 0 even when findings remain.
    pub exit_zero: bool,
    /// Exit 1 when anything was fixed, even if nothing remains.
    pub exit_non_zero_on_fix: bool,
    /// Counts per rule instead of the findings.
    pub statistics: bool,
    /// List the fixes applied, per file and rule.
    pub show_fixes: bool,
    /// Print the files that would be processed, and stop.
    pub show_files: bool,
    /// Where the report goes instead of stdout.
    pub output_file: Option<PathBuf>,
    pub color: Color,
    /// Say what the run does on stderr: files skipped and why, timing.
    pub verbose: bool,
    /// The name a document on standard input is reported under (its kind follows from it).
    pub stdin_filename: Option<PathBuf>,
    /// Rule selectors (codes or prefixes such as `RM3`): `select` replaces the configured set,
    /// `extend_select` adds to it, `ignore` takes away.
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    /// `--config`: a configuration file, or `key = value` overrides.
    pub config: Vec<String>,
    /// Read no configuration file.
    pub isolated: bool,
    /// Print the settings that apply, and stop.
    pub show_settings: bool,
    /// Add `# noqa: CODE` to every line with a finding, and stop.
    pub add_noqa: bool,
    /// `--max-file-size`, in bytes.
    pub max_file_size: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::Check,
            paths: Vec::new(),
            format: None,
            exclude: Vec::new(),
            force_exclude: false,
            quiet: false,
            unsafe_fixes: None,
            fix_only: false,
            exit_zero: false,
            exit_non_zero_on_fix: false,
            statistics: false,
            show_fixes: false,
            show_files: false,
            output_file: None,
            color: Color::Auto,
            verbose: false,
            stdin_filename: None,
            select: None,
            extend_select: Vec::new(),
            ignore: Vec::new(),
            config: Vec::new(),
            isolated: false,
            show_settings: false,
            add_noqa: false,
            max_file_size: None,
        }
    }
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

fn run_with(all_rules: &RuleSet, options: &Options) -> ExitCode {
    let started = Instant::now();
    let rule_sets = RuleSets::new(all_rules.clone());
    let codes = rule_sets.codes();
    let resolver = match Resolver::new(
        &Sources {
            config: options.config.clone(),
            isolated: options.isolated,
        },
        codes.iter().map(|c| c.to_string()).collect(),
    ) {
        Ok(resolver) => Arc::new(resolver),
        Err(e) => return fail(e),
    };
    let cli_layer = match Layer::parse(
        options.select.as_deref(),
        &options.extend_select,
        &options.ignore,
        &codes,
    ) {
        Ok(layer) => layer,
        Err(e) => return fail(format!("{e} (on the command line)")),
    };
    // Settings for the whole run come from the configuration of the current directory.
    let project = match resolver.config(Path::new(".")) {
        Ok(config) => config,
        Err(e) => return fail(e),
    };
    let format = options
        .format
        .or(project.output_format)
        .unwrap_or(Format::Full);
    let unsafe_fixes = options
        .unsafe_fixes
        .or(project.unsafe_fixes)
        .unwrap_or(false);
    let force_exclude = options.force_exclude || project.force_exclude.unwrap_or(false);
    let max_file_size = options
        .max_file_size
        .or(project.max_file_size)
        .unwrap_or(crate::config::DEFAULT_MAX_FILE_SIZE);
    // One selection per configuration and set of per-file ignores that match, not per file.
    let selections: std::sync::Mutex<std::collections::HashMap<(PathBuf, Vec<usize>), Selection>> =
        Default::default();
    let selection_for = |path: &Path| -> Result<Selection, String> {
        let config = resolver
            .config_for(path, false)
            .map_err(|e| e.to_string())?;
        let mut matched = Vec::new();
        for (i, (glob, _)) in config.per_file_ignores.iter().flatten().enumerate() {
            let set = globset::GlobSetBuilder::new()
                .add(globset::Glob::new(glob).map_err(|e| e.to_string())?)
                .build()
                .map_err(|e| e.to_string())?;
            if crate::config::matches(&set, path, &config.root) {
                matched.push(i);
            }
        }
        let key = (config.root.clone(), matched);
        if let Some(known) = selections.lock().expect("not poisoned").get(&key) {
            return Ok(known.clone());
        }
        let file_layer = Layer::parse(
            config.select.as_deref(),
            config.extend_select.as_deref().unwrap_or_default(),
            config.ignore.as_deref().unwrap_or_default(),
            &codes,
        )?;
        let mut remove = Vec::new();
        let ignores: Vec<&(String, Vec<String>)> =
            config.per_file_ignores.iter().flatten().collect();
        for &i in &key.1 {
            for s in &ignores[i].1 {
                remove.push(crate::config::Selector::parse(s, &codes)?);
            }
        }
        let selection = Selection::resolve(&codes, &[file_layer, cli_layer.clone()], &remove);
        selections
            .lock()
            .expect("not poisoned")
            .insert(key, selection.clone());
        Ok(selection)
    };
    if options.show_settings {
        let path = options
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        return show_settings(
            &resolver,
            &path,
            &selection_for,
            format,
            unsafe_fixes,
            &out_for(options),
        );
    }
    let rules = all_rules;
    let mode = options.mode;
    let out = out_for(options);
    let verbose = |text: &str| {
        if options.verbose {
            eprint_report(&format!("debug: {text}"));
        }
    };

    let stdin = options.paths.iter().any(|p| p.as_os_str() == "-");
    let mut inputs: Vec<Input> = Vec::new();
    if stdin {
        if options.paths.len() > 1 {
            eprint_report("error: `-` (standard input) cannot be combined with other paths");
            return ExitCode::from(2);
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
                    return ExitCode::from(2);
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
        let exclude = match ConfigExclude::new(Arc::clone(&resolver), &options.exclude) {
            Ok(exclude) => exclude,
            Err(e) => return fail(format!("--exclude: {e}")),
        };
        let walk = Walk {
            exclude: Arc::new(exclude),
            force_exclude,
        };
        let found = match discover::discover(&paths, &walk) {
            Ok(found) => found,
            Err(e) => return fail(e),
        };
        if let Some(e) = resolver.take_error() {
            return fail(e);
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
            return match out.write(&text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(code) => code,
            };
        }
        let files = with_includes(found.files);
        inputs.extend(files.into_iter().map(Input::File));
    }
    if inputs.is_empty() {
        // Nothing was read, so nothing passed: ruff warns and exits 0.
        eprint_report("warning: No Python files found under the given path(s)");
        return ExitCode::SUCCESS;
    }

    // Which files belong to a project that requires replicate v2: read before any file is
    // processed (and any pin fixed).
    let projects = project::Projects::resolve(inputs.iter().filter_map(|input| match input {
        Input::File(candidate) => Some(candidate.path.as_path()),
        Input::Stdin { name, .. } => Some(name.as_path()),
        Input::Problem(_) => None,
    }));
    let on_v2 =
        |path: &Path, kind: Kind| !matches!(kind, Kind::Manifest(_)) && projects.requires_v2(path);
    let on_v2_files: std::sync::Mutex<Vec<PathBuf>> = Default::default();

    if mode == Mode::Fix || options.add_noqa {
        // A signal now removes our temporary files and exits 130/143.
        crate::files::guard_signals();
    }
    let first_error: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let remember = |e: String| {
        let mut slot = first_error.lock().expect("not poisoned");
        if slot.is_none() {
            *slot = Some(e);
        }
    };
    let progress = progress::Progress::start(inputs.len(), options.quiet);
    let mut stdin_output: Option<Vec<u8>> = None;
    let mut results: Vec<FileResult> = Vec::new();
    let mut skipped = 0usize;
    // Deep (valid) expressions recurse deep in the semantic model: workers get stacks sized for
    // `parse::MAX_DEPTH` (only the pages used are committed). A panic on one input is that
    // input's failure, reported; the others go on.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build()
        .expect("a thread pool");
    // Every conftest.py above a Python input, read before anything is written.
    let conftests = conftest::Conftests::new(max_file_size);
    let contexts: Vec<Arc<crate::semantic::Context>> = pool.install(|| {
        inputs
            .par_iter()
            .map(|input| {
                let path = match input {
                    Input::File(c) if matches!(c.kind, Kind::Python | Kind::Notebook) => &c.path,
                    Input::Stdin {
                        name,
                        kind: Kind::Python | Kind::Notebook,
                    } => name,
                    _ => return crate::semantic::Context::empty(),
                };
                std::panic::catch_unwind(|| conftests.context_for(path))
                    .unwrap_or_else(|_| crate::semantic::Context::empty())
            })
            .collect()
    });
    let processed: Vec<(Option<FileResult>, Option<Vec<u8>>)> = pool.install(|| {
        inputs
            .into_par_iter()
            .zip(contexts)
            .map(|(input, context)| {
                let label = match &input {
                    Input::File(candidate) => Some((display_path(&candidate.path), candidate.kind)),
                    Input::Stdin { name, kind } => Some((display_path(name), *kind)),
                    Input::Problem(_) => None,
                };
                let handled =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match input {
                        Input::Problem(result) => (Some(*result), None),
                        Input::File(candidate) => {
                            let name = display_path(&candidate.path);
                            let (raw, snapshot) = match crate::files::read(&candidate.path) {
                                Ok(read) => (read.bytes, read.snapshot),
                                Err(e) => {
                                    progress.tick();
                                    return (
                                        Some(unreadable(name, candidate.kind, &io_reason(&e))),
                                        None,
                                    );
                                }
                            };
                            let selection = match selection_for(&candidate.path) {
                                Ok(selection) => selection,
                                Err(e) => {
                                    remember(e);
                                    return (None, None);
                                }
                            };
                            let project_on_v2 = on_v2(&candidate.path, candidate.kind);
                            let job = Job {
                                mode,
                                unsafe_fixes,
                                add_noqa: options.add_noqa,
                                selection,
                                rule_sets: &rule_sets,
                                max_file_size,
                                context,
                                project_on_v2,
                            };
                            let mut result = process(name.clone(), candidate.kind, raw, &job);
                            if project_on_v2 && result.is_some() {
                                on_v2_files
                                    .lock()
                                    .expect("not poisoned")
                                    .push(candidate.path.clone());
                            }
                            if let Some(result) = &mut result {
                                if mode == Mode::Fix || options.add_noqa {
                                    write_back(&candidate.path, &snapshot, &name, result);
                                }
                                // Held until the report: only what it prints from.
                                result.new_bytes = None;
                                result.before = None;
                                if result.report.diagnostics.is_empty() {
                                    result.report.source = crate::syntax::Source::new(Vec::new());
                                }
                            }
                            (result, None)
                        }
                        Input::Stdin { name, kind } => {
                            let mut raw = Vec::new();
                            if let Err(e) = std::io::stdin().lock().read_to_end(&mut raw) {
                                return (
                                    Some(unreadable("-".into(), kind, &io_reason(&e))),
                                    Some(Vec::new()),
                                );
                            }
                            let selection = match selection_for(&name) {
                                Ok(selection) => selection,
                                Err(e) => {
                                    remember(e);
                                    return (None, None);
                                }
                            };
                            let project_on_v2 = on_v2(&name, kind);
                            let job = Job {
                                mode,
                                unsafe_fixes,
                                add_noqa: false,
                                selection,
                                rule_sets: &rule_sets,
                                max_file_size,
                                context,
                                project_on_v2,
                            };
                            let result = process(display_path(&name), kind, raw.clone(), &job);
                            if project_on_v2 && result.is_some() {
                                on_v2_files.lock().expect("not poisoned").push(name.clone());
                            }
                            let bytes = result
                                .as_ref()
                                .and_then(|r| r.new_bytes.clone())
                                .unwrap_or(raw);
                            (result, Some(bytes))
                        }
                    }));
                let r = match (handled, label) {
                    (Ok(r), _) => r,
                    (Err(panic), Some((name, kind))) => {
                        (Some(FileResult::crashed(name, kind, panic)), None)
                    }
                    (Err(panic), None) => std::panic::resume_unwind(panic),
                };
                progress.tick();
                r
            })
            .collect()
    });
    progress.finish();
    if let Some(e) = first_error.lock().expect("not poisoned").take() {
        return fail(e);
    }
    for (result, stdin_bytes) in processed {
        match result {
            Some(result) => results.push(result),
            None => skipped += 1,
        }
        if stdin_bytes.is_some() {
            stdin_output = stdin_bytes;
        }
    }
    results.sort_by(|a, b| a.report.path.cmp(&b.report.path));
    verbose(&format!(
        "{} files read, {skipped} never mention `replicate`, in {:.2?}",
        results.len() + skipped,
        started.elapsed()
    ));
    let on_v2_files = on_v2_files.into_inner().expect("not poisoned");
    if let Some(note) = v2_projects_note(&projects, &on_v2_files, options.verbose) {
        if !options.quiet {
            eprint_report(&note);
        }
    }

    if options.add_noqa {
        let added: usize = results
            .iter()
            .filter(|r| r.write_error.is_none())
            .map(|r| r.fixed)
            .sum();
        for r in &results {
            if let Some(e) = &r.write_error {
                eprint_report(&format!("error: {e}"));
            }
        }
        eprint_report(&format!(
            "Added {added} noqa directive{}.",
            if added == 1 { "" } else { "s" }
        ));
        let failed = results.iter().any(|r| r.write_error.is_some());
        return ExitCode::from(if failed { 2 } else { 0 });
    }
    // `fix -` writes the document to stdout; the report goes to stderr.
    let mut text = String::new();
    if mode == Mode::Diff {
        for r in &results {
            if let Some(diff) = &r.diff {
                text.push_str(diff);
            }
        }
    }
    let fixed: usize = results.iter().map(|r| r.fixed).sum();
    let write_failed = results.iter().any(|r| r.write_error.is_some());
    for r in &results {
        if let Some(e) = &r.write_error {
            eprint_report(&format!("error: {e}"));
        }
    }
    let reports: Vec<FileReport> = results.iter_mut().map(take_report).collect();
    let remaining: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.diagnostics).collect();
    let human = !format.is_machine();
    let mut migration = report::Migration {
        fixing: mode == Mode::Fix,
        unsafe_fixes,
        ..Default::default()
    };
    for r in &results {
        for d in &r.found {
            *migration.found.entry(d.code.clone()).or_default() += 1;
        }
        if mode == Mode::Fix {
            for (code, n) in &r.fixed_by_code {
                *migration.fixed.entry(code.clone()).or_default() += n;
            }
        }
    }
    migration.add_remaining(remaining.iter().copied());
    if !options.fix_only {
        if options.statistics {
            text.push_str(&report::statistics(format, &remaining, rules, unsafe_fixes));
        } else {
            text.push_str(&report::render_run(
                format,
                &reports,
                rules,
                unsafe_fixes,
                &migration,
                out.color(),
            ));
        }
    }
    if human && !options.quiet {
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
                text.push_str(&report::fix_only_summary(fixed, &remaining, unsafe_fixes))
            }
            Mode::Check => text.push_str(&report::summary(
                &remaining,
                0,
                unsafe_fixes,
                false,
                out.color(),
            )),
            Mode::Fix => text.push_str(&report::summary(
                &remaining,
                fixed,
                unsafe_fixes,
                true,
                out.color(),
            )),
        }
        // On a terminal, `check` and `fix` end with the migration table (not in pipes: scripts
        // read the summary lines).
        if out.is_terminal() && mode != Mode::Diff {
            text.push_str(&report::summary_table(&migration, rules));
        }
    }
    let printed = match &stdin_output {
        Some(bytes) if mode == Mode::Fix => {
            // The fixed document on stdout; the report on stderr, as ruff does for `--fix -`.
            let mut r = output::write_stdout(bytes);
            if r.is_ok() && !text.is_empty() && options.output_file.is_none() {
                eprint_report(text.trim_end_matches('\n'));
            } else if r.is_ok() {
                r = out.write(&text);
            }
            r
        }
        _ => out.write(&text),
    };
    if let Err(code) = printed {
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

/// What the run says about files of projects that require replicate v2 (none: `None`): how
/// many, which manifests say so, and what that changes; with `verbose`, each file.
fn v2_projects_note(
    projects: &project::Projects,
    files: &[PathBuf],
    verbose: bool,
) -> Option<String> {
    if files.is_empty() {
        return None;
    }
    let mut manifests: Vec<String> = files
        .iter()
        .filter_map(|f| projects.of(f))
        .flat_map(|p| p.manifests.iter().map(|m| display_path(&relative(m))))
        .collect();
    manifests.sort();
    manifests.dedup();
    let n = files.len();
    let mut note = format!(
        "note: {n} {} in {} that {} replicate v2 ({}): code v2 accepts as written is taken as \
         v2 there and not reported; code that fails on v2 still is",
        if n == 1 { "file is" } else { "files are" },
        if manifests.len() == 1 {
            "a project"
        } else {
            "projects"
        },
        if manifests.len() == 1 {
            "requires"
        } else {
            "require"
        },
        manifests.join(", ")
    );
    if verbose {
        let mut names: Vec<String> = files.iter().map(|f| display_path(f)).collect();
        names.sort();
        for name in names {
            let _ = write!(
                note,
                "\ndebug: {name}: taken as v2 (its project requires replicate v2)"
            );
        }
    }
    Some(note)
}

/// `path` relative to the current directory when it is below it.
fn relative(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

fn take_report(r: &mut FileResult) -> FileReport {
    FileReport {
        path: r.report.path.clone(),
        kind: r.report.kind,
        source: std::mem::replace(&mut r.report.source, crate::syntax::Source::new(Vec::new())),
        diagnostics: std::mem::take(&mut r.report.diagnostics),
        cells: r.report.cells.take(),
        lines: Default::default(),
    }
}

/// Writes a fixed document, only while the file is still what was read; on failure the file
/// is reported as it still is, with why it was not written.
fn write_back(path: &Path, snapshot: &crate::files::Snapshot, name: &str, result: &mut FileResult) {
    let Some(bytes) = result.new_bytes.as_ref() else {
        return;
    };
    let options = crate::files::WriteOptions::default();
    if let Err(e) = crate::files::write_fixed(path, snapshot, bytes, &options) {
        result.write_error = Some(e.message(name));
        if let Some(before) = result.before.take() {
            result.report = before;
        }
        let why = Diagnostic::tool(e.code(), e.name(), e.message(name), 0);
        if matches!(e, crate::files::WriteError::Changed) {
            // What was found no longer describes the file.
            result.report.diagnostics = vec![why];
        } else {
            result.report.diagnostics.insert(0, why);
        }
        result.fixed = 0;
        result.fixed_by_code.clear();
        result.new_bytes = None;
    }
}

fn out_for(options: &Options) -> Output {
    Output::new(options.output_file.as_deref(), options.color)
}

/// `--show-settings`: the settings that apply to `path`, and where they come from.
fn show_settings(
    resolver: &Resolver,
    path: &Path,
    selection_for: &dyn Fn(&Path) -> Result<Selection, String>,
    format: Format,
    unsafe_fixes: bool,
    out: &Output,
) -> ExitCode {
    let probe = if path.is_dir() {
        path.join("__probe__.py")
    } else {
        path.to_path_buf()
    };
    let config = match resolver.config_for(&probe, false) {
        Ok(config) => config,
        Err(e) => return fail(e),
    };
    let selection = match selection_for(&probe) {
        Ok(selection) => selection,
        Err(e) => return fail(e),
    };
    let list = |v: &Option<Vec<String>>| match v {
        Some(v) => format!("{v:?}"),
        None => "(default)".to_string(),
    };
    let format_name = crate::config::FORMATS
        .iter()
        .find(|(_, f)| *f == format)
        .map_or("full", |(n, _)| n);
    let mut text = String::new();
    let _ = writeln!(text, "Resolved settings for: {}", display_path(path));
    let _ = writeln!(
        text,
        "Settings path: {}",
        config
            .path
            .as_ref()
            .map_or("(none: defaults)".to_string(), |p| p.display().to_string())
    );
    let _ = writeln!(text, "select = {}", list(&config.select));
    let _ = writeln!(text, "extend-select = {}", list(&config.extend_select));
    let _ = writeln!(text, "ignore = {}", list(&config.ignore));
    let pfi: Vec<String> = config
        .per_file_ignores
        .iter()
        .flatten()
        .map(|(g, c)| format!("{g:?} = {c:?}"))
        .collect();
    let _ = writeln!(text, "per-file-ignores = {{ {} }}", pfi.join(", "));
    let _ = writeln!(text, "exclude = {}", list(&config.exclude));
    let _ = writeln!(text, "extend-exclude = {}", list(&config.extend_exclude));
    let _ = writeln!(
        text,
        "force-exclude = {}",
        config.force_exclude.unwrap_or(false)
    );
    let _ = writeln!(text, "unsafe-fixes = {unsafe_fixes}");
    let _ = writeln!(
        text,
        "max-file-size = {}",
        config
            .max_file_size
            .unwrap_or(crate::config::DEFAULT_MAX_FILE_SIZE)
    );
    let _ = writeln!(text, "output-format = {format_name:?}");
    let enabled: Vec<&str> = selection.enabled.iter().map(String::as_str).collect();
    let _ = writeln!(text, "enabled ({}) = {enabled:?}", enabled.len());
    match out.write(&text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// The files that requirements files pull in (`-r base.txt`, `-c constraints.txt`, setup.cfg's
/// `file:`), added to the run under the kind the including file gives them, transitively.
fn with_includes(mut files: Vec<Candidate>) -> Vec<Candidate> {
    let key = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut seen: std::collections::HashSet<PathBuf> = files.iter().map(|c| key(&c.path)).collect();
    let mut queue: Vec<Candidate> = files
        .iter()
        .filter(|c| matches!(c.kind, Kind::Manifest(_)))
        .cloned()
        .collect();
    while let Some(c) = queue.pop() {
        let Kind::Manifest(kind) = c.kind else {
            continue;
        };
        let Ok(raw) = std::fs::read(&c.path) else {
            continue;
        };
        let Ok(checked) = crate::document::manifest::check(kind, &raw) else {
            continue;
        };
        let dir = c.path.parent().unwrap_or(Path::new("."));
        for include in checked.includes {
            let path = dir.join(&include.path);
            if !path.is_file() || !seen.insert(key(&path)) {
                continue;
            }
            let candidate = Candidate {
                path,
                kind: Kind::Manifest(include.kind),
                named: false,
            };
            queue.push(candidate.clone());
            files.push(candidate);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
