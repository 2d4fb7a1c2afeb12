//! Names: dotted paths, plain names and attribute chains.

use super::NodeExt;
use tree_sitter::Node;

use super::Source;

/// The parts of a dotted name (`replicate.client` → `["replicate", "client"]`), spaces dropped.
pub fn dotted(source: &Source, node: Node) -> Vec<String> {
    source
        .str(node)
        .split('.')
        .map(|s| s.trim().to_string())
        .collect()
}

/// A name or attribute chain (`p`, `self.client`): text a fix may repeat, never a call
/// (repeating that would send the request twice).
pub fn simple_receiver(node: Node) -> bool {
    let mut node = node;
    loop {
        match node.ty() {
            "identifier" => return true,
            "attribute" => match node.field("object") {
                Some(object) => node = object,
                None => return false,
            },
            _ => return false,
        }
    }
}

/// The text of a plain name or attribute chain (`gen`, `self.gen`), which may be repeated.
pub fn simple_text(source: &Source, node: Node) -> Option<String> {
    simple_receiver(node).then(|| source.str(node))
}

/// Whether `s` is a Python identifier (ASCII subset: what an attribute written by a fix needs).
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// tree-sitter-python parses `f(*g(x))` with `*g` as the inner call's callee; the call is `g(x)`.
pub fn unsplat(callee: Node) -> Node {
    match callee.ty() {
        "list_splat" | "dictionary_splat" => callee.named_child(0).unwrap_or(callee),
        _ => callee,
    }
}
