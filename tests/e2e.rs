//! End-to-end suite: migrate real v1 programs with the built binary and check, with the shared
//! behavioural-equivalence harness, that each rewrite behaves like the original.
//!
//! Cases:
//! - `guide/<folder>`: every folder of `<shared>/harness/guide_pairs/` that has a `v1.py`
//! - `program/<folder>`: every folder of `tests/e2e/programs/` that has a `v1.py`
//!
//! `<shared>` is `$REPLICATE_MIGRATE_SHARED`, else `<crate>/../shared`. Each case runs
//! `python3 <shared>/harness/migrate_and_compare.py <case>/v1.py --json --accept-exit 0,1
//! --cmd "<binary> fix [--unsafe-fixes] {file}"`, and its verdict must agree with
//! `tests/e2e/expected.toml` (see the comment at its top).
//!
//! Environment:
//! - `E2E_FILTER=substring`: run only the cases whose name contains it
//! - `E2E_JOBS=N`: worker threads (default 4)
//! - `HARNESS_VENV1`, `HARNESS_VENV2`, `XDG_CACHE_HOME`: where the harness venvs are (as the harness)
//!
//! Everything is written straight to stderr (not through `eprintln!`), so the per-case lines and the
//! summary show even when the test passes and cargo captures output.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use serde::Deserialize;
use serde_json::Value;

const DEFAULT_JOBS: usize = 4;
/// Lines kept from the end of each stream (tracebacks, tool output) in a mismatch report.
const TAIL_LINES: usize = 40;

/// Writes to the real stderr, bypassing the test harness's output capture.
fn say(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = err.write_all(b"\n");
    }
    let _ = err.flush();
}

/// One entry of `tests/e2e/expected.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// "equivalent" or "not-yet"
    verdict: Option<String>,
    /// why a not-yet case is not equivalent yet (the missing rule or cause)
    reason: Option<String>,
    /// run `fix --unsafe-fixes`
    #[serde(default, rename = "unsafe")]
    unsafe_fixes: bool,
    /// pass `--unordered` to the harness (only for programs that send requests concurrently)
    #[serde(default)]
    unordered: bool,
    /// why the case is not run at all
    excluded: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Equivalent,
    NotYet,
}

impl Expect {
    fn as_str(self) -> &'static str {
        match self {
            Expect::Equivalent => "equivalent",
            Expect::NotYet => "not-yet",
        }
    }
}

struct Case {
    name: String,
    program: PathBuf,
}

/// What the harness said about one case.
struct Outcome {
    /// the harness verdict (EQUIVALENT, DIFFERENT, ...), or "HARNESS ERROR"
    verdict: String,
    /// the JSON object the harness printed, if it printed one
    json: Option<Value>,
    /// when the harness printed no JSON: its exit status and output
    raw: Option<String>,
    secs: f64,
}

