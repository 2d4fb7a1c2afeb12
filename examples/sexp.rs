//! Prints the tree-sitter tree of a Python file (for writing rules and the semantic model).
fn main() {
    let path = std::env::args().nth(1).expect("a path");
    let source = replicate_migrate::syntax::Source::new(std::fs::read(path).expect("readable"));
    let tree = replicate_migrate::parse::parse(&source);
    let mut cursor = tree.walk();
    let mut depth = 0;
    loop {
        let node = cursor.node();
        let field = cursor
            .field_name()
            .map(|f| format!("{f}: "))
            .unwrap_or_default();
        let text = if node.child_count() == 0 {
            format!(" {:?}", source.str(node))
        } else {
            String::new()
        };
        #[allow(clippy::print_stdout)]
        {
            println!("{}{}{}{}", "  ".repeat(depth), field, node.kind(), text);
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
                return;
            }
            depth -= 1;
        }
    }
}
