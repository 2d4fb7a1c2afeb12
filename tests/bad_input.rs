//! What `fix` does with files that are not plain, quiet, UTF-8 files: written meanwhile by
//! someone else, reached through a symbolic link, owned by another user, read-only, hard-linked,
//! with extended attributes; a run stopped by SIGINT or SIGTERM; old Mac line endings and
//! PEP 263 encodings other than UTF-8. Each test runs the binary on a temporary directory.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_replicate-migrate");

const V1: &str = "import replicate\n\nout = replicate.run(\"owner/model\", {\"prompt\": \"hi\"})\n";
const V2: &str =
    "import replicate\n\nout = replicate.run(\"owner/model\", input={\"prompt\": \"hi\"})\n";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn finish(output: Output) -> Run {
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("REPLICATE_MIGRATE_TEST_PAUSE_AT")
        .env_remove("REPLICATE_MIGRATE_TEST_PAUSE_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    finish(command(dir, args).output().expect("the binary starts"))
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

fn read(path: &Path) -> String {
    String::from_utf8(fs::read(path).unwrap()).unwrap()
}

/// Every file under `dir` whose name says it is one of our temporary files (or tempfile's).
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else if name.contains("replicate-migrate") || name.starts_with(".tmp") {
                out.push(entry.path());
            }
        }
    }
    out
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn wait_child(mut child: Child) -> Run {
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the binary did not exit");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    finish(child.wait_with_output().unwrap())
}

fn signal(child: &Child, signal: i32) {
    // SAFETY: kill has no memory preconditions; the pid is our live child's.
    let r = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(r, 0, "kill failed");
}

/// `fix` on `args`, held at `point` of writing (see `files::signals::test_pause`): returns the
/// child once it is waiting there, and the directory whose `resume` lets it go on.
fn fix_paused_at(dir: &Path, point: &str, args: &[&str]) -> (Child, tempfile::TempDir) {
    let control = tempfile::tempdir().unwrap();
    let child = command(
        dir,
        &[&["fix", "--output-format", "concise"], args].concat(),
    )
    .env("REPLICATE_MIGRATE_TEST_PAUSE_AT", point)
    .env("REPLICATE_MIGRATE_TEST_PAUSE_DIR", control.path())
    .spawn()
    .expect("the binary starts");
    wait_for("the pause", || control.path().join("paused").exists());
    (child, control)
}

fn resume(control: &tempfile::TempDir) {
    fs::write(control.path().join("resume"), "").unwrap();
}

// ---------------------------------------------------------------------------------------------
// 1. An edit made while `fix` runs is never overwritten.

fn concurrent_append_is_kept(point: &str) {
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "app.py", V1);
    let other = write(dir.path(), "other.py", V1);
    let (child, control) = fix_paused_at(dir.path(), point, &["app.py"]);
    // The editor's autosave, between fix's read and its rename.
    let mut appended = fs::OpenOptions::new().append(true).open(&app).unwrap();
    std::io::Write::write_all(&mut appended, b"print(out)\n").unwrap();
    drop(appended);
    resume(&control);
    let run = wait_child(child);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stdout.contains(
            "app.py:1:1: RM005 app.py changed while it was being fixed; not written: run again"
        ),
        "{run}"
    );
    assert_eq!(
        read(&app),
        format!("{V1}print(out)\n"),
        "the append is kept"
    );
    assert_eq!(read(&other), V1, "not named: not touched");
    assert!(temp_files(dir.path()).is_empty());
    // Run again, as the message says: now it is fixed, append and all.
    let again = run_in(dir.path(), &["fix", "app.py"]);
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(read(&app), format!("{V2}print(out)\n"));
}

#[test]
fn append_before_the_commit_is_kept() {
    concurrent_append_is_kept("before-commit");
}

#[test]
fn append_inside_the_commit_before_its_check_is_kept() {
    concurrent_append_is_kept("in-commit");
}

#[test]
fn append_after_the_check_before_the_swap_is_kept() {
    concurrent_append_is_kept("pre-exchange");
}