impl Outcome {
    /// The table category the verdict belongs to, or why it can never be an expected state.
    fn category(&self) -> Result<Expect, String> {
        let field = |k: &str| {
            self.json
                .as_ref()
                .and_then(|j| j.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        match self.verdict.as_str() {
            "EQUIVALENT" => Ok(Expect::Equivalent),
            "DIFFERENT" | "V2 FAILS" => Ok(Expect::NotYet),
            "V1 FAILS" => Err(
                "the v1 program itself fails on replicate 1.0.7, so there is nothing to \
                               compare: fix the program, or give the case `excluded = \"why\"`"
                    .to_string(),
            ),
            "MIGRATION FAILS" => Err(format!(
                "replicate-migrate failed (a tool failure is never an expected state): {}",
                field("problem")
            )),
            "SETUP ERROR" => Err(format!("harness setup error: {}", field("error"))),
            other => Err(format!("the harness gave no usable verdict ({other})")),
        }
    }
}

fn shared_dir(manifest: &Path) -> PathBuf {
    let dir = match std::env::var_os("REPLICATE_MIGRATE_SHARED") {
        Some(v) if !v.is_empty() => {
            let p = PathBuf::from(v);
            if p.is_absolute() {
                p
            } else {
                std::env::current_dir().expect("current dir").join(p)
            }
        }
        _ => manifest.join("..").join("shared"),
    };
    let harness = dir.join("harness").join("migrate_and_compare.py");
    if !harness.is_file() {
        panic!(
            "e2e: shared folder not found: {} has no harness/migrate_and_compare.py. Put the project's \
             `shared` folder beside the repository, or set REPLICATE_MIGRATE_SHARED to it.",
            dir.display()
        );
    }
    dir.canonicalize().unwrap_or(dir)
}

fn nonempty_env(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.is_empty())
}

/// The harness venvs must exist: a missing venv fails the suite, it never skips it.
fn check_venvs() {
    let cache = nonempty_env("XDG_CACHE_HOME").unwrap_or_else(|| {
        let home = nonempty_env("HOME").unwrap_or_else(|| "~".to_string());
        format!("{home}/.cache")
    });
    let mut missing = Vec::new();
    for n in [1, 2] {
        let venv = nonempty_env(&format!("HARNESS_VENV{n}"))
            .unwrap_or_else(|| format!("{cache}/replicate-migrate-harness/venv{n}"));
        let python = Path::new(&venv).join("bin").join("python");
        if !python.exists() {
            missing.push(format!("  venv{n}: no {}", python.display()));
        }
    }
    if !missing.is_empty() {
        panic!(
            "e2e: harness venvs missing; run `bash ../shared/harness/setup.sh`\n{}",
            missing.join("\n")
        );
    }
}

/// `prefix/<folder>` for each folder of `dir` that has a `v1.py`; a missing `dir` gives none.
fn cases_in(dir: &Path, prefix: &str) -> Vec<Case> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<Case> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("v1.py").is_file())
        .map(|p| Case {
            name: format!("{prefix}/{}", p.file_name().unwrap().to_string_lossy()),
            program: p.join("v1.py"),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn load_table(path: &Path) -> BTreeMap<String, Entry> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("e2e: cannot read {}: {e}", path.display()));
    let table: BTreeMap<String, Entry> = toml::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "e2e: {} is not a valid expectations table:\n{e}",
            path.display()
        )
    });
    let mut errors = Vec::new();
    for (name, e) in &table {
        match (&e.excluded, e.verdict.as_deref()) {
            (Some(why), None) => {
                if why.trim().is_empty() {
                    errors.push(format!("[\"{name}\"]: `excluded` needs the reason as its value"));
                }
                if e.reason.is_some() {
                    errors.push(format!(
                        "[\"{name}\"]: an excluded case takes no `reason`; say why in `excluded`"
                    ));
                }
            }
            (Some(_), Some(_)) => errors.push(format!(
                "[\"{name}\"]: has both `excluded` and `verdict`; keep one"
            )),
            (None, None) => errors.push(format!(
                "[\"{name}\"]: needs `verdict = \"equivalent\"` or `\"not-yet\"`, or `excluded = \"why\"`"
            )),
            (None, Some("equivalent")) => {
                if e.reason.is_some() {
                    errors.push(format!(
                        "[\"{name}\"]: an equivalent case takes no `reason`; remove it"
                    ));
                }
            }
            (None, Some("not-yet")) => {
                if e.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                    errors.push(format!(
                        "[\"{name}\"]: a not-yet case needs `reason` (the missing rule or cause)"
                    ));
                }
            }
            (None, Some(other)) => errors.push(format!(
                "[\"{name}\"]: verdict = {other:?}; must be \"equivalent\" or \"not-yet\""
            )),
        }
    }
    if !errors.is_empty() {
        panic!(
            "e2e: errors in {}:\n  {}",
            path.display(),
            errors.join("\n  ")
        );
    }
    table
}

