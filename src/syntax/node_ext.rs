//! The two questions every stage asks of a node, answered without tree-sitter's string work:
//! `child_by_field_name` compares the name with every field name of the grammar on each call
//! (strncmp in a loop), and `kind` turns a C string into a `&str` (strlen, UTF-8 check) on each
//! call; together they were a sixth of `check`'s time outside the parser. Field ids are
//! tree-sitter-python's own (numbered from 1 in name order) and kind names are read from the
//! grammar once; tests hold both to tree-sitter's answers.

use std::sync::LazyLock;
use tree_sitter::Node;

pub trait NodeExt<'t> {
    /// `child_by_field_name(name)`, by the field's id.
    fn field(&self, name: &'static str) -> Option<Node<'t>>;
    /// `kind()`, from a table of the grammar's kind names.
    fn ty(&self) -> &'static str;
}

impl<'t> NodeExt<'t> for Node<'t> {
    #[inline]
    fn field(&self, name: &'static str) -> Option<Node<'t>> {
        self.child_by_field_id(field_id(name))
    }

    #[inline]
    fn ty(&self) -> &'static str {
        KIND_NAMES
            .get(usize::from(self.kind_id()))
            .copied()
            .unwrap_or_else(|| self.kind())
    }
}

/// The grammar's kind names, by kind id.
static KIND_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
    (0..language.node_kind_count() as u16)
        .map(|id| language.node_kind_for_id(id).unwrap_or(""))
        .collect()
});

/// The name of a field id (`TreeCursor::field_name` without the C string).
#[inline]
pub fn field_name(id: Option<std::num::NonZeroU16>) -> Option<&'static str> {
    FIELD_NAMES.get(usize::from(id?.get()) - 1).copied()
}

const FIELD_NAMES: [&str; 32] = [
    "alias",
    "alternative",
    "argument",
    "arguments",
    "attribute",
    "body",
    "cause",
    "code",
    "condition",
    "consequence",
    "definition",
    "expression",
    "format_specifier",
    "function",
    "guard",
    "key",
    "left",
    "module_name",
    "name",
    "object",
    "operator",
    "operators",
    "parameters",
    "return_type",
    "right",
    "subject",
    "subscript",
    "superclasses",
    "type",
    "type_conversion",
    "type_parameters",
    "value",
];

/// The grammar's id of a field name (0, which no child has, for a name it does not have).
#[inline]
pub fn field_id(name: &str) -> u16 {
    match name {
        "alias" => 1,
        "alternative" => 2,
        "argument" => 3,
        "arguments" => 4,
        "attribute" => 5,
        "body" => 6,
        "cause" => 7,
        "code" => 8,
        "condition" => 9,
        "consequence" => 10,
        "definition" => 11,
        "expression" => 12,
        "format_specifier" => 13,
        "function" => 14,
        "guard" => 15,
        "key" => 16,
        "left" => 17,
        "module_name" => 18,
        "name" => 19,
        "object" => 20,
        "operator" => 21,
        "operators" => 22,
        "parameters" => 23,
        "return_type" => 24,
        "right" => 25,
        "subject" => 26,
        "subscript" => 27,
        "superclasses" => 28,
        "type" => 29,
        "type_conversion" => 30,
        "type_parameters" => 31,
        "value" => 32,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_are_the_grammars() {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        assert_eq!(language.field_count(), 32);
        for id in 1..=language.field_count() as u16 {
            let name = language.field_name_for_id(id).expect("a field name");
            assert_eq!(field_id(name), id, "{name}");
            assert_eq!(field_name(std::num::NonZeroU16::new(id)), Some(name));
        }
        assert_eq!(field_id("no_such_field"), 0);
    }

    #[test]
    fn field_and_ty_answer_as_tree_sitter_does() {
        let source = b"import a.b as c\nx = f(a, b=c).d[e]\n@d\nasync def g(*a, b: int = 1, **k) -> None:\n    return [y async for y in a if not y] or {1: 2} or f\"{x!r:>3}\"\nmatch p:\n    case [1, *r] if r: pass\n";
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .expect("the grammar loads");
        let tree = parser.parse(source, None).expect("a tree");
        let mut stack = vec![tree.root_node()];
        let (mut nodes, mut fields) = (0, 0);
        while let Some(node) = stack.pop() {
            assert_eq!(node.ty(), node.kind());
            nodes += 1;
            for id in 1..=32u16 {
                let name = tree.language().field_name_for_id(id).expect("a field name");
                assert_eq!(node.field(name), node.child_by_field_name(name));
                fields += usize::from(node.field(name).is_some());
            }
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
        assert!(nodes > 80 && fields > 30, "{nodes} nodes, {fields} fields");
    }

    /// Every node of every fixture and e2e program: the table and the ids agree with tree-sitter everywhere.
    #[test]
    fn ty_and_field_agree_on_every_fixture() {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    files(&path, out);
                } else if path.extension().is_some_and(|e| e == "py") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut all = Vec::new();
        files(&root.join("fixtures"), &mut all);
        files(&root.join("tests/e2e/programs"), &mut all);
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .expect("the grammar loads");
        let mut nodes = 0;
        for file in &all {
            let bytes = std::fs::read(file).expect("readable");
            let tree = parser.parse(&bytes, None).expect("a tree");
            let mut cursor = tree.walk();
            loop {
                let node = cursor.node();
                assert_eq!(node.ty(), node.kind(), "{}", file.display());
                assert_eq!(
                    field_name(cursor.field_id()),
                    cursor.field_name(),
                    "{}",
                    file.display()
                );
                nodes += 1;
                if cursor.goto_first_child() {
                    continue;
                }
                while !cursor.goto_next_sibling() {
                    if !cursor.goto_parent() {
                        break;
                    }
                }
                if cursor.node() == tree.root_node() {
                    break;
                }
            }
        }
        assert!(
            all.len() > 200 && nodes > 80_000,
            "{} files, {nodes} nodes",
            all.len()
        );
    }
}
