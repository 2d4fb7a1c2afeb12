//! Report stage: findings for people (`full`, rendered with miette, or `concise`, one line
//! each), for machines (`json`, `github`, `sarif`), and the closing summary. One printer per
//! file; `Format` names them (the CLI maps its own argument onto it).

mod concise;
mod full;
mod github;
mod gitlab;
mod json;
mod junit;
mod markdown;
mod pylint;
mod sarif;
mod statistics;
mod summary;

pub use markdown::{summary_table, Migration};
pub use statistics::statistics;
pub use summary::{fix_only_summary, show_fixes, summary};

use std::fmt;
use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::notebook::CellMap;
use crate::document::Kind;
use crate::rules::RuleSet;
use crate::syntax::{LineIndex, Source};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Concise,
    Full,
    Json,
    /// One JSON object per line.
    JsonLines,
    /// GitHub Actions workflow commands (`::error file=...::...`), annotating the pull request.
    Github,
    /// GitLab Code Quality (a JSON array of issues with stable fingerprints).
    Gitlab,
    /// JUnit XML, one test case per finding.
    Junit,
    /// `path:line: [CODE] message`, as pylint prints (read by many editors and CI tools).
    Pylint,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// A migration report for a pull request: per guide area, found / fixed / left.
    Markdown,
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
    pub kind: Kind,
    /// What the findings' offsets index: the file's contents, or a notebook's virtual module.
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
    /// A notebook's cells, to print locations and code frames in cell terms.
    pub cells: Option<Cells>,
    /// Where `source`'s lines start; built on first use (`FileReport::lines`).
    pub lines: OnceLock<LineIndex>,
}

/// Where the offsets of a notebook's virtual module are, and the text of each code cell.
#[derive(Clone)]
pub struct Cells {
    pub map: CellMap,
    /// `(cell number, text)` of every code cell, in the module's order.
    pub texts: Vec<(usize, String)>,
}

/// Where a finding is, as reports print it: `3:10`, or `cell 2:3:10` in a notebook. Lines and
/// columns are 1-based, columns counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub cell: Option<usize>,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cell {
            Some(cell) => write!(f, "cell {cell}:{}:{}", self.line, self.column),
            None => write!(f, "{}:{}", self.line, self.column),
        }
    }
}

/// Lines of context a code frame holds on each side of its span: at least as many as the
/// full report shows (miette's default, 1).
const FRAME_CONTEXT_LINES: usize = 3;

/// The text a code frame shows for a span, and the span's byte range in it.
pub struct Frame {
    /// The file, or `path:cell N`.
    pub name: String,
    /// The lines around the span (a cell's whole text in a notebook).
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The 0-based line of the file (or cell) that `text` starts on.
    pub first_line: usize,
}

impl FileReport {
    /// Where `source`'s lines start.
    pub fn lines(&self) -> &LineIndex {
        self.lines
            .get_or_init(|| LineIndex::new(&self.source.bytes))
    }

    /// A report of a file with no cells.
    pub fn plain(path: String, kind: Kind, source: Source, diagnostics: Vec<Diagnostic>) -> Self {
        FileReport {
            path,
            kind,
            source,
            diagnostics,
            cells: None,
            lines: OnceLock::new(),
        }
    }

    pub fn location(&self, offset: usize) -> Location {
        match &self.cells {
            Some(cells) => match cells.map.location(offset) {
                Some(l) => Location {
                    cell: Some(l.cell),
                    line: l.line,
                    column: l.column,
                },
                None => Location {
                    cell: None,
                    line: 1,
                    column: 1,
                },
            },
            None => {
                let (line, column) = self.lines().line_col(&self.source.bytes, offset);
                Location {
                    cell: None,
                    line,
                    column,
                }
            }
        }
    }

