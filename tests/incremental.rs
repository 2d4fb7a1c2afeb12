//! The fix loop parses each pass's text incrementally (`parse::reparse`, tree-sitter's
//! `Tree::edit`): the tree must be the one a fresh parse gives, node for node, on every fixture
//! and every e2e program, for each pass the fixes make.

use std::path::{Path, PathBuf};

use replicate_migrate::fix::apply_fixes;
use replicate_migrate::parse::{self, Source};
use replicate_migrate::rules::{self, check_file};
use tree_sitter::Tree;

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("a readable directory")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            python_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

/// Every node as (kind, byte range, point range, whether it is an error), in preorder.
fn nodes(
    tree: &Tree,
) -> Vec<(
    u16,
    usize,
    usize,
    tree_sitter::Point,
    tree_sitter::Point,
    bool,
)> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let n = cursor.node();
        out.push((
            n.kind_id(),
            n.start_byte(),
            n.end_byte(),
            n.start_position(),
            n.end_position(),
            n.is_error() || n.is_missing(),
        ));
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

#[test]
fn reparsed_trees_are_fresh_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = rules::load_embedded().expect("embedded rules load");
    let mut files = Vec::new();
    python_files(&root.join("fixtures"), &mut files);
    python_files(&root.join("tests/e2e/programs"), &mut files);
    files.sort();
    let (mut passes, mut edits) = (0, 0);
    for file in &files {
        let mut source = Source::new(std::fs::read(file).expect("a readable file"));
        let mut tree = parse::parse(&source);
        // Up to three passes of every fix, safe or not, as the fix loop makes them.
        for _ in 0..3 {
            let findings = check_file(&source, &tree, &rules);
            let applicable: Vec<bool> = findings.iter().map(|d| d.fix.is_some()).collect();
            let applied = apply_fixes(&source, &tree, &findings, &applicable);
            if applied.count == 0 {
                break;
            }
            let new = source.with_bytes(applied.bytes.clone());
            let reparsed = parse::reparse(&tree, &source, applied.edits(), &new);
            let fresh = parse::parse(&new);
            assert_eq!(
                reparsed.root_node().to_sexp(),
                fresh.root_node().to_sexp(),
                "{}",
                file.display()
            );
            assert!(nodes(&reparsed) == nodes(&fresh), "{}", file.display());
            passes += 1;
            edits += applied.edits().len();
            source = new;
            tree = reparsed;
        }
    }
    // The fixtures fix thousands of calls: the comparison is not vacuous.
    assert!(
        files.len() > 200 && passes > 150 && edits > 1000,
        "{} files, {passes} passes, {edits} edits",
        files.len()
    );
}