#[test]
fn other_files_are_still_fixed_when_one_changed() {
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "a.py", V1);
    let (child, control) = fix_paused_at(dir.path(), "before-commit", &["a.py"]);
    fs::write(&app, format!("{V1}# edited\n")).unwrap();
    resume(&control);
    assert_eq!(wait_child(child).code, Some(2));
    // And a run over both: the unchanged one is fixed.
    let b = write(dir.path(), "b.py", V1);
    let run = run_in(dir.path(), &["fix", "."]);
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(read(&b), V2);
    assert_eq!(read(&app), format!("{V2}# edited\n"));
}

// ---------------------------------------------------------------------------------------------
// 2. What the file is: link, owner, group, mode, read-only, hard links, extended attributes.

#[test]
fn symlink_named_on_the_command_line_writes_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let target = write(dir.path(), "lib/real.py", V1);
    std::os::unix::fs::symlink("lib/real.py", dir.path().join("app.py")).unwrap();
    let run = run_in(dir.path(), &["fix", "app.py"]);
    assert_eq!(run.code, Some(0), "{run}");
    let link = fs::symlink_metadata(dir.path().join("app.py")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert_eq!(
        fs::read_link(dir.path().join("app.py")).unwrap(),
        Path::new("lib/real.py")
    );
    assert_eq!(read(&target), V2, "the target is fixed");
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn symlink_met_in_the_walk_writes_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let target = write(dir.path(), "shared/real.py", V1);
    fs::create_dir(dir.path().join("project")).unwrap();
    std::os::unix::fs::symlink("../shared/real.py", dir.path().join("project/app.py")).unwrap();
    let run = run_in(dir.path(), &["fix", "project"]);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(fs::symlink_metadata(dir.path().join("project/app.py"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&target), V2);
}

#[test]
fn file_reached_by_a_link_and_by_its_own_path_is_fixed_once() {
    let dir = tempfile::tempdir().unwrap();
    let target = write(dir.path(), "real.py", V1);
    std::os::unix::fs::symlink("real.py", dir.path().join("alias.py")).unwrap();
    let run = run_in(dir.path(), &["fix", "--output-format", "concise", "."]);
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(read(&target), V2);
    assert_eq!(
        run.stdout, "Found 1 error (1 fixed, 0 remaining).\n",
        "{run}"
    );
}

#[test]
fn owner_group_and_mode_640_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "app.py", V1);
    std::os::unix::fs::chown(&app, Some(1234), Some(4321)).expect("the tests run as root");
    fs::set_permissions(&app, fs::Permissions::from_mode(0o640)).unwrap();
    let run = run_in(dir.path(), &["fix", "app.py"]);
    assert_eq!(run.code, Some(0), "{run}");
    let meta = fs::metadata(&app).unwrap();
    assert_eq!(
        (meta.uid(), meta.gid()),
        (1234, 4321),
        "owner and group kept"
    );
    assert_eq!(meta.mode() & 0o7777, 0o640, "mode kept");
    assert_eq!(read(&app), V2);
}

#[test]
fn read_only_file_is_refused_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let locked = write(dir.path(), "locked.py", V1);
    let open = write(dir.path(), "open.py", V1);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o444)).unwrap();
    let run = run_in(dir.path(), &["fix", "--output-format", "concise", "."]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stdout
            .contains("locked.py:1:1: RM006 locked.py is read-only; not written\n"),
        "{run}"
    );
    assert!(run.stdout.contains("locked.py:3:7: RM201 [*]"), "{run}");
    assert_eq!(read(&locked), V1, "not written");
    assert_eq!(
        fs::metadata(&locked).unwrap().mode() & 0o7777,
        0o444,
        "still read-only"
    );
    assert_eq!(read(&open), V2, "the run went on");
}

