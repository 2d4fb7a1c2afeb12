//! GitHub Actions workflow commands, one per finding, which annotate the pull request.

use std::fmt::Write as _;

use super::{severity_name, FileReport};

/// One line per finding, as GitHub Actions reads workflow commands.
pub fn render(files: &[FileReport]) -> String {
    let mut out = String::new();
    for file in files {
        for d in &file.diagnostics {
            let start = file.location(d.start);
            let end = file.location(d.end.max(d.start));
            let (line, col, end_line, end_col) = (start.line, start.column, end.line, end.column);
            let level = severity_name(d.severity);
            let _ = writeln!(
                out,
                "::{level} title=replicate-migrate ({code}),file={file},line={line},col={col},endLine={end_line},endColumn={end_col}::{path}:{start}: {code} {message}",
                code = d.code,
                file = escape_property(&file.path),
                path = escape_data(&file.path),
                message = escape_data(&d.message),
            );
        }
    }
    out
}

/// GitHub's escaping of a workflow command's message: a raw newline would end the command and
/// let the rest of the line (a file name, say) start one of its own (`::stop-commands::`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`file=...`) also escapes the `:` and `,` that end it.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
