//! Report stage: findings for people (miette, or one line each) and for machines (JSON).

use std::fmt::Write as _;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic};
use crate::syntax::Source;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Concise,
    Full,
    Json,
    /// GitHub Actions workflow commands (`::error file=...::...`), annotating the pull request.
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

impl OutputFormat {
    /// Formats for machines print no summary.
    pub fn is_machine(self) -> bool {
        matches!(self, OutputFormat::Json | OutputFormat::Sarif)
    }
}

/// The findings of one file, with the contents they point into.
pub struct FileReport {
    pub path: String,
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
}

/// `[*]` marks a fix that `fix` applies; `[-]`... ruff prints nothing for others.
fn marker(d: &Diagnostic, unsafe_fixes: bool) -> &'static str {
    if d.fixable(unsafe_fixes) {
        " [*]"
    } else {
        ""
    }
}

pub fn concise(files: &[FileReport], unsafe_fixes: bool) -> String {
    let mut out = String::new();
    for file in files {
        for d in &file.diagnostics {
            let (line, col) = file.source.line_col(d.start);
            let _ = writeln!(
                out,
                "{}:{}:{}: {}{} {}",
                file.path,
                line,
                col,
                d.code,
                marker(d, unsafe_fixes),
                d.message
            );
        }
    }
    out
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
struct Rendered {
    code: String,
    message: String,
    help: Option<String>,
    url: Option<String>,
    snippet: NamedSource<String>,
    span: (usize, usize),
    /// Findings about the tool's own work on a file (RM001-RM004) point at no code.
    has_span: bool,
    severity: miette::Severity,
}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn std::fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.has_span
            .then_some(&self.snippet as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.has_span {
            return None;
        }
        Some(Box::new(std::iter::once(LabeledSpan::new(
            None,
            self.span.0,
            self.span.1,
        ))))
    }
}

fn help_text(d: &Diagnostic, unsafe_fixes: bool) -> Option<String> {
    match (&d.fix, &d.help) {
        (Some(fix), _) => Some(match fix.applicability {
            Applicability::Safe => format!("{} (safe fix)", fix.title),
            Applicability::Unsafe if unsafe_fixes => format!("{} (unsafe fix)", fix.title),
            Applicability::Unsafe => format!(
                "{} (unsafe fix: enable with `--unsafe-fixes`; it may change runtime behaviour)",
                fix.title
            ),
            Applicability::DisplayOnly => format!("{} (suggestion only, not applied)", fix.title),
        }),
        (None, Some(help)) => Some(help.clone()),
        (None, None) => None,
    }
}

pub fn full(files: &[FileReport], unsafe_fixes: bool) -> String {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_links(false)
        .with_width(100);
    let mut out = String::new();
    for file in files {
        if file.diagnostics.is_empty() {
            continue;
        }
        let text = String::from_utf8_lossy(&file.source.bytes).into_owned();
        for d in &file.diagnostics {
            // Offsets index the raw bytes; the lossy text may be longer where bytes were invalid.
            let start = lossy_len(&file.source.bytes[..d.start]);
            let end = lossy_len(&file.source.bytes[..d.end.max(d.start)]);
            let rendered = Rendered {
                code: format!("{}{}", d.code, marker(d, unsafe_fixes)),
                message: if matches!(d.code.as_str(), "RM002" | "RM003" | "RM004") {
                    format!("{}: {}", file.path, d.message)
                } else {
                    d.message.clone()
                },
                help: help_text(d, unsafe_fixes),
                url: d.url.clone(),
                snippet: NamedSource::new(file.path.clone(), text.clone()),
                span: (start, end - start),
                has_span: !matches!(d.code.as_str(), "RM001" | "RM002" | "RM003" | "RM004"),
                severity: match d.severity {
                    crate::diagnostic::Severity::Error => miette::Severity::Error,
                    crate::diagnostic::Severity::Warning => miette::Severity::Warning,
                },
            };
            let _ = handler.render_report(&mut out, &rendered);
            out.push('\n');
        }
    }
    out
}

fn lossy_len(bytes: &[u8]) -> usize {
    String::from_utf8_lossy(bytes).len()
}

