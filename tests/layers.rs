//! The pipeline runs one way: each module of `src/` imports only the layers below it, so the
//! import graph has no cycle and no arrow back up. This test reads every `crate::...` path in
//! `src/` and fails on one that runs back up (or sideways into another module of its layer).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, lowest first; a module may import modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    &["diagnostic", "syntax"],
    &["document"],
    &["discover", "files"],
    &["parse"],
    &["semantic"],
    &["validate"],
    &["rules"],
    &["fix"],
    &["report"],
    &["config"],
    &["cli"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file names with `crate::`, comments removed.
fn imported_modules(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // `use crate::{a, b::c};`
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
        rest = after;
    }
    out
}

#[test]
fn imports_only_run_down_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut seen_modules = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let first = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .expect("a file name")
            .trim_end_matches(".rs")
            .to_string();
        // The crate root and the binary (`main.rs`, `args.rs`) wire everything.
        if matches!(first.as_str(), "lib" | "main" | "args") {
            continue;
        }
        let Some(own) = layer_of(&first) else {
            problems.push(format!(
                "{}: module `{first}` has no layer in tests/layers.rs",
                relative.display()
            ));
            continue;
        };
        seen_modules.insert(first.clone());
        let text = std::fs::read_to_string(file).expect("readable");
        for module in imported_modules(&text) {
            if module == first {
                continue;
            }
            match layer_of(&module) {
                Some(layer) if layer < own => {}
                Some(_) => problems.push(format!(
                    "{}: `{first}` imports `crate::{module}`, which is not below it in the pipeline",
                    relative.display()
                )),
                None => problems.push(format!(
                    "{}: imports `crate::{module}`, which has no layer in tests/layers.rs",
                    relative.display()
                )),
            }
        }
    }
    // Every layer names a module that exists, so the list cannot go stale.
    for module in LAYERS.iter().flat_map(|l| l.iter()) {
        if !seen_modules.contains(*module) {
            problems.push(format!(
                "tests/layers.rs names `{module}`, which src/ does not have"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_layer_reader_sees_grouped_and_plain_imports() {
    let found = imported_modules(
        "use crate::{discover, fix::fix_file};\nuse crate::rules::RuleSet;\n// crate::report\n",
    );
    let expected: BTreeSet<String> = ["discover", "fix", "rules"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(found, expected);
}

/// The hot path asks a node for a child by field id (`syntax::NodeExt::field`): tree-sitter's
/// `child_by_field_name` compares the name with every field name of the grammar on each call.
#[test]
fn children_are_found_by_field_id() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let by_name: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("syntax/node_ext.rs"))
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).expect("a source file is readable");
            text.lines()
                .enumerate()
                .filter(|(_, l)| l.contains(".child_by_field_name("))
                .map(|(i, _)| format!("{}:{}", f.display(), i + 1))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(files.len() > 50, "{} files", files.len());
    assert!(
        by_name.is_empty(),
        "use NodeExt::field (by id), not child_by_field_name, at {by_name:?}"
    );
}
