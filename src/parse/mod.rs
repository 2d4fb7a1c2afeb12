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

/// `new` parsed again from `old`, the tree of `old_source`, given the edits that made `new`
/// from `old_source` (sorted, disjoint, in `old_source`'s coordinates): tree-sitter reuses
/// every subtree the edits did not touch, so a fix pass does not parse the file from scratch.
pub fn reparse(
    old: &Tree,
    old_source: &Source,
    edits: &[crate::diagnostic::Edit],
    new: &Source,
) -> Tree {
    let mut tree = old.clone();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', &old_source.bytes).map(|i| i + 1))
        .collect();
    let point = |offset: usize| {
        let row = line_starts.partition_point(|&s| s <= offset) - 1;
        tree_sitter::Point::new(row, offset - line_starts[row])
    };
    // From the last edit back: the positions before an edit are the same in the text the
    // later edits made.
    for edit in edits.iter().rev() {
        let start_position = point(edit.start);
        let new_end_position = match memchr::memrchr(b'\n', &edit.content) {
            Some(last) => tree_sitter::Point::new(
                start_position.row + memchr::memchr_iter(b'\n', &edit.content).count(),
                edit.content.len() - last - 1,
            ),
            None => tree_sitter::Point::new(
                start_position.row,
                start_position.column + edit.content.len(),
            ),
        };
        tree.edit(&tree_sitter::InputEdit {
            start_byte: edit.start,
            old_end_byte: edit.end,
            new_end_byte: edit.start + edit.content.len(),
            start_position,
            old_end_position: point(edit.end),
            new_end_position,
        });
    }
    PARSER.with(|p| {
        p.borrow_mut()
            .parse(&new.bytes, Some(&tree))
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
    // About half the nodes are named (punctuation and keywords are not).
    let mut named = Vec::with_capacity(tree.root_node().descendant_count() / 2);
    let depth = walk(tree, |node| named.push(node));
    Preorder { named, depth }
}

/// How deep the tree nests, in nodes.
pub fn depth(tree: &Tree) -> usize {
    walk(tree, |_| ())
}

/// Visits every named node in source order without recursion; returns the tree's depth.
fn walk<'t>(tree: &'t Tree, mut named: impl FnMut(Node<'t>)) -> usize {
    let mut cursor = tree.walk();
    let mut depth = 0usize;
    let mut max = 0usize;
    loop {
        max = max.max(depth);
        let node = cursor.node();
        if node.is_named() {
            named(node);
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
                return max;
            }
            depth -= 1;
        }
    }
}

/// Trees deeper than this are reported and skipped: the semantic model walks statements and
/// expressions recursively, within the run's worker stacks (see `cli`).
pub const MAX_DEPTH: usize = 8_000;