#[test]
fn hard_linked_file_stays_linked() {
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "src/app.py", V1);
    // The other name is outside the walked tree (a file reached twice would be fixed twice).
    let other = dir.path().join("backup.py");
    fs::hard_link(&app, &other).unwrap();
    let ino = fs::metadata(&app).unwrap().ino();
    let run = run_in(dir.path(), &["fix", "src"]);
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(read(&app), V2);
    assert_eq!(read(&other), V2, "the other link sees the fix");
    let meta = fs::metadata(&app).unwrap();
    assert_eq!((meta.ino(), meta.nlink()), (ino, 2));
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn extended_attributes_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "app.py", V1);
    xattr::set(&app, "user.reviewed-by", b"alice").expect("ext4 and tmpfs have user xattrs");
    let run = run_in(dir.path(), &["fix", "app.py"]);
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(read(&app), V2);
    assert_eq!(
        xattr::get(&app, "user.reviewed-by").unwrap().as_deref(),
        Some(b"alice".as_slice())
    );
}

// ---------------------------------------------------------------------------------------------
// 5. SIGINT and SIGTERM: no temporary file left, no file half-written, exit 130/143.

#[test]
fn signal_while_a_file_is_prepared_abandons_it() {
    for (sig, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let dir = tempfile::tempdir().unwrap();
        let app = write(dir.path(), "app.py", V1);
        let (child, _control) = fix_paused_at(dir.path(), "before-commit", &["app.py"]);
        assert_eq!(temp_files(dir.path()).len(), 1, "the temporary file exists");
        signal(&child, sig);
        let run = wait_child(child);
        assert_eq!(run.code, Some(code), "{run}");
        assert!(run.stderr.contains("stopped by SIG"), "{run}");
        assert!(
            temp_files(dir.path()).is_empty(),
            "{:?}",
            temp_files(dir.path())
        );
        assert_eq!(read(&app), V1, "abandoned: left as it was");
    }
}

#[test]
fn signal_during_a_commit_lets_it_finish() {
    let dir = tempfile::tempdir().unwrap();
    let app = write(dir.path(), "app.py", V1);
    let (child, control) = fix_paused_at(dir.path(), "in-commit", &["app.py"]);
    signal(&child, libc::SIGTERM);
    // The signal waits for the commit under way.
    std::thread::sleep(Duration::from_millis(200));
    resume(&control);
    let run = wait_child(child);
    assert_eq!(run.code, Some(143), "{run}");
    assert_eq!(read(&app), V2, "finished");
    assert!(temp_files(dir.path()).is_empty());
}

/// A tree big enough that `fix` is still writing when the signal comes.
fn large_tree(dir: &Path, files: usize) {
    let body = V1.repeat(20);
    for i in 0..files {
        write(dir, &format!("pkg{}/mod{i}.py", i % 50), &body);
    }
}

fn signal_during_a_large_fix(sig: i32, code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let files = 3000;
    large_tree(dir.path(), files);
    let first = dir.path().join("pkg0/mod0.py");
    let child = command(dir.path(), &["fix", "--quiet", "."])
        .spawn()
        .expect("the binary starts");
    let original = fs::read(&first).unwrap();
    // Wait until writing has begun somewhere, then stop the run.
    let probe: Vec<PathBuf> = (0..files)
        .step_by(97)
        .map(|i| dir.path().join(format!("pkg{}/mod{i}.py", i % 50)))
        .collect();
    wait_for("the first write", || {
        probe.iter().any(|p| fs::read(p).unwrap() != original)
    });
    signal(&child, sig);
    let run = wait_child(child);
    assert_eq!(run.code, Some(code), "{run}");
    assert!(
        temp_files(dir.path()).is_empty(),
        "{:?}",
        temp_files(dir.path())
    );
    let fixed = V2.repeat(20);
    let mut written = 0;
    for i in 0..files {
        let bytes = read(&dir.path().join(format!("pkg{}/mod{i}.py", i % 50)));
        assert!(
            bytes == V1.repeat(20) || bytes == fixed,
            "mod{i}.py is neither the original nor the fix"
        );
        written += usize::from(bytes == fixed);
    }
    assert!(
        written > 0 && written < files,
        "{written} of {files} written"
    );
}

#[test]
fn sigint_during_a_large_fix_leaves_no_temporary_file() {
    signal_during_a_large_fix(libc::SIGINT, 130);
}

