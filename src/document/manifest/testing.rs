//! Test support: run the real `packaging` library (or pip's vendored copy) under python.

use std::io::Write;
use std::process::{Command, Stdio};

/// A python and the import path of a `packaging` it can import.
#[derive(Debug, Clone)]
pub struct Packaging {
    pub python: String,
    pub module: String,
    pub version: String,
    /// Whether `SpecifierSet.contains` still refuses pre-releases by default (packaging ≤ 24),
    /// so that its default answer is pip's choice.
    pub legacy_prereleases: bool,
    /// Whether it still has `LegacySpecifier` (packaging < 22), which accepts malformed clauses.
    pub has_legacy_specifier: bool,
}

fn pythons() -> Vec<String> {
    let mut out = Vec::new();
    if let Some(home) = std::env::var_os("HOME") {
        for venv in ["venv2", "venv1"] {
            let p = std::path::Path::new(&home)
                .join(".cache/replicate-migrate-harness")
                .join(venv)
                .join("bin/python");
            if p.exists() {
                out.push(p.display().to_string());
            }
        }
    }
    out.push("python3".to_string());
    out
}

/// Every distinct `packaging` that some python here can import: the real one and pip's
/// vendored copy. Panics (fails the test) when there is none.
pub fn packagings() -> Vec<Packaging> {
    let probe = r#"
import importlib, sys
m = importlib.import_module(sys.argv[1])
S = importlib.import_module(sys.argv[1] + ".specifiers")
legacy = not S.SpecifierSet(">=1.0").contains("2.0.0b4")
print(m.__version__, int(legacy), int(hasattr(S, "LegacySpecifier")))
"#;
    let mut found: Vec<Packaging> = Vec::new();
    for python in pythons() {
        for module in ["packaging", "pip._vendor.packaging"] {
            let Ok(out) = Command::new(&python)
                .args(["-c", probe, module])
                .stderr(Stdio::null())
                .output()
            else {
                continue;
            };
            if !out.status.success() {
                continue;
            }
            let text = String::from_utf8_lossy(&out.stdout);
            let parts: Vec<&str> = text.split_whitespace().collect();
            let [version, legacy, has_legacy] = parts.as_slice() else {
                continue;
            };
            if found.iter().any(|f| f.version == *version) {
                continue;
            }
            found.push(Packaging {
                python: python.clone(),
                module: module.to_string(),
                version: version.to_string(),
                legacy_prereleases: *legacy == "1",
                has_legacy_specifier: *has_legacy == "1",
            });
        }
    }
    assert!(
        !found.is_empty(),
        "no python here can import `packaging` or `pip._vendor.packaging`: \
         run scripts/test.sh (it makes the harness venvs) or `pip install packaging`"
    );
    found
}

/// Runs `script` (which imports from the module named by `sys.argv[1]`) with `input` on stdin.
pub fn run(p: &Packaging, script: &str, input: &str) -> String {
    let mut child = Command::new(&p.python)
        .args(["-c", script, &p.module])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
