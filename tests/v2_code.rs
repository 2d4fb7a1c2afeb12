//! Already-v2 code stays silent (issue 10, item 3), through the binary.
//!
//! * In a project whose dependencies require replicate v2 (`replicate>=2.0.0b4,<3` in its
//!   requirements), the module-level API is v2's: code v2 accepts as written is not reported,
//!   code that fails on v2 still is, and the run says so (a note on stderr; `-v` names the
//!   files). A v1 pin, or none, changes nothing.
//! * `fix` leaves v2 code alone and fixes what fails on v2.
//!
//! The files-level part (v2 clients beside v1 code) is `fixtures/general/decoys-v2-client-beside-v1.py`.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_replicate-migrate");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// v2 code that v1 rules would read another way (v1 streamed server-sent events, returned
/// `True` from `delete`, iterated one page).
const V2_CODE: &str = "\
import replicate

for chunk in replicate.stream(\"owner/model\", input={\"prompt\": \"hi\"}):
    print(chunk)
if replicate.files.delete(file_id=\"f\"):
    print(\"deleted\")
for prediction in replicate.predictions.list():
    print(prediction.id)
client = replicate.Client(base_url=\"https://proxy.example.com/v1\")
for chunk in client.stream(\"owner/model\", input={}):
    print(chunk)
";

/// Code that fails on v2.
const FAILS_ON_V2: &str = "\
import replicate

prediction = replicate.predictions.get(\"abc\")
output = replicate.run(\"owner/model\", {\"prompt\": \"hi\"})


async def main():
    return await replicate.async_run(\"owner/model\", input={})
";

/// A repository (its root holds `.git`, where the search for manifests stops) with `pin` in
/// its requirements.txt and the two files under `src/`.
fn repo(pin: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".git/HEAD", "ref: refs/heads/main\n");
    if let Some(pin) = pin {
        write(
            dir.path(),
            "requirements.txt",
            &format!("{pin}\nhttpx>=0.27\n"),
        );
    }
    write(dir.path(), "src/v2.py", V2_CODE);
    write(dir.path(), "src/old.py", FAILS_ON_V2);
    dir
}

fn codes(stdout: &str, file: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.starts_with(file))
        .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
        .collect()
}

#[test]
fn a_project_requiring_v2_reports_only_what_fails_on_v2() {
    let dir = repo(Some("replicate>=2.0.0b4,<3"));
    let run = run_in(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        codes(&run.stdout, "src/v2.py"),
        Vec::<String>::new(),
        "{}",
        run.stdout
    );
    assert_eq!(
        codes(&run.stdout, "src/old.py"),
        ["RM301", "RM201", "RM207"],
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(
            "note: 2 files are in a project that requires replicate v2 (requirements.txt): code \
             v2 accepts as written is taken as v2 there and not reported; code that fails on v2 \
             still is"
        ),
        "{}",
        run.stderr
    );
    // -v names each file; -q says nothing.
    let verbose = run_in(dir.path(), &["check", "-v", "--output-format", "concise"]);
    assert!(
        verbose
            .stderr
            .contains("debug: src/v2.py: taken as v2 (its project requires replicate v2)"),
        "{}",
        verbose.stderr
    );
    let quiet = run_in(dir.path(), &["check", "-q", "--output-format", "concise"]);
    assert!(!quiet.stderr.contains("note:"), "{}", quiet.stderr);

    // Only v2 code: the run passes, and says why the v1 readings were not reported.
    fs::remove_file(dir.path().join("src/old.py")).unwrap();
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("All checks passed!"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("note: 1 file is in a project that requires replicate v2"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_v1_pin_or_none_changes_nothing() {
    for pin in [
        None,
        Some("replicate==1.0.7"),
        Some("replicate"),
        Some("replicate>=1.0"),
    ] {
        let dir = repo(pin);
        let run = run_in(dir.path(), &["check", "--output-format", "concise"]);
        assert_eq!(run.code, 1);
        assert_eq!(
            codes(&run.stdout, "src/v2.py"),
            ["RM204", "RM325", "RM318", "RM101", "RM204"],
            "{pin:?}: {}",
            run.stdout
        );
        assert_eq!(codes(&run.stdout, "src/old.py").len(), 3, "{pin:?}");
        assert!(!run.stderr.contains("note:"), "{pin:?}: {}", run.stderr);
    }
}

#[test]
fn fix_leaves_v2_code_alone_in_a_project_requiring_v2() {
    let dir = repo(Some("replicate>=2.0.0b4,<3"));
    let run = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("src/v2.py")).unwrap(),
        V2_CODE
    );
    let fixed = fs::read_to_string(dir.path().join("src/old.py")).unwrap();
    assert!(
        fixed.contains("replicate.predictions.get(prediction_id=\"abc\")")
            && fixed.contains("replicate.run(\"owner/model\", input={\"prompt\": \"hi\"})"),
        "{fixed}\n{}{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("requirements.txt")).unwrap(),
        "replicate>=2.0.0b4,<3\nhttpx>=0.27\n"
    );
}

#[test]
fn the_manifests_are_read_before_fix_rewrites_a_pin() {
    // `fix` rewrites the v1 pin in this run; the run's Python files are still read as the
    // project stood: on v1, so the v1 readings are fixed.
    let dir = repo(Some("replicate==1.0.7"));
    let run = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("requirements.txt")).unwrap(),
        "replicate==2.0.0b4\nhttpx>=0.27\n",
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert_ne!(
        fs::read_to_string(dir.path().join("src/v2.py")).unwrap(),
        V2_CODE
    );
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
}

/// Which pins count as "requires v2": those that admit no 1.x, by `packaging`'s own reading of
/// the specifier (over the 1.x releases of replicate and a few around them).
#[test]
fn requires_v2_agrees_with_packaging() {
    let specs = [
        ">=2.0.0b4,<3",
        ">=2",
        "==2.0.0b4",
        "~=2.0",
        "==2.*",
        ">2.0.0b3",
        "",
        ">=1.0",
        "==1.0.7",
        "<3",
        "!=1.0.7",
        ">=1,<2",
        "~=1.0",
        "==1.*",
        ">=0.1,!=1.0.7",
    ];
    let python = std::env::var("REPLICATE_MIGRATE_TOOLS_PYTHON")
        .expect("REPLICATE_MIGRATE_TOOLS_PYTHON is not set: run `bash scripts/test.sh`");
    let code = r#"
import sys
from packaging.specifiers import SpecifierSet
v1 = ["0.1.0", "0.25.2", "0.34.2", "1.0.0", "1.0.4", "1.0.7", "1.1.0b3", "1.99.99"]
for line in sys.stdin.read().split("\n"):
    s = SpecifierSet(line)
    print(not any(s.contains(v, prereleases=True) for v in v1))
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
        .write_all(specs.join("\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let expected: Vec<bool> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l == "True")
        .collect();
    assert_eq!(expected.len(), specs.len());
    for (spec, expected) in specs.iter().zip(expected) {
        let dir = repo(Some(&format!("replicate{spec}")));
        fs::remove_file(dir.path().join("src/old.py")).unwrap();
        let run = run_in(dir.path(), &["check", "--output-format", "concise"]);
        let on_v2 = run.stderr.contains("requires replicate v2");
        assert_eq!(
            on_v2, expected,
            "replicate{spec}: {}{}",
            run.stdout, run.stderr
        );
        // Its v2 code is reported as v1's unless the project is on v2 (the pin itself may still
        // be RM950: `>=2` does not select the pre-release 2.0.0b4).
        assert_eq!(
            codes(&run.stdout, "src/v2.py").is_empty(),
            on_v2,
            "replicate{spec}: {}",
            run.stdout
        );
    }
}
