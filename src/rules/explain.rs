//! Renders a rule's documentation from its TOML, in ruff's sections.

use std::fmt::Write as _;

use super::schema::{Applicability, Rule};

pub fn explain(rule: &Rule) -> String {
    let d = &rule.docs;
    let mut out = String::new();
    let _ = writeln!(out, "# {} ({})\n", rule.name, rule.code);
    let _ = writeln!(out, "Message: {}", rule.message);
    let fix = match &rule.fix {
        Some(f) => match f.applicability {
            Applicability::Safe => "Fix is always available (safe).",
            Applicability::Unsafe => "Fix is available with `--unsafe-fixes`.",
            Applicability::DisplayOnly => "Fix is shown but never applied.",
        },
        None => "No fix: migrate this by hand.",
    };
    let _ = writeln!(out, "{fix}");
    let _ = writeln!(out, "Mapping rows: {}\n", rule.mapping.join(", "));
    let _ = writeln!(out, "## What it does\n{}\n", d.what.trim());
    let _ = writeln!(out, "## Why is this bad?\n{}\n", d.why.trim());
    let _ = writeln!(
        out,
        "## Example\n```python\n{}\n```\n",
        d.example.trim_end()
    );
    if let Some(u) = &d.use_instead {
        let _ = writeln!(out, "Use instead:\n```python\n{}\n```\n", u.trim_end());
    }
    if let Some(m) = &d.manual {
        let _ = writeln!(out, "## What to do\n{}\n", m.trim());
    }
    if let Some(s) = &d.fix_safety {
        let _ = writeln!(out, "## Fix safety\n{}\n", s.trim());
    }
    let _ = writeln!(out, "## References\n- {}", d.guide);
    out
}
