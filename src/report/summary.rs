//! The closing lines of a run for people, as ruff prints them.

use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;

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
