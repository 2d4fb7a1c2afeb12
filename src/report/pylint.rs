//! `path:line: [CODE] message`, as pylint's parseable format prints it (and ruff's `pylint`).
//! A notebook finding gives its line within the cell and names the cell in the message.

use std::fmt::Write as _;

use super::FileReport;

pub fn render(files: &[FileReport]) -> String {
    let mut out = String::new();
    for file in files {
        for d in &file.diagnostics {
            let at = file.location(d.start);
            let message = one_line(&d.message);
            let _ = match at.cell {
                Some(cell) => writeln!(
                    out,
                    "{}:{}: [{}] cell {cell}: {message}",
                    one_line(&file.path),
                    at.line,
                    d.code
                ),
                None => writeln!(
                    out,
                    "{}:{}: [{}] {message}",
                    one_line(&file.path),
                    at.line,
                    d.code
                ),
            };
        }
    }
    out
}

/// One finding per line, whatever a file name holds.
fn one_line(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}
