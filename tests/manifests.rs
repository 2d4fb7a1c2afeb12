//! Dependency manifests through the binary (issue 11, item 3): a `replicate` pin that keeps v1
//! is reported and fixed to a specifier that `packaging` (pip's) agrees selects 2.0.0b4, every
//! other byte of the file stays, and lock files are reported, never edited.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_replicate-migrate");

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

/// Whether pip would install 2.0.0b4 for each requirement string (one per line), by
/// `packaging`'s own rules (pre-releases only when a clause names one).
fn packaging_selects(requirements: &[&str]) -> Vec<bool> {
    let python = std::env::var("REPLICATE_MIGRATE_TOOLS_PYTHON")
        .expect("REPLICATE_MIGRATE_TOOLS_PYTHON is not set: run `bash scripts/test.sh`");
    let code = r#"
import sys
from packaging.requirements import Requirement
from packaging.version import Version
for line in sys.stdin.read().splitlines():
    r = Requirement(line)
    print(r.specifier.contains(Version("2.0.0b4")))
"#;
    let mut child = Command::new(python)
        .args(["-c", code])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(requirements.join("\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l == "True")
        .collect()
}

#[test]
fn a_requirements_pin_is_reported_and_fixed_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let before = "# deps\r\n-r base.txt\r\nreplicate[async]>=1.0.0,<2.0.0 ; python_version >= \"3.9\"  # pin\r\n\
                  opentelemetry-instrumentation-replicate==0.28.1\r\nrequests\r\n";
    fs::write(dir.path().join("requirements.txt"), before).unwrap();
    fs::write(dir.path().join("base.txt"), "replicate==1.0.7\n").unwrap();
    // Named on the command line it is a manifest, not Python (no RM000).
    let run = run_in(
        dir.path(),
        &["check", "--output-format", "concise", "requirements.txt"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(!run.stdout.contains("RM000"), "{}", run.stdout);
    assert!(
        run.stdout.starts_with("base.txt:1:1: RM950 [*] "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("requirements.txt:3:1: RM950 [*] "),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("opentelemetry"), "{}", run.stdout);
    let run = run_in(dir.path(), &["fix", "requirements.txt"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let after = fs::read_to_string(dir.path().join("requirements.txt")).unwrap();
    let spec_line = after.lines().nth(2).unwrap();
    assert_eq!(
        after,
        before.replace(
            ">=1.0.0,<2.0.0",
            &spec_line[16..spec_line.find(" ;").unwrap()]
        ),
        "only the specifier changed"
    );
    assert!(
        spec_line.starts_with("replicate[async]")
            && spec_line.ends_with(" ; python_version >= \"3.9\"  # pin")
    );
    let base = fs::read_to_string(dir.path().join("base.txt")).unwrap();
    let requirement = spec_line.split("  #").next().unwrap();
    assert_eq!(
        packaging_selects(&[requirement, base.trim()]),
        [true, true],
        "{requirement} / {base}"
    );
}

#[test]
fn pyproject_pins_are_fixed_and_nothing_else_moves() {
    let dir = tempfile::tempdir().unwrap();
    let before = r#"[project]
name = "app"
dependencies = [
    "replicate>=1.0.0,<2.0.0",
    "opentelemetry-instrumentation-replicate",
]

[project.optional-dependencies]
replicate = ["replicate[async]~=1.0"]

[project.entry-points.replicate]
plugin = "app.plugin"

[dependency-groups]
dev = ["replicate==1.0.7"]

[tool.poetry.dependencies]
replicate = "^1.0"

[[tool.mypy.overrides]]
module = "replicate.*"
ignore_missing_imports = true
"#;
    fs::write(dir.path().join("pyproject.toml"), before).unwrap();
    let run = run_in(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains(": RM95"))
        .collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(
        lines.iter().all(|l| l.contains("RM950 [*]")),
        "{}",
        run.stdout
    );
    run_in(dir.path(), &["fix"]);
    let after = fs::read_to_string(dir.path().join("pyproject.toml")).unwrap();
    // The lines without a replicate requirement are the same lines.
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(after.lines().count(), before.lines().count());
    assert_eq!(changed.len(), 4, "{after}");
    for (old, _) in &changed {
        assert!(old.contains("replicate"), "{old}");
    }
    let pep508: Vec<&str> = changed
        .iter()
        .filter_map(|(_, new)| new.split('"').nth(1))
        .filter(|r| r.starts_with("replicate"))
        .collect();
    assert_eq!(pep508.len(), 3, "{changed:?}");
    assert!(packaging_selects(&pep508).iter().all(|s| *s), "{pep508:?}");
    let again = run_in(dir.path(), &["check"]);
    assert_eq!(again.code, 0, "{}", again.stdout);
}

#[test]
fn lock_files_are_reported_and_never_edited() {
    let dir = tempfile::tempdir().unwrap();
    let lock = "[[package]]\nname = \"replicate\"\nversion = \"1.0.7\"\ndescription = \"Python client for Replicate\"\n";
    fs::write(dir.path().join("poetry.lock"), lock).unwrap();
    let run = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("poetry.lock:") && run.stdout.contains("RM951"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("RM951 [*]"), "{}", run.stdout);
    assert_eq!(
        fs::read_to_string(dir.path().join("poetry.lock")).unwrap(),
        lock
    );
}
