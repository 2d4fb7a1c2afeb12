//! Behaviour tests over whole manifests: the fixtures under `fixtures/manifests/`, and small
//! inline files for the edge cases.
//!
//! Here the shared helpers (`fixture!` comes before the submodules so they can use it); the tests
//! are in the submodules, by manifest kind.

use std::path::Path;

use super::*;

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!("../../../../fixtures/manifests/", $path))
    };
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

/// `CODE line `snippet` [-> `replacement`]` for each finding.
fn render(bytes: &[u8], c: &Checked) -> Vec<String> {
    c.findings
        .iter()
        .map(|f| {
            let snippet = String::from_utf8_lossy(&bytes[f.start..f.end]);
            let line = line_of(bytes, f.start);
            match &f.fix {
                Some(r) => format!("{} {line} `{snippet}` -> `{}`", f.code, r.content),
                None => format!("{} {line} `{snippet}`", f.code),
            }
        })
        .collect()
}

fn run(kind: ManifestKind, text: &str) -> (Checked, Vec<String>) {
    let c = check(kind, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let r = render(text.as_bytes(), &c);
    (c, r)
}

/// The whole fixed file must be the original with exactly these substitutions (each `old`
/// occurring once), every fix must lie inside its finding, and a second check must find
/// nothing fixable.
fn assert_fixed(kind: ManifestKind, text: &str, c: &Checked, subs: &[(&str, &str)]) {
    let mut expected = text.to_string();
    for (old, new) in subs {
        assert_eq!(expected.matches(old).count(), 1, "`{old}` must occur once");
        expected = expected.replacen(old, new, 1);
    }
    let fixed = String::from_utf8(apply_fixes(text.as_bytes(), &c.findings)).unwrap();
    assert_eq!(fixed, expected);
    for f in &c.findings {
        if let Some(r) = &f.fix {
            assert!(f.start <= r.start && r.end <= f.end, "{f:?}");
            assert_eq!(f.code, RM950);
        }
    }
    let again = check(kind, fixed.as_bytes()).unwrap();
    assert!(
        again.findings.iter().all(|f| f.code != RM950),
        "still fixable after the fix: {:?}",
        render(fixed.as_bytes(), &again)
    );
}

fn includes(c: &Checked) -> Vec<(String, ManifestKind)> {
    c.includes
        .iter()
        .map(|i| (i.path.clone(), i.kind))
        .collect()
}

mod across_kinds;
mod conda_and_locks;
mod pins;
mod pipfile;
mod pyproject;
mod requirements;
mod setup;
