//! Rule tests: every rule's documented example, and every fixture under `fixtures/` with an
//! insta snapshot of its findings and of the fixed file (safe fixes, then unsafe ones too).

use std::path::Path;

use replicate_migrate::fix::fix_file;
use replicate_migrate::parse::{self, Source};
use replicate_migrate::report::{self, FileReport};
use replicate_migrate::rules::{self, check_file, RuleSet};

fn rules() -> RuleSet {
    rules::load_embedded().expect("embedded rules load")
}

fn check(rules: &RuleSet, text: &str) -> Vec<replicate_migrate::diagnostic::Diagnostic> {
    let source = Source::new(text.as_bytes().to_vec());
    let tree = parse::parse(&source);
    check_file(&source, &tree, rules)
}

#[test]
fn every_rule_documents_an_example_it_fixes_exactly() {
    let rules = rules();
    let mut failures = Vec::new();
    for rule in &rules.rules {
        let example = format!("{}\n", rule.docs.example.trim_end());
        let found = check(&rules, &example);
        if !found.iter().any(|d| d.code == rule.code) {
            failures.push(format!("{}: does not fire on its docs.example", rule.code));
            continue;
        }
        let Some(use_instead) = &rule.docs.use_instead else {
            continue;
        };
        let use_instead = format!("{}\n", use_instead.trim_end());
        let outcome = fix_file(&Source::new(example.into_bytes()), &rules, true);
        let fixed = String::from_utf8_lossy(&outcome.source.bytes).into_owned();
        if fixed != use_instead {
            failures.push(format!(
                "{}: example fixes to\n{fixed}\nbut docs.use_instead is\n{use_instead}",
                rule.code
            ));
        }
        if check(&rules, &use_instead)
            .iter()
            .any(|d| d.code == rule.code)
        {
            failures.push(format!("{}: fires on its own docs.use_instead", rule.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_a_fixture() {
    let rules = rules();
    let mut all = String::new();
    for entry in walk(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .as_path(),
    ) {
        all.push_str(&String::from_utf8_lossy(&std::fs::read(&entry).unwrap()));
    }
    let sources: Vec<Source> = walk(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .as_path(),
    )
    .into_iter()
    .map(|p| Source::new(std::fs::read(p).unwrap()))
    .collect();
    let mut fired = std::collections::HashSet::new();
    for source in &sources {
        let tree = parse::parse(source);
        for d in check_file(source, &tree, &rules) {
            fired.insert(d.code);
        }
    }
    let missing: Vec<&str> = rules
        .rules
        .iter()
        .filter(|r| !fired.contains(&r.code))
        .map(|r| r.code.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "rules with no fixture that triggers them: {missing:?}"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn diff(old: &[u8], new: &[u8]) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    if old == new {
        return "(no change)\n".to_string();
    }
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(2)
        .to_string()
}

#[test]
fn fixtures() {
    let rules = rules();
    insta::glob!("../fixtures", "**/*.py", |path| {
        let raw = std::fs::read(path).unwrap();
        let source = Source::new(raw.clone());
        let tree = parse::parse(&source);
        let name = path
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
            .unwrap()
            .display()
            .to_string();
        let mut snapshot = String::new();
        if let Some(offset) = parse::first_error(&tree) {
            let (line, col) = source.line_col(offset);
            snapshot.push_str(&format!(
                "RM000 syntax error at {line}:{col}; the file is not fixed\n"
            ));
            insta::assert_snapshot!(snapshot);
            return;
        }
        let diagnostics = check_file(&source, &tree, &rules);
        let report = FileReport::plain(
            name.clone(),
            replicate_migrate::document::Kind::Python,
            source.clone(),
            diagnostics,
        );
        snapshot.push_str("## findings\n");
        snapshot.push_str(&report::render(
            report::Format::Concise,
            std::slice::from_ref(&report),
            &rules,
            false,
        ));
        for (label, unsafe_fixes) in [("safe fixes", false), ("with unsafe fixes", true)] {
            let outcome = fix_file(&source, &rules, unsafe_fixes);
            snapshot.push_str(&format!("\n## {label}\n"));
            snapshot.push_str(&diff(&source.bytes, &outcome.source.bytes));
            let problems: Vec<_> = outcome
                .remaining
                .iter()
                .filter(|d| d.code.starts_with("RM00"))
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect();
            assert!(problems.is_empty(), "{name}: {problems:?}");
            let fixed_tree = parse::parse(&outcome.source);
            assert_eq!(
                parse::error_count(&fixed_tree),
                0,
                "{name}: fixed output does not parse"
            );
            let again = fix_file(&outcome.source, &rules, unsafe_fixes);
            assert_eq!(
                String::from_utf8_lossy(&again.source.bytes),
                String::from_utf8_lossy(&outcome.source.bytes),
                "{name}: a second fix changed the file"
            );
            // Bytes outside edits survive: the BOM and line endings stay.
            assert_eq!(
                outcome
                    .source
                    .to_file_bytes()
                    .expect("a UTF-8 fixture encodes")
                    .starts_with(b"\xEF\xBB\xBF"),
                raw.starts_with(b"\xEF\xBB\xBF")
            );
            snapshot.push_str("remaining:\n");
            for d in &outcome.remaining {
                let (line, col) = outcome.source.line_col(d.start);
                snapshot.push_str(&format!("  {line}:{col} {} {}\n", d.code, d.message));
            }
        }
        insta::assert_snapshot!(snapshot);
    });
}

/// Every fixed fixture compiles under CPython (one interpreter for all of them).
#[test]
fn fixed_fixtures_compile() {
    let rules = rules();
    let dir = tempfile::tempdir().unwrap();
    let mut count = 0;
    for path in walk(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .as_path(),
    ) {
        let source = Source::new(std::fs::read(&path).unwrap());
        if parse::first_error(&parse::parse(&source)).is_some() {
            continue;
        }
        let outcome = fix_file(&source, &rules, true);
        count += 1;
        std::fs::write(
            dir.path().join(format!("f{count}.py")),
            outcome
                .source
                .to_file_bytes()
                .expect("a UTF-8 fixture encodes"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join(format!("f{count}.name")),
            path.display().to_string(),
        )
        .unwrap();
    }
    let script = r#"
import sys, pathlib
bad = []
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.py")):
    try:
        compile(p.read_bytes(), str(p), "exec")
    except SyntaxError as e:
        bad.append(f"{p.with_suffix('.name').read_text()}: {e}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(dir.path())
        .output()
        .expect("python3 is needed to compile the fixed fixtures");
    assert!(
        out.status.success(),
        "fixed fixtures that do not compile:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(count > 0, "no fixtures found");
}

#[test]
fn readme_rule_table_is_current() {
    let table = rules::markdown_table(&rules());
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("<!-- rules:start -->\n")
        .expect("README has <!-- rules:start -->")
        + "<!-- rules:start -->\n".len();
    let end = readme
        .find("<!-- rules:end -->")
        .expect("README has <!-- rules:end -->");
    assert_eq!(
        &readme[start..end],
        table,
        "README's rule table is out of date; replace the part between the markers with the table above"
    );
}

/// Code already on v2 draws no finding: the verified v2 targets of the e2e programs and of the
/// guide pairs (as a pre-commit hook sees a migrated tree).
#[test]
fn verified_v2_targets_have_no_findings() {
    let rules = rules();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("REPLICATE_MIGRATE_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    let pairs = shared.join("harness/guide_pairs");
    assert!(
        pairs.is_dir(),
        "{} missing; put ../shared beside the repo",
        pairs.display()
    );
    let mut targets = Vec::new();
    for dir in [root.join("tests/e2e/programs"), pairs] {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let case = entry.path();
            let correct = case.join("v2_correct.py");
            let target = if correct.exists() {
                correct
            } else {
                case.join("v2.py")
            };
            if target.exists() {
                targets.push(target);
            }
        }
    }
    assert!(targets.len() > 60, "found only {} targets", targets.len());
    let mut findings = Vec::new();
    for target in &targets {
        let text = std::fs::read_to_string(target).unwrap();
        for d in check(&rules, &text) {
            findings.push(format!("{}: {} {}", target.display(), d.code, d.message));
        }
    }
    assert!(
        findings.is_empty(),
        "v2 code flagged:\n{}",
        findings.join("\n")
    );
}

/// No finding vanishes unfixed: every finding of a file before `fix` is either on a line the
/// fix changed, or still reported (same code, on the line it moved to), in safe and unsafe
/// mode, for every fixture, every e2e program and every guide pair.
#[test]
fn no_finding_vanishes_unfixed() {
    let rules = rules();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("REPLICATE_MIGRATE_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    let mut files = walk(&root.join("fixtures"));
    for dir in [
        root.join("tests/e2e/programs"),
        shared.join("harness/guide_pairs"),
    ] {
        assert!(dir.is_dir(), "{} missing", dir.display());
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let v1 = entry.path().join("v1.py");
            if v1.exists() {
                files.push(v1);
            }
        }
    }
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in &files {
        let source = Source::new(std::fs::read(path).unwrap());
        let tree = parse::parse(&source);
        if parse::first_error(&tree).is_some() {
            continue;
        }
        let before = check_file(&source, &tree, &rules);
        for unsafe_fixes in [false, true] {
            let outcome = fix_file(&source, &rules, unsafe_fixes);
            let old = String::from_utf8_lossy(&source.bytes).into_owned();
            let new = String::from_utf8_lossy(&outcome.source.bytes).into_owned();
            // Old line → new line for unchanged lines; changed lines map to nothing.
            let diff = similar::TextDiff::from_lines(&old, &new);
            let mut kept = std::collections::HashMap::new();
            for op in diff.ops() {
                if let similar::DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } = *op
                {
                    for i in 0..len {
                        kept.insert(old_index + i + 1, new_index + i + 1);
                    }
                }
            }
            for d in &before {
                checked += 1;
                let line = source.line_col(d.start).0;
                let last = source.line_col(d.end).0;
                if (line..=last).any(|l| !kept.contains_key(&l)) {
                    continue; // the fix changed the finding's code
                }
                // A fix that only adds an import (`import replicate.exceptions`) is done once
                // the file has it.
                let import_only = d.fix.as_ref().is_some_and(|f| {
                    f.edits.iter().all(|e| e.content.is_empty())
                        && f.imports.iter().all(|i| match i {
                            replicate_migrate::diagnostic::ImportNeed::Module(m) => {
                                new.contains(&format!("import {m}"))
                            }
                            _ => false,
                        })
                        && !f.imports.is_empty()
                });
                if import_only {
                    continue;
                }
                let new_line = kept[&line];
                let still = outcome
                    .remaining
                    .iter()
                    .any(|r| r.code == d.code && outcome.source.line_col(r.start).0 == new_line);
                if !still {
                    problems.push(format!(
                        "{} (unsafe fixes: {unsafe_fixes}): {} at line {line} vanished unfixed",
                        path.display(),
                        d.code
                    ));
                }
            }
        }
    }
    assert!(checked > 500, "too few findings checked: {checked}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// RM116 through the fix loop: without `--unsafe-fixes` the `except` clause is migrated by
/// RM912 and the missing-token finding, which no longer matches the migrated file, is still
/// reported (with its own fix as a by-hand hint); a declined fix keeps its reason. With
/// `--unsafe-fixes` only the declined ones remain.
#[test]
fn missing_token_findings_survive_the_fix_loop() {
    let rules = rules();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/client/missing-token-handler.py");
    let source = Source::new(std::fs::read(path).unwrap());
    let remaining = |unsafe_fixes: bool| -> Vec<(usize, String)> {
        let outcome = fix_file(&source, &rules, unsafe_fixes);
        let text = String::from_utf8_lossy(&outcome.source.bytes).into_owned();
        outcome
            .remaining
            .iter()
            .filter(|d| d.code == "RM116")
            .map(|d| {
                let line = text[..d.start].matches('\n').count() + 1;
                (line, d.help.clone().unwrap_or_default())
            })
            .collect()
    };
    let safe = remaining(false);
    let lines: Vec<usize> = safe.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [15, 23, 32, 42], "{safe:#?}");
    assert!(
        safe[0]
            .1
            .ends_with("also catch v2's `replicate.ReplicateError` by hand"),
        "{safe:#?}"
    );
    assert!(
        safe[2].1.starts_with("a later `except ModelError` clause"),
        "{safe:#?}"
    );
    assert!(
        safe[3].1.starts_with("the handler reads fields of `e`"),
        "{safe:#?}"
    );
    let unsafe_run = remaining(true);
    let lines: Vec<usize> = unsafe_run.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [32, 42], "{unsafe_run:#?}");
}
