//! Configuration, rule selection and suppression through the binary (issue 11, items 5 and 6).

use std::fs;
use std::path::Path;
use std::process::Command;

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

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap()
}

/// RM101 and RM104 on line 2, RM201 on line 3.
const CLIENT_AND_RUN: &str = "import replicate\n\
c = replicate.Client(api_token=\"x\")\n\
out = replicate.run(\"o/m\", {\"a\": 1})\n";

/// The codes of the concise findings, per file.
fn codes(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .filter(|l| l.contains(": RM"))
        .map(|l| {
            let (path, rest) = l.split_once(':').unwrap();
            let code = rest.split(": ").nth(1).unwrap().split(' ').next().unwrap();
            format!("{path} {code}")
        })
        .collect()
}

#[test]
fn the_nearest_configuration_wins() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.replicate-migrate]\nignore = [\"RM104\"]\n",
    );
    write(dir.path(), "a.py", CLIENT_AND_RUN);
    write(
        dir.path(),
        "sub/replicate-migrate.toml",
        "select = [\"RM2\"]\n",
    );
    write(dir.path(), "sub/b.py", CLIENT_AND_RUN);
    // A pyproject.toml without the table does not count: sub2 uses the root's.
    write(
        dir.path(),
        "sub2/pyproject.toml",
        "[project]\nname = \"x\"\n",
    );
    write(dir.path(), "sub2/c.py", CLIENT_AND_RUN);
    let run = run_in(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        codes(&run),
        [
            "a.py RM101",
            "a.py RM201",
            "sub/b.py RM201",
            "sub2/c.py RM101",
            "sub2/c.py RM201"
        ]
    );
    // --isolated reads none of them.
    let run = run_in(
        dir.path(),
        &["check", "--output-format", "concise", "--isolated"],
    );
    assert_eq!(codes(&run).len(), 9, "{}", run.stdout);
    // --config FILE applies to every file.
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--config",
            "sub/replicate-migrate.toml",
        ],
    );
    assert_eq!(
        codes(&run),
        ["a.py RM201", "sub/b.py RM201", "sub2/c.py RM201"]
    );
    // --config 'key = value' overrides a key of the file that applies.
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--config",
            "ignore = []",
            "a.py",
        ],
    );
    assert_eq!(codes(&run), ["a.py RM101", "a.py RM104", "a.py RM201"]);
    // The command line's selection comes last.
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--select",
            "RM1",
            "--ignore",
            "RM101",
            "a.py",
        ],
    );
    assert_eq!(codes(&run), ["a.py RM104"]);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--extend-select",
            "RM104",
            "a.py",
        ],
    );
    assert_eq!(codes(&run), ["a.py RM101", "a.py RM104", "a.py RM201"]);
}

#[test]
fn unknown_keys_codes_and_values_are_errors_naming_the_nearest() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", CLIENT_AND_RUN);
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "pyproject.toml",
            &[],
            "pyproject.toml [tool.replicate-migrate]: unknown key `selct`; did you mean `select`?",
        ),
        (
            "",
            &["--select", "RM89"],
            "unknown rule selector `RM89`; did you mean `RM80`?",
        ),
        (
            "",
            &["--ignore", "RM1O4"],
            "unknown rule selector `RM1O4`; did you mean `RM104`?",
        ),
        (
            "",
            &["--config", "output-format = \"jsn\""],
            "unknown output format `jsn`; did you mean `json`?",
        ),
        (
            "",
            &["--config", "extend-exclud = []"],
            "did you mean `extend-exclude`?",
        ),
        ("", &["--ignore", "RM001"], "RM001 cannot be ignored"),
        (
            "",
            &["--config", "missing.toml"],
            "missing.toml: no such file",
        ),
    ];
    for (file, args, expected) in cases {
        if !file.is_empty() {
            write(
                dir.path(),
                file,
                "[tool.replicate-migrate]\nselct = [\"RM1\"]\n",
            );
        }
        let run = run_in(dir.path(), &[&["check"][..], args].concat());
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}: nothing is checked");
        if !file.is_empty() {
            fs::remove_file(dir.path().join(file)).unwrap();
        }
    }
    // A bad file further down is found too, before anything is reported.
    write(
        dir.path(),
        "sub/replicate-migrate.toml",
        "ignore = [\"RM10\"]\nselect = 3\n",
    );
    write(dir.path(), "sub/b.py", CLIENT_AND_RUN);
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("`select` must be an array of strings"),
        "{}",
        run.stderr
    );
}

#[test]
fn per_file_ignores_exclude_unsafe_fixes_and_output_format_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.replicate-migrate]\n\
         output-format = \"concise\"\n\
         extend-exclude = [\"generated\"]\n\
         [tool.replicate-migrate.per-file-ignores]\n\
         \"tests/*.py\" = [\"RM1\"]\n\
         \"legacy.py\" = [\"RM201\"]\n",
    );
    write(dir.path(), "tests/test_app.py", CLIENT_AND_RUN);
    write(dir.path(), "legacy.py", CLIENT_AND_RUN);
    write(dir.path(), "generated/gen.py", CLIENT_AND_RUN);
    write(dir.path(), "venv/lib.py", CLIENT_AND_RUN);
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(
        codes(&run),
        [
            "legacy.py RM101",
            "legacy.py RM104",
            "tests/test_app.py RM201"
        ],
        "{}",
        run.stdout
    );
    // `exclude` replaces the defaults: venv/ is searched again.
    let run = run_in(
        dir.path(),
        &["check", "--config", "exclude = [\"generated\"]"],
    );
    assert!(
        codes(&run).iter().any(|c| c.starts_with("venv/lib.py")),
        "{}",
        run.stdout
    );
    // unsafe-fixes = true applies an unsafe fix (RM107).
    let unsafe_case =
        "import os\nimport replicate\nc = replicate.Client(base_url=os.environ[\"URL\"])\n";
    let untouched = "base_url=os.environ[\"URL\"])";
    write(
        dir.path(),
        "u/replicate-migrate.toml",
        "unsafe-fixes = true\n",
    );
    write(dir.path(), "u/app.py", unsafe_case);
    let run = run_in(dir.path(), &["fix", "u/app.py", "--isolated"]);
    assert!(
        read(dir.path(), "u/app.py").contains(untouched),
        "{}",
        run.stdout
    );
    write(dir.path(), "u/app.py", unsafe_case);
    let run = run_in(dir.path().join("u").as_path(), &["fix", "app.py"]);
    assert!(
        !read(dir.path(), "u/app.py").contains(untouched),
        "{}",
        run.stdout
    );
}