#[test]
fn sigterm_during_a_large_fix_leaves_no_temporary_file() {
    signal_during_a_large_fix(libc::SIGTERM, 143);
}

// ---------------------------------------------------------------------------------------------
// 7. Encodings: read as CPython reads the file, written back with every byte outside the edits
// as it was.

/// `original` with the one edit the RM201 fix makes, at byte level.
fn with_input_keyword(original: &[u8]) -> Vec<u8> {
    let at = original
        .windows(b"{\"prompt\"".len())
        .position(|w| w == b"{\"prompt\"")
        .expect("the call's dict");
    [&original[..at], b"input=", &original[at..]].concat()
}

/// `check` finds the v1 call at `line:col`, `fix` writes only its edit.
fn check_and_fix(name: &str, original: &[u8], line_col: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), name, original);
    let run = run_in(dir.path(), &["check", "--output-format", "concise", name]);
    assert_eq!(
        run.stdout,
        format!(
            "{name}:{line_col}: RM201 [*] `run()` takes its input as `input=` in v2\n\
             Found 1 error.\n[*] 1 fixable with `replicate-migrate fix`.\n"
        ),
        "{run}"
    );
    let run = run_in(dir.path(), &["fix", name]);
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(
        fs::read(&path).unwrap(),
        with_input_keyword(original),
        "every byte outside the edit is the file's own"
    );
}

#[test]
fn lone_cr_line_ends_are_line_ends() {
    // CPython reads these old Mac files; the tool saw one line: a comment first hid everything.
    let comment_first =
        b"# app\rimport replicate\rout = replicate.run(\"owner/model\", {\"prompt\": \"hi\"})\r";
    check_and_fix("mac.py", comment_first, "3:7");
    let code_first =
        b"import replicate\r\rout = replicate.run(\"owner/model\", {\"prompt\": \"hi\"})\r";
    check_and_fix("mac2.py", code_first, "3:7");
}

#[test]
fn lines_a_fix_inserts_in_a_cr_file_end_in_cr() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "mac.py",
        "import replicate\rfor event in replicate.stream(\"owner/llm\", input={\"prompt\": \"hi\"}):\r    print(str(event), end=\"\")\r",
    );
    let run = run_in(dir.path(), &["fix", "mac.py"]);
    assert_eq!(run.code, Some(0), "{run}");
    let fixed = fs::read(&path).unwrap();
    assert!(
        !fixed.contains(&b'\n'),
        "{}",
        String::from_utf8_lossy(&fixed)
    );
    assert!(fixed.starts_with(b"import replicate\rimport os\r\r\rdef _replicate_stream_events("));
}

#[test]
fn shift_jis_with_a_backslash_trail_byte() {
    // ソ is 0x83 0x5C in Shift_JIS: read as bytes, the 0x5C escaped the closing quote (RM000).
    let original = b"# -*- coding: shift_jis -*-\nimport replicate\nlabel = \"\x83\x5c\"; out = replicate.run(\"owner/model\", {\"prompt\": label})\n";
    // Column 20 counts characters (ソ is one), not bytes.
    check_and_fix("sjis.py", original, "3:20");
}

#[test]
fn cp1252_identifier_and_string() {
    // café: 0xE9 is not UTF-8, and was a syntax error in an identifier.
    let original = b"# coding: cp1252\nimport replicate\ncaf\xe9 = \"\x80 5\"\nout = replicate.run(\"owner/model\", {\"prompt\": caf\xe9})\n";
    check_and_fix("cp1252.py", original, "4:7");
}

#[test]
fn euc_jp_identifiers() {
    // 名前 = "値": EUC-JP bytes in an identifier were a syntax error.
    let original = "# -*- coding: euc-jp -*-\nimport replicate\n名前 = \"値\"; out = replicate.run(\"owner/model\", {\"prompt\": 名前})\n";
    let euc: Vec<u8> = original
        .replace("名前", "\u{0}")
        .replace('値', "\u{1}")
        .bytes()
        .flat_map(|b| match b {
            0 => vec![0xcc, 0xbe, 0xc1, 0xb0],
            1 => vec![0xc3, 0xcd],
            b => vec![b],
        })
        .collect();
    check_and_fix("euc.py", &euc, "3:17");
}

