//! `rule CODE` / `rule --all`: the rules' documentation; `rule --coverage`: how much of the v1
//! API they account for.

use std::process::ExitCode;

use super::{eprint_report, load_rules, print_out};
use crate::rules::{self, coverage::Coverage, schema::Rule};

/// Prints one rule's documentation (by code or name), or every rule's; `format` is `text`, or
/// `markdown` (the README's table, with `all`).
pub fn explain_rules(rule: Option<&str>, all: bool, format: &str) -> ExitCode {
    let rules = match load_rules() {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let selected: Vec<&Rule> = if all {
        rules.rules.iter().collect()
    } else {
        let wanted = rule.unwrap_or_default();
        match rules.by_code(wanted) {
            Some(rule) => vec![rule],
            None => {
                eprint_report(&format!(
                    "error: unknown rule `{wanted}`; `replicate-migrate rule --all` lists them"
                ));
                return ExitCode::from(2);
            }
        }
    };
    match format {
        "text" => {}
        "markdown" if all => {
            return match print_out(&rules::markdown_table(&rules)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(code) => code,
            };
        }
        other => {
            eprint_report(&format!(
                "error: unknown rule output format `{other}`; use `text`, or `markdown` with --all"
            ));
            return ExitCode::from(2);
        }
    }
    let mut out = String::new();
    for rule in selected {
        out.push_str(&rules::explain(rule));
        out.push('\n');
    }
    match print_out(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// Prints the ratchet's counts (`tests/ratchet.rs` checks the same accounting): the mapping rows
/// cited by a rule or excused in `rules/unchanged.toml`, and the v1 surface elements accounted
/// for; `format` is `text` or `json`. Exits 0 (1 if the accounting has problems, which the
/// ratchet test would fail on: only a build with edited data files can show them).
pub fn print_coverage(format: &str) -> ExitCode {
    let rules = match load_rules() {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let coverage = match Coverage::embedded(&rules) {
        Ok(coverage) => coverage,
        Err(e) => {
            eprint_report(&format!(
                "error: the embedded coverage data do not load: {e}"
            ));
            return ExitCode::from(2);
        }
    };
    let text = match format {
        "text" => coverage.report(),
        "json" => {
            let mut json =
                serde_json::to_string_pretty(&coverage.to_json()).expect("JSON values serialise");
            json.push('\n');
            json
        }
        other => {
            eprint_report(&format!(
                "error: unknown coverage output format `{other}`; use `text` or `json`"
            ));
            return ExitCode::from(2);
        }
    };
    match print_out(&text) {
        Ok(()) if coverage.problems.is_empty() => ExitCode::SUCCESS,
        Ok(()) => ExitCode::from(1),
        Err(code) => code,
    }
}
