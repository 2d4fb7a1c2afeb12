//! Every output format, read by its consumer (issue 11, item 9; issue 12, item 8): SARIF and
//! GitLab Code Quality validated against their published schemas (`tests/schemas/`, with
//! Python's `jsonschema`), JUnit parsed as XML, JSON and JSON Lines parsed, and file names that
//! try to break out of a format (quotes, `<`, newlines, control characters) kept inside it.
//!
//! Needs `REPLICATE_MIGRATE_TOOLS_PYTHON` (a Python with jsonschema), which `scripts/test.sh`
//! sets up; without it these tests fail, they never skip.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_replicate-migrate");

const V1: &str = "import replicate\n\n\
client = replicate.Client(api_token=\"t\")\n\
out = replicate.run(\"owner/model\", {\"prompt\": \"hi\"})\n\
for event in replicate.stream(model, input={}):\n    print(event)\n";

fn tools_python() -> PathBuf {
    let python = std::env::var("REPLICATE_MIGRATE_TOOLS_PYTHON").unwrap_or_else(|_| {
        panic!("REPLICATE_MIGRATE_TOOLS_PYTHON is not set: run `bash scripts/test.sh`")
    });
    assert!(
        Path::new(&python).exists(),
        "{python} does not exist: run `bash scripts/test.sh`"
    );
    PathBuf::from(python)
}

/// Runs Python `code` with `input` on stdin; its stdout, or a panic with its stderr.
fn python(code: &str, input: &str, args: &[&str]) -> String {
    let mut child = Command::new(tools_python())
        .arg("-c")
        .arg(code)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python failed:\n{}\ninput:\n{input}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const VALIDATE: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(sys.stdin)
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
for e in errors:
    print(list(e.path), e.message, file=sys.stderr)
sys.exit(1 if errors else 0)
"#;

fn validate(schema: &str, doc: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(schema);
    python(VALIDATE, doc, &[path.to_str().unwrap()]);
}

struct Run {
    code: i32,
    stdout: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
    }
}

fn format(dir: &Path, name: &str) -> String {
    let run = run_in(dir, &["check", "--output-format", name]);
    assert_eq!(run.code, 1, "{name}: {}", run.stdout);
    run.stdout
}

/// A project with a plain file, a notebook, a manifest, and file names that try to escape.
fn project(evil: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.py"), V1).unwrap();
    fs::write(
        dir.path().join("requirements.txt"),
        "replicate>=1.0.0,<2.0.0\nrequests\n",
    )
    .unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/notebooks/indent2_unsorted.ipynb"),
        dir.path().join("demo.ipynb"),
    )
    .unwrap();
    if evil {
        for name in [
            "q\"><x a='1'>&amp;.py",
            "nl\n::error::forged\n<failure>.py",
            "ctl\u{1}\u{1b}[31m.py",
            "100%,a:b.py",
        ] {
            fs::write(dir.path().join(name), V1).unwrap();
        }
    }
    dir
}