/// Single-quotes `s` for `sh -c`.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn run_case(harness: &Path, bin: &str, case: &Case, entry: Option<&Entry>) -> Outcome {
    let unsafe_fixes = entry.is_some_and(|e| e.unsafe_fixes);
    let unordered = entry.is_some_and(|e| e.unordered);
    let cmd = format!(
        "{} fix {}{{file}}",
        shell_quote(bin),
        if unsafe_fixes { "--unsafe-fixes " } else { "" }
    );
    let mut command = Command::new("python3");
    command
        .arg(harness)
        .arg(&case.program)
        .args(["--json", "--accept-exit", "0,1", "--cmd", &cmd]);
    if unordered {
        command.arg("--unordered");
    }
    let start = Instant::now();
    let output = command.output();
    let secs = start.elapsed().as_secs_f64();
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            return Outcome {
                verdict: "HARNESS ERROR".into(),
                json: None,
                raw: Some(format!("cannot run python3 {}: {e}", harness.display())),
                secs,
            }
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    match serde_json::from_str::<Value>(stdout.trim()) {
        Ok(json) => Outcome {
            verdict: json
                .get("verdict")
                .and_then(Value::as_str)
                .unwrap_or("HARNESS ERROR")
                .to_string(),
            json: Some(json),
            raw: None,
            secs,
        },
        Err(e) => Outcome {
            verdict: "HARNESS ERROR".into(),
            json: None,
            raw: Some(format!(
                "the harness exited {} without a JSON verdict ({e})\n-- stdout:\n{}\n-- stderr:\n{}",
                output.status,
                tail(&stdout, TAIL_LINES),
                tail(&String::from_utf8_lossy(&output.stderr), TAIL_LINES)
            )),
            secs,
        },
    }
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let skip = lines.len().saturating_sub(n);
    let mut out = String::new();
    if skip > 0 {
        let _ = writeln!(out, "      [... {skip} earlier lines]");
    }
    for l in &lines[skip..] {
        let _ = writeln!(out, "      {l}");
    }
    out
}