#[test]
fn show_settings_names_the_file_and_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "replicate-migrate.toml",
        "select = [\"RM3\"]\nignore = [\"RM301\"]\n",
    );
    let run = run_in(dir.path(), &["check", "--show-settings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("replicate-migrate.toml"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("select = [\"RM3\"]"), "{}", run.stdout);
    let enabled = run
        .stdout
        .lines()
        .find(|l| l.starts_with("enabled"))
        .unwrap();
    assert!(enabled.contains("\"RM302\""), "{}", run.stdout);
    assert!(!enabled.contains("\"RM301\""), "{}", run.stdout);
    assert!(!enabled.contains("\"RM101\""), "{}", run.stdout);
}

#[test]
fn file_level_noqa_turns_off_all_or_some_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "all.py",
        &format!("# replicate-migrate: noqa\n{CLIENT_AND_RUN}"),
    );
    write(
        dir.path(),
        "some.py",
        &format!("{CLIENT_AND_RUN}# replicate-migrate: noqa: RM1\n"),
    );
    // Not a directive inside a string.
    write(
        dir.path(),
        "string.py",
        &format!("{CLIENT_AND_RUN}s = \"# replicate-migrate: noqa\"\n"),
    );
    let run = run_in(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(
        codes(&run),
        [
            "some.py RM201",
            "string.py RM101",
            "string.py RM104",
            "string.py RM201"
        ]
    );
    let run = run_in(dir.path(), &["fix", "all.py", "some.py"]);
    assert!(read(dir.path(), "all.py").contains("replicate.Client(api_token"));
    let some = read(dir.path(), "some.py");
    assert!(some.contains("replicate.Client(api_token"), "{some}");
    assert!(some.contains("input={\"a\": 1}"), "{some}\n{}", run.stdout);
}

#[test]
fn a_noqa_that_suppresses_nothing_is_reported_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let text = "import replicate\n\
                out = replicate.run(\"o/m\", {\"a\": 1})  # noqa: RM201, RM104\n\
                other = 1  # noqa: RM301\n\
                plain = 2  # noqa\n\
                flake = 3  # noqa: E501\n";
    write(dir.path(), "a.py", text);
    let run = run_in(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(
        run.stdout.lines().take(2).collect::<Vec<_>>(),
        [
            "a.py:2:54: RM009 [*] Unused `noqa` directive (unused: `RM104`)",
            "a.py:3:20: RM009 [*] Unused `noqa` directive (unused: `RM301`)",
        ],
        "{}",
        run.stdout
    );
    assert_eq!(
        codes(&run).len(),
        2,
        "a bare noqa and E501 are another tool's: {}",
        run.stdout
    );
    let run = run_in(dir.path(), &["fix"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        read(dir.path(), "a.py"),
        "import replicate\n\
         out = replicate.run(\"o/m\", {\"a\": 1})  # noqa: RM201\n\
         other = 1\n\
         plain = 2  # noqa\n\
         flake = 3  # noqa: E501\n"
    );
    // Off when deselected.
    write(dir.path(), "b.py", text);
    let run = run_in(dir.path(), &["check", "b.py", "--ignore", "RM009"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_noqa_on_one_rule_does_not_break_another_rules_fix() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.py",
        "import replicate\nc = replicate.Client(api_token=\"x\")  # noqa: RM104\n",
    );
    let run = run_in(dir.path(), &["fix", "--output-format", "concise"]);
    assert!(!run.stdout.contains("RM003"), "{}", run.stdout);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        read(dir.path(), "a.py"),
        "import replicate\nc = replicate.Replicate(api_token=\"x\")  # noqa: RM104\n"
    );
}

#[test]
fn add_noqa_adopts_the_tool_in_steps() {
    let dir = tempfile::tempdir().unwrap();
    let text = "import replicate\n\
                c = replicate.Client(api_token=\"x\")  # noqa: RM101\n\
                doc = \"\"\"\n\
                replicate.run(\"a/b\", {})\n\
                \"\"\"\n\
                y = replicate.run(\"o/m\", {\"a\": 1})  # a comment\n";
    write(dir.path(), "a.py", text);
    let run = run_in(dir.path(), &["check", "--add-noqa"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr, "Added 2 noqa directives.\n");
    assert_eq!(
        read(dir.path(), "a.py"),
        "import replicate\n\
         c = replicate.Client(api_token=\"x\")  # noqa: RM101, RM104\n\
         doc = \"\"\"\n\
         replicate.run(\"a/b\", {})\n\
         \"\"\"\n\
         y = replicate.run(\"o/m\", {\"a\": 1})  # a comment  # noqa: RM201\n"
    );
    let run = run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stdout, "All checks passed!\n");
    let run = run_in(dir.path(), &["check", "--add-noqa"]);
    assert_eq!(run.stderr, "Added 0 noqa directives.\n");
}
