//! The migration report: per section of the upgrade guide, how many v1 uses were found, fixed,
//! left for `--unsafe-fixes` and left to do by hand, each with its guide link. `--output-format
//! markdown` prints it as a Markdown table for a pull request; the same table ends `check` and
//! `fix` on a terminal (`summary_table`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;
use crate::rules::RuleSet;

/// What a run found and did, by code.
#[derive(Debug, Default)]
pub struct Migration {
    /// Whether the run fixed (`fix`) or only looked (`check`, `--diff`).
    pub fixing: bool,
    pub unsafe_fixes: bool,
    /// Findings before any fix.
    pub found: BTreeMap<String, usize>,
    /// Findings the fixes removed (`check`: those `fix` would remove).
    pub fixed: BTreeMap<String, usize>,
    /// Findings left whose only fix is unsafe (and unsafe fixes were off).
    pub unsafe_left: BTreeMap<String, usize>,
    /// Findings left with no fix to apply.
    pub manual: BTreeMap<String, usize>,
}

impl Migration {
    /// Counts the findings left after a run (before, for `check`).
    pub fn add_remaining<'a>(&mut self, remaining: impl IntoIterator<Item = &'a Diagnostic>) {
        for d in remaining {
            let bucket = if d.fixable(self.unsafe_fixes) && !self.fixing {
                &mut self.fixed
            } else if !d.fixable(self.unsafe_fixes) && d.fixable(true) {
                &mut self.unsafe_left
            } else {
                &mut self.manual
            };
            *bucket.entry(d.code.clone()).or_default() += 1;
        }
    }
}

struct Row {
    title: String,
    link: Option<String>,
    counts: [usize; 4],
}

fn rows(m: &Migration, rules: &RuleSet) -> Vec<Row> {
    let mut by_area: BTreeMap<String, Row> = BTreeMap::new();
    let mut add = |code: &str, column: usize, n: usize| {
        let (key, title, link) = match rules.by_code(code) {
            Some(rule) => {
                let guide = rule.docs.guide.clone();
                let title = match guide.split_once('#') {
                    Some((_, anchor)) => {
                        let words = anchor.replace('-', " ");
                        let mut chars = words.chars();
                        chars
                            .next()
                            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                            .unwrap_or_default()
                    }
                    None => "Other changes".to_string(),
                };
                (format!("1{title}"), title, Some(guide))
            }
            None if code.starts_with("RM95") => (
                "0".to_string(),
                "Dependency pins (RM95x)".to_string(),
                Some(
                    "https://github.com/replicate/replicate-python-beta/blob/main/UPGRADING.md#installing-the-v2-sdk"
                        .to_string(),
                ),
            ),
            // The tool's own findings (RM0xx) last: files it could not read, parse or fix.
            None => (
                "2".to_string(),
                "Files not read or not fixed (RM0xx)".to_string(),
                None,
            ),
        };
        let row = by_area.entry(key).or_insert(Row {
            title,
            link,
            counts: [0; 4],
        });
        row.counts[column] += n;
    };
    for (column, map) in [&m.found, &m.fixed, &m.unsafe_left, &m.manual]
        .into_iter()
        .enumerate()
    {
        for (code, n) in map {
            add(code, column, *n);
        }
    }
    by_area.into_values().collect()
}

fn headers(m: &Migration) -> [&'static str; 5] {
    [
        "guide section",
        "found",
        if m.fixing { "fixed" } else { "fixable" },
        "left for --unsafe-fixes",
        "left by hand",
    ]
}

/// `--output-format markdown`.
pub fn render(m: &Migration, rules: &RuleSet) -> String {
    let mut out = String::from("## Replicate SDK v2 migration\n\n");
    let rows = rows(m, rules);
    if rows.is_empty() {
        out.push_str("No v1 code found.\n");
        return out;
    }
    let h = headers(m);
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |",
        h[0], h[1], h[2], h[3], h[4]
    );
    out.push_str("|---|---:|---:|---:|---:|\n");
    let mut total = [0; 4];
    for row in &rows {
        let title = match &row.link {
            Some(link) => format!("[{}]({link})", row.title),
            None => row.title.clone(),
        };
        let [a, b, c, d] = row.counts;
        let _ = writeln!(out, "| {title} | {a} | {b} | {c} | {d} |");
        for (t, n) in total.iter_mut().zip(row.counts) {
            *t += n;
        }
    }
    let [a, b, c, d] = total;
    let _ = writeln!(out, "| **total** | **{a}** | **{b}** | **{c}** | **{d}** |");
    out
}

/// The same table for a terminal, aligned, after the summary lines.
pub fn summary_table(m: &Migration, rules: &RuleSet) -> String {
    let rows = rows(m, rules);
    if rows.is_empty() {
        return String::new();
    }
    let h = headers(m);
    let width = rows
        .iter()
        .map(|r| r.title.chars().count())
        .chain([h[0].len()])
        .max()
        .unwrap_or(0);
    let mut out = String::from("\n");
    let _ = writeln!(
        out,
        "{:<width$}  {:>5}  {:>7}  {:>23}  {:>12}",
        h[0], h[1], h[2], h[3], h[4]
    );
    for row in &rows {
        let [a, b, c, d] = row.counts;
        let _ = writeln!(
            out,
            "{:<width$}  {a:>5}  {b:>7}  {c:>23}  {d:>12}",
            row.title
        );
    }
    let links: Vec<&Row> = rows.iter().filter(|r| r.link.is_some()).collect();
    for row in links {
        let _ = writeln!(
            out,
            "  {}: {}",
            row.title,
            row.link.as_deref().unwrap_or("")
        );
    }
    out
}