    /// The code frame of `start..end`: the lines around it in the file, or the text of the cell
    /// the span starts in (never the virtual module, whose boundary lines are not the user's).
    pub fn frame(&self, start: usize, end: usize) -> Frame {
        let Some(cells) = &self.cells else {
            let bytes = &self.source.bytes;
            let start = start.min(bytes.len());
            let end = end.clamp(start, bytes.len());
            let lines = self.lines();
            let first_line = lines.line_of(start).saturating_sub(FRAME_CONTEXT_LINES);
            let range = lines.span_of_lines(first_line, lines.line_of(end) + FRAME_CONTEXT_LINES);
            // Offsets index the raw bytes; the lossy text may be longer where bytes were invalid.
            let lossy = |o: usize| String::from_utf8_lossy(&bytes[range.start..o]).len();
            return Frame {
                name: self.path.clone(),
                start: lossy(start),
                end: lossy(end),
                text: String::from_utf8_lossy(&bytes[range]).into_owned(),
                first_line,
            };
        };
        let first = self.location(start);
        let last = self.location(end.max(start));
        let cell = first.cell.unwrap_or(0);
        let text = cells
            .texts
            .iter()
            .find(|(n, _)| *n == cell)
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        let from = offset_in(&text, first.line, first.column);
        let to = if last.cell == first.cell {
            offset_in(&text, last.line, last.column).max(from)
        } else {
            text.len()
        };
        Frame {
            name: format!("{}:cell {cell}", self.path),
            text,
            start: from,
            end: to,
            first_line: 0,
        }
    }
}

/// The byte offset of a 1-based line and character column in `text` (clamped to the text).
fn offset_in(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    start
        + line_text[..line_end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_end, |(i, _)| i)
}

/// False for findings about the tool's own work on a whole file, which point at no code.
pub fn points_at_code(d: &Diagnostic) -> bool {
    !matches!(
        d.code.as_str(),
        "RM001"
            | "RM002"
            | "RM003"
            | "RM004"
            | "RM005"
            | "RM006"
            | "RM007"
            | "RM008"
            | "RM010"
            | "RM011"
            | "RM012"
    )
}

/// Renders every file's findings in `format`. `unsafe_fixes`: unsafe fixes count as applicable.
pub fn render(format: Format, files: &[FileReport], rules: &RuleSet, unsafe_fixes: bool) -> String {
    render_run(
        format,
        files,
        rules,
        unsafe_fixes,
        &Migration::default(),
        false,
    )
}

/// `render` for a run: with its migration counts (the `markdown` format) and colour.
pub fn render_run(
    format: Format,
    files: &[FileReport],
    rules: &RuleSet,
    unsafe_fixes: bool,
    migration: &Migration,
    color: bool,
) -> String {
    match format {
        Format::Concise => concise::render(files, unsafe_fixes, color),
        Format::Full => full::render(files, unsafe_fixes, color),
        Format::Json => json::render(files),
        Format::JsonLines => json::render_lines(files),
        Format::Github => github::render(files),
        Format::Gitlab => gitlab::render(files),
        Format::Junit => junit::render(files),
        Format::Pylint => pylint::render(files),
        Format::Sarif => sarif::render(files, rules),
        Format::Markdown => markdown::render(migration, rules),
    }
}

/// [`render_run`] handed on piece by piece (people's formats file by file, in order), so a
/// run's report need not be held whole.
pub fn render_run_into(
    format: Format,
    files: &[FileReport],
    rules: &RuleSet,
    unsafe_fixes: bool,
    migration: &Migration,
    color: bool,
    emit: &mut dyn FnMut(&str),
) {
    match format {
        Format::Full => full::render_into(files, unsafe_fixes, color, emit),
        Format::Concise => {
            for file in files {
                emit(&concise::render(
                    std::slice::from_ref(file),
                    unsafe_fixes,
                    color,
                ));
            }
        }
        _ => emit(&render_run(
            format,
            files,
            rules,
            unsafe_fixes,
            migration,
            color,
        )),
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

/// ANSI styles for people's formats, as ruff colours them; nothing when colour is off.
pub(crate) struct Paint(pub bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    pub fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    pub fn cyan(&self, text: &str) -> String {
        self.wrap("36", text)
    }
    pub fn red_bold(&self, text: &str) -> String {
        self.wrap("1;31", text)
    }
    pub fn green_bold(&self, text: &str) -> String {
        self.wrap("1;32", text)
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