#[test]
fn undecodable_and_unknown_encodings_are_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let no_cookie = write(
        dir.path(),
        "a.py",
        b"import replicate\nx = '\xe9'\nout = replicate.run(\"owner/model\", {\"prompt\": x})\n",
    );
    let unknown = write(
        dir.path(),
        "b.py",
        b"# coding: klingon\nimport replicate\nout = replicate.run(\"owner/model\", {\"prompt\": 1})\n",
    );
    let unsupported = write(
        dir.path(),
        "c.py",
        b"# coding: utf-7\nimport replicate\nout = replicate.run(\"owner/model\", {\"prompt\": 1})\n",
    );
    let before: Vec<Vec<u8>> = [&no_cookie, &unknown, &unsupported]
        .iter()
        .map(|p| fs::read(p).unwrap())
        .collect();
    let run = run_in(dir.path(), &["fix", "--output-format", "concise", "."]);
    assert_eq!(run.code, Some(1), "{run}");
    assert_eq!(
        run.stdout,
        "a.py:2:6: RM000 SyntaxError: cannot decode a.py at 2:6: Non-UTF-8 code starting with \
         '\\xe9', but no encoding declared; see PEP 263\n\
         b.py:1:1: RM000 SyntaxError: cannot decode b.py at 1:1: unknown encoding: klingon\n\
         c.py:1:1: RM001 cannot read c.py: the utf_7 encoding is not supported\n\
         Found 3 errors (0 fixed, 3 remaining).\n",
        "{run}"
    );
    let after: Vec<Vec<u8>> = [&no_cookie, &unknown, &unsupported]
        .iter()
        .map(|p| fs::read(p).unwrap())
        .collect();
    assert_eq!(before, after);
}

// ----- issue 12 item 3: never write a file that no longer compiles -----

/// A fix that would write `bearer_token=` twice is refused (RM002); the file stays as it was and
/// other files are still fixed.
#[test]
fn a_fix_that_repeats_a_keyword_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let before = "import replicate\nc = replicate.Client('tok', api_token='x')\np = replicate.predictions.get('a', id='b')\n";
    let bad = write(dir.path(), "bad.py", before);
    let good = write(
        dir.path(),
        "good.py",
        "import replicate\nc = replicate.Client(api_token='x')\n",
    );
    let run = run_in(dir.path(), &["fix", "--output-format", "concise", "."]);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stdout.contains("RM002"), "{run}");
    assert!(
        run.stdout
            .contains("keyword argument repeated: bearer_token"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("keyword argument repeated: prediction_id"),
        "{run}"
    );
    assert_eq!(read(&bad), before, "the refused file is left as it was");
    assert_eq!(
        read(&good),
        "import replicate\nc = replicate.Replicate(bearer_token='x')\n"
    );
}

/// Files CPython rejects although tree-sitter parses them get RM000 and are never written.
#[test]
fn files_cpython_rejects_are_reported_and_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("py2_print.py", "import replicate\nprint 'hi'\nreplicate.run('a/b', {})\n", "Missing parentheses"),
        ("py2_except.py", "import replicate\ntry:\n    pass\nexcept Exception, e:\n    pass\nreplicate.run('a/b', {})\n", "SyntaxError"),
        ("octal.py", "import replicate\nx = 0777\nreplicate.run('a/b', {})\n", "SyntaxError"),
        ("dup_kw.py", "import replicate\nreplicate.run('a/b', input={}, input={})\n", "keyword argument repeated"),
        ("tabs.py", "import replicate\nif True:\n        x = 1\n\ty = 2\nreplicate.run('a/b', {})\n", "Error"),
    ];
    for (name, text, _) in &cases {
        write(dir.path(), name, text);
    }
    let run = run_in(dir.path(), &["fix", "--output-format", "concise", "."]);
    assert_eq!(run.code, Some(1), "{run}");
    for (name, text, message) in &cases {
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name}:")))
            .unwrap_or_else(|| panic!("{name} is reported\n{run}"));
        assert!(
            line.contains("RM000") && line.contains(message),
            "{name}: {line}"
        );
        assert_eq!(read(&dir.path().join(name)), *text, "{name} is not written");
    }
}

