//! One line per finding: `path:line:col: CODE [*] message`, as ruff's concise format.

use std::fmt::Write as _;

use super::{marker, FileReport};

pub fn render(files: &[FileReport], unsafe_fixes: bool) -> String {
    let mut out = String::new();
    for file in files {
        for d in &file.diagnostics {
            let _ = writeln!(
                out,
                "{}:{}: {}{} {}",
                file.path,
                file.location(d.start),
                d.code,
                marker(d, unsafe_fixes),
                d.message
            );
        }
    }
    out
}
