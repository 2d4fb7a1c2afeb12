//! End-to-end tests of the `replicate-migrate` binary: exit codes, output formats, file
//! discovery (excludes, `.gitignore`), files the tool cannot parse or read, and `rule`.
//!
//! Each test works in its own temporary directory, usually a copy of `tests/cli/project/` (see its
//! README.md), and runs the binary there with relative paths, so the output names no temporary
//! path. Human output is snapshotted with insta (`tests/snapshots/cli__*.snap`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_replicate-migrate");

/// One run of the binary.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn finish(output: Output) -> Run {
    Run {
        code: output
            .status
            .code()
            .expect("the binary exits normally, not by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    finish(
        Command::new(BIN)
            .args(args)
            .current_dir(dir)
            .env_remove("RUST_BACKTRACE")
            .output()
            .expect("the binary starts"),
    )
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("a file has a parent")).unwrap();
    fs::write(&path, text).unwrap();
    path
}

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    fs::read(dir.join(rel)).unwrap()
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path.
fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let file_type = entry.file_type().unwrap();
            if file_type.is_dir() {
                stack.push(entry.path());
            } else if file_type.is_file() {
                out.push((entry.path(), fs::read(entry.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A temporary copy of `tests/cli/project/`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/project"),
        dir.path(),
    );
    dir
}

const V1_RUN: &str =
    "import replicate\n\noutput = replicate.run(\"owner/model\", {\"prompt\": \"hi\"})\n";
const V1_RUN_FIXED: &str =
    "import replicate\n\noutput = replicate.run(\"owner/model\", input={\"prompt\": \"hi\"})\n";
const V2_RUN: &str = "import replicate\n\noutput = replicate.run(\"owner/model\", input={})\n";
/// RM204 has no fix, so this stays after `fix`.
const V1_STREAM: &str =
    "import replicate\n\nfor event in replicate.stream(model, input={}):\n    print(event)\n";

// ---------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn check_exits_0_when_nothing_is_found() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V2_RUN);
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "All checks passed!\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn check_exits_1_on_findings_and_changes_nothing() {
    let dir = project();
    let before = snapshot_tree(dir.path());
    let run = run_in(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(snapshot_tree(dir.path()), before, "check must not write");
    insta::assert_snapshot!("check_project_concise", run.stdout);
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    for args in [
        &["check", "--no-such-flag"][..],
        &["fix", "--no-such-flag"],
        &["check", "--output-format", "xml"],
        &["frobnicate"],
    ] {
        let run = run_in(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("error:"), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
    }
    assert_eq!(read(dir.path(), "app.py"), V1_RUN.as_bytes());
}

#[test]
fn missing_path_is_a_usage_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    for sub in ["check", "fix"] {
        let run = run_in(dir.path(), &[sub, "app.py", "no/such/dir"]);
        assert_eq!(run.code, 2, "{sub}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("no/such/dir"), "{sub}: {}", run.stderr);
    }
    assert_eq!(
        read(dir.path(), "app.py"),
        V1_RUN.as_bytes(),
        "nothing written"
    );
}

#[test]
fn invalid_exclude_glob_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    let run = run_in(dir.path(), &["check", "--exclude", "[unclosed"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("[unclosed"), "{}", run.stderr);
}

#[test]
fn fix_exits_0_when_nothing_remains() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    let run = run_in(dir.path(), &["fix"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(read(dir.path(), "app.py"), V1_RUN_FIXED.as_bytes());
    assert_eq!(run.stdout, "Found 1 error (1 fixed, 0 remaining).\n");
}

#[test]
fn fix_exits_1_when_something_remains() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    write(dir.path(), "stream.py", V1_STREAM);
    let run = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(read(dir.path(), "app.py"), V1_RUN_FIXED.as_bytes());
    assert_eq!(read(dir.path(), "stream.py"), V1_STREAM.as_bytes());
    insta::assert_snapshot!("fix_remaining_concise", run.stdout);
}

#[test]
fn second_fix_changes_nothing() {
    let dir = project();
    let first = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    assert_eq!(first.code, 1, "RM000 and RM204 remain: {}", first.stdout);
    let after_first = snapshot_tree(dir.path());
    insta::assert_snapshot!("fix_project_first_run", first.stdout);

    let second = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    assert_eq!(second.code, 1);
    assert_eq!(
        snapshot_tree(dir.path()),
        after_first,
        "the second fix wrote"
    );
    insta::assert_snapshot!("fix_project_second_run", second.stdout);

    let diff = run_in(dir.path(), &["fix", "--diff", "--quiet"]);
    assert_eq!(diff.code, 0, "nothing would change: {}", diff.stdout);
    assert!(!diff.stdout.contains("@@"), "{}", diff.stdout);
}

#[test]
fn fix_rewrites_the_project() {
    let dir = project();
    run_in(dir.path(), &["fix"]);
    let text = |rel: &str| String::from_utf8(read(dir.path(), rel)).unwrap();
    insta::assert_snapshot!("project_fixed_app", text("src/app.py"));
    insta::assert_snapshot!("project_fixed_service", text("src/service.py"));
    insta::assert_snapshot!("project_fixed_batch", text("scripts/batch.py"));
}

// ---------------------------------------------------------------------------------------------
// fix --diff

#[test]
fn fix_diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = project();
    let before = snapshot_tree(dir.path());
    let run = run_in(dir.path(), &["fix", "--diff", "--output-format", "concise"]);
    assert_eq!(
        run.code, 1,
        "files would change: {}{}",
        run.stdout, run.stderr
    );
    assert_eq!(
        snapshot_tree(dir.path()),
        before,
        "fix --diff must not write"
    );
    assert!(
        run.stdout.contains("--- src/app.py\n+++ src/app.py\n@@ "),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!("fix_diff_project", run.stdout);
}

#[test]
fn fix_diff_exits_0_when_nothing_would_change() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clean.py", V2_RUN);
    let run = run_in(dir.path(), &["fix", "--diff"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("@@"), "{}", run.stdout);
    assert!(!run.stdout.contains("Would fix"), "{}", run.stdout);

    // A finding without a fix is reported, but nothing would change.
    write(dir.path(), "stream.py", V1_STREAM);
    let run = run_in(dir.path(), &["fix", "--diff", "--output-format", "concise"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("@@"), "{}", run.stdout);
    assert!(
        run.stdout.contains("stream.py:3:14: RM204"),
        "{}",
        run.stdout
    );
    assert_eq!(read(dir.path(), "stream.py"), V1_STREAM.as_bytes());
}

// ---------------------------------------------------------------------------------------------
// Output formats

#[test]
fn output_format_full() {
    let dir = project();
    let run = run_in(dir.path(), &["check", "src/app.py"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("check_app_full", run.stdout);
    // `full` is the default.
    let explicit = run_in(
        dir.path(),
        &["check", "--output-format", "full", "src/app.py"],
    );
    assert_eq!(explicit.stdout, run.stdout);
}

#[test]
fn output_format_concise_quiet_has_no_summary() {
    let dir = project();
    let run = run_in(
        dir.path(),
        &["check", "--output-format", "concise", "--quiet", "src"],
    );
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains("Found"), "{}", run.stdout);
    for line in run.stdout.lines() {
        assert!(line.starts_with("src/"), "one finding per line: {line}");
    }
}

#[test]
fn output_format_json() {
    let dir = project();
    let run = run_in(dir.path(), &["check", "--output-format", "json"]);
    assert_eq!(run.code, 1);
    let json: Value = serde_json::from_str(&run.stdout).expect("stdout is one JSON document");
    let items = json.as_array().expect("a JSON array of findings");
    assert_eq!(items.len(), 10, "{}", run.stdout);
    for item in items {
        assert!(item["filename"].is_string(), "{item}");
        assert!(item["code"].as_str().unwrap().starts_with("RM"), "{item}");
        assert!(item["location"]["row"].as_u64().unwrap() >= 1, "{item}");
        assert!(item["location"]["column"].as_u64().unwrap() >= 1, "{item}");
        assert!(
            item.get("fix").is_some(),
            "`fix` is present (maybe null): {item}"
        );
    }
    let rm104 = items
        .iter()
        .find(|i| i["code"] == "RM104")
        .expect("RM104 in src/app.py");
    assert_eq!(rm104["filename"], "src/app.py");
    assert_eq!(rm104["location"]["row"], 5);
    assert_eq!(rm104["fix"]["applicability"], "safe");
    assert_eq!(rm104["fix"]["edits"][0]["content"], "bearer_token");
    let rm204 = items.iter().find(|i| i["code"] == "RM204").unwrap();
    assert!(rm204["fix"].is_null(), "RM204 has no fix: {rm204}");
    let rm000 = items.iter().find(|i| i["code"] == "RM000").unwrap();
    assert_eq!(rm000["filename"], "legacy/broken.py");

    // Sorted by file, then position.
    let keys: Vec<(String, u64, u64)> = items
        .iter()
        .map(|i| {
            (
                i["filename"].as_str().unwrap().to_string(),
                i["location"]["row"].as_u64().unwrap(),
                i["location"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn output_format_json_for_fix_lists_what_remains() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    write(dir.path(), "stream.py", V1_STREAM);
    let run = run_in(dir.path(), &["fix", "--output-format", "json"]);
    assert_eq!(run.code, 1);
    let json: Value = serde_json::from_str(&run.stdout).expect("stdout is one JSON document");
    let codes: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["RM204"]);
}

// ---------------------------------------------------------------------------------------------
// Discovery

#[test]
fn exclude_glob_on_file_and_directory_names() {
    let dir = project();
    let files = |run: &Run| -> Vec<String> {
        let mut names: Vec<String> = run
            .stdout
            .lines()
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect();
        names.dedup();
        names
    };
    let all = run_in(dir.path(), &["check", "-q", "--output-format", "concise"]);
    assert_eq!(
        files(&all),
        [
            "legacy/broken.py",
            "scripts/batch.py",
            "src/app.py",
            "src/service.py"
        ]
    );
    let args = ["check", "-q", "--output-format", "concise", "--exclude"];
    let run = run_in(dir.path(), &[&args[..], &["legacy"]].concat());
    assert_eq!(
        files(&run),
        ["scripts/batch.py", "src/app.py", "src/service.py"]
    );
    let run = run_in(
        dir.path(),
        &[&args[..], &["service.py", "--exclude", "b*.py"]].concat(),
    );
    assert_eq!(files(&run), ["src/app.py"]);
    let run = run_in(dir.path(), &[&args[..], &["**/scripts/*.py"]].concat());
    assert_eq!(
        files(&run),
        ["legacy/broken.py", "src/app.py", "src/service.py"]
    );
    // `fix` honours it too: the excluded file is not written.
    let before = read(dir.path(), "scripts/batch.py");
    run_in(dir.path(), &["fix", "--exclude", "scripts"]);
    assert_eq!(read(dir.path(), "scripts/batch.py"), before);
    assert_ne!(
        read(dir.path(), "src/app.py"),
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/project/src/app.py"))
            .unwrap()
    );
}

#[test]
fn exclude_glob_on_a_relative_path() {
    let dir = project();
    let run = run_in(
        dir.path(),
        &[
            "check",
            "-q",
            "--output-format",
            "concise",
            "--exclude",
            "src/app.py",
        ],
    );
    assert!(!run.stdout.contains("src/app.py"), "{}", run.stdout);
}

#[test]
fn default_excludes_skip_virtualenvs_unless_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V2_RUN);
    write(
        dir.path(),
        ".venv/lib/python3.11/site-packages/dep.py",
        V1_RUN,
    );
    write(dir.path(), "venv/dep.py", V1_RUN);
    write(dir.path(), "pkg/venv/nested.py", V1_RUN);
    write(dir.path(), "build/lib/gen.py", V1_RUN);
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);

    // A file named on the command line is processed even inside an excluded directory, and so
    // is an excluded directory named as a root.
    let args = ["check", "-q", "--output-format", "concise"];
    let run = run_in(dir.path(), &[&args[..], &["venv/dep.py"]].concat());
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("venv/dep.py:3:10: RM201"),
        "{}",
        run.stdout
    );
    let run = run_in(
        dir.path(),
        &[&args[..], &[".venv/lib/python3.11/site-packages/dep.py"]].concat(),
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    // Named as a root, `.venv` is searched, but `site-packages` below it is still excluded.
    write(dir.path(), ".venv/tool.py", V1_RUN);
    let run = run_in(dir.path(), &[&args[..], &[".venv"]].concat());
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(
        run.stdout.starts_with(".venv/tool.py:3:10: RM201"),
        "{}",
        run.stdout
    );

    let run = run_in(dir.path(), &["fix", "venv/dep.py"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(read(dir.path(), "venv/dep.py"), V1_RUN_FIXED.as_bytes());
    assert_eq!(
        read(dir.path(), ".venv/lib/python3.11/site-packages/dep.py"),
        V1_RUN.as_bytes()
    );
}

#[test]
fn gitignore_is_honoured_without_a_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V2_RUN);
    write(dir.path(), ".gitignore", "generated/\n/old_*.py\n");
    write(dir.path(), "generated/client.py", V1_RUN);
    write(dir.path(), "old_main.py", V1_RUN);
    write(dir.path(), "sub/old_main.py", V1_RUN);
    let run = run_in(dir.path(), &["check", "-q", "--output-format", "concise"]);
    assert_eq!(
        run.stdout,
        "sub/old_main.py:3:10: RM201 [*] `run()` takes its input as `input=` in v2\n"
    );
    let run = run_in(dir.path(), &["fix"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(read(dir.path(), "generated/client.py"), V1_RUN.as_bytes());
    assert_eq!(read(dir.path(), "old_main.py"), V1_RUN.as_bytes());
}

#[test]
fn files_that_never_mention_the_sdk_are_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "plain.py",
        "import subprocess\nsubprocess.run([\"ls\"])\n",
    );
    // Not even when they do not parse: they are never parsed.
    write(dir.path(), "broken.py", "def broken(:\n    pass\n");
    write(dir.path(), "notes.txt", "replicate.run(\"owner/model\")\n");
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stdout, "All checks passed!\n");
}

#[test]
fn output_is_sorted_and_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    // Enough files that the parallel workers finish out of order.
    for i in 0..40 {
        write(
            dir.path(),
            &format!("pkg{}/mod_{:02}.py", i % 4, 39 - i),
            V1_RUN,
        );
        write(
            dir.path(),
            &format!("pkg{}/s_{:02}.py", i % 3, i),
            V1_STREAM,
        );
    }
    for format in ["concise", "full", "json"] {
        let args = ["check", "--output-format", format];
        let first = run_in(dir.path(), &args);
        let second = run_in(dir.path(), &args);
        assert_eq!(first.code, 1);
        assert_eq!(
            first.stdout, second.stdout,
            "{format} output differs between runs"
        );
    }
    let run = run_in(dir.path(), &["check", "-q", "--output-format", "concise"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 80);
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "findings are sorted by path");

    let diff1 = run_in(dir.path(), &["fix", "--diff"]);
    let diff2 = run_in(dir.path(), &["fix", "--diff"]);
    assert_eq!(diff1.stdout, diff2.stdout);
}

// ---------------------------------------------------------------------------------------------
// Files that cannot be parsed or read

#[test]
fn syntax_error_is_reported_and_left_alone_while_other_files_are_fixed() {
    let dir = project();
    let broken_before = read(dir.path(), "legacy/broken.py");
    let run = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "legacy/broken.py:5:11: RM000 SyntaxError: '(' was never closed (legacy/broken.py:5:11)"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(
        read(dir.path(), "legacy/broken.py"),
        broken_before,
        "never changed"
    );
    assert_eq!(
        read(dir.path(), "scripts/batch.py"),
        b"import replicate as r\n\nfor prompt in [\"a\", \"b\"]:\n    print(r.run(\"owner/model\", input={\"prompt\": prompt}))\n"
    );
    let run = run_in(dir.path(), &["check", "legacy/broken.py"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("syntax_error_full", run.stdout);
}

/// Runs the binary as user `nobody` when this process can read anything (root), so that file
/// permissions apply. None when that is impossible here.
fn command_that_respects_permissions(probe: &Path) -> Option<Command> {
    if fs::read(probe).is_err() {
        return Some(Command::new(BIN));
    }
    let unprivileged = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    let succeeds = |program: &[&str]| {
        Command::new("setpriv")
            .args(unprivileged)
            .args(program)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    // `setpriv` must work at all, and the probe must then be unreadable.
    if !succeeds(&[BIN, "--version"]) || succeeds(&["cat", &probe.display().to_string()]) {
        return None;
    }
    let mut cmd = Command::new("setpriv");
    cmd.args(unprivileged).arg(BIN);
    Some(cmd)
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported_and_the_run_continues() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    write(dir.path(), "a_locked.py", V1_RUN);
    write(dir.path(), "b_open.py", V1_RUN);
    let locked = dir.path().join("a_locked.py");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let Some(mut cmd) = command_that_respects_permissions(&locked) else {
        eprintln!(
            "skipped: running with privileges that ignore file permissions, and `setpriv` \
             cannot drop them here"
        );
        return;
    };
    let output = cmd
        .args(["check", "--output-format", "concise", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let run = finish(output);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "a_locked.py:1:1: RM001 cannot read a_locked.py: permission denied\n\
         b_open.py:3:10: RM201 [*] `run()` takes its input as `input=` in v2\n\
         Found 2 errors.\n\
         [*] 1 fixable with `replicate-migrate fix`.\n"
    );
}

#[cfg(unix)]
#[test]
fn write_failure_is_an_error_naming_the_file() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("ro");
    write(dir.path(), "ro/app.py", V1_RUN);
    // Readable by everyone, but nobody may create the temporary file beside it.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o555)).unwrap();
    let probe = write(dir.path(), "probe", "x");
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let Some(mut cmd) = command_that_respects_permissions(&probe) else {
        eprintln!("skipped: cannot make a directory unwritable for the binary here");
        return;
    };
    let run = finish(
        cmd.args(["fix", "ro"])
            .current_dir(dir.path())
            .output()
            .unwrap(),
    );
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("cannot write ro/app.py: permission denied")
            || run
                .stderr
                .contains("cannot write ro/app.py: permission denied"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(read(dir.path(), "ro/app.py"), V1_RUN.as_bytes());
}

#[cfg(unix)]
#[test]
fn dangling_symlinks_and_fifos_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    std::os::unix::fs::symlink(dir.path().join("gone.py"), dir.path().join("dangling.py")).unwrap();
    let fifo = dir.path().join("pipe.py");
    let have_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !have_fifo {
        eprintln!("note: `mkfifo` is unavailable; only the dangling symlink is tested");
    }
    // Reading a FIFO with no writer would block forever: run with a deadline.
    let mut child = Command::new(BIN)
        .args(["check", "--output-format", "concise", "."])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("check hung on a FIFO or a dangling symlink");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let run = finish(child.wait_with_output().unwrap());
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "app.py:3:10: RM201 [*] `run()` takes its input as `input=` in v2\n\
         Found 1 error.\n\
         [*] 1 fixable with `replicate-migrate fix`.\n"
    );
}

// ---------------------------------------------------------------------------------------------
// rule, --version

#[test]
fn rule_prints_its_docs() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["rule", "RM104"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("rule_rm104", run.stdout);
    let by_name = run_in(dir.path(), &["rule", "client-api-token"]);
    assert_eq!(by_name.code, 0);
    assert_eq!(by_name.stdout, run.stdout);
}

#[test]
fn rule_all_prints_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["rule", "--all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let codes: Vec<String> = (101..=111)
        .chain(201..=205)
        .map(|n| format!("RM{n}"))
        .collect();
    for code in &codes {
        assert!(
            run.stdout.contains(&format!("({code})\n")),
            "{code} missing"
        );
    }
    let single = run_in(dir.path(), &["rule", "RM104"]);
    assert!(
        run.stdout.contains(&single.stdout),
        "`--all` holds `rule RM104` verbatim"
    );
    // Every heading names a distinct rule.
    let headings: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("# ")).collect();
    let mut unique = headings.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), headings.len());
}

#[test]
fn rule_unknown_code_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["rule", "RM999"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("RM999"), "{}", run.stderr);
    assert!(
        run.stderr.contains("rule --all"),
        "says how to list the rules: {}",
        run.stderr
    );
    let run = run_in(dir.path(), &["rule"]);
    assert_eq!(run.code, 2, "a rule or --all is required");
}

#[test]
fn rule_output_formats() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(
        dir.path(),
        &["rule", "--all", "--output-format", "markdown"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("| RM"))
        .collect();
    assert!(
        rows.iter()
            .any(|r| r.starts_with("| RM104 | `client-api-token` |")),
        "{}",
        run.stdout
    );
    assert!(
        rows.iter().any(|r| r.starts_with("| RM205 |")),
        "{}",
        run.stdout
    );
    for args in [
        &["rule", "RM104", "--output-format", "json"][..],
        &["rule", "RM104", "--output-format", "markdown"],
    ] {
        let run = run_in(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(
            run.stderr.contains("output format"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn rule_shows_the_mapping_rows_text() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["rule", "RM306"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The v1 and v2 forms of each row it implements, and the correction that overrides them.
    for expected in [
        "## Mapping rows (api-mapping.md)\n- P09 (section 4, mechanical: yes)\n",
        "  v1: `create(..., wait=True)` / `wait=N`",
        "  v2: `create(..., prefer=\"wait\")` / `prefer=f\"wait={N}\"`",
        "- MD17 (section 6, mechanical: yes-if-literal)",
        "- correction 0b.1 (overrides P09, P11, MD17, D11): **P09 / P11 / MD17 / D11: v1 drops",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected}\n---\n{}",
            run.stdout
        );
    }
    // Every rule's rows are shown with their text, none by ID alone.
    let all = run_in(dir.path(), &["rule", "--all"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    for line in all
        .stdout
        .lines()
        .filter(|l| l.starts_with("Mapping rows: "))
    {
        for id in line["Mapping rows: ".len()..].split(", ") {
            assert!(
                all.stdout.contains(&format!("\n- {id} (section ")),
                "row {id} has no text in `rule --all`"
            );
        }
    }
}

#[test]
fn rule_coverage_prints_the_ratchet_counts() {
    let dir = tempfile::tempdir().unwrap();
    let text = run_in(dir.path(), &["rule", "--coverage"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let json = run_in(
        dir.path(),
        &["rule", "--coverage", "--output-format", "json"],
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    let c: Value = serde_json::from_str(&json.stdout).expect("JSON");
    let n = |v: &Value| v.as_u64().unwrap() as usize;

    // The totals are the committed data files'.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mapping: Value =
        serde_json::from_str(&fs::read_to_string(root.join("mapping_rows.json")).unwrap()).unwrap();
    let rows = mapping["rows"].as_array().unwrap();
    let v2_only = rows.iter().filter(|r| r["mech"] == "n/a").count();
    let surface: Value =
        serde_json::from_str(&fs::read_to_string(root.join("v1_surface.json")).unwrap()).unwrap();
    let m = &c["mapping_rows"];
    assert_eq!(n(&m["total"]), rows.len());
    assert_eq!(n(&m["v2_only"]), v2_only);
    assert_eq!(n(&m["v1"]), rows.len() - v2_only);
    // Every v1 row is cited or excused, and the reasons add up.
    assert_eq!(n(&m["cited"]) + n(&m["unchanged"]), n(&m["v1"]));
    let by_reason: usize = m["unchanged_by_reason"]
        .as_object()
        .unwrap()
        .values()
        .map(n)
        .sum();
    assert_eq!(by_reason, n(&m["unchanged"]));
    let s = &c["v1_surface"];
    assert_eq!(
        n(&s["total"]),
        surface["elements"].as_array().unwrap().len()
    );
    assert_eq!(
        n(&s["with_rows"]) + n(&s["unchanged"]) - n(&s["partial"]),
        n(&s["total"])
    );
    assert_eq!(c["problems"], serde_json::json!([]));
    // The rows cited are those the rule table counts.
    let table = run_in(
        dir.path(),
        &["rule", "--all", "--output-format", "markdown"],
    );
    assert!(
        table.stdout.contains(&format!(
            "cover {} of the {} v1 rows",
            n(&m["cited"]),
            n(&m["v1"])
        )),
        "{}",
        table.stdout
    );

    // The text form says the same.
    let first = text.stdout.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "api-mapping.md: {} rows ({} v1, {} v2-only); {} cited by a rule, {} in unchanged.toml:",
            n(&m["total"]),
            n(&m["v1"]),
            n(&m["v2_only"]),
            n(&m["cited"]),
            n(&m["unchanged"])
        )
    );
    for (reason, count) in m["unchanged_by_reason"].as_object().unwrap() {
        assert!(
            text.stdout
                .contains(&format!("  {reason:<15} {:>3}\n", n(count))),
            "{reason}: {}",
            text.stdout
        );
    }
    assert!(
        text.stdout.contains(&format!(
            "v1_surface.json: {} elements; {} with rows in v1_rows.toml, {} in unchanged.toml",
            n(&s["total"]),
            n(&s["with_rows"]),
            n(&s["unchanged"])
        )),
        "{}",
        text.stdout
    );

    // Usage errors.
    for args in [
        &["rule", "--coverage", "RM104"][..],
        &["rule", "--coverage", "--all"],
        &["rule", "--coverage", "--output-format", "markdown"],
    ] {
        let run = run_in(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
    }
}

#[test]
fn version() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!("replicate-migrate {}\n", env!("CARGO_PKG_VERSION"))
    );
}

// ---------------------------------------------------------------------------------------------
// Bugs that a fixture cannot hold (the rule tests assert that no RM00x finding appears)

#[test]
fn failed_validation_disables_a_rule_only_for_that_call() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import replicate\n\
         a = replicate.Client(verify=False, **opts)\n\
         b = replicate.Client(api_token=\"t\")\n",
    );
    let run = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    let text = String::from_utf8(read(dir.path(), "app.py")).unwrap();
    assert!(
        text.contains("b = replicate.Replicate(bearer_token=\"t\")"),
        "{text}\n{}",
        run.stdout
    );
}

#[test]
fn base_url_fix_converges_when_the_class_is_not_renamed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import replicate\n\
         a = replicate.Client(verify=False, **opts)\n\
         b = replicate.Client(base_url=\"https://proxy.example.com\")\n",
    );
    let run = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    assert!(!run.stdout.contains("RM004"), "{}", run.stdout);
    let text = String::from_utf8(read(dir.path(), "app.py")).unwrap();
    assert!(text.contains("\"https://proxy.example.com/v1\""), "{text}");
}

#[test]
fn fix_keeps_reporting_base_url_expressions() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import os\nimport replicate\nc = replicate.Client(base_url=os.environ[\"URL\"])\n",
    );
    let run = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    assert_eq!(
        run.code, 1,
        "RM107 (unsafe fix only) remains: {}",
        run.stdout
    );
    assert!(run.stdout.contains("RM107"), "{}", run.stdout);
}

#[test]
fn output_format_sarif() {
    let dir = project();
    let run = run_in(dir.path(), &["check", "--output-format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log: Value = serde_json::from_str(&run.stdout).expect("stdout is one SARIF document");
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "replicate-migrate");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "RM104"));
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 10, "{}", run.stdout);
    let rm104 = results.iter().find(|r| r["ruleId"] == "RM104").unwrap();
    let location = &rm104["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/app.py");
    assert_eq!(location["region"]["startLine"], 5);
}

#[test]
fn output_format_github() {
    let dir = project();
    let run = run_in(dir.path(), &["check", "--output-format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let commands: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), 10, "{}", run.stdout);
    assert!(
        commands
            .iter()
            .any(|l| l
                .starts_with("::error title=replicate-migrate (RM104),file=src/app.py,line=5,")),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Output that cannot be forged (issue 12, item 8)

/// A file name with a newline must not start a workflow command of its own (GitHub reads one
/// command per line: `::stop-commands::` would silence every later annotation).
#[cfg(unix)]
#[test]
fn github_output_escapes_file_names_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "a\n::stop-commands::pwned\n::warning file=evil.py::x.py";
    write(dir.path(), evil, V1_RUN);
    write(dir.path(), "100%,a:b.py", V1_RUN);
    let run = run_in(dir.path(), &["check", "--output-format", "github"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "one command per finding: {}", run.stdout);
    for line in &lines {
        assert!(
            line.starts_with("::error title=replicate-migrate (RM201),file="),
            "{line}"
        );
        // After the properties, exactly one `::` separates them from the message.
        let (properties, message) = line[2..].split_once("::").unwrap();
        assert!(!message.contains("\n"), "{line}");
        let file = properties
            .split(",file=")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap();
        assert!(!file.contains(':') && !file.contains("%,"), "{line}");
    }
    assert!(
        lines.iter().any(|l| l
            .contains("file=100%25%2Ca%3Ab.py,line=3,col=10,endLine=3,endColumn=")
            && l.contains("::100%25,a:b.py:3:10: RM201 ")),
        "{}",
        run.stdout
    );
    assert!(
        lines.iter().any(|l| l
            .contains("::a%0A::stop-commands::pwned%0A::warning file=evil.py::x.py:3:10: RM201")),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Honest results (issue 12, item 7)

#[test]
fn no_files_found_is_said_and_never_all_checks_passed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "replicate\n");
    for sub in ["check", "fix"] {
        let run = run_in(dir.path(), &[sub]);
        assert_eq!(run.code, 0, "{sub}: {}{}", run.stdout, run.stderr);
        assert_eq!(run.stdout, "", "{sub}");
        assert!(
            run.stderr.contains("No Python files found"),
            "{sub}: {}",
            run.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn unreadable_subdirectory_is_reported() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    write(dir.path(), "ok.py", V2_RUN);
    write(dir.path(), "locked/app.py", V1_RUN);
    let locked = dir.path().join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let probe = write(dir.path(), "probe", "x");
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let Some(mut cmd) = command_that_respects_permissions(&probe) else {
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        panic!("cannot drop privileges here (setpriv); this test needs them to run");
    };
    let run = finish(
        cmd.args(["check", "--output-format", "concise"])
            .current_dir(dir.path())
            .output()
            .unwrap(),
    );
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("locked:1:1: RM001 cannot read locked: permission denied"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("All checks passed"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_named_symlink_loop_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("loop.py", dir.path().join("loop.py")).unwrap();
    let run = run_in(dir.path(), &["check", "loop.py"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("loop.py: symlink loop"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_same_file_named_twice_is_processed_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "app.py",
            "./app.py",
            ".",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout.matches("RM201").count(),
        1,
        "one finding: {}",
        run.stdout
    );
    let run = run_in(dir.path(), &["fix", "app.py", "./app.py"]);
    assert_eq!(run.stdout, "Found 1 error (1 fixed, 0 remaining).\n");
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_error_on_stdout_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = Command::new(BIN)
        .args(["check"])
        .current_dir(dir.path())
        .stdout(full)
        .output()
        .unwrap();
    let run = finish(output);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot write to stdout"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn dev_stdin_does_not_pass_silently() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(["check", "--output-format", "concise", "/dev/stdin"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(V1_RUN.as_bytes())
        .unwrap();
    let run = finish(child.wait_with_output().unwrap());
    assert_ne!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("All checks passed"), "{}", run.stdout);
    assert!(run.stdout.contains("/dev/stdin"), "{}", run.stdout);
}

#[test]
fn a_named_file_of_another_kind_is_skipped_out_loud() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "notes.txt",
        "replicate.run(\"owner/model\", {})\n",
    );
    let run = run_in(dir.path(), &["check", "notes.txt"]);
    assert!(!run.stdout.contains("RM000"), "{}", run.stdout);
    assert!(run.stderr.contains("notes.txt"), "{}", run.stderr);
    assert!(!run.stdout.contains("All checks passed"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// stdin (issue 11, item 8)

fn run_with_stdin(dir: &Path, args: &[&str], input: &str) -> Run {
    use std::io::Write as _;
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
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
    finish(child.wait_with_output().unwrap())
}

#[test]
fn stdin_is_checked_under_its_filename_and_fix_writes_it_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "check",
        "--output-format",
        "concise",
        "--stdin-filename",
        "src/app.py",
        "-",
    ];
    let run = run_with_stdin(dir.path(), &args, V1_RUN);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with("src/app.py:3:10: RM201 [*] "),
        "{}",
        run.stdout
    );
    let run = run_with_stdin(
        dir.path(),
        &["fix", "--stdin-filename", "app.py", "-"],
        V1_RUN,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, V1_RUN_FIXED);
    assert!(run.stderr.contains("1 fixed"), "{}", run.stderr);
    // Nothing to fix: the input comes back unchanged.
    let run = run_with_stdin(dir.path(), &["fix", "-"], "print('hi')\n");
    assert_eq!(run.stdout, "print('hi')\n");
    assert_eq!(run.code, 0);
    // A notebook on stdin, by its name.
    let nb = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/notebooks/indent2_unsorted.ipynb"),
    )
    .unwrap();
    let args = [
        "check",
        "--output-format",
        "concise",
        "--stdin-filename",
        "nb.ipynb",
        "-",
    ];
    let run = run_with_stdin(dir.path(), &args, &nb);
    assert!(run.stdout.starts_with("nb.ipynb:cell 2:"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// ruff's muscle memory (issue 11, item 7)

#[test]
fn check_fix_and_check_diff_work_as_in_ruff() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    let run = run_in(dir.path(), &["check", "--diff"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("--- app.py\n+++ app.py\n"),
        "{}",
        run.stdout
    );
    assert_eq!(read(dir.path(), "app.py"), V1_RUN.as_bytes());
    let run = run_in(dir.path(), &["check", "--fix"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stdout, "Found 1 error (1 fixed, 0 remaining).\n");
    assert_eq!(read(dir.path(), "app.py"), V1_RUN_FIXED.as_bytes());
}

#[test]
fn exit_zero_and_exit_non_zero_on_fix() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "stream.py", V1_STREAM);
    assert_eq!(run_in(dir.path(), &["check"]).code, 1);
    assert_eq!(run_in(dir.path(), &["check", "--exit-zero"]).code, 0);
    assert_eq!(run_in(dir.path(), &["check", "-e"]).code, 0);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    let run = run_in(dir.path(), &["fix", "--exit-non-zero-on-fix"]);
    assert_eq!(run.code, 1, "something was fixed: {}", run.stdout);
    let run = run_in(dir.path(), &["fix", "--exit-non-zero-on-fix"]);
    assert_eq!(run.code, 0, "nothing left to fix: {}", run.stdout);
}

#[test]
fn fix_only_reports_what_it_fixed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    write(dir.path(), "stream.py", V1_STREAM);
    let run = run_in(dir.path(), &["check", "--fix-only"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stdout, "Fixed 1 error.\n");
    assert_eq!(read(dir.path(), "app.py"), V1_RUN_FIXED.as_bytes());
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = project();
    let run = run_in(dir.path(), &["check", "--statistics"]);
    assert_eq!(run.code, 1);
    let first = run.stdout.lines().next().unwrap();
    let fields: Vec<&str> = first.split('\t').collect();
    assert_eq!(fields.len(), 3, "{first}");
    assert!(fields[0].trim().parse::<usize>().unwrap() >= 1);
    assert!(fields[1].starts_with("RM"), "{first}");
    assert!(
        run.stdout
            .contains("\tRM204\t[ ] stream-server-sent-events\n")
            || run.stdout.contains("\tRM204\t"),
        "{}",
        run.stdout
    );
    let total: usize = run
        .stdout
        .lines()
        .filter(|l| l.contains('\t'))
        .map(|l| {
            l.split('\t')
                .next()
                .unwrap()
                .trim()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(total, 10, "{}", run.stdout);
    let json = run_in(
        dir.path(),
        &["check", "--statistics", "--output-format", "json"],
    );
    let rows: Value = serde_json::from_str(&json.stdout).unwrap();
    let sum: u64 = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, 10);
}

#[test]
fn show_fixes_lists_the_fixes_by_file_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    let run = run_in(dir.path(), &["fix", "--show-fixes"]);
    assert!(
        run.stdout
            .contains("Fixed 1 error:\n- app.py:\n    1 × RM201 (run-positional-input)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn output_file_takes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    let run = run_in(
        dir.path(),
        &["check", "--output-format", "json", "-o", "report.json"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let json: Value = serde_json::from_slice(&read(dir.path(), "report.json")).unwrap();
    assert_eq!(json[0]["code"], "RM201");
    let run = run_in(dir.path(), &["check", "-o", "no/such/dir/report.txt"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no/such/dir/report.txt"),
        "{}",
        run.stderr
    );
}

/// The report is written as it is made, while workers render the files after it (at most 256
/// ahead: this tree has more): it keeps the files' order, every finding once, and the closing
/// summary last.
#[test]
fn a_long_report_keeps_file_order_while_rendered_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..300).map(|i| format!("m{i:03}.py")).collect();
    for name in &names {
        write(dir.path(), name, V1_RUN);
    }
    let run = run_in(dir.path(), &["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mentioned: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|line| line.split("[").nth(1)?.split(':').next())
        .filter(|name| name.ends_with(".py"))
        .collect();
    assert_eq!(mentioned, names, "{}", run.stdout);
    let summary = run.stdout.find("Found 300 errors.").expect("the summary");
    let last_frame = run.stdout.rfind("m299.py").unwrap();
    assert!(summary > last_frame, "the summary comes last");
}

/// A reader that stops early (`| head`) ends the report quietly: no error, and the exit code
/// is the findings' (as ripgrep and ruff do), even when the report is far longer than the pipe.
#[test]
fn a_closed_pipe_ends_the_report_quietly() {
    use std::io::Read as _;
    let dir = tempfile::tempdir().unwrap();
    for i in 0..400 {
        write(dir.path(), &format!("m{i:03}.py"), V1_RUN);
    }
    let mut child = Command::new(BIN)
        .args(["check", "."])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn verbose_says_what_it_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    write(dir.path(), "plain.py", "print(1)\n");
    let run = run_in(dir.path(), &["check", "-v"]);
    assert!(
        run.stderr
            .contains("2 files read, 1 never mention `replicate`"),
        "{}",
        run.stderr
    );
}

/// A module that names `replicate` only in prose (a docstring, a comment) cannot use the SDK:
/// it is read like one that never mentions it, and not checked further (here, CPython would
/// reject its duplicate argument). The same module importing the SDK is reported.
#[test]
fn a_module_naming_replicate_only_in_prose_is_not_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let prose = "\"\"\"Helpers that replicate the old layout.\"\"\"\n# replicate it\ndef f(a, a):\n    return 'replicate'\n";
    write(dir.path(), "layout.py", prose);
    let run = run_in(dir.path(), &["check", "-v"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("1 files read, 1 never mention `replicate` in code"),
        "{}",
        run.stderr
    );
    write(
        dir.path(),
        "layout.py",
        &format!("import replicate\n{prose}"),
    );
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("RM000"), "{}", run.stdout);
    // The tokenizer decides, before the parse: prose with a syntax error is not parsed either,
    // while a name in an f-string's replacement field, or after a line continuation, is code.
    write(dir.path(), "layout.py", &format!("{prose}x = = 1\n"));
    let run = run_in(dir.path(), &["check", "-v"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("1 never mention"), "{}", run.stderr);
    for code in [
        "print(f'{replicate.run(\"m\")}')\n",
        "print(f\"outer {f'inner {replicate}'}\")\n",
        "x = 1 + \\\n    replicate.run('m')\n",
    ] {
        write(dir.path(), "layout.py", &format!("{prose}{code}"));
        let run = run_in(dir.path(), &["check", "-v"]);
        assert!(
            run.stderr.contains("1 files read, 0 never mention"),
            "{code}: {}",
            run.stderr
        );
        // Analysed: CPython's verdict on the duplicate argument is reported.
        assert!(run.stdout.contains("RM000"), "{code}: {}", run.stdout);
    }
}

#[test]
fn color_follows_the_flag_and_no_color_and_force_color() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", V1_RUN);
    let run_env = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        finish(cmd.output().unwrap())
    };
    let concise = ["check", "--output-format", "concise"];
    // A pipe gets no colour by default.
    assert!(!run_env(&concise, &[]).stdout.contains('\x1b'));
    let always = run_env(&[&concise[..], &["--color", "always"]].concat(), &[]);
    assert!(
        always
            .stdout
            .contains("\x1b[1mapp.py\x1b[0m\x1b[36m:\x1b[0m3"),
        "{:?}",
        always.stdout
    );
    assert!(run_env(&concise, &[("FORCE_COLOR", "1")])
        .stdout
        .contains('\x1b'));
    assert!(
        !run_env(&concise, &[("NO_COLOR", "1"), ("FORCE_COLOR", "1")])
            .stdout
            .contains('\x1b')
    );
    assert!(!run_env(
        &[&concise[..], &["--color", "never"]].concat(),
        &[("FORCE_COLOR", "1")]
    )
    .stdout
    .contains('\x1b'));
    // The full format colours its frames too.
    assert!(run_env(&["check", "--color", "always"], &[])
        .stdout
        .contains('\x1b'));
}

/// Progress shows on a terminal's stderr only (`script` gives the run a terminal); standard
/// input that arrives late keeps the run going long enough.
#[cfg(target_os = "linux")]
#[test]
fn progress_shows_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let have_script = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(have_script, "this test needs `script` (util-linux)");
    let command = format!("(sleep 1; printf 'x = 1\\n') | {BIN} check -");
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env("REPLICATE_MIGRATE_PROGRESS_DELAY_MS", "0")
        .env_remove("CI")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("0/1 files"), "{text:?}");
    assert!(text.contains("\r\x1b[2K"), "the line is erased: {text:?}");
    // In CI (or in a pipe) never.
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env("REPLICATE_MIGRATE_PROGRESS_DELAY_MS", "0")
        .env("CI", "true")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stdout).contains("files"));
    let mut child = Command::new(BIN)
        .args(["check", "-"])
        .env("REPLICATE_MIGRATE_PROGRESS_DELAY_MS", "0")
        .env_remove("CI")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    drop(child.stdin.take());
    let run = finish(child.wait_with_output().unwrap());
    assert_eq!(run.stderr, "", "no progress in a pipe");
}

/// Issue 9, item 3: a test's parameter named after a fixture of a conftest.py above it holds
/// that fixture's v1 object, even in a test module that never names the SDK; a nearer fixture
/// of the same name, the module's own, and conftests above the project root do not count.
#[test]
fn conftest_fixtures_reach_the_tests_below_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    // Above the project root: never consulted.
    write(
        dir.path(),
        "conftest.py",
        "import pytest\nimport replicate\n\n@pytest.fixture\ndef outer():\n    return replicate.Client()\n",
    );
    write(&root, "pyproject.toml", "[project]\nname = \"p\"\n");
    write(
        &root,
        "tests/conftest.py",
        "import pytest\nimport replicate\n\n\n@pytest.fixture\ndef client():\n    return replicate.Client(api_token=\"r8_test\")\n\n\n@pytest.fixture\ndef prediction(client):\n    return client.predictions.create(version=\"v1\", input={})\n\n\n@pytest.fixture\ndef job():\n    return replicate.predictions.get(\"abc\")\n",
    );
    let test = "def test_reload(job):\n    job.reload()\n\n\ndef test_get(client):\n    p = client.predictions.get(\"abc\")\n    assert p.id\n\n\ndef test_outer(outer):\n    outer.predictions.get(\"x\")\n";
    write(&root, "tests/unit/test_jobs.py", test);
    // Decoys: a nearer conftest's `client` is a local class, and a module's own `job` fixture.
    write(
        &root,
        "tests/local/conftest.py",
        "import pytest\n\n\nclass Fake:\n    def reload(self):\n        pass\n\n\n@pytest.fixture\ndef job():\n    return Fake()\n",
    );
    let local = "def test_reload(job):\n    job.reload()\n";
    write(&root, "tests/local/test_fake.py", local);
    let own = "import pytest\n\n\n@pytest.fixture\ndef job():\n    return object()\n\n\ndef test_reload(job):\n    job.reload()\n";
    write(&root, "tests/unit/test_own.py", own);

    let run = run_in(&root, &["check", "--output-format", "concise", "."]);
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.contains(": RM")).collect();
    let in_file = |f: &str| lines.iter().filter(|l| l.contains(f)).count();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("tests/unit/test_jobs.py:2:") && l.contains("RM311")),
        "{run:?}",
        run = run.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("tests/unit/test_jobs.py:6:") && l.contains("RM301")),
        "{}",
        run.stdout
    );
    assert_eq!(in_file("test_jobs.py:11:"), 0, "{}", run.stdout);
    assert_eq!(in_file("test_fake.py"), 0, "{}", run.stdout);
    assert_eq!(in_file("test_own.py"), 0, "{}", run.stdout);

    // Fixing the tree fixes the test as the conftest read before it was rewritten says.
    let run = run_in(&root, &["fix", "--unsafe-fixes", "."]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let fixed = String::from_utf8(read(&root, "tests/unit/test_jobs.py")).unwrap();
    assert!(
        fixed.contains("client.predictions.get(prediction_id=\"abc\")"),
        "{fixed}"
    );
    assert_eq!(
        String::from_utf8(read(&root, "tests/local/test_fake.py")).unwrap(),
        local
    );
    assert_eq!(
        String::from_utf8(read(&root, "tests/unit/test_own.py")).unwrap(),
        own
    );
}