#[derive(Serialize)]
struct Location {
    row: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonEdit {
    location: Location,
    end_location: Location,
    content: String,
}

#[derive(Serialize)]
struct JsonFix {
    applicability: Applicability,
    message: String,
    edits: Vec<JsonEdit>,
    imports: Vec<String>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    filename: &'a str,
    code: &'a str,
    name: &'a str,
    message: &'a str,
    severity: crate::diagnostic::Severity,
    location: Location,
    end_location: Location,
    fix: Option<JsonFix>,
    help: Option<&'a str>,
    url: Option<&'a str>,
}

pub fn json(files: &[FileReport]) -> String {
    let mut all = Vec::new();
    for file in files {
        let loc = |offset: usize| {
            let (row, column) = file.source.line_col(offset);
            Location { row, column }
        };
        for d in &file.diagnostics {
            all.push(JsonDiagnostic {
                filename: &file.path,
                code: &d.code,
                name: &d.name,
                message: &d.message,
                severity: d.severity,
                location: loc(d.start),
                end_location: loc(d.end),
                fix: d.fix.as_ref().map(|f| JsonFix {
                    applicability: f.applicability,
                    message: f.title.clone(),
                    edits: f
                        .edits
                        .iter()
                        .map(|e| JsonEdit {
                            location: loc(e.start),
                            end_location: loc(e.end),
                            content: String::from_utf8_lossy(&e.content).into_owned(),
                        })
                        .collect(),
                    imports: f
                        .imports
                        .iter()
                        .map(|i| match i {
                            crate::diagnostic::ImportNeed::FromReplicate(n) => {
                                format!("from replicate import {n}")
                            }
                            crate::diagnostic::ImportNeed::Module(m) => format!("import {m}"),
                            crate::diagnostic::ImportNeed::Helper(h) => format!("def {h}"),
                        })
                        .collect(),
                }),
                help: d.help.as_deref(),
                url: d.url.as_deref(),
            });
        }
    }
    let mut text = serde_json::to_string_pretty(&all).expect("diagnostics serialize");
    text.push('\n');
    text
}

/// The closing lines, as ruff prints them.
pub fn summary(
    remaining: &[&Diagnostic],
    fixed: usize,
    unsafe_fixes: bool,
    fixing: bool,
) -> String {
    let n = remaining.len();
    let errors = |n: usize| if n == 1 { "error" } else { "errors" };
    let mut out = String::new();
    if fixing {
        if n == 0 && fixed == 0 {
            return "All checks passed!\n".to_string();
        }
        let total = n + fixed;
        let _ = writeln!(
            out,
            "Found {total} {} ({fixed} fixed, {n} remaining).",
            errors(total)
        );
    } else {
        if n == 0 {
            return "All checks passed!\n".to_string();
        }
        let _ = writeln!(out, "Found {n} {}.", errors(n));
    }
    let fixable = remaining.iter().filter(|d| d.fixable(unsafe_fixes)).count();
    let hidden = remaining
        .iter()
        .filter(|d| !d.fixable(unsafe_fixes) && d.fixable(true))
        .count();
    if fixable > 0 || hidden > 0 {
        let mut line = String::new();
        if fixable > 0 {
            let _ = write!(line, "[*] {fixable} fixable with `replicate-migrate fix`");
        }
        if hidden > 0 {
            let fixes = if hidden == 1 { "fix" } else { "fixes" };
            if line.is_empty() {
                let _ = write!(line, "No fixes available ({hidden} hidden {fixes} can be enabled with the `--unsafe-fixes` option)");
            } else {
                let _ = write!(
                    line,
                    " ({hidden} hidden {fixes} can be enabled with the `--unsafe-fixes` option)"
                );
            }
        }
        let _ = writeln!(out, "{line}.");
    }
    out
}

/// One line per finding, as GitHub Actions reads workflow commands.
pub fn github(files: &[FileReport]) -> String {
    let mut out = String::new();
    for file in files {
        for d in &file.diagnostics {
            let (line, col) = file.source.line_col(d.start);
            let (end_line, end_col) = file.source.line_col(d.end.max(d.start));
            let level = match d.severity {
                crate::diagnostic::Severity::Error => "error",
                crate::diagnostic::Severity::Warning => "warning",
            };
            let _ = writeln!(
                out,
                "::{level} title=replicate-migrate ({code}),file={file},line={line},col={col},endLine={end_line},endColumn={end_col}::{path}:{line}:{col}: {code} {message}",
                code = d.code,
                file = escape_property(&file.path),
                path = file.path,
                message = escape_data(&d.message),
            );
        }
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF 2.1.0 log with one run, its rules, and one result per finding.
pub fn sarif(files: &[FileReport], rules: &crate::rules::RuleSet) -> String {
    let rule_list: Vec<serde_json::Value> = rules
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.message},
                "fullDescription": {"text": r.docs.what},
                "helpUri": r.docs.guide,
            })
        })
        .collect();
    let mut results = Vec::new();
    for file in files {
        for d in &file.diagnostics {
            let (line, col) = file.source.line_col(d.start);
            let (end_line, end_col) = file.source.line_col(d.end.max(d.start));
            results.push(serde_json::json!({
                "ruleId": d.code,
                "level": match d.severity {
                    crate::diagnostic::Severity::Error => "error",
                    crate::diagnostic::Severity::Warning => "warning",
                },
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": file.path},
                        "region": {
                            "startLine": line,
                            "startColumn": col,
                            "endLine": end_line,
                            "endColumn": end_col,
                        }
                    }
                }],
            }));
        }
    }
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "replicate-migrate",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/replicate/replicate-python-beta/blob/main/UPGRADING.md",
                "rules": rule_list,
            }},
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    text.push('\n');
    text
}
