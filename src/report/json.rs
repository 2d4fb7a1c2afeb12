//! A JSON array of findings, with their fixes, in ruff's shape.

use serde::Serialize;

use super::FileReport;
use crate::diagnostic::{Applicability, ImportNeed, Severity};

#[derive(Serialize)]
struct Location {
    row: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonEdit {
    location: Location,
    end_location: Location,
    content: String,
}

#[derive(Serialize)]
struct JsonFix {
    applicability: Applicability,
    message: String,
    edits: Vec<JsonEdit>,
    imports: Vec<String>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    filename: &'a str,
    /// The notebook cell the location is in (its rows count from the cell's first line).
    cell: Option<usize>,
    code: &'a str,
    name: &'a str,
    message: &'a str,
    severity: Severity,
    location: Location,
    end_location: Location,
    fix: Option<JsonFix>,
    help: Option<&'a str>,
    url: Option<&'a str>,
}

pub fn render(files: &[FileReport]) -> String {
    let all = diagnostics(files);
    let mut text = serde_json::to_string_pretty(&all).expect("diagnostics serialize");
    text.push('\n');
    text
}

/// `json-lines`: the same objects, one per line.
pub fn render_lines(files: &[FileReport]) -> String {
    let mut text = String::new();
    for d in diagnostics(files) {
        text.push_str(&serde_json::to_string(&d).expect("diagnostics serialize"));
        text.push('\n');
    }
    text
}

fn diagnostics(files: &[FileReport]) -> Vec<JsonDiagnostic<'_>> {
    let mut all = Vec::new();
    for file in files {
        let loc = |offset: usize| {
            let l = file.location(offset);
            Location {
                row: l.line,
                column: l.column,
            }
        };
        for d in &file.diagnostics {
            all.push(JsonDiagnostic {
                filename: &file.path,
                cell: file.location(d.start).cell,
                code: &d.code,
                name: &d.name,
                message: &d.message,
                severity: d.severity,
                location: loc(d.start),
                end_location: loc(d.end),
                fix: d.fix.as_ref().map(|f| JsonFix {
                    applicability: f.applicability,
                    message: f.title.clone(),
                    edits: f
                        .edits
                        .iter()
                        .map(|e| JsonEdit {
                            location: loc(e.start),
                            end_location: loc(e.end),
                            content: String::from_utf8_lossy(&e.content).into_owned(),
                        })
                        .collect(),
                    imports: f
                        .imports
                        .iter()
                        .map(|i| match i {
                            ImportNeed::FromReplicate(n) => {
                                format!("from replicate import {n}")
                            }
                            ImportNeed::Module(m) => format!("import {m}"),
                            ImportNeed::Helper(h) => format!("def {h}"),
                        })
                        .collect(),
                }),
                help: d.help.as_deref(),
                url: d.url.as_deref(),
            });
        }
    }
    all
}
