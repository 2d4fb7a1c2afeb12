//! `rule CODE` / `rule --all`: the rules' documentation.

use std::process::ExitCode;

use super::{eprint_report, load_rules, print_out};
use crate::rules::{self, schema::Rule};

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
