//! Jupyter notebooks through the binary (issue 11, item 2): code cells checked and fixed as one
//! module, findings located as `path:cell N:line:col`, diffs per cell, the JSON written back
//! byte for byte outside the `source` of the changed cells, and a broken notebook reported and
//! never written.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_replicate-migrate");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary starts");
    Run {
        code: output.status.code().expect("exits normally"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/notebooks")
            .join(name),
    )
    .unwrap()
}

/// The text with every `"source"` value (and nbformat 3's `"input"`) cut out: what must stay
/// byte for byte when only sources change.
fn outside_sources(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let key = ["\"source\":", "\"input\":"]
            .iter()
            .find(|k| rest.starts_with(**k));
        if let Some(key) = key {
            out.push_str(key);
            i += key.len();
            while bytes[i] == b' ' {
                i += 1;
            }
            i = skip_value(bytes, i);
            out.push_str("<source>");
            continue;
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The end of the JSON string or array of strings starting at `i`.
fn skip_value(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    loop {
        match b[i] {
            b'"' => {
                i += 1;
                while b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                if depth == 0 {
                    return i;
                }
            }
            b'[' => {
                depth += 1;
                i += 1;
            }
            b']' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
}

fn cells(v: &Value) -> Vec<Value> {
    v["cells"].as_array().unwrap().clone()
}

fn source(cell: &Value) -> String {
    match &cell["source"] {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(|i| i.as_str().unwrap()).collect(),
        _ => panic!("no source"),
    }
}

#[test]
fn check_reports_notebook_findings_by_cell() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("demo.ipynb"), fixture("real_project.ipynb")).unwrap();
    let run = run_in(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("All checks passed"), "{}", run.stdout);
    // Cell 8 uses `replicate`, imported in cell 3: one module.
    assert!(
        run.stdout.contains("demo.ipynb:cell 8:1:9: RM401 [*] "),
        "{}",
        run.stdout
    );
    for line in run.stdout.lines().filter(|l| l.contains(": RM")) {
        assert!(line.starts_with("demo.ipynb:cell "), "{line}");
    }
    // The code frame shows the cell's own text, not the module's boundary markers.
    let full = run_in(dir.path(), &["check", "demo.ipynb"]);
    assert!(
        full.stdout.contains("[demo.ipynb:cell 8:1:9]"),
        "{}",
        full.stdout
    );
    assert!(
        !full.stdout.contains("replicate-migrate: cell"),
        "{}",
        full.stdout
    );
    // JSON names the cell.
    let json = run_in(dir.path(), &["check", "--output-format", "json"]);
    let items: Value = serde_json::from_str(&json.stdout).unwrap();
    let first = &items.as_array().unwrap()[0];
    assert_eq!(first["cell"], 8, "{first}");
    assert_eq!(first["location"]["row"], 1);
}

#[test]
fn fix_writes_only_the_changed_cells_sources() {
    for name in [
        "real_project.ipynb",
        "indent2_unsorted.ipynb",
        "legacy_nbformat3.ipynb",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let before = fixture(name);
        fs::write(dir.path().join(name), &before).unwrap();
        let run = run_in(dir.path(), &["fix", name]);
        assert!(run.code <= 1, "{name}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("fixed"), "{name}: {}", run.stdout);
        let after = fs::read(dir.path().join(name)).unwrap();
        assert_ne!(after, before, "{name}: nothing was written");
        let (b, a) = (
            String::from_utf8(before.clone()).unwrap(),
            String::from_utf8(after.clone()).unwrap(),
        );
        assert_eq!(
            outside_sources(&a),
            outside_sources(&b),
            "{name}: bytes outside the sources changed"
        );
        // A second run finds nothing left to fix and writes nothing.
        let again = run_in(dir.path(), &["fix", name]);
        assert_eq!(fs::read(dir.path().join(name)).unwrap(), after, "{name}");
        assert!(!again.stdout.contains("fixed,"), "{name}: {}", again.stdout);
    }
}

#[test]
fn magics_and_shell_escapes_are_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let nb = serde_json::json!({
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
             "source": ["%pip install replicate\n", "!ls\n", "import replicate"]},
            {"cell_type": "markdown", "metadata": {}, "source": ["# notes"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
             "source": ["%%time\n", "out = replicate.run(\"owner/model\", {\"a\": 1})\n", "replicate?"]}
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5
    });
    let text = serde_json::to_string_pretty(&nb).unwrap() + "\n";
    fs::write(dir.path().join("m.ipynb"), &text).unwrap();
    let run = run_in(
        dir.path(),
        &["check", "--output-format", "concise", "m.ipynb"],
    );
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        "m.ipynb:cell 3:2:7: RM201 [*] `run()` takes its input as `input=` in v2",
        "{}",
        run.stdout
    );
    let diff = run_in(dir.path(), &["fix", "--diff", "m.ipynb"]);
    assert_eq!(diff.code, 1);
    assert!(
        diff.stdout
            .starts_with("--- m.ipynb:cell 3\n+++ m.ipynb:cell 3\n"),
        "{}",
        diff.stdout
    );
    assert!(!diff.stdout.contains("No newline"), "{}", diff.stdout);
    run_in(dir.path(), &["fix", "m.ipynb"]);
    let fixed: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("m.ipynb")).unwrap()).unwrap();
    let c = cells(&fixed);
    assert_eq!(
        source(&c[0]),
        "%pip install replicate\n!ls\nimport replicate"
    );
    assert_eq!(
        source(&c[2]),
        "%%time\nout = replicate.run(\"owner/model\", input={\"a\": 1})\nreplicate?"
    );
}

#[test]
fn a_broken_notebook_is_reported_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let bad_json = "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"import replicate\"\n";
    let no_cells = "{\"metadata\": {\"note\": \"replicate\"}, \"nbformat\": 4}\n";
    fs::write(dir.path().join("bad.ipynb"), bad_json).unwrap();
    fs::write(dir.path().join("empty.ipynb"), no_cells).unwrap();
    for args in [
        &["check", "--output-format", "concise"][..],
        &["fix", "--output-format", "concise"],
    ] {
        let run = run_in(dir.path(), args);
        assert_eq!(run.code, 1, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout
                .contains("bad.ipynb:1:1: RM008 cannot read notebook bad.ipynb: "),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains(
                "empty.ipynb:1:1: RM008 cannot read notebook empty.ipynb: notebook has no `cells` array"
            ),
            "{}",
            run.stdout
        );
        assert!(!run.stdout.contains("All checks passed"));
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("bad.ipynb")).unwrap(),
        bad_json
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("empty.ipynb")).unwrap(),
        no_cells
    );
}

#[test]
fn notebooks_are_discovered_like_python_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("notebooks")).unwrap();
    fs::write(
        dir.path().join("notebooks/demo.ipynb"),
        fixture("indent2_unsorted.ipynb"),
    )
    .unwrap();
    let run = run_in(dir.path(), &["check", "--show-files"]);
    assert_eq!(run.stdout, "notebooks/demo.ipynb\n");
    let run = run_in(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("notebooks/demo.ipynb:cell 2:"),
        "{}",
        run.stdout
    );
}
