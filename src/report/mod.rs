//! Report stage: findings for people (`full`, rendered with miette, or `concise`, one line
//! each), for machines (`json`, `github`, `sarif`), and the closing summary. One printer per
//! file; `Format` names them (the CLI maps its own argument onto it).

mod concise;
mod full;
mod github;
mod json;
mod sarif;
mod summary;

pub use summary::summary;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::RuleSet;
use crate::syntax::Source;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Concise,
    Full,
    Json,
    /// GitHub Actions workflow commands (`::error file=...::...`), annotating the pull request.
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

impl Format {
    /// Only the formats for people end with a summary, as in ruff: the others are read by a
    /// program, and a trailing "Found 2 errors." would be one more (bogus) workflow command or
    /// break the JSON.
    pub fn is_machine(self) -> bool {
        !matches!(self, Format::Full | Format::Concise)
    }
}

/// The findings of one file, with the contents they point into.
pub struct FileReport {
    pub path: String,
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders every file's findings in `format`. `unsafe_fixes`: unsafe fixes count as applicable.
pub fn render(format: Format, files: &[FileReport], rules: &RuleSet, unsafe_fixes: bool) -> String {
    match format {
        Format::Concise => concise::render(files, unsafe_fixes),
        Format::Full => full::render(files, unsafe_fixes),
        Format::Json => json::render(files),
        Format::Github => github::render(files),
        Format::Sarif => sarif::render(files, rules),
    }
}

/// `[*]` marks a fix that `fix` applies; ruff prints nothing for others.
fn marker(d: &Diagnostic, unsafe_fixes: bool) -> &'static str {
    if d.fixable(unsafe_fixes) {
        " [*]"
    } else {
        ""
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
