//! SARIF 2.1.0, for code-scanning tools.

use super::{severity_name, FileReport};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::rules::RuleSet;

/// A finding's fix as a SARIF `fix` (its edits as replacements), when the edits are the whole
/// fix: not for fixes that also need an import added (the edits alone would leave a name
/// undefined), nor in a notebook (whose regions are in cells, not in the `.ipynb` file), nor
/// for a suggestion that is only displayed.
fn sarif_fix(file: &FileReport, d: &Diagnostic) -> Option<serde_json::Value> {
    let fix = d.fix.as_ref()?;
    if !fix.imports.is_empty()
        || file.cells.is_some()
        || fix.applicability == Applicability::DisplayOnly
    {
        return None;
    }
    let replacements: Vec<serde_json::Value> = fix
        .edits
        .iter()
        .map(|e| {
            let start = file.location(e.start);
            let end = file.location(e.end);
            serde_json::json!({
                "deletedRegion": {
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                },
                "insertedContent": {"text": String::from_utf8_lossy(&e.content)},
            })
        })
        .collect();
    let safety = match fix.applicability {
        Applicability::Safe => "safe fix",
        _ => "unsafe fix: it may change runtime behaviour",
    };
    Some(serde_json::json!({
        "description": {"text": format!("{} ({safety})", fix.title)},
        "artifactChanges": [{
            "artifactLocation": {"uri": uri(&file.path)},
            "replacements": replacements,
        }],
    }))
}

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
            let start = file.location(d.start);
            let end = file.location(d.end.max(d.start));
            let (line, col, end_line, end_col) = (start.line, start.column, end.line, end.column);
            let mut result = serde_json::json!({
                "ruleId": d.code,
                "level": severity_name(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&file.path)},
                        "region": {
                            "startLine": line,
                            "startColumn": col,
                            "endLine": end_line,
                            "endColumn": end_col,
                        }
                    }
                }],
            });
            if let Some(fix) = sarif_fix(file, d) {
                result["fixes"] = serde_json::json!([fix]);
            }
            results.push(result);
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
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    text.push('\n');
    text
}

/// A path as the relative URI reference SARIF requires: every byte but unreserved characters
/// and `/` percent-encoded, so a space, `%`, `#` or newline in a file name stays in the path.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
