//! Parse stage: a Python file's tree-sitter tree, and where it has syntax errors.

pub mod cpython;

use std::cell::RefCell;
use tree_sitter::{Node, Parser, Tree};

pub use crate::syntax::Source;

thread_local! {
    // One parser per rayon worker: creating one per file costs more than the parse.
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .expect("tree-sitter-python matches the linked tree-sitter ABI");
        parser
    });
}

pub fn parse(source: &Source) -> Tree {
    PARSER.with(|p| {
        p.borrow_mut()
            .parse(&source.bytes, None)
            .expect("parse only fails on cancellation or timeout, and we set neither")
    })
}

/// The byte offset of the first syntax error, if the tree has one.
pub fn first_error(tree: &Tree) -> Option<usize> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    let mut node = root;
    loop {
        if node.is_error() || node.is_missing() {
            return Some(node.start_byte());
        }
        let next = node
            .children(&mut cursor)
            .find(|c| c.has_error() || c.is_error() || c.is_missing());
        match next {
            Some(child) => node = child,
            None => return Some(node.start_byte()),
        }
    }
}

/// Counts ERROR and MISSING nodes, to tell whether a fix made a file worse. Iterative: deep
/// expressions must not overflow the stack.
pub fn error_count(tree: &Tree) -> usize {
    let mut count = 0;
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            count += 1;
        }
        if node.has_error() {
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
    }
    count
}

/// A tree's named nodes in source order (preorder) and its depth (in nodes, named or not):
/// one walk of the tree, shared by the depth guard, the semantic model's name index and the
/// checker, which would otherwise each walk it with a tree-sitter cursor.
pub struct Preorder<'t> {
    pub named: Vec<Node<'t>>,
    pub depth: usize,
}

pub fn preorder(tree: &Tree) -> Preorder<'_> {
    let mut cursor = tree.walk();
    let mut named = Vec::new();
    let mut depth = 0usize;
    let mut max = 0usize;
    loop {
        max = max.max(depth);
        let node = cursor.node();
        if node.is_named() {
            named.push(node);
        }
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return Preorder { named, depth: max };
            }
            depth -= 1;
        }
    }
}

/// How deep the tree nests, in nodes.
pub fn depth(tree: &Tree) -> usize {
    preorder(tree).depth
}

/// Trees deeper than this are reported and skipped: the semantic model walks statements and
/// expressions recursively, within the run's worker stacks (see `cli`).
pub const MAX_DEPTH: usize = 8_000;