fn str_lines(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The harness's evidence for one case: the migration and its diff, then the comparison.
fn report(out: &Outcome) -> String {
    let mut s = String::new();
    if let Some(raw) = &out.raw {
        let _ = writeln!(s, "  {}", raw.replace('\n', "\n  "));
        return s;
    }
    let Some(j) = &out.json else { return s };
    if let Some(err) = j.get("error").and_then(Value::as_str) {
        let _ = writeln!(s, "  harness error: {err}");
    }
    if let Some(m) = j.get("migration") {
        let rc = match (m.get("timed_out").and_then(Value::as_bool), m.get("rc")) {
            (Some(true), _) => "timed out".to_string(),
            (_, Some(rc)) => format!("exit {rc}"),
            _ => "?".to_string(),
        };
        let changed = str_lines(m.get("changed_files"));
        let _ = writeln!(
            s,
            "  migration: {}  -> {rc}, {}",
            m.get("command").and_then(Value::as_str).unwrap_or("?"),
            if changed.is_empty() {
                "changed nothing (v2 ran the v1 code as it is)".to_string()
            } else {
                format!("changed {}", changed.join(", "))
            }
        );
        for stream in ["stdout", "stderr"] {
            let text = m.get(stream).and_then(Value::as_str).unwrap_or("");
            if !text.trim().is_empty() {
                let _ = write!(s, "  -- migration {stream}:\n{}", tail(text, TAIL_LINES));
            }
        }
        let diff = str_lines(m.get("diff"));
        if !diff.is_empty() {
            let _ = writeln!(s, "  -- migration diff:");
            for l in diff {
                let _ = writeln!(s, "      {l}");
            }
        }
    }
    for side in ["v1", "v2"] {
        let Some(run) = j.get(side) else { continue };
        let rc = run.get("rc").and_then(Value::as_i64);
        if rc != Some(0) {
            let rc = rc.map_or("timed out".to_string(), |r| format!("exit {r}"));
            let stderr = run.get("stderr_tail").and_then(Value::as_str).unwrap_or("");
            let _ = write!(
                s,
                "  -- {side} program failed ({rc}); stderr:\n{}",
                tail(stderr, TAIL_LINES)
            );
        }
    }
    for (key, title) in [
        ("request_diff", "request diff (normalised, v1 -> v2)"),
        ("stdout_diff", "stdout diff (@@ lines, v1 -> v2)"),
    ] {
        let diff = str_lines(j.get(key));
        if !diff.is_empty() {
            let _ = writeln!(s, "  -- {title}:");
            for l in diff {
                let _ = writeln!(s, "      {l}");
            }
        }
    }
    s
}

fn toml_snippet(name: &str, actual: Option<Expect>) -> String {
    match actual {
        Some(Expect::Equivalent) => format!("[\"{name}\"]\nverdict = \"equivalent\"\n"),
        _ => format!(
            "[\"{name}\"]\nverdict = \"not-yet\"\nreason = \"<the missing rule or cause>\"\n"
        ),
    }
}

#[test]
fn e2e_harness_verdicts_match_expectations() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_replicate-migrate");
    let shared = shared_dir(&manifest);
    let harness = shared.join("harness").join("migrate_and_compare.py");
    let table_path = manifest.join("tests").join("e2e").join("expected.toml");
    let table = load_table(&table_path);
    check_venvs();

    let filter = nonempty_env("E2E_FILTER");
    let selected = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    if let Some(f) = &filter {
        say(&format!(
            "e2e: E2E_FILTER={f:?} is active: only cases whose name contains it run"
        ));
    }

    let mut all = cases_in(&shared.join("harness").join("guide_pairs"), "guide");
    all.extend(cases_in(
        &manifest.join("tests").join("e2e").join("programs"),
        "program",
    ));
    let existing: Vec<String> = all.iter().map(|c| c.name.clone()).collect();
    let cases: Vec<Case> = all.into_iter().filter(|c| selected(&c.name)).collect();
    if cases.is_empty() {
        panic!(
            "e2e: no cases to run{} (looked in {}/harness/guide_pairs and tests/e2e/programs)",
            if filter.is_some() {
                " with this E2E_FILTER"
            } else {
                ""
            },
            shared.display()
        );
    }

    // (c) table entries that name no existing case
    let stale: Vec<&String> = table
        .keys()
        .filter(|k| selected(k) && !existing.contains(k))
        .collect();

    let mut excluded = Vec::new();
    let mut to_run = Vec::new();
    for case in &cases {
        match table.get(&case.name) {
            Some(Entry {
                excluded: Some(why),
                ..
            }) => excluded.push((case.name.clone(), why.clone())),
            entry => to_run.push((case, entry)),
        }
    }
    for (name, why) in &excluded {
        say(&format!("e2e: excluded {name}: {why}"));
    }

    let jobs = nonempty_env("E2E_JOBS")
        .and_then(|j| j.parse::<usize>().ok())
        .filter(|&j| j > 0)
        .unwrap_or(DEFAULT_JOBS)
        .min(to_run.len().max(1));
    say(&format!(
        "e2e: running {} cases with {jobs} workers (binary {bin}, harness {})",
        to_run.len(),
        harness.display()
    ));

    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let total = to_run.len();
    let mut outcomes: Vec<Option<Outcome>> = (0..total).map(|_| None).collect();
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, to_run, harness) = (&next, &to_run, &harness);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((case, entry)) = to_run.get(i) else {
                    break;
                };
                let mut out = run_case(harness, bin, case, *entry);
                // A program that sends requests concurrently races the fake API under load (it
                // hands out prediction ids in arrival order, and only adjacent polls collapse):
                // such a case gets two more tries before another verdict counts. Each retry is
                // printed, so a flake shows in the log.
                let concurrent = entry.is_some_and(|e| e.unordered);
                let mut tries = 1;
                while concurrent && out.verdict != "EQUIVALENT" && tries < 3 {
                    say(&format!(
                        "e2e: {} was {} on try {tries} (concurrent requests): trying again",
                        case.name, out.verdict
                    ));
                    out = run_case(harness, bin, case, *entry);
                    tries += 1;
                }
                if tx.send((i, out)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (done, (i, out)) in rx.iter().enumerate() {
            let (case, entry) = to_run[i];
            let expected = entry
                .and_then(|e| e.verdict.as_deref())
                .unwrap_or("no entry");
            let ok = match (out.category(), expected) {
                (Ok(Expect::Equivalent), "equivalent") | (Ok(Expect::NotYet), "not-yet") => "ok",
                _ => "MISMATCH",
            };
            say(&format!(
                "e2e: [{:>2}/{total}] {:<44} {:<16} expected {:<11} {ok:<8} {:.1}s",
                done + 1,
                case.name,
                out.verdict,
                expected,
                out.secs
            ));
            outcomes[i] = Some(out);
        }
    });
    let elapsed = start.elapsed();

    // Judge every case, in name order.
    let mut passed = 0usize;
    let mut failures: Vec<String> = Vec::new();
    let (mut n_equivalent, mut n_not_yet) = (0usize, 0usize);
    for ((case, entry), out) in to_run.iter().zip(outcomes) {
        let out = out.expect("every case has an outcome");
        let category = out.category();
        match category {
            Ok(Expect::Equivalent) => n_equivalent += 1,
            _ => n_not_yet += 1,
        }
        let expected = match entry.and_then(|e| e.verdict.as_deref()) {
            Some("equivalent") => Some(Expect::Equivalent),
            Some(_) => Some(Expect::NotYet),
            None => None,
        };
        let headline = match (expected, &category) {
            (Some(e), Ok(a)) if e == *a => {
                passed += 1;
                continue;
            }
            (None, cat) => format!(
                "has no entry in tests/e2e/expected.toml (actual: {}). Add:\n{}",
                out.verdict,
                toml_snippet(&case.name, cat.as_ref().ok().copied())
                    .lines()
                    .map(|l| format!("      {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            (Some(e), Err(why)) => format!("expected {}, got {}: {why}", e.as_str(), out.verdict),
            (Some(Expect::NotYet), Ok(Expect::Equivalent)) => format!(
                "expected not-yet, got EQUIVALENT: the rewrite now behaves like the original. Promote \
                 it: set verdict = \"equivalent\" and drop the reason (was: {:?})",
                entry.and_then(|e| e.reason.as_deref()).unwrap_or("")
            ),
            (Some(_), Ok(_)) => format!(
                "expected equivalent, got {}: a regression (the rewrite no longer behaves like the \
                 original)",
                out.verdict
            ),
        };
        failures.push(format!(
            "e2e: FAILED {}  ({})\n  {headline}\n{}",
            case.name,
            case.program.display(),
            report(&out)
        ));
    }
    for name in &stale {
        failures.push(format!(
            "e2e: FAILED [\"{name}\"] in tests/e2e/expected.toml names no existing case (no {}/v1.py); \
             remove the entry or fix its name",
            name.replacen("guide/", "<shared>/harness/guide_pairs/", 1)
                .replacen("program/", "tests/e2e/programs/", 1)
        ));
    }

    for f in &failures {
        say(&format!("\n{f}"));
    }
    say(&format!(
        "\ne2e: ran {total} cases in {:.1}s with {jobs} workers",
        elapsed.as_secs_f64()
    ));
    say(&format!(
        "e2e: {n_equivalent}/{total} equivalent, {n_not_yet} not-yet, {} excluded",
        excluded.len()
    ));
    say(&format!("e2e: {passed} passed, {} failed", failures.len()));
    if !failures.is_empty() {
        panic!(
            "e2e: {} of the verdicts/entries above do not match tests/e2e/expected.toml (see the FAILED \
             reports above)",
            failures.len()
        );
    }
}
