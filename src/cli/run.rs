//! The run's settings and its parallel part.
//!
//! - `RunSettings`: what the options and the current directory's configuration set for the whole
//!   run, and each file's selection (`selection_for`, one per configuration met);
//! - `process_inputs`: every input through the stages on the worker pool, with the state the
//!   workers share (progress, the first configuration error, the files of projects on v2).

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::conftest::Conftests;
use super::process::{never_mentions_sdk, process, unreadable, FileResult, Job, RuleSets};
use super::progress::Progress;
use super::project::Projects;
use super::results::write_back;
use super::settings::show_settings;
use super::{fail, out_for, Input, Mode, Options};
use crate::config::{self, Layer, Resolver, Selection, Selector, Sources};
use crate::discover::Candidate;
use crate::document::Kind;
use crate::files::{display_path, io_reason};
use crate::report::Format;
use crate::semantic::Context;

/// Stack of each worker thread.
const WORKER_STACK: usize = 256 << 20;

/// A selection is shared by the files with the same configuration (its root) and the same
/// matching per-file ignores (their indices).
type SelectionKey = (PathBuf, Vec<usize>);

/// What the whole run is set to: the options, over the configuration of the current directory.
pub(super) struct RunSettings<'a> {
    pub options: &'a Options,
    pub rule_sets: &'a RuleSets,
    codes: Vec<&'a str>,
    pub resolver: Arc<Resolver>,
    /// `--select`, `--extend-select`, `--ignore`: over every file's configuration.
    cli_layer: Layer,
    pub format: Format,
    pub unsafe_fixes: bool,
    pub force_exclude: bool,
    pub max_file_size: u64,
    selections: Mutex<HashMap<SelectionKey, Selection>>,
}

impl<'a> RunSettings<'a> {
    /// The settings, or the exit code of a configuration or selection that does not read
    /// (reported).
    pub fn resolve(options: &'a Options, rule_sets: &'a RuleSets) -> Result<Self, ExitCode> {
        let codes = rule_sets.codes();
        let sources = Sources {
            config: options.config.clone(),
            isolated: options.isolated,
        };
        let resolver =
            Resolver::new(&sources, codes.iter().map(|c| c.to_string()).collect()).map_err(fail)?;
        let cli_layer = Layer::parse(
            options.select.as_deref(),
            &options.extend_select,
            &options.ignore,
            &codes,
        )
        .map_err(|e| fail(format!("{e} (on the command line)")))?;
        // Settings for the whole run come from the configuration of the current directory.
        let project = resolver.config(Path::new(".")).map_err(fail)?;
        Ok(RunSettings {
            options,
            rule_sets,
            codes,
            resolver: Arc::new(resolver),
            cli_layer,
            format: options
                .format
                .or(project.output_format)
                .unwrap_or(Format::Full),
            unsafe_fixes: options
                .unsafe_fixes
                .or(project.unsafe_fixes)
                .unwrap_or(false),
            force_exclude: options.force_exclude || project.force_exclude.unwrap_or(false),
            max_file_size: options
                .max_file_size
                .or(project.max_file_size)
                .unwrap_or(config::DEFAULT_MAX_FILE_SIZE),
            selections: Mutex::default(),
        })
    }

    /// The rules and tool codes on for `path`: its configuration's selection, less its
    /// per-file ignores, under the command line's. Built once per configuration and set of
    /// matching per-file ignores, not per file.
    pub fn selection_for(&self, path: &Path) -> Result<Selection, String> {
        let config = self
            .resolver
            .config_for(path, false)
            .map_err(|e| e.to_string())?;
        let mut matched = Vec::new();
        for (i, (glob, _)) in config.per_file_ignores.iter().flatten().enumerate() {
            let set = globset::GlobSetBuilder::new()
                .add(globset::Glob::new(glob).map_err(|e| e.to_string())?)
                .build()
                .map_err(|e| e.to_string())?;
            if config::matches(&set, path, &config.root) {
                matched.push(i);
            }
        }
        let key = (config.root.clone(), matched);
        if let Some(known) = self.selections.lock().expect("not poisoned").get(&key) {
            return Ok(known.clone());
        }
        let file_layer = Layer::parse(
            config.select.as_deref(),
            config.extend_select.as_deref().unwrap_or_default(),
            config.ignore.as_deref().unwrap_or_default(),
            &self.codes,
        )?;
        let mut remove = Vec::new();
        let ignores: Vec<&(String, Vec<String>)> =
            config.per_file_ignores.iter().flatten().collect();
        for &i in &key.1 {
            for s in &ignores[i].1 {
                remove.push(Selector::parse(s, &self.codes)?);
            }
        }
        let layers = [file_layer, self.cli_layer.clone()];
        let selection = Selection::resolve(&self.codes, &layers, &remove);
        self.selections
            .lock()
            .expect("not poisoned")
            .insert(key, selection.clone());
        Ok(selection)
    }

