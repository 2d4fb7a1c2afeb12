//! Command-line arguments, following ruff's conventions where ruff has one. The binary's own:
//! the library never sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use replicate_migrate::cli::{Color, Mode, Options};
use replicate_migrate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "replicate-migrate",
    version,
    about = "Find Replicate Python SDK v1 code and rewrite it for v2 (replicate==2.0.0b4)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report v1 usages (with --fix, apply the fixes). Exit 0: none, 1: some found, 2: error.
    Check(CheckArgs),
    /// Apply safe fixes (and unsafe ones with --unsafe-fixes); report what remains.
    Fix(FixArgs),
    /// Print a rule's documentation.
    Rule(RuleArgs),
}

/// `--output-format`, mapped onto the report's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One line per finding: `path:line:col: CODE message`.
    Concise,
    /// Each finding with its code frame and help.
    Full,
    /// A JSON array of findings, with their fixes.
    Json,
    /// One JSON object per line.
    JsonLines,
    /// GitHub Actions workflow commands (`::error file=...::...`), annotating the pull request.
    Github,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// JUnit XML, one test case per finding.
    Junit,
    /// `path:line: [CODE] message`, as pylint prints.
    Pylint,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// A migration report for a pull request: per guide area, found / fixed / left.
    Markdown,
}

impl From<OutputFormat> for Format {
    fn from(format: OutputFormat) -> Format {
        match format {
            OutputFormat::Concise => Format::Concise,
            OutputFormat::Full => Format::Full,
            OutputFormat::Json => Format::Json,
            OutputFormat::JsonLines => Format::JsonLines,
            OutputFormat::Github => Format::Github,
            OutputFormat::Gitlab => Format::Gitlab,
            OutputFormat::Junit => Format::Junit,
            OutputFormat::Pylint => Format::Pylint,
            OutputFormat::Sarif => Format::Sarif,
            OutputFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal, unless `NO_COLOR` is set (or `FORCE_COLOR` is).
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Files or directories to check [default: .]; `-` reads standard input.
    pub paths: Vec<PathBuf>,
    /// Output format [default: full, or `output-format` from the configuration].
    #[arg(long, value_enum)]
    pub output_format: Option<OutputFormat>,
    /// Write the report to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Glob patterns of paths to skip, in addition to the defaults (.venv, venv, build, ...).
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// Like --exclude (ruff's name for adding to the excludes).
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub extend_exclude: Vec<String>,
    /// Apply the excludes to files named on the command line too (for pre-commit).
    #[arg(long, overrides_with = "no_force_exclude")]
    pub force_exclude: bool,
    #[arg(long, hide = true)]
    pub no_force_exclude: bool,
    /// Rule codes or prefixes to enable, replacing the configured set (e.g. `RM1,RM301`).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rule codes or prefixes to disable.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Rule codes or prefixes to enable in addition to the configured set.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// A configuration file (`replicate-migrate.toml` or `pyproject.toml`), or a `key = value`
    /// setting that overrides the configuration (repeatable).
    #[arg(long, value_name = "CONFIG_OPTION")]
    pub config: Vec<String>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub isolated: bool,
    /// Consider unsafe fixes too (shown as fixable, applied when fixing).
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    pub unsafe_fixes: bool,
    #[arg(long, hide = true)]
    pub no_unsafe_fixes: bool,
    /// Apply fixes and report nothing that remains.
    #[arg(long)]
    pub fix_only: bool,
    /// Exit 0 even when findings remain.
    #[arg(short = 'e', long)]
    pub exit_zero: bool,
    /// Exit 1 when anything was fixed, even if nothing remains.
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,
    /// Counts per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// List the fixes applied, per file and rule.
    #[arg(long)]
    pub show_fixes: bool,
    /// Print the files that would be processed, and stop.
    #[arg(long)]
    pub show_files: bool,
    /// Print the settings that apply (to the first path), and stop.
    #[arg(long)]
    pub show_settings: bool,
    /// Add `# noqa: CODE` to each line with a finding, to adopt the tool in steps.
    #[arg(long)]
    pub add_noqa: bool,
    /// The file name for the document read from standard input (`-`); its kind follows.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Skip (and report, RM012) files larger than this: bytes, or e.g. `500KB`, `10MB`, `1GiB`
    /// [default: 10MiB].
    #[arg(long, value_name = "SIZE", value_parser = replicate_migrate::config::parse_size)]
    pub max_file_size: Option<u64>,
    /// Colour the output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// Print findings only: no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Say what the run does on stderr (configuration, files skipped and why, timing).
    #[arg(short, long)]
    pub verbose: bool,
}

impl CommonArgs {
    pub fn options(self, mode: Mode) -> Options {
        let mut exclude = self.exclude;
        exclude.extend(self.extend_exclude);
        Options {
            mode,
            paths: self.paths,
            format: self.output_format.map(Format::from),
            exclude,
            force_exclude: self.force_exclude,
            quiet: self.quiet,
            unsafe_fixes: if self.unsafe_fixes {
                Some(true)
            } else if self.no_unsafe_fixes {
                Some(false)
            } else {
                None
            },
            fix_only: self.fix_only,
            exit_zero: self.exit_zero,
            exit_non_zero_on_fix: self.exit_non_zero_on_fix,
            statistics: self.statistics,
            show_fixes: self.show_fixes,
            show_files: self.show_files,
            output_file: self.output_file,
            color: match self.color {
                ColorArg::Auto => Color::Auto,
                ColorArg::Always => Color::Always,
                ColorArg::Never => Color::Never,
            },
            verbose: self.verbose,
            stdin_filename: self.stdin_filename,
            select: self.select,
            extend_select: self.extend_select,
            ignore: self.ignore,
            config: self.config,
            isolated: self.isolated,
            show_settings: self.show_settings,
            add_noqa: self.add_noqa,
            max_file_size: self.max_file_size,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Apply fixes (as `fix` does).
    #[arg(long, overrides_with = "no_fix")]
    pub fix: bool,
    #[arg(long, hide = true)]
    pub no_fix: bool,
    /// Print the fixes as unified diffs instead of writing them. Exit 1 if any file would change.
    #[arg(long)]
    pub diff: bool,
}

impl CheckArgs {
    pub fn options(self) -> Options {
        let fix = self.fix || self.common.fix_only;
        let mode = if self.diff {
            Mode::Diff
        } else if fix {
            Mode::Fix
        } else {
            Mode::Check
        };
        self.common.options(mode)
    }
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Print the changes as unified diffs instead of writing them. Exit 1 if any file would change.
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule code (RM101) or name (client-api-token).
    #[arg(required_unless_present_any = ["all", "coverage"])]
    pub rule: Option<String>,
    /// Print every rule.
    #[arg(long, conflicts_with = "rule")]
    pub all: bool,
    /// Print how much of the v1 API the rules account for: the mapping rows cited by a rule or
    /// excused in rules/unchanged.toml (by reason), and the v1 surface elements accounted for.
    #[arg(long, conflicts_with_all = ["rule", "all"])]
    pub coverage: bool,
    /// Output format: `text`; `markdown` (a table of all rules, with --all); `json` (with
    /// --coverage).
    #[arg(long, default_value = "text")]
    pub output_format: String,
}
