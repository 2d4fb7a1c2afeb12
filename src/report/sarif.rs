//! SARIF 2.1.0, for code-scanning tools.

use super::{severity_name, FileReport};
use crate::rules::RuleSet;

/// A SARIF 2.1.0 log with one run, its rules, and one result per finding.
pub fn render(files: &[FileReport], rules: &RuleSet) -> String {
    let rule_list: Vec<serde_json::Value> = rules
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.message},
                "fullDescription": {"text": r.docs.what},
                "helpUri": r.docs.guide,
            })
        })
        .collect();
    let mut results = Vec::new();
    for file in files {
        for d in &file.diagnostics {
            let (line, col) = file.source.line_col(d.start);
            let (end_line, end_col) = file.source.line_col(d.end.max(d.start));
            results.push(serde_json::json!({
                "ruleId": d.code,
                "level": severity_name(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": file.path},
                        "region": {
                            "startLine": line,
                            "startColumn": col,
                            "endLine": end_line,
                            "endColumn": end_col,
                        }
                    }
                }],
            }));
        }
    }
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "replicate-migrate",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/replicate/replicate-python-beta/blob/main/UPGRADING.md",
                "rules": rule_list,
            }},
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    text.push('\n');
    text
}