/// Issue 12, item 9 (found by scripts/fuzz.sh): tree-sitter-python reads on over a line end
/// where a statement cannot end (after `.`, an operator, `=`, `import`, `not`, a colon that opens
/// no block, a `from` without `import`), joining two lines CPython reads as two statements and
/// rejects; and it accepts `x = y: T`, `a: T = b = 1`, `a += b = 1` (CPython chains only `=`),
/// a comma right after a bracket or a comma (`f(,)`, `{,}`), `await await x` and `def f(a: b:c)`.
/// Such a file gets RM000 and is not written; what CPython accepts (`from m import *`,
/// `x = ...`, `x = 1,`, `x: int`, `f(a,)`, `-await (await x)`, `if x: f = lambda: 0`) is still
/// fixed.
#[test]
fn a_line_that_ends_inside_a_statement_is_reported_and_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let run_call = "replicate.run('a/b', {})\n";
    let cases = [
        (
            "dot_comment.py",
            "parser.#add_argument('--model')\nparser.parse_args()\n",
        ),
        ("dot.py", "def f():\n    x.\n    y = 1\n"),
        ("plus.py", "x = 1 +\n2\n"),
        ("equals.py", "x =\n1\n"),
        ("import.py", "import\nos\n"),
        ("not.py", "x = not\ny\n"),
        ("conditional.py", "x = a if\nb else c\n"),
        ("minus_crlf.py", "x = -\r\n1\r\n"),
        ("colon.py", "printelse:\n(format(x, '>30'))\n"),
        (
            "colon_indented.py",
            "def f():\n    priinally:\n    print('done')\n",
        ),
        ("from.py", "from typil\n\nimport os\n"),
        ("chained_annotation.py", "attempts = count:er = 0\n"),
        (
            "annotation_as_value.py",
            "output = relambda: plicate.run('owner/model')\n",
        ),
        (
            "lone_comma_call.py",
            "first = replicate.predictions.list(,).results\n",
        ),
        (
            "lone_comma_dict.py",
            "for e in replicate.stream('a/b', input={,}):\n    print(e)\n",
        ),
        (
            "await_await.py",
            "async def f(p):\n    await await p.async_wait()\n",
        ),
        ("annotated_chain.py", "attempt:s = counter = 0\n"),
        (
            "augmented_chain.py",
            "counter += m = replicate.models.get(model_ref)\n",
        ),
        ("chain_augmented.py", "atte=mpts += 1\n"),
        (
            "two_colons.py",
            "if __debug:__:\n    local = replicate.Client()\n",
        ),
        (
            "parameter_colons.py",
            "def show(default: r.webhoo:k.Default) -> str:\n    return str(default)\n",
        ),
    ];
    for (name, text) in &cases {
        write(
            dir.path(),
            name,
            format!("import replicate\n{text}{run_call}"),
        );
    }
    let valid = "import replicate\nfrom os.path import *\nx = ...\ny = 1,\nz = a.\\\n    b\nw: int\nv: int = 1\nu = f(a,)[1,]\nasync def g():\n    -await (await x)\nif x: f = lambda: 0\nclass A: b: int\nreplicate.run('a/b', {})\n";
    let ok = write(dir.path(), "ok.py", valid);
    let run = run_in(dir.path(), &["fix", "--output-format", "concise", "."]);
    assert_eq!(run.code, Some(1), "{run}");
    for (name, text) in &cases {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.starts_with(&format!("{name}:")) && l.contains("RM000")),
            "{name} is reported\n{run}"
        );
        assert_eq!(
            read(&dir.path().join(name)),
            format!("import replicate\n{text}{run_call}"),
            "{name} is not written"
        );
    }
    assert!(!run.stdout.contains("ok.py:"), "{run}");
    assert_eq!(read(&ok), valid.replace("{})", "input={})"));
}

