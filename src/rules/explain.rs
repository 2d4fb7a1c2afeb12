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
    let mapping = super::mapping::Mapping::embedded();
    if !rule.mapping.is_empty() {
        let _ = writeln!(out, "## Mapping rows (api-mapping.md)");
        for id in &rule.mapping {
            match mapping.row(id) {
                Some(row) => {
                    let _ = writeln!(
                        out,
                        "- {} (section {}, mechanical: {})",
                        row.id, row.section, row.mech
                    );
                    let _ = writeln!(out, "  v1: {}", row.v1);
                    let _ = writeln!(out, "  v2: {}", row.v2);
                    if !row.notes.is_empty() {
                        let _ = writeln!(out, "  {}", row.notes);
                    }
                }
                None => {
                    let _ = writeln!(out, "- {id}");
                }
            }
        }
        for c in mapping.corrections_of(&rule.mapping) {
            let _ = writeln!(
                out,
                "- correction {} (overrides {}): {}",
                c.id,
                c.rows.join(", "),
                c.text
            );
        }
        out.push('\n');
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
    let v1_rows = super::mapping::Mapping::embedded()
        .rows
        .iter()
        .filter(|r| !r.is_v2_only())
        .count();
    let _ = write!(
        out,
        "\n{} rules cover {} of the {v1_rows} v1 rows of `api-mapping.md`.",
        rules.rules.len(),
        rows.len()
    );
    // The rest of the accounting (the ratchet of tests/ratchet.rs), in one sentence.
    if let Ok(coverage) = super::coverage::Coverage::embedded(rules) {
        let excused: usize = coverage.rows_unchanged.values().map(Vec::len).sum();
        let elements_excused: usize = coverage.elements_unchanged.values().map(Vec::len).sum();
        let _ = write!(
            out,
            " The other {excused} are in `rules/unchanged.toml`, each with its reason; of the \
             {} public names of the installed 1.0.7 (`rules/v1_surface.json`), {} map to rows \
             and {elements_excused} are excused there (`replicate-migrate rule --coverage`).",
            coverage.elements_total, coverage.elements_with_rows
        );
    }
    out.push('\n');
    out
}
