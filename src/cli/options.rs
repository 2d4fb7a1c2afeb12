//! What a run is asked to do: the [`Mode`] and the [`Options`] the binary builds from the
//! command line.

use std::path::PathBuf;

use super::output::Color;
use crate::report::Format;

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
