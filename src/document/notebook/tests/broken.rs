//! Broken notebooks are errors, not panics; notebooks without code cells or in other
//! languages.

use super::*;

fn error_of(text: &[u8]) -> NotebookError {
    Notebook::parse(text).expect_err("a broken notebook parses")
}

#[test]
fn broken_notebooks_are_errors() {
    let json = error_of(b"{\n \"cells\": [\n  {\"cell_type\": \"code\",,\n");
    assert_eq!(
        json.to_string(),
        "not valid JSON at line 3 column 24: key must be a string"
    );
    assert!(error_of(b"")
        .to_string()
        .starts_with("not valid JSON at line 1 column 0: EOF"));
    assert!(error_of(b"{} x")
        .to_string()
        .contains("trailing characters"));
    assert!(
        matches!(error_of(b"{\"cells\": \"\xff\"}"), NotebookError::Json { message } if message == "not valid UTF-8 at line 1 column 12")
    );
    let deep = "[".repeat(100_000);
    assert!(error_of(deep.as_bytes())
        .to_string()
        .contains("recursion limit exceeded"));

    assert_eq!(error_of(b"[]"), NotebookError::NoCells);
    assert_eq!(
        error_of(b"{\"nbformat\": 4, \"metadata\": {}}"),
        NotebookError::NoCells
    );
    assert_eq!(
        error_of(b"{\"nbformat\": 4, \"cells\": {}}"),
        NotebookError::NoCells
    );
    assert_eq!(
        error_of(b"{\"nbformat\": 3, \"worksheets\": [{}]}"),
        NotebookError::NoCells
    );
    assert_eq!(
        NotebookError::NoCells.to_string(),
        "notebook has no `cells` array"
    );

    let cell = |json: &str| {
        error_of(format!("{{\"nbformat\": 4, \"cells\": [{{\"cell_type\": \"markdown\", \"source\": \"\"}}, {json}]}}").as_bytes())
    };
    let bad = |message: &str| NotebookError::BadCell {
        cell: 2,
        message: message.into(),
    };
    assert_eq!(
        cell("{\"cell_type\": \"code\", \"outputs\": []}"),
        bad("code cell has no `source`")
    );
    assert_eq!(
        cell("{\"cell_type\": \"code\", \"source\": [\"a\", 1]}"),
        bad("`source` line 2 is not a string")
    );
    assert_eq!(
        cell("{\"cell_type\": \"code\", \"source\": null}"),
        bad("`source` is neither a string nor an array of strings")
    );
    assert_eq!(cell("{\"source\": \"x\"}"), bad("has no `cell_type`"));
    assert_eq!(
        cell("{\"cell_type\": 4, \"source\": \"x\"}"),
        bad("`cell_type` is not a string")
    );
    assert_eq!(cell("\"x = 1\""), bad("is not a JSON object"));
    assert_eq!(
        cell("{\"cell_type\": \"code\"}").to_string(),
        "cell 2: code cell has no `source`"
    );
    let v3 = error_of(b"{\"nbformat\": 3, \"worksheets\": [{\"cells\": [{\"cell_type\": \"code\", \"source\": \"x\"}]}]}");
    assert_eq!(
        v3,
        NotebookError::BadCell {
            cell: 1,
            message: "code cell has no `input`".into()
        }
    );

    assert!(
        matches!(error_of(b"{\"nbformat\": 2, \"cells\": []}"), NotebookError::Unsupported { message } if message.contains("nbformat 2"))
    );
    assert!(matches!(
        error_of(b"{\"nbformat\": \"4\", \"cells\": []}"),
        NotebookError::Unsupported { .. }
    ));
    let r = error_of(
        b"{\"nbformat\": 4, \"metadata\": {\"language_info\": {\"name\": \"R\"}}, \"cells\": []}",
    );
    assert_eq!(
        r.to_string(),
        "unsupported notebook: the notebook's language is R, not Python"
    );
}

#[test]
fn notebooks_without_code_cells() {
    for text in [
            "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": []}\n",
            "{\"cells\": [{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": [\"# Notes\"]}, {\"cell_type\": \"markdown\"}]}",
        ] {
            let nb = unchanged_round_trip(text);
            assert!(nb.module().is_empty());
            assert_eq!(nb.code_cell_count(), 0);
            assert_eq!(nb.location(0), None);
            assert!(nb.cell_sources().is_empty());
            assert!(boundary_error(&nb, b"import replicate\n").contains("before the first cell"));
        }
}

#[test]
fn cells_in_other_languages_are_left_out() {
    let text = r#"{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {"vscode": {"languageId": "sql"}}, "source": "SELECT 1"}, {"cell_type": "code", "metadata": {"vscode": {"languageId": "python"}}, "source": "x = 1"}]}"#;
    let nb = unchanged_round_trip(text);
    assert_eq!(nb.cell_sources(), vec![(2, "x = 1".to_string())]);
}