    /// `--show-settings`, for the first path (or the current directory).
    pub fn show(&self) -> ExitCode {
        let path = self
            .options
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        show_settings(
            &self.resolver,
            &path,
            &|path| self.selection_for(path),
            self.format,
            self.unsafe_fixes,
            &out_for(self.options),
        )
    }

    fn job(
        &self,
        selection: Selection,
        add_noqa: bool,
        context: Arc<Context>,
        project_on_v2: bool,
    ) -> Job<'a> {
        Job {
            mode: self.options.mode,
            unsafe_fixes: self.unsafe_fixes,
            add_noqa,
            selection,
            rule_sets: self.rule_sets,
            max_file_size: self.max_file_size,
            context,
            project_on_v2,
        }
    }
}

/// What the inputs gave.
pub(super) struct Processed {
    /// One per file read that mentions the SDK (or a problem), sorted by path.
    pub results: Vec<FileResult>,
    /// Files read that never mention the SDK in code.
    pub skipped: usize,
    /// `-`: the document for stdout (fixed, or as it was read).
    pub stdin_output: Option<Vec<u8>>,
    /// The files processed that belong to a project on v2.
    pub on_v2_files: Vec<PathBuf>,
}

/// One input's result (none when the file never mentions the SDK or its configuration does not
/// read) and, for `-`, the document for stdout.
type Handled = (Option<FileResult>, Option<Vec<u8>>);

/// [`Handled`] as the run holds it until the end: the result boxed (most inputs of a big tree
/// have none, and a slot the size of a `FileResult` for each was most of the run's memory).
type Held = (Option<Box<FileResult>>, Option<Vec<u8>>);

/// Every input through the stages on the worker pool. `Err` is the first configuration error a
/// file met; the run ends on it.
pub(super) fn process_inputs(
    settings: &RunSettings,
    projects: &Projects,
    inputs: Vec<Input>,
) -> Result<Processed, String> {
    let workers = Workers {
        settings,
        projects,
        progress: Progress::start(inputs.len(), settings.options.quiet),
        first_error: Mutex::new(None),
        on_v2_files: Mutex::default(),
    };
    // Deep (valid) expressions recurse deep in the semantic model: workers get stacks sized for
    // `parse::MAX_DEPTH` (only the pages used are committed). A panic on one input is that
    // input's failure, reported; the others go on.
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK);
    let writes = settings.options.mode == Mode::Fix || settings.options.add_noqa;
    if writes && std::env::var_os("RAYON_NUM_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        pool = pool.num_threads(writing_workers(cores));
    }
    let pool = pool.build().expect("a thread pool");
    let contexts = conftest_contexts(&pool, &inputs, settings.max_file_size);
    let handled: Vec<Held> = pool.install(|| {
        inputs
            .into_par_iter()
            .zip(contexts)
            .map(|(input, context)| {
                let (result, stdin_bytes) = workers.process_input(input, context);
                (result.map(Box::new), stdin_bytes)
            })
            .collect()
    });
    if writes {
        crate::files::sync_renamed_dirs();
    }
    let Workers {
        progress,
        first_error,
        on_v2_files,
        ..
    } = workers;
    progress.finish();
    if let Some(e) = first_error.into_inner().expect("not poisoned") {
        return Err(e);
    }
    let mut processed = Processed {
        results: Vec::new(),
        skipped: 0,
        stdin_output: None,
        on_v2_files: on_v2_files.into_inner().expect("not poisoned"),
    };
    for (result, stdin_bytes) in handled {
        match result {
            Some(result) => processed.results.push(*result),
            None => processed.skipped += 1,
        }
        if stdin_bytes.is_some() {
            processed.stdin_output = stdin_bytes;
        }
    }
    processed
        .results
        .sort_by(|a, b| a.report.path.cmp(&b.report.path));
    Ok(processed)
}

/// Workers for a run that writes files. A worker writing a file waits on the disk (the fsync of
/// the file): extra workers keep the cores busy meanwhile, and each costs memory (~0.4 MiB on a
/// big tree). On 2 cores, `fix` of 765 files took 1.67 s with 4 workers, 1.58 s with 6 and
/// 1.60 s with 8 (medians of 9 rounds); capped, since waits on one disk do not grow with cores.
fn writing_workers(cores: usize) -> usize {
    cores + (2 * cores).min(16)
}

/// What the conftest.py files above each Python input tell about it, read before anything is
/// written (in the order of `inputs`; empty for other inputs).
fn conftest_contexts(
    pool: &rayon::ThreadPool,
    inputs: &[Input],
    max_file_size: u64,
) -> Vec<Arc<Context>> {
    let conftests = Conftests::new(max_file_size);
    pool.install(|| {
        inputs
            .par_iter()
            .map(|input| {
                let path = match input {
                    Input::File(c) if matches!(c.kind, Kind::Python | Kind::Notebook) => &c.path,
                    Input::Stdin {
                        name,
                        kind: Kind::Python | Kind::Notebook,
                    } => name,
                    _ => return Context::empty(),
                };
                std::panic::catch_unwind(|| conftests.context_for(path))
                    .unwrap_or_else(|_| Context::empty())
            })
            .collect()
    })
}

