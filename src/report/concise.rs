//! One line per finding: `path:line:col: CODE [*] message`, as ruff's concise format.

use std::fmt::Write as _;

use super::{marker, FileReport, Paint};

pub fn render(files: &[FileReport], unsafe_fixes: bool, color: bool) -> String {
    let paint = Paint(color);
    let colon = paint.cyan(":");
    let mut out = String::new();
    for file in files {
        for d in &file.diagnostics {
            let location = file.location(d.start).to_string().replace(':', &colon);
            let _ = writeln!(
                out,
                "{}{colon}{location}{colon} {}{} {}",
                paint.bold(&file.path),
                paint.red_bold(&d.code),
                match marker(d, unsafe_fixes) {
                    "" => String::new(),
                    m => paint.cyan(m),
                },
                d.message
            );
        }
    }
    out
}
