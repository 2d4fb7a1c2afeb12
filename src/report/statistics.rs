//! `--statistics`: how many findings of each rule, as ruff prints them (count, code, `[*]` when
//! every finding of the rule is fixable, name), or the same rows as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::Format;
use crate::diagnostic::Diagnostic;
use crate::rules::RuleSet;

#[derive(Serialize)]
struct Row<'a> {
    code: &'a str,
    name: &'a str,
    count: usize,
    fixable: bool,
}

pub fn statistics(
    format: Format,
    remaining: &[&Diagnostic],
    rules: &RuleSet,
    unsafe_fixes: bool,
) -> String {
    let mut by_code: BTreeMap<&str, (usize, bool, &str)> = BTreeMap::new();
    for d in remaining {
        let entry = by_code.entry(&d.code).or_insert((0, true, &d.name));
        entry.0 += 1;
        entry.1 &= d.fixable(unsafe_fixes);
    }
    let mut rows: Vec<Row> = by_code
        .into_iter()
        .map(|(code, (count, fixable, name))| Row {
            code,
            name: rules.by_code(code).map_or(name, |r| r.name.as_str()),
            count,
            fixable,
        })
        .collect();
    // Most frequent first, then by code, as ruff sorts them.
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    if format == Format::Json {
        let mut text = serde_json::to_string_pretty(&rows).expect("statistics serialize");
        text.push('\n');
        return text;
    }
    let width = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    let any_fixable = rows.iter().any(|r| r.fixable);
    let mut out = String::new();
    for row in &rows {
        let marker = match (row.fixable, any_fixable) {
            (true, _) => "[*] ",
            (false, true) => "[ ] ",
            (false, false) => "",
        };
        let _ = writeln!(
            out,
            "{:>width$}\t{}\t{marker}{}",
            row.count, row.code, row.name
        );
    }
    out
}
