//! The preorder's children table against what a tree-sitter cursor reads.

use super::{parse, preorder, Source};
use tree_sitter::Node;

/// Each child as a cursor reads it: the node, its field id, named, extra.
fn by_cursor(node: Node) -> Vec<(usize, Option<u16>, bool, bool)> {
    let mut cursor = node.walk();
    let mut out = Vec::new();
    if cursor.goto_first_child() {
        loop {
            let child = cursor.node();
            out.push((
                child.id(),
                cursor.field_id().map(|f| f.get()),
                child.is_named(),
                child.is_extra(),
            ));
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
    out
}

/// Every named node's children in the table are the cursor's, in order, with their fields.
fn assert_table_matches(text: &str) {
    let source = Source::new(text.as_bytes().to_vec());
    let tree = parse(&source);
    let pre = preorder(&tree);
    assert!(!pre.named.is_empty());
    for (i, &node) in pre.named.iter().enumerate() {
        assert_eq!(pre.children.index_of(node), Some(i as u32), "{text}");
        let table: Vec<_> = pre
            .children
            .of(i as u32)
            .map(|k| (k.node.id(), k.field.map(|f| f.get()), k.named, k.extra))
            .collect();
        assert_eq!(
            table,
            by_cursor(node),
            "children of {} in {text:?}",
            node.kind()
        );
    }
}

#[test]
fn children_are_the_cursors_with_fields_comments_and_continuations() {
    for text in [
        "import replicate\nout = replicate.run('a/b', input={'x': 1})  # why\n",
        "@dataclass\nclass A(B, metaclass=M):\n    # lead\n    x: int = 1\n    def f(self, *a, k=2, **kw):\n        return [y async for y in z if y]\n",
        "x = (1 +\n     2)\ny = 1 + \\\n    2\nprint(f'{x!r:>{y}} and {y}')\n",
        "match p:\n    case {'a': [1, *rest]} if rest:\n        pass\n    case Point(x=0) | None:\n        pass\n",
        "try:\n    pass\nexcept* (A, B) as e:\n    raise\nfinally:\n    del a[0], b.c\n",
        "lambda: (yield)\nwith (open(a) as f, open(b) as g): pass\nglobal q\n",
    ] {
        assert_table_matches(text);
    }
}

#[test]
fn a_tree_with_errors_is_listed_as_its_cursor_reads_it() {
    for text in [
        "def f(:\n    x = \n",
        "f(,)\n",
        "class\n",
        "x = [1, 2\ny = 3\n",
    ] {
        assert_table_matches(text);
    }
}

#[test]
fn anonymous_nodes_are_children_but_have_no_index() {
    let source = Source::new(b"f(a, b)\n".to_vec());
    let tree = parse(&source);
    let pre = preorder(&tree);
    let call = pre
        .named
        .iter()
        .find(|n| n.kind() == "argument_list")
        .unwrap();
    let kinds: Vec<&str> = pre
        .children
        .of_node(*call)
        .unwrap()
        .map(|k| k.node.kind())
        .collect();
    assert_eq!(kinds, ["(", "identifier", ",", "identifier", ")"]);
    let comma = call.child(2).unwrap();
    assert_eq!(pre.children.index_of(comma), None);
}
