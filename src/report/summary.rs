//! The closing lines of a run for people, as ruff prints them.

use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;

pub fn summary(
    remaining: &[&Diagnostic],
    fixed: usize,
    unsafe_fixes: bool,
    fixing: bool,
    color: bool,
) -> String {
    let passed = format!("{}\n", super::Paint(color).green_bold("All checks passed!"));
    let n = remaining.len();
    let errors = |n: usize| if n == 1 { "error" } else { "errors" };
    let mut out = String::new();
    if fixing {
        if n == 0 && fixed == 0 {
            return passed;
        }
        let total = n + fixed;
        let _ = writeln!(
            out,
            "Found {total} {} ({fixed} fixed, {n} remaining).",
            errors(total)
        );
    } else {
        if n == 0 {
            return passed;
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

/// `--fix-only`: what was fixed, and what more `--unsafe-fixes` would fix, as ruff words it.
pub fn fix_only_summary(fixed: usize, remaining: &[&Diagnostic], unsafe_fixes: bool) -> String {
    let errors = |n: usize| if n == 1 { "error" } else { "errors" };
    let hidden = remaining
        .iter()
        .filter(|d| !d.fixable(unsafe_fixes) && d.fixable(true))
        .count();
    let fixes = if hidden == 1 { "fix" } else { "fixes" };
    match (fixed, hidden) {
        (0, 0) => String::new(),
        (0, h) => format!("No errors fixed ({h} {fixes} available with `--unsafe-fixes`).\n"),
        (f, 0) => format!("Fixed {f} {}.\n", errors(f)),
        (f, h) => format!(
            "Fixed {f} {} ({h} additional {fixes} available with `--unsafe-fixes`).\n",
            errors(f)
        ),
    }
}

/// `--show-fixes`: the fixes applied, per file and rule, as ruff lists them.
pub fn show_fixes<'a>(
    files: impl Iterator<Item = (&'a str, &'a std::collections::BTreeMap<String, usize>)>,
    rules: &crate::rules::RuleSet,
) -> String {
    let files: Vec<_> = files.filter(|(_, by_code)| !by_code.is_empty()).collect();
    let total: usize = files.iter().flat_map(|(_, m)| m.values()).sum();
    if total == 0 {
        return String::new();
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nFixed {total} {}:",
        if total == 1 { "error" } else { "errors" }
    );
    for (path, by_code) in files {
        let _ = writeln!(out, "- {path}:");
        for (code, n) in by_code {
            let name = rules.by_code(code).map_or("", |r| r.name.as_str());
            let _ = writeln!(out, "    {n} × {code} ({name})");
        }
    }
    out.push('\n');
    out
}
