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

/// The README's rule table (kept in sync by a test), with the count of mapping rows covered.
pub fn markdown_table(rules: &super::RuleSet) -> String {
    let mut out =
        String::from("| code | name | fix | mapping rows | message |\n|---|---|---|---|---|\n");
    let mut rows = std::collections::BTreeSet::new();
    for rule in &rules.rules {
        rows.extend(rule.mapping.iter().cloned());
        let fix = match rule.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Safe) => "safe",
            Some(Applicability::Unsafe) => "unsafe",
            Some(Applicability::DisplayOnly) => "display",
            None => "none",
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            rule.code,
            rule.name,
            fix,
            rule.mapping.join(", "),
            rule.message.replace('|', "\\|")
        );
    }
    let _ = writeln!(
        out,
        "\n{} rules cover {} of the 246 v1 rows of `api-mapping.md`.",
        rules.rules.len(),
        rows.len()
    );
    out
}
