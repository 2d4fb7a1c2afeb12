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

/// A tree's named nodes in source order (preorder), each one's children, and its depth (in
/// nodes, named or not): one walk of the tree, shared by the depth guard, the semantic model's
/// builder, flow analysis and name index, the checker and the CPython checks, which would
/// otherwise each walk it with a tree-sitter cursor (a cursor step costs more than the rest of
/// a visit).
pub struct Preorder<'t> {
    pub named: Vec<Node<'t>>,
    pub children: Children<'t>,
    pub depth: usize,
}

/// Each named node's children (named or not, comments included), by the node's index in
/// [`Preorder::named`] or by the node.
pub struct Children<'t> {
    /// Every node but the root, in preorder.
    all: Vec<Kid<'t>>,
    /// `all[order[starts[i]..starts[i + 1]]]` are named node `i`'s children (indices rather than
    /// a second copy of the nodes, 40 bytes each).
    starts: Vec<u32>,
    order: Vec<u32>,
    /// A named node's index, by `Node::id`.
    index: foldhash::HashMap<usize, u32>,
}

/// A child, as a cursor on it tells: the node, its field in the parent, and what kind of node
/// it is (asked once here, not by each reader).
#[derive(Clone, Copy)]
pub struct Kid<'t> {
    pub node: Node<'t>,
    pub field: Option<std::num::NonZeroU16>,
    pub named: bool,
    pub extra: bool,
}

impl<'t> Children<'t> {
    /// The index of `node` in [`Preorder::named`], when it is one of the tree's named nodes.
    pub fn index_of(&self, node: Node) -> Option<u32> {
        self.index.get(&node.id()).copied()
    }

    /// The children of `node`, when it is one of the tree's named nodes.
    pub fn of_node(&self, node: Node) -> Option<impl ExactSizeIterator<Item = Kid<'t>> + '_> {
        self.index_of(node).map(|i| self.of(i))
    }

    /// The children of named node `i`, in source order.
    pub fn of(&self, i: u32) -> impl ExactSizeIterator<Item = Kid<'t>> + '_ {
        self.order[self.range(i)]
            .iter()
            .map(|&k| self.all[k as usize])
    }

    /// How many children named node `i` has.
    pub fn count(&self, i: u32) -> usize {
        self.range(i).len()
    }

    /// Named node `i`'s `k`th child.
    pub fn nth(&self, i: u32, k: usize) -> Kid<'t> {
        self.all[self.order[self.range(i)][k] as usize]
    }

    fn range(&self, i: u32) -> std::ops::Range<usize> {
        let i = i as usize;
        self.starts[i] as usize..self.starts[i + 1] as usize
    }
}

/// No named parent: the root, or a node under an unnamed one.
const NO_PARENT: u32 = u32::MAX;

pub fn preorder(tree: &Tree) -> Preorder<'_> {
    let count = tree.root_node().descendant_count();
    // About half the nodes are named (punctuation and keywords are not).
    let mut named = Vec::with_capacity(count / 2);
    // Every node but the root, and its parent's index in `named`.
    let mut all: Vec<Kid> = Vec::with_capacity(count);
    let mut parents: Vec<u32> = Vec::with_capacity(count);
    // The index of the node at each depth of the walk's path (`NO_PARENT` for unnamed ones).
    let mut path: Vec<u32> = Vec::new();
    let depth = walk(tree, |cursor, depth| {
        let node = cursor.node();
        path.truncate(depth);
        let is_named = node.is_named();
        if depth > 0 {
            all.push(Kid {
                node,
                field: cursor.field_id(),
                named: is_named,
                extra: node.is_extra(),
            });
            parents.push(path.last().copied().unwrap_or(NO_PARENT));
        }
        if is_named {
            path.push(named.len() as u32);
            named.push(node);
        } else {
            path.push(NO_PARENT);
        }
    });
    let children = children(&named, all, &parents);
    Preorder {
        named,
        children,
        depth,
    }
}

/// The children lists from each node's parent (a counting sort: preorder keeps each list in
/// source order).
fn children<'t>(named: &[Node<'t>], all: Vec<Kid<'t>>, parents: &[u32]) -> Children<'t> {
    let mut starts = vec![0u32; named.len() + 1];
    for &p in parents {
        if p != NO_PARENT {
            starts[p as usize + 1] += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut order = vec![0u32; *starts.last().unwrap_or(&0) as usize];
    for (i, &p) in parents.iter().enumerate() {
        if p != NO_PARENT {
            order[next[p as usize] as usize] = i as u32;
            next[p as usize] += 1;
        }
    }
    let mut index = foldhash::HashMap::with_capacity_and_hasher(named.len(), Default::default());
    for (i, node) in named.iter().enumerate() {
        index.insert(node.id(), i as u32);
    }
    Children {
        all,
        starts,
        order,
        index,
    }
}

/// How deep the tree nests, in nodes.
pub fn depth(tree: &Tree) -> usize {
    walk(tree, |_, _| ())
}

/// Visits every node in source order without recursion, with the cursor on it and its depth;
/// returns the tree's depth.
fn walk<'t>(tree: &'t Tree, mut visit: impl FnMut(&tree_sitter::TreeCursor<'t>, usize)) -> usize {
    let mut cursor = tree.walk();
    let mut depth = 0usize;
    let mut max = 0usize;
    loop {
        max = max.max(depth);
        visit(&cursor, depth);
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

#[cfg(test)]
mod tests;
