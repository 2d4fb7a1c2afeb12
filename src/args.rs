//! Command-line arguments, following ruff's conventions where ruff has one. The binary's own:
//! the library never sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use replicate_migrate::cli::{Mode, Options};
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
    /// Report v1 usages; changes nothing. Exit 0: none, 1: some found, 2: error.
    Check(CommonArgs),
    /// Apply safe fixes (and unsafe ones with --unsafe-fixes); report what remains.
    Fix(FixArgs),
    /// Print a rule's documentation.
    Rule(RuleArgs),
}

/// `--output-format`, mapped onto the report's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Concise,
    Full,
    Json,
    /// GitHub Actions workflow commands (`::error file=...::...`), annotating the pull request.
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

impl From<OutputFormat> for Format {
    fn from(format: OutputFormat) -> Format {
        match format {
            OutputFormat::Concise => Format::Concise,
            OutputFormat::Full => Format::Full,
            OutputFormat::Json => Format::Json,
            OutputFormat::Github => Format::Github,
            OutputFormat::Sarif => Format::Sarif,
        }
    }
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Files or directories to check [default: .]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "full")]
    pub output_format: OutputFormat,
    /// Glob patterns of paths to skip, in addition to the defaults (.venv, venv, build, ...).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Print findings only: no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Consider unsafe fixes too (shown as fixable, applied by `fix`).
    #[arg(long)]
    pub unsafe_fixes: bool,
}

impl CommonArgs {
    pub fn options(self, mode: Mode) -> Options {
        Options {
            mode,
            paths: self.paths,
            format: self.output_format.into(),
            exclude: self.exclude,
            quiet: self.quiet,
            unsafe_fixes: self.unsafe_fixes,
        }
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
    #[arg(required_unless_present = "all")]
    pub rule: Option<String>,
    /// Print every rule.
    #[arg(long)]
    pub all: bool,
    /// Output format: `text`, or `markdown` (a table of all rules, with --all).
    #[arg(long, default_value = "text")]
    pub output_format: String,
}