// ----- issue 12 item 4: one file never aborts the run -----

/// Deep but valid expressions (a 1,100-term `+` chain, 528 chained calls) are checked and fixed;
/// input CPython refuses for its depth (10,000 nested brackets, 1,200 indentation levels) gets
/// RM000 before the parser sees it; over the depth limit a file is skipped with RM010. Every
/// other file of the run is still processed, and nothing aborts.
#[test]
fn deep_inputs_never_abort_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let run_call = "replicate.run('a/b', {})";
    let files = [
        (
            "plus.py",
            format!(
                "import replicate\nx = {}\n",
                vec![run_call; 1100].join(" + ")
            ),
        ),
        (
            "calls.py",
            format!("import replicate\nx = f{}\n{run_call}\n", "()".repeat(528)),
        ),
        (
            "brackets.py",
            format!(
                "import replicate\nx = {}{}\n{run_call}\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
        ),
        (
            "indent.py",
            format!(
                "import replicate\n{}{}pass\n{run_call}\n",
                (0..1200)
                    .map(|i| format!("{}if x:\n", " ".repeat(i)))
                    .collect::<String>(),
                " ".repeat(1200)
            ),
        ),
        (
            "unary.py",
            format!("import replicate\nx = {}1\n{run_call}\n", "-".repeat(9_000)),
        ),
        ("ok.py", format!("import replicate\n{run_call}\n")),
    ];
    for (name, text) in &files {
        write(dir.path(), name, text);
    }
    let run = run_in(dir.path(), &["fix", "--output-format", "concise", "."]);
    assert_eq!(run.code, Some(1), "{run}");
    let line = |name: &str| {
        run.stdout
            .lines()
            .filter(|l| l.starts_with(&format!("{name}:")))
            .collect::<Vec<_>>()
    };
    assert!(
        line("brackets.py")
            .iter()
            .any(|l| l.contains("RM000") && l.contains("too many nested parentheses")),
        "{run}"
    );
    assert!(
        line("indent.py")
            .iter()
            .any(|l| l.contains("RM000") && l.contains("too many levels of indentation")),
        "{run}"
    );
    assert!(
        line("unary.py").iter().any(|l| l.contains("RM010")),
        "{run}"
    );
    assert_eq!(
        read(&dir.path().join("ok.py")),
        "import replicate\nreplicate.run('a/b', input={})\n"
    );
    let plus = read(&dir.path().join("plus.py"));
    assert_eq!(
        plus.matches("input={}").count(),
        1100,
        "every call in the chain is fixed"
    );
    assert!(read(&dir.path().join("calls.py")).contains("replicate.run('a/b', input={})"));
    assert!(temp_files(dir.path()).is_empty());
}

/// Issue 12, item 6: a file over `max-file-size` is reported and left whole, unless it never
/// mentions the SDK; the limit comes from the flag or the configuration, and the run goes on.
#[test]
fn files_over_the_size_limit_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let call = "replicate.run('a/b', {})\n";
    let big = format!("import replicate\n{}", call.repeat(200));
    write(dir.path(), "big.py", &big);
    write(dir.path(), "generated.py", "x = 1\n".repeat(2_000));
    write(dir.path(), "small.py", format!("import replicate\n{call}"));
    let run = run_in(
        dir.path(),
        &[
            "fix",
            "--output-format",
            "concise",
            "--max-file-size",
            "2KB",
            ".",
        ],
    );
    assert_eq!(run.code, Some(1), "{run}");
    assert!(
        run.stdout.lines().any(|l| l.starts_with("big.py:")
            && l.contains("RM012")
            && l.contains("max-file-size")),
        "{run}"
    );
    assert!(!run.stdout.contains("generated.py"), "{run}");
    assert_eq!(read(&dir.path().join("big.py")), big, "not changed");
    assert_eq!(
        read(&dir.path().join("small.py")),
        "import replicate\nreplicate.run('a/b', input={})\n"
    );
    // From the configuration, in the units a pyproject spells.
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.replicate-migrate]\nmax-file-size = \"1KiB\"\n",
    );
    let run = run_in(
        dir.path(),
        &["check", "--output-format", "concise", "big.py"],
    );
    assert!(run.stdout.contains("RM012"), "{run}");
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.replicate-migrate]\nmax-file-size = \"ten\"\n",
    );
    let run = run_in(dir.path(), &["check", "big.py"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.stderr.contains("invalid size `ten`"), "{run}");
}