#[test]
fn sarif_is_valid_sarif_2_1_0_and_carries_fixes() {
    for evil in [false, true] {
        let dir = project(evil);
        let text = format(dir.path(), "sarif");
        validate("sarif-schema-2.1.0.json", &text);
        let log: Value = serde_json::from_str(&text).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        let rm201 = results
            .iter()
            .find(|r| {
                r["ruleId"] == "RM201"
                    && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app.py"
            })
            .unwrap();
        let change = &rm201["fixes"][0]["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "app.py");
        let replacement = &change["replacements"][0];
        assert_eq!(replacement["insertedContent"]["text"], "input=");
        assert_eq!(replacement["deletedRegion"]["startLine"], 4);
        assert!(
            results.iter().any(|r| r["ruleId"] == "RM950"),
            "manifests too"
        );
        if evil {
            let uris: Vec<&str> = results
                .iter()
                .map(|r| {
                    r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap()
                })
                .collect();
            // Percent-encoded, as a URI reference must be.
            assert!(
                uris.contains(&"nl%0A%3A%3Aerror%3A%3Aforged%0A%3Cfailure%3E.py"),
                "{uris:?}"
            );
            assert!(uris.contains(&"100%25%2Ca%3Ab.py"), "{uris:?}");
        }
    }
}

#[test]
fn gitlab_is_valid_code_quality_with_stable_fingerprints() {
    let dir = project(true);
    let text = format(dir.path(), "gitlab");
    validate("gitlab-code-quality.json", &text);
    let issues: Vec<Value> = serde_json::from_str(&text).unwrap();
    let fingerprints: std::collections::BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    // Moving the code down a line keeps every fingerprint; the same finding twice gets two.
    fs::write(
        dir.path().join("app.py"),
        format!("# a new first line\n{V1}"),
    )
    .unwrap();
    let moved: Vec<Value> = serde_json::from_str(&format(dir.path(), "gitlab")).unwrap();
    let after: std::collections::BTreeSet<&str> = moved
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(
        after, fingerprints,
        "fingerprints must not depend on line numbers"
    );
    let line = |issues: &[Value]| {
        issues
            .iter()
            .find(|i| i["location"]["path"] == "app.py" && i["check_name"] == "RM201")
            .map(|i| {
                i["location"]["positions"]["begin"]["line"]
                    .as_u64()
                    .unwrap()
            })
            .unwrap()
    };
    assert_eq!(line(&moved), line(&issues) + 1);
}

#[test]
fn junit_is_well_formed_xml_whatever_the_file_names() {
    let dir = project(true);
    let text = format(dir.path(), "junit");
    let summary = python(
        r#"
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
cases = root.findall("./testsuite/testcase")
failures = [c for c in cases if c.find("failure") is not None]
print(root.tag, root.get("tests"), len(cases), len(failures))
for s in root.findall("./testsuite"):
    print(repr(s.get("name")))
"#,
        &text,
        &[],
    );
    let mut lines = summary.lines();
    let head: Vec<&str> = lines.next().unwrap().split(' ').collect();
    assert_eq!(head[0], "testsuites");
    assert_eq!(head[1], head[2], "tests= counts the test cases");
    assert_eq!(head[2], head[3], "every case is a failure");
    let suites: Vec<&str> = lines.collect();
    assert!(
        suites.contains(&"'q\"><x a=\\'1\\'>&amp;.py'"),
        "{suites:?}"
    );
    assert!(
        suites.contains(&"'nl\\n::error::forged\\n<failure>.py'"),
        "{suites:?}"
    );
    // A clean run is one passing test case.
    let clean = tempfile::tempdir().unwrap();
    fs::write(clean.path().join("ok.py"), "import replicate\n").unwrap();
    let run = run_in(clean.path(), &["check", "--output-format", "junit"]);
    assert_eq!(run.code, 0);
    let out = python(
        "import sys, xml.etree.ElementTree as ET\nr = ET.fromstring(sys.stdin.read())\nprint(r.get('failures'), len(r.findall('.//testcase')))",
        &run.stdout,
        &[],
    );
    assert_eq!(out, "0 1\n");
}

#[test]
fn json_lines_pylint_and_json_hold_one_finding_each() {
    let dir = project(true);
    let json: Vec<Value> = serde_json::from_str(&format(dir.path(), "json")).unwrap();
    let lines = format(dir.path(), "json-lines");
    let from_lines: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(from_lines, json);
    let pylint = format(dir.path(), "pylint");
    assert_eq!(pylint.lines().count(), json.len(), "{pylint}");
    for line in pylint.lines() {
        let (path, rest) = line
            .split_once(".py:")
            .or_else(|| line.split_once(".txt:"))
            .or_else(|| line.split_once(".ipynb:"))
            .unwrap();
        assert!(!path.contains('\n'));
        let (row, rest) = rest.split_once(": [").unwrap();
        assert!(row.parse::<usize>().is_ok(), "{line}");
        assert!(rest.starts_with("RM"), "{line}");
    }
    assert!(
        pylint.contains("app.py:4: [RM201] `run()` takes its input as `input=` in v2\n"),
        "{pylint}"
    );
    assert!(
        pylint.contains("demo.ipynb:1: [RM102] cell 2: "),
        "{pylint}"
    );
}

#[test]
fn markdown_reports_the_migration_per_guide_section() {
    let dir = project(false);
    let text = format(dir.path(), "markdown");
    assert!(
        text.starts_with("## Replicate SDK v2 migration\n\n| guide section | found | fixable |"),
        "{text}"
    );
    assert!(
        text.contains("| [Client initialization and authentication](https://github.com/replicate/replicate-python-beta/blob/main/UPGRADING.md#client-initialization-and-authentication) |"),
        "{text}"
    );
    assert!(text.contains("| [Dependency pins (RM95x)]("), "{text}");
    let total = text.lines().find(|l| l.starts_with("| **total**")).unwrap();
    let json: Vec<Value> = serde_json::from_str(&format(dir.path(), "json")).unwrap();
    assert!(
        total.starts_with(&format!("| **total** | **{}** |", json.len())),
        "{total}"
    );
    // After fixing, the table says what was fixed and what is left by hand (RM204).
    let run = run_in(dir.path(), &["fix", "--output-format", "markdown"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let streaming = run
        .stdout
        .lines()
        .find(|l| l.contains("Streaming output"))
        .unwrap();
    assert!(streaming.ends_with("| 1 | 0 | 0 | 1 |"), "{}", run.stdout);
}