/// What the workers share while the inputs are processed.
struct Workers<'s, 'a> {
    settings: &'s RunSettings<'a>,
    projects: &'s Projects,
    progress: Progress,
    /// The run ends on the first configuration error a file meets, once every input is done.
    first_error: Mutex<Option<String>>,
    on_v2_files: Mutex<Vec<PathBuf>>,
}

impl Workers<'_, '_> {
    /// One input; a panic in it is that file's internal error (RM011), the others go on.
    fn process_input(&self, input: Input, context: Arc<Context>) -> Handled {
        let label = match &input {
            Input::File(candidate) => Some((display_path(&candidate.path), candidate.kind)),
            Input::Stdin { name, kind } => Some((display_path(name), *kind)),
            Input::Problem(_) => None,
        };
        let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match input {
            Input::Problem(result) => (Some(*result), None),
            Input::File(candidate) => self.process_file(candidate, context),
            Input::Stdin { name, kind } => self.process_stdin(name, kind, context),
        }));
        let handled = match (handled, label) {
            (Ok(handled), _) => handled,
            (Err(panic), Some((name, kind))) => {
                (Some(FileResult::crashed(name, kind, panic)), None)
            }
            (Err(panic), None) => std::panic::resume_unwind(panic),
        };
        self.progress.tick();
        let (mut result, stdin_bytes) = handled;
        if let Some(result) = &mut result {
            result.settle();
        }
        (result, stdin_bytes)
    }

    /// A file: read, processed, and written back when fixing (or adding `noqa`) changed it.
    fn process_file(&self, candidate: Candidate, context: Arc<Context>) -> Handled {
        let name = display_path(&candidate.path);
        let writes = self.settings.options.mode == Mode::Fix || self.settings.options.add_noqa;
        let (raw, snapshot) = match crate::files::read(&candidate.path) {
            Ok(read) => {
                // Only a file that may be written is hashed.
                let snapshot = writes.then(|| read.snapshot());
                (read.bytes, snapshot)
            }
            Err(e) => {
                self.progress.tick();
                return (Some(unreadable(name, candidate.kind, &io_reason(&e))), None);
            }
        };
        let Some(selection) = self.selection_for(&candidate.path) else {
            return (None, None);
        };
        if never_mentions_sdk(&name, candidate.kind, &raw, &context) {
            return (None, None);
        }
        let project_on_v2 = self.on_v2(&candidate.path, candidate.kind);
        let add_noqa = self.settings.options.add_noqa;
        let job = self
            .settings
            .job(selection, add_noqa, context, project_on_v2);
        let mut result = process(name.clone(), candidate.kind, raw, &job);
        if project_on_v2 && result.is_some() {
            self.on_v2_files
                .lock()
                .expect("not poisoned")
                .push(candidate.path.clone());
        }
        if let Some(result) = &mut result {
            if let Some(snapshot) = &snapshot {
                write_back(&candidate.path, snapshot, &name, result);
            }
        }
        (result, None)
    }

    /// Standard input: processed (never `--add-noqa`), and the document for stdout.
    fn process_stdin(&self, name: PathBuf, kind: Kind, context: Arc<Context>) -> Handled {
        let mut raw = Vec::new();
        if let Err(e) = std::io::stdin().lock().read_to_end(&mut raw) {
            return (
                Some(unreadable("-".into(), kind, &io_reason(&e))),
                Some(Vec::new()),
            );
        }
        let Some(selection) = self.selection_for(&name) else {
            return (None, None);
        };
        let project_on_v2 = self.on_v2(&name, kind);
        let job = self.settings.job(selection, false, context, project_on_v2);
        let result = process(display_path(&name), kind, raw.clone(), &job);
        if project_on_v2 && result.is_some() {
            self.on_v2_files
                .lock()
                .expect("not poisoned")
                .push(name.clone());
        }
        let bytes = result
            .as_ref()
            .and_then(|r| r.new_bytes.clone())
            .unwrap_or(raw);
        (result, Some(bytes))
    }

    /// The file's selection; `None` when its configuration does not read (the error kept,
    /// only the first one).
    fn selection_for(&self, path: &Path) -> Option<Selection> {
        match self.settings.selection_for(path) {
            Ok(selection) => Some(selection),
            Err(e) => {
                let mut slot = self.first_error.lock().expect("not poisoned");
                if slot.is_none() {
                    *slot = Some(e);
                }
                None
            }
        }
    }

    /// The file belongs to a project that requires replicate v2 (never said of a manifest).
    fn on_v2(&self, path: &Path, kind: Kind) -> bool {
        !matches!(kind, Kind::Manifest(_)) && self.projects.requires_v2(path)
    }
}