/// Found by scripts/fuzz.sh: a fix refused at one call (RM003: v2's `create` has no `urls=`)
/// must not take its rule's fixes elsewhere in the file with it, or a second `fix` changes more
/// (`p.urls["get"]` on the last line was left by the first run and fixed by the second).
#[test]
fn a_refused_fix_does_not_make_a_second_fix_change_more() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "app.py",
        "import replicate\n\njob = replicate.predictions.create(\n    urls=job.urls[\"get\"],\n)\njob.reload()\np = replicate.predictions.create(model=\"owner/name\", input={})\nurls = p.urls[\"get\"]\n",
    );
    let args = ["fix", "--unsafe-fixes", "--output-format", "concise", "."];
    let first = run_in(dir.path(), &args);
    assert_eq!(first.code, Some(1), "{first}");
    assert!(first.stdout.contains("RM003"), "{first}");
    let once = read(&path);
    // The refused call is left as it was; the same rule's other fix is applied.
    assert!(once.contains("    urls=job.urls[\"get\"],\n"), "{once}");
    assert!(once.ends_with("urls = p.urls.get\n"), "{once}");
    let second = run_in(dir.path(), &args);
    assert_eq!(read(&path), once, "a second fix changes the file\n{second}");
}

/// Issue 12, item 9, found by scripts/fuzz.sh: the `AsyncReplicate` twin of a client made with
/// a walrus token (`Client(api_token:=...)`) was written `bearer_token=api_token:=...`, which does
/// not compile: RM209 was refused (RM002) in the first run and applied in the second, on the
/// constructor the first run had fixed. The twin keeps the walrus in parentheses.
#[test]
fn the_async_twin_of_a_client_made_with_a_walrus_token_compiles() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "app.py",
        "import os\nimport replicate\n\n\nclass Service:\n    def __init__(self):\n        self.client = replicate.Client(api_token:=os.environ[\"REPLICATE_API_TOKEN\"])\n\n    async def go(self):\n        return await self.client.predictions.async_create(model=\"owner/name\", input={})\n",
    );
    let args = ["fix", "--unsafe-fixes", "--output-format", "concise", "."];
    let first = run_in(dir.path(), &args);
    assert!(!first.stdout.contains("RM002"), "{first}");
    let once = read(&path);
    assert!(
        once.contains("self.async_client = replicate.AsyncReplicate(bearer_token=(api_token:=os.environ[\"REPLICATE_API_TOKEN\"]))"),
        "{once}"
    );
    let second = run_in(dir.path(), &args);
    assert_eq!(read(&path), once, "a second fix changes the file\n{second}");
}

/// Issue 12, item 9, found by scripts/fuzz.sh: where the client stays a v1 `Client` (its import
/// cannot be renamed: another `Client(...)` has a fix v2 refuses, RM003), RM107 matched its own
/// `str(x).rstrip("/") + "/v1"` again and every `fix` appended another `/v1`.
#[test]
fn a_base_url_fixed_once_is_not_fixed_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "app.py",
        "import os\nfrom replicate import Client\nclient = Client(base_ul=\"https://proxy.example.com/\")\nclient = Client(base_url=os.getenv(\"PROXY_URL\"))\n",
    );
    let args = ["fix", "--unsafe-fixes", "--output-format", "concise", "."];
    run_in(dir.path(), &args);
    let once = read(&path);
    assert!(
        once.contains("Client(base_url=str(os.getenv(\"PROXY_URL\")).rstrip(\"/\") + \"/v1\")"),
        "{once}"
    );
    let second = run_in(dir.path(), &args);
    assert_eq!(read(&path), once, "a second fix changes the file\n{second}");
}
