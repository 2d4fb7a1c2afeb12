//! The v2 API model stays true to the real SDK: it is regenerated from the harness's v2 venv and
//! compared with the committed file, and every API path our fixes emit is resolved in that venv.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use replicate_migrate::fix::fix_file;
use replicate_migrate::parse::{self, Source};
use replicate_migrate::rules;
use replicate_migrate::semantic::SemanticModel;
use replicate_migrate::validate::api_key;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The v2 venv's Python, where `../shared/harness/setup.sh` puts it. Missing is a failure, not a
/// skip: the README's test command makes it.
fn venv2_python() -> PathBuf {
    let venv = std::env::var_os("HARNESS_VENV2")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache")
                });
            cache.join("replicate-migrate-harness").join("venv2")
        });
    let python = venv.join("bin").join("python");
    assert!(
        python.exists(),
        "v2 venv missing at {}; run `bash ../shared/harness/setup.sh` (or `bash scripts/test.sh`)",
        venv.display()
    );
    python
}

#[test]
fn committed_model_matches_the_installed_sdk() {
    let out = Command::new(venv2_python())
        .arg(root().join("tools/gen_v2_api.py"))
        .output()
        .expect("run tools/gen_v2_api.py");
    assert!(
        out.status.success(),
        "generator failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read(root().join("src/validate/v2_api.json")).unwrap();
    assert!(
        out.stdout == committed,
        "src/validate/v2_api.json differs from what tools/gen_v2_api.py generates; regenerate it:\n  \
         $VENV2/bin/python tools/gen_v2_api.py > src/validate/v2_api.json"
    );
}

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            python_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

/// Every SDK call and symbol in the fixed fixtures, docs examples and e2e programs.
fn emitted_paths() -> BTreeSet<String> {
    let rules = rules::load_embedded().unwrap();
    let mut sources: Vec<Vec<u8>> = rules
        .rules
        .iter()
        .map(|r| r.docs.example.clone().into_bytes())
        .collect();
    let mut files = Vec::new();
    python_files(&root().join("fixtures"), &mut files);
    python_files(&root().join("tests/e2e/programs"), &mut files);
    for file in files
        .iter()
        .filter(|f| !f.ends_with("v2.py") && !f.to_string_lossy().contains("/v2_"))
    {
        sources.push(std::fs::read(file).unwrap());
    }
    let mut paths = BTreeSet::new();
    for raw in sources {
        let source = Source::new(raw);
        if parse::first_error(&parse::parse(&source)).is_some() {
            continue;
        }
        let outcome = fix_file(&source, &rules, true);
        if outcome.source.bytes == source.bytes {
            continue;
        }
        let tree = parse::parse(&outcome.source);
        let model = SemanticModel::build(&outcome.source, &tree);
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
            if node.kind() != "call" {
                continue;
            }
            // Calls still flagged are v1 code the fix left for the user, not emitted.
            let flagged = outcome
                .remaining
                .iter()
                .any(|d| d.start < node.end_byte() && d.end > node.start_byte());
            if flagged {
                continue;
            }
            if let Some(key) = api_key(&model, node) {
                let qualified = ["client.", "async_client.", "module."]
                    .iter()
                    .any(|p| key.starts_with(p));
                let key = if qualified {
                    key
                } else {
                    format!("replicate.{key}")
                };
                paths.insert(key);
            }
        }
    }
    paths
}

#[test]
fn every_emitted_api_path_resolves_in_v2() {
    let paths = emitted_paths();
    assert!(paths.len() > 20, "too few emitted paths found: {paths:?}");
    let mut child = Command::new(venv2_python())
        .arg(root().join("tools/check_v2_paths.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tools/check_v2_paths.py");
    let input: String = paths.iter().map(|p| format!("{p}\n")).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "paths our fixes emit that do not resolve in replicate==2.0.0b4:\n{}\n{}",
        stdout
            .lines()
            .filter(|l| !l.starts_with("ok "))
            .collect::<Vec<_>>()
            .join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "{} emitted API paths resolve in replicate==2.0.0b4",
        paths.len()
    );
    let api = replicate_migrate::validate::V2Api::embedded();
    for path in &paths {
        let key = path.strip_prefix("replicate.").unwrap_or(path);
        // `Client` is v2's alias of `Replicate` (left alone in code already on v2, as
        // `validate` reads it).
        let key = if key == "Client" { "Replicate" } else { key };
        // Methods of exported classes (`ModelVersionIdentifier.parse`) are resolved above but
        // not modelled.
        let class_method = key.contains('.') && api.exports(key.split('.').next().unwrap_or(key));
        // Classes of v2 modules (`replicate.types.FileCreateParams(...)`, a TypedDict) are
        // recorded as the module's names, not as callables.
        let module_class = key
            .strip_prefix("module.")
            .and_then(|k| k.rsplit_once('.'))
            .is_some_and(|(module, name)| api.module_has(&format!("replicate.{module}"), name));
        assert!(
            class_method || module_class || api.callable(key).is_some(),
            "`{path}` is emitted but not in the v2 model"
        );
    }
}
